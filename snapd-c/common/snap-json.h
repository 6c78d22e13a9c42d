/* SPDX-License-Identifier: GPL-3.0-only
 * snap-json.h: JSON (json-c) views of the snap model, shared by `snapc info --json` and the
 * daemon's /v2 responses.
 */
#ifndef SNAPD_SNAP_JSON_H
#define SNAPD_SNAP_JSON_H

#include <json-c/json.h>

#include "snap-yaml.h"
#include "yaml-tree.h"

/* A YAML value as JSON, with plain scalars typed as go-yaml types them (int, float, bool,
 * null); quoted scalars stay strings. Caller owns (json_object_put). */
struct json_object *snap_ynode_to_json(const struct sn_ynode *n);
/* The full metadata of a snap: name, version, type, apps, plugs, slots, hooks, ... */
struct json_object *snap_info_to_json(const struct snap_info *info);
/* Attributes of a plug or slot as a JSON object (never NULL). */
struct json_object *snap_attrs_to_json(const struct snap_plugslot *ps);

SN_DEFINE_CLEANUP(struct json_object *, json_object_put)

#endif
