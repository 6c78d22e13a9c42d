/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "banned.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

static int drop_caps(struct sn_err *err) {
    for (int cap = 0; cap <= 63; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL) {
                break; /* past the kernel's last capability */
            }
            return sn_err_set(err, -errno, "cannot drop capability %d from the bounding set: %s",
                              cap, strerror(errno));
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
        return sn_err_set(err, -errno, "cannot clear ambient capabilities: %s", strerror(errno));
    }
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    if (syscall(SYS_capget, &h, d) < 0) {
        return sn_err_set(err, -errno, "cannot read capabilities: %s", strerror(errno));
    }
    d[0].inheritable = d[1].inheritable = 0;
    if (syscall(SYS_capset, &h, d) < 0) {
        return sn_err_set(err, -errno, "cannot clear inheritable capabilities: %s",
                          strerror(errno));
    }
    return 0;
}

int cf_drop_privs(uid_t uid, gid_t gid, bool keep_caps, struct sn_err *err) {
    int r = keep_caps ? 0 : drop_caps(err);
    if (r < 0) {
        return r;
    }
    if (setresgid(gid, gid, gid) < 0) {
        return sn_err_set(err, -errno, "cannot set group id %u: %s", (unsigned)gid,
                          strerror(errno));
    }
    if (setresuid(uid, uid, uid) < 0) {
        return sn_err_set(err, -errno, "cannot set user id %u: %s", (unsigned)uid, strerror(errno));
    }
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0 || ru != uid || eu != uid ||
        su != uid || rg != gid || eg != gid || sg != gid) {
        return sn_err_set(err, -EPERM, "cannot verify the dropped user and group ids");
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        return sn_err_set(err, -errno, "cannot set no_new_privs: %s", strerror(errno));
    }
    return 0;
}

/* Signals the process ignores, from /proc/self/status (SigIgn); exec resets caught signals
 * by itself, so only ignored ones need resetting. Returns all ones when unreadable. */
static uint64_t ignored_signals(void) {
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return ~0ULL;
    }
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    (void)close(fd);
    if (n <= 0) {
        return ~0ULL;
    }
    buf[n] = '\0';
    const char *p = strstr(buf, "\nSigIgn:");
    if (p == NULL) {
        return ~0ULL;
    }
    return strtoull(p + 9, NULL, 16);
}

int cf_reset_process(struct sn_err *err) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    uint64_t ign = ignored_signals();
    for (int sig = 1; sig < NSIG && sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP || !(ign & (1ULL << (sig - 1)))) {
            continue;
        }
        /* signals glibc reserves for itself refuse with EINVAL; nothing to reset there */
        (void)sigaction(sig, &sa, NULL);
    }
    sigset_t all;
    sigemptyset(&all);
    if (sigprocmask(SIG_SETMASK, &all, NULL) < 0) {
        return sn_err_set(err, -errno, "cannot reset the signal mask: %s", strerror(errno));
    }
    if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0) {
        return sn_err_set(err, -errno, "cannot close file descriptors: %s", strerror(errno));
    }
    return 0;
}
