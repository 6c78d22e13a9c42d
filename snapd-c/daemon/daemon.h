/* SPDX-License-Identifier: GPL-3.0-only
 * daemon.h: the snapd-c process context shared by the REST API, the task runner and the task
 * handlers.
 */
#ifndef SNAPD_DAEMON_H
#define SNAPD_DAEMON_H

#include <stdbool.h>

#include "state.h"

struct snap_info;

struct daemon {
    char *root;         /* root prefix, "/" by default */
    struct state state; /* guarded by state_lock() */
    char *self_dir;     /* directory of the snapd-c binary (to find snapc-confine) */
    int retain;         /* revisions kept per snap (refresh.retain) */
    bool stopping;
};

/* Path helpers: caller owns the result. */
char *d_path(const struct daemon *d, const char *fmt, ...) SN_FMT(2, 3);
char *d_blob_path(const struct daemon *d, const char *name, const char *rev);
char *d_mount_dir(const struct daemon *d, const char *name, const char *rev);
char *d_data_dir(const struct daemon *d, const char *name, const char *rev);

/* What the API and the link tasks need from an installed revision's snap.yaml, in one compact
 * allocation (a resident daemon with a hundred snaps must not keep a hundred YAML trees). */
struct snap_meta_app {
    const char *name;
    const char *daemon;       /* NULL for a command-line app */
    const char *daemon_scope; /* NULL when unset */
};

struct snap_meta {
    const char *name, *rev, *type, *version, *title, *summary, *description, *base, *confinement,
        *license;
    size_t napps;
    struct snap_meta_app apps[];
};

/* Cached metadata of an installed revision (read from the mounted snap, or the blob when not
 * mounted). Call with the state lock held; the result is borrowed and valid while the lock
 * stays held. NULL on failure. */
const struct snap_meta *snap_cache_get(struct daemon *d, const char *name, const char *rev);
void snap_cache_drop(const char *name, const char *rev);
void snap_cache_clear(void);
/* The full parsed snap.yaml of an installed revision, freshly read. Caller owns
 * (snap_info_free). */
int snap_info_load(struct daemon *d, const char *name, const char *rev, struct snap_info **out,
                   struct sn_err *err) SN_WUR;

#endif
