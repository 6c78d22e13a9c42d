/* SPDX-License-Identifier: GPL-3.0-only */
#include "gomsg.h"

#include <stdbool.h>
#include <string.h>

#include "banned.h"

void go_msg_init(struct go_msg *m, char *buf, size_t cap) {
    m->buf = buf;
    m->cap = buf != NULL ? cap : 0;
    m->len = 0;
    if (m->cap > 0) {
        m->buf[0] = '\0';
    }
}

void go_msg_putn(struct go_msg *m, const char *p, size_t n) {
    if (m->cap == 0) {
        return;
    }
    size_t room = m->cap - 1 - m->len;
    if (n > room) {
        n = room;
    }
    memcpy(m->buf + m->len, p, n);
    m->len += n;
    m->buf[m->len] = '\0';
}

void go_msg_puts(struct go_msg *m, const char *s) {
    go_msg_putn(m, s, strlen(s));
}

static const char hex_digits[] = "0123456789abcdef";

void go_msg_hex(struct go_msg *m, char kind, unsigned long v, size_t digits) {
    char esc[10] = {'\\', kind};
    for (size_t k = 0; k < digits; k++) {
        esc[2 + k] = hex_digits[(v >> (4 * (digits - 1 - k))) & 15];
    }
    go_msg_putn(m, esc, 2 + digits);
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), its code point in *cp; 0 if none. */
static size_t utf8_seq(const unsigned char *p, size_t n, unsigned long *cp) {
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xbf;
    unsigned long v;
    size_t len;

    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        v = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        v = c & 0x0fu;
        lo = c == 0xe0 ? 0xa0 : 0x80;
        hi = c == 0xed ? 0x9f : 0xbf;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        v = c & 0x07u;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if (p[i] < lo || p[i] > hi) {
            return 0;
        }
        lo = 0x80;
        hi = 0xbf;
        v = (v << 6) | (p[i] & 0x3fu);
    }
    *cp = v;
    return len;
}

/* Non-ASCII code points Go's strconv.IsPrint rejects. Approximate: the invisible and space-like
 * ones; unassigned code points are taken as printable. */
static bool rune_hidden(unsigned long r) {
    return r <= 0xa0 || r == 0xad || r == 0x1680 || (r >= 0x2000 && r <= 0x200f) ||
           (r >= 0x2028 && r <= 0x202f) || (r >= 0x205f && r <= 0x206f) || r == 0x3000 ||
           (r >= 0xe000 && r <= 0xf8ff) || r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb);
}

/* Go's %q (strconv.Quote). */
void go_msg_quote(struct go_msg *m, const char *sp, size_t sn) {
    static const char esc_from[] = "\a\b\f\n\r\t\v\"\\";
    static const char esc_to[] = "abfnrtv\"\\";
    const unsigned char *p = (const unsigned char *)sp;

    go_msg_putn(m, "\"", 1);
    for (size_t i = 0; i < sn;) {
        unsigned char c = p[i];
        unsigned long r = 0;
        size_t w = 1;
        const char *e;

        if (c >= 0x80) {
            w = utf8_seq(p + i, sn - i, &r);
            if (w == 0) {
                go_msg_hex(m, 'x', c, 2);
                w = 1;
            } else if (rune_hidden(r)) {
                go_msg_hex(m, r > 0xffff ? 'U' : 'u', r, r > 0xffff ? 8 : 4);
            } else {
                go_msg_putn(m, sp + i, w);
            }
        } else if ((e = memchr(esc_from, c, sizeof(esc_from) - 1)) != NULL) {
            char two[2] = {'\\', esc_to[e - esc_from]};
            go_msg_putn(m, two, 2);
        } else if (c < 0x20 || c == 0x7f) {
            go_msg_hex(m, 'x', c, 2);
        } else {
            go_msg_putn(m, sp + i, 1);
        }
        i += w;
    }
    go_msg_putn(m, "\"", 1);
}
