/* SPDX-License-Identifier: GPL-3.0-only
 * iface_policy_for_tag / iface_policy_for_snap on whole snaps: which connections reach which
 * tag, plug and slot sides, permanent slots, undesired connections, content mounts, exports,
 * udev symlink rules, failures leaving no partial policy.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "iface-test-util.h"

#include "banned.h"

/* tests/snaps/ifaces/meta/snap.yaml, plus a hook */
static const char ifaces_yaml[] =
    "name: ifaces\nversion: '1.2.3'\nsummary: s\nbase: core22\n"
    "plugs:\n"
    "  serial:\n    interface: serial-port\n"
    "  led:\n    interface: gpio\n"
    "  shared-data:\n    interface: content\n    content: ifaces-data\n    target: $SNAP/ext\n"
    "    default-provider: ifaces-provider\n"
    "  etc-config:\n    interface: system-files\n    read:\n      - /etc/ifaces.conf\n"
    "      - /etc/ifaces.d\n    write:\n      - /var/lib/ifaces\n"
    "  home:\n"
    "slots:\n"
    "  data:\n    interface: content\n    content: ifaces-data\n    read:\n      - $SNAP/shared\n"
    "  user-led:\n    interface: gpio\n    number: 17\n"
    "apps:\n"
    "  ifaces:\n    command: bin/ifaces\n"
    "    plugs: [network, network-bind, home, serial, led, shared-data, etc-config]\n"
    "    slots: [data]\n"
    "  other:\n    command: bin/other\n"
    "hooks:\n  configure:\n";

static const char gadget_yaml[] =
    "name: board\nversion: '1'\ntype: gadget\n"
    "slots:\n"
    "  uart0:\n    interface: serial-port\n    path: /dev/ttyS0\n"
    "  ftdi:\n    interface: serial-port\n    path: /dev/serial-port-ftdi\n"
    "    usb-vendor: 0x0403\n    usb-product: 0x6001\n"
    "  pin17:\n    interface: gpio\n    number: 17\n";

static const char provider_yaml[] =
    "name: ifaces-provider\nversion: '1'\n"
    "slots:\n  data:\n    interface: content\n    content: ifaces-data\n"
    "    read: [$SNAP/shared, $SNAP_DATA/state]\n"
    "  shm:\n    interface: shared-memory\n    shared-memory: shm\n    write: [frames]\n"
    "    read: [stats*]\n"
    "apps:\n  srv:\n    command: bin/srv\n    slots: [shm]\n";

struct world {
    struct snap_info *ifaces, *gadget, *provider, *cons;
    struct iface_connection conns[12];
    size_t n;
};

static int setup(void **state) {
    struct world *w = test_calloc(1, sizeof(*w));
    w->ifaces = tu_snap(ifaces_yaml);
    w->gadget = tu_snap(gadget_yaml);
    w->provider = tu_snap(provider_yaml);
    w->cons = tu_plug_snap("shm-user", "shared-memory", "    shared-memory: shm\n");
    tu_conn(&w->conns[w->n++], w->ifaces, "network", NULL, NULL);
    tu_conn(&w->conns[w->n++], w->ifaces, "network-bind", NULL, NULL);
    tu_conn(&w->conns[w->n++], w->ifaces, "home", NULL, NULL);
    tu_conn(&w->conns[w->n++], w->ifaces, "serial", w->gadget, "uart0");
    tu_conn(&w->conns[w->n++], w->ifaces, "led", w->gadget, "pin17");
    tu_conn(&w->conns[w->n++], w->ifaces, "shared-data", w->provider, "data");
    tu_conn(&w->conns[w->n++], w->ifaces, "etc-config", NULL, NULL);
    tu_conn(&w->conns[w->n++], w->cons, "p", w->provider, "shm");
    *state = w;
    return 0;
}

static int teardown(void **state) {
    struct world *w = *state;
    snap_info_free(w->ifaces);
    snap_info_free(w->gadget);
    snap_info_free(w->provider);
    snap_info_free(w->cons);
    test_free(w);
    return 0;
}

static void test_app_with_many_plugs(void **state) {
    struct world *w = *state;
    struct iface_policy p;
    iface_policy_init(&p);
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(
        iface_policy_for_tag("snap.ifaces.ifaces", w->ifaces, w->conns, w->n, NULL, &p, &err), 0);
    /* network + network-bind */
    assert_non_null(strstr(p.seccomp.buf, "\nlisten\n"));
    assert_non_null(strstr(p.seccomp.buf, "socket AF_NETLINK - NETLINK_ROUTE"));
    assert_true(p.net_unrestricted);
    assert_int_equal(p.nnet, 1);
    assert_int_equal(p.net[0].port, 0);
    /* home */
    assert_true(tu_has_fs(&p, "@{HOME}", IFACE_FS_READ | IFACE_FS_WRITE));
    /* serial-port: /dev/ttyS0 in every backend */
    assert_non_null(strstr(p.apparmor.buf, "\"/dev/ttyS0\" rwk,"));
    assert_true(tu_has_fs(&p, "/dev/ttyS0", IFACE_FS_READ | IFACE_FS_WRITE | IFACE_FS_DEVICE));
    assert_true(tu_has_device(&p, "tty", "ttyS0"));
    /* gpio 17: exported, and the resolved sysfs directory */
    assert_int_equal(p.nexports, 1);
    assert_string_equal(p.exports[0].dir, "/sys/class/gpio");
    assert_string_equal(p.exports[0].value, "17");
    assert_string_equal(p.exports[0].node, "/sys/class/gpio/gpio17");
    assert_true(tu_has_fs(&p, "/sys/class/gpio/gpio17", IFACE_FS_WRITE));
    /* content: both provider dirs on the (legacy) target, read-only; then system-files */
    assert_int_equal(p.nmounts, 5);
    assert_string_equal(p.mounts[0].source, "/snap/ifaces-provider/7/shared");
    assert_string_equal(p.mounts[0].target, "/snap/ifaces/x1/ext");
    assert_true(p.mounts[0].read_only);
    assert_string_equal(p.mounts[1].source, "/var/snap/ifaces-provider/7/state");
    assert_true(tu_has_fs(&p, "/snap/ifaces/x1/ext", IFACE_FS_READ));
    /* system-files */
    assert_true(tu_has_fs(&p, "/etc/ifaces.conf", IFACE_FS_READ));
    assert_true(tu_has_fs(&p, "/var/lib/ifaces", IFACE_FS_READ | IFACE_FS_WRITE));
    /* ... each path mounted from the device's tree (optional: it may be missing) */
    for (size_t i = 2; i < 5; i++) {
        assert_true(p.mounts[i].optional);
        assert_string_equal(p.mounts[i].source, p.mounts[i].target);
        assert_false(p.mounts[0].optional);
    }
    assert_string_equal(p.mounts[2].target, "/etc/ifaces.conf");
    assert_true(p.mounts[2].read_only);
    assert_string_equal(p.mounts[4].target, "/var/lib/ifaces");
    assert_false(p.mounts[4].read_only);
    assert_non_null(strstr(p.apparmor.buf, "\"/var/lib/ifaces{,/,/**}\" rwkl,"));
    /* the static network text appears once even with two network-ish plugs */
    const char *first = strstr(p.apparmor.buf, "# network: connected plug");
    assert_non_null(first);
    assert_null(strstr(first + 1, "# network: connected plug"));
    assert_false(p.unrestricted);
    iface_policy_release(&p);
}

static void test_unbound_app_and_hook(void **state) {
    struct world *w = *state;
    struct sn_err err = SN_ERR_INIT;
    struct iface_policy p;
    /* "other" names no plugs: only the unscoped ones (top-level plugs no app names are bound
     * to every app and hook; here every top-level plug is named by "ifaces") */
    iface_policy_init(&p);
    assert_int_equal(
        iface_policy_for_tag("snap.ifaces.other", w->ifaces, w->conns, w->n, NULL, &p, &err), 0);
    assert_int_equal(p.seccomp.len, 0);
    assert_int_equal(p.nfs, 0);
    iface_policy_release(&p);
    iface_policy_init(&p);
    assert_int_equal(iface_policy_for_tag("snap.ifaces.hook.configure", w->ifaces, w->conns, w->n,
                                          NULL, &p, &err),
                     0);
    iface_policy_release(&p);

    /* an unscoped plug reaches every app and hook */
    struct snap_info *s = tu_snap(
        "name: uu\nversion: '1'\nplugs:\n  log-observe:\n"
        "apps:\n  a:\n    command: a\n  b:\n    command: b\n"
        "hooks:\n  install:\n");
    struct iface_connection c;
    tu_conn(&c, s, "log-observe", NULL, NULL);
    static const char *const tags[] = {"snap.uu.a", "snap.uu.b", "snap.uu.hook.install"};
    for (size_t i = 0; i < 3; i++) {
        iface_policy_init(&p);
        assert_int_equal(iface_policy_for_tag(tags[i], s, &c, 1, NULL, &p, &err), 0);
        assert_true(tu_has_fs(&p, "/var/log", IFACE_FS_READ));
        assert_true(tu_has_device(&p, "mem", "kmsg"));
        iface_policy_release(&p);
    }
    /* undesired connections are kept in state but grant nothing */
    c.undesired = true;
    iface_policy_init(&p);
    assert_int_equal(iface_policy_for_tag("snap.uu.a", s, &c, 1, NULL, &p, &err), 0);
    assert_int_equal(p.nfs, 0);
    iface_policy_release(&p);
    snap_info_free(s);
}

static void test_slot_side(void **state) {
    struct world *w = *state;
    struct sn_err err = SN_ERR_INIT;
    struct iface_policy p;
    iface_policy_init(&p);
    assert_int_equal(iface_policy_for_tag("snap.ifaces-provider.srv", w->provider, w->conns, w->n,
                                          NULL, &p, &err),
                     0);
    /* connected slot: the provider may write what plugs only read */
    assert_non_null(strstr(p.apparmor.buf, "\"/{dev,run}/shm/stats*\" mrwlk,"));
    assert_true(tu_has_fs(&p, "/dev/shm", IFACE_FS_WRITE));
    iface_policy_release(&p);
    iface_policy_init(&p);
    assert_int_equal(
        iface_policy_for_tag("snap.shm-user.app", w->cons, w->conns, w->n, NULL, &p, &err), 0);
    assert_non_null(strstr(p.apparmor.buf, "\"/{dev,run}/shm/stats*\" r,"));
    assert_non_null(strstr(p.apparmor.buf, "\"/{dev,run}/shm/frames\" mrwlk,"));
    assert_true(tu_has_fs(&p, "/dev/shm/frames", IFACE_FS_READ | IFACE_FS_WRITE));
    bool glob = false;
    for (size_t i = 0; i < p.nfs; i++) {
        glob = glob || (strcmp(p.fs[i].path, "/dev/shm/stats*") == 0 && p.fs[i].glob &&
                        p.fs[i].access == IFACE_FS_READ);
    }
    assert_true(glob);
    iface_policy_release(&p);
}

static void test_snap_wide(void **state) {
    struct world *w = *state;
    struct sn_err err = SN_ERR_INIT;
    struct iface_policy p;
    /* the gadget has no apps: its USB serial slot still creates the symlink */
    iface_policy_init(&p);
    assert_int_equal(iface_policy_for_snap(w->gadget, NULL, w->conns, w->n, NULL, &p, &err), 0);
    assert_non_null(p.udev_rules);
    assert_string_equal(p.udev_rules[0], "IMPORT{builtin}=\"usb_id\"");
    assert_string_equal(p.udev_rules[1],
                        "SUBSYSTEM==\"tty\", SUBSYSTEMS==\"usb\", ATTRS{idVendor}==\"0403\", "
                        "ATTRS{idProduct}==\"6001\", SYMLINK+=\"serial-port-ftdi\"");
    assert_null(p.udev_rules[2]);
    iface_policy_release(&p);
    /* the app snap: union of its tags */
    iface_policy_init(&p);
    assert_int_equal(iface_policy_for_snap(w->ifaces, "ifaces", w->conns, w->n, NULL, &p, &err), 0);
    assert_int_equal(p.nmounts, 5);
    assert_int_equal(p.nexports, 1);
    iface_policy_release(&p);
}

static void test_usb_serial_and_private_shm(void **state) {
    struct world *w = *state;
    struct snap_info *s = tu_snap(
        "name: logger\nversion: '1'\n"
        "plugs:\n  ftdi:\n    interface: serial-port\n"
        "  shm:\n    interface: shared-memory\n    private: true\n"
        "apps:\n  log:\n    command: log\n    daemon: simple\n");
    struct iface_connection c[2];
    tu_conn(&c[0], s, "ftdi", w->gadget, "ftdi");
    tu_conn(&c[1], s, "shm", NULL, NULL);
    c[0].plug.instance = "logger_2";
    c[1].plug.instance = "logger_2";
    struct iface_policy p;
    iface_policy_init(&p);
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_policy_for_tag("snap.logger_2.log", s, c, 2, NULL, &p, &err), 0);
    assert_non_null(strstr(p.apparmor.buf, "/dev/tty[A-Z]*[0-9] rwk,"));
    assert_true(tu_has_fs(&p, "/dev/serial-port-ftdi", IFACE_FS_DEVICE));
    assert_int_equal(p.ndevices, 1);
    assert_string_equal(p.devices[0].subsystem, "tty");
    assert_null(p.devices[0].kernel);
    assert_string_equal(
        p.devices[0].attrs,
        "SUBSYSTEMS==\"usb\", ATTRS{idVendor}==\"0403\", ATTRS{idProduct}==\"6001\"");
    assert_int_equal(p.nmounts, 1);
    assert_string_equal(p.mounts[0].source, "/dev/shm/snap.logger_2");
    assert_string_equal(p.mounts[0].target, "/dev/shm");
    assert_false(p.mounts[0].read_only);
    iface_policy_release(&p);
    /* the tag must belong to the snap */
    iface_policy_init(&p);
    assert_int_equal(iface_policy_for_tag("snap.other.log", s, c, 2, NULL, &p, &err), -EINVAL);
    assert_int_equal(iface_policy_for_tag("snap.logger.nope", s, c, 2, NULL, &p, &err), -ENOENT);
    assert_int_equal(iface_policy_for_tag("snap.logger", s, c, 2, NULL, &p, &err), -EINVAL);
    assert_int_equal(iface_policy_for_tag("logger.log", s, c, 2, NULL, &p, &err), -EINVAL);
    assert_int_equal(iface_policy_for_tag("snap.logger.a.b", s, c, 2, NULL, &p, &err), -EINVAL);
    snap_info_free(s);
}

static void test_failure_leaves_nothing(void **state) {
    struct world *w = *state;
    struct iface_connection bad[2];
    bad[0] = w->conns[0]; /* fine */
    bad[1] = w->conns[3]; /* serial -> uart0, then break the slot */
    bad[1].slot.iface = "gpio";
    struct iface_policy p;
    iface_policy_init(&p);
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_policy_for_tag("snap.ifaces.ifaces", w->ifaces, bad, 2, NULL, &p, &err),
                     -EINVAL);
    assert_non_null(strstr(err.msg, "cannot compute policy of 'snap.ifaces.ifaces': "));
    assert_non_null(strstr(err.msg, "interface mismatch"));
    assert_int_equal(p.seccomp.len, 0);
    assert_int_equal(p.nfs, 0);
    assert_int_equal(p.nnet, 0);
    iface_policy_release(&p);
}

static void test_classic_and_content_source(void **state) {
    struct snap_info *cl = tu_snap(
        "name: tool\nversion: '1'\nconfinement: classic\n"
        "apps:\n  tool:\n    command: tool\n");
    struct iface_policy p;
    iface_policy_init(&p);
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_policy_for_tag("snap.tool.tool", cl, NULL, 0, NULL, &p, &err), 0);
    assert_true(p.unrestricted);
    iface_policy_release(&p);
    snap_info_free(cl);

    struct snap_info *plug =
        tu_plug_snap("app", "content", "    content: libs\n    target: $SNAP_DATA/libs\n");
    struct snap_info *slot = tu_slot_snap("sdk", "app", "content",
                                          "    content: libs\n    source:\n"
                                          "      read: [$SNAP/lib, $SNAP/share/x]\n"
                                          "      write: [$SNAP_COMMON/run]\n",
                                          false);
    struct iface_connection c;
    tu_conn(&c, plug, "p", slot, "s");
    c.slot.instance = "sdk_beta"; /* a parallel install: others see its instance name */
    struct iface_env env = {.snap_mount_dir = "/snap", .snap_data_dir = "/var/snap"};
    iface_policy_init(&p);
    assert_int_equal(iface_policy_for_tag("snap.app.app", plug, &c, 1, &env, &p, &err), 0);
    assert_int_equal(p.nmounts, 3);
    /* write paths first; source mode mounts each under target/<basename> */
    assert_string_equal(p.mounts[0].source, "/var/snap/sdk_beta/common/run");
    assert_string_equal(p.mounts[0].target, "/var/snap/app/x1/libs/run");
    assert_false(p.mounts[0].read_only);
    assert_string_equal(p.mounts[1].source, "/snap/sdk_beta/7/lib");
    assert_string_equal(p.mounts[1].target, "/var/snap/app/x1/libs/lib");
    assert_string_equal(p.mounts[2].target, "/var/snap/app/x1/libs/x");
    assert_true(tu_has_fs(&p, "/var/snap/app/x1/libs/run", IFACE_FS_WRITE));
    iface_policy_release(&p);
    snap_info_free(plug);
    snap_info_free(slot);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_app_with_many_plugs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unbound_app_and_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slot_side, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snap_wide, setup, teardown),
        cmocka_unit_test_setup_teardown(test_usb_serial_and_private_shm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_leaves_nothing, setup, teardown),
        cmocka_unit_test(test_classic_and_content_source),
    };
    return cmocka_run_group_tests_name("interfaces-policy", tests, NULL, NULL);
}
