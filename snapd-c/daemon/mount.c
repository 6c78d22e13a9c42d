/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "mount.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "xalloc.h"

#include "banned.h"

/* Decode mountinfo's octal escapes (\040 for space) in place. */
static void unescape(char *s) {
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' && p[2] <= '7' &&
            p[3] >= '0' && p[3] <= '7') {
            *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
            p += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

int snap_mounts_under(const char *prefix, void (*fn)(const char *mnt, void *data), void *data) {
    SN_AUTOFCLOSE FILE *f = fopen("/proc/self/mountinfo", "re");
    if (f == NULL) {
        return -errno;
    }
    size_t pl = strlen(prefix);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        /* id parent major:minor root mountpoint ... */
        char *save = NULL;
        char *tok = strtok_r(line, " ", &save);
        for (int i = 0; tok && i < 4; i++) {
            tok = strtok_r(NULL, " ", &save);
        }
        if (tok == NULL) {
            continue;
        }
        unescape(tok);
        if (strncmp(tok, prefix, pl) == 0 && (tok[pl] == '/' || tok[pl] == '\0')) {
            fn(tok, data);
        }
    }
    free(line);
    return 0;
}

struct find_exact {
    const char *dir;
    int found;
};

static void find_exact_cb(const char *mnt, void *data) {
    struct find_exact *fe = data;
    if (strcmp(mnt, fe->dir) == 0) {
        fe->found = 1;
    }
}

int snap_is_mounted(const char *dir) {
    char real[PATH_MAX];
    if (realpath(dir, real) == NULL) {
        return errno == ENOENT ? 0 : -errno;
    }
    struct find_exact fe = {real, 0};
    int r = snap_mounts_under(real, find_exact_cb, &fe);
    return r < 0 ? r : fe.found;
}

static int loop_attach(const char *blob, char *dev, size_t devlen, struct sn_err *err) {
    SN_AUTOCLOSE int bfd = open(blob, O_RDONLY | O_CLOEXEC);
    if (bfd < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", blob, strerror(errno));
    }
    SN_AUTOCLOSE int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (ctl < 0) {
        return sn_err_set(err, -errno, "cannot open /dev/loop-control: %s", strerror(errno));
    }
    for (int attempt = 0; attempt < 64; attempt++) {
        int n = ioctl(ctl, LOOP_CTL_GET_FREE);
        if (n < 0) {
            return sn_err_set(err, -errno, "cannot get a free loop device: %s", strerror(errno));
        }
        (void)snprintf(dev, devlen, "/dev/loop%d", n);
        int lfd = open(dev, O_RDONLY | O_CLOEXEC);
        if (lfd < 0 && errno == ENOENT) {
            /* no devtmpfs node yet: make one */
            (void)mknod(dev, S_IFBLK | 0660, makedev(7, (unsigned)n));
            lfd = open(dev, O_RDONLY | O_CLOEXEC);
        }
        if (lfd < 0) {
            return sn_err_set(err, -errno, "cannot open '%s': %s", dev, strerror(errno));
        }
        struct loop_config cfg;
        memset(&cfg, 0, sizeof(cfg));
        cfg.fd = (unsigned)bfd;
        cfg.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
        (void)snprintf((char *)cfg.info.lo_file_name, sizeof(cfg.info.lo_file_name), "%s", blob);
        int r = ioctl(lfd, LOOP_CONFIGURE, &cfg);
        int e = errno;
        if (r == 0) {
            /* keep lfd open until mounted: closing it now would autoclear the device */
            return lfd;
        }
        (void)close(lfd);
        if (e != EBUSY) {
            return sn_err_set(err, -e, "cannot attach '%s' to %s: %s", blob, dev, strerror(e));
        }
    }
    return sn_err_set(err, -EBUSY, "cannot attach '%s': no free loop device", blob);
}

int snap_mount(const char *blob, const char *dir, bool nosuid, struct sn_err *err) {
    int m = snap_is_mounted(dir);
    if (m > 0) {
        return 0;
    }
    char dev[64];
    int lfd = loop_attach(blob, dev, sizeof(dev), err);
    if (lfd < 0) {
        return lfd;
    }
    unsigned long flags = MS_RDONLY | MS_NODEV | (nosuid ? MS_NOSUID : 0);
    int r = mount(dev, dir, "squashfs", flags, NULL);
    int e = errno;
    (void)close(lfd); /* with the mount holding it, autoclear fires at unmount */
    if (r < 0) {
        return sn_err_set(err, -e, "cannot mount '%s' at '%s': %s%s", blob, dir, strerror(e),
                          e == EINVAL ? " (not a valid squashfs image?)" : "");
    }
    log_debug("mounted %s on %s via %s", blob, dir, dev);
    return 0;
}

int snap_unmount(const char *dir, struct sn_err *err) {
    int m = snap_is_mounted(dir);
    if (m <= 0) {
        return 0;
    }
    if (umount2(dir, UMOUNT_NOFOLLOW) == 0) {
        return 0;
    }
    if (errno == EBUSY && umount2(dir, MNT_DETACH | UMOUNT_NOFOLLOW) == 0) {
        log_warn("'%s' was busy; detached lazily", dir);
        return 0;
    }
    return sn_err_set(err, -errno, "cannot unmount '%s': %s", dir, strerror(errno));
}
