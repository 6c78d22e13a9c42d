/* SPDX-License-Identifier: GPL-3.0-only
 * hash.h: SHA3-384 (nettle) and the encodings snapd uses for digests.
 */
#ifndef SN_HASH_H
#define SN_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define SN_SHA3_384_SIZE 48
/* base64url without padding of 48 bytes is 64 chars */
#define SN_SHA3_384_B64_LEN 64

int sn_sha3_384_fd(int fd, uint8_t out[SN_SHA3_384_SIZE], uint64_t *size,
                   struct sn_err *err) SN_WUR;
int sn_sha3_384_file(const char *path, uint8_t out[SN_SHA3_384_SIZE], uint64_t *size,
                     struct sn_err *err) SN_WUR;
void sn_sha3_384_buf(const void *data, size_t len, uint8_t out[SN_SHA3_384_SIZE]);
/* base64url, no padding (snapd's snap-sha3-384). out must hold 4*ceil(n/3)+1 bytes. */
void sn_base64url(const uint8_t *in, size_t n, char *out);
/* lowercase hex; out must hold 2n+1 bytes. */
void sn_hex(const uint8_t *in, size_t n, char *out);

#endif
