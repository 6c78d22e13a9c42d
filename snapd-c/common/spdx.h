/* SPDX-License-Identifier: GPL-3.0-only
 * spdx.h: the SPDX license expression check of snapd 2.57.6 (spdx/ package), as used for the
 * "license" key of snap.yaml.
 *
 * The rules are snapd's, not the SPDX specification's:
 * - ids come from a fixed list (SPDX license list 3.11, deprecated ids included, plus the store's
 *   "Proprietary"); matching is exact and case-sensitive ("mit" is unknown);
 * - "+" is not an operator: "GPL-3.0+" is valid only because that deprecated id is in the list,
 *   "MIT+" is an unknown license;
 * - LicenseRef-... is not supported (unknown license);
 * - operators are exactly AND, OR and WITH (upper case); 9 exceptions are known;
 * - tokens are split on ' ', '\n', '(' and ')' only (a tab or '\r' is part of a token);
 * - quirks kept on purpose: "MIT(GPL-3.0)", "(MIT)(GPL-3.0)", "(MIT OR)" and "(MIT WITH)" are
 *   accepted, as are chained exceptions "GPL-2.0 WITH A WITH B"; a token of 65536 bytes or more
 *   fails with Go's "bufio.Scanner: token too long".
 */
#ifndef SNAPD_SPDX_H
#define SNAPD_SPDX_H

#include <stddef.h>

/* Check that expr is a license expression snapd accepts. Returns 0, or -EINVAL and, when why is
 * non-NULL, snapd's one-line reason in why (truncated to whylen), e.g. "unknown license: Foo",
 * "missing AND or OR between \"MIT\" and \"GPL-3.0\"", "empty expression".
 *
 * An empty expr is invalid here ("empty expression"), as in snapd's spdx package; snap.yaml
 * validation skips the check when license is absent or exactly "" (a blank "  " still fails). */
int snap_spdx_validate(const char *expr, char *why, size_t whylen)
    __attribute__((warn_unused_result));

#endif
