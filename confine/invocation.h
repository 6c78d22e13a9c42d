/* SPDX-License-Identifier: GPL-3.0-only
 * invocation.h: the command line of snapc-confine.
 *
 *   snapc-confine [--root DIR] [--] TAG [ARGS...]
 *   ROOT/snap/bin/SNAP[.APP] [ARGS...]      (a symlink to snapc-confine)
 *
 * TAG is a security tag, snap.NAME[_KEY].APP or snap.NAME[_KEY].hook.HOOK. Options end at
 * TAG; ARGS are passed to the app byte for byte and never parsed. --root (and the SNAPC_ROOT
 * environment variable) are honoured only when the real user is root.
 */
#ifndef CF_INVOCATION_H
#define CF_INVOCATION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

struct cf_invocation {
    char *root; /* canonical root prefix (realpath), "/" by default; heap */
    char tag[160];
    char instance[64];
    char app[64]; /* app or hook name */
    bool is_hook;
    char **args; /* borrowed from argv */
    size_t nargs;
    bool help, version;
};

/* env_root: the SNAPC_ROOT value (already read with secure_getenv), or NULL.
 * Returns 0, or -EINVAL for a usage error, -EPERM for --root by a non-root user. */
int cf_invocation_parse(int argc, char **argv, uid_t real_uid, const char *env_root,
                        struct cf_invocation *inv, struct sn_err *err) SN_WUR;
void cf_invocation_release(struct cf_invocation *inv);

#endif
