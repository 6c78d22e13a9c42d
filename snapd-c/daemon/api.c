/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "api.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/keyvalq_struct.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "log.h"
#include "snap-json.h"
#include "xalloc.h"

#include "banned.h"

#define API_MAX_JSON_BODY (1024 * 1024)

static struct evhttp *http;
static struct daemon *api_d;
static struct event_base *api_base;
static int offload_pipe[2] = {-1, -1};
static struct event *offload_ev;

struct route {
    const char *prefix; /* exact path, or prefix ending in '/' for {arg} routes */
    bool has_arg;
    void (*fn)(struct api_ctx *c);
};

static const struct route routes[] = {
    {"/v2/system-info", false, api_system_info},
    {"/v2/snaps", false, api_snaps},
    {"/v2/snaps/", true, api_snap},
    {"/v2/apps", false, api_apps},
    {"/v2/find", false, api_find},
    {"/v2/changes", false, api_changes},
    {"/v2/changes/", true, api_change},
    {"/v2/connections", false, api_connections},
    {"/v2/interfaces", false, api_interfaces},
};

static const char *status_text(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 202:
            return "Accepted";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 413:
            return "Request Entity Too Large";
        case 500:
            return "Internal Server Error";
        case 507:
            return "Insufficient Storage";
        default:
            return "Error";
    }
}

/* Give freed heap back to the system shortly after a burst of requests (coalesced, off the
 * request path). */
static struct event *trim_ev;

static void trim_cb(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    (void)arg;
    malloc_trim(0);
}

static void schedule_trim(void) {
    if (trim_ev != NULL && !evtimer_pending(trim_ev, NULL)) {
        struct timeval tv = {0, 200000};
        evtimer_add(trim_ev, &tv);
    }
}

static void send_json(struct evhttp_request *req, int status, struct json_object *env) {
    struct evbuffer *out = evbuffer_new();
    size_t len = 0;
    const char *s = json_object_to_json_string_length(
        env, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    evbuffer_add(out, s, len);
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", "application/json");
    evhttp_send_reply(req, status, status_text(status), out);
    evbuffer_free(out);
    json_object_put(env);
    schedule_trim();
}

static struct json_object *envelope(const char *type, int status) {
    struct json_object *env = json_object_new_object();
    json_object_object_add(env, "type", json_object_new_string(type));
    json_object_object_add(env, "status-code", json_object_new_int(status));
    json_object_object_add(env, "status", json_object_new_string(status_text(status)));
    return env;
}

void api_sync(struct api_ctx *c, int status, struct json_object *result) {
    struct json_object *env = envelope("sync", status);
    json_object_object_add(env, "result", result);
    send_json(c->req, status, env);
}

void api_async(struct api_ctx *c, const char *change_id) {
    struct json_object *env = envelope("async", 202);
    json_object_object_add(env, "result", NULL);
    json_object_object_add(env, "change", json_object_new_string(change_id));
    send_json(c->req, 202, env);
}

static void send_error_value(struct evhttp_request *req, int status, const char *kind,
                             const char *value, const char *msg) {
    struct json_object *env = envelope("error", status);
    struct json_object *res = json_object_new_object();
    json_object_object_add(res, "message", json_object_new_string(msg));
    if (kind != NULL && kind[0] != '\0') {
        json_object_object_add(res, "kind", json_object_new_string(kind));
    }
    if (value != NULL) {
        json_object_object_add(res, "value", json_object_new_string(value));
    }
    json_object_object_add(env, "result", res);
    send_json(req, status, env);
}

static void send_error_req(struct evhttp_request *req, int status, const char *kind,
                           const char *msg) {
    send_error_value(req, status, kind, NULL, msg);
}

void api_snap_not_found(struct api_ctx *c, const char *name, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    send_error_value(c->req, 404, "snap-not-found", name, msg);
}

void api_error(struct api_ctx *c, int status, const char *kind, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    send_error_req(c->req, status, kind, msg);
}

/* Only errno values we know map to a status; everything else is a 500 (libseccomp's
 * _rc_filter idea: lower layers cannot leak arbitrary codes into the API). */
static int status_for(int code) {
    switch (-code) {
        case ENOENT:
            return 404;
        case EBUSY:
            return 409;
        case EPERM:
        case EACCES:
            return 403;
        case EINVAL:
        case EEXIST:
        case ENAMETOOLONG:
            return 400;
        case EFBIG:
        case E2BIG:
            return 413;
        case ENOSPC:
        case EDQUOT:
            return 507;
        default:
            return 500;
    }
}

static void error_from_req(struct evhttp_request *req, const struct sn_err *err) {
    int status = status_for(err->code);
    /* snapd reports these as 400 with a kind the clients understand */
    if (strcmp(err->kind, "snap-change-conflict") == 0) {
        status = 409;
    } else if (strcmp(err->kind, "snap-needs-devmode") == 0 ||
               strcmp(err->kind, "snap-needs-classic-system") == 0 ||
               strcmp(err->kind, "snap-not-installed") == 0 ||
               strcmp(err->kind, "snap-not-removable") == 0) {
        status = 400;
    } else if (err->code == -ENOSPC) {
        send_error_req(req, 507, "insufficient-disk-space", err->msg);
        return;
    }
    send_error_req(req, status, err->kind, err->msg);
}

void api_error_from(struct api_ctx *c, const struct sn_err *err) {
    error_from_req(c->req, err);
}

bool api_require_root(struct api_ctx *c) {
    if (c->uid != 0) {
        api_error(c, 401, "login-required", "access denied");
        return false;
    }
    return true;
}

struct json_object *api_json_body(struct api_ctx *c) {
    struct evbuffer *in = evhttp_request_get_input_buffer(c->req);
    size_t len = evbuffer_get_length(in);
    if (len > API_MAX_JSON_BODY) {
        api_error(c, 413, "", "request body too large (%zu bytes)", len);
        return NULL;
    }
    const char *p = (const char *)evbuffer_pullup(in, -1);
    struct json_tokener *tok = json_tokener_new();
    struct json_object *o = len ? json_tokener_parse_ex(tok, p, (int)len) : NULL;
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    json_tokener_free(tok);
    if (o == NULL || jerr != json_tokener_success || !json_object_is_type(o, json_type_object)) {
        if (o) {
            json_object_put(o);
        }
        api_error(c, 400, "", "cannot decode request body into a JSON object: %s",
                  len ? json_tokener_error_desc(jerr) : "empty body");
        return NULL;
    }
    return o;
}

struct json_object *api_post_body(struct api_ctx *c) {
    if (evhttp_request_get_command(c->req) != EVHTTP_REQ_POST) {
        api_error(c, 405, "", "method not allowed");
        return NULL;
    }
    if (!api_require_root(c)) {
        return NULL;
    }
    return api_json_body(c);
}

static int peer_creds(struct evhttp_request *req, uid_t *uid, pid_t *pid) {
    struct evhttp_connection *conn = evhttp_request_get_connection(req);
    struct bufferevent *bev = conn ? evhttp_connection_get_bufferevent(conn) : NULL;
    int fd = bev ? bufferevent_getfd(bev) : -1;
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        return -EPERM;
    }
    *uid = cred.uid;
    *pid = cred.pid;
    return 0;
}

static void dispatch(struct evhttp_request *req, void *arg) {
    (void)arg;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *rawpath = uri ? evhttp_uri_get_path(uri) : NULL;
    struct api_ctx c = {.d = api_d, .req = req, .uid = (uid_t)-1};
    if (peer_creds(req, &c.uid, &c.pid) < 0) {
        send_error_req(req, 403, "", "cannot identify the peer");
        return;
    }
    SN_AUTOFREE char *path = rawpath ? evhttp_uridecode(rawpath, 0, NULL) : NULL;
    if (path == NULL) {
        send_error_req(req, 400, "", "malformed request path");
        return;
    }
    struct evkeyvalq query;
    TAILQ_INIT(&query);
    const char *qs = uri ? evhttp_uri_get_query(uri) : NULL;
    if (qs != NULL && evhttp_parse_query_str(qs, &query) < 0) {
        send_error_req(req, 400, "", "malformed query string");
        return;
    }
    c.path = path;
    c.query = &query;
    const struct route *hit = NULL;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        const struct route *r = &routes[i];
        size_t pl = strlen(r->prefix);
        if (!r->has_arg && strcmp(path, r->prefix) == 0) {
            hit = r;
        } else if (r->has_arg && strncmp(path, r->prefix, pl) == 0 && path[pl] != '\0' &&
                   strchr(path + pl, '/') == NULL) {
            hit = r;
            c.arg = path + pl;
        }
        if (hit) {
            break;
        }
    }
    log_debug("%s %s (uid %d)", evhttp_request_get_command(req) == EVHTTP_REQ_GET ? "GET" : "POST",
              path, (int)c.uid);
    if (hit == NULL) {
        send_error_req(req, 404, "", "not found");
    } else {
        hit->fn(&c);
    }
    evhttp_clear_headers(&query);
}

/* ---- offload ---- */

struct offload_job {
    void (*fn)(void *);
    void (*done)(void *);
    void *arg;
};

static void *offload_thread(void *p) {
    struct offload_job *job = p;
    job->fn(job->arg);
    ssize_t n;
    do {
        n = write(offload_pipe[1], &job, sizeof(job));
    } while (n < 0 && errno == EINTR);
    return NULL;
}

static void offload_ready(evutil_socket_t fd, short what, void *arg) {
    (void)what;
    (void)arg;
    struct offload_job *job = NULL;
    while (read(fd, &job, sizeof(job)) == (ssize_t)sizeof(job)) {
        job->done(job->arg);
        free(job);
    }
    malloc_trim(0);
}

void api_offload(void (*fn)(void *), void (*done)(void *), void *arg) {
    struct offload_job *job = xcalloc(1, sizeof(*job));
    job->fn = fn;
    job->done = done;
    job->arg = arg;
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&th, &attr, offload_thread, job) != 0) {
        /* no thread: do it inline */
        fn(arg);
        done(arg);
        free(job);
    }
    pthread_attr_destroy(&attr);
}

int api_start(struct daemon *d, struct event_base *base, const char *socket_path,
              struct sn_err *err) {
    api_d = d;
    api_base = base;
    if (pipe2(offload_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        return sn_err_set(err, -errno, "cannot create pipe: %s", strerror(errno));
    }
    offload_ev = event_new(base, offload_pipe[0], EV_READ | EV_PERSIST, offload_ready, NULL);
    event_add(offload_ev, NULL);
    trim_ev = evtimer_new(base, trim_cb, NULL);

    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof(sa.sun_path)) {
        return sn_err_set(err, -ENAMETOOLONG, "socket path '%s' is too long", socket_path);
    }
    memcpy(sa.sun_path, socket_path, strlen(socket_path) + 1);
    SN_AUTOCLOSE int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot create socket: %s", strerror(errno));
    }
    (void)unlink(socket_path);
    mode_t old = umask(0111);
    int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    umask(old);
    if (r < 0 || listen(fd, 128) < 0) {
        return sn_err_set(err, -errno, "cannot listen on '%s': %s", socket_path, strerror(errno));
    }
    (void)chmod(socket_path, 0666);
    http = evhttp_new(base);
    if (http == NULL) {
        return sn_err_set(err, -ENOMEM, "cannot create the HTTP server");
    }
    /* uploads of big snaps from the real snap client arrive in memory (evhttp 2.1 has no
     * streaming server bodies); snapc sends a path instead */
    evhttp_set_max_body_size(http, (ev_ssize_t)4 * 1024 * 1024 * 1024LL);
    evhttp_set_max_headers_size(http, 64 * 1024);
    evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT);
    evhttp_set_timeout(http, 600);
    evhttp_set_gencb(http, dispatch, NULL);
    if (evhttp_accept_socket_with_handle(http, fd) == NULL) {
        return sn_err_set(err, -EIO, "cannot serve on '%s'", socket_path);
    }
    (void)SN_TAKE_FD(fd);
    return 0;
}

void api_stop(void) {
    if (http) {
        evhttp_free(http);
        http = NULL;
    }
    if (offload_ev) {
        event_free(offload_ev);
        offload_ev = NULL;
    }
    if (trim_ev) {
        event_free(trim_ev);
        trim_ev = NULL;
    }
    for (int i = 0; i < 2; i++) {
        if (offload_pipe[i] >= 0) {
            (void)close(offload_pipe[i]);
            offload_pipe[i] = -1;
        }
    }
}
