/* SPDX-License-Identifier: GPL-3.0-only
 * Unit tests for lib/yaml-tree: positions, duplicate keys, aliases, bombs, depth, UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "strbuf.h"
#include "yaml-tree.h"

#include "banned.h"

static struct sn_ydoc *parse_ok(const char *s) {
    struct sn_ydoc *d = NULL;
    struct sn_err err = SN_ERR_INIT;
    int r = sn_yaml_parse(s, strlen(s), "t.yaml", NULL, &d, &err);
    if (r != 0) {
        print_error("unexpected error: %s\n", err.msg);
    }
    assert_int_equal(r, 0);
    return d;
}

static int parse_err(const char *s, size_t len, struct sn_err *err) {
    struct sn_ydoc *d = NULL;
    int r = sn_yaml_parse(s, len, "t.yaml", NULL, &d, err);
    assert_null(d);
    return r;
}

static void test_positions(void **state) {
    struct sn_ydoc *d = parse_ok("a: 1\nb:\n  c: [x, 'y']\n");
    const struct sn_ynode *b = sn_ymap_get(d->root, "b");
    assert_non_null(b);
    assert_int_equal(b->kind, SN_Y_MAP);
    const struct sn_ynode *c = sn_ymap_get(b, "c");
    assert_int_equal(c->kind, SN_Y_SEQ);
    assert_int_equal(c->line, 3);
    assert_int_equal(c->col, 6);
    assert_true(c->items[0]->plain);
    assert_false(c->items[1]->plain);
    assert_string_equal(c->items[1]->value, "y");
    sn_ydoc_free(d);
}

static void test_duplicate_key(void **state) {
    struct sn_err err = SN_ERR_INIT;
    const char *s = "name: a\nversion: 1\nname: b\n";
    assert_int_equal(parse_err(s, strlen(s), &err), -EINVAL);
    assert_non_null(strstr(err.msg, "t.yaml:3:1"));
    assert_non_null(strstr(err.msg, "duplicate key 'name'"));
}

static void test_alias_shared(void **state) {
    struct sn_ydoc *d = parse_ok("a: &x {k: v}\nb: *x\n");
    const struct sn_ynode *a = sn_ymap_get(d->root, "a"), *b = sn_ymap_get(d->root, "b");
    assert_ptr_equal(a, b);
    assert_true(a->shared);
    sn_ydoc_free(d);
}

static void test_alias_bomb(void **state) {
    struct sn_strbuf sb = SN_STRBUF_INIT;
    sn_strbuf_addstr(&sb, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
        sn_strbuf_addf(&sb, "a%d: &a%d [", i, i);
        for (int j = 0; j < 10; j++) {
            sn_strbuf_addf(&sb, "%s*a%d", j ? ", " : "", i - 1);
        }
        sn_strbuf_addstr(&sb, "]\n");
    }
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(parse_err(sb.buf, sb.len, &err), -E2BIG);
    assert_non_null(strstr(err.msg, "alias bomb"));
    sn_strbuf_release(&sb);
}

static void test_depth(void **state) {
    struct sn_strbuf sb = SN_STRBUF_INIT;
    for (int i = 0; i < 1000; i++) {
        sn_strbuf_addch(&sb, '[');
    }
    struct sn_err err = SN_ERR_INIT;
    int r = parse_err(sb.buf, sb.len, &err);
    assert_true(r < 0);
    sn_strbuf_release(&sb);
}

static void test_bad_utf8(void **state) {
    const char s[] = "name: \xff\xfe\n";
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(parse_err(s, sizeof(s) - 1, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "t.yaml:"));
}

static void test_unknown_anchor(void **state) {
    const char *s = "a: *nope\n";
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(parse_err(s, strlen(s), &err), -EINVAL);
}

static void test_multi_doc(void **state) {
    const char *s = "a: 1\n---\nb: 2\n";
    struct sn_err err = SN_ERR_INIT;
    assert_int_equal(parse_err(s, strlen(s), &err), -EINVAL);
    assert_non_null(strstr(err.msg, "more than one document"));
}

static void test_bools_nulls(void **state) {
    struct sn_ydoc *d = parse_ok("a: yes\nb: 'yes'\nc: ~\nd:\ne: Off\n");
    assert_int_equal(sn_ynode_bool(sn_ymap_get(d->root, "a")), 1);
    assert_int_equal(sn_ynode_bool(sn_ymap_get(d->root, "b")), -1);
    assert_true(sn_ynode_is_null(sn_ymap_get(d->root, "c")));
    assert_true(sn_ynode_is_null(sn_ymap_get(d->root, "d")));
    assert_int_equal(sn_ynode_bool(sn_ymap_get(d->root, "e")), 0);
    sn_ydoc_free(d);
}

static void test_empty(void **state) {
    struct sn_ydoc *d = parse_ok("");
    assert_null(d->root);
    sn_ydoc_free(d);
}

/* the go-yaml v2 options: duplicate keys kept (last wins), first document only, %YAML 1.1 */
static void test_go_options(void **state) {
    static const struct sn_yaml_limits go = {
        .allow_duplicate_keys = true, .first_document_only = true, .yaml11_only = true};
    static const struct {
        const char *yaml;
        bool with_go; /* parse with the options */
        int want;     /* 0 or the error */
        const char *msg;
    } rows[] = {
        {"a: 1\na: 2\n", true, 0, NULL},
        {"a: 1\na: 2\n", false, -EINVAL, "duplicate key"},
        {"a: 1\n---\nb: [\n", true, 0, NULL},
        {"a: 1\n---\nb: 2\n", false, -EINVAL, "more than one document"},
        {"a: 1\n...\n%YAML 1.2\n---\nb\n", true, 0, NULL},
        {"%YAML 1.2\n---\na: 1\n", true, -EINVAL, "incompatible YAML document"},
        {"%YAML 1.2\n---\na: 1\n", false, 0, NULL},
        {"%YAML 1.1\n---\na: 1\n", true, 0, NULL},
        {"a: *x\n", true, -EINVAL, "unknown anchor"},
        {"a: [\n", true, -EINVAL, "t.yaml:2:1"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct sn_ydoc *d = NULL;
        struct sn_err err = SN_ERR_INIT;
        int r = sn_yaml_parse(rows[i].yaml, strlen(rows[i].yaml), "t.yaml",
                              rows[i].with_go ? &go : NULL, &d, &err);
        if (r != rows[i].want || (rows[i].msg && strstr(err.msg, rows[i].msg) == NULL)) {
            print_error("row %zu: r=%d '%s'\n", i, r, err.msg);
            fail();
        }
        sn_ydoc_free(d);
    }
    /* with duplicates kept, lookups see the last pair; tags and flow context are recorded */
    struct sn_ydoc *d = NULL;
    const char *y = "a: 1\na: !!str 2\nb: [x, {c: y}]\nc: z\n";
    assert_int_equal(sn_yaml_parse(y, strlen(y), "t.yaml", &go, &d, NULL), 0);
    assert_int_equal(d->root->n, 4);
    const struct sn_ynode *a = sn_ymap_get(d->root, "a");
    assert_string_equal(a->value, "2");
    assert_string_equal(a->tag, "tag:yaml.org,2002:str");
    assert_null(d->root->items[0]->tag);
    const struct sn_ynode *b = sn_ymap_get(d->root, "b");
    assert_false(b->in_flow);
    assert_true(b->items[0]->in_flow);
    assert_true(sn_ymap_get(b->items[1], "c")->in_flow);
    assert_false(sn_ymap_get(d->root, "c")->in_flow);
    sn_ydoc_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),      cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_alias_shared),   cmocka_unit_test(test_alias_bomb),
        cmocka_unit_test(test_depth),          cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_unknown_anchor), cmocka_unit_test(test_multi_doc),
        cmocka_unit_test(test_bools_nulls),    cmocka_unit_test(test_empty),
        cmocka_unit_test(test_go_options),
    };
    return cmocka_run_group_tests_name("yaml-tree", tests, NULL, NULL);
}
