/* SPDX-License-Identifier: GPL-3.0-only
 * strbuf.h: growable string (after git's strbuf).
 * Invariants: buf is never NULL after sn_strbuf_init (it points at a static "" until the first
 * growth), buf[len] == '\0' always, len < alloc once allocated. Only sn_strbuf_detach hands the
 * buffer to the caller.
 */
#ifndef SN_STRBUF_H
#define SN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include "err.h"

struct sn_strbuf {
    char *buf;
    size_t len;
    size_t alloc;
};

extern char sn_strbuf_empty[];
#define SN_STRBUF_INIT \
    { sn_strbuf_empty, 0, 0 }

void sn_strbuf_init(struct sn_strbuf *sb);
void sn_strbuf_release(struct sn_strbuf *sb);
void sn_strbuf_reset(struct sn_strbuf *sb);
void sn_strbuf_grow(struct sn_strbuf *sb, size_t extra);
void sn_strbuf_add(struct sn_strbuf *sb, const void *data, size_t n);
void sn_strbuf_addstr(struct sn_strbuf *sb, const char *s);
void sn_strbuf_addch(struct sn_strbuf *sb, char c);
void sn_strbuf_addf(struct sn_strbuf *sb, const char *fmt, ...) SN_FMT(2, 3);
void sn_strbuf_vaddf(struct sn_strbuf *sb, const char *fmt, va_list ap) SN_FMT(2, 0);
/* Caller owns the result; free with free(). sb is reset to empty. */
char *sn_strbuf_detach(struct sn_strbuf *sb, size_t *len);

static inline void sn_cleanup_strbuf(struct sn_strbuf *sb) {
    sn_strbuf_release(sb);
}
#define SN_AUTOSTRBUF __attribute__((cleanup(sn_cleanup_strbuf)))

#endif
