/* SPDX-License-Identifier: GPL-3.0-only
 * home: read/write the non-hidden files of the user's home directory (not other snaps' data
 * under ~/snap). Auto-connects on classic systems only; on devices connect it by hand.
 * Plug attribute `read: all` also lets root-run apps read every user's non-hidden files.
 */
#include <string.h>

#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can access non-hidden files in the user's $HOME.\n"
    "@{HOME}/ r,\n"
    "owner @{HOME}/[^s.]** rwkl,\n"
    "owner @{HOME}/s[^n]** rwkl,\n"
    "owner @{HOME}/sn[^a]** rwkl,\n"
    "owner @{HOME}/sna[^p]** rwkl,\n"
    "owner @{HOME}/snap[^/]** rwkl,\n"
    "owner @{HOME}/{s,sn,sna}{,/} rwkl,\n"
    "owner /run/user/[0-9]*/gvfs/{,**} r,\n";

/* Landlock cannot exclude hidden entries below a rule: the rule covers all of $HOME. */
static const struct iface_fs_spec fs[] = {
    {"@{HOME}", IFACE_FS_RW, true, false},
    {NULL, 0, false, false},
};

static const struct iface_attr_spec plug_attrs[] = {
    {"read", IFACE_A_STRING, false, 0, 0, "^all$",
     "`all`: also read every user's non-hidden files (for apps running as root)"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static int connected_plug(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    const char *read = iface_attr_str(iface_end_attr(&c->plug, "read"));
    if (read != NULL && strcmp(read, "all") == 0) {
        sn_strbuf_addstr(&out->apparmor,
                         "# home: read: all\n"
                         "/home/ r,\n"
                         "/home/*/ r,\n"
                         "/home/*/[^.]** r,\n");
        iface_policy_add_fs(out, "/home", IFACE_FS_READ, true);
    }
    return 0;
}

const struct iface_def iface_def_home = {
    .name = "home",
    .summary = "allows access to non-hidden files in the home directory",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_CLASSIC),
    .plug = {.apparmor = apparmor, .fs = fs},
    .plug_attrs = plug_attrs,
    .connected_plug = connected_plug,
};
