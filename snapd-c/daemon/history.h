/* SPDX-License-Identifier: GPL-3.0-only
 * history.h: ready changes, kept out of the live state.
 *
 * A change that is ready is history: clients still list it (snap changes, snap tasks), but
 * nothing acts on it. It is rendered once to its API JSON and appended as one line to
 * ROOT/var/lib/snapd/changes.json (JSON Lines, atomic rewrite), the newest HISTORY_KEEP of them.
 * Memory holds only an index (id, snap names, position); the text is read back on request.
 * A json-c tree of a change with its tasks costs ~16 KB of heap; its index entry ~100 bytes.
 * All functions need the state lock.
 */
#ifndef SNAPD_HISTORY_H
#define SNAPD_HISTORY_H

#include <json-c/json.h>
#include <stdbool.h>

#include "err.h"

#define HISTORY_KEEP 100

struct history_ent {
    long long id;
    char **snaps;    /* snap-names, NULL-terminated */
    size_t off, len; /* the change's line in the file */
};

int history_load(const char *path, struct sn_err *err) SN_WUR;
/* Take a rendered change (consumed) into the history and save. */
int history_add(struct json_object *change, struct sn_err *err) SN_WUR;
const struct history_ent *history_find(const char *id);
size_t history_count(void);
const struct history_ent *history_at(size_t i); /* oldest first */
/* A JSON value that serializes as the entry's text (read from the file). Caller owns; NULL
 * when the file cannot be read. */
struct json_object *history_json(const struct history_ent *e);
void history_release(void);

#endif
