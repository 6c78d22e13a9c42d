/* SPDX-License-Identifier: GPL-3.0-only
 * content: share directories between snaps. The slot lists directories to share read-only
 * (`read`) or read/write (`write`), either at the top level (legacy: each is mounted on the
 * plug's `target`) or in a `source` map (each is mounted on `target`/<basename>). Paths may
 * start with $SNAP, $SNAP_DATA or $SNAP_COMMON (relative paths are under $SNAP) and expand per
 * side. Plug and slot connect when their `content` labels (default: their names) are equal;
 * they auto-connect when both snaps come from the same publisher (two local snaps count as
 * one publisher).
 */
#include <errno.h>
#include <string.h>

#include "cleanup.h"
#include "iface-internal.h"
#include "xalloc.h"

#include "banned.h"

static const struct iface_attr_spec plug_attrs[] = {
    {"content", IFACE_A_STRING, false, 0, 0, NULL, "label to match (default: the plug name)"},
    {"target", IFACE_A_STRING, true, 0, 0, NULL,
     "where the shared directories appear: `$SNAP/...`, `$SNAP_DATA/...`, `$SNAP_COMMON/...`"},
    {"default-provider", IFACE_A_STRING, false, 0, 0, "^[a-z0-9-]+(_[a-z0-9]+)?(:[a-z0-9-]+)?$",
     "snap to install when none provides the content"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static const struct iface_attr_spec slot_attrs[] = {
    {"content", IFACE_A_STRING, false, 0, 0, NULL, "label to match (default: the slot name)"},
    {"read", IFACE_A_STRLIST, false, 0, 0, NULL, "directories shared read-only (legacy form)"},
    {"write", IFACE_A_STRLIST, false, 0, 0, NULL, "directories shared read/write (legacy form)"},
    {"source", IFACE_A_MAP, false, 0, 0, NULL,
     "`{read: [...], write: [...]}`: each directory appears as `target`/<its basename>"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static const char *label(const struct iface_end *e) {
    const char *s = iface_attr_str(iface_end_attr(e, "content"));
    return s != NULL && s[0] != '\0' ? s : e->name;
}

static int check_path(const struct iface_end *e, const char *attr, const char *p,
                      struct sn_err *err) {
    char c = iface_aare_char(p);
    if (p[0] == '\0') {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s' has an empty path", attr);
    }
    if (c != 0) {
        return iface_end_fail(e, err, -EINVAL,
                              "attribute '%s': '%s' contains a reserved apparmor char '%c'", attr,
                              p, c);
    }
    if (!iface_path_is_clean(p) || strcmp(p, "..") == 0 || strncmp(p, "../", 3) == 0) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': path '%s' is not clean", attr, p);
    }
    const char *dollar = strchr(p, '$');
    if (dollar != NULL) {
        static const char *const vars[] = {"$SNAP_DATA", "$SNAP_COMMON", "$SNAP"};
        bool ok = false;
        for (size_t i = 0; dollar == p && i < 3 && !ok; i++) {
            size_t n = strlen(vars[i]);
            ok = strncmp(p, vars[i], n) == 0 && (p[n] == '/' || p[n] == '\0');
        }
        if (!ok || strchr(p + 1, '$') != NULL) {
            return iface_end_fail(e, err, -EINVAL,
                                  "attribute '%s': '%s' may only start with $SNAP, $SNAP_DATA or "
                                  "$SNAP_COMMON",
                                  attr, p);
        }
    } else if (p[0] == '/') {
        return iface_end_fail(e, err, -EINVAL,
                              "attribute '%s': '%s' must be relative to $SNAP, $SNAP_DATA or "
                              "$SNAP_COMMON",
                              attr, p);
    }
    return 0;
}

static int validate_plug(const struct iface_def *d, const struct iface_end *plug,
                         struct sn_err *err) {
    const char *target = iface_attr_str(iface_end_attr(plug, "target"));
    if (target == NULL || target[0] == '\0') {
        return iface_end_fail(plug, err, -EINVAL, "content plug must contain target path");
    }
    return check_path(plug, "target", target, err);
}

/* The slot's read or write list: from `source` when present, else top level. */
static const struct sn_ynode *slot_paths(const struct iface_end *slot, const char *which) {
    const struct sn_ynode *source = iface_end_attr(slot, "source");
    if (source != NULL) {
        return sn_ymap_get(source, which);
    }
    return iface_end_attr(slot, which);
}

static int validate_slot(const struct iface_def *d, const struct iface_end *slot,
                         struct sn_err *err) {
    const struct sn_ynode *source = iface_end_attr(slot, "source");
    if (source != NULL) {
        static const char *const moved[] = {"read", "write"};
        for (size_t i = 0; i < 2; i++) {
            if (iface_end_attr(slot, moved[i]) != NULL) {
                return iface_end_fail(slot, err, -EINVAL,
                                      "move the '%s' attribute into the 'source' section",
                                      moved[i]);
            }
        }
        for (size_t i = 0; i < source->n; i++) {
            const char *k = source->keys[i]->value;
            if (strcmp(k, "read") != 0 && strcmp(k, "write") != 0) {
                return iface_end_fail(slot, err, -EINVAL,
                                      "attribute 'source' may only have 'read' and 'write', not "
                                      "'%s'",
                                      k);
            }
            if (!iface_attr_is_str_list(source->items[i])) {
                return iface_end_fail(slot, err, -EINVAL,
                                      "attribute 'source.%s' must be a list of strings", k);
            }
        }
    }
    size_t total = 0;
    static const char *const which[] = {"read", "write"};
    for (size_t w = 0; w < 2; w++) {
        const struct sn_ynode *l = slot_paths(slot, which[w]);
        for (size_t i = 0; l != NULL && i < l->n; i++, total++) {
            int r = check_path(slot, which[w], l->items[i]->value, err);
            if (r < 0) {
                return r;
            }
        }
    }
    if (total == 0) {
        return iface_end_fail(slot, err, -EINVAL, "read or write path must be set");
    }
    return 0;
}

static int check_connect(const struct iface_def *d, const struct iface_end *plug,
                         const struct iface_end *slot, struct sn_err *err) {
    if (strcmp(label(plug), label(slot)) != 0) {
        return sn_err_set(err, -EINVAL,
                          "cannot connect content plug %s:%s (content '%s') to slot %s:%s "
                          "(content '%s'): content mismatch",
                          iface_end_instance(plug), plug->name, label(plug),
                          iface_end_instance(slot), slot->name, label(slot));
    }
    return 0;
}

static int connected_plug(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    const char *target = iface_attr_str(iface_end_attr(&c->plug, "target"));
    SN_AUTOFREE char *base = iface_expand_snap_path(target, &c->plug, env, true);
    bool nested = iface_end_attr(&c->slot, "source") != NULL;
    static const struct {
        const char *which, *perm;
        uint32_t access;
        bool ro;
    } kinds[] = {
        {"write", "mrwklix", IFACE_FS_RW | IFACE_FS_EXEC | IFACE_FS_MAKE, false},
        {"read", "mrkix", IFACE_FS_READ | IFACE_FS_EXEC, true},
    };
    sn_strbuf_addf(&out->apparmor, "# content: plug '%s' <- slot '%s:%s'\n", c->plug.name,
                   iface_end_instance(&c->slot), c->slot.name);
    for (size_t k = 0; k < 2; k++) {
        const struct sn_ynode *l = slot_paths(&c->slot, kinds[k].which);
        for (size_t i = 0; l != NULL && i < l->n; i++) {
            SN_AUTOFREE char *src =
                iface_expand_snap_path(l->items[i]->value, &c->slot, env, false);
            const char *slash = strrchr(src, '/');
            SN_AUTOFREE char *tgt = nested ? xasprintf("%s/%s", base, slash + 1) : xstrdup(base);
            iface_policy_add_mount(out, src, tgt, kinds[k].ro);
            sn_strbuf_addf(&out->apparmor, "\"%s/{,**}\" %s,\n\"%s/{,**}\" %s,\n", tgt,
                           kinds[k].perm, src, kinds[k].perm);
            iface_policy_add_fs(out, tgt, kinds[k].access, true);
        }
    }
    return 0;
}

const struct iface_def iface_def_content = {
    .name = "content",
    .summary = "allows sharing code and data with other snaps",
    .decl = {.slot_snaps = IFACE_SNAP_APP | IFACE_SNAP_GADGET | IFACE_SNAP_KERNEL,
             .auto_connect = IFACE_AUTO_SAME_PUBLISHER},
    .plug_attrs = plug_attrs,
    .slot_attrs = slot_attrs,
    .validate_plug = validate_plug,
    .validate_slot = validate_slot,
    .check_connect = check_connect,
    .connected_plug = connected_plug,
};
