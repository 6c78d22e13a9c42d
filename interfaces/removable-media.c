/* SPDX-License-Identifier: GPL-3.0-only
 * removable-media: read/write files on removable storage mounted under /media, /run/media
 * and /mnt.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can access removable storage filesystems.\n"
    "/{,run/}media/ r,\n"
    "/{,run/}media/** mrwklix,\n"
    "/mnt/ r,\n"
    "/mnt/** mrwklix,\n";

static const struct iface_fs_spec fs[] = {
    {"/media", IFACE_FS_RW | IFACE_FS_EXEC, true, false},
    {"/run/media", IFACE_FS_RW | IFACE_FS_EXEC, true, false},
    {"/mnt", IFACE_FS_RW | IFACE_FS_EXEC, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_removable_media = {
    .name = "removable-media",
    .summary = "allows access to mounted removable storage",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .fs = fs},
};
