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

int cmd_changes(int argc, char **argv) {
    bool json = false;
    int r = SNAPC_EXIT_OK;
    if (parse_common(argc, argv, "changes", &json, &r) < 0) {
        return r;
    }
    if (argc - optind > 1) {
        return snapc_usage(snapc_find_cmd("changes"), true);
    }
    SN_AUTOFREE char *path = argc - optind == 1
                                 ? xasprintf("/v2/changes?select=all&for=%s", argv[optind])
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
    int r = SNAPC_EXIT_OK;
    if (parse_common(argc, argv, argv[0], &json, &r) < 0) {
        return r;
    }
    if (argc - optind != 1) {
        return snapc_usage(snapc_find_cmd(argv[0]), true);
    }
    SN_AUTOFREE char *path = xasprintf("/v2/changes/%s", argv[optind]);
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
    int r = SNAPC_EXIT_OK;
    if (parse_common(argc, argv, "abort", &json, &r) < 0) {
        return r;
    }
    if (argc - optind != 1) {
        return snapc_usage(snapc_find_cmd("abort"), true);
    }
    SN_AUTOFREE char *path = xasprintf("/v2/changes/%s", argv[optind]);
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
    int r = SNAPC_EXIT_OK;
    if (parse_common(argc, argv, "watch", &json, &r) < 0) {
        return r;
    }
    if (argc - optind != 1) {
        return snapc_usage(snapc_find_cmd("watch"), true);
    }
    return client_wait_change(argv[optind], json);
}
