/* SPDX-License-Identifier: GPL-3.0-only
 * snap-yaml.h: the typed model of meta/snap.yaml, parsed with libyaml and validated with the
 * rules of snapd 2.57 (snap/info_snap_yaml.go, snap/validate.go, snap/naming/, snap/epoch.go),
 * reading YAML the way go-yaml v2 does (goyaml.h). docs/snap-yaml.md lists the rules.
 *
 * Every problem is reported as "FILE:LINE:COL: FIELD: what is wrong (expected ...)".
 * Unknown keys are kept in the YAML tree and otherwise ignored, as snapd does.
 */
#ifndef SNAPD_SNAP_YAML_H
#define SNAPD_SNAP_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cleanup.h"
#include "err.h"
#include "yaml-tree.h"

#define SNAP_YAML_MAX_SIZE (1024 * 1024)

enum snap_type {
    SNAP_TYPE_APP,
    SNAP_TYPE_GADGET,
    SNAP_TYPE_KERNEL,
    SNAP_TYPE_BASE,
    SNAP_TYPE_OS,
    SNAP_TYPE_SNAPD
};
enum snap_confinement { SNAP_CONFINE_STRICT, SNAP_CONFINE_DEVMODE, SNAP_CONFINE_CLASSIC };
enum snap_grade { SNAP_GRADE_STABLE, SNAP_GRADE_DEVEL };

struct snap_kv {
    char *key;
    char *value;
};

struct snap_env {
    struct snap_kv *v; /* in file order */
    size_t n;
};

/* A plug or slot. attrs is the YAML map of its attributes (without "interface"), or NULL;
 * it points into the snap_info's YAML tree. */
struct snap_plugslot {
    char *name;
    char *iface;
    const struct sn_ynode *attrs;
    char **apps;   /* apps bound to it (NULL-terminated) */
    char **hooks;  /* hooks bound to it (NULL-terminated) */
    bool unscoped; /* top-level and named by no app or hook: bound to every app and hook */
    bool dropped;  /* snapd's sanitizer would drop it (unknown interface, invalid name, bad
                    * dbus attributes): ignored by the snap.yaml rules, listed in
                    * snap_info.bad_interfaces; the interfaces code reports it at connect */
    int line, col;
};

struct snap_socket {
    char *name;
    char *listen_stream;
    uint32_t socket_mode; /* 0 when unset */
};

struct snap_app {
    char *name;
    char *command;            /* NULL when the snap.yaml has none (allowed, as in snapd) */
    char **command_chain;     /* NULL-terminated, may be empty */
    char *daemon;             /* NULL when not a service */
    char *daemon_scope;       /* system|user, NULL when unset */
    char *restart_condition;  /* NULL: default on-failure for services */
    int64_t restart_delay_ns; /* -1 when unset */
    int64_t stop_timeout_ns;
    int64_t start_timeout_ns;
    int64_t watchdog_timeout_ns;
    char *stop_command, *reload_command, *post_stop_command;
    char *stop_mode;
    char *refresh_mode;
    char *install_mode;
    char *timer;
    char *common_id;
    char *completer; /* bash completion script, NULL when unset */
    char *bus_name;
    char **activates_on;    /* NULL-terminated slot names */
    char **before, **after; /* NULL-terminated */
    char **plugs, **slots;  /* NULL-terminated names (including bound top-level ones) */
    char **aliases;
    struct snap_env env;
    struct snap_socket *sockets;
    size_t nsockets;
    int line, col;
};

/* Declared hooks are kept only when snapd supports the hook type (others are dropped). */
struct snap_hook {
    char *name;
    char **command_chain;
    char **plugs, **slots;
    struct snap_env env;
    bool implicit; /* found in meta/hooks but not declared in snap.yaml */
    int line, col;
};

enum snap_layout_kind {
    SNAP_LAYOUT_BIND,
    SNAP_LAYOUT_BIND_FILE,
    SNAP_LAYOUT_TMPFS,
    SNAP_LAYOUT_SYMLINK
};

struct snap_layout {
    char *path;
    enum snap_layout_kind kind;
    char *target; /* bind/bind-file/symlink source; NULL for tmpfs */
    char *user, *group;
    uint32_t mode; /* 0755 by default */
};

struct snap_info {
    char *name;
    char *version;
    char *summary, *description, *title, *license;
    enum snap_type type;
    char *base; /* NULL when unset (means core) */
    enum snap_confinement confinement;
    enum snap_grade grade; /* devel for "grade: devel", stable otherwise (2.57 checks no grade) */
    char *provenance;
    char *epoch;          /* snapd's text form: "0", "5", "1*", {"read":[0,1],"write":[1]} */
    char **architectures; /* NULL-terminated; defaults to {"all"} */
    char **assumes;
    struct snap_app *apps;
    size_t napps;
    struct snap_hook *hooks;
    size_t nhooks;
    struct snap_plugslot *plugs;
    size_t nplugs;
    struct snap_plugslot *slots;
    size_t nslots;
    struct snap_layout *layouts;
    size_t nlayouts;
    struct snap_env env;
    /* plugs and slots snapd drops while reading snap.yaml (their `dropped` is set):
     * "name (reason)", NULL-terminated */
    char **bad_interfaces;
    struct sn_ydoc *doc; /* the parsed YAML, owned */
    char *file;          /* file name used in messages */
};

/* A list of validation problems (all of them, not only the first). */
struct snap_problems {
    char **msgs;
    size_t n;
};
void snap_problems_add(struct snap_problems *p, const char *fmt, ...) SN_FMT(2, 3);
void snap_problems_release(struct snap_problems *p);

/* Parse and validate snap.yaml text. fname names the file in messages.
 * Returns 0 with *out set (caller owns; snap_info_free) when there are no problems.
 * Otherwise returns -EINVAL: err holds the first problem, and probs (if non-NULL) all of them.
 * YAML syntax errors stop parsing early; as in snapd, only the first document is read and a
 * duplicate key replaces the earlier one (except in environment maps). */
int snap_yaml_parse(const char *data, size_t len, const char *fname, struct snap_info **out,
                    struct snap_problems *probs, struct sn_err *err) SN_WUR;
void snap_info_free(struct snap_info *info);
SN_DEFINE_CLEANUP(struct snap_info *, snap_info_free)

const char *snap_type_str(enum snap_type t);
const char *snap_confinement_str(enum snap_confinement c);
const char *snap_grade_str(enum snap_grade g);

/* Name rules (snap/naming). Return NULL when valid, else a static explanation (the version
 * one is a thread-local buffer, valid until the next call). */
const char *snap_name_problem(const char *name);
const char *snap_instance_key_problem(const char *key);
const char *snap_version_problem(const char *version);
/* "name" or "name_key": split and validate. */
const char *snap_instance_name_problem(const char *instance);
bool snap_valid_app_name(const char *name);
bool snap_valid_hook_name(const char *name);
bool snap_valid_plug_slot_name(const char *name);
/* Interfaces snapd 2.57 knows; a plug or slot of another interface is dropped. */
bool snap_interface_known(const char *iface);
/* The file name snap pack writes: <name>_<version>_<arch>.snap with arch "multi" when
 * there are several. Caller owns. */
char *snap_pack_filename(const struct snap_info *info);
/* Hook types snapd 2.57 supports (install, configure, ..., connect-plug-*, ...). */
bool snap_hook_type_supported(const char *hook);
/* Add hooks found in meta/hooks that snap.yaml does not declare (supported types only;
 * others are ignored as snapd does). Unscoped plugs and slots are bound to them. */
void snap_info_add_implicit_hooks(struct snap_info *info, char *const *names);
const struct snap_app *snap_info_app(const struct snap_info *info, const char *name);
const struct snap_plugslot *snap_info_plug(const struct snap_info *info, const char *name);
const struct snap_plugslot *snap_info_slot(const struct snap_info *info, const char *name);

#endif
