/* SPDX-License-Identifier: GPL-3.0-only
 * Unit tests for snapd-c/common/snap-yaml: the model, and snapd's rules as a table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "snap-yaml.h"
#include "banned.h"

#define HDR "name: tt\nversion: '1'\n"

static struct snap_info *ok_yaml(const char *y) {
    struct snap_info *info = NULL;
    struct sn_err err = SN_ERR_INIT;
    int r = snap_yaml_parse(y, strlen(y), "snap.yaml", &info, NULL, &err);
    if (r != 0) {
        print_error("unexpected error: %s\nfor:\n%s\n", err.msg, y);
    }
    assert_int_equal(r, 0);
    return info;
}

static void test_model(void **state) {
    struct snap_info *i = ok_yaml(
        "name: hello\nversion: 1.0\nsummary: s\nbase: core22\nconfinement: devmode\n"
        "grade: devel\nepoch: 1*\narchitectures: [amd64, arm64]\n"
        "plugs:\n  net: network\n  data:\n    interface: content\n    target: $SNAP/data\n"
        "    read: [a, b]\n  home:\n"
        "slots:\n  srv:\n    interface: network-bind\n"
        "apps:\n  hello:\n    command: bin/hello --x\n    plugs: [serial-port, net]\n"
        "    environment:\n      A: 1\n"
        "  svc:\n    command: bin/svc\n    daemon: simple\n    stop-timeout: 10s\n"
        "    restart-condition: always\n    after: [other]\n"
        "  other:\n    command: bin/o\n    daemon: oneshot\n"
        "hooks:\n  install:\n    plugs: [network]\n");
    assert_string_equal(i->name, "hello");
    assert_string_equal(i->version, "1.0");
    assert_int_equal(i->confinement, SNAP_CONFINE_DEVMODE);
    assert_int_equal(i->grade, SNAP_GRADE_DEVEL);
    assert_string_equal(i->epoch, "1*");
    assert_string_equal(i->base, "core22");
    assert_int_equal(i->napps, 3);
    const struct snap_app *svc = snap_info_app(i, "svc");
    assert_string_equal(svc->daemon, "simple");
    assert_int_equal(svc->stop_timeout_ns, 10000000000LL);
    /* net was named by app hello only; data/home are unscoped and bound to every app+hook */
    const struct snap_plugslot *net = snap_info_plug(i, "net");
    assert_string_equal(net->iface, "network");
    assert_string_equal(net->apps[0], "hello");
    assert_null(net->apps[1]);
    const struct snap_plugslot *data = snap_info_plug(i, "data");
    assert_true(data->unscoped);
    assert_non_null(data->attrs);
    assert_string_equal(data->hooks[0], "install");
    const struct snap_plugslot *serial = snap_info_plug(i, "serial-port");
    assert_string_equal(serial->iface, "serial-port");
    assert_string_equal(snap_info_plug(i, "home")->iface, "home");
    char *fn = snap_pack_filename(i);
    assert_string_equal(fn, "hello_1.0_multi.snap");
    free(fn);
    snap_info_free(i);
}

static void test_defaults(void **state) {
    struct snap_info *i = ok_yaml(HDR);
    assert_int_equal(i->type, SNAP_TYPE_APP);
    assert_int_equal(i->confinement, SNAP_CONFINE_STRICT);
    assert_string_equal(i->epoch, "0");
    assert_string_equal(i->architectures[0], "all");
    char *fn = snap_pack_filename(i);
    assert_string_equal(fn, "tt_1_all.snap");
    free(fn);
    snap_info_free(i);
}

static void test_implicit_hooks(void **state) {
    struct snap_info *i = ok_yaml(HDR "plugs:\n  network:\nhooks:\n  configure:\n");
    char *names[] = {"install", "configure", "not-a-hook", NULL};
    snap_info_add_implicit_hooks(i, names);
    assert_int_equal(i->nhooks, 2);
    assert_string_equal(i->hooks[1].name, "install");
    assert_true(i->hooks[1].implicit);
    assert_string_equal(i->hooks[1].plugs[0], "network");
    snap_info_free(i);
}

struct bad_case {
    const char *yaml;
    const char *want; /* substring of the first error */
};

static const struct bad_case bad[] = {
    {"version: 1\n", "snap name cannot be empty"},
    {"name: Hello\nversion: 1\n", "invalid snap name"},
    {"name: a\nversion: 1\n", "longer than 1 character"},
    {"name: a--b\nversion: 1\n", "two dashes"},
    {"name: -ab\nversion: 1\n", "start with a dash"},
    {"name: '123'\nversion: 1\n", "at least one letter"},
    {"name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nversion: 1\n", "longer than 40"},
    {"name: tt\n", "snap version cannot be empty"},
    {"name: tt\nversion: '-1'\n", "invalid snap version"},
    {"name: tt\nversion: 1.0-\n", "invalid snap version"},
    {"name: tt\nversion: '1 0'\n", "invalid snap version"},
    {"name: tt\nversion: 123456789012345678901234567890123\n", "longer than 32"},
    {HDR "type: application\n", "invalid type"},
    {HDR "confinement: strickt\n", "invalid confinement"},
    {HDR "grade: beta\n", "invalid grade"},
    {HDR "epoch: 01\n", "invalid epoch"},
    {HDR "epoch: {read: [2, 1]}\n", "strictly increasing"},
    {HDR "epoch: {read: [1], write: [2]}\n", "in common"},
    {HDR "title: 12345678901234567890123456789012345678901\n", "up to 40"},
    {HDR "apps:\n  -bad:\n    command: x\n", "as app name"},
    {HDR "apps:\n  a:\n    command: 'x;y'\n", "contains illegal"},
    {HDR "apps:\n  a:\n    command: x\n    daemon: sometimes\n", "not a valid daemon type"},
    {HDR "apps:\n  a:\n    command: x\n    daemon: simple\n    restart-condition: maybe\n",
     "invalid restart condition"},
    {HDR "apps:\n  a:\n    command: x\n    stop-mode: sigterm\n", "only for services"},
    {HDR "apps:\n  a:\n    command: x\n    daemon: simple\n    stop-timeout: forever\n",
     "invalid duration"},
    {HDR "apps:\n  a:\n    command: x\n    daemon: simple\n    after: [b]\n",
     "missing application"},
    {HDR "apps:\n  a:\n    command: x\n    daemon: simple\n    after: [a]\n", "itself"},
    {HDR "apps:\n  a:\n    command: x\n    daemon: simple\n    sockets:\n      s:\n"
         "        listen-stream: /tmp/x\n",
     "must be prefixed"},
    {HDR "apps:\n  a:\n    command: x\n    daemon: simple\n    sockets:\n      s:\n"
         "        listen-stream: 99999\n",
     "port number"},
    {HDR "apps:\n  a: [x]\n", "expected a map"},
    {HDR "apps: [x]\n", "expected a map of app names"},
    {HDR "plugs:\n  Bad:\n", "invalid plug name"},
    {HDR "plugs:\n  p:\n    interface: Bad_Iface\n", "invalid interface name"},
    {HDR "plugs:\n  p:\n    interface: [x]\n", "interface name must be a string"},
    {HDR "plugs:\n  p:\n    $x: 1\n", "reserved attribute"},
    {HDR "plugs:\n  p: [1]\n", "malformed definition"},
    {HDR "plugs:\n  x:\nslots:\n  x:\n", "same name"},
    {HDR "hooks:\n  Bad_Hook:\n", "invalid hook name"},
    {HDR "layout:\n  /usr/share/x:\n    bind: /etc/x\n", "invalid bind mount source"},
    {HDR "layout:\n  /proc/x:\n    bind: $SNAP/x\n", "off-limits"},
    {HDR "layout:\n  usr/x:\n    bind: $SNAP/x\n", "absolute and clean"},
    {HDR "layout:\n  /usr/x/:\n    bind: $SNAP/x\n", "absolute and clean"},
    {HDR "layout:\n  /usr/x:\n    bind: $SNAP/x\n    symlink: $SNAP/y\n", "either"},
    {HDR "layout:\n  /usr/x:\n    type: ext4\n", "invalid filesystem"},
    {HDR "layout:\n  /usr/x:\n    mode: 0644\n", "must define"},
    {HDR "architectures: [all, amd64]\n", "'all'"},
    {HDR "name: tt\n", "duplicate key 'name'"},
    {"- a\n- b\n", "expected a map at the top level"},
    {"", "file is empty"},
    {"name: [t]\nversion: 1\n", "expected a string"},
    {HDR "environment: [a]\n", "expected a map"},
    {HDR "base: Bad\n", "invalid base name"},
    {HDR "type: base\nbase: core22\n", "cannot have \"base\" field"},
};

static void test_bad_table(void **state) {
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct snap_info *info = NULL;
        struct sn_err err = SN_ERR_INIT;
        int r = snap_yaml_parse(bad[i].yaml, strlen(bad[i].yaml), "snap.yaml", &info, NULL, &err);
        if (r == 0 || strstr(err.msg, bad[i].want) == NULL) {
            print_error("case %zu: want error containing '%s', got r=%d '%s'\nfor:\n%s\n", i,
                        bad[i].want, r, err.msg, bad[i].yaml);
            snap_info_free(info);
            fail();
        }
        assert_null(info);
        /* every message names the file */
        assert_true(strncmp(err.msg, "snap.yaml", 9) == 0);
    }
}

static void test_positions_and_all_problems(void **state) {
    const char *y = "name: tt\nversion: '1'\napps:\n  a:\n    command: x\n    daemon: nope\n"
                    "  b:\n    command: 'y!'\n";
    struct snap_info *info = NULL;
    struct snap_problems probs = {0};
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(snap_yaml_parse(y, strlen(y), "snap.yaml", &info, &probs, &err), -EINVAL);
    assert_int_equal(probs.n, 2);
    assert_non_null(strstr(probs.msgs[0], "snap.yaml:6:13: apps.a.daemon:"));
    assert_non_null(strstr(probs.msgs[1], "snap.yaml:8:14: apps.b.command:"));
    snap_problems_release(&probs);
}

static void test_good_table(void **state) {
    static const char *good[] = {
        HDR "unknown-key: {whatever: [1, 2]}\n",
        HDR "apps:\n  a:\n    command: x\n    unknown-app-key: 3\n",
        "name: tt\nversion: 1.0~rc1+git\n",
        "name: tt\nversion: 1:2.3\n",
        HDR "epoch: {read: [0, 1], write: [1]}\n",
        HDR "epoch: 5\n",
        HDR "type: base\nbase: bare\n",
        HDR "base: bare\n",
        HDR "plugs:\n  p:\n    interface: content\n    content: x\n    nested: {a: [1, {b: c}]}\n",
        HDR "apps:\n  a:\n    command: $SNAP/bin/x arg\n    command-chain: [bin/wrap]\n",
        HDR "apps:\n  a:\n    command: x\n    daemon: simple\n    sockets:\n      sock:\n"
            "        listen-stream: $SNAP_DATA/s.sock\n        socket-mode: 0666\n"
            "      tcp:\n        listen-stream: 127.0.0.1:8080\n      p:\n        listen-stream: 80\n",
        HDR "layout:\n  /usr/share/x:\n    bind: $SNAP/x\n  /etc/y.conf:\n    bind-file: $SNAP_DATA/y\n"
            "  /var/tmp/z:\n    type: tmpfs\n  /usr/lib/l:\n    symlink: $SNAP/l\n",
        HDR "summary: '" "12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            "123456789012345678901234567890123456789012345678'\n",
        HDR "a: &anchor {x: 1}\nb: *anchor\n",
        HDR "apps:\n  a:\n    command: x\n    refresh-mode: ignore-running\n",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snap_info_free(ok_yaml(good[i]));
    }
}

static void test_name_helpers(void **state) {
    assert_null(snap_instance_name_problem("foo_bar1"));
    assert_non_null(snap_instance_name_problem("foo_"));
    assert_non_null(snap_instance_name_problem("foo_BAR"));
    assert_non_null(snap_instance_name_problem("foo_a_b"));
    assert_non_null(snap_instance_name_problem("../etc"));
    assert_true(snap_hook_type_supported("connect-plug-foo"));
    assert_false(snap_hook_type_supported("connect-plug-"));
    assert_false(snap_hook_type_supported("post-install"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model),       cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_implicit_hooks), cmocka_unit_test(test_bad_table),
        cmocka_unit_test(test_positions_and_all_problems), cmocka_unit_test(test_good_table),
        cmocka_unit_test(test_name_helpers),
    };
    return cmocka_run_group_tests_name("snap-yaml", tests, NULL, NULL);
}
