/* SPDX-License-Identifier: GPL-3.0-only
 * system-observe: read system and process information (all processes, load, memory, cgroups,
 * kernel settings, socket diagnostics).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can query system status information.\n"
    "ptrace (read),\n"
    "capability sys_ptrace,\n"
    "@{PROC}/ r,\n"
    "@{PROC}/[0-9]*/ r,\n"
    "@{PROC}/[0-9]*/{cgroup,cmdline,comm,exe,io,loginuid,sessionid,stat,statm,status} r,\n"
    "@{PROC}/[0-9]*/task/ r,\n"
    "@{PROC}/[0-9]*/task/[0-9]*/{comm,stat,statm,status} r,\n"
    "@{PROC}/{cgroups,cmdline,cpuinfo,diskstats,filesystems,interrupts,loadavg,meminfo} r,\n"
    "@{PROC}/{modules,partitions,schedstat,softirqs,stat,swaps,uptime,version,vmstat} r,\n"
    "@{PROC}/{zoneinfo,pressure/*} r,\n"
    "@{PROC}/sys/{fs,kernel,vm}/{,**} r,\n"
    "/sys/devices/system/{cpu,node}/{,**} r,\n"
    "/sys/fs/cgroup/{,**} r,\n"
    "/sys/kernel/mm/transparent_hugepage/{,**} r,\n"
    "/boot/ r,\n"
    "/boot/config* r,\n"
    "/{etc,usr/lib}/os-release r,\n"
    "network netlink raw,\n";

static const char seccomp[] =
    "# Description: Can query system status information.\n"
    "# ss and other socket statistics\n"
    "socket AF_NETLINK - NETLINK_SOCK_DIAG\n";

static const struct iface_fs_spec fs[] = {
    {"/proc", IFACE_FS_READ, false, false},
    {"/sys/devices/system", IFACE_FS_READ, true, false},
    {"/sys/fs/cgroup", IFACE_FS_READ, true, false},
    {"/sys/kernel/mm/transparent_hugepage", IFACE_FS_READ, true, false},
    {"/boot", IFACE_FS_READ, true, false},
    {"/etc/os-release", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_system_observe = {
    .name = "system-observe",
    .summary = "allows observing all processes and drivers",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs},
};
