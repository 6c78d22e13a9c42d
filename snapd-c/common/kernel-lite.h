/* SPDX-License-Identifier: GPL-3.0-only
 * kernel-lite.h: the checks `snap pack` 2.57 makes on a kernel snap's meta/kernel.yaml
 * (snapd kernel/kernel.go, kernel/validate.go): the YAML decodes, asset names are
 * [a-zA-Z0-9][a-zA-Z0-9-]*, and every asset content path exists in the tree.
 */
#ifndef SNAPD_KERNEL_LITE_H
#define SNAPD_KERNEL_LITE_H

#include <stddef.h>

#include "err.h"

/* data/len: the contents of DIR/meta/kernel.yaml. 0 when valid, else -EINVAL with err set. */
int kernel_lite_validate(const char *dir, const char *data, size_t len, struct sn_err *err) SN_WUR;

#endif
