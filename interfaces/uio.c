/* SPDX-License-Identifier: GPL-3.0-only
 * uio: one Userspace I/O device, named by the slot's `path` (/dev/uioN), and its memory maps.
 */
#include "iface-internal.h"

#include "banned.h"

static const struct iface_devpath param = {
    .node_re = "^/dev/uio[0-9]+$",
    .node_desc = "/dev/uioN",
    .subsystem = "uio",
    .apparmor = "/sys/devices/**/uio/###KERNEL###/{,**} r,\n",
    .sysfs = "/sys/class/uio/###KERNEL###",
};

static const struct iface_attr_spec slot_attrs[] = {
    {"path", IFACE_A_STRING, true, 0, 0, NULL, "`/dev/uioN`"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

const struct iface_def iface_def_uio = {
    .name = "uio",
    .summary = "allows access to specific uio device",
    .decl = IFACE_DECL_GADGET,
    .slot_attrs = slot_attrs,
    .validate_slot = iface_devpath_validate_slot,
    .connected_plug = iface_devpath_connected_plug,
    .param = &param,
};
