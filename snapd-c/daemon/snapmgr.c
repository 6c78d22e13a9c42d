/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "snapmgr.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "fault.h"
#include "fs.h"
#include "helper.h"
#include "ifacemgr.h"
#include "log.h"
#include "mount.h"
#include "snap-container.h"
#include "snap-json.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

/* ---- paths ---- */

char *d_path(const struct daemon *d, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *rel = NULL;
    if (vasprintf(&rel, fmt, ap) < 0) {
        SN_BUG("out of memory");
    }
    va_end(ap);
    char *p = sn_path_join(d->root, rel);
    free(rel);
    return p;
}

char *d_blob_path(const struct daemon *d, const char *name, const char *rev) {
    return d_path(d, "/var/lib/snapd/snaps/%s_%s.snap", name, rev);
}

char *d_mount_dir(const struct daemon *d, const char *name, const char *rev) {
    return d_path(d, "/snap/%s/%s", name, rev);
}

char *d_data_dir(const struct daemon *d, const char *name, const char *rev) {
    return d_path(d, "/var/snap/%s/%s", name, rev);
}

/* ---- cache of compact metadata per installed revision ---- */

struct cache_ent {
    struct snap_meta *meta; /* one allocation: the struct, the apps, then the strings */
    struct cache_ent *next;
};
static struct cache_ent *cache_head;

int snap_info_load(struct daemon *d, const char *name, const char *rev, struct snap_info **out,
                   struct sn_err *err) {
    SN_AUTOFREE char *dir = d_mount_dir(d, name, rev);
    if (snap_is_mounted(dir) <= 0) {
        return sn_err_set(err, -ENOENT, "%s revision %s is not mounted", name, rev);
    }
    return snap_load_dir(dir, out, NULL, err);
}

static size_t slen(const char *s) {
    return s ? strlen(s) + 1 : 0;
}

/* copy s into the string area at *p; NULL stays NULL */
static const char *pack_str(char **p, const char *s) {
    if (s == NULL) {
        return NULL;
    }
    size_t n = strlen(s) + 1;
    memcpy(*p, s, n);
    const char *r = *p;
    *p += n;
    return r;
}

static struct snap_meta *meta_from_info(const struct snap_info *info, const char *rev) {
    const char *type = snap_type_str(info->type), *conf = snap_confinement_str(info->confinement);
    size_t strs = slen(info->name) + slen(rev) + slen(type) + slen(info->version) +
                  slen(info->title) + slen(info->summary) + slen(info->description) +
                  slen(info->base) + slen(conf) + slen(info->license);
    for (size_t i = 0; i < info->napps; i++) {
        strs += slen(info->apps[i].name) + slen(info->apps[i].daemon) +
                slen(info->apps[i].daemon_scope);
    }
    size_t head = sizeof(struct snap_meta) + info->napps * sizeof(struct snap_meta_app);
    struct snap_meta *m = xcalloc(1, head + strs);
    char *p = (char *)m + head;
    m->name = pack_str(&p, info->name);
    m->rev = pack_str(&p, rev);
    m->type = pack_str(&p, type);
    m->version = pack_str(&p, info->version);
    m->title = pack_str(&p, info->title);
    m->summary = pack_str(&p, info->summary);
    m->description = pack_str(&p, info->description);
    m->base = pack_str(&p, info->base);
    m->confinement = pack_str(&p, conf);
    m->license = pack_str(&p, info->license);
    m->napps = info->napps;
    for (size_t i = 0; i < info->napps; i++) {
        m->apps[i].name = pack_str(&p, info->apps[i].name);
        m->apps[i].daemon = pack_str(&p, info->apps[i].daemon);
        m->apps[i].daemon_scope = pack_str(&p, info->apps[i].daemon_scope);
    }
    return m;
}

/* p points into the block from; the same offset into the block to */
static const char *rebase(const char *p, const void *from, void *to) {
    return p ? (const char *)to + ((uintptr_t)p - (uintptr_t)from) : NULL;
}

const struct snap_meta *snap_cache_get(struct daemon *d, const char *name, const char *rev) {
    for (struct cache_ent *e = cache_head; e; e = e->next) {
        if (strcmp(e->meta->name, name) == 0 && strcmp(e->meta->rev, rev) == 0) {
            return e->meta;
        }
    }
    struct snap_info *info = NULL;
    struct sn_err err = SN_ERR_INIT;
    if (snap_info_load(d, name, rev, &info, &err) < 0) {
        log_warn("cannot read metadata of %s revision %s: %s", name, rev, err.msg);
        return NULL;
    }
    /* build the packed copy, free the parse, then move the copy into a block allocated after
     * the free: it lands in the parse's hole instead of above it (no creeping fragmentation) */
    struct snap_meta *tmp = meta_from_info(info, rev);
    size_t size = malloc_usable_size(tmp);
    snap_info_free(info);
    struct snap_meta *m = xmalloc(size);
    memcpy(m, tmp, size);
    const char **fields[] = {&m->name,    &m->rev,         &m->type, &m->version,     &m->title,
                             &m->summary, &m->description, &m->base, &m->confinement, &m->license};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        *fields[i] = rebase(*fields[i], tmp, m);
    }
    for (size_t i = 0; i < m->napps; i++) {
        struct snap_meta_app *a = &m->apps[i];
        a->name = rebase(a->name, tmp, m);
        a->daemon = rebase(a->daemon, tmp, m);
        a->daemon_scope = rebase(a->daemon_scope, tmp, m);
    }
    free(tmp);
    struct cache_ent *e = xcalloc(1, sizeof(*e));
    e->meta = m;
    e->next = cache_head;
    cache_head = e;
    return e->meta;
}

void snap_cache_drop(const char *name, const char *rev) {
    for (struct cache_ent **pp = &cache_head; *pp;) {
        struct cache_ent *e = *pp;
        if (strcmp(e->meta->name, name) == 0 && (rev == NULL || strcmp(e->meta->rev, rev) == 0)) {
            *pp = e->next;
            free(e->meta);
            free(e);
        } else {
            pp = &e->next;
        }
    }
}

void snap_cache_clear(void) {
    while (cache_head) {
        struct cache_ent *e = cache_head;
        cache_head = e->next;
        free(e->meta);
        free(e);
    }
}

/* ---- helpers ---- */

static struct json_object *setup_of(struct task_ctx *t) {
    return change_setup_for(t->chg_data, t->data);
}

static bool is_local_rev(const char *rev) {
    return rev != NULL && rev[0] == 'x';
}

static int rev_number(const char *rev) {
    return is_local_rev(rev) ? atoi(rev + 1) : atoi(rev);
}

static int run_cmd(const char *const argv[], struct sn_err *err) {
    SN_AUTOFREE char *out = NULL, *errout = NULL;
    int status = 0;
    int r = helper_run(argv, &out, &errout, &status, err);
    if (r == 0 && status != 0) {
        errout[strcspn(errout, "\n")] = '\0';
        r = sn_err_set(err, status == 1 && strstr(errout, "No space") ? -ENOSPC : -EIO,
                       "%s failed: %s", argv[0], errout[0] ? errout : "non-zero exit");
    }
    return r;
}

/* Wrapper names in snap/bin for each app: "snap" when app == snap, else "snap.app". */
static char *wrapper_name(const char *snap, const char *app) {
    return strcmp(snap, app) == 0 ? xstrdup(snap) : xasprintf("%s.%s", snap, app);
}

static int write_wrappers(struct daemon *d, const struct snap_meta *info, struct sn_err *err) {
    SN_AUTOFREE char *bindir = d_path(d, "/snap/bin");
    int r = sn_mkpath(bindir, 0755, err);
    if (r < 0) {
        return r;
    }
    /* the launcher itself: it takes the security tag from the link name */
    SN_AUTOFREE char *target = xasprintf("%s/snapc-confine", d->self_dir);
    for (size_t i = 0; i < info->napps; i++) {
        if (info->apps[i].daemon != NULL) {
            continue; /* services are started by the supervisor, not from snap/bin */
        }
        SN_AUTOFREE char *wn = wrapper_name(info->name, info->apps[i].name);
        SN_AUTOFREE char *link = xasprintf("%s/%s", bindir, wn);
        r = sn_symlink_atomic(target, link, err);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

static void remove_wrappers(struct daemon *d, const char *name) {
    SN_AUTOFREE char *bindir = d_path(d, "/snap/bin");
    SN_AUTOCLOSEDIR DIR *dir = opendir(bindir);
    if (dir == NULL) {
        return;
    }
    size_t nl = strlen(name);
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, name) == 0 ||
            (strncmp(de->d_name, name, nl) == 0 && de->d_name[nl] == '.')) {
            (void)unlinkat(dirfd(dir), de->d_name, 0);
        }
    }
}

/* snap/NAME/current and var/snap/NAME/current -> rev (or removed when rev is NULL) */
static int set_current_links(struct daemon *d, const char *name, const char *rev,
                             struct sn_err *err) {
    SN_AUTOFREE char *l1 = d_path(d, "/snap/%s/current", name);
    SN_AUTOFREE char *l2 = d_path(d, "/var/snap/%s/current", name);
    if (rev == NULL) {
        (void)unlink(l1);
        (void)unlink(l2);
        return 0;
    }
    int r = sn_symlink_atomic(rev, l1, err);
    return r < 0 ? r : sn_symlink_atomic(rev, l2, err);
}

/* ---- install tasks ---- */

static int do_prepare(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    if (js_str(s, "revision") != NULL) {
        return 0;
    }
    const char *name = js_str(s, "name");
    state_lock();
    struct json_object *snapst = state_snap(&d->state, name), *seq = NULL;
    int maxloc = (int)js_int(snapst, "last-local", 0);
    if (json_object_object_get_ex(snapst, "sequence", &seq)) {
        for (size_t i = 0; i < json_object_array_length(seq); i++) {
            const char *rv = js_str(json_object_array_get_idx(seq, i), "revision");
            if (is_local_rev(rv) && rev_number(rv) > maxloc) {
                maxloc = rev_number(rv);
            }
        }
    }
    const char *cur = js_str(snapst, "current");
    js_set_str(s, "prev-current", cur);
    char rev[32];
    (void)snprintf(rev, sizeof(rev), "x%d", maxloc + 1);
    state_unlock();
    js_set_str(s, "revision", rev);
    (void)d;
    (void)err;
    return 0;
}

static int do_copy(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *name = js_str(s, "name"), *rev = js_str(s, "revision");
    const char *src = js_str(s, "source");
    SN_AUTOFREE char *blob = d_blob_path(d, name, rev);
    SN_AUTOFREE char *dir = d_path(d, "/var/lib/snapd/snaps");
    int r = sn_mkpath(dir, 0755, err);
    if (r < 0) {
        return r;
    }
    if (js_bool(s, "upload")) {
        if (rename(src, blob) < 0 && !(errno == ENOENT && sn_path_exists(blob))) {
            return sn_err_set(err, -errno, "cannot move upload to '%s': %s", blob, strerror(errno));
        }
        r = sn_fsync_parent(blob, err);
    } else if (!sn_path_exists(blob)) {
        r = sn_copy_file_atomic(src, blob, 0600, err);
    }
    if (r < 0) {
        return r;
    }
    (void)chmod(blob, 0600);
    char digest[65];
    uint64_t size = 0;
    r = snap_file_digest(blob, false, digest, &size, err);
    if (r < 0) {
        (void)unlink(blob);
        return r;
    }
    js_set_str(s, "sha3-384", digest);
    json_object_object_add(s, "size", json_object_new_int64((int64_t)size));
    return 0;
}

static int undo_copy(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    SN_AUTOFREE char *blob = d_blob_path(d, js_str(s, "name"), js_str(s, "revision"));
    if (unlink(blob) < 0 && errno != ENOENT) {
        return sn_err_set(err, -errno, "cannot remove '%s': %s", blob, strerror(errno));
    }
    return 0;
}

/* Remove the mount point of name/rev and, when that leaves it empty, snap/NAME (a fresh
 * install): a failed mount leaves nothing behind. */
static void remove_mount_dir(struct daemon *d, const char *name, const char *dir) {
    (void)rmdir(dir);
    SN_AUTOFREE char *parent = d_path(d, "/snap/%s", name);
    (void)rmdir(parent);
}

static int do_mount(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *name = js_str(s, "name"), *rev = js_str(s, "revision");
    SN_AUTOFREE char *blob = d_blob_path(d, name, rev);
    SN_AUTOFREE char *dir = d_mount_dir(d, name, rev);
    int r = sn_mkpath(dir, 0755, err);
    if (r < 0) {
        return r;
    }
    r = snap_mount(blob, dir, js_bool(s, "nosuid"), err);
    if (r < 0) {
        remove_mount_dir(d, name, dir);
        return r;
    }
    /* the mounted tree must read back as the same snap (catches corrupt images) */
    struct snap_info *info = NULL;
    struct sn_err verr = SN_ERR_INIT;
    r = snap_load_dir(dir, &info, NULL, &verr);
    if (r == 0 && strcmp(info->name, name) != 0) {
        r = sn_err_set(&verr, -EINVAL, "mounted snap is named '%s', expected '%s'", info->name,
                       name);
    }
    snap_info_free(info);
    if (r < 0) {
        struct sn_err uerr = SN_ERR_INIT;
        SN_IGNORE(snap_unmount(dir, &uerr));
        remove_mount_dir(d, name, dir);
        return sn_err_set(err, r, "cannot use mounted snap: %s", verr.msg);
    }
    return 0;
}

static int undo_mount(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *name = js_str(s, "name"), *rev = js_str(s, "revision");
    SN_AUTOFREE char *dir = d_mount_dir(d, name, rev);
    state_lock();
    snap_cache_drop(name, rev);
    state_unlock();
    int r = snap_unmount(dir, err);
    if (r < 0) {
        return r;
    }
    remove_mount_dir(d, name, dir);
    return 0;
}

static int do_copy_data(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *name = js_str(s, "name"), *rev = js_str(s, "revision");
    const char *prev = js_str(s, "prev-current");
    SN_AUTOFREE char *dir = d_data_dir(d, name, rev);
    SN_AUTOFREE char *common = d_path(d, "/var/snap/%s/common", name);
    if (!sn_path_exists(common)) {
        int r = sn_mkpath(common, 0755, err);
        if (r < 0) {
            return r;
        }
        json_object_object_add(t->data, "created-common", json_object_new_boolean(1));
    }
    if (sn_path_exists(dir)) {
        return 0;
    }
    SN_AUTOFREE char *tmp = xasprintf("%s.partial", dir);
    struct sn_err ignore = SN_ERR_INIT;
    SN_IGNORE(sn_rm_rf(tmp, &ignore));
    SN_AUTOFREE char *prevdir = prev ? d_data_dir(d, name, prev) : NULL;
    int r;
    if (prevdir != NULL && sn_is_dir(prevdir)) {
        /* refresh: the new revision starts from a copy of the old one's data (snapd: cp -a) */
        const char *argv[] = {"cp", "-a", "--reflink=auto", prevdir, tmp, NULL};
        r = run_cmd(argv, err);
    } else {
        r = mkdir(tmp, 0755) < 0
                ? sn_err_set(err, -errno, "cannot create '%s': %s", tmp, strerror(errno))
                : 0;
    }
    if (r == 0 && rename(tmp, dir) < 0) {
        r = sn_err_set(err, -errno, "cannot rename '%s': %s", tmp, strerror(errno));
    }
    if (r < 0) {
        SN_IGNORE(sn_rm_rf(tmp, &ignore));
        return r;
    }
    return sn_fsync_parent(dir, err);
}

static int undo_copy_data(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *name = js_str(s, "name"), *rev = js_str(s, "revision");
    SN_AUTOFREE char *dir = d_data_dir(d, name, rev);
    int r = sn_rm_rf(dir, err);
    if (r < 0) {
        return r;
    }
    if (js_bool(t->data, "created-common")) {
        SN_AUTOFREE char *top = d_path(d, "/var/snap/%s", name);
        r = sn_rm_rf(top, err);
    }
    return r;
}

static int do_setup_profiles(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    return ifacemgr_setup_profiles(d, js_str(s, "name"), js_str(s, "revision"),
                                   js_bool(s, "devmode"), err);
}

static int undo_setup_profiles(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *prev = js_str(s, "prev-current");
    if (prev != NULL) {
        return ifacemgr_setup_profiles(d, js_str(s, "name"), prev, js_bool(s, "devmode"), err);
    }
    return ifacemgr_remove_profiles(d, js_str(s, "name"), err);
}

static int do_link(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *name = js_str(s, "name"), *rev = js_str(s, "revision");
    state_lock();
    const struct snap_meta *info = snap_cache_get(d, name, rev);
    int r = info == NULL
                ? sn_err_set(err, -EIO, "cannot read metadata of %s revision %s", name, rev)
                : set_current_links(d, name, rev, err);
    if (r == 0) {
        remove_wrappers(d, name);
        r = write_wrappers(d, info, err);
    }
    if (r < 0) {
        state_unlock();
        return r;
    }
    char now[40];
    state_now(now);
    struct json_object *snapst = state_snap(&d->state, name);
    if (snapst == NULL) {
        snapst = json_object_new_object();
        json_object_object_add(snapst, "sequence", json_object_new_array());
        js_set_str(snapst, "install-date", now);
        json_object_object_add(state_snaps(&d->state), name, snapst);
    }
    struct json_object *seq = NULL;
    json_object_object_get_ex(snapst, "sequence", &seq);
    bool have = false;
    for (size_t i = 0; i < json_object_array_length(seq); i++) {
        have = have || strcmp(js_str(json_object_array_get_idx(seq, i), "revision"), rev) == 0;
    }
    if (!have) {
        struct json_object *si = json_object_new_object();
        js_set_str(si, "name", name);
        js_set_str(si, "revision", rev);
        js_set_str(si, "version", info->version);
        js_set_str(si, "sha3-384", js_str(s, "sha3-384"));
        json_object_object_add(si, "size", json_object_new_int64(js_int(s, "size", 0)));
        js_set_str(si, "install-date", now);
        json_object_array_add(seq, si);
    }
    js_set_str(snapst, "type", info->type);
    js_set_str(snapst, "current", rev);
    json_object_object_add(snapst, "active", json_object_new_boolean(1));
    json_object_object_add(snapst, "devmode", json_object_new_boolean(js_bool(s, "devmode")));
    if (is_local_rev(rev) && rev_number(rev) > js_int(snapst, "last-local", 0)) {
        json_object_object_add(snapst, "last-local", json_object_new_int(rev_number(rev)));
    }
    state_unlock();
    return 0;
}

static int undo_link(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *name = js_str(s, "name"), *rev = js_str(s, "revision");
    const char *prev = js_str(s, "prev-current");
    state_lock();
    const struct snap_meta *pinfo = prev ? snap_cache_get(d, name, prev) : NULL;
    remove_wrappers(d, name);
    int r = set_current_links(d, name, prev, err);
    if (r == 0 && pinfo != NULL) {
        r = write_wrappers(d, pinfo, err);
    }
    if (r < 0) {
        state_unlock();
        return r;
    }
    struct json_object *snapst = state_snap(&d->state, name), *seq = NULL;
    if (snapst != NULL && json_object_object_get_ex(snapst, "sequence", &seq)) {
        for (size_t i = json_object_array_length(seq); i-- > 0;) {
            if (strcmp(js_str(json_object_array_get_idx(seq, i), "revision"), rev) == 0) {
                json_object_array_del_idx(seq, i, 1);
            }
        }
        if (prev == NULL || json_object_array_length(seq) == 0) {
            json_object_object_del(state_snaps(&d->state), name);
        } else {
            js_set_str(snapst, "current", prev);
        }
    }
    state_unlock();
    return 0;
}

static int do_start_services(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    (void)d;
    (void)t;
    (void)err;
    return 0; /* the services supervisor lands with the services issue */
}

/* ---- discarding revisions ----
 * A revision leaves the state before its files go, in one commit: it moves from the snap's
 * "sequence" to data "discarding" {NAME: [REV...]}. Then its mount, blob and data are removed
 * and it leaves "discarding". So the state never offers a revision whose files are half gone:
 * a crash in between leaves only files of a revision the state no longer lists, and the task,
 * rerun after the restart, finishes them first. No state pointer is kept across the unlocked
 * file work: every step looks the snap up again under the lock. */

static struct json_object *discarding_of(struct daemon *d, const char *name, bool create) {
    struct json_object *data = NULL, *all = NULL, *list = NULL;
    json_object_object_get_ex(d->state.root, "data", &data);
    if (!json_object_object_get_ex(data, "discarding", &all)) {
        if (!create) {
            return NULL;
        }
        all = json_object_new_object();
        json_object_object_add(data, "discarding", all);
    }
    if (!json_object_object_get_ex(all, name, &list) && create) {
        list = json_object_new_array();
        json_object_object_add(all, name, list);
    }
    return list;
}

/* Move rev out of the sequence into "discarding" and commit (state lock held). */
static int mark_discarding(struct daemon *d, const char *name, const char *rev,
                           struct sn_err *err) {
    struct json_object *snapst = state_snap(&d->state, name), *seq = NULL;
    if (snapst != NULL && json_object_object_get_ex(snapst, "sequence", &seq)) {
        for (size_t i = json_object_array_length(seq); i-- > 0;) {
            if (strcmp(js_str(json_object_array_get_idx(seq, i), "revision"), rev) == 0) {
                json_object_array_del_idx(seq, i, 1);
            }
        }
    }
    json_object_array_add(discarding_of(d, name, true), json_object_new_string(rev));
    snap_cache_drop(name, rev);
    int r = state_commit(&d->state, err);
    SN_FAULT_POINT("discard-revision", "committed");
    return r;
}

static int remove_revision_files(struct daemon *d, const char *name, const char *rev,
                                 struct sn_err *err) {
    SN_AUTOFREE char *dir = d_mount_dir(d, name, rev);
    SN_AUTOFREE char *blob = d_blob_path(d, name, rev);
    SN_AUTOFREE char *data = d_data_dir(d, name, rev);
    int r = snap_unmount(dir, err);
    if (r < 0) {
        return r;
    }
    (void)rmdir(dir);
    SN_FAULT_POINT("discard-revision", "unmounted");
    if (unlink(blob) < 0 && errno != ENOENT) {
        return sn_err_set(err, -errno, "cannot remove '%s': %s", blob, strerror(errno));
    }
    SN_FAULT_POINT("discard-revision", "unlinked");
    return sn_rm_rf(data, err);
}

/* Remove the files of every revision of name in "discarding", then forget them. */
static int finish_discarding(struct daemon *d, const char *name, struct sn_err *err) {
    for (;;) {
        state_lock();
        struct json_object *list = discarding_of(d, name, false);
        SN_AUTOFREE char *rev = list && json_object_array_length(list) > 0
                                    ? xstrdup(json_object_get_string(
                                          json_object_array_get_idx(list, 0)))
                                    : NULL;
        state_unlock();
        if (rev == NULL) {
            break;
        }
        int r = remove_revision_files(d, name, rev, err);
        if (r < 0) {
            return r;
        }
        state_lock();
        list = discarding_of(d, name, false);
        for (size_t i = list ? json_object_array_length(list) : 0; i-- > 0;) {
            if (strcmp(json_object_get_string(json_object_array_get_idx(list, i)), rev) == 0) {
                json_object_array_del_idx(list, i, 1);
            }
        }
        state_unlock();
    }
    state_lock();
    struct json_object *data = NULL, *all = NULL;
    json_object_object_get_ex(d->state.root, "data", &data);
    if (json_object_object_get_ex(data, "discarding", &all)) {
        json_object_object_del(all, name);
        if (json_object_object_length(all) == 0) {
            json_object_object_del(data, "discarding");
        }
    }
    state_unlock();
    return 0;
}

static int do_discard_old(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    const char *name = js_str(setup_of(t), "name");
    int r = finish_discarding(d, name, err); /* a rerun after a crash */
    while (r == 0) {
        state_lock();
        struct json_object *snapst = state_snap(&d->state, name), *seq = NULL;
        SN_AUTOFREE char *victim = NULL;
        if (snapst && json_object_object_get_ex(snapst, "sequence", &seq) &&
            (int)json_object_array_length(seq) > d->retain) {
            const char *cur = js_str(snapst, "current");
            for (size_t i = 0; i < json_object_array_length(seq) && victim == NULL; i++) {
                const char *rv = js_str(json_object_array_get_idx(seq, i), "revision");
                if (cur == NULL || strcmp(rv, cur) != 0) {
                    victim = xstrdup(rv);
                }
            }
        }
        r = victim ? mark_discarding(d, name, victim, err) : 0;
        state_unlock();
        if (victim == NULL || r < 0) {
            break;
        }
        r = finish_discarding(d, name, err);
    }
    return r;
}

/* ---- remove tasks ---- */

static const char *setup_name(struct task_ctx *t) {
    return js_str(setup_of(t), "name");
}

static int do_remove_profiles(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    return ifacemgr_remove_profiles(d, setup_name(t), err);
}

static int undo_remove_profiles(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    return ifacemgr_setup_profiles(d, js_str(s, "name"), js_str(s, "revision"),
                                   js_bool(s, "devmode"), err);
}

static int do_unlink(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    const char *name = setup_name(t);
    remove_wrappers(d, name);
    int r = set_current_links(d, name, NULL, err);
    if (r < 0) {
        return r;
    }
    state_lock();
    struct json_object *snapst = state_snap(&d->state, name);
    if (snapst) {
        json_object_object_add(snapst, "active", json_object_new_boolean(0));
    }
    state_unlock();
    return 0;
}

static int undo_unlink(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    struct json_object *s = setup_of(t);
    const char *name = js_str(s, "name"), *rev = js_str(s, "revision");
    state_lock();
    const struct snap_meta *info = snap_cache_get(d, name, rev);
    int r = set_current_links(d, name, rev, err);
    if (r == 0 && info != NULL) {
        r = write_wrappers(d, info, err);
    }
    if (r < 0) {
        state_unlock();
        return r;
    }
    struct json_object *snapst = state_snap(&d->state, name);
    if (snapst) {
        json_object_object_add(snapst, "active", json_object_new_boolean(1));
    }
    state_unlock();
    return 0;
}

/* The last task of a remove: every revision leaves the state (one commit, the snap with them),
 * then the files go. */
static int do_discard_snap(struct daemon *d, struct task_ctx *t, struct sn_err *err) {
    const char *name = setup_name(t);
    state_lock();
    struct json_object *snapst = state_snap(&d->state, name), *seq = NULL;
    int r = 0;
    if (snapst != NULL) {
        if (json_object_object_get_ex(snapst, "sequence", &seq)) {
            struct json_object *list = discarding_of(d, name, true);
            for (size_t i = 0; i < json_object_array_length(seq); i++) {
                const char *rv = js_str(json_object_array_get_idx(seq, i), "revision");
                json_object_array_add(list, json_object_new_string(rv));
            }
        }
        snap_cache_drop(name, NULL);
        json_object_object_del(state_snaps(&d->state), name);
        r = state_commit(&d->state, err);
        SN_FAULT_POINT("discard-revision", "committed");
    }
    state_unlock();
    if (r == 0) {
        r = finish_discarding(d, name, err);
    }
    if (r < 0) {
        return r;
    }
    SN_AUTOFREE char *mnt = d_path(d, "/snap/%s", name);
    SN_AUTOFREE char *data = d_path(d, "/var/snap/%s", name);
    (void)set_current_links(d, name, NULL, err);
    (void)rmdir(mnt);
    return sn_rm_rf(data, err);
}

const struct task_kind snapmgr_task_kinds[] = {
    {"prepare-snap", do_prepare, NULL},
    {"copy-snap", do_copy, undo_copy},
    {"mount-snap", do_mount, undo_mount},
    {"copy-snap-data", do_copy_data, undo_copy_data},
    {"setup-profiles", do_setup_profiles, undo_setup_profiles},
    {"link-snap", do_link, undo_link},
    {"start-snap-services", do_start_services, NULL},
    {"discard-old-revisions", do_discard_old, NULL},
    {"stop-snap-services", do_start_services, NULL},
    {"remove-profiles", do_remove_profiles, undo_remove_profiles},
    {"unlink-snap", do_unlink, undo_unlink},
    {"discard-snap", do_discard_snap, NULL},
    {NULL, NULL, NULL},
};

/* ---- change creation (API side) ---- */

/* A task of a change that may carry several snaps: its "snap" names the setup it works on. */
static struct json_object *add_task(struct daemon *d, const char *cid, const char *kind,
                                    const char *fmt, const char *name) {
    char summary[256];
    (void)snprintf(summary, sizeof(summary), fmt, name);
    struct json_object *t = state_add_task(&d->state, cid, kind, summary);
    js_set_str(task_data(t), "snap", name);
    return t;
}

static struct json_object *change_data(struct daemon *d, const char *cid) {
    struct json_object *chg = state_change(&d->state, cid), *data = NULL;
    json_object_object_get_ex(chg, "data", &data);
    return data;
}

/* The change's "snap-names" (and "snap-name" when there is one), "snap-setups". */
static void add_change_setup(struct daemon *d, const char *cid, const char *name,
                             struct json_object *setup) {
    struct json_object *data = change_data(d, cid), *names = NULL, *setups = NULL;
    if (!json_object_object_get_ex(data, "snap-names", &names)) {
        names = json_object_new_array();
        json_object_object_add(data, "snap-names", names);
        json_object_object_add(data, "snap-name", json_object_new_string(name));
    } else {
        json_object_object_del(data, "snap-name"); /* several snaps: no single name */
    }
    json_object_array_add(names, json_object_new_string(name));
    if (!json_object_object_get_ex(data, "snap-setups", &setups)) {
        setups = json_object_new_object();
        json_object_object_add(data, "snap-setups", setups);
    }
    json_object_object_add(setups, name, setup);
}

/* "a", "b" and "c" */
static void quoted_list(char *out, size_t size, char *const *names, size_t n) {
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        /* snapd's strutil.Quoted: "a", "b" */
        int w = snprintf(out + used, size - used, "%s\"%s\"", i == 0 ? "" : ", ", names[i]);
        used += w > 0 ? (size_t)w : 0;
    }
}

struct install_one {
    struct json_object *meta; /* snapc info --json of the file */
    const struct install_req *req;
};

static int check_one(struct daemon *d, const struct install_req *req, struct json_object **meta,
                     struct sn_err *err) {
    /* read and validate meta/snap.yaml without mounting, in a helper (libsquashfs) */
    struct sn_err lerr = SN_ERR_INIT;
    if (helper_read_snap_meta(d, req->path, meta, &lerr) < 0) {
        return sn_err_setk(err, -EINVAL, "", "cannot read snap file: %s", lerr.msg);
    }
    const char *name = js_str(*meta, "name");
    const char *type = js_str(*meta, "type");
    const char *confinement = js_str(*meta, "confinement");
    if (name == NULL || type == NULL || confinement == NULL) {
        return sn_err_setk(err, -EINVAL, "", "cannot read snap file: incomplete metadata");
    }
    /* as snapd: without assertions, --devmode implies --dangerous */
    if (!req->dangerous && !req->devmode) {
        return sn_err_setk(err, -EPERM, "",
                           "cannot find signatures with metadata for snap \"%s\" (use --dangerous "
                           "to install an unsigned local file)",
                           name);
    }
    if (strcmp(confinement, "classic") == 0) {
        /* snapd's answer on a device that is not a classic system (Ubuntu Core) */
        return sn_err_setk(err, -EPERM, "snap-needs-classic-system",
                           "snap \"%s\" requires classic confinement which is only available "
                           "on classic systems",
                           name);
    }
    if (strcmp(confinement, "devmode") == 0 && !req->devmode) {
        return sn_err_setk(err, -EPERM, "snap-needs-devmode",
                           "snap \"%s\" requires devmode or confinement override", name);
    }
    return 0;
}

/* State checks and the tasks of one snap (state lock held). */
static int plan_install(struct daemon *d, const char *cid, const struct install_one *one,
                        struct sn_err *err) {
    const char *name = js_str(one->meta, "name"), *type = js_str(one->meta, "type");
    struct json_object *snapst = state_snap(&d->state, name);
    const char *have_type = js_str(snapst, "type");
    if (have_type != NULL && strcmp(have_type, type) != 0) {
        return sn_err_setk(err, -EEXIST, "",
                           "cannot install \"%s\": a snap of type \"%s\" with that name is "
                           "already installed (this one is of type \"%s\")",
                           name, have_type, type);
    }
    struct json_object *setup = json_object_new_object();
    js_set_str(setup, "name", name);
    js_set_str(setup, "type", type);
    js_set_str(setup, "source", one->req->path);
    json_object_object_add(setup, "upload", json_object_new_boolean(one->req->is_upload));
    json_object_object_add(setup, "devmode", json_object_new_boolean(one->req->devmode));
    /* app snaps are mounted nosuid; bases, kernels, gadgets and snapd may carry setuid files */
    json_object_object_add(setup, "nosuid", json_object_new_boolean(strcmp(type, "app") == 0));
    add_change_setup(d, cid, name, setup);
    struct json_object *prep = add_task(d, cid, "prepare-snap", "Prepare snap \"%s\"", name);
    /* a missing base does not stop the install (it may come next), but say so where users look */
    const char *base = js_str(one->meta, "base");
    if (strcmp(type, "app") == 0 && base != NULL && strcmp(base, "none") != 0 &&
        strcmp(base, "bare") != 0 && state_snap(&d->state, base) == NULL) {
        task_log(prep, "WARNING",
                 "base snap \"%s\" is not installed: the apps of \"%s\" cannot run until it is",
                 base, name);
    }
    /* a base that lacks what the launcher's mount plan needs and cannot make (read from the
     * image by `snapc info`; docs/mount-plan.md, "A minimal base"): installs, but say so */
    struct json_object *lacks = NULL;
    if (json_object_object_get_ex(one->meta, "base-lacks", &lacks) &&
        json_object_is_type(lacks, json_type_array) && json_object_array_length(lacks) > 0) {
        SN_AUTOSTRBUF struct sn_strbuf list = SN_STRBUF_INIT;
        for (size_t i = 0; i < json_object_array_length(lacks); i++) {
            sn_strbuf_addf(&list, "%s%s", i ? " " : "",
                           json_object_get_string(json_object_array_get_idx(lacks, i)));
        }
        task_log(prep, "WARNING",
                 "base snap \"%s\" lacks %s, which snapc-confine cannot provide: apps using it "
                 "will not run (see docs/mount-plan.md, \"A minimal base\")",
                 name, list.buf);
    }
    add_task(d, cid, "copy-snap", "Copy snap \"%s\" into place", name);
    add_task(d, cid, "mount-snap", "Mount snap \"%s\"", name);
    add_task(d, cid, "copy-snap-data", "Copy snap \"%s\" data", name);
    add_task(d, cid, "auto-connect",
             "Automatically connect eligible plugs and slots of snap \"%s\"", name);
    add_task(d, cid, "setup-profiles", "Setup snap \"%s\" security profiles", name);
    add_task(d, cid, "link-snap", "Make snap \"%s\" available to the system", name);
    add_task(d, cid, "start-snap-services", "Start snap \"%s\" services", name);
    if (snapst != NULL) {
        add_task(d, cid, "discard-old-revisions", "Clean up old revisions of snap \"%s\"", name);
    }
    if (one->req->is_upload) {
        struct json_object *data = change_data(d, cid), *paths = NULL;
        if (!json_object_object_get_ex(data, "cleanup-paths", &paths)) {
            paths = json_object_new_array();
            json_object_object_add(data, "cleanup-paths", paths);
        }
        json_object_array_add(paths, json_object_new_string(one->req->path));
    }
    return 0;
}

int snapmgr_install_many(struct daemon *d, const struct install_req *reqs, size_t n,
                         char **change_id, struct sn_err *err) {
    if (n == 0 || n > 64) {
        return sn_err_set(err, -EINVAL, "cannot install %zu snaps in one change", n);
    }
    struct install_one *ones = xcalloc(n, sizeof(*ones));
    SN_AUTOSTRV char **names = xcalloc(n + 1, sizeof(char *));
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++) {
        ones[i].req = &reqs[i];
        r = check_one(d, &reqs[i], &ones[i].meta, err);
        if (r == 0) {
            names[i] = xstrdup(js_str(ones[i].meta, "name"));
            for (size_t k = 0; k < i; k++) {
                if (strcmp(names[k], names[i]) == 0) {
                    r = sn_err_set(err, -EINVAL, "cannot install snap \"%s\" twice in one change",
                                   names[i]);
                }
            }
        }
    }
    if (r == 0) {
        state_lock();
        for (size_t i = 0; i < n && r == 0; i++) {
            r = state_check_conflict(&d->state, names[i], err);
        }
        if (r == 0) {
            char summary[512];
            if (n == 1) {
                const char *shown = reqs[0].display_name ? reqs[0].display_name : reqs[0].path;
                const char *base_name = strrchr(shown, '/') ? strrchr(shown, '/') + 1 : shown;
                (void)snprintf(summary, sizeof(summary), "Install \"%s\" snap from file \"%s\"",
                               names[0], base_name);
            } else {
                /* snapd: Install snaps "a", "b" from files "a_1.snap", "b_1.snap" */
                char list[200], files[300];
                SN_AUTOSTRV char **bases = xcalloc(n + 1, sizeof(char *));
                for (size_t i = 0; i < n; i++) {
                    const char *shown = reqs[i].display_name ? reqs[i].display_name : reqs[i].path;
                    bases[i] = xstrdup(strrchr(shown, '/') ? strrchr(shown, '/') + 1 : shown);
                }
                quoted_list(list, sizeof(list), names, n);
                quoted_list(files, sizeof(files), bases, n);
                (void)snprintf(summary, sizeof(summary), "Install snaps %s from files %s", list,
                               files);
            }
            /* snapd names every install from a file "install-snap", a new revision of an
             * installed snap too (daemon/api_sideload_n_try.go): scripts wait on it with
             * `snap watch --last=install` */
            const char *cid = state_new_change(&d->state, "install-snap", summary);
            for (size_t i = 0; i < n && r == 0; i++) {
                r = plan_install(d, cid, &ones[i], err);
            }
            if (r < 0) {
                /* a type clash in the second snap: drop the half-built change */
                struct json_object *chg = state_change(&d->state, cid), *ids = NULL;
                json_object_object_get_ex(chg, "task-ids", &ids);
                for (size_t k = 0; k < json_object_array_length(ids); k++) {
                    json_object_object_del(
                        state_tasks(&d->state),
                        json_object_get_string(json_object_array_get_idx(ids, k)));
                }
                SN_AUTOFREE char *id = xstrdup(cid);
                json_object_object_del(state_changes(&d->state), id);
            } else {
                *change_id = xstrdup(cid);
                r = state_commit(&d->state, err);
            }
        }
        state_unlock();
    }
    for (size_t i = 0; i < n; i++) {
        if (ones[i].meta) {
            json_object_put(ones[i].meta);
        }
    }
    free(ones);
    if (r == 0) {
        engine_wake();
    }
    return r;
}

int snapmgr_install(struct daemon *d, const struct install_req *req, char **change_id,
                    char **snap_name, struct sn_err *err) {
    int r = snapmgr_install_many(d, req, 1, change_id, err);
    if (r == 0 && snap_name != NULL) {
        state_lock();
        struct json_object *data = change_data(d, *change_id);
        *snap_name = js_str(data, "snap-name") ? xstrdup(js_str(data, "snap-name")) : NULL;
        state_unlock();
    }
    return r;
}

static int check_remove(struct daemon *d, const char *name, struct sn_err *err) {
    struct json_object *snapst = state_snap(&d->state, name);
    if (snapst == NULL) {
        return sn_err_setk(err, -ENOENT, "snap-not-installed", "snap \"%s\" is not installed",
                           name);
    }
    return state_check_conflict(&d->state, name, err);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Does any revision of snap `name` (state entry snapst) have `base` as its base? */
static bool uses_base(struct daemon *d, const char *name, struct json_object *snapst,
                      const char *base) {
    struct json_object *seq = NULL;
    json_object_object_get_ex(snapst, "sequence", &seq);
    for (size_t i = 0; seq && i < json_object_array_length(seq); i++) {
        const char *rev = js_str(json_object_array_get_idx(seq, i), "revision");
        const struct snap_meta *m = rev ? snap_cache_get(d, name, rev) : NULL;
        if (m && m->base && strcmp(m->base, base) == 0) {
            return true;
        }
    }
    return false;
}

/* snapd's base policy: a base cannot be removed while an app or gadget snap has a revision
 * that uses it, unless that snap goes in the same change (an addition: snapd 2.57 refuses
 * that too). The message is snapd's, prefixed as its API does: 'cannot remove "b": snap "b"
 * is not removable: snap is being used by snap a.' State lock held. */
static int check_base_unused(struct daemon *d, const char *base, char *const *names, size_t n,
                             struct sn_err *err) {
    const char *users[6];
    size_t nusers = 0, total = 0;
    json_object_object_foreach(state_snaps(&d->state), other, ost) {
        const char *type = js_str(ost, "type");
        if (type != NULL && strcmp(type, "app") != 0 && strcmp(type, "gadget") != 0) {
            continue;
        }
        bool leaving = false;
        for (size_t k = 0; k < n; k++) {
            leaving = leaving || strcmp(other, names[k]) == 0;
        }
        if (leaving || !uses_base(d, other, ost, base)) {
            continue;
        }
        /* keep the alphabetically first six: snapd names five and counts the rest */
        if (nusers < 6) {
            users[nusers++] = other;
        } else if (strcmp(other, users[5]) < 0) {
            users[5] = other;
        }
        qsort(users, nusers, sizeof(users[0]), cmp_str);
        total++;
    }
    if (total == 0) {
        return 0;
    }
    char by[400];
    if (total == 1) {
        (void)snprintf(by, sizeof(by), "snap %s", users[0]);
    } else {
        size_t named = total <= 5 ? total - 1 : 5;
        size_t used = (size_t)snprintf(by, sizeof(by), "snaps ");
        for (size_t i = 0; i < named && used < sizeof(by); i++) {
            int w = snprintf(by + used, sizeof(by) - used, "%s%s", i ? ", " : "", users[i]);
            used += w > 0 ? (size_t)w : 0;
        }
        if (used < sizeof(by) && total <= 5) {
            (void)snprintf(by + used, sizeof(by) - used, " and %s", users[total - 1]);
        } else if (used < sizeof(by)) {
            (void)snprintf(by + used, sizeof(by) - used, " and %zu more", total - 5);
        }
    }
    char asked[300];
    quoted_list(asked, sizeof(asked), names, n);
    return sn_err_setk(err, -EBUSY, "snap-not-removable",
                       "cannot remove %s: snap \"%s\" is not removable: snap is being used by "
                       "%s.",
                       asked, base, by);
}

int snapmgr_remove_many(struct daemon *d, char *const *names, size_t n, bool purge,
                        char **change_id, struct sn_err *err) {
    (void)purge; /* snapshots land with the snapshots issue: nothing is kept either way */
    if (n == 0 || n > 64) {
        return sn_err_set(err, -EINVAL, "cannot remove %zu snaps in one change", n);
    }
    state_lock();
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++) {
        r = check_remove(d, names[i], err);
    }
    /* a base still used by an installed snap that stays cannot go */
    for (size_t i = 0; i < n && r == 0; i++) {
        r = check_base_unused(d, names[i], names, n, err);
    }
    if (r < 0) {
        state_unlock();
        return r;
    }
    char summary[512];
    if (n == 1) {
        (void)snprintf(summary, sizeof(summary), "Remove \"%s\" snap", names[0]);
    } else {
        char list[400];
        quoted_list(list, sizeof(list), names, n);
        (void)snprintf(summary, sizeof(summary), "Remove snaps %s", list);
    }
    const char *cid = state_new_change(&d->state, "remove-snap", summary);
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i];
        struct json_object *snapst = state_snap(&d->state, name);
        struct json_object *setup = json_object_new_object();
        js_set_str(setup, "name", name);
        js_set_str(setup, "revision", js_str(snapst, "current"));
        js_set_str(setup, "type", js_str(snapst, "type"));
        add_change_setup(d, cid, name, setup);
        add_task(d, cid, "stop-snap-services", "Stop snap \"%s\" services", name);
        add_task(d, cid, "disconnect-snap", "Disconnect interfaces of snap \"%s\"", name);
        add_task(d, cid, "remove-profiles", "Remove security profiles of snap \"%s\"", name);
        add_task(d, cid, "unlink-snap", "Make snap \"%s\" unavailable to the system", name);
        add_task(d, cid, "discard-snap", "Remove snap \"%s\" from the system", name);
    }
    *change_id = xstrdup(cid);
    r = state_commit(&d->state, err);
    state_unlock();
    if (r == 0) {
        engine_wake();
    }
    return r;
}

int snapmgr_remove(struct daemon *d, const char *name, bool purge, char **change_id,
                   struct sn_err *err) {
    char *names[] = {(char *)name, NULL};
    return snapmgr_remove_many(d, names, 1, purge, change_id, err);
}

/* ---- boot path ---- */

struct expect {
    char **keys; /* "name/rev" */
    size_t n;
};

static void expect_add(struct expect *e, const char *name, const char *rev) {
    e->keys = xrealloc(e->keys, (e->n + 1) * sizeof(char *));
    e->keys[e->n++] = xasprintf("%s/%s", name, rev);
}

static bool expect_has(const struct expect *e, const char *key) {
    for (size_t i = 0; i < e->n; i++) {
        if (strcmp(e->keys[i], key) == 0) {
            return true;
        }
    }
    return false;
}

struct stale_ctx {
    struct daemon *d;
    const struct expect *e;
    size_t prefix_len;
    char **victims;
    size_t nvictims;
};

static void stale_cb(const char *mnt, void *data) {
    struct stale_ctx *c = data;
    const char *rel = mnt + c->prefix_len; /* "/name/rev" */
    if (rel[0] != '/' || strchr(rel + 1, '/') == NULL || strchr(strchr(rel + 1, '/') + 1, '/')) {
        return;
    }
    if (!expect_has(c->e, rel + 1)) {
        c->victims = xrealloc(c->victims, (c->nvictims + 1) * sizeof(char *));
        c->victims[c->nvictims++] = xstrdup(mnt);
    }
}

/* Boot-time mounts run on a few threads: each costs ~2 ms of kernel work (loop device setup,
 * squashfs superblock read) that overlaps well. */
struct mount_job {
    char *blob, *dir, *what;
    bool nosuid;
};

struct mount_pool {
    struct mount_job *jobs;
    size_t n, next;
    int failures;
    pthread_mutex_t mu;
};

static void *mount_worker(void *arg) {
    struct mount_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n) {
            return NULL;
        }
        struct mount_job *j = &p->jobs[i];
        struct sn_err merr = SN_ERR_INIT;
        if (sn_mkpath(j->dir, 0755, &merr) < 0 ||
            snap_mount(j->blob, j->dir, j->nosuid, &merr) < 0) {
            log_error("cannot mount %s: %s", j->what, merr.msg);
            pthread_mutex_lock(&p->mu);
            p->failures++;
            pthread_mutex_unlock(&p->mu);
        }
    }
}

static int mount_all(struct mount_pool *p) {
    enum { MAX_WORKERS = 4 };
    pthread_t th[MAX_WORKERS];
    size_t nth = p->n < 8 ? 1 : MAX_WORKERS;
    size_t started = 0;
    for (size_t i = 1; i < nth; i++) {
        if (pthread_create(&th[started], NULL, mount_worker, p) == 0) {
            started++;
        }
    }
    (void)mount_worker(p);
    for (size_t i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
    }
    for (size_t i = 0; i < p->n; i++) {
        free(p->jobs[i].blob);
        free(p->jobs[i].dir);
        free(p->jobs[i].what);
    }
    free(p->jobs);
    return p->failures;
}

struct pending_ctx {
    struct expect *e;
    char ***uploads;
    size_t *nup;
};

/* a setup of an unfinished change: its revision and upload belong to that change */
static void note_pending(struct json_object *setup, void *ctx) {
    struct pending_ctx *pc = ctx;
    if (js_str(setup, "revision")) {
        expect_add(pc->e, js_str(setup, "name"), js_str(setup, "revision"));
    }
    if (js_bool(setup, "upload") && js_str(setup, "source")) {
        *pc->uploads = xrealloc(*pc->uploads, (*pc->nup + 2) * sizeof(char *));
        (*pc->uploads)[(*pc->nup)++] = xstrdup(js_str(setup, "source"));
        (*pc->uploads)[*pc->nup] = NULL;
    }
}

int snapmgr_startup(struct daemon *d, struct sn_err *err) {
    struct expect e = {0};
    SN_AUTOSTRV char **uploads = xcalloc(1, sizeof(char *));
    size_t nup = 0;
    struct mount_pool pool = {.mu = PTHREAD_MUTEX_INITIALIZER};
    state_lock();
    json_object_object_foreach(state_snaps(&d->state), name, snapst) {
        struct json_object *seq = NULL;
        json_object_object_get_ex(snapst, "sequence", &seq);
        const char *type = js_str(snapst, "type");
        for (size_t i = 0; i < json_object_array_length(seq); i++) {
            const char *rev = js_str(json_object_array_get_idx(seq, i), "revision");
            expect_add(&e, name, rev);
            pool.jobs = xrealloc(pool.jobs, (pool.n + 1) * sizeof(*pool.jobs));
            pool.jobs[pool.n++] = (struct mount_job){
                d_blob_path(d, name, rev), d_mount_dir(d, name, rev),
                xasprintf("%s revision %s", name, rev), type == NULL || strcmp(type, "app") == 0};
        }
    }
    /* revisions that unfinished changes are installing stay for the change to finish or undo */
    json_object_object_foreach(state_changes(&d->state), cid, chg) {
        (void)cid;
        bool ready = false;
        (void)change_status(&d->state, chg, &ready);
        struct json_object *data = NULL;
        json_object_object_get_ex(chg, "data", &data);
        if (!ready) {
            struct pending_ctx pc = {&e, &uploads, &nup};
            change_setups_foreach(data, note_pending, &pc);
        }
    }
    state_unlock();
    int failures = mount_all(&pool);
    /* load the metadata cache now, before requests start churning the heap: long-lived
     * blocks allocated early stay packed at the bottom and trimming can release the rest */
    state_lock();
    json_object_object_foreach(state_snaps(&d->state), cname, cst) {
        if (js_str(cst, "current") != NULL) {
            (void)snap_cache_get(d, cname, js_str(cst, "current"));
        }
    }
    state_unlock();
    malloc_trim(0);

    SN_AUTOFREE char *snapdir = d_path(d, "/snap");
    char real[4096];
    if (realpath(snapdir, real) != NULL) {
        struct stale_ctx c = {.d = d, .e = &e, .prefix_len = strlen(real)};
        (void)snap_mounts_under(real, stale_cb, &c);
        for (size_t i = 0; i < c.nvictims; i++) {
            struct sn_err uerr = SN_ERR_INIT;
            log_info("removing stale mount %s", c.victims[i]);
            if (snap_unmount(c.victims[i], &uerr) == 0) {
                (void)rmdir(c.victims[i]);
            }
            free(c.victims[i]);
        }
        free(c.victims);
    }
    /* uploads that no change owns: the daemon died while receiving them */
    SN_AUTOFREE char *snaps = d_path(d, "/var/lib/snapd/snaps");
    SN_AUTOCLOSEDIR DIR *dir = opendir(snaps);
    struct dirent *de;
    while (dir != NULL && (de = readdir(dir)) != NULL) {
        if (strncmp(de->d_name, ".upload-", 8) != 0 && strstr(de->d_name, ".snap.") == NULL) {
            continue;
        }
        SN_AUTOFREE char *p = xasprintf("%s/%s", snaps, de->d_name);
        bool owned = false;
        for (size_t i = 0; i < nup; i++) {
            owned = owned || strcmp(uploads[i], p) == 0;
        }
        if (!owned) {
            log_info("removing stale partial file %s", p);
            (void)unlink(p);
        }
    }
    for (size_t i = 0; i < e.n; i++) {
        free(e.keys[i]);
    }
    free(e.keys);
    if (failures) {
        return sn_err_set(err, -EIO, "%d snap revision(s) could not be mounted", failures);
    }
    return 0;
}
