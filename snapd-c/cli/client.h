/* SPDX-License-Identifier: GPL-3.0-only
 * client.h: a small blocking HTTP/1.1 client for the daemon's unix socket
 * ($SNAPC_SOCKET, or $SNAPC_ROOT/run/snapd.socket).
 */
#ifndef SNAPC_CLIENT_H
#define SNAPC_CLIENT_H

#include <json-c/json.h>
#include <stdbool.h>

#include "err.h"

struct client_resp {
    int http_status;
    struct json_object *env;    /* the whole envelope; owned */
    const char *type;           /* "sync", "async", "error" (borrowed from env) */
    struct json_object *result; /* borrowed from env */
    const char *change;         /* async change id, borrowed */
};

/* Send a request; body may be NULL. Returns 0 with resp filled (caller releases), -ECONNREFUSED
 * or -ENOENT when no daemon listens, other -errno on I/O or protocol errors. */
int client_do(const char *method, const char *path, struct json_object *body,
              struct client_resp *resp, struct sn_err *err) SN_WUR;
void client_resp_release(struct client_resp *resp);
/* For an error envelope: "message (kind)" text. */
const char *client_error_message(const struct client_resp *resp);

/* Wait for an async change, showing progress on a terminal (plain lines otherwise).
 * Returns 0 when Done, 1 when it failed (the error printed), 3 when the daemon went away. */
int client_wait_change(const char *id, bool quiet);

/* GET path and expect a sync answer: SNAPC_EXIT_OK with resp filled (caller releases), or the
 * error printed and the exit code returned (resp then needs no release). */
int client_get(const char *path, struct client_resp *resp);

/* Map a client_do failure to snapc's exit code after printing it. */
int client_fail(int r, const struct sn_err *err);

#endif
