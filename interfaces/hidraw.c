/* SPDX-License-Identifier: GPL-3.0-only
 * hidraw: one raw HID device, named by `path` (/dev/hidrawN), or by `usb-vendor`/`usb-product`
 * with `path` naming the /dev/hidraw-NAME symlink the slot's udev rule creates.
 */
#include "iface-internal.h"

#include "banned.h"

static const struct iface_devpath param = {
    .node_re = "^/dev/hidraw[0-9]{1,3}$",
    .node_desc = "/dev/hidrawN",
    .subsystem = "hidraw",
    .symlink_re = "^/dev/hidraw-[a-z0-9]+$",
    .symlink_desc = "/dev/hidraw-NAME",
    .usb_apparmor = "/dev/hidraw[0-9]{,[0-9],[0-9][0-9]} rw,\n",
};

static const struct iface_attr_spec slot_attrs[] = {
    {"path", IFACE_A_STRING, true, 0, 0, NULL,
     "`/dev/hidrawN`, or with USB ids the `/dev/hidraw-NAME` symlink to create"},
    {"usb-vendor", IFACE_A_INT, false, 1, 0xffff, NULL, "USB vendor id"},
    {"usb-product", IFACE_A_INT, false, 0, 0xffff, NULL, "USB product id"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

const struct iface_def iface_def_hidraw = {
    .name = "hidraw",
    .summary = "allows access to specific hidraw device",
    .decl = IFACE_DECL_GADGET,
    .slot_attrs = slot_attrs,
    .validate_slot = iface_devpath_validate_slot,
    .connected_plug = iface_devpath_connected_plug,
    .permanent_slot = iface_devpath_permanent_slot,
    .param = &param,
};
