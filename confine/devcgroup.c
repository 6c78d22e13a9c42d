/* SPDX-License-Identifier: GPL-3.0-only
 * devcgroup.c: the device cgroup of a security tag, v1 and v2 (see devcgroup.h).
 */
#define _GNU_SOURCE
#include "devcgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "devcgroup-bpf.h"
#include "fault.h"
#include "fs.h"
#include "log.h"
#include "sha3.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

char *cf_devcgroup_name(const char *root, const char *tag) {
    if (strcmp(root, "/") == 0) {
        return xasprintf("snapc.%s", tag);
    }
    uint8_t d[CF_SHA3_384_SIZE];
    cf_sha3_384(root, strlen(root), d);
    return xasprintf("snapc-%02x%02x%02x%02x.%s", d[0], d[1], d[2], d[3], tag);
}

/* the name for a root that may not be canonical (the daemon's) */
static char *group_name(const char *root, const char *tag) {
    char real[PATH_MAX];
    return cf_devcgroup_name(realpath(root, real) ? real : root, tag);
}

bool cf_devcgroup_v1_available(void) {
    return !SN_FAULT_FAIL("devcgroup-v1") && access(CF_DEVCGROUP_V1 "/devices.allow", W_OK) == 0;
}

bool cf_devcgroup_standard_only(const struct cf_device *dev, size_t n) {
    static const struct {
        unsigned major;
        long minor;
    } std[] = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}, {136, -1}};
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < sizeof(std) / sizeof(std[0]) && !found; k++) {
            found =
                dev[i].type == 'c' && dev[i].major == std[k].major && dev[i].minor == std[k].minor;
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

/* ---- /proc/self/mountinfo ---- */

/* decode mountinfo's \ooo escapes in place */
static void unescape(char *s) {
    char *o = s;
    for (const char *p = s; *p;) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
            p[3] >= '0' && p[3] <= '7') {
            *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
            p += 4;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
}

char *cf_devcgroup_v2_mount_parse(const char *mountinfo) {
    SN_AUTOFREE char *copy = xstrdup(mountinfo);
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER */
        char *f[5] = {NULL};
        char *fsave = NULL;
        char *tok = strtok_r(line, " ", &fsave);
        for (int i = 0; i < 5 && tok; i++) {
            f[i] = tok;
            tok = strtok_r(NULL, " ", &fsave);
        }
        while (tok != NULL && strcmp(tok, "-") != 0) {
            tok = strtok_r(NULL, " ", &fsave);
        }
        const char *fstype = tok ? strtok_r(NULL, " ", &fsave) : NULL;
        if (f[4] != NULL && fstype != NULL && strcmp(fstype, "cgroup2") == 0 &&
            strcmp(f[3], "/") == 0) {
            unescape(f[4]);
            return xstrdup(f[4]);
        }
    }
    return NULL;
}

char *cf_devcgroup_v2_mount(void) {
    SN_AUTOFREE char *mi = NULL;
    size_t n = 0;
    if (sn_read_file("/proc/self/mountinfo", 16 << 20, &mi, &n, NULL) < 0) {
        return NULL;
    }
    return cf_devcgroup_v2_mount_parse(mi);
}

/* ---- v1 ---- */

static void v1_line(struct sn_strbuf *sb, const struct cf_device *d) {
    if (d->minor < 0) {
        sn_strbuf_addf(sb, "%c %u:*", d->type, d->major);
    } else {
        sn_strbuf_addf(sb, "%c %u:%ld", d->type, d->major, d->minor);
    }
}

/* is "KEY ACCESS" (a devices.list line) keyed by one of dev? exact: and granted rwm */
static bool v1_wanted(const char *line, const struct cf_device *dev, size_t n, bool exact) {
    const char *sp = strrchr(line, ' ');
    size_t klen = sp ? (size_t)(sp - line) : strlen(line);
    for (size_t i = 0; i < n; i++) {
        SN_AUTOSTRBUF struct sn_strbuf k = SN_STRBUF_INIT;
        v1_line(&k, &dev[i]);
        if (k.len == klen && memcmp(k.buf, line, klen) == 0 &&
            (!exact || (sp != NULL && strcmp(sp + 1, "rwm") == 0))) {
            return true;
        }
    }
    return false;
}

void cf_devcgroup_v1_plan(const char *have, const struct cf_device *dev, size_t n,
                          struct sn_strbuf *out) {
    SN_AUTOFREE char *copy = xstrdup(have);
    size_t nlines = 0;
    char **lines = NULL;
    bool all = false;
    char *save = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        all = all || strncmp(l, "a ", 2) == 0;
        lines = xrealloc(lines, (nlines + 1) * sizeof(*lines));
        lines[nlines++] = l;
    }
    if (all) {
        sn_strbuf_addstr(out, "deny a\n");
        nlines = 0;
    }
    for (size_t i = 0; i < n; i++) {
        SN_AUTOSTRBUF struct sn_strbuf want = SN_STRBUF_INIT;
        v1_line(&want, &dev[i]);
        sn_strbuf_addstr(&want, " rwm");
        bool present = false;
        for (size_t k = 0; k < nlines && !present; k++) {
            present = strcmp(lines[k], want.buf) == 0;
        }
        /* a device listed twice is allowed once */
        for (size_t k = 0; k < i && !present; k++) {
            present = dev[k].type == dev[i].type && dev[k].major == dev[i].major &&
                      dev[k].minor == dev[i].minor;
        }
        if (!present) {
            sn_strbuf_addf(out, "allow %s\n", want.buf);
        }
    }
    for (size_t k = 0; k < nlines; k++) {
        if (!v1_wanted(lines[k], dev, n, false)) {
            sn_strbuf_addf(out, "deny %s\n", lines[k]);
        }
    }
    free(lines);
}

static int write_at(int dfd, const char *file, const char *data, struct sn_err *err) {
    SN_AUTOCLOSE int fd = openat(dfd, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot open device cgroup file '%s': %s", file,
                          strerror(errno));
    }
    size_t n = strlen(data);
    ssize_t w = write(fd, data, n);
    if (w < 0 || (size_t)w != n) {
        return sn_err_set(err, w < 0 ? -errno : -EIO, "cannot write '%s' to device cgroup '%s': %s",
                          data, file, w < 0 ? strerror(errno) : "short write");
    }
    return 0;
}

/* Bring the v1 group (directory fd) to dev[0..n); *changed when anything was written. */
static int v1_set(int dfd, const char *name, const struct cf_device *dev, size_t n, bool *changed,
                  struct sn_err *err) {
    SN_AUTOCLOSE int lfd = openat(dfd, "devices.list", O_RDONLY | O_CLOEXEC);
    SN_AUTOFREE char *have = NULL;
    size_t hn = 0;
    int r = lfd < 0 ? sn_err_set(err, -errno, "cannot open '%s/devices.list': %s", name,
                                 strerror(errno))
                    : sn_read_fd(lfd, "devices.list", 1 << 20, &have, &hn, err);
    if (r < 0) {
        return r;
    }
    SN_AUTOSTRBUF struct sn_strbuf plan = SN_STRBUF_INIT;
    cf_devcgroup_v1_plan(have, dev, n, &plan);
    *changed = plan.len > 0;
    for (char *line = plan.buf; r == 0 && line && *line;) {
        char *nl = strchr(line, '\n');
        *nl = '\0';
        bool allow = strncmp(line, "allow ", 6) == 0;
        r = write_at(dfd, allow ? "devices.allow" : "devices.deny", line + (allow ? 6 : 5), err);
        line = nl + 1;
    }
    if (r < 0) {
        sn_err_prefix(err, "device cgroup '%s': ", name);
    }
    return r;
}

static int join(int dfd, const char *name, struct sn_err *err) {
    char pid[32];
    (void)snprintf(pid, sizeof(pid), "%d", (int)getpid());
    int r = write_at(dfd, "cgroup.procs", pid, err);
    if (r < 0) {
        sn_err_prefix(err, "cannot join device cgroup '%s': ", name);
    }
    return r;
}

static int v1_apply(const char *name, const struct cf_launch *l, struct sn_err *err) {
    SN_AUTOCLOSE int top = open(CF_DEVCGROUP_V1, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (top < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", CF_DEVCGROUP_V1, strerror(errno));
    }
    if (mkdirat(top, name, 0755) < 0 && errno != EEXIST) {
        return sn_err_set(err, -errno, "cannot create device cgroup '%s': %s", name,
                          strerror(errno));
    }
    SN_AUTOCLOSE int dfd = openat(top, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        return sn_err_set(err, -errno, "cannot open device cgroup '%s': %s", name, strerror(errno));
    }
    /* an existing group set up the same way is only joined */
    bool changed = false;
    int r = v1_set(dfd, name, l->dev, l->ndev, &changed, err);
    if (r < 0) {
        return r;
    }
    log_debug("device cgroup v1 %s: %zu devices allowed%s", name, l->ndev,
              changed ? " (updated)" : "");
    return join(dfd, name, err);
}

/* ---- v2 ---- */

static int v2_open_top(char **mnt_out, struct sn_err *err) {
    if (SN_FAULT_FAIL("devcgroup-v2-mount")) {
        return sn_err_set(err, -ENOENT, "no cgroup2 file system is mounted (fault injected)");
    }
    SN_AUTOFREE char *mnt = cf_devcgroup_v2_mount();
    if (mnt == NULL) {
        return sn_err_set(err, -ENOENT, "no cgroup2 file system is mounted");
    }
    int top = open(mnt, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (top < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", mnt, strerror(errno));
    }
    if (mnt_out != NULL) {
        *mnt_out = SN_TAKE_PTR(mnt);
    }
    return top;
}

static int v2_apply(const char *name, const struct cf_launch *l, struct sn_err *err) {
    SN_AUTOFREE char *mnt = NULL;
    SN_AUTOCLOSE int top = v2_open_top(&mnt, err);
    if (top < 0) {
        return top;
    }
    bool created = mkdirat(top, name, 0755) == 0;
    if (!created && errno != EEXIST) {
        return sn_err_set(err, -errno, "cannot create cgroup '%s/%s': %s", mnt, name,
                          strerror(errno));
    }
    /* a real fd (not O_PATH): BPF_PROG_ATTACH takes the cgroup by its directory fd */
    SN_AUTOCLOSE int cg = openat(top, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (cg < 0) {
        return sn_err_set(err, -errno, "cannot open cgroup '%s/%s': %s", mnt, name,
                          strerror(errno));
    }
    bool changed = false;
    int r = cf_devbpf_install(cg, l->dev, l->ndev, &changed, err);
    if (r < 0) {
        if (created) {
            (void)unlinkat(top, name, AT_REMOVEDIR);
        }
        sn_err_prefix(err, "cgroup '%s/%s': ", mnt, name);
        return r;
    }
    log_debug("device cgroup v2 %s/%s: %zu devices allowed%s", mnt, name, l->ndev,
              changed ? " (program attached)" : "");
    return join(cg, name, err);
}

/* ---- the launcher ---- */

int cf_devcgroup_lock(const char *root, bool exclusive, struct sn_err *err) {
    SN_AUTOFREE char *path = sn_path_join(root, CF_DEVCGROUP_LOCK);
    /* a 0600 file in root's directory: no user can open it to hold the lock, as one could
     * by flock()ing the world-readable directory itself */
    SN_AUTOCLOSE int fd = open(path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == ENOENT) {
            return -ENOENT;
        }
        return sn_err_set(err, -errno, "cannot open lock '%s': %s", path, strerror(errno));
    }
    /* the daemon does not wait forever: a launch its user stopped (SIGSTOP) while holding
     * the lock must not hang every later install or connection */
    int op = exclusive ? LOCK_EX | LOCK_NB : LOCK_SH;
    for (int waited = 0; flock(fd, op) < 0;) {
        if (errno == EWOULDBLOCK && waited < CF_DEVCGROUP_LOCK_WAIT_MS) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            (void)nanosleep(&ts, NULL);
            waited += 10;
        } else if (errno != EINTR) {
            return sn_err_set(
                err, errno == EWOULDBLOCK ? -ETIMEDOUT : -errno, "cannot lock '%s': %s", path,
                errno == EWOULDBLOCK ? "launches in progress held it too long" : strerror(errno));
        }
    }
    return SN_TAKE_FD(fd);
}

int cf_devcgroup_setup(const char *root, const struct cf_launch *l, bool landlock,
                       const char *forced, enum cf_devcg_mode *used, struct sn_err *err) {
    if (used != NULL) {
        *used = CF_DEVCG_NONE;
    }
    if (forced != NULL && strcmp(forced, "v1") != 0 && strcmp(forced, "v2") != 0) {
        return sn_err_set(err, -EINVAL, "SNAPC_DEVCGROUP must be 'v1' or 'v2', not '%s'", forced);
    }
    /* Only the standard nodes: Landlock's /dev rules (with nodev mounts and no mknod) confine
     * them; snap-confine skips the cgroup for tags without udev-tagged devices too, and a v1
     * attach waits for an RCU grace period (docs/confinement.md "Devices"). */
    if (landlock && cf_devcgroup_standard_only(l->dev, l->ndev)) {
        log_debug("only standard device nodes: no device cgroup");
        return 0;
    }
    SN_AUTOFREE char *name = cf_devcgroup_name(root, l->tag);
    bool v1 = forced ? strcmp(forced, "v1") == 0 : cf_devcgroup_v1_available();
    if (v1) {
        if (forced != NULL && !cf_devcgroup_v1_available()) {
            return sn_err_set(err, -ENOTSUP,
                              "SNAPC_DEVCGROUP=v1: no cgroup v1 devices controller at '%s'",
                              CF_DEVCGROUP_V1);
        }
        if (used != NULL) {
            *used = CF_DEVCG_V1;
        }
        return v1_apply(name, l, err);
    }
    int r = v2_apply(name, l, err);
    if (r < 0) {
        sn_err_prefix(err,
                      "refusing to run '%s': it needs a device cgroup, %s; cgroup v2: ", l->tag,
                      forced ? "SNAPC_DEVCGROUP=v2 was asked for"
                             : "there is no cgroup v1 devices controller");
        return r;
    }
    if (used != NULL) {
        *used = CF_DEVCG_V2;
    }
    return 0;
}

/* ---- the daemon ---- */

int cf_devcgroup_update(const char *root, const char *tag, const struct cf_device *dev, size_t n,
                        int *updated, struct sn_err *err) {
    SN_AUTOFREE char *name = group_name(root, tag);
    int count = 0;
    if (updated != NULL) {
        *updated = 0;
    }
    SN_AUTOCLOSE int v1 = open(CF_DEVCGROUP_V1, O_PATH | O_DIRECTORY | O_CLOEXEC);
    SN_AUTOCLOSE int g1 =
        v1 < 0 ? -1 : openat(v1, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (g1 >= 0) {
        bool changed = false;
        int r = v1_set(g1, name, dev, n, &changed, err);
        if (r < 0) {
            return r;
        }
        count += changed;
        log_debug("device cgroup v1 %s: %zu devices allowed%s", name, n,
                  changed ? " (updated)" : "");
    } else if (v1 >= 0 && errno != ENOENT) {
        return sn_err_set(err, -errno, "cannot open device cgroup '%s': %s", name, strerror(errno));
    }
    SN_AUTOFREE char *mnt = cf_devcgroup_v2_mount();
    SN_AUTOCLOSE int v2 = mnt ? open(mnt, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
    SN_AUTOCLOSE int g2 =
        v2 < 0 ? -1 : openat(v2, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (g2 >= 0) {
        bool changed = false;
        int r = cf_devbpf_install(g2, dev, n, &changed, err);
        if (r < 0) {
            sn_err_prefix(err, "cgroup '%s/%s': ", mnt, name);
            return r;
        }
        count += changed;
        log_debug("device cgroup v2 %s/%s: %zu devices allowed%s", mnt, name, n,
                  changed ? " (program replaced)" : "");
    } else if (v2 >= 0 && errno != ENOENT) {
        return sn_err_set(err, -errno, "cannot open cgroup '%s/%s': %s", mnt, name,
                          strerror(errno));
    }
    if (updated != NULL) {
        *updated = count;
    }
    return 0;
}

static void remove_under(const char *top, const char *prefix) {
    SN_AUTOCLOSEDIR DIR *d = opendir(top);
    struct dirent *de;
    while (d != NULL && (de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0 &&
            unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) < 0) {
            log_warn("cannot remove device cgroup '%s/%s': %s", top, de->d_name, strerror(errno));
        }
    }
}

void cf_devcgroup_remove(const char *root, const char *instance) {
    SN_AUTOFREE char *tag = xasprintf("snap.%s.", instance);
    SN_AUTOFREE char *prefix = group_name(root, tag);
    remove_under(CF_DEVCGROUP_V1, prefix);
    SN_AUTOFREE char *mnt = cf_devcgroup_v2_mount();
    if (mnt != NULL) {
        remove_under(mnt, prefix);
    }
}
