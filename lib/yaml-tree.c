/* SPDX-License-Identifier: GPL-3.0-only */
#include "yaml-tree.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cleanup.h"
#include "xalloc.h"

#include "banned.h"

struct anchor {
    char *name;
    struct sn_ynode *node;
    size_t weight;
};

struct loader {
    yaml_parser_t parser;
    const char *fname;
    struct sn_yaml_limits lim;
    struct sn_ydoc *doc;
    struct anchor *anchors;
    size_t nanchors, allocanchors;
    size_t expanded;
    size_t flow_depth; /* flow collections around the node being loaded */
};

static struct sn_ynode *node_new(struct loader *l, enum sn_ykind kind, const yaml_mark_t *m) {
    struct sn_ynode *n = xcalloc(1, sizeof(*n));
    n->kind = kind;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    n->in_flow = l->flow_depth > 0;
    struct sn_ydoc *d = l->doc;
    if (d->nall == d->allocall) {
        d->allocall = d->allocall ? d->allocall * 2 : 64;
        d->all = xrealloc(d->all, d->allocall * sizeof(*d->all));
    }
    d->all[d->nall++] = n;
    return n;
}

static int parser_error(struct loader *l, struct sn_err *err) {
    const yaml_parser_t *p = &l->parser;
    const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->context_mark;
    return sn_err_set(err, -EINVAL, "%s:%zu:%zu: invalid YAML: %s%s%s", l->fname,
                      (size_t)m->line + 1, (size_t)m->column + 1,
                      p->problem ? p->problem : "syntax error", p->context ? " " : "",
                      p->context ? p->context : "");
}

static void anchor_add(struct loader *l, const char *name, struct sn_ynode *node, size_t weight) {
    if (l->nanchors == l->allocanchors) {
        l->allocanchors = l->allocanchors ? l->allocanchors * 2 : 8;
        l->anchors = xrealloc(l->anchors, l->allocanchors * sizeof(*l->anchors));
    }
    /* a later anchor with the same name shadows the earlier one (YAML spec) */
    l->anchors[l->nanchors++] = (struct anchor){xstrdup(name), node, weight};
}

static void mark_shared(struct sn_ynode *n) {
    if (n->shared) {
        return;
    }
    n->shared = true;
    for (size_t i = 0; i < n->n; i++) {
        mark_shared(n->items[i]);
        if (n->keys) {
            mark_shared(n->keys[i]);
        }
    }
}

static void push_child(struct sn_ynode *parent, struct sn_ynode *key, struct sn_ynode *val) {
    parent->items = xrealloc(parent->items, (parent->n + 1) * sizeof(*parent->items));
    parent->items[parent->n] = val;
    if (parent->kind == SN_Y_MAP) {
        parent->keys = xrealloc(parent->keys, (parent->n + 1) * sizeof(*parent->keys));
        parent->keys[parent->n] = key;
    }
    parent->n++;
}

static bool scalar_eq(const struct sn_ynode *a, const struct sn_ynode *b) {
    return a->kind == SN_Y_SCALAR && b->kind == SN_Y_SCALAR && a->len == b->len &&
           memcmp(a->value, b->value, a->len) == 0;
}

/* Parse one node starting at event ev (already taken). Returns weight via *weight. */
static int load_node(struct loader *l, yaml_event_t *ev, size_t depth, struct sn_ynode **out,
                     size_t *weight, struct sn_err *err);

static int next_event(struct loader *l, yaml_event_t *ev, struct sn_err *err) {
    if (!yaml_parser_parse(&l->parser, ev)) {
        return parser_error(l, err);
    }
    return 0;
}

static int check_budget(struct loader *l, const yaml_mark_t *m, size_t add, struct sn_err *err) {
    l->expanded += add;
    if (l->expanded > l->lim.max_expanded) {
        return sn_err_set(err, -E2BIG,
                          "%s:%zu:%zu: invalid YAML: document expands to more than %zu nodes "
                          "(alias bomb?)",
                          l->fname, (size_t)m->line + 1, (size_t)m->column + 1,
                          l->lim.max_expanded);
    }
    return 0;
}

static int load_collection(struct loader *l, struct sn_ynode *n, size_t depth, size_t *weight,
                           struct sn_err *err) {
    bool is_map = n->kind == SN_Y_MAP;
    for (;;) {
        yaml_event_t ev;
        int r = next_event(l, &ev, err);
        if (r < 0) {
            return r;
        }
        if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        struct sn_ynode *key = NULL;
        size_t w = 0;
        r = load_node(l, &ev, depth + 1, &key, &w, err);
        if (r < 0) {
            return r;
        }
        *weight += w;
        if (!is_map) {
            push_child(n, NULL, key);
            continue;
        }
        for (size_t i = 0; !l->lim.allow_duplicate_keys && i < n->n; i++) {
            if (scalar_eq(n->keys[i], key)) {
                return sn_err_set(err, -EINVAL,
                                  "%s:%d:%d: invalid YAML: duplicate key '%s' (first at line %d)",
                                  l->fname, key->line, key->col, key->value, n->keys[i]->line);
            }
        }
        r = next_event(l, &ev, err);
        if (r < 0) {
            return r;
        }
        struct sn_ynode *val = NULL;
        w = 0;
        r = load_node(l, &ev, depth + 1, &val, &w, err);
        if (r < 0) {
            return r;
        }
        *weight += w;
        push_child(n, key, val);
    }
}

static int load_node(struct loader *l, yaml_event_t *ev, size_t depth, struct sn_ynode **out,
                     size_t *weight, struct sn_err *err) {
    int r = 0;
    yaml_mark_t m = ev->start_mark;
    if (depth > l->lim.max_depth) {
        yaml_event_delete(ev);
        return sn_err_set(err, -E2BIG, "%s:%zu:%zu: invalid YAML: nested deeper than %zu levels",
                          l->fname, (size_t)m.line + 1, (size_t)m.column + 1, l->lim.max_depth);
    }
    const char *anchor = NULL;
    struct sn_ynode *n = NULL;
    size_t w = 1;
    switch (ev->type) {
        case YAML_ALIAS_EVENT: {
            const char *name = (const char *)ev->data.alias.anchor;
            for (size_t i = l->nanchors; i-- > 0;) {
                if (strcmp(l->anchors[i].name, name) == 0) {
                    n = l->anchors[i].node;
                    w = l->anchors[i].weight;
                    break;
                }
            }
            if (n == NULL) {
                r = sn_err_set(err, -EINVAL, "%s:%zu:%zu: invalid YAML: unknown anchor '%s'",
                               l->fname, (size_t)m.line + 1, (size_t)m.column + 1, name);
                break;
            }
            mark_shared(n);
            r = check_budget(l, &m, w, err);
            break;
        }
        case YAML_SCALAR_EVENT:
            n = node_new(l, SN_Y_SCALAR, &m);
            n->len = ev->data.scalar.length;
            n->value = xmalloc(n->len + 1);
            memcpy(n->value, ev->data.scalar.value, n->len);
            n->value[n->len] = '\0';
            n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            if (ev->data.scalar.tag != NULL) {
                n->tag = xstrdup((const char *)ev->data.scalar.tag);
            }
            anchor = (const char *)ev->data.scalar.anchor;
            r = check_budget(l, &m, 1, err);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            n = node_new(l, ev->type == YAML_SEQUENCE_START_EVENT ? SN_Y_SEQ : SN_Y_MAP, &m);
            anchor = (const char *)(ev->type == YAML_SEQUENCE_START_EVENT
                                        ? ev->data.sequence_start.anchor
                                        : ev->data.mapping_start.anchor);
            {
                const yaml_char_t *t = ev->type == YAML_SEQUENCE_START_EVENT
                                           ? ev->data.sequence_start.tag
                                           : ev->data.mapping_start.tag;
                if (t != NULL) {
                    n->tag = xstrdup((const char *)t);
                }
            }
            r = check_budget(l, &m, 1, err);
            if (r == 0) {
                SN_AUTOFREE char *a = anchor ? xstrdup(anchor) : NULL;
                bool flow = ev->type == YAML_SEQUENCE_START_EVENT
                                ? ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                                : ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
                yaml_event_delete(ev);
                l->flow_depth += flow;
                r = load_collection(l, n, depth, &w, err);
                l->flow_depth -= flow;
                if (r == 0 && a != NULL) {
                    anchor_add(l, a, n, w);
                }
                *out = n;
                *weight = w;
                return r;
            }
            break;
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
        default:
            r = sn_err_set(err, -EINVAL, "%s:%zu:%zu: invalid YAML: unexpected event %d", l->fname,
                           (size_t)m.line + 1, (size_t)m.column + 1, (int)ev->type);
            break;
    }
    if (r == 0 && anchor != NULL) {
        anchor_add(l, anchor, n, w);
    }
    yaml_event_delete(ev);
    *out = n;
    *weight = w;
    return r;
}

int sn_yaml_parse(const char *data, size_t len, const char *fname,
                  const struct sn_yaml_limits *limits, struct sn_ydoc **doc, struct sn_err *err) {
    struct loader l = {.fname = fname, .lim = {.max_depth = 64, .max_expanded = 100000}};
    if (limits != NULL) {
        l.lim.allow_duplicate_keys = limits->allow_duplicate_keys;
        l.lim.first_document_only = limits->first_document_only;
        l.lim.yaml11_only = limits->yaml11_only;
        if (limits->max_depth) {
            l.lim.max_depth = limits->max_depth;
        }
        if (limits->max_expanded) {
            l.lim.max_expanded = limits->max_expanded;
        }
    }
    SN_CLEANUP(sn_cleanup_sn_ydoc_free) struct sn_ydoc *d = xcalloc(1, sizeof(*d));
    l.doc = d;
    if (!yaml_parser_initialize(&l.parser)) {
        return sn_err_set(err, -ENOMEM, "%s: cannot initialise YAML parser", fname);
    }
    yaml_parser_set_input_string(&l.parser, (const unsigned char *)data, len);
    int r = 0;
    bool in_doc = false;
    bool done = false;
    while (r == 0 && !done) {
        yaml_event_t ev;
        r = next_event(&l, &ev, err);
        if (r < 0) {
            break;
        }
        switch (ev.type) {
            case YAML_STREAM_START_EVENT:
                yaml_event_delete(&ev);
                break;
            case YAML_DOCUMENT_START_EVENT: {
                const yaml_version_directive_t *vd = ev.data.document_start.version_directive;
                if (d->root != NULL || in_doc) {
                    r = sn_err_set(err, -EINVAL, "%s:%zu:%zu: invalid YAML: more than one document",
                                   fname, (size_t)ev.start_mark.line + 1,
                                   (size_t)ev.start_mark.column + 1);
                } else if (l.lim.yaml11_only && vd != NULL && (vd->major != 1 || vd->minor != 1)) {
                    r = sn_err_set(err, -EINVAL,
                                   "%s:%zu:%zu: invalid YAML: found incompatible YAML document "
                                   "(%%YAML %d.%d, expected 1.1)",
                                   fname, (size_t)ev.start_mark.line + 1,
                                   (size_t)ev.start_mark.column + 1, vd->major, vd->minor);
                }
                in_doc = true;
                yaml_event_delete(&ev);
                break;
            }
            case YAML_DOCUMENT_END_EVENT:
                yaml_event_delete(&ev);
                done = l.lim.first_document_only;
                break;
            case YAML_STREAM_END_EVENT:
                yaml_event_delete(&ev);
                done = true;
                break;
            case YAML_NO_EVENT:
            case YAML_ALIAS_EVENT:
            case YAML_SCALAR_EVENT:
            case YAML_SEQUENCE_START_EVENT:
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_START_EVENT:
            case YAML_MAPPING_END_EVENT:
            default: {
                size_t w = 0;
                r = load_node(&l, &ev, 1, &d->root, &w, err);
                break;
            }
        }
    }
    for (size_t i = 0; i < l.nanchors; i++) {
        free(l.anchors[i].name);
    }
    free(l.anchors);
    yaml_parser_delete(&l.parser);
    if (r < 0) {
        return r;
    }
    *doc = SN_TAKE_PTR(d);
    return 0;
}

void sn_ydoc_free(struct sn_ydoc *doc) {
    if (doc == NULL) {
        return;
    }
    for (size_t i = 0; i < doc->nall; i++) {
        free(doc->all[i]->value);
        free(doc->all[i]->tag);
        free(doc->all[i]->items);
        free(doc->all[i]->keys);
        free(doc->all[i]);
    }
    free(doc->all);
    free(doc);
}

struct sn_ynode *sn_ymap_get(const struct sn_ynode *map, const char *key) {
    if (map == NULL || map->kind != SN_Y_MAP) {
        return NULL;
    }
    for (size_t i = map->n; i-- > 0;) {
        const struct sn_ynode *k = map->keys[i];
        if (k->kind == SN_Y_SCALAR && strcmp(k->value, key) == 0) {
            return map->items[i];
        }
    }
    return NULL;
}

bool sn_ynode_is_null(const struct sn_ynode *n) {
    if (n == NULL) {
        return true;
    }
    if (n->kind != SN_Y_SCALAR || !n->plain) {
        return false;
    }
    return n->len == 0 || strcmp(n->value, "~") == 0 || strcmp(n->value, "null") == 0 ||
           strcmp(n->value, "Null") == 0 || strcmp(n->value, "NULL") == 0;
}

int sn_ynode_bool(const struct sn_ynode *n) {
    static const char *const yes[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                      "True", "TRUE", "on",  "On",  "ON"};
    static const char *const no[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                     "False", "FALSE", "off", "Off", "OFF"};
    if (n == NULL || n->kind != SN_Y_SCALAR || !n->plain) {
        return -1;
    }
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcmp(n->value, yes[i]) == 0) {
            return 1;
        }
        if (strcmp(n->value, no[i]) == 0) {
            return 0;
        }
    }
    return -1;
}

const char *sn_ykind_name(enum sn_ykind k) {
    switch (k) {
        case SN_Y_SCALAR:
            return "a scalar";
        case SN_Y_SEQ:
            return "a list";
        case SN_Y_MAP:
            return "a map";
    }
    return "?";
}
