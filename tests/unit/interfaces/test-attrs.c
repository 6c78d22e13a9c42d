/* SPDX-License-Identifier: GPL-3.0-only
 * Attribute typing (go-yaml v2 rules), JSON persistence round trip, path cleaning, and the
 * seccomp syntax checker.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "fs.h"
#include "iface-internal.h"
#include "seccomp-syntax.h"

#include "banned.h"

static struct sn_ydoc *parse(const char *y) {
    struct sn_ydoc *doc = NULL;
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(sn_yaml_parse(y, strlen(y), "t", NULL, &doc, &err), 0);
    return doc;
}

static void test_types(void **state) {
    static const struct {
        const char *yaml;
        enum iface_attr_type type;
    } cases[] = {
        {"v: 17", IFACE_ATTR_INT},
        {"v: -3", IFACE_ATTR_INT},
        {"v: 0x0403", IFACE_ATTR_INT},
        {"v: 0755", IFACE_ATTR_INT},
        {"v: 1_000", IFACE_ATTR_INT},
        {"v: 0b101", IFACE_ATTR_INT},
        {"v: '17'", IFACE_ATTR_STRING},
        {"v: \"0x10\"", IFACE_ATTR_STRING},
        {"v: 1.5", IFACE_ATTR_FLOAT},
        {"v: .inf", IFACE_ATTR_FLOAT},
        {"v: 1e5", IFACE_ATTR_FLOAT},
        {"v: 1.2.3", IFACE_ATTR_STRING},
        {"v: true", IFACE_ATTR_BOOL},
        {"v: yes", IFACE_ATTR_BOOL},
        {"v: Off", IFACE_ATTR_BOOL},
        {"v: ~", IFACE_ATTR_NULL},
        {"v: null", IFACE_ATTR_NULL},
        {"v:", IFACE_ATTR_NULL},
        {"v: /dev/ttyS0", IFACE_ATTR_STRING},
        {"v: 08", IFACE_ATTR_FLOAT}, /* as go-yaml v2 */
        {"v: [a, b]", IFACE_ATTR_LIST},
        {"v: {a: 1}", IFACE_ATTR_MAP},
        {"v: 99999999999999999999", IFACE_ATTR_FLOAT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sn_ydoc *d = parse(cases[i].yaml);
        const struct sn_ynode *v = iface_attrs_get(d->root, "v");
        if (iface_attr_type_of(v) != cases[i].type) {
            print_error("%s: got %s\n", cases[i].yaml, iface_attr_type_name(iface_attr_type_of(v)));
        }
        assert_int_equal(iface_attr_type_of(v), cases[i].type);
        sn_ydoc_free(d);
    }
    struct sn_ydoc *d =
        parse("a: 0x0403\nb: '5'\nc: -9223372036854775808\nd: 9223372036854775808\n");
    int64_t v = 0;
    assert_int_equal(iface_attr_int(iface_attrs_get(d->root, "a"), &v), 0);
    assert_int_equal(v, 0x403);
    assert_int_equal(iface_attr_int(iface_attrs_get(d->root, "b"), &v), -EINVAL);
    assert_string_equal(iface_attr_str(iface_attrs_get(d->root, "b")), "5");
    assert_int_equal(iface_attr_int(iface_attrs_get(d->root, "c"), &v), 0);
    assert_true(v == INT64_MIN);
    assert_int_equal(iface_attr_int(iface_attrs_get(d->root, "d"), &v), -ERANGE);
    assert_null(iface_attrs_get(d->root, "interface"));
    sn_ydoc_free(d);
}

static void test_json_round_trip(void **state) {
    struct sn_ydoc *d = parse(
        "interface: serial-port\npath: /dev/ttyS0\nusb-vendor: 0x0403\n"
        "ok: yes\nf: 1.5\nlist: [a, \"b\\\"c\", 3]\nmap: {k: v}\nn: ~\n"
        "s: '17'\n");
    struct sn_strbuf sb = SN_STRBUF_INIT;
    iface_attrs_to_json(d->root, &sb);
    assert_string_equal(sb.buf,
                        "{\"path\":\"/dev/ttyS0\",\"usb-vendor\":1027,\"ok\":true,\"f\":1.5,"
                        "\"list\":[\"a\",\"b\\\"c\",3],\"map\":{\"k\":\"v\"},\"n\":null,"
                        "\"s\":\"17\"}");
    struct sn_ydoc *back = NULL;
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_attrs_from_json(sb.buf, &back, &err), 0);
    int64_t v = 0;
    assert_int_equal(iface_attr_int(iface_attrs_get(back->root, "usb-vendor"), &v), 0);
    assert_int_equal(v, 1027);
    assert_string_equal(iface_attr_str(iface_attrs_get(back->root, "s")), "17");
    assert_int_equal(iface_attr_bool(iface_attrs_get(back->root, "ok")), 1);
    /* and again: a fixed point */
    struct sn_strbuf sb2 = SN_STRBUF_INIT;
    iface_attrs_to_json(back->root, &sb2);
    assert_string_equal(sb.buf, sb2.buf);
    sn_strbuf_release(&sb);
    sn_strbuf_release(&sb2);
    sn_ydoc_free(back);
    sn_ydoc_free(d);

    sb = (struct sn_strbuf)SN_STRBUF_INIT;
    iface_attrs_to_json(NULL, &sb);
    assert_string_equal(sb.buf, "{}");
    sn_strbuf_release(&sb);
    assert_int_equal(iface_attrs_from_json("[1, 2]", &back, &err), -EINVAL);
    assert_int_equal(iface_attrs_from_json("{\"a\": ", &back, &err) < 0, 1);
}

static void test_path_clean(void **state) {
    static const char *const cases[][2] = {
        {"/a/b", "/a/b"},
        {"/a//b/", "/a/b"},
        {"/a/./b", "/a/b"},
        {"/a/../b", "/b"},
        {"/..", "/"},
        {"/../a", "/a"},
        {"a/../..", ".."},
        {"", "."},
        {"../a/b", "../a/b"},
        {"./", "."},
        {"/", "/"},
        {"a/b/../../c", "c"},
        {"/dev/../dev/ttyS0", "/dev/ttyS0"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *c = sn_path_clean(cases[i][0]);
        assert_string_equal(c, cases[i][1]);
        free(c);
    }
    assert_true(iface_path_is_clean("/etc/foo"));
    assert_false(iface_path_is_clean("/etc/../foo"));
    assert_int_equal(iface_aare_char("/etc/f*o"), '*');
    assert_int_equal(iface_aare_char("/etc/foo"), 0);
}

static void test_seccomp_syntax(void **state) {
    static const char *const good[] = {
        "",
        "# comment",
        "bind",
        "socket AF_NETLINK - NETLINK_ROUTE",
        "setns - CLONE_NEWNET",
        "quotactl Q_GETQUOTA - - -",
        "mknod - |S_IFCHR -",
        "setpriority PRIO_PROCESS 0 >=0",
        "chown - u:root g:root",
        "ioctl - TIOCSTI",
        "  kill   ",
        "socket AF_CAN - CAN_RAW",
        "a 1 2 3 4 5 6",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct sn_err err = SN_ERR_INIT;
        int r = iface_seccomp_check_line(good[i], false, &err);
        if (r != 0) {
            print_error("'%s': %s\n", good[i], err.msg);
        }
        assert_int_equal(r, 0);
    }
    static const char *const bad[] = {
        "Bind",              /* names are lowercase */
        "socket AF_NOPE",    /* unknown symbol */
        "socket 0x10",       /* snapd reads decimal only */
        "socket 4294967296", /* 32-bit */
        "a 1 2 3 4 5 6 7",   /* too many arguments */
        "~ptrace",           /* template only */
        "@unrestricted",     /* template only */
        "chown - u:Root",
        "kill >",
        "socket AF_INET; rm",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sn_err err = SN_ERR_INIT;
        if (iface_seccomp_check_line(bad[i], false, &err) != -EINVAL) {
            print_error("accepted '%s'\n", bad[i]);
        }
        assert_int_equal(iface_seccomp_check_line(bad[i], false, &err), -EINVAL);
        assert_true(err.msg[0] != '\0');
    }
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_seccomp_check_line("~ptrace", true, &err), 0);
    assert_int_equal(iface_seccomp_check_line("@complain", true, &err), 0);
    assert_int_equal(iface_seccomp_check("bind\nlisten\nsocket AF_FOO\n", false, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "line 3"));
    uint64_t v = 0;
    assert_int_equal(iface_seccomp_symbol("AF_CONN", &v), 0);
    assert_int_equal(v, 123);
    assert_int_equal(iface_seccomp_symbol("NETLINK_ROUTE", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(iface_seccomp_symbol("nope", &v), -ENOENT);
    assert_non_null(iface_seccomp_symbol_at(0));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_path_clean),
        cmocka_unit_test(test_seccomp_syntax),
    };
    return cmocka_run_group_tests_name("interfaces-attrs", tests, NULL, NULL);
}
