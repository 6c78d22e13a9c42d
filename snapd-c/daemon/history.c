/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "history.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fs.h"
#include "log.h"
#include "strbuf.h"
#include "xalloc.h"
#include "banned.h"

static struct history_ent *ents;
static size_t nents;
static char *hpath;

static void ent_free(struct history_ent *e) {
    sn_strv_free(e->snaps);
    free(e->json);
}

/* text: the change's JSON when already serialized (a line of the file), or NULL */
static void take(struct json_object *change, const char *text) {
    struct history_ent e = {0};
    struct json_object *v = NULL, *data = NULL, *names = NULL;
    if (json_object_object_get_ex(change, "id", &v)) {
        e.id = strtoll(json_object_get_string(v), NULL, 10);
    }
    size_t n = 0;
    e.snaps = xcalloc(1, sizeof(char *));
    if (json_object_object_get_ex(change, "data", &data) &&
        json_object_object_get_ex(data, "snap-names", &names)) {
        for (size_t i = 0; i < json_object_array_length(names); i++) {
            e.snaps = xrealloc(e.snaps, (n + 2) * sizeof(char *));
            e.snaps[n++] = xstrdup(json_object_get_string(json_object_array_get_idx(names, i)));
            e.snaps[n] = NULL;
        }
    }
    e.json = xstrdup(text ? text
                          : json_object_to_json_string_ext(change, JSON_C_TO_STRING_PLAIN |
                                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
    if (nents == HISTORY_KEEP) {
        ent_free(&ents[0]);
        memmove(ents, ents + 1, (nents - 1) * sizeof(*ents));
        nents--;
    }
    ents = xrealloc(ents, (nents + 1) * sizeof(*ents));
    ents[nents++] = e;
}

/* The file holds one change per line (JSON Lines), so loading never builds a tree of the
 * whole history. */
static int save(struct sn_err *err) {
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    for (size_t i = 0; i < nents; i++) {
        sn_strbuf_addstr(&sb, ents[i].json);
        sn_strbuf_addch(&sb, '\n');
    }
    return sn_write_file_atomic(hpath, sb.buf, sb.len, 0600, err);
}

int history_load(const char *path, struct sn_err *err) {
    history_release();
    hpath = xstrdup(path);
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    struct sn_err rerr = SN_ERR_INIT;
    int r = sn_read_file(path, 64 * 1024 * 1024, &data, &len, &rerr);
    if (r == -ENOENT) {
        return 0;
    }
    if (r < 0) {
        return sn_err_set(err, r, "%s", rerr.msg);
    }
    char *save = NULL;
    for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        struct json_object *c = json_tokener_parse(line);
        if (c == NULL || !json_object_is_type(c, json_type_object)) {
            /* history is not worth refusing to start for */
            log_warn("ignoring an unreadable line of the change history '%s'", path);
        } else {
            take(c, line);
        }
        if (c) {
            json_object_put(c);
        }
    }
    return 0;
}

int history_add(struct json_object *change, struct sn_err *err) {
    take(change, NULL);
    json_object_put(change);
    return save(err);
}

const struct history_ent *history_find(const char *id) {
    long long v = strtoll(id, NULL, 10);
    for (size_t i = 0; i < nents; i++) {
        if (ents[i].id == v) {
            return &ents[i];
        }
    }
    return NULL;
}

size_t history_count(void) {
    return nents;
}

const struct history_ent *history_at(size_t i) {
    return i < nents ? &ents[i] : NULL;
}

static int raw_serializer(struct json_object *jso, struct printbuf *pb, int level, int flags) {
    (void)level;
    (void)flags;
    const char *s = json_object_get_userdata(jso);
    return printbuf_memappend(pb, s, (int)strlen(s));
}

static void raw_free(struct json_object *jso, void *userdata) {
    (void)jso;
    free(userdata);
}

struct json_object *history_json(const struct history_ent *e) {
    struct json_object *o = json_object_new_object();
    json_object_set_serializer(o, raw_serializer, xstrdup(e->json), raw_free);
    return o;
}

void history_release(void) {
    for (size_t i = 0; i < nents; i++) {
        ent_free(&ents[i]);
    }
    free(ents);
    ents = NULL;
    nents = 0;
    free(hpath);
    hpath = NULL;
}
