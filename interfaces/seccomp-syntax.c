/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "seccomp-syntax.h"

#include <ctype.h>
#include <errno.h>
#include <linux/can.h>
#include <linux/dqblk_xfs.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/quota.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "banned.h"

#define SYM(x) \
    { #x, (uint64_t)(x) }

static const struct {
    const char *name;
    uint64_t value;
} symbols[] = {
    SYM(AF_UNIX),
    SYM(AF_LOCAL),
    SYM(AF_INET),
    SYM(AF_INET6),
    SYM(AF_IPX),
    SYM(AF_NETLINK),
    SYM(AF_X25),
    SYM(AF_AX25),
    SYM(AF_ATMPVC),
    SYM(AF_APPLETALK),
    SYM(AF_PACKET),
    SYM(AF_ALG),
    SYM(AF_CAN),
    SYM(AF_BRIDGE),
    SYM(AF_NETROM),
    SYM(AF_ROSE),
    SYM(AF_NETBEUI),
    SYM(AF_SECURITY),
    SYM(AF_KEY),
    SYM(AF_ASH),
    SYM(AF_ECONET),
    SYM(AF_SNA),
    SYM(AF_IRDA),
    SYM(AF_PPPOX),
    SYM(AF_WANPIPE),
    SYM(AF_BLUETOOTH),
    SYM(AF_RDS),
    SYM(AF_LLC),
    SYM(AF_TIPC),
    SYM(AF_IUCV),
    SYM(AF_RXRPC),
    SYM(AF_ISDN),
    SYM(AF_PHONET),
    SYM(AF_IEEE802154),
    SYM(AF_CAIF),
    SYM(AF_NFC),
    SYM(AF_VSOCK),
    SYM(AF_MPLS),
    SYM(AF_IB),
    SYM(AF_QIPCRTR),
    SYM(AF_XDP),
    {"AF_CONN", 123}, /* snapd's value for userspace SCTP (usrsctp) */
    SYM(PF_UNIX),
    SYM(PF_LOCAL),
    SYM(PF_INET),
    SYM(PF_INET6),
    SYM(PF_NETLINK),
    SYM(PF_PACKET),
    SYM(PF_CAN),
    SYM(PF_BLUETOOTH),
    SYM(PF_ALG),
    SYM(PF_VSOCK),
    {"PF_CONN", 123},
    SYM(SOCK_STREAM),
    SYM(SOCK_DGRAM),
    SYM(SOCK_SEQPACKET),
    SYM(SOCK_RAW),
    SYM(SOCK_RDM),
    SYM(SOCK_PACKET),
    SYM(NETLINK_ROUTE),
    SYM(NETLINK_USERSOCK),
    SYM(NETLINK_FIREWALL),
    SYM(NETLINK_SOCK_DIAG),
    SYM(NETLINK_INET_DIAG),
    SYM(NETLINK_NFLOG),
    SYM(NETLINK_XFRM),
    SYM(NETLINK_SELINUX),
    SYM(NETLINK_ISCSI),
    SYM(NETLINK_AUDIT),
    SYM(NETLINK_FIB_LOOKUP),
    SYM(NETLINK_CONNECTOR),
    SYM(NETLINK_NETFILTER),
    SYM(NETLINK_IP6_FW),
    SYM(NETLINK_DNRTMSG),
    SYM(NETLINK_KOBJECT_UEVENT),
    SYM(NETLINK_GENERIC),
    SYM(NETLINK_SCSITRANSPORT),
    SYM(NETLINK_ECRYPTFS),
    SYM(NETLINK_RDMA),
    SYM(NETLINK_CRYPTO),
    SYM(CAN_RAW),
    SYM(CAN_BCM),
    SYM(CAN_TP16),
    SYM(CAN_TP20),
    SYM(CAN_MCNET),
    SYM(CAN_ISOTP),
    SYM(CAN_J1939),
    SYM(CLONE_NEWIPC),
    SYM(CLONE_NEWNET),
    SYM(CLONE_NEWNS),
    SYM(CLONE_NEWPID),
    SYM(CLONE_NEWUSER),
    SYM(CLONE_NEWUTS),
    SYM(CLONE_NEWCGROUP),
    SYM(PRIO_PROCESS),
    SYM(PRIO_PGRP),
    SYM(PRIO_USER),
    SYM(S_IFREG),
    SYM(S_IFCHR),
    SYM(S_IFBLK),
    SYM(S_IFIFO),
    SYM(S_IFSOCK),
    SYM(S_ISUID),
    SYM(S_ISGID),
    SYM(TIOCSTI),
    SYM(TIOCLINUX),
    SYM(Q_SYNC),
    SYM(Q_QUOTAON),
    SYM(Q_QUOTAOFF),
    SYM(Q_GETFMT),
    SYM(Q_GETINFO),
    SYM(Q_SETINFO),
    SYM(Q_GETQUOTA),
    SYM(Q_SETQUOTA),
    SYM(Q_XQUOTAON),
    SYM(Q_XQUOTAOFF),
    SYM(Q_XGETQUOTA),
    SYM(Q_XSETQLIM),
    SYM(Q_XGETQSTAT),
    SYM(Q_XQUOTARM),
};

#define NSYMBOLS (sizeof(symbols) / sizeof(symbols[0]))

int iface_seccomp_symbol(const char *name, uint64_t *value) {
    for (size_t i = 0; i < NSYMBOLS; i++) {
        if (strcmp(symbols[i].name, name) == 0) {
            *value = symbols[i].value;
            return 0;
        }
    }
    return -ENOENT;
}

const char *iface_seccomp_symbol_at(size_t i) {
    return i < NSYMBOLS ? symbols[i].name : NULL;
}

static bool valid_name(const char *s, size_t n, bool user) {
    if (n == 0) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9') ||
                  (user && i > 0 && (c == '-' || c == '.'));
        if (!ok) {
            return false;
        }
    }
    return true;
}

static int check_value(const char *tok, size_t n, struct sn_err *err) {
    static const char *const ops[] = {">=", "<=", ">", "<", "!", "|"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t l = strlen(ops[i]);
        if (n > l && strncmp(tok, ops[i], l) == 0) {
            tok += l;
            n -= l;
            break;
        }
    }
    char buf[64];
    if (n == 0 || n >= sizeof(buf)) {
        return sn_err_set(err, -EINVAL, "invalid argument '%.*s'", (int)n, tok);
    }
    memcpy(buf, tok, n);
    buf[n] = '\0';
    uint64_t v;
    if (iface_seccomp_symbol(buf, &v) == 0) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)buf[i])) {
            return sn_err_set(err, -EINVAL, "unknown symbol or bad number '%s'", buf);
        }
    }
    errno = 0;
    unsigned long long x = strtoull(buf, NULL, 10);
    if (errno != 0 || x > UINT32_MAX) {
        return sn_err_set(err, -EINVAL, "number out of range '%s'", buf);
    }
    return 0;
}

int iface_seccomp_check_line(const char *line, bool template_syntax, struct sn_err *err) {
    const char *p = line;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p == '\0' || *p == '\n' || *p == '#') {
        return 0;
    }
    if (*p == '@') {
        size_t n = strcspn(p, " \t\n");
        if (template_syntax && ((n == 13 && strncmp(p, "@unrestricted", 13) == 0) ||
                                (n == 9 && strncmp(p, "@complain", 9) == 0))) {
            return 0;
        }
        return sn_err_set(err, -EINVAL, "unexpected directive '%.*s'", (int)n, p);
    }
    int ntok = 0;
    while (*p != '\0' && *p != '\n') {
        size_t n = strcspn(p, " \t\n");
        if (ntok == 0) {
            const char *name = p;
            size_t nl = n;
            if (*name == '~') {
                if (!template_syntax) {
                    return sn_err_set(err, -EINVAL, "deny rules ('~') belong in the template");
                }
                name++;
                nl--;
            }
            if (!valid_name(name, nl, false)) {
                return sn_err_set(err, -EINVAL, "invalid syscall name '%.*s'", (int)n, p);
            }
        } else if (ntok > 6) {
            return sn_err_set(err, -EINVAL, "too many arguments in '%s'", line);
        } else if (n == 1 && *p == '-') {
            /* any value */
        } else if (n > 2 && (p[0] == 'u' || p[0] == 'g') && p[1] == ':') {
            if (!valid_name(p + 2, n - 2, true)) {
                return sn_err_set(err, -EINVAL, "invalid user or group '%.*s'", (int)n, p);
            }
        } else {
            int r = check_value(p, n, err);
            if (r < 0) {
                return r;
            }
        }
        ntok++;
        p += n;
        while (*p == ' ' || *p == '\t') {
            p++;
        }
    }
    return 0;
}

int iface_seccomp_check(const char *text, bool template_syntax, struct sn_err *err) {
    int lineno = 1;
    for (const char *p = text; *p != '\0'; lineno++) {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        char line[512];
        if (n >= sizeof(line)) {
            return sn_err_set(err, -EINVAL, "line %d: too long", lineno);
        }
        memcpy(line, p, n);
        line[n] = '\0';
        int r = iface_seccomp_check_line(line, template_syntax, err);
        if (r < 0) {
            sn_err_prefix(err, "line %d: ", lineno);
            return r;
        }
        p += n + (nl != NULL ? 1 : 0);
    }
    return 0;
}
