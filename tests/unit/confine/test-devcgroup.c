/* SPDX-License-Identifier: GPL-3.0-only
 * Unit tests for confine/devcgroup*.c: the cgroup v2 device program (run on a small eBPF
 * interpreter for the instructions it uses, and loaded into the kernel when root), the v1
 * update plan, the cgroup2 mount lookup, the standard-node rule and group names.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "devcgroup-bpf.h"
#include "devcgroup.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

/* ---- the v2 program, interpreted ---- */

/* Run prog on {access_type, major, minor}: returns r0, or -1 for an instruction the
 * interpreter does not know, a jump out of the program or too many steps. */
static long run(const struct bpf_insn *p, size_t n, uint32_t type, uint32_t access, uint32_t major,
                uint32_t minor) {
    uint32_t ctx[3] = {access << 16 | type, major, minor};
    uint64_t reg[11] = {0};
    size_t pc = 0;
    for (int steps = 0; steps < 100000 && pc < n; steps++) {
        const struct bpf_insn *i = &p[pc++];
        uint64_t imm = (uint64_t)(int64_t)i->imm;
        switch (i->code) {
            case BPF_LDX | BPF_W | BPF_MEM:
                if (i->src_reg != BPF_REG_1 || i->off < 0 || i->off > 8 || i->off % 4) {
                    return -1;
                }
                reg[i->dst_reg] = ctx[i->off / 4];
                break;
            case BPF_ALU64 | BPF_AND | BPF_K:
                reg[i->dst_reg] &= imm;
                break;
            case BPF_ALU64 | BPF_RSH | BPF_K:
                reg[i->dst_reg] >>= imm;
                break;
            case BPF_ALU64 | BPF_MOV | BPF_K:
                reg[i->dst_reg] = imm;
                break;
            case BPF_JMP | BPF_JNE | BPF_K:
                if (reg[i->dst_reg] != imm) {
                    pc += (size_t)(long)i->off;
                }
                break;
            case BPF_JMP | BPF_JEQ | BPF_K:
                if (reg[i->dst_reg] == imm) {
                    pc += (size_t)(long)i->off;
                }
                break;
            case BPF_JMP | BPF_JA:
                pc += (size_t)(long)i->off;
                break;
            case BPF_JMP | BPF_EXIT:
                return (long)reg[BPF_REG_0];
            default:
                return -1;
        }
    }
    return -1;
}

#define CHR BPF_DEVCG_DEV_CHAR
#define BLK BPF_DEVCG_DEV_BLOCK
#define RD  BPF_DEVCG_ACC_READ
#define WR  BPF_DEVCG_ACC_WRITE
#define MK  BPF_DEVCG_ACC_MKNOD

static void test_bpf_program(void **state) {
    const struct cf_device dev[] = {
        {'c', 1, 3}, {'c', 136, -1}, {'b', 7, 3}, {'c', 10, 232}, {'b', 8, -1},
    };
    size_t nd = sizeof(dev) / sizeof(dev[0]);
    struct bpf_insn prog[CF_DEVBPF_INSNS(5)];
    size_t n = cf_devbpf_build(dev, nd, prog);
    assert_true(n <= CF_DEVBPF_INSNS(nd));
    static const struct {
        uint32_t type, access, major, minor;
        long want;
    } rows[] = {
        {CHR, RD | WR, 1, 3, 1},      /* /dev/null */
        {CHR, RD | WR | MK, 1, 3, 1}, /* every access of a listed device */
        {CHR, RD, 1, 5, 0},           /* /dev/zero: not listed here */
        {BLK, RD, 1, 3, 0},           /* right numbers, wrong type */
        {CHR, RD, 136, 0, 1},         /* pts: any minor */
        {CHR, RD, 136, 1048575, 1},   {BLK, RD, 136, 0, 0},
        {BLK, RD | WR, 7, 3, 1},    /* the granted loop device */
        {BLK, RD, 7, 4, 0},         /* another loop device */
        {CHR, RD, 7, 3, 0},         /* a char device with a block device's numbers */
        {CHR, RD | WR, 10, 232, 1}, /* kvm */
        {CHR, RD, 10, 183, 0},      /* hwrng */
        {BLK, RD, 8, 0, 1},         /* sd*: any minor */
        {BLK, RD, 8, 17, 1},          {CHR, RD, 8, 0, 0},
        {CHR, RD, 0, 0, 0},           {CHR, RD, 4095, 1048575, 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        long got = run(prog, n, rows[i].type, rows[i].access, rows[i].major, rows[i].minor);
        if (got != rows[i].want) {
            fail_msg("row %zu (%u %u:%u): got %ld, want %ld", i, rows[i].type, rows[i].major,
                     rows[i].minor, got, rows[i].want);
        }
    }
    /* nothing listed: everything denied */
    n = cf_devbpf_build(NULL, 0, prog);
    assert_int_equal(n, CF_DEVBPF_INSNS(0));
    assert_int_equal(run(prog, n, CHR, RD, 1, 3), 0);
}

/* The biggest launch description's program: the interpreter agrees on every entry and the
 * kernel's verifier accepts it (root only). */
static void test_bpf_program_big(void **state) {
    struct cf_device *dev = xcalloc(CF_LAUNCH_MAX_DEV, sizeof(*dev));
    for (size_t i = 0; i < CF_LAUNCH_MAX_DEV; i++) {
        dev[i] = (struct cf_device){i % 2 ? 'b' : 'c', (unsigned)(200 + i), i % 3 ? (long)i : -1};
    }
    SN_AUTOFREE struct bpf_insn *prog = xcalloc(CF_DEVBPF_INSNS(CF_LAUNCH_MAX_DEV), sizeof(*prog));
    size_t n = cf_devbpf_build(dev, CF_LAUNCH_MAX_DEV, prog);
    for (size_t i = 0; i < CF_LAUNCH_MAX_DEV; i += 37) {
        uint32_t type = dev[i].type == 'b' ? BLK : CHR;
        uint32_t minor = dev[i].minor < 0 ? 77 : (uint32_t)dev[i].minor;
        assert_int_equal(run(prog, n, type, RD, dev[i].major, minor), 1);
        assert_int_equal(run(prog, n, type == BLK ? CHR : BLK, RD, dev[i].major, minor), 0);
    }
    assert_int_equal(run(prog, n, CHR, RD, 199, 0), 0);
    free(dev);
    if (geteuid() != 0) {
        skip();
    }
    struct sn_err err = SN_ERR_INIT;
    int fd = cf_devbpf_load(prog, n, &err);
    if (fd < 0 && (fd == -EPERM || fd == -ENOSYS)) {
        skip(); /* no bpf() here (a container, or CONFIG_CGROUP_BPF off) */
    }
    if (fd < 0) {
        fail_msg("%s", err.msg);
    }
    (void)close(fd);
}

/* ---- v1 ---- */

static void plan(const char *have, const struct cf_device *dev, size_t n, const char *want) {
    SN_AUTOSTRBUF struct sn_strbuf out = SN_STRBUF_INIT;
    cf_devcgroup_v1_plan(have, dev, n, &out);
    assert_string_equal(out.len ? out.buf : "", want);
}

static void test_v1_plan(void **state) {
    const struct cf_device std2[] = {{'c', 1, 3}, {'c', 136, -1}};
    const struct cf_device kvm[] = {{'c', 1, 3}, {'c', 136, -1}, {'c', 10, 232}};
    /* a new group allows everything: reset, then allow */
    plan("a *:* rwm\n", std2, 2, "deny a\nallow c 1:3 rwm\nallow c 136:* rwm\n");
    /* already right: nothing to write (a launch only joins) */
    plan("c 1:3 rwm\nc 136:* rwm\n", std2, 2, "");
    plan("c 136:* rwm\nc 1:3 rwm\n", std2, 2, "");
    /* connect: only the new device is allowed; nothing is denied on the way */
    plan("c 1:3 rwm\nc 136:* rwm\n", kvm, 3, "allow c 10:232 rwm\n");
    /* disconnect: only the old device is denied */
    plan("c 1:3 rwm\nc 136:* rwm\nc 10:232 rwm\n", std2, 2, "deny c 10:232 rwm\n");
    /* both at once: allow first, then deny */
    const struct cf_device hw[] = {{'c', 1, 3}, {'c', 136, -1}, {'c', 10, 183}};
    plan("c 1:3 rwm\nc 136:* rwm\nc 10:232 rwm\n", hw, 3,
         "allow c 10:183 rwm\ndeny c 10:232 rwm\n");
    /* partial access left behind: re-allowed in full, never denied */
    plan("c 1:3 rw\nc 136:* rwm\n", std2, 2, "allow c 1:3 rwm\n");
    /* an empty list (deny-all group with no exceptions) */
    plan("", std2, 2, "allow c 1:3 rwm\nallow c 136:* rwm\n");
    /* a device listed twice is allowed once; a wildcard is not the same entry as a minor */
    const struct cf_device dup[] = {{'b', 7, 3}, {'b', 7, 3}, {'b', 7, -1}};
    plan("b 7:4 rwm\n", dup, 3, "allow b 7:3 rwm\nallow b 7:* rwm\ndeny b 7:4 rwm\n");
    /* type matters */
    const struct cf_device blk[] = {{'b', 1, 3}};
    plan("c 1:3 rwm\n", blk, 1, "allow b 1:3 rwm\ndeny c 1:3 rwm\n");
    /* nothing wanted */
    plan("c 1:3 rwm\n", NULL, 0, "deny c 1:3 rwm\n");
}

/* ---- cgroup2 mount ---- */

static void mount_is(const char *mountinfo, const char *want) {
    SN_AUTOFREE char *got = cf_devcgroup_v2_mount_parse(mountinfo);
    if (want == NULL) {
        assert_null(got);
    } else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

static void test_v2_mount(void **state) {
    /* hybrid (this machine) */
    mount_is(
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n",
        "/sys/fs/cgroup/unified");
    /* unified, with optional fields before the separator */
    mount_is(
        "30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 master:1 - cgroup2 cgroup2 "
        "rw,nsdelegate\n",
        "/sys/fs/cgroup");
    /* a bind of a sub-group is skipped, the hierarchy's root is used */
    mount_is(
        "50 23 0:26 /user.slice /mnt/x rw - cgroup2 cgroup2 rw\n"
        "51 23 0:26 / /mnt/cg\\040two rw - cgroup2 cgroup2 rw\n",
        "/mnt/cg two");
    /* v1 only, or nothing */
    mount_is("36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices\n", NULL);
    mount_is("", NULL);
    mount_is("garbage\n1 2\n", NULL);
    /* a source or option named cgroup2 is not the file system type */
    mount_is("60 23 0:40 / /mnt/fake rw - tmpfs cgroup2 rw\n", NULL);
    /* this machine's own table parses (and has one when the directory exists) */
    SN_AUTOFREE char *mine = cf_devcgroup_v2_mount();
    if (mine != NULL) {
        assert_int_equal(mine[0], '/');
    }
}

/* ---- standard nodes, names ---- */

static void test_standard_and_names(void **state) {
    const struct cf_device std[] = {{'c', 1, 3}, {'c', 1, 5}, {'c', 1, 7},
                                    {'c', 1, 8}, {'c', 1, 9}, {'c', 5, 0},
                                    {'c', 5, 1}, {'c', 5, 2}, {'c', 136, -1}};
    assert_true(cf_devcgroup_standard_only(std, 9));
    assert_true(cf_devcgroup_standard_only(NULL, 0));
    const struct cf_device kvm[] = {{'c', 1, 3}, {'c', 10, 232}};
    assert_false(cf_devcgroup_standard_only(kvm, 2));
    const struct cf_device blk[] = {{'b', 1, 3}};
    assert_false(cf_devcgroup_standard_only(blk, 1));
    const struct cf_device pts0[] = {{'c', 136, 0}}; /* not the wildcard */
    assert_false(cf_devcgroup_standard_only(pts0, 1));

    SN_AUTOFREE char *a = cf_devcgroup_name("/", "snap.hello.run");
    assert_string_equal(a, "snapc.snap.hello.run");
    SN_AUTOFREE char *b = cf_devcgroup_name("/tmp/r", "snap.hello.run");
    SN_AUTOFREE char *c = cf_devcgroup_name("/tmp/s", "snap.hello.run");
    assert_int_equal(strlen(b), strlen("snapc-12345678.snap.hello.run"));
    assert_memory_equal(b, "snapc-", 6);
    assert_string_not_equal(b, c);
    /* the instance prefix (cf_devcgroup_remove) is a prefix of its tags' groups only */
    SN_AUTOFREE char *p = cf_devcgroup_name("/tmp/r", "snap.hello.");
    assert_memory_equal(b, p, strlen(p));
    SN_AUTOFREE char *other = cf_devcgroup_name("/tmp/r", "snap.hello_x.run");
    assert_memory_not_equal(other, p, strlen(p));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bpf_program),
        cmocka_unit_test(test_bpf_program_big),
        cmocka_unit_test(test_v1_plan),
        cmocka_unit_test(test_v2_mount),
        cmocka_unit_test(test_standard_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
