/* SPDX-License-Identifier: GPL-3.0-only
 * iio: one Industrial I/O device, named by the slot's `path` (/dev/iio:deviceN), and its sysfs
 * attributes.
 */
#include "iface-internal.h"

#include "banned.h"

static const struct iface_devpath param = {
    .node_re = "^/dev/iio:device[0-9]+$",
    .node_desc = "/dev/iio:deviceN",
    .subsystem = "iio",
    .apparmor =
        "\"/sys/bus/iio/devices/###KERNEL###/\" r,\n"
        "\"/sys/devices/**/###KERNEL###/\" r,\n"
        "\"/sys/devices/**/###KERNEL###/**\" rwk,\n",
    .sysfs = "/sys/bus/iio/devices/###KERNEL###",
};

static const struct iface_attr_spec slot_attrs[] = {
    {"path", IFACE_A_STRING, true, 0, 0, NULL, "`/dev/iio:deviceN`"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

const struct iface_def iface_def_iio = {
    .name = "iio",
    .summary = "allows access to a specific IIO device",
    .decl = IFACE_DECL_GADGET,
    .slot_attrs = slot_attrs,
    .validate_slot = iface_devpath_validate_slot,
    .connected_plug = iface_devpath_connected_plug,
    .param = &param,
};
