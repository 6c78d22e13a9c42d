/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "hash.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

#include "banned.h"

int sn_sha3_384_fd(int fd, uint8_t out[SN_SHA3_384_SIZE], uint64_t *size, struct sn_err *err) {
    struct sha3_384_ctx ctx;
    sha3_384_init(&ctx);
    enum { BUFSZ = 1 << 17 };
    SN_AUTOFREE uint8_t *buf = malloc(BUFSZ);
    if (buf == NULL) {
        return sn_err_set(err, -ENOMEM, "cannot hash: out of memory");
    }
    uint64_t total = 0;
    for (;;) {
        ssize_t n = read(fd, buf, BUFSZ);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return sn_err_set(err, -errno, "cannot read for hashing: %s", strerror(errno));
        }
        if (n == 0) {
            break;
        }
        sha3_384_update(&ctx, (size_t)n, buf);
        total += (uint64_t)n;
    }
    sha3_384_digest(&ctx, SN_SHA3_384_SIZE, out);
    if (size) {
        *size = total;
    }
    return 0;
}

int sn_sha3_384_file(const char *path, uint8_t out[SN_SHA3_384_SIZE], uint64_t *size,
                     struct sn_err *err) {
    SN_AUTOCLOSE int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", path, strerror(errno));
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    int r = sn_sha3_384_fd(fd, out, size, err);
    if (r < 0) {
        sn_err_prefix(err, "'%s': ", path);
    }
    return r;
}

void sn_sha3_384_buf(const void *data, size_t len, uint8_t out[SN_SHA3_384_SIZE]) {
    struct sha3_384_ctx ctx;
    sha3_384_init(&ctx);
    sha3_384_update(&ctx, len, data);
    sha3_384_digest(&ctx, SN_SHA3_384_SIZE, out);
}

void sn_base64url(const uint8_t *in, size_t n, char *out) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = tab[(v >> 6) & 63];
        out[o++] = tab[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = tab[(v >> 6) & 63];
    }
    out[o] = '\0';
}

void sn_hex(const uint8_t *in, size_t n, char *out) {
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[in[i] >> 4];
        out[2 * i + 1] = hx[in[i] & 15];
    }
    out[2 * n] = '\0';
}
