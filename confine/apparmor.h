/* SPDX-License-Identifier: GPL-3.0-only
 * apparmor.h: switch to the tag's AppArmor profile at exec, where the kernel has AppArmor.
 * This is what libapparmor's aa_change_onexec() does (write "exec PROFILE" to the task's
 * procattr), without linking libapparmor into the launcher.
 */
#ifndef CF_APPARMOR_H
#define CF_APPARMOR_H

#include <stdbool.h>

#include "err.h"

bool cf_apparmor_enabled(void);
int cf_apparmor_change_onexec(const char *profile, struct sn_err *err) SN_WUR;

#endif
