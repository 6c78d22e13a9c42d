/* SPDX-License-Identifier: GPL-3.0-only
 * kvm: use hardware virtualisation through /dev/kvm.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can use KVM (/dev/kvm).\n"
    "/dev/kvm rw,\n"
    "@{PROC}/cpuinfo r,\n"
    "/sys/module/kvm{,_intel,_amd}/parameters/* r,\n";

static const struct iface_fs_spec fs[] = {
    {"/dev/kvm", IFACE_FS_DEV_RW, true, false},
    {"/sys/module/kvm", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

static const struct iface_dev_spec devices[] = {
    {"misc", "kvm", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct iface_def iface_def_kvm = {
    .name = "kvm",
    .summary = "allows access to the kvm device",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .fs = fs, .devices = devices},
};
