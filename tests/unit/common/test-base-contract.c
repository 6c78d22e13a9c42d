/* SPDX-License-Identifier: GPL-3.0-only
 * Unit tests for snapd-c/common/base-contract: which paths of the launcher's mount plan a base
 * lacks and the launcher cannot provide (docs/mount-plan.md, "A minimal base"). Each row is a
 * base (its entries, "d" a directory, "l" a symlink, "f" a file) and the list expected.
 * tests/integration/minimal-base.sh checks the same rows against the real launcher.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base-contract.h"
#include "cleanup.h"
#include "strbuf.h"

#include "banned.h"

struct row {
    const char *name;
    const char *entries; /* "d:dev d:etc l:tmp ..." */
    const char *want;    /* "/root /snap", "" when nothing is lacking */
};

#define MINIMAL "d:dev d:etc d:proc d:root d:run d:snap d:sys d:tmp d:var "

static const struct row rows[] = {
    {"minimal base: nothing lacking", MINIMAL, ""},
    {"full base", MINIMAL "d:home d:var/lib d:var/lib/snapd d:var/snap d:usr", ""},
    {"var/lib without snapd: made", MINIMAL "d:var/lib", ""},
    {"nothing at all", "", "/dev /etc /proc /root /run /snap /sys /tmp /var"},
    {"no snap, no root (issue 8)", "d:dev d:etc d:proc d:run d:sys d:tmp d:var", "/root /snap"},
    {"no var: one entry for var/snap and var/lib/snapd",
     "d:dev d:etc d:proc d:root d:run d:snap d:sys d:tmp", "/var"},
    {"var is a symlink", "d:dev d:etc d:proc d:root d:run d:snap d:sys d:tmp l:var", "/var"},
    {"tmp is a symlink", "d:dev d:etc d:proc d:root d:run d:snap d:sys l:tmp d:var", "/tmp"},
    {"var/lib is a symlink", MINIMAL "l:var/lib", "/var/lib"},
    {"var/snap is a file", MINIMAL "f:var/snap", "/var/snap"},
    {"var/lib/snapd is a symlink", MINIMAL "d:var/lib l:var/lib/snapd", "/var/lib/snapd"},
    {"no home: not needed (root's apps run)", MINIMAL, ""},
    {"root is a file", "d:dev d:etc d:proc f:root d:run d:snap d:sys d:tmp d:var", "/root"},
};

static enum base_entry lookup(void *ctx, const char *path) {
    const char *entries = ctx;
    size_t pl = strlen(path);
    for (const char *p = entries; *p;) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == pl + 2 && strncmp(p + 2, path, pl) == 0) {
            return p[0] == 'd' ? BASE_ENTRY_DIR : BASE_ENTRY_OTHER;
        }
        p += len;
        while (*p == ' ') {
            p++;
        }
    }
    return BASE_ENTRY_MISSING;
}

static void test_row(void **state) {
    const struct row *r = *state;
    SN_AUTOSTRV char **lacks = base_contract_lacks(lookup, (void *)r->entries);
    SN_AUTOSTRBUF struct sn_strbuf got = SN_STRBUF_INIT;
    for (size_t i = 0; lacks[i] != NULL; i++) {
        sn_strbuf_addf(&got, "%s%s", i ? " " : "", lacks[i]);
    }
    assert_string_equal(got.buf ? got.buf : "", r->want);
}

int main(void) {
    static struct CMUnitTest tests[sizeof(rows) / sizeof(rows[0])];
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        tests[i].name = rows[i].name;
        tests[i].test_func = test_row;
        tests[i].initial_state = (void *)&rows[i]; /* read-only in test_row */
    }
    return _cmocka_run_group_tests("base-contract", tests, sizeof(tests) / sizeof(tests[0]), NULL,
                                   NULL);
}
