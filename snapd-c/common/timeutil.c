/* SPDX-License-Identifier: GPL-3.0-only
 * timeutil.c: Go's time.ParseDuration (Go 1.19, as built into snapd 2.57.6) and snapd's timer
 * schedule grammar (timeutil.ParseSchedule). See timeutil.h.
 */
#include "timeutil.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "gomsg.h"

#include "banned.h"

/* A piece of the input, not NUL-terminated. */
struct tu_slice {
    const char *p;
    size_t n;
};

/* ---- messages, bounded by the caller's buffer ---- */

/* The quoting of Go's time package errors: ASCII controls and every non-ASCII byte as \xNN. */
static void msg_time_quote(struct go_msg *m, struct tu_slice s) {
    go_msg_putn(m, "\"", 1);
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c >= 0x80 || c < 0x20) {
            go_msg_hex(m, 'x', c, 2);
            continue;
        }
        if (c == '"' || c == '\\') {
            go_msg_putn(m, "\\", 1);
        }
        go_msg_putn(m, s.p + i, 1);
    }
    go_msg_putn(m, "\"", 1);
}

/* ---- durations: time.ParseDuration ---- */

#define NS_2_63 (UINT64_C(1) << 63)

struct dur_unit {
    const char *name;
    uint64_t ns;
};

static const struct dur_unit dur_units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000}, /* U+00B5 MICRO SIGN */
    {"\xce\xbcs", 1000}, /* U+03BC GREEK SMALL LETTER MU */
    {"ms", 1000000},
    {"s", UINT64_C(1000000000)},
    {"m", UINT64_C(60000000000)},
    {"h", UINT64_C(3600000000000)},
};

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

static uint64_t dur_unit_ns(struct tu_slice u) {
    for (size_t i = 0; i < sizeof(dur_units) / sizeof(dur_units[0]); i++) {
        if (strlen(dur_units[i].name) == u.n && memcmp(dur_units[i].name, u.p, u.n) == 0) {
            return dur_units[i].ns;
        }
    }
    return 0;
}

static int dur_fail(struct go_msg *m, int code, const char *orig) {
    go_msg_puts(m, "time: invalid duration ");
    msg_time_quote(m, (struct tu_slice){orig, strlen(orig)});
    return code;
}

int snap_parse_duration_why(const char *s, int64_t *ns, char *why, size_t whylen) {
    const char *orig = s;
    struct go_msg m;
    uint64_t d = 0;
    bool neg = false;

    go_msg_init(&m, why, whylen);
    if (*s == '-' || *s == '+') {
        neg = *s == '-';
        s++;
    }
    if (strcmp(s, "0") == 0) {
        *ns = 0;
        return 0;
    }
    if (*s == '\0') {
        return dur_fail(&m, -EINVAL, orig);
    }
    while (*s != '\0') {
        uint64_t v = 0, frac = 0;
        double scale = 1;
        const char *mark = s;

        if (*s != '.' && !is_digit(*s)) {
            return dur_fail(&m, -EINVAL, orig);
        }
        /* integer part; up to 2^63 fits (the magnitude of the most negative duration) */
        for (; is_digit(*s); s++) {
            if (v > NS_2_63 / 10) {
                return dur_fail(&m, -ERANGE, orig);
            }
            v = v * 10 + (uint64_t)(*s - '0');
            if (v > NS_2_63) {
                return dur_fail(&m, -ERANGE, orig);
            }
        }
        bool pre = s != mark;
        bool post = false;
        if (*s == '.') {
            bool overflow = false;
            mark = ++s;
            /* fraction digits; past 63 bits they are ignored, not an error */
            for (; is_digit(*s); s++) {
                if (overflow) {
                    continue;
                }
                if (frac > (NS_2_63 - 1) / 10) {
                    overflow = true;
                    continue;
                }
                uint64_t y = frac * 10 + (uint64_t)(*s - '0');
                if (y > NS_2_63) {
                    overflow = true;
                    continue;
                }
                frac = y;
                scale *= 10;
            }
            post = s != mark;
        }
        if (!pre && !post) {
            return dur_fail(&m, -EINVAL, orig);
        }
        struct tu_slice u = {s, 0};
        while (s[u.n] != '\0' && s[u.n] != '.' && !is_digit(s[u.n])) {
            u.n++;
        }
        if (u.n == 0) {
            go_msg_puts(&m, "time: missing unit in duration ");
            msg_time_quote(&m, (struct tu_slice){orig, strlen(orig)});
            return -EINVAL;
        }
        s += u.n;
        uint64_t unit = dur_unit_ns(u);
        if (unit == 0) {
            go_msg_puts(&m, "time: unknown unit ");
            msg_time_quote(&m, u);
            go_msg_puts(&m, " in duration ");
            msg_time_quote(&m, (struct tu_slice){orig, strlen(orig)});
            return -EINVAL;
        }
        if (v > NS_2_63 / unit) {
            return dur_fail(&m, -ERANGE, orig);
        }
        v *= unit;
        if (frac > 0) {
            /* same double arithmetic as Go, to get the same rounding */
            v += (uint64_t)((double)frac * ((double)unit / scale));
            if (v > NS_2_63) {
                return dur_fail(&m, -ERANGE, orig);
            }
        }
        d += v; /* may wrap past 2^64 exactly as Go's uint64 does */
        if (d > NS_2_63) {
            return dur_fail(&m, -ERANGE, orig);
        }
    }
    if (neg) {
        *ns = d == NS_2_63 ? INT64_MIN : -(int64_t)d;
        return 0;
    }
    if (d > (uint64_t)INT64_MAX) {
        return dur_fail(&m, -ERANGE, orig);
    }
    *ns = (int64_t)d;
    return 0;
}

int snap_parse_duration(const char *s, int64_t *ns) {
    return snap_parse_duration_why(s, ns, NULL, 0);
}

/* ---- timer schedules: timeutil.ParseSchedule ---- */

static bool slice_has(struct tu_slice s, char c) {
    return s.n > 0 && memchr(s.p, c, s.n) != NULL;
}

static size_t slice_count(struct tu_slice s, char c) {
    size_t k = 0;
    for (size_t i = 0; i < s.n; i++) {
        k += s.p[i] == c;
    }
    return k;
}

/* Index of the first byte of s that is in set, or s.n. */
static size_t slice_find_any(struct tu_slice s, const char *set) {
    for (size_t i = 0; i < s.n; i++) {
        if (strchr(set, s.p[i]) != NULL) {
            return i;
        }
    }
    return s.n;
}

static bool slice_is(struct tu_slice s, const char *lit) {
    return strlen(lit) == s.n && memcmp(s.p, lit, s.n) == 0;
}

/* "cannot parse <quoted a>: <what>", or with b: "cannot parse <a>: <quoted b><what>". */
static int sched_fail(struct go_msg *m, struct tu_slice a, const struct tu_slice *b,
                      const char *what) {
    m->len = 0;
    go_msg_puts(m, "cannot parse ");
    go_msg_quote(m, a.p, a.n);
    go_msg_puts(m, ": ");
    if (b != NULL) {
        go_msg_quote(m, (*b).p, (*b).n);
    }
    go_msg_puts(m, what);
    return -EINVAL;
}

/* H:MM or HH:MM, 0:00 to 23:59, or 24:00. */
static bool clock_ok(struct tu_slice s) {
    const char *p = s.p;
    if (slice_is(s, "24:00")) {
        return true;
    }
    if (s.n == 5) {
        if (!is_digit(p[0]) || !is_digit(p[1]) || p[0] > '2' || (p[0] == '2' && p[1] > '3')) {
            return false;
        }
        p++;
    } else if (s.n != 4 || !is_digit(p[0])) {
        return false;
    }
    return p[1] == ':' && p[2] >= '0' && p[2] <= '5' && is_digit(p[3]);
}

/* strconv.ParseUint(s, 10, 32) without sign, underscores or overflow, and not zero. */
static bool count_ok(struct tu_slice s) {
    unsigned long long v = 0;
    if (s.n == 0) {
        return false;
    }
    for (size_t i = 0; i < s.n; i++) {
        if (!is_digit(s.p[i])) {
            return false;
        }
        v = v * 10 + (unsigned long long)(s.p[i] - '0');
        if (v > UINT32_MAX) {
            return false;
        }
    }
    return v != 0;
}

/* A fragment with a ':': <clock>, <clock>-<clock>, <clock>~<clock>, each with an optional /N. */
static int clock_span(struct go_msg *m, struct tu_slice frag) {
    struct tu_slice rest = frag;
    const char *slash = memchr(frag.p, '/', frag.n);

    if (slash != NULL) {
        struct tu_slice count = {slash + 1, frag.n - (size_t)(slash + 1 - frag.p)};
        if (slice_count(frag, '/') != 1 || !count_ok(count)) {
            return sched_fail(m, frag, NULL, "not a valid interval");
        }
        rest.n = (size_t)(slash - frag.p);
    }
    /* snapd turns the first '~' into '-' (spread), then splits at the first '-' */
    size_t sep = slice_find_any(rest, "-~");
    bool ok;
    if (slice_is(rest, "-") || slice_is(rest, "~")) {
        ok = true; /* the whole day, 00:00-24:00 */
    } else if (sep < rest.n) {
        struct tu_slice start = {rest.p, sep};
        struct tu_slice end = {rest.p + sep + 1, rest.n - sep - 1};
        ok = clock_ok(start) && clock_ok(end);
    } else {
        ok = clock_ok(rest);
    }
    return ok ? 0 : sched_fail(m, frag, NULL, "not a valid time");
}

/* mon..sun, optionally followed by a week of the month 1-5 (5: the last one). Sets *week. */
static bool weekday_ok(struct tu_slice s, unsigned *week) {
    static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

    if (s.n != 3 && s.n != 4) {
        return false;
    }
    *week = 0;
    if (s.n == 4) {
        if (s.p[3] < '1' || s.p[3] > '5') {
            return false;
        }
        *week = (unsigned)(s.p[3] - '0');
    }
    for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
        if (memcmp(s.p, days[i], 3) == 0) {
            return true;
        }
    }
    return false;
}

/* A fragment without ':': <weekday> or <weekday>-<weekday>. */
static int week_span(struct go_msg *m, struct tu_slice frag) {
    if (slice_count(frag, '-') > 1) {
        return sched_fail(m, frag, NULL, "invalid week span");
    }
    const char *dash = memchr(frag.p, '-', frag.n);
    struct tu_slice first = {frag.p, dash != NULL ? (size_t)(dash - frag.p) : frag.n};
    unsigned w1, w2;

    if (!weekday_ok(first, &w1)) {
        return sched_fail(m, frag, &first, " is not a valid weekday");
    }
    w2 = w1;
    if (dash != NULL) {
        struct tu_slice second = {dash + 1, frag.n - first.n - 1};
        if (!weekday_ok(second, &w2)) {
            return sched_fail(m, frag, &second, " is not a valid weekday");
        }
    }
    /* "mon2-fri1" would end before it starts; snapd refuses it */
    if (w1 != 0 && w2 != 0 && w2 < w1) {
        return sched_fail(m, frag, NULL, "unsupported schedule");
    }
    return 0;
}

/* One event set: comma-separated week spans, then clock spans (no week span after a clock). */
static int event_set(struct go_msg *m, struct tu_slice set) {
    bool seen_clock = false;
    struct tu_slice frag = {set.p, 0};

    for (;;) {
        const char *comma = memchr(frag.p, ',', set.n - (size_t)(frag.p - set.p));
        frag.n = comma != NULL ? (size_t)(comma - frag.p) : set.n - (size_t)(frag.p - set.p);
        int rc;

        if (frag.n == 0) {
            return sched_fail(m, set, NULL, "not a valid fragment");
        }
        if (slice_has(frag, ':')) {
            rc = clock_span(m, frag);
            seen_clock = true;
        } else if (!seen_clock) {
            rc = week_span(m, frag);
        } else {
            rc = sched_fail(m, frag, NULL, "invalid schedule fragment");
        }
        if (rc < 0) {
            return rc;
        }
        if (comma == NULL) {
            return 0;
        }
        frag.p = comma + 1;
    }
}

int snap_validate_timer(const char *schedule, char *why, size_t whylen) {
    struct go_msg m;
    const char *p = schedule;

    go_msg_init(&m, why, whylen);
    /* event sets are separated by ",,", matched left to right without overlap */
    for (;;) {
        const char *end = strstr(p, ",,");
        struct tu_slice set = {p, end != NULL ? (size_t)(end - p) : strlen(p)};
        int rc = event_set(&m, set);
        if (rc < 0) {
            return rc;
        }
        if (end == NULL) {
            return 0;
        }
        p = end + 2;
    }
}
