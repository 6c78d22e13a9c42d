/* SPDX-License-Identifier: GPL-3.0-only
 * seccomp-load.h: check a compiled profile (<tag>.bin2, seccomp-blob.h) against the size and
 * SHA3-384 recorded in the launch description, and install it.
 */
#ifndef CF_SECCOMP_LOAD_H
#define CF_SECCOMP_LOAD_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct cf_seccomp_prog {
    bool unrestricted;         /* @unrestricted: nothing to load */
    struct sock_filter *insns; /* deny filter and allow filter merged into one program */
    size_t ninsns;
    /* when the merged program would exceed BPF_MAXINSNS, the two filters are kept apart */
    struct sock_filter *deny;
    size_t ndeny;
};

/* Verify blob (len bytes) against the expected size and digest, check the header and build
 * the program. On failure nothing is allocated. Release with cf_seccomp_prog_release. */
int cf_seccomp_check(const uint8_t *blob, size_t len, uint64_t want_size,
                     const uint8_t want_sha3[48], struct cf_seccomp_prog *out,
                     struct sn_err *err) SN_WUR;
void cf_seccomp_prog_release(struct cf_seccomp_prog *p);
/* Install with one seccomp(2) call (two when the filters could not be merged). Needs
 * no_new_privs or CAP_SYS_ADMIN. */
int cf_seccomp_install(const struct cf_seccomp_prog *p, struct sn_err *err) SN_WUR;

#endif
