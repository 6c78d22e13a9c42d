/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "log.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

/* In memory: an index (id, snap names, where the line is in the file); the text stays on disk. */
static struct history_ent *ents;
static size_t nents;
static char *hpath;

#define HISTORY_MAX_FILE (64 * 1024 * 1024)

static void ent_free(struct history_ent *e) {
    sn_strv_free(e->snaps);
}

/* Index one line (a change as JSON) found at off in the file. */
static void index_line(const char *line, size_t len, size_t off) {
    struct json_tokener *tok = json_tokener_new();
    struct json_object *c = json_tokener_parse_ex(tok, line, (int)len);
    json_tokener_free(tok);
    if (c == NULL || !json_object_is_type(c, json_type_object)) {
        log_warn("ignoring an unreadable line of the change history '%s'", hpath);
        if (c) {
            json_object_put(c);
        }
        return;
    }
    struct history_ent e = {.off = off, .len = len};
    struct json_object *v = NULL, *data = NULL, *names = NULL;
    if (json_object_object_get_ex(c, "id", &v)) {
        e.id = strtoll(json_object_get_string(v), NULL, 10);
    }
    size_t n = 0;
    e.snaps = xcalloc(1, sizeof(char *));
    if (json_object_object_get_ex(c, "data", &data) &&
        json_object_object_get_ex(data, "snap-names", &names)) {
        for (size_t i = 0; i < json_object_array_length(names); i++) {
            e.snaps = xrealloc(e.snaps, (n + 2) * sizeof(char *));
            e.snaps[n++] = xstrdup(json_object_get_string(json_object_array_get_idx(names, i)));
            e.snaps[n] = NULL;
        }
    }
    json_object_put(c);
    ents = xrealloc(ents, (nents + 1) * sizeof(*ents));
    ents[nents++] = e;
}

static void reindex(char *data, size_t len) {
    for (size_t i = 0; i < nents; i++) {
        ent_free(&ents[i]);
    }
    nents = 0;
    size_t off = 0;
    while (off < len) {
        char *nl = memchr(data + off, '\n', len - off);
        size_t l = nl ? (size_t)(nl - (data + off)) : len - off;
        if (l > 0) {
            index_line(data + off, l, off);
        }
        off += l + 1;
    }
}

int history_load(const char *path, struct sn_err *err) {
    history_release();
    hpath = xstrdup(path);
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    struct sn_err rerr = SN_ERR_INIT;
    int r = sn_read_file(path, HISTORY_MAX_FILE, &data, &len, &rerr);
    if (r == -ENOENT) {
        return 0;
    }
    if (r < 0) {
        return sn_err_set(err, r, "%s", rerr.msg);
    }
    reindex(data, len);
    return 0;
}

int history_add(struct json_object *change, struct sn_err *err) {
    const char *line = json_object_to_json_string_ext(
        change, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    SN_AUTOFREE char *old = NULL;
    size_t oldlen = 0;
    if (sn_read_file(hpath, HISTORY_MAX_FILE, &old, &oldlen, NULL) < 0) {
        old = xstrdup("");
        oldlen = 0;
    }
    /* keep the newest HISTORY_KEEP - 1 old lines */
    size_t start = 0;
    size_t keep = HISTORY_KEEP - 1;
    if (nents > keep) {
        start = ents[nents - keep].off;
        if (start > oldlen) {
            start = 0;
        }
    }
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    sn_strbuf_add(&sb, old + start, oldlen - start);
    if (sb.len > 0 && sb.buf[sb.len - 1] != '\n') {
        sn_strbuf_addch(&sb, '\n');
    }
    sn_strbuf_addstr(&sb, line);
    sn_strbuf_addch(&sb, '\n');
    json_object_put(change);
    int r = sn_write_file_atomic(hpath, sb.buf, sb.len, 0600, err);
    if (r == 0) {
        reindex(sb.buf, sb.len);
    }
    return r;
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
    char *text = NULL;
    SN_AUTOCLOSE int fd = open(hpath, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        text = xmalloc(e->len + 1);
        ssize_t n = pread(fd, text, e->len, (off_t)e->off);
        if (n != (ssize_t)e->len) {
            free(text);
            text = NULL;
        } else {
            text[e->len] = '\0';
        }
    }
    if (text == NULL) {
        return NULL;
    }
    struct json_object *o = json_object_new_object();
    json_object_set_serializer(o, raw_serializer, text, raw_free);
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
