/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

extern char **environ;

#define HELPER_MAX_OUT (1024 * 1024)

int helper_run(const char *const argv[], char **out, char **errout, int *status,
               struct sn_err *err) {
    int po[2] = {-1, -1}, pe[2] = {-1, -1};
    if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
        int e = errno;
        for (int i = 0; i < 2; i++) {
            if (po[i] >= 0) {
                (void)close(po[i]);
            }
        }
        return sn_err_set(err, -e, "cannot create pipes: %s", strerror(e));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, pe[1], STDERR_FILENO);
    pid_t pid;
    int r = argv[0][0] == '/'
                ? posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ)
                : posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    (void)close(po[1]);
    (void)close(pe[1]);
    if (r != 0) {
        (void)close(po[0]);
        (void)close(pe[0]);
        return sn_err_set(err, -r, "cannot run %s: %s", argv[0], strerror(r));
    }
    struct sn_strbuf bo = SN_STRBUF_INIT, be = SN_STRBUF_INIT;
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    struct sn_strbuf *bufs[2] = {&bo, &be};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            char buf[8192];
            ssize_t n = read(fds[i].fd, buf, sizeof(buf));
            if (n > 0 && bufs[i]->len < HELPER_MAX_OUT) {
                sn_strbuf_add(bufs[i], buf, (size_t)n);
            } else if (n == 0 || (n < 0 && errno != EINTR)) {
                (void)close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    for (int i = 0; i < 2; i++) {
        if (fds[i].fd >= 0) {
            (void)close(fds[i].fd);
        }
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    *out = sn_strbuf_detach(&bo, NULL);
    if (errout) {
        *errout = sn_strbuf_detach(&be, NULL);
    } else {
        sn_strbuf_release(&be);
    }
    return 0;
}

int helper_read_snap_meta(struct daemon *d, const char *path, struct json_object **meta,
                          struct sn_err *err) {
    SN_AUTOFREE char *snapc = xasprintf("%s/snapc", d->self_dir);
    const char *argv[] = {snapc, "info", "--json", "--no-digest", "--", path, NULL};
    SN_AUTOFREE char *out = NULL, *errout = NULL;
    int status = 0;
    int r = helper_run(argv, &out, &errout, &status, err);
    if (r < 0) {
        return r;
    }
    if (status != 0) {
        /* snapc's message, minus its program prefix and trailing newline */
        char *msg = errout;
        const char *pre = "snapc: error: ";
        if (strncmp(msg, pre, strlen(pre)) == 0) {
            msg += strlen(pre);
        }
        msg[strcspn(msg, "\n")] = '\0';
        return sn_err_set(err, -EINVAL, "%s", msg[0] ? msg : "cannot read snap file");
    }
    struct json_object *o = json_tokener_parse(out);
    if (o == NULL || !json_object_is_type(o, json_type_object)) {
        if (o) {
            json_object_put(o);
        }
        return sn_err_set(err, -EIO, "cannot parse the metadata snapc printed for '%s'", path);
    }
    *meta = o;
    return 0;
}
