/* SPDX-License-Identifier: GPL-3.0-only */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#include "banned.h"

char sn_strbuf_empty[1];

void sn_strbuf_init(struct sn_strbuf *sb) {
    sb->buf = sn_strbuf_empty;
    sb->len = 0;
    sb->alloc = 0;
}

void sn_strbuf_release(struct sn_strbuf *sb) {
    if (sb->alloc) {
        free(sb->buf);
    }
    sn_strbuf_init(sb);
}

void sn_strbuf_reset(struct sn_strbuf *sb) {
    sb->len = 0;
    if (sb->alloc) {
        sb->buf[0] = '\0';
    }
}

void sn_strbuf_grow(struct sn_strbuf *sb, size_t extra) {
    size_t need = sb->len + extra + 1;
    if (need < sb->len) {
        SN_BUG("strbuf size overflow");
    }
    if (need <= sb->alloc) {
        return;
    }
    size_t n = sb->alloc ? sb->alloc : 64;
    while (n < need) {
        n *= 2;
    }
    char *old = sb->alloc ? sb->buf : NULL;
    sb->buf = xrealloc(old, n);
    if (old == NULL) {
        sb->buf[0] = '\0';
    }
    sb->alloc = n;
}

void sn_strbuf_add(struct sn_strbuf *sb, const void *data, size_t n) {
    sn_strbuf_grow(sb, n);
    memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sn_strbuf_addstr(struct sn_strbuf *sb, const char *s) {
    sn_strbuf_add(sb, s, strlen(s));
}

void sn_strbuf_addch(struct sn_strbuf *sb, char c) {
    sn_strbuf_add(sb, &c, 1);
}

void sn_strbuf_vaddf(struct sn_strbuf *sb, const char *fmt, va_list ap) {
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        return;
    }
    sn_strbuf_grow(sb, (size_t)n);
    (void)vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sn_strbuf_addf(struct sn_strbuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sn_strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

char *sn_strbuf_detach(struct sn_strbuf *sb, size_t *len) {
    if (sb->alloc == 0) {
        sn_strbuf_grow(sb, 0);
    }
    char *r = sb->buf;
    if (len) {
        *len = sb->len;
    }
    sn_strbuf_init(sb);
    return r;
}
