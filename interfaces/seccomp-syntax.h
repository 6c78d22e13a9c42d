/* SPDX-License-Identifier: GPL-3.0-only
 * seccomp-syntax.h: checks snapd's seccomp source syntax (cmd/snap-seccomp) without compiling:
 *
 *   # comment
 *   syscall [ARG0 .. ARG5]
 *
 * Each ARG is `-` (any), `u:USER` / `g:GROUP`, or a value with an optional operator prefix
 * (`>`, `>=`, `<`, `<=`, `!`, `|` for "all mask bits set"). A value is a decimal number
 * (32-bit, as snapd reads it) or a symbol from iface_seccomp_symbol(). Template syntax also
 * allows `@unrestricted`, `@complain` and `~syscall` (deny) lines.
 */
#ifndef IFACE_SECCOMP_SYNTAX_H
#define IFACE_SECCOMP_SYNTAX_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* 0, or -EINVAL with err describing the problem. */
int iface_seccomp_check_line(const char *line, bool template_syntax, struct sn_err *err) SN_WUR;
/* Every line of text; err says which line ("line 3: ..."). */
int iface_seccomp_check(const char *text, bool template_syntax, struct sn_err *err) SN_WUR;
/* Value of a symbolic argument (AF_INET, NETLINK_ROUTE, CLONE_NEWNET, S_IFCHR, Q_GETQUOTA,
 * CAN_RAW, ...): 0, or -ENOENT when unknown. The table lists every symbol our interfaces use
 * plus snapd's common ones; the seccomp compiler must resolve the same names. */
int iface_seccomp_symbol(const char *name, uint64_t *value) SN_WUR;
/* For iteration: the i-th symbol name, NULL past the end. */
const char *iface_seccomp_symbol_at(size_t i);

#endif
