/* SPDX-License-Identifier: GPL-3.0-only
 * mount.h: build the snap's mount namespace (docs/mount-plan.md). Runs in a fresh mount
 * namespace whose mounts are all slaves; ends with the base snap as "/".
 */
#ifndef CF_MOUNT_H
#define CF_MOUNT_H

#include "launch.h"

/* Bump when the mount plan changes: preserved namespaces built by another plan are rebuilt. */
#define CF_MOUNT_PLAN_VERSION 4

struct cf_paths {
    const char *root;     /* canonical root prefix: "/" or "/tmp/x" */
    const char *base_dir; /* host path of the base snap's mounted revision, "/" in host mode */
    const char *scratch;  /* host directory we may cover with a tmpfs (ROOT/run/snapd/ns) */
};

int cf_mount_build(const struct cf_paths *p, const struct cf_launch *l, struct sn_err *err) SN_WUR;
/* Host directory of the private /tmp of a snap instance. Caller frees. */
char *cf_private_tmp_dir(const char *root, const char *instance);

#endif
