/* SPDX-License-Identifier: GPL-3.0-only
 * snap-yaml.c: meta/snap.yaml into struct snap_info, with snapd's validation rules.
 *
 * Two passes: decode (node kinds and per-field syntax, the things go-yaml's unmarshal rejects
 * in snapd) and validate (cross-field rules from snapd's snap/validate.go). Problems are
 * collected, each "FILE:LINE:COL: FIELD: problem (expected ...)", so `snapc validate` can list
 * all of them.
 */
#define _GNU_SOURCE
#include "snap-yaml.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "spdx.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"
#include "banned.h"

struct ctx {
    const char *file;
    struct snap_problems *probs;
    size_t nprobs;
    char first[SN_ERR_MSG_MAX];
};

static void problem(struct ctx *c, const struct sn_ynode *at, const char *field, const char *fmt,
                    ...) SN_FMT(4, 5);

static void problem(struct ctx *c, const struct sn_ynode *at, const char *field, const char *fmt,
                    ...) {
    char body[SN_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    char line[SN_ERR_MSG_MAX + 256];
    if (at != NULL) {
        (void)snprintf(line, sizeof(line), "%s:%d:%d: %s: %s", c->file, at->line, at->col, field,
                       body);
    } else {
        (void)snprintf(line, sizeof(line), "%s: %s: %s", c->file, field, body);
    }
    if (c->nprobs == 0) {
        (void)snprintf(c->first, sizeof(c->first), "%s", line);
    }
    c->nprobs++;
    if (c->probs != NULL) {
        snap_problems_add(c->probs, "%s", line);
    }
}

void snap_problems_add(struct snap_problems *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        s = NULL;
    }
    va_end(ap);
    if (s == NULL) {
        return;
    }
    p->msgs = xrealloc(p->msgs, (p->n + 1) * sizeof(*p->msgs));
    p->msgs[p->n++] = s;
}

void snap_problems_release(struct snap_problems *p) {
    for (size_t i = 0; i < p->n; i++) {
        free(p->msgs[i]);
    }
    free(p->msgs);
    p->msgs = NULL;
    p->n = 0;
}

/* ---- name rules (snap/naming) ---- */

static bool is_lower_alnum(int ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

static bool is_alnum(int ch) {
    return is_lower_alnum(ch) || (ch >= 'A' && ch <= 'Z');
}

const char *snap_name_problem(const char *name) {
    size_t n = strlen(name);
    if (n == 0) {
        return "snap name cannot be empty";
    }
    if (n < 2) {
        return "snap name must be longer than 1 character";
    }
    if (n > 40) {
        return "snap name cannot be longer than 40 characters";
    }
    bool letter = false;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (ch >= 'a' && ch <= 'z') {
            letter = true;
        } else if (!is_lower_alnum(ch) && ch != '-') {
            return "snap name must use lower case letters, digits or dashes";
        }
    }
    if (name[0] == '-' || name[n - 1] == '-' || strstr(name, "--") != NULL) {
        return "snap name cannot start with a dash, end with a dash or contain two dashes in a "
               "row";
    }
    if (!letter) {
        return "snap name must contain at least one letter";
    }
    return NULL;
}

const char *snap_instance_key_problem(const char *key) {
    size_t n = strlen(key);
    if (n == 0 || n > 10) {
        return "instance key must be 1 to 10 lower case letters or digits";
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_lower_alnum(key[i])) {
            return "instance key must be 1 to 10 lower case letters or digits";
        }
    }
    return NULL;
}

const char *snap_instance_name_problem(const char *instance) {
    const char *us = strchr(instance, '_');
    if (us == NULL) {
        return snap_name_problem(instance);
    }
    if (strchr(us + 1, '_') != NULL) {
        return "instance name can contain only one underscore";
    }
    char name[64];
    size_t n = (size_t)(us - instance);
    if (n >= sizeof(name)) {
        return "snap name cannot be longer than 40 characters";
    }
    memcpy(name, instance, n);
    name[n] = '\0';
    const char *p = snap_name_problem(name);
    return p ? p : snap_instance_key_problem(us + 1);
}

const char *snap_version_problem(const char *v) {
    size_t n = strlen(v);
    if (n == 0) {
        return "snap version cannot be empty";
    }
    if (n > 32) {
        return "snap version cannot be longer than 32 characters";
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (!is_alnum(ch) && strchr(":.+~-", ch) == NULL) {
            return "must be a printable ASCII string of at most 32 characters from [a-zA-Z0-9:.+~-], "
                   "starting and ending with a letter or digit (or + ~ at the end)";
        }
    }
    if (!is_alnum((unsigned char)v[0]) ||
        (!is_alnum((unsigned char)v[n - 1]) && v[n - 1] != '+' && v[n - 1] != '~')) {
        return "must be a printable ASCII string of at most 32 characters from [a-zA-Z0-9:.+~-], "
               "starting and ending with a letter or digit (or + ~ at the end)";
    }
    return NULL;
}

/* ^[a-zA-Z0-9](?:-?[a-zA-Z0-9])*$ */
bool snap_valid_app_name(const char *s) {
    if (!is_alnum((unsigned char)s[0])) {
        return false;
    }
    for (size_t i = 1; s[i]; i++) {
        if (s[i] == '-') {
            if (!is_alnum((unsigned char)s[i + 1])) {
                return false;
            }
        } else if (!is_alnum((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

/* ^[a-z](?:-?[a-z0-9])*$ */
static bool valid_lower_dashed(const char *s) {
    if (!(s[0] >= 'a' && s[0] <= 'z')) {
        return false;
    }
    for (size_t i = 1; s[i]; i++) {
        if (s[i] == '-') {
            if (!is_lower_alnum(s[i + 1])) {
                return false;
            }
        } else if (!is_lower_alnum(s[i])) {
            return false;
        }
    }
    return true;
}

bool snap_valid_hook_name(const char *name) {
    return valid_lower_dashed(name);
}

bool snap_valid_plug_slot_name(const char *name) {
    return valid_lower_dashed(name);
}

bool snap_hook_type_supported(const char *h) {
    static const char *const fixed[] = {"install", "configure", "default-configure",
                                        "pre-refresh", "post-refresh", "remove", "check-health",
                                        "prepare-device", "gate-auto-refresh",
                                        "install-device", "fde-setup"};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (strcmp(h, fixed[i]) == 0) {
            return true;
        }
    }
    static const char *const prefixes[] = {"prepare-plug-", "prepare-slot-", "unprepare-plug-",
                                           "unprepare-slot-", "connect-plug-", "connect-slot-",
                                           "disconnect-plug-", "disconnect-slot-"};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        size_t pl = strlen(prefixes[i]);
        if (strncmp(h, prefixes[i], pl) == 0 && valid_lower_dashed(h + pl)) {
            return true;
        }
    }
    return false;
}

/* ---- decoding helpers ---- */

static char **strv_push(char **v, const char *s) {
    size_t n = 0;
    while (v != NULL && v[n] != NULL) {
        n++;
    }
    v = xrealloc(v, (n + 2) * sizeof(*v));
    v[n] = xstrdup(s);
    v[n + 1] = NULL;
    return v;
}

static bool strv_has(char *const *v, const char *s) {
    for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
        if (strcmp(v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

static char **strv_empty(void) {
    return xcalloc(1, sizeof(char *));
}

/* A scalar field. Null → *out stays NULL. Wrong kind → problem. */
static bool get_str(struct ctx *c, const struct sn_ynode *map, const char *key,
                    const char *field, char **out) {
    const struct sn_ynode *n = sn_ymap_get(map, key);
    if (n == NULL || sn_ynode_is_null(n)) {
        return true;
    }
    if (n->kind != SN_Y_SCALAR) {
        problem(c, n, field, "expected a string, found %s", sn_ykind_name(n->kind));
        return false;
    }
    if (strlen(n->value) != n->len) {
        problem(c, n, field, "must not contain NUL characters");
        return false;
    }
    *out = xstrdup(n->value);
    return true;
}

/* A list of scalars. Also accepts null (empty list). */
static bool get_strlist(struct ctx *c, const struct sn_ynode *map, const char *key,
                        const char *field, char ***out) {
    const struct sn_ynode *n = sn_ymap_get(map, key);
    if (n == NULL || sn_ynode_is_null(n)) {
        return true;
    }
    if (n->kind != SN_Y_SEQ) {
        problem(c, n, field, "expected a list of strings, found %s", sn_ykind_name(n->kind));
        return false;
    }
    char **v = strv_empty();
    for (size_t i = 0; i < n->n; i++) {
        const struct sn_ynode *it = n->items[i];
        if (it->kind != SN_Y_SCALAR) {
            problem(c, it, field, "expected a string, found %s", sn_ykind_name(it->kind));
            sn_strv_free(v);
            return false;
        }
        v = strv_push(v, it->value);
    }
    *out = v;
    return true;
}

static bool get_env(struct ctx *c, const struct sn_ynode *map, const char *field,
                    struct snap_env *env) {
    const struct sn_ynode *n = sn_ymap_get(map, "environment");
    if (n == NULL || sn_ynode_is_null(n)) {
        return true;
    }
    if (n->kind != SN_Y_MAP) {
        problem(c, n, field, "expected a map of NAME: value, found %s", sn_ykind_name(n->kind));
        return false;
    }
    env->v = xcalloc(n->n ? n->n : 1, sizeof(*env->v));
    for (size_t i = 0; i < n->n; i++) {
        const struct sn_ynode *k = n->keys[i], *v = n->items[i];
        if (k->kind != SN_Y_SCALAR || (v->kind != SN_Y_SCALAR)) {
            problem(c, v->kind != SN_Y_SCALAR ? v : k, field,
                    "expected string keys and values, found %s",
                    sn_ykind_name(v->kind != SN_Y_SCALAR ? v->kind : k->kind));
            return false;
        }
        env->v[env->n].key = xstrdup(k->value);
        env->v[env->n].value = xstrdup(sn_ynode_is_null(v) ? "" : v->value);
        env->n++;
    }
    return true;
}

static void env_release(struct snap_env *e) {
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].key);
        free(e->v[i].value);
    }
    free(e->v);
}

/* snapd's timeout.Timeout: Go duration text; null leaves it unset, 0 means unset too. */
static bool get_duration(struct ctx *c, const struct sn_ynode *map, const char *key,
                         const char *field, int64_t *out) {
    *out = -1;
    const struct sn_ynode *n = sn_ymap_get(map, key);
    if (n == NULL || sn_ynode_is_null(n)) {
        return true;
    }
    if (n->kind != SN_Y_SCALAR) {
        problem(c, n, field, "expected a duration such as 30s, found %s", sn_ykind_name(n->kind));
        return false;
    }
    char why[256] = "";
    int64_t v = 0;
    if (snap_parse_duration_why(n->value, &v, why, sizeof(why)) < 0) {
        problem(c, n, field, "cannot parse snap.yaml: %s (expected a number with a unit, e.g. 30s "
                "or 1m30s)", why);
        return false;
    }
    if (v < 0) {
        problem(c, n, field, "%s cannot be negative", key);
        return false;
    }
    *out = v == 0 ? -1 : v;
    return true;
}

/* ---- plugs and slots ---- */

static bool valid_attr_value(struct ctx *c, const char *field, const struct sn_ynode *v,
                             size_t depth) {
    if (v->kind == SN_Y_MAP) {
        for (size_t i = 0; i < v->n; i++) {
            if (v->keys[i]->kind != SN_Y_SCALAR) {
                problem(c, v->keys[i], field, "attribute keys must be strings");
                return false;
            }
            if (!valid_attr_value(c, field, v->items[i], depth + 1)) {
                return false;
            }
        }
    } else if (v->kind == SN_Y_SEQ) {
        for (size_t i = 0; i < v->n; i++) {
            if (!valid_attr_value(c, field, v->items[i], depth + 1)) {
                return false;
            }
        }
    }
    return true;
}

static void plugslot_release(struct snap_plugslot *p) {
    free(p->name);
    free(p->iface);
    sn_strv_free(p->apps);
    sn_strv_free(p->hooks);
}

static bool decode_plugslots(struct ctx *c, const struct sn_ynode *root, const char *what,
                             struct snap_plugslot **out, size_t *nout) {
    const struct sn_ynode *n = sn_ymap_get(root, what);
    if (n == NULL || sn_ynode_is_null(n)) {
        return true;
    }
    if (n->kind != SN_Y_MAP) {
        problem(c, n, what, "expected a map of %s, found %s", what, sn_ykind_name(n->kind));
        return false;
    }
    const char *one = strcmp(what, "plugs") == 0 ? "plug" : "slot";
    *out = xcalloc(n->n ? n->n : 1, sizeof(**out));
    for (size_t i = 0; i < n->n; i++) {
        const struct sn_ynode *k = n->keys[i], *v = n->items[i];
        struct snap_plugslot *p = &(*out)[*nout];
        char field[300];
        if (k->kind != SN_Y_SCALAR) {
            problem(c, k, what, "%s names must be strings", one);
            return false;
        }
        (void)snprintf(field, sizeof(field), "%s.%s", what, k->value);
        p->name = xstrdup(k->value);
        p->line = k->line;
        p->col = k->col;
        p->apps = strv_empty();
        p->hooks = strv_empty();
        (*nout)++;
        if (sn_ynode_is_null(v)) {
            p->iface = xstrdup(k->value);
        } else if (v->kind == SN_Y_SCALAR) {
            p->iface = xstrdup(v->value);
        } else if (v->kind == SN_Y_MAP) {
            const struct sn_ynode *in = sn_ymap_get(v, "interface");
            if (in != NULL && in->kind != SN_Y_SCALAR) {
                problem(c, in, field, "interface name must be a string, found %s",
                        sn_ykind_name(in->kind));
                return false;
            }
            p->iface = xstrdup(in != NULL && !sn_ynode_is_null(in) ? in->value : k->value);
            for (size_t j = 0; j < v->n; j++) {
                const struct sn_ynode *ak = v->keys[j];
                if (ak->kind != SN_Y_SCALAR) {
                    problem(c, ak, field, "attribute names must be strings");
                    return false;
                }
                if (ak->value[0] == '$') {
                    problem(c, ak, field, "%s uses reserved attribute \"%s\"", one, ak->value);
                    return false;
                }
                if (!valid_attr_value(c, field, v->items[j], 0)) {
                    return false;
                }
            }
            p->attrs = v;
        } else {
            problem(c, v, field, "%s has malformed definition (found %s)", one,
                    sn_ykind_name(v->kind));
            return false;
        }
    }
    return true;
}

static struct snap_plugslot *find_ps(struct snap_plugslot *v, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].name, name) == 0) {
            return &v[i];
        }
    }
    return NULL;
}

/* An app or hook lists plugs/slots by name; unknown names become implicit plugs/slots whose
 * interface is the name. */
static void bind_ps(struct snap_plugslot **v, size_t *n, char *const *names, const char *app,
                    const char *hook, int line, int col) {
    for (size_t i = 0; names != NULL && names[i] != NULL; i++) {
        struct snap_plugslot *p = find_ps(*v, *n, names[i]);
        if (p == NULL) {
            *v = xrealloc(*v, (*n + 1) * sizeof(**v));
            p = &(*v)[(*n)++];
            memset(p, 0, sizeof(*p));
            p->name = xstrdup(names[i]);
            p->iface = xstrdup(names[i]);
            p->apps = strv_empty();
            p->hooks = strv_empty();
            p->line = line;
            p->col = col;
        }
        if (app != NULL && !strv_has(p->apps, app)) {
            p->apps = strv_push(p->apps, app);
        }
        if (hook != NULL && !strv_has(p->hooks, hook)) {
            p->hooks = strv_push(p->hooks, hook);
        }
    }
}

/* ---- apps ---- */

static void app_release(struct snap_app *a) {
    free(a->name);
    free(a->command);
    sn_strv_free(a->command_chain);
    free(a->daemon);
    free(a->daemon_scope);
    free(a->restart_condition);
    free(a->stop_command);
    free(a->reload_command);
    free(a->post_stop_command);
    free(a->stop_mode);
    free(a->refresh_mode);
    free(a->install_mode);
    free(a->timer);
    free(a->common_id);
    sn_strv_free(a->before);
    sn_strv_free(a->after);
    sn_strv_free(a->plugs);
    sn_strv_free(a->slots);
    sn_strv_free(a->aliases);
    env_release(&a->env);
    for (size_t i = 0; i < a->nsockets; i++) {
        free(a->sockets[i].name);
        free(a->sockets[i].listen_stream);
    }
    free(a->sockets);
}

static bool decode_sockets(struct ctx *c, const struct sn_ynode *appn, const char *field,
                           struct snap_app *a) {
    const struct sn_ynode *n = sn_ymap_get(appn, "sockets");
    if (n == NULL || sn_ynode_is_null(n)) {
        return true;
    }
    if (n->kind != SN_Y_MAP) {
        problem(c, n, field, "sockets: expected a map of socket names, found %s",
                sn_ykind_name(n->kind));
        return false;
    }
    a->sockets = xcalloc(n->n ? n->n : 1, sizeof(*a->sockets));
    for (size_t i = 0; i < n->n; i++) {
        const struct sn_ynode *k = n->keys[i], *v = n->items[i];
        if (k->kind != SN_Y_SCALAR || (v->kind != SN_Y_MAP && !sn_ynode_is_null(v))) {
            problem(c, v, field, "sockets: each socket must be a map with listen-stream");
            return false;
        }
        struct snap_socket *s = &a->sockets[a->nsockets++];
        s->name = xstrdup(k->value);
        char sf[300];
        (void)snprintf(sf, sizeof(sf), "%s.sockets.%s", field, k->value);
        if (!get_str(c, v, "listen-stream", sf, &s->listen_stream)) {
            return false;
        }
        const struct sn_ynode *m = sn_ymap_get(v, "socket-mode");
        if (m != NULL && !sn_ynode_is_null(m)) {
            char *end = NULL;
            unsigned long mode = m->kind == SN_Y_SCALAR ? strtoul(m->value, &end, 0) : 0;
            if (m->kind != SN_Y_SCALAR || end == m->value || *end != '\0' || mode > 07777) {
                problem(c, m, sf, "socket-mode must be a file mode such as 0644");
                return false;
            }
            s->socket_mode = (uint32_t)mode;
        }
    }
    return true;
}

static bool decode_app(struct ctx *c, const struct sn_ynode *k, const struct sn_ynode *v,
                       struct snap_app *a) {
    char field[300];
    a->name = xstrdup(k->value);
    a->line = k->line;
    a->col = k->col;
    a->restart_delay_ns = a->stop_timeout_ns = a->start_timeout_ns = a->watchdog_timeout_ns = -1;
    a->command_chain = strv_empty();
    a->before = strv_empty();
    a->after = strv_empty();
    a->plugs = strv_empty();
    a->slots = strv_empty();
    a->aliases = strv_empty();
    (void)snprintf(field, sizeof(field), "apps.%s", k->value);
    if (sn_ynode_is_null(v)) {
        return true;
    }
    if (v->kind != SN_Y_MAP) {
        problem(c, v, field, "expected a map, found %s", sn_ykind_name(v->kind));
        return false;
    }
    struct {
        const char *key;
        char **dst;
    } strs[] = {
        {"command", &a->command},
        {"daemon", &a->daemon},
        {"daemon-scope", &a->daemon_scope},
        {"restart-condition", &a->restart_condition},
        {"stop-command", &a->stop_command},
        {"reload-command", &a->reload_command},
        {"post-stop-command", &a->post_stop_command},
        {"stop-mode", &a->stop_mode},
        {"refresh-mode", &a->refresh_mode},
        {"install-mode", &a->install_mode},
        {"timer", &a->timer},
        {"common-id", &a->common_id},
    };
    bool ok = true;
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        char f[340];
        (void)snprintf(f, sizeof(f), "%s.%s", field, strs[i].key);
        ok = get_str(c, v, strs[i].key, f, strs[i].dst) && ok;
    }
    struct {
        const char *key;
        char ***dst;
    } lists[] = {
        {"command-chain", &a->command_chain}, {"before", &a->before}, {"after", &a->after},
        {"plugs", &a->plugs},   {"slots", &a->slots},    {"aliases", &a->aliases},
    };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        char f[340];
        (void)snprintf(f, sizeof(f), "%s.%s", field, lists[i].key);
        char **tmp = NULL;
        if (get_strlist(c, v, lists[i].key, f, &tmp)) {
            if (tmp != NULL) {
                sn_strv_free(*lists[i].dst);
                *lists[i].dst = tmp;
            }
        } else {
            ok = false;
        }
    }
    struct {
        const char *key;
        int64_t *dst;
    } durs[] = {
        {"restart-delay", &a->restart_delay_ns},
        {"stop-timeout", &a->stop_timeout_ns},
        {"start-timeout", &a->start_timeout_ns},
        {"watchdog-timeout", &a->watchdog_timeout_ns},
    };
    for (size_t i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
        char f[340];
        (void)snprintf(f, sizeof(f), "%s.%s", field, durs[i].key);
        ok = get_duration(c, v, durs[i].key, f, durs[i].dst) && ok;
    }
    char f[340];
    (void)snprintf(f, sizeof(f), "%s.environment", field);
    ok = get_env(c, v, f, &a->env) && ok;
    ok = decode_sockets(c, v, field, a) && ok;
    return ok;
}

/* ---- hooks ---- */

static void hook_release(struct snap_hook *h) {
    free(h->name);
    sn_strv_free(h->command_chain);
    sn_strv_free(h->plugs);
    sn_strv_free(h->slots);
    env_release(&h->env);
}

static bool decode_hook(struct ctx *c, const struct sn_ynode *k, const struct sn_ynode *v,
                        struct snap_hook *h) {
    char field[300];
    h->name = xstrdup(k->value);
    h->line = k->line;
    h->col = k->col;
    h->command_chain = strv_empty();
    h->plugs = strv_empty();
    h->slots = strv_empty();
    (void)snprintf(field, sizeof(field), "hooks.%s", k->value);
    if (sn_ynode_is_null(v)) {
        return true;
    }
    if (v->kind != SN_Y_MAP) {
        problem(c, v, field, "expected a map, found %s", sn_ykind_name(v->kind));
        return false;
    }
    bool ok = true;
    const char *lk[] = {"command-chain", "plugs", "slots"};
    char ***ld[] = {&h->command_chain, &h->plugs, &h->slots};
    for (size_t i = 0; i < 3; i++) {
        char f[340];
        (void)snprintf(f, sizeof(f), "%s.%s", field, lk[i]);
        char **tmp = NULL;
        if (get_strlist(c, v, lk[i], f, &tmp)) {
            if (tmp != NULL) {
                sn_strv_free(*ld[i]);
                *ld[i] = tmp;
            }
        } else {
            ok = false;
        }
    }
    char f[340];
    (void)snprintf(f, sizeof(f), "%s.environment", field);
    return get_env(c, v, f, &h->env) && ok;
}

/* ---- layout ---- */

static bool decode_layout(struct ctx *c, const struct sn_ynode *root, struct snap_info *info) {
    const struct sn_ynode *n = sn_ymap_get(root, "layout");
    if (n == NULL || sn_ynode_is_null(n)) {
        return true;
    }
    if (n->kind != SN_Y_MAP) {
        problem(c, n, "layout", "expected a map of paths, found %s", sn_ykind_name(n->kind));
        return false;
    }
    info->layouts = xcalloc(n->n ? n->n : 1, sizeof(*info->layouts));
    bool ok = true;
    for (size_t i = 0; i < n->n; i++) {
        const struct sn_ynode *k = n->keys[i], *v = n->items[i];
        if (k->kind != SN_Y_SCALAR) {
            problem(c, k, "layout", "paths must be strings");
            return false;
        }
        char field[300];
        (void)snprintf(field, sizeof(field), "layout.%s", k->value);
        struct snap_layout *l = &info->layouts[info->nlayouts++];
        l->path = xstrdup(k->value);
        l->mode = 0755;
        if (v->kind != SN_Y_MAP) {
            problem(c, v, field, "expected a map with one of bind, bind-file, type, symlink");
            ok = false;
            continue;
        }
        char *bind = NULL, *bind_file = NULL, *type = NULL, *symlink = NULL, *mode = NULL;
        bool got = get_str(c, v, "bind", field, &bind) &&
                   get_str(c, v, "bind-file", field, &bind_file) &&
                   get_str(c, v, "type", field, &type) &&
                   get_str(c, v, "symlink", field, &symlink) &&
                   get_str(c, v, "user", field, &l->user) &&
                   get_str(c, v, "group", field, &l->group) && get_str(c, v, "mode", field, &mode);
        int kinds = (bind != NULL) + (bind_file != NULL) + (type != NULL) + (symlink != NULL);
        if (!got) {
            ok = false;
        } else if (kinds == 0) {
            problem(c, v, field, "layout \"%s\" must define a bind mount, a filesystem mount or a symlink",
                    l->path);
            ok = false;
        } else if (kinds > 1) {
            problem(c, v, field, "layout \"%s\" must be either a bind mount, a filesystem mount or a symlink",
                    l->path);
            ok = false;
        } else if (bind != NULL) {
            l->kind = SNAP_LAYOUT_BIND;
            l->target = SN_TAKE_PTR(bind);
        } else if (bind_file != NULL) {
            l->kind = SNAP_LAYOUT_BIND_FILE;
            l->target = SN_TAKE_PTR(bind_file);
        } else if (symlink != NULL) {
            l->kind = SNAP_LAYOUT_SYMLINK;
            l->target = SN_TAKE_PTR(symlink);
        } else {
            l->kind = SNAP_LAYOUT_TMPFS;
            if (strcmp(type, "tmpfs") != 0) {
                problem(c, sn_ymap_get(v, "type"), field, "layout \"%s\" uses invalid filesystem \"%s\"",
                        l->path, type);
                ok = false;
            }
        }
        if (mode != NULL) {
            char *end = NULL;
            unsigned long m = strtoul(mode, &end, 8);
            if (end == mode || *end != '\0' || m > 01777) {
                problem(c, sn_ymap_get(v, "mode"), field, "layout \"%s\" uses invalid mode %s", l->path,
                        mode);
                ok = false;
            }
            l->mode = (uint32_t)m;
        }
        free(bind);
        free(bind_file);
        free(type);
        free(symlink);
        free(mode);
    }
    return ok;
}

/* ---- epoch ---- */

/* Parse a non-negative base-10 epoch number without zero padding (max 2^32-1). */
static bool epoch_num(const char *s, size_t len, unsigned long *out) {
    if (len == 0 || len > 10 || (len > 1 && s[0] == '0')) {
        return false;
    }
    unsigned long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return false;
        }
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v > 0xFFFFFFFFUL) {
        return false;
    }
    *out = v;
    return true;
}

static bool epoch_list(struct ctx *c, const struct sn_ynode *n, const char *what,
                       struct sn_strbuf *sb, unsigned long *vals, size_t *nvals) {
    if (n->kind != SN_Y_SEQ) {
        problem(c, n, "epoch", "%s must be a list of epoch numbers", what);
        return false;
    }
    if (n->n == 0) {
        problem(c, n, "epoch", "%s list cannot be explicitly empty", what);
        return false;
    }
    if (n->n > 10) {
        problem(c, n, "epoch", "%s list cannot have more than 10 entries", what);
        return false;
    }
    sn_strbuf_addf(sb, "%s:[", what);
    for (size_t i = 0; i < n->n; i++) {
        unsigned long v;
        const struct sn_ynode *it = n->items[i];
        if (it->kind != SN_Y_SCALAR || !epoch_num(it->value, it->len, &v)) {
            problem(c, it, "epoch", "epoch numbers must be base 10 with no zero padding, found '%s'",
                    it->kind == SN_Y_SCALAR ? it->value : "non-scalar");
            return false;
        }
        if (i > 0 && v <= vals[i - 1]) {
            problem(c, it, "epoch", "%s list must be a strictly increasing sequence", what);
            return false;
        }
        vals[i] = v;
        sn_strbuf_addf(sb, "%s%lu", i ? "," : "", v);
    }
    *nvals = n->n;
    sn_strbuf_addch(sb, ']');
    return true;
}

static bool decode_epoch(struct ctx *c, const struct sn_ynode *root, struct snap_info *info) {
    const struct sn_ynode *n = sn_ymap_get(root, "epoch");
    if (n == NULL || sn_ynode_is_null(n)) {
        info->epoch = xstrdup("0");
        return true;
    }
    if (n->kind == SN_Y_SCALAR) {
        size_t len = n->len;
        bool star = len > 0 && n->value[len - 1] == '*';
        unsigned long v;
        if (!epoch_num(n->value, star ? len - 1 : len, &v) || (star && v == 0)) {
            problem(c, n, "epoch", "invalid epoch \"%s\" (expected N or N* with N a base-10 number, "
                    "or a map with read and write lists)", n->value);
            return false;
        }
        info->epoch = xasprintf("%lu%s", v, star ? "*" : "");
        return true;
    }
    if (n->kind != SN_Y_MAP) {
        problem(c, n, "epoch", "expected a number or a map with read and write, found %s",
                sn_ykind_name(n->kind));
        return false;
    }
    const struct sn_ynode *r = sn_ymap_get(n, "read"), *w = sn_ymap_get(n, "write");
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    unsigned long rv[10], wv[10];
    size_t nr = 0, nw = 0;
    sn_strbuf_addch(&sb, '{');
    if (r == NULL && w == NULL) {
        info->epoch = xstrdup("0");
        return true;
    }
    if (r != NULL && !epoch_list(c, r, "read", &sb, rv, &nr)) {
        return false;
    }
    if (r != NULL && w != NULL) {
        sn_strbuf_addch(&sb, ',');
    }
    if (w != NULL && !epoch_list(c, w, "write", &sb, wv, &nw)) {
        return false;
    }
    if (r != NULL && w != NULL) {
        bool common = false;
        for (size_t i = 0; i < nr; i++) {
            for (size_t j = 0; j < nw; j++) {
                common = common || rv[i] == wv[j];
            }
        }
        if (!common) {
            problem(c, n, "epoch", "invalid epoch: no value in common between read and write");
            return false;
        }
    }
    sn_strbuf_addch(&sb, '}');
    info->epoch = sn_strbuf_detach(&sb, NULL);
    return true;
}

/* ---- top level ---- */

static bool decode_enum(struct ctx *c, const struct sn_ynode *root, const char *key,
                        const char *const *names, size_t nnames, int *out, const char *expect) {
    const struct sn_ynode *n = sn_ymap_get(root, key);
    if (n == NULL || sn_ynode_is_null(n)) {
        return true;
    }
    if (n->kind == SN_Y_SCALAR) {
        for (size_t i = 0; i < nnames; i++) {
            if (strcmp(n->value, names[i]) == 0) {
                *out = (int)i;
                return true;
            }
        }
        problem(c, n, key, "invalid %s \"%s\" (expected %s)", key, n->value, expect);
    } else {
        problem(c, n, key, "expected one of %s, found %s", expect, sn_ykind_name(n->kind));
    }
    return false;
}

static const char *const type_names[] = {"app", "gadget", "kernel", "base", "os", "snapd"};
static const char *const confinement_names[] = {"strict", "devmode", "classic"};
static const char *const grade_names[] = {"stable", "devel"};

const char *snap_type_str(enum snap_type t) {
    return type_names[t];
}
const char *snap_confinement_str(enum snap_confinement c) {
    return confinement_names[c];
}
const char *snap_grade_str(enum snap_grade g) {
    return grade_names[g];
}

static bool decode(struct ctx *c, const struct sn_ynode *root, struct snap_info *info) {
    bool ok = true;
    ok = get_str(c, root, "name", "name", &info->name) && ok;
    ok = get_str(c, root, "version", "version", &info->version) && ok;
    ok = get_str(c, root, "summary", "summary", &info->summary) && ok;
    ok = get_str(c, root, "description", "description", &info->description) && ok;
    ok = get_str(c, root, "title", "title", &info->title) && ok;
    ok = get_str(c, root, "license", "license", &info->license) && ok;
    ok = get_str(c, root, "base", "base", &info->base) && ok;
    int t = SNAP_TYPE_APP, conf = SNAP_CONFINE_STRICT, grade = SNAP_GRADE_STABLE;
    ok = decode_enum(c, root, "type", type_names, 6, &t, "app, gadget, kernel, base, os or snapd") &&
         ok;
    ok = decode_enum(c, root, "confinement", confinement_names, 3, &conf,
                     "strict, devmode or classic") &&
         ok;
    ok = decode_enum(c, root, "grade", grade_names, 2, &grade, "stable or devel") && ok;
    info->type = (enum snap_type)t;
    info->confinement = (enum snap_confinement)conf;
    info->grade = (enum snap_grade)grade;
    ok = decode_epoch(c, root, info) && ok;
    ok = get_strlist(c, root, "architectures", "architectures", &info->architectures) && ok;
    ok = get_strlist(c, root, "assumes", "assumes", &info->assumes) && ok;
    ok = get_env(c, root, "environment", &info->env) && ok;
    ok = decode_plugslots(c, root, "plugs", &info->plugs, &info->nplugs) && ok;
    ok = decode_plugslots(c, root, "slots", &info->slots, &info->nslots) && ok;
    ok = decode_layout(c, root, info) && ok;

    const struct sn_ynode *apps = sn_ymap_get(root, "apps");
    if (apps != NULL && !sn_ynode_is_null(apps)) {
        if (apps->kind != SN_Y_MAP) {
            problem(c, apps, "apps", "expected a map of app names, found %s",
                    sn_ykind_name(apps->kind));
            ok = false;
        } else {
            info->apps = xcalloc(apps->n ? apps->n : 1, sizeof(*info->apps));
            for (size_t i = 0; i < apps->n; i++) {
                if (apps->keys[i]->kind != SN_Y_SCALAR) {
                    problem(c, apps->keys[i], "apps", "app names must be strings");
                    ok = false;
                    continue;
                }
                ok = decode_app(c, apps->keys[i], apps->items[i], &info->apps[info->napps++]) && ok;
            }
        }
    }
    const struct sn_ynode *hooks = sn_ymap_get(root, "hooks");
    if (hooks != NULL && !sn_ynode_is_null(hooks)) {
        if (hooks->kind != SN_Y_MAP) {
            problem(c, hooks, "hooks", "expected a map of hook names, found %s",
                    sn_ykind_name(hooks->kind));
            ok = false;
        } else {
            info->hooks = xcalloc(hooks->n ? hooks->n : 1, sizeof(*info->hooks));
            for (size_t i = 0; i < hooks->n; i++) {
                if (hooks->keys[i]->kind != SN_Y_SCALAR) {
                    problem(c, hooks->keys[i], "hooks", "hook names must be strings");
                    ok = false;
                    continue;
                }
                ok = decode_hook(c, hooks->keys[i], hooks->items[i],
                                 &info->hooks[info->nhooks++]) &&
                     ok;
            }
        }
    }
    if (info->architectures == NULL) {
        info->architectures = strv_push(NULL, "all");
    }
    if (info->assumes == NULL) {
        info->assumes = strv_empty();
    }
    return ok;
}

/* Bind plugs/slots named by apps and hooks, then bind unbound top-level ones to everything. */
static void bind_all(struct snap_info *info) {
    size_t nplugs_decl = info->nplugs, nslots_decl = info->nslots;
    for (size_t i = 0; i < info->napps; i++) {
        struct snap_app *a = &info->apps[i];
        bind_ps(&info->plugs, &info->nplugs, a->plugs, a->name, NULL, a->line, a->col);
        bind_ps(&info->slots, &info->nslots, a->slots, a->name, NULL, a->line, a->col);
    }
    for (size_t i = 0; i < info->nhooks; i++) {
        struct snap_hook *h = &info->hooks[i];
        bind_ps(&info->plugs, &info->nplugs, h->plugs, NULL, h->name, h->line, h->col);
        bind_ps(&info->slots, &info->nslots, h->slots, NULL, h->name, h->line, h->col);
    }
    struct {
        struct snap_plugslot *v;
        size_t n;
        bool plug;
    } sets[] = {{info->plugs, nplugs_decl, true}, {info->slots, nslots_decl, false}};
    for (size_t s = 0; s < 2; s++) {
        for (size_t i = 0; i < sets[s].n; i++) {
            struct snap_plugslot *p = &sets[s].v[i];
            if (p->apps[0] != NULL || p->hooks[0] != NULL) {
                continue;
            }
            p->unscoped = true;
            for (size_t j = 0; j < info->napps; j++) {
                struct snap_app *a = &info->apps[j];
                p->apps = strv_push(p->apps, a->name);
                if (sets[s].plug) {
                    if (!strv_has(a->plugs, p->name)) {
                        a->plugs = strv_push(a->plugs, p->name);
                    }
                } else if (!strv_has(a->slots, p->name)) {
                    a->slots = strv_push(a->slots, p->name);
                }
            }
            for (size_t j = 0; j < info->nhooks; j++) {
                struct snap_hook *h = &info->hooks[j];
                p->hooks = strv_push(p->hooks, h->name);
                if (sets[s].plug) {
                    if (!strv_has(h->plugs, p->name)) {
                        h->plugs = strv_push(h->plugs, p->name);
                    }
                } else if (!strv_has(h->slots, p->name)) {
                    h->slots = strv_push(h->slots, p->name);
                }
            }
        }
    }
}

/* ---- validation (snap/validate.go) ---- */

static size_t utf8_runes(const char *s) {
    size_t n = 0;
    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

/* ^[A-Za-z0-9/. _#:$-]*$ (command fields); chain: same without the space */
static const char *bad_char(const char *s, bool allow_space) {
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (is_alnum(ch) || strchr("/._#:$-", ch) != NULL || (allow_space && ch == ' ')) {
            continue;
        }
        return s;
    }
    return NULL;
}

static const struct sn_ynode *node_of(const struct sn_ynode *root, const char *a, const char *b,
                                      const char *c) {
    const struct sn_ynode *n = sn_ymap_get(root, a);
    if (b != NULL && n != NULL) {
        const struct sn_ynode *m = sn_ymap_get(n, b);
        if (m == NULL) {
            /* point at the key's owner */
            return n;
        }
        n = m;
        if (c != NULL) {
            const struct sn_ynode *o = sn_ymap_get(n, c);
            n = o ? o : n;
        }
    }
    return n ? n : root;
}

static bool is_daemon_app(const struct snap_info *info, const char *name) {
    const struct snap_app *a = snap_info_app(info, name);
    return a != NULL && a->daemon != NULL;
}

static void validate_order(struct ctx *c, const struct sn_ynode *root, const struct snap_info *info,
                           const struct snap_app *a, char *const *refs, const char *key) {
    for (size_t i = 0; refs[i] != NULL; i++) {
        char f[300];
        (void)snprintf(f, sizeof(f), "apps.%s.%s", a->name, key);
        if (strcmp(refs[i], a->name) == 0) {
            problem(c, node_of(root, "apps", a->name, key), f,
                    "app \"%s\" refers to itself for startup ordering", a->name);
        } else if (snap_info_app(info, refs[i]) == NULL) {
            problem(c, node_of(root, "apps", a->name, key), f,
                    "invalid %s: app \"%s\" refers to missing application \"%s\"", key, a->name,
                    refs[i]);
        } else if (!is_daemon_app(info, refs[i])) {
            problem(c, node_of(root, "apps", a->name, key), f,
                    "invalid %s: app \"%s\" refers to non-service application \"%s\"", key,
                    a->name, refs[i]);
        }
    }
}

static bool in_list(const char *s, const char *const *list) {
    for (; *list; list++) {
        if (strcmp(s, *list) == 0) {
            return true;
        }
    }
    return false;
}

static void validate_socket(struct ctx *c, const struct sn_ynode *root, const struct snap_app *a,
                            const struct snap_socket *s) {
    char f[300];
    (void)snprintf(f, sizeof(f), "apps.%s.sockets.%s", a->name, s->name);
    const struct sn_ynode *at = node_of(root, "apps", a->name, "sockets");
    if (!valid_lower_dashed(s->name)) {
        problem(c, at, f, "invalid socket name \"%s\" (use lower case letters, digits and dashes)",
                s->name);
        return;
    }
    const char *ls = s->listen_stream;
    if (ls == NULL || ls[0] == '\0') {
        problem(c, at, f, "socket \"%s\" must define \"listen-stream\"", s->name);
        return;
    }
    if (ls[0] == '$' || ls[0] == '/' || ls[0] == '@') {
        bool user = a->daemon_scope != NULL && strcmp(a->daemon_scope, "user") == 0;
        const char *sys_pre[] = {"$SNAP_DATA/", "$SNAP_COMMON/", NULL};
        const char *user_pre[] = {"$SNAP_USER_DATA/", "$SNAP_USER_COMMON/", "$XDG_RUNTIME_DIR/",
                                  NULL};
        bool okp = false;
        const char *const *pre = user ? user_pre : sys_pre;
        for (size_t i = 0; pre[i]; i++) {
            okp = okp || strncmp(ls, pre[i], strlen(pre[i])) == 0;
        }
        if (ls[0] == '@') {
            problem(c, at, f, "socket \"%s\" path \"%s\" must be a path under %s", s->name, ls,
                    user ? "$SNAP_USER_DATA, $SNAP_USER_COMMON or $XDG_RUNTIME_DIR"
                         : "$SNAP_DATA or $SNAP_COMMON");
        } else if (!okp) {
            problem(c, at, f, "socket \"%s\" path \"%s\" must be prefixed with %s", s->name, ls,
                    user ? "$SNAP_USER_DATA, $SNAP_USER_COMMON or $XDG_RUNTIME_DIR"
                         : "$SNAP_DATA or $SNAP_COMMON");
        }
        return;
    }
    /* [address:]port */
    const char *port = ls;
    const char *colon = strrchr(ls, ':');
    if (colon != NULL) {
        port = colon + 1;
        size_t hl = (size_t)(colon - ls);
        bool host_ok = (hl == 9 && strncmp(ls, "127.0.0.1", 9) == 0) ||
                       (hl == 5 && strncmp(ls, "[::1]", 5) == 0) ||
                       (hl == 4 && strncmp(ls, "[::]", 4) == 0) ||
                       (hl == 7 && strncmp(ls, "0.0.0.0", 7) == 0) ||
                       (hl == 9 && strncmp(ls, "localhost", 9) == 0);
        if (!host_ok) {
            problem(c, at, f, "socket \"%s\" has invalid \"listen-stream\" address \"%s\", must "
                    "be one of: 127.0.0.1, [::1], [::]", s->name, ls);
            return;
        }
    }
    char *end = NULL;
    long p = strtol(port, &end, 10);
    if (end == port || *end != '\0' || p < 1 || p > 65535) {
        problem(c, at, f, "socket \"%s\" has invalid \"listen-stream\": port number \"%s\" is not "
                "a number in 1-65535", s->name, port);
    }
}

static void validate_app(struct ctx *c, const struct sn_ynode *root, const struct snap_info *info,
                         const struct snap_app *a) {
    char f[300];
    const struct sn_ynode *at = node_of(root, "apps", a->name, NULL);
    if (!snap_valid_app_name(a->name)) {
        problem(c, at, "apps",
                "cannot have \"%s\" as app name - use letters, digits, and dash as separator",
                a->name);
        return;
    }
    struct {
        const char *key;
        const char *val;
    } cmds[] = {{"command", a->command},
                {"stop-command", a->stop_command},
                {"reload-command", a->reload_command},
                {"post-stop-command", a->post_stop_command}};
    for (size_t i = 0; i < 4; i++) {
        const char *bad = cmds[i].val ? bad_char(cmds[i].val, true) : NULL;
        if (bad != NULL) {
            (void)snprintf(f, sizeof(f), "apps.%s.%s", a->name, cmds[i].key);
            problem(c, node_of(root, "apps", a->name, cmds[i].key), f,
                    "app description field '%s' contains illegal \"%s\" (legal: "
                    "'^[A-Za-z0-9/. _#:$-]*$')",
                    cmds[i].key, cmds[i].val);
        }
    }
    for (size_t i = 0; a->command_chain[i] != NULL; i++) {
        if (bad_char(a->command_chain[i], false) != NULL || a->command_chain[i][0] == '\0') {
            (void)snprintf(f, sizeof(f), "apps.%s.command-chain", a->name);
            problem(c, node_of(root, "apps", a->name, "command-chain"), f,
                    "app description field 'command-chain' contains illegal \"%s\" (legal: "
                    "'^[A-Za-z0-9/._#:$-]*$')",
                    a->command_chain[i]);
        }
    }
    static const char *const daemons[] = {"simple", "forking", "oneshot", "dbus", "notify", NULL};
    if (a->daemon != NULL && !in_list(a->daemon, daemons)) {
        (void)snprintf(f, sizeof(f), "apps.%s.daemon", a->name);
        problem(c, node_of(root, "apps", a->name, "daemon"), f,
                "\"%s\" is not a valid daemon type (expected simple, forking, oneshot, dbus or "
                "notify)",
                a->daemon);
    }
    static const char *const restarts[] = {"always", "on-success", "on-failure", "on-abnormal",
                                           "on-abort", "on-watchdog", "never", NULL};
    if (a->restart_condition != NULL && !in_list(a->restart_condition, restarts)) {
        (void)snprintf(f, sizeof(f), "apps.%s.restart-condition", a->name);
        problem(c, node_of(root, "apps", a->name, "restart-condition"), f,
                "invalid restart condition: \"%s\" (expected always, on-success, on-failure, "
                "on-abnormal, on-abort, on-watchdog or never)",
                a->restart_condition);
    }
    static const char *const stopmodes[] = {"sigterm", "sigterm-all", "sighup", "sighup-all",
                                            "sigusr1", "sigusr1-all", "sigusr2", "sigusr2-all",
                                            "sigint", "sigint-all", NULL};
    if (a->stop_mode != NULL && !in_list(a->stop_mode, stopmodes)) {
        (void)snprintf(f, sizeof(f), "apps.%s.stop-mode", a->name);
        problem(c, node_of(root, "apps", a->name, "stop-mode"), f,
                "\"stop-mode\" field contains invalid value \"%s\"", a->stop_mode);
    }
    static const char *const refreshmodes[] = {"endure", "restart", "ignore-running", NULL};
    if (a->refresh_mode != NULL && !in_list(a->refresh_mode, refreshmodes)) {
        (void)snprintf(f, sizeof(f), "apps.%s.refresh-mode", a->name);
        problem(c, node_of(root, "apps", a->name, "refresh-mode"), f,
                "\"refresh-mode\" field contains invalid value \"%s\"", a->refresh_mode);
    }
    static const char *const installmodes[] = {"enable", "disable", NULL};
    if (a->install_mode != NULL && !in_list(a->install_mode, installmodes)) {
        (void)snprintf(f, sizeof(f), "apps.%s.install-mode", a->name);
        problem(c, node_of(root, "apps", a->name, "install-mode"), f,
                "\"install-mode\" field contains invalid value \"%s\"", a->install_mode);
    }
    static const char *const scopes[] = {"system", "user", NULL};
    if (a->daemon_scope != NULL && !in_list(a->daemon_scope, scopes)) {
        (void)snprintf(f, sizeof(f), "apps.%s.daemon-scope", a->name);
        problem(c, node_of(root, "apps", a->name, "daemon-scope"), f,
                "invalid daemon scope: \"%s\" (expected system or user)", a->daemon_scope);
    }
    bool svc = a->daemon != NULL;
    struct {
        const char *key;
        bool set;
    } svc_only[] = {{"stop-mode", a->stop_mode != NULL},
                    {"install-mode", a->install_mode != NULL},
                    {"daemon-scope", a->daemon_scope != NULL},
                    {"timer", a->timer != NULL && a->timer[0] != '\0'},
                    {"sockets", a->nsockets > 0},
                    {"before", a->before[0] != NULL},
                    {"after", a->after[0] != NULL},
                    {"watchdog-timeout", a->watchdog_timeout_ns >= 0},
                    {"restart-delay", a->restart_delay_ns >= 0}};
    for (size_t i = 0; !svc && i < sizeof(svc_only) / sizeof(svc_only[0]); i++) {
        if (svc_only[i].set) {
            (void)snprintf(f, sizeof(f), "apps.%s.%s", a->name, svc_only[i].key);
            problem(c, node_of(root, "apps", a->name, svc_only[i].key), f,
                    "\"%s\" cannot be used for \"%s\", only for services", svc_only[i].key,
                    a->name);
        }
    }
    if (a->refresh_mode != NULL) {
        (void)snprintf(f, sizeof(f), "apps.%s.refresh-mode", a->name);
        if (svc && strcmp(a->refresh_mode, "ignore-running") == 0) {
            problem(c, node_of(root, "apps", a->name, "refresh-mode"), f,
                    "\"refresh-mode\" cannot be set to \"ignore-running\" for services");
        } else if (!svc && strcmp(a->refresh_mode, "ignore-running") != 0 &&
                   in_list(a->refresh_mode, refreshmodes)) {
            problem(c, node_of(root, "apps", a->name, "refresh-mode"), f,
                    "\"refresh-mode\" cannot be used for \"%s\", only for services", a->name);
        }
    }
    if (svc) {
        validate_order(c, root, info, a, a->before, "before");
        validate_order(c, root, info, a, a->after, "after");
        if (a->timer != NULL && a->timer[0] != '\0') {
            char why[256] = "";
            if (snap_validate_timer(a->timer, why, sizeof(why)) < 0) {
                (void)snprintf(f, sizeof(f), "apps.%s.timer", a->name);
                problem(c, node_of(root, "apps", a->name, "timer"), f,
                        "timer has invalid format: %s", why);
            }
        }
        for (size_t i = 0; i < a->nsockets; i++) {
            validate_socket(c, root, a, &a->sockets[i]);
        }
    }
}

static void validate_layout(struct ctx *c, const struct sn_ynode *root, const struct snap_layout *l) {
    char f[300];
    (void)snprintf(f, sizeof(f), "layout.%s", l->path);
    const struct sn_ynode *at = node_of(root, "layout", l->path, NULL);
    const char *p = l->path;
    /* $SNAP, $SNAP_DATA and $SNAP_COMMON prefixes are allowed in the path */
    bool clean = p[0] == '/' || strncmp(p, "$SNAP", 5) == 0;
    size_t n = strlen(p);
    if (n > 1 && p[n - 1] == '/') {
        clean = false;
    }
    if (strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../") ||
        (n >= 2 && strcmp(p + n - 2, "/.") == 0) || (n >= 3 && strcmp(p + n - 3, "/..") == 0)) {
        clean = false;
    }
    if (!clean) {
        problem(c, at, f, "layout \"%s\" must be an absolute and clean path", p);
        return;
    }
    static const char *const offlimits[] = {"/proc", "/sys", "/dev", "/run", "/boot",
                                            "/lost+found", "/media", "/var/lib/snapd",
                                            "/var/snap", "/lib/firmware", "/lib/modules", NULL};
    for (size_t i = 0; offlimits[i]; i++) {
        size_t ol = strlen(offlimits[i]);
        if (strncmp(p, offlimits[i], ol) == 0 && (p[ol] == '\0' || p[ol] == '/')) {
            problem(c, at, f, "layout \"%s\" in an off-limits area", p);
            return;
        }
    }
    if (strcmp(p, "/") == 0) {
        problem(c, at, f, "layout \"/\" in an off-limits area");
        return;
    }
    if ((l->kind == SNAP_LAYOUT_BIND || l->kind == SNAP_LAYOUT_BIND_FILE) && l->target != NULL) {
        const char *t = l->target;
        if (strncmp(t, "$SNAP/", 6) != 0 && strncmp(t, "$SNAP_DATA/", 11) != 0 &&
            strncmp(t, "$SNAP_COMMON/", 13) != 0 && strcmp(t, "$SNAP") != 0 &&
            strcmp(t, "$SNAP_DATA") != 0 && strcmp(t, "$SNAP_COMMON") != 0) {
            problem(c, at, f, "layout \"%s\" uses invalid bind mount source \"%s\": must start "
                    "with $SNAP, $SNAP_DATA or $SNAP_COMMON", p, t);
        }
    }
    if (l->kind == SNAP_LAYOUT_SYMLINK && l->target != NULL) {
        const char *t = l->target;
        if (strncmp(t, "$SNAP", 5) != 0 && t[0] != '/') {
            problem(c, at, f, "layout \"%s\" uses invalid symlink old name \"%s\": must start "
                    "with $SNAP, $SNAP_DATA or $SNAP_COMMON", p, t);
        }
    }
    if (l->user != NULL && strcmp(l->user, "root") != 0) {
        problem(c, at, f, "layout \"%s\" uses invalid user \"%s\"", p, l->user);
    }
    if (l->group != NULL && strcmp(l->group, "root") != 0) {
        problem(c, at, f, "layout \"%s\" uses invalid group \"%s\"", p, l->group);
    }
}

static void validate(struct ctx *c, const struct sn_ynode *root, struct snap_info *info) {
    const char *why;
    if (info->name == NULL) {
        problem(c, root, "name", "snap name cannot be empty (expected lowercase letters, digits and "
                "dashes)");
    } else if ((why = snap_name_problem(info->name)) != NULL) {
        problem(c, node_of(root, "name", NULL, NULL), "name", "invalid snap name \"%s\": %s",
                info->name, why);
    }
    if (info->version == NULL) {
        problem(c, root, "version", "snap version cannot be empty");
    } else if ((why = snap_version_problem(info->version)) != NULL) {
        problem(c, node_of(root, "version", NULL, NULL), "version", "invalid snap version \"%s\": %s",
                info->version, why);
    }
    size_t r;
    if (info->title != NULL && (r = utf8_runes(info->title)) > 40) {
        problem(c, node_of(root, "title", NULL, NULL), "title",
                "title can have up to 40 codepoints, got %zu", r);
    }
    if (info->summary != NULL && (r = utf8_runes(info->summary)) > 128) {
        problem(c, node_of(root, "summary", NULL, NULL), "summary",
                "summary can have up to 128 codepoints, got %zu", r);
    }
    if (info->description != NULL && (r = utf8_runes(info->description)) > 4096) {
        problem(c, node_of(root, "description", NULL, NULL), "description",
                "description can have up to 4096 codepoints, got %zu", r);
    }
    if (info->license != NULL && info->license[0] != '\0') {
        char lwhy[256] = "";
        if (snap_spdx_validate(info->license, lwhy, sizeof(lwhy)) < 0) {
            problem(c, node_of(root, "license", NULL, NULL), "license",
                    "cannot validate license \"%s\": %s", info->license, lwhy);
        }
    }
    if (info->base != NULL) {
        if ((info->type == SNAP_TYPE_BASE || info->type == SNAP_TYPE_OS ||
             info->type == SNAP_TYPE_SNAPD) &&
            strcmp(info->base, "none") != 0 && strcmp(info->base, "bare") != 0) {
            problem(c, node_of(root, "base", NULL, NULL), "base",
                    "cannot have \"base\" field on \"%s\" snap", snap_type_str(info->type));
        } else if (strcmp(info->base, "none") != 0 && (why = snap_name_problem(info->base)) != NULL) {
            problem(c, node_of(root, "base", NULL, NULL), "base", "invalid base name \"%s\": %s",
                    info->base, why);
        }
    }
    size_t narch = 0;
    bool has_all = false;
    for (size_t i = 0; info->architectures[i]; i++, narch++) {
        has_all = has_all || strcmp(info->architectures[i], "all") == 0;
    }
    if (has_all && narch > 1) {
        problem(c, node_of(root, "architectures", NULL, NULL), "architectures",
                "cannot specify 'all' together with other architectures");
    }
    for (size_t i = 0; i < info->napps; i++) {
        validate_app(c, root, info, &info->apps[i]);
    }
    for (size_t i = 0; i < info->nhooks; i++) {
        const struct snap_hook *h = &info->hooks[i];
        char f[300];
        (void)snprintf(f, sizeof(f), "hooks.%s", h->name);
        if (!snap_valid_hook_name(h->name)) {
            problem(c, node_of(root, "hooks", h->name, NULL), "hooks", "invalid hook name: \"%s\"",
                    h->name);
        }
        for (size_t j = 0; h->command_chain[j]; j++) {
            if (bad_char(h->command_chain[j], false) != NULL) {
                problem(c, node_of(root, "hooks", h->name, "command-chain"), f,
                        "hook description field 'command-chain' contains illegal \"%s\"",
                        h->command_chain[j]);
            }
        }
    }
    const struct {
        struct snap_plugslot *v;
        size_t n;
        const char *what, *one;
    } sets[] = {{info->plugs, info->nplugs, "plugs", "plug"},
                {info->slots, info->nslots, "slots", "slot"}};
    for (size_t s = 0; s < 2; s++) {
        for (size_t i = 0; i < sets[s].n; i++) {
            const struct snap_plugslot *p = &sets[s].v[i];
            const struct sn_ynode *at = node_of(root, sets[s].what, p->name, NULL);
            if (!snap_valid_plug_slot_name(p->name)) {
                problem(c, at, sets[s].what, "invalid %s name: \"%s\"", sets[s].one, p->name);
            } else if (!valid_lower_dashed(p->iface)) {
                problem(c, at, sets[s].what, "invalid interface name: \"%s\"", p->iface);
            }
        }
    }
    for (size_t i = 0; i < info->nplugs; i++) {
        if (find_ps(info->slots, info->nslots, info->plugs[i].name) != NULL) {
            problem(c, node_of(root, "plugs", info->plugs[i].name, NULL), "plugs",
                    "cannot have plug and slot with the same name: \"%s\"", info->plugs[i].name);
        }
    }
    for (size_t i = 0; i < info->nlayouts; i++) {
        validate_layout(c, root, &info->layouts[i]);
    }
    /* common-id must be unique */
    for (size_t i = 0; i < info->napps; i++) {
        for (size_t j = i + 1; info->apps[i].common_id && j < info->napps; j++) {
            if (info->apps[j].common_id && strcmp(info->apps[i].common_id, info->apps[j].common_id) == 0) {
                problem(c, node_of(root, "apps", info->apps[j].name, "common-id"), "apps",
                        "application (\"%s\" \"%s\") common-id \"%s\" must be unique",
                        info->apps[i].name, info->apps[j].name, info->apps[j].common_id);
            }
        }
    }
}

int snap_yaml_parse(const char *data, size_t len, const char *fname, struct snap_info **out,
                    struct snap_problems *probs, struct sn_err *err) {
    struct ctx c = {.file = fname, .probs = probs};
    if (len > SNAP_YAML_MAX_SIZE) {
        problem(&c, NULL, "snap.yaml", "file is %zu bytes, larger than the 1 MiB limit", len);
        return sn_err_set(err, -EFBIG, "%s", c.first);
    }
    struct sn_ydoc *doc = NULL;
    struct sn_err yerr = SN_ERR_INIT;
    if (sn_yaml_parse(data, len, fname, NULL, &doc, &yerr) < 0) {
        if (probs != NULL) {
            snap_problems_add(probs, "%s", yerr.msg);
        }
        return sn_err_set(err, yerr.code, "%s", yerr.msg);
    }
    struct snap_info *info = xcalloc(1, sizeof(*info));
    info->doc = doc;
    info->file = xstrdup(fname);
    const struct sn_ynode *root = doc->root;
    if (root == NULL || sn_ynode_is_null(root)) {
        problem(&c, NULL, "snap.yaml", "file is empty (expected a map with at least name and version)");
    } else if (root->kind != SN_Y_MAP) {
        problem(&c, root, "snap.yaml", "expected a map at the top level, found %s",
                sn_ykind_name(root->kind));
    } else if (decode(&c, root, info)) {
        bind_all(info);
        validate(&c, root, info);
    }
    if (c.nprobs > 0) {
        snap_info_free(info);
        return sn_err_set(err, -EINVAL, "%s", c.first);
    }
    *out = info;
    return 0;
}

void snap_info_free(struct snap_info *info) {
    if (info == NULL) {
        return;
    }
    free(info->name);
    free(info->version);
    free(info->summary);
    free(info->description);
    free(info->title);
    free(info->license);
    free(info->base);
    free(info->epoch);
    sn_strv_free(info->architectures);
    sn_strv_free(info->assumes);
    for (size_t i = 0; i < info->napps; i++) {
        app_release(&info->apps[i]);
    }
    free(info->apps);
    for (size_t i = 0; i < info->nhooks; i++) {
        hook_release(&info->hooks[i]);
    }
    free(info->hooks);
    for (size_t i = 0; i < info->nplugs; i++) {
        plugslot_release(&info->plugs[i]);
    }
    free(info->plugs);
    for (size_t i = 0; i < info->nslots; i++) {
        plugslot_release(&info->slots[i]);
    }
    free(info->slots);
    for (size_t i = 0; i < info->nlayouts; i++) {
        free(info->layouts[i].path);
        free(info->layouts[i].target);
        free(info->layouts[i].user);
        free(info->layouts[i].group);
    }
    free(info->layouts);
    env_release(&info->env);
    sn_ydoc_free(info->doc);
    free(info->file);
    free(info);
}

char *snap_pack_filename(const struct snap_info *info) {
    const char *arch = info->architectures[0];
    if (info->architectures[0] != NULL && info->architectures[1] != NULL) {
        arch = "multi";
    }
    return xasprintf("%s_%s_%s.snap", info->name, info->version, arch ? arch : "all");
}

void snap_info_add_implicit_hooks(struct snap_info *info, char *const *names) {
    for (size_t i = 0; names != NULL && names[i] != NULL; i++) {
        const char *name = names[i];
        bool known = false;
        for (size_t j = 0; j < info->nhooks && !known; j++) {
            known = strcmp(info->hooks[j].name, name) == 0;
        }
        if (known || !snap_hook_type_supported(name)) {
            continue;
        }
        info->hooks = xrealloc(info->hooks, (info->nhooks + 1) * sizeof(*info->hooks));
        struct snap_hook *h = &info->hooks[info->nhooks++];
        memset(h, 0, sizeof(*h));
        h->name = xstrdup(name);
        h->implicit = true;
        h->command_chain = strv_empty();
        h->plugs = strv_empty();
        h->slots = strv_empty();
        for (size_t j = 0; j < info->nplugs; j++) {
            if (info->plugs[j].unscoped) {
                h->plugs = strv_push(h->plugs, info->plugs[j].name);
                info->plugs[j].hooks = strv_push(info->plugs[j].hooks, name);
            }
        }
        for (size_t j = 0; j < info->nslots; j++) {
            if (info->slots[j].unscoped) {
                h->slots = strv_push(h->slots, info->slots[j].name);
                info->slots[j].hooks = strv_push(info->slots[j].hooks, name);
            }
        }
    }
}

const struct snap_app *snap_info_app(const struct snap_info *info, const char *name) {
    for (size_t i = 0; i < info->napps; i++) {
        if (strcmp(info->apps[i].name, name) == 0) {
            return &info->apps[i];
        }
    }
    return NULL;
}

const struct snap_plugslot *snap_info_plug(const struct snap_info *info, const char *name) {
    return find_ps(info->plugs, info->nplugs, name);
}

const struct snap_plugslot *snap_info_slot(const struct snap_info *info, const char *name) {
    return find_ps(info->slots, info->nslots, name);
}
