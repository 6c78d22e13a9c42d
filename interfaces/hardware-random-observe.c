/* SPDX-License-Identifier: GPL-3.0-only
 * hardware-random-observe: read the hardware random number generator (/dev/hwrng) and its
 * sysfs attributes.
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can read the hardware random number generator.\n"
    "/dev/hwrng r,\n"
    "/run/udev/data/c10:183 r,\n"
    "/sys/devices/virtual/misc/hw_random/ r,\n"
    "/sys/devices/virtual/misc/hw_random/{rng_available,rng_current,rng_selected} r,\n";

static const struct iface_fs_spec fs[] = {
    {"/dev/hwrng", IFACE_FS_DEV_R, true, false},
    {"/sys/devices/virtual/misc/hw_random", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

/* /dev/hwrng's kernel name is hw_random: match the fixed node */
static const struct iface_dev_spec devices[] = {
    {NULL, NULL, "/dev/hwrng", NULL},
    {NULL, NULL, NULL, NULL},
};

const struct iface_def iface_def_hardware_random_observe = {
    .name = "hardware-random-observe",
    .summary = "allows reading from hardware random number generator",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .fs = fs, .devices = devices},
};
