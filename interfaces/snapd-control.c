/* SPDX-License-Identifier: GPL-3.0-only
 * snapd-control: manage snaps through the daemon's API socket. Super-privileged.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can manage snaps via the snapd API.\n"
    "/run/snapd.socket rw,\n";

static const struct iface_fs_spec fs[] = {
    {"/run/snapd.socket", IFACE_FS_RW, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_snapd_control = {
    .name = "snapd-control",
    .summary = "allows communicating with snapd",
    .decl = IFACE_DECL_PRIVILEGED,
    .plug = {.apparmor = apparmor, .fs = fs},
};
