/* SPDX-License-Identifier: GPL-3.0-only
 * Unit tests for snapd-c/common/timeutil: Go's time.ParseDuration and snapd's timer schedules,
 * as in snapd 2.57.6.
 *
 * Timer rows were packed with Debian's snapd 2.57.6 (`snap pack`, "timer:" of a daemon app):
 * NULL rows packed, the others failed with "timer has invalid format: <why>".
 *
 * Duration rows were packed as "stop-timeout:" (a quoted YAML string): each error row failed
 * with "cannot parse snap.yaml: <why>", each negative value with "stop-timeout cannot be
 * negative", and the others packed. snap pack cannot show a parsed value, so the nanoseconds of
 * non-zero rows come from Go's own time_test.go or plain arithmetic.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

#include "banned.h"

struct dur_case {
    const char *in;
    int rc;     /* 0, -EINVAL or -ERANGE */
    int64_t ns; /* when rc == 0 */
    const char *why;
};

static const struct dur_case dur_cases[] = {
    {"0", 0, INT64_C(0), NULL},
    {"-0", 0, INT64_C(0), NULL},
    {"+0", 0, INT64_C(0), NULL},
    {"0s", 0, INT64_C(0), NULL},
    {"-0s", 0, INT64_C(0), NULL},
    {"00s", 0, INT64_C(0), NULL},
    {"30s", 0, INT64_C(30000000000), NULL},
    {"10s", 0, INT64_C(10000000000), NULL},
    {"1m30s", 0, INT64_C(90000000000), NULL},
    {"1.5h", 0, INT64_C(5400000000000), NULL},
    {"1.5h30m", 0, INT64_C(7200000000000), NULL},
    {"1h1h", 0, INT64_C(7200000000000), NULL},
    {"100ms", 0, INT64_C(100000000), NULL},
    {"10us", 0, INT64_C(10000), NULL},
    {"5µs", 0, INT64_C(5000), NULL},
    {"5μs", 0, INT64_C(5000), NULL},
    {"10ns", 0, INT64_C(10), NULL},
    {".5s", 0, INT64_C(500000000), NULL},
    {"5.s", 0, INT64_C(5000000000), NULL},
    {"5.6s", 0, INT64_C(5600000000), NULL},
    {"1.004s", 0, INT64_C(1004000000), NULL},
    {"100.00100s", 0, INT64_C(100001000000), NULL},
    {"10.5s4m", 0, INT64_C(250500000000), NULL},
    {"1h2m3s4ms5us6ns", 0, INT64_C(3723004005006), NULL},
    {"+5s", 0, INT64_C(5000000000), NULL},
    {"-1s", 0, INT64_C(-1000000000), NULL},
    {"-.5s", 0, INT64_C(-500000000), NULL},
    {"-2m3.4s", 0, INT64_C(-123400000000), NULL},
    {"0.0000000001s", 0, INT64_C(0), NULL},
    {"1.00000000000000000000000000001s", 0, INT64_C(1000000000), NULL},
    {"0.3333333333333333333h", 0, INT64_C(1200000000000), NULL},
    {"0.100000000000000000000h", 0, INT64_C(360000000000), NULL},
    {"0.830103483285477580700h", 0, INT64_C(2988372539827), NULL},
    {"9007199254740993ns", 0, INT64_C(9007199254740993), NULL},
    {"9223372036854775807ns", 0, INT64_C(9223372036854775807), NULL},
    {"9223372036854775.807us", 0, INT64_C(9223372036854775807), NULL},
    {"9223372036s854ms775us807ns", 0, INT64_C(9223372036854775807), NULL},
    {"2562047h47m16.854775807s", 0, INT64_C(9223372036854775807), NULL},
    {"2562047h", 0, INT64_C(9223369200000000000), NULL},
    {"-9223372036854775808ns", 0, INT64_MIN, NULL},
    {"-9223372036854775.808us", 0, INT64_MIN, NULL},
    {"-2562047h47m16.854775808s", 0, INT64_MIN, NULL},
    {"-9223372036854775808ns9223372036854775808ns", 0, INT64_C(0), NULL},
    {"", -EINVAL, 0, "time: invalid duration \"\""},
    {"10", -EINVAL, 0, "time: missing unit in duration \"10\""},
    {"1.5", -EINVAL, 0, "time: missing unit in duration \"1.5\""},
    {"10.0", -EINVAL, 0, "time: missing unit in duration \"10.0\""},
    {"true", -EINVAL, 0, "time: invalid duration \"true\""},
    {"s", -EINVAL, 0, "time: invalid duration \"s\""},
    {".", -EINVAL, 0, "time: invalid duration \".\""},
    {"-", -EINVAL, 0, "time: invalid duration \"-\""},
    {"+", -EINVAL, 0, "time: invalid duration \"+\""},
    {"-.", -EINVAL, 0, "time: invalid duration \"-.\""},
    {".s", -EINVAL, 0, "time: invalid duration \".s\""},
    {"+.s", -EINVAL, 0, "time: invalid duration \"+.s\""},
    {"+-1s", -EINVAL, 0, "time: invalid duration \"+-1s\""},
    {"--1s", -EINVAL, 0, "time: invalid duration \"--1s\""},
    {" 10s", -EINVAL, 0, "time: invalid duration \" 10s\""},
    {"10s ", -EINVAL, 0, "time: unknown unit \"s \" in duration \"10s \""},
    {"1 s", -EINVAL, 0, "time: unknown unit \" s\" in duration \"1 s\""},
    {"1d", -EINVAL, 0, "time: unknown unit \"d\" in duration \"1d\""},
    {"10S", -EINVAL, 0, "time: unknown unit \"S\" in duration \"10S\""},
    {"1e3", -EINVAL, 0, "time: unknown unit \"e\" in duration \"1e3\""},
    {"0x10", -EINVAL, 0, "time: unknown unit \"x\" in duration \"0x10\""},
    {"1_0s", -EINVAL, 0, "time: unknown unit \"_\" in duration \"1_0s\""},
    {"1h-1m", -EINVAL, 0, "time: unknown unit \"h-\" in duration \"1h-1m\""},
    {"3m-2s", -EINVAL, 0, "time: unknown unit \"m-\" in duration \"3m-2s\""},
    {"1..5s", -EINVAL, 0, "time: missing unit in duration \"1..5s\""},
    {"1ns1", -EINVAL, 0, "time: missing unit in duration \"1ns1\""},
    {"1:30", -EINVAL, 0, "time: unknown unit \":\" in duration \"1:30\""},
    {"٣s", -EINVAL, 0, "time: invalid duration \"\\xd9\\xa3s\""},
    {"5µx", -EINVAL, 0, "time: unknown unit \"\\xc2\\xb5x\" in duration \"5\\xc2\\xb5x\""},
    {"1µ", -EINVAL, 0, "time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\""},
    {"9223372036854775808ns", -ERANGE, 0, "time: invalid duration \"9223372036854775808ns\""},
    {"9223372036854775810ns", -ERANGE, 0, "time: invalid duration \"9223372036854775810ns\""},
    {"-9223372036854775809ns", -ERANGE, 0, "time: invalid duration \"-9223372036854775809ns\""},
    {"9223372036854776us", -ERANGE, 0, "time: invalid duration \"9223372036854776us\""},
    {"2562048h", -ERANGE, 0, "time: invalid duration \"2562048h\""},
    {"3000000h", -ERANGE, 0, "time: invalid duration \"3000000h\""},
    {"2562047h47m16.854775808s", -ERANGE, 0, "time: invalid duration \"2562047h47m16.854775808s\""},
    {"9223372036854775.808us", -ERANGE, 0, "time: invalid duration \"9223372036854775.808us\""},
    {"9223372036854ms775us808ns", -ERANGE, 0,
     "time: invalid duration \"9223372036854ms775us808ns\""},
    {"18446744073709551616ns", -ERANGE, 0, "time: invalid duration \"18446744073709551616ns\""},
    {"1h\"", -EINVAL, 0, "time: unknown unit \"h\\\"\" in duration \"1h\\\"\""},
    {"1h\\", -EINVAL, 0, "time: unknown unit \"h\\\\\" in duration \"1h\\\\\""},
    {"1h\001", -EINVAL, 0, "time: unknown unit \"h\\x01\" in duration \"1h\\x01\""},
};

struct timer_case {
    const char *in;
    const char *why; /* NULL: valid */
};

static const struct timer_case timer_cases[] = {
    /* not observable with snap pack (timer: "" means no timer), ParseSchedule("") fails */
    {"", "cannot parse \"\": not a valid fragment"},
    {"00:00-24:00/4", NULL},
    {"mon,10:00,,fri,15:00", NULL},
    {"mon1-fri,9:00~17:00", NULL},
    {"23:00", NULL},
    {"sun5,02:00", NULL},
    {"9:00-11:00/2,,20:00-22:00", NULL},
    {"mon", NULL},
    {"mon-fri", NULL},
    {"mon,tue", NULL},
    {"mon,tue,10:00,11:00", NULL},
    {"mon5-tue5", NULL},
    {"mon1-tue", NULL},
    {"mon-tue1", NULL},
    {"mon1-mon1,10:00", NULL},
    {"fri-mon", NULL},
    {"24:00", NULL},
    {"0:00", NULL},
    {"09:00", NULL},
    {"23:59", NULL},
    {"23:00-01:00", NULL},
    {"24:00-23:00", NULL},
    {"9:00/2", NULL},
    {"9:00-10:00/1", NULL},
    {"9:00-10:00/007", NULL},
    {"9:00-10:00/4294967295", NULL},
    {"9:00~10:00/3", NULL},
    {"mon,tue,wed,thu,fri,sat,sun,0:00", NULL},
    {"mon,", "cannot parse \"mon,\": not a valid fragment"},
    {",mon", "cannot parse \",mon\": not a valid fragment"},
    {"mon,,", "cannot parse \"\": not a valid fragment"},
    {",,", "cannot parse \"\": not a valid fragment"},
    {"a,,,b", "cannot parse \"a\": \"a\" is not a valid weekday"},
    {"mon,,,10:00", "cannot parse \",10:00\": not a valid fragment"},
    {"sat,sun,", "cannot parse \"sat,sun,\": not a valid fragment"},
    {"9:00-11:00/2,,", "cannot parse \"\": not a valid fragment"},
    {"24:01", "cannot parse \"24:01\": not a valid time"},
    {"25:00", "cannot parse \"25:00\": not a valid time"},
    {"9:0", "cannot parse \"9:0\": not a valid time"},
    {"009:00", "cannot parse \"009:00\": not a valid time"},
    {"9:60", "cannot parse \"9:60\": not a valid time"},
    {"2:60", "cannot parse \"2:60\": not a valid time"},
    {":", "cannot parse \":\": not a valid time"},
    {"10:00 ", "cannot parse \"10:00 \": not a valid time"},
    {"10:00\n", "cannot parse \"10:00\\n\": not a valid time"},
    {"9:00-", "cannot parse \"9:00-\": not a valid time"},
    {"-9:00", "cannot parse \"-9:00\": not a valid time"},
    {"9:00~", "cannot parse \"9:00~\": not a valid time"},
    {"9:00-10:00-11:00", "cannot parse \"9:00-10:00-11:00\": not a valid time"},
    {"9:00~10:00~11:00", "cannot parse \"9:00~10:00~11:00\": not a valid time"},
    {"9:00~10:00-11:00", "cannot parse \"9:00~10:00-11:00\": not a valid time"},
    {"9:00 - 10:00", "cannot parse \"9:00 - 10:00\": not a valid time"},
    {"mon,9:00-11:00~", "cannot parse \"9:00-11:00~\": not a valid time"},
    {"9:00-10:00/0", "cannot parse \"9:00-10:00/0\": not a valid interval"},
    {"9:00-10:00/x", "cannot parse \"9:00-10:00/x\": not a valid interval"},
    {"9:00-10:00/1/2", "cannot parse \"9:00-10:00/1/2\": not a valid interval"},
    {"9:00-10:00/+2", "cannot parse \"9:00-10:00/+2\": not a valid interval"},
    {"9:00-10:00/ 2", "cannot parse \"9:00-10:00/ 2\": not a valid interval"},
    {"9:00-10:00/", "cannot parse \"9:00-10:00/\": not a valid interval"},
    {"9:00-10:00/4294967296", "cannot parse \"9:00-10:00/4294967296\": not a valid interval"},
    {"-/2:", "cannot parse \"-/2:\": not a valid interval"},
    {"-", "cannot parse \"-\": \"\" is not a valid weekday"},
    {"-/3", "cannot parse \"-/3\": \"\" is not a valid weekday"},
    {"~", "cannot parse \"~\": \"~\" is not a valid weekday"},
    {"mon0", "cannot parse \"mon0\": \"mon0\" is not a valid weekday"},
    {"mon6", "cannot parse \"mon6\": \"mon6\" is not a valid weekday"},
    {"mon01", "cannot parse \"mon01\": \"mon01\" is not a valid weekday"},
    {"mon+1", "cannot parse \"mon+1\": \"mon+1\" is not a valid weekday"},
    {"Mon", "cannot parse \"Mon\": \"Mon\" is not a valid weekday"},
    {"monday", "cannot parse \"monday\": \"monday\" is not a valid weekday"},
    {" mon", "cannot parse \" mon\": \" mon\" is not a valid weekday"},
    {"mon ", "cannot parse \"mon \": \"mon \" is not a valid weekday"},
    {"mon~fri", "cannot parse \"mon~fri\": \"mon~fri\" is not a valid weekday"},
    {"mon-", "cannot parse \"mon-\": \"\" is not a valid weekday"},
    {"mon-tue-wed", "cannot parse \"mon-tue-wed\": invalid week span"},
    {"mon5-tue4", "cannot parse \"mon5-tue4\": unsupported schedule"},
    {"fri5-mon1", "cannot parse \"fri5-mon1\": unsupported schedule"},
    {"mon2-fri1", "cannot parse \"mon2-fri1\": unsupported schedule"},
    {"10:00,mon", "cannot parse \"mon\": invalid schedule fragment"},
    {"mon,10:00,tue", "cannot parse \"tue\": invalid schedule fragment"},
    {"mon,\"9:00\"", "cannot parse \"\\\"9:00\\\"\": not a valid time"},
    {"mön", "cannot parse \"mön\": \"mön\" is not a valid weekday"},
    {"mon\t", "cannot parse \"mon\\t\": \"mon\\t\" is not a valid weekday"},
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static void test_dur_row(void **state) {
    const struct dur_case *c = *state;
    char why[256] = "unset";
    int64_t ns = 42;

    int rc = snap_parse_duration_why(c->in, &ns, why, sizeof(why));
    assert_int_equal(rc, c->rc);
    if (c->rc == 0) {
        assert_true(ns == c->ns);
        assert_string_equal(why, "");
    } else {
        assert_true(ns == 42); /* untouched on failure */
        assert_string_equal(why, c->why);
    }
    /* the short form agrees */
    ns = 42;
    assert_int_equal(snap_parse_duration(c->in, &ns), c->rc);
    assert_true(ns == (c->rc == 0 ? c->ns : 42));
}

static void test_timer_row(void **state) {
    const struct timer_case *c = *state;
    char why[256] = "unset";
    int rc = snap_validate_timer(c->in, why, sizeof(why));

    if (c->why == NULL) {
        if (rc != 0) {
            print_error("expected valid, got: %s\n", why);
        }
        assert_int_equal(rc, 0);
        assert_string_equal(why, "");
    } else {
        assert_int_equal(rc, -EINVAL);
        assert_string_equal(why, c->why);
    }
}

static void test_why_buffer(void **state) {
    (void)state;
    char why[8] = "xxxxxxx";
    int64_t ns = 0;

    assert_int_equal(snap_validate_timer("25:00", NULL, 0), -EINVAL);
    assert_int_equal(snap_validate_timer("25:00", why, 0), -EINVAL);
    assert_string_equal(why, "xxxxxxx");
    assert_int_equal(snap_validate_timer("25:00", why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "cannot ");
    assert_int_equal(snap_validate_timer("10:00", why, sizeof(why)), 0);
    assert_string_equal(why, "");
    assert_int_equal(snap_parse_duration_why("10", &ns, why, 1), -EINVAL);
    assert_string_equal(why, "");
    assert_int_equal(snap_parse_duration_why("10", &ns, NULL, 10), -EINVAL);
}

/* A long schedule: many event sets and fragments, and a failure in the last one. */
static void test_timer_long(void **state) {
    (void)state;
    size_t n = 5000;
    const char *unit = "mon1-fri,9:00~17:00/8,,";
    size_t ul = strlen(unit);
    char *s = malloc(n * ul + 8);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        memcpy(s + i * ul, unit, ul); /* NOLINT(bugprone-not-null-terminated-result): see below */
    }
    memcpy(s + n * ul, "23:00", 6); /* with its NUL */
    assert_int_equal(snap_validate_timer(s, NULL, 0), 0);
    memcpy(s + n * ul, "23:60", 6);
    char why[64];
    assert_int_equal(snap_validate_timer(s, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "cannot parse \"23:60\": not a valid time");
    free(s);
}

/* A TAP-safe test name: ASCII without '#' or control bytes (others as \xNN), shortened. */
static void row_name(char *buf, size_t buflen, const char *kind, const char *in, bool valid) {
    size_t off = (size_t)snprintf(buf, buflen, "%s %s \"", kind, valid ? "valid" : "invalid");
    for (const unsigned char *p = (const unsigned char *)in; *p != '\0'; p++) {
        if (off + 8 >= buflen) {
            off += (size_t)snprintf(buf + off, buflen - off, "...");
            break;
        }
        if (*p < 0x20 || *p >= 0x7f || *p == '#') {
            off += (size_t)snprintf(buf + off, buflen - off, "\\x%02x", *p);
        } else {
            buf[off++] = (char)*p;
        }
    }
    (void)snprintf(buf + off, buflen - off, "\"");
}

int main(void) {
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_why_buffer),
        cmocka_unit_test(test_timer_long),
    };
    enum { ND = N_ELEMS(dur_cases), NT = N_ELEMS(timer_cases) };
    static char names[ND + NT][96];
    static struct CMUnitTest tests[ND + NT + N_ELEMS(fixed)];

    for (size_t i = 0; i < ND; i++) {
        row_name(names[i], sizeof(names[i]), "duration", dur_cases[i].in, dur_cases[i].rc == 0);
        tests[i].name = names[i];
        tests[i].test_func = test_dur_row;
        tests[i].initial_state = (void *)&dur_cases[i]; /* read-only in test_dur_row */
    }
    for (size_t i = 0; i < NT; i++) {
        row_name(names[ND + i], sizeof(names[ND + i]), "timer", timer_cases[i].in,
                 timer_cases[i].why == NULL);
        tests[ND + i].name = names[ND + i];
        tests[ND + i].test_func = test_timer_row;
        tests[ND + i].initial_state = (void *)&timer_cases[i]; /* read-only in test_timer_row */
    }
    memcpy(tests + ND + NT, fixed, sizeof(fixed));
    return _cmocka_run_group_tests("timeutil", tests, N_ELEMS(tests), NULL, NULL);
}
