/* SPDX-License-Identifier: GPL-3.0-only
 * trusted.h: open policy files only through root-owned paths.
 *
 * Every directory from "/" down must be a real directory (no symlinks) owned by root and not
 * writable by group or others, unless it has the sticky bit (like /tmp, where others cannot
 * rename a root-owned entry). The file must be a regular file owned by root, not writable by
 * group or others.
 */
#ifndef CF_TRUSTED_H
#define CF_TRUSTED_H

#include <stddef.h>

#include "err.h"

/* Open the directory at the absolute path dir (checked component by component); returns an
 * O_PATH directory fd (caller closes) or -errno. */
int cf_open_trusted_dir(const char *dir, struct sn_err *err) SN_WUR;
/* Read the file at rel (relative, "a/b/c") below the trusted directory dirfd, checking each
 * component, into a NUL-terminated heap buffer of at most max bytes (caller frees). */
int cf_read_trusted(int dirfd, const char *dirname, const char *rel, size_t max, char **out,
                    size_t *len, struct sn_err *err) SN_WUR;

#endif
