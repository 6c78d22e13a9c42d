/* SPDX-License-Identifier: GPL-3.0-only
 * /v2/changes and /v2/changes/{id}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cleanup.h"
#include "engine.h"
#include "history.h"
#include "snap-json.h"

#include "banned.h"

/* A name in a change's snap-names is that snap's: "NAME" or, as snapd tolerates in
 * service-control changes, "NAME.APP" (daemon/api_general.go getChanges). */
static bool name_is(const char *name, const char *snap) {
    size_t n = strlen(snap);
    return strncmp(name, snap, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

static bool change_for(struct json_object *chg, const char *snap) {
    struct json_object *data = NULL, *names = NULL;
    json_object_object_get_ex(chg, "data", &data);
    json_object_object_get_ex(data, "snap-names", &names);
    for (size_t i = 0; i < json_object_array_length(names); i++) {
        if (name_is(json_object_get_string(json_object_array_get_idx(names, i)), snap)) {
            return true;
        }
    }
    return false;
}

static bool hist_for(const struct history_ent *e, const char *snap) {
    for (size_t i = 0; e->snaps[i]; i++) {
        if (name_is(e->snaps[i], snap)) {
            return true;
        }
    }
    return false;
}

static int cmp_id(const void *a, const void *b) {
    long long x = strtoll(js_str(*(struct json_object *const *)a, "id"), NULL, 10);
    long long y = strtoll(js_str(*(struct json_object *const *)b, "id"), NULL, 10);
    return (x > y) - (x < y);
}

void api_changes(struct api_ctx *c) {
    if (evhttp_request_get_command(c->req) != EVHTTP_REQ_GET) {
        api_error(c, 405, "", "method not allowed");
        return;
    }
    const char *select = evhttp_find_header(c->query, "select");
    const char *for_snap = evhttp_find_header(c->query, "for");
    if (select == NULL) {
        select = "in-progress";
    }
    if (strcmp(select, "all") != 0 && strcmp(select, "in-progress") != 0 &&
        strcmp(select, "ready") != 0) {
        api_error(c, 400, "", "select should be one of: all,in-progress,ready");
        return;
    }
    state_lock();
    struct state *st = &c->d->state;
    size_t n = (size_t)json_object_object_length(state_changes(st));
    struct json_object **v = calloc(n ? n : 1, sizeof(*v));
    size_t k = 0;
    json_object_object_foreach(state_changes(st), id, chg) {
        (void)id;
        bool ready = false;
        (void)change_status(st, chg, &ready);
        if ((strcmp(select, "in-progress") == 0 && ready) ||
            (strcmp(select, "ready") == 0 && !ready)) {
            continue;
        }
        if (for_snap && for_snap[0] && !change_for(chg, for_snap)) {
            continue;
        }
        v[k++] = chg;
    }
    qsort(v, k, sizeof(*v), cmp_id);
    struct json_object *arr = json_object_new_array();
    /* history (ready, older) first, then the live ones; both in id order */
    if (strcmp(select, "in-progress") != 0) {
        for (size_t i = 0; i < history_count(); i++) {
            const struct history_ent *e = history_at(i);
            if (for_snap && for_snap[0] && !hist_for(e, for_snap)) {
                continue;
            }
            struct json_object *hj = history_json(e);
            if (hj != NULL) {
                json_object_array_add(arr, hj);
            }
        }
    }
    for (size_t i = 0; i < k; i++) {
        json_object_array_add(arr, state_change_json(st, v[i]));
    }
    state_unlock();
    free(v);
    api_sync(c, 200, arr);
}

void api_change(struct api_ctx *c) {
    enum evhttp_cmd_type m = evhttp_request_get_command(c->req);
    if (m == EVHTTP_REQ_GET) {
        state_lock();
        struct json_object *chg = state_change(&c->d->state, c->arg);
        const struct history_ent *h = chg ? NULL : history_find(c->arg);
        struct json_object *o = chg ? state_change_json(&c->d->state, chg)
                                : h ? history_json(h)
                                    : NULL;
        state_unlock();
        if (o == NULL) {
            api_error(c, 404, "", "cannot find change with id \"%s\"", c->arg);
        } else {
            api_sync(c, 200, o);
        }
        return;
    }
    SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *body = api_post_body(c);
    if (body == NULL) {
        return;
    }
    const char *action = js_str(body, "action");
    if (action == NULL || strcmp(action, "abort") != 0) {
        api_error(c, 400, "", "change action \"%s\" is unsupported", action ? action : "");
        return;
    }
    struct sn_err err = SN_ERR_INIT;
    state_lock();
    int r = engine_abort(c->d, c->arg, &err);
    struct json_object *chg = state_change(&c->d->state, c->arg);
    const struct history_ent *h = chg ? NULL : history_find(c->arg);
    struct json_object *o = r != 0 ? NULL
                            : chg  ? state_change_json(&c->d->state, chg)
                            : h    ? history_json(h)
                                   : NULL;
    state_unlock();
    if (r < 0) {
        api_error(c, r == -ENOENT ? 404 : 400, "", "%s", err.msg);
        return;
    }
    api_sync(c, 200, o);
}
