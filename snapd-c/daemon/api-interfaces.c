/* SPDX-License-Identifier: GPL-3.0-only
 * /v2/connections and /v2/interfaces
 */
#define _GNU_SOURCE
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cleanup.h"
#include "ifacemgr.h"
#include "snap-json.h"

#include "banned.h"

static bool qbool(struct api_ctx *c, const char *key) {
    const char *v = evhttp_find_header(c->query, key);
    return v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

void api_connections(struct api_ctx *c) {
    if (evhttp_request_get_command(c->req) != EVHTTP_REQ_GET) {
        api_error(c, 405, "", "method not allowed");
        return;
    }
    const char *snap = evhttp_find_header(c->query, "snap");
    const char *iface = evhttp_find_header(c->query, "interface");
    const char *select = evhttp_find_header(c->query, "select");
    if (select != NULL && strcmp(select, "all") != 0) {
        api_error(c, 400, "", "unsupported select qualifier \"%s\"", select);
        return;
    }
    if (snap != NULL && ifacemgr_is_system_snap(snap) && snap[0] != '\0') {
        snap = IFACEMGR_SYSTEM_SNAP;
    }
    state_lock();
    struct json_object *r = ifacemgr_connections_json(c->d, snap, iface, select != NULL);
    state_unlock();
    api_sync(c, 200, r);
}

/* {"snap": ..., "plug"|"slot": ...} from the request's plugs/slots arrays */
static bool ref(struct json_object *body, const char *list, const char *key, const char **snap,
                const char **name) {
    struct json_object *arr = NULL;
    if (!json_object_object_get_ex(body, list, &arr) ||
        !json_object_is_type(arr, json_type_array) || json_object_array_length(arr) != 1) {
        return false;
    }
    struct json_object *o = json_object_array_get_idx(arr, 0);
    *snap = js_str(o, "snap") ? js_str(o, "snap") : "";
    *name = js_str(o, key) ? js_str(o, key) : "";
    return true;
}

void api_interfaces(struct api_ctx *c) {
    enum evhttp_cmd_type m = evhttp_request_get_command(c->req);
    if (m == EVHTTP_REQ_GET) {
        const char *select = evhttp_find_header(c->query, "select");
        state_lock();
        struct json_object *r;
        if (select == NULL) {
            /* the legacy shape: {"plugs": [...], "slots": [...]} of connected ends */
            struct json_object *conns = ifacemgr_connections_json(c->d, NULL, NULL, true);
            r = json_object_new_object();
            struct json_object *p = NULL, *s = NULL;
            json_object_object_get_ex(conns, "plugs", &p);
            json_object_object_get_ex(conns, "slots", &s);
            json_object_object_add(r, "plugs", json_object_get(p));
            json_object_object_add(r, "slots", json_object_get(s));
            json_object_put(conns);
        } else {
            r = ifacemgr_interfaces_json(c->d, strcmp(select, "all") == 0,
                                         evhttp_find_header(c->query, "names"), qbool(c, "doc"),
                                         qbool(c, "plugs"), qbool(c, "slots"));
        }
        state_unlock();
        api_sync(c, 200, r);
        return;
    }
    SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *body = api_post_body(c);
    if (body == NULL) {
        return;
    }
    const char *action = js_str(body, "action");
    const char *ps = NULL, *pn = NULL, *ss = NULL, *sn = NULL;
    if (action == NULL || (strcmp(action, "connect") != 0 && strcmp(action, "disconnect") != 0)) {
        api_error(c, 400, "", "unsupported interface action: \"%s\"", action ? action : "");
        return;
    }
    if (!ref(body, "plugs", "plug", &ps, &pn) || !ref(body, "slots", "slot", &ss, &sn)) {
        api_error(c, 400, "", "expected exactly one plug and one slot");
        return;
    }
    if (strcmp(action, "connect") == 0 && (ps[0] == '\0' || pn[0] == '\0')) {
        api_error(c, 400, "", "a plug is named as SNAP:PLUG");
        return;
    }
    SN_AUTOFREE char *cid = NULL;
    struct sn_err err = SN_ERR_INIT;
    int r = strcmp(action, "connect") == 0
                ? ifacemgr_connect(c->d, ps, pn, ss, sn, &cid, &err)
                : ifacemgr_disconnect(c->d, ps, pn, ss, sn, js_bool(body, "forget"), &cid, &err);
    if (r < 0) {
        api_error_from(c, &err);
        return;
    }
    api_async(c, cid);
}
