/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

int sn_read_fd(int fd, const char *what, size_t max, char **out, size_t *len, struct sn_err *err) {
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    for (;;) {
        sn_strbuf_grow(&sb, 65536);
        ssize_t n = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return sn_err_set(err, -errno, "cannot read '%s': %s", what, strerror(errno));
        }
        if (n == 0) {
            break;
        }
        sb.len += (size_t)n;
        sb.buf[sb.len] = '\0';
        if (sb.len > max) {
            return sn_err_set(err, -EFBIG, "cannot read '%s': larger than %zu bytes", what, max);
        }
    }
    *out = sn_strbuf_detach(&sb, len);
    return 0;
}

int sn_read_file(const char *path, size_t max, char **out, size_t *len, struct sn_err *err) {
    SN_AUTOCLOSE int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
        return sn_err_set(err, -EFBIG, "cannot read '%s': larger than %zu bytes", path, max);
    }
    return sn_read_fd(fd, path, max, out, len, err);
}

int sn_fsync_parent(const char *path, struct sn_err *err) {
    SN_AUTOFREE char *copy = xstrdup(path);
    const char *dir = dirname(copy);
    SN_AUTOCLOSE int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", dir, strerror(errno));
    }
    if (fsync(dfd) < 0) {
        return sn_err_set(err, -errno, "cannot sync '%s': %s", dir, strerror(errno));
    }
    return 0;
}

static int write_all(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int sn_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
                         struct sn_err *err) {
    SN_AUTOFREE char *tmp = xasprintf("%s.XXXXXX", path);
    SN_AUTOCLOSE int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot create temporary file for '%s': %s", path,
                          strerror(errno));
    }
    int r = write_all(fd, data, len);
    if (r == 0 && fchmod(fd, mode) < 0) {
        r = -errno;
    }
    if (r == 0 && fsync(fd) < 0) {
        r = -errno;
    }
    if (r == 0 && rename(tmp, path) < 0) {
        r = -errno;
    }
    if (r < 0) {
        (void)unlink(tmp);
        return sn_err_set(err, r, "cannot write '%s': %s", path, strerror(-r));
    }
    return sn_fsync_parent(path, err);
}

int sn_mkpath(const char *path, mode_t mode, struct sn_err *err) {
    SN_AUTOFREE char *p = xstrdup(path);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/') {
        p[--n] = '\0';
    }
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, mode) < 0 && errno != EEXIST) {
                int e = errno;
                return sn_err_set(err, -e, "cannot create directory '%s': %s", p, strerror(e));
            }
            if (c == '\0') {
                break;
            }
            *s = c;
        }
    }
    struct stat st;
    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
        return sn_err_set(err, -ENOTDIR, "cannot create directory '%s': %s", path,
                          strerror(ENOTDIR));
    }
    return 0;
}

static int rm_rf_at(int dfd, const char *name, dev_t dev, const char *top, struct sn_err *err) {
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno == ENOENT) {
            return 0;
        }
        return sn_err_set(err, -errno, "cannot remove '%s': %s", top, strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        if (st.st_dev != dev) {
            return sn_err_set(err, -EBUSY, "cannot remove '%s': a mount point is inside", top);
        }
        int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            return sn_err_set(err, -errno, "cannot remove '%s': %s", top, strerror(errno));
        }
        SN_AUTOCLOSEDIR DIR *d = fdopendir(fd);
        if (d == NULL) {
            int e = errno;
            (void)close(fd);
            return sn_err_set(err, -e, "cannot remove '%s': %s", top, strerror(e));
        }
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
                continue;
            }
            int r = rm_rf_at(dirfd(d), de->d_name, dev, top, err);
            if (r < 0) {
                return r;
            }
        }
        if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
            return sn_err_set(err, -errno, "cannot remove '%s': %s", top, strerror(errno));
        }
        return 0;
    }
    if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT) {
        return sn_err_set(err, -errno, "cannot remove '%s': %s", top, strerror(errno));
    }
    return 0;
}

int sn_rm_rf(const char *path, struct sn_err *err) {
    struct stat st;
    if (lstat(path, &st) < 0) {
        return errno == ENOENT
                   ? 0
                   : sn_err_set(err, -errno, "cannot remove '%s': %s", path, strerror(errno));
    }
    return rm_rf_at(AT_FDCWD, path, st.st_dev, path, err);
}

int sn_symlink_atomic(const char *target, const char *linkpath, struct sn_err *err) {
    for (int attempt = 0; attempt < 100; attempt++) {
        SN_AUTOFREE char *tmp = xasprintf("%s.tmp%d.%d", linkpath, (int)getpid(), attempt);
        if (symlink(target, tmp) < 0) {
            if (errno == EEXIST) {
                continue;
            }
            return sn_err_set(err, -errno, "cannot create symlink '%s': %s", linkpath,
                              strerror(errno));
        }
        if (rename(tmp, linkpath) < 0) {
            int e = errno;
            (void)unlink(tmp);
            return sn_err_set(err, -e, "cannot replace '%s': %s", linkpath, strerror(e));
        }
        return sn_fsync_parent(linkpath, err);
    }
    return sn_err_set(err, -EEXIST, "cannot create symlink '%s': too many stale temp links",
                      linkpath);
}

int sn_copy_file_atomic(const char *src, const char *dst, mode_t mode, struct sn_err *err) {
    SN_AUTOCLOSE int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", src, strerror(errno));
    }
    struct stat st;
    if (fstat(in, &st) < 0) {
        return sn_err_set(err, -errno, "cannot stat '%s': %s", src, strerror(errno));
    }
    SN_AUTOFREE char *tmp = xasprintf("%s.XXXXXX", dst);
    SN_AUTOCLOSE int out = mkostemp(tmp, O_CLOEXEC);
    if (out < 0) {
        return sn_err_set(err, -errno, "cannot create temporary file for '%s': %s", dst,
                          strerror(errno));
    }
    int r = 0;
    off_t left = st.st_size;
    while (left > 0) {
        /* copy_file_range shares extents on reflink filesystems and avoids user copies */
        ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
        if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL)) {
            n = sendfile(out, in, NULL, (size_t)left);
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            r = -errno;
            break;
        }
        if (n == 0) {
            r = -EIO; /* source shrank under us */
            break;
        }
        left -= n;
    }
    if (r == 0 && fchmod(out, mode) < 0) {
        r = -errno;
    }
    if (r == 0 && fsync(out) < 0) {
        r = -errno;
    }
    if (r == 0 && rename(tmp, dst) < 0) {
        r = -errno;
    }
    if (r < 0) {
        (void)unlink(tmp);
        return sn_err_set(err, r, "cannot copy '%s' to '%s': %s", src, dst, strerror(-r));
    }
    return sn_fsync_parent(dst, err);
}

char *sn_path_join(const char *root, const char *path) {
    if (root == NULL || root[0] == '\0' || strcmp(root, "/") == 0) {
        return xstrdup(path);
    }
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/') {
        rl--;
    }
    while (path[0] == '/') {
        path++;
    }
    return xasprintf("%.*s/%s", (int)rl, root, path);
}

int sn_path_exists(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0;
}

int sn_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- paths ---- */

char *sn_path_clean(const char *path) {
    size_t n = strlen(path);
    if (n == 0) {
        return xstrdup(".");
    }
    char *out = xmalloc(n + 2);
    size_t w = 0, r = 0, dotdot = 0;
    bool rooted = path[0] == '/';
    if (rooted) {
        out[w++] = '/';
        r = 1;
        dotdot = 1;
    }
    while (r < n) {
        if (path[r] == '/') {
            r++;
        } else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
            r++;
        } else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
            r += 2;
            if (w > dotdot) {
                w--;
                while (w > dotdot && out[w] != '/') {
                    w--;
                }
            } else if (!rooted) {
                if (w > 0) {
                    out[w++] = '/';
                }
                out[w++] = '.';
                out[w++] = '.';
                dotdot = w;
            }
        } else {
            if ((rooted && w != 1) || (!rooted && w != 0)) {
                out[w++] = '/';
            }
            for (; r < n && path[r] != '/'; r++) {
                out[w++] = path[r];
            }
        }
    }
    if (w == 0) {
        out[w++] = '.';
    }
    out[w] = '\0';
    return out;
}
