/* SPDX-License-Identifier: GPL-3.0-only
 * network-setup-observe: read the network configuration (netplan, ifupdown, networkd).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can read netplan and other network configuration.\n"
    "/etc/netplan/{,**} r,\n"
    "/etc/network/{,**} r,\n"
    "/etc/systemd/network/{,**} r,\n"
    "/run/systemd/network/{,**} r,\n"
    "/run/netplan/{,**} r,\n"
    "/{,usr/}lib/netplan/{,**} r,\n"
    "/run/NetworkManager/conf.d/{,**} r,\n";

static const struct iface_fs_spec fs[] = {
    {"/etc/netplan", IFACE_FS_READ, true, false},
    {"/etc/network", IFACE_FS_READ, true, false},
    {"/etc/systemd/network", IFACE_FS_READ, true, false},
    {"/run/systemd/network", IFACE_FS_READ, true, false},
    {"/run/netplan", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_network_setup_observe = {
    .name = "network-setup-observe",
    .summary = "allows read access to network configuration",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .fs = fs},
};
