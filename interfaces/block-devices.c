/* SPDX-License-Identifier: GPL-3.0-only
 * block-devices: raw access to whole disks (not partitions unless the plug sets
 * `allow-partitions: true`). Super-privileged.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can access raw disk block devices.\n"
    "@{PROC}/devices r,\n"
    "@{PROC}/partitions r,\n"
    "/run/udev/data/b[0-9]*:[0-9]* r,\n"
    "/sys/block/ r,\n"
    "/sys/devices/**/block/** r,\n"
    "/sys/dev/block/ r,\n"
    "/sys/devices/**/nvme/**/dev r,\n"
    "/dev/sd{,[a-h]}[a-z] rwk,\n"
    "/dev/sdi[a-v] rwk,\n"
    "/dev/hd[a-t] rwk,\n"
    "/dev/vd[a-z] rwk,\n"
    "/dev/mmcblk[0-9]{,[0-9],[0-9][0-9]} rwk,\n"
    "/dev/nvme{[0-9],[1-9][0-9]}n{[1-9],[1-5][0-9],6[0-3]} rwk,\n"
    "/dev/nvme{[0-9],[1-9][0-9]} rwk,\n"
    "/dev/loop[0-9]{,[0-9],[0-9][0-9]} rwk,\n"
    "/dev/loop-control rw,\n"
    "capability sys_rawio,\n"
    "capability sys_admin,\n"
    "/{,usr/}sbin/{blkid,mke2fs,mkfs.fat,mkfs.ext4} ixr,\n";

static const char apparmor_partitions[] =
    "/dev/sd[a-z][1-9]{,[0-6]} rwk,\n"
    "/dev/hd[a-t][1-9]{,[0-6]} rwk,\n"
    "/dev/vd[a-z][1-9]{,[0-9]} rwk,\n"
    "/dev/mmcblk[0-9]{,[0-9],[0-9][0-9]}p[1-9]{,[0-9]} rwk,\n"
    "/dev/loop[0-9]{,[0-9],[0-9][0-9]}p[1-9]{,[0-9]} rwk,\n"
    "/dev/nvme{[0-9],[1-9][0-9]}n{[1-9],[1-5][0-9],6[0-3]}p[1-9]{,[0-9],[0-9][0-9]} rwk,\n";

static const struct iface_fs_spec fs[] = {
    {"/dev/sd[a-z]", IFACE_FS_DEV_RW, true, true},
    {"/dev/vd[a-z]", IFACE_FS_DEV_RW, true, true},
    {"/dev/hd[a-t]", IFACE_FS_DEV_RW, true, true},
    {"/dev/mmcblk[0-9]", IFACE_FS_DEV_RW, true, true},
    {"/dev/mmcblk[0-9][0-9]", IFACE_FS_DEV_RW, true, true},
    {"/dev/nvme[0-9]", IFACE_FS_DEV_RW, true, true},
    {"/dev/nvme[0-9]n[0-9]", IFACE_FS_DEV_RW, true, true},
    {"/dev/loop[0-9]", IFACE_FS_DEV_RW, true, true},
    {"/dev/loop[0-9][0-9]", IFACE_FS_DEV_RW, true, true},
    {"/dev/loop-control", IFACE_FS_DEV_RW, true, false},
    {"/sys/block", IFACE_FS_READ, true, false},
    {"/sys/dev/block", IFACE_FS_READ, true, false},
    {"/sys/devices", IFACE_FS_READ, true, false},
    {"/run/udev/data", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

static const struct iface_fs_spec fs_partitions[] = {
    {"/dev/sd[a-z][0-9]*", IFACE_FS_DEV_RW, true, true},
    {"/dev/vd[a-z][0-9]*", IFACE_FS_DEV_RW, true, true},
    {"/dev/mmcblk[0-9]*p[0-9]*", IFACE_FS_DEV_RW, true, true},
    {"/dev/nvme[0-9]*n[0-9]*p[0-9]*", IFACE_FS_DEV_RW, true, true},
    {"/dev/loop[0-9]*p[0-9]*", IFACE_FS_DEV_RW, true, true},
    {NULL, 0, false, false},
};

/* whole disks by kernel name (udev KERNEL== globs, fnmatch when resolving existing ones), so
 * no match depends on udev properties */
static const struct iface_dev_spec devices[] = {
    {"block", "sd[a-z]", NULL, NULL},
    {"block", "sd[a-z][a-z]", NULL, NULL},
    {"block", "hd[a-t]", NULL, NULL},
    {"block", "vd[a-z]", NULL, NULL},
    {"block", "mmcblk[0-9]", NULL, NULL},
    {"block", "mmcblk[0-9][0-9]", NULL, NULL},
    {"block", "nvme[0-9]n[0-9]", NULL, NULL},
    {"block", "nvme[0-9]n[0-9][0-9]", NULL, NULL},
    {"block", "loop[0-9]", NULL, NULL},
    {"block", "loop[0-9][0-9]", NULL, NULL},
    {"block", "loop[0-9][0-9][0-9]", NULL, NULL},
    {"nvme", "nvme[0-9]", NULL, NULL},
    {"misc", "loop-control", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct iface_dev_spec devices_partitions[] = {
    {"block", "sd[a-z][0-9]*", NULL, NULL},
    {"block", "hd[a-t][0-9]*", NULL, NULL},
    {"block", "vd[a-z][0-9]*", NULL, NULL},
    {"block", "mmcblk[0-9]*p[0-9]*", NULL, NULL},
    {"block", "nvme[0-9]*n[0-9]*p[0-9]*", NULL, NULL},
    {"block", "loop[0-9]*p[0-9]*", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct iface_attr_spec plug_attrs[] = {
    {"allow-partitions", IFACE_A_BOOL, false, 0, 0, NULL,
     "`true`: also allow individual partitions (default `false`)"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static int connected_plug(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    if (iface_attr_bool(iface_end_attr(&c->plug, "allow-partitions")) == 1) {
        struct iface_snippets parts = {
            .apparmor = apparmor_partitions, .fs = fs_partitions, .devices = devices_partitions};
        iface_add_snippets(out, &parts, d->name, "allow-partitions");
    }
    return 0;
}

const struct iface_def iface_def_block_devices = {
    .name = "block-devices",
    .summary = "allows access to disk block devices",
    .decl = IFACE_DECL_PRIVILEGED,
    .plug = {.apparmor = apparmor, .fs = fs, .devices = devices},
    .plug_attrs = plug_attrs,
    .connected_plug = connected_plug,
};
