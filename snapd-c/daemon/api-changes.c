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
#include "snap-json.h"
#include "banned.h"

/* snapd's change JSON (state lock held) */
static struct json_object *change_json(struct state *st, struct json_object *chg) {
    struct json_object *o = json_object_new_object();
    bool ready = false;
    const char *status = change_status(st, chg, &ready);
    js_set_str(o, "id", js_str(chg, "id"));
    js_set_str(o, "kind", js_str(chg, "kind"));
    js_set_str(o, "summary", js_str(chg, "summary"));
    js_set_str(o, "status", status);
    json_object_object_add(o, "ready", json_object_new_boolean(ready));
    const char *err = change_err(st, chg);
    if (err != NULL) {
        SN_AUTOFREE char *msg = NULL;
        if (asprintf(&msg, "cannot perform the following tasks:\n- %s (%s)",
                     js_str(chg, "summary"), err) > 0) {
            js_set_str(o, "err", msg);
        }
    }
    js_set_str(o, "spawn-time", js_str(chg, "spawn-time"));
    if (ready) {
        js_set_str(o, "ready-time", js_str(chg, "ready-time"));
    }
    struct json_object *tasks = json_object_new_array();
    struct json_object *ids = NULL;
    json_object_object_get_ex(chg, "task-ids", &ids);
    for (size_t i = 0; i < json_object_array_length(ids); i++) {
        struct json_object *t =
            state_task(st, json_object_get_string(json_object_array_get_idx(ids, i)));
        if (t == NULL) {
            continue;
        }
        struct json_object *tj = json_object_new_object();
        js_set_str(tj, "id", js_str(t, "id"));
        js_set_str(tj, "kind", js_str(t, "kind"));
        js_set_str(tj, "summary", js_str(t, "summary"));
        js_set_str(tj, "status", js_str(t, "status"));
        struct json_object *log = NULL;
        if (json_object_object_get_ex(t, "log", &log) && json_object_array_length(log) > 0) {
            json_object_object_add(tj, "log", json_object_get(log));
        }
        enum task_status s = task_get_status(t);
        bool tdone = s == T_DONE || s == T_UNDONE || s == T_ERROR || s == T_HOLD;
        struct json_object *prog = json_object_new_object();
        js_set_str(prog, "label", "");
        json_object_object_add(prog, "done", json_object_new_int(tdone ? 1 : 0));
        json_object_object_add(prog, "total", json_object_new_int(1));
        json_object_object_add(tj, "progress", prog);
        js_set_str(tj, "spawn-time", js_str(t, "spawn-time"));
        if (js_str(t, "ready-time")) {
            js_set_str(tj, "ready-time", js_str(t, "ready-time"));
        }
        json_object_array_add(tasks, tj);
    }
    json_object_object_add(o, "tasks", tasks);
    struct json_object *data = NULL, *names = NULL;
    json_object_object_get_ex(chg, "data", &data);
    if (json_object_object_get_ex(data, "snap-names", &names)) {
        struct json_object *d = json_object_new_object();
        json_object_object_add(d, "snap-names", json_object_get(names));
        struct json_object *one = NULL;
        if (json_object_object_get_ex(data, "snap-name", &one)) {
            json_object_object_add(d, "snap-name", json_object_get(one));
        }
        json_object_object_add(o, "data", d);
    }
    return o;
}

static bool change_for(struct json_object *chg, const char *snap) {
    struct json_object *data = NULL, *names = NULL;
    json_object_object_get_ex(chg, "data", &data);
    json_object_object_get_ex(data, "snap-names", &names);
    for (size_t i = 0; i < json_object_array_length(names); i++) {
        if (strcmp(json_object_get_string(json_object_array_get_idx(names, i)), snap) == 0) {
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
    for (size_t i = 0; i < k; i++) {
        json_object_array_add(arr, change_json(st, v[i]));
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
        struct json_object *o = chg ? change_json(&c->d->state, chg) : NULL;
        state_unlock();
        if (o == NULL) {
            api_error(c, 404, "", "cannot find change with id \"%s\"", c->arg);
        } else {
            api_sync(c, 200, o);
        }
        return;
    }
    if (m != EVHTTP_REQ_POST) {
        api_error(c, 405, "", "method not allowed");
        return;
    }
    if (!api_require_root(c)) {
        return;
    }
    SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *body = api_json_body(c);
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
    struct json_object *o = r == 0 && chg ? change_json(&c->d->state, chg) : NULL;
    state_unlock();
    if (r < 0) {
        api_error(c, r == -ENOENT ? 404 : 400, "", "%s", err.msg);
        return;
    }
    api_sync(c, 200, o);
}
