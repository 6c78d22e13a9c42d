/* SPDX-License-Identifier: GPL-3.0-only
 * iface-internal.h: helpers shared by the interface definitions (not for the daemon).
 */
#ifndef IFACE_INTERNAL_H
#define IFACE_INTERNAL_H

#include <stdbool.h>

#include "connection.h"
#include "strbuf.h"

/* Does s match the POSIX extended regular expression ere (anchor it yourself)? The patterns
 * are constants of this code: one that fails to compile is a bug (SN_BUG). */
bool iface_re_match(const char *ere, const char *s);

/* Go's filepath.Clean. Caller owns the result. */
bool iface_path_is_clean(const char *p);
/* The first AppArmor pattern character (?*[]{}^") in p, or 0. */
char iface_aare_char(const char *p);

/* Append the static parts of one side (AppArmor/seccomp text with a comment header). */
void iface_add_snippets(struct iface_policy *out, const struct iface_snippets *s, const char *iface,
                        const char *what);
/* Append tmpl to sb with every ###KEY### replaced by value. */
void iface_subst(struct sn_strbuf *sb, const char *tmpl, const char *key, const char *value);

/* Attribute specs of one side; 0 or -EINVAL with err set through iface_end_fail. */
int iface_check_attr_specs(const struct iface_attr_spec *spec, const struct iface_end *e,
                           struct sn_err *err);

/* Shared shape: a slot naming one device node by `path` (i2c, spi, iio, uio, hidraw,
 * serial-port), optionally by USB ids with `path` then naming a udev symlink. */
struct iface_devpath {
    const char *node_re;   /* ERE for `path` naming the node, e.g. ^/dev/i2c-[0-9]+$ */
    const char *node_desc; /* for messages, e.g. "/dev/i2c-N" */
    const char *subsystem; /* udev subsystem of the node, e.g. "i2c-dev" */
    const char *apparmor;  /* extra AppArmor rules; ###KERNEL### is the node's name */
    const char *sysfs;     /* optional sysfs dir for Landlock (###KERNEL###), read+write */
    /* USB form (serial-port, hidraw): usb-vendor/usb-product[/usb-interface-number] */
    const char *symlink_re; /* ERE for `path` in the USB form; NULL: no USB form */
    const char *symlink_desc;
    const char *usb_apparmor; /* AppArmor rule for any node of the kind (device cgroup narrows) */
};
int iface_devpath_validate_slot(const struct iface_def *d, const struct iface_end *slot,
                                struct sn_err *err);
int iface_devpath_connected_plug(const struct iface_def *d, const struct iface_connection *c,
                                 const struct iface_env *env, struct iface_policy *out,
                                 struct sn_err *err);
int iface_devpath_permanent_slot(const struct iface_def *d, const struct iface_end *slot,
                                 const struct iface_env *env, struct iface_policy *out,
                                 struct sn_err *err);

/* Shared shape: system-files / personal-files plugs with `read` and `write` path lists.
 * param is a struct iface_files. */
struct iface_files {
    bool home; /* personal-files: paths start with $HOME/ */
};
int iface_files_validate_plug(const struct iface_def *d, const struct iface_end *plug,
                              struct sn_err *err);
int iface_files_connected_plug(const struct iface_def *d, const struct iface_connection *c,
                               const struct iface_env *env, struct iface_policy *out,
                               struct sn_err *err);

#define IFACE_FS_RW     (IFACE_FS_READ | IFACE_FS_WRITE)
#define IFACE_FS_DEV_RW (IFACE_FS_READ | IFACE_FS_WRITE | IFACE_FS_DEVICE)
#define IFACE_FS_DEV_R  (IFACE_FS_READ | IFACE_FS_DEVICE)

/* Every definition (registry-list.h). */
#define IFACE(n) extern const struct iface_def iface_def_##n;
#include "registry-list.h"
#undef IFACE

/* Declaration shorthands. */
#define IFACE_DECL_SYSTEM(autoc)                                                        \
    {                                                                                   \
        .slot_snaps = IFACE_SNAP_CORE, .implicit_core = true, .implicit_classic = true, \
        .auto_connect = (autoc)                                                         \
    }
/* super-privileged: plugs need a store grant, never auto-connected */
#define IFACE_DECL_PRIVILEGED                                                     \
    {                                                                             \
        .slot_snaps = IFACE_SNAP_CORE, .plug_grant = true, .implicit_core = true, \
        .implicit_classic = true, .auto_connect = IFACE_AUTO_NO                   \
    }
#define IFACE_DECL_GADGET \
    { .slot_snaps = IFACE_SNAP_CORE | IFACE_SNAP_GADGET, .auto_connect = IFACE_AUTO_NO }

#endif
