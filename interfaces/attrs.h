/* SPDX-License-Identifier: GPL-3.0-only
 * attrs.h: typed views of plug/slot attributes.
 *
 * Attributes are YAML node trees (lib/yaml-tree.h): the map under a plug or slot in snap.yaml,
 * or dynamic attributes. Scalars are typed as go-yaml v2 types them (snapd reads snap.yaml with
 * it): plain 17 / 0x11 / 021 are ints, plain true/yes/on are bools, plain ~/null are null, plain
 * 1.5 is a float, anything quoted is a string. So `number: "17"` is a string, not an int, exactly
 * as in snapd.
 *
 * Persisting: iface_attrs_to_json writes a map as JSON with those types (the form snapd keeps in
 * state.json "plug-static"/"slot-static"); iface_attrs_from_json reads such JSON back into a
 * node tree (JSON is YAML: numbers stay plain, strings stay quoted, so types survive the trip).
 */
#ifndef IFACE_ATTRS_H
#define IFACE_ATTRS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "strbuf.h"
#include "yaml-tree.h"

enum iface_attr_type {
    IFACE_ATTR_ABSENT, /* NULL node */
    IFACE_ATTR_NULL,
    IFACE_ATTR_BOOL,
    IFACE_ATTR_INT,
    IFACE_ATTR_FLOAT,
    IFACE_ATTR_STRING,
    IFACE_ATTR_LIST,
    IFACE_ATTR_MAP,
};

enum iface_attr_type iface_attr_type_of(const struct sn_ynode *n);
/* "int", "string", "list of strings"... for messages. */
const char *iface_attr_type_name(enum iface_attr_type t);

/* 0 with *out set, -EINVAL when n is not an int, -ERANGE when it does not fit int64. */
int iface_attr_int(const struct sn_ynode *n, int64_t *out) SN_WUR;
/* The string value, or NULL when n is not a string. Borrowed from the tree. */
const char *iface_attr_str(const struct sn_ynode *n);
/* 1/0 for a bool, -1 when n is not a bool. */
int iface_attr_bool(const struct sn_ynode *n);
/* true when n is a list whose items are all strings (an empty list counts). */
bool iface_attr_is_str_list(const struct sn_ynode *n);
/* Value for an error message: the scalar text, or "list"/"map". Borrowed. */
const char *iface_attr_repr(const struct sn_ynode *n);

/* Map lookup that ignores the "interface" key (snap.yaml keeps it in the same map). */
const struct sn_ynode *iface_attrs_get(const struct sn_ynode *attrs, const char *name);

/* Append attrs (a map, or NULL for {}) as JSON, without the "interface" key. */
void iface_attrs_to_json(const struct sn_ynode *attrs, struct sn_strbuf *out);
/* Parse JSON text (an object) written by iface_attrs_to_json or json-c into a tree. The caller
 * owns *doc (sn_ydoc_free); (*doc)->root is the map, or NULL for "{}"/empty input. */
int iface_attrs_from_json(const char *json, struct sn_ydoc **doc, struct sn_err *err) SN_WUR;

#endif
