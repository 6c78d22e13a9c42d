/* SPDX-License-Identifier: GPL-3.0-only
 * network: client access to the network (IPv4/IPv6 sockets, name resolution, route netlink).
 * Auto-connects. On Landlock ABI >= 4 it lifts the TCP connect restriction.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can access the network as a client.\n"
    "network inet,\n"
    "network inet6,\n"
    "network netlink dgram,\n"
    "/etc/{hosts,host.conf,nsswitch.conf,gai.conf,resolv.conf,networks,protocols,services} r,\n"
    "/run/systemd/resolve/{,stub-}resolv.conf r,\n"
    "/run/resolvconf/resolv.conf r,\n"
    "/etc/ssl/{,**} r,\n"
    "/etc/ca-certificates/{,**} r,\n"
    "/usr/share/ca-certificates/{,**} r,\n"
    "@{PROC}/sys/net/core/somaxconn r,\n"
    "@{PROC}/sys/net/ipv4/tcp_fastopen r,\n"
    "@{PROC}/@{pid}/net/{,**} r,\n";

static const char seccomp[] =
    "# Description: Can access the network as a client.\n"
    "socket AF_INET\n"
    "socket AF_INET6\n"
    "socket AF_NETLINK - NETLINK_ROUTE\n"
    "# userspace SCTP\n"
    "socket AF_CONN\n"
    "bind\n"
    "shutdown\n";

static const struct iface_fs_spec fs[] = {
    {"/etc/resolv.conf", IFACE_FS_READ, true, false},
    {"/run/systemd/resolve", IFACE_FS_READ, true, false},
    {"/etc/ssl", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_network = {
    .name = "network",
    .summary = "allows access to the network",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_YES),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs, .net_any = IFACE_NET_CONNECT},
};
