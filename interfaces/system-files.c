/* SPDX-License-Identifier: GPL-3.0-only
 * system-files: read (`read`) or read/write (`write`) the listed absolute paths and what is
 * below them. Super-privileged.
 */
#include "iface-internal.h"

#include "banned.h"

static const struct iface_files param = {.home = false};

static const struct iface_attr_spec plug_attrs[] = {
    {"read", IFACE_A_STRLIST, false, 0, 0, NULL, "absolute paths to read"},
    {"write", IFACE_A_STRLIST, false, 0, 0, NULL, "absolute paths to read and write"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

const struct iface_def iface_def_system_files = {
    .name = "system-files",
    .summary = "allows access to system files or directories",
    .decl = IFACE_DECL_PRIVILEGED,
    .plug_attrs = plug_attrs,
    .validate_plug = iface_files_validate_plug,
    .connected_plug = iface_files_connected_plug,
    .param = &param,
};
