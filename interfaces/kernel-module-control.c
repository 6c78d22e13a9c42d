/* SPDX-License-Identifier: GPL-3.0-only
 * kernel-module-control: insert, remove and query kernel modules. Super-privileged.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can insert, remove and query kernel modules.\n"
    "capability sys_module,\n"
    "capability syslog,\n"
    "@{PROC}/modules r,\n"
    "/sys/module/{,**} r,\n"
    "/etc/modprobe.d/{,**} r,\n"
    "/{,usr/}lib/modprobe.d/{,**} r,\n"
    "/{,usr/}lib/modules/{,**} r,\n"
    "/{,usr/}bin/kmod ixr,\n"
    "/{,usr/}{,s}bin/{insmod,rmmod,modprobe,lsmod,modinfo,depmod} ixr,\n";

static const char seccomp[] =
    "# Description: Can insert, remove and query kernel modules.\n"
    "init_module\n"
    "finit_module\n"
    "delete_module\n";

static const struct iface_fs_spec fs[] = {
    {"/sys/module", IFACE_FS_READ, false, false},
    {"/proc/modules", IFACE_FS_READ, true, false},
    {"/lib/modules", IFACE_FS_READ, true, false},
    {"/usr/lib/modules", IFACE_FS_READ, true, false},
    {"/etc/modprobe.d", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_kernel_module_control = {
    .name = "kernel-module-control",
    .summary = "allows insertion, removal and querying of kernel modules",
    .decl = IFACE_DECL_PRIVILEGED,
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs},
};
