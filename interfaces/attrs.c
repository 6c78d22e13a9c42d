/* SPDX-License-Identifier: GPL-3.0-only */
#include "attrs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* go-yaml v2 resolves a plain scalar as an int when strconv.ParseInt(s without '_', 0, 64)
 * accepts it: optional sign, then 0x/0b/0o prefixes or a leading 0 for octal. */
static int parse_int(const char *s, int64_t *out) {
    char buf[80];
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '_') {
            continue;
        }
        if (n + 1 >= sizeof(buf)) {
            return -ERANGE;
        }
        buf[n++] = *p;
    }
    buf[n] = '\0';
    const char *p = buf;
    bool neg = false;
    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
        base = 2;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
        base = 8;
        p += 2;
    } else if (p[0] == '0' && p[1] != '\0') {
        base = 8;
        p += 1;
    }
    if (*p == '\0') {
        return -EINVAL;
    }
    for (const char *q = p; *q; q++) {
        int d = (*q >= '0' && *q <= '9')   ? *q - '0'
                : (*q >= 'a' && *q <= 'f') ? *q - 'a' + 10
                : (*q >= 'A' && *q <= 'F') ? *q - 'A' + 10
                                           : 99;
        if (d >= base) {
            return -EINVAL;
        }
    }
    errno = 0;
    unsigned long long v = strtoull(p, NULL, base);
    if (errno == ERANGE || v > (unsigned long long)INT64_MAX + (neg ? 1ULL : 0ULL)) {
        return -ERANGE;
    }
    *out = neg ? (int64_t)(0ULL - v) : (int64_t)v;
    return 0;
}

/* go-yaml v2 floats: after dropping '_', ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$,
 * plus .inf/.nan spellings. (Ints are tried first, so "08" ends up here, as in go-yaml.) */
static bool is_float(const char *s) {
    static const char *const special[] = {".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf", "+.INF",
                                          "-.inf", "-.Inf", "-.INF", ".nan",  ".NaN",  ".NAN"};
    for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
        if (strcmp(s, special[i]) == 0) {
            return true;
        }
    }
    char buf[80];
    size_t n = 0;
    for (const char *q = s; *q; q++) {
        if (*q != '_') {
            if (n + 1 >= sizeof(buf)) {
                return false;
            }
            buf[n++] = *q;
        }
    }
    buf[n] = '\0';
    const char *p = buf;
    if (*p == '+' || *p == '-') {
        p++;
    }
    size_t before = 0;
    while (*p >= '0' && *p <= '9') {
        p++;
        before++;
    }
    if (*p == '.') {
        size_t after = 0;
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            after++;
        }
        if (before == 0 && after == 0) {
            return false;
        }
    } else if (before == 0) {
        return false;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') {
            p++;
        }
        if (!(*p >= '0' && *p <= '9')) {
            return false;
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    return *p == '\0';
}

enum iface_attr_type iface_attr_type_of(const struct sn_ynode *n) {
    if (n == NULL) {
        return IFACE_ATTR_ABSENT;
    }
    switch (n->kind) {
        case SN_Y_SEQ:
            return IFACE_ATTR_LIST;
        case SN_Y_MAP:
            return IFACE_ATTR_MAP;
        case SN_Y_SCALAR:
            break;
    }
    if (!n->plain) {
        return IFACE_ATTR_STRING;
    }
    int64_t v;
    if (sn_ynode_is_null(n)) {
        return IFACE_ATTR_NULL;
    }
    if (sn_ynode_bool(n) >= 0) {
        return IFACE_ATTR_BOOL;
    }
    int r = parse_int(n->value, &v);
    if (r == 0) {
        return IFACE_ATTR_INT;
    }
    if (is_float(n->value) || r == -ERANGE) {
        return IFACE_ATTR_FLOAT;
    }
    return IFACE_ATTR_STRING;
}

const char *iface_attr_type_name(enum iface_attr_type t) {
    switch (t) {
        case IFACE_ATTR_ABSENT:
            return "nothing";
        case IFACE_ATTR_NULL:
            return "null";
        case IFACE_ATTR_BOOL:
            return "bool";
        case IFACE_ATTR_INT:
            return "int";
        case IFACE_ATTR_FLOAT:
            return "float";
        case IFACE_ATTR_STRING:
            return "string";
        case IFACE_ATTR_LIST:
            return "list";
        case IFACE_ATTR_MAP:
            return "map";
    }
    return "?";
}

int iface_attr_int(const struct sn_ynode *n, int64_t *out) {
    if (iface_attr_type_of(n) != IFACE_ATTR_INT) {
        return n != NULL && n->kind == SN_Y_SCALAR && n->plain &&
                       parse_int(n->value, out) == -ERANGE
                   ? -ERANGE
                   : -EINVAL;
    }
    return parse_int(n->value, out);
}

const char *iface_attr_str(const struct sn_ynode *n) {
    return iface_attr_type_of(n) == IFACE_ATTR_STRING ? n->value : NULL;
}

int iface_attr_bool(const struct sn_ynode *n) {
    return iface_attr_type_of(n) == IFACE_ATTR_BOOL ? sn_ynode_bool(n) : -1;
}

bool iface_attr_is_str_list(const struct sn_ynode *n) {
    if (n == NULL || n->kind != SN_Y_SEQ) {
        return false;
    }
    for (size_t i = 0; i < n->n; i++) {
        if (iface_attr_str(n->items[i]) == NULL) {
            return false;
        }
    }
    return true;
}

const char *iface_attr_repr(const struct sn_ynode *n) {
    if (n == NULL) {
        return "nothing";
    }
    switch (n->kind) {
        case SN_Y_SCALAR:
            return n->value;
        case SN_Y_SEQ:
            return "a list";
        case SN_Y_MAP:
            return "a map";
    }
    return "?";
}

const struct sn_ynode *iface_attrs_get(const struct sn_ynode *attrs, const char *name) {
    if (strcmp(name, "interface") == 0) {
        return NULL;
    }
    return sn_ymap_get(attrs, name);
}

static void json_str(struct sn_strbuf *out, const char *s, size_t len) {
    sn_strbuf_addch(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
            case '"':
                sn_strbuf_addstr(out, "\\\"");
                break;
            case '\\':
                sn_strbuf_addstr(out, "\\\\");
                break;
            case '\n':
                sn_strbuf_addstr(out, "\\n");
                break;
            case '\t':
                sn_strbuf_addstr(out, "\\t");
                break;
            case '\r':
                sn_strbuf_addstr(out, "\\r");
                break;
            default:
                if (c < 0x20) {
                    sn_strbuf_addf(out, "\\u%04x", c);
                } else {
                    sn_strbuf_addch(out, (char)c);
                }
        }
    }
    sn_strbuf_addch(out, '"');
}

static void json_node(const struct sn_ynode *n, struct sn_strbuf *out, bool top) {
    int64_t iv;
    switch (iface_attr_type_of(n)) {
        case IFACE_ATTR_ABSENT:
        case IFACE_ATTR_NULL:
            sn_strbuf_addstr(out, top ? "{}" : "null");
            return;
        case IFACE_ATTR_BOOL:
            sn_strbuf_addstr(out, sn_ynode_bool(n) ? "true" : "false");
            return;
        case IFACE_ATTR_INT:
            if (iface_attr_int(n, &iv) == 0) {
                sn_strbuf_addf(out, "%lld", (long long)iv);
            }
            return;
        case IFACE_ATTR_FLOAT: {
            char buf[64];
            double d = strtod(n->value, NULL);
            if (!isfinite(d)) {
                json_str(out, n->value, n->len); /* JSON has no inf/nan */
                return;
            }
            (void)snprintf(buf, sizeof(buf), "%.17g", d);
            sn_strbuf_addstr(out, buf);
            return;
        }
        case IFACE_ATTR_STRING:
            json_str(out, n->value, n->len);
            return;
        case IFACE_ATTR_LIST:
            sn_strbuf_addch(out, '[');
            for (size_t i = 0; i < n->n; i++) {
                if (i > 0) {
                    sn_strbuf_addch(out, ',');
                }
                json_node(n->items[i], out, false);
            }
            sn_strbuf_addch(out, ']');
            return;
        case IFACE_ATTR_MAP: {
            bool first = true;
            sn_strbuf_addch(out, '{');
            for (size_t i = 0; i < n->n; i++) {
                const struct sn_ynode *k = n->keys[i];
                if (k->kind != SN_Y_SCALAR || (top && strcmp(k->value, "interface") == 0)) {
                    continue;
                }
                if (!first) {
                    sn_strbuf_addch(out, ',');
                }
                first = false;
                json_str(out, k->value, k->len);
                sn_strbuf_addch(out, ':');
                json_node(n->items[i], out, false);
            }
            sn_strbuf_addch(out, '}');
            return;
        }
    }
}

void iface_attrs_to_json(const struct sn_ynode *attrs, struct sn_strbuf *out) {
    if (attrs == NULL || attrs->kind != SN_Y_MAP) {
        sn_strbuf_addstr(out, "{}");
        return;
    }
    json_node(attrs, out, true);
}

int iface_attrs_from_json(const char *json, struct sn_ydoc **doc, struct sn_err *err) {
    struct sn_ydoc *d = NULL;
    int r = sn_yaml_parse(json, strlen(json), "attrs", NULL, &d, err);
    if (r < 0) {
        return r;
    }
    if (d->root != NULL && d->root->kind != SN_Y_MAP) {
        sn_ydoc_free(d);
        return sn_err_set(err, -EINVAL, "attrs: expected a JSON object");
    }
    *doc = d;
    return 0;
}
