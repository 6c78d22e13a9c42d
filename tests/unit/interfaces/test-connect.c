/* SPDX-License-Identifier: GPL-3.0-only
 * Connection checks, base-declaration auto-connect, the unique-candidate rule, and connection
 * ids as snapd's state keys.
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

static const struct iface_env core = {.mode = IFACE_MODE_CORE};
static const struct iface_env classic = {.mode = IFACE_MODE_CLASSIC};

static void test_mismatch_and_unknown(void **state) {
    struct snap_info *p = tu_plug_snap("app1", "serial-port", NULL);
    struct snap_info *g = tu_slot_snap("board", "gadget", "gpio", "    number: 5\n", false);
    struct iface_end pe, se;
    iface_end_init(&pe, IFACE_PLUG, p, snap_info_plug(p, "p"));
    iface_end_init(&se, IFACE_SLOT, g, snap_info_slot(g, "s"));
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_check_connect(&pe, &se, &err), -EINVAL);
    assert_string_equal(
        err.msg, "cannot connect app1:p (serial-port) to board:s (gpio): interface mismatch");
    /* wrong sides */
    assert_int_equal(iface_check_connect(&se, &se, &err), -EINVAL);

    struct snap_info *u = tu_plug_snap("app2", "warp-drive", NULL);
    struct iface_end ue, sys;
    iface_end_init(&ue, IFACE_PLUG, u, snap_info_plug(u, "p"));
    iface_end_system_slot(&sys, "warp-drive", &core);
    assert_int_equal(iface_check_connect(&ue, &sys, &err), -ENOENT);
    assert_non_null(strstr(err.msg, "unknown interface 'warp-drive'"));

    /* the system has no gpio slot: those come from the gadget */
    struct snap_info *gp = tu_plug_snap("app3", "gpio", NULL);
    struct iface_end gpe;
    iface_end_init(&gpe, IFACE_PLUG, gp, snap_info_plug(gp, "p"));
    iface_end_system_slot(&sys, "gpio", &core);
    assert_int_equal(iface_check_connect(&gpe, &sys, &err), -ENOENT);
    assert_string_equal(err.msg, "snap 'snapd' has no 'gpio' slot");
    /* but the gadget's */
    iface_end_init(&se, IFACE_SLOT, g, snap_info_slot(g, "s"));
    assert_int_equal(iface_check_connect(&gpe, &se, &err), 0);
    /* an invalid slot cannot be connected */
    struct snap_info *bad = tu_slot_snap("board2", "gadget", "gpio", "    number: x\n", false);
    iface_end_init(&se, IFACE_SLOT, bad, snap_info_slot(bad, "s"));
    assert_int_equal(iface_check_connect(&gpe, &se, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "slot 's' of snap 'board2' (gpio): attribute 'number'"));
    snap_info_free(p);
    snap_info_free(g);
    snap_info_free(u);
    snap_info_free(gp);
    snap_info_free(bad);
}

static void test_content(void **state) {
    struct snap_info *c =
        tu_plug_snap("consumer", "content", "    content: fonts\n    target: $SNAP/fonts\n");
    struct snap_info *good = tu_slot_snap("fonts", "app", "content",
                                          "    content: fonts\n    read: [$SNAP/share]\n", false);
    struct snap_info *other = tu_slot_snap("themes", "app", "content",
                                           "    content: themes\n    read: [$SNAP/t]\n", false);
    struct iface_end pe, se;
    iface_end_init(&pe, IFACE_PLUG, c, snap_info_plug(c, "p"));
    iface_end_init(&se, IFACE_SLOT, good, snap_info_slot(good, "s"));
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_check_connect(&pe, &se, &err), 0);
    /* local snaps: one publisher */
    assert_true(iface_auto_connect(&pe, &se, &core));
    se.publisher = "canonical";
    assert_false(iface_auto_connect(&pe, &se, &core));
    pe.publisher = "canonical";
    assert_true(iface_auto_connect(&pe, &se, &core));
    pe.publisher = "someone-else";
    assert_false(iface_auto_connect(&pe, &se, &core));
    iface_end_init(&se, IFACE_SLOT, other, snap_info_slot(other, "s"));
    assert_int_equal(iface_check_connect(&pe, &se, &err), -EINVAL);
    assert_string_equal(err.msg,
                        "cannot connect content plug consumer:p (content 'fonts') to slot "
                        "themes:s (content 'themes'): content mismatch");
    pe.publisher = NULL;
    assert_false(iface_auto_connect(&pe, &se, &core));
    snap_info_free(c);
    snap_info_free(good);
    snap_info_free(other);
}

static void test_shared_memory(void **state) {
    struct snap_info *priv = tu_plug_snap("app1", "shared-memory", "    private: true\n");
    struct snap_info *named = tu_plug_snap("app2", "shared-memory", "    shared-memory: buf\n");
    struct snap_info *srv = tu_slot_snap("srv", "app", "shared-memory",
                                         "    shared-memory: buf\n    write: [buf]\n", true);
    struct iface_end ppriv, pnamed, sys, app;
    iface_end_init(&ppriv, IFACE_PLUG, priv, snap_info_plug(priv, "p"));
    iface_end_init(&pnamed, IFACE_PLUG, named, snap_info_plug(named, "p"));
    iface_end_init(&app, IFACE_SLOT, srv, snap_info_slot(srv, "s"));
    iface_end_system_slot(&sys, "shared-memory", &core);
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_check_connect(&ppriv, &sys, &err), 0);
    assert_true(iface_auto_connect(&ppriv, &sys, &core));
    assert_int_equal(iface_check_connect(&ppriv, &app, &err), -EPERM);
    assert_int_equal(iface_check_connect(&pnamed, &sys, &err), -EPERM);
    assert_int_equal(iface_check_connect(&pnamed, &app, &err), 0);
    assert_true(iface_auto_connect(&pnamed, &app, &core));
    app.publisher = "x";
    assert_false(iface_auto_connect(&pnamed, &app, &core));
    snap_info_free(priv);
    snap_info_free(named);
    snap_info_free(srv);
}

static void test_auto_connect_declarations(void **state) {
    static const struct {
        const char *iface;
        bool core, classic;
    } cases[] = {
        {"network", true, true},
        {"network-bind", true, true},
        {"home", false, true},
        {"removable-media", false, false},
        {"network-control", false, false},
        {"log-observe", false, false},
        {"snapd-control", false, false},
        {"kvm", false, false},
        {"process-control", false, false},
        {"system-observe", false, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct snap_info *p = tu_plug_snap("app1", cases[i].iface, NULL);
        struct iface_end pe, sys;
        iface_end_init(&pe, IFACE_PLUG, p, snap_info_plug(p, "p"));
        iface_end_system_slot(&sys, cases[i].iface, &core);
        if (iface_auto_connect(&pe, &sys, &core) != cases[i].core ||
            iface_auto_connect(&pe, &sys, &classic) != cases[i].classic) {
            print_error("%s\n", cases[i].iface);
        }
        assert_int_equal(iface_auto_connect(&pe, &sys, &core), cases[i].core);
        assert_int_equal(iface_auto_connect(&pe, &sys, &classic), cases[i].classic);
        snap_info_free(p);
    }
    /* device slots never auto-connect, even from the gadget */
    struct snap_info *p = tu_plug_snap("app1", "serial-port", NULL);
    struct snap_info *g =
        tu_slot_snap("board", "gadget", "serial-port", "    path: /dev/ttyS0\n", false);
    struct iface_end pe, se;
    iface_end_init(&pe, IFACE_PLUG, p, snap_info_plug(p, "p"));
    iface_end_init(&se, IFACE_SLOT, g, snap_info_slot(g, "s"));
    assert_false(iface_auto_connect(&pe, &se, &core));
    snap_info_free(p);
    snap_info_free(g);
}

static void test_pick_unique_candidate(void **state) {
    struct snap_info *c =
        tu_plug_snap("consumer", "content", "    content: fonts\n    target: $SNAP/fonts\n");
    struct snap_info *a =
        tu_slot_snap("fonts-a", "app", "content", "    content: fonts\n    read: [x]\n", false);
    struct snap_info *b =
        tu_slot_snap("fonts-b", "app", "content", "    content: fonts\n    read: [x]\n", false);
    struct snap_info *t =
        tu_slot_snap("themes", "app", "content", "    content: themes\n    read: [x]\n", false);
    struct iface_end pe, slots[3];
    iface_end_init(&pe, IFACE_PLUG, c, snap_info_plug(c, "p"));
    iface_end_init(&slots[0], IFACE_SLOT, t, snap_info_slot(t, "s"));
    iface_end_init(&slots[1], IFACE_SLOT, a, snap_info_slot(a, "s"));
    iface_end_init(&slots[2], IFACE_SLOT, b, snap_info_slot(b, "s"));
    assert_int_equal(iface_auto_connect_pick(&pe, slots, 1, &core), -ENOENT);
    assert_int_equal(iface_auto_connect_pick(&pe, slots, 2, &core), 1);
    assert_int_equal(iface_auto_connect_pick(&pe, slots, 3, &core), -EEXIST);
    snap_info_free(c);
    snap_info_free(a);
    snap_info_free(b);
    snap_info_free(t);
}

static void test_conn_ids(void **state) {
    struct iface_conn_ref ref;
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(iface_conn_ref_parse("app1:serial board:uart0", &ref, &err), 0);
    assert_string_equal(ref.plug_snap, "app1");
    assert_string_equal(ref.plug, "serial");
    assert_string_equal(ref.slot_snap, "board");
    assert_string_equal(ref.slot, "uart0");
    static const char *const bad[] = {"",       "a:b",    "a:b c",     "a:b c:d e:f",
                                      ":b c:d", "a: c:d", "a:b:c d:e", "a:b  c:d"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(iface_conn_ref_parse(bad[i], &ref, &err), -EINVAL);
    }
    struct snap_info *p = tu_plug_snap("app1", "network", NULL);
    struct iface_connection c;
    tu_conn(&c, p, "p", NULL, NULL);
    char buf[4 * IFACE_REF_MAX];
    assert_string_equal(iface_conn_id(&c, buf, sizeof(buf)), "app1:p snapd:network");
    struct iface_env env = {.system_snap = "core"};
    iface_end_system_slot(&c.slot, "network", &env);
    assert_string_equal(iface_conn_id(&c, buf, sizeof(buf)), "app1:p core:network");
    snap_info_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mismatch_and_unknown),
        cmocka_unit_test(test_content),
        cmocka_unit_test(test_shared_memory),
        cmocka_unit_test(test_auto_connect_declarations),
        cmocka_unit_test(test_pick_unique_candidate),
        cmocka_unit_test(test_conn_ids),
    };
    return cmocka_run_group_tests_name("interfaces-connect", tests, NULL, NULL);
}
