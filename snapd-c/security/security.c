/* SPDX-License-Identifier: GPL-3.0-only
 * security.c: security_setup_snap / security_remove_snap (see security.h).
 */
#define _GNU_SOURCE
#include "security.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "devcgroup.h"
#include "fault.h"
#include "fs.h"
#include "hash.h"
#include "launch-format.h"
#include "log.h"
#include "render.h"
#include "seccomp-src.h"
#include "xalloc.h"

#include "banned.h"

extern char **environ;

const char *security_dpkg_arch(void) {
#if defined(__x86_64__)
    return "amd64";
#elif defined(__aarch64__)
    return "arm64";
#elif defined(__arm__)
    return "armhf";
#elif defined(__i386__)
    return "i386";
#elif defined(__riscv) && __riscv_xlen == 64
    return "riscv64";
#elif defined(__powerpc64__)
    return "ppc64el";
#elif defined(__s390x__)
    return "s390x";
#else
#error "unknown architecture: add its dpkg name"
#endif
}

int security_compile_seccomp(const char *src, size_t len, uint8_t **blob, size_t *blob_len,
                             long *usec, struct sn_err *err) {
    struct timespec t0, t1;
    (void)clock_gettime(CLOCK_MONOTONIC, &t0);
    struct sc_src s;
    int r = sc_src_parse(src, len, &s, err);
    if (r < 0) {
        return r;
    }
    r = sc_compile(&s, blob, blob_len, NULL, err);
    sc_src_release(&s);
    (void)clock_gettime(CLOCK_MONOTONIC, &t1);
    if (usec) {
        *usec = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
    }
    return r;
}

/* ---- staged files: temp files first, renamed together ---- */

struct staged {
    char *final;
    char *tmp;
};

struct stage {
    struct staged *v;
    size_t n;
};

/* Is final already a root-owned 0644 regular file holding exactly data? */
static bool unchanged(const char *final, const void *data, size_t len) {
    SN_AUTOCLOSE int fd = open(final, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
        (st.st_mode & 07777) != 0644 || (size_t)st.st_size != len) {
        return false;
    }
    SN_AUTOFREE char *buf = xmalloc(len + 1);
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return false;
        }
        got += (size_t)n;
    }
    return memcmp(buf, data, len) == 0;
}

/* Stage data for final; a file that already holds it is left alone (connecting an interface
 * rewrites only what changes). */
static int stage_file(struct stage *st, const char *final, const void *data, size_t len,
                      struct sn_err *err) {
    if (unchanged(final, data, len)) {
        return 0;
    }
    SN_AUTOFREE char *tmp = xasprintf("%s.tmp-XXXXXX", final);
    SN_AUTOCLOSE int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot create temporary file for '%s': %s", final,
                          strerror(errno));
    }
    const char *p = data;
    size_t left = len;
    int r = 0;
    while (left > 0 && r == 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno != EINTR) {
            r = -errno;
        } else if (w > 0) {
            p += w;
            left -= (size_t)w;
        }
    }
    if (r == 0 && fchmod(fd, 0644) < 0) {
        r = -errno;
    }
    if (r < 0) {
        (void)unlink(tmp);
        return sn_err_set(err, r, "cannot write '%s': %s", tmp, strerror(-r));
    }
    st->v = xrealloc(st->v, (st->n + 1) * sizeof(*st->v));
    st->v[st->n++] = (struct staged){xstrdup(final), SN_TAKE_PTR(tmp)};
    return 0;
}

static void stage_release(struct stage *st, bool unlink_tmp) {
    for (size_t i = 0; i < st->n; i++) {
        if (unlink_tmp && st->v[i].tmp) {
            (void)unlink(st->v[i].tmp);
        }
        free(st->v[i].final);
        free(st->v[i].tmp);
    }
    free(st->v);
    memset(st, 0, sizeof(*st));
}

/* Flush every file system holding a staged file: one syncfs per file system instead of an
 * fsync per file and per directory (a connection rewrites tens of small files; each fsync is
 * a journal commit, 1-10 ms on an SD card or a loaded VM). */
static int stage_sync(const struct stage *st, struct sn_err *err) {
    dev_t done[4];
    size_t ndone = 0;
    for (size_t i = 0; i < st->n; i++) {
        SN_AUTOFREE char *dir = xstrdup(st->v[i].final);
        char *slash = strrchr(dir, '/');
        if (slash != NULL && slash != dir) {
            *slash = '\0';
        }
        SN_AUTOCLOSE int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct stat sb;
        if (fd < 0 || fstat(fd, &sb) < 0) {
            return sn_err_set(err, -errno, "cannot open '%s': %s", dir, strerror(errno));
        }
        bool seen = false;
        for (size_t k = 0; k < ndone && !seen; k++) {
            seen = done[k] == sb.st_dev;
        }
        if (seen) {
            continue;
        }
        if (syncfs(fd) < 0) {
            return sn_err_set(err, -errno, "cannot sync '%s': %s", dir, strerror(errno));
        }
        if (ndone < sizeof(done) / sizeof(done[0])) {
            done[ndone++] = sb.st_dev;
        }
    }
    return 0;
}

static int stage_commit(struct stage *st, struct sn_err *err) {
    /* the data of every temporary file is on disk before any rename */
    int r = stage_sync(st, err);
    if (r < 0) {
        return r;
    }
    /* seccomp blobs come before the launch descriptions that record their digests (the
     * caller stages them in that order), so a crash in between leaves a launch file that
     * refuses to start, never one that starts with the wrong filter */
    for (size_t i = 0; i < st->n; i++) {
        if (rename(st->v[i].tmp, st->v[i].final) < 0) {
            return sn_err_set(err, -errno, "cannot rename '%s': %s", st->v[i].tmp, strerror(errno));
        }
        free(st->v[i].tmp);
        st->v[i].tmp = NULL;
    }
    /* and the renames are */
    return stage_sync(st, err);
}

/* ---- helpers ---- */

static const char *const profile_dirs[] = {"/var/lib/snapd/confine", "/var/lib/snapd/seccomp/bpf",
                                           "/var/lib/snapd/apparmor/profiles"};

static bool apparmor_kernel(void) {
    SN_AUTOFREE char *v = NULL;
    size_t n = 0;
    return sn_read_file("/sys/module/apparmor/parameters/enabled", 16, &v, &n, NULL) == 0 &&
           v[0] == 'Y';
}

static int run_prog(char *const argv[], struct sn_err *err) {
    pid_t pid;
    int r = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (r != 0) {
        return sn_err_set(err, -r, "cannot run '%s': %s", argv[0], strerror(r));
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return sn_err_set(err, -errno, "cannot wait for '%s': %s", argv[0], strerror(errno));
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return sn_err_set(err, -EIO, "'%s' failed (status %d)", argv[0], status);
    }
    return 0;
}

/* Remove files of the instance in dir that are not in keep (basenames). */
static void remove_stale(const char *dir, const char *instance, char **keep, bool aa) {
    SN_AUTOFREE char *prefix = xasprintf("snap.%s.", instance);
    SN_AUTOCLOSEDIR DIR *d = opendir(dir);
    struct dirent *de;
    while (d != NULL && (de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0) {
            continue;
        }
        bool kept = false;
        for (size_t i = 0; keep && keep[i] && !kept; i++) {
            kept = strcmp(keep[i], de->d_name) == 0;
        }
        if (kept) {
            continue;
        }
        SN_AUTOFREE char *p = xasprintf("%s/%s", dir, de->d_name);
        if (aa && strchr(de->d_name + strlen(prefix), '.') == NULL) {
            char *argv[] = {"apparmor_parser", "-R", p, NULL};
            (void)run_prog(argv, NULL);
        }
        if (unlink(p) < 0 && errno != ENOENT) {
            log_warn("cannot remove '%s': %s", p, strerror(errno));
        }
    }
}

static void strv_push(char ***v, size_t *n, char *s) {
    *v = xrealloc(*v, (*n + 2) * sizeof(**v));
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

/* ---- device cgroups of running apps ---- */

/* The device list of a tag's new launch description, kept until the descriptions are
 * committed: then the groups of running apps get it (cf_devcgroup_update). */
struct tag_devs {
    char *tag;
    struct cf_device *v;
    size_t n;
};

static void tag_devs_set(struct tag_devs *td, const char *tag, const struct sec_devices *devs) {
    td->tag = xstrdup(tag);
    td->v = xcalloc(devs->n ? devs->n : 1, sizeof(*td->v));
    for (size_t i = 0; i < devs->n; i++) {
        td->v[i] = (struct cf_device){devs->v[i].type, devs->v[i].major, devs->v[i].minor};
    }
    td->n = devs->n;
}

static void tag_devs_free(struct tag_devs *td, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(td[i].tag);
        free(td[i].v);
    }
    free(td);
}

/* Give the existing device cgroups of the snap's tags their new device sets. Called with the
 * device lock held, right after the launch descriptions are committed. */
static int update_devcgroups(const char *root, const struct tag_devs *td, size_t n,
                             struct sn_err *err) {
    if (SN_FAULT_FAIL("devcgroup-update")) {
        return sn_err_set(err, -EIO, "cannot update device cgroups (fault injected)");
    }
    for (size_t i = 0; i < n; i++) {
        int changed = 0;
        int r = cf_devcgroup_update(root, td[i].tag, td[i].v, td[i].n, &changed, err);
        if (r < 0) {
            sn_err_prefix(err, "cannot update the device cgroup of '%s': ", td[i].tag);
            return r;
        }
        if (changed > 0) {
            log_debug("%s: device cgroup updated (%zu devices)", td[i].tag, td[i].n);
        }
    }
    return 0;
}

/* ---- setup ---- */

/* Compiled seccomp profiles by source text (without its first line, which names the tag):
 * the apps of a snap mostly share one policy, so one setup compiles each text once. */
struct blob_cache {
    struct {
        char *body;
        uint8_t *blob;
        size_t len;
    } v[16];
    size_t n;
};

static void blob_cache_release(struct blob_cache *c) {
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].body);
        free(c->v[i].blob);
    }
    c->n = 0;
}

static uint8_t *memdup(const uint8_t *p, size_t n) {
    uint8_t *c = xmalloc(n ? n : 1);
    memcpy(c, p, n);
    return c;
}

static const char *src_body(const char *src) {
    const char *nl = strchr(src, '\n');
    return nl ? nl + 1 : src;
}

/* The installed blob of a tag when its installed source is src and the installed launch
 * description records the blob's digest (what the launcher checks): reusing it saves
 * libseccomp's ~6 ms per tag when a connection changes no seccomp rule. */
static bool installed_blob(const char *srcf, const char *binf, const char *lnf,
                           const struct sn_strbuf *src, uint8_t **blob, size_t *blen) {
    SN_AUTOFREE char *launch = NULL, *bin = NULL;
    size_t ln = 0, bn = 0;
    if (!unchanged(srcf, src->buf, src->len) ||
        sn_read_file(binf, 2 * 32768 + 128, &bin, &bn, NULL) < 0 ||
        sn_read_file(lnf, 256 * 1024, &launch, &ln, NULL) < 0) {
        return false;
    }
    uint8_t digest[SN_SHA3_384_SIZE];
    sn_sha3_384_buf(bin, bn, digest);
    char hex[2 * SN_SHA3_384_SIZE + 1];
    sn_hex(digest, sizeof(digest), hex);
    SN_AUTOFREE char *line = xasprintf("\nseccomp %s %zu\n", hex, bn);
    if (strstr(launch, line) == NULL) {
        return false;
    }
    *blob = (uint8_t *)SN_TAKE_PTR(bin);
    *blen = bn;
    return true;
}

static int compile_src(const char *srcf, const char *binf, const char *lnf,
                       const struct sn_strbuf *src, struct blob_cache *cache, uint8_t **blob,
                       size_t *blen, struct sn_err *err) {
    const char *body = src_body(src->buf);
    for (size_t i = 0; i < cache->n; i++) {
        if (strcmp(cache->v[i].body, body) == 0) {
            *blob = memdup(cache->v[i].blob, cache->v[i].len);
            *blen = cache->v[i].len;
            return 0;
        }
    }
    if (!installed_blob(srcf, binf, lnf, src, blob, blen)) {
        int r = security_compile_seccomp(src->buf, src->len, blob, blen, NULL, err);
        if (r < 0) {
            return r;
        }
    }
    if (cache->n < sizeof(cache->v) / sizeof(cache->v[0])) {
        cache->v[cache->n].body = xstrdup(body);
        cache->v[cache->n].blob = memdup(*blob, *blen);
        cache->v[cache->n++].len = *blen;
    }
    return 0;
}

static int setup_tag(const char *root, struct sec_target *t, struct iface_policy *pol,
                     const struct iface_policy *snapwide, struct blob_cache *cache,
                     struct stage *blobs, struct stage *launches, struct sn_strbuf *udev,
                     struct tag_devs *td, char ***keep, size_t *nkeep, struct sn_err *err) {
    SN_AUTOSTRBUF struct sn_strbuf src = SN_STRBUF_INIT;
    SN_AUTOSTRBUF struct sn_strbuf aa = SN_STRBUF_INIT;
    SN_AUTOSTRBUF struct sn_strbuf launch = SN_STRBUF_INIT;
    SN_AUTOFREE uint8_t *blob = NULL;
    size_t blen = 0;
    struct sec_devices devs = {NULL, 0};
    SN_AUTOFREE char *bpfdir = sn_path_join(root, profile_dirs[1]);
    SN_AUTOFREE char *srcf = xasprintf("%s/%s.src", bpfdir, t->tag);
    SN_AUTOFREE char *binf = xasprintf("%s/%s.bin2", bpfdir, t->tag);
    SN_AUTOFREE char *aadir = sn_path_join(root, profile_dirs[2]);
    SN_AUTOFREE char *aaf = xasprintf("%s/%s", aadir, t->tag);
    SN_AUTOFREE char *lndir = sn_path_join(root, profile_dirs[0]);
    SN_AUTOFREE char *lnf = xasprintf("%s/%s.launch", lndir, t->tag);
    sec_render_seccomp_src(t, pol, &src);
    int r = compile_src(srcf, binf, lnf, &src, cache, &blob, &blen, err);
    if (r == 0) {
        uint8_t digest[SN_SHA3_384_SIZE];
        sn_sha3_384_buf(blob, blen, digest);
        sec_devices_resolve(pol, &devs);
        tag_devs_set(td, t->tag, &devs);
        r = sec_render_launch(root, t, pol, snapwide, &devs, digest, blen, &launch, err);
    }
    if (r == 0) {
        sec_render_apparmor(t, pol, &aa);
        sec_render_udev(t, pol, udev);
        if ((r = stage_file(blobs, srcf, src.buf, src.len, err)) == 0 &&
            (r = stage_file(blobs, binf, blob, blen, err)) == 0 &&
            (r = stage_file(blobs, aaf, aa.buf, aa.len, err)) == 0) {
            r = stage_file(launches, lnf, launch.buf, launch.len, err);
        }
        strv_push(keep, nkeep, xasprintf("%s.src", t->tag));
        strv_push(keep, nkeep, xasprintf("%s.bin2", t->tag));
        strv_push(keep, nkeep, xasprintf("%s.launch", t->tag));
        strv_push(keep, nkeep, xstrdup(t->tag));
    }
    if (r < 0 && err && strstr(err->msg, t->tag) == NULL) {
        sn_err_prefix(err, "%s: ", t->tag);
    }
    sec_devices_release(&devs);
    return r;
}

int security_setup_snap(const char *root, const struct snap_info *info, const char *revision,
                        const struct security_opts *opts, security_policy_fn get_policy, void *data,
                        struct sn_err *err) {
    struct security_opts o = {false, false, NULL};
    if (opts != NULL) {
        o = *opts;
    }
    const char *key = o.instance_key ? o.instance_key : "";
    if (!cf_valid_snap_name(info->name) || (key[0] && !cf_valid_instance_key(key))) {
        return sn_err_set(err, -EINVAL, "invalid snap instance name '%s'", info->name);
    }
    if (!cf_valid_revision(revision)) {
        return sn_err_set(err, -EINVAL, "invalid revision '%s'", revision);
    }
    if (info->confinement == SNAP_CONFINE_CLASSIC) {
        return sn_err_setk(err, -ENOTSUP, "snap-classic-not-supported",
                           "snap '%s' uses classic confinement, which is not supported on this "
                           "device",
                           info->name);
    }
    SN_AUTOFREE char *instance = key[0] ? xasprintf("%s_%s", info->name, key) : xstrdup(info->name);
    const char *base = o.host_root ? CF_BASE_HOST : (info->base ? info->base : "core");
    if (!o.host_root && !cf_valid_snap_name(base)) {
        return sn_err_set(err, -EINVAL, "snap '%s' has base '%s', which cannot be used", info->name,
                          base);
    }
    for (size_t i = 0; i < sizeof(profile_dirs) / sizeof(profile_dirs[0]); i++) {
        SN_AUTOFREE char *d = sn_path_join(root, profile_dirs[i]);
        int r = sn_mkpath(d, 0755, err);
        if (r < 0) {
            return r;
        }
    }
    struct stage blobs = {NULL, 0}, launches = {NULL, 0};
    SN_AUTOSTRBUF struct sn_strbuf udev = SN_STRBUF_INIT;
    SN_AUTOSTRV char **keep = NULL;
    size_t nkeep = 0;
    int r = 0;
    size_t ntags = info->napps + info->nhooks;
    struct sec_target *targets = xcalloc(ntags ? ntags : 1, sizeof(*targets));
    struct iface_policy *pols = xcalloc(ntags ? ntags : 1, sizeof(*pols));
    struct iface_policy snapwide; /* mount entries of every tag: one namespace per snap */
    iface_policy_init(&snapwide);
    for (size_t i = 0; i < ntags; i++) {
        struct sec_target *t = &targets[i];
        t->info = info;
        t->instance = instance;
        t->instance_key = key;
        t->revision = revision;
        t->base = base;
        t->devmode = o.devmode || info->confinement == SNAP_CONFINE_DEVMODE;
        if (i < info->napps) {
            t->app = &info->apps[i];
            (void)snprintf(t->tag, sizeof(t->tag), "snap.%s.%s", instance, t->app->name);
        } else {
            t->hook = &info->hooks[i - info->napps];
            (void)snprintf(t->tag, sizeof(t->tag), "snap.%s.hook.%s", instance, t->hook->name);
        }
        iface_policy_init(&pols[i]);
    }
    for (size_t i = 0; i < ntags && r == 0; i++) {
        if (get_policy != NULL && (r = get_policy(info, targets[i].tag, &pols[i], data, err)) < 0) {
            sn_err_prefix(err, "%s: ", targets[i].tag);
            break;
        }
        for (size_t m = 0; m < pols[i].nmounts; m++) {
            const struct iface_mount *mt = &pols[i].mounts[m];
            bool dup = false;
            for (size_t k = 0; k < snapwide.nmounts && !dup; k++) {
                dup = strcmp(snapwide.mounts[k].target, mt->target) == 0;
                if (dup && (strcmp(snapwide.mounts[k].source, mt->source) != 0 ||
                            snapwide.mounts[k].read_only != mt->read_only ||
                            snapwide.mounts[k].optional != mt->optional)) {
                    r = sn_err_set(err, -EINVAL, "%s: conflicting mount entries for '%s'",
                                   targets[i].tag, mt->target);
                }
            }
            if (!dup) {
                (mt->optional ? iface_policy_add_mount_optional : iface_policy_add_mount)(
                    &snapwide, mt->source, mt->target, mt->read_only);
            }
        }
    }
    struct blob_cache cache = {.n = 0};
    struct tag_devs *tdevs = xcalloc(ntags ? ntags : 1, sizeof(*tdevs));
    for (size_t i = 0; i < ntags && r == 0; i++) {
        r = setup_tag(root, &targets[i], &pols[i], &snapwide, &cache, &blobs, &launches, &udev,
                      &tdevs[i], &keep, &nkeep, err);
    }
    blob_cache_release(&cache);
    for (size_t i = 0; i < ntags; i++) {
        iface_policy_release(&pols[i]);
    }
    free(pols);
    free(targets);
    iface_policy_release(&snapwide);
    SN_AUTOFREE char *rulesdir = sn_path_join(root, "/etc/udev/rules.d");
    SN_AUTOFREE char *rules = xasprintf("%s/70-snap.%s.rules", rulesdir, instance);
    if (r == 0 && udev.len > 0 && (r = sn_mkpath(rulesdir, 0755, err)) == 0) {
        SN_AUTOSTRBUF struct sn_strbuf all = SN_STRBUF_INIT;
        sn_strbuf_addf(&all, "# udev rules of snap '%s', generated by snapd-c; do not edit\n",
                       instance);
        sn_strbuf_add(&all, udev.buf, udev.len);
        r = stage_file(&blobs, rules, all.buf, all.len, err);
    }
    if (r < 0) {
        stage_release(&blobs, true);
        stage_release(&launches, true);
        tag_devs_free(tdevs, ntags);
        sn_err_prefix(err, "cannot set up profiles of '%s': ", instance);
        return r;
    }
    SN_FAULT_POINT("setup-profiles-commit", "before");
    r = stage_commit(&blobs, err);
    /* launch descriptions and running apps' device cgroups change under the device lock:
     * a launch holds it from reading its description until it is in its group, so it
     * cannot put back devices this update takes away (confine/devcgroup.h) */
    SN_AUTOCLOSE int devlock = r == 0 ? cf_devcgroup_lock(root, true, err) : -1;
    if (r == 0 && devlock < 0) {
        r = devlock;
    }
    if (r == 0) {
        r = stage_commit(&launches, err);
    }
    if (r == 0) {
        r = update_devcgroups(root, tdevs, ntags, err);
    }
    tag_devs_free(tdevs, ntags);
    stage_release(&blobs, true);
    stage_release(&launches, true);
    if (r < 0) {
        return r;
    }
    (void)close(SN_TAKE_FD(devlock));
    SN_FAULT_POINT("setup-profiles-commit", "after");
    bool aa = strcmp(root, "/") == 0 && apparmor_kernel();
    for (size_t i = 0; i < sizeof(profile_dirs) / sizeof(profile_dirs[0]); i++) {
        SN_AUTOFREE char *d = sn_path_join(root, profile_dirs[i]);
        remove_stale(d, instance, keep, aa && i == 2);
    }
    if (udev.len == 0 && unlink(rules) < 0 && errno != ENOENT) {
        log_warn("cannot remove '%s': %s", rules, strerror(errno));
    }
    if (aa) {
        SN_AUTOFREE char *aacache = sn_path_join(root, "/var/cache/apparmor");
        for (size_t i = 0; i < ntags && r == 0; i++) {
            SN_AUTOFREE char *aadir = sn_path_join(root, profile_dirs[2]);
            const char *tagname = keep[4 * i + 3];
            SN_AUTOFREE char *f = xasprintf("%s/%s", aadir, tagname);
            char *argv[] = {
                "apparmor_parser", "--replace", "--write-cache", "-L", aacache, f, NULL};
            r = run_prog(argv, err);
        }
    }
    return r;
}

/* ---- remove ---- */

int security_remove_snap(const char *root, const char *instance, struct sn_err *err) {
    char name[64], app[64];
    bool hook;
    SN_AUTOFREE char *probe = xasprintf("snap.%s.x", instance);
    if (!cf_parse_tag(probe, name, app, &hook)) {
        return sn_err_set(err, -EINVAL, "invalid snap instance name '%s'", instance);
    }
    bool aa = strcmp(root, "/") == 0 && apparmor_kernel();
    for (size_t i = 0; i < sizeof(profile_dirs) / sizeof(profile_dirs[0]); i++) {
        SN_AUTOFREE char *d = sn_path_join(root, profile_dirs[i]);
        remove_stale(d, instance, NULL, aa && i == 2);
    }
    SN_AUTOFREE char *rel = xasprintf("/etc/udev/rules.d/70-snap.%s.rules", instance);
    SN_AUTOFREE char *rules = sn_path_join(root, rel);
    if (unlink(rules) < 0 && errno != ENOENT) {
        return sn_err_set(err, -errno, "cannot remove '%s': %s", rules, strerror(errno));
    }
    /* the preserved mount namespace: running apps keep theirs, new launches build anew */
    SN_AUTOFREE char *nsrel = xasprintf("/run/snapd/ns/%s.mnt", instance);
    SN_AUTOFREE char *nsfile = sn_path_join(root, nsrel);
    SN_AUTOFREE char *info = xasprintf("%.*s.info", (int)strlen(nsfile) - 4, nsfile);
    if (umount2(nsfile, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT) {
        return sn_err_set(err, -errno, "cannot discard namespace '%s': %s", nsfile,
                          strerror(errno));
    }
    (void)unlink(nsfile);
    (void)unlink(info);
    SN_AUTOFREE char *tmprel = xasprintf("/tmp/snap-private-tmp/snap.%s", instance);
    SN_AUTOFREE char *tmp = sn_path_join(root, tmprel);
    int r = sn_rm_rf(tmp, err);
    if (r < 0) {
        return r;
    }
    cf_devcgroup_remove(root, instance); /* v1 and v2 */
    return 0;
}
