/* SPDX-License-Identifier: GPL-3.0-only
 * env.h: the environment an app starts with (snapd's snap/snapenv + snap-exec), and Go's
 * os.Expand, which snapd uses to expand $VAR in snap.yaml `environment:` and command args.
 */
#ifndef CF_ENV_H
#define CF_ENV_H

#include <stddef.h>
#include <sys/types.h>

#include "launch.h"

/* A NULL-terminated vector of heap "NAME=VALUE" strings. */
struct cf_env {
    char **v;
    size_t n;
};

struct cf_user {
    uid_t uid;
    gid_t gid;
    char *home;        /* real home as seen inside the namespace (SNAP_REAL_HOME) */
    char *user_data;   /* $home/snap/<instance>/<revision> */
    char *user_common; /* $home/snap/<instance>/common */
};

/* The calling user, with the home directory mapped into the namespace: "/" as root prefix
 * takes the passwd entry's home (which must be /root or below /home); another root prefix
 * uses /root for uid 0 and /home/<name> otherwise (ROOT/home is bound at /home). */
int cf_user_resolve(const char *root, const struct cf_launch *l, uid_t uid, gid_t gid,
                    struct cf_user *u, struct sn_err *err) SN_WUR;
void cf_user_release(struct cf_user *u);

void cf_env_init(struct cf_env *e, char *const *environ_);
void cf_env_release(struct cf_env *e);
/* Value of name, or NULL. Borrowed until the next change. */
const char *cf_env_get(const struct cf_env *e, const char *name);
void cf_env_set(struct cf_env *e, const char *name, const char *value);
/* Go os.Expand(s, lookup-in-e, missing = ""). Caller frees. */
char *cf_env_expand(const struct cf_env *e, const char *s);
/* Set the SNAP_* variables and HOME, then apply l->env in order with expansion. */
void cf_env_for_app(struct cf_env *e, const struct cf_launch *l, const struct cf_user *u);
/* argv for execve: exec entries, l->args expanded (empty results dropped, as snap-exec),
 * then the user's arguments unchanged (byte for byte). Caller owns; free with sn_strv_free. */
char **cf_build_argv(const struct cf_env *e, const struct cf_launch *l, char *const *user_args,
                     size_t nuser);

#endif
