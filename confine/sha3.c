/* SPDX-License-Identifier: GPL-3.0-only
 * sha3.c: Keccak-f[1600] and the SHA3-384 sponge (rate 104 bytes, domain byte 0x06), written
 * from FIPS 202 for a one-shot hash of a few KiB: no streaming state is needed.
 */
#include "sha3.h"

#include <string.h>
#include "banned.h"

static const uint64_t keccak_rc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};
/* rotation offsets and lane permutation of the rho and pi steps, in pi order */
static const unsigned keccak_rot[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                        27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const unsigned keccak_pi[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                       15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static inline uint64_t rol64(uint64_t x, unsigned n) {
    return (x << n) | (x >> (64 - n));
}

static void keccak_f1600(uint64_t st[25]) {
    for (int round = 0; round < 24; round++) {
        uint64_t bc[5];
        for (int i = 0; i < 5; i++) { /* theta */
            bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
        }
        for (int i = 0; i < 5; i++) {
            uint64_t t = bc[(i + 4) % 5] ^ rol64(bc[(i + 1) % 5], 1);
            for (int j = 0; j < 25; j += 5) {
                st[j + i] ^= t;
            }
        }
        uint64_t t = st[1]; /* rho and pi */
        for (int i = 0; i < 24; i++) {
            unsigned j = keccak_pi[i];
            uint64_t tmp = st[j];
            st[j] = rol64(t, keccak_rot[i]);
            t = tmp;
        }
        for (int j = 0; j < 25; j += 5) { /* chi */
            for (int i = 0; i < 5; i++) {
                bc[i] = st[j + i];
            }
            for (int i = 0; i < 5; i++) {
                st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
            }
        }
        st[0] ^= keccak_rc[round]; /* iota */
    }
}

/* lanes are little-endian in FIPS 202; load/store bytewise so the code is endian-neutral */
static void absorb_block(uint64_t st[25], const uint8_t *p, size_t rate) {
    for (size_t i = 0; i < rate / 8; i++) {
        uint64_t lane = 0;
        for (int b = 7; b >= 0; b--) {
            lane = (lane << 8) | p[i * 8 + (size_t)b];
        }
        st[i] ^= lane;
    }
    keccak_f1600(st);
}

void cf_sha3_384(const void *data, size_t len, uint8_t out[CF_SHA3_384_SIZE]) {
    enum { RATE = 200 - 2 * CF_SHA3_384_SIZE };
    uint64_t st[25];
    memset(st, 0, sizeof(st));
    const uint8_t *p = data;
    while (len >= RATE) {
        absorb_block(st, p, RATE);
        p += RATE;
        len -= RATE;
    }
    uint8_t last[RATE];
    memset(last, 0, sizeof(last));
    if (len > 0) {
        memcpy(last, p, len);
    }
    last[len] ^= 0x06;
    last[RATE - 1] ^= 0x80;
    absorb_block(st, last, RATE);
    for (size_t i = 0; i < CF_SHA3_384_SIZE; i++) {
        out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
    }
}
