/* SPDX-License-Identifier: GPL-3.0-only
 * api.h: snapd's /v2 REST API over the unix socket ROOT/run/snapd.socket, served by libevent's
 * evhttp with json-c. Envelope: {"type": "sync"|"async"|"error", "status-code", "status",
 * "result", "change"}. Requests that change state need a root peer (SO_PEERCRED); reads are
 * open to every local user.
 */
#ifndef SNAPD_API_H
#define SNAPD_API_H

#include <event2/event.h>
#include <event2/http.h>
#include <json-c/json.h>
#include <stdbool.h>

#include "daemon.h"

struct api_ctx {
    struct daemon *d;
    struct evhttp_request *req;
    uid_t uid; /* peer credentials */
    pid_t pid;
    const char *path; /* decoded path without query */
    const char *arg;  /* the {name} or {id} path component, or NULL */
    struct evkeyvalq *query;
};

int api_start(struct daemon *d, struct event_base *base, const char *socket_path,
              struct sn_err *err) SN_WUR;
void api_stop(void);

/* Responses (each sends and finishes the request). result is consumed. */
void api_sync(struct api_ctx *c, int status, struct json_object *result);
void api_async(struct api_ctx *c, const char *change_id);
void api_error(struct api_ctx *c, int status, const char *kind, const char *fmt, ...) SN_FMT(4, 5);
/* snapd's 404 snap-not-found: the message, and the snap's name as the error's "value" (the
 * real client words its message with it: snap "NAME" not found). */
void api_snap_not_found(struct api_ctx *c, const char *name, const char *fmt, ...) SN_FMT(3, 4);
/* Map an sn_err from a lower layer to an HTTP status + envelope. */
void api_error_from(struct api_ctx *c, const struct sn_err *err);

/* Parse the request body as a JSON object (max 1 MiB). NULL (and an error already sent) when
 * the body is not a JSON object. Caller owns. */
struct json_object *api_json_body(struct api_ctx *c);
/* The JSON body of a POST from root: NULL (and the error sent) when the method is not POST,
 * the peer is not root or the body is not a JSON object. Caller owns. */
struct json_object *api_post_body(struct api_ctx *c);
/* Root-only endpoints: false (error sent) when the peer is not root. */
bool api_require_root(struct api_ctx *c);

/* Run fn(arg) on a helper thread, then done(arg) back on the event loop. fn must not touch
 * evhttp or libevent; done may. */
void api_offload(void (*fn)(void *), void (*done)(void *), void *arg);

/* route handlers */
void api_system_info(struct api_ctx *c);
void api_snaps(struct api_ctx *c);
void api_snap(struct api_ctx *c);
void api_apps(struct api_ctx *c);
void api_find(struct api_ctx *c);
void api_changes(struct api_ctx *c);
void api_change(struct api_ctx *c);
void api_connections(struct api_ctx *c);
void api_interfaces(struct api_ctx *c);

#endif
