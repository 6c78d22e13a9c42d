/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "apparmor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

#include "banned.h"

bool cf_apparmor_enabled(void) {
    SN_AUTOCLOSE int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
    char c = 0;
    return fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
}

int cf_apparmor_change_onexec(const char *profile, struct sn_err *err) {
    char buf[256];
    int n = snprintf(buf, sizeof(buf), "exec %s", profile);
    if (n < 0 || (size_t)n >= sizeof(buf)) {
        return sn_err_set(err, -ENAMETOOLONG, "AppArmor profile name too long");
    }
    SN_AUTOCLOSE int fd = open("/proc/self/attr/apparmor/exec", O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        fd = open("/proc/self/attr/exec", O_WRONLY | O_CLOEXEC);
    }
    if (fd < 0 || write(fd, buf, (size_t)n) != n) {
        return sn_err_set(err, -errno, "cannot change AppArmor profile to '%s' on exec: %s",
                          profile, strerror(errno));
    }
    return 0;
}
