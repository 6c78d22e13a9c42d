/* SPDX-License-Identifier: GPL-3.0-only
 * yaml-tree.h: a YAML document parsed with libyaml into a small tree with positions.
 *
 * Safe on hostile input: the input size is capped by the caller, nesting depth is capped,
 * duplicate mapping keys are errors (unless limits->allow_duplicate_keys), and aliases are
 * shared (never copied) while the expanded size of the document is capped, so alias bombs fail
 * fast instead of exploding.
 */
#ifndef SN_YAML_TREE_H
#define SN_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include "cleanup.h"
#include "err.h"

enum sn_ykind { SN_Y_SCALAR, SN_Y_SEQ, SN_Y_MAP };

struct sn_ynode {
    enum sn_ykind kind;
    int line, col; /* 1-based position of the node's start */
    bool plain;    /* scalar written without quotes or block style (null/bool/number apply) */
    bool in_flow;  /* inside a flow collection ([...] or {...}) */
    char *value;   /* scalar text, NUL-terminated (may contain NUL when quoted; see len) */
    char *tag;     /* explicit tag as libyaml resolved it ("tag:yaml.org,2002:str", "!foo"),
                    * NULL when the node has none */
    size_t len;    /* scalar length */
    size_t n;      /* sequence items, or mapping pairs */
    struct sn_ynode **items; /* sequence items, or mapping values */
    struct sn_ynode **keys;  /* mapping keys (scalars or anything YAML allows) */
    bool shared;             /* reached through an alias somewhere; owned by the doc's arena */
};

struct sn_ydoc {
    struct sn_ynode *root; /* NULL for an empty document */
    struct sn_ynode **all; /* every node, for freeing */
    size_t nall, allocall;
};

struct sn_yaml_limits {
    size_t max_depth;    /* nesting depth, default 64 */
    size_t max_expanded; /* nodes counted through aliases, default 100000 */
    /* Options for reading files the way gopkg.in/yaml.v2 does (snapd's YAML library); all
     * default to false, the strict behaviour: */
    bool allow_duplicate_keys; /* keep every pair of a mapping, in file order */
    bool first_document_only;  /* stop after the first document; what follows is not parsed */
    bool yaml11_only;          /* a %YAML directive other than 1.1 is an error */
};

/* Parse one YAML document. fname is used in messages ("FILE:LINE:COL: ..."). On success the
 * caller owns *doc; free with sn_ydoc_free. An empty stream gives doc->root == NULL. */
int sn_yaml_parse(const char *data, size_t len, const char *fname,
                  const struct sn_yaml_limits *limits, struct sn_ydoc **doc,
                  struct sn_err *err) SN_WUR;
void sn_ydoc_free(struct sn_ydoc *doc);
SN_DEFINE_CLEANUP(struct sn_ydoc *, sn_ydoc_free)

/* Mapping lookup by scalar key; NULL when absent or node is not a map. With duplicate keys
 * (allow_duplicate_keys) the last pair wins, as in go-yaml. */
struct sn_ynode *sn_ymap_get(const struct sn_ynode *map, const char *key);
/* true for plain "", "~", "null", "Null", "NULL" */
bool sn_ynode_is_null(const struct sn_ynode *n);
/* YAML 1.1 booleans as go-yaml v2 reads them (true/false/yes/no/on/off and case forms).
 * Returns 1 true, 0 false, -1 not a boolean. */
int sn_ynode_bool(const struct sn_ynode *n);
const char *sn_ykind_name(enum sn_ykind k);

#endif
