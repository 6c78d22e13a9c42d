/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "fault.h"

#ifdef SN_FAULT_INJECTION
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

/* Hits of each point:when so far (a spec entry "point:when#N" fires at the Nth); a process
 * reaches few distinct points, a small table is enough. */
#define MAX_POINTS 64
static struct {
    char key[128];
    unsigned hits;
} counts[MAX_POINTS];

static unsigned count_hit(const char *key) {
    for (size_t i = 0; i < MAX_POINTS; i++) {
        if (counts[i].key[0] == '\0') {
            (void)snprintf(counts[i].key, sizeof(counts[i].key), "%s", key);
        }
        if (strcmp(counts[i].key, key) == 0) {
            return ++counts[i].hits;
        }
    }
    return 0;
}

void sn_fault_point(const char *point, const char *when) {
    const char *spec = getenv("SNAPC_FAULT");
    if (spec == NULL || spec[0] == '\0') {
        return;
    }
    char want[256];
    (void)snprintf(want, sizeof(want), "%s:%s", point, when);
    size_t wl = strlen(want);
    bool counted = false;
    unsigned hit = 0;
    for (const char *p = spec; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n >= wl && memcmp(p, want, wl) == 0 && (n == wl || p[wl] == '#')) {
            if (!counted) {
                hit = count_hit(want);
                counted = true;
            }
            unsigned nth = n == wl ? 0 : (unsigned)strtoul(p + wl + 1, NULL, 10);
            if (nth == 0 || nth == hit) {
                char msg[300];
                int m = snprintf(msg, sizeof(msg), "fault injected at %s (hit %u)\n", want, hit);
                (void)!write(STDERR_FILENO, msg, m > 0 ? (size_t)m : 0);
                _exit(137);
            }
        }
        p += n;
        if (*p == ',') {
            p++;
        }
    }
}
/* Does the comma-separated spec in env var contain "<point>:<what>"? */
static int spec_has(const char *env, const char *point, const char *what) {
    const char *spec = getenv(env);
    if (spec == NULL || spec[0] == '\0') {
        return 0;
    }
    char want[256];
    (void)snprintf(want, sizeof(want), "%s:%s", point, what);
    size_t wl = strlen(want);
    for (const char *p = spec; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == wl && memcmp(p, want, n) == 0) {
            return 1;
        }
        p += n;
        if (*p == ',') {
            p++;
        }
    }
    return 0;
}

/* "<point>:fail" fails every time, "<point>:fail2" only the second time the point is reached
 * (the second snap's chain in a multi-snap change). One counter per process is enough: tests
 * name one such point. */
int sn_fault_fail(const char *point) {
    if (spec_has("SNAPC_FAULT", point, "fail")) {
        return 1;
    }
    static int reached;
    return spec_has("SNAPC_FAULT", point, "fail2") && ++reached == 2;
}

/* Wait until the file named by the spec entry at p (up to ',' or the end) exists. */
static void wait_for_file(const char *p) {
    char path[4096];
    size_t n = strcspn(p, ",");
    if (n >= sizeof(path)) {
        return;
    }
    memcpy(path, p, n);
    path[n] = '\0';
    const struct timespec tick = {0, 2 * 1000000L};
    while (access(path, F_OK) != 0) {
        nanosleep(&tick, NULL);
    }
}

void sn_fault_delay(const char *point) {
    const char *spec = getenv("SNAPC_FAULT_DELAY");
    size_t pl = strlen(point);
    for (const char *p = spec; p && *p;) {
        if (strncmp(p, point, pl) == 0 && p[pl] == ':') {
            if (p[pl + 1] == '/') {
                wait_for_file(p + pl + 1);
                return;
            }
            long ms = strtol(p + pl + 1, NULL, 10);
            struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
            return;
        }
        p = strchr(p, ',');
        p = p ? p + 1 : NULL;
    }
}
#endif
