/* SPDX-License-Identifier: GPL-3.0-only
 * ns.c: join or build the snap's mount namespace.
 *
 * Preserving: the namespace file is bind-mounted from the namespace we started in (the
 * initial one), never from inside the new namespace: on this kernel an nsfs bind made from a
 * non-initial namespace fails with EINVAL when namespace ids compare the wrong way
 * (DESIGN.md §4). So after building, we setns() back, bind /proc/self/fd/N (the new
 * namespace) onto the file, and setns() into the new namespace again; no helper process.
 * ROOT/run/snapd/ns is a private bind mount of itself so these nsfs mounts never propagate.
 *
 * Next to NAME.mnt, NAME.info records what the namespace was built from (snap revision,
 * base revision, digest of the mount entries); a namespace whose record differs is dropped
 * and built again.
 */
#define _GNU_SOURCE
#include "ns.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "log.h"
#include "mount.h"
#include "sha3.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

static int mkdir_root(const char *path, mode_t mode, struct sn_err *err) {
    if (sn_is_dir(path)) {
        return 0;
    }
    return sn_mkpath(path, mode, err);
}

static bool is_mount_root(const char *path) {
    struct statx stx;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) < 0) {
        return false;
    }
    return (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
           (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

static char *ns_info(const char *root, const struct cf_launch *l, const char *base_dir) {
    SN_AUTOSTRBUF struct sn_strbuf m = SN_STRBUF_INIT;
    for (size_t i = 0; i < l->nmounts; i++) {
        sn_strbuf_addf(&m, "%s%s %s %s\n", l->mounts[i].read_only ? "ro" : "rw",
                       l->mounts[i].optional ? "?" : "", l->mounts[i].source, l->mounts[i].target);
    }
    uint8_t d[CF_SHA3_384_SIZE];
    cf_sha3_384(m.buf, m.len, d);
    char hex[2 * CF_SHA3_384_SIZE + 1];
    for (size_t i = 0; i < sizeof(d); i++) {
        (void)snprintf(hex + 2 * i, 3, "%02x", d[i]);
    }
    SN_AUTOFREE char *bcopy = xstrdup(base_dir);
    return xasprintf("snapc-ns 1\nplan %d\nroot %s\nrevision %s\nbase %s %s\nmounts %s\n",
                     CF_MOUNT_PLAN_VERSION, root, l->revision, l->base, basename(bcopy), hex);
}

/* ns dir as a private bind mount of itself, once */
static int ns_dir_private(const char *nsdir, struct sn_err *err) {
    if (is_mount_root(nsdir)) {
        return 0;
    }
    if (mount(nsdir, nsdir, NULL, MS_BIND, NULL) < 0) {
        return sn_err_set(err, -errno, "cannot bind '%s' to itself: %s", nsdir, strerror(errno));
    }
    if (mount("none", nsdir, NULL, MS_PRIVATE, NULL) < 0) {
        return sn_err_set(err, -errno, "cannot make '%s' private: %s", nsdir, strerror(errno));
    }
    return 0;
}

static void preserve(int hostfd, const char *nsfile, const char *infofile, const char *info) {
    SN_AUTOCLOSE int newfd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    struct sn_err err = SN_ERR_INIT;
    if (newfd < 0 || setns(hostfd, CLONE_NEWNS) < 0) {
        log_warn("cannot preserve the mount namespace: %s", strerror(errno));
        return; /* still inside the new namespace */
    }
    SN_AUTOCLOSE int f = open(nsfile, O_CREAT | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
    char src[64];
    (void)snprintf(src, sizeof(src), "/proc/self/fd/%d", newfd);
    if (f < 0 || mount(src, nsfile, NULL, MS_BIND, NULL) < 0) {
        log_warn("cannot preserve the mount namespace in '%s': %s", nsfile, strerror(errno));
    } else if (sn_write_file_atomic(infofile, info, strlen(info), 0644, &err) < 0) {
        log_warn("%s", err.msg);
        (void)umount2(nsfile, MNT_DETACH);
    }
    if (setns(newfd, CLONE_NEWNS) < 0) {
        /* we are back in the host namespace: the launch must not go on */
        SN_BUG("cannot re-enter the new mount namespace: %s", strerror(errno));
    }
}

int cf_ns_enter(const char *root, const struct cf_launch *l, const char *base_dir, bool *joined,
                struct sn_err *err) {
    SN_AUTOFREE char *nsdir = sn_path_join(root, "/run/snapd/ns");
    SN_AUTOFREE char *lockdir = sn_path_join(root, "/run/snapd/lock");
    SN_AUTOFREE char *nsfile = xasprintf("%s/%s.mnt", nsdir, l->instance);
    SN_AUTOFREE char *infofile = xasprintf("%s/%s.info", nsdir, l->instance);
    SN_AUTOFREE char *lockfile = xasprintf("%s/%s.lock", lockdir, l->instance);
    int r;
    *joined = false;
    if ((r = mkdir_root(nsdir, 0755, err)) < 0 || (r = mkdir_root(lockdir, 0755, err)) < 0) {
        return r;
    }
    SN_AUTOCLOSE int lock = open(lockfile, O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (lock < 0) {
        return sn_err_set(err, -errno, "cannot open lock '%s': %s", lockfile, strerror(errno));
    }
    if (flock(lock, LOCK_EX) < 0) {
        return sn_err_set(err, -errno, "cannot lock '%s': %s", lockfile, strerror(errno));
    }
    SN_AUTOFREE char *want = ns_info(root, l, base_dir);
    SN_AUTOCLOSE int nsfd = open(nsfile, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct statfs sfs;
    if (nsfd >= 0 && fstatfs(nsfd, &sfs) == 0 && sfs.f_type == NSFS_MAGIC) {
        SN_AUTOFREE char *have = NULL;
        size_t n = 0;
        if (sn_read_file(infofile, 4096, &have, &n, NULL) == 0 && strcmp(have, want) == 0) {
            if (setns(nsfd, CLONE_NEWNS) < 0) {
                return sn_err_set(err, -errno, "cannot join the mount namespace of '%s': %s",
                                  l->instance, strerror(errno));
            }
            *joined = true;
            return 0;
        }
        log_debug("mount namespace of '%s' is stale, building it again", l->instance);
        if (umount2(nsfile, MNT_DETACH) < 0 && errno != EINVAL) {
            return sn_err_set(err, -errno, "cannot discard stale namespace '%s': %s", nsfile,
                              strerror(errno));
        }
    }
    if ((r = ns_dir_private(nsdir, err)) < 0) {
        return r;
    }
    SN_AUTOCLOSE int hostfd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    if (hostfd < 0) {
        return sn_err_set(err, -errno, "cannot open the current mount namespace: %s",
                          strerror(errno));
    }
    if (unshare(CLONE_NEWNS) < 0) {
        return sn_err_set(err, -errno, "cannot create a mount namespace: %s", strerror(errno));
    }
    if (mount("none", "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
        return sn_err_set(err, -errno, "cannot make mounts slaves: %s", strerror(errno));
    }
    struct cf_paths p = {root, base_dir, nsdir};
    if ((r = cf_mount_build(&p, l, err)) < 0) {
        return r;
    }
    preserve(hostfd, nsfile, infofile, want);
    return 0;
}
