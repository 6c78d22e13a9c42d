/* SPDX-License-Identifier: GPL-3.0-only
 * /v2/system-info, /v2/snaps, /v2/snaps/{name}, /v2/apps, /v2/find
 */
#define _GNU_SOURCE
#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "api.h"
#include "cleanup.h"
#include "fs.h"
#include "log.h"
#include "security.h"
#include "snap-json.h"
#include "snapmgr.h"
#include "upload.h"
#include "xalloc.h"

#include "banned.h"

void api_system_info(struct api_ctx *c) {
    if (evhttp_request_get_command(c->req) != EVHTTP_REQ_GET) {
        api_error(c, 405, "", "method not allowed");
        return;
    }
    struct json_object *r = json_object_new_object();
    struct utsname u;
    (void)uname(&u);
    json_object_object_add(r, "series", json_object_new_string("16"));
    json_object_object_add(r, "version", json_object_new_string(SNAPC_VERSION "-snapd-c"));
    json_object_object_add(r, "build-id", json_object_new_string(""));
    struct json_object *osr = json_object_new_object();
    json_object_object_add(osr, "id", json_object_new_string("snapd-c"));
    json_object_object_add(osr, "version-id", json_object_new_string(SNAPC_VERSION));
    json_object_object_add(r, "os-release", osr);
    json_object_object_add(r, "on-classic", json_object_new_boolean(0));
    json_object_object_add(r, "managed", json_object_new_boolean(0));
    json_object_object_add(r, "kernel-version", json_object_new_string(u.release));
    json_object_object_add(r, "architecture", json_object_new_string(security_dpkg_arch()));
    json_object_object_add(r, "confinement", json_object_new_string("strict"));
    struct json_object *loc = json_object_new_object();
    json_object_object_add(loc, "snap-mount-dir", json_object_new_string("/snap"));
    json_object_object_add(loc, "snap-bin-dir", json_object_new_string("/snap/bin"));
    json_object_object_add(r, "locations", loc);
    struct json_object *refresh = json_object_new_object();
    json_object_object_add(refresh, "timer", json_object_new_string("00:00~24:00/4"));
    json_object_object_add(r, "refresh", refresh);
    struct json_object *sf = json_object_new_object();
    struct json_object *co = json_object_new_array();
    json_object_array_add(co, json_object_new_string("devmode"));
    json_object_array_add(co, json_object_new_string("strict"));
    json_object_object_add(sf, "confinement-options", co);
    json_object_object_add(r, "sandbox-features", sf);
    api_sync(c, 200, r);
}

/* snapd's client.Snap for an installed snap revision (state lock held); rev NULL = current. */
static struct json_object *snap_json(struct daemon *d, const char *name, struct json_object *snapst,
                                     const char *want_rev) {
    const char *rev = want_rev ? want_rev : js_str(snapst, "current");
    bool is_current =
        js_str(snapst, "current") && rev && strcmp(rev, js_str(snapst, "current")) == 0;
    const struct snap_meta *info = rev ? snap_cache_get(d, name, rev) : NULL;
    struct json_object *o = json_object_new_object();
    struct json_object *si = NULL, *seq = NULL;
    json_object_object_get_ex(snapst, "sequence", &seq);
    for (size_t i = 0; seq && i < json_object_array_length(seq); i++) {
        struct json_object *e = json_object_array_get_idx(seq, i);
        if (rev && strcmp(js_str(e, "revision"), rev) == 0) {
            si = e;
        }
    }
    js_set_str(o, "id", "");
    js_set_str(o, "name", name);
    js_set_str(o, "title", info && info->title ? info->title : name);
    js_set_str(o, "summary", info && info->summary ? info->summary : "");
    js_set_str(o, "description", info && info->description ? info->description : "");
    js_set_str(o, "type", js_str(snapst, "type") ? js_str(snapst, "type") : "app");
    if (info && info->base) {
        js_set_str(o, "base", info->base);
    }
    js_set_str(o, "version", info ? info->version : js_str(si, "version"));
    js_set_str(o, "revision", rev ? rev : "unset");
    js_set_str(o, "channel", "");
    js_set_str(o, "developer", "");
    js_set_str(o, "status", is_current && js_bool(snapst, "active") ? "active" : "installed");
    js_set_str(o, "confinement", info ? info->confinement : "strict");
    json_object_object_add(o, "devmode", json_object_new_boolean(js_bool(snapst, "devmode")));
    json_object_object_add(o, "jailmode", json_object_new_boolean(0));
    json_object_object_add(o, "private", json_object_new_boolean(0));
    json_object_object_add(o, "ignore-validation", json_object_new_boolean(0));
    json_object_object_add(o, "installed-size", json_object_new_int64(js_int(si, "size", 0)));
    js_set_str(
        o, "install-date",
        js_str(si, "install-date") ? js_str(si, "install-date") : js_str(snapst, "install-date"));
    js_set_str(o, "license", info && info->license ? info->license : "");
    if (rev) {
        SN_AUTOFREE char *blob = d_blob_path(d, name, rev);
        js_set_str(o, "mounted-from", blob);
    }
    js_set_str(o, "sha3-384", js_str(si, "sha3-384"));
    struct json_object *apps = json_object_new_array();
    for (size_t i = 0; info && i < info->napps; i++) {
        struct json_object *a = json_object_new_object();
        js_set_str(a, "snap", name);
        js_set_str(a, "name", info->apps[i].name);
        if (info->apps[i].daemon) {
            js_set_str(a, "daemon", info->apps[i].daemon);
            js_set_str(a, "daemon-scope",
                       info->apps[i].daemon_scope ? info->apps[i].daemon_scope : "system");
        }
        json_object_array_add(apps, a);
    }
    json_object_object_add(o, "apps", apps);
    struct json_object *revs = json_object_new_array();
    for (size_t i = 0; seq && i < json_object_array_length(seq); i++) {
        json_object_array_add(
            revs, json_object_new_string(js_str(json_object_array_get_idx(seq, i), "revision")));
    }
    json_object_object_add(o, "revisions", revs);
    return o;
}

static bool in_csv(const char *csv, const char *name) {
    size_t nl = strlen(name);
    for (const char *p = csv; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == nl && strncmp(p, name, n) == 0) {
            return true;
        }
        p = e ? e + 1 : NULL;
    }
    return false;
}

static void get_snaps(struct api_ctx *c) {
    const char *filter = evhttp_find_header(c->query, "snaps");
    const char *select = evhttp_find_header(c->query, "select");
    bool all = select && (strcmp(select, "all") == 0 || strcmp(select, "enabled") == 0);
    struct json_object *arr = json_object_new_array();
    state_lock();
    json_object_object_foreach(state_snaps(&c->d->state), name, snapst) {
        if (filter && filter[0] && !in_csv(filter, name)) {
            continue;
        }
        if (!all && !js_bool(snapst, "active") && !(filter && filter[0])) {
            continue;
        }
        if (!all) {
            json_object_array_add(arr, snap_json(c->d, name, snapst, NULL));
            continue;
        }
        /* select=all: one entry per revision, inactive ones "installed" (snap list --all) */
        struct json_object *seq = NULL;
        json_object_object_get_ex(snapst, "sequence", &seq);
        for (size_t i = 0; seq && i < json_object_array_length(seq); i++) {
            const char *rv = js_str(json_object_array_get_idx(seq, i), "revision");
            json_object_array_add(arr, snap_json(c->d, name, snapst, rv));
        }
    }
    state_unlock();
    api_sync(c, 200, arr);
}

/* ---- install from an upload (multipart) or from a path (snapc, root) ---- */

struct install_job {
    struct api_ctx c;      /* req is only touched on the event loop */
    struct evbuffer *body; /* moved out of the request */
    char *content_type;
    struct upload up;
    struct install_req *reqs; /* one per snap file */
    size_t nreqs;
    char *path;
    char *change_id;
    struct sn_err err;
    int rc;
    bool gone; /* the client hung up: its request is freed, do not reply */
};

static void install_job_conn_closed(struct evhttp_connection *conn, void *p) {
    (void)conn;
    struct install_job *j = p;
    j->gone = true;
}

static void install_job_run(void *p) {
    struct install_job *j = p;
    if (j->body != NULL) {
        SN_AUTOFREE char *dir = d_path(j->c.d, "/var/lib/snapd/snaps");
        j->rc = sn_mkpath(dir, 0755, &j->err);
        if (j->rc == 0) {
            j->rc = upload_parse(j->body, j->content_type, dir, &j->up, &j->err);
        }
        if (j->rc == 0) {
            bool dangerous = upload_field_bool(&j->up, "dangerous");
            bool devmode = upload_field_bool(&j->up, "devmode");
            j->reqs = xcalloc(j->up.nfiles, sizeof(*j->reqs));
            j->nreqs = j->up.nfiles;
            for (size_t i = 0; i < j->nreqs; i++) {
                j->reqs[i] = (struct install_req){.path = j->up.files[i].path,
                                                  .display_name = j->up.files[i].name,
                                                  .is_upload = true,
                                                  .dangerous = dangerous,
                                                  .devmode = devmode};
            }
        }
    }
    if (j->rc == 0) {
        j->rc = snapmgr_install_many(j->c.d, j->reqs, j->nreqs, &j->change_id, &j->err);
        if (j->rc < 0) {
            upload_unlink(&j->up); /* refused: the change never owned them */
        }
    }
}

static void install_job_done(void *p) {
    struct install_job *j = p;
    if (j->gone) {
        log_info("client went away before the reply%s%s", j->rc == 0 ? "; change " : "",
                 j->rc == 0 ? j->change_id : "");
    } else {
        evhttp_connection_set_closecb(evhttp_request_get_connection(j->c.req), NULL, NULL);
        if (j->rc < 0) {
            api_error_from(&j->c, &j->err);
        } else {
            api_async(&j->c, j->change_id);
        }
    }
    if (j->body) {
        evbuffer_free(j->body);
    }
    upload_release(&j->up);
    free(j->reqs);
    free(j->content_type);
    free(j->path);
    free(j->change_id);
    free(j);
}

static void start_install(struct api_ctx *c, struct install_job *j) {
    j->c = *c;
    j->c.path = NULL;
    j->c.arg = NULL;
    j->c.query = NULL;
    evhttp_connection_set_closecb(evhttp_request_get_connection(c->req), install_job_conn_closed,
                                  j);
    api_offload(install_job_run, install_job_done, j);
}

static void post_snaps_multipart(struct api_ctx *c, const char *ctype) {
    struct install_job *j = xcalloc(1, sizeof(*j));
    j->body = evbuffer_new();
    /* move (not copy) the received body out of evhttp's buffer */
    evbuffer_add_buffer(j->body, evhttp_request_get_input_buffer(c->req));
    j->content_type = xstrdup(ctype);
    start_install(c, j);
}

/* {"action":"remove","snaps":[...]}: one change for all of them, as snapd does */
static void do_remove(struct api_ctx *c, struct json_object *snaps, bool purge) {
    size_t n = json_object_is_type(snaps, json_type_array) ? json_object_array_length(snaps) : 0;
    if (n == 0) {
        api_error(c, 400, "", "cannot remove: no snaps given");
        return;
    }
    SN_AUTOSTRV char **names = xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(snaps, i);
        if (!json_object_is_type(e, json_type_string)) {
            api_error(c, 400, "", "cannot remove: snaps[%zu] is not a string", i);
            return;
        }
        names[i] = xstrdup(json_object_get_string(e));
        for (size_t k = 0; k < i; k++) {
            if (strcmp(names[k], names[i]) == 0) {
                api_error(c, 400, "", "cannot remove snap \"%s\" twice in one change", names[i]);
                return;
            }
        }
    }
    SN_AUTOFREE char *cid = NULL;
    struct sn_err err = SN_ERR_INIT;
    if (snapmgr_remove_many(c->d, names, n, purge, &cid, &err) < 0) {
        api_error_from(c, &err);
        return;
    }
    api_async(c, cid);
}

static void post_snaps_json(struct api_ctx *c) {
    SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *body = api_json_body(c);
    if (body == NULL) {
        return;
    }
    const char *action = js_str(body, "action");
    struct json_object *snaps = NULL;
    json_object_object_get_ex(body, "snaps", &snaps);
    if (action == NULL) {
        api_error(c, 400, "", "missing action");
        return;
    }
    if (strcmp(action, "install") == 0 && js_str(body, "snap-path") != NULL) {
        const char *path = js_str(body, "snap-path");
        if (path[0] != '/') {
            api_error(c, 400, "", "snap-path must be absolute, got \"%s\"", path);
            return;
        }
        struct install_job *j = xcalloc(1, sizeof(*j));
        j->path = xstrdup(path);
        j->reqs = xcalloc(1, sizeof(*j->reqs));
        j->nreqs = 1;
        j->reqs[0] = (struct install_req){.path = j->path,
                                          .dangerous = js_bool(body, "dangerous"),
                                          .devmode = js_bool(body, "devmode")};
        start_install(c, j);
        return;
    }
    if (strcmp(action, "remove") == 0) {
        do_remove(c, snaps, js_bool(body, "purge"));
        return;
    }
    api_error(c, 400, "", "unsupported multi-snap action \"%s\"", action);
}

void api_snaps(struct api_ctx *c) {
    enum evhttp_cmd_type m = evhttp_request_get_command(c->req);
    if (m == EVHTTP_REQ_GET) {
        get_snaps(c);
        return;
    }
    if (m != EVHTTP_REQ_POST) {
        api_error(c, 405, "", "method not allowed");
        return;
    }
    if (!api_require_root(c)) {
        return;
    }
    const char *ctype =
        evhttp_find_header(evhttp_request_get_input_headers(c->req), "Content-Type");
    if (ctype != NULL && strncmp(ctype, "multipart/form-data", 19) == 0) {
        post_snaps_multipart(c, ctype);
    } else {
        post_snaps_json(c);
    }
}

void api_snap(struct api_ctx *c) {
    enum evhttp_cmd_type m = evhttp_request_get_command(c->req);
    const char *name = c->arg;
    if (m == EVHTTP_REQ_GET) {
        state_lock();
        struct json_object *snapst = state_snap(&c->d->state, name);
        struct json_object *o = snapst ? snap_json(c->d, name, snapst, NULL) : NULL;
        state_unlock();
        if (o == NULL) {
            api_snap_not_found(c, name, "snap not installed");
        } else {
            api_sync(c, 200, o);
        }
        return;
    }
    SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *body = api_post_body(c);
    if (body == NULL) {
        return;
    }
    const char *action = js_str(body, "action");
    if (action != NULL && strcmp(action, "remove") == 0) {
        SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *one = json_object_new_array();
        json_object_array_add(one, json_object_new_string(name));
        do_remove(c, one, js_bool(body, "purge"));
    } else {
        api_error(c, 400, "", "unknown action \"%s\"", action ? action : "");
    }
}

struct app_ent {
    const char *snap, *name; /* borrowed from the state and the metadata cache (lock held) */
    const struct snap_meta_app *app;
};

static int cmp_app(const void *a, const void *b) {
    const struct app_ent *x = a, *y = b;
    int c = strcmp(x->snap, y->snap);
    return c != 0 ? c : strcmp(x->name, y->name);
}

/* snapd's appInfosFor: every app (or service) of the snaps named in `names` ("snap" or
 * "snap.app", comma-separated; all snaps when empty), sorted by snap then app. Errors as
 * snapd's: 404 snap-not-found for an unknown snap, 404 app-not-found for a snap without
 * such apps or an unknown app (status 404, kind and message in err; for snap-not-found, the
 * snap's name in *missing, caller owns). State lock held. */
static struct json_object *apps_json(struct daemon *d, const char *names, bool services_only,
                                     struct sn_err *err, char **missing) {
    const char *what = services_only ? "service" : "app";
    SN_AUTOSTRV char **req = NULL;
    size_t nreq = 0;
    for (const char *p = names; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 0) {
            req = xrealloc(req, (nreq + 2) * sizeof(char *));
            req[nreq++] = xstrndup(p, n);
            req[nreq] = NULL;
        }
        p = e ? e + 1 : NULL;
    }
    bool *found = xcalloc(nreq + 1, sizeof(bool));
    struct app_ent *v = NULL;
    size_t nv = 0;
    struct json_object *out = NULL;
    json_object_object_foreach(state_snaps(&d->state), name, snapst) {
        const char *rev = js_str(snapst, "current");
        const struct snap_meta *info =
            rev && js_bool(snapst, "active") ? snap_cache_get(d, name, rev) : NULL;
        if (info == NULL) {
            continue;
        }
        bool whole = nreq == 0, asked = false;
        for (size_t i = 0; i < nreq; i++) {
            if (strcmp(req[i], name) == 0) {
                whole = asked = found[i] = true;
            }
        }
        size_t napps = 0;
        for (size_t k = 0; k < info->napps; k++) {
            const struct snap_meta_app *a = &info->apps[k];
            if (services_only && a->daemon == NULL) {
                continue;
            }
            napps++;
            bool want = whole;
            for (size_t i = 0; i < nreq; i++) {
                size_t nl = strlen(name);
                if (strncmp(req[i], name, nl) == 0 && req[i][nl] == '.' &&
                    strcmp(req[i] + nl + 1, a->name) == 0) {
                    want = found[i] = true;
                }
            }
            if (want) {
                v = xrealloc(v, (nv + 1) * sizeof(*v));
                v[nv++] = (struct app_ent){.snap = name, .name = a->name, .app = a};
            }
        }
        if (napps == 0 && asked) {
            (void)sn_err_setk(err, -ENOENT, "app-not-found", "snap \"%s\" has no %ss", name, what);
            goto out;
        }
    }
    for (size_t i = 0; i < nreq; i++) {
        if (found[i]) {
            continue;
        }
        const char *dot = strchr(req[i], '.');
        if (dot == NULL) {
            (void)sn_err_setk(err, -ENOENT, "snap-not-found", "snap \"%s\" not found", req[i]);
            *missing = xstrdup(req[i]);
        } else {
            (void)sn_err_setk(err, -ENOENT, "app-not-found", "snap \"%.*s\" has no %s \"%s\"",
                              (int)(dot - req[i]), req[i], what, dot + 1);
        }
        goto out;
    }
    if (nv > 1) {
        qsort(v, nv, sizeof(*v), cmp_app);
    }
    out = json_object_new_array();
    for (size_t i = 0; i < nv; i++) {
        struct json_object *o = json_object_new_object();
        js_set_str(o, "snap", v[i].snap);
        js_set_str(o, "name", v[i].name);
        if (v[i].app->daemon) {
            js_set_str(o, "daemon", v[i].app->daemon);
            js_set_str(o, "daemon-scope",
                       v[i].app->daemon_scope ? v[i].app->daemon_scope : "system");
            /* no supervisor yet: nothing is enabled or running */
            json_object_object_add(o, "enabled", json_object_new_boolean(0));
            json_object_object_add(o, "active", json_object_new_boolean(0));
        }
        json_object_array_add(out, o);
    }
out:
    free(v);
    free(found);
    return out;
}

void api_apps(struct api_ctx *c) {
    if (evhttp_request_get_command(c->req) != EVHTTP_REQ_GET) {
        api_error(c, 405, "", "services are not supervised yet");
        return;
    }
    const char *select = evhttp_find_header(c->query, "select");
    if (select != NULL && select[0] != '\0' && strcmp(select, "service") != 0) {
        api_error(c, 400, "", "invalid select parameter: \"%s\"", select);
        return;
    }
    bool services_only = select != NULL && strcmp(select, "service") == 0;
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE char *missing = NULL;
    state_lock();
    struct json_object *arr =
        apps_json(c->d, evhttp_find_header(c->query, "names"), services_only, &err, &missing);
    state_unlock();
    if (arr == NULL && missing != NULL) {
        api_snap_not_found(c, missing, "%s", err.msg);
        return;
    }
    if (arr == NULL) {
        api_error(c, 404, err.kind, "%s", err.msg);
        return;
    }
    api_sync(c, 200, arr);
}

void api_find(struct api_ctx *c) {
    if (evhttp_request_get_command(c->req) != EVHTTP_REQ_GET) {
        api_error(c, 405, "", "method not allowed");
        return;
    }
    /* No store yet. snapd answers a search it cannot send to its store with 400 and kind
     * "dns-failure" (or "network-timeout"), which the real client reports as "unable to
     * contact snap store"; answer the same way, with the reason in the message. */
    api_error(c, 400, "dns-failure", "cannot search the store: snapd-c has no store configured");
}
