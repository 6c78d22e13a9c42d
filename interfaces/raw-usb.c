/* SPDX-License-Identifier: GPL-3.0-only
 * raw-usb: talk to USB devices through usbfs (/dev/bus/usb), plus USB serial nodes, and
 * watch hotplug events.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can access USB devices directly.\n"
    "/dev/bus/usb/ r,\n"
    "/dev/bus/usb/[0-9][0-9][0-9]/ r,\n"
    "/dev/bus/usb/[0-9][0-9][0-9]/[0-9][0-9][0-9] rw,\n"
    "/dev/tty{USB,ACM}[0-9]* rwk,\n"
    "/sys/bus/usb/devices/ r,\n"
    "/sys/devices/**/usb[0-9]*/** r,\n"
    "/run/udev/data/c16[67]:[0-9]* r,\n"
    "/run/udev/data/+usb:* r,\n"
    "network netlink raw,\n";

static const char seccomp[] =
    "# Description: Can access USB devices directly.\n"
    "bind\n"
    "socket AF_NETLINK - NETLINK_KOBJECT_UEVENT\n";

static const struct iface_fs_spec fs[] = {
    {"/dev/bus/usb", IFACE_FS_DEV_RW, true, false},
    {"/dev/ttyUSB[0-9]*", IFACE_FS_DEV_RW, true, true},
    {"/dev/ttyACM[0-9]*", IFACE_FS_DEV_RW, true, true},
    {"/sys/bus/usb", IFACE_FS_READ, true, false},
    {"/sys/devices", IFACE_FS_READ, true, false},
    {"/run/udev/data", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

static const struct iface_dev_spec devices[] = {
    {"usb", NULL, NULL, NULL},
    {"usbmisc", NULL, NULL, NULL},
    {"tty", "ttyUSB[0-9]*", NULL, NULL},
    {"tty", "ttyACM[0-9]*", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct iface_def iface_def_raw_usb = {
    .name = "raw-usb",
    .summary = "allows raw access to all USB devices",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs, .devices = devices},
};
