/* SPDX-License-Identifier: GPL-3.0-only
 * seccomp-load.c: load the precompiled profile.
 *
 * The blob holds two filters (snapd's layout): "deny" (default ALLOW, EACCES for the source's
 * "~" rules) and "allow" (default EPERM, ALLOW for listed calls). Rather than stacking two
 * filters, the deny program's "return ALLOW" instructions become forward jumps to the start
 * of the allow program, so the kernel runs one program per system call and one seccomp()
 * call installs it. A deny hit returns at once; everything else falls through to the allow
 * list. classic BPF only jumps forward, so this keeps every offset valid.
 */
#define _GNU_SOURCE
#include "seccomp-load.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp-blob.h"
#include "sha3.h"
#include "xalloc.h"

#include "banned.h"

static int merge(const struct sock_filter *deny, size_t nd, const struct sock_filter *allow,
                 size_t na, struct cf_seccomp_prog *out, struct sn_err *err) {
    if (nd + na > BPF_MAXINSNS) {
        /* keep them apart: stacked filters give the same result, at two calls */
        out->deny = xmalloc(nd * sizeof(*deny));
        memcpy(out->deny, deny, nd * sizeof(*deny));
        out->ndeny = nd;
        out->insns = xmalloc(na * sizeof(*allow));
        memcpy(out->insns, allow, na * sizeof(*allow));
        out->ninsns = na;
        return 0;
    }
    struct sock_filter *p = xmalloc((nd + na) * sizeof(*p));
    for (size_t i = 0; i < nd; i++) {
        struct sock_filter f = deny[i];
        if (BPF_CLASS(f.code) == BPF_RET) {
            if (BPF_RVAL(f.code) != BPF_K) {
                free(p);
                return sn_err_set(err, -EINVAL,
                                  "seccomp profile: unexpected return in deny filter");
            }
            if (f.k == SECCOMP_RET_ALLOW) {
                f = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)(nd - i - 1), 0, 0);
            }
        }
        p[i] = f;
    }
    memcpy(p + nd, allow, na * sizeof(*allow));
    out->insns = p;
    out->ninsns = nd + na;
    return 0;
}

int cf_seccomp_check(const uint8_t *blob, size_t len, uint64_t want_size,
                     const uint8_t want_sha3[48], struct cf_seccomp_prog *out, struct sn_err *err) {
    struct cf_seccomp_header h;
    if (len != want_size) {
        return sn_err_set(err, -EBADMSG, "seccomp profile has %zu bytes, expected %llu", len,
                          (unsigned long long)want_size);
    }
    if (len < sizeof(h) || len > CF_SECCOMP_BLOB_MAX) {
        return sn_err_set(err, -EBADMSG, "seccomp profile has an invalid size (%zu bytes)", len);
    }
    uint8_t digest[CF_SHA3_384_SIZE];
    cf_sha3_384(blob, len, digest);
    if (memcmp(digest, want_sha3, sizeof(digest)) != 0) {
        return sn_err_set(err, -EBADMSG, "seccomp profile does not match its recorded digest");
    }
    memcpy(&h, blob, sizeof(h));
    if (h.magic[0] != CF_SECCOMP_MAGIC0 || h.magic[1] != CF_SECCOMP_MAGIC1) {
        return sn_err_set(err, -EBADMSG, "seccomp profile has an invalid header");
    }
    if (h.version != CF_SECCOMP_VERSION) {
        return sn_err_set(err, -EBADMSG, "seccomp profile has unsupported version %u",
                          (unsigned)h.version);
    }
    if (h.unrestricted > 1 || h.len_allow > CF_SECCOMP_FILTER_MAX ||
        h.len_deny > CF_SECCOMP_FILTER_MAX || h.len_allow % CF_SECCOMP_INSN_SIZE != 0 ||
        h.len_deny % CF_SECCOMP_INSN_SIZE != 0 ||
        (size_t)h.len_allow + h.len_deny + sizeof(h) != len) {
        return sn_err_set(err, -EBADMSG, "seccomp profile has inconsistent lengths");
    }
    for (size_t i = 0; i < sizeof(h.reserved); i++) {
        if (h.reserved[i] != 0) {
            return sn_err_set(err, -EBADMSG, "seccomp profile has non-zero reserved bytes");
        }
    }
    memset(out, 0, sizeof(*out));
    if (h.unrestricted) {
        if (h.len_allow != 0 || h.len_deny != 0) {
            return sn_err_set(err, -EBADMSG, "unrestricted seccomp profile carries filters");
        }
        out->unrestricted = true;
        return 0;
    }
    if (h.len_allow == 0) {
        return sn_err_set(err, -EBADMSG, "seccomp profile has no allow filter");
    }
    static_assert(sizeof(struct sock_filter) == CF_SECCOMP_INSN_SIZE, "sock_filter size");
    size_t nd = h.len_deny / CF_SECCOMP_INSN_SIZE, na = h.len_allow / CF_SECCOMP_INSN_SIZE;
    struct sock_filter *allow = xmalloc(h.len_allow);
    struct sock_filter *deny = nd ? xmalloc(h.len_deny) : NULL;
    memcpy(allow, blob + sizeof(h), h.len_allow);
    if (nd) {
        memcpy(deny, blob + sizeof(h) + h.len_allow, h.len_deny);
    }
    int r = merge(deny, nd, allow, na, out, err);
    free(allow);
    free(deny);
    return r;
}

void cf_seccomp_prog_release(struct cf_seccomp_prog *p) {
    free(p->insns);
    free(p->deny);
    memset(p, 0, sizeof(*p));
}

static int install_one(struct sock_filter *insns, size_t n, struct sn_err *err) {
    struct sock_fprog prog = {.len = (unsigned short)n, .filter = insns};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
        return sn_err_set(err, -errno, "cannot load seccomp filter: %s", strerror(errno));
    }
    return 0;
}

int cf_seccomp_install(const struct cf_seccomp_prog *p, struct sn_err *err) {
    if (p->unrestricted) {
        return 0;
    }
    if (p->ndeny > 0) {
        int r = install_one(p->deny, p->ndeny, err);
        if (r < 0) {
            return r;
        }
    }
    return install_one(p->insns, p->ninsns, err);
}
