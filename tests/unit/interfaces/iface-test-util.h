/* SPDX-License-Identifier: GPL-3.0-only
 * iface-test-util.h: snaps and connections for the interfaces unit tests.
 */
#ifndef IFACE_TEST_UTIL_H
#define IFACE_TEST_UTIL_H

#include "connection.h"
#include "snap-yaml.h"

/* Parse snap.yaml text; fails the test on error. Free with snap_info_free. */
struct snap_info *tu_snap(const char *yaml);
/* A snap NAME (type app) with one app "app" bound to plug "p" of iface; attrs are YAML lines
 * indented by 4 spaces ("    key: value\n"), may be NULL. */
struct snap_info *tu_plug_snap(const char *name, const char *iface, const char *attrs);
/* A snap NAME of type (app, gadget, ...) with slot "s" of iface; app "svc" is bound to it when
 * with_app. */
struct snap_info *tu_slot_snap(const char *name, const char *type, const char *iface,
                               const char *attrs, bool with_app);
/* Build a connection; ss NULL means the system's implicit slot named like the interface. */
void tu_conn(struct iface_connection *c, const struct snap_info *ps, const char *plug,
             const struct snap_info *ss, const char *slot);
/* Does the policy's fs list hold path with at least access bits? */
bool tu_has_fs(const struct iface_policy *p, const char *path, uint32_t access);
bool tu_has_device(const struct iface_policy *p, const char *subsystem, const char *kernel);

#endif
