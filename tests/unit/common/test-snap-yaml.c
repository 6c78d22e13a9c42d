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

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "gadget-lite.h"
#include "goyaml.h"
#include "kernel-lite.h"
#include "snap-yaml.h"

#include "banned.h"

#define HDR "name: tt\nversion: '1'\n"

static size_t strv_count(char *const *v) {
    size_t n = 0;
    while (v != NULL && v[n] != NULL) {
        n++;
    }
    return n;
}

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
    /* names and versions (snap/naming, ValidateVersion) */
    {"version: 1\n", "snap name cannot be empty"},
    {"", "snap name cannot be empty"},
    {"# only a comment\n", "snap name cannot be empty"},
    {"---\n---\n" HDR, "snap name cannot be empty"},
    {"name: Hello\nversion: 1\n", "invalid snap name"},
    {"name: a\nversion: 1\n", "longer than 1 character"},
    {"name: a--b\nversion: 1\n", "two dashes"},
    {"name: -ab\nversion: 1\n", "start with a dash"},
    {"name: '123'\nversion: 1\n", "at least one letter"},
    {"name: ab_1\nversion: 1\n", "invalid snap name"},
    {"name: |\n  ab\nversion: 1\n", "invalid snap name"},
    {"name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nversion: 1\n", "longer than 40"},
    {"name: tt\n", "invalid snap version: cannot be empty"},
    {"name: tt\nversion: ~\n", "invalid snap version: cannot be empty"},
    {"name: tt\nversion: '-1'\n", "must start with an ASCII alphanumeric"},
    {"name: tt\nversion: 1.0-\n", "must end with an ASCII alphanumeric"},
    {"name: tt\nversion: '1 0'\n", "printable, non-whitespace ASCII"},
    {"name: tt\nversion: 'a_b'\n", "contains invalid characters: \"_\""},
    {"name: tt\nversion: 123456789012345678901234567890123\n", "longer than 32"},
    {"name: tt\nversion: \"1\\0\"\n", "printable"},
    {HDR "title: 12345678901234567890123456789012345678901\n", "up to 40"},
    {HDR "provenance: global-upload\n", "provenance cannot be set to default"},
    {HDR "provenance: a_b\n", "invalid provenance"},
    /* YAML layer (go-yaml v2) */
    {"- a\n- b\n", "a map of snap.yaml fields"},
    {"name: [t]\nversion: 1\n", "expected a string"},
    {"%YAML 1.2\n---\n" HDR, "incompatible YAML document"},
    {HDR "x: *nope\n", "unknown anchor"},
    {HDR "<<: 5\n", "map merge requires map"},
    {HDR "summary: !!int abc\n", "cannot decode"},
    {HDR "x: [a?b]\n", "did not find expected ','"},
    {HDR "? [a]\n: x\n", "expected a string key"},
    {"name: [x]\nname: tt\nversion: 1\n", "expected a string"},
    {HDR "layouts:\n  /usr/x: {type: tmpfs}\n", "typo detected"},
    /* top-level fields */
    {HDR "type: core\n", "invalid snap type"},
    {HDR "type: ''\n", "invalid snap type"},
    {HDR "confinement: strickt\n", "invalid confinement"},
    {HDR "architectures: amd64\n", "a list of strings"},
    {HDR "assumes: {a: 1}\n", "a list of strings"},
    {HDR "summary: {a: 1}\n", "expected a string"},
    {HDR "license: GPL\n", "unknown license"},
    {HDR "base: Bad\n", "invalid base name"},
    {HDR "base: core_x\n", "cannot specify a snap instance name"},
    {HDR "type: base\nbase: core22\n", "cannot have \"base\" field"},
    {HDR "type: os\nbase: bare\n", "cannot have \"base\" field"},
    {HDR "base: none\napps:\n  a:\n    command: x\n", "cannot have apps or hooks"},
    {HDR "base: none\nhooks:\n  install:\n", "cannot have apps or hooks"},
    /* epoch */
    {HDR "epoch: 01\n", "base 10 with no zero padding"},
    {HDR "epoch: 1**\n", "base 10 with no zero padding, but got \"1*\""},
    {HDR "epoch: 0*\n", "0* is an invalid epoch"},
    {HDR "epoch: 4294967296\n", "less than 2"},
    {HDR "epoch: [1]\n", "cannot unmarshal a list"},
    {HDR "epoch: {read: [2, 1]}\n", "strictly increasing"},
    {HDR "epoch: {read: [0, 1, 1]}\n", "strictly increasing"},
    {HDR "epoch: {read: [1], write: [2]}\n", "non-empty intersection"},
    {HDR "epoch: {read: []}\n", "cannot be explicitly empty"},
    {HDR "epoch: {read: '1'}\n", "lists of epoch numbers"},
    {HDR "epoch: {read: [0,1,2,3,4,5,6,7,8,9,10]}\n", "more than 10"},
    /* environment (strutil.OrderedMap) */
    {HDR "environment: [a]\n", "expected a map"},
    {HDR "environment:\n  A: 1\n  A: 2\n", "duplicate key \"A\""},
    {HDR "apps:\n  a:\n    environment:\n      yes: 1\n", "cannot read bool key"},
    {HDR "environment:\n  1: x\n", "cannot read int key"},
    {HDR "environment:\n  ~: x\n", "cannot read null key"},
    {HDR "environment:\n  A: {b: 1}\n", "a string"},
    {HDR "hooks:\n  frobnicate:\n    environment: {A: 1, A: 2}\n", "duplicate key"},
    /* apps */
    {HDR "apps:\n  -bad:\n    command: x\n", "as app name"},
    {HDR "apps:\n  ~:\n    command: x\n", "as app name"},
    {HDR "apps:\n  a: [x]\n", "expected a map of app fields"},
    {HDR "apps:\n  a: bin/x\n", "expected a map of app fields"},
    {HDR "apps: [x]\n", "expected a map of app names"},
    {HDR "apps:\n  a:\n    command: 'x;y'\n", "contains illegal"},
    {HDR "apps:\n  a:\n    command: bin/x --a=b\n", "contains illegal"},
    {HDR "apps:\n  a:\n    stop-command: x~\n", "'stop-command' contains illegal"},
    {HDR "apps:\n  a:\n    bus-name: a,b\n", "'bus-name' contains illegal"},
    {HDR "apps:\n  a:\n    command-chain: ['bin/x a']\n", "'command-chain' contains illegal"},
    {HDR "apps:\n  a:\n    plugs: network\n", "a list of strings"},
    {HDR "apps:\n  a:\n    aliases: [-foo]\n", "as alias name"},
    {HDR "apps:\n  a:\n    aliases: [foo]\n  b:\n    aliases: [foo]\n", "as alias for both"},
    {HDR "apps:\n  a:\n    aliases: [foo, foo]\n", "as alias for both"},
    {HDR "apps:\n  a:\n    common-id: x\n  b:\n    common-id: x\n", "must be unique"},
    {HDR "apps:\n  a:\n    daemon: sometimes\n", "\"daemon\" field contains invalid value"},
    {HDR "apps:\n  a:\n    daemon: simple\n    restart-condition: maybe\n",
     "invalid restart condition"},
    {HDR "apps:\n  a:\n    daemon: simple\n    restart-condition: ''\n",
     "invalid restart condition"},
    {HDR "apps:\n  a:\n    restart-condition: always\n", "only applicable to services"},
    {HDR "apps:\n  a:\n    restart-delay: 1s\n", "only applicable to services"},
    {HDR "apps:\n  a:\n    daemon: simple\n    daemon-scope: both\n", "invalid daemon scope"},
    {HDR "apps:\n  a:\n    daemon-scope: user\n", "can only be set for daemons"},
    {HDR "apps:\n  a:\n    stop-mode: sigterm\n", "only for services"},
    {HDR "apps:\n  a:\n    daemon: simple\n    stop-mode: sigkill\n", "\"stop-mode\" field"},
    {HDR "apps:\n  a:\n    install-mode: enable\n", "only for services"},
    {HDR "apps:\n  a:\n    daemon: simple\n    install-mode: on\n", "\"install-mode\" field"},
    {HDR "apps:\n  a:\n    refresh-mode: endure\n", "can only have value \"ignore-running\""},
    {HDR "apps:\n  a:\n    daemon: simple\n    refresh-mode: ignore-running\n",
     "cannot be set to \"ignore-running\""},
    {HDR "apps:\n  a:\n    daemon: simple\n    stop-timeout: forever\n", "invalid duration"},
    {HDR "apps:\n  a:\n    daemon: simple\n    stop-timeout: 30\n", "missing unit"},
    {HDR "apps:\n  a:\n    daemon: simple\n    stop-timeout: -1s\n", "cannot be negative"},
    {HDR "apps:\n  a:\n    start-timeout: 1s\n", "only applicable to services"},
    {HDR "apps:\n  a:\n    timer: 10:00\n", "timer is only applicable to services"},
    {HDR "apps:\n  a:\n    daemon: simple\n    timer: 25:00\n", "timer has invalid format"},
    {HDR "apps:\n  a:\n    daemon: simple\n    after: [b]\n", "missing application"},
    {HDR "apps:\n  a:\n    after: [b]\n  b:\n    daemon: simple\n", "must be a service"},
    {HDR "apps:\n  a:\n    daemon: simple\n    after: [b]\n  b:\n    command: x\n",
     "non-service application"},
    {HDR "apps:\n  a:\n    daemon: simple\n    after: [b]\n  b:\n    daemon: simple\n"
         "    daemon-scope: user\n",
     "different daemon-scope"},
    {HDR "apps:\n  a:\n    daemon: simple\n    after: [a]\n", "before/after cycle: a"},
    {HDR "apps:\n  a:\n    daemon: simple\n    before: [b]\n  b:\n    daemon: simple\n"
         "    before: [a]\n",
     "before/after cycle"},
    /* sockets */
    {HDR "apps:\n  a:\n    daemon: simple\n    sockets:\n      s:\n        listen-stream: 80\n",
     "\"network-bind\" interface plug is required"},
    {HDR "apps:\n  a:\n    daemon: simple\n    plugs: [network-bind]\n    sockets:\n      s:\n"
         "        listen-stream: /tmp/x\n",
     "must have a prefix of $SNAP_DATA"},
    {HDR "apps:\n  a:\n    daemon: simple\n    plugs: [network-bind]\n    sockets:\n      s:\n"
         "        listen-stream: $SNAP_DATA//s\n",
     "should be written as"},
    {HDR "apps:\n  a:\n    daemon: simple\n    plugs: [network-bind]\n    sockets:\n      s:\n"
         "        listen-stream: 99999\n",
     "port number"},
    {HDR "apps:\n  a:\n    daemon: simple\n    plugs: [network-bind]\n    sockets:\n      s:\n"
         "        listen-stream: 0.0.0.0:80\n",
     "must be one of: 127.0.0.1"},
    {HDR "apps:\n  a:\n    daemon: simple\n    plugs: [network-bind]\n    sockets:\n      s:\n"
         "        listen-stream: '@foo'\n",
     "must be prefixed with \"@snap.tt.\""},
    {HDR "apps:\n  a:\n    daemon: simple\n    plugs: [network-bind]\n    sockets:\n      S1:\n"
         "        listen-stream: 80\n",
     "invalid socket name"},
    {HDR "apps:\n  a:\n    daemon: simple\n    plugs: [network-bind]\n    sockets:\n      s:\n"
         "        listen-stream: 80\n        socket-mode: 644\n",
     "cannot use mode: 1204"},
    {HDR "apps:\n  a:\n    daemon: simple\n    plugs: [network-bind]\n    sockets:\n      s:\n"
         "        listen-stream: 80\n        socket-mode: '0644'\n",
     "a file mode"},
    {HDR "apps:\n  a:\n    daemon: simple\n    plugs: [network-bind]\n    sockets:\n      s:\n",
     "\"listen-stream\" is not defined"},
    {HDR "apps:\n  a:\n    plugs: [network-bind]\n    sockets:\n      s:\n"
         "        listen-stream: $SNAP_DATA/s\n",
     "cannot validate sockets for daemon-scope"},
    /* activates-on */
    {HDR "apps:\n  a:\n    daemon: dbus\n    activates-on: [nope]\n", "slot not found"},
    {HDR "apps:\n  a:\n    activates-on: [s]\nslots:\n  s: {interface: dbus, bus: system, "
         "name: org.a.b}\n",
     "only applicable to services"},
    {HDR "apps:\n  a:\n    daemon: dbus\n    activates-on: [s]\nslots:\n  s: {interface: dbus, "
         "bus: session, name: org.a.b}\n",
     "does not match daemon-scope"},
    {HDR "apps:\n  a:\n    daemon: dbus\n    activates-on: [s]\nslots:\n  s: mpris\n",
     "does not use dbus interface"},
    /* plugs and slots */
    {HDR "plugs: [network]\n", "expected a map of names"},
    {HDR "plugs:\n  p:\n    interface: [x]\n", "interface name on plug \"p\" is not a string"},
    {HDR "plugs:\n  p:\n    interface: ~\n", "is not a string (found <nil>)"},
    {HDR "slots:\n  s:\n    label: 5\n", "label on slot \"s\" is not a string"},
    {HDR "plugs:\n  p:\n    $x: 1\n", "reserved attribute"},
    {HDR "plugs:\n  p:\n    '': 1\n", "empty attribute key"},
    {HDR "plugs:\n  p: [1]\n", "malformed definition"},
    {HDR "plugs:\n  p: 5\n", "malformed definition (found int"},
    {HDR "plugs:\n  p:\n    yes: 1\n", "attribute key that is not a string (found bool"},
    {HDR "plugs:\n  p:\n    target:\n", "invalid scalar: <nil>"},
    {HDR "plugs:\n  p:\n    a: [1, ~]\n", "invalid scalar: <nil>"},
    {HDR "plugs:\n  p:\n    a: {1: x}\n", "non-string key: 1"},
    {HDR "plugs:\n  p:\n    a: 18446744073709551615\n", "too large"},
    {HDR "plugs:\n  network:\nslots:\n  network:\n", "same name"},
    {HDR "system-usernames:\n  snap_daemon: [a]\n", "malformed definition"},
    {HDR "system-usernames:\n  snap_daemon:\n", "does not specify a scope"},
    {HDR "system-usernames:\n  snap_daemon: {scope: 1}\n", "scope on system username"},
    {HDR "system-usernames:\n  Foo: shared\n", "invalid system username"},
    /* hooks */
    {HDR "hooks:\n  connect-plug--x:\n", "invalid hook name"},
    {HDR "hooks:\n  install:\n    command-chain: ['a b']\n", "hook command-chain contains illegal"},
    {HDR "hooks:\n  install: foo\n", "a map of hook fields"},
    {HDR "hooks:\n  frobnicate: [x]\n", "a map of hook fields"},
    /* layouts */
    {HDR "layout:\n  /usr/share/x:\n    bind: /etc/x\n", "must start with $SNAP"},
    {HDR "layout:\n  /proc/x:\n    bind: $SNAP/x\n", "new top-level directory \"/proc\""},
    {HDR "layout:\n  $HOME/x:\n    bind: $SNAP/x\n", "new top-level directory \"/x\""},
    {HDR "layout:\n  /var/snap/x:\n    bind: $SNAP/x\n", "off-limits"},
    {HDR "layout:\n  $SNAP_DATA/x:\n    bind: $SNAP/x\n", "off-limits"},
    {HDR "layout:\n  usr/x:\n    bind: $SNAP/x\n", "relative filename"},
    {HDR "layout:\n  foo:\n    bind: $SNAP/x\n", "absolute and clean"},
    {HDR "layout:\n  /usr/x/:\n    bind: $SNAP/x\n", "absolute and clean"},
    {HDR "layout:\n  /usr/$FOO/x:\n    bind: $SNAP/x\n", "unknown variable \"$FOO\""},
    {HDR "layout:\n  /opt/a*:\n    type: tmpfs\n", "reserved apparmor char"},
    {HDR "layout:\n  /snap/other/x:\n    type: tmpfs\n", "belonging to another snap"},
    {HDR "layout:\n  /usr/a:\n    type: tmpfs\n  /usr/a/b:\n    type: tmpfs\n",
     "underneath prior layout item"},
    {HDR "layout:\n  /usr/a:\n    bind: $SNAP/x\n  /usr/b:\n    bind-file: $SNAP/x\n",
     "another layout treats it as"},
    {HDR "layout:\n  /usr/x:\n    bind: $SNAP/x\n    symlink: $SNAP/y\n", "exactly one of"},
    {HDR "layout:\n  /usr/x:\n    type: ext4\n", "invalid filesystem"},
    {HDR "layout:\n  /usr/x:\n    mode: 0644\n", "must define"},
    {HDR "layout:\n  /usr/x:\n    type: tmpfs\n    mode: 0o755\n", "cannot parse mode"},
    {HDR "layout:\n  /usr/x:\n    type: tmpfs\n    mode: 02755\n", "invalid mode 02755"},
    {HDR "layout:\n  /usr/x:\n    type: tmpfs\n    user: daemon\n", "invalid user"},
    {HDR "layout:\n  /usr/x:\n    symlink: foo\n", "absolute and clean"},
    {HDR "layout: [a]\n", "a map of paths"},
    /* links */
    {HDR "links:\n  bad_key: [http://x]\n", "links key is invalid"},
    {HDR "links:\n  website: []\n", "cannot be specified and empty"},
    {HDR "links:\n  website: ['']\n", "empty \"website\" link"},
    {HDR "links:\n  website: ['http://x y']\n", "invalid \"website\" link"},
    {HDR "links:\n  contact: [x.org]\n", "invalid \"contact\" email address"},
    {HDR "links:\n  source: ['ftp://x']\n", "must have one of http|https schemes"},
    {HDR "links:\n  website: http://x\n", "a list of strings"},
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
    const char *y =
        "name: tt\nversion: '1'\napps:\n  a:\n    command: x\n    daemon: nope\n"
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
        HDR "apps:\n  a:\n",
        HDR "apps:\n  a: {}\n",
        HDR "apps:\nhooks:\n",
        "name: tt\nversion: 1.0~rc1+git\n",
        "name: tt\nversion: 1:2.3\n",
        "name: tt\nversion: 1.10\n",
        "name: tt\nversion: yes\n",
        "name: 0x\nversion: 1\n",
        HDR "epoch: {read: [0, 1], write: [1]}\n",
        HDR "epoch: 5\n",
        HDR "epoch: 4294967295*\n",
        HDR "epoch: ''\n",
        HDR "epoch: {}\n",
        HDR "epoch: {write: [2]}\n",
        HDR "type: base\nbase: none\n",
        HDR "type: snapd\nbase: core22\n",
        HDR "type: application\n",
        HDR "base: bare\napps:\n  a:\n    command: x\n",
        HDR "base: my-base\n",
        HDR "grade: beta\n",
        HDR "grade: {a: 1}\n",
        HDR "architectures: [all, amd64, foo, '']\n",
        HDR "assumes: [frobnicate]\n",
        HDR "summary: |\n  any length\n  and lines\n",
        HDR
        "title: 'éééééééééééééééééééé"
        "éééééééééééééééééééé'\n",
        HDR "license: MIT OR (GPL-2.0+ AND Apache-2.0)\n",
        HDR "license: ''\n",
        /* YAML layer */
        HDR "name: tt\n",
        HDR "---\n[\n",
        "---\n" HDR,
        "\xef\xbb\xbf" HDR,
        "%YAML 1.1\n---\n" HDR,
        HDR "a: &anchor {x: 1}\nb: *anchor\n",
        "x-base: &b {name: tt, version: '1'}\n<<: *b\n",
        HDR "c: &c {command: x, plugs: [network]}\napps:\n  a:\n    <<: *c\n  b:\n    <<: *c\n",
        HDR "apps:\n  a:\n    command: x\napps:\n  b:\n    command: y\n",
        HDR "summary: !!str 1\nversion: !!str 2\n",
        HDR "summary: !foo bar\n",
        HDR "1: x\n~: y\n",
        HDR "x: [a:b]\n",
        HDR "environment:\n  A: 1\n  B: yes\n  C: ~\n  D: 1.5\n  'yes': 1\n  FOO BAR: x\n",
        /* plugs and slots: names and interfaces are not checked by pack */
        HDR "plugs:\n  p:\n    interface: content\n    content: x\n    nested: {a: [1, {b: c}]}\n",
        HDR "plugs:\n  Bad_Name:\n",
        HDR "plugs:\n  p:\n    interface: Bad_Iface\n",
        HDR "plugs:\n  p: frobnicator\n",
        HDR "plugs:\n  x:\nslots:\n  x:\n",
        HDR "plugs:\n  foo: network\nslots:\n  foo: frob\n",
        HDR "plugs:\n  p: ''\n",
        HDR "plugs:\n  p:\n    interface: content\n    label: hi\n    when: 2001-01-01\n",
        HDR "apps:\n  a:\n    plugs: [undefined-plug, 5]\n    slots: [network]\n",
        HDR "system-usernames:\n  snap_daemon: shared\n  foo: {scope: private, x: 1}\n",
        /* apps */
        HDR "apps:\n  a:\n    command: $SNAP/bin/x arg\n    command-chain: [bin/wrap]\n",
        HDR "apps:\n  A-1:\n    command: x\n",
        HDR "apps:\n  a:\n    command: x\n    refresh-mode: ignore-running\n",
        HDR "apps:\n  a:\n    command: x\n    daemon: ''\n",
        HDR "apps:\n  a:\n    stop-timeout: 0s\n    restart-delay: 0\n",
        HDR "apps:\n  a:\n    after: []\n",
        HDR "apps:\n  a:\n    aliases: [x.y_z-1]\n    desktop: x.desktop\n",
        HDR
        "apps:\n  a:\n    daemon: simple\n    restart-condition: no\n    stop-timeout: 1m30s\n"
        "    stop-mode: sigterm-all\n    refresh-mode: endure\n    install-mode: disable\n"
        "    timer: mon,10:00,,fri,15:00\n",
        HDR "apps:\n  a:\n    daemon: simple\n    before: [b]\n  b:\n    daemon: simple\n",
        HDR
        "apps:\n  a:\n    command: x\n    daemon: simple\n    plugs: [network-bind]\n"
        "    sockets:\n      sock:\n        listen-stream: $SNAP_DATA/s.sock\n"
        "        socket-mode: 0666\n      tcp:\n        listen-stream: 127.0.0.1:8080\n"
        "      p:\n        listen-stream: 80\n      ab:\n        listen-stream: '@snap.tt.x'\n",
        HDR
        "apps:\n  a:\n    daemon: simple\n    sockets:\n      s:\n        listen-stream: 80\n"
        "plugs:\n  network-bind:\n",
        HDR
        "apps:\n  a:\n    sockets:\n      s:\n        listen-stream: 80\n"
        "    plugs: [network-bind]\n",
        HDR
        "apps:\n  a:\n    daemon: dbus\n    activates-on: [s]\nslots:\n  s: {interface: dbus, "
        "bus: system, name: org.a.b}\n",
        HDR
        "apps:\n  a:\n    daemon: dbus\n    activates-on: [s]\nslots:\n  s: {interface: dbus, "
        "bus: system}\n",
        /* hooks */
        HDR "hooks:\n  Bad_Hook:\n",
        HDR "hooks:\n  frobnicate:\n    command-chain: ['a b']\n",
        HDR "hooks:\n  install:\n    command-chain: [bin/x]\n    plugs: [network]\n",
        /* layouts */
        HDR
        "layout:\n  /usr/share/x:\n    bind: $SNAP/x\n"
        "  /etc/y.conf:\n    bind-file: $SNAP_DATA/y\n"
        "  /var/tmp/z:\n    type: tmpfs\n    mode: 01777\n  /usr/lib/l:\n    symlink: $SNAP/l\n"
        "  $SNAP/foo:\n    bind: $SNAP_COMMON/foo\n  /:\n    type: tmpfs\n",
        HDR "layout:\n  /usr/a:\n    type: tmpfs\n  /usr/ab:\n    type: tmpfs\n",
        HDR "layout:\n  /snap/ttx/y:\n    type: tmpfs\n  /meta/x:\n    type: tmpfs\n",
        HDR "layout:\n  /usr/x:\n    type: tmpfs\n    user: ''\n    mode: '755'\n",
        /* links */
        HDR
        "links:\n  website: ['HTTPS://x.org/a?b#c']\n  contact: [mailto:a@b, a@b]\n"
        "  issues: ['https://[::1]:8080/x']\n",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snap_info_free(ok_yaml(good[i]));
    }
}

static void test_go_semantics(void **state) {
    /* duplicate keys: the last one wins; map-typed fields add up */
    struct snap_info *i = ok_yaml(HDR
                                  "summary: a\nsummary: b\napps:\n  a:\n    command: x\n"
                                  "apps:\n  b:\n    command: y\n");
    assert_string_equal(i->summary, "b");
    assert_int_equal(i->napps, 2);
    snap_info_free(i);
    /* merge keys; an explicit key after the merge overrides it */
    i = ok_yaml(HDR
                "d: &d {command: x, daemon: simple}\napps:\n  a:\n    <<: *d\n"
                "    command: y\n");
    assert_string_equal(i->apps[0].command, "y");
    assert_string_equal(i->apps[0].daemon, "simple");
    snap_info_free(i);
    /* scalars keep their text in string fields */
    i = ok_yaml("name: tt\nversion: 1.10\nsummary: yes\n");
    assert_string_equal(i->version, "1.10");
    assert_string_equal(i->summary, "yes");
    snap_info_free(i);
    /* epochs in snapd's text form */
    i = ok_yaml(HDR "epoch: {read: [1, 2]}\n");
    assert_string_equal(i->epoch, "2*");
    snap_info_free(i);
    i = ok_yaml(HDR "epoch: {read: [1, 3], write: [3]}\n");
    assert_string_equal(i->epoch, "{\"read\":[1,3],\"write\":[3]}");
    snap_info_free(i);
    /* plugs of unknown interfaces or with bad names are what snapd's sanitizer drops: they
     * stay in the model, marked, and the snap.yaml rules ignore them */
    i = ok_yaml(HDR
                "plugs:\n  frob: frobnicator\n  Bad: network\n  net: network\n"
                "apps:\n  a:\n    plugs: [frob, net]\n");
    assert_int_equal(i->nplugs, 3);
    assert_true(snap_info_plug(i, "frob")->dropped);
    assert_true(snap_info_plug(i, "Bad")->dropped);
    assert_false(snap_info_plug(i, "net")->dropped);
    assert_string_equal(i->apps[0].plugs[0], "frob");
    assert_int_equal(strv_count(i->bad_interfaces), 2);
    snap_info_free(i);
    /* unknown hook types are dropped; restart-condition "no" means never */
    i = ok_yaml(HDR
                "hooks:\n  frob:\n  install:\napps:\n  a:\n    daemon: simple\n"
                "    restart-condition: no\n");
    assert_int_equal(i->nhooks, 1);
    assert_string_equal(i->apps[0].restart_condition, "never");
    snap_info_free(i);
    /* a snap called snapd is of type snapd */
    i = ok_yaml("name: snapd\nversion: '1'\n");
    assert_int_equal(i->type, SNAP_TYPE_SNAPD);
    snap_info_free(i);
}

static void test_goyaml_resolve(void **state) {
    static const struct {
        const char *yaml;
        enum goyaml_kind kind;
    } rows[] = {
        {"x: ~", GOYAML_NULL},
        {"x:", GOYAML_NULL},
        {"x: Null", GOYAML_NULL},
        {"x: 'null'", GOYAML_STR},
        {"x: !!str ~", GOYAML_STR},
        {"x: y", GOYAML_BOOL},
        {"x: Off", GOYAML_BOOL},
        {"x: oN", GOYAML_STR},
        {"x: 0x1f", GOYAML_INT},
        {"x: 0o17", GOYAML_INT},
        {"x: 017", GOYAML_INT},
        {"x: 0b101", GOYAML_INT},
        {"x: -0b101", GOYAML_INT},
        {"x: 1_000", GOYAML_INT},
        {"x: +5", GOYAML_INT},
        {"x: 08", GOYAML_FLOAT},
        {"x: 1.5", GOYAML_FLOAT},
        {"x: 1e3", GOYAML_FLOAT},
        {"x: .5", GOYAML_FLOAT},
        {"x: .inf", GOYAML_FLOAT},
        {"x: -.Inf", GOYAML_FLOAT},
        {"x: .NaN", GOYAML_FLOAT},
        {"x: 1e400", GOYAML_STR},
        {"x: 1.2.3", GOYAML_STR},
        {"x: 2001-01-01", GOYAML_TIMESTAMP},
        {"x: 2001-13-01", GOYAML_STR},
        {"x: 18446744073709551615", GOYAML_UINT},
        {"x: 12:30", GOYAML_STR},
        {"x: !!float 1", GOYAML_FLOAT},
        {"x: '1'", GOYAML_STR},
        {"x: [1]", GOYAML_SEQ},
        {"x: {a: 1}", GOYAML_MAP},
        {"x: !foo 1", GOYAML_STR},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct sn_ydoc *doc = NULL;
        struct sn_err err = SN_ERR_INIT;
        assert_int_equal(goyaml_parse(rows[i].yaml, strlen(rows[i].yaml), "t", &doc, &err), 0);
        struct goyaml_value v;
        assert_int_equal(goyaml_resolve(sn_ymap_get(doc->root, "x"), &v), 0);
        if (v.kind != rows[i].kind) {
            print_error("row %zu (%s): kind %d, want %d\n", i, rows[i].yaml, v.kind, rows[i].kind);
            fail();
        }
        sn_ydoc_free(doc);
    }
    /* an explicit tag that does not fit */
    struct sn_ydoc *doc = NULL;
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(goyaml_parse("x: !!int abc\n", 13, "t", &doc, &err), 0);
    struct goyaml_value v;
    assert_int_equal(goyaml_resolve(sn_ymap_get(doc->root, "x"), &v), -EINVAL);
    sn_ydoc_free(doc);
    /* Go's filepath.Clean */
    static const char *const clean[][2] = {
        {"", "."},
        {"a/../..", ".."},
        {"/../x", "/x"},
        {"a//b/./c/", "a/b/c"},
        {"../../x", "../../x"},
        {"/", "/"},
        {"a/b/../../../c", "../c"},
        {"$SNAP/x/..", "$SNAP"},
    };
    for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
        char *c = sn_path_clean(clean[i][0]);
        assert_string_equal(c, clean[i][1]);
        free(c);
    }
    char *d = go_path_dir("bin/x");
    assert_string_equal(d, "bin");
    free(d);
    d = go_path_dir("x");
    assert_string_equal(d, ".");
    free(d);
}

/* gadget.yaml and kernel.yaml checks, against a scratch tree */
static void test_gadget_kernel(void **state) {
    char dir[] = "/tmp/test-snap-yaml-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    (void)snprintf(path, sizeof(path), "%s/boot", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    (void)snprintf(path, sizeof(path), "%s/img", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    (void)fputs("0123456789", f);
    (void)fclose(f);
    static const struct {
        bool kernel;
        const char *yaml;
        const char *want; /* NULL: valid */
    } rows[] = {
        {false, "", NULL},
        {false, "volumes:\n", NULL},
        {false, "defaults:\n  system:\n    service: {x: {disable: true}}\n", NULL},
        {false, "volumes: [\n", "cannot parse gadget metadata"},
        {false, "volumes: [a]\n", "cannot unmarshal"},
        {false, "volumes:\n  v:\n    bootloader: u-boot\n", "invalid name"},
        {false, "volumes:\n  vol:\n", "stanza is empty"},
        {false, "volumes:\n  vol:\n    schema: foo\n    bootloader: u-boot\n", "invalid schema"},
        {false, "volumes:\n  vol:\n    bootloader: lilo\n", "bootloader must be one of"},
        {false, "volumes:\n  vol:\n    structure: []\n", "bootloader not declared"},
        {false, "volumes:\n  aa:\n    bootloader: grub\n  bb:\n    bootloader: lk\n",
         "too many (2)"},
        {false,
         "volumes:\n  vol:\n    schema: mbr\n    bootloader: u-boot\n    structure:\n"
         "      - name: d\n        type: 83\n        size: 1M\n",
         NULL},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - name: d\n        type: 83\n        size: 1M\n",
         "non-MBR schema"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - name: d\n        type: 83\n",
         "missing size"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - type: bare\n        size: 1Q\n",
         "invalid suffix \"Q\""},
        {false,
         "volumes:\n  vol:\n    schema: mbr\n    bootloader: u-boot\n    structure:\n"
         "      - type: 0C\n        size: 1M\n        role: foo\n",
         "unsupported role"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - type: bare\n        size: 1M\n        filesystem: ntfs\n",
         "invalid filesystem"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - type: mbr\n        size: 447\n",
         "larger than 446"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - {name: a, type: bare, size: 2M}\n      - {name: b, type: bare, size: 1M, "
         "offset: 1M}\n",
         "overlaps with the preceding"},
        {false,
         "volumes:\n  vol:\n    schema: mbr\n    bootloader: u-boot\n    structure:\n"
         "      - {type: 83, size: 1M, role: system-seed}\n",
         "requires system-data"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - {type: bare, size: 1M, filesystem-label: ubuntu-data}\n",
         "is reserved"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - {type: bare, size: 1M, content: [{image: img}]}\n",
         NULL},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - {type: bare, size: 1M, content: [{image: nope}]}\n",
         "cannot lay out"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - {type: bare, size: 5, content: [{image: img}]}\n",
         "does not fit"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - {type: bare, size: 1M, filesystem: vfat, content: [{source: boot/, "
         "target: /}]}\n",
         NULL},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - {type: bare, size: 1M, filesystem: vfat, content: [{source: nope/, "
         "target: /}]}\n",
         "source path does not exist"},
        {false,
         "volumes:\n  vol:\n    bootloader: u-boot\n    structure:\n"
         "      - {type: bare, size: 1M, filesystem: vfat, content: [{source: img/, "
         "target: /}]}\n",
         "trailing /"},
        {false, "defaults:\n  foo:\n    a: 1\n", "not keyed by \"system\" or snap-id"},
        {false, "connections:\n  - slot: system:x\n", "plug cannot be empty"},
        {false, "connections:\n  - plug: foo\n", "expected \"(<snap-id>|system):name\""},
        {true, "", NULL},
        {true, "assets:\n  a-1:\n    update: true\n    content: [boot/, img]\n", NULL},
        {true, "assets: [\n", "cannot parse kernel metadata"},
        {true, "assets:\n  'bad name':\n    content: [img]\n", "invalid asset name"},
        {true, "assets:\n  a:\n    content: [nope/]\n", "source path does not exist"},
        {true, "assets:\n  a:\n    content: [img/]\n", "is not a directory"},
        {true, "assets:\n  a:\n    content: [../img]\n", "invalid content"},
        {true, "assets:\n  a:\n    update: 1\n", "update must be true or false"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct sn_err err = SN_ERR_INIT;
        const char *y = rows[i].yaml;
        int r = rows[i].kernel ? kernel_lite_validate(dir, y, strlen(y), &err)
                               : gadget_lite_validate(dir, y, strlen(y), &err);
        bool ok = rows[i].want == NULL ? r == 0 : (r == -EINVAL && strstr(err.msg, rows[i].want));
        if (!ok) {
            print_error("row %zu: want %s, got r=%d '%s'\nfor:\n%s\n", i,
                        rows[i].want ? rows[i].want : "valid", r, err.msg, y);
            fail();
        }
    }
    (void)snprintf(path, sizeof(path), "%s/img", dir);
    assert_int_equal(unlink(path), 0);
    (void)snprintf(path, sizeof(path), "%s/boot", dir);
    assert_int_equal(rmdir(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_name_helpers(void **state) {
    assert_null(snap_instance_name_problem("foo_bar1"));
    assert_non_null(snap_instance_name_problem("foo_"));
    assert_non_null(snap_instance_name_problem("foo_BAR"));
    assert_non_null(snap_instance_name_problem("foo_a_b"));
    assert_non_null(snap_instance_name_problem("../etc"));
    assert_true(snap_hook_type_supported("connect-plug-foo"));
    assert_true(snap_hook_type_supported("connect-plug--x")); /* then fails the name rule */
    assert_false(snap_hook_type_supported("connect-plug-"));
    assert_false(snap_hook_type_supported("post-install"));
    assert_false(snap_hook_type_supported("default-configure")); /* not in 2.57 */
    assert_true(snap_interface_known("network-bind"));
    assert_true(snap_interface_known("xilinx-dma"));
    assert_false(snap_interface_known("frobnicator"));
    assert_null(snap_version_problem("1.0~rc1"));
    assert_string_equal(snap_version_problem("-a_b-"),
                        "must start with an ASCII alphanumeric (and not '-'), must end with an "
                        "ASCII alphanumeric or one of '+' or '~' (and not '-'), and contains "
                        "invalid characters: \"_\"");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_implicit_hooks),
        cmocka_unit_test(test_bad_table),
        cmocka_unit_test(test_positions_and_all_problems),
        cmocka_unit_test(test_good_table),
        cmocka_unit_test(test_name_helpers),
        cmocka_unit_test(test_go_semantics),
        cmocka_unit_test(test_goyaml_resolve),
        cmocka_unit_test(test_gadget_kernel),
    };
    return cmocka_run_group_tests_name("snap-yaml", tests, NULL, NULL);
}
