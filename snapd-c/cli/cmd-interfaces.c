/* SPDX-License-Identifier: GPL-3.0-only
 * snapc connect, disconnect, connections, interfaces
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

/* "snap:name", "snap" or ":name" into parts (snapd's syntax). */
static void split_ref(const char *arg, char **snap, char **name) {
    const char *colon = strchr(arg, ':');
    if (colon == NULL) {
        *snap = xstrdup(arg);
        *name = xstrdup("");
    } else {
        *snap = xstrndup(arg, (size_t)(colon - arg));
        *name = xstrdup(colon + 1);
    }
}

static struct json_object *ref_list(const char *snap, const char *key, const char *name) {
    struct json_object *a = json_object_new_array(), *o = json_object_new_object();
    json_object_object_add(o, "snap", json_object_new_string(snap));
    json_object_object_add(o, key, json_object_new_string(name));
    json_object_array_add(a, o);
    return a;
}

static int conn_cmd(int argc, char **argv, const char *action) {
    bool no_wait = false, forget = false, json = false;
    const struct snapc_flag flags[] = {
        {"no-wait", 0, &no_wait},
        {"forget", 0, &forget},
        {"json", 0, &json},
        {NULL, 0, NULL},
    };
    int rc = SNAPC_EXIT_OK;
    if (snapc_parse_flags(argc, argv, action, flags, &rc) < 0) {
        return rc;
    }
    int n = argc - optind;
    if (n < 1 || n > 2) {
        return snapc_usage(snapc_find_cmd(action), true);
    }
    SN_AUTOFREE char *ps = NULL, *pn = NULL, *ss = NULL, *sn = NULL;
    split_ref(argv[optind], &ps, &pn);
    if (n == 2) {
        split_ref(argv[optind + 1], &ss, &sn);
    } else {
        ss = xstrdup("");
        sn = xstrdup("");
    }
    if (pn[0] == '\0') {
        log_error("%s needs SNAP:PLUG, got \"%s\"", action, argv[optind]);
        return SNAPC_EXIT_USAGE;
    }
    SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *body = json_object_new_object();
    json_object_object_add(body, "action", json_object_new_string(action));
    json_object_object_add(body, "plugs", ref_list(ps, "plug", pn));
    json_object_object_add(body, "slots", ref_list(ss, "slot", sn));
    if (forget) {
        json_object_object_add(body, "forget", json_object_new_boolean(1));
    }
    struct client_resp resp;
    struct sn_err err = SN_ERR_INIT;
    int r = client_do("POST", "/v2/interfaces", body, &resp, &err);
    if (r < 0) {
        return client_fail(r, &err);
    }
    if (resp.type == NULL || strcmp(resp.type, "async") != 0 || resp.change == NULL) {
        struct json_object *k = NULL;
        bool unchanged = json_object_object_get_ex(resp.result, "kind", &k) &&
                         strcmp(json_object_get_string(k), "interfaces-unchanged") == 0;
        if (json) {
            snapc_print_json(resp.env);
        } else if (unchanged) {
            /* as snap does: nothing to do is not a failure */
            (void)printf("%s\n", client_error_message(&resp));
        } else {
            log_error("%s", client_error_message(&resp));
        }
        client_resp_release(&resp);
        return unchanged ? SNAPC_EXIT_OK : SNAPC_EXIT_FAIL;
    }
    SN_AUTOFREE char *id = xstrdup(resp.change);
    client_resp_release(&resp);
    if (no_wait) {
        (void)printf("%s\n", id);
        return SNAPC_EXIT_OK;
    }
    return client_wait_change(id, json);
}

int cmd_connect(int argc, char **argv) {
    return conn_cmd(argc, argv, "connect");
}

int cmd_disconnect(int argc, char **argv) {
    return conn_cmd(argc, argv, "disconnect");
}

static void print_ref(char *buf, size_t n, struct json_object *o, const char *key) {
    const char *snap = jstr(o, "snap");
    if (strcmp(snap, "snapd") == 0 || strcmp(snap, "core") == 0) {
        snap = "";
    }
    (void)snprintf(buf, n, "%s:%s", snap, jstr(o, key));
}

int cmd_connections(int argc, char **argv) {
    bool all = false, json = false;
    const struct snapc_flag flags[] = {
        {"all", 0, &all},
        {"json", 0, &json},
        {NULL, 0, NULL},
    };
    int rc = SNAPC_EXIT_OK;
    if (snapc_parse_flags(argc, argv, "connections", flags, &rc) < 0) {
        return rc;
    }
    if (argc - optind > 1) {
        return snapc_usage(snapc_find_cmd("connections"), true);
    }
    const char *snap = argc - optind == 1 ? argv[optind] : NULL;
    SN_AUTOFREE char *path = xasprintf("/v2/connections%s%s%s", snap || all ? "?" : "",
                                       snap ? "snap=" : "", snap ? snap : "");
    if (all) {
        char *p2 = xasprintf("%s%sselect=all", path, snap ? "&" : "");
        free(path);
        path = p2;
    }
    struct client_resp resp;
    int r = client_get(path, &resp);
    if (r != SNAPC_EXIT_OK) {
        return r;
    }
    if (json) {
        snapc_print_json(resp.result);
        client_resp_release(&resp);
        return SNAPC_EXIT_OK;
    }
    struct json_object *est = NULL, *plugs = NULL;
    json_object_object_get_ex(resp.result, "established", &est);
    json_object_object_get_ex(resp.result, "plugs", &plugs);
    size_t shown = 0;
    for (size_t i = 0; i < json_object_array_length(est); i++) {
        struct json_object *e = json_object_array_get_idx(est, i), *p = NULL, *s = NULL, *m = NULL;
        json_object_object_get_ex(e, "plug", &p);
        json_object_object_get_ex(e, "slot", &s);
        json_object_object_get_ex(e, "manual", &m);
        char pb[300], sb[300];
        print_ref(pb, sizeof(pb), p, "plug");
        print_ref(sb, sizeof(sb), s, "slot");
        if (shown++ == 0) {
            (void)printf("%-22s %-28s %-28s %s\n", "Interface", "Plug", "Slot", "Notes");
        }
        (void)printf("%-22s %-28s %-28s %s\n", jstr(e, "interface"), pb, sb,
                     json_object_get_boolean(m) ? "manual" : "-");
    }
    for (size_t i = 0; all && i < json_object_array_length(plugs); i++) {
        struct json_object *p = json_object_array_get_idx(plugs, i), *cs = NULL;
        if (json_object_object_get_ex(p, "connections", &cs)) {
            continue;
        }
        char pb[300];
        print_ref(pb, sizeof(pb), p, "plug");
        if (shown++ == 0) {
            (void)printf("%-22s %-28s %-28s %s\n", "Interface", "Plug", "Slot", "Notes");
        }
        (void)printf("%-22s %-28s %-28s %s\n", jstr(p, "interface"), pb, "-", "-");
    }
    if (shown == 0) {
        (void)fprintf(stderr, "No connections to show.\n");
    }
    client_resp_release(&resp);
    return SNAPC_EXIT_OK;
}

int cmd_interfaces(int argc, char **argv) {
    bool json = false;
    const struct snapc_flag flags[] = {
        {"json", 0, &json},
        {NULL, 0, NULL},
    };
    int rc = SNAPC_EXIT_OK;
    if (snapc_parse_flags(argc, argv, "interfaces", flags, &rc) < 0) {
        return rc;
    }
    SN_AUTOFREE char *path =
        argc - optind == 1
            ? xasprintf("/v2/interfaces?select=all&doc=true&plugs=true&slots=true&names=%s",
                        argv[optind])
            : xstrdup("/v2/interfaces?select=all&plugs=true&slots=true");
    struct client_resp resp;
    int r = client_get(path, &resp);
    if (r != SNAPC_EXIT_OK) {
        return r;
    }
    if (json) {
        snapc_print_json(resp.result);
    } else {
        (void)printf("%-26s %s\n", "Name", "Summary");
        for (size_t i = 0; i < json_object_array_length(resp.result); i++) {
            struct json_object *o = json_object_array_get_idx(resp.result, i);
            (void)printf("%-26s %s\n", jstr(o, "name"), jstr(o, "summary"));
        }
    }
    client_resp_release(&resp);
    return SNAPC_EXIT_OK;
}
