/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "trusted.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "xalloc.h"

#include "banned.h"

static int check_dir(int fd, const char *shown, struct sn_err *err) {
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return sn_err_set(err, -errno, "cannot stat '%s': %s", shown, strerror(errno));
    }
    if (st.st_uid != 0) {
        return sn_err_set(err, -EPERM, "'%s' is not owned by root", shown);
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (st.st_mode & S_ISVTX) == 0) {
        return sn_err_set(err, -EPERM, "'%s' is writable by group or others", shown);
    }
    return 0;
}

/* Walk rel below dirfd; returns an O_PATH fd of the last directory and sets *last to the
 * final component. */
static int walk(int dirfd, const char *dirname, char *rel, char **last, struct sn_err *err) {
    SN_AUTOCLOSE int cur = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
    if (cur < 0) {
        return sn_err_set(err, -errno, "cannot duplicate descriptor: %s", strerror(errno));
    }
    char *comp = rel;
    for (;;) {
        char *slash = strchr(comp, '/');
        if (slash == NULL) {
            break;
        }
        *slash = '\0';
        int next = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            int e = errno;
            *slash = '/';
            return sn_err_set(err, -e, "cannot open '%s/%s': %s", dirname, rel, strerror(e));
        }
        (void)close(cur);
        cur = next;
        *slash = '/';
        SN_AUTOFREE char *shown = xasprintf("%s/%.*s", dirname, (int)(slash - rel), rel);
        int r = check_dir(cur, shown, err);
        if (r < 0) {
            return r;
        }
        comp = slash + 1;
    }
    *last = comp;
    return SN_TAKE_FD(cur);
}

int cf_open_trusted_dir(const char *dir, struct sn_err *err) {
    if (dir[0] != '/') {
        return sn_err_set(err, -EINVAL, "'%s' is not absolute", dir);
    }
    SN_AUTOCLOSE int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        return sn_err_set(err, -errno, "cannot open '/': %s", strerror(errno));
    }
    int r = check_dir(root, "/", err);
    if (r < 0) {
        return r;
    }
    if (dir[1] == '\0') {
        return SN_TAKE_FD(root);
    }
    SN_AUTOFREE char *rel = xasprintf("%s/", dir + 1); /* every component is a directory */
    char *last = NULL;
    return walk(root, "", rel, &last, err);
}

int cf_read_trusted(int dirfd, const char *dirname, const char *rel, size_t max, char **out,
                    size_t *len, struct sn_err *err) {
    SN_AUTOFREE char *copy = xstrdup(rel);
    char *last = NULL;
    SN_AUTOCLOSE int dfd = walk(dirfd, dirname, copy, &last, err);
    if (dfd < 0) {
        return dfd;
    }
    SN_AUTOCLOSE int fd = openat(dfd, last, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot open '%s/%s': %s", dirname, rel, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return sn_err_set(err, -errno, "cannot stat '%s/%s': %s", dirname, rel, strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return sn_err_set(err, -EPERM, "'%s/%s' is not a regular file", dirname, rel);
    }
    if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return sn_err_set(err, -EPERM, "'%s/%s' is not owned by root or is writable by others",
                          dirname, rel);
    }
    if ((size_t)st.st_size > max) {
        return sn_err_set(err, -EFBIG, "'%s/%s' is larger than %zu bytes", dirname, rel, max);
    }
    SN_AUTOFREE char *shown = xasprintf("%s/%s", dirname, rel);
    return sn_read_fd(fd, shown, max, out, len, err);
}
