/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "log.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

static char *socket_path(void) {
    const char *s = getenv("SNAPC_SOCKET");
    if (s != NULL && s[0] != '\0') {
        return xstrdup(s);
    }
    return sn_path_join(getenv("SNAPC_ROOT"), "/run/snapd.socket");
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int client_do(const char *method, const char *path, struct json_object *body,
              struct client_resp *resp, struct sn_err *err) {
    memset(resp, 0, sizeof(*resp));
    SN_AUTOFREE char *sp = socket_path();
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(sp) >= sizeof(sa.sun_path)) {
        return sn_err_set(err, -ENAMETOOLONG, "socket path '%s' is too long", sp);
    }
    memcpy(sa.sun_path, sp, strlen(sp) + 1);
    SN_AUTOCLOSE int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        return sn_err_set(err, -errno, "cannot communicate with the snapd-c daemon at '%s': %s", sp,
                          strerror(errno));
    }
    const char *b = body ? json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN) : "";
    size_t bl = strlen(b);
    SN_AUTOSTRBUF struct sn_strbuf req = SN_STRBUF_INIT;
    sn_strbuf_addf(&req,
                   "%s %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: snapc/" SNAPC_VERSION
                   "\r\nConnection: close\r\n",
                   method, path);
    if (body) {
        sn_strbuf_addf(&req, "Content-Type: application/json\r\nContent-Length: %zu\r\n", bl);
    }
    sn_strbuf_addstr(&req, "\r\n");
    sn_strbuf_add(&req, b, bl);
    int r = write_all(fd, req.buf, req.len);
    if (r < 0) {
        return sn_err_set(err, r, "cannot send request: %s", strerror(-r));
    }
    SN_AUTOFREE char *raw = NULL;
    size_t rl = 0;
    r = sn_read_fd(fd, "daemon response", 256 * 1024 * 1024, &raw, &rl, err);
    if (r < 0) {
        return r;
    }
    int status = 0;
    if (sscanf(raw, "HTTP/1.%*d %d", &status) != 1) {
        return sn_err_set(err, -EPROTO, "malformed response from the daemon");
    }
    const char *hend = strstr(raw, "\r\n\r\n");
    if (hend == NULL) {
        return sn_err_set(err, -EPROTO, "malformed response from the daemon");
    }
    const char *payload = hend + 4;
    size_t plen = rl - (size_t)(payload - raw);
    struct json_tokener *tok = json_tokener_new();
    struct json_object *env = json_tokener_parse_ex(tok, payload, (int)plen);
    json_tokener_free(tok);
    if (env == NULL || !json_object_is_type(env, json_type_object)) {
        if (env) {
            json_object_put(env);
        }
        return sn_err_set(err, -EPROTO, "daemon answered HTTP %d without a JSON body", status);
    }
    resp->http_status = status;
    resp->env = env;
    struct json_object *v = NULL;
    if (json_object_object_get_ex(env, "type", &v)) {
        resp->type = json_object_get_string(v);
    }
    json_object_object_get_ex(env, "result", &resp->result);
    if (json_object_object_get_ex(env, "change", &v)) {
        resp->change = json_object_get_string(v);
    }
    return 0;
}

void client_resp_release(struct client_resp *resp) {
    if (resp->env) {
        json_object_put(resp->env);
    }
    memset(resp, 0, sizeof(*resp));
}

const char *client_error_message(const struct client_resp *resp) {
    struct json_object *m = NULL;
    if (resp->result && json_object_object_get_ex(resp->result, "message", &m)) {
        return json_object_get_string(m);
    }
    return "unknown error";
}

int client_get(const char *path, struct client_resp *resp) {
    struct sn_err err = SN_ERR_INIT;
    int r = client_do("GET", path, NULL, resp, &err);
    if (r < 0) {
        return client_fail(r, &err);
    }
    if (resp->type == NULL || strcmp(resp->type, "sync") != 0) {
        log_error("%s", client_error_message(resp));
        client_resp_release(resp);
        return SNAPC_EXIT_FAIL;
    }
    return SNAPC_EXIT_OK;
}

int client_fail(int r, const struct sn_err *err) {
    log_error("%s", err->msg);
    return r == -ENOENT || r == -ECONNREFUSED ? SNAPC_EXIT_NODAEMON : SNAPC_EXIT_FAIL;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int client_wait_change(const char *id, bool quiet) {
    SN_AUTOFREE char *path = xasprintf("/v2/changes/%s", id);
    bool tty = !quiet && isatty(STDOUT_FILENO);
    SN_AUTOFREE char *last_line = NULL;
    for (int iter = 0;; iter++) {
        struct client_resp resp;
        int r = client_get(path, &resp);
        if (r != SNAPC_EXIT_OK) {
            return r;
        }
        struct json_object *ready = NULL, *tasks = NULL, *st = NULL, *e = NULL;
        json_object_object_get_ex(resp.result, "ready", &ready);
        json_object_object_get_ex(resp.result, "tasks", &tasks);
        json_object_object_get_ex(resp.result, "status", &st);
        size_t n = json_object_array_length(tasks), done = 0;
        const char *current = NULL;
        for (size_t i = 0; i < n; i++) {
            struct json_object *t = json_object_array_get_idx(tasks, i), *ts = NULL, *sm = NULL;
            json_object_object_get_ex(t, "status", &ts);
            json_object_object_get_ex(t, "summary", &sm);
            const char *s = json_object_get_string(ts);
            if (strcmp(s, "Done") == 0 || strcmp(s, "Undone") == 0 || strcmp(s, "Error") == 0 ||
                strcmp(s, "Hold") == 0) {
                done++;
            } else if (current == NULL && (strcmp(s, "Doing") == 0 || strcmp(s, "Undoing") == 0)) {
                current = json_object_get_string(sm);
            }
        }
        if (!quiet && current != NULL && (last_line == NULL || strcmp(last_line, current) != 0)) {
            if (tty) {
                int width = 30, fill = n ? (int)(done * (size_t)width / n) : 0;
                (void)printf("\r\033[K%-50.50s [%.*s%*s] %zu/%zu", current, fill,
                             "==============================", width - fill, "", done, n);
                (void)fflush(stdout);
            } else {
                (void)printf("%s\n", current);
            }
            free(last_line);
            last_line = xstrdup(current);
        }
        if (json_object_get_boolean(ready)) {
            if (tty) {
                (void)printf("\r\033[K");
            }
            const char *status = json_object_get_string(st);
            int rc = SNAPC_EXIT_OK;
            if (strcmp(status, "Done") != 0) {
                if (json_object_object_get_ex(resp.result, "err", &e)) {
                    log_error("%s", json_object_get_string(e));
                } else {
                    log_error("change %s finished with status %s", id, status);
                }
                rc = SNAPC_EXIT_FAIL;
            }
            client_resp_release(&resp);
            return rc;
        }
        client_resp_release(&resp);
        /* poll fast at first (a GET costs ~0.1 ms): most changes finish within tens of ms */
        sleep_ms(iter < 100 ? 1 : iter < 200 ? 20 : 200);
    }
}
