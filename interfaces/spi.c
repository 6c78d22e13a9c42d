/* SPDX-License-Identifier: GPL-3.0-only
 * spi: one SPI device node, named by the slot's `path` (/dev/spidevB.C).
 */
#include "iface-internal.h"

#include "banned.h"

static const struct iface_devpath param = {
    .node_re = "^/dev/spidev[0-9]+\\.[0-9]+$",
    .node_desc = "/dev/spidevB.C",
    .subsystem = "spidev",
    .apparmor = "/sys/devices/platform/**/**.spi/**/###KERNEL###/** rw,\n",
};

static const struct iface_attr_spec slot_attrs[] = {
    {"path", IFACE_A_STRING, true, 0, 0, NULL, "`/dev/spidevB.C` (bus B, chip select C)"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

const struct iface_def iface_def_spi = {
    .name = "spi",
    .summary = "allows access to specific spi controller",
    .decl = IFACE_DECL_GADGET,
    .slot_attrs = slot_attrs,
    .validate_slot = iface_devpath_validate_slot,
    .connected_plug = iface_devpath_connected_plug,
    .param = &param,
};
