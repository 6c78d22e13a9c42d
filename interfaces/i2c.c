/* SPDX-License-Identifier: GPL-3.0-only
 * i2c: one I2C bus, named by the slot's `path` (/dev/i2c-N), or one I2C device's sysfs
 * directory by `sysfs-name` (/sys/bus/i2c/devices/NAME).
 */
#include <errno.h>

#include "iface-internal.h"
#include "xalloc.h"

#include "banned.h"

static const struct iface_devpath param = {
    .node_re = "^/dev/i2c-[0-9]+$",
    .node_desc = "/dev/i2c-N",
    .subsystem = "i2c-dev",
    .apparmor = "/sys/devices/platform/{*,**.i2c}/###KERNEL###/** rw,\n",
};

static const struct iface_attr_spec slot_attrs[] = {
    {"path", IFACE_A_STRING, false, 0, 0, NULL, "`/dev/i2c-N` (or use `sysfs-name`)"},
    {"sysfs-name", IFACE_A_STRING, false, 0, 0, "^[a-zA-Z0-9_-]+$",
     "name under /sys/bus/i2c/devices (e.g. `1-0050`)"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static int validate_slot(const struct iface_def *d, const struct iface_end *slot,
                         struct sn_err *err) {
    bool path = iface_end_attr(slot, "path") != NULL;
    bool sysfs = iface_end_attr(slot, "sysfs-name") != NULL;
    if (path && sysfs) {
        return iface_end_fail(slot, err, -EINVAL, "use only one of 'path' and 'sysfs-name'");
    }
    if (sysfs) {
        return 0;
    }
    return iface_devpath_validate_slot(d, slot, err);
}

static int connected_plug(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    const char *name = iface_attr_str(iface_end_attr(&c->slot, "sysfs-name"));
    if (name == NULL) {
        return iface_devpath_connected_plug(d, c, env, out, err);
    }
    sn_strbuf_addf(&out->apparmor, "# i2c: slot '%s:%s'\n/sys/bus/i2c/devices/%s/** rw,\n",
                   iface_end_instance(&c->slot), c->slot.name, name);
    SN_AUTOFREE char *dir = xasprintf("/sys/bus/i2c/devices/%s", name);
    iface_policy_add_fs(out, dir, IFACE_FS_RW, true);
    return 0;
}

const struct iface_def iface_def_i2c = {
    .name = "i2c",
    .summary = "allows access to specific I2C controller",
    .decl = IFACE_DECL_GADGET,
    .slot_attrs = slot_attrs,
    .validate_slot = validate_slot,
    .connected_plug = connected_plug,
    .param = &param,
};
