/* SPDX-License-Identifier: GPL-3.0-only
 * snapc install, remove, list (talk to the daemon)
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "client.h"
#include "log.h"
#include "snap-json.h"
#include "xalloc.h"

#include "banned.h"

static const char *jstr(struct json_object *o, const char *k) {
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, k, &v) && v ? json_object_get_string(v) : NULL;
}

/* Send a request that starts a change; wait for it unless no_wait. */
static int run_change(const char *method, const char *path, struct json_object *body, bool no_wait,
                      bool json, char **change_out) {
    struct client_resp resp;
    struct sn_err err = SN_ERR_INIT;
    int r = client_do(method, path, body, &resp, &err);
    if (r < 0) {
        return client_fail(r, &err);
    }
    if (resp.type == NULL || strcmp(resp.type, "async") != 0 || resp.change == NULL) {
        if (json) {
            snapc_print_json(resp.env);
        } else {
            log_error("%s", client_error_message(&resp));
        }
        client_resp_release(&resp);
        return SNAPC_EXIT_FAIL;
    }
    SN_AUTOFREE char *id = xstrdup(resp.change);
    client_resp_release(&resp);
    if (no_wait) {
        (void)printf("%s\n", id);
        return SNAPC_EXIT_OK;
    }
    int rc = client_wait_change(id, json);
    if (change_out) {
        *change_out = SN_TAKE_PTR(id);
    }
    return rc;
}

static void print_installed(const char *name, bool json) {
    SN_AUTOFREE char *path = xasprintf("/v2/snaps/%s", name);
    struct client_resp resp;
    struct sn_err err = SN_ERR_INIT;
    if (client_do("GET", path, NULL, &resp, &err) < 0) {
        return;
    }
    if (json) {
        snapc_print_json(resp.result);
    } else if (resp.type && strcmp(resp.type, "sync") == 0) {
        (void)printf("%s %s installed (revision %s)\n", name, jstr(resp.result, "version"),
                     jstr(resp.result, "revision"));
    }
    client_resp_release(&resp);
}

int cmd_install(int argc, char **argv) {
    bool dangerous = false, devmode = false, no_wait = false, json = false;
    const struct snapc_flag flags[] = {
        {"dangerous", 0, &dangerous}, {"devmode", 0, &devmode}, {"no-wait", 0, &no_wait},
        {"json", 0, &json},           {NULL, 0, NULL},
    };
    int rc = SNAPC_EXIT_OK;
    if (snapc_parse_flags(argc, argv, "install", flags, &rc) < 0) {
        return rc;
    }
    if (optind >= argc) {
        return snapc_usage(snapc_find_cmd("install"), true);
    }
    for (int i = optind; i < argc; i++) {
        char real[PATH_MAX];
        if (realpath(argv[i], real) == NULL) {
            log_error(
                "cannot install '%s': no such file (installing from a store is not "
                "supported yet)",
                argv[i]);
            rc = SNAPC_EXIT_FAIL;
            continue;
        }
        SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *body = json_object_new_object();
        json_object_object_add(body, "action", json_object_new_string("install"));
        json_object_object_add(body, "snap-path", json_object_new_string(real));
        json_object_object_add(body, "dangerous", json_object_new_boolean(dangerous));
        json_object_object_add(body, "devmode", json_object_new_boolean(devmode));
        SN_AUTOFREE char *cid = NULL;
        int r = run_change("POST", "/v2/snaps", body, no_wait, json, &cid);
        if (r != SNAPC_EXIT_OK) {
            rc = r;
            continue;
        }
        if (!no_wait && cid) {
            /* the change knows the name the daemon read from the file */
            SN_AUTOFREE char *p = xasprintf("/v2/changes/%s", cid);
            struct client_resp resp;
            struct sn_err err = SN_ERR_INIT;
            if (client_do("GET", p, NULL, &resp, &err) == 0) {
                /* warnings the tasks logged (e.g. a missing base) */
                struct json_object *tasks = NULL;
                json_object_object_get_ex(resp.result, "tasks", &tasks);
                for (size_t t = 0; !json && t < json_object_array_length(tasks); t++) {
                    struct json_object *log = NULL;
                    if (!json_object_object_get_ex(json_object_array_get_idx(tasks, t), "log",
                                                   &log)) {
                        continue;
                    }
                    for (size_t k = 0; k < json_object_array_length(log); k++) {
                        const char *line =
                            json_object_get_string(json_object_array_get_idx(log, k));
                        const char *w = strstr(line, " WARNING ");
                        if (w != NULL) {
                            log_warn("%s", w + 9);
                        }
                    }
                }
                struct json_object *data = NULL, *names = NULL;
                if (json_object_object_get_ex(resp.result, "data", &data) &&
                    json_object_object_get_ex(data, "snap-names", &names) &&
                    json_object_array_length(names) > 0) {
                    print_installed(json_object_get_string(json_object_array_get_idx(names, 0)),
                                    json);
                }
                client_resp_release(&resp);
            }
        }
    }
    return rc;
}

int cmd_remove(int argc, char **argv) {
    bool purge = false, no_wait = false, json = false;
    const struct snapc_flag flags[] = {
        {"purge", 0, &purge},
        {"no-wait", 0, &no_wait},
        {"json", 0, &json},
        {NULL, 0, NULL},
    };
    int rc = SNAPC_EXIT_OK;
    if (snapc_parse_flags(argc, argv, "remove", flags, &rc) < 0) {
        return rc;
    }
    if (optind >= argc) {
        return snapc_usage(snapc_find_cmd("remove"), true);
    }
    /* one change for all of them, as snap remove a b: all go or none does */
    SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *body = json_object_new_object();
    struct json_object *names = json_object_new_array();
    for (int i = optind; i < argc; i++) {
        json_object_array_add(names, json_object_new_string(argv[i]));
    }
    json_object_object_add(body, "action", json_object_new_string("remove"));
    json_object_object_add(body, "snaps", names);
    json_object_object_add(body, "purge", json_object_new_boolean(purge));
    rc = run_change("POST", "/v2/snaps", body, no_wait, json, NULL);
    for (int i = optind; rc == SNAPC_EXIT_OK && !no_wait && !json && i < argc; i++) {
        (void)printf("%s removed\n", argv[i]);
    }
    return rc;
}

int cmd_list(int argc, char **argv) {
    bool all = false, json = false;
    const struct snapc_flag flags[] = {
        {"all", 0, &all},
        {"json", 0, &json},
        {NULL, 0, NULL},
    };
    int rc = SNAPC_EXIT_OK;
    if (snapc_parse_flags(argc, argv, "list", flags, &rc) < 0) {
        return rc;
    }
    SN_AUTOFREE char *path = xasprintf("/v2/snaps%s", all ? "?select=all" : "");
    struct client_resp resp;
    int r = client_get(path, &resp);
    if (r != SNAPC_EXIT_OK) {
        return r;
    }
    if (json) {
        snapc_print_json(resp.result);
    } else {
        size_t n = json_object_array_length(resp.result);
        if (n == 0) {
            (void)fprintf(stderr, "No snaps are installed yet.\n");
        } else {
            (void)printf("%-24s %-16s %-6s %-10s %s\n", "Name", "Version", "Rev", "Type", "Notes");
        }
        for (size_t i = 0; i < n; i++) {
            struct json_object *s = json_object_array_get_idx(resp.result, i), *dm = NULL;
            const char *notes = "-";
            if (json_object_object_get_ex(s, "devmode", &dm) && json_object_get_boolean(dm)) {
                notes = "devmode";
            } else if (strcmp(jstr(s, "status"), "active") != 0) {
                notes = "disabled";
            } else if (strcmp(jstr(s, "type"), "app") != 0) {
                notes = jstr(s, "type"); /* as snap list: base, gadget, kernel, snapd */
            }
            (void)printf("%-24s %-16s %-6s %-10s %s\n", jstr(s, "name"), jstr(s, "version"),
                         jstr(s, "revision"), jstr(s, "type"), notes);
        }
    }
    client_resp_release(&resp);
    return SNAPC_EXIT_OK;
}
