/* SPDX-License-Identifier: GPL-3.0-only
 * devcgroup.h: the device cgroup of a security tag (docs/confinement.md "Devices").
 *
 *   cgroup v1  the "devices" controller at /sys/fs/cgroup/devices: a group per tag with "a"
 *              denied and the tag's devices allowed (rwm).
 *   cgroup v2  where v1 is not available: a group per tag under the first cgroup2 mount of
 *              /proc/self/mountinfo, running the BPF device program of devcgroup-bpf.h.
 *
 * The launcher moves itself into the group before exec (cf_devcgroup_setup). The daemon's
 * profile setup updates the groups that exist when it commits new profiles
 * (cf_devcgroup_update), so running apps get the new device set at once. Both sides hold
 * the device lock (cf_devcgroup_lock) around reading/committing launch descriptions and
 * touching groups, so a launch that read an old description cannot undo an update.
 *
 * Compiled into snapc-confine and into the daemon's security library.
 */
#ifndef CF_DEVCGROUP_H
#define CF_DEVCGROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "launch.h"
#include "strbuf.h"

#define CF_DEVCGROUP_V1 "/sys/fs/cgroup/devices"
/* ROOT/var/lib/snapd/confine/.devices.lock (root-only, 0600) */
#define CF_DEVCGROUP_LOCK         "/var/lib/snapd/confine/.devices.lock"
#define CF_DEVCGROUP_LOCK_WAIT_MS 10000

enum cf_devcg_mode { CF_DEVCG_NONE, CF_DEVCG_V1, CF_DEVCG_V2 };

/* Group name: "snapc.<tag>" for root "/", "snapc-<8 hex of SHA3(root)>.<tag>" otherwise, so
 * tests with different roots never share a group. root must be canonical (realpath). With
 * tag "snap.NAME." it is the prefix of every group of instance NAME. Caller frees. */
char *cf_devcgroup_name(const char *root, const char *tag);
/* Whether dev[0..n) holds only the standard nodes every app gets (null, zero, full, random,
 * urandom, tty, console, ptmx, pts). */
bool cf_devcgroup_standard_only(const struct cf_device *dev, size_t n);
bool cf_devcgroup_v1_available(void);
/* Mount point of the first cgroup2 mount of its hierarchy's root ("/") in mountinfo text
 * (octal escapes decoded); NULL when there is none. Caller frees. */
char *cf_devcgroup_v2_mount_parse(const char *mountinfo);
/* The same from /proc/self/mountinfo. */
char *cf_devcgroup_v2_mount(void);
/* The writes that turn a v1 group whose devices.list is have into one allowing exactly
 * dev[0..n) without ever denying, in between, a device both allow: new entries are allowed
 * first, then entries no longer wanted are denied one by one; only a group that still allows
 * everything ("a *:* rwm") is reset with "a" first. Appends "allow LINE\n" / "deny LINE\n". */
void cf_devcgroup_v1_plan(const char *have, const struct cf_device *dev, size_t n,
                          struct sn_strbuf *out);

/* Take the device lock of root: shared for launches (waits as long as it takes), exclusive
 * for the daemon's commit and update (gives up with -ETIMEDOUT after
 * CF_DEVCGROUP_LOCK_WAIT_MS). Returns the fd (close to release) or -errno; -ENOENT when
 * ROOT/var/lib/snapd/confine does not exist (nothing is installed). A fork inherits the
 * lock: do not fork while holding it. */
int cf_devcgroup_lock(const char *root, bool exclusive, struct sn_err *err) SN_WUR;

/* Launcher: confine the caller's device access to l's devices. forced is SNAPC_DEVCGROUP
 * ("v1", "v2" or NULL: v1 where the devices controller is mounted, else v2). A tag with only
 * the standard nodes gets no group when Landlock limits /dev (landlock true). Fails when
 * the tag needs a group and neither v1 nor v2 works; *used (may be NULL) tells which. */
int cf_devcgroup_setup(const char *root, const struct cf_launch *l, bool landlock,
                       const char *forced, enum cf_devcg_mode *used, struct sn_err *err) SN_WUR;
/* Daemon: give the existing v1 and v2 groups of tag the device set dev[0..n) (tags without
 * a group need nothing: their next launch reads the new description). Sets *updated (may be
 * NULL) to the number of groups that changed. */
int cf_devcgroup_update(const char *root, const char *tag, const struct cf_device *dev, size_t n,
                        int *updated, struct sn_err *err) SN_WUR;
/* Remove the v1 and v2 groups of an instance; groups that still hold processes stay (with
 * a warning). */
void cf_devcgroup_remove(const char *root, const char *instance);

#endif
