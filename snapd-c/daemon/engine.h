/* SPDX-License-Identifier: GPL-3.0-only
 * engine.h: runs the tasks of changes, one at a time, in a worker thread.
 *
 * Each task kind has a do and an undo handler, both idempotent: after a crash a task found in
 * Doing (Undoing) is run again. A failing do handler must leave no trace of itself. When a task
 * fails, every Done task of its change is undone in reverse order and the change ends in Error.
 * State is committed after every status transition. Test builds stop the process at
 * SNAPC_FAULT=<kind>:before|after.
 */
#ifndef SNAPD_ENGINE_H
#define SNAPD_ENGINE_H

#include <json-c/json.h>

#include "daemon.h"

struct task_ctx {
    const char *id;
    const char *kind;
    struct json_object *data;     /* the task's data: private copy, written back afterwards */
    struct json_object *chg_data; /* the change's data: private copy, written back afterwards */
    struct json_object *notes;    /* strings appended to the task's log afterwards */
};

/* Add a line to the task's log (shown by snap tasks / snapc change). */
void task_note(struct task_ctx *t, const char *fmt, ...) SN_FMT(2, 3);

typedef int (*task_handler)(struct daemon *d, struct task_ctx *t, struct sn_err *err);

struct task_kind {
    const char *kind;
    task_handler do_fn;
    task_handler undo_fn; /* NULL: nothing to undo */
};

/* kinds: NULL-terminated list of NULL-terminated task kind tables. */
int engine_start(struct daemon *d, const struct task_kind *const *kinds, struct sn_err *err) SN_WUR;
/* Wake the runner after adding a change (call without the state lock). */
void engine_wake(void);
/* Ask the runner to stop after the current task and wait for it. */
void engine_stop(void);
/* Abort a change (state lock held): pending tasks are held, done ones undone. */
int engine_abort(struct daemon *d, const char *change_id, struct sn_err *err) SN_WUR;

#endif
