/* SPDX-License-Identifier: GPL-3.0-only
 * squashfs.h: read a .snap's metadata straight out of the squashfs image, without mounting it
 * (libsquashfs from squashfs-tools-ng). Reads the superblock, the directory tables on the path
 * to meta/ and the data of the files asked for; never the whole image.
 */
#ifndef SNAPD_SQUASHFS_H
#define SNAPD_SQUASHFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SNAP_IMAGE_MAX_FILE (1024 * 1024) /* largest meta/ file we read */

struct snap_image {
    uint64_t file_size;  /* bytes of the .snap file */
    uint64_t bytes_used; /* squashfs bytes (superblock), <= file_size */
    uint32_t block_size;
    const char *compression; /* static name: xz, gzip, lzo, lz4, zstd, lzma */
    uint32_t inode_count;
    uint32_t mkfs_time;
    char *snap_yaml; /* meta/snap.yaml, NUL-terminated, owned */
    size_t snap_yaml_len;
    char **hooks; /* NULL-terminated names of entries in meta/hooks, owned */
    bool has_gadget_yaml, has_kernel_yaml;
};

/* Read the metadata of a .snap file. Errors name the file: "'x.snap': not a squashfs image
 * (bad magic)", "... truncated ...", "... has no meta/snap.yaml". */
int snap_image_read(const char *path, struct snap_image *img, struct sn_err *err) SN_WUR;
/* Read one regular file (e.g. "meta/gadget.yaml") of at most max bytes. Caller owns *out. */
int snap_image_read_file(const char *path, const char *inner, size_t max, char **out, size_t *len,
                         struct sn_err *err) SN_WUR;
void snap_image_release(struct snap_image *img);
/* The paths a base snap needs for the launcher's mount plan that this image lacks and the
 * launcher cannot provide (base-contract.h), e.g. {"/snap", "/root", NULL}; empty when none.
 * Caller frees with sn_strv_free. */
int snap_image_base_lacks(const char *path, char ***lacks, struct sn_err *err) SN_WUR;

#endif
