/* SPDX-License-Identifier: GPL-3.0-only
 * snapc-confine: start a snap's app, service or hook inside its sandbox.
 * The steps and their order are DESIGN.md §4; every failure ends the launch with one line on
 * stderr and exit status 1 (2 for usage errors). Nothing runs unconfined.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "apparmor.h"
#include "cleanup.h"
#include "devcgroup.h"
#include "env.h"
#include "fs.h"
#include "invocation.h"
#include "landlock.h"
#include "launch.h"
#include "log.h"
#include "ns.h"
#include "process.h"
#include "seccomp-blob.h"
#include "seccomp-load.h"
#include "trusted.h"
#include "xalloc.h"

#include "banned.h"

extern char **environ;

static const char usage[] =
    "Usage: snapc-confine [--root DIR] [--] TAG [ARGS...]\n"
    "       ROOT/snap/bin/SNAP[.APP] [ARGS...]\n"
    "\n"
    "Run the app, service or hook with security tag TAG (snap.NAME.APP or\n"
    "snap.NAME.hook.HOOK) in its sandbox. ARGS are passed byte for byte.\n"
    "--root and SNAPC_ROOT are honoured for root only. See docs/confinement.md.\n";

/* SNAPC_DEBUG=1 prints the time of each step since start */
static struct timespec t_start;
static void step(const char *what) {
    if (sn_log_debug_enabled()) {
        struct timespec now;
        (void)clock_gettime(CLOCK_MONOTONIC, &now);
        long us = (now.tv_sec - t_start.tv_sec) * 1000000L + (now.tv_nsec - t_start.tv_nsec) / 1000;
        log_debug("%6ld us  %s", us, what);
    }
}

_Noreturn static void die(const struct sn_err *err) {
    log_error("%s", err->msg);
    exit(1);
}

static bool is_mount_root(const char *path) {
    struct statx stx;
    return statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &stx) == 0 &&
           (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
           (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/* Step 1: read and check the launch description and the seccomp profile (before setns:
 * joining the namespace changes what ROOT paths mean). */
static void load_policy(const struct cf_invocation *inv, struct cf_launch *l,
                        struct cf_seccomp_prog *prog) {
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE char *libdir = sn_path_join(inv->root, "/var/lib/snapd");
    SN_AUTOCLOSE int dfd = cf_open_trusted_dir(libdir, &err);
    if (dfd < 0) {
        die(&err);
    }
    SN_AUTOFREE char *rel = xasprintf("confine/%s.launch", inv->tag);
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    int r = cf_read_trusted(dfd, libdir, rel, CF_LAUNCH_MAX_SIZE, &data, &len, &err);
    if (r == -ENOENT) {
        SN_AUTOFREE char *snapdir =
            xasprintf("%s/snap/%s", strcmp(inv->root, "/") ? inv->root : "", inv->instance);
        if (!sn_is_dir(snapdir)) {
            (void)sn_err_set(&err, r, "snap '%s' is not installed", inv->instance);
        } else {
            (void)sn_err_set(&err, r, "snap '%s' has no %s '%s'", inv->instance,
                             inv->is_hook ? "hook" : "app", inv->app);
        }
    }
    if (r < 0 || cf_launch_parse(data, len, l, &err) < 0) {
        die(&err);
    }
    if (strcmp(l->tag, inv->tag) != 0) {
        (void)sn_err_set(&err, -EINVAL, "launch description of '%s' names '%s'", inv->tag, l->tag);
        die(&err);
    }
    if (l->confinement == CF_CONFINE_CLASSIC) {
        (void)sn_err_set(&err, -EPERM,
                         "snap '%s' uses classic confinement, which is not supported on this "
                         "device",
                         l->instance);
        die(&err);
    }
    SN_AUTOFREE char *blob = NULL;
    SN_AUTOFREE char *brel = xasprintf("seccomp/bpf/%s.bin2", inv->tag);
    r = cf_read_trusted(dfd, libdir, brel, CF_SECCOMP_BLOB_MAX, &blob, &len, &err);
    if (r < 0 || cf_seccomp_check((const uint8_t *)blob, len, l->seccomp_size, l->seccomp_sha3,
                                  prog, &err) < 0) {
        sn_err_prefix(&err, "refusing to run '%s': ", inv->tag);
        die(&err);
    }
}

/* The snap revision and its base are mounted; returns the base's host directory. */
static char *check_mounts(const struct cf_invocation *inv, const struct cf_launch *l) {
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE char *rel = xasprintf("/snap/%s/%s", l->instance, l->revision);
    SN_AUTOFREE char *snapdir = sn_path_join(inv->root, rel);
    if (!is_mount_root(snapdir)) {
        (void)sn_err_set(&err, -ENOENT, "snap '%s' revision %s is not mounted at '%s'", l->instance,
                         l->revision, snapdir);
        die(&err);
    }
    if (strcmp(l->base, CF_BASE_HOST) == 0) {
        return xstrdup("/");
    }
    SN_AUTOFREE char *brel = xasprintf("/snap/%s/current", l->base);
    SN_AUTOFREE char *cur = sn_path_join(inv->root, brel);
    char *base = realpath(cur, NULL);
    if (base == NULL || !is_mount_root(base)) {
        (void)sn_err_set(&err, -ENOENT, "cannot find base snap '%s' of snap '%s' (no mounted '%s')",
                         l->base, l->instance, cur);
        free(base);
        die(&err);
    }
    // cppcheck-suppress deallocret ; die() does not return (cppcheck misses _Noreturn)
    return base;
}

/* SNAPC_DEVCGROUP=v1|v2 picks the device cgroup version; like SNAPC_ROOT, for root only */
static const char *devcg_forced(void) {
    return getuid() == 0 ? secure_getenv("SNAPC_DEVCGROUP") : NULL;
}

static void enter_dir(const char *cwd) {
    if (cwd != NULL && chdir(cwd) == 0) {
        return;
    }
    if (chdir("/var/lib/snapd/void") < 0 && chdir("/") < 0) {
        log_warn("cannot change directory: %s", strerror(errno));
    }
}

static int run(const struct cf_invocation *inv) {
    struct sn_err err = SN_ERR_INIT;
    struct cf_launch l;
    struct cf_seccomp_prog prog;
    uid_t uid = getuid();
    gid_t gid = getgid();
    /* held from reading the launch description until the device cgroup is set, so a profile
     * update of the daemon cannot slip in between (devcgroup.h); -ENOENT: nothing installed */
    SN_AUTOCLOSE int devlock = cf_devcgroup_lock(inv->root, false, &err);
    if (devlock < 0 && devlock != -ENOENT) {
        die(&err);
    }
    load_policy(inv, &l, &prog);
    step("policy read and verified");
    SN_AUTOFREE char *base = check_mounts(inv, &l);
    bool devmode = l.confinement == CF_CONFINE_DEVMODE;
    struct cf_user user;
    if (cf_user_resolve(inv->root, &l, uid, gid, &user, &err) < 0) {
        die(&err);
    }
    SN_AUTOFREE char *cwd = getcwd(NULL, 0);
    if (strcmp(inv->root, "/") != 0 && uid == 0) {
        SN_AUTOFREE char *rh = sn_path_join(inv->root, "/root");
        if (mkdir(rh, 0700) < 0 && errno != EEXIST) {
            log_warn("cannot create '%s': %s", rh, strerror(errno));
        }
    }
    /* step 2: mount namespace */
    bool joined = false;
    if (cf_ns_enter(inv->root, &l, base, &joined, &err) < 0) {
        die(&err);
    }
    step(joined ? "joined the mount namespace" : "built the mount namespace");
    /* step 3: device cgroup (v1, else a v2 BPF program; docs/confinement.md "Devices"), then
     * the device lock taken before the policy was read is released */
    if (!devmode &&
        cf_devcgroup_setup(inv->root, &l, cf_landlock_abi() >= 1, devcg_forced(), NULL, &err) < 0) {
        die(&err);
    }
    if (devlock >= 0) {
        (void)close(SN_TAKE_FD(devlock));
    }
    step("device cgroup");
    /* step 4: environment */
    struct cf_env env;
    cf_env_init(&env, environ);
    cf_env_for_app(&env, &l, &user);
    /* step 5: identity, capabilities, no_new_privs; then the user's data dirs, as the user */
    if (cf_drop_privs(uid, gid, l.kind != CF_KIND_APP, &err) < 0) {
        die(&err);
    }
    if (sn_mkpath(user.user_data, 0755, &err) < 0 || sn_mkpath(user.user_common, 0755, &err) < 0) {
        /* /root and /home cannot be made when the base lacks them (docs/mount-plan.md) */
        char top[16];
        (void)snprintf(top, sizeof(top), "/%.*s", (int)strcspn(user.home + 1, "/"), user.home + 1);
        if (!sn_is_dir(top)) {
            (void)sn_err_set(&err, -ENOENT,
                             "the base snap '%s' has no directory '%s' (see docs/mount-plan.md, "
                             "\"A minimal base\")",
                             l.base, top);
        }
        sn_err_prefix(&err, "cannot create user data directory: ");
        die(&err);
    }
    enter_dir(cwd);
    step("privileges dropped, user data dirs");
    /* step 6: Landlock, AppArmor, seccomp (last), exec */
    if (!devmode) {
        int abi = 0;
        if (cf_landlock_apply(&l, &user, &abi, &err) < 0) {
            die(&err);
        }
        log_debug("Landlock ABI %d, %zu rules", abi, l.nfs);
        step("Landlock");
    }
    if (cf_apparmor_enabled() && cf_apparmor_change_onexec(l.tag, &err) < 0) {
        die(&err);
    }
    char **argv = cf_build_argv(&env, &l, inv->args, inv->nargs);
    if (cf_reset_process(&err) < 0 || cf_seccomp_install(&prog, &err) < 0) {
        die(&err);
    }
    step("seccomp loaded, exec");
    execve(argv[0], argv, env.v);
    int e = errno;
    log_error("cannot execute '%s': %s", argv[0], strerror(e));
    return 1;
}

int main(int argc, char **argv) {
    (void)clock_gettime(CLOCK_MONOTONIC, &t_start);
    sn_log_init("snapc-confine");
    struct sn_err err = SN_ERR_INIT;
    struct cf_invocation inv;
    const char *env_root = getuid() == 0 ? secure_getenv("SNAPC_ROOT") : NULL;
    if (cf_invocation_parse(argc, argv, getuid(), env_root, &inv, &err) < 0) {
        log_error("%s", err.msg);
        return err.code == -EINVAL ? 2 : 1;
    }
    if (inv.help) {
        (void)fputs(usage, stdout);
        return 0;
    }
    if (inv.version) {
        (void)printf("snapc-confine %s\n", SNAPC_VERSION);
        return 0;
    }
    if (geteuid() != 0) {
        log_error("snapc-confine must run as root or be installed setuid root");
        return 1;
    }
    int r = run(&inv);
    cf_invocation_release(&inv);
    return r;
}
