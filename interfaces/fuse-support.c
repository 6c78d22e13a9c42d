/* SPDX-License-Identifier: GPL-3.0-only
 * fuse-support: mount FUSE filesystems (/dev/fuse, mount/umount of fuse.* types).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can mount FUSE filesystems.\n"
    "/dev/fuse rw,\n"
    "capability sys_admin,\n"
    "mount fstype=fuse.* options=(ro, nosuid, nodev) ** -> /**,\n"
    "mount fstype=fuse.* options=(rw, nosuid, nodev) ** -> /**,\n"
    "mount fstype=fuse options=(ro, nosuid, nodev) ** -> /**,\n"
    "mount fstype=fuse options=(rw, nosuid, nodev) ** -> /**,\n"
    "umount /**,\n"
    "/{,usr/}bin/fusermount{,3} ixr,\n"
    "/etc/fuse.conf r,\n"
    "@{PROC}/filesystems r,\n"
    "@{PROC}/@{pid}/mounts r,\n";

static const char seccomp[] =
    "# Description: Can mount FUSE filesystems.\n"
    "mount\n"
    "umount\n"
    "umount2\n";

static const struct iface_fs_spec fs[] = {
    {"/dev/fuse", IFACE_FS_DEV_RW, true, false},
    {"/etc/fuse.conf", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

static const struct iface_dev_spec devices[] = {
    {"misc", "fuse", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct iface_def iface_def_fuse_support = {
    .name = "fuse-support",
    .summary = "allows access to the FUSE file system",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs, .devices = devices},
};
