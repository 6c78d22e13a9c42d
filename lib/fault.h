/* SPDX-License-Identifier: GPL-3.0-only
 * fault.h: fault injection for crash-matrix tests.
 *
 * Test builds (-DSN_FAULT_INJECTION) read SNAPC_FAULT="<point>:<when>[#N][,...]" and, when
 * SN_FAULT_POINT(point, when) is reached (the Nth time with #N), print "fault injected at
 * <point>:<when> (hit N)" on stderr and _exit(137). Production builds compile every point to
 * nothing.
 */
#ifndef SN_FAULT_H
#define SN_FAULT_H

#ifdef SN_FAULT_INJECTION
void sn_fault_point(const char *point, const char *when);
/* SNAPC_FAULT="<point>:fail": returns true so the caller fails that step on purpose;
 * "<point>:fail2" only the second time the point is reached. */
int sn_fault_fail(const char *point);
/* SNAPC_FAULT_DELAY="<point>:<ms>[,...]": sleep there (to observe concurrent behaviour);
 * "<point>:/ABS/FILE" holds there until FILE exists (a test keeps a change open for as long as
 * it needs, then releases it: no timing involved). */
void sn_fault_delay(const char *point);
#define SN_FAULT_POINT(point, when) sn_fault_point((point), (when))
#define SN_FAULT_FAIL(point)        sn_fault_fail(point)
#define SN_FAULT_DELAY(point)       sn_fault_delay(point)
#define SN_FAULT_ENABLED            1
#else
#define SN_FAULT_POINT(point, when) ((void)0)
#define SN_FAULT_FAIL(point)        0
#define SN_FAULT_DELAY(point)       ((void)0)
#define SN_FAULT_ENABLED            0
#endif

#endif
