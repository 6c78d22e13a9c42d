/* SPDX-License-Identifier: GPL-3.0-only
 * time-control: set the system clock and the RTC (settimeofday, clock_settime, adjtimex,
 * /dev/rtcN), directly or through timedated.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can set the system time and the real-time clock.\n"
    "capability sys_time,\n"
    "/dev/rtc[0-9]* rw,\n"
    "/dev/rtc rw,\n"
    "/sys/class/rtc/ r,\n"
    "/sys/devices/**/rtc/** rw,\n"
    "/etc/adjtime rw,\n"
    "/{,usr/}{,s}bin/{hwclock,date,timedatectl} ixr,\n"
    "/run/dbus/system_bus_socket rw,\n"
    "dbus (send) bus=system path=/org/freedesktop/timedate1 "
    "interface=org.freedesktop.timedate1 member={SetTime,SetNTP,SetLocalRTC} "
    "peer=(label=unconfined),\n"
    "dbus (send) bus=system path=/org/freedesktop/timedate1 "
    "interface=org.freedesktop.DBus.Properties member={Get,GetAll} peer=(label=unconfined),\n";

static const char seccomp[] =
    "# Description: Can set the system time and the real-time clock.\n"
    "settimeofday\n"
    "adjtimex\n"
    "clock_adjtime\n"
    "clock_adjtime64\n"
    "clock_settime\n"
    "clock_settime64\n"
    "# util-linux with libaudit (the kernel denies without CAP_AUDIT_WRITE)\n"
    "socket AF_NETLINK - NETLINK_AUDIT\n";

static const struct iface_fs_spec fs[] = {
    {"/dev/rtc", IFACE_FS_DEV_RW, true, false},
    {"/dev/rtc[0-9]*", IFACE_FS_DEV_RW, true, true},
    {"/sys/class/rtc", IFACE_FS_READ, true, false},
    {"/etc/adjtime", IFACE_FS_RW, true, false},
    {NULL, 0, false, false},
};

static const struct iface_dev_spec devices[] = {
    {"rtc", "rtc[0-9]*", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct iface_def iface_def_time_control = {
    .name = "time-control",
    .summary = "allows setting system date and time",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs, .devices = devices},
};
