/* SPDX-License-Identifier: GPL-3.0-only
 * connection.c: connection ends, validation, connect and auto-connect policy, and the policy
 * computation per security tag.
 */
#include "connection.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "iface-internal.h"
#include "xalloc.h"

#include "banned.h"

/* ---- ends ---- */

void iface_end_init(struct iface_end *e, enum iface_side side, const struct snap_info *snap,
                    const struct snap_plugslot *ps) {
    memset(e, 0, sizeof(*e));
    e->side = side;
    e->snap = snap;
    e->ps = ps;
    e->name = ps->name;
    e->iface = ps->iface;
    e->attrs = ps->attrs;
    e->type = snap != NULL ? snap->type : SNAP_TYPE_APP;
}

static const char *system_snap(const struct iface_env *env) {
    return env != NULL && env->system_snap != NULL ? env->system_snap : "snapd";
}

void iface_end_system_slot(struct iface_end *e, const char *iface, const struct iface_env *env) {
    memset(e, 0, sizeof(*e));
    e->side = IFACE_SLOT;
    e->instance = system_snap(env);
    e->name = iface;
    e->iface = iface;
    e->type = SNAP_TYPE_SNAPD;
}

const char *iface_end_instance(const struct iface_end *e) {
    if (e->instance != NULL) {
        return e->instance;
    }
    return e->snap != NULL ? e->snap->name : "?";
}

enum snap_type iface_end_type(const struct iface_end *e) {
    return e->snap != NULL ? e->snap->type : e->type;
}

bool iface_end_is_system(const struct iface_end *e) {
    enum snap_type t = iface_end_type(e);
    return t == SNAP_TYPE_OS || t == SNAP_TYPE_SNAPD;
}

const struct sn_ynode *iface_end_attr(const struct iface_end *e, const char *name) {
    const struct sn_ynode *n = iface_attrs_get(e->dynamic, name);
    return n != NULL ? n : iface_attrs_get(e->attrs, name);
}

int iface_end_fail(const struct iface_end *e, struct sn_err *err, int code, const char *fmt, ...) {
    if (err == NULL) {
        return code;
    }
    char msg[SN_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return sn_err_set(err, code, "%s '%s' of snap '%s' (%s): %s",
                      e->side == IFACE_PLUG ? "plug" : "slot", e->name ? e->name : "?",
                      iface_end_instance(e), e->iface ? e->iface : "?", msg);
}

/* ---- validation ---- */

int iface_validate_end(const struct iface_end *e, struct sn_err *err) {
    const struct iface_def *d = e->iface != NULL ? iface_lookup(e->iface) : NULL;
    if (d == NULL) {
        return iface_end_fail(e, err, -ENOENT, "unknown interface '%s'",
                              e->iface ? e->iface : "(none)");
    }
    if (e->side == IFACE_SLOT && iface_end_is_system(e) && e->attrs == NULL && e->dynamic == NULL) {
        return 0; /* implicit system slots carry no attributes */
    }
    if (e->attrs != NULL && e->attrs->kind != SN_Y_MAP) {
        return iface_end_fail(e, err, -EINVAL, "attributes must be a map");
    }
    int r = iface_check_attr_specs(e->side == IFACE_PLUG ? d->plug_attrs : d->slot_attrs, e, err);
    if (r < 0) {
        return r;
    }
    if (e->side == IFACE_PLUG && d->validate_plug != NULL) {
        return d->validate_plug(d, e, err);
    }
    if (e->side == IFACE_SLOT && d->validate_slot != NULL) {
        return d->validate_slot(d, e, err);
    }
    return 0;
}

int iface_validate_plug(const struct snap_info *snap, const struct snap_plugslot *plug,
                        struct sn_err *err) {
    struct iface_end e;
    iface_end_init(&e, IFACE_PLUG, snap, plug);
    return iface_validate_end(&e, err);
}

int iface_validate_slot(const struct snap_info *snap, const struct snap_plugslot *slot,
                        struct sn_err *err) {
    struct iface_end e;
    iface_end_init(&e, IFACE_SLOT, snap, slot);
    return iface_validate_end(&e, err);
}

int iface_validate_snap(const struct snap_info *snap, struct sn_err *err) {
    for (size_t i = 0; i < snap->nplugs; i++) {
        int r = iface_validate_plug(snap, &snap->plugs[i], err);
        if (r < 0) {
            return r;
        }
    }
    for (size_t i = 0; i < snap->nslots; i++) {
        int r = iface_validate_slot(snap, &snap->slots[i], err);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

static uint32_t snap_kind(enum snap_type t) {
    switch (t) {
        case SNAP_TYPE_OS:
        case SNAP_TYPE_SNAPD:
            return IFACE_SNAP_CORE;
        case SNAP_TYPE_GADGET:
            return IFACE_SNAP_GADGET;
        case SNAP_TYPE_KERNEL:
            return IFACE_SNAP_KERNEL;
        case SNAP_TYPE_APP:
        case SNAP_TYPE_BASE:
            return IFACE_SNAP_APP;
    }
    return IFACE_SNAP_APP;
}

int iface_check_install(const struct snap_info *snap, bool asserted, struct sn_err *err) {
    int r = iface_validate_snap(snap, err);
    if (r < 0 || !asserted) {
        return r;
    }
    for (size_t i = 0; i < snap->nplugs; i++) {
        const struct iface_def *d = iface_lookup(snap->plugs[i].iface);
        if (d->decl.plug_grant) {
            return sn_err_setk(err, -EPERM, "interfaces-unchanged",
                               "installation not allowed by '%s' plug rule of interface '%s'",
                               snap->plugs[i].name, d->name);
        }
    }
    for (size_t i = 0; i < snap->nslots; i++) {
        const struct iface_def *d = iface_lookup(snap->slots[i].iface);
        uint32_t k = snap_kind(snap->type);
        if ((d->decl.slot_snaps & k) == 0 || (d->decl.slot_grant & k) != 0) {
            return sn_err_setk(err, -EPERM, "interfaces-unchanged",
                               "installation not allowed by '%s' slot rule of interface '%s'",
                               snap->slots[i].name, d->name);
        }
    }
    return 0;
}

/* ---- connect / auto-connect ---- */

int iface_check_connect(const struct iface_end *plug, const struct iface_end *slot,
                        struct sn_err *err) {
    const struct iface_def *d = plug->iface != NULL ? iface_lookup(plug->iface) : NULL;
    if (d == NULL) {
        return iface_end_fail(plug, err, -ENOENT, "unknown interface '%s'",
                              plug->iface ? plug->iface : "(none)");
    }
    if (slot->iface == NULL || strcmp(plug->iface, slot->iface) != 0) {
        return sn_err_set(err, -EINVAL,
                          "cannot connect %s:%s (%s) to %s:%s (%s): interface mismatch",
                          iface_end_instance(plug), plug->name, plug->iface,
                          iface_end_instance(slot), slot->name, slot->iface ? slot->iface : "?");
    }
    if (plug->side != IFACE_PLUG || slot->side != IFACE_SLOT) {
        return sn_err_set(err, -EINVAL, "cannot connect %s:%s to %s:%s: wrong sides",
                          iface_end_instance(plug), plug->name, iface_end_instance(slot),
                          slot->name);
    }
    if (slot->snap == NULL && iface_end_is_system(slot) &&
        !(d->decl.implicit_core || d->decl.implicit_classic)) {
        return sn_err_set(err, -ENOENT, "snap '%s' has no '%s' slot", iface_end_instance(slot),
                          slot->name);
    }
    int r = iface_validate_end(plug, err);
    if (r == 0) {
        r = iface_validate_end(slot, err);
    }
    if (r == 0 && d->check_connect != NULL) {
        r = d->check_connect(d, plug, slot, err);
    }
    return r;
}

static bool same_publisher(const struct iface_end *a, const struct iface_end *b) {
    if (a->publisher == NULL && b->publisher == NULL) {
        return true; /* two local snaps: one publisher (the device owner) */
    }
    return a->publisher != NULL && b->publisher != NULL && strcmp(a->publisher, b->publisher) == 0;
}

bool iface_auto_connect(const struct iface_end *plug, const struct iface_end *slot,
                        const struct iface_env *env) {
    if (iface_check_connect(plug, slot, NULL) < 0) {
        return false;
    }
    const struct iface_def *d = iface_lookup(plug->iface);
    bool classic = env != NULL && env->mode == IFACE_MODE_CLASSIC;
    switch (d->decl.auto_connect) {
        case IFACE_AUTO_NO:
            return false;
        case IFACE_AUTO_YES:
            /* default-allowed interfaces connect to the system's or the gadget's slots */
            return iface_end_is_system(slot) || iface_end_type(slot) == SNAP_TYPE_GADGET;
        case IFACE_AUTO_CLASSIC:
            return classic && iface_end_is_system(slot);
        case IFACE_AUTO_SAME_PUBLISHER:
            return same_publisher(plug, slot);
        case IFACE_AUTO_CUSTOM:
            return d->auto_connect != NULL && d->auto_connect(d, plug, slot, env);
    }
    return false;
}

int iface_auto_connect_pick(const struct iface_end *plug, const struct iface_end *slots,
                            size_t nslots, const struct iface_env *env) {
    int found = -ENOENT;
    for (size_t i = 0; i < nslots; i++) {
        if (iface_auto_connect(plug, &slots[i], env)) {
            if (found >= 0) {
                return -EEXIST;
            }
            found = (int)i;
        }
    }
    return found;
}

/* ---- policy ---- */

struct tag {
    char instance[IFACE_REF_MAX];
    char name[IFACE_REF_MAX];
    bool hook;
};

static int parse_tag(const char *tag, struct tag *t, struct sn_err *err) {
    memset(t, 0, sizeof(*t));
    if (strncmp(tag, "snap.", 5) != 0) {
        return sn_err_set(err, -EINVAL, "invalid security tag '%s'", tag);
    }
    const char *inst = tag + 5;
    const char *dot = strchr(inst, '.');
    if (dot == NULL || dot == inst || (size_t)(dot - inst) >= sizeof(t->instance)) {
        return sn_err_set(err, -EINVAL, "invalid security tag '%s'", tag);
    }
    memcpy(t->instance, inst, (size_t)(dot - inst));
    const char *rest = dot + 1;
    if (strncmp(rest, "hook.", 5) == 0) {
        t->hook = true;
        rest += 5;
    }
    if (rest[0] == '\0' || strchr(rest, '.') != NULL || strlen(rest) >= sizeof(t->name)) {
        return sn_err_set(err, -EINVAL, "invalid security tag '%s'", tag);
    }
    memcpy(t->name, rest, strlen(rest) + 1);
    return 0;
}

static bool strv_has(char *const *v, const char *s) {
    for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
        if (strcmp(v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

static const struct snap_plugslot *find_ps(const struct snap_plugslot *v, size_t n,
                                           const char *name) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].name, name) == 0) {
            return &v[i];
        }
    }
    return NULL;
}

static bool ps_bound(const struct snap_plugslot *ps, const struct tag *t) {
    return ps != NULL && strv_has(t->hook ? ps->hooks : ps->apps, t->name);
}

/* Does end e belong to the tag's snap, with its plug/slot bound to the tag's app or hook? */
static bool end_bound(const struct iface_end *e, const struct snap_info *snap,
                      const struct tag *t) {
    if (strcmp(iface_end_instance(e), t->instance) != 0) {
        return false;
    }
    const struct snap_plugslot *ps = e->side == IFACE_PLUG
                                         ? find_ps(snap->plugs, snap->nplugs, e->name)
                                         : find_ps(snap->slots, snap->nslots, e->name);
    return ps_bound(ps, t);
}

static size_t def_index(const struct iface_def *d) {
    for (size_t i = 0; i < iface_count(); i++) {
        if (iface_at(i) == d) {
            return i;
        }
    }
    SN_BUG("interface '%s' is not in the registry", d->name);
}

static bool has_snippets(const struct iface_snippets *s) {
    return s->apparmor != NULL || s->seccomp != NULL || s->fs != NULL || s->devices != NULL ||
           s->kmods != NULL || s->net_any != 0 || s->unscoped != 0;
}

static int permanent_slot(const struct iface_def *d, const struct iface_end *slot,
                          const struct iface_env *env, bool *done, struct iface_policy *out,
                          struct sn_err *err) {
    size_t i = def_index(d);
    if (!done[i] && has_snippets(&d->perm_slot)) {
        iface_add_snippets(out, &d->perm_slot, d->name, "permanent slot");
    }
    done[i] = true;
    return d->permanent_slot != NULL ? d->permanent_slot(d, slot, env, out, err) : 0;
}

static int tag_policy(const struct tag *t, const struct snap_info *snap,
                      const struct iface_connection *conns, size_t nconns,
                      const struct iface_env *env, struct iface_policy *out, struct sn_err *err) {
    SN_AUTOFREE bool *done = xcalloc(3 * iface_count(), sizeof(bool));
    bool *done_plug = done, *done_slot = done + iface_count(),
         *done_perm = done + 2 * iface_count();
    for (size_t i = 0; i < nconns; i++) {
        const struct iface_connection *c = &conns[i];
        if (c->undesired) {
            continue;
        }
        bool plug = end_bound(&c->plug, snap, t);
        bool slot = end_bound(&c->slot, snap, t);
        if (!plug && !slot) {
            continue;
        }
        int r = iface_check_connect(&c->plug, &c->slot, err);
        if (r < 0) {
            return r;
        }
        const struct iface_def *d = iface_lookup(c->plug.iface);
        size_t di = def_index(d);
        if (plug) {
            if (!done_plug[di] && has_snippets(&d->plug)) {
                iface_add_snippets(out, &d->plug, d->name, "connected plug");
            }
            done_plug[di] = true;
            if (d->connected_plug != NULL && (r = d->connected_plug(d, c, env, out, err)) < 0) {
                return r;
            }
        }
        if (slot) {
            if (!done_slot[di] && has_snippets(&d->slot)) {
                iface_add_snippets(out, &d->slot, d->name, "connected slot");
            }
            done_slot[di] = true;
            if (d->connected_slot != NULL && (r = d->connected_slot(d, c, env, out, err)) < 0) {
                return r;
            }
        }
    }
    for (size_t i = 0; i < snap->nslots; i++) {
        const struct snap_plugslot *ps = &snap->slots[i];
        if (!ps_bound(ps, t)) {
            continue;
        }
        struct iface_end e;
        iface_end_init(&e, IFACE_SLOT, snap, ps);
        e.instance = t->instance;
        int r = iface_validate_end(&e, err);
        if (r < 0) {
            return r;
        }
        r = permanent_slot(iface_lookup(ps->iface), &e, env, done_perm, out, err);
        if (r < 0) {
            return r;
        }
    }
    if (snap->confinement == SNAP_CONFINE_CLASSIC) {
        out->unrestricted = true;
    }
    return 0;
}

static bool instance_of(const char *instance, const char *name) {
    size_t n = strlen(name);
    return strncmp(instance, name, n) == 0 && (instance[n] == '\0' || instance[n] == '_');
}

int iface_policy_for_tag(const char *tag, const struct snap_info *snap,
                         const struct iface_connection *conns, size_t nconns,
                         const struct iface_env *env, struct iface_policy *out,
                         struct sn_err *err) {
    struct tag t;
    int r = parse_tag(tag, &t, err);
    if (r < 0) {
        return r;
    }
    if (!instance_of(t.instance, snap->name)) {
        return sn_err_set(err, -EINVAL, "security tag '%s' is not of snap '%s'", tag, snap->name);
    }
    bool known = false;
    if (t.hook) {
        for (size_t i = 0; i < snap->nhooks && !known; i++) {
            known = strcmp(snap->hooks[i].name, t.name) == 0;
        }
    } else {
        for (size_t i = 0; i < snap->napps && !known; i++) {
            known = strcmp(snap->apps[i].name, t.name) == 0;
        }
    }
    if (!known) {
        return sn_err_set(err, -ENOENT, "snap '%s' has no %s '%s'", t.instance,
                          t.hook ? "hook" : "app", t.name);
    }
    r = tag_policy(&t, snap, conns, nconns, env, out, err);
    if (r < 0) {
        iface_policy_release(out);
        sn_err_prefix(err, "cannot compute policy of '%s': ", tag);
    }
    return r;
}

int iface_policy_for_snap(const struct snap_info *snap, const char *instance,
                          const struct iface_connection *conns, size_t nconns,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    if (instance == NULL) {
        instance = snap->name;
    }
    if (!instance_of(instance, snap->name) || strlen(instance) >= IFACE_REF_MAX) {
        return sn_err_set(err, -EINVAL, "instance '%s' is not of snap '%s'", instance, snap->name);
    }
    int r = 0;
    size_t total = snap->napps + snap->nhooks;
    for (size_t i = 0; i < total && r == 0; i++) {
        struct tag t;
        memset(&t, 0, sizeof(t));
        memcpy(t.instance, instance, strlen(instance) + 1);
        t.hook = i >= snap->napps;
        const char *name = t.hook ? snap->hooks[i - snap->napps].name : snap->apps[i].name;
        if (strlen(name) >= sizeof(t.name)) {
            continue;
        }
        memcpy(t.name, name, strlen(name) + 1);
        struct iface_policy one;
        iface_policy_init(&one);
        r = tag_policy(&t, snap, conns, nconns, env, &one, err);
        if (r == 0) {
            iface_policy_merge(out, &one);
        }
        iface_policy_release(&one);
    }
    /* permanent effects of slots no app or hook is bound to (gadget slots) */
    SN_AUTOFREE bool *done = xcalloc(iface_count(), sizeof(bool));
    for (size_t i = 0; i < snap->nslots && r == 0; i++) {
        const struct snap_plugslot *ps = &snap->slots[i];
        if ((ps->apps != NULL && ps->apps[0] != NULL) ||
            (ps->hooks != NULL && ps->hooks[0] != NULL)) {
            continue;
        }
        struct iface_end e;
        iface_end_init(&e, IFACE_SLOT, snap, ps);
        e.instance = instance;
        r = iface_validate_end(&e, err);
        if (r == 0) {
            r = permanent_slot(iface_lookup(ps->iface), &e, env, done, out, err);
        }
    }
    if (r < 0) {
        iface_policy_release(out);
        sn_err_prefix(err, "cannot compute policy of snap '%s': ", instance);
    }
    return r;
}

/* ---- ids and paths ---- */

static int copy_part(char *dst, const char *s, size_t n) {
    if (n == 0 || n >= IFACE_REF_MAX) {
        return -EINVAL;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

static int split_ref(const char *s, size_t len, char *snap, char *name) {
    const char *colon = memchr(s, ':', len);
    if (colon == NULL) {
        return -EINVAL;
    }
    size_t a = (size_t)(colon - s);
    if (copy_part(snap, s, a) < 0 || copy_part(name, colon + 1, len - a - 1) < 0 ||
        strchr(name, ':') != NULL) {
        return -EINVAL;
    }
    return 0;
}

int iface_conn_ref_parse(const char *id, struct iface_conn_ref *out, struct sn_err *err) {
    struct iface_conn_ref ref = {0};
    const char *sp = strchr(id, ' ');
    if (sp == NULL || strchr(sp + 1, ' ') != NULL ||
        split_ref(id, (size_t)(sp - id), ref.plug_snap, ref.plug) < 0 ||
        split_ref(sp + 1, strlen(sp + 1), ref.slot_snap, ref.slot) < 0) {
        return sn_err_set(err, -EINVAL, "malformed connection identifier: '%s'", id);
    }
    *out = ref;
    return 0;
}

char *iface_conn_id(const struct iface_connection *c, char *buf, size_t size) {
    (void)snprintf(buf, size, "%s:%s %s:%s", iface_end_instance(&c->plug), c->plug.name,
                   iface_end_instance(&c->slot), c->slot.name);
    return buf;
}

char *iface_expand_snap_path(const char *path, const struct iface_end *e,
                             const struct iface_env *env, bool self) {
    const char *mnt = env != NULL && env->snap_mount_dir != NULL ? env->snap_mount_dir : "/snap";
    const char *data = env != NULL && env->snap_data_dir != NULL ? env->snap_data_dir : "/var/snap";
    const char *rev = e->revision != NULL ? e->revision : "current";
    char name[IFACE_REF_MAX];
    (void)snprintf(name, sizeof(name), "%s", iface_end_instance(e));
    if (self) {
        char *us = strchr(name, '_');
        if (us != NULL) {
            *us = '\0';
        }
    }
    static const struct {
        const char *var;
        int kind;
    } vars[] = {{"$SNAP_DATA", 1}, {"$SNAP_COMMON", 2}, {"$SNAP", 0}};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        size_t n = strlen(vars[i].var);
        if (strncmp(path, vars[i].var, n) == 0 && (path[n] == '/' || path[n] == '\0')) {
            const char *rest = path + n;
            switch (vars[i].kind) {
                case 1:
                    return xasprintf("%s/%s/%s%s", data, name, rev, rest);
                case 2:
                    return xasprintf("%s/%s/common%s", data, name, rest);
                default:
                    return xasprintf("%s/%s/%s%s", mnt, name, rev, rest);
            }
        }
    }
    return xasprintf("%s/%s/%s/%s", mnt, name, rev, path);
}
