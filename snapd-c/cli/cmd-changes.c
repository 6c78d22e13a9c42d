/* SPDX-License-Identifier: GPL-3.0-only
 * snapc changes, change (tasks), abort, watch
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cli.h"
#include "client.h"
#include "log.h"
#include "snap-json.h"
#include "xalloc.h"

#include "banned.h"

static const char *jstr(struct json_object *o, const char *k) {
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, k, &v) && v ? json_object_get_string(v) : "";
}

/* "2026-11-22T13:01:02.123456789Z" -> "2026-11-22T13:01:02Z" */
static void short_time(const char *t, char out[32]) {
    if (t == NULL || t[0] == '\0') {
        (void)snprintf(out, 32, "-");
        return;
    }
    (void)snprintf(out, 32, "%.19sZ", t);
}

static int parse_common(int argc, char **argv, const char *cmd, bool *json, int *rc) {
    const struct snapc_flag flags[] = {{"json", 0, json}, {NULL, 0, NULL}};
    return snapc_parse_flags(argc, argv, cmd, flags, rc);
}

/* s for a URL query: all but unreserved characters percent-encoded. Caller frees. */
static char *query_escape(const char *s) {
    size_t n = strlen(s);
    char *out = xmalloc(3 * n + 1), *p = out;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            *p++ = (char)ch;
        } else {
            (void)snprintf(p, 4, "%%%02X", ch);
            p += 3;
        }
    }
    *p = '\0';
    return out;
}

/* snapd's short forms for --last (cmd/snap/last.go): these get "-snap" appended, so that
 * --last=install matches the kind "install-snap". */
static const char *const last_short_forms[] = {
    "install", "refresh", "remove",     "revert",    "enable", "disable",
    "switch",  "connect", "disconnect", "configure", "try",    NULL,
};

/* Go's %q for the plain strings a user types: "x", with " and \ escaped. */
static char *go_quote(const char *s) {
    size_t n = strlen(s);
    char *out = xmalloc(2 * n + 3), *p = out;
    *p++ = '"';
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            *p++ = '\\';
        }
        *p++ = *s;
    }
    *p++ = '"';
    *p = '\0';
    return out;
}

/* The change a command acts on, as snapd's changeIDMixin picks it: the ID argument, or with
 * --last=TYPE the change of that kind spawned last (from GET /v2/changes?select=all). A TYPE
 * ending in '?' means "nothing to do" rather than an error when no such change exists.
 * Returns SNAPC_EXIT_OK with *id set (caller frees), or SNAPC_EXIT_OK with *id NULL when there
 * is nothing to do, or an exit code after printing the error. */
static int change_id_arg(int argc, char **argv, const char *last, char **id) {
    *id = NULL;
    const char *arg = argc - optind == 1 ? argv[optind] : "";
    if (arg[0] == '\0' && (last == NULL || last[0] == '\0')) {
        log_error("please provide change ID or type with --last=<type>");
        return SNAPC_EXIT_FAIL;
    }
    if (arg[0] != '\0') {
        if (last != NULL && last[0] != '\0') {
            log_error("cannot use change ID and type together");
            return SNAPC_EXIT_FAIL;
        }
        *id = xstrdup(arg);
        return SNAPC_EXIT_OK;
    }
    size_t len = strlen(last);
    bool optional = last[len - 1] == '?';
    SN_AUTOFREE char *kind = xstrndup(last, optional ? len - 1 : len);
    for (size_t i = 0; last_short_forms[i] != NULL; i++) {
        if (strcmp(kind, last_short_forms[i]) == 0) {
            char *k = xasprintf("%s-snap", kind);
            free(kind);
            kind = k;
            break;
        }
    }
    struct client_resp resp;
    int rc = client_get("/v2/changes?select=all", &resp);
    if (rc != SNAPC_EXIT_OK) {
        return rc;
    }
    size_t n = json_object_array_length(resp.result);
    struct json_object *latest = NULL;
    for (size_t i = 0; i < n; i++) {
        struct json_object *ch = json_object_array_get_idx(resp.result, i);
        /* spawn times are RFC 3339 with a fixed-width fraction: they compare as strings;
         * on a tie the first listed wins, as in snapd's findLatestChangeByKind */
        if (strcmp(jstr(ch, "kind"), kind) == 0 &&
            (latest == NULL || strcmp(jstr(latest, "spawn-time"), jstr(ch, "spawn-time")) < 0)) {
            latest = ch;
        }
    }
    if (latest != NULL) {
        *id = xstrdup(jstr(latest, "id"));
    }
    client_resp_release(&resp);
    if (*id != NULL || optional) {
        return SNAPC_EXIT_OK;
    }
    if (n == 0) {
        log_error("no changes found");
    } else {
        SN_AUTOFREE char *q = go_quote(last);
        log_error("no changes of type %s found", q);
    }
    return SNAPC_EXIT_FAIL;
}

/* Parse [--json] [--last=TYPE] [ID] and resolve the change: see change_id_arg. */
static int parse_change_cmd(int argc, char **argv, const char *cmd, bool *json, char **id) {
    const char *last = NULL;
    const struct snapc_flag flags[] = {{"json", 0, json}, {NULL, 0, NULL}};
    const struct snapc_opt opts[] = {{"last", &last}, {NULL, NULL}};
    int rc = SNAPC_EXIT_OK;
    *id = NULL;
    if (snapc_parse_opts(argc, argv, cmd, flags, opts, &rc) < 0) {
        return rc;
    }
    if (argc - optind > 1) {
        return snapc_usage(snapc_find_cmd(cmd), true);
    }
    return change_id_arg(argc, argv, last, id);
}

int cmd_changes(int argc, char **argv) {
    bool json = false;
    int r = SNAPC_EXIT_OK;
    if (parse_common(argc, argv, "changes", &json, &r) < 0) {
        return r;
    }
    if (argc - optind > 1) {
        return snapc_usage(snapc_find_cmd("changes"), true);
    }
    const char *snap = argc - optind == 1 ? argv[optind] : "";
    if (snap[0] != '\0' && strspn(snap, "0123456789") == strlen(snap)) {
        log_error("'snapc changes' command expects a snap name, try 'snapc tasks %s'", snap);
        return SNAPC_EXIT_FAIL;
    }
    SN_AUTOFREE char *esc = query_escape(snap);
    SN_AUTOFREE char *path = snap[0] != '\0' ? xasprintf("/v2/changes?select=all&for=%s", esc)
                                             : xstrdup("/v2/changes?select=all");
    struct client_resp resp;
    int rc = client_get(path, &resp);
    if (rc != SNAPC_EXIT_OK) {
        return rc;
    }
    if (json) {
        snapc_print_json(resp.result);
    } else {
        size_t n = json_object_array_length(resp.result);
        if (n == 0) {
            (void)fprintf(stderr, "no changes found\n");
        } else {
            (void)printf("%-4s %-8s %-21s %-21s %s\n", "ID", "Status", "Spawn", "Ready", "Summary");
        }
        for (size_t i = 0; i < n; i++) {
            struct json_object *ch = json_object_array_get_idx(resp.result, i);
            char sp[32], rd[32];
            short_time(jstr(ch, "spawn-time"), sp);
            short_time(jstr(ch, "ready-time"), rd);
            (void)printf("%-4s %-8s %-21s %-21s %s\n", jstr(ch, "id"), jstr(ch, "status"), sp, rd,
                         jstr(ch, "summary"));
        }
    }
    client_resp_release(&resp);
    return SNAPC_EXIT_OK;
}

int cmd_change(int argc, char **argv) {
    bool json = false;
    SN_AUTOFREE char *id = NULL;
    int r = parse_change_cmd(argc, argv, argv[0], &json, &id);
    if (r != SNAPC_EXIT_OK || id == NULL) {
        return r;
    }
    SN_AUTOFREE char *path = xasprintf("/v2/changes/%s", id);
    struct client_resp resp;
    int rc = client_get(path, &resp);
    if (rc != SNAPC_EXIT_OK) {
        return rc;
    }
    if (json) {
        snapc_print_json(resp.result);
    } else {
        struct json_object *tasks = NULL;
        json_object_object_get_ex(resp.result, "tasks", &tasks);
        (void)printf("%-8s %-21s %-21s %s\n", "Status", "Spawn", "Ready", "Summary");
        for (size_t i = 0; i < json_object_array_length(tasks); i++) {
            struct json_object *t = json_object_array_get_idx(tasks, i), *log = NULL;
            char sp[32], rd[32];
            short_time(jstr(t, "spawn-time"), sp);
            short_time(jstr(t, "ready-time"), rd);
            (void)printf("%-8s %-21s %-21s %s\n", jstr(t, "status"), sp, rd, jstr(t, "summary"));
            if (json_object_object_get_ex(t, "log", &log)) {
                for (size_t k = 0; k < json_object_array_length(log); k++) {
                    (void)printf("  %s\n",
                                 json_object_get_string(json_object_array_get_idx(log, k)));
                }
            }
        }
        const char *e = jstr(resp.result, "err");
        if (e[0]) {
            (void)printf("\n%s\n", e);
        }
    }
    client_resp_release(&resp);
    return SNAPC_EXIT_OK;
}

int cmd_abort(int argc, char **argv) {
    bool json = false;
    SN_AUTOFREE char *id = NULL;
    int r = parse_change_cmd(argc, argv, "abort", &json, &id);
    if (r != SNAPC_EXIT_OK || id == NULL) {
        return r;
    }
    SN_AUTOFREE char *path = xasprintf("/v2/changes/%s", id);
    SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *body = json_object_new_object();
    json_object_object_add(body, "action", json_object_new_string("abort"));
    struct client_resp resp;
    struct sn_err err = SN_ERR_INIT;
    r = client_do("POST", path, body, &resp, &err);
    if (r < 0) {
        return client_fail(r, &err);
    }
    int rc = SNAPC_EXIT_OK;
    if (json) {
        snapc_print_json(resp.env);
    } else if (resp.type == NULL || strcmp(resp.type, "sync") != 0) {
        log_error("%s", client_error_message(&resp));
    }
    if (resp.type == NULL || strcmp(resp.type, "sync") != 0) {
        rc = SNAPC_EXIT_FAIL;
    }
    client_resp_release(&resp);
    return rc;
}

int cmd_watch(int argc, char **argv) {
    bool json = false;
    SN_AUTOFREE char *id = NULL;
    int r = parse_change_cmd(argc, argv, "watch", &json, &id);
    if (r != SNAPC_EXIT_OK || id == NULL) {
        return r;
    }
    return client_wait_change(id, json);
}
