/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

static const char *log_prog = NULL;
static int log_debug_on = -1;
static int log_prefix_on = -1;

void sn_log_init(const char *progname) {
    log_prog = progname;
    log_debug_on = -1;
    log_prefix_on = -1;
}

int sn_log_debug_enabled(void) {
    if (log_debug_on < 0) {
        const char *v = secure_getenv("SNAPC_DEBUG");
        log_debug_on = v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
    }
    return log_debug_on;
}

static void log_v(enum sn_log_level level, int err, const char *fmt, va_list ap) {
    char line[2048];
    size_t n = 0;
    if (log_prefix_on < 0) {
        const char *v = getenv("SNAPC_LOG_PREFIX");
        log_prefix_on = v != NULL && strcmp(v, "1") == 0 && !isatty(STDERR_FILENO);
    }
    int r;
    if (log_prefix_on) {
        r = snprintf(line, sizeof(line), "<%d>", (int)level);
        n = r > 0 ? (size_t)r : 0;
    }
    if (log_prog != NULL) {
        r = snprintf(line + n, sizeof(line) - n, "%s: ", log_prog);
        n += r > 0 ? (size_t)r : 0;
    }
    const char *tag = level == SN_LOG_ERROR   ? "error: "
                      : level == SN_LOG_WARN  ? "warning: "
                      : level == SN_LOG_DEBUG ? "debug: "
                                              : "";
    if (n < sizeof(line)) {
        r = snprintf(line + n, sizeof(line) - n, "%s", tag);
        n += r > 0 ? (size_t)r : 0;
    }
    if (n < sizeof(line)) {
        r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
        n += r > 0 ? (size_t)r : 0;
    }
    if (err != 0 && n < sizeof(line)) {
        r = snprintf(line + n, sizeof(line) - n, ": %s", strerror(err < 0 ? -err : err));
        n += r > 0 ? (size_t)r : 0;
    }
    if (n >= sizeof(line) - 1) {
        n = sizeof(line) - 2;
    }
    line[n++] = '\n';
    /* one write per line so lines from several processes do not interleave */
    (void)!write(STDERR_FILENO, line, n);
}

void sn_log(enum sn_log_level level, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    log_v(level, 0, fmt, ap);
    va_end(ap);
}

void sn_log_errno(int err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    log_v(SN_LOG_ERROR, err, fmt, ap);
    va_end(ap);
}
