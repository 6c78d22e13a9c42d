/* SPDX-License-Identifier: GPL-3.0-only
 * Unit tests for confine/: the launch description parser and its token codec, name rules,
 * SHA3-384, the seccomp blob checks, $VAR expansion (Go's os.Expand) and the command line.
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

#include "cleanup.h"
#include "env.h"
#include "invocation.h"
#include "launch.h"
#include "seccomp-blob.h"
#include "seccomp-load.h"
#include "sha3.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

#define GOOD_HEAD                                                                      \
    "snapc-launch 1\ntag snap.hello.env\nsnap hello\ninstance hello\ninstance-key -\n" \
    "revision x1\nversion 1.0\nbase busybox-base\narch amd64\nconfinement strict\nkind app\n"
#define GOOD_DIGEST \
    "seccomp "      \
    "0c63a75b845e4f7d01107d852e4c2485c51a50aaaa94fc61995e71bbee983a2ac3713831264adb47fb6bd1e058d5f004 0\n"

static int parse(const char *text, struct cf_launch *l, struct sn_err *err) {
    SN_AUTOFREE char *copy = xstrdup(text);
    return cf_launch_parse(copy, strlen(copy), l, err);
}

static void test_parse_good(void **state) {
    const char *text = GOOD_HEAD
        "exec /snap/hello/x1/bin/chain\nexec /snap/hello/x1/bin/hello-env\narg --all\n"
        "arg with%20space%0Aand%25\nenv GREETING=Hello%20world\nenv X=\xc3\xa9\xff\n" GOOD_DIGEST
        "fs? rx /usr\nfs rwm $SNAP_USER_DATA\nfs rwd /dev/null\nnet bind 80\nnet connect 443\n"
        "device c 1:3\ndevice c 136:*\ndevice b 7:0\nmount ro /tmp/r/src /snap/hello/x1/ext\n"
        "mount rw? /tmp/r/var/lib/x /var/lib/x\nend\n";
    struct cf_launch l;
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(parse(text, &l, &err), 0);
    assert_string_equal(l.tag, "snap.hello.env");
    assert_string_equal(l.instance_key, "");
    assert_int_equal(l.kind, CF_KIND_APP);
    assert_int_equal(l.confinement, CF_CONFINE_STRICT);
    assert_int_equal(l.nexec, 2);
    assert_string_equal(l.exec[1], "/snap/hello/x1/bin/hello-env");
    assert_int_equal(l.nargs, 2);
    assert_string_equal(l.args[1], "with space\nand%");
    assert_string_equal(l.env[0], "GREETING=Hello world");
    assert_string_equal(l.env[1], "X=\xc3\xa9\xff");
    assert_int_equal(l.seccomp_size, 0);
    assert_int_equal(l.seccomp_sha3[0], 0x0c);
    assert_int_equal(l.nfs, 3);
    assert_true(l.fs[0].optional);
    assert_int_equal(l.fs[1].access, CF_FS_READ | CF_FS_WRITE | CF_FS_MAKE);
    assert_int_equal(l.fs[2].access, CF_FS_READ | CF_FS_WRITE | CF_FS_DEVICE);
    assert_int_equal(l.nnet, 2);
    assert_true(l.net[0].bind);
    assert_int_equal(l.net[1].port, 443);
    assert_int_equal(l.ndev, 3);
    assert_int_equal(l.dev[1].minor, -1);
    assert_int_equal(l.dev[2].type, 'b');
    assert_int_equal(l.nmounts, 2);
    assert_true(l.mounts[0].read_only);
    assert_false(l.mounts[0].optional);
    assert_false(l.mounts[1].read_only);
    assert_true(l.mounts[1].optional);
    cf_launch_release(&l);
}

static void test_parse_bad(void **state) {
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"", "truncated"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST, "no end line"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "end", "truncated"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "end\nend\n", "data after end"},
        {"snapc-launch 2\n", "unsupported"},
        {"something 1\n", "not a launch"},
        {GOOD_HEAD "exec /snap/other/x1/bin/a\n" GOOD_DIGEST "end\n", "inside the snap"},
        {GOOD_HEAD "exec /snap/hello/x1/../../../bin/sh\n" GOOD_DIGEST "end\n", "inside the snap"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\nenv 1X=y\n" GOOD_DIGEST "end\n", "invalid env"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\nenv NOEQUALS\n" GOOD_DIGEST "end\n", "invalid env"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\nfs rwz /x\n" GOOD_DIGEST "end\n", "missing seccomp"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "arg late\nend\n", "out of order"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "fs rwz /x\nend\n", "invalid fs"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "fs rr /x\nend\n", "invalid fs"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "fs r x\nend\n", "invalid fs"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "fs r /a/../b\nend\n", "invalid fs"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "net bind 0\nend\n", "invalid net"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "net bind 65536\nend\n",
         "invalid net"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "device x 1:3\nend\n",
         "invalid device"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "device c *:3\nend\n",
         "device number"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "mount ro /a /\nend\n",
         "invalid mount"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "mount r /a /b\nend\n",
         "invalid mount"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "mount ro?? /a /b\nend\n",
         "invalid mount"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\nseccomp 00 1\nend\n", "invalid seccomp"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\nend\n", "missing seccomp"},
        {GOOD_HEAD GOOD_DIGEST "end\n", "missing exec"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\n" GOOD_DIGEST "bogus 1\nend\n", "unknown key"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\narg a%41\n" GOOD_DIGEST "end\n", "bad escape"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\narg a%00\n" GOOD_DIGEST "end\n", "bad escape"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\narg a%2\n" GOOD_DIGEST "end\n", "bad escape"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\narg a\tb\n" GOOD_DIGEST "end\n", "bad escape"},
        {GOOD_HEAD "exec /snap/hello/x1/bin/a\narg  a\n" GOOD_DIGEST "end\n", "empty field"},
        {"snapc-launch 1\ntag snap.hello.env\nsnap other\n", "invalid"},
        {"snapc-launch 1\ntag snap.hello.env\nsnap hello\ninstance hello\ninstance-key -\n"
         "revision 0\n",
         "invalid revision"},
        {"snapc-launch 1\ntag snap.hello.env\nsnap hello\ninstance hellp\ninstance-key -\n",
         "instance does not match"},
        {"snapc-launch 1\ntag snap.Hello.env\n", "invalid tag"},
        {"snapc-launch 1\nsnap hello\n", "expected 'tag VALUE'"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cf_launch l;
        struct sn_err err = SN_ERR_INIT;
        int r = parse(bad[i].text, &l, &err);
        if (r == 0 || strstr(err.msg, bad[i].want) == NULL) {
            print_error("case %zu: r=%d msg='%s' want '%s'\n", i, r, err.msg, bad[i].want);
        }
        assert_true(r < 0);
        assert_non_null(strstr(err.msg, bad[i].want));
    }
}

static void test_too_big(void **state) {
    size_t n = CF_LAUNCH_MAX_SIZE + 10;
    char *big = xmalloc(n + 1);
    memset(big, 'a', n);
    big[n - 1] = '\n';
    big[n] = '\0';
    struct cf_launch l;
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(cf_launch_parse(big, n, &l, &err), -EFBIG);
    free(big);
}

static void test_token_codec(void **state) {
    char in[256];
    for (int i = 0; i < 255; i++) {
        in[i] = (char)(i + 1); /* every byte but NUL */
    }
    char enc[CF_TOKEN_ENC_MAX(255) + 1];
    size_t n = cf_token_encode(in, 255, enc);
    assert_null(memchr(enc, ' ', n));
    assert_null(memchr(enc, '\n', n));
    assert_int_equal(cf_token_decode(enc, n), 255);
    assert_memory_equal(enc, in, 255);
    char lower[] = "%0a";
    assert_int_equal(cf_token_decode(lower, 3), -EINVAL); /* canonical is upper-case */
}

static void test_names(void **state) {
    assert_true(cf_valid_snap_name("hello"));
    assert_true(cf_valid_snap_name("a-1"));
    assert_false(cf_valid_snap_name("1234"));
    assert_false(cf_valid_snap_name("a--b"));
    assert_false(cf_valid_snap_name("-a"));
    assert_false(cf_valid_snap_name("Hello"));
    assert_true(cf_valid_app_name("Env-2"));
    assert_false(cf_valid_app_name("a.b"));
    assert_true(cf_valid_hook_name("post-refresh"));
    assert_false(cf_valid_hook_name("1hook"));
    assert_true(cf_valid_revision("x1"));
    assert_true(cf_valid_revision("123"));
    assert_false(cf_valid_revision("x0"));
    assert_false(cf_valid_revision("-1"));
    char inst[64], app[64];
    bool hook;
    assert_true(cf_parse_tag("snap.foo_bar.hook.configure", inst, app, &hook));
    assert_string_equal(inst, "foo_bar");
    assert_string_equal(app, "configure");
    assert_true(hook);
    assert_true(cf_parse_tag("snap.foo.app", inst, app, &hook));
    assert_false(hook);
    assert_false(cf_parse_tag("snap.foo", inst, app, &hook));
    assert_false(cf_parse_tag("snap.foo.a.b", inst, app, &hook));
    assert_false(cf_parse_tag("snap.foo_.a", inst, app, &hook));
    assert_false(cf_parse_tag("snap..a", inst, app, &hook));
    assert_true(cf_clean_abs_path("/"));
    assert_true(cf_clean_abs_path("/a/b"));
    assert_false(cf_clean_abs_path("/a/"));
    assert_false(cf_clean_abs_path("/a//b"));
    assert_false(cf_clean_abs_path("/a/./b"));
    assert_false(cf_clean_abs_path("a"));
}

static void hex(const uint8_t *d, char *out) {
    for (int i = 0; i < 48; i++) {
        (void)snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
}

static void test_sha3(void **state) {
    uint8_t d[48];
    char h[97];
    cf_sha3_384("", 0, d);
    hex(d, h);
    assert_string_equal(h,
                        "0c63a75b845e4f7d01107d852e4c2485c51a50aaaa94fc61995e71bbee983a2a"
                        "c3713831264adb47fb6bd1e058d5f004");
    cf_sha3_384("abc", 3, d);
    hex(d, h);
    assert_string_equal(h,
                        "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b2"
                        "98d88cea927ac7f539f1edf228376d25");
    /* 200 x 0xa3: crosses the 104-byte rate (FIPS 202 example) */
    uint8_t m[200];
    memset(m, 0xa3, sizeof(m));
    cf_sha3_384(m, sizeof(m), d);
    hex(d, h);
    assert_string_equal(h,
                        "1881de2ca7e41ef95dc4732b8f5f002b189cc1e42b74168ed1732649ce1dbcdd"
                        "76197a31fd55ee989f2d7050dd473e8f");
}

/* a blob with trivial filters: deny = [RET ALLOW], allow = [RET ALLOW] */
static uint8_t *make_blob(size_t *len, uint32_t deny_insns, uint8_t version) {
    struct cf_seccomp_header h;
    memset(&h, 0, sizeof(h));
    h.magic[0] = 'S';
    h.magic[1] = 'C';
    h.version = version;
    h.len_allow = 8;
    h.len_deny = deny_insns * 8;
    *len = sizeof(h) + h.len_allow + h.len_deny;
    uint8_t *b = xcalloc(1, *len);
    memcpy(b, &h, sizeof(h));
    struct sock_filter ret_allow = BPF_STMT(BPF_RET | BPF_K, 0x7fff0000U);
    for (size_t off = sizeof(h); off < *len; off += 8) {
        memcpy(b + off, &ret_allow, 8);
    }
    return b;
}

static void test_seccomp_blob(void **state) {
    size_t len;
    uint8_t d[48];
    struct cf_seccomp_prog p;
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE uint8_t *b = make_blob(&len, 2, 1);
    cf_sha3_384(b, len, d);
    assert_int_equal(cf_seccomp_check(b, len, len, d, &p, &err), 0);
    assert_int_equal(p.ninsns, 3);
    /* the deny filter's RET ALLOW became jumps to the allow filter */
    assert_int_equal(p.insns[0].code, BPF_JMP | BPF_JA);
    assert_int_equal(p.insns[0].k, 1);
    assert_int_equal(p.insns[1].k, 0);
    assert_int_equal(p.insns[2].code, BPF_RET | BPF_K);
    cf_seccomp_prog_release(&p);
    assert_int_equal(cf_seccomp_check(b, len, len + 1, d, &p, &err), -EBADMSG);
    d[0] ^= 1;
    assert_int_equal(cf_seccomp_check(b, len, len, d, &p, &err), -EBADMSG);
    assert_non_null(strstr(err.msg, "digest"));
    SN_AUTOFREE uint8_t *v2 = make_blob(&len, 1, 2);
    cf_sha3_384(v2, len, d);
    assert_int_equal(cf_seccomp_check(v2, len, len, d, &p, &err), -EBADMSG);
    assert_non_null(strstr(err.msg, "version"));
    SN_AUTOFREE uint8_t *odd = make_blob(&len, 1, 1);
    ((struct cf_seccomp_header *)odd)->len_deny = 7; /* not a whole instruction */
    cf_sha3_384(odd, len, d);
    assert_int_equal(cf_seccomp_check(odd, len, len, d, &p, &err), -EBADMSG);
    uint8_t small[10] = "SC";
    cf_sha3_384(small, sizeof(small), d);
    assert_int_equal(cf_seccomp_check(small, sizeof(small), sizeof(small), d, &p, &err), -EBADMSG);
}

static void test_expand(void **state) {
    struct cf_env e;
    char *init[] = {"A=1", "EMPTY=", "SNAP=/snap/x/1", NULL};
    cf_env_init(&e, init);
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"$A", "1"},
        {"${A}x", "1x"},
        {"$Ax", ""},
        {"$SNAP/bin", "/snap/x/1/bin"},
        {"a$", "a$"},
        {"$/", "$/"},
        {"${}", ""},
        {"${A", "A"},
        {"$$", ""},
        {"$1", ""},
        {"x${EMPTY}y", "xy"},
        {"no vars", "no vars"},
        {"${A}${A}$A", "111"},
        {"$-x", "x"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SN_AUTOFREE char *got = cf_env_expand(&e, cases[i].in);
        if (strcmp(got, cases[i].out) != 0) {
            print_error("expand '%s': got '%s' want '%s'\n", cases[i].in, got, cases[i].out);
        }
        assert_string_equal(got, cases[i].out);
    }
    cf_env_release(&e);
    cf_env_init(&e, init);
    cf_env_set(&e, "A", "2");
    assert_string_equal(cf_env_get(&e, "A"), "2");
    assert_null(cf_env_get(&e, "B"));
    cf_env_release(&e);
}

static void test_invocation(void **state) {
    struct cf_invocation inv;
    struct sn_err err = SN_ERR_INIT;
    char *a1[] = {"/usr/lib/snapc-confine", "--root", "/tmp", "--",
                  "snap.foo.bar",           "--x",    "y",    NULL};
    assert_int_equal(cf_invocation_parse(7, a1, 0, NULL, &inv, &err), 0);
    assert_string_equal(inv.tag, "snap.foo.bar");
    assert_string_equal(inv.root, "/tmp");
    assert_int_equal(inv.nargs, 2);
    assert_string_equal(inv.args[0], "--x");
    cf_invocation_release(&inv);
    /* non-root: --root refused, SNAPC_ROOT ignored */
    assert_int_equal(cf_invocation_parse(7, a1, 1000, NULL, &inv, &err), -EPERM);
    char *a2[] = {"snapc-confine", "snap.foo.bar", NULL};
    assert_int_equal(cf_invocation_parse(2, a2, 1000, "/tmp", &inv, &err), 0);
    assert_string_equal(inv.root, "/");
    cf_invocation_release(&inv);
    /* wrapper */
    char *a3[] = {"/snap/bin/foo.bar", "arg", NULL};
    assert_int_equal(cf_invocation_parse(2, a3, 0, NULL, &inv, &err), 0);
    assert_string_equal(inv.tag, "snap.foo.bar");
    assert_int_equal(inv.nargs, 1);
    cf_invocation_release(&inv);
    char *a4[] = {"/snap/bin/foo", NULL};
    assert_int_equal(cf_invocation_parse(1, a4, 0, NULL, &inv, &err), 0);
    assert_string_equal(inv.tag, "snap.foo.foo");
    cf_invocation_release(&inv);
    char *a5[] = {"snapc-confine", "not-a-tag", NULL};
    assert_int_equal(cf_invocation_parse(2, a5, 0, NULL, &inv, &err), -EINVAL);
    char *a6[] = {"snapc-confine", "--bogus", NULL};
    assert_int_equal(cf_invocation_parse(2, a6, 0, NULL, &inv, &err), -EINVAL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),   cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_too_big),      cmocka_unit_test(test_token_codec),
        cmocka_unit_test(test_names),        cmocka_unit_test(test_sha3),
        cmocka_unit_test(test_seccomp_blob), cmocka_unit_test(test_expand),
        cmocka_unit_test(test_invocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
