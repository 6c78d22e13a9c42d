/* SPDX-License-Identifier: GPL-3.0-only
 * The interface catalogue as a table: every interface, one representative connection, and the
 * backends its policy must (and must not) fill. Also: registry order and lookup, seccomp
 * snippets in snapd syntax with syscalls libseccomp knows, AppArmor snippets compiled with
 * apparmor_parser -QK, and a docs page per interface.
 */
#define _GNU_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <seccomp.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iface-docgen.h"
#include "iface-test-util.h"
#include "seccomp-syntax.h"

#include "banned.h"

extern char **environ;

/* Backends: A apparmor, S seccomp, L landlock fs, N tcp ports, U devices, K kmods, M mounts,
 * X sysfs exports, G lifted landlock scopes. */
struct row {
    const char *iface;
    const char *plug_attrs;
    const char *slot_type; /* NULL: the system's implicit slot */
    const char *slot_attrs;
    const char *backends;
};

static const struct row rows[] = {
    {"block-devices", NULL, NULL, NULL, "ALU"},
    {"can-bus", NULL, NULL, NULL, "ASL"},
    {"content", "    content: data\n    target: $SNAP/ext\n", "app",
     "    content: data\n    read: [$SNAP/shared]\n", "ALM"},
    {"custom-device", "    custom-device: dev\n", "gadget",
     "    custom-device: dev\n    devices: [/dev/ttyS9, /dev/input/event*]\n", "ALU"},
    {"firewall-control", NULL, NULL, NULL, "ASLK"},
    {"fuse-support", NULL, NULL, NULL, "ASLU"},
    {"gpio", NULL, "gadget", "    number: 17\n", "ALX"},
    {"gpio-memory-control", NULL, NULL, NULL, "ALU"},
    {"hardware-observe", NULL, NULL, NULL, "ASL"},
    {"hardware-random-control", NULL, NULL, NULL, "ALU"},
    {"hardware-random-observe", NULL, NULL, NULL, "ALU"},
    {"hidraw", NULL, "gadget", "    path: /dev/hidraw0\n", "ALU"},
    {"home", NULL, NULL, NULL, "AL"},
    {"i2c", NULL, "gadget", "    path: /dev/i2c-1\n", "ALU"},
    {"iio", NULL, "gadget", "    path: /dev/iio:device0\n", "ALU"},
    {"kernel-module-control", NULL, NULL, NULL, "ASL"},
    {"kernel-module-observe", NULL, NULL, NULL, "AL"},
    {"kvm", NULL, NULL, NULL, "ALU"},
    {"log-observe", NULL, NULL, NULL, "ASLUM"},
    {"mount-observe", NULL, NULL, NULL, "ASL"},
    {"network", NULL, NULL, NULL, "ASLN"},
    {"network-bind", NULL, NULL, NULL, "ASN"},
    {"network-control", NULL, NULL, NULL, "ASLUN"},
    {"network-observe", NULL, NULL, NULL, "ASL"},
    {"network-setup-observe", NULL, NULL, NULL, "AL"},
    {"personal-files", "    read: [$HOME/.config/foo]\n", NULL, NULL, "AL"},
    {"process-control", NULL, NULL, NULL, "ASG"},
    {"pwm", NULL, "gadget", "    chip-number: 0\n    channel: 1\n", "ALX"},
    {"raw-usb", NULL, NULL, NULL, "ASLU"},
    {"removable-media", NULL, NULL, NULL, "AL"},
    {"serial-port", NULL, "gadget", "    path: /dev/ttyS0\n", "ALU"},
    {"shared-memory", "    shared-memory: shm\n", "app",
     "    shared-memory: shm\n    write: [foo]\n", "AL"},
    {"shutdown", NULL, NULL, NULL, "A"},
    {"snapd-control", NULL, NULL, NULL, "AL"},
    {"spi", NULL, "gadget", "    path: /dev/spidev0.0\n", "ALU"},
    {"system-files", "    write: [/etc/foo]\n", NULL, NULL, "ALM"},
    {"system-observe", NULL, NULL, NULL, "ASL"},
    {"time-control", NULL, NULL, NULL, "ASLU"},
    {"timezone-control", NULL, NULL, NULL, "AL"},
    {"uio", NULL, "gadget", "    path: /dev/uio0\n", "ALU"},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* The plug-side policy of the row's connection. */
static void row_policy(const struct row *r, struct iface_policy *out) {
    struct snap_info *plug = tu_plug_snap("consumer", r->iface, r->plug_attrs);
    struct snap_info *slot =
        r->slot_type ? tu_slot_snap("provider", r->slot_type, r->iface, r->slot_attrs, false)
                     : NULL;
    struct iface_connection c;
    tu_conn(&c, plug, "p", slot, "s");
    struct sn_err err = SN_ERR_INIT;
    iface_policy_init(out);
    int rc = iface_policy_for_tag("snap.consumer.app", plug, &c, 1, NULL, out, &err);
    if (rc != 0) {
        print_error("%s: %s\n", r->iface, err.msg);
    }
    assert_int_equal(rc, 0);
    snap_info_free(plug);
    if (slot != NULL) {
        snap_info_free(slot);
    }
}

static void test_every_interface_has_a_row(void **state) {
    assert_int_equal(iface_count(), NROWS);
    for (size_t i = 0; i < iface_count(); i++) {
        assert_string_equal(iface_at(i)->name, rows[i].iface);
    }
}

static void test_registry_sorted_and_lookup(void **state) {
    for (size_t i = 0; i < iface_count(); i++) {
        const struct iface_def *d = iface_at(i);
        if (i > 0) {
            assert_true(strcmp(iface_at(i - 1)->name, d->name) < 0);
        }
        assert_ptr_equal(iface_lookup(d->name), d);
        assert_non_null(d->summary);
        assert_true(strlen(d->summary) > 10);
        /* a slot must be possible somewhere */
        assert_true(d->decl.slot_snaps != 0);
    }
    assert_null(iface_lookup("no-such-interface"));
    assert_null(iface_lookup(""));
    assert_null(iface_at(iface_count()));
}

static void test_implicit_slots(void **state) {
    const struct iface_def *v[64];
    size_t n = iface_implicit_slots(IFACE_MODE_CORE, v, 64);
    assert_true(n > 20 && n <= 64);
    bool network = false;
    for (size_t i = 0; i < n; i++) {
        assert_true(iface_is_implicit(v[i], IFACE_MODE_CORE));
        assert_string_not_equal(v[i]->name, "gpio"); /* gadget slots are never implicit */
        assert_string_not_equal(v[i]->name, "content");
        network = network || strcmp(v[i]->name, "network") == 0;
    }
    assert_true(network);
    assert_true(iface_is_implicit(iface_lookup("shared-memory"), IFACE_MODE_CLASSIC));
    assert_false(iface_is_implicit(iface_lookup("serial-port"), IFACE_MODE_CORE));
    /* a short buffer still reports the full count */
    assert_int_equal(iface_implicit_slots(IFACE_MODE_CORE, v, 2), n);
}

static void test_backends_table(void **state) {
    for (size_t i = 0; i < NROWS; i++) {
        const struct row *r = &rows[i];
        struct iface_policy p;
        row_policy(r, &p);
        struct {
            char code;
            bool has;
        } got[] = {
            {'A', p.apparmor.len > 0}, {'S', p.seccomp.len > 0}, {'L', p.nfs > 0},
            {'N', p.nnet > 0},         {'U', p.ndevices > 0},    {'K', p.kmods != NULL},
            {'M', p.nmounts > 0},      {'X', p.nexports > 0},    {'G', p.unscoped != 0},
        };
        for (size_t b = 0; b < sizeof(got) / sizeof(got[0]); b++) {
            bool want = strchr(r->backends, got[b].code) != NULL;
            if (want != got[b].has) {
                print_error("%s: backend %c %s\n", r->iface, got[b].code,
                            want ? "expected but empty" : "unexpectedly filled");
            }
            assert_int_equal(want, got[b].has);
        }
        iface_policy_release(&p);
    }
}

static bool syscall_known(const char *name) {
    static const uint32_t arches[] = {SCMP_ARCH_NATIVE, SCMP_ARCH_X86, SCMP_ARCH_ARM,
                                      SCMP_ARCH_AARCH64};
    for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
        if (seccomp_syscall_resolve_name_arch(arches[i], name) != __NR_SCMP_ERROR) {
            return true;
        }
    }
    return false;
}

static void check_seccomp_text(const char *iface, const char *text) {
    struct sn_err err = SN_ERR_INIT;
    int r = iface_seccomp_check(text, false, &err);
    if (r != 0) {
        print_error("%s: %s\n", iface, err.msg);
    }
    assert_int_equal(r, 0);
    for (const char *p = text; *p != '\0';) {
        size_t n = strcspn(p, "\n");
        if (n > 0 && p[0] != '#') {
            char name[64];
            size_t l = strcspn(p, " \n");
            assert_true(l < sizeof(name));
            memcpy(name, p, l);
            name[l] = '\0';
            if (!syscall_known(name)) {
                print_error("%s: unknown syscall '%s'\n", iface, name);
            }
            assert_true(syscall_known(name));
        }
        p += n + (p[n] == '\n');
    }
}

static void test_seccomp_snippets_parse(void **state) {
    for (size_t i = 0; i < NROWS; i++) {
        const struct iface_def *d = iface_at(i);
        const struct iface_snippets *sides[] = {&d->plug, &d->slot, &d->perm_slot};
        for (size_t s = 0; s < 3; s++) {
            if (sides[s]->seccomp != NULL) {
                check_seccomp_text(d->name, sides[s]->seccomp);
            }
        }
        struct iface_policy p;
        row_policy(&rows[i], &p);
        check_seccomp_text(d->name, p.seccomp.buf);
        iface_policy_release(&p);
    }
}

static const char *parser(void) {
    static const char *const cands[] = {"/usr/sbin/apparmor_parser", "/sbin/apparmor_parser"};
    for (size_t i = 0; i < 2; i++) {
        if (access(cands[i], X_OK) == 0) {
            return cands[i];
        }
    }
    return NULL;
}

/* Compile one profile wrapping text; returns the parser's exit status. */
static int compile_profile(const char *iface, const char *text) {
    char path[] = "/tmp/iface-aa-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f,
            "#include <tunables/global>\n"
            "@{SNAP_NAME}=\"consumer\"\n"
            "@{SNAP_INSTANCE_NAME}=\"consumer\"\n"
            "@{SNAP_REVISION}=\"x1\"\n"
            "@{INSTALL_DIR}=\"/{,var/lib/snapd/}snap\"\n"
            "profile \"snap.consumer.app\" flags=(attach_disconnected,mediate_deleted) {\n"
            "%s}\n",
            text);
    assert_int_equal(fclose(f), 0);
    char *argv[] = {(char *)parser(), "-QK", path, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    char errpath[] = "/tmp/iface-aa-err-XXXXXX";
    int efd = mkstemp(errpath);
    assert_true(efd >= 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
    posix_spawn_file_actions_adddup2(&fa, efd, 2);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    if (rc != 0) {
        char msg[2048] = "";
        ssize_t n = pread(efd, msg, sizeof(msg) - 1, 0);
        msg[n > 0 ? n : 0] = '\0';
        print_error("%s: apparmor_parser -QK %s failed:\n%s\n%s\n", iface, path, msg, text);
    } else {
        unlink(path);
    }
    close(efd);
    unlink(errpath);
    return rc;
}

static void test_apparmor_snippets_compile(void **state) {
    if (parser() == NULL || access("/etc/apparmor.d/tunables/global", R_OK) != 0) {
        skip();
    }
    for (size_t i = 0; i < NROWS; i++) {
        struct iface_policy p;
        row_policy(&rows[i], &p);
        assert_int_equal(compile_profile(rows[i].iface, p.apparmor.buf), 0);
        iface_policy_release(&p);
    }
}

static void test_docs_exist(void **state) {
    const char *src = getenv("SNAPC_SRC");
    if (src == NULL) {
        skip();
    }
    char path[512];
    (void)snprintf(path, sizeof(path), "%s/docs/interfaces/README.md", src);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *readme = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&readme, &cap, '\0', f);
    fclose(f);
    assert_true(n > 0);
    for (size_t i = 0; i < iface_count(); i++) {
        const char *name = iface_at(i)->name;
        struct stat st;
        (void)snprintf(path, sizeof(path), "%s/docs/interfaces/%s.md", src, name);
        if (stat(path, &st) != 0) {
            print_error("missing %s\n", path);
        }
        assert_int_equal(stat(path, &st), 0);
        /* the generated section matches the registry */
        f = fopen(path, "r");
        assert_non_null(f);
        char *page = NULL;
        size_t pcap = 0;
        assert_true(getdelim(&page, &pcap, '\0', f) > 0);
        fclose(f);
        struct sn_strbuf want = SN_STRBUF_INIT;
        docgen_update(iface_at(i), page, &want);
        if (strcmp(want.buf, page) != 0) {
            print_error(
                "%s is out of date: run iface-docgen docs/interfaces "
                "(build-dir/tests/unit/interfaces/iface-docgen)\n",
                path);
        }
        assert_string_equal(want.buf, page);
        sn_strbuf_release(&want);
        free(page);
        char link[128];
        (void)snprintf(link, sizeof(link), "(%s.md)", name);
        if (strstr(readme, link) == NULL) {
            print_error("README.md does not link %s\n", link);
        }
        assert_non_null(strstr(readme, link));
    }
    free(readme);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_interface_has_a_row),
        cmocka_unit_test(test_registry_sorted_and_lookup),
        cmocka_unit_test(test_implicit_slots),
        cmocka_unit_test(test_backends_table),
        cmocka_unit_test(test_seccomp_snippets_parse),
        cmocka_unit_test(test_apparmor_snippets_compile),
        cmocka_unit_test(test_docs_exist),
    };
    return cmocka_run_group_tests_name("interfaces-registry", tests, NULL, NULL);
}
