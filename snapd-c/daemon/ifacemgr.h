/* SPDX-License-Identifier: GPL-3.0-only
 * ifacemgr.h: connections between plugs and slots, kept in state.json as snapd keeps them
 * (data.conns["plugsnap:plug slotsnap:slot"] = {interface, auto, by-gadget, undesired,
 * plug-static, slot-static}), and the security profiles they shape.
 *
 * Every connect or disconnect is a change with undo; profiles of both ends are re-rendered and
 * swapped atomically per snap (snapd-c/security). Install auto-connects (base-declaration
 * rules, exactly one candidate slot), remove disconnects everything of the snap, refresh keeps
 * connections whose plug and slot still exist.
 */
#ifndef SNAPD_IFACEMGR_H
#define SNAPD_IFACEMGR_H

#include <json-c/json.h>
#include <stdbool.h>

#include "daemon.h"
#include "engine.h"

/* The snap name under which the implicit system slots are listed (snapd uses "snapd"/"core"). */
#define IFACEMGR_SYSTEM_SNAP "snapd"

extern const struct task_kind ifacemgr_task_kinds[];

/* Render and install the profiles of name at rev with its current connections. */
int ifacemgr_setup_profiles(struct daemon *d, const char *name, const char *rev, bool devmode,
                            struct sn_err *err) SN_WUR;
int ifacemgr_remove_profiles(struct daemon *d, const char *name, struct sn_err *err) SN_WUR;
/* `snapd-c --setup-profiles FILE`: the helper side of ifacemgr_setup_profiles. Returns the
 * process exit status. */
int ifacemgr_setup_profiles_helper(const char *path);

/* API: start a connect/disconnect change. Empty slot snap means the system; empty slot name
 * means "the one slot of that snap with the plug's interface". */
int ifacemgr_connect(struct daemon *d, const char *plug_snap, const char *plug,
                     const char *slot_snap, const char *slot, char **change_id,
                     struct sn_err *err) SN_WUR;
int ifacemgr_disconnect(struct daemon *d, const char *plug_snap, const char *plug,
                        const char *slot_snap, const char *slot, bool forget, char **change_id,
                        struct sn_err *err) SN_WUR;
/* GET /v2/connections result (state lock held). */
struct json_object *ifacemgr_connections_json(struct daemon *d, const char *snap, const char *iface,
                                              bool all);
/* GET /v2/interfaces?select=... result (state lock held). */
struct json_object *ifacemgr_interfaces_json(struct daemon *d, bool all, const char *names,
                                             bool doc, bool plugs, bool slots);

/* For install/remove chains (the tasks are in ifacemgr_task_kinds). */
bool ifacemgr_is_system_snap(const char *name);

#endif
