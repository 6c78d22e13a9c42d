/* SPDX-License-Identifier: GPL-3.0-only
 * snapmgr.h: install, refresh-from-file and remove as changes of tasks (snapd's chains):
 *
 *   install: prepare-snap > copy-snap > mount-snap > copy-snap-data > auto-connect >
 *            setup-profiles > link-snap > start-snap-services [> discard-old-revisions]
 *   remove:  stop-snap-services > disconnect-snap > remove-profiles > unlink-snap > discard-snap
 *
 * Every handler is idempotent and a failing do leaves nothing behind; undo reverses a done task.
 */
#ifndef SNAPD_SNAPMGR_H
#define SNAPD_SNAPMGR_H

#include <stdbool.h>

#include "daemon.h"
#include "engine.h"

extern const struct task_kind snapmgr_task_kinds[];

struct install_req {
    const char *path;         /* the .snap to install */
    const char *display_name; /* file name the client gave (uploads), or NULL */
    bool is_upload;           /* path is a temp upload in the snaps dir: moved, not copied */
    bool dangerous;           /* unsigned local file accepted */
    bool devmode;
};

/* Validate req (meta read from the image, not mounted), then create the install change.
 * Takes the state lock itself. On success *change_id is the new change (caller owns). */
int snapmgr_install(struct daemon *d, const struct install_req *req, char **change_id,
                    char **snap_name, struct sn_err *err) SN_WUR;
int snapmgr_remove(struct daemon *d, const char *name, bool purge, char **change_id,
                   struct sn_err *err) SN_WUR;
/* One change for several snaps (snap install --dangerous a.snap b.snap, snap remove a b).
 * Each snap gets its own setup ("snap-setups"[name]) and chain of tasks; a failure undoes the
 * whole change. */
int snapmgr_install_many(struct daemon *d, const struct install_req *reqs, size_t n,
                         char **change_id, struct sn_err *err) SN_WUR;
int snapmgr_remove_many(struct daemon *d, char *const *names, size_t n, bool purge,
                        char **change_id, struct sn_err *err) SN_WUR;
/* Boot path: mount every revision recorded in state, drop stale mounts and uploads. */
int snapmgr_startup(struct daemon *d, struct sn_err *err) SN_WUR;

#endif
