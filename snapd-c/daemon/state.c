/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "state.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cleanup.h"
#include "fault.h"
#include "fs.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

static pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;

void state_lock(void) {
    pthread_mutex_lock(&state_mu);
}

void state_unlock(void) {
    pthread_mutex_unlock(&state_mu);
}

void *state_mutex(void) {
    return &state_mu;
}

static struct json_object *ensure_obj(struct json_object *parent, const char *key) {
    struct json_object *o = NULL;
    if (!json_object_object_get_ex(parent, key, &o) || !json_object_is_type(o, json_type_object)) {
        o = json_object_new_object();
        json_object_object_add(parent, key, o);
    }
    return o;
}

static void normalize(struct state *st) {
    struct json_object *data = ensure_obj(st->root, "data");
    ensure_obj(data, "snaps");
    ensure_obj(data, "conns");
    ensure_obj(data, "config");
    ensure_obj(st->root, "changes");
    ensure_obj(st->root, "tasks");
}

int state_load(struct state *st, const char *path, struct sn_err *err) {
    st->path = xstrdup(path);
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    struct sn_err rerr = SN_ERR_INIT;
    int r = sn_read_file(path, 64 * 1024 * 1024, &data, &len, &rerr);
    if (r == -ENOENT) {
        st->root = json_object_new_object();
        normalize(st);
        return 0;
    }
    if (r < 0) {
        return sn_err_set(err, r, "%s", rerr.msg);
    }
    struct json_tokener *tok = json_tokener_new();
    st->root = json_tokener_parse_ex(tok, data, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    json_tokener_free(tok);
    if (st->root == NULL || jerr != json_tokener_success ||
        !json_object_is_type(st->root, json_type_object)) {
        if (st->root) {
            json_object_put(st->root);
            st->root = NULL;
        }
        return sn_err_set(err, -EINVAL, "cannot parse '%s': %s", path,
                          json_tokener_error_desc(jerr));
    }
    normalize(st);
    return 0;
}

int state_commit(struct state *st, struct sn_err *err) {
    size_t len = 0;
    const char *s = json_object_to_json_string_length(st->root, JSON_C_TO_STRING_PLAIN, &len);
    SN_FAULT_POINT("state-commit", "before");
    int r = sn_write_file_atomic(st->path, s, len, 0600, err);
    SN_FAULT_POINT("state-commit", "after");
    return r;
}

void state_release(struct state *st) {
    if (st->root) {
        json_object_put(st->root);
    }
    free(st->path);
    st->root = NULL;
    st->path = NULL;
}

struct json_object *state_snaps(struct state *st) {
    struct json_object *data = NULL, *snaps = NULL;
    json_object_object_get_ex(st->root, "data", &data);
    json_object_object_get_ex(data, "snaps", &snaps);
    return snaps;
}

struct json_object *state_snap(struct state *st, const char *name) {
    struct json_object *s = NULL;
    return json_object_object_get_ex(state_snaps(st), name, &s) ? s : NULL;
}

struct json_object *state_changes(struct state *st) {
    struct json_object *o = NULL;
    json_object_object_get_ex(st->root, "changes", &o);
    return o;
}

struct json_object *state_tasks(struct state *st) {
    struct json_object *o = NULL;
    json_object_object_get_ex(st->root, "tasks", &o);
    return o;
}

struct json_object *state_change(struct state *st, const char *id) {
    struct json_object *o = NULL;
    return json_object_object_get_ex(state_changes(st), id, &o) ? o : NULL;
}

struct json_object *state_task(struct state *st, const char *id) {
    struct json_object *o = NULL;
    return json_object_object_get_ex(state_tasks(st), id, &o) ? o : NULL;
}

void state_now(char out[40]) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char base[32];
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    (void)snprintf(out, 40, "%s.%09ldZ", base, ts.tv_nsec);
}

static char *next_id(struct state *st, const char *key) {
    int64_t n = js_int(st->root, key, 0) + 1;
    json_object_object_add(st->root, key, json_object_new_int64(n));
    return xasprintf("%lld", (long long)n);
}

const char *state_new_change(struct state *st, const char *kind, const char *summary) {
    SN_AUTOFREE char *id = next_id(st, "last-change-id");
    struct json_object *c = json_object_new_object();
    char now[40];
    state_now(now);
    js_set_str(c, "id", id);
    js_set_str(c, "kind", kind);
    js_set_str(c, "summary", summary);
    js_set_str(c, "spawn-time", now);
    json_object_object_add(c, "task-ids", json_object_new_array());
    json_object_object_add(c, "data", json_object_new_object());
    json_object_object_add(state_changes(st), id, c);
    return js_str(c, "id");
}

struct json_object *state_add_task(struct state *st, const char *change_id, const char *kind,
                                   const char *summary) {
    SN_AUTOFREE char *id = next_id(st, "last-task-id");
    struct json_object *t = json_object_new_object();
    char now[40];
    state_now(now);
    js_set_str(t, "id", id);
    js_set_str(t, "kind", kind);
    js_set_str(t, "summary", summary);
    js_set_str(t, "change", change_id);
    js_set_str(t, "spawn-time", now);
    task_set_status(t, T_DO);
    /* "data" and "log" are created when first needed: a queued change is mostly tasks that
     * have neither, and every json-c object costs ~700 bytes */
    json_object_object_add(state_tasks(st), id, t);
    struct json_object *chg = state_change(st, change_id), *ids = NULL;
    json_object_object_get_ex(chg, "task-ids", &ids);
    json_object_array_add(ids, json_object_new_string(id));
    return t;
}

static const char *const status_names[] = {"Do",     "Doing", "Done", "Undo", "Undoing",
                                           "Undone", "Error", "Hold", "Abort"};

struct json_object *change_setup_for(struct json_object *chg_data, struct json_object *task_data) {
    struct json_object *setups = NULL, *s = NULL;
    const char *snap = js_str(task_data, "snap");
    if (snap != NULL && json_object_object_get_ex(chg_data, "snap-setups", &setups) &&
        json_object_object_get_ex(setups, snap, &s)) {
        return s;
    }
    return json_object_object_get_ex(chg_data, "snap-setup", &s) ? s : NULL;
}

void change_setups_foreach(struct json_object *chg_data,
                           void (*fn)(struct json_object *setup, void *ctx), void *ctx) {
    struct json_object *one = NULL, *setups = NULL;
    if (json_object_object_get_ex(chg_data, "snap-setup", &one)) {
        fn(one, ctx);
    }
    if (json_object_object_get_ex(chg_data, "snap-setups", &setups)) {
        json_object_object_foreach(setups, name, s) {
            (void)name;
            fn(s, ctx);
        }
    }
}

struct json_object *task_data(struct json_object *task) {
    struct json_object *d = NULL;
    if (!json_object_object_get_ex(task, "data", &d) || d == NULL) {
        d = json_object_new_object();
        json_object_object_add(task, "data", d);
    }
    return d;
}

const char *task_status_str(enum task_status s) {
    return status_names[s];
}

enum task_status task_status_parse(const char *s) {
    for (size_t i = 0; s && i < sizeof(status_names) / sizeof(status_names[0]); i++) {
        if (strcmp(s, status_names[i]) == 0) {
            return (enum task_status)i;
        }
    }
    return T_ERROR;
}

enum task_status task_get_status(struct json_object *task) {
    return task_status_parse(js_str(task, "status"));
}

void task_set_status(struct json_object *task, enum task_status s) {
    js_set_str(task, "status", task_status_str(s));
    if (s == T_DONE || s == T_UNDONE || s == T_ERROR || s == T_HOLD) {
        char now[40];
        state_now(now);
        js_set_str(task, "ready-time", now);
    }
}

void task_log(struct json_object *task, const char *level, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    char now[40];
    state_now(now);
    SN_AUTOFREE char *line = xasprintf("%s %s %s", now, level, msg);
    struct json_object *log = NULL;
    if (!json_object_object_get_ex(task, "log", &log)) {
        log = json_object_new_array();
        json_object_object_add(task, "log", log);
    }
    json_object_array_add(log, json_object_new_string(line));
}

const char *change_status(struct state *st, struct json_object *chg, bool *ready) {
    struct json_object *ids = NULL;
    json_object_object_get_ex(chg, "task-ids", &ids);
    size_t n = json_object_array_length(ids);
    int count[9] = {0};
    for (size_t i = 0; i < n; i++) {
        struct json_object *t =
            state_task(st, json_object_get_string(json_object_array_get_idx(ids, i)));
        if (t) {
            count[task_get_status(t)]++;
        }
    }
    *ready = count[T_DO] + count[T_DOING] + count[T_UNDO] + count[T_UNDOING] + count[T_ABORT] == 0;
    if (count[T_ABORT]) {
        return "Abort";
    }
    if (count[T_DOING]) {
        return "Doing";
    }
    if (count[T_UNDOING]) {
        return "Undoing";
    }
    if (count[T_UNDO]) {
        return "Undo";
    }
    if (count[T_DO]) {
        return count[T_DONE] ? "Doing" : "Do";
    }
    if (count[T_ERROR]) {
        return "Error";
    }
    if (count[T_HOLD] && !count[T_DONE]) {
        return count[T_UNDONE] ? "Undone" : "Hold";
    }
    if (count[T_UNDONE]) {
        return "Undone";
    }
    return "Done";
}

const char *change_err(struct state *st, struct json_object *chg) {
    struct json_object *ids = NULL;
    json_object_object_get_ex(chg, "task-ids", &ids);
    for (size_t i = 0; i < json_object_array_length(ids); i++) {
        struct json_object *t =
            state_task(st, json_object_get_string(json_object_array_get_idx(ids, i)));
        if (t && task_get_status(t) == T_ERROR) {
            return js_str(t, "error");
        }
    }
    return NULL;
}

int state_check_conflict(struct state *st, const char *snap, struct sn_err *err) {
    json_object_object_foreach(state_changes(st), id, chg) {
        (void)id;
        bool ready = false;
        (void)change_status(st, chg, &ready);
        if (ready) {
            continue;
        }
        struct json_object *data = NULL, *names = NULL;
        json_object_object_get_ex(chg, "data", &data);
        json_object_object_get_ex(data, "snap-names", &names);
        for (size_t i = 0; i < json_object_array_length(names); i++) {
            if (strcmp(json_object_get_string(json_object_array_get_idx(names, i)), snap) == 0) {
                return sn_err_setk(err, -EBUSY, "snap-change-conflict",
                                   "snap \"%s\" has \"%s\" change in progress", snap,
                                   js_str(chg, "kind") ? js_str(chg, "kind") : "");
            }
        }
    }
    return 0;
}

struct json_object *state_change_json(struct state *st, struct json_object *chg) {
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
        if (asprintf(&msg, "cannot perform the following tasks:\n- %s (%s)", js_str(chg, "summary"),
                     err) > 0) {
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
            json_object_object_add(tj, "log", js_copy(log));
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
        json_object_object_add(d, "snap-names", js_copy(names));
        struct json_object *one = NULL;
        if (json_object_object_get_ex(data, "snap-name", &one)) {
            json_object_object_add(d, "snap-name", js_copy(one));
        }
        json_object_object_add(o, "data", d);
    }
    return o;
}

const char *js_str(struct json_object *o, const char *key) {
    struct json_object *v = NULL;
    if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_string)) {
        return NULL;
    }
    return json_object_get_string(v);
}

int64_t js_int(struct json_object *o, const char *key, int64_t def) {
    struct json_object *v = NULL;
    if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL) {
        return def;
    }
    return json_object_get_int64(v);
}

bool js_bool(struct json_object *o, const char *key) {
    struct json_object *v = NULL;
    return o != NULL && json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

struct json_object *js_copy(struct json_object *o) {
    struct json_object *c = NULL;
    if (o != NULL && json_object_deep_copy(o, &c, NULL) != 0) {
        SN_BUG("out of memory");
    }
    return c;
}

void js_set_str(struct json_object *o, const char *key, const char *val) {
    if (val == NULL) {
        json_object_object_del(o, key);
    } else {
        json_object_object_add(o, key, json_object_new_string(val));
    }
}
