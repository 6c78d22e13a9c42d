/* SPDX-License-Identifier: GPL-3.0-only
 * ns.h: the per-snap mount namespace, preserved at ROOT/run/snapd/ns/<instance>.mnt.
 */
#ifndef CF_NS_H
#define CF_NS_H

#include <stdbool.h>

#include "launch.h"

/* Join the snap's preserved namespace, or build it (mount.c) and preserve it. Must be called
 * from the initial mount namespace for the namespace to be preserved (DESIGN.md §4); when
 * preserving fails the launch still goes on in the new namespace, with a warning.
 * *joined tells whether an existing namespace was reused. */
int cf_ns_enter(const char *root, const struct cf_launch *l, const char *base_dir, bool *joined,
                struct sn_err *err) SN_WUR;

#endif
