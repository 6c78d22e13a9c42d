/* SPDX-License-Identifier: GPL-3.0-only
 * serial-port: one serial port, named by the slot's `path` (/dev/ttyS0, /dev/ttyUSB0, ...),
 * or a USB serial adapter by `usb-vendor`/`usb-product`[/`usb-interface-number`] with `path`
 * naming the /dev/serial-port-NAME symlink the slot's udev rule creates. Slots come from the
 * gadget (or the system on classic).
 */
#include "iface-internal.h"

#include "banned.h"

static const struct iface_devpath param = {
    .node_re = "^/dev/tty(mxc|USB|ACM|AMA|XRUSB|S|O|SC|MSM|HS|GS|LP|RPMSG)[0-9]+$",
    .node_desc = "/dev/tty{S,USB,ACM,AMA,XRUSB,mxc,O,SC,MSM,HS,GS,LP,RPMSG}N",
    .subsystem = "tty",
    .symlink_re = "^/dev/serial-port-[a-z0-9]+$",
    .symlink_desc = "/dev/serial-port-NAME",
    .usb_apparmor = "/dev/tty[A-Z]*[0-9] rwk,\n",
};

static const struct iface_attr_spec slot_attrs[] = {
    {"path", IFACE_A_STRING, true, 0, 0, NULL,
     "device node (`/dev/ttyS0`, `/dev/ttyUSB0`, `/dev/ttyAMA0`...) or, with USB ids, the "
     "`/dev/serial-port-NAME` symlink to create"},
    {"usb-vendor", IFACE_A_INT, false, 1, 0xffff, NULL, "USB vendor id (e.g. `0x0403`)"},
    {"usb-product", IFACE_A_INT, false, 0, 0xffff, NULL, "USB product id (e.g. `0x6001`)"},
    {"usb-interface-number", IFACE_A_INT, false, 0, 31, NULL,
     "USB interface of a multi-port adapter"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

const struct iface_def iface_def_serial_port = {
    .name = "serial-port",
    .summary = "allows accessing a specific serial port",
    .decl = IFACE_DECL_GADGET,
    .slot_attrs = slot_attrs,
    .validate_slot = iface_devpath_validate_slot,
    .connected_plug = iface_devpath_connected_plug,
    .permanent_slot = iface_devpath_permanent_slot,
    .param = &param,
};
