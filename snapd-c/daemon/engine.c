/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "engine.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fault.h"
#include "history.h"
#include "log.h"
#include "xalloc.h"

#include "banned.h"

static pthread_t runner;
static pthread_cond_t wake_cv = PTHREAD_COND_INITIALIZER;
static bool stop_req = false;
static bool wake_req = false;
static bool started = false;
static const struct task_kind *const *task_kinds;
static struct daemon *eng_d;

/* changes moved to the history since the last heap compaction (runner thread, state lock) */
#define COMPACT_AFTER 16
static unsigned finished_since_compact;

static const struct task_kind *find_kind(const char *kind) {
    for (size_t t = 0; task_kinds && task_kinds[t]; t++) {
        for (const struct task_kind *k = task_kinds[t]; k->kind; k++) {
            if (strcmp(k->kind, kind) == 0) {
                return k;
            }
        }
    }
    return NULL;
}

void task_note(struct task_ctx *t, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (t->notes == NULL) {
        t->notes = json_object_new_array();
    }
    json_object_array_add(t->notes, json_object_new_string(msg));
}

static struct json_object *task_at(struct state *st, struct json_object *ids, size_t i) {
    return state_task(st, json_object_get_string(json_object_array_get_idx(ids, i)));
}

/* Next piece of work. Undo work (last to first) wins over do work (first to last). */
static struct json_object *pick(struct state *st, bool *undo) {
    /* oldest change first: ids are increasing integers */
    struct json_object *best = NULL;
    long long best_id = -1;
    json_object_object_foreach(state_changes(st), cid, chg) {
        bool ready = false;
        (void)change_status(st, chg, &ready);
        long long v = strtoll(cid, NULL, 10);
        if (!ready && (best_id < 0 || v < best_id)) {
            best = chg;
            best_id = v;
        }
    }
    if (best == NULL) {
        return NULL;
    }
    struct json_object *ids = NULL;
    json_object_object_get_ex(best, "task-ids", &ids);
    size_t n = json_object_array_length(ids);
    /* a task interrupted mid-do (crash) is finished first, so undo sees a whole task */
    for (size_t i = 0; i < n; i++) {
        struct json_object *t = task_at(st, ids, i);
        if (t && task_get_status(t) == T_DOING) {
            *undo = false;
            return t;
        }
    }
    for (size_t i = n; i-- > 0;) {
        struct json_object *t = task_at(st, ids, i);
        enum task_status s = t ? task_get_status(t) : T_ERROR;
        if (s == T_UNDO || s == T_UNDOING) {
            *undo = true;
            return t;
        }
    }
    for (size_t i = 0; i < n; i++) {
        struct json_object *t = task_at(st, ids, i);
        enum task_status s = t ? task_get_status(t) : T_ERROR;
        if (s == T_DO || s == T_DOING) {
            *undo = false;
            return t;
        }
    }
    return NULL;
}

/* After a failure or an abort: hold pending tasks, undo done ones. */
static void start_undo(struct state *st, struct json_object *chg) {
    struct json_object *ids = NULL;
    json_object_object_get_ex(chg, "task-ids", &ids);
    for (size_t i = 0; i < json_object_array_length(ids); i++) {
        struct json_object *t = task_at(st, ids, i);
        enum task_status s = task_get_status(t);
        if (s == T_DO) {
            task_set_status(t, T_HOLD);
        } else if (s == T_DONE) {
            task_set_status(t, T_UNDO);
        }
    }
}

/* A ready change is history: keep what clients show (summaries, statuses, logs, times), drop
 * the working data (a resident daemon on a small board pays for every object). */
static void compact_ready(struct state *st, struct json_object *chg) {
    struct json_object *data = NULL, *ids = NULL;
    json_object_object_get_ex(chg, "data", &data);
    json_object_object_del(data, "snap-setup");
    json_object_object_del(data, "snap-setups");
    json_object_object_del(chg, "abort-requested");
    json_object_object_get_ex(chg, "task-ids", &ids);
    for (size_t i = 0; i < json_object_array_length(ids); i++) {
        struct json_object *t = task_at(st, ids, i), *log = NULL;
        if (t == NULL) {
            continue;
        }
        json_object_object_del(t, "data");
        json_object_object_del(t, "change");
        if (json_object_object_get_ex(t, "log", &log) && json_object_array_length(log) == 0) {
            json_object_object_del(t, "log");
        }
    }
}

/* Move a ready change out of the live state into the history. */
static void to_history(struct state *st, struct json_object *chg) {
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE char *cid = xstrdup(js_str(chg, "id"));
    SN_FAULT_POINT("history", "before");
    if (history_add(state_change_json(st, chg), &err) < 0) {
        log_warn("cannot save change %s to the history: %s", cid, err.msg);
        return;
    }
    SN_FAULT_POINT("history", "after");
    struct json_object *ids = NULL;
    json_object_object_get_ex(chg, "task-ids", &ids);
    for (size_t i = 0; i < json_object_array_length(ids); i++) {
        json_object_object_del(state_tasks(st),
                               json_object_get_string(json_object_array_get_idx(ids, i)));
    }
    json_object_object_del(state_changes(st), cid);
}

static void finish_if_ready(struct state *st, struct json_object *chg) {
    bool ready = false;
    (void)change_status(st, chg, &ready);
    if (!ready) {
        return;
    }
    if (js_str(chg, "ready-time") != NULL) {
        compact_ready(st, chg);
        to_history(st, chg);
        return;
    }
    char now[40];
    state_now(now);
    js_set_str(chg, "ready-time", now);
    /* files the change owned until a task took them over (e.g. an upload) */
    struct json_object *data = NULL, *paths = NULL;
    json_object_object_get_ex(chg, "data", &data);
    if (json_object_object_get_ex(data, "cleanup-paths", &paths)) {
        for (size_t i = 0; i < json_object_array_length(paths); i++) {
            (void)unlink(json_object_get_string(json_object_array_get_idx(paths, i)));
        }
        json_object_object_del(data, "cleanup-paths");
    }
    compact_ready(st, chg);
    to_history(st, chg);
}

static void commit_or_warn(struct state *st) {
    struct sn_err err = SN_ERR_INIT;
    if (state_commit(st, &err) < 0) {
        log_error("cannot save state: %s", err.msg);
    }
}

static void run_one(struct daemon *d, struct json_object *task, bool undo) {
    struct state *st = &d->state;
    SN_AUTOFREE char *tid = xstrdup(js_str(task, "id"));
    SN_AUTOFREE char *kind = xstrdup(js_str(task, "kind"));
    SN_AUTOFREE char *cid = xstrdup(js_str(task, "change"));
    struct json_object *chg = state_change(st, cid);
    const struct task_kind *k = find_kind(kind);
    task_set_status(task, undo ? T_UNDOING : T_DOING);
    commit_or_warn(st);

    struct json_object *tdata = NULL, *cdata = NULL;
    json_object_object_get_ex(task, "data", &tdata);
    json_object_object_get_ex(chg, "data", &cdata);
    struct task_ctx ctx = {.id = tid, .kind = kind};
    if (tdata != NULL) {
        (void)json_object_deep_copy(tdata, &ctx.data, NULL);
    } else {
        ctx.data = json_object_new_object();
    }
    (void)json_object_deep_copy(cdata, &ctx.chg_data, NULL);
    state_unlock();

    struct sn_err err = SN_ERR_INIT;
    int r = 0;
    task_handler fn = k == NULL ? NULL : undo ? k->undo_fn : k->do_fn;
    if (k == NULL) {
        r = sn_err_set(&err, -ENOSYS, "no handler for task kind '%s'", kind);
    } else if (fn != NULL) {
        SN_FAULT_POINT(kind, undo ? "undo-before" : "before");
        SN_FAULT_DELAY(kind);
        r = !undo && SN_FAULT_FAIL(kind) ? sn_err_set(&err, -EIO, "injected failure in %s", kind)
                                         : fn(d, &ctx, &err);
        SN_FAULT_POINT(kind, undo ? "undo-after" : "after");
    }

    state_lock();
    task = state_task(st, tid);
    chg = state_change(st, cid);
    if (json_object_object_length(ctx.data) > 0) {
        json_object_object_add(task, "data", ctx.data);
    } else {
        json_object_put(ctx.data);
        json_object_object_del(task, "data");
    }
    json_object_object_add(chg, "data", ctx.chg_data);
    for (size_t i = 0; ctx.notes && i < json_object_array_length(ctx.notes); i++) {
        task_log(task, "INFO", "%s",
                 json_object_get_string(json_object_array_get_idx(ctx.notes, i)));
    }
    if (ctx.notes) {
        json_object_put(ctx.notes);
    }
    if (!undo) {
        if (r == 0) {
            task_set_status(task, T_DONE);
            /* an abort requested while this task ran */
            if (js_bool(chg, "abort-requested")) {
                start_undo(st, chg);
            }
        } else {
            task_log(task, "ERROR", "%s", err.msg);
            js_set_str(task, "error", err.msg);
            task_set_status(task, T_ERROR);
            log_error("change %s: task %s (%s) failed: %s", cid, tid, kind, err.msg);
            start_undo(st, chg);
        }
    } else if (r == 0) {
        task_set_status(task, T_UNDONE);
    } else {
        task_log(task, "ERROR", "cannot undo: %s", err.msg);
        js_set_str(task, "error", err.msg);
        task_set_status(task, T_ERROR);
        log_error("change %s: cannot undo task %s (%s): %s", cid, tid, kind, err.msg);
    }
    /* The task's outcome and what its handler changed in the state are committed first;
     * only then may a ready change move to the history (which a restart trusts: a change found
     * there is dropped from the state without running anything again). The other order lost
     * the last task's state changes when the daemon died between the two writes. */
    commit_or_warn(st);
    bool was_live = state_change(st, cid) != NULL;
    finish_if_ready(st, chg);
    if (was_live && state_change(st, cid) == NULL) {
        finished_since_compact++; /* moved to the history */
        commit_or_warn(st);
    }
}

/* After a burst of changes the heap is a patchwork of small live objects (state, metadata)
 * between freed ones, and glibc can only return whole free pages. Rebuilding the long-lived
 * structures when the runner goes idle packs them into fresh memory so the rest can be
 * trimmed. State lock held. */

static void compact_heap(struct daemon *d) {
    struct state *st = &d->state;
    size_t len = 0;
    const char *text = json_object_to_json_string_length(st->root, JSON_C_TO_STRING_PLAIN, &len);
    char *copy = strndup(text, len);
    if (copy == NULL) {
        return;
    }
    struct json_object *fresh = json_tokener_parse(copy);
    free(copy);
    if (fresh == NULL) {
        return;
    }
    json_object_put(st->root);
    st->root = fresh;
    snap_cache_clear();
    json_object_object_foreach(state_snaps(st), name, snapst) {
        if (js_str(snapst, "current") != NULL) {
            (void)snap_cache_get(d, name, js_str(snapst, "current"));
        }
    }
}

static void *runner_main(void *arg) {
    struct daemon *d = arg;
    state_lock();
    while (!stop_req) {
        bool undo = false;
        struct json_object *t = pick(&d->state, &undo);
        if (t == NULL) {
            wake_req = false;
            if (finished_since_compact >= COMPACT_AFTER) {
                compact_heap(d);
                finished_since_compact = 0;
            }
            /* idle: give freed heap back to the system */
            malloc_trim(0);
            while (!wake_req && !stop_req) {
                pthread_cond_wait(&wake_cv, (pthread_mutex_t *)state_mutex());
            }
            continue;
        }
        run_one(d, t, undo);
    }
    state_unlock();
    return NULL;
}

int engine_start(struct daemon *d, const struct task_kind *const *kinds, struct sn_err *err) {
    task_kinds = kinds;
    eng_d = d;
    stop_req = false;
    /* a change whose tasks are all settled but never marked ready (crash in between) */
    state_lock();
    size_t n = (size_t)json_object_object_length(state_changes(&d->state)), k = 0;
    char **ids = xcalloc(n + 1, sizeof(char *));
    json_object_object_foreach(state_changes(&d->state), cid, unused) {
        (void)unused;
        ids[k++] = xstrdup(cid);
    }
    for (size_t i = 0; i < k; i++) {
        struct json_object *chg = state_change(&d->state, ids[i]);
        if (history_find(ids[i]) != NULL) {
            /* saved to the history but not yet dropped from the state when we stopped */
            struct json_object *tids = NULL;
            json_object_object_get_ex(chg, "task-ids", &tids);
            for (size_t j = 0; j < json_object_array_length(tids); j++) {
                json_object_object_del(state_tasks(&d->state),
                                       json_object_get_string(json_object_array_get_idx(tids, j)));
            }
            json_object_object_del(state_changes(&d->state), ids[i]);
            continue;
        }
        if (js_bool(chg, "abort-requested")) {
            start_undo(&d->state, chg);
        }
        finish_if_ready(&d->state, chg);
    }
    sn_strv_free(ids);
    commit_or_warn(&d->state);
    state_unlock();
    int r = pthread_create(&runner, NULL, runner_main, d);
    if (r != 0) {
        return sn_err_set(err, -r, "cannot start the task runner: %s", strerror(r));
    }
    started = true;
    return 0;
}

void engine_wake(void) {
    state_lock();
    wake_req = true;
    pthread_cond_signal(&wake_cv);
    state_unlock();
}

void engine_stop(void) {
    if (!started) {
        return;
    }
    state_lock();
    stop_req = true;
    pthread_cond_signal(&wake_cv);
    state_unlock();
    pthread_join(runner, NULL);
    started = false;
}

int engine_abort(struct daemon *d, const char *change_id, struct sn_err *err) {
    struct json_object *chg = state_change(&d->state, change_id);
    if (chg == NULL && history_find(change_id) == NULL) {
        return sn_err_setk(err, -ENOENT, "", "cannot find change with id \"%s\"", change_id);
    }
    bool ready = true; /* a change in the history is ready */
    if (chg != NULL) {
        (void)change_status(&d->state, chg, &ready);
    }
    if (ready) {
        return sn_err_setk(err, -EBUSY, "", "cannot abort change %s with nothing pending",
                           change_id);
    }
    json_object_object_add(chg, "abort-requested", json_object_new_boolean(1));
    /* tasks not running now are held or undone at once; a running task finishes first */
    struct json_object *ids = NULL;
    json_object_object_get_ex(chg, "task-ids", &ids);
    bool running = false;
    for (size_t i = 0; i < json_object_array_length(ids); i++) {
        enum task_status s = task_get_status(task_at(&d->state, ids, i));
        running = running || s == T_DOING || s == T_UNDOING;
    }
    if (!running) {
        start_undo(&d->state, chg);
    } else {
        for (size_t i = 0; i < json_object_array_length(ids); i++) {
            struct json_object *t = task_at(&d->state, ids, i);
            if (task_get_status(t) == T_DO) {
                task_set_status(t, T_HOLD);
            }
        }
    }
    int r = state_commit(&d->state, err); /* before the history: see run_one */
    if (r == 0) {
        finish_if_ready(&d->state, chg);
        r = state_commit(&d->state, err);
    }
    wake_req = true;
    pthread_cond_signal(&wake_cv);
    return r;
}
