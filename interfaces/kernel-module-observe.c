/* SPDX-License-Identifier: GPL-3.0-only
 * kernel-module-observe: read information about loaded kernel modules.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can query kernel modules.\n"
    "@{PROC}/modules r,\n"
    "/sys/module/{,**} r,\n"
    "/etc/modprobe.d/{,**} r,\n"
    "/{,usr/}lib/modprobe.d/{,**} r,\n"
    "/{,usr/}bin/kmod ixr,\n"
    "/{,usr/}{,s}bin/{lsmod,modinfo} ixr,\n";

static const struct iface_fs_spec fs[] = {
    {"/sys/module", IFACE_FS_READ, false, false},
    {"/proc/modules", IFACE_FS_READ, true, false},
    {"/etc/modprobe.d", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_kernel_module_observe = {
    .name = "kernel-module-observe",
    .summary = "allows querying kernel module information",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .fs = fs},
};
