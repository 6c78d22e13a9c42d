/* SPDX-License-Identifier: GPL-3.0-only
 * mount.h: read-only squashfs mounts of snap blobs through loop devices (LOOP_CONFIGURE with
 * LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR, so unmounting frees the loop device).
 */
#ifndef SNAPD_MOUNT_H
#define SNAPD_MOUNT_H

#include <stdbool.h>

#include "err.h"

/* Mount blob at dir (which must exist) as squashfs ro,nodev[,nosuid]. Idempotent: success when
 * dir already has a squashfs mounted from the same blob. */
int snap_mount(const char *blob, const char *dir, bool nosuid, struct sn_err *err) SN_WUR;
/* Unmount dir; success when nothing is mounted there. Busy mounts are detached lazily. */
int snap_unmount(const char *dir, struct sn_err *err) SN_WUR;
/* Is something mounted exactly at dir? Returns 1/0, or -errno. */
int snap_is_mounted(const char *dir);
/* Call fn for every mount point below prefix (mountinfo order). */
int snap_mounts_under(const char *prefix, void (*fn)(const char *mnt, void *data), void *data);

#endif
