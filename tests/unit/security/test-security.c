/* SPDX-License-Identifier: GPL-3.0-only
 * Unit tests for snapd-c/security: the seccomp source parser (a table of lines and what they
 * become), the compiler and its blob (loaded for real in a child), command splitting, and the
 * rendered launch description read back by the launcher's own parser.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "devcgroup.h"
#include "fs.h"
#include "hash.h"
#include "launch.h"
#include "render.h"
#include "seccomp-blob.h"
#include "seccomp-load.h"
#include "seccomp-src.h"
#include "security.h"
#include "sha3.h"
#include "xalloc.h"

#include "banned.h"

static void one_rule(const char *line, struct sc_rule *out) {
    struct sc_src s;
    struct sn_err err = SN_ERR_INIT;
    int r = sc_src_parse(line, strlen(line), &s, &err);
    if (r != 0) {
        print_error("'%s': %s\n", line, err.msg);
    }
    assert_int_equal(r, 0);
    assert_int_equal(s.n, 1);
    *out = s.rules[0];
    sc_src_release(&s);
}

static void test_parse_args(void **state) {
    static const struct {
        const char *line;
        int nargs;
        enum sc_op op[3];
        uint64_t v[3];
        uint64_t mask2; /* mask of the last arg */
        bool deny;
    } t[] = {
        {"read", 0, {SC_ANY}, {0}, 0, false},
        {"socket AF_NETLINK - NETLINK_ROUTE", 3, {SC_EQ, SC_ANY, SC_EQ}, {16, 0, 0}, 0, false},
        {"~ioctl - TIOCSTI", 2, {SC_ANY, SC_EQ}, {0, 0x5412}, 0, true},
        {"setpriority >=0 <=10 !5", 3, {SC_GE, SC_LE, SC_NE}, {0, 10, 5}, 0, false},
        {"x >1 <2 -", 3, {SC_GT, SC_LT, SC_ANY}, {1, 2, 0}, 0, false},
        {"~chmod - |S_ISUID", 2, {SC_ANY, SC_MASKED_EQ}, {0, 04000}, 04000, true},
        {"mknod - 0x1000|0xf000", 2, {SC_ANY, SC_MASKED_EQ}, {0, 0x1000}, 0xf000, false},
        {"chown - u:root g:root", 3, {SC_ANY, SC_EQ, SC_EQ}, {0, 0, 0}, 0, false},
        {"chown32 - -1 -1", 3, {SC_ANY, SC_EQ, SC_EQ}, {0, 0xffffffffULL, 0xffffffffULL}, 0, false},
        {"unshare CLONE_NEWUSER", 1, {SC_EQ}, {0x10000000}, 0, false},
        {"ptrace PTRACE_TRACEME", 1, {SC_EQ}, {0}, 0, false},
        {"  indented\t18  ", 1, {SC_EQ}, {18}, 0, false},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct sc_rule r;
        one_rule(t[i].line, &r);
        assert_int_equal(r.nargs, t[i].nargs);
        assert_int_equal(r.deny, t[i].deny);
        for (int k = 0; k < t[i].nargs; k++) {
            assert_int_equal(r.args[k].op, t[i].op[k]);
            assert_int_equal(r.args[k].value, t[i].v[k]);
        }
        if (t[i].mask2) {
            assert_int_equal(r.args[t[i].nargs - 1].mask, t[i].mask2);
        }
    }
}

static void test_parse_directives_and_errors(void **state) {
    struct sc_src s;
    struct sn_err err = SN_ERR_INIT;
    const char *text =
        "# comment with many words a b c d e f g h\n\n@complain\nread\n"
        "no_such_syscall_xyz 1\n";
    assert_int_equal(sc_src_parse(text, strlen(text), &s, &err), 0);
    assert_true(s.complain);
    assert_false(s.unrestricted);
    assert_int_equal(s.n, 2); /* unknown syscalls parse; the compiler skips them */
    sc_src_release(&s);
    static const char *const bad[] = {
        "socket AF_NOPE",
        "read 1 2 3 4 5 6 7",
        "@frobnicate",
        "@complain extra",
        "Bad-Name",
        "read >",
        "read 010",
        "read u:no-such-user-xyz",
        "read -0",
        "read 1|",
        "read 99999999999999999999999",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int r = sc_src_parse(bad[i], strlen(bad[i]), &s, &err);
        if (r == 0) {
            print_error("accepted '%s'\n", bad[i]);
        }
        assert_int_equal(r, -EINVAL);
        assert_non_null(strstr(err.msg, "line 1"));
    }
}

/* compile src, load it in a child with no_new_privs, run probes there */
static int run_filtered(const char *src, int (*probe)(void)) {
    uint8_t *blob = NULL;
    size_t len = 0;
    struct sn_err err = SN_ERR_INIT;
    int r = security_compile_seccomp(src, strlen(src), &blob, &len, NULL, &err);
    if (r != 0) {
        print_error("%s\n", err.msg);
    }
    assert_int_equal(r, 0);
    uint8_t d[48];
    cf_sha3_384(blob, len, d);
    struct cf_seccomp_prog p;
    assert_int_equal(cf_seccomp_check(blob, len, len, d, &p, &err), 0);
    free(blob);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || cf_seccomp_install(&p, NULL) < 0) {
            _exit(100);
        }
        _exit(probe());
    }
    cf_seccomp_prog_release(&p);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

/* exit code: a bit per expectation that failed */
static int probe_template(void) {
    int bad = 0;
    errno = 0;
    if (syscall(SYS_mount, "none", (void *)1, "tmpfs", 0, NULL) == 0 || errno != EPERM) {
        bad |= 1;
    }
    if (syscall(SYS_ioctl, -1, (unsigned long)TIOCSTI, "x") == 0 || errno != EACCES) {
        bad |= 2;
    }
    if (syscall(SYS_ioctl, -1, 0x100000000UL | TIOCSTI, "x") == 0 || errno != EACCES) {
        bad |= 4;
    }
    if (syscall(SYS_ioctl, -1, (unsigned long)TIOCGWINSZ, NULL) == 0 || errno != EBADF) {
        bad |= 8; /* other ioctls reach the kernel */
    }
    if (syscall(SYS_clone3, NULL, 0UL) == 0 || errno != ENOSYS) {
        bad |= 16;
    }
    if (syscall(SYS_getpid) <= 0) {
        bad |= 32;
    }
    if (syscall(SYS_bpf, 0, NULL, 0) == 0 || errno != EPERM) {
        bad |= 64;
    }
    return bad;
}

static void test_compile_and_load_template(void **state) {
    assert_int_equal(run_filtered(security_seccomp_template, probe_template), 0);
}

static int probe_complain(void) {
    /* @complain: not listed means logged and allowed, so mount reaches the kernel */
    errno = 0;
    return syscall(SYS_mount, "none", (void *)1, "tmpfs", 0, NULL) < 0 && errno == EFAULT ? 0 : 1;
}

static void test_complain(void **state) {
    assert_int_equal(run_filtered("@complain\nexit_group\nexit\n", probe_complain), 0);
}

static void test_blob_header(void **state) {
    uint8_t *blob = NULL;
    size_t len = 0;
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(security_compile_seccomp("@unrestricted\n", 14, &blob, &len, NULL, &err), 0);
    assert_int_equal(len, 128);
    struct cf_seccomp_header h;
    memcpy(&h, blob, sizeof(h));
    assert_int_equal(h.unrestricted, 1);
    free(blob);
    long usec = 0;
    const char *t = security_seccomp_template;
    assert_int_equal(security_compile_seccomp(t, strlen(t), &blob, &len, &usec, &err), 0);
    memcpy(&h, blob, sizeof(h));
    assert_int_equal(h.version, 1);
    assert_int_equal(h.unrestricted, 0);
    assert_true(h.len_allow > 0 && h.len_allow <= CF_SECCOMP_FILTER_MAX);
    assert_true(h.len_deny > 0);
    assert_int_equal(len, 128 + h.len_allow + h.len_deny);
    /* nettle (daemon) and the launcher's SHA3 agree */
    uint8_t a[48], b[48];
    sn_sha3_384_buf(blob, len, a);
    cf_sha3_384(blob, len, b);
    assert_memory_equal(a, b, 48);
    free(blob);
    print_message("# template: %zu bytes, compiled in %ld us\n", len, usec);
}

static void test_split(void **state) {
    static const struct {
        const char *in;
        const char *out[5];
    } t[] = {
        {"bin/x --all", {"bin/x", "--all"}},
        {"  bin/x   a\tb ", {"bin/x", "a", "b"}},
        {"bin/x 'a b' \"c \\\"d\\\"\" e\\ f", {"bin/x", "a b", "c \"d\"", "e f"}},
        {"bin/x $SNAP/y", {"bin/x", "$SNAP/y"}},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        SN_AUTOSTRV char **v = sec_split_command(t[i].in);
        assert_non_null(v);
        size_t k = 0;
        for (; t[i].out[k]; k++) {
            assert_non_null(v[k]);
            assert_string_equal(v[k], t[i].out[k]);
        }
        assert_null(v[k]);
    }
    assert_null(sec_split_command("bin/x 'open"));
    assert_null(sec_split_command("bin/x \"open"));
}

static void test_render_roundtrip(void **state) {
    struct snap_info *info = NULL;
    struct sn_err err = SN_ERR_INIT;
    const char *y =
        "name: hello\nversion: '1.0'\nbase: core22\nenvironment:\n  TOP: t\n"
        "apps:\n  env:\n    command: bin/env --all $SNAP_NAME\n"
        "    command-chain: [bin/wrap]\n    environment:\n      A: \"a\\nb %\"\n";
    assert_int_equal(snap_yaml_parse(y, strlen(y), "snap.yaml", &info, NULL, &err), 0);
    struct iface_policy pol;
    iface_policy_init(&pol);
    iface_policy_add_fs(&pol, "/etc/my conf", IFACE_FS_READ, true);
    iface_policy_add_net(&pol, 8080, IFACE_NET_BIND | IFACE_NET_CONNECT);
    iface_policy_add_mount(&pol, "/var/snap/prov/common/share", "/snap/hello/x2/ext", true);
    struct sec_target t;
    memset(&t, 0, sizeof(t));
    t.info = info;
    t.app = &info->apps[0];
    t.instance = "hello";
    t.instance_key = "";
    t.revision = "x2";
    t.base = "core22";
    (void)snprintf(t.tag, sizeof(t.tag), "snap.hello.env");
    struct sec_devices devs;
    sec_devices_resolve(&pol, &devs);
    uint8_t d[48] = {1, 2, 3};
    struct sn_strbuf out = SN_STRBUF_INIT;
    int rr = sec_render_launch("/tmp/r", &t, &pol, &pol, &devs, d, 1234, &out, &err);
    if (rr != 0) {
        print_error("%s\n", err.msg);
    }
    assert_int_equal(rr, 0);
    struct cf_launch l;
    int r = cf_launch_parse(out.buf, out.len, &l, &err);
    if (r != 0) {
        print_error("%s\n", err.msg);
    }
    assert_int_equal(r, 0);
    assert_int_equal(l.nexec, 2);
    assert_string_equal(l.exec[0], "/snap/hello/x2/bin/wrap");
    assert_string_equal(l.exec[1], "/snap/hello/x2/bin/env");
    assert_int_equal(l.nargs, 2);
    assert_string_equal(l.args[1], "$SNAP_NAME");
    assert_int_equal(l.nenv, 2);
    assert_string_equal(l.env[0], "TOP=t");
    assert_string_equal(l.env[1], "A=a\nb %");
    assert_int_equal(l.seccomp_size, 1234);
    assert_int_equal(l.seccomp_sha3[2], 3);
    assert_string_equal(l.fs[l.nfs - 1].path, "/etc/my conf");
    assert_true(l.fs[l.nfs - 1].optional);
    assert_int_equal(l.nnet, 2);
    assert_int_equal(l.ndev, 9); /* the standard nodes */
    assert_int_equal(l.nmounts, 1);
    assert_string_equal(l.mounts[0].source, "/tmp/r/var/snap/prov/common/share");
    cf_launch_release(&l);
    sn_strbuf_release(&out);
    /* AppArmor: every placeholder replaced, the profile named after the tag */
    sec_render_apparmor(&t, &pol, &out);
    assert_null(strstr(out.buf, "###"));
    assert_non_null(
        strstr(out.buf, "profile \"snap.hello.env\" flags=(attach_disconnected,mediate_deleted)"));
    sn_strbuf_release(&out);
    t.devmode = true;
    sec_render_apparmor(&t, &pol, &out);
    assert_non_null(strstr(out.buf, "mediate_deleted,complain)"));
    sn_strbuf_release(&out);
    sec_devices_release(&devs);
    iface_policy_release(&pol);
    snap_info_free(info);
}

/* Setup commits launch descriptions (and updates running apps' device cgroups) only under the
 * device lock, which every launch holds shared from reading its description until it is in
 * its group (confine/devcgroup.h): a launch in progress makes setup wait before the commit. */
static void test_setup_waits_for_launches(void **state) {
    char root[] = "/tmp/snapc-sec-XXXXXX";
    assert_non_null(mkdtemp(root));
    struct snap_info *info = NULL;
    struct sn_err err = SN_ERR_INIT;
    const char *y =
        "name: hello\nversion: '1.0'\nbase: core22\napps:\n  run:\n    command: bin/x\n";
    assert_int_equal(snap_yaml_parse(y, strlen(y), "snap.yaml", &info, NULL, &err), 0);
    SN_AUTOFREE char *confdir = xasprintf("%s/var/lib/snapd/confine", root);
    assert_int_equal(sn_mkpath(confdir, 0755, &err), 0);
    SN_AUTOFREE char *launch = xasprintf("%s/snap.hello.run.launch", confdir);
    int lock = cf_devcgroup_lock(root, false, &err); /* a launch holds it */
    assert_true(lock >= 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        (void)close(lock); /* the parent's lock, not ours (flock locks follow the open file) */
        struct sn_err cerr = SN_ERR_INIT;
        _exit(security_setup_snap(root, info, "x1", NULL, NULL, NULL, &cerr) == 0 ? 0 : 1);
    }
    struct timespec ts = {0, 300 * 1000 * 1000};
    (void)nanosleep(&ts, NULL);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, WNOHANG), 0); /* still waiting */
    assert_false(sn_path_exists(launch));            /* nothing a launch reads has changed */
    (void)close(lock);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_true(sn_path_exists(launch));
    struct stat sb;
    SN_AUTOFREE char *lockfile = xasprintf("%s%s", root, CF_DEVCGROUP_LOCK);
    assert_int_equal(stat(lockfile, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600); /* no user can open it to hold it */
    /* with no confine directory (nothing installed) a launch takes no lock */
    char empty[] = "/tmp/snapc-sec-XXXXXX";
    assert_non_null(mkdtemp(empty));
    assert_int_equal(cf_devcgroup_lock(empty, false, &err), -ENOENT);
    assert_int_equal(sn_rm_rf(empty, &err), 0);
    assert_int_equal(sn_rm_rf(root, &err), 0);
    snap_info_free(info);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setup_waits_for_launches),
        cmocka_unit_test(test_parse_args),
        cmocka_unit_test(test_parse_directives_and_errors),
        cmocka_unit_test(test_compile_and_load_template),
        cmocka_unit_test(test_complain),
        cmocka_unit_test(test_blob_header),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_render_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
