/* SPDX-License-Identifier: GPL-3.0-only
 * snapd-c: the daemon. One process: an event loop serving the /v2 API, a task runner thread,
 * short-lived helper threads for uploads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "cleanup.h"
#include "daemon.h"
#include "engine.h"
#include "fault.h"
#include "fs.h"
#include "history.h"
#include "ifacemgr.h"
#include "log.h"
#include "snapmgr.h"
#include "xalloc.h"

#include "banned.h"

struct opts {
    const char *root;
    const char *socket;
};

static void usage(FILE *f) {
    (void)fprintf(f,
                  "Usage: snapd-c [--root DIR] [--socket PATH]\n"
                  "\n"
                  "The snapd-c daemon: serves snapd's /v2 REST API on ROOT/run/snapd.socket,\n"
                  "mounts installed snaps from ROOT/var/lib/snapd/snaps and runs changes.\n"
                  "\n"
                  "  --root DIR     root prefix (default: $SNAPC_ROOT or /)\n"
                  "  --socket PATH  API socket (default: ROOT/run/snapd.socket)\n"
                  "  -h, --help     show this help\n"
                  "\n"
                  "SIGTERM/SIGINT stop it after the running task; unfinished changes resume at\n"
                  "the next start. SNAPC_DEBUG=1 logs every request and task.\n");
}

static int parse_args(int argc, char **argv, struct opts *o) {
    static const struct option lo[] = {
        {"root", required_argument, NULL, 'r'},
        {"socket", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    o->root = getenv("SNAPC_ROOT");
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
            case 'r':
                o->root = optarg;
                break;
            case 's':
                o->socket = optarg;
                break;
            case 'h':
                usage(stdout);
                exit(0);
            case 'V':
                (void)printf("snapd-c %s%s\n", SNAPC_VERSION,
                             SN_FAULT_ENABLED ? " (fault-injection)" : "");
                exit(0);
            default:
                usage(stderr);
                return -EINVAL;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return -EINVAL;
    }
    if (o->root == NULL || o->root[0] == '\0') {
        o->root = "/";
    }
    return 0;
}

static void on_signal(evutil_socket_t sig, short what, void *arg) {
    (void)what;
    log_info("signal %d: stopping", (int)sig);
    event_base_loopbreak(arg);
}

static char *self_dir(void) {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0) {
        return xstrdup("/usr/bin");
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash) {
        *slash = '\0';
    }
    return xstrdup(buf);
}

/* One daemon per root: a second one would share state.json and the mounts. The lock is held
 * until exit (the fd stays open); it never blocks. */
static int lock_root(struct daemon *d, int *fd, struct sn_err *err) {
    SN_AUTOFREE char *path = d_path(d, "/var/lib/snapd/snapd-c.lock");
    int lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lfd < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", path, strerror(errno));
    }
    if (flock(lfd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        (void)close(lfd);
        return sn_err_set(err, -e, "another snapd-c is already running on '%s'%s", d->root,
                          e == EWOULDBLOCK ? "" : ": cannot lock");
    }
    *fd = lfd;
    return 0;
}

static int prepare_dirs(struct daemon *d, struct sn_err *err) {
    static const char *const dirs[] = {"/var/lib/snapd/snaps", "/snap/bin", "/var/snap", "/run"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        SN_AUTOFREE char *p = d_path(d, "%s", dirs[i]);
        int r = sn_mkpath(p, 0755, err);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    sn_log_init("snapd-c");
    if (argc == 3 && strcmp(argv[1], "--setup-profiles") == 0) {
        /* internal: the profile renderer, run by the daemon as a helper process */
        return ifacemgr_setup_profiles_helper(argv[2]);
    }
    struct opts o = {0};
    if (parse_args(argc, argv, &o) < 0) {
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    /* one malloc arena for all threads: the helper threads are short-lived and a per-thread
     * arena would keep its high-water mark resident */
    mallopt(M_ARENA_MAX, 1);
    struct daemon d = {.retain = 2};
    char real[PATH_MAX];
    if (realpath(o.root, real) == NULL) {
        log_errno(-errno, "cannot use root '%s'", o.root);
        return 1;
    }
    d.root = xstrdup(real);
    d.self_dir = self_dir();
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE char *state_path = d_path(&d, "/var/lib/snapd/state.json");
    SN_AUTOFREE char *sock = o.socket ? xstrdup(o.socket) : d_path(&d, "/run/snapd.socket");
    int rc = 1;
    struct event_base *base = NULL;
    struct event *sigs[3] = {NULL, NULL, NULL};
    SN_AUTOFREE char *history_path = d_path(&d, "/var/lib/snapd/changes.json");
    int lock_fd = -1;
    if (prepare_dirs(&d, &err) < 0 || lock_root(&d, &lock_fd, &err) < 0 ||
        state_load(&d.state, state_path, &err) < 0 || history_load(history_path, &err) < 0) {
        log_error("%s", err.msg);
        goto out;
    }
    if (snapmgr_startup(&d, &err) < 0) {
        log_warn("%s", err.msg); /* keep serving: the API reports what is broken */
    }
    base = event_base_new();
    if (base == NULL) {
        log_error("cannot create the event loop");
        goto out;
    }
    static const int signums[] = {SIGTERM, SIGINT, SIGHUP};
    for (size_t i = 0; i < 3; i++) {
        sigs[i] = evsignal_new(base, signums[i], on_signal, base);
        event_add(sigs[i], NULL);
    }
    static const struct task_kind *const kinds[] = {snapmgr_task_kinds, ifacemgr_task_kinds, NULL};
    if (engine_start(&d, kinds, &err) < 0 || api_start(&d, base, sock, &err) < 0) {
        log_error("%s", err.msg);
        goto out;
    }
    log_info("ready: root %s, socket %s", d.root, sock);
    event_base_dispatch(base);
    rc = 0;
out:
    api_stop();
    engine_stop();
    if (lock_fd >= 0) {
        (void)unlink(sock); /* ours only: without the lock another daemon owns it */
    }
    for (size_t i = 0; i < 3; i++) {
        if (sigs[i]) {
            event_free(sigs[i]);
        }
    }
    if (base) {
        event_base_free(base);
    }
    state_lock();
    snap_cache_clear();
    state_unlock();
    state_release(&d.state);
    history_release();
    free(d.root);
    free(d.self_dir);
    if (lock_fd >= 0) {
        (void)close(lock_fd);
    }
    return rc;
}
