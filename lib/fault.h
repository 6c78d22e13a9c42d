/* SPDX-License-Identifier: GPL-3.0-only
 * fault.h: fault injection for crash-matrix tests.
 *
 * Test builds (-DSN_FAULT_INJECTION) read SNAPC_FAULT="<point>:<before|after>[,...]" and
 * _exit(137) when SN_FAULT_POINT(point, "before"/"after") is reached. Production builds compile
 * every point to nothing.
 */
#ifndef SN_FAULT_H
#define SN_FAULT_H

#ifdef SN_FAULT_INJECTION
void sn_fault_point(const char *point, const char *when);
#define SN_FAULT_POINT(point, when) sn_fault_point((point), (when))
#else
#define SN_FAULT_POINT(point, when) ((void)0)
#endif

#endif
