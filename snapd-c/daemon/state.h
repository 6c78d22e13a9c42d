/* SPDX-License-Identifier: GPL-3.0-only
 * state.h: the daemon's persistent state (state.json), snapd's shape:
 *
 *   {"data": {"snaps": {NAME: snapst}, "conns": {}, "config": {}},
 *    "changes": {ID: change}, "tasks": {ID: task},
 *    "last-change-id": N, "last-task-id": N}
 *
 *   snapst = {"type", "sequence": [{"name","revision","version"}], "active": bool,
 *             "current": "x1", "local-revision": N, "install-date", "instance-key"}
 *   change = {"id","kind","summary","task-ids":[...],"data":{...},"spawn-time","ready-time"}
 *   task   = {"id","kind","summary","status","change","data":{...},"log":[...],
 *             "spawn-time","ready-time"}
 *
 * The in-memory value is a json-c tree guarded by one mutex (state_lock/state_unlock); it is
 * written atomically (temp file, fsync, rename, fsync dir) by state_commit after every task
 * status transition.
 */
#ifndef SNAPD_STATE_H
#define SNAPD_STATE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "err.h"

enum task_status {
    T_DO,
    T_DOING,
    T_DONE,
    T_UNDO,
    T_UNDOING,
    T_UNDONE,
    T_ERROR,
    T_HOLD,
    T_ABORT,
};

struct state {
    char *path; /* ROOT/var/lib/snapd/state.json */
    struct json_object *root;
};

int state_load(struct state *st, const char *path, struct sn_err *err) SN_WUR;
/* Persist now. Call with the lock held. */
int state_commit(struct state *st, struct sn_err *err) SN_WUR;
void state_release(struct state *st);
void state_lock(void);
void state_unlock(void);
/* The mutex itself, for condition variables. */
void *state_mutex(void);

/* Accessors; all borrowed from st->root, valid while the lock is held. */
struct json_object *state_snaps(struct state *st);
struct json_object *state_snap(struct state *st, const char *name); /* NULL when absent */
struct json_object *state_changes(struct state *st);
struct json_object *state_tasks(struct state *st);
struct json_object *state_change(struct state *st, const char *id);
struct json_object *state_task(struct state *st, const char *id);

/* Create a change; returns its id (borrowed from the tree). */
const char *state_new_change(struct state *st, const char *kind, const char *summary);
/* Append a task (status Do) to a change; returns the task object. */
struct json_object *state_add_task(struct state *st, const char *change_id, const char *kind,
                                   const char *summary);

/* The snap-setup a task works on: change data "snap-setups"[task data "snap"] (changes that
 * carry several snaps), else change data "snap-setup". Borrowed; NULL when none. */
struct json_object *change_setup_for(struct json_object *chg_data, struct json_object *task_data);
/* Call fn for every snap-setup of a change's data. */
void change_setups_foreach(struct json_object *chg_data,
                           void (*fn)(struct json_object *setup, void *ctx), void *ctx);

/* The task's "data" object, created when absent. Borrowed. */
struct json_object *task_data(struct json_object *task);
const char *task_status_str(enum task_status s);
enum task_status task_status_parse(const char *s);
enum task_status task_get_status(struct json_object *task);
void task_set_status(struct json_object *task, enum task_status s);
void task_log(struct json_object *task, const char *level, const char *fmt, ...) SN_FMT(3, 4);
/* Derived change status ("Do", "Doing", "Done", "Undoing", "Error", ...) and readiness. */
const char *change_status(struct state *st, struct json_object *chg, bool *ready);
/* The first error logged by a task of the change, or NULL. */
const char *change_err(struct state *st, struct json_object *chg);
/* One change per snap, as snapd: 0 when no unfinished change touches snap, else -EBUSY with
 * kind "snap-change-conflict" and snapd's message 'snap "NAME" has "KIND" change in
 * progress' (KIND is the kind of the change in the way). State lock held. */
int state_check_conflict(struct state *st, const char *snap, struct sn_err *err) SN_WUR;

/* The change as snapd's API renders it (status, ready, err, tasks with progress). Caller owns. */
struct json_object *state_change_json(struct state *st, struct json_object *chg);

/* RFC 3339 UTC timestamp with nanoseconds, as snapd prints. */
void state_now(char out[40]);

/* json helpers */
const char *js_str(struct json_object *o, const char *key);
int64_t js_int(struct json_object *o, const char *key, int64_t def);
bool js_bool(struct json_object *o, const char *key);
void js_set_str(struct json_object *o, const char *key, const char *val);
/* A deep copy of o (NULL stays NULL). Objects move between the state and task data, API
 * answers or helper requests only as copies: json-c objects are not thread-safe (reference
 * counts, and the string cache that serialising writes), so an object shared with the state
 * must never be touched once the state lock is released. Caller owns. */
struct json_object *js_copy(struct json_object *o);

#endif
