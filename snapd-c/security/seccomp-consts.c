/* SPDX-License-Identifier: GPL-3.0-only
 * seccomp-consts.c: the symbolic constants the seccomp source may use, with the values of the
 * Linux UAPI (the same on every architecture we build for unless marked).
 */
#define _GNU_SOURCE
#include <linux/netlink.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "seccomp-src.h"
#include "seccomp-syntax.h" /* interfaces/: symbols interface snippets use */

#include "banned.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef AF_QIPCRTR
#define AF_QIPCRTR 42
#endif
#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef AF_MCTP
#define AF_MCTP 45
#endif
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif

#define C(x) \
    { #x, (uint64_t)(x) }

static const struct {
    const char *name;
    uint64_t value;
} consts[] = {
    /* socket families */
    C(AF_UNIX),
    C(AF_LOCAL),
    C(AF_INET),
    C(AF_INET6),
    C(AF_NETLINK),
    C(AF_PACKET),
    C(AF_BLUETOOTH),
    C(AF_CAN),
    C(AF_ALG),
    C(AF_BRIDGE),
    C(AF_X25),
    C(AF_APPLETALK),
    C(AF_IPX),
    C(AF_KEY),
    C(AF_QIPCRTR),
    C(AF_VSOCK),
    C(AF_XDP),
    C(AF_NFC),
    C(AF_PPPOX),
    C(AF_LLC),
    C(AF_IB),
    C(AF_MPLS),
    C(AF_ROSE),
    C(AF_DECnet),
    C(AF_AX25),
    C(AF_NETROM),
    C(AF_ATMPVC),
    C(AF_ATMSVC),
    C(AF_RDS),
    C(AF_IRDA),
    C(AF_ISDN),
    C(AF_PHONET),
    C(AF_IEEE802154),
    C(AF_CAIF),
    C(AF_TIPC),
    C(AF_RXRPC),
    C(AF_IUCV),
    C(AF_KCM),
    C(AF_SMC),
    C(AF_MCTP),
    C(AF_SECURITY),
    C(AF_WANPIPE),
    C(AF_ECONET),
    C(AF_SNA),
    C(PF_UNIX),
    C(PF_LOCAL),
    C(PF_INET),
    C(PF_INET6),
    C(PF_NETLINK),
    C(PF_PACKET),
    C(PF_BLUETOOTH),
    C(PF_CAN),
    C(PF_ALG),
    /* socket types */
    C(SOCK_STREAM),
    C(SOCK_DGRAM),
    C(SOCK_RAW),
    C(SOCK_SEQPACKET),
    C(SOCK_RDM),
    C(SOCK_NONBLOCK),
    C(SOCK_CLOEXEC),
    /* netlink protocols */
    C(NETLINK_ROUTE),
    C(NETLINK_USERSOCK),
    C(NETLINK_FIREWALL),
    C(NETLINK_SOCK_DIAG),
    C(NETLINK_INET_DIAG),
    C(NETLINK_NFLOG),
    C(NETLINK_XFRM),
    C(NETLINK_SELINUX),
    C(NETLINK_ISCSI),
    C(NETLINK_AUDIT),
    C(NETLINK_FIB_LOOKUP),
    C(NETLINK_CONNECTOR),
    C(NETLINK_NETFILTER),
    C(NETLINK_IP6_FW),
    C(NETLINK_DNRTMSG),
    C(NETLINK_KOBJECT_UEVENT),
    C(NETLINK_GENERIC),
    C(NETLINK_SCSITRANSPORT),
    C(NETLINK_ECRYPTFS),
    C(NETLINK_RDMA),
    C(NETLINK_CRYPTO),
    /* namespaces */
    C(CLONE_NEWNS),
    C(CLONE_NEWUTS),
    C(CLONE_NEWIPC),
    C(CLONE_NEWUSER),
    C(CLONE_NEWPID),
    C(CLONE_NEWNET),
    C(CLONE_NEWCGROUP),
    C(CLONE_NEWTIME),
    /* ptrace requests */
    C(PTRACE_TRACEME),
    C(PTRACE_PEEKTEXT),
    C(PTRACE_PEEKDATA),
    C(PTRACE_PEEKUSR),
    C(PTRACE_POKETEXT),
    C(PTRACE_POKEDATA),
    C(PTRACE_POKEUSR),
    C(PTRACE_CONT),
    C(PTRACE_KILL),
    C(PTRACE_SINGLESTEP),
    C(PTRACE_ATTACH),
    C(PTRACE_DETACH),
    C(PTRACE_SYSCALL),
    C(PTRACE_SETOPTIONS),
    C(PTRACE_GETEVENTMSG),
    C(PTRACE_GETSIGINFO),
    C(PTRACE_SETSIGINFO),
    C(PTRACE_SEIZE),
    C(PTRACE_INTERRUPT),
    C(PTRACE_LISTEN),
    C(PTRACE_GET_SYSCALL_INFO),
    /* terminal ioctls snapd denies */
    C(TIOCSTI),
    C(TIOCLINUX),
    /* file types and modes (mknod, chmod) */
    C(S_IFREG),
    C(S_IFCHR),
    C(S_IFBLK),
    C(S_IFIFO),
    C(S_IFSOCK),
    C(S_ISUID),
    C(S_ISGID),
    /* setpriority / getpriority */
    C(PRIO_PROCESS),
    C(PRIO_PGRP),
    C(PRIO_USER),
    /* prctl */
    C(PR_SET_NAME),
    C(PR_GET_NAME),
    C(PR_SET_PDEATHSIG),
    C(PR_GET_PDEATHSIG),
    C(PR_SET_DUMPABLE),
    C(PR_GET_DUMPABLE),
    C(PR_SET_NO_NEW_PRIVS),
    C(PR_GET_NO_NEW_PRIVS),
    C(PR_CAPBSET_READ),
    C(PR_CAPBSET_DROP),
    C(PR_SET_SECCOMP),
    C(PR_GET_SECCOMP),
    C(PR_SET_KEEPCAPS),
    C(PR_GET_KEEPCAPS),
    C(PR_SET_CHILD_SUBREAPER),
    C(PR_GET_CHILD_SUBREAPER),
    C(PR_SET_TIMERSLACK),
    C(PR_GET_TIMERSLACK),
    C(PR_CAP_AMBIENT),
};

bool sc_constant(const char *name, uint64_t *value) {
    for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
        if (strcmp(consts[i].name, name) == 0) {
            *value = consts[i].value;
            return true;
        }
    }
    /* AF_CONN (snapd's 123), CAN_*, Q_* quotactl commands... */
    return iface_seccomp_symbol(name, value) == 0;
}
