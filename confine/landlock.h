/* SPDX-License-Identifier: GPL-3.0-only
 * landlock.h: file system and TCP port confinement with Landlock, degraded to what the
 * kernel's ABI supports (docs/confinement.md "Landlock").
 */
#ifndef CF_LANDLOCK_H
#define CF_LANDLOCK_H

#include <stdint.h>

#include "env.h"
#include "launch.h"

/* The kernel's Landlock ABI version, 0 when Landlock is unavailable or disabled. */
int cf_landlock_abi(void);
/* Landlock access masks for the rule letters (CF_FS_*) at the given ABI. */
uint64_t cf_landlock_fs_access(uint32_t letters, int abi);
uint64_t cf_landlock_handled_fs(int abi);
/* Restrict the calling thread with the rules of l (paths as seen inside the namespace;
 * $SNAP_USER_DATA / $SNAP_USER_COMMON are replaced from u). Needs no_new_privs.
 * Returns 0, also when the kernel lacks Landlock and *applied is set to 0. */
int cf_landlock_apply(const struct cf_launch *l, const struct cf_user *u, int *abi_used,
                      struct sn_err *err) SN_WUR;

#endif
