/* SPDX-License-Identifier: GPL-3.0-only
 * devcgroup.h: the device cgroup of a security tag (cgroup v1 "devices" controller):
 * deny everything, allow the devices of the launch description, move the caller in.
 */
#ifndef CF_DEVCGROUP_H
#define CF_DEVCGROUP_H

#include <stdbool.h>

#include "launch.h"

#define CF_DEVCGROUP_V1 "/sys/fs/cgroup/devices"

/* Group name: "snapc.<tag>" for root "/", "snapc-<8 hex of SHA3(root)>.<tag>" otherwise, so
 * tests with different roots never share a group. Caller frees. */
char *cf_devcgroup_name(const char *root, const char *tag);
bool cf_devcgroup_available(void);
/* Whether l grants only the standard nodes every app gets (null, zero, full, random,
 * urandom, tty, console, ptmx, pts). */
bool cf_devcgroup_standard_only(const struct cf_launch *l);
int cf_devcgroup_apply(const char *root, const struct cf_launch *l, struct sn_err *err) SN_WUR;

#endif
