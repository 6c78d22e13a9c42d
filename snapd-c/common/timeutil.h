/* SPDX-License-Identifier: GPL-3.0-only
 * timeutil.h: durations and timer schedules as snapd 2.57.6 reads them from snap.yaml.
 *
 * Durations (restart-delay, start-timeout, stop-timeout, watchdog-timeout) are snapd's
 * timeout.Timeout: the YAML value is decoded as a string, whatever its YAML type, and given to
 * Go's time.ParseDuration (Go 1.19 here). Observed with `snap pack`:
 * - a bare integer is NOT a duration: `stop-timeout: 10` (or '10', 1.5, 10.0) fails with
 *   `cannot parse snap.yaml: time: missing unit in duration "10"`; only 0, +0 and -0 pass
 *   without a unit (Go special-cases "0");
 * - a null value (empty, ~, null) leaves the field unset; a quoted empty string '' fails with
 *   `time: invalid duration ""`; a sequence or map fails with "cannot unmarshal !!seq into string";
 * - a quoted value keeps its spaces (' 10s' is invalid), a plain scalar is trimmed by YAML;
 * - units are ns, us, µs (U+00B5), μs (U+03BC), ms, s, m, h, case-sensitive; no "d";
 * - parse errors stop snap.yaml parsing ("cannot parse snap.yaml: ..."); after parsing, snapd
 *   treats 0 as unset, rejects a negative value ("stop-timeout cannot be negative") and a
 *   non-zero value on a non-service ("stop-timeout is only applicable to services").
 */
#ifndef SNAPD_TIMEUTIL_H
#define SNAPD_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Parse a duration with Go's time.ParseDuration rules: an optional sign, then one or more
 * <number><unit>, the number a decimal with optional fraction (".5s", "5.s", "1.5h30m").
 * Sets *ns (only on success) and returns 0, or returns -EINVAL for junk and -ERANGE when the value
 * does not fit in int64 nanoseconds (Go: "invalid duration"). Negative values parse. */
int snap_parse_duration(const char *s, int64_t *ns) __attribute__((warn_unused_result));

/* Same, and on failure puts Go's message in why (when non-NULL; truncated to whylen):
 * `time: invalid duration "x"`, `time: missing unit in duration "10"`,
 * `time: unknown unit "d" in duration "1d"` (non-ASCII bytes shown as \xNN, as Go does). */
int snap_parse_duration_why(const char *s, int64_t *ns, char *why, size_t whylen)
    __attribute__((warn_unused_result));

/* Check a timer schedule with snapd's timeutil.ParseSchedule rules: event sets separated by ",,";
 * each a ","-separated list of weekday spans (mon, mon-fri, mon1-fri, sun5; lower case,
 * week 1-5, 5 = last) followed by clock spans ("9:00", "23:00-01:00", "9:00~17:00" spread,
 * "00:00-24:00/4" split in 1..4294967295 parts; hours 0-23 with one or two digits, or 24:00).
 * Returns 0, or -EINVAL with snapd's reason in why (when non-NULL), e.g.
 * `cannot parse "25:00": not a valid time`, `cannot parse "mon,": not a valid fragment`.
 *
 * An empty schedule is invalid here, as in ParseSchedule; snap.yaml treats `timer: ""` (or a
 * null timer) as no timer at all, so the caller must skip it. snap.yaml also rejects a timer on a
 * non-service app ("timer is only applicable to services"). */
int snap_validate_timer(const char *schedule, char *why, size_t whylen)
    __attribute__((warn_unused_result));

#endif
