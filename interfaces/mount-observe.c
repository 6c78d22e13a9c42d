/* SPDX-License-Identifier: GPL-3.0-only
 * mount-observe: read mount tables, swap and disk usage, and disk quota information.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can query mount information and disk quotas.\n"
    "@{PROC}/@{pid}/{mounts,mountinfo,mountstats} r,\n"
    "@{PROC}/{swaps,partitions,filesystems} r,\n"
    "/sys/devices/**/block/** r,\n"
    "/run/mount/utab r,\n"
    "/etc/fstab r,\n"
    "/{,usr/}bin/{df,findmnt,lsblk} ixr,\n";

static const char seccomp[] =
    "# Description: Can query mount information and disk quotas.\n"
    "quotactl Q_GETQUOTA - - -\n"
    "quotactl Q_GETINFO - - -\n"
    "quotactl Q_GETFMT - - -\n"
    "quotactl Q_XGETQUOTA - - -\n"
    "quotactl Q_XGETQSTAT - - -\n";

static const struct iface_fs_spec fs[] = {
    {"/run/mount", IFACE_FS_READ, true, false},
    {"/etc/fstab", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_mount_observe = {
    .name = "mount-observe",
    .summary = "allows reading mount table and quota information",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs},
};
