/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "snap-json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static struct json_object *scalar_to_json(const struct sn_ynode *n) {
    if (!n->plain) {
        return json_object_new_string_len(n->value, (int)n->len);
    }
    if (sn_ynode_is_null(n)) {
        return NULL;
    }
    int b = sn_ynode_bool(n);
    if (b >= 0) {
        return json_object_new_boolean(b);
    }
    const char *s = n->value;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (end != s && *end == '\0' && errno == 0 && s[0] != '+') {
        return json_object_new_int64(v);
    }
    errno = 0;
    double d = strtod(s, &end);
    if (end != s && *end == '\0' && errno == 0 && strpbrk(s, "0123456789") &&
        strncasecmp(s, "0x", 2) != 0 && strpbrk(s, "nN") == NULL) {
        return json_object_new_double(d);
    }
    return json_object_new_string_len(s, (int)n->len);
}

struct json_object *snap_ynode_to_json(const struct sn_ynode *n) {
    if (n == NULL) {
        return NULL;
    }
    switch (n->kind) {
        case SN_Y_SCALAR:
            return scalar_to_json(n);
        case SN_Y_SEQ: {
            struct json_object *a = json_object_new_array();
            for (size_t i = 0; i < n->n; i++) {
                json_object_array_add(a, snap_ynode_to_json(n->items[i]));
            }
            return a;
        }
        case SN_Y_MAP: {
            struct json_object *o = json_object_new_object();
            for (size_t i = 0; i < n->n; i++) {
                if (n->keys[i]->kind == SN_Y_SCALAR) {
                    json_object_object_add(o, n->keys[i]->value, snap_ynode_to_json(n->items[i]));
                }
            }
            return o;
        }
    }
    return NULL;
}

static struct json_object *strv_json(char *const *v) {
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
        json_object_array_add(a, json_object_new_string(v[i]));
    }
    return a;
}

static void add_str(struct json_object *o, const char *k, const char *v) {
    if (v != NULL) {
        json_object_object_add(o, k, json_object_new_string(v));
    }
}

static void add_dur(struct json_object *o, const char *k, int64_t ns) {
    if (ns >= 0) {
        json_object_object_add(o, k, json_object_new_int64(ns));
    }
}

static struct json_object *env_json(const struct snap_env *e) {
    struct json_object *o = json_object_new_object();
    for (size_t i = 0; i < e->n; i++) {
        json_object_object_add(o, e->v[i].key, json_object_new_string(e->v[i].value));
    }
    return o;
}

struct json_object *snap_attrs_to_json(const struct snap_plugslot *ps) {
    struct json_object *o = json_object_new_object();
    const struct sn_ynode *a = ps->attrs;
    for (size_t i = 0; a != NULL && i < a->n; i++) {
        if (a->keys[i]->kind == SN_Y_SCALAR && strcmp(a->keys[i]->value, "interface") != 0) {
            json_object_object_add(o, a->keys[i]->value, snap_ynode_to_json(a->items[i]));
        }
    }
    return o;
}

static struct json_object *ps_json(const struct snap_plugslot *v, size_t n) {
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *o = json_object_new_object();
        add_str(o, "name", v[i].name);
        add_str(o, "interface", v[i].iface);
        json_object_object_add(o, "attrs", snap_attrs_to_json(&v[i]));
        json_object_object_add(o, "apps", strv_json(v[i].apps));
        json_object_object_add(o, "hooks", strv_json(v[i].hooks));
        json_object_array_add(a, o);
    }
    return a;
}

struct json_object *snap_info_to_json(const struct snap_info *info) {
    struct json_object *o = json_object_new_object();
    add_str(o, "name", info->name);
    add_str(o, "version", info->version);
    add_str(o, "summary", info->summary);
    add_str(o, "description", info->description);
    add_str(o, "title", info->title);
    add_str(o, "license", info->license);
    add_str(o, "type", snap_type_str(info->type));
    add_str(o, "base", info->base);
    add_str(o, "confinement", snap_confinement_str(info->confinement));
    add_str(o, "grade", snap_grade_str(info->grade));
    add_str(o, "epoch", info->epoch);
    json_object_object_add(o, "architectures", strv_json(info->architectures));
    json_object_object_add(o, "assumes", strv_json(info->assumes));
    struct json_object *apps = json_object_new_array();
    for (size_t i = 0; i < info->napps; i++) {
        const struct snap_app *a = &info->apps[i];
        struct json_object *j = json_object_new_object();
        add_str(j, "name", a->name);
        add_str(j, "command", a->command);
        if (a->command_chain[0]) {
            json_object_object_add(j, "command-chain", strv_json(a->command_chain));
        }
        add_str(j, "daemon", a->daemon);
        add_str(j, "daemon-scope", a->daemon_scope);
        add_str(j, "restart-condition", a->restart_condition);
        add_dur(j, "restart-delay", a->restart_delay_ns);
        add_dur(j, "stop-timeout", a->stop_timeout_ns);
        add_dur(j, "start-timeout", a->start_timeout_ns);
        add_dur(j, "watchdog-timeout", a->watchdog_timeout_ns);
        add_str(j, "stop-command", a->stop_command);
        add_str(j, "reload-command", a->reload_command);
        add_str(j, "post-stop-command", a->post_stop_command);
        add_str(j, "stop-mode", a->stop_mode);
        add_str(j, "refresh-mode", a->refresh_mode);
        add_str(j, "install-mode", a->install_mode);
        add_str(j, "timer", a->timer);
        add_str(j, "common-id", a->common_id);
        if (a->before[0]) {
            json_object_object_add(j, "before", strv_json(a->before));
        }
        if (a->after[0]) {
            json_object_object_add(j, "after", strv_json(a->after));
        }
        json_object_object_add(j, "plugs", strv_json(a->plugs));
        json_object_object_add(j, "slots", strv_json(a->slots));
        if (a->env.n) {
            json_object_object_add(j, "environment", env_json(&a->env));
        }
        if (a->nsockets) {
            struct json_object *so = json_object_new_object();
            for (size_t k = 0; k < a->nsockets; k++) {
                struct json_object *s = json_object_new_object();
                add_str(s, "listen-stream", a->sockets[k].listen_stream);
                if (a->sockets[k].socket_mode) {
                    json_object_object_add(s, "socket-mode",
                                           json_object_new_int((int)a->sockets[k].socket_mode));
                }
                json_object_object_add(so, a->sockets[k].name, s);
            }
            json_object_object_add(j, "sockets", so);
        }
        json_object_array_add(apps, j);
    }
    json_object_object_add(o, "apps", apps);
    struct json_object *hooks = json_object_new_array();
    for (size_t i = 0; i < info->nhooks; i++) {
        const struct snap_hook *h = &info->hooks[i];
        struct json_object *j = json_object_new_object();
        add_str(j, "name", h->name);
        json_object_object_add(j, "declared", json_object_new_boolean(!h->implicit));
        json_object_object_add(j, "plugs", strv_json(h->plugs));
        json_object_object_add(j, "slots", strv_json(h->slots));
        json_object_array_add(hooks, j);
    }
    json_object_object_add(o, "hooks", hooks);
    json_object_object_add(o, "plugs", ps_json(info->plugs, info->nplugs));
    json_object_object_add(o, "slots", ps_json(info->slots, info->nslots));
    if (info->nlayouts) {
        struct json_object *l = json_object_new_object();
        static const char *const kinds[] = {"bind", "bind-file", "type", "symlink"};
        for (size_t i = 0; i < info->nlayouts; i++) {
            struct json_object *e = json_object_new_object();
            add_str(e, kinds[info->layouts[i].kind],
                    info->layouts[i].kind == SNAP_LAYOUT_TMPFS ? "tmpfs" : info->layouts[i].target);
            json_object_object_add(l, info->layouts[i].path, e);
        }
        json_object_object_add(o, "layout", l);
    }
    if (info->env.n) {
        json_object_object_add(o, "environment", env_json(&info->env));
    }
    return o;
}
