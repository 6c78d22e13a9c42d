/* SPDX-License-Identifier: GPL-3.0-only
 * devcgroup-bpf.c: the cgroup v2 device program (see devcgroup-bpf.h).
 *
 * The program, for a context {access_type = ACCESS << 16 | TYPE, major, minor}:
 *
 *     r2 = ctx->access_type & 0xffff      device type: BPF_DEVCG_DEV_CHAR or _BLOCK
 *     r4 = ctx->major
 *     r5 = ctx->minor
 *   per device:
 *     if r2 != TYPE goto next
 *     if r4 != MAJOR goto next
 *     if r5 != MINOR goto next             (left out for "any minor")
 *     r0 = 1; exit                         allow
 *   next: ...
 *     r0 = 0; exit                         deny (the kernel answers EPERM)
 */
#define _GNU_SOURCE
#include "devcgroup-bpf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "fault.h"
#include "xalloc.h"

#include "banned.h"

#define INSN(c, d, s, o, i) \
    ((struct bpf_insn){     \
        .code = (c), .dst_reg = (d), .src_reg = (s), .off = (int16_t)(o), .imm = (int32_t)(i)})

static uint64_t ptr64(const void *p) {
    return (uint64_t)(uintptr_t)p;
}

static long sys_bpf(int cmd, union bpf_attr *attr) {
    return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

size_t cf_devbpf_build(const struct cf_device *dev, size_t n, struct bpf_insn *out) {
    size_t k = 0;
    out[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0);
    out[k++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
    out[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0);
    out[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0);
    for (size_t i = 0; i < n; i++) {
        bool any = dev[i].minor < 0;
        int len = any ? 4 : 5; /* instructions of this entry */
        int type = dev[i].type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
        out[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, len - 1, type);
        out[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, len - 2, dev[i].major);
        if (!any) {
            out[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, len - 3, dev[i].minor);
        }
        out[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
        out[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }
    out[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
    out[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    return k;
}

int cf_devbpf_load(const struct bpf_insn *insns, size_t n, struct sn_err *err) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.expected_attach_type = BPF_CGROUP_DEVICE;
    attr.insns = ptr64(insns);
    attr.insn_cnt = (uint32_t)n;
    attr.license = ptr64("GPL");
    memcpy(attr.prog_name, CF_DEVBPF_NAME, sizeof(CF_DEVBPF_NAME));
    long fd = sys_bpf(BPF_PROG_LOAD, &attr);
    if (fd >= 0) {
        return (int)fd;
    }
    int e = errno;
    /* again with the verifier's log, for the message */
    char log[512] = "";
    attr.log_level = 1;
    attr.log_buf = ptr64(log);
    attr.log_size = sizeof(log);
    fd = sys_bpf(BPF_PROG_LOAD, &attr);
    if (fd >= 0) {
        (void)close((int)fd); /* loads with a log only: do not trust it */
    }
    char *nl = strchr(log, '\n');
    if (nl != NULL) {
        *nl = '\0';
    }
    return sn_err_set(err, -e, "cannot load the device program (%zu instructions): %s%s%s", n,
                      strerror(e), log[0] ? ": " : "", log);
}

int cf_devbpf_attach(int cg_fd, int prog_fd, struct sn_err *err) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cg_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = 0; /* single program: replaces the attached one atomically */
    if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0) {
        return sn_err_set(err, -errno, "cannot attach the device program: %s", strerror(errno));
    }
    return 0;
}

/* ids of the device programs attached to the cgroup; returns how many (may exceed max) */
static int query(int cg_fd, uint32_t *ids, uint32_t max) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.query.target_fd = (uint32_t)cg_fd;
    attr.query.attach_type = BPF_CGROUP_DEVICE;
    attr.query.prog_ids = ptr64(ids);
    attr.query.prog_cnt = max;
    if (sys_bpf(BPF_PROG_QUERY, &attr) < 0 && errno != ENOSPC) {
        return -errno;
    }
    return (int)attr.query.prog_cnt;
}

int cf_devbpf_count(int cg_fd) {
    uint32_t ids[8];
    return query(cg_fd, ids, 8);
}

bool cf_devbpf_attached_equal(int cg_fd, const struct bpf_insn *insns, size_t n) {
    uint32_t id = 0;
    if (query(cg_fd, &id, 1) != 1) {
        return false;
    }
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_id = id;
    long fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
    if (fd < 0) {
        return false;
    }
    SN_AUTOCLOSE int pfd = (int)fd;
    size_t size = n * sizeof(*insns);
    SN_AUTOFREE struct bpf_insn *have = xmalloc(size + sizeof(*insns));
    struct bpf_prog_info info;
    memset(&info, 0, sizeof(info));
    info.xlated_prog_len = (uint32_t)(size + sizeof(*insns));
    info.xlated_prog_insns = ptr64(have);
    memset(&attr, 0, sizeof(attr));
    attr.info.bpf_fd = (uint32_t)pfd;
    attr.info.info_len = sizeof(info);
    attr.info.info = ptr64(&info);
    return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) == 0 &&
           info.type == BPF_PROG_TYPE_CGROUP_DEVICE && info.xlated_prog_len == size &&
           memcmp(have, insns, size) == 0;
}

int cf_devbpf_install(int cg_fd, const struct cf_device *dev, size_t n, bool *changed,
                      struct sn_err *err) {
    if (changed != NULL) {
        *changed = false;
    }
    if (SN_FAULT_FAIL("devcgroup-bpf")) { /* as a kernel without cgroup BPF */
        return sn_err_set(err, -EINVAL, "cannot load the device program: %s (fault injected)",
                          strerror(EINVAL));
    }
    SN_AUTOFREE struct bpf_insn *insns = xcalloc(CF_DEVBPF_INSNS(n), sizeof(*insns));
    size_t ni = cf_devbpf_build(dev, n, insns);
    if (cf_devbpf_attached_equal(cg_fd, insns, ni)) {
        return 0;
    }
    SN_AUTOCLOSE int prog = cf_devbpf_load(insns, ni, err);
    if (prog < 0) {
        return prog;
    }
    int r = cf_devbpf_attach(cg_fd, prog, err);
    if (r == 0 && changed != NULL) {
        *changed = true;
    }
    return r;
}
