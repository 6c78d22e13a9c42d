/* SPDX-License-Identifier: GPL-3.0-only
 * snap-container.h: load a snap's metadata from an unpacked directory or a .snap file, and
 * the file-level checks snapd makes before packing (snap/container.go).
 */
#ifndef SNAPD_SNAP_CONTAINER_H
#define SNAPD_SNAP_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>

#include "snap-yaml.h"
#include "squashfs.h"

/* Load and validate DIR/meta/snap.yaml plus implicit hooks from DIR/meta/hooks. */
int snap_load_dir(const char *dir, struct snap_info **out, struct snap_problems *probs,
                  struct sn_err *err) SN_WUR;
/* Load and validate a .snap file's meta (without mounting). img may be NULL. */
int snap_load_file(const char *path, struct snap_info **out, struct snap_image *img,
                   struct snap_problems *probs, struct sn_err *err) SN_WUR;
/* The checks `snap pack` makes on the tree: commands and hooks exist and are executable,
 * permissions readable, no device nodes/fifos/sockets, no symlinks leaving the tree, meta
 * files the type needs. Adds every problem to probs; returns 0 or -EINVAL (err = first). */
int snap_check_dir(const char *dir, const struct snap_info *info, struct snap_problems *probs,
                   struct sn_err *err) SN_WUR;

/* meta/snapshots.yaml rules (snapd snap/snapshots.go): exclude paths under $SNAP_DATA & co,
 * clean, no glob brackets. */
int snap_check_snapshots_yaml(const char *path, struct sn_err *err) SN_WUR;

/* SHA3-384 of a whole file as base64url without padding (snapd's snap-sha3-384), cached in
 * the user.snapc.sha3-384 xattr keyed by size and mtime so repeated `snapc info` is cheap.
 * Verification paths (install) must pass use_cache=false. */
int snap_file_digest(const char *path, bool use_cache, char out[65], uint64_t *size,
                     struct sn_err *err) SN_WUR;
#endif
