/* SPDX-License-Identifier: GPL-3.0-only
 * network-bind: act as a network server (bind, listen, accept on any port). Auto-connects.
 * Slots may also sit on app snaps (services offering a port), as in snapd.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can access the network as a server.\n"
    "network inet,\n"
    "network inet6,\n"
    "network netlink dgram,\n"
    "/etc/{hosts,host.conf,nsswitch.conf,gai.conf,resolv.conf,services,protocols} r,\n"
    "/run/systemd/resolve/{,stub-}resolv.conf r,\n"
    "@{PROC}/sys/net/core/somaxconn r,\n"
    "@{PROC}/sys/net/ipv4/ip_local_port_range r,\n"
    "@{PROC}/sys/net/ipv4/tcp_fastopen r,\n"
    "@{PROC}/@{pid}/net/{,**} r,\n";

static const char seccomp[] =
    "# Description: Can access the network as a server.\n"
    "socket AF_INET\n"
    "socket AF_INET6\n"
    "socket AF_CONN\n"
    "accept\n"
    "accept4\n"
    "bind\n"
    "listen\n"
    "shutdown\n";

const struct iface_def iface_def_network_bind = {
    .name = "network-bind",
    .summary = "allows operating as a network service",
    .decl = {.slot_snaps = IFACE_SNAP_CORE | IFACE_SNAP_APP,
             .implicit_core = true,
             .implicit_classic = true,
             .auto_connect = IFACE_AUTO_YES},
    .plug = {.apparmor = apparmor,
             .seccomp = seccomp,
             .net_any = IFACE_NET_BIND | IFACE_NET_CONNECT},
};
