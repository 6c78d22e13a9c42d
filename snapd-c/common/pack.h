/* SPDX-License-Identifier: GPL-3.0-only
 * pack.h: build a .snap from a directory the way `snap pack` does (validate, then mksquashfs
 * with snapd's options), writing the result atomically.
 */
#ifndef SNAPD_PACK_H
#define SNAPD_PACK_H

#include <stdbool.h>

#include "snap-yaml.h"

struct snap_pack_opts {
    const char *compression; /* xz (default), lzo, zstd, lz4, gzip */
    const char *filename;    /* override <name>_<version>_<arch>.snap; relative to outdir */
    bool check_only;         /* validate only (snap pack --check-skeleton) */
    bool quiet;              /* no mksquashfs progress */
};

#define SNAP_PACK_MIN_SIZE (16 * 1024)

/* Validate dir and write the .snap into outdir ("." when NULL). On success *out_path (caller
 * owns) names the file written. All validation problems go to probs. Nothing is left behind
 * on failure: the image is built in a temp file that is renamed into place at the end. */
int snap_pack(const char *dir, const char *outdir, const struct snap_pack_opts *opts,
              char **out_path, struct snap_problems *probs, struct sn_err *err) SN_WUR;

/* For a SIGINT/SIGTERM/SIGHUP handler (async-signal-safe): kill and reap a running mksquashfs,
 * unlink the temp image and the excludes file of a snap_pack in progress. The caller then
 * re-raises the signal. */
void snap_pack_interrupted(void);

#endif
