/* SPDX-License-Identifier: GPL-3.0-only
 * Attribute validation of plugs and slots, good and bad, for every attribute-bearing interface;
 * errors must name the snap, the plug/slot and the attribute. Also installation policy.
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

struct vcase {
    const char *iface;
    bool slot;         /* validate the slot (on a gadget snap), else the plug */
    const char *attrs; /* YAML lines indented by 4 */
    const char *err;   /* NULL: valid; else a substring of the message */
};

#define P(i, a, e) \
    { i, false, a, e }
#define S(i, a, e) \
    { i, true, a, e }

static const struct vcase cases[] = {
    /* gpio */
    S("gpio", "    number: 17\n", NULL),
    S("gpio", "    number: 0x11\n", NULL),
    S("gpio", "", "attribute 'number' is required"),
    S("gpio", "    number: '17'\n", "attribute 'number' must be an int, not string '17'"),
    S("gpio", "    number: abc\n", "must be an int, not string 'abc'"),
    S("gpio", "    number: -1\n", "attribute 'number' must be in 0..65535, got -1"),
    S("gpio", "    number: 70000\n", "must be in 0..65535, got 70000"),
    S("gpio", "    number: [1]\n", "must be an int, not a list"),
    /* pwm */
    S("pwm", "    chip-number: 0\n    channel: 3\n", NULL),
    S("pwm", "    channel: 3\n", "attribute 'chip-number' is required"),
    S("pwm", "    chip-number: 0\n    channel: x\n", "attribute 'channel' must be an int"),
    S("pwm", "    chip-number: -2\n    channel: 1\n", "'chip-number' must be in 0..65535"),
    /* serial-port */
    S("serial-port", "    path: /dev/ttyS0\n", NULL),
    S("serial-port", "    path: /dev/ttyUSB12\n", NULL),
    S("serial-port", "    path: /dev/ttyAMA0\n", NULL),
    S("serial-port", "    path: /dev/ttymxc3\n", NULL),
    S("serial-port", "    path: /dev/ttyXRUSB1\n", NULL),
    S("serial-port", "    path: /dev/../dev/ttyS1\n", NULL), /* cleaned, as snapd */
    S("serial-port", "    path: /dev/sda\n", "attribute 'path' must be a device node /dev/tty{"),
    S("serial-port", "    path: /dev/tty\n", "must be a device node"),
    S("serial-port", "    path: /dev/ttyS\n", "must be a device node"),
    S("serial-port", "    path: /etc/passwd\n", "must be a device node"),
    S("serial-port", "    path: /dev/ttyS0/../../etc/x\n", "must be a device node"),
    S("serial-port", "", "attribute 'path' is required"),
    S("serial-port", "    path: 5\n", "attribute 'path' must be a string, not int '5'"),
    S("serial-port",
      "    path: /dev/serial-port-ftdi\n    usb-vendor: 0x0403\n    usb-product: 0x6001\n", NULL),
    S("serial-port",
      "    path: /dev/serial-port-a\n    usb-vendor: 0x0403\n    usb-product: 0x6001\n"
      "    usb-interface-number: 1\n",
      NULL),
    S("serial-port", "    path: /dev/ttyUSB0\n    usb-vendor: 0x0403\n    usb-product: 0x6001\n",
      "must name a udev symlink /dev/serial-port-NAME"),
    S("serial-port", "    path: /dev/serial-port-a\n    usb-vendor: 0x0403\n",
      "attribute 'usb-product' is required"),
    S("serial-port", "    path: /dev/serial-port-a\n    usb-vendor: 0\n    usb-product: 1\n",
      "'usb-vendor' must be in 1..65535, got 0"),
    S("serial-port", "    path: /dev/serial-port-a\n    usb-vendor: 1\n    usb-product: 0x10000\n",
      "'usb-product' must be in 0..65535"),
    S("serial-port",
      "    path: /dev/serial-port-a\n    usb-vendor: 1\n    usb-product: 2\n"
      "    usb-interface-number: 32\n",
      "'usb-interface-number' must be in 0..31"),
    /* i2c */
    S("i2c", "    path: /dev/i2c-1\n", NULL),
    S("i2c", "    sysfs-name: 1-0050\n", NULL),
    S("i2c", "    path: /dev/i2c-x\n", "must be a device node /dev/i2c-N"),
    S("i2c", "    path: /dev/i2c-1\n    sysfs-name: 1-0050\n",
      "only one of 'path' and 'sysfs-name'"),
    S("i2c", "    sysfs-name: ../x\n", "attribute 'sysfs-name' has invalid value '../x'"),
    S("i2c", "", "attribute 'path' is required"),
    /* spi, iio, uio, hidraw */
    S("spi", "    path: /dev/spidev0.1\n", NULL),
    S("spi", "    path: /dev/spidev0\n", "/dev/spidevB.C"),
    S("iio", "    path: /dev/iio:device3\n", NULL),
    S("iio", "    path: /dev/iio:devicex\n", "/dev/iio:deviceN"),
    S("uio", "    path: /dev/uio0\n", NULL),
    S("uio", "    path: /dev/uio\n", "/dev/uioN"),
    S("hidraw", "    path: /dev/hidraw2\n", NULL),
    S("hidraw", "    path: /dev/hidraw1234\n", "/dev/hidrawN"),
    S("hidraw", "    path: /dev/hidraw-kbd\n    usb-vendor: 0x046d\n    usb-product: 0xc31c\n",
      NULL),
    S("hidraw", "    path: /dev/hidraw-Kbd\n    usb-vendor: 1\n    usb-product: 1\n",
      "/dev/hidraw-NAME"),
    /* system-files / personal-files */
    P("system-files", "    read: [/etc/foo, /var/lib/bar]\n    write: [/run/x]\n", NULL),
    P("system-files", "", "needs a valid 'read' or 'write' attribute"),
    P("system-files", "    read: /etc/foo\n", "attribute 'read' must be a list of strings"),
    P("system-files", "    read: [1]\n", "attribute 'read' must be a list of strings"),
    P("system-files", "    read: [/etc/../shadow]\n", "'/etc/../shadow' cannot contain '..'"),
    P("system-files", "    write: [/..]\n", "cannot contain '..'"),
    P("system-files", "    read: [/etc/foo/]\n", "cannot end with '/'"),
    P("system-files", "    read: [/etc//foo]\n", "try '/etc/foo'"),
    P("system-files", "    read: [etc/foo]\n", "must start with '/'"),
    P("system-files", "    read: [/etc/*]\n", "reserved apparmor char '*'"),
    P("system-files", "    read: [/home/~x]\n", "cannot contain '~'"),
    P("system-files", "    read: [$HOME/x]\n", "cannot use variables"),
    P("personal-files", "    read: [$HOME/.config/app]\n    write: [$HOME/.app]\n", NULL),
    P("personal-files", "    read: [/home/u/.x]\n", "must start with '$HOME/'"),
    P("personal-files", "    read: [$HOME/a/$HOME]\n", "$HOME must only be used at the start"),
    P("personal-files", "    write: [$HOME/../root]\n", "cannot contain '..'"),
    /* content */
    P("content", "    target: $SNAP/ext\n", NULL),
    P("content", "    target: ext\n    content: foo\n    default-provider: bar\n", NULL),
    P("content", "    target: $SNAP_DATA/x\n    default-provider: 'bar:slot'\n", NULL),
    P("content", "", "attribute 'target' is required"),
    P("content", "    target: $SNAP/../x\n", "is not clean"),
    P("content", "    target: /etc\n", "must be relative to $SNAP"),
    P("content", "    target: $HOME/x\n", "may only start with $SNAP"),
    P("content", "    target: $SNAPX/x\n", "may only start with $SNAP"),
    P("content", "    target: x\n    default-provider: 'Bad Name'\n",
      "attribute 'default-provider' has invalid value"),
    S("content", "    read: [$SNAP/shared]\n", NULL),
    S("content", "    write: [$SNAP_DATA/out, $SNAP_COMMON/sock]\n", NULL),
    S("content", "    source:\n      read: [$SNAP/lib]\n", NULL),
    S("content", "", "read or write path must be set"),
    S("content", "    read: [../x]\n", "is not clean"),
    S("content", "    read: [/abs]\n", "must be relative"),
    S("content", "    read: [$SNAP/x*]\n", "reserved apparmor char"),
    S("content", "    source: {read: [a]}\n    read: [b]\n", "move the 'read' attribute"),
    S("content", "    source: {exec: [a]}\n", "may only have 'read' and 'write'"),
    S("content", "    source: [a]\n", "attribute 'source' must be a map, not a list"),
    /* shared-memory */
    P("shared-memory", "    shared-memory: foo\n", NULL),
    P("shared-memory", "    private: true\n", NULL),
    P("shared-memory", "    private: 1\n", "attribute 'private' must be a bool"),
    P("shared-memory", "    private: true\n    shared-memory: foo\n",
      "must not be set together with 'private: true'"),
    S("shared-memory", "    write: [foo, bar*]\n    read: [baz]\n", NULL),
    S("shared-memory", "", "requires a valid 'read' or 'write'"),
    S("shared-memory", "    write: [a/b]\n", "should not contain '/'"),
    S("shared-memory", "    write: [a**]\n", "contains '**'"),
    S("shared-memory", "    read: [\"a?\"]\n", "reserved apparmor char"),
    S("shared-memory", "    read: [..]\n", "is not clean"),
    S("shared-memory", "    read: [' a']\n", "leading or trailing spaces"),
    /* custom-device */
    S("custom-device", "    devices: [/dev/foo, '/dev/input/event[0-9]']\n", NULL),
    S("custom-device",
      "    devices: [/dev/input/event0]\n    read-devices: [/dev/js0]\n"
      "    files: {read: [/sys/class/foo], write: ['/sys/devices/foo/{a,b}']}\n"
      "    udev-tagging:\n      - kernel: event0\n        subsystem: input\n"
      "        attributes: {idVendor: '0403'}\n        environment: {ID_X: 'y'}\n",
      NULL),
    S("custom-device", "    custom-device: x\n", "without any files or devices"),
    S("custom-device", "    devices: [/etc/foo]\n", "must start with /dev/"),
    S("custom-device", "    devices: [/dev/a\"b]\n", "must start with /dev/"),
    S("custom-device", "    devices: [/dev/../etc]\n", "is not clean"),
    S("custom-device", "    devices: [/dev/**]\n", "invalid glob pattern '**'"),
    S("custom-device", "    devices: [/dev/a]\n    read-devices: [/dev/a]\n",
      "both in 'devices' and 'read-devices'"),
    S("custom-device", "    files: {exec: [/x]}\n", "only 'read' and 'write'"),
    S("custom-device", "    devices: [/dev/a]\n    udev-tagging:\n      - subsystem: x\n",
      "missing mandatory 'kernel'"),
    S("custom-device", "    devices: [/dev/a]\n    udev-tagging:\n      - kernel: b\n",
      "does not match any specified device"),
    S("custom-device", "    devices: [/dev/x/a, /dev/y/a]\n    udev-tagging:\n      - kernel: a\n",
      "matches more than one specified device"),
    S("custom-device",
      "    devices: [/dev/a]\n    udev-tagging:\n      - kernel: a\n        foo: 1\n",
      "unknown key 'foo'"),
    S("custom-device", "    devices: [/dev/a]\n    udev-tagging: x\n",
      "attribute 'udev-tagging' must be a list"),
    /* block-devices, home */
    P("block-devices", "    allow-partitions: true\n", NULL),
    P("block-devices", "    allow-partitions: maybe\n", "must be a bool, not string 'maybe'"),
    P("home", "    read: all\n", NULL),
    P("home", "    read: some\n", "attribute 'read' has invalid value 'some'"),
    /* attribute-less interfaces ignore unknown attributes, as snapd does */
    P("network", "    whatever: 1\n", NULL),
};

static void test_validation_table(void **state) {
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct vcase *c = &cases[i];
        struct snap_info *s = c->slot ? tu_slot_snap("board", "gadget", c->iface, c->attrs, false)
                                      : tu_plug_snap("app1", c->iface, c->attrs);
        struct sn_err err = SN_ERR_INIT;
        int r = c->slot ? iface_validate_slot(s, snap_info_slot(s, "s"), &err)
                        : iface_validate_plug(s, snap_info_plug(s, "p"), &err);
        if ((r == 0) != (c->err == NULL) || (c->err != NULL && strstr(err.msg, c->err) == NULL)) {
            print_error("case %zu (%s %s):\n%s  want: %s\n  got: %d %s\n", i, c->iface,
                        c->slot ? "slot" : "plug", c->attrs, c->err ? c->err : "ok", r, err.msg);
        }
        if (c->err == NULL) {
            assert_int_equal(r, 0);
        } else {
            assert_int_equal(r, -EINVAL);
            assert_non_null(strstr(err.msg, c->err));
            /* the message names the side, the snap and the interface */
            const char *who = c->slot ? "slot 's' of snap 'board'" : "plug 'p' of snap 'app1'";
            if (strstr(err.msg, who) == NULL) {
                print_error("case %zu: '%s' lacks \"%s\"\n", i, err.msg, who);
            }
            assert_non_null(strstr(err.msg, who));
            assert_non_null(strstr(err.msg, c->iface));
        }
        snap_info_free(s);
    }
}

static void test_unknown_interface(void **state) {
    struct snap_info *s = tu_plug_snap("app1", "no-such-iface", NULL);
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_validate_plug(s, snap_info_plug(s, "p"), &err), -ENOENT);
    assert_string_equal(
        err.msg, "plug 'p' of snap 'app1' (no-such-iface): unknown interface 'no-such-iface'");
    assert_int_equal(iface_validate_snap(s, &err), -ENOENT);
    snap_info_free(s);
}

static void test_fixture_snap(void **state) {
    /* tests/snaps/ifaces: every plug and slot is valid */
    struct snap_info *s = tu_snap(
        "name: ifaces\nversion: '1'\nplugs:\n  serial:\n    interface: serial-port\n"
        "  led:\n    interface: gpio\n  shared-data:\n    interface: content\n"
        "    content: ifaces-data\n    target: $SNAP/ext\n    default-provider: ifaces-provider\n"
        "  etc-config:\n    interface: system-files\n    read:\n      - /etc/ifaces.conf\n"
        "      - /etc/ifaces.d\n    write:\n      - /var/lib/ifaces\n  home:\n"
        "slots:\n  data:\n    interface: content\n    content: ifaces-data\n    read:\n"
        "      - $SNAP/shared\n  user-led:\n    interface: gpio\n    number: 17\n");
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_validate_snap(s, &err), 0);
    /* local install: fine; a store-signed snap would need grants for system-files and a gpio
     * slot on an app snap */
    assert_int_equal(iface_check_install(s, false, &err), 0);
    assert_int_equal(iface_check_install(s, true, &err), -EPERM);
    assert_non_null(strstr(err.msg,
                           "installation not allowed by 'etc-config' plug rule of "
                           "interface 'system-files'"));
    snap_info_free(s);
}

static void test_install_policy(void **state) {
    struct sn_err err = SN_ERR_INIT;
    struct snap_info *gadget =
        tu_slot_snap("board", "gadget", "serial-port", "    path: /dev/ttyS0\n", false);
    assert_int_equal(iface_check_install(gadget, true, &err), 0);
    snap_info_free(gadget);
    struct snap_info *app =
        tu_slot_snap("app2", "app", "serial-port", "    path: /dev/ttyS0\n", false);
    assert_int_equal(iface_check_install(app, false, &err), 0);
    assert_int_equal(iface_check_install(app, true, &err), -EPERM);
    assert_non_null(strstr(err.msg, "slot rule of interface 'serial-port'"));
    snap_info_free(app);
    struct snap_info *nb = tu_slot_snap("srv", "app", "network-bind", NULL, true);
    assert_int_equal(iface_check_install(nb, true, &err), 0);
    snap_info_free(nb);
    struct snap_info *shm = tu_slot_snap("srv", "app", "shared-memory", "    write: [a]\n", true);
    assert_int_equal(iface_check_install(shm, true, &err), -EPERM);
    snap_info_free(shm);
    struct snap_info *net = tu_plug_snap("app3", "network", NULL);
    assert_int_equal(iface_check_install(net, true, &err), 0);
    snap_info_free(net);
    struct snap_info *ctl = tu_plug_snap("app3", "snapd-control", NULL);
    assert_int_equal(iface_check_install(ctl, true, &err), -EPERM);
    assert_int_equal(iface_check_install(ctl, false, &err), 0);
    snap_info_free(ctl);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validation_table),
        cmocka_unit_test(test_unknown_interface),
        cmocka_unit_test(test_fixture_snap),
        cmocka_unit_test(test_install_policy),
    };
    return cmocka_run_group_tests_name("interfaces-validate", tests, NULL, NULL);
}
