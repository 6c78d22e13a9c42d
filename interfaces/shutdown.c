/* SPDX-License-Identifier: GPL-3.0-only
 * shutdown: reboot or power off the device through logind or systemd on the system bus.
 * (Boards without systemd: ask the daemon instead; nothing else is granted.)
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can reboot, power off and halt the system.\n"
    "/run/dbus/system_bus_socket rw,\n"
    "dbus (send) bus=system path=/org/freedesktop/DBus interface=org.freedesktop.DBus "
    "member={Hello,AddMatch,RemoveMatch,GetNameOwner,NameHasOwner} "
    "peer=(name=org.freedesktop.DBus, label=unconfined),\n"
    "dbus (send) bus=system path=/org/freedesktop/login1 "
    "interface=org.freedesktop.login1.Manager "
    "member={PowerOff,Reboot,Halt,Suspend,Hibernate,HybridSleep,CanPowerOff,CanReboot,CanHalt,"
    "CanSuspend,CanHibernate,CanHybridSleep,ScheduleShutdown,CancelScheduledShutdown,"
    "SetRebootParameter,SetWallMessage} peer=(label=unconfined),\n"
    "dbus (send) bus=system path=/org/freedesktop/systemd1 "
    "interface=org.freedesktop.systemd1.Manager member={Reboot,PowerOff,Halt,KExec} "
    "peer=(label=unconfined),\n"
    "dbus (receive) bus=system path=/org/freedesktop/login1 "
    "interface=org.freedesktop.login1.Manager member={PrepareForShutdown,PrepareForSleep} "
    "peer=(label=unconfined),\n";

const struct iface_def iface_def_shutdown = {
    .name = "shutdown",
    .summary = "allows shutting down or rebooting the system",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor},
};
