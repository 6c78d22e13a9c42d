/* SPDX-License-Identifier: GPL-3.0-only
 * sha3.h: SHA3-384 (FIPS 202) for the launcher, which links no crypto library. The daemon
 * hashes with nettle; tests/unit/confine checks that both agree.
 */
#ifndef CF_SHA3_H
#define CF_SHA3_H

#include <stddef.h>
#include <stdint.h>

#define CF_SHA3_384_SIZE 48

void cf_sha3_384(const void *data, size_t len, uint8_t out[CF_SHA3_384_SIZE]);

#endif
