/* SPDX-License-Identifier: GPL-3.0-only
 * hardware-random-control: use the hardware random number generator and choose the active
 * one (rng_current).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can use and configure the hardware random number generator.\n"
    "/dev/hwrng rw,\n"
    "/run/udev/data/c10:183 r,\n"
    "/sys/devices/virtual/misc/hw_random/ r,\n"
    "/sys/devices/virtual/misc/hw_random/{rng_available,rng_selected} r,\n"
    "/sys/devices/virtual/misc/hw_random/rng_current rw,\n";

static const struct iface_fs_spec fs[] = {
    {"/dev/hwrng", IFACE_FS_DEV_RW, true, false},
    {"/sys/devices/virtual/misc/hw_random", IFACE_FS_RW, true, false},
    {NULL, 0, false, false},
};

static const struct iface_dev_spec devices[] = {
    {NULL, NULL, "/dev/hwrng", NULL},
    {NULL, NULL, NULL, NULL},
};

const struct iface_def iface_def_hardware_random_control = {
    .name = "hardware-random-control",
    .summary = "allows control over the hardware random number generator",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .fs = fs, .devices = devices},
};
