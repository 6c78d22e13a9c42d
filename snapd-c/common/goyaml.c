/* SPDX-License-Identifier: GPL-3.0-only
 * goyaml.c: go-yaml v2 decoding rules over lib/yaml-tree (see goyaml.h).
 */
#define _GNU_SOURCE
#include "goyaml.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fs.h"
#include "xalloc.h"

#include "banned.h"

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

int goyaml_parse(const char *data, size_t len, const char *fname, struct sn_ydoc **doc,
                 struct sn_err *err) {
    const struct sn_yaml_limits lim = {
        .allow_duplicate_keys = true,
        .first_document_only = true,
        .yaml11_only = true,
    };
    struct sn_ydoc *d = NULL;
    int r = sn_yaml_parse(data, len, fname, &lim, &d, err);
    if (r < 0) {
        return r;
    }
    /* go-yaml's scanner (an older libyaml) ends a plain scalar at '?' inside a flow collection
     * and then fails on the '?'; libyaml 0.2.5 keeps it in the scalar */
    for (size_t i = 0; i < d->nall; i++) {
        const struct sn_ynode *n = d->all[i];
        if (n->kind == SN_Y_SCALAR && n->plain && n->in_flow &&
            memchr(n->value, '?', n->len) != NULL) {
            r = sn_err_set(err, -EINVAL,
                           "%s:%d:%d: invalid YAML: did not find expected ',' or "
                           "the end of the flow collection ('?' in \"%s\"; quote the value)",
                           fname, n->line, n->col, n->value);
            sn_ydoc_free(d);
            return r;
        }
    }
    *doc = d;
    return 0;
}

/* "tag:yaml.org,2002:int" -> "!!int"; other tags as they are; NULL when untagged */
static const char *short_tag(const struct sn_ynode *n, char *buf, size_t size) {
    if (n->tag == NULL) {
        return NULL;
    }
    size_t pl = strlen(YAML_TAG_PREFIX);
    if (strncmp(n->tag, YAML_TAG_PREFIX, pl) == 0) {
        size_t need = strlen(n->tag) - pl + 3;
        if (need <= size) {
            buf[0] = '!';
            buf[1] = '!';
            memcpy(buf + 2, n->tag + pl, need - 2);
            return buf;
        }
    }
    return n->tag;
}

static bool tag_is(const struct sn_ynode *n, const char *name) {
    char buf[64];
    const char *t = short_tag(n, buf, sizeof(buf));
    return t != NULL && strcmp(t, name) == 0;
}

/* ---- Go's strconv ---- */

static int digit_val(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'Z') {
        return c - 'A' + 10;
    }
    return 99;
}

int goyaml_parse_uint(const char *s, int base, int bits, uint64_t *out) {
    if (s[0] == '\0') {
        return -EINVAL;
    }
    if (base == 0) {
        base = 10;
        if (s[0] == '0') {
            size_t n = strlen(s);
            char p = (char)(s[1] | 0x20);
            if (n >= 3 && p == 'b') {
                base = 2;
                s += 2;
            } else if (n >= 3 && p == 'o') {
                base = 8;
                s += 2;
            } else if (n >= 3 && p == 'x') {
                base = 16;
                s += 2;
            } else {
                base = 8;
                s += 1;
            }
        }
    }
    uint64_t max = bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    uint64_t v = 0;
    bool range = false;
    for (; *s; s++) {
        int d = digit_val(*s);
        if (d >= base) {
            return -EINVAL;
        }
        if (range) {
            continue;
        }
        if (v > (max - (uint64_t)d) / (uint64_t)base) {
            range = true;
            continue;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (range) {
        return -ERANGE;
    }
    *out = v;
    return 0;
}

int goyaml_parse_int(const char *s, int64_t *out) {
    bool neg = false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        s++;
    }
    uint64_t u = 0;
    int r = goyaml_parse_uint(s, 0, 64, &u);
    if (r < 0) {
        return r;
    }
    if (!neg && u > (uint64_t)INT64_MAX) {
        return -ERANGE;
    }
    if (neg && u > (uint64_t)INT64_MAX + 1) {
        return -ERANGE;
    }
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return 0;
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool yaml_style_float(const char *s) {
    if (*s == '-' || *s == '+') {
        s++;
    }
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9')) {
            return false;
        }
        while (*s >= '0' && *s <= '9') {
            s++;
        }
    } else {
        if (!(*s >= '0' && *s <= '9')) {
            return false;
        }
        while (*s >= '0' && *s <= '9') {
            s++;
        }
        if (*s == '.') {
            s++;
            while (*s >= '0' && *s <= '9') {
                s++;
            }
        }
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+') {
            s++;
        }
        if (!(*s >= '0' && *s <= '9')) {
            return false;
        }
        while (*s >= '0' && *s <= '9') {
            s++;
        }
    }
    return *s == '\0';
}

static bool parse_float(const char *s, double *out) {
    char *end = NULL;
    errno = 0;
    double d = strtod(s, &end);
    if (end == s || *end != '\0' || isinf(d)) {
        return false;
    }
    *out = d;
    return true;
}

/* Go's time.Parse with go-yaml's timestamp layouts, reduced to the syntax: YYYY-M-D, optionally
 * followed by [Tt ]h:m:s[.frac] and (after T) a zone Z or +hh:mm. */
static bool is_timestamp(const char *s) {
    size_t i = 0;
    while (s[i] >= '0' && s[i] <= '9') {
        i++;
    }
    if (i != 4 || s[i] != '-') {
        return false;
    }
    const char *p = s + 5;
    int fields[2];
    for (int k = 0; k < 2; k++) {
        int v = 0, nd = 0;
        while (*p >= '0' && *p <= '9' && nd < 3) {
            v = v * 10 + (*p - '0');
            p++;
            nd++;
        }
        if (nd == 0 || nd > 2) {
            return false;
        }
        fields[k] = v;
        if (k == 0) {
            if (*p != '-') {
                return false;
            }
            p++;
        }
    }
    if (fields[0] < 1 || fields[0] > 12 || fields[1] < 1 || fields[1] > 31) {
        return false;
    }
    if (*p == '\0') {
        return true;
    }
    bool zone = *p == 'T' || *p == 't';
    if (!zone && *p != ' ') {
        return false;
    }
    p++;
    for (int k = 0; k < 3; k++) {
        int nd = 0;
        while (*p >= '0' && *p <= '9') {
            p++;
            nd++;
        }
        if (nd == 0 || nd > 2) {
            return false;
        }
        if (k < 2) {
            if (*p != ':') {
                return false;
            }
            p++;
        }
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    if (!zone) {
        return *p == '\0';
    }
    if (*p == 'Z') {
        return p[1] == '\0';
    }
    return (*p == '+' || *p == '-') && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
           p[3] == ':' && p[4] >= '0' && p[4] <= '9' && p[5] >= '0' && p[5] <= '9' && p[6] == '\0';
}

/* ---- resolution (go-yaml resolve.go) ---- */

static int resolve_text(const char *in, const char *tag, struct goyaml_value *v) {
    static const char *const yes[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                      "True", "TRUE", "on",  "On",  "ON"};
    static const char *const no[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                     "False", "FALSE", "off", "Off", "OFF"};
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    memset(v, 0, sizeof(*v));
    v->kind = GOYAML_STR;
    if (tag != NULL && (strcmp(tag, "!!str") == 0 || strcmp(tag, "!!binary") == 0)) {
        return 0;
    }
    char hint = 'N';
    if (in[0] != '\0') {
        char c = in[0];
        hint = 0;
        if (c == '+' || c == '-') {
            hint = 'S';
        } else if (c >= '0' && c <= '9') {
            hint = 'D';
        } else if (strchr("yYnNtTfFoO~", c) != NULL) {
            hint = 'M';
        } else if (c == '.') {
            hint = '.';
        }
    }
    if (hint == 0) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcmp(in, yes[i]) == 0 || strcmp(in, no[i]) == 0) {
            v->kind = GOYAML_BOOL;
            v->b = strcmp(in, yes[i]) == 0;
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++) {
        if (strcmp(in, nulls[i]) == 0) {
            v->kind = GOYAML_NULL;
            return 0;
        }
    }
    static const char *const inf[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"};
    for (size_t i = 0; i < sizeof(inf) / sizeof(inf[0]); i++) {
        if (strcmp(in, inf[i]) == 0) {
            v->kind = GOYAML_FLOAT;
            v->f = INFINITY;
            return 0;
        }
    }
    if (strcmp(in, "-.inf") == 0 || strcmp(in, "-.Inf") == 0 || strcmp(in, "-.INF") == 0) {
        v->kind = GOYAML_FLOAT;
        v->f = -INFINITY;
        return 0;
    }
    if (strcmp(in, ".nan") == 0 || strcmp(in, ".NaN") == 0 || strcmp(in, ".NAN") == 0) {
        v->kind = GOYAML_FLOAT;
        v->f = NAN;
        return 0;
    }
    if (strcmp(in, "<<") == 0) {
        return 0;
    }
    if (hint == '.') {
        /* strconv.ParseFloat on ".5", ".5e3" (underscores between digits are allowed) */
        SN_AUTOFREE char *plain = xstrdup(in);
        size_t w = 0;
        bool ok = true;
        for (size_t r = 0; in[r]; r++) {
            if (in[r] == '_') {
                bool before = r > 0 && in[r - 1] >= '0' && in[r - 1] <= '9';
                bool after = in[r + 1] >= '0' && in[r + 1] <= '9';
                ok = ok && before && after;
                continue;
            }
            plain[w++] = in[r];
        }
        plain[w] = '\0';
        if (ok && yaml_style_float(plain) && parse_float(plain, &v->f)) {
            v->kind = GOYAML_FLOAT;
        }
        return 0;
    }
    if (hint == 'M') {
        return 0;
    }
    /* 'D' or 'S': timestamp, int, float */
    if ((tag == NULL || strcmp(tag, "!!timestamp") == 0) && is_timestamp(in)) {
        v->kind = GOYAML_TIMESTAMP;
        return 0;
    }
    SN_AUTOFREE char *plain = xstrdup(in);
    size_t w = 0;
    for (size_t r = 0; in[r]; r++) {
        if (in[r] != '_') {
            plain[w++] = in[r];
        }
    }
    plain[w] = '\0';
    int64_t i64 = 0;
    uint64_t u64 = 0;
    if (goyaml_parse_int(plain, &i64) == 0) {
        v->kind = GOYAML_INT;
        v->i = i64;
        return 0;
    }
    if (goyaml_parse_uint(plain, 0, 64, &u64) == 0) {
        v->kind = GOYAML_UINT;
        v->u = u64;
        return 0;
    }
    if (yaml_style_float(plain) && parse_float(plain, &v->f)) {
        v->kind = GOYAML_FLOAT;
        return 0;
    }
    if (strncmp(plain, "0b", 2) == 0 || strncmp(plain, "-0b", 3) == 0) {
        bool neg = plain[0] == '-';
        const char *digits = plain + (neg ? 3 : 2);
        if (goyaml_parse_uint(digits, 2, 64, &u64) == 0) {
            if (neg) {
                v->kind = GOYAML_INT;
                v->i = (int64_t)(0 - u64);
            } else if (u64 <= (uint64_t)INT64_MAX) {
                v->kind = GOYAML_INT;
                v->i = (int64_t)u64;
            } else {
                v->kind = GOYAML_UINT;
                v->u = u64;
            }
        }
    }
    return 0;
}

int goyaml_resolve(const struct sn_ynode *n, struct goyaml_value *out) {
    memset(out, 0, sizeof(*out));
    if (n == NULL) {
        out->kind = GOYAML_NULL;
        return 0;
    }
    if (n->kind == SN_Y_SEQ) {
        out->kind = GOYAML_SEQ;
        return 0;
    }
    if (n->kind == SN_Y_MAP) {
        out->kind = GOYAML_MAP;
        return 0;
    }
    char buf[64];
    const char *tag = short_tag(n, buf, sizeof(buf));
    if (tag == NULL && !n->plain) {
        out->kind = GOYAML_STR;
        return 0;
    }
    static const char *const resolvable[] = {"!!str",   "!!bool", "!!int",
                                             "!!float", "!!null", "!!timestamp"};
    if (tag != NULL) {
        bool known = false;
        for (size_t i = 0; i < sizeof(resolvable) / sizeof(resolvable[0]); i++) {
            known = known || strcmp(tag, resolvable[i]) == 0;
        }
        if (!known) {
            out->kind = GOYAML_STR; /* unknown tags and !!binary keep the text */
            return 0;
        }
    }
    (void)resolve_text(n->value, tag, out);
    if (tag == NULL || strcmp(tag, "!!str") == 0) {
        return 0;
    }
    static const struct {
        const char *tag;
        enum goyaml_kind kind;
    } want[] = {{"!!bool", GOYAML_BOOL},
                {"!!int", GOYAML_INT},
                {"!!float", GOYAML_FLOAT},
                {"!!null", GOYAML_NULL},
                {"!!timestamp", GOYAML_TIMESTAMP}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        if (strcmp(tag, want[i].tag) != 0) {
            continue;
        }
        if (out->kind == want[i].kind || (want[i].kind == GOYAML_INT && out->kind == GOYAML_UINT)) {
            return 0;
        }
        if (want[i].kind == GOYAML_FLOAT && out->kind == GOYAML_INT) {
            out->kind = GOYAML_FLOAT;
            out->f = (double)out->i;
            return 0;
        }
        if (want[i].kind == GOYAML_FLOAT && out->kind == GOYAML_UINT) {
            out->kind = GOYAML_FLOAT;
            out->f = (double)out->u;
            return 0;
        }
        return -EINVAL;
    }
    return 0;
}

bool goyaml_is_string(const struct sn_ynode *n) {
    struct goyaml_value v;
    return goyaml_resolve(n, &v) == 0 && (v.kind == GOYAML_STR || v.kind == GOYAML_TIMESTAMP);
}

bool goyaml_is_null(const struct sn_ynode *n) {
    if (n == NULL) {
        return true;
    }
    if (tag_is(n, "!!null")) {
        return true;
    }
    if (n->kind != SN_Y_SCALAR || n->tag != NULL) {
        return false;
    }
    return strcmp(n->value, "null") == 0 || strcmp(n->value, "~") == 0 || (n->len == 0 && n->plain);
}

const char *goyaml_tag_name(const struct sn_ynode *n) {
    if (n == NULL) {
        return "!!null";
    }
    if (n->kind == SN_Y_SEQ) {
        return "!!seq";
    }
    if (n->kind == SN_Y_MAP) {
        return "!!map";
    }
    struct goyaml_value v;
    if (goyaml_resolve(n, &v) < 0) {
        return "!!str";
    }
    switch (v.kind) {
        case GOYAML_NULL:
            return "!!null";
        case GOYAML_BOOL:
            return "!!bool";
        case GOYAML_INT:
        case GOYAML_UINT:
            return "!!int";
        case GOYAML_FLOAT:
            return "!!float";
        case GOYAML_TIMESTAMP:
            return "!!timestamp";
        case GOYAML_SEQ:
            return "!!seq";
        case GOYAML_MAP:
            return "!!map";
        case GOYAML_STR:
            break;
    }
    return "!!str";
}

const char *goyaml_go_type(const struct sn_ynode *n) {
    struct goyaml_value v;
    if (goyaml_resolve(n, &v) < 0) {
        return "string";
    }
    switch (v.kind) {
        case GOYAML_NULL:
            return "<nil>";
        case GOYAML_BOOL:
            return "bool";
        case GOYAML_INT:
            return "int";
        case GOYAML_UINT:
            return "uint64";
        case GOYAML_FLOAT:
            return "float64";
        case GOYAML_SEQ:
            return "[]interface {}";
        case GOYAML_MAP:
            return "map[interface {}]interface {}";
        case GOYAML_STR:
        case GOYAML_TIMESTAMP:
            break;
    }
    return "string";
}

/* ---- mappings ---- */

bool goyaml_is_merge_key(const struct sn_ynode *k) {
    if (k->kind != SN_Y_SCALAR || strcmp(k->value, "<<") != 0) {
        return false;
    }
    return (k->plain && k->tag == NULL) || tag_is(k, "!!merge");
}

static void pair_push(struct goyaml_map *m, const struct sn_ynode *k, const struct sn_ynode *v) {
    m->v = xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
    m->v[m->n++] = (struct goyaml_pair){k, v};
}

static int collect(const struct sn_ynode *map, struct goyaml_map *m, const struct sn_ynode **bad,
                   size_t depth) {
    if (depth > 64) {
        *bad = map;
        return -EINVAL;
    }
    for (size_t i = 0; i < map->n; i++) {
        const struct sn_ynode *k = map->keys[i], *v = map->items[i];
        if (!goyaml_is_merge_key(k)) {
            pair_push(m, k, v);
            continue;
        }
        if (v->kind == SN_Y_MAP) {
            int r = collect(v, m, bad, depth + 1);
            if (r < 0) {
                return r;
            }
        } else if (v->kind == SN_Y_SEQ) {
            /* earlier maps take precedence: apply them last */
            for (size_t j = v->n; j-- > 0;) {
                if (v->items[j]->kind != SN_Y_MAP) {
                    *bad = v->items[j];
                    return -EINVAL;
                }
                int r = collect(v->items[j], m, bad, depth + 1);
                if (r < 0) {
                    return r;
                }
            }
        } else {
            *bad = v;
            return -EINVAL;
        }
    }
    return 0;
}

int goyaml_map_pairs(const struct sn_ynode *map, struct goyaml_map *out,
                     const struct sn_ynode **bad) {
    struct goyaml_map m = {NULL, 0};
    const struct sn_ynode *b = NULL;
    out->v = NULL;
    out->n = 0;
    int r = collect(map, &m, &b, 0);
    if (r < 0) {
        goyaml_map_release(&m);
        if (bad != NULL) {
            *bad = b;
        }
        return r;
    }
    *out = m;
    return 0;
}

void goyaml_map_release(struct goyaml_map *m) {
    free(m->v);
    m->v = NULL;
    m->n = 0;
}

const char *goyaml_key_str(const struct sn_ynode *key) {
    if (key == NULL || key->kind != SN_Y_SCALAR) {
        return NULL;
    }
    struct goyaml_value v;
    if (goyaml_resolve(key, &v) == 0 && v.kind == GOYAML_NULL) {
        return "";
    }
    return key->value;
}

const struct sn_ynode *goyaml_get(const struct goyaml_map *m, const char *key) {
    for (size_t i = m->n; i-- > 0;) {
        const char *k = goyaml_key_str(m->v[i].key);
        if (k != NULL && strcmp(k, key) == 0) {
            return m->v[i].value;
        }
    }
    return NULL;
}

char *go_path_dir(const char *path) {
    size_t i = strlen(path);
    while (i > 0 && path[i - 1] != '/') {
        i--;
    }
    SN_AUTOFREE char *head = xstrndup(path, i);
    return sn_path_clean(head);
}
