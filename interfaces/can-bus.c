/* SPDX-License-Identifier: GPL-3.0-only
 * can-bus: use SocketCAN (raw and broadcast-manager CAN sockets).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can use CAN networking (SocketCAN).\n"
    "network can,\n"
    "/sys/class/net/ r,\n"
    "/sys/devices/**/net/** r,\n";

static const char seccomp[] =
    "# Description: Can use CAN networking (SocketCAN).\n"
    "bind\n"
    "socket AF_CAN - CAN_RAW\n"
    "socket AF_CAN - CAN_BCM\n";

static const struct iface_fs_spec fs[] = {
    {"/sys/class/net", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_can_bus = {
    .name = "can-bus",
    .summary = "allows access to the CAN bus",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs},
};
