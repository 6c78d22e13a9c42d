/* SPDX-License-Identifier: GPL-3.0-only
 * network-control: configure networking (addresses, routes, links, namespaces, tun/tap,
 * rfkill, raw and packet sockets).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can configure networking and network namespaces.\n"
    "capability net_admin,\n"
    "capability net_raw,\n"
    "capability net_broadcast,\n"
    "capability setuid,\n"
    "capability sys_admin,\n"
    "capability sys_ptrace,\n"
    "network,\n"
    "/dev/net/tun rw,\n"
    "/dev/rfkill rw,\n"
    "@{PROC}/@{pid}/net/{,**} r,\n"
    "@{PROC}/sys/net/{,**} rw,\n"
    "/sys/class/net/ r,\n"
    "/sys/devices/**/net/** rw,\n"
    "/sys/devices/virtual/net/** rw,\n"
    "/sys/class/rfkill/ r,\n"
    "/sys/devices/**/rfkill/** rw,\n"
    "/etc/iproute2/{,**} r,\n"
    "/etc/{networks,ethers,rpc,network/{,**},netplan/{,**}} r,\n"
    "/run/netns/ r,\n"
    "/run/netns/* rw,\n"
    "mount options=(rw, rshared) -> /run/netns/,\n"
    "mount options=(rw, bind) /run/netns/ -> /run/netns/,\n"
    "mount options=(rw, bind) / -> /run/netns/*,\n"
    "umount /run/netns/*,\n"
    "/{,usr/}{,s}bin/{arp,bridge,dhclient,ethtool,ip,ifconfig,iw,nsenter,ping,ping6,route,ss,tc} "
    "ixr,\n";

static const char seccomp[] =
    "# Description: Can configure networking and network namespaces.\n"
    "capset\n"
    "bind\n"
    "listen\n"
    "accept\n"
    "accept4\n"
    "shutdown\n"
    "mount\n"
    "umount\n"
    "umount2\n"
    "unshare\n"
    "setns - CLONE_NEWNET\n"
    "socket AF_INET\n"
    "socket AF_INET6\n"
    "socket AF_PACKET\n"
    "socket AF_NETLINK - NETLINK_ROUTE\n"
    "socket AF_NETLINK - NETLINK_FIB_LOOKUP\n"
    "socket AF_NETLINK - NETLINK_INET_DIAG\n"
    "socket AF_NETLINK - NETLINK_XFRM\n"
    "socket AF_NETLINK - NETLINK_NETFILTER\n"
    "socket AF_NETLINK - NETLINK_GENERIC\n"
    "socket AF_NETLINK - NETLINK_KOBJECT_UEVENT\n";

static const struct iface_fs_spec fs[] = {
    {"/proc/sys/net", IFACE_FS_RW, true, false},
    {"/sys/class/net", IFACE_FS_READ, true, false},
    {"/sys/devices", IFACE_FS_READ, true, false},
    {"/sys/class/rfkill", IFACE_FS_READ, true, false},
    {"/dev/net/tun", IFACE_FS_DEV_RW, true, false},
    {"/dev/rfkill", IFACE_FS_DEV_RW, true, false},
    {"/run/netns", IFACE_FS_RW | IFACE_FS_MAKE, true, false},
    {"/etc/iproute2", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

static const struct iface_dev_spec devices[] = {
    {"misc", "tun", NULL, NULL},
    {"misc", "rfkill", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct iface_def iface_def_network_control = {
    .name = "network-control",
    .summary = "allows configuring networking and network namespaces",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor,
             .seccomp = seccomp,
             .fs = fs,
             .devices = devices,
             .net_any = IFACE_NET_BIND | IFACE_NET_CONNECT},
};
