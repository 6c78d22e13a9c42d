/* SPDX-License-Identifier: GPL-3.0-only
 * render.h: per-tag rendering of the launch description, the seccomp source and the
 * AppArmor profile (pure functions of their inputs; no I/O except device resolution).
 */
#ifndef SECURITY_RENDER_H
#define SECURITY_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "policy.h"
#include "snap-yaml.h"
#include "strbuf.h"

struct sec_device {
    char type; /* 'c' or 'b' */
    unsigned major;
    long minor; /* -1: any */
    char *node; /* /dev path for a Landlock rule, or NULL */
};

struct sec_devices {
    struct sec_device *v;
    size_t n;
};

/* What a tag runs: an app or a hook of info. */
struct sec_target {
    const struct snap_info *info;
    const struct snap_app *app;   /* or NULL */
    const struct snap_hook *hook; /* or NULL */
    const char *instance;         /* name or name_key */
    const char *instance_key;     /* "" when none */
    const char *revision;
    const char *base; /* snap name, or "@host" */
    bool devmode;
    char tag[160];
};

/* snapd's command splitting (shlex): whitespace, '...' and "..." quoting, backslash.
 * Returns a NULL-terminated vector (caller frees with sn_strv_free) or NULL on bad quoting. */
char **sec_split_command(const char *cmd);
/* The seccomp source of the tag: @complain/@unrestricted, template, policy lines. */
void sec_render_seccomp_src(const struct sec_target *t, const struct iface_policy *p,
                            struct sn_strbuf *out);
/* The AppArmor profile of the tag from the template. */
void sec_render_apparmor(const struct sec_target *t, const struct iface_policy *p,
                         struct sn_strbuf *out);
/* The launch description. Mount entries come from snapwide (the union over the snap's tags:
 * the mount namespace is per snap); root is applied to their sources. */
int sec_render_launch(const char *root, const struct sec_target *t, const struct iface_policy *p,
                      const struct iface_policy *snapwide, const struct sec_devices *devs,
                      const uint8_t sha3[48], size_t blob_len, struct sn_strbuf *out,
                      struct sn_err *err) SN_WUR;

/* Standard nodes plus the policy's devices, resolved through sysfs (/sys/class) and /dev. */
void sec_devices_resolve(const struct iface_policy *p, struct sec_devices *out);
void sec_devices_release(struct sec_devices *d);
/* udev rules tagging the policy's devices of tag (appended to out; nothing when none). */
void sec_render_udev(const struct sec_target *t, const struct iface_policy *p,
                     struct sn_strbuf *out);

#endif
