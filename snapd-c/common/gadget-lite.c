/* SPDX-License-Identifier: GPL-3.0-only
 * gadget-lite.c: meta/gadget.yaml checks of snap pack 2.57 (see gadget-lite.h), ported from
 * snapd's gadget package with no model (so no implied labels, and the system-seed rules apply
 * when a system-seed role is used) and no kernel (so $kernel: references are only parsed).
 * The first problem is reported, as snapd does.
 */
#define _GNU_SOURCE
#include "gadget-lite.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "fs.h"
#include "goyaml.h"
#include "xalloc.h"
#include "yaml-tree.h"

#include "banned.h"

#define GFILE         "meta/gadget.yaml"
#define MIB           ((uint64_t)1 << 20)
#define GIB           ((uint64_t)1 << 30)
#define SIZE_MBR      446
#define LBA48_POINTER 4

struct relofs {
    bool set;
    const char *rel; /* structure name (not NUL-terminated), rel_len 0 for an absolute offset */
    size_t rel_len;
    uint64_t off;
};

struct gcontent {
    const char *source, *target, *image;
    bool has_offset;
    uint64_t offset;
    struct relofs ow;
    uint64_t size;
    bool unpack;
    const struct sn_ynode *at;
};

struct gstruct {
    size_t idx;
    const char *name, *label, *type, *role, *id, *filesystem;
    bool has_offset;
    uint64_t offset;
    struct relofs ow;
    uint64_t size;
    struct gcontent *content;
    size_t ncontent;
    const char **preserve;
    size_t npreserve;
    uint64_t start; /* laid out */
    const struct sn_ynode *at;
};

struct gvolume {
    const char *name, *schema, *bootloader;
    struct gstruct *s;
    size_t ns;
    bool null;
    const struct sn_ynode *at;
};

struct gadget {
    struct gvolume *v;
    size_t nv;
};

static int gerr(struct sn_err *err, const struct sn_ynode *at, const char *fmt, ...) SN_FMT(3, 4);

/* "meta/gadget.yaml:L:C: message" */
static int gerr(struct sn_err *err, const struct sn_ynode *at, const char *fmt, ...) {
    char msg[SN_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (at != NULL) {
        return sn_err_set(err, -EINVAL, "%s:%d:%d: %s", GFILE, at->line, at->col, msg);
    }
    return sn_err_set(err, -EINVAL, "%s: %s", GFILE, msg);
}

static void volume_release(struct gvolume *vol) {
    for (size_t j = 0; j < vol->ns; j++) {
        free(vol->s[j].content);
        free(vol->s[j].preserve);
    }
    free(vol->s);
    vol->s = NULL;
    vol->ns = 0;
}

static void gadget_release(struct gadget *g) {
    for (size_t i = 0; i < g->nv; i++) {
        volume_release(&g->v[i]);
    }
    free(g->v);
}

/* ---- decoding (type errors are "cannot parse gadget metadata") ---- */

static int type_err(struct sn_err *err, const struct sn_ynode *n, const char *what) {
    return gerr(err, n, "cannot parse gadget metadata: cannot unmarshal %s into %s",
                goyaml_tag_name(n), what);
}

static int pairs(const struct sn_ynode *n, struct goyaml_map *m, struct sn_err *err) {
    const struct sn_ynode *bad = NULL;
    if (goyaml_map_pairs(n, m, &bad) < 0) {
        return gerr(err, bad,
                    "cannot parse gadget metadata: map merge requires map or sequence "
                    "of maps as the value");
    }
    return 0;
}

static int d_str(const struct sn_ynode *n, const char **out, struct sn_err *err) {
    if (n->kind != SN_Y_SCALAR) {
        return type_err(err, n, "a string");
    }
    struct goyaml_value v;
    if (goyaml_resolve(n, &v) < 0) {
        return gerr(err, n, "cannot parse gadget metadata: cannot decode `%s` as %s", n->value,
                    n->tag);
    }
    *out = v.kind == GOYAML_NULL ? "" : n->value;
    return 0;
}

/* quantity.Size/Offset: <bytes>, <n>M or <n>G (strutil.SplitUnit + strconv.ParseInt) */
static int parse_quantity(const char *s, bool offset, int64_t *out, char *why, size_t whylen) {
    size_t i = 0;
    while ((s[i] >= '0' && s[i] <= '9') || s[i] == '-') {
        i++;
    }
    if (i == 0 && s[0] != '\0') {
        (void)snprintf(why, whylen, "no numerical prefix");
        return -EINVAL;
    }
    const char *unit = s + i;
    const char *p = s;
    bool neg = *p == '-';
    p += neg;
    uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    bool ok = p < unit;
    for (; ok && p < unit; p++) {
        uint64_t d = (uint64_t)(*p - '0');
        ok = *p >= '0' && *p <= '9' && v <= (lim - d) / 10;
        v = ok ? v * 10 + d : v;
    }
    if (!ok) {
        (void)snprintf(why, whylen, "\"%.*s\" is not a number", (int)i, s);
        return -EINVAL;
    }
    uint64_t mult = 1;
    if (strcmp(unit, "M") == 0) {
        mult = MIB;
    } else if (strcmp(unit, "G") == 0) {
        mult = GIB;
    } else if (unit[0] != '\0') {
        (void)snprintf(why, whylen, "invalid suffix \"%s\"", unit);
        return -EINVAL;
    }
    int64_t num = (int64_t)((neg ? 0 - v : v) * mult); /* wraps like Go */
    if (num < 0) {
        (void)snprintf(why, whylen, "%s cannot be negative", offset ? "offset" : "size");
        return -EINVAL;
    }
    *out = num;
    return 0;
}

static int d_quantity(const struct sn_ynode *n, bool offset, bool *set, uint64_t *out,
                      struct sn_err *err) {
    if (goyaml_is_null(n)) {
        *set = false;
        *out = 0;
        return 0;
    }
    if (n->kind != SN_Y_SCALAR) {
        return gerr(err, n, "cannot parse gadget metadata: cannot unmarshal gadget %s",
                    offset ? "offset" : "size");
    }
    int64_t v = 0;
    char why[128];
    if (parse_quantity(n->value, offset, &v, why, sizeof(why)) < 0) {
        return gerr(err, n,
                    "cannot parse gadget metadata: cannot parse %s \"%s\": %s (expected "
                    "<bytes>, <n>M or <n>G)",
                    offset ? "offset" : "size", n->value, why);
    }
    *set = true;
    *out = (uint64_t)v;
    return 0;
}

/* [<structure name>+]<offset> */
static int d_relofs(const struct sn_ynode *n, struct relofs *out, struct sn_err *err) {
    out->set = false;
    if (goyaml_is_null(n)) {
        return 0;
    }
    if (n->kind != SN_Y_SCALAR) {
        return gerr(err, n,
                    "cannot parse gadget metadata: cannot unmarshal gadget relative "
                    "offset");
    }
    const char *s = n->value;
    const char *plus = strchr(s, '+');
    const char *spec = s;
    const char *why = NULL;
    char qwhy[128] = "";
    if (plus != NULL) {
        spec = plus + 1;
        if (plus == s) {
            why = "missing volume name";
        }
    }
    int64_t v = 0;
    if (why == NULL && spec[0] == '\0') {
        why = "missing offset";
    }
    if (why == NULL && parse_quantity(spec, true, &v, qwhy, sizeof(qwhy)) < 0) {
        return gerr(err, n,
                    "cannot parse gadget metadata: cannot parse relative offset \"%s\": "
                    "cannot parse offset \"%s\": %s",
                    s, spec, qwhy);
    }
    if (why == NULL && (uint64_t)v > 4 * 1024 * MIB) {
        why = "offset above 4G limit";
    }
    if (why != NULL) {
        return gerr(err, n, "cannot parse gadget metadata: cannot parse relative offset \"%s\": %s",
                    s, why);
    }
    out->set = true;
    out->rel = s;
    out->rel_len = plus ? (size_t)(plus - s) : 0;
    out->off = (uint64_t)v;
    return 0;
}

static int d_content(const struct sn_ynode *n, struct gcontent *c, struct sn_err *err) {
    memset(c, 0, sizeof(*c));
    c->source = c->target = c->image = "";
    c->at = n;
    if (goyaml_is_null(n)) {
        return 0;
    }
    if (n->kind != SN_Y_MAP) {
        return type_err(err, n, "gadget.VolumeContent");
    }
    struct goyaml_map m;
    int r = pairs(n, &m, err);
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *key = goyaml_key_str(m.v[i].key);
        const struct sn_ynode *v = m.v[i].value;
        bool set = false;
        if (key == NULL) {
            r = type_err(err, m.v[i].key, "a string key");
        } else if (strcmp(key, "source") == 0) {
            r = d_str(v, &c->source, err);
        } else if (strcmp(key, "target") == 0) {
            r = d_str(v, &c->target, err);
        } else if (strcmp(key, "image") == 0) {
            r = d_str(v, &c->image, err);
        } else if (strcmp(key, "offset") == 0) {
            r = d_quantity(v, true, &c->has_offset, &c->offset, err);
        } else if (strcmp(key, "offset-write") == 0) {
            r = d_relofs(v, &c->ow, err);
        } else if (strcmp(key, "size") == 0) {
            r = d_quantity(v, false, &set, &c->size, err);
        } else if (strcmp(key, "unpack") == 0) {
            struct goyaml_value gv;
            if (v->kind != SN_Y_SCALAR || goyaml_resolve(v, &gv) < 0 ||
                (gv.kind != GOYAML_BOOL && gv.kind != GOYAML_NULL)) {
                r = type_err(err, v, "bool (unpack)");
            }
        }
    }
    goyaml_map_release(&m);
    return r;
}

static int d_update(const struct sn_ynode *n, struct gstruct *s, struct sn_err *err) {
    if (goyaml_is_null(n)) {
        return 0;
    }
    if (n->kind != SN_Y_MAP) {
        return type_err(err, n, "gadget.VolumeUpdate");
    }
    struct goyaml_map m;
    int r = pairs(n, &m, err);
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *key = goyaml_key_str(m.v[i].key);
        const struct sn_ynode *v = m.v[i].value;
        if (key == NULL) {
            r = type_err(err, m.v[i].key, "a string key");
        } else if (strcmp(key, "edition") == 0 && !goyaml_is_null(v)) {
            uint64_t e = 0;
            if (v->kind != SN_Y_SCALAR) {
                r = gerr(err, v, "cannot parse gadget metadata: cannot unmarshal \"edition\"");
            } else if (goyaml_parse_uint(v->value, 10, 32, &e) < 0 || v->value[0] == '+') {
                r = gerr(err, v,
                         "cannot parse gadget metadata: \"edition\" must be a positive "
                         "number, not \"%s\"",
                         v->value);
            }
        } else if (strcmp(key, "preserve") == 0) {
            free(s->preserve);
            s->preserve = NULL;
            s->npreserve = 0;
            if (goyaml_is_null(v)) {
                continue;
            }
            if (v->kind != SN_Y_SEQ) {
                r = type_err(err, v, "[]string (preserve)");
                continue;
            }
            s->preserve = xcalloc(v->n + 1, sizeof(*s->preserve));
            for (size_t j = 0; r == 0 && j < v->n; j++) {
                r = d_str(v->items[j], &s->preserve[s->npreserve], err);
                s->npreserve += r == 0;
            }
        }
    }
    goyaml_map_release(&m);
    return r;
}

static int d_structure(const struct sn_ynode *n, size_t idx, struct gstruct *s,
                       struct sn_err *err) {
    memset(s, 0, sizeof(*s));
    s->idx = idx;
    s->at = n;
    s->name = s->label = s->type = s->role = s->id = s->filesystem = "";
    if (goyaml_is_null(n)) {
        return 0;
    }
    if (n->kind != SN_Y_MAP) {
        return type_err(err, n, "gadget.VolumeStructure");
    }
    struct goyaml_map m;
    int r = pairs(n, &m, err);
    const struct {
        const char *key;
        const char **dst;
    } strs[] = {{"name", &s->name}, {"filesystem-label", &s->label},
                {"type", &s->type}, {"role", &s->role},
                {"id", &s->id},     {"filesystem", &s->filesystem}};
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *key = goyaml_key_str(m.v[i].key);
        const struct sn_ynode *v = m.v[i].value;
        bool known = false, set = false;
        if (key == NULL) {
            r = type_err(err, m.v[i].key, "a string key");
            continue;
        }
        for (size_t j = 0; j < sizeof(strs) / sizeof(strs[0]) && !known; j++) {
            if (strcmp(key, strs[j].key) == 0) {
                known = true;
                r = d_str(v, strs[j].dst, err);
            }
        }
        if (known) {
            continue;
        }
        if (strcmp(key, "offset") == 0) {
            r = d_quantity(v, true, &s->has_offset, &s->offset, err);
        } else if (strcmp(key, "offset-write") == 0) {
            r = d_relofs(v, &s->ow, err);
        } else if (strcmp(key, "size") == 0) {
            r = d_quantity(v, false, &set, &s->size, err);
        } else if (strcmp(key, "content") == 0) {
            free(s->content);
            s->content = NULL;
            s->ncontent = 0;
            if (goyaml_is_null(v)) {
                continue;
            }
            if (v->kind != SN_Y_SEQ) {
                r = type_err(err, v, "[]gadget.VolumeContent");
                continue;
            }
            s->content = xcalloc(v->n + 1, sizeof(*s->content));
            for (size_t j = 0; r == 0 && j < v->n; j++) {
                r = d_content(v->items[j], &s->content[s->ncontent], err);
                s->ncontent += r == 0;
            }
        } else if (strcmp(key, "update") == 0) {
            r = d_update(v, s, err);
        }
    }
    goyaml_map_release(&m);
    return r;
}

static int d_volume(const char *name, const struct sn_ynode *k, const struct sn_ynode *n,
                    struct gvolume *vol, struct sn_err *err) {
    memset(vol, 0, sizeof(*vol));
    vol->name = name;
    vol->schema = vol->bootloader = "";
    vol->at = k;
    if (goyaml_is_null(n)) {
        vol->null = true;
        return 0;
    }
    if (n->kind != SN_Y_MAP) {
        return type_err(err, n, "gadget.Volume");
    }
    struct goyaml_map m;
    int r = pairs(n, &m, err);
    const char *id = "";
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *key = goyaml_key_str(m.v[i].key);
        const struct sn_ynode *v = m.v[i].value;
        if (key == NULL) {
            r = type_err(err, m.v[i].key, "a string key");
        } else if (strcmp(key, "schema") == 0) {
            r = d_str(v, &vol->schema, err);
        } else if (strcmp(key, "bootloader") == 0) {
            r = d_str(v, &vol->bootloader, err);
        } else if (strcmp(key, "id") == 0) {
            r = d_str(v, &id, err);
        } else if (strcmp(key, "structure") == 0) {
            volume_release(vol);
            if (goyaml_is_null(v)) {
                continue;
            }
            if (v->kind != SN_Y_SEQ) {
                r = type_err(err, v, "[]gadget.VolumeStructure (structure must be a list)");
                continue;
            }
            vol->s = xcalloc(v->n + 1, sizeof(*vol->s));
            for (size_t j = 0; r == 0 && j < v->n; j++) {
                r = d_structure(v->items[j], j, &vol->s[vol->ns], err);
                if (r == 0) {
                    vol->ns++;
                } else {
                    free(vol->s[vol->ns].content);
                    free(vol->s[vol->ns].preserve);
                }
            }
        }
    }
    goyaml_map_release(&m);
    return r;
}

/* defaults: snap-id or "system" -> map of configuration (metautil.NormalizeValue) */
static int check_normal(const struct sn_ynode *n, struct sn_err *err, size_t depth) {
    if (depth > 64) {
        return gerr(err, n, "default value nested too deeply");
    }
    if (n->kind == SN_Y_SEQ) {
        for (size_t i = 0; i < n->n; i++) {
            int r = check_normal(n->items[i], err, depth + 1);
            if (r < 0) {
                return r;
            }
        }
        return 0;
    }
    if (n->kind == SN_Y_MAP) {
        struct goyaml_map m;
        int r = pairs(n, &m, err);
        for (size_t i = 0; r == 0 && i < m.n; i++) {
            if (m.v[i].key->kind != SN_Y_SCALAR) {
                r = gerr(err, m.v[i].key, "cannot parse gadget metadata: invalid map key");
            } else if (!goyaml_is_string(m.v[i].key)) {
                r = gerr(err, m.v[i].key, "default value: non-string key: %s (quote it)",
                         m.v[i].key->value);
            } else {
                r = check_normal(m.v[i].value, err, depth + 1);
            }
        }
        goyaml_map_release(&m);
        return r;
    }
    struct goyaml_value v;
    if (goyaml_resolve(n, &v) < 0) {
        return gerr(err, n, "cannot parse gadget metadata: cannot decode `%s` as %s", n->value,
                    n->tag);
    }
    if (v.kind == GOYAML_NULL) {
        return gerr(err, n, "default value: invalid scalar: <nil> (expected a value)");
    }
    if (v.kind == GOYAML_UINT) {
        return gerr(err, n, "default value: invalid scalar: %s (too large)", n->value);
    }
    return 0;
}

static bool snap_id_or_system(const char *s) {
    if (strcmp(s, "system") == 0) {
        return true;
    }
    size_t n = strlen(s);
    if (n != 32) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) {
            return false;
        }
    }
    return true;
}

static int check_defaults(const struct sn_ynode *n, struct sn_err *err) {
    if (goyaml_is_null(n)) {
        return 0;
    }
    if (n->kind != SN_Y_MAP) {
        return type_err(err, n, "map[string]map[string]interface {} (defaults)");
    }
    struct goyaml_map m;
    int r = pairs(n, &m, err);
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *key = goyaml_key_str(m.v[i].key);
        const struct sn_ynode *v = m.v[i].value;
        if (key == NULL) {
            r = type_err(err, m.v[i].key, "a string key");
        } else if (!goyaml_is_null(v) && v->kind != SN_Y_MAP) {
            r = type_err(err, v, "map[string]interface {} (a defaults stanza)");
        } else if (!snap_id_or_system(key)) {
            r = gerr(err, m.v[i].key, "default stanza not keyed by \"system\" or snap-id: %s", key);
        } else if (!goyaml_is_null(v)) {
            r = check_normal(v, err, 0);
        }
    }
    goyaml_map_release(&m);
    return r;
}

/* "(<snap-id>|system):name"; empty when null */
static int check_conn_end(const struct sn_ynode *n, const char *side, bool *empty,
                          struct sn_err *err) {
    *empty = true;
    if (goyaml_is_null(n)) {
        return 0;
    }
    if (n->kind != SN_Y_SCALAR) {
        return type_err(err, n, "a string (\"snap-id:name\")");
    }
    const char *s = n->value;
    const char *colon = strchr(s, ':');
    if (colon == NULL || strchr(colon + 1, ':') != NULL || colon == s || colon[1] == '\0') {
        return gerr(err, n,
                    "cannot parse gadget metadata: in gadget connection %s: expected "
                    "\"(<snap-id>|system):name\" not \"%s\"",
                    side, s);
    }
    *empty = false;
    return 0;
}

static int check_connections(const struct sn_ynode *n, struct sn_err *err) {
    if (goyaml_is_null(n)) {
        return 0;
    }
    if (n->kind != SN_Y_SEQ) {
        return type_err(err, n, "[]gadget.Connection (connections)");
    }
    SN_AUTOFREE bool *plug_empty = xcalloc(n->n + 1, sizeof(bool));
    int r = 0;
    for (size_t i = 0; r == 0 && i < n->n; i++) {
        const struct sn_ynode *c = n->items[i];
        plug_empty[i] = true;
        if (goyaml_is_null(c)) {
            continue;
        }
        if (c->kind != SN_Y_MAP) {
            r = type_err(err, c, "gadget.Connection");
            break;
        }
        struct goyaml_map m;
        r = pairs(c, &m, err);
        for (size_t j = 0; r == 0 && j < m.n; j++) {
            const char *key = goyaml_key_str(m.v[j].key);
            bool empty = true;
            if (key == NULL) {
                r = type_err(err, m.v[j].key, "a string key");
            } else if (strcmp(key, "plug") == 0) {
                r = check_conn_end(m.v[j].value, "plug", &empty, err);
                plug_empty[i] = empty;
            } else if (strcmp(key, "slot") == 0) {
                r = check_conn_end(m.v[j].value, "slot", &empty, err);
            }
        }
        goyaml_map_release(&m);
    }
    for (size_t i = 0; r == 0 && i < n->n; i++) {
        if (plug_empty[i]) {
            r = gerr(err, n->items[i], "gadget connection plug cannot be empty");
        }
    }
    return r;
}

/* ---- gadget.InfoFromGadgetYaml and validateVolume ---- */

static bool has_fs(const struct gstruct *s) {
    return s->filesystem[0] != '\0' && strcmp(s->filesystem, "none") != 0;
}

/* role after snapd's implicit rules (no model): type mbr means role mbr */
static const char *role_of(const struct gstruct *s) {
    if (s->role[0] == '\0' && strcmp(s->type, "mbr") == 0) {
        return "mbr";
    }
    return s->role;
}

/* #0 ("name") */
static const char *sname(const struct gstruct *s, char *buf, size_t n) {
    if (s->name[0] != '\0') {
        (void)snprintf(buf, n, "#%zu (\"%s\")", s->idx, s->name);
    } else {
        (void)snprintf(buf, n, "#%zu", s->idx);
    }
    return buf;
}

static bool all_chars(const char *s, size_t n, bool hex_lower_ok) {
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool ok = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F') ||
                  (hex_lower_ok && ch >= 'a' && ch <= 'f');
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* ^[0-9A-F]{2}$ */
static bool mbr_type_id(const char *s) {
    return strlen(s) == 2 && all_chars(s, 2, false);
}

/* (?i)^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$ */
static bool gpt_guid(const char *s) {
    static const size_t groups[] = {8, 4, 4, 4, 12};
    for (size_t g = 0; g < 5; g++) {
        if (!all_chars(s, groups[g], true) || strnlen(s, groups[g]) != groups[g]) {
            return false;
        }
        s += groups[g];
        if (g < 4) {
            if (*s != '-') {
                return false;
            }
            s++;
        }
    }
    return *s == '\0';
}

/* ^[a-zA-Z0-9][a-zA-Z0-9-]+$ */
static bool valid_volume_name(const char *s) {
    size_t n = strlen(s);
    if (n < 2) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool alnum =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || ch != '-')) {
            return false;
        }
    }
    return true;
}

static const char *structure_type_problem(const char *t, const char *schema, char *buf, size_t n) {
    const char *eff = schema[0] ? schema : "gpt";
    if (t[0] == '\0') {
        return "type is not specified";
    }
    if (strcmp(t, "bare") == 0 || strcmp(t, "mbr") == 0) {
        return NULL;
    }
    bool is_gpt = false, is_mbr = false;
    const char *comma = strchr(t, ',');
    if (comma == NULL) {
        if (mbr_type_id(t)) {
            is_mbr = true;
        } else if (gpt_guid(t)) {
            is_gpt = true;
        } else {
            return "invalid format (expected 2 hex digits for MBR, a GUID for GPT, or both "
                   "separated by a comma)";
        }
    } else {
        SN_AUTOFREE char *code = xstrndup(t, (size_t)(comma - t));
        if (!mbr_type_id(code) || !gpt_guid(comma + 1)) {
            return "invalid format of hybrid type";
        }
    }
    if (strcmp(eff, "gpt") != 0 && is_gpt) {
        (void)snprintf(buf, n, "GUID structure type with non-GPT schema \"%s\"", schema);
        return buf;
    }
    if (strcmp(eff, "mbr") != 0 && is_mbr) {
        (void)snprintf(buf, n, "MBR structure type with non-MBR schema \"%s\"", schema);
        return buf;
    }
    return NULL;
}

static const char *role_problem(const struct gstruct *s) {
    if (strcmp(s->type, "bare") == 0 && s->role[0] != '\0' && strcmp(s->role, "mbr") != 0) {
        return "conflicting type: \"bare\"";
    }
    const char *role = s->role;
    if (strcmp(s->type, "mbr") == 0) {
        if (role[0] != '\0' && strcmp(role, "mbr") != 0) {
            return "conflicting legacy type: \"mbr\"";
        }
        role = "mbr";
    }
    static const char *const ok[] = {"system-data",
                                     "system-seed",
                                     "system-save",
                                     "system-boot",
                                     "system-boot-image",
                                     "system-boot-select",
                                     "system-seed-select",
                                     "system-seed-image",
                                     "",
                                     "bootimg",
                                     "bootselect"};
    if (strcmp(role, "mbr") == 0) {
        if (s->size > SIZE_MBR) {
            return "mbr structures cannot be larger than 446 bytes";
        }
        if (s->has_offset && s->offset != 0) {
            return "mbr structure must start at offset 0";
        }
        if (s->id[0] != '\0') {
            return "mbr structure must not specify partition ID";
        }
        if (s->filesystem[0] != '\0' && strcmp(s->filesystem, "none") != 0) {
            return "mbr structures must not specify a file system";
        }
        return NULL;
    }
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        if (strcmp(role, ok[i]) == 0) {
            return NULL;
        }
    }
    return "unsupported role";
}

static int validate_structure(const struct gvolume *vol, const struct gstruct *s,
                              struct sn_err *err) {
    char nb[300], tb[160];
    const char *p;
    if (s->size == 0) {
        return gerr(err, s->at, "invalid volume \"%s\": invalid structure %s: missing size",
                    vol->name, sname(s, nb, sizeof(nb)));
    }
    if ((p = structure_type_problem(s->type, vol->schema, tb, sizeof(tb))) != NULL) {
        return gerr(err, s->at,
                    "invalid volume \"%s\": invalid structure %s: invalid type \"%s\": "
                    "%s",
                    vol->name, sname(s, nb, sizeof(nb)), s->type, p);
    }
    if ((p = role_problem(s)) != NULL) {
        return gerr(err, s->at,
                    "invalid volume \"%s\": invalid structure %s: invalid %s \"%s\": "
                    "%s",
                    vol->name, sname(s, nb, sizeof(nb)), s->role[0] ? "role" : "implicit role",
                    s->role[0] ? s->role : s->type, p);
    }
    if (s->filesystem[0] != '\0' && strcmp(s->filesystem, "ext4") != 0 &&
        strcmp(s->filesystem, "vfat") != 0 && strcmp(s->filesystem, "none") != 0) {
        return gerr(err, s->at,
                    "invalid volume \"%s\": invalid structure %s: invalid filesystem "
                    "\"%s\" (expected ext4, vfat or none)",
                    vol->name, sname(s, nb, sizeof(nb)), s->filesystem);
    }
    for (size_t i = 0; i < s->ncontent; i++) {
        const struct gcontent *c = &s->content[i];
        const char *why = NULL;
        if (!has_fs(s)) {
            if (c->source[0] != '\0' || c->target[0] != '\0') {
                why = "cannot use non-image content for bare file system";
            } else if (c->image[0] == '\0') {
                why = "missing image file name";
            }
        } else if (c->image[0] != '\0' || c->has_offset || c->ow.set || c->size != 0) {
            why = "cannot use image content for non-bare file system";
        } else if (c->source[0] == '\0') {
            why = "missing source";
        } else if (c->target[0] == '\0') {
            why = "missing target";
        }
        if (why != NULL) {
            return gerr(err, c->at,
                        "invalid volume \"%s\": invalid structure %s: invalid content "
                        "#%zu: %s",
                        vol->name, sname(s, nb, sizeof(nb)), i, why);
        }
    }
    if (!has_fs(s) && s->npreserve > 0) {
        return gerr(err, s->at,
                    "invalid volume \"%s\": invalid structure %s: preserving files "
                    "during update is not supported for non-filesystem structures",
                    vol->name, sname(s, nb, sizeof(nb)));
    }
    for (size_t i = 0; i < s->npreserve; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(s->preserve[i], s->preserve[j]) == 0) {
                return gerr(err, s->at,
                            "invalid volume \"%s\": invalid structure %s: duplicate "
                            "\"preserve\" entry \"%s\"",
                            vol->name, sname(s, nb, sizeof(nb)), s->preserve[i]);
            }
        }
    }
    return 0;
}

static const struct gstruct *by_name(const struct gvolume *vol, const char *name, size_t len) {
    for (size_t i = 0; i < vol->ns; i++) {
        if (vol->s[i].name[0] != '\0' && strlen(vol->s[i].name) == len &&
            strncmp(vol->s[i].name, name, len) == 0) {
            return &vol->s[i];
        }
    }
    return NULL;
}

static int cmp_start(const void *a, const void *b) {
    const struct gstruct *const *x = a, *const *y = b;
    if ((*x)->start != (*y)->start) {
        return (*x)->start < (*y)->start ? -1 : 1;
    }
    return (*x)->idx < (*y)->idx ? -1 : (*x)->idx > (*y)->idx;
}

/* structures sorted by start offset; non_mbr_start: snapd's layout constraint (0 or 1 MiB) */
static const struct gstruct **lay_out(struct gvolume *vol, uint64_t non_mbr_start) {
    uint64_t prev_end = 0;
    for (size_t i = 0; i < vol->ns; i++) {
        struct gstruct *s = &vol->s[i];
        if (s->has_offset) {
            s->start = s->offset;
        } else if (strcmp(role_of(s), "mbr") != 0 && prev_end < non_mbr_start) {
            s->start = non_mbr_start;
        } else {
            s->start = prev_end;
        }
        prev_end = s->start + s->size;
    }
    const struct gstruct **sorted = xcalloc(vol->ns + 1, sizeof(*sorted));
    for (size_t i = 0; i < vol->ns; i++) {
        sorted[i] = &vol->s[i];
    }
    qsort(sorted, vol->ns, sizeof(*sorted), cmp_start);
    return sorted;
}

static int validate_volume(struct gvolume *vol, struct sn_err *err) {
    if (!valid_volume_name(vol->name)) {
        return gerr(err, vol->at,
                    "invalid volume \"%s\": invalid name (expected 2 or more of "
                    "a-z A-Z 0-9 and -, starting with a letter or digit)",
                    vol->name);
    }
    if (vol->schema[0] != '\0' && strcmp(vol->schema, "gpt") != 0 &&
        strcmp(vol->schema, "mbr") != 0) {
        return gerr(err, vol->at,
                    "invalid volume \"%s\": invalid schema \"%s\" (expected gpt or "
                    "mbr)",
                    vol->name, vol->schema);
    }
    char nb[300], ob[300];
    for (size_t i = 0; i < vol->ns; i++) {
        const struct gstruct *s = &vol->s[i];
        int r = validate_structure(vol, s, err);
        if (r < 0) {
            return r;
        }
        for (size_t j = 0; j < i; j++) {
            if (s->name[0] != '\0' && strcmp(s->name, vol->s[j].name) == 0) {
                return gerr(err, s->at,
                            "invalid volume \"%s\": structure name \"%s\" is not "
                            "unique",
                            vol->name, s->name);
            }
            if (s->label[0] != '\0' && strcmp(s->label, vol->s[j].label) == 0) {
                return gerr(err, s->at,
                            "invalid volume \"%s\": filesystem label \"%s\" is not "
                            "unique",
                            vol->name, s->label);
            }
        }
    }
    SN_AUTOFREE const struct gstruct **sorted = lay_out(vol, 0);
    uint64_t prev_end = 0;
    for (size_t i = 0; i < vol->ns; i++) {
        const struct gstruct *s = sorted[i];
        if ((strcmp(s->role, "mbr") == 0 || (s->role[0] == '\0' && strcmp(s->type, "mbr") == 0)) &&
            s->start != 0) {
            return gerr(err, s->at,
                        "invalid volume \"%s\": structure %s has \"mbr\" role and must "
                        "start at offset 0",
                        vol->name, sname(s, nb, sizeof(nb)));
        }
        if (s->ow.set && s->ow.rel_len > 0 && by_name(vol, s->ow.rel, s->ow.rel_len) == NULL) {
            return gerr(err, s->at,
                        "invalid volume \"%s\": structure %s refers to an unknown "
                        "structure \"%.*s\"",
                        vol->name, sname(s, nb, sizeof(nb)), (int)s->ow.rel_len, s->ow.rel);
        }
        if (s->start < prev_end) {
            return gerr(err, s->at,
                        "invalid volume \"%s\": structure %s overlaps with the "
                        "preceding structure %s",
                        vol->name, sname(s, nb, sizeof(nb)), sname(sorted[i - 1], ob, sizeof(ob)));
        }
        prev_end = s->start + s->size;
        if (has_fs(s)) {
            continue;
        }
        for (size_t k = 0; k < s->ncontent; k++) {
            const struct gcontent *c = &s->content[k];
            if (c->ow.set && c->ow.rel_len > 0 && by_name(vol, c->ow.rel, c->ow.rel_len) == NULL) {
                return gerr(err, c->at,
                            "invalid volume \"%s\": structure %s, content #%zu "
                            "(\"%s\") refers to an unknown structure \"%.*s\"",
                            vol->name, sname(s, nb, sizeof(nb)), k, c->image, (int)c->ow.rel_len,
                            c->ow.rel);
            }
        }
    }
    return 0;
}

/* ---- gadget.Validate without a model: role consistency ---- */

static int validate_roles(const struct gadget *g, struct sn_err *err) {
    static const char *const roles[] = {"system-seed", "system-boot", "system-data", "system-save"};
    const struct gstruct *found[4] = {NULL, NULL, NULL, NULL};
    const struct gvolume *vols[4] = {NULL, NULL, NULL, NULL};
    for (size_t v = 0; v < g->nv; v++) {
        for (size_t i = 0; i < g->v[v].ns; i++) {
            const struct gstruct *s = &g->v[v].s[i];
            for (size_t r = 0; r < 4; r++) {
                if (strcmp(s->role, roles[r]) != 0) {
                    continue;
                }
                if (found[r] != NULL) {
                    return gerr(err, s->at, "cannot have more than one partition with %s role%s",
                                roles[r], g->nv != 1 ? " across volumes" : "");
                }
                found[r] = s;
                vols[r] = &g->v[v];
            }
        }
    }
    const struct gstruct *seed = found[0], *data = found[2], *save = found[3];
    bool expect_seed = seed != NULL;
    for (size_t v = 0; v < g->nv; v++) {
        for (size_t i = 0; i < g->v[v].ns; i++) {
            const struct gstruct *s = &g->v[v].s[i];
            if (s->role[0] != '\0' || s->label[0] == '\0') {
                continue;
            }
            bool reserved =
                strcmp(s->label, "ubuntu-seed") == 0 || strcmp(s->label, "ubuntu-data") == 0 ||
                (expect_seed &&
                 (strcmp(s->label, "ubuntu-boot") == 0 || strcmp(s->label, "ubuntu-save") == 0));
            if (reserved) {
                char nb[300];
                return gerr(err, s->at,
                            "invalid volume \"%s\": invalid structure %s: label \"%s\" "
                            "is reserved",
                            g->v[v].name, sname(s, nb, sizeof(nb)), s->label);
            }
        }
    }
    const struct {
        const struct gstruct *s;
        const char *role, *label;
    } implicit[] = {{data, "system-data", expect_seed ? "ubuntu-data" : "writable"},
                    {seed, "system-seed", "ubuntu-seed"},
                    {save, "system-save", "ubuntu-save"}};
    if (seed != NULL && data == NULL) {
        return gerr(err, seed->at, "the system-seed role requires system-data to be defined");
    }
    if (save != NULL && !expect_seed) {
        return gerr(err, save->at,
                    "model does not support the system-save role (system-save "
                    "needs system-seed)");
    }
    for (size_t i = 0; i < 3; i++) {
        const struct gstruct *s = implicit[i].s;
        if (s != NULL && s->label[0] != '\0' && strcmp(s->label, implicit[i].label) != 0) {
            return gerr(err, s->at,
                        "%s structure must have an implicit label or \"%s\", not "
                        "\"%s\"",
                        implicit[i].role, implicit[i].label, s->label);
        }
    }
    if (expect_seed) {
        for (size_t r = 1; r < 4; r++) {
            if (found[r] != NULL && vols[r] != vols[0]) {
                return gerr(err, found[r]->at,
                            "system-boot, system-data, and system-save are "
                            "expected to share the same volume as system-seed");
            }
        }
    }
    return 0;
}

/* ---- gadget.ValidateContent without a kernel: layout and content presence ---- */

static bool valid_asset_name(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool alnum =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || ch != '-')) {
            return false;
        }
    }
    return n > 0;
}

/* $kernel:<asset>/<content> */
static const char *kernel_ref_problem(const char *ref) {
    const char *ac = ref + strlen("$kernel:");
    const char *slash = strchr(ac, '/');
    if (slash == NULL) {
        return "invalid asset and content in kernel ref";
    }
    size_t alen = (size_t)(slash - ac);
    const char *content = slash + 1;
    size_t clen = strlen(content);
    if (alen == 0 || clen == 0) {
        return "missing asset name or content in kernel ref";
    }
    SN_AUTOFREE char *nondir = xstrndup(content, content[clen - 1] == '/' ? clen - 1 : clen);
    SN_AUTOFREE char *clean = sn_path_clean(nondir);
    if (strcmp(clean, nondir) != 0 || strstr(content, "..") != NULL || strcmp(nondir, "/") == 0) {
        return "invalid content in kernel ref";
    }
    if (!valid_asset_name(ac, alen)) {
        return "invalid asset name in kernel ref";
    }
    return NULL;
}

/* filepath.Join: the cleaned concatenation */
static char *join(const char *dir, const char *rel) {
    SN_AUTOFREE char *raw = xasprintf("%s/%s", dir, rel);
    return sn_path_clean(raw);
}

static int cmp_u64(uint64_t a, uint64_t b) {
    return a < b ? -1 : a > b;
}

struct laid_content {
    const struct gcontent *c;
    uint64_t start, size;
    size_t idx;
};

static int cmp_laid(const void *a, const void *b) {
    const struct laid_content *x = a, *y = b;
    int r = cmp_u64(x->start, y->start);
    return r ? r : cmp_u64(x->idx, y->idx);
}

static int lay_out_content(const char *dir, const struct gvolume *vol, const struct gstruct *s,
                           struct sn_err *err) {
    char nb[300];
    if (has_fs(s) || s->ncontent == 0) {
        return 0;
    }
    SN_AUTOFREE struct laid_content *lc = xcalloc(s->ncontent, sizeof(*lc));
    uint64_t prev_end = 0;
    for (size_t i = 0; i < s->ncontent; i++) {
        const struct gcontent *c = &s->content[i];
        SN_AUTOFREE char *path = join(dir, c->image);
        struct stat st;
        if (stat(path, &st) < 0) {
            return gerr(err, c->at,
                        "invalid layout of volume \"%s\": cannot lay out structure %s: "
                        "content \"%s\": stat %s: %s",
                        vol->name, sname(s, nb, sizeof(nb)), c->image, path, strerror(errno));
        }
        uint64_t start = c->has_offset ? c->offset : prev_end;
        uint64_t size = (uint64_t)st.st_size;
        if (c->size != 0) {
            if (c->size < size) {
                return gerr(err, c->at,
                            "invalid layout of volume \"%s\": cannot lay out structure "
                            "%s: content \"%s\" size %llu is larger than declared %llu",
                            vol->name, sname(s, nb, sizeof(nb)), c->image, (unsigned long long)size,
                            (unsigned long long)c->size);
            }
            size = c->size;
        }
        if (c->ow.set && c->ow.rel_len > 0 && by_name(vol, c->ow.rel, c->ow.rel_len) == NULL) {
            return gerr(err, c->at,
                        "invalid layout of volume \"%s\": cannot resolve offset-write "
                        "of structure %s content \"%s\": refers to an unknown structure \"%.*s\"",
                        vol->name, sname(s, nb, sizeof(nb)), c->image, (int)c->ow.rel_len,
                        c->ow.rel);
        }
        lc[i] = (struct laid_content){c, s->start + start, size, i};
        prev_end = start + size;
        if (prev_end > s->size) {
            return gerr(err, c->at,
                        "invalid layout of volume \"%s\": cannot lay out structure %s: "
                        "content \"%s\" does not fit in the structure",
                        vol->name, sname(s, nb, sizeof(nb)), c->image);
        }
    }
    qsort(lc, s->ncontent, sizeof(*lc), cmp_laid);
    prev_end = s->start;
    for (size_t i = 0; i < s->ncontent; i++) {
        if (lc[i].start < prev_end) {
            return gerr(err, lc[i].c->at,
                        "invalid layout of volume \"%s\": cannot lay out "
                        "structure %s: content \"%s\" overlaps with preceding image \"%s\"",
                        vol->name, sname(s, nb, sizeof(nb)), lc[i].c->image, lc[i - 1].c->image);
        }
        prev_end = lc[i].start + lc[i].size;
    }
    return 0;
}

static int validate_content(const char *dir, struct gvolume *vol, struct sn_err *err) {
    char nb[300], ob[300];
    SN_AUTOFREE const struct gstruct **sorted = lay_out(vol, MIB);
    uint64_t prev_end = 0;
    for (size_t i = 0; i < vol->ns; i++) {
        const struct gstruct *s = sorted[i];
        if (s->start < prev_end) {
            return gerr(err, s->at,
                        "invalid layout of volume \"%s\": cannot lay out volume, "
                        "structure %s overlaps with preceding structure %s",
                        vol->name, sname(s, nb, sizeof(nb)), sname(sorted[i - 1], ob, sizeof(ob)));
        }
        prev_end = s->start + s->size;
        if (s->ow.set && s->ow.rel_len > 0 && by_name(vol, s->ow.rel, s->ow.rel_len) == NULL) {
            return gerr(err, s->at,
                        "invalid layout of volume \"%s\": cannot resolve offset-write "
                        "of structure %s: refers to an unknown structure \"%.*s\"",
                        vol->name, sname(s, nb, sizeof(nb)), (int)s->ow.rel_len, s->ow.rel);
        }
    }
    for (size_t i = 0; i < vol->ns; i++) {
        int r = lay_out_content(dir, vol, sorted[i], err);
        if (r < 0) {
            return r;
        }
    }
    for (size_t i = 0; i < vol->ns; i++) {
        const struct gstruct *s = sorted[i];
        if (!has_fs(s)) {
            continue;
        }
        for (size_t k = 0; k < s->ncontent; k++) {
            const struct gcontent *c = &s->content[k];
            if (strncmp(c->source, "$kernel:", 8) == 0) {
                const char *why = kernel_ref_problem(c->source);
                if (why != NULL) {
                    return gerr(err, c->at,
                                "invalid volume \"%s\": cannot use kernel reference "
                                "\"%s\": %s \"%s\"",
                                vol->name, c->source, why, c->source);
                }
                continue;
            }
            SN_AUTOFREE char *real = join(dir, c->source);
            struct stat st;
            if (stat(real, &st) < 0) {
                return gerr(err, c->at,
                            "invalid volume \"%s\": structure %s, content source:%s: "
                            "source path does not exist",
                            vol->name, sname(s, nb, sizeof(nb)), c->source);
            }
            size_t sl = strlen(c->source);
            if (sl > 0 && c->source[sl - 1] == '/' && !S_ISDIR(st.st_mode)) {
                return gerr(err, c->at,
                            "invalid volume \"%s\": structure %s, content source:%s: "
                            "cannot specify trailing / for a source which is not a directory",
                            vol->name, sname(s, nb, sizeof(nb)), c->source);
            }
        }
    }
    return 0;
}

/* ---- entry point ---- */

static int decode_gadget(const struct sn_ynode *root, struct gadget *g, struct sn_err *err) {
    struct goyaml_map m;
    int r = pairs(root, &m, err);
    /* a repeated map-valued key adds up (a null one empties it); a list is replaced */
    SN_AUTOFREE const struct sn_ynode **defaults = xcalloc(m.n + 1, sizeof(*defaults));
    size_t ndefaults = 0;
    const struct sn_ynode *connections = NULL;
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *key = goyaml_key_str(m.v[i].key);
        const struct sn_ynode *v = m.v[i].value;
        if (key == NULL) {
            r = type_err(err, m.v[i].key, "a string key");
        } else if (strcmp(key, "defaults") == 0) {
            if (goyaml_is_null(v)) {
                ndefaults = 0;
            } else {
                defaults[ndefaults++] = v;
            }
        } else if (strcmp(key, "connections") == 0) {
            connections = v;
        } else if (strcmp(key, "volumes") == 0) {
            if (goyaml_is_null(v)) {
                gadget_release(g);
                g->v = NULL;
                g->nv = 0;
                continue;
            }
            if (v->kind != SN_Y_MAP) {
                r = type_err(err, v,
                             "map[string]*gadget.Volume (volumes must be a map of volume "
                             "names)");
                continue;
            }
            struct goyaml_map vm;
            r = pairs(v, &vm, err);
            for (size_t j = 0; r == 0 && j < vm.n; j++) {
                const char *name = goyaml_key_str(vm.v[j].key);
                if (name == NULL) {
                    r = type_err(err, vm.v[j].key, "a string key");
                    break;
                }
                /* a repeated volume name replaces the earlier one */
                size_t k = 0;
                while (k < g->nv && strcmp(g->v[k].name, name) != 0) {
                    k++;
                }
                struct gvolume vol;
                r = d_volume(name, vm.v[j].key, vm.v[j].value, &vol, err);
                if (r < 0) {
                    volume_release(&vol);
                    break;
                }
                if (k == g->nv) {
                    g->v = xrealloc(g->v, (g->nv + 1) * sizeof(*g->v));
                    g->nv++;
                } else {
                    volume_release(&g->v[k]);
                }
                g->v[k] = vol;
            }
            goyaml_map_release(&vm);
        }
    }
    goyaml_map_release(&m);
    for (size_t i = 0; r == 0 && i < ndefaults; i++) {
        r = check_defaults(defaults[i], err);
    }
    if (r == 0) {
        r = check_connections(connections, err);
    }
    return r;
}

int gadget_lite_validate(const char *dir, const char *data, size_t len, struct sn_err *err) {
    struct sn_ydoc *doc = NULL;
    struct sn_err yerr = SN_ERR_INIT;
    if (goyaml_parse(data, len, GFILE, &doc, &yerr) < 0) {
        return sn_err_set(err, -EINVAL, "cannot parse gadget metadata: %s", yerr.msg);
    }
    SN_CLEANUP(sn_cleanup_sn_ydoc_free) struct sn_ydoc *d = doc;
    if (goyaml_is_null(d->root)) {
        return 0;
    }
    if (d->root->kind != SN_Y_MAP) {
        return type_err(err, d->root, "gadget.Info (a map with volumes)");
    }
    struct gadget g = {NULL, 0};
    int r = decode_gadget(d->root, &g, err);
    if (r == 0 && g.nv > 0) {
        size_t bootloaders = 0;
        for (size_t i = 0; r == 0 && i < g.nv; i++) {
            struct gvolume *vol = &g.v[i];
            if (vol->null) {
                r = gerr(err, vol->at, "volume \"%s\" stanza is empty", vol->name);
                break;
            }
            r = validate_volume(vol, err);
            if (r < 0) {
                break;
            }
            static const char *const known[] = {"grub", "u-boot", "android-boot", "lk", "piboot"};
            bool ok = vol->bootloader[0] == '\0';
            for (size_t k = 0; k < sizeof(known) / sizeof(known[0]) && !ok; k++) {
                ok = strcmp(vol->bootloader, known[k]) == 0;
            }
            if (!ok) {
                r = gerr(err, vol->at,
                         "bootloader must be one of grub, u-boot, android-boot, "
                         "piboot or lk (got \"%s\")",
                         vol->bootloader);
            }
            bootloaders += vol->bootloader[0] != '\0';
        }
        if (r == 0 && bootloaders == 0) {
            r = gerr(err, NULL, "bootloader not declared in any volume");
        } else if (r == 0 && bootloaders > 1) {
            r = gerr(err, NULL, "too many (%zu) bootloaders declared", bootloaders);
        }
        if (r == 0) {
            r = validate_roles(&g, err);
        }
        for (size_t i = 0; r == 0 && i < g.nv; i++) {
            r = validate_content(dir, &g.v[i], err);
        }
    }
    gadget_release(&g);
    return r;
}
