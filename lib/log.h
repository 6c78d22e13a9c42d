/* SPDX-License-Identifier: GPL-3.0-only
 * log.h: leveled logging to stderr. Debug turns on at run time with SNAPC_DEBUG=1.
 * When stderr is not a terminal and SNAPC_LOG_PREFIX=1, lines get a syslog "<N>" prefix.
 */
#ifndef SN_LOG_H
#define SN_LOG_H

#include "err.h"

enum sn_log_level { SN_LOG_ERROR = 3, SN_LOG_WARN = 4, SN_LOG_INFO = 6, SN_LOG_DEBUG = 7 };

/* Program name printed before each message ("snapc: ..."); borrowed, keep it alive. */
void sn_log_init(const char *progname);
int sn_log_debug_enabled(void);
void sn_log(enum sn_log_level level, const char *fmt, ...) SN_FMT(2, 3);
/* Appends ": strerror(-err)". */
void sn_log_errno(int err, const char *fmt, ...) SN_FMT(2, 3);

#define log_debug(...)                         \
    do {                                       \
        if (sn_log_debug_enabled()) {          \
            sn_log(SN_LOG_DEBUG, __VA_ARGS__); \
        }                                      \
    } while (0)
#define log_info(...)     sn_log(SN_LOG_INFO, __VA_ARGS__)
#define log_warn(...)     sn_log(SN_LOG_WARN, __VA_ARGS__)
#define log_error(...)    sn_log(SN_LOG_ERROR, __VA_ARGS__)
#define log_errno(e, ...) sn_log_errno((e), __VA_ARGS__)

#endif
