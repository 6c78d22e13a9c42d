/* SPDX-License-Identifier: GPL-3.0-only */
#include "launch-format.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

size_t cf_token_encode(const char *s, size_t len, char *out) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (cf_token_byte_escaped(c)) {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        } else {
            out[n++] = (char)c;
        }
    }
    out[n] = '\0';
    return n;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int cf_token_decode(char *tok, size_t len) {
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)tok[i];
        if (c == '%') {
            if (i + 2 >= len) {
                return -EINVAL;
            }
            int hi = hexval(tok[i + 1]), lo = hexval(tok[i + 2]);
            if (hi < 0 || lo < 0) {
                return -EINVAL;
            }
            c = (unsigned char)(hi << 4 | lo);
            if (c == 0 || !cf_token_byte_escaped(c)) {
                return -EINVAL; /* NUL, or a byte that is never escaped: not canonical */
            }
            i += 2;
        } else if (cf_token_byte_escaped(c)) {
            return -EINVAL;
        }
        tok[o++] = (char)c;
    }
    tok[o] = '\0';
    return (int)o;
}

static bool is_lower_digit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool cf_valid_snap_name(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 40 || s[0] == '-' || s[n - 1] == '-') {
        return false;
    }
    bool letter = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-') {
            if (s[i + 1] == '-') {
                return false;
            }
        } else if (!is_lower_digit(s[i])) {
            return false;
        }
        letter = letter || (s[i] >= 'a' && s[i] <= 'z');
    }
    return letter;
}

bool cf_valid_instance_key(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 10) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_lower_digit(s[i])) {
            return false;
        }
    }
    return true;
}

/* ^[a-zA-Z0-9](?:-?[a-zA-Z0-9])*$ */
bool cf_valid_app_name(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 64 || s[0] == '-' || s[n - 1] == '-') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = is_lower_digit(c) || (c >= 'A' && c <= 'Z');
        if (!alnum && !(c == '-' && s[i + 1] != '-')) {
            return false;
        }
    }
    return true;
}

/* ^[a-z](?:-?[a-z0-9])*$ */
bool cf_valid_hook_name(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z') || s[n - 1] == '-') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_lower_digit(s[i]) && !(s[i] == '-' && s[i + 1] != '-')) {
            return false;
        }
    }
    return true;
}

bool cf_valid_revision(const char *s) {
    const char *p = s[0] == 'x' ? s + 1 : s;
    size_t n = strlen(p);
    if (n < 1 || n > 11 || p[0] == '0') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return false;
        }
    }
    return true;
}

bool cf_parse_tag(const char *tag, char instance[64], char app[64], bool *is_hook) {
    if (strncmp(tag, "snap.", 5) != 0) {
        return false;
    }
    const char *name = tag + 5;
    const char *dot = strchr(name, '.');
    if (dot == NULL || (size_t)(dot - name) >= 64) {
        return false;
    }
    (void)snprintf(instance, 64, "%.*s", (int)(dot - name), name);
    char *us = strchr(instance, '_');
    if (us != NULL) {
        *us = '\0';
        bool ok = cf_valid_snap_name(instance) && cf_valid_instance_key(us + 1);
        *us = '_';
        if (!ok) {
            return false;
        }
    } else if (!cf_valid_snap_name(instance)) {
        return false;
    }
    const char *rest = dot + 1;
    bool hook = strncmp(rest, "hook.", 5) == 0;
    if (hook) {
        rest += 5;
    }
    if (strlen(rest) >= 64) {
        return false;
    }
    if (hook ? !cf_valid_hook_name(rest) : !cf_valid_app_name(rest)) {
        return false;
    }
    (void)snprintf(app, 64, "%s", rest);
    *is_hook = hook;
    return true;
}

bool cf_clean_abs_path(const char *p) {
    if (p[0] != '/') {
        return false;
    }
    if (p[1] == '\0') {
        return true;
    }
    for (const char *c = p; *c;) {
        /* c points at a '/' */
        const char *next = strchr(c + 1, '/');
        size_t n = next ? (size_t)(next - c - 1) : strlen(c + 1);
        if (n == 0 || (n == 1 && c[1] == '.') || (n == 2 && c[1] == '.' && c[2] == '.')) {
            return false;
        }
        if (next == NULL) {
            break;
        }
        c = next;
    }
    return true;
}
