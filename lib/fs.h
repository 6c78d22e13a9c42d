/* SPDX-License-Identifier: GPL-3.0-only
 * fs.h: file helpers that never exit. All return 0 or -errno and describe failures in err.
 */
#ifndef SN_FS_H
#define SN_FS_H

#include <stddef.h>
#include <sys/types.h>
#include "err.h"

/* Read a whole file of at most max bytes. *out is NUL-terminated; caller owns, free(). */
int sn_read_file(const char *path, size_t max, char **out, size_t *len, struct sn_err *err) SN_WUR;
int sn_read_fd(int fd, const char *what, size_t max, char **out, size_t *len,
               struct sn_err *err) SN_WUR;
/* Write data to path atomically: temp file in the same dir, fsync, rename, fsync the dir. */
int sn_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
                         struct sn_err *err) SN_WUR;
/* fsync the directory containing path. */
int sn_fsync_parent(const char *path, struct sn_err *err) SN_WUR;
/* mkdir -p (each missing component with mode). */
int sn_mkpath(const char *path, mode_t mode, struct sn_err *err) SN_WUR;
/* rm -rf without following symlinks or crossing mount points; a missing path is success. */
int sn_rm_rf(const char *path, struct sn_err *err) SN_WUR;
/* Point linkpath at target atomically (temp symlink + rename). */
int sn_symlink_atomic(const char *target, const char *linkpath, struct sn_err *err) SN_WUR;
/* Copy a regular file (data, mode) to dst atomically; fsynced. */
int sn_copy_file_atomic(const char *src, const char *dst, mode_t mode, struct sn_err *err) SN_WUR;
/* Join root prefix and an absolute or relative path: "/tmp/r" + "/var/x" -> "/tmp/r/var/x".
 * Root "/" or "" leaves the path as is. Caller owns the result. */
char *sn_path_join(const char *root, const char *path);
/* Go's path/filepath.Clean, lexically: collapse //, drop ., resolve .. against what precedes
 * it ("" gives "."). Caller owns. */
char *sn_path_clean(const char *path);
int sn_path_exists(const char *path);
int sn_is_dir(const char *path);

#endif
