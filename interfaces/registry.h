/* SPDX-License-Identifier: GPL-3.0-only
 * registry.h: the table of interface definitions.
 *
 * One interface = one `interfaces/<name>.c` holding a `const struct iface_def` (data first:
 * summary, base-declaration policy, static snippets per backend, attribute specs; functions only
 * where attributes shape the policy) + one line in registry-list.h + a row in the unit tests.
 *
 * Sides and snippets follow snapd: a *connected plug* snippet goes to the tags (apps/hooks)
 * bound to the plug of a connection, a *connected slot* snippet to the tags bound to the slot,
 * a *permanent slot* snippet to the tags bound to a slot whether connected or not.
 * Nothing here does I/O.
 */
#ifndef IFACE_REGISTRY_H
#define IFACE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "policy.h"

struct iface_end;
struct iface_connection;
struct iface_env;

/* Snap kinds named by base-declaration rules (slot-snap-type). */
enum iface_snap_kind {
    IFACE_SNAP_CORE = 1 << 0, /* the system: snapd, core, os snaps */
    IFACE_SNAP_GADGET = 1 << 1,
    IFACE_SNAP_KERNEL = 1 << 2,
    IFACE_SNAP_APP = 1 << 3,
};

enum iface_auto {
    IFACE_AUTO_NO,             /* deny-auto-connection: true */
    IFACE_AUTO_YES,            /* allow-auto-connection (default) */
    IFACE_AUTO_CLASSIC,        /* allow-auto-connection: on-classic: true (home) */
    IFACE_AUTO_SAME_PUBLISHER, /* plug-publisher-id: $SLOT_PUBLISHER_ID (content); two local
                                * (unasserted) snaps count as the same publisher */
    IFACE_AUTO_CUSTOM,         /* def->auto_connect decides (shared-memory) */
};

/* The base-declaration for one interface, reduced to what devices need. */
struct iface_decl {
    uint32_t slot_snaps;   /* allow-installation slot-snap-type: IFACE_SNAP_* bits */
    uint32_t slot_grant;   /* slot snap kinds that need a store grant (deny-installation) */
    bool plug_grant;       /* plugs: allow-installation: false (super-privileged interface) */
    bool implicit_core;    /* the system snap carries the slot on Core devices */
    bool implicit_classic; /* ... on classic systems */
    enum iface_auto auto_connect;
};

enum iface_attr_kind {
    IFACE_A_STRING,
    IFACE_A_INT,
    IFACE_A_BOOL,
    IFACE_A_STRLIST, /* list of strings */
    IFACE_A_LIST,    /* list of anything (checked by the interface) */
    IFACE_A_MAP,
};

/* One attribute a plug or slot may carry. Lists end with {NULL}. Attributes not listed are
 * ignored (as snapd does). */
struct iface_attr_spec {
    const char *name;
    enum iface_attr_kind kind;
    bool required;
    int64_t min, max;    /* IFACE_A_INT bounds (inclusive) when min < max */
    const char *pattern; /* POSIX ERE that strings (or list items) must match; NULL: any */
    const char *doc;     /* one line for docs/interfaces/<name>.md */
};

/* Landlock path rule; path may start with a placeholder (policy.h). Lists end with {NULL}. */
struct iface_fs_spec {
    const char *path;
    uint32_t access; /* IFACE_FS_* */
    bool optional;
    bool glob;
};

/* Device match; lists end with an all-NULL entry. See struct iface_device. */
struct iface_dev_spec {
    const char *subsystem;
    const char *kernel;
    const char *node;
    const char *attrs;
};

/* The attribute-independent policy of one side. */
struct iface_snippets {
    const char *apparmor;           /* AppArmor rules (profile body) */
    const char *seccomp;            /* snapd seccomp source lines */
    const struct iface_fs_spec *fs; /* Landlock path rules */
    const struct iface_dev_spec *devices;
    const char *const *kmods; /* NULL-terminated */
    uint32_t net_any;         /* IFACE_NET_* on any TCP port (Landlock ABI >= 4) */
    uint32_t unscoped;        /* IFACE_UNSCOPE_* */
};

struct iface_def {
    const char *name;
    const char *summary;
    struct iface_decl decl;
    struct iface_snippets plug;      /* connected plug */
    struct iface_snippets slot;      /* connected slot (slots on app snaps) */
    struct iface_snippets perm_slot; /* permanent slot */
    const struct iface_attr_spec *plug_attrs;
    const struct iface_attr_spec *slot_attrs;
    /* Optional hooks. Validation hooks run after the attribute specs passed; each returns 0 or
     * -errno with err naming the snap, plug/slot and attribute (iface_end_fail). */
    int (*validate_plug)(const struct iface_def *d, const struct iface_end *plug,
                         struct sn_err *err);
    int (*validate_slot)(const struct iface_def *d, const struct iface_end *slot,
                         struct sn_err *err);
    /* Extra connection rules (content labels, ...); plug and slot are already valid. */
    int (*check_connect)(const struct iface_def *d, const struct iface_end *plug,
                         const struct iface_end *slot, struct sn_err *err);
    bool (*auto_connect)(const struct iface_def *d, const struct iface_end *plug,
                         const struct iface_end *slot, const struct iface_env *env);
    /* Attribute-dependent policy, added after the static snippets. */
    int (*connected_plug)(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err);
    int (*connected_slot)(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err);
    int (*permanent_slot)(const struct iface_def *d, const struct iface_end *slot,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err);
    const void *param; /* parameters of a shared shape (struct iface_devpath, ...) */
};

/* NULL when unknown. */
const struct iface_def *iface_lookup(const char *name);
/* All definitions, sorted by name: for (i = 0; i < iface_count(); i++) iface_at(i). */
size_t iface_count(void);
const struct iface_def *iface_at(size_t i);

enum iface_mode { IFACE_MODE_CORE, IFACE_MODE_CLASSIC };

/* Does the system snap carry this interface's slot (named like the interface) in mode? */
bool iface_is_implicit(const struct iface_def *d, enum iface_mode mode);
/* Fill out[] with up to cap implicit-slot interfaces for mode; returns how many there are. */
size_t iface_implicit_slots(enum iface_mode mode, const struct iface_def **out, size_t cap);

#endif
