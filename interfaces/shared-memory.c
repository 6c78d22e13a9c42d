/* SPDX-License-Identifier: GPL-3.0-only
 * shared-memory: share named POSIX shared memory objects (/dev/shm/NAME) between snaps.
 * An app (or gadget) slot lists object names to share read-only (`read`) or read/write
 * (`write`); plugs match it by the `shared-memory` label. A plug with `private: true` connects
 * to the system's implicit slot instead and gets a private /dev/shm (auto-connected).
 */
#include <errno.h>
#include <string.h>

#include "cleanup.h"
#include "iface-internal.h"
#include "xalloc.h"

#include "banned.h"

static const struct iface_attr_spec plug_attrs[] = {
    {"shared-memory", IFACE_A_STRING, false, 0, 0, NULL, "label to match (default: the plug name)"},
    {"private", IFACE_A_BOOL, false, 0, 0, NULL,
     "`true`: a private /dev/shm from the system slot instead"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static const struct iface_attr_spec slot_attrs[] = {
    {"shared-memory", IFACE_A_STRING, false, 0, 0, NULL, "label to match (default: the slot name)"},
    {"read", IFACE_A_STRLIST, false, 0, 0, NULL, "object names plugs may read (`*` allowed)"},
    {"write", IFACE_A_STRLIST, false, 0, 0, NULL, "object names plugs may read and write"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static bool is_private(const struct iface_end *plug) {
    return iface_attr_bool(iface_end_attr(plug, "private")) == 1;
}

static const char *label(const struct iface_end *e) {
    const char *s = iface_attr_str(iface_end_attr(e, "shared-memory"));
    return s != NULL && s[0] != '\0' ? s : e->name;
}

static int check_name(const struct iface_end *e, const char *attr, const char *p,
                      struct sn_err *err) {
    size_t n = strlen(p);
    if (n == 0) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s' has an empty name", attr);
    }
    if (p[0] == ' ' || p[n - 1] == ' ') {
        return iface_end_fail(e, err, -EINVAL,
                              "attribute '%s': '%s' has leading or trailing spaces", attr, p);
    }
    if (strpbrk(p, "?[]{}^\"") != NULL) {
        return iface_end_fail(e, err, -EINVAL,
                              "attribute '%s': '%s' contains a reserved apparmor char", attr, p);
    }
    if (strstr(p, "**") != NULL) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' contains '**'", attr, p);
    }
    if (strchr(p, '/') != NULL) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' should not contain '/'", attr,
                              p);
    }
    if (strcmp(p, "..") == 0 || strcmp(p, ".") == 0) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' is not clean", attr, p);
    }
    return 0;
}

static int validate_plug(const struct iface_def *d, const struct iface_end *plug,
                         struct sn_err *err) {
    if (!is_private(plug)) {
        return 0;
    }
    if (iface_end_attr(plug, "shared-memory") != NULL) {
        return iface_end_fail(plug, err, -EINVAL,
                              "'shared-memory' must not be set together with 'private: true'");
    }
    const struct snap_info *s = plug->snap;
    for (size_t i = 0; s != NULL && i < s->nplugs; i++) {
        if (strcmp(s->plugs[i].iface, "shared-memory") == 0 &&
            strcmp(s->plugs[i].name, plug->name) != 0) {
            return iface_end_fail(plug, err, -EINVAL,
                                  "a plug with 'private: true' cannot be used with other "
                                  "shared-memory plugs");
        }
    }
    for (size_t i = 0; s != NULL && i < s->nslots; i++) {
        if (strcmp(s->slots[i].iface, "shared-memory") == 0) {
            return iface_end_fail(plug, err, -EINVAL,
                                  "a plug with 'private: true' cannot be used with shared-memory "
                                  "slots");
        }
    }
    return 0;
}

static int validate_slot(const struct iface_def *d, const struct iface_end *slot,
                         struct sn_err *err) {
    static const char *const which[] = {"read", "write"};
    size_t total = 0;
    for (size_t w = 0; w < 2; w++) {
        const struct sn_ynode *l = iface_end_attr(slot, which[w]);
        for (size_t i = 0; l != NULL && i < l->n; i++, total++) {
            int r = check_name(slot, which[w], l->items[i]->value, err);
            if (r < 0) {
                return r;
            }
        }
    }
    if (total == 0) {
        return iface_end_fail(slot, err, -EINVAL, "requires a valid 'read' or 'write' attribute");
    }
    return 0;
}

static int check_connect(const struct iface_def *d, const struct iface_end *plug,
                         const struct iface_end *slot, struct sn_err *err) {
    bool sys = iface_end_is_system(slot);
    if (is_private(plug) != sys) {
        return sn_err_set(err, -EPERM,
                          "connection not allowed by plug rule of interface 'shared-memory': "
                          "%s plugs connect to %s slots",
                          is_private(plug) ? "private" : "non-private",
                          is_private(plug) ? "the system's" : "app");
    }
    if (!sys && strcmp(label(plug), label(slot)) != 0) {
        return sn_err_set(err, -EINVAL,
                          "cannot connect shared-memory plug %s:%s ('%s') to slot %s:%s ('%s'): "
                          "shared-memory mismatch",
                          iface_end_instance(plug), plug->name, label(plug),
                          iface_end_instance(slot), slot->name, label(slot));
    }
    return 0;
}

static bool auto_connect(const struct iface_def *d, const struct iface_end *plug,
                         const struct iface_end *slot, const struct iface_env *env) {
    if (is_private(plug)) {
        return true; /* check_connect ensured the slot is the system's */
    }
    if (plug->publisher == NULL && slot->publisher == NULL) {
        return true;
    }
    return plug->publisher != NULL && slot->publisher != NULL &&
           strcmp(plug->publisher, slot->publisher) == 0;
}

static void names(struct iface_policy *out, const struct iface_end *slot, bool plug_side) {
    static const char *const which[] = {"write", "read"};
    for (size_t w = 0; w < 2; w++) {
        const struct sn_ynode *l = iface_end_attr(slot, which[w]);
        bool write = w == 0 || !plug_side; /* the slot may write what plugs may read */
        for (size_t i = 0; l != NULL && i < l->n; i++) {
            const char *n = l->items[i]->value;
            sn_strbuf_addf(&out->apparmor, "\"/{dev,run}/shm/%s\" %s,\n", n, write ? "mrwlk" : "r");
            SN_AUTOFREE char *p = xasprintf("/dev/shm/%s", n);
            if (strchr(n, '*') != NULL) {
                iface_policy_add_fs_glob(out, p, write ? IFACE_FS_RW : IFACE_FS_READ, true);
            } else {
                iface_policy_add_fs(out, p, write ? IFACE_FS_RW : IFACE_FS_READ, true);
            }
        }
    }
}

static int connected_plug(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    if (is_private(&c->plug)) {
        SN_AUTOFREE char *src = xasprintf("/dev/shm/snap.%s", iface_end_instance(&c->plug));
        sn_strbuf_addstr(&out->apparmor,
                         "# shared-memory: private /dev/shm\n"
                         "\"/dev/shm/**\" mrwlkix,\n");
        iface_policy_add_mount(out, src, "/dev/shm", false);
        iface_policy_add_fs(out, "/dev/shm", IFACE_FS_RW | IFACE_FS_MAKE, false);
        return 0;
    }
    sn_strbuf_addf(&out->apparmor, "# shared-memory: slot '%s:%s'\n", iface_end_instance(&c->slot),
                   c->slot.name);
    names(out, &c->slot, true);
    return 0;
}

static int connected_slot(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    if (iface_end_is_system(&c->slot)) {
        return 0;
    }
    sn_strbuf_addf(&out->apparmor, "# shared-memory: slot '%s'\n", c->slot.name);
    names(out, &c->slot, false);
    /* creating objects needs write access to the directory (Landlock cannot name entries
     * that do not exist yet) */
    iface_policy_add_fs(out, "/dev/shm", IFACE_FS_RW, false);
    return 0;
}

const struct iface_def iface_def_shared_memory = {
    .name = "shared-memory",
    .summary = "allows two snaps to use predefined shared memory objects",
    .decl = {.slot_snaps = IFACE_SNAP_APP | IFACE_SNAP_GADGET | IFACE_SNAP_CORE,
             .slot_grant = IFACE_SNAP_APP | IFACE_SNAP_GADGET,
             .implicit_core = true,
             .implicit_classic = true,
             .auto_connect = IFACE_AUTO_CUSTOM},
    .plug_attrs = plug_attrs,
    .slot_attrs = slot_attrs,
    .validate_plug = validate_plug,
    .validate_slot = validate_slot,
    .check_connect = check_connect,
    .auto_connect = auto_connect,
    .connected_plug = connected_plug,
    .connected_slot = connected_slot,
};
