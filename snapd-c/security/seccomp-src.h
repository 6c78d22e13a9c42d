/* SPDX-License-Identifier: GPL-3.0-only
 * seccomp-src.h: snapd's seccomp source syntax, parsed and compiled with libseccomp to the
 * .bin2 blob snapc-confine loads (confine/seccomp-blob.h).
 *
 * Syntax, one rule per line ('#' comments, blank lines ignored):
 *   SYSCALL [ARG0 .. ARG5]      allow, when every given argument matches
 *   ~SYSCALL [ARG0 .. ARG5]     deny with EACCES (LOG under @complain)
 *   @unrestricted               no filter at all
 *   @complain                   default action LOG instead of ERRNO(EPERM)
 * ARG is "-" (any), N, >N, >=N, <N, <=N, !N (not equal), |M (all bits of M set), V|M
 * ((arg & M) == V), u:USER or g:GROUP (uid/gid by name). N is decimal, 0xHEX, -N (as a 32-bit
 * two's complement, for uid_t -1), or a symbolic constant (AF_NETLINK, NETLINK_ROUTE,
 * CLONE_NEWUSER, TIOCSTI, PTRACE_TRACEME, S_IFIFO, ...). Unknown system call names are
 * ignored (they may exist on other architectures or kernels); unknown constants are errors.
 */
#ifndef SECURITY_SECCOMP_SRC_H
#define SECURITY_SECCOMP_SRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SC_MAX_ARGS 6

enum sc_op { SC_ANY, SC_EQ, SC_NE, SC_GT, SC_GE, SC_LT, SC_LE, SC_MASKED_EQ };

struct sc_arg {
    enum sc_op op;
    uint64_t value;
    uint64_t mask; /* SC_MASKED_EQ only */
};

struct sc_rule {
    char name[48];
    bool deny;
    int nargs;
    struct sc_arg args[SC_MAX_ARGS];
    int line;
};

struct sc_src {
    struct sc_rule *rules;
    size_t n;
    bool unrestricted;
    bool complain;
};

/* Parse source text (len bytes, need not be NUL-terminated). Release with sc_src_release. */
int sc_src_parse(const char *text, size_t len, struct sc_src *out, struct sn_err *err) SN_WUR;
void sc_src_release(struct sc_src *s);
/* Look up a symbolic constant; returns false when unknown. */
bool sc_constant(const char *name, uint64_t *value);

struct sc_stats {
    size_t rules_added;      /* rules libseccomp took */
    size_t unknown_syscalls; /* names not known on any compiled architecture (ignored) */
    size_t allow_insns, deny_insns;
};

/* Compile to a .bin2 blob (header + allow filter + deny filter) for the native architecture
 * and its compat ones (x86 and x32 on amd64, arm on arm64). *blob is heap, caller frees. */
int sc_compile(const struct sc_src *src, uint8_t **blob, size_t *len, struct sc_stats *stats,
               struct sn_err *err) SN_WUR;

#endif
