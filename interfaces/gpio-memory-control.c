/* SPDX-License-Identifier: GPL-3.0-only
 * gpio-memory-control: map the GPIO registers through /dev/gpiomem (Raspberry Pi and
 * compatible boards).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can access GPIO memory (/dev/gpiomem).\n"
    "/dev/gpiomem rw,\n";

static const struct iface_fs_spec fs[] = {
    {"/dev/gpiomem", IFACE_FS_DEV_RW, true, false},
    {NULL, 0, false, false},
};

static const struct iface_dev_spec devices[] = {
    {NULL, "gpiomem", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct iface_def iface_def_gpio_memory_control = {
    .name = "gpio-memory-control",
    .summary = "allows write access to all gpio memory",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .fs = fs, .devices = devices},
};
