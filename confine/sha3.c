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
static inline uint64_t rol64(uint64_t x, unsigned n) {
    return (x << n) | (x >> (64 - n));
}

/* Keccak-f[1600] with the 25 lanes in locals (a[x][y] as aXY), theta, rho+pi and chi
 * written out: several times faster than the loop form, which matters because the launcher
 * hashes the seccomp profile on every start. */
static void keccak_f1600(uint64_t st[25]) {
    uint64_t a00 = st[0], a10 = st[1], a20 = st[2], a30 = st[3], a40 = st[4];
    uint64_t a01 = st[5], a11 = st[6], a21 = st[7], a31 = st[8], a41 = st[9];
    uint64_t a02 = st[10], a12 = st[11], a22 = st[12], a32 = st[13], a42 = st[14];
    uint64_t a03 = st[15], a13 = st[16], a23 = st[17], a33 = st[18], a43 = st[19];
    uint64_t a04 = st[20], a14 = st[21], a24 = st[22], a34 = st[23], a44 = st[24];
    for (int round = 0; round < 24; round++) {
        /* theta */
        uint64_t c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
        uint64_t c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
        uint64_t c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
        uint64_t c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
        uint64_t c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
        uint64_t d0 = c4 ^ rol64(c1, 1), d1 = c0 ^ rol64(c2, 1), d2 = c1 ^ rol64(c3, 1);
        uint64_t d3 = c2 ^ rol64(c4, 1), d4 = c3 ^ rol64(c0, 1);
        /* rho and pi: b[y][2x+3y] = rot(a[x][y] ^ d[x], r[x][y]) */
        uint64_t b00 = a00 ^ d0;
        uint64_t b02 = rol64(a10 ^ d1, 1);
        uint64_t b04 = rol64(a20 ^ d2, 62);
        uint64_t b01 = rol64(a30 ^ d3, 28);
        uint64_t b03 = rol64(a40 ^ d4, 27);
        uint64_t b13 = rol64(a01 ^ d0, 36);
        uint64_t b10 = rol64(a11 ^ d1, 44);
        uint64_t b12 = rol64(a21 ^ d2, 6);
        uint64_t b14 = rol64(a31 ^ d3, 55);
        uint64_t b11 = rol64(a41 ^ d4, 20);
        uint64_t b21 = rol64(a02 ^ d0, 3);
        uint64_t b23 = rol64(a12 ^ d1, 10);
        uint64_t b20 = rol64(a22 ^ d2, 43);
        uint64_t b22 = rol64(a32 ^ d3, 25);
        uint64_t b24 = rol64(a42 ^ d4, 39);
        uint64_t b34 = rol64(a03 ^ d0, 41);
        uint64_t b31 = rol64(a13 ^ d1, 45);
        uint64_t b33 = rol64(a23 ^ d2, 15);
        uint64_t b30 = rol64(a33 ^ d3, 21);
        uint64_t b32 = rol64(a43 ^ d4, 8);
        uint64_t b42 = rol64(a04 ^ d0, 18);
        uint64_t b44 = rol64(a14 ^ d1, 2);
        uint64_t b41 = rol64(a24 ^ d2, 61);
        uint64_t b43 = rol64(a34 ^ d3, 56);
        uint64_t b40 = rol64(a44 ^ d4, 14);
        /* chi (bXY here is b[x][y]), then iota */
        a00 = b00 ^ (~b10 & b20);
        a10 = b10 ^ (~b20 & b30);
        a20 = b20 ^ (~b30 & b40);
        a30 = b30 ^ (~b40 & b00);
        a40 = b40 ^ (~b00 & b10);
        a01 = b01 ^ (~b11 & b21);
        a11 = b11 ^ (~b21 & b31);
        a21 = b21 ^ (~b31 & b41);
        a31 = b31 ^ (~b41 & b01);
        a41 = b41 ^ (~b01 & b11);
        a02 = b02 ^ (~b12 & b22);
        a12 = b12 ^ (~b22 & b32);
        a22 = b22 ^ (~b32 & b42);
        a32 = b32 ^ (~b42 & b02);
        a42 = b42 ^ (~b02 & b12);
        a03 = b03 ^ (~b13 & b23);
        a13 = b13 ^ (~b23 & b33);
        a23 = b23 ^ (~b33 & b43);
        a33 = b33 ^ (~b43 & b03);
        a43 = b43 ^ (~b03 & b13);
        a04 = b04 ^ (~b14 & b24);
        a14 = b14 ^ (~b24 & b34);
        a24 = b24 ^ (~b34 & b44);
        a34 = b34 ^ (~b44 & b04);
        a44 = b44 ^ (~b04 & b14);
        a00 ^= keccak_rc[round];
    }
    st[0] = a00, st[1] = a10, st[2] = a20, st[3] = a30, st[4] = a40;
    st[5] = a01, st[6] = a11, st[7] = a21, st[8] = a31, st[9] = a41;
    st[10] = a02, st[11] = a12, st[12] = a22, st[13] = a32, st[14] = a42;
    st[15] = a03, st[16] = a13, st[17] = a23, st[18] = a33, st[19] = a43;
    st[20] = a04, st[21] = a14, st[22] = a24, st[23] = a34, st[24] = a44;
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
