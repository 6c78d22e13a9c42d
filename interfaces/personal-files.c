/* SPDX-License-Identifier: GPL-3.0-only
 * personal-files: read (`read`) or read/write (`write`) the listed $HOME/... paths (usually
 * hidden dot files) and what is below them. Super-privileged.
 */
#include "iface-internal.h"

#include "banned.h"

static const struct iface_files param = {.home = true};

static const struct iface_attr_spec plug_attrs[] = {
    {"read", IFACE_A_STRLIST, false, 0, 0, NULL, "`$HOME/...` paths to read"},
    {"write", IFACE_A_STRLIST, false, 0, 0, NULL, "`$HOME/...` paths to read and write"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

const struct iface_def iface_def_personal_files = {
    .name = "personal-files",
    .summary = "allows access to personal files or directories",
    .decl = IFACE_DECL_PRIVILEGED,
    .plug_attrs = plug_attrs,
    .validate_plug = iface_files_validate_plug,
    .connected_plug = iface_files_connected_plug,
    .param = &param,
};
