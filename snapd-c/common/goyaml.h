/* SPDX-License-Identifier: GPL-3.0-only
 * goyaml.h: read a lib/yaml-tree document the way gopkg.in/yaml.v2 (the YAML library snapd
 * 2.57 uses) decodes it into Go values, so snap.yaml, gadget.yaml, kernel.yaml and
 * snapshots.yaml get snapd's verdicts:
 *   - only the first document is read, %YAML other than 1.1 is refused;
 *   - duplicate mapping keys are kept and the last one wins;
 *   - merge keys (<<) are expanded in decoding order;
 *   - plain scalars resolve with YAML 1.1 rules (null, bool, int, float, timestamp, string)
 *     where Go decodes into interface{} or checks a key's type.
 */
#ifndef SNAPD_GOYAML_H
#define SNAPD_GOYAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "yaml-tree.h"

/* Parse with the options above (plus yaml-tree's depth and alias-bomb limits). The caller owns
 * *doc (sn_ydoc_free); doc->root is NULL for an empty stream (comments only, no content). */
int goyaml_parse(const char *data, size_t len, const char *fname, struct sn_ydoc **doc,
                 struct sn_err *err) SN_WUR;

enum goyaml_kind {
    GOYAML_NULL,
    GOYAML_BOOL,
    GOYAML_INT,       /* fits int64: v.i */
    GOYAML_UINT,      /* above INT64_MAX: v.u */
    GOYAML_FLOAT,     /* v.f */
    GOYAML_STR,       /* plain text, quoted, block, !!str, unknown tags */
    GOYAML_TIMESTAMP, /* a plain date; decoded into interface{} it stays a string */
    GOYAML_SEQ,
    GOYAML_MAP,
};

struct goyaml_value {
    enum goyaml_kind kind;
    bool b;
    int64_t i;
    uint64_t u;
    double f;
};

/* What a node becomes when decoded into interface{}. Returns -EINVAL when an explicit tag does
 * not fit the text ("!!int abc"), which go-yaml reports as an error. */
int goyaml_resolve(const struct sn_ynode *n, struct goyaml_value *out) SN_WUR;
/* True when the resolved value is a Go string (strings and timestamps). */
bool goyaml_is_string(const struct sn_ynode *n);
/* go-yaml's "no value" test: NULL node, a plain ~/null/empty scalar, or an explicit !!null.
 * Fields with a custom decoder (type, epoch, durations...) keep their zero value then. */
bool goyaml_is_null(const struct sn_ynode *n);
/* The YAML tag go-yaml names in its messages: "!!str", "!!int", "!!seq", "!!map", ... */
const char *goyaml_tag_name(const struct sn_ynode *n);
/* The Go type name of the resolved value, as fmt's %T prints it ("string", "int", "bool",
 * "float64", "[]interface {}", "map[interface {}]interface {}", "<nil>"). */
const char *goyaml_go_type(const struct sn_ynode *n);

struct goyaml_pair {
    const struct sn_ynode *key, *value;
};
struct goyaml_map {
    struct goyaml_pair *v;
    size_t n;
};

/* The key/value pairs go-yaml applies for a mapping node, in order, with merge keys expanded
 * (a later pair overrides an earlier one with the same key). Returns 0, or -EINVAL when a
 * merge value is not a map or a list of maps (*bad then points at it, and *out is empty).
 * Release with goyaml_map_release. */
int goyaml_map_pairs(const struct sn_ynode *map, struct goyaml_map *out,
                     const struct sn_ynode **bad) SN_WUR;
void goyaml_map_release(struct goyaml_map *m);
/* A merge key (plain <<, or tagged !!merge). */
bool goyaml_is_merge_key(const struct sn_ynode *key);
/* A key decoded into a Go string: the scalar text, "" for a null key, NULL for a list or map
 * key (a type error in go-yaml). */
const char *goyaml_key_str(const struct sn_ynode *key);
/* The value of the last pair whose key decodes to key, or NULL. */
const struct sn_ynode *goyaml_get(const struct goyaml_map *m, const char *key);

/* Go's strconv.ParseUint(s, base, bits) and ParseInt(s, 0, 64): 0, -EINVAL (syntax) or -ERANGE. */
int goyaml_parse_uint(const char *s, int base, int bits, uint64_t *out) SN_WUR;
int goyaml_parse_int(const char *s, int64_t *out) SN_WUR;

char *go_path_dir(const char *path);

#endif
