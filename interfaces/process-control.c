/* SPDX-License-Identifier: GPL-3.0-only
 * process-control: signal any process and change priorities, scheduling and CPU affinity.
 * Without AppArmor the grant is the Landlock signal scope (ABI >= 6): the default sandbox
 * may only signal processes of its own domain; this interface lifts that.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can control other processes (signals, priorities, affinity).\n"
    "capability kill,\n"
    "capability sys_nice,\n"
    "capability sys_resource,\n"
    "signal,\n"
    "@{PROC}/[0-9]*/{stat,status,cmdline,comm} r,\n"
    "/{,usr/}bin/{nice,renice,taskset,chrt,kill,pkill,killall,ionice} ixr,\n";

static const char seccomp[] =
    "# Description: Can control other processes (signals, priorities, affinity).\n"
    "kill\n"
    "tkill\n"
    "tgkill\n"
    "pidfd_send_signal\n"
    "nice\n"
    "setpriority\n"
    "ioprio_set\n"
    "sched_setaffinity\n"
    "sched_setparam\n"
    "sched_setscheduler\n"
    "sched_setattr\n";

const struct iface_def iface_def_process_control = {
    .name = "process-control",
    .summary = "allows controlling other processes",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .unscoped = IFACE_UNSCOPE_SIGNAL},
};
