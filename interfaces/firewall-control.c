/* SPDX-License-Identifier: GPL-3.0-only
 * firewall-control: configure netfilter (iptables, nftables, ebtables); loads the netfilter
 * modules those tools expect.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can configure the firewall.\n"
    "capability net_admin,\n"
    "capability net_raw,\n"
    "network inet raw,\n"
    "network inet6 raw,\n"
    "network netlink raw,\n"
    "/{,usr/}{,s}bin/{iptables,ip6tables,arptables,ebtables,nft,xtables-*}{,-save,-restore} ixr,\n"
    "/{,usr/}lib{,32,64}/{,@{multiarch}/}{xtables,iptables}/{,**} mr,\n"
    "/run/xtables.lock rwk,\n"
    "@{PROC}/@{pid}/net/{ip_tables_names,ip6_tables_names,ip_tables_matches,ip_tables_targets} r,\n"
    "@{PROC}/sys/net/{,**} rw,\n"
    "/etc/{iptables,nftables.conf,ethertypes,protocols,services} r,\n";

static const char seccomp[] =
    "# Description: Can configure the firewall.\n"
    "bind\n"
    "socket AF_INET\n"
    "socket AF_INET6\n"
    "socket AF_NETLINK - NETLINK_ROUTE\n"
    "socket AF_NETLINK - NETLINK_NETFILTER\n";

static const struct iface_fs_spec fs[] = {
    {"/proc/sys/net", IFACE_FS_RW, true, false},
    {"/run/xtables.lock", IFACE_FS_RW, true, false},
    {"/etc/iptables", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

static const char *const kmods[] = {"arp_tables", "br_netfilter", "ip6table_filter",
                                    "iptable_filter", NULL};

const struct iface_def iface_def_firewall_control = {
    .name = "firewall-control",
    .summary = "allows control over the firewall",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs, .kmods = kmods},
};
