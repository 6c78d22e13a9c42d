/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "fault.h"

#ifdef SN_FAULT_INJECTION
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "banned.h"

void sn_fault_point(const char *point, const char *when) {
    const char *spec = getenv("SNAPC_FAULT");
    if (spec == NULL || spec[0] == '\0') {
        return;
    }
    char want[256];
    (void)snprintf(want, sizeof(want), "%s:%s", point, when);
    size_t wl = strlen(want);
    for (const char *p = spec; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == wl && memcmp(p, want, n) == 0) {
            char msg[300];
            int m = snprintf(msg, sizeof(msg), "fault injected at %s\n", want);
            (void)!write(STDERR_FILENO, msg, m > 0 ? (size_t)m : 0);
            _exit(137);
        }
        p += n;
        if (*p == ',') {
            p++;
        }
    }
}
#endif
