/* SPDX-License-Identifier: GPL-3.0-only
 * security.h: the daemon's security backends. From a snap's metadata and the interface
 * policy of each of its security tags, render and install everything snapc-confine reads
 * (docs/confinement.md):
 *
 *   ROOT/var/lib/snapd/confine/<tag>.launch          launch description (confine/launch.h)
 *   ROOT/var/lib/snapd/seccomp/bpf/<tag>.src, .bin2  seccomp source and compiled profile
 *   ROOT/var/lib/snapd/apparmor/profiles/<tag>       AppArmor profile
 *   ROOT/etc/udev/rules.d/70-snap.<instance>.rules   udev tags for granted devices
 *
 * Not linked into snapc-confine (it pulls libseccomp, nettle, libyaml).
 */
#ifndef SECURITY_SECURITY_H
#define SECURITY_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "policy.h"
#include "snap-yaml.h"

/* Fill *out (already initialised, empty) with the interface policy of tag. The interfaces
 * work plugs in here; NULL means "template only" (no interfaces connected). */
typedef int (*security_policy_fn)(const struct snap_info *info, const char *tag,
                                  struct iface_policy *out, void *data, struct sn_err *err);

struct security_opts {
    bool devmode;             /* installed with --devmode: log, do not enforce */
    bool host_root;           /* development: the host's / as root instead of the base snap */
    const char *instance_key; /* parallel installs, NULL for none */
};

/* Render, compile and install the profiles of every app and hook of info at revision.
 * Atomic per snap: everything is built in memory and written to temporary files first;
 * only then are they renamed into place, and files of tags the snap no longer has are
 * removed. On error nothing changes on disk (the previous profiles stay in force).
 * opts may be NULL. Classic snaps are refused (-ENOTSUP). */
int security_setup_snap(const char *root, const struct snap_info *info, const char *revision,
                        const struct security_opts *opts, security_policy_fn get_policy, void *data,
                        struct sn_err *err) SN_WUR;
/* Remove every profile of the instance, its udev rules, its preserved mount namespace, its
 * private /tmp and its device cgroups (those with processes left stay, with a warning). */
int security_remove_snap(const char *root, const char *instance, struct sn_err *err) SN_WUR;

/* Building blocks, exposed for the CLI's debug commands and for tests. */
extern const char security_seccomp_template[];
extern const char security_apparmor_template[];
/* dpkg architecture of this build (amd64, arm64, armhf, i386, riscv64, ...) */
const char *security_dpkg_arch(void);
/* Compile seccomp source text into a .bin2 blob; *blob heap, caller frees. Sets *usec to
 * the time libseccomp took (may be NULL). */
int security_compile_seccomp(const char *src, size_t len, uint8_t **blob, size_t *blob_len,
                             long *usec, struct sn_err *err) SN_WUR;

#endif
