/* SPDX-License-Identifier: GPL-3.0-only
 * process.h: the process state an app starts with: identity, capabilities, no_new_privs,
 * signal dispositions, file descriptors.
 */
#ifndef CF_PROCESS_H
#define CF_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

/* Become uid/gid (real, effective, saved). Unless keep_caps, empty the capability bounding,
 * inheritable and ambient sets first, so the exec'd app has no capabilities even as root.
 * Then set no_new_privs. */
int cf_drop_privs(uid_t uid, gid_t gid, bool keep_caps, struct sn_err *err) SN_WUR;
/* Default signal dispositions, empty signal mask, every fd above 2 closed. */
int cf_reset_process(struct sn_err *err) SN_WUR;

#endif
