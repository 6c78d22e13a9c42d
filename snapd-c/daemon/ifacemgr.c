/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "ifacemgr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attrs.h"
#include "cleanup.h"
#include "connection.h"
#include "fault.h"
#include "fs.h"
#include "helper.h"
#include "log.h"
#include "registry.h"
#include "security.h"
#include "snap-json.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

static const struct iface_env dev_env = {IFACE_MODE_CORE, IFACEMGR_SYSTEM_SNAP, "/snap",
                                         "/var/snap"};

bool ifacemgr_is_system_snap(const char *name) {
    return name == NULL || name[0] == '\0' || strcmp(name, "snapd") == 0 ||
           strcmp(name, "core") == 0 || strcmp(name, "system") == 0;
}

static struct json_object *state_conns(struct state *st) {
    struct json_object *data = NULL, *conns = NULL;
    json_object_object_get_ex(st->root, "data", &data);
    json_object_object_get_ex(data, "conns", &conns);
    return conns;
}

/* ---- loading snaps and connections (state lock held) ---- */

/* Snap infos loaded for one computation, by name. */
struct infos {
    char **names;
    struct snap_info **v;
    size_t n;
};

static const struct snap_info *infos_get(struct daemon *d, struct infos *in, const char *name) {
    for (size_t i = 0; i < in->n; i++) {
        if (strcmp(in->names[i], name) == 0) {
            return in->v[i];
        }
    }
    struct json_object *snapst = state_snap(&d->state, name);
    const char *rev = js_str(snapst, "current");
    struct snap_info *info = NULL;
    struct sn_err err = SN_ERR_INIT;
    if (rev == NULL || snap_info_load(d, name, rev, &info, &err) < 0) {
        info = NULL;
    }
    in->names = xrealloc(in->names, (in->n + 1) * sizeof(char *));
    in->v = xrealloc(in->v, (in->n + 1) * sizeof(*in->v));
    in->names[in->n] = xstrdup(name);
    in->v[in->n++] = info;
    return info;
}

static void infos_release(struct infos *in) {
    for (size_t i = 0; i < in->n; i++) {
        free(in->names[i]);
        snap_info_free(in->v[i]);
    }
    free(in->names);
    free(in->v);
    memset(in, 0, sizeof(*in));
}

struct conn_set {
    struct iface_connection *v;
    size_t n;
    struct infos infos;
};

static void conn_set_release(struct conn_set *cs) {
    free(cs->v);
    infos_release(&cs->infos);
    memset(cs, 0, sizeof(*cs));
}

/* Build the end of one side from names; false when the plug/slot does not exist (anymore). */
static bool make_end(struct daemon *d, struct conn_set *cs, enum iface_side side, const char *snap,
                     const char *name, const char *iface, const struct snap_info *self,
                     struct iface_end *out) {
    if (side == IFACE_SLOT && ifacemgr_is_system_snap(snap)) {
        const struct iface_def *def = iface_lookup(iface);
        if (def == NULL || !iface_is_implicit(def, dev_env.mode)) {
            return false;
        }
        iface_end_system_slot(out, iface, &dev_env);
        return true;
    }
    const struct snap_info *info =
        self != NULL && strcmp(self->name, snap) == 0 ? self : infos_get(d, &cs->infos, snap);
    if (info == NULL) {
        return false;
    }
    const struct snap_plugslot *ps =
        side == IFACE_PLUG ? snap_info_plug(info, name) : snap_info_slot(info, name);
    if (ps == NULL || strcmp(ps->iface, iface) != 0) {
        return false;
    }
    iface_end_init(out, side, info, ps);
    return true;
}

/* The connections involving snap `name` (self is its info at the revision being rendered). */
static void load_conns(struct daemon *d, const char *name, const struct snap_info *self,
                       struct conn_set *cs) {
    json_object_object_foreach(state_conns(&d->state), id, c) {
        if (js_bool(c, "undesired")) {
            continue;
        }
        struct iface_conn_ref ref;
        if (iface_conn_ref_parse(id, &ref, NULL) < 0) {
            continue;
        }
        bool mine = strcmp(ref.plug_snap, name) == 0 || strcmp(ref.slot_snap, name) == 0;
        const char *iface = js_str(c, "interface");
        if (!mine || iface == NULL) {
            continue;
        }
        struct iface_connection conn;
        memset(&conn, 0, sizeof(conn));
        if (!make_end(d, cs, IFACE_PLUG, ref.plug_snap, ref.plug, iface, self, &conn.plug) ||
            !make_end(d, cs, IFACE_SLOT, ref.slot_snap, ref.slot, iface, self, &conn.slot)) {
            continue;
        }
        conn.auto_connected = js_bool(c, "auto");
        conn.by_gadget = js_bool(c, "by-gadget");
        cs->v = xrealloc(cs->v, (cs->n + 1) * sizeof(*cs->v));
        cs->v[cs->n++] = conn;
    }
}

/* ---- profiles ---- */

static int policy_cb(const struct snap_info *info, const char *tag, struct iface_policy *out,
                     void *data, struct sn_err *err) {
    const struct conn_set *cs = data;
    return iface_policy_for_tag(tag, info, cs->v, cs->n, &dev_env, out, err);
}

/* Rendering and compiling profiles (libseccomp, the renderer) allocates megabytes, and a
 * resident daemon must not keep that heap: it runs in a helper, this binary re-executed as
 * `snapd-c --setup-profiles FILE`. FILE holds what the helper needs from the state (the snap,
 * its revision, the current revisions of the snaps it is connected to, its connections).
 * An exec'd helper, not a forked child: fork in a multi-threaded process is only safe for
 * async-signal-safe work, and sanitizer runtimes deadlock there. */
static struct json_object *helper_input(struct daemon *d, const char *name, const char *rev,
                                        bool devmode) {
    struct json_object *in = json_object_new_object();
    js_set_str(in, "root", d->root);
    js_set_str(in, "name", name);
    js_set_str(in, "revision", rev);
    json_object_object_add(in, "devmode", json_object_new_boolean(devmode));
    struct json_object *snaps = json_object_new_object(), *conns = json_object_new_object();
    json_object_object_foreach(state_snaps(&d->state), sname, sst) {
        if (js_str(sst, "current") != NULL) {
            struct json_object *e = json_object_new_object();
            js_set_str(e, "current", js_str(sst, "current"));
            json_object_object_add(snaps, sname, e);
        }
    }
    json_object_object_foreach(state_conns(&d->state), id, c) {
        struct iface_conn_ref ref;
        if (iface_conn_ref_parse(id, &ref, NULL) == 0 &&
            (strcmp(ref.plug_snap, name) == 0 || strcmp(ref.slot_snap, name) == 0)) {
            json_object_object_add(conns, id, js_copy(c));
        }
    }
    struct json_object *data = json_object_new_object(), *st = json_object_new_object();
    json_object_object_add(data, "snaps", snaps);
    json_object_object_add(data, "conns", conns);
    json_object_object_add(st, "data", data);
    json_object_object_add(in, "state", st);
    return in;
}

int ifacemgr_setup_profiles(struct daemon *d, const char *name, const char *rev, bool devmode,
                            struct sn_err *err) {
    SN_AUTOFREE char *dir = d_path(d, "/run/snapd-c");
    int r = sn_mkpath(dir, 0700, err);
    if (r < 0) {
        return r;
    }
    state_lock();
    struct json_object *in = helper_input(d, name, rev, devmode);
    state_unlock();
    SN_AUTOFREE char *path = xasprintf("%s/setup-%s.json", dir, name);
    const char *text = json_object_to_json_string_ext(in, JSON_C_TO_STRING_PLAIN);
    r = sn_write_file_atomic(path, text, strlen(text), 0600, err);
    json_object_put(in);
    if (r < 0) {
        return r;
    }
    SN_AUTOFREE char *self = xasprintf("%s/snapd-c", d->self_dir);
    const char *argv[] = {self, "--setup-profiles", path, NULL};
    SN_AUTOFREE char *out = NULL, *errout = NULL;
    int status = 0;
    r = helper_run(argv, &out, &errout, &status, err);
    (void)unlink(path);
    if (r < 0) {
        return r;
    }
    if (status == 137 && SN_FAULT_ENABLED) {
        _exit(137); /* a fault point inside the backend: the daemon "crashes" there */
    }
    if (status != 0) {
        char *msg = errout;
        const char *pre = "snapd-c: error: ";
        if (strncmp(msg, pre, strlen(pre)) == 0) {
            msg += strlen(pre);
        }
        msg[strcspn(msg, "\n")] = '\0';
        return sn_err_set(err, -EIO, "%s", msg[0] ? msg : "profile setup failed");
    }
    return 0;
}

int ifacemgr_setup_profiles_helper(const char *path) {
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    if (sn_read_file(path, 16 * 1024 * 1024, &data, &len, &err) < 0) {
        log_error("%s", err.msg);
        return 1;
    }
    struct json_object *in = json_tokener_parse(data);
    struct json_object *st = NULL;
    if (in == NULL || !json_object_object_get_ex(in, "state", &st) || js_str(in, "root") == NULL ||
        js_str(in, "name") == NULL || js_str(in, "revision") == NULL) {
        log_error("'%s': not a profile setup request", path);
        if (in) {
            json_object_put(in);
        }
        return 1;
    }
    struct daemon d = {.root = xstrdup(js_str(in, "root"))};
    d.state.root = json_object_get(st);
    const char *name = js_str(in, "name"), *rev = js_str(in, "revision");
    struct snap_info *info = NULL;
    int r = snap_info_load(&d, name, rev, &info, &err);
    if (r == 0) {
        struct conn_set cs = {0};
        load_conns(&d, name, info, &cs);
        struct security_opts opts = {.devmode = js_bool(in, "devmode") ||
                                                info->confinement == SNAP_CONFINE_DEVMODE};
        r = security_setup_snap(d.root, info, rev, &opts, policy_cb, &cs, &err);
        conn_set_release(&cs);
        snap_info_free(info);
    }
    if (r < 0) {
        log_error("%s", err.msg);
    }
    json_object_put(d.state.root);
    free(d.root);
    json_object_put(in);
    return r < 0 ? 1 : 0;
}

int ifacemgr_remove_profiles(struct daemon *d, const char *name, struct sn_err *err) {
    return security_remove_snap(d->root, name, err);
}

/* Re-render the profiles of every installed snap (other than skip) named in list. */
static int rerender(struct daemon *d, char *const *list, const char *skip, struct sn_err *err) {
    for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
        if (ifacemgr_is_system_snap(list[i]) || (skip && strcmp(list[i], skip) == 0)) {
            continue;
        }
        state_lock();
        struct json_object *snapst = state_snap(&d->state, list[i]);
        SN_AUTOFREE char *rev =
            js_str(snapst, "current") ? xstrdup(js_str(snapst, "current")) : NULL;
        bool devmode = js_bool(snapst, "devmode");
        state_unlock();
        if (rev == NULL) {
            continue;
        }
        int r = ifacemgr_setup_profiles(d, list[i], rev, devmode, err);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

static char **strv_add_unique(char **v, const char *s) {
    size_t n = 0;
    for (; v != NULL && v[n] != NULL; n++) {
        if (strcmp(v[n], s) == 0) {
            return v;
        }
    }
    v = xrealloc(v, (n + 2) * sizeof(char *));
    v[n] = xstrdup(s);
    v[n + 1] = NULL;
    return v;
}

/* ---- state entries ---- */

static struct json_object *attrs_json(const struct sn_ynode *attrs) {
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    iface_attrs_to_json(attrs, &sb);
    struct json_object *o = sb.len ? json_tokener_parse(sb.buf) : NULL;
    return o ? o : json_object_new_object();
}

static struct json_object *conn_entry(const struct iface_connection *c, bool is_auto) {
    struct json_object *e = json_object_new_object();
    js_set_str(e, "interface", c->plug.iface);
    json_object_object_add(e, "auto", json_object_new_boolean(is_auto));
    if (c->by_gadget) {
        json_object_object_add(e, "by-gadget", json_object_new_boolean(1));
    }
    /* empty attribute maps are left out (snapd does the same): json-c objects cost memory */
    struct json_object *pa = attrs_json(c->plug.attrs), *sa = attrs_json(c->slot.attrs);
    if (json_object_object_length(pa) > 0) {
        json_object_object_add(e, "plug-static", pa);
    } else {
        json_object_put(pa);
    }
    if (json_object_object_length(sa) > 0) {
        json_object_object_add(e, "slot-static", sa);
    } else {
        json_object_put(sa);
    }
    return e;
}

static char *conn_key(const char *ps, const char *p, const char *ss, const char *s) {
    return xasprintf("%s:%s %s:%s", ps, p, ifacemgr_is_system_snap(ss) ? IFACEMGR_SYSTEM_SNAP : ss,
                     s);
}

/* ---- auto-connect (install chain) ---- */

struct candidates {
    struct iface_end *v;
    char **snaps;
    size_t n;
};

static void cand_add(struct candidates *c, const struct iface_end *e, const char *snap) {
    c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
    c->snaps = xrealloc(c->snaps, (c->n + 1) * sizeof(char *));
    c->v[c->n] = *e;
    c->snaps[c->n++] = xstrdup(snap);
}

static void cand_release(struct candidates *c) {
    for (size_t i = 0; i < c->n; i++) {
        free(c->snaps[i]);
    }
    free(c->v);
    free(c->snaps);
    memset(c, 0, sizeof(*c));
}

/* Slots a plug of interface iface could connect to: the system's and every installed snap's. */
static void slot_candidates(struct daemon *d, struct infos *in, const char *iface,
                            const struct snap_info *self, struct candidates *out) {
    const struct iface_def *def = iface_lookup(iface);
    if (def != NULL && iface_is_implicit(def, dev_env.mode)) {
        struct iface_end e;
        iface_end_system_slot(&e, iface, &dev_env);
        cand_add(out, &e, IFACEMGR_SYSTEM_SNAP);
    }
    json_object_object_foreach(state_snaps(&d->state), sname, sst) {
        (void)sst;
        const struct snap_info *info =
            self && strcmp(self->name, sname) == 0 ? self : infos_get(d, in, sname);
        for (size_t i = 0; info && i < info->nslots; i++) {
            if (strcmp(info->slots[i].iface, iface) == 0) {
                struct iface_end e;
                iface_end_init(&e, IFACE_SLOT, info, &info->slots[i]);
                cand_add(out, &e, sname);
            }
        }
    }
    if (self != NULL && state_snap(&d->state, self->name) == NULL) {
        for (size_t i = 0; i < self->nslots; i++) {
            if (strcmp(self->slots[i].iface, iface) == 0) {
                struct iface_end e;
                iface_end_init(&e, IFACE_SLOT, self, &self->slots[i]);
                cand_add(out, &e, self->name);
            }
        }
    }
}

static bool plug_has_conn(struct daemon *d, const char *snap, const char *plug) {
    SN_AUTOFREE char *prefix = xasprintf("%s:%s ", snap, plug);
    json_object_object_foreach(state_conns(&d->state), id, c) {
        (void)c;
        if (strncmp(id, prefix, strlen(prefix)) == 0) {
            return true;
        }
    }
    return false;
}

static void try_auto(struct daemon *d, struct infos *in, const struct snap_info *pinfo,
                     const struct snap_plugslot *plug, const struct snap_info *self,
                     const char *only_slot_snap, struct json_object *added, char ***others) {
    if (plug_has_conn(d, pinfo->name, plug->name)) {
        return;
    }
    struct candidates cands = {0};
    slot_candidates(d, in, plug->iface, self, &cands);
    struct iface_end pe;
    iface_end_init(&pe, IFACE_PLUG, pinfo, plug);
    int idx = cands.n ? iface_auto_connect_pick(&pe, cands.v, cands.n, &dev_env) : -ENOENT;
    if (idx >= 0 && (only_slot_snap == NULL || strcmp(cands.snaps[idx], only_slot_snap) == 0)) {
        struct iface_connection c;
        memset(&c, 0, sizeof(c));
        c.plug = pe;
        c.slot = cands.v[idx];
        SN_AUTOFREE char *key =
            conn_key(pinfo->name, plug->name, cands.snaps[idx], cands.v[idx].name);
        json_object_object_add(state_conns(&d->state), key, conn_entry(&c, true));
        json_object_array_add(added, json_object_new_string(key));
        *others = strv_add_unique(*others, pinfo->name);
        *others = strv_add_unique(*others, cands.snaps[idx]);
        log_debug("auto-connected %s", key);
    }
    cand_release(&cands);
}

static struct json_object *setup_of(struct task_ctx *t) {
    return change_setup_for(t->chg_data, t->data);
}

static void remove_keys(struct daemon *d, struct json_object *keys) {
    for (size_t i = 0; keys && i < json_object_array_length(keys); i++) {
        json_object_object_del(state_conns(&d->state),
                               json_object_get_string(json_object_array_get_idx(keys, i)));
    }
}

static char **strv_from_json(struct json_object *a) {
    char **v = xcalloc(1, sizeof(char *));
    for (size_t i = 0; a && i < json_object_array_length(a); i++) {
        v = strv_add_unique(v, json_object_get_string(json_object_array_get_idx(a, i)));
    }
    return v;
}

static struct json_object *strv_to_json(char *const *v) {
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; v && v[i]; i++) {
        json_object_array_add(a, json_object_new_string(v[i]));
    }
    return a;
}

static int do_auto_connect(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *name = js_str(s, "name"), *rev = js_str(s, "revision");
    struct json_object *done = NULL;
    if (json_object_object_get_ex(t->data, "added", &done)) {
        return 0; /* re-run after a crash: already recorded */
    }
    struct snap_info *self = NULL;
    int r = snap_info_load(d, name, rev, &self, err);
    if (r < 0) {
        return r;
    }
    SN_CLEANUP(sn_cleanup_snap_info_free) struct snap_info *info = self;
    /* plugs and slots of interfaces we do not know are ignored (snapd: "bad interfaces");
     * known ones must have valid attributes, or the install fails here and is undone */
    for (int side = 0; side < 2; side++) {
        size_t n = side == 0 ? info->nplugs : info->nslots;
        const struct snap_plugslot *v = side == 0 ? info->plugs : info->slots;
        for (size_t i = 0; i < n; i++) {
            if (iface_lookup(v[i].iface) == NULL) {
                task_note(t, "ignoring %s \"%s\": unknown interface \"%s\"",
                          side == 0 ? "plug" : "slot", v[i].name, v[i].iface);
                continue;
            }
            r = side == 0 ? iface_validate_plug(info, &v[i], err)
                          : iface_validate_slot(info, &v[i], err);
            if (r < 0) {
                return r;
            }
        }
    }
    struct infos in = {0};
    struct json_object *added = json_object_new_array();
    SN_AUTOSTRV char **others = xcalloc(1, sizeof(char *));
    state_lock();
    for (size_t i = 0; i < info->nplugs; i++) {
        try_auto(d, &in, info, &info->plugs[i], info, NULL, added, &others);
    }
    /* plugs of installed snaps that this snap's new slots now serve */
    for (size_t k = 0; k < info->nslots; k++) {
        json_object_object_foreach(state_snaps(&d->state), oname, ost) {
            (void)ost;
            if (strcmp(oname, name) == 0) {
                continue;
            }
            const struct snap_info *oi = infos_get(d, &in, oname);
            for (size_t i = 0; oi && i < oi->nplugs; i++) {
                if (strcmp(oi->plugs[i].iface, info->slots[k].iface) == 0) {
                    try_auto(d, &in, oi, &oi->plugs[i], info, name, added, &others);
                }
            }
        }
    }
    state_unlock();
    infos_release(&in);
    json_object_object_add(t->data, "added", added);
    json_object_object_add(t->data, "others", strv_to_json(others));
    /* the snap itself is rendered by setup-profiles next; the other ends now */
    r = rerender(d, others, name, err);
    if (r < 0) {
        state_lock();
        remove_keys(d, added);
        state_unlock();
        struct sn_err ignore = SN_ERR_INIT;
        SN_IGNORE(rerender(d, others, name, &ignore));
        json_object_object_del(t->data, "added");
    }
    return r;
}

static int undo_auto_connect(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *added = NULL, *others = NULL;
    json_object_object_get_ex(t->data, "added", &added);
    json_object_object_get_ex(t->data, "others", &others);
    state_lock();
    remove_keys(d, added);
    state_unlock();
    SN_AUTOSTRV char **v = strv_from_json(others);
    return rerender(d, v, js_str(setup_of(t), "name"), err);
}

/* ---- disconnect everything of a snap (remove chain) ---- */

static int do_disconnect_snap(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    const char *name = js_str(setup_of(t), "name");
    struct json_object *removed = NULL;
    if (!json_object_object_get_ex(t->data, "removed", &removed)) {
        removed = json_object_new_object();
        SN_AUTOSTRV char **others = xcalloc(1, sizeof(char *));
        state_lock();
        SN_AUTOSTRV char **keys = xcalloc(1, sizeof(char *));
        json_object_object_foreach(state_conns(&d->state), id, c) {
            struct iface_conn_ref ref;
            if (iface_conn_ref_parse(id, &ref, NULL) < 0) {
                continue;
            }
            if (strcmp(ref.plug_snap, name) == 0 || strcmp(ref.slot_snap, name) == 0) {
                keys = strv_add_unique(keys, id);
                others = strv_add_unique(
                    others, strcmp(ref.plug_snap, name) == 0 ? ref.slot_snap : ref.plug_snap);
                json_object_object_add(removed, id, js_copy(c));
            }
        }
        for (size_t i = 0; keys[i]; i++) {
            json_object_object_del(state_conns(&d->state), keys[i]);
        }
        state_unlock();
        json_object_object_add(t->data, "removed", removed);
        json_object_object_add(t->data, "others", strv_to_json(others));
    }
    struct json_object *others = NULL;
    json_object_object_get_ex(t->data, "others", &others);
    SN_AUTOSTRV char **v = strv_from_json(others);
    return rerender(d, v, name, err);
}

static int undo_disconnect_snap(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *removed = NULL, *others = NULL;
    json_object_object_get_ex(t->data, "removed", &removed);
    json_object_object_get_ex(t->data, "others", &others);
    state_lock();
    if (removed != NULL) {
        json_object_object_foreach(removed, id, c) {
            json_object_object_add(state_conns(&d->state), id, js_copy(c));
        }
    }
    state_unlock();
    SN_AUTOSTRV char **v = strv_from_json(others);
    return rerender(d, v, js_str(setup_of(t), "name"), err);
}

/* ---- connect / disconnect changes ---- */

/* task data: {"key", "plug-snap", "slot-snap", "entry": the new entry or null,
 *             "previous": the entry before or absent} */
static int apply_entry(struct daemon *d, struct task_ctx *t, bool undo, struct sn_err *err) {
    const char *key = js_str(t->data, "key");
    struct json_object *entry = NULL;
    json_object_object_get_ex(t->data, undo ? "previous" : "entry", &entry);
    state_lock();
    if (entry != NULL) {
        json_object_object_add(state_conns(&d->state), key, js_copy(entry));
    } else {
        json_object_object_del(state_conns(&d->state), key);
    }
    state_unlock();
    char *list[] = {(char *)js_str(t->data, "plug-snap"), (char *)js_str(t->data, "slot-snap"),
                    NULL};
    int r = rerender(d, list, NULL, err);
    if (r < 0 && !undo) {
        /* put the previous connection state back and the profiles with it */
        struct json_object *prev = NULL;
        json_object_object_get_ex(t->data, "previous", &prev);
        state_lock();
        if (prev != NULL) {
            json_object_object_add(state_conns(&d->state), key, js_copy(prev));
        } else {
            json_object_object_del(state_conns(&d->state), key);
        }
        state_unlock();
        struct sn_err ignore = SN_ERR_INIT;
        SN_IGNORE(rerender(d, list, NULL, &ignore));
    }
    return r;
}

static int do_conn(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    return apply_entry(d, t, false, err);
}

static int undo_conn(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    return apply_entry(d, t, true, err);
}

const struct task_kind ifacemgr_task_kinds[] = {
    {"auto-connect", do_auto_connect, undo_auto_connect},
    {"disconnect-snap", do_disconnect_snap, undo_disconnect_snap},
    {"connect", do_conn, undo_conn},
    {"disconnect", do_conn, undo_conn},
    {NULL, NULL, NULL},
};

/* Resolve the two ends named by a request (state lock held). */
static int resolve(struct daemon *d, struct infos *in, const char *plug_snap, const char *plug,
                   const char *slot_snap, const char *slot, struct iface_connection *c,
                   const char **slot_snap_out, struct sn_err *err) {
    memset(c, 0, sizeof(*c));
    const struct snap_info *pinfo =
        state_snap(&d->state, plug_snap) ? infos_get(d, in, plug_snap) : NULL;
    if (pinfo == NULL) {
        return sn_err_setk(err, -ENOENT, "snap-not-found", "snap \"%s\" is not installed",
                           plug_snap);
    }
    const struct snap_plugslot *p = snap_info_plug(pinfo, plug);
    if (p == NULL) {
        return sn_err_setk(err, -ENOENT, "", "snap \"%s\" has no plug named \"%s\"", plug_snap,
                           plug);
    }
    if (iface_lookup(p->iface) == NULL) {
        return sn_err_set(err, -EINVAL, "plug %s:%s has unknown interface \"%s\"", plug_snap, plug,
                          p->iface);
    }
    iface_end_init(&c->plug, IFACE_PLUG, pinfo, p);
    if (ifacemgr_is_system_snap(slot_snap)) {
        const char *name = slot && slot[0] ? slot : p->iface;
        const struct iface_def *def = iface_lookup(name);
        if (def == NULL || !iface_is_implicit(def, dev_env.mode)) {
            return sn_err_setk(err, -ENOENT, "", "the system has no slot named \"%s\"", name);
        }
        iface_end_system_slot(&c->slot, name, &dev_env);
        *slot_snap_out = IFACEMGR_SYSTEM_SNAP;
        return 0;
    }
    const struct snap_info *sinfo =
        state_snap(&d->state, slot_snap) ? infos_get(d, in, slot_snap) : NULL;
    if (sinfo == NULL) {
        return sn_err_setk(err, -ENOENT, "snap-not-found", "snap \"%s\" is not installed",
                           slot_snap);
    }
    const struct snap_plugslot *s = NULL;
    if (slot && slot[0]) {
        s = snap_info_slot(sinfo, slot);
    } else {
        for (size_t i = 0; i < sinfo->nslots; i++) {
            if (strcmp(sinfo->slots[i].iface, p->iface) == 0) {
                if (s != NULL) {
                    return sn_err_set(err, -EINVAL, "snap \"%s\" has several %s slots: name one",
                                      slot_snap, p->iface);
                }
                s = &sinfo->slots[i];
            }
        }
    }
    if (s == NULL) {
        return sn_err_setk(err, -ENOENT, "", "snap \"%s\" has no slot named \"%s\"", slot_snap,
                           slot && slot[0] ? slot : p->iface);
    }
    iface_end_init(&c->slot, IFACE_SLOT, sinfo, s);
    *slot_snap_out = slot_snap;
    return 0;
}

static int conn_change(struct daemon *d, bool connect, const char *plug_snap, const char *plug,
                       const char *slot_snap, const char *slot, bool forget, char **change_id,
                       struct sn_err *err) {
    struct infos in = {0};
    struct iface_connection c;
    const char *ss = NULL;
    state_lock();
    int r = resolve(d, &in, plug_snap, plug, slot_snap, slot, &c, &ss, err);
    SN_AUTOFREE char *key = r == 0 ? conn_key(plug_snap, plug, ss, c.slot.name) : NULL;
    struct json_object *prev = NULL;
    if (r == 0) {
        json_object_object_get_ex(state_conns(&d->state), key, &prev);
        bool established = prev != NULL && !js_bool(prev, "undesired");
        if (connect && established) {
            r = sn_err_setk(err, -EEXIST, "interfaces-unchanged", "already connected: \"%s\"", key);
        } else if (!connect && !established) {
            r = sn_err_setk(err, -ENOENT, "",
                            "cannot disconnect %s:%s from %s:%s, it is not "
                            "connected",
                            plug_snap, plug, ss, c.slot.name);
        } else if (connect) {
            r = iface_check_connect(&c.plug, &c.slot, err);
        }
    }
    if (r == 0) {
        r = state_check_conflict(&d->state, plug_snap, err);
    }
    if (r == 0 && !ifacemgr_is_system_snap(ss)) {
        r = state_check_conflict(&d->state, ss, err);
    }
    if (r < 0) {
        state_unlock();
        infos_release(&in);
        return r;
    }
    char summary[512];
    (void)snprintf(summary, sizeof(summary), "%s %s:%s %s %s:%s",
                   connect ? "Connect" : "Disconnect", plug_snap, plug, connect ? "to" : "from", ss,
                   c.slot.name);
    const char *cid =
        state_new_change(&d->state, connect ? "connect-snap" : "disconnect-snap", summary);
    struct json_object *chg = state_change(&d->state, cid), *cdata = NULL;
    json_object_object_get_ex(chg, "data", &cdata);
    struct json_object *names = json_object_new_array();
    json_object_array_add(names, json_object_new_string(plug_snap));
    if (!ifacemgr_is_system_snap(ss) && strcmp(ss, plug_snap) != 0) {
        json_object_array_add(names, json_object_new_string(ss));
    }
    json_object_object_add(cdata, "snap-names", names);
    struct json_object *t =
        state_add_task(&d->state, cid, connect ? "connect" : "disconnect", summary);
    struct json_object *td = task_data(t);
    js_set_str(td, "key", key);
    js_set_str(td, "plug-snap", plug_snap);
    js_set_str(td, "slot-snap", ss);
    if (prev != NULL) {
        json_object_object_add(td, "previous", js_copy(prev));
    }
    if (connect) {
        json_object_object_add(td, "entry", conn_entry(&c, false));
    } else if (js_bool(prev, "auto") && !forget) {
        /* snapd: a disconnected auto-connection is remembered as undesired so that it does not
         * come back at the next refresh; --forget drops it entirely */
        struct json_object *u = NULL;
        (void)json_object_deep_copy(prev, &u, NULL);
        json_object_object_add(u, "undesired", json_object_new_boolean(1));
        json_object_object_add(td, "entry", u);
    }
    *change_id = xstrdup(cid);
    r = state_commit(&d->state, err);
    state_unlock();
    infos_release(&in);
    if (r == 0) {
        engine_wake();
    }
    return r;
}

int ifacemgr_connect(struct daemon *d, const char *plug_snap, const char *plug,
                     const char *slot_snap, const char *slot, char **change_id,
                     struct sn_err *err) {
    return conn_change(d, true, plug_snap, plug, slot_snap, slot, false, change_id, err);
}

/* Add a disconnect task for connection key (entry e) to change cid. */
static void add_disconnect_task(struct daemon *d, const char *cid, const char *key,
                                struct json_object *e, bool forget) {
    struct iface_conn_ref ref;
    if (iface_conn_ref_parse(key, &ref, NULL) < 0) {
        return;
    }
    char summary[512];
    (void)snprintf(summary, sizeof(summary), "Disconnect %s:%s from %s:%s", ref.plug_snap, ref.plug,
                   ref.slot_snap, ref.slot);
    struct json_object *t = state_add_task(&d->state, cid, "disconnect", summary);
    struct json_object *td = task_data(t);
    js_set_str(td, "key", key);
    js_set_str(td, "plug-snap", ref.plug_snap);
    js_set_str(td, "slot-snap", ref.slot_snap);
    json_object_object_add(td, "previous", js_copy(e));
    if (js_bool(e, "auto") && !forget) {
        struct json_object *u = NULL;
        (void)json_object_deep_copy(e, &u, NULL);
        json_object_object_add(u, "undesired", json_object_new_boolean(1));
        json_object_object_add(td, "entry", u);
    }
}

/* snap disconnect SNAP[:NAME]: every connection of that plug or slot (or of the whole snap). */
static int disconnect_all(struct daemon *d, const char *snap, const char *name, bool forget,
                          char **change_id, struct sn_err *err) {
    bool system = ifacemgr_is_system_snap(snap);
    state_lock();
    SN_AUTOSTRV char **keys = xcalloc(1, sizeof(char *));
    SN_AUTOSTRV char **snaps = xcalloc(1, sizeof(char *));
    json_object_object_foreach(state_conns(&d->state), id, c) {
        struct iface_conn_ref ref;
        if (js_bool(c, "undesired") || iface_conn_ref_parse(id, &ref, NULL) < 0) {
            continue;
        }
        bool plug_side = !system && strcmp(ref.plug_snap, snap) == 0 &&
                         (name[0] == '\0' || strcmp(ref.plug, name) == 0);
        bool slot_side =
            (system ? ifacemgr_is_system_snap(ref.slot_snap) : strcmp(ref.slot_snap, snap) == 0) &&
            (name[0] == '\0' || strcmp(ref.slot, name) == 0);
        if (plug_side || slot_side) {
            keys = strv_add_unique(keys, id);
            snaps = strv_add_unique(snaps, ref.plug_snap);
            if (!ifacemgr_is_system_snap(ref.slot_snap)) {
                snaps = strv_add_unique(snaps, ref.slot_snap);
            }
        }
    }
    int r = 0;
    if (keys[0] == NULL) {
        r = sn_err_setk(err, -ENOENT, "interfaces-unchanged", "nothing to disconnect for %s:%s",
                        snap, name);
    }
    for (size_t i = 0; r == 0 && snaps[i]; i++) {
        r = state_check_conflict(&d->state, snaps[i], err);
    }
    if (r < 0) {
        state_unlock();
        return r;
    }
    char summary[512];
    (void)snprintf(summary, sizeof(summary), "Disconnect %s:%s", snap, name);
    const char *cid = state_new_change(&d->state, "disconnect-snap", summary);
    struct json_object *chg = state_change(&d->state, cid), *cdata = NULL;
    json_object_object_get_ex(chg, "data", &cdata);
    json_object_object_add(cdata, "snap-names", strv_to_json(snaps));
    for (size_t i = 0; keys[i]; i++) {
        struct json_object *e = NULL;
        json_object_object_get_ex(state_conns(&d->state), keys[i], &e);
        add_disconnect_task(d, cid, keys[i], e, forget);
    }
    *change_id = xstrdup(cid);
    r = state_commit(&d->state, err);
    state_unlock();
    if (r == 0) {
        engine_wake();
    }
    return r;
}

int ifacemgr_disconnect(struct daemon *d, const char *plug_snap, const char *plug,
                        const char *slot_snap, const char *slot, bool forget, char **change_id,
                        struct sn_err *err) {
    if (plug_snap[0] == '\0' && plug[0] == '\0') {
        return disconnect_all(d, slot_snap, slot, forget, change_id, err);
    }
    if (slot_snap[0] == '\0' && slot[0] == '\0') {
        return disconnect_all(d, plug_snap, plug, forget, change_id, err);
    }
    return conn_change(d, false, plug_snap, plug, slot_snap, slot, forget, change_id, err);
}

/* ---- listings ---- */

static struct json_object *ref_json(const char *snap, const char *key, const char *name) {
    struct json_object *o = json_object_new_object();
    js_set_str(o, "snap", snap);
    js_set_str(o, key, name);
    return o;
}

static struct json_object *strv_json(char *const *v) {
    return strv_to_json(v);
}

struct json_object *ifacemgr_connections_json(struct daemon *d, const char *snap, const char *iface,
                                              bool all) {
    struct json_object *res = json_object_new_object();
    struct json_object *est = json_object_new_array(), *und = json_object_new_array();
    struct json_object *plugs = json_object_new_array(), *slots = json_object_new_array();
    json_object_object_foreach(state_conns(&d->state), id, c) {
        struct iface_conn_ref ref;
        const char *ci = js_str(c, "interface");
        if (iface_conn_ref_parse(id, &ref, NULL) < 0 || ci == NULL) {
            continue;
        }
        if (snap && snap[0] && strcmp(ref.plug_snap, snap) != 0 &&
            strcmp(ref.slot_snap, snap) != 0) {
            continue;
        }
        if (iface && iface[0] && strcmp(ci, iface) != 0) {
            continue;
        }
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "slot", ref_json(ref.slot_snap, "slot", ref.slot));
        json_object_object_add(o, "plug", ref_json(ref.plug_snap, "plug", ref.plug));
        js_set_str(o, "interface", ci);
        json_object_object_add(o, "manual", json_object_new_boolean(!js_bool(c, "auto")));
        json_object_object_add(o, "gadget", json_object_new_boolean(js_bool(c, "by-gadget")));
        struct json_object *pa = NULL, *sa = NULL;
        json_object_object_get_ex(c, "plug-static", &pa);
        json_object_object_get_ex(c, "slot-static", &sa);
        json_object_object_add(o, "plug-attrs",
                               pa ? js_copy(pa) : json_object_new_object());
        json_object_object_add(o, "slot-attrs",
                               sa ? js_copy(sa) : json_object_new_object());
        json_object_array_add(js_bool(c, "undesired") ? und : est, o);
    }
    /* plugs and slots of installed snaps (with their connections) */
    json_object_object_foreach(state_snaps(&d->state), sname, sst) {
        const char *rev = js_str(sst, "current");
        if (rev == NULL || (snap && snap[0] && strcmp(sname, snap) != 0)) {
            continue;
        }
        struct snap_info *info = NULL;
        if (snap_info_load(d, sname, rev, &info, NULL) < 0) {
            continue;
        }
        for (int side = 0; side < 2; side++) {
            size_t n = side == 0 ? info->nplugs : info->nslots;
            const struct snap_plugslot *v = side == 0 ? info->plugs : info->slots;
            for (size_t i = 0; i < n; i++) {
                if (iface && iface[0] && strcmp(v[i].iface, iface) != 0) {
                    continue;
                }
                struct json_object *o = json_object_new_object();
                js_set_str(o, "snap", sname);
                js_set_str(o, side == 0 ? "plug" : "slot", v[i].name);
                js_set_str(o, "interface", v[i].iface);
                json_object_object_add(o, "attrs", snap_attrs_to_json(&v[i]));
                json_object_object_add(o, "apps", strv_json(v[i].apps));
                struct json_object *conns = json_object_new_array();
                json_object_object_foreach(state_conns(&d->state), cid2, c2) {
                    struct iface_conn_ref ref;
                    if (js_bool(c2, "undesired") || iface_conn_ref_parse(cid2, &ref, NULL) < 0) {
                        continue;
                    }
                    if (side == 0 && strcmp(ref.plug_snap, sname) == 0 &&
                        strcmp(ref.plug, v[i].name) == 0) {
                        json_object_array_add(conns, ref_json(ref.slot_snap, "slot", ref.slot));
                    } else if (side == 1 && strcmp(ref.slot_snap, sname) == 0 &&
                               strcmp(ref.slot, v[i].name) == 0) {
                        json_object_array_add(conns, ref_json(ref.plug_snap, "plug", ref.plug));
                    }
                }
                bool connected = json_object_array_length(conns) > 0;
                if (connected) {
                    json_object_object_add(o, "connections", conns);
                } else {
                    json_object_put(conns);
                }
                if (all || connected) {
                    json_object_array_add(side == 0 ? plugs : slots, o);
                } else {
                    json_object_put(o);
                }
            }
        }
        snap_info_free(info);
    }
    json_object_object_add(res, "established", est);
    json_object_object_add(res, "undesired", und);
    json_object_object_add(res, "plugs", plugs);
    json_object_object_add(res, "slots", slots);
    return res;
}

struct json_object *ifacemgr_interfaces_json(struct daemon *d, bool all, const char *names,
                                             bool doc, bool plugs, bool slots) {
    struct json_object *conns = ifacemgr_connections_json(d, NULL, NULL, true);
    struct json_object *cplugs = NULL, *cslots = NULL;
    json_object_object_get_ex(conns, "plugs", &cplugs);
    json_object_object_get_ex(conns, "slots", &cslots);
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; i < iface_count(); i++) {
        const struct iface_def *def = iface_at(i);
        if (names && names[0]) {
            SN_AUTOFREE char *list = xasprintf(",%s,", names);
            SN_AUTOFREE char *needle = xasprintf(",%s,", def->name);
            if (strstr(list, needle) == NULL) {
                continue;
            }
        }
        struct json_object *o = json_object_new_object();
        js_set_str(o, "name", def->name);
        js_set_str(o, "summary", def->summary);
        if (doc) {
            SN_AUTOFREE char *url = xasprintf("docs/interfaces/%s.md", def->name);
            js_set_str(o, "doc-url", url);
        }
        bool used = false;
        struct json_object *pl = json_object_new_array(), *sl = json_object_new_array();
        for (size_t k = 0; k < json_object_array_length(cplugs); k++) {
            struct json_object *p = json_object_array_get_idx(cplugs, k);
            if (strcmp(js_str(p, "interface"), def->name) == 0) {
                json_object_array_add(pl, js_copy(p));
                used = true;
            }
        }
        for (size_t k = 0; k < json_object_array_length(cslots); k++) {
            struct json_object *s = json_object_array_get_idx(cslots, k);
            if (strcmp(js_str(s, "interface"), def->name) == 0) {
                json_object_array_add(sl, js_copy(s));
                used = true;
            }
        }
        if (iface_is_implicit(def, dev_env.mode)) {
            struct json_object *s = json_object_new_object();
            js_set_str(s, "snap", IFACEMGR_SYSTEM_SNAP);
            js_set_str(s, "slot", def->name);
            js_set_str(s, "interface", def->name);
            json_object_array_add(sl, s);
        }
        if (plugs) {
            json_object_object_add(o, "plugs", pl);
        } else {
            json_object_put(pl);
        }
        if (slots) {
            json_object_object_add(o, "slots", sl);
        } else {
            json_object_put(sl);
        }
        if (all || used) {
            json_object_array_add(arr, o);
        } else {
            json_object_put(o);
        }
    }
    json_object_put(conns);
    return arr;
}
