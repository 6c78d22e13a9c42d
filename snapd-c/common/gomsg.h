/* SPDX-License-Identifier: GPL-3.0-only
 * gomsg.h: error messages worded and quoted as snapd's Go code words them (strconv.Quote /
 * %q), written into a caller's bounded buffer. Shared by spdx.c and timeutil.c, whose
 * messages must match snap pack's byte for byte.
 */
#ifndef SNAPD_GOMSG_H
#define SNAPD_GOMSG_H

#include <stddef.h>

struct go_msg {
    char *buf;
    size_t cap;
    size_t len;
};

/* buf may be NULL (then nothing is written); it is always NUL-terminated otherwise. */
void go_msg_init(struct go_msg *m, char *buf, size_t cap);
void go_msg_putn(struct go_msg *m, const char *p, size_t n);
void go_msg_puts(struct go_msg *m, const char *s);
/* \\<kind><hex digits> escape of v (kind x, u or U). */
void go_msg_hex(struct go_msg *m, char kind, unsigned long v, size_t digits);
/* Go's %q of n bytes at p. */
void go_msg_quote(struct go_msg *m, const char *p, size_t n);

#endif
