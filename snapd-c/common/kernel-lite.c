/* SPDX-License-Identifier: GPL-3.0-only
 * kernel-lite.c: meta/kernel.yaml checks of snap pack 2.57 (see kernel-lite.h).
 */
#define _GNU_SOURCE
#include "kernel-lite.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "fs.h"
#include "goyaml.h"
#include "xalloc.h"
#include "yaml-tree.h"

#include "banned.h"

#define KFILE "meta/kernel.yaml"

/* ^[a-zA-Z0-9][a-zA-Z0-9-]*$ */
static bool valid_asset_name(const char *s) {
    for (size_t i = 0; s[i]; i++) {
        char ch = s[i];
        bool alnum =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || ch != '-')) {
            return false;
        }
    }
    return s[0] != '\0';
}

static int at_err(struct sn_err *err, const struct sn_ynode *at, const char *fmt, ...) SN_FMT(3, 4);

/* "meta/kernel.yaml:L:C: message" */
static int at_err(struct sn_err *err, const struct sn_ynode *at, const char *fmt, ...) {
    char msg[SN_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (at != NULL) {
        return sn_err_set(err, -EINVAL, "%s:%d:%d: %s", KFILE, at->line, at->col, msg);
    }
    return sn_err_set(err, -EINVAL, "%s: %s", KFILE, msg);
}

/* one asset: {update: bool, content: [paths]}; checks the content paths exist under dir */
static int check_asset(const char *dir, const char *name, const struct sn_ynode *v,
                       struct sn_err *err) {
    if (goyaml_is_null(v)) {
        /* snapd would dereference a nil asset; refuse it with a message instead */
        return at_err(err, v, "asset \"%s\" has no definition (expected update and content)", name);
    }
    if (v->kind != SN_Y_MAP) {
        return at_err(err, v,
                      "invalid kernel metadata: cannot parse kernel metadata: asset \"%s\" "
                      "must be a map",
                      name);
    }
    struct goyaml_map m;
    const struct sn_ynode *bad = NULL;
    if (goyaml_map_pairs(v, &m, &bad) < 0) {
        return at_err(err, bad, "invalid kernel metadata: cannot parse kernel metadata: %s",
                      "map merge requires map or sequence of maps as the value");
    }
    const struct sn_ynode *content = NULL;
    int r = 0;
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *key = goyaml_key_str(m.v[i].key);
        const struct sn_ynode *fv = m.v[i].value;
        if (key == NULL) {
            r = at_err(err, m.v[i].key,
                       "invalid kernel metadata: cannot parse kernel metadata: "
                       "keys must be strings");
        } else if (strcmp(key, "update") == 0) {
            struct goyaml_value gv;
            if (fv->kind != SN_Y_SCALAR || goyaml_resolve(fv, &gv) < 0 ||
                (gv.kind != GOYAML_BOOL && gv.kind != GOYAML_NULL)) {
                r = at_err(err, fv,
                           "invalid kernel metadata: cannot parse kernel metadata: "
                           "asset \"%s\": update must be true or false",
                           name);
            }
        } else if (strcmp(key, "content") == 0) {
            if (!goyaml_is_null(fv) && fv->kind != SN_Y_SEQ) {
                r = at_err(err, fv,
                           "invalid kernel metadata: cannot parse kernel metadata: "
                           "asset \"%s\": content must be a list of paths",
                           name);
            }
            for (size_t j = 0; r == 0 && fv->kind == SN_Y_SEQ && j < fv->n; j++) {
                if (fv->items[j]->kind != SN_Y_SCALAR) {
                    r = at_err(err, fv->items[j],
                               "invalid kernel metadata: cannot parse kernel "
                               "metadata: asset \"%s\": content entries must be strings",
                               name);
                }
            }
            content = fv->kind == SN_Y_SEQ ? fv : NULL;
        }
    }
    goyaml_map_release(&m);
    if (r < 0 || content == NULL) {
        return r;
    }
    for (size_t j = 0; j < content->n; j++) {
        const struct sn_ynode *it = content->items[j];
        const char *c = goyaml_is_null(it) ? "" : it->value;
        size_t n = strlen(c);
        bool is_dir = n > 0 && c[n - 1] == '/';
        SN_AUTOFREE char *trimmed = xstrndup(c, is_dir ? n - 1 : n);
        SN_AUTOFREE char *clean = sn_path_clean(trimmed);
        if (strcmp(clean, trimmed) != 0 || strstr(c, "..") != NULL || strcmp(trimmed, "/") == 0) {
            return at_err(err, it,
                          "asset \"%s\": invalid content \"%s\" (expected a clean "
                          "relative path, with a trailing / for a directory)",
                          name, c);
        }
        SN_AUTOFREE char *real = xasprintf("%s/%s", dir, trimmed);
        struct stat st;
        if (stat(real, &st) < 0) {
            return at_err(err, it, "asset \"%s\": content \"%s\" source path does not exist", name,
                          c);
        }
        if (is_dir && !S_ISDIR(st.st_mode)) {
            return at_err(err, it, "asset \"%s\": content \"%s\" is not a directory", name, c);
        }
    }
    return 0;
}

int kernel_lite_validate(const char *dir, const char *data, size_t len, struct sn_err *err) {
    struct sn_ydoc *doc = NULL;
    struct sn_err yerr = SN_ERR_INIT;
    if (goyaml_parse(data, len, KFILE, &doc, &yerr) < 0) {
        return sn_err_set(err, -EINVAL, "invalid kernel metadata: cannot parse kernel metadata: %s",
                          yerr.msg);
    }
    SN_CLEANUP(sn_cleanup_sn_ydoc_free) struct sn_ydoc *d = doc;
    const struct sn_ynode *root = d->root;
    if (goyaml_is_null(root)) {
        return 0;
    }
    if (root->kind != SN_Y_MAP) {
        return at_err(err, root,
                      "invalid kernel metadata: cannot parse kernel metadata: expected "
                      "a map with assets");
    }
    struct goyaml_map m;
    const struct sn_ynode *bad = NULL;
    if (goyaml_map_pairs(root, &m, &bad) < 0) {
        return at_err(err, bad, "invalid kernel metadata: cannot parse kernel metadata: %s",
                      "map merge requires map or sequence of maps as the value");
    }
    const struct sn_ynode *assets = NULL;
    int r = 0;
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *key = goyaml_key_str(m.v[i].key);
        if (key == NULL) {
            r = at_err(err, m.v[i].key,
                       "invalid kernel metadata: cannot parse kernel metadata: "
                       "keys must be strings");
        } else if (strcmp(key, "assets") == 0) {
            assets = m.v[i].value;
        }
    }
    goyaml_map_release(&m);
    if (r < 0 || goyaml_is_null(assets)) {
        return r;
    }
    if (assets->kind != SN_Y_MAP) {
        return at_err(err, assets,
                      "invalid kernel metadata: cannot parse kernel metadata: assets "
                      "must be a map of asset names");
    }
    if (goyaml_map_pairs(assets, &m, &bad) < 0) {
        return at_err(err, bad, "invalid kernel metadata: cannot parse kernel metadata: %s",
                      "map merge requires map or sequence of maps as the value");
    }
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *name = goyaml_key_str(m.v[i].key);
        if (name == NULL) {
            r = at_err(err, m.v[i].key,
                       "invalid kernel metadata: cannot parse kernel metadata: "
                       "asset names must be strings");
        } else if (!valid_asset_name(name)) {
            r = at_err(err, m.v[i].key,
                       "invalid kernel metadata: invalid asset name \"%s\", "
                       "please use only alphanumeric characters and dashes",
                       name);
        }
    }
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        r = check_asset(dir, goyaml_key_str(m.v[i].key), m.v[i].value, err);
    }
    goyaml_map_release(&m);
    return r;
}
