/* SPDX-License-Identifier: GPL-3.0-only
 * custom-device: devices and files a gadget (or a granted app) defines for its board: device
 * nodes read/write (`devices`) or read-only (`read-devices`), other files (`files: {read: [...],
 * write: [...]}`), and optional `udev-tagging` rules refining how each device is matched.
 * Plugs match the slot by the `custom-device` label (default: their names).
 */
#include <errno.h>
#include <string.h>

#include "cleanup.h"
#include "iface-internal.h"
#include "xalloc.h"

#include "banned.h"

static const struct iface_attr_spec plug_attrs[] = {
    {"custom-device", IFACE_A_STRING, false, 0, 0, NULL, "label to match (default: the plug name)"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static const struct iface_attr_spec slot_attrs[] = {
    {"custom-device", IFACE_A_STRING, false, 0, 0, NULL, "label to match (default: the slot name)"},
    {"devices", IFACE_A_STRLIST, false, 0, 0, NULL, "device nodes under /dev, read/write"},
    {"read-devices", IFACE_A_STRLIST, false, 0, 0, NULL, "device nodes under /dev, read-only"},
    {"files", IFACE_A_MAP, false, 0, 0, NULL, "`{read: [paths], write: [paths]}`"},
    {"udev-tagging", IFACE_A_LIST, false, 0, 0, NULL,
     "list of `{kernel, subsystem, attributes, environment}` rules"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static const char *label(const struct iface_end *e) {
    const char *s = iface_attr_str(iface_end_attr(e, "custom-device"));
    return s != NULL && s[0] != '\0' ? s : e->name;
}

static bool has_glob(const char *p) {
    return strpbrk(p, "*?[{") != NULL;
}

static int check_file(const struct iface_end *e, const char *attr, const char *p,
                      struct sn_err *err) {
    if (!iface_re_match("^/[^\"@]*$", p)) {
        return iface_end_fail(e, err, -EINVAL,
                              "attribute '%s': '%s' must start with / and cannot contain special "
                              "characters",
                              attr, p);
    }
    if (!iface_path_is_clean(p)) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': path '%s' is not clean", attr, p);
    }
    if (strstr(p, "**") != NULL) {
        return iface_end_fail(e, err, -EINVAL,
                              "attribute '%s': '%s' contains invalid glob pattern '**'", attr, p);
    }
    /* balanced [] and {} (the glob patterns AppArmor and glob(3) both understand) */
    int sq = 0, br = 0;
    for (const char *q = p; *q; q++) {
        sq += *q == '[' ? 1 : *q == ']' ? -1 : 0;
        br += *q == '{' ? 1 : *q == '}' ? -1 : 0;
        if (sq < 0 || sq > 1 || br < 0 || br > 1) {
            break;
        }
    }
    if (sq != 0 || br != 0) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' has an invalid pattern", attr,
                              p);
    }
    return 0;
}

static int check_device(const struct iface_end *e, const char *attr, const char *p,
                        struct sn_err *err) {
    if (!iface_re_match("^/dev/[^\"|{}\\\\]+$", p)) {
        return iface_end_fail(e, err, -EINVAL,
                              "attribute '%s': '%s' must start with /dev/ and cannot contain "
                              "special characters",
                              attr, p);
    }
    return check_file(e, attr, p, err);
}

static const char *basename_of(const char *p) {
    const char *s = strrchr(p, '/');
    return s != NULL ? s + 1 : p;
}

static bool udev_value_ok(const char *v) {
    return v != NULL && v[0] != '\0' && strpbrk(v, "\"{}\\") == NULL;
}

static int check_value_map(const struct iface_end *e, const char *key, const struct sn_ynode *m,
                           struct sn_err *err) {
    if (m->kind != SN_Y_MAP) {
        return iface_end_fail(e, err, -EINVAL, "udev-tagging '%s' must be a map", key);
    }
    for (size_t i = 0; i < m->n; i++) {
        if (!udev_value_ok(m->keys[i]->value) || !udev_value_ok(iface_attr_str(m->items[i]))) {
            return iface_end_fail(e, err, -EINVAL,
                                  "udev-tagging '%s' entry '%s' has an invalid key or value "
                                  "(strings without \" { } \\)",
                                  key, m->keys[i]->value);
        }
    }
    return 0;
}

/* kernel must name one device: its full name under /dev or the basename of exactly one */
static int check_kernel(const struct iface_end *e, const char *kernel, struct sn_err *err) {
    static const char *const lists[] = {"devices", "read-devices"};
    size_t base_matches = 0;
    for (size_t l = 0; l < 2; l++) {
        const struct sn_ynode *n = iface_end_attr(e, lists[l]);
        for (size_t i = 0; n != NULL && i < n->n; i++) {
            const char *dev = n->items[i]->value;
            if (strcmp(dev + strlen("/dev/"), kernel) == 0) {
                return 0;
            }
            base_matches += strcmp(basename_of(dev), kernel) == 0;
        }
    }
    if (base_matches == 1) {
        return 0;
    }
    return iface_end_fail(e, err, -EINVAL,
                          base_matches == 0
                              ? "udev-tagging kernel '%s' does not match any specified device"
                              : "udev-tagging kernel '%s' matches more than one specified device",
                          kernel);
}

static int validate_slot(const struct iface_def *d, const struct iface_end *slot,
                         struct sn_err *err) {
    static const char *const lists[] = {"devices", "read-devices"};
    size_t ndev = 0, nfiles = 0;
    for (size_t l = 0; l < 2; l++) {
        const struct sn_ynode *n = iface_end_attr(slot, lists[l]);
        for (size_t i = 0; n != NULL && i < n->n; i++, ndev++) {
            int r = check_device(slot, lists[l], n->items[i]->value, err);
            if (r < 0) {
                return r;
            }
        }
    }
    const struct sn_ynode *rw = iface_end_attr(slot, "devices");
    const struct sn_ynode *ro = iface_end_attr(slot, "read-devices");
    for (size_t i = 0; rw != NULL && ro != NULL && i < ro->n; i++) {
        for (size_t j = 0; j < rw->n; j++) {
            if (strcmp(ro->items[i]->value, rw->items[j]->value) == 0) {
                return iface_end_fail(slot, err, -EINVAL,
                                      "cannot specify path '%s' both in 'devices' and "
                                      "'read-devices'",
                                      ro->items[i]->value);
            }
        }
    }
    const struct sn_ynode *files = iface_end_attr(slot, "files");
    for (size_t i = 0; files != NULL && i < files->n; i++) {
        const char *k = files->keys[i]->value;
        if (strcmp(k, "read") != 0 && strcmp(k, "write") != 0) {
            return iface_end_fail(slot, err, -EINVAL,
                                  "cannot specify '%s' in 'files', only 'read' and 'write'", k);
        }
        const struct sn_ynode *l = files->items[i];
        if (!iface_attr_is_str_list(l)) {
            return iface_end_fail(slot, err, -EINVAL,
                                  "attribute 'files.%s' must be a list of "
                                  "strings",
                                  k);
        }
        for (size_t j = 0; j < l->n; j++, nfiles++) {
            int r = check_file(slot, k, l->items[j]->value, err);
            if (r < 0) {
                return r;
            }
        }
    }
    if (ndev == 0 && nfiles == 0) {
        return iface_end_fail(slot, err, -EINVAL,
                              "cannot use custom-device slot without any files or devices");
    }
    const struct sn_ynode *tags = iface_end_attr(slot, "udev-tagging");
    for (size_t i = 0; tags != NULL && i < tags->n; i++) {
        const struct sn_ynode *rule = tags->items[i];
        if (rule->kind != SN_Y_MAP) {
            return iface_end_fail(slot, err, -EINVAL, "udev-tagging rules must be maps");
        }
        const char *kernel = NULL;
        for (size_t j = 0; j < rule->n; j++) {
            const char *k = rule->keys[j]->value;
            const struct sn_ynode *v = rule->items[j];
            int r = 0;
            if (strcmp(k, "kernel") == 0 || strcmp(k, "subsystem") == 0) {
                if (!udev_value_ok(iface_attr_str(v))) {
                    return iface_end_fail(slot, err, -EINVAL,
                                          "udev-tagging '%s' must be a string without \" { } \\",
                                          k);
                }
                if (k[0] == 'k') {
                    kernel = v->value;
                }
            } else if (strcmp(k, "attributes") == 0 || strcmp(k, "environment") == 0) {
                r = check_value_map(slot, k, v, err);
            } else {
                return iface_end_fail(slot, err, -EINVAL, "udev-tagging has unknown key '%s'", k);
            }
            if (r < 0) {
                return r;
            }
        }
        if (kernel == NULL) {
            return iface_end_fail(slot, err, -EINVAL,
                                  "udev-tagging rule missing mandatory 'kernel' key");
        }
        int r = check_kernel(slot, kernel, err);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

static int check_connect(const struct iface_def *d, const struct iface_end *plug,
                         const struct iface_end *slot, struct sn_err *err) {
    if (strcmp(label(plug), label(slot)) != 0) {
        return sn_err_set(err, -EINVAL,
                          "cannot connect custom-device plug %s:%s ('%s') to slot %s:%s ('%s'): "
                          "custom-device mismatch",
                          iface_end_instance(plug), plug->name, label(plug),
                          iface_end_instance(slot), slot->name, label(slot));
    }
    return 0;
}

static void add_path(struct iface_policy *out, const char *p, const char *perm, uint32_t access) {
    sn_strbuf_addf(&out->apparmor, "\"%s\" %s,\n", p, perm);
    if (has_glob(p)) {
        iface_policy_add_fs_glob(out, p, access, true);
    } else {
        iface_policy_add_fs(out, p, access, true);
    }
}

/* The tagging rule whose kernel names this device, if any. */
static const struct sn_ynode *rule_for(const struct sn_ynode *tags, const char *dev) {
    for (size_t i = 0; tags != NULL && i < tags->n; i++) {
        const char *k = iface_attr_str(sn_ymap_get(tags->items[i], "kernel"));
        if (k != NULL &&
            (strcmp(k, dev + strlen("/dev/")) == 0 || strcmp(k, basename_of(dev)) == 0)) {
            return tags->items[i];
        }
    }
    return NULL;
}

static void add_rule_device(struct iface_policy *out, const struct sn_ynode *rule) {
    SN_AUTOSTRBUF struct sn_strbuf attrs = SN_STRBUF_INIT;
    static const struct {
        const char *key, *fmt;
    } maps[] = {{"attributes", "ATTR{%s}==\"%s\""}, {"environment", "ENV{%s}==\"%s\""}};
    for (size_t m = 0; m < 2; m++) {
        const struct sn_ynode *n = sn_ymap_get(rule, maps[m].key);
        for (size_t i = 0; n != NULL && i < n->n; i++) {
            if (attrs.len > 0) {
                sn_strbuf_addstr(&attrs, ", ");
            }
            sn_strbuf_addf(&attrs, maps[m].fmt, n->keys[i]->value, n->items[i]->value);
        }
    }
    iface_policy_add_device(out, iface_attr_str(sn_ymap_get(rule, "subsystem")),
                            iface_attr_str(sn_ymap_get(rule, "kernel")), NULL,
                            attrs.len > 0 ? attrs.buf : NULL);
}

static int connected_plug(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    const struct iface_end *slot = &c->slot;
    const struct sn_ynode *tags = iface_end_attr(slot, "udev-tagging");
    sn_strbuf_addf(&out->apparmor, "# custom-device: slot '%s:%s'\n", iface_end_instance(slot),
                   slot->name);
    static const struct {
        const char *attr, *perm;
        uint32_t access;
    } devs[] = {{"devices", "rw", IFACE_FS_DEV_RW}, {"read-devices", "r", IFACE_FS_DEV_R}};
    for (size_t l = 0; l < 2; l++) {
        const struct sn_ynode *n = iface_end_attr(slot, devs[l].attr);
        for (size_t i = 0; n != NULL && i < n->n; i++) {
            const char *dev = n->items[i]->value;
            add_path(out, dev, devs[l].perm, devs[l].access);
            const struct sn_ynode *rule = rule_for(tags, dev);
            if (rule != NULL) {
                add_rule_device(out, rule);
                continue;
            }
            const char *kernel = dev + strlen("/dev/"), *base = basename_of(dev);
            iface_policy_add_device(out, NULL, kernel, NULL, NULL);
            if (base != kernel) { /* nested (/dev/input/event0): udev may name it either way */
                iface_policy_add_device(out, NULL, base, NULL, NULL);
            }
        }
    }
    const struct sn_ynode *files = iface_end_attr(slot, "files");
    for (size_t i = 0; files != NULL && i < files->n; i++) {
        bool write = strcmp(files->keys[i]->value, "write") == 0;
        const struct sn_ynode *l = files->items[i];
        for (size_t j = 0; j < l->n; j++) {
            add_path(out, l->items[j]->value, write ? "rw" : "r",
                     write ? IFACE_FS_RW : IFACE_FS_READ);
        }
    }
    return 0;
}

const struct iface_def iface_def_custom_device = {
    .name = "custom-device",
    .summary = "provides access to custom devices specified via the gadget snap",
    .decl = {.slot_snaps = IFACE_SNAP_GADGET | IFACE_SNAP_APP,
             .slot_grant = IFACE_SNAP_APP, /* snapd: every slot; we trust the model's gadget */
             .auto_connect = IFACE_AUTO_NO},
    .plug_attrs = plug_attrs,
    .slot_attrs = slot_attrs,
    .validate_slot = validate_slot,
    .check_connect = check_connect,
    .connected_plug = connected_plug,
};
