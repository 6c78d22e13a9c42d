/* SPDX-License-Identifier: GPL-3.0-only
 * gadget-lite.h: the checks `snap pack` 2.57 makes on a gadget snap's meta/gadget.yaml
 * (snapd gadget.ReadInfoAndValidate without a model, then gadget.ValidateContent without a
 * kernel): defaults and connections, volume names and schemas, one bootloader, structure
 * sizes, types, roles, filesystems, content, offsets and overlaps, role consistency, and that
 * the content the structures name exists in the tree.
 */
#ifndef SNAPD_GADGET_LITE_H
#define SNAPD_GADGET_LITE_H

#include <stddef.h>

#include "err.h"

/* data/len: the contents of DIR/meta/gadget.yaml. 0 when valid, else -EINVAL with err set. */
int gadget_lite_validate(const char *dir, const char *data, size_t len, struct sn_err *err) SN_WUR;

#endif
