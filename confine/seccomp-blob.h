/* SPDX-License-Identifier: GPL-3.0-only
 * seccomp-blob.h: the compiled seccomp profile (<tag>.bin2), snapd's layout
 * (cmd/snap-confine/seccomp-support.c): a 128-byte packed header, then the allow filter, then
 * the deny filter, both raw struct sock_filter arrays as libseccomp exports them.
 *
 * The allow filter has default action ERRNO(EPERM) (LOG in devmode) and ALLOW rules; the deny
 * filter has default ALLOW and ERRNO(EACCES) rules (the source's "~" lines). "unrestricted"
 * marks @unrestricted profiles: no filter at all, both lengths 0.
 */
#ifndef CF_SECCOMP_BLOB_H
#define CF_SECCOMP_BLOB_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define CF_SECCOMP_MAGIC0     'S'
#define CF_SECCOMP_MAGIC1     'C'
#define CF_SECCOMP_VERSION    1
#define CF_SECCOMP_FILTER_MAX (32 * 1024) /* bytes per filter, as snap-confine */
#define CF_SECCOMP_INSN_SIZE  8           /* sizeof(struct sock_filter) */
#define CF_SECCOMP_BLOB_MAX   (128 + 2 * CF_SECCOMP_FILTER_MAX)

struct __attribute__((__packed__)) cf_seccomp_header {
    char magic[2];        /* 'S', 'C' */
    uint8_t version;      /* 1 */
    uint8_t unrestricted; /* 1: no filter */
    uint8_t padding[4];
    uint32_t len_allow;    /* bytes, host endianness */
    uint32_t len_deny;     /* bytes */
    uint8_t reserved[112]; /* zero */
};

static_assert(sizeof(struct cf_seccomp_header) == 128, "header is 128 bytes");
static_assert(offsetof(struct cf_seccomp_header, len_allow) == 8, "snapd layout");
static_assert(offsetof(struct cf_seccomp_header, len_deny) == 12, "snapd layout");

#endif
