/* SPDX-License-Identifier: GPL-3.0-only
 * mount.c: the mount plan. Every entry is in docs/mount-plan.md; keep the two in step.
 */
#define _GNU_SOURCE
#include "mount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "log.h"
#include "xalloc.h"

#include "banned.h"

enum {
    M_REC = 1 << 0,      /* recursive bind */
    M_RO = 1 << 1,       /* read-only (top mount) */
    M_OPT_SRC = 1 << 2,  /* skip when the source is missing */
    M_OPT_DST = 1 << 3,  /* skip when the base has no mount point (and none can be made) */
    M_MAKE = 1 << 4,     /* a missing mount point is made on a writable mimic (make_target) */
    M_OPT_MAKE = 1 << 5, /* skip when the mount point is missing and cannot be made */
};

/* Host /etc files shared with the app when the base has a file to cover. */
static const char *const etc_files[] = {"passwd",   "group",       "hostname",
                                        "hosts",    "resolv.conf", "localtime",
                                        "timezone", "machine-id",  "os-release"};

static int remount_ro_flags(const char *dst, unsigned long extra, struct sn_err *err) {
    struct statvfs sv;
    if (statvfs(dst, &sv) < 0) {
        return sn_err_set(err, -errno, "cannot stat '%s': %s", dst, strerror(errno));
    }
    unsigned long fl = MS_REMOUNT | MS_BIND | MS_RDONLY | extra;
    fl |= (sv.f_flag & ST_NOSUID) ? MS_NOSUID : 0;
    fl |= (sv.f_flag & ST_NODEV) ? MS_NODEV : 0;
    fl |= (sv.f_flag & ST_NOEXEC) ? MS_NOEXEC : 0;
    fl |= (sv.f_flag & ST_NOATIME) ? MS_NOATIME : 0;
    fl |= (sv.f_flag & ST_NODIRATIME) ? MS_NODIRATIME : 0;
    fl |= (sv.f_flag & ST_RELATIME) ? MS_RELATIME : 0;
    if (mount("none", dst, NULL, fl, NULL) < 0) {
        return sn_err_set(err, -errno, "cannot remount '%s' read-only: %s", dst, strerror(errno));
    }
    return 0;
}

static int remount_ro(const char *dst, struct sn_err *err) {
    return remount_ro_flags(dst, 0, err);
}

/* Writable mimics (snap-update-ns's "writable mimic"): a tmpfs covers a base directory, and
 * every entry of the directory is bound back from a view of it, so only what was missing is
 * new. Made for the plan's own rows and for optional policy entries; sealed read-only once
 * every mount of the plan is in place. */
struct mimics {
    dev_t base_dev; /* the base snap: a directory on it may be covered */
    dev_t dev[8];   /* tmpfs mimics made so far: entries may be created on them */
    char *dir[8];   /* their paths (host side), remounted read-only when all are made */
    size_t n;
};

/* What one namespace build works on. */
struct plan {
    const char *scratch; /* ROOT/run/snapd/ns, a private tmpfs */
    const char *rootfs;  /* scratch/rootfs: the base, then everything the plan binds */
    const char *base;    /* the base snap's name, for messages */
    struct mimics mm;
};

static int mimic_dir(const char *scratch, const char *dir, struct mimics *mm, struct sn_err *err) {
    if (mm->n == sizeof(mm->dev) / sizeof(mm->dev[0])) {
        return sn_err_set(err, -E2BIG, "cannot mimic '%s': too many writable mimics", dir);
    }
    struct stat orig;
    if (stat(dir, &orig) < 0) {
        return sn_err_set(err, -errno, "cannot stat '%s': %s", dir, strerror(errno));
    }
    SN_AUTOFREE char *view = xasprintf("%s/mimic-%zu", scratch, mm->n);
    if (mkdir(view, 0700) < 0 || mount(dir, view, NULL, MS_BIND | MS_REC, NULL) < 0) {
        return sn_err_set(err, -errno, "cannot keep a view of '%s': %s", dir, strerror(errno));
    }
    SN_AUTOFREE char *opts = xasprintf("mode=%04o", (unsigned)(orig.st_mode & 07777));
    if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
        return sn_err_set(err, -errno, "cannot mount tmpfs on '%s': %s", dir, strerror(errno));
    }
    int r = 0;
    DIR *d = opendir(view);
    if (d == NULL) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", view, strerror(errno));
    }
    struct dirent *de;
    while (r == 0 && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
            continue;
        }
        SN_AUTOFREE char *from = xasprintf("%s/%s", view, de->d_name);
        SN_AUTOFREE char *to = xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        char link[PATH_MAX];
        if (lstat(from, &st) < 0) {
            r = sn_err_set(err, -errno, "cannot stat '%s': %s", from, strerror(errno));
        } else if (S_ISLNK(st.st_mode)) {
            ssize_t ln = readlink(from, link, sizeof(link) - 1);
            if (ln >= 0) {
                link[ln] = '\0';
            }
            if (ln < 0 || symlink(link, to) < 0) {
                r = sn_err_set(err, -errno, "cannot copy symlink '%s': %s", to, strerror(errno));
            }
        } else {
            int fd = S_ISDIR(st.st_mode) ? mkdir(to, 0755)
                                         : open(to, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
            if (fd < 0 || (!S_ISDIR(st.st_mode) && close(fd) < 0) ||
                mount(from, to, NULL, MS_BIND | MS_REC, NULL) < 0) {
                r = sn_err_set(err, -errno, "cannot bind back '%s': %s", to, strerror(errno));
            }
        }
    }
    closedir(d);
    if (umount2(view, MNT_DETACH) < 0 && r == 0) {
        r = sn_err_set(err, -errno, "cannot detach '%s': %s", view, strerror(errno));
    }
    struct stat st;
    if (r == 0 && stat(dir, &st) < 0) {
        r = sn_err_set(err, -errno, "cannot stat '%s': %s", dir, strerror(errno));
    }
    if (r == 0) {
        mm->dev[mm->n] = st.st_dev;
        mm->dir[mm->n++] = xstrdup(dir);
        log_debug("mount plan: writable mimic of %s", dir + strlen(scratch) + strlen("/rootfs"));
    }
    return r;
}

/* Make rootfs + target (a directory when dir, else an empty file) for a mount. Missing
 * components are created on a mimic; a base directory on the way is mimicked first. Returns 0
 * with *why set (and nothing made) when no place can be made for it: its nearest existing
 * directory is / itself (never mimicked), is reached through a symlink, is not a directory,
 * or is neither on the base nor on a mimic (another mount: /snap, /home, /tmp...). */
static int make_target(struct plan *pl, const char *target, bool dir, const char **why,
                       struct sn_err *err) {
    static char whybuf[PATH_MAX + 64];
    const char *rootfs = pl->rootfs;
    struct mimics *mm = &pl->mm;
    *why = NULL;
    SN_AUTOFREE char *path = xasprintf("%s%s", rootfs, target);
    size_t keep = strlen(rootfs);
    /* nearest existing ancestor: cut components until it exists */
    SN_AUTOFREE char *anc = xstrdup(path);
    struct stat st;
    for (;;) {
        char *slash = strrchr(anc, '/');
        if (slash == NULL || (size_t)(slash - anc) <= keep) {
            /* only / exists: no new top-level directories (a mimic of / would cover the
             * whole base) */
            *why = "the launcher makes no directory at the top of a base";
            return 0;
        }
        *slash = '\0';
        if (lstat(anc, &st) == 0) {
            break;
        }
        if (errno != ENOENT) {
            return sn_err_set(err, -errno, "cannot stat '%s': %s", anc, strerror(errno));
        }
    }
    /* we have not pivoted yet: a symlink on the way would resolve against the host's / */
    for (char *p = anc + keep + 1;; p++) {
        if (*p != '/' && *p != '\0') {
            continue;
        }
        char c = *p;
        *p = '\0';
        struct stat ls;
        bool link = lstat(anc, &ls) < 0 || S_ISLNK(ls.st_mode);
        if (link) {
            (void)snprintf(whybuf, sizeof(whybuf), "'%s' is a symlink", anc + keep);
            *why = whybuf;
            return 0;
        }
        *p = c;
        if (c == '\0') {
            break;
        }
    }
    if (!S_ISDIR(st.st_mode)) {
        (void)snprintf(whybuf, sizeof(whybuf), "'%s' is not a directory", anc + keep);
        *why = whybuf;
        return 0;
    }
    bool on_mimic = false;
    for (size_t i = 0; i < mm->n && !on_mimic; i++) {
        on_mimic = st.st_dev == mm->dev[i];
    }
    if (!on_mimic) {
        if (st.st_dev != mm->base_dev) {
            (void)snprintf(whybuf, sizeof(whybuf), "'%s' is another mount", anc + keep);
            *why = whybuf;
            return 0;
        }
        int r = mimic_dir(pl->scratch, anc, mm, err);
        if (r < 0) {
            return r;
        }
    }
    /* create the components below anc */
    for (char *p = path + strlen(anc) + 1;; p++) {
        if (*p != '/' && *p != '\0') {
            continue;
        }
        char c = *p;
        *p = '\0';
        bool last = c == '\0';
        int fd = (!last || dir) ? mkdir(path, 0755)
                                : open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0 || (last && !dir && close(fd) < 0)) {
            return sn_err_set(err, -errno, "cannot create '%s': %s", path + keep, strerror(errno));
        }
        if (last) {
            break;
        }
        *p = c;
    }
    log_debug("mount plan: made %s", target);
    return 0;
}

/* Why no mount point can be at rootfs + target: a directory on the way to it is a symlink
 * (before pivot_root it would resolve against the host's /; bases must have real
 * directories there). NULL when none is. */
static const char *symlink_on_way(const char *rootfs, const char *target) {
    static char whybuf[PATH_MAX + 64];
    SN_AUTOFREE char *path = xasprintf("%s%s", rootfs, target);
    size_t keep = strlen(rootfs);
    char *last = strrchr(path, '/');
    for (char *c = path + keep + 1; c <= last; c++) {
        if (*c != '/') {
            continue;
        }
        *c = '\0';
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
            (void)snprintf(whybuf, sizeof(whybuf), "'%s' is a symlink", path + keep);
            return whybuf;
        }
        *c = '/';
    }
    return NULL;
}

/* Bind src (host) onto rootfs + target. With M_MAKE, a target the base lacks is made first
 * (make_target); without a mount point the row is skipped (M_OPT_DST) or the launch fails. */
static int bind(struct plan *pl, const char *src, const char *target, int flags,
                struct sn_err *err) {
    SN_AUTOFREE char *dst = xasprintf("%s%s", pl->rootfs, target);
    struct stat ss, ds;
    if (stat(src, &ss) < 0) {
        if ((flags & M_OPT_SRC) && errno == ENOENT) {
            log_debug("mount plan: skip %s (no '%s')", target, src);
            return 0;
        }
        return sn_err_set(err, -errno, "cannot bind '%s': %s", src, strerror(errno));
    }
    const char *why = (flags & M_MAKE) ? symlink_on_way(pl->rootfs, target) : NULL;
    int lr = why != NULL ? -1 : lstat(dst, &ds);
    if (lr < 0 && why == NULL && errno == ENOENT && (flags & M_MAKE)) {
        int r = make_target(pl, target, S_ISDIR(ss.st_mode), &why, err);
        if (r < 0) {
            return r;
        }
        lr = why == NULL ? lstat(dst, &ds) : -1;
    }
    if (lr < 0 || S_ISLNK(ds.st_mode) || S_ISDIR(ds.st_mode) != S_ISDIR(ss.st_mode)) {
        if ((flags & M_OPT_DST) || (why != NULL && (flags & M_OPT_MAKE))) {
            log_debug("mount plan: skip %s (no mount point in the base%s%s)", target,
                      why ? ": " : "", why ? why : "");
            return 0;
        }
        return sn_err_set(err, -ENOENT, "cannot bind '%s': the base snap '%s' has no %s '%s'%s%s%s",
                          src, pl->base, S_ISDIR(ss.st_mode) ? "directory" : "file", target,
                          why ? " (" : "", why ? why : "",
                          why ? "; see docs/mount-plan.md, \"A minimal base\")" : "");
    }
    unsigned long fl = MS_BIND | ((flags & M_REC) ? MS_REC : 0);
    if (mount(src, dst, NULL, fl, NULL) < 0) {
        return sn_err_set(err, -errno, "cannot bind '%s' to '%s': %s", src, target,
                          strerror(errno));
    }
    log_debug("mount plan: %s <- %s%s%s", target, src, (flags & M_REC) ? " (rbind)" : "",
              (flags & M_RO) ? " (ro)" : "");
    return (flags & M_RO) ? remount_ro(dst, err) : 0;
}

/* Policy mount entries (docs/mount-plan.md row 16). */
static int policy_mounts(struct plan *pl, const struct cf_launch *l, struct sn_err *err) {
    int r = 0;
    for (size_t i = 0; r == 0 && i < l->nmounts; i++) {
        const struct cf_mount *m = &l->mounts[i];
        int flags = M_REC | (m->read_only ? M_RO : 0);
        /* optional entries are skipped when their source is missing or no place can be
         * made for them; the others need their target in the base */
        r = bind(pl, m->source, m->target,
                 flags | (m->optional ? M_OPT_SRC | M_MAKE | M_OPT_MAKE : 0), err);
    }
    return r;
}

/* Seal every mimic: read-only, no devices, no setuid. */
static int seal_mimics(struct mimics *mm, struct sn_err *err) {
    int r = 0;
    for (size_t i = 0; i < mm->n; i++) {
        if (r == 0) {
            r = remount_ro_flags(mm->dir[i], MS_NODEV | MS_NOSUID, err);
        }
        free(mm->dir[i]);
        mm->dir[i] = NULL;
    }
    mm->n = 0;
    return r;
}

char *cf_private_tmp_dir(const char *root, const char *instance) {
    SN_AUTOFREE char *rel = xasprintf("/tmp/snap-private-tmp/snap.%s/tmp", instance);
    return sn_path_join(root, rel);
}

/* ROOT/tmp/snap-private-tmp (0700 root) / snap.NAME (0700) / tmp (1777) */
static int private_tmp(const char *root, const char *instance, char **out, struct sn_err *err) {
    SN_AUTOFREE char *rtmp = sn_path_join(root, "/tmp");
    if (mkdir(rtmp, 01777) == 0 && chmod(rtmp, 01777) < 0) {
        return sn_err_set(err, -errno, "cannot chmod '%s': %s", rtmp, strerror(errno));
    }
    SN_AUTOFREE char *top = sn_path_join(root, "/tmp/snap-private-tmp");
    SN_AUTOFREE char *mid = xasprintf("%s/snap.%s", top, instance);
    SN_AUTOFREE char *dir = xasprintf("%s/tmp", mid);
    const char *const dirs[] = {top, mid, dir};
    const mode_t modes[] = {0700, 0700, 01777};
    for (int i = 0; i < 3; i++) {
        if (mkdir(dirs[i], modes[i]) == 0) {
            if (chmod(dirs[i], modes[i]) < 0) { /* past the umask */
                return sn_err_set(err, -errno, "cannot chmod '%s': %s", dirs[i], strerror(errno));
            }
        } else if (errno != EEXIST) {
            return sn_err_set(err, -errno, "cannot create '%s': %s", dirs[i], strerror(errno));
        }
        struct stat st;
        if (lstat(dirs[i], &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0) {
            return sn_err_set(err, -EPERM, "'%s' is not a root-owned directory", dirs[i]);
        }
    }
    *out = SN_TAKE_PTR(dir);
    return 0;
}

/* A directory at rootfs + target for what the plan puts there (a tmpfs, files): made when
 * the base lacks it and it can be made, else the launch fails naming it. */
static int need_dir(struct plan *pl, const char *target, const char *what, struct sn_err *err) {
    SN_AUTOFREE char *dst = xasprintf("%s%s", pl->rootfs, target);
    struct stat st;
    const char *why = symlink_on_way(pl->rootfs, target);
    int lr = why != NULL ? -1 : lstat(dst, &st);
    if (lr < 0 && why == NULL && errno == ENOENT) {
        int r = make_target(pl, target, true, &why, err);
        if (r < 0) {
            return r;
        }
        lr = why == NULL ? lstat(dst, &st) : -1;
    }
    if (lr < 0 || !S_ISDIR(st.st_mode)) {
        return sn_err_set(err, -ENOENT, "cannot %s: the base snap '%s' has no directory '%s'%s%s%s",
                          what, pl->base, target, why ? " (" : "", why ? why : "",
                          why ? "; see docs/mount-plan.md, \"A minimal base\")" : "");
    }
    return 0;
}

static int run_tmpfs(struct plan *pl, const char *root, struct sn_err *err) {
    int r = need_dir(pl, "/run", "mount a tmpfs on /run", err);
    if (r < 0) {
        return r;
    }
    SN_AUTOFREE char *dst = xasprintf("%s/run", pl->rootfs);
    if (mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
        return sn_err_set(err, -errno, "cannot mount tmpfs on /run: %s", strerror(errno));
    }
    SN_AUTOFREE char *lock = xasprintf("%s/run/lock", pl->rootfs);
    if (mkdir(lock, 01777) < 0 || chmod(lock, 01777) < 0) {
        return sn_err_set(err, -errno, "cannot create /run/lock: %s", strerror(errno));
    }
    /* snapctl's socket: a file to bind over */
    SN_AUTOFREE char *sock = sn_path_join(root, "/run/snapd-snap.socket");
    if (sn_path_exists(sock)) {
        SN_AUTOFREE char *t = xasprintf("%s/run/snapd-snap.socket", pl->rootfs);
        SN_AUTOCLOSE int fd = open(t, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0) {
            return sn_err_set(err, -errno, "cannot create '%s': %s", t, strerror(errno));
        }
        return bind(pl, sock, "/run/snapd-snap.socket", 0, err);
    }
    return 0;
}

/* Rows 2-16 of docs/mount-plan.md onto pl->rootfs (the base, already bound there). Every row
 * whose mount point the base lacks gets one made on a writable mimic where the base has a
 * real directory on the way other than / (docs/mount-plan.md, "A minimal base"). */
static int build(struct plan *pl, const struct cf_paths *p, const struct cf_launch *l,
                 struct sn_err *err) {
    bool host = strcmp(l->base, CF_BASE_HOST) == 0;
    bool host_root = strcmp(p->root, "/") == 0;
    struct stat st;
    if (stat(pl->rootfs, &st) < 0) {
        return sn_err_set(err, -errno, "cannot stat '%s': %s", pl->rootfs, strerror(errno));
    }
    pl->mm.base_dev = st.st_dev;
    SN_AUTOFREE char *home = sn_path_join(p->root, "/home");
    SN_AUTOFREE char *roothome = sn_path_join(p->root, "/root");
    SN_AUTOFREE char *snap = sn_path_join(p->root, "/snap");
    SN_AUTOFREE char *varsnap = sn_path_join(p->root, "/var/snap");
    SN_AUTOFREE char *varlib = sn_path_join(p->root, "/var/lib/snapd");
    SN_AUTOFREE char *tmp = NULL;
    int r = private_tmp(p->root, l->instance, &tmp, err);
    if (r < 0) {
        return r;
    }
    /* /home and /root are skipped when the base lacks them (they cannot be made: top-level);
     * the launch then fails only for the users whose home is there (main.c) */
    struct {
        const char *src, *target;
        int flags;
        bool skip;
    } rows[] = {
        {"/dev", "/dev", M_REC | M_MAKE, host},
        {"/proc", "/proc", M_REC | M_MAKE, host},
        {"/sys", "/sys", M_REC | M_MAKE, host},
        {home, "/home", M_REC | M_OPT_SRC | M_OPT_DST | M_MAKE, host && host_root},
        {roothome, "/root", M_OPT_SRC | M_OPT_DST | M_MAKE, host && host_root},
        {snap, "/snap", M_REC | M_RO | M_MAKE, false},
        {varsnap, "/var/snap", M_REC | M_OPT_SRC | M_MAKE, host && host_root},
        {varlib, "/var/lib/snapd", M_REC | M_RO | M_OPT_SRC | M_MAKE, false},
        {tmp, "/tmp", M_MAKE, false},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (!rows[i].skip && (r = bind(pl, rows[i].src, rows[i].target, rows[i].flags, err)) < 0) {
            return r;
        }
    }
    if (!host) {
        /* the host's files go there, and every Landlock ruleset names it */
        if ((r = need_dir(pl, "/etc", "share the host's /etc files", err)) < 0) {
            return r;
        }
        for (size_t i = 0; i < sizeof(etc_files) / sizeof(etc_files[0]); i++) {
            SN_AUTOFREE char *src = xasprintf("/etc/%s", etc_files[i]);
            r = bind(pl, src, src, M_RO | M_OPT_SRC | M_OPT_DST | M_MAKE, err);
            if (r < 0) {
                return r;
            }
        }
    }
    SN_AUTOFREE char *own = xasprintf("%s/snap/%s/%s", pl->rootfs, l->instance, l->revision);
    if ((r = remount_ro_flags(own, MS_NODEV | MS_NOSUID, err)) < 0) {
        return r;
    }
    if ((r = run_tmpfs(pl, p->root, err)) < 0) {
        return r;
    }
    if (l->instance_key[0] != '\0') {
        /* parallel instances see their own dirs under the snap's name (as snapd maps them) */
        SN_AUTOFREE char *is = xasprintf("%s/%s", snap, l->instance);
        SN_AUTOFREE char *it = xasprintf("/snap/%s", l->snap);
        SN_AUTOFREE char *ivs = xasprintf("%s/%s", varsnap, l->instance);
        SN_AUTOFREE char *ivt = xasprintf("/var/snap/%s", l->snap);
        if ((r = bind(pl, is, it, M_REC, err)) < 0 ||
            (r = bind(pl, ivs, ivt, M_REC | M_OPT_SRC | M_OPT_DST, err)) < 0) {
            return r;
        }
    }
    if ((r = policy_mounts(pl, l, err)) < 0) {
        return r;
    }
    return seal_mimics(&pl->mm, err);
}

int cf_mount_build(const struct cf_paths *p, const struct cf_launch *l, struct sn_err *err) {
    /* a tmpfs over the scratch dir holds the new root's mount point, so nothing is left
     * behind on the host */
    if (mount("tmpfs", p->scratch, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700") < 0) {
        return sn_err_set(err, -errno, "cannot mount scratch tmpfs on '%s': %s", p->scratch,
                          strerror(errno));
    }
    SN_AUTOFREE char *rootfs = xasprintf("%s/rootfs", p->scratch);
    if (mkdir(rootfs, 0755) < 0) {
        return sn_err_set(err, -errno, "cannot create '%s': %s", rootfs, strerror(errno));
    }
    if (mount(p->base_dir, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
        return sn_err_set(err, -errno, "cannot bind base '%s': %s", p->base_dir, strerror(errno));
    }
    /* the base and the snap never serve device nodes or setuid programs to the app,
     * whatever options the daemon mounted them with */
    int r = remount_ro_flags(rootfs, MS_NODEV | MS_NOSUID, err);
    if (r < 0) {
        return r;
    }
    struct plan pl = {p->scratch, rootfs, l->base, {0}};
    r = build(&pl, p, l, err);
    for (size_t i = 0; i < pl.mm.n; i++) {
        free(pl.mm.dir[i]);
    }
    if (r < 0) {
        return r;
    }
    /* pivot_root(".", ".") stacks the old root on the new one; detaching "." drops it */
    if (chdir(rootfs) < 0) {
        return sn_err_set(err, -errno, "cannot enter '%s': %s", rootfs, strerror(errno));
    }
    if (syscall(SYS_pivot_root, ".", ".") < 0) {
        return sn_err_set(err, -errno, "cannot pivot_root to the base snap: %s", strerror(errno));
    }
    if (umount2(".", MNT_DETACH) < 0) {
        return sn_err_set(err, -errno, "cannot detach the old root: %s", strerror(errno));
    }
    if (chdir("/") < 0) {
        return sn_err_set(err, -errno, "cannot enter '/': %s", strerror(errno));
    }
    return 0;
}
