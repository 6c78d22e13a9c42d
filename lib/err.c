/* SPDX-License-Identifier: GPL-3.0-only */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static void err_vset(struct sn_err *err, int code, const char *kind, const char *fmt, va_list ap) {
    err->code = code;
    (void)snprintf(err->kind, sizeof(err->kind), "%s", kind ? kind : "");
    (void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    /* keep messages on one line */
    for (char *p = err->msg; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            *p = ' ';
        }
    }
}

int sn_err_set(struct sn_err *err, int code, const char *fmt, ...) {
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        err_vset(err, code, NULL, fmt, ap);
        va_end(ap);
    }
    return code;
}

int sn_err_setk(struct sn_err *err, int code, const char *kind, const char *fmt, ...) {
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        err_vset(err, code, kind, fmt, ap);
        va_end(ap);
    }
    return code;
}

void sn_err_prefix(struct sn_err *err, const char *fmt, ...) {
    if (err == NULL) {
        return;
    }
    char pre[SN_ERR_MSG_MAX];
    char old[SN_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(pre, sizeof(pre), fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof(old));
    (void)snprintf(err->msg, sizeof(err->msg), "%s%s", pre, old);
}

void sn_err_clear(struct sn_err *err) {
    if (err != NULL) {
        err->code = 0;
        err->kind[0] = '\0';
        err->msg[0] = '\0';
    }
}

void sn_bug(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    (void)fprintf(stderr, "BUG at %s:%d: ", file, line);
    (void)vfprintf(stderr, fmt, ap);
    (void)fputc('\n', stderr);
    va_end(ap);
    abort();
}
