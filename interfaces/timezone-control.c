/* SPDX-License-Identifier: GPL-3.0-only
 * timezone-control: set the system timezone (timedated, or /etc/timezone and /etc/localtime,
 * /etc/writable/ on Core layouts).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can set the system timezone.\n"
    "/usr/share/zoneinfo/{,**} r,\n"
    "/etc/{,writable/}timezone rw,\n"
    "/etc/{,writable/}localtime rw,\n"
    "/run/dbus/system_bus_socket rw,\n"
    "dbus (send) bus=system path=/org/freedesktop/timedate1 "
    "interface=org.freedesktop.timedate1 member=SetTimezone peer=(label=unconfined),\n"
    "dbus (send) bus=system path=/org/freedesktop/timedate1 "
    "interface=org.freedesktop.DBus.Properties member={Get,GetAll} peer=(label=unconfined),\n";

static const struct iface_fs_spec fs[] = {
    {"/usr/share/zoneinfo", IFACE_FS_READ, true, false},
    {"/etc/timezone", IFACE_FS_RW, true, false},
    {"/etc/writable", IFACE_FS_RW, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_timezone_control = {
    .name = "timezone-control",
    .summary = "allows setting system timezone",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .fs = fs},
};
