/* SPDX-License-Identifier: GPL-3.0-only
 * Unit tests for lib/fs and lib/hash.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "hash.h"
#include "xalloc.h"

#include "banned.h"

static int setup(void **state) {
    char tmpl[] = "/tmp/snapc-unit.XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    *state = xstrdup(d);
    return 0;
}

static int teardown(void **state) {
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(sn_rm_rf(*state, &err), 0);
    free(*state);
    return 0;
}

static void test_atomic_write(void **state) {
    const char *dir = *state;
    SN_AUTOFREE char *p = xasprintf("%s/a/b/state.json", dir);
    SN_AUTOFREE char *parent = xasprintf("%s/a/b", dir);
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(sn_mkpath(parent, 0755, &err), 0);
    assert_int_equal(sn_write_file_atomic(p, "hello", 5, 0600, &err), 0);
    assert_int_equal(sn_write_file_atomic(p, "world!", 6, 0600, &err), 0);
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    assert_int_equal(sn_read_file(p, 100, &data, &len, &err), 0);
    assert_int_equal(len, 6);
    assert_string_equal(data, "world!");
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* no temp files left */
    SN_AUTOCLOSEDIR DIR *d = opendir(parent);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        n += de->d_name[0] != '.';
    }
    assert_int_equal(n, 1);
}

static void test_read_limit(void **state) {
    SN_AUTOFREE char *p = xasprintf("%s/big", (char *)*state);
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(sn_write_file_atomic(p, "0123456789", 10, 0644, &err), 0);
    char *data = NULL;
    size_t len;
    assert_int_equal(sn_read_file(p, 5, &data, &len, &err), -EFBIG);
    assert_null(data);
    assert_non_null(strstr(err.msg, "larger than 5 bytes"));
    assert_int_equal(sn_read_file("/nonexistent/x", 5, &data, &len, &err), -ENOENT);
    assert_string_equal(err.msg, "cannot open '/nonexistent/x': No such file or directory");
}

static void test_rm_rf_and_symlink(void **state) {
    const char *dir = *state;
    SN_AUTOFREE char *deep = xasprintf("%s/x/y/z", dir);
    SN_AUTOFREE char *top = xasprintf("%s/x", dir);
    SN_AUTOFREE char *link = xasprintf("%s/current", dir);
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(sn_mkpath(deep, 0755, &err), 0);
    assert_int_equal(sn_symlink_atomic("x1", link, &err), 0);
    assert_int_equal(sn_symlink_atomic("x2", link, &err), 0);
    char buf[16] = "";
    assert_int_equal(readlink(link, buf, sizeof(buf) - 1), 2);
    assert_string_equal(buf, "x2");
    assert_int_equal(sn_rm_rf(top, &err), 0);
    assert_false(sn_path_exists(top));
    assert_int_equal(sn_rm_rf(top, &err), 0);
}

static void test_path_join(void **state) {
    SN_AUTOFREE char *a = sn_path_join("/", "/var/lib");
    SN_AUTOFREE char *b = sn_path_join("/tmp/r/", "/var/lib");
    SN_AUTOFREE char *c = sn_path_join(NULL, "snap");
    assert_string_equal(a, "/var/lib");
    assert_string_equal(b, "/tmp/r/var/lib");
    assert_string_equal(c, "snap");
}

static void test_sha3(void **state) {
    /* SHA3-384("abc") from FIPS 202 examples */
    uint8_t d[SN_SHA3_384_SIZE];
    char hex[2 * SN_SHA3_384_SIZE + 1];
    sn_sha3_384_buf("abc", 3, d);
    sn_hex(d, sizeof(d), hex);
    assert_string_equal(hex,
                        "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b2"
                        "98d88cea927ac7f539f1edf228376d25");
    char b64[SN_SHA3_384_B64_LEN + 1];
    sn_base64url(d, sizeof(d), b64);
    assert_int_equal(strlen(b64), 64);
    assert_null(strchr(b64, '='));
    uint8_t two[2] = {0xfb, 0xff};
    char s[8];
    sn_base64url(two, 2, s);
    assert_string_equal(s, "-_8");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_atomic_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rm_rf_and_symlink, setup, teardown),
        cmocka_unit_test(test_path_join),
        cmocka_unit_test(test_sha3),
    };
    return cmocka_run_group_tests_name("fs", tests, NULL, NULL);
}
