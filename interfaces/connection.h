/* SPDX-License-Identifier: GPL-3.0-only
 * connection.h: plugs and slots as connection ends, checks, auto-connect, and the policy
 * computation per security tag. Pure functions over borrowed data; no I/O.
 *
 * The daemon keeps connections in state.json as snapd does:
 *   conns["plugsnap:plug slotsnap:slot"] = {interface, auto, by-gadget, undesired,
 *                                           plug-static, slot-static[, plug-dynamic, slot-dynamic]}
 * and rebuilds a struct iface_connection from that entry and the two snaps' snap_info:
 * iface_conn_ref_parse() splits the key, iface_attrs_from_json() turns "plug-static" etc.
 * back into attribute trees, iface_attrs_to_json() writes them.
 */
#ifndef IFACE_CONNECTION_H
#define IFACE_CONNECTION_H

#include <stdbool.h>
#include <stddef.h>

#include "attrs.h"
#include "err.h"
#include "policy.h"
#include "registry.h"
#include "snap-yaml.h"

enum iface_side { IFACE_PLUG, IFACE_SLOT };

/* One end of a (possible) connection. Everything is borrowed. */
struct iface_end {
    enum iface_side side;
    const struct snap_info *snap;   /* the snap carrying it; NULL for the implicit system side
                                     * when no snap.yaml is at hand */
    const struct snap_plugslot *ps; /* its entry in snap (app/hook binding), NULL for implicit */
    const char *instance;           /* instance name ("foo" or "foo_key"); NULL: snap->name */
    const char *revision;           /* "7", "x1"; NULL: "current" */
    const char *name;               /* plug or slot name */
    const char *iface;              /* interface name */
    const struct sn_ynode *attrs;   /* static attributes (a map; may be NULL) */
    const struct sn_ynode *dynamic; /* dynamic attributes, looked up first; may be NULL */
    const char *publisher;          /* publisher id (snap-declaration); NULL: unasserted/local */
    enum snap_type type;            /* used when snap is NULL */
};

struct iface_connection {
    struct iface_end plug;
    struct iface_end slot;
    bool auto_connected; /* "auto" */
    bool by_gadget;      /* "by-gadget" */
    bool undesired;      /* "undesired": kept in state, ignored by the policy */
};

struct iface_env {
    enum iface_mode mode;       /* Core device (default) or classic */
    const char *system_snap;    /* snap carrying implicit slots; NULL: "snapd" */
    const char *snap_mount_dir; /* NULL: "/snap" (content mount sources and targets) */
    const char *snap_data_dir;  /* NULL: "/var/snap" */
};

/* End constructors. The system end has snap == NULL, type SNAPD, instance env->system_snap
 * and name == interface name (snapd's implicit slots). */
void iface_end_init(struct iface_end *e, enum iface_side side, const struct snap_info *snap,
                    const struct snap_plugslot *ps);
void iface_end_system_slot(struct iface_end *e, const char *iface, const struct iface_env *env);
const char *iface_end_instance(const struct iface_end *e);
enum snap_type iface_end_type(const struct iface_end *e);
/* true for the system side (snapd/core/os snap). */
bool iface_end_is_system(const struct iface_end *e);
/* Dynamic attribute if set, else static; NULL when absent. Never returns "interface". */
const struct sn_ynode *iface_end_attr(const struct iface_end *e, const char *name);
/* Fill err with "<plug|slot> 'NAME' of snap 'SNAP' (IFACE): <message>" and return code. */
int iface_end_fail(const struct iface_end *e, struct sn_err *err, int code, const char *fmt, ...)
    SN_FMT(4, 5);

/* Check a plug or slot's attributes (types, ranges, path patterns) and interface rules.
 * -ENOENT for an unknown interface, -EINVAL for bad attributes. */
int iface_validate_plug(const struct snap_info *snap, const struct snap_plugslot *plug,
                        struct sn_err *err) SN_WUR;
int iface_validate_slot(const struct snap_info *snap, const struct snap_plugslot *slot,
                        struct sn_err *err) SN_WUR;
int iface_validate_end(const struct iface_end *e, struct sn_err *err) SN_WUR;
/* Every plug and slot of a snap; the first problem is reported. */
int iface_validate_snap(const struct snap_info *snap, struct sn_err *err) SN_WUR;

/* Installation policy (base-declaration allow-installation). For unasserted (--dangerous,
 * local) snaps only attribute validation applies, as in snapd; asserted snaps must also pass
 * slot-snap-type rules, and super-privileged plugs/slots need a store grant (which we do not
 * support yet, so they are refused with -EPERM). */
int iface_check_install(const struct snap_info *snap, bool asserted, struct sn_err *err) SN_WUR;

/* Can plug connect to slot? Unknown interface (-ENOENT), interface mismatch, invalid
 * attributes, content label mismatch... (-EINVAL), connection denied by policy (-EPERM). */
int iface_check_connect(const struct iface_end *plug, const struct iface_end *slot,
                        struct sn_err *err) SN_WUR;
/* Would the base-declaration auto-connect plug to slot? (includes iface_check_connect) */
bool iface_auto_connect(const struct iface_end *plug, const struct iface_end *slot,
                        const struct iface_env *env);
/* snapd's rule: a plug auto-connects only when exactly one candidate slot allows it.
 * Returns the index into slots, -ENOENT when none, -EEXIST when several. */
int iface_auto_connect_pick(const struct iface_end *plug, const struct iface_end *slots,
                            size_t nslots, const struct iface_env *env);

/* The policy of one security tag ("snap.NAME.APP" or "snap.NAME.hook.HOOK") of snap: connected
 * plug snippets of the connections whose plug is bound to the app/hook, connected slot
 * snippets of those whose slot is, and permanent slot snippets of its slots. Undesired
 * connections are skipped. out must be initialised (iface_policy_init); on failure it is left
 * released and empty (no partial policy). */
int iface_policy_for_tag(const char *tag, const struct snap_info *snap,
                         const struct iface_connection *conns, size_t nconns,
                         const struct iface_env *env, struct iface_policy *out,
                         struct sn_err *err) SN_WUR;
/* Snap-wide effects: the union of every tag's policy of the snap, plus permanent slot effects
 * of slots bound to no app or hook (a gadget's serial-port symlink udev rules). The daemon takes
 * mounts (one namespace per snap), kmods, udev_rules and exports from here. instance may be
 * NULL (snap->name). */
int iface_policy_for_snap(const struct snap_info *snap, const char *instance,
                          const struct iface_connection *conns, size_t nconns,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) SN_WUR;

/* Connection ids as snapd's state keys: "plugsnap:plug slotsnap:slot". */
#define IFACE_REF_MAX 128
struct iface_conn_ref {
    char plug_snap[IFACE_REF_MAX], plug[IFACE_REF_MAX];
    char slot_snap[IFACE_REF_MAX], slot[IFACE_REF_MAX];
};
int iface_conn_ref_parse(const char *id, struct iface_conn_ref *out, struct sn_err *err) SN_WUR;
/* Writes the id of c into buf (size >= 4 * IFACE_REF_MAX); returns buf. */
char *iface_conn_id(const struct iface_connection *c, char *buf, size_t size);

/* Expand a leading $SNAP, $SNAP_DATA or $SNAP_COMMON of path for end e (relative paths are
 * under $SNAP), as content does. self: as the snap sees itself inside its namespace (snap name
 * without instance key), else as others see it (instance name). Caller owns the result. */
char *iface_expand_snap_path(const char *path, const struct iface_end *e,
                             const struct iface_env *env, bool self);

#endif
