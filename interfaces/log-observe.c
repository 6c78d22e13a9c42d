/* SPDX-License-Identifier: GPL-3.0-only
 * log-observe: read system logs (/var/log, the journal) and the kernel log (/dev/kmsg).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can read system logs.\n"
    "/var/log/ r,\n"
    "/var/log/** r,\n"
    "/run/log/journal/ r,\n"
    "/run/log/journal/** r,\n"
    "/var/lib/systemd/catalog/database r,\n"
    "/dev/kmsg r,\n"
    "capability syslog,\n"
    "@{PROC}/sys/kernel/{dmesg_restrict,printk} r,\n"
    "/{,usr/}bin/{journalctl,dmesg} ixr,\n";

static const char seccomp[] =
    "# Description: Can read system logs.\n"
    "# dmesg (syslog(2) reads; the kernel checks dmesg_restrict and CAP_SYSLOG)\n"
    "syslog\n";

static const struct iface_fs_spec fs[] = {
    {"/var/log", IFACE_FS_READ, true, false},
    {"/run/log/journal", IFACE_FS_READ, true, false},
    {"/dev/kmsg", IFACE_FS_DEV_R, true, false},
    {NULL, 0, false, false},
};

static const struct iface_dev_spec devices[] = {
    {"mem", "kmsg", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

/* /var/log is not in the mount plan: the device's logs replace the base's empty directory */
static int connected_plug(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    iface_policy_add_mount_optional(out, "/var/log", "/var/log", true);
    return 0;
}

const struct iface_def iface_def_log_observe = {
    .name = "log-observe",
    .summary = "allows read access to system logs",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs, .devices = devices},
    .connected_plug = connected_plug,
};
