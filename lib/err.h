/* SPDX-License-Identifier: GPL-3.0-only
 * err.h: caller-owned error reports that never allocate.
 *
 *   struct sn_err err = SN_ERR_INIT;
 *   if (foo(path, &err) < 0) log_error("%s", err.msg);
 *
 * Functions return 0 or -errno and, when given a non-NULL err, describe the failure in it.
 * err->msg follows git's rules: lowercase, no full stop, what failed first, names 'quoted'.
 */
#ifndef SN_ERR_H
#define SN_ERR_H

#include <stddef.h>

#define SN_ERR_MSG_MAX 512

struct sn_err {
    int code;                 /* -errno of the first failure, 0 when none */
    char kind[40];            /* optional machine-readable kind (REST "kind"), "" when none */
    char msg[SN_ERR_MSG_MAX]; /* one line */
};

#define SN_ERR_INIT \
    { 0, "", "" }

#define SN_FMT(a, b) __attribute__((format(printf, a, b)))
#define SN_WUR       __attribute__((warn_unused_result))
/* Deliberately ignore a SN_WUR result (best-effort cleanup on an error path). */
#define SN_IGNORE(expr) ((void)!(expr))

/* Fill err (if non-NULL) and return code (a negative errno). */
int sn_err_set(struct sn_err *err, int code, const char *fmt, ...) SN_FMT(3, 4);
/* Like sn_err_set, with a REST error kind such as "snap-not-found". */
int sn_err_setk(struct sn_err *err, int code, const char *kind, const char *fmt, ...) SN_FMT(4, 5);
/* Prepend context ("install 'foo': ") to an existing message. */
void sn_err_prefix(struct sn_err *err, const char *fmt, ...) SN_FMT(2, 3);
void sn_err_clear(struct sn_err *err);

/* Invariant violated: print and abort in every build. */
#define SN_BUG(...) sn_bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void sn_bug(const char *file, int line, const char *fmt, ...) SN_FMT(3, 4);

#endif
