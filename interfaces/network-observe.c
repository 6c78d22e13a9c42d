/* SPDX-License-Identifier: GPL-3.0-only
 * network-observe: read network status (interfaces, routes, sockets, netlink statistics).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can query network status information.\n"
    "capability net_raw,\n"
    "capability setuid,\n"
    "network netlink raw,\n"
    "network netlink dgram,\n"
    "network inet raw,\n"
    "network inet6 raw,\n"
    "@{PROC}/@{pid}/net/{,**} r,\n"
    "@{PROC}/sys/net/{,**} r,\n"
    "/sys/class/net/ r,\n"
    "/sys/devices/**/net/** rk,\n"
    "/etc/iproute2/{,**} r,\n"
    "/etc/{networks,ethers,rpc} r,\n"
    "/{,usr/}{,s}bin/{arp,ip,ifconfig,netstat,nstat,route,ss,ping,ping6,tc} ixr,\n";

static const char seccomp[] =
    "# Description: Can query network status information.\n"
    "# ping\n"
    "capset\n"
    "bind\n"
    "socket AF_NETLINK - NETLINK_INET_DIAG\n"
    "socket AF_NETLINK - NETLINK_ROUTE\n"
    "socket AF_NETLINK - NETLINK_GENERIC\n"
    "socket AF_NETLINK - NETLINK_KOBJECT_UEVENT\n";

static const struct iface_fs_spec fs[] = {
    {"/proc/sys/net", IFACE_FS_READ, true, false},
    {"/sys/class/net", IFACE_FS_READ, true, false},
    {"/sys/devices", IFACE_FS_READ, true, false},
    {"/etc/iproute2", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_network_observe = {
    .name = "network-observe",
    .summary = "allows querying network status",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs},
};
