/* SPDX-License-Identifier: GPL-3.0-only
 * helper.h: short-lived helper processes. Work that needs heavy libraries (reading squashfs
 * images: libsquashfs and its compressors) runs in `snapc` so the resident daemon never maps
 * them (DESIGN.md §1).
 */
#ifndef SNAPD_HELPER_H
#define SNAPD_HELPER_H

#include <json-c/json.h>

#include "daemon.h"

/* Run argv[0] (a path, or a name looked up in PATH) with stdin from /dev/null; capture stdout
 * and stderr (each up to 1 MiB). *status is the exit status (128+signal when killed). */
int helper_run(const char *const argv[], char **out, char **errout, int *status,
               struct sn_err *err) SN_WUR;

/* Read a .snap's metadata without mounting it (snapc info --json --no-digest). On success
 * *meta is snapc's JSON object (caller owns); on a bad file err holds snapc's one-line error. */
int helper_read_snap_meta(struct daemon *d, const char *path, struct json_object **meta,
                          struct sn_err *err) SN_WUR;

#endif
