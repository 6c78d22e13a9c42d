/* SPDX-License-Identifier: GPL-3.0-only
 * base-contract.h: what a base snap must have so that snapc-confine can build an app's mount
 * namespace on it (docs/mount-plan.md, "A minimal base"). Keep in step with the rows of
 * confine/mount.c.
 *
 * The launcher binds or mounts onto these directories of the base. When one is missing it
 * makes it on a writable mimic of the nearest directory the base has, which must be a real
 * directory other than / itself: /var/snap and /var/lib/snapd are made when the base has a
 * /var directory. A directory at the top of the base (/snap, /tmp, /root...) cannot be made,
 * nor anything whose way goes through a symlink or a file.
 */
#ifndef SNAPD_BASE_CONTRACT_H
#define SNAPD_BASE_CONTRACT_H

enum base_entry {
    BASE_ENTRY_MISSING,
    BASE_ENTRY_DIR,   /* a real directory */
    BASE_ENTRY_OTHER, /* a symlink, a file, a device... */
};

/* What the base has at path, relative to its top ("var", "var/lib"). */
typedef enum base_entry (*base_lookup_fn)(void *ctx, const char *path);

/* The paths a base needs, relative to its top, in the order messages list them. */
extern const char *const base_contract_paths[];

/* The paths of the contract that the base lacks and the launcher cannot provide, each as the
 * entry the base must add ("/snap", "/var" when /var is missing, "/var/lib" when it is a
 * symlink), without duplicates. NULL-terminated; caller frees with sn_strv_free. */
char **base_contract_lacks(base_lookup_fn lookup, void *ctx);

#endif
