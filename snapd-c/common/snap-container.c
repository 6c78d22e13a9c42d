/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "snap-container.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "hash.h"
#include "strbuf.h"
#include "xalloc.h"
#include "banned.h"

static char **list_dir_names(const char *dir) {
    char **v = xcalloc(1, sizeof(char *));
    size_t n = 0;
    SN_AUTOCLOSEDIR DIR *d = opendir(dir);
    if (d == NULL) {
        return v;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        v = xrealloc(v, (n + 2) * sizeof(*v));
        v[n++] = xstrdup(de->d_name);
        v[n] = NULL;
    }
    return v;
}

int snap_load_dir(const char *dir, struct snap_info **out, struct snap_problems *probs,
                  struct sn_err *err) {
    SN_AUTOFREE char *meta = xasprintf("%s/meta", dir);
    if (!sn_is_dir(dir)) {
        int r = sn_err_set(err, -ENOENT, "'%s': not a directory", dir);
        if (probs) {
            snap_problems_add(probs, "%s", err ? err->msg : "not a directory");
        }
        return r;
    }
    SN_AUTOFREE char *yaml_path = xasprintf("%s/meta/snap.yaml", dir);
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    struct sn_err rerr = SN_ERR_INIT;
    int r = sn_read_file(yaml_path, SNAP_YAML_MAX_SIZE, &data, &len, &rerr);
    if (r < 0) {
        if (r == -ENOENT) {
            sn_err_set(&rerr, r, "%s: cannot find snap.yaml: %s", yaml_path,
                       sn_is_dir(meta) ? "no such file" : "there is no meta/ directory");
        } else if (r == -EFBIG) {
            sn_err_set(&rerr, r, "%s: file is larger than the 1 MiB limit", yaml_path);
        }
        if (probs) {
            snap_problems_add(probs, "%s", rerr.msg);
        }
        return sn_err_set(err, r, "%s", rerr.msg);
    }
    struct snap_info *info = NULL;
    r = snap_yaml_parse(data, len, yaml_path, &info, probs, err);
    if (r < 0) {
        return r;
    }
    SN_AUTOFREE char *hooks_dir = xasprintf("%s/meta/hooks", dir);
    SN_AUTOSTRV char **hooks = list_dir_names(hooks_dir);
    snap_info_add_implicit_hooks(info, hooks);
    *out = info;
    return 0;
}

int snap_load_file(const char *path, struct snap_info **out, struct snap_image *img,
                   struct snap_problems *probs, struct sn_err *err) {
    struct snap_image local;
    struct snap_image *im = img ? img : &local;
    struct sn_err rerr = SN_ERR_INIT;
    int r = snap_image_read(path, im, &rerr);
    if (r < 0) {
        if (probs) {
            snap_problems_add(probs, "%s", rerr.msg);
        }
        return sn_err_set(err, r, "%s", rerr.msg);
    }
    SN_AUTOFREE char *fname = xasprintf("%s:meta/snap.yaml", path);
    struct snap_info *info = NULL;
    r = snap_yaml_parse(im->snap_yaml, im->snap_yaml_len, fname, &info, probs, err);
    if (r == 0) {
        snap_info_add_implicit_hooks(info, im->hooks);
        *out = info;
    }
    if (im == &local || r < 0) {
        snap_image_release(im);
    }
    return r;
}

/* ---- pack-time tree checks (snapd 2.57 snap/container.go ValidateContainer) ----
 *
 * Like snapd: the paths leading to each app's command (and a service's stop/reload/post-stop
 * commands) must exist; for user-run commands every component must be r-x for everyone, for
 * services the file must be executable; everything under meta/ must be world-readable (dirs
 * r-x), hooks executable. Beyond snapd (the issue asks for it): no device nodes, fifos or
 * sockets anywhere, and no relative symlink that climbs out of the snap. Absolute symlinks are
 * allowed: inside the sandbox they resolve against the base snap, not the host.
 */

enum need_bits { NEED_RX = 1, NEED_X = 2, NEED_R = 4, NEED_F = 8, NEED_DESCEND = 16 };

struct need {
    char *path; /* relative, cleaned */
    int bits;
    bool seen;
};

struct checker {
    const char *dir;
    const struct snap_info *info;
    struct snap_problems *probs;
    size_t nprobs;
    bool missing, badmode;
    char first[SN_ERR_MSG_MAX];
    struct need *needs;
    size_t nneeds;
};

static void cproblem(struct checker *c, const char *fmt, ...) SN_FMT(2, 3);

static void cproblem(struct checker *c, const char *fmt, ...) {
    char msg[SN_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (c->nprobs++ == 0) {
        (void)snprintf(c->first, sizeof(c->first), "%s", msg);
    }
    if (c->probs) {
        snap_problems_add(c->probs, "%s", msg);
    }
}

/* snapd's normPath: Clean, strip leading '/', drop "../" escapes, cut at the first space. */
static char *norm_path(const char *cmd) {
    if (cmd == NULL || cmd[0] == '\0') {
        return xstrdup("");
    }
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    bool abs = cmd[0] == '/';
    SN_AUTOFREE char *copy = xstrdup(cmd);
    char *save = NULL;
    int depth = 0;
    bool escaped = false;
    for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0) {
            continue;
        }
        if (strcmp(tok, "..") == 0) {
            if (depth > 0) {
                char *slash = strrchr(sb.buf, '/');
                size_t keep = slash ? (size_t)(slash - sb.buf) : 0;
                sb.len = keep;
                sb.buf[keep] = '\0';
                depth--;
            } else if (!abs) {
                escaped = true;
                break;
            }
            continue;
        }
        if (sb.len) {
            sn_strbuf_addch(&sb, '/');
        }
        sn_strbuf_addstr(&sb, tok);
        depth++;
    }
    if (escaped) {
        return xstrdup("");
    }
    char *space = strchr(sb.buf, ' ');
    if (space != NULL) {
        *space = '\0';
        sb.len = (size_t)(space - sb.buf);
    }
    return sn_strbuf_detach(&sb, NULL);
}

static struct need *need_get(struct checker *c, const char *path) {
    for (size_t i = 0; i < c->nneeds; i++) {
        if (strcmp(c->needs[i].path, path) == 0) {
            return &c->needs[i];
        }
    }
    c->needs = xrealloc(c->needs, (c->nneeds + 1) * sizeof(*c->needs));
    c->needs[c->nneeds] = (struct need){xstrdup(path), 0, false};
    return &c->needs[c->nneeds++];
}

static int need_bits(struct checker *c, const char *path) {
    for (size_t i = 0; i < c->nneeds; i++) {
        if (strcmp(c->needs[i].path, path) == 0) {
            return c->needs[i].bits;
        }
    }
    return 0;
}

static void add_command(struct checker *c, const char *cmd, bool service) {
    SN_AUTOFREE char *p = norm_path(cmd);
    if (p[0] == '\0') {
        return;
    }
    need_get(c, p)->bits |= NEED_F | (service ? NEED_X : 0);
    /* the path and its parents: r-x for users, or just walked into for services */
    for (char *slash = p + strlen(p);;) {
        need_get(c, p)->bits |= service ? NEED_DESCEND : NEED_RX;
        slash = strrchr(p, '/');
        if (slash == NULL) {
            break;
        }
        *slash = '\0';
    }
}

/* Is a relative symlink at rel climbing out of the tree? */
static bool symlink_escapes(const char *rel, const char *target) {
    if (target[0] == '/') {
        return false;
    }
    int depth = 0;
    for (const char *p = rel; *p; p++) {
        depth += *p == '/';
    }
    SN_AUTOFREE char *copy = xstrdup(target);
    char *save = NULL;
    for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, "..") == 0) {
            if (--depth < 0) {
                return true;
            }
        } else if (strcmp(tok, ".") != 0) {
            depth++;
        }
    }
    return false;
}

/* snapd's pack excludes (top-level VCS dirs and editor leftovers anywhere) */
static bool excluded(const char *rel, const char *name) {
    static const char *const top[] = {"DEBIAN", ".arch-ids", ".arch-inventory", ".bzr",
                                      ".bzr-builddeb", ".bzr.backup", ".bzr.tags", ".bzrignore",
                                      ".cvsignore", ".git", ".gitattributes", ".gitignore",
                                      ".gitmodules", ".hg", ".hgignore", ".hgsigs", ".hgtags",
                                      ".shelf", ".svn", "CVS", "DEADJOE", "RCS", "_MTN",
                                      "_darcs", "{arch}", ".snapignore"};
    if (strchr(rel, '/') == NULL) {
        for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) {
            if (strcmp(name, top[i]) == 0) {
                return true;
            }
        }
    }
    size_t n = strlen(name);
    return fnmatch(".[#~]*", name, 0) == 0 || (n > 5 && strcmp(name + n - 5, ".snap") == 0) ||
           (n > 6 && strcmp(name + n - 6, ".click") == 0) || fnmatch(".*.sw?", name, 0) == 0 ||
           (n > 0 && name[n - 1] == '~');
}

static void check_entry(struct checker *c, const char *rel, const struct stat *st) {
    int bits = need_bits(c, rel);
    bool under_meta = strncmp(rel, "meta/", 5) == 0 || strcmp(rel, "meta") == 0;
    mode_t perm = st->st_mode & 07777;
    if (!(bits & (NEED_RX | NEED_X | NEED_R)) && !under_meta) {
        return;
    }
    if ((bits & NEED_RX) || S_ISDIR(st->st_mode)) {
        if ((perm & 0555) != 0555) {
            cproblem(c, "in snap \"%s\": \"%s\" should be world-readable and executable, and "
                     "isn't: %04o", c->info->name, rel, perm);
            c->badmode = true;
        }
        return;
    }
    if ((bits & NEED_F) && !S_ISREG(st->st_mode) && !S_ISLNK(st->st_mode)) {
        cproblem(c, "in snap \"%s\": \"%s\" should be a regular file (or a symlink) and isn't",
                 c->info->name, rel);
        c->badmode = true;
    }
    if ((bits & NEED_X) || strncmp(rel, "meta/hooks/", 11) == 0) {
        if ((perm & 0111) == 0) {
            cproblem(c, "in snap \"%s\": \"%s\" should be executable, and isn't: %04o",
                     c->info->name, rel, perm);
            c->badmode = true;
        }
    } else if ((perm & 0444) != 0444) {
        cproblem(c, "in snap \"%s\": \"%s\" should be world-readable, and isn't: %04o",
                 c->info->name, rel, perm);
        c->badmode = true;
    }
}

static void walk(struct checker *c, const char *rel) {
    SN_AUTOFREE char *abs = rel[0] ? xasprintf("%s/%s", c->dir, rel) : xstrdup(c->dir);
    SN_AUTOCLOSEDIR DIR *d = opendir(abs);
    if (d == NULL) {
        cproblem(c, "in snap \"%s\": cannot read directory \"%s\": %s", c->info->name,
                 rel[0] ? rel : ".", strerror(errno));
        c->badmode = true;
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            excluded(rel, de->d_name)) {
            continue;
        }
        SN_AUTOFREE char *crel = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            continue;
        }
        for (size_t i = 0; i < c->nneeds; i++) {
            if (strcmp(c->needs[i].path, crel) == 0) {
                c->needs[i].seen = true;
            }
        }
        check_entry(c, crel, &st);
        if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
            if (n >= 0) {
                target[n] = '\0';
                if (symlink_escapes(crel, target)) {
                    cproblem(c, "in snap \"%s\": \"%s\" is a symlink pointing outside the snap "
                             "(%s)", c->info->name, crel, target);
                    c->badmode = true;
                }
            }
        } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode) ||
                   S_ISSOCK(st.st_mode)) {
            cproblem(c, "in snap \"%s\": \"%s\" is a %s; snaps may only contain regular files, "
                     "directories and symlinks", c->info->name, crel,
                     S_ISFIFO(st.st_mode) ? "fifo" : S_ISSOCK(st.st_mode) ? "socket" : "device node");
            c->badmode = true;
        } else if (S_ISDIR(st.st_mode)) {
            walk(c, crel);
        }
    }
}

int snap_check_dir(const char *dir, const struct snap_info *info, struct snap_problems *probs,
                   struct sn_err *err) {
    struct checker c = {.dir = dir, .info = info, .probs = probs};
    need_get(&c, ".")->bits |= NEED_RX;
    need_get(&c, "meta")->bits |= NEED_RX;
    need_get(&c, "meta/snap.yaml")->bits |= NEED_R | NEED_F;
    for (size_t i = 0; i < info->napps; i++) {
        const struct snap_app *a = &info->apps[i];
        bool svc = a->daemon != NULL;
        add_command(&c, a->command, svc);
        if (svc) {
            add_command(&c, a->stop_command, true);
            add_command(&c, a->reload_command, true);
            add_command(&c, a->post_stop_command, true);
        }
    }
    /* snapd: a path needed both r and x becomes rx; rx wins over the others */
    for (size_t i = 0; i < c.nneeds; i++) {
        struct need *n = &c.needs[i];
        if (n->bits & NEED_RX) {
            n->bits &= ~(NEED_X | NEED_R);
        } else if ((n->bits & NEED_X) && (n->bits & NEED_R)) {
            n->bits = (n->bits & ~(NEED_X | NEED_R)) | NEED_RX;
        }
    }
    struct stat st;
    if (stat(dir, &st) == 0) {
        c.needs[0].seen = true;
        check_entry(&c, ".", &st);
    }
    walk(&c, "");
    bool missing = false;
    for (size_t i = 0; i < c.nneeds; i++) {
        if ((c.needs[i].bits & (NEED_RX | NEED_X | NEED_R)) && !c.needs[i].seen) {
            cproblem(&c, "in snap \"%s\": path \"%s\" does not exist", info->name, c.needs[i].path);
            missing = true;
        }
        free(c.needs[i].path);
    }
    free(c.needs);
    SN_AUTOFREE char *snapshots = xasprintf("%s/meta/snapshots.yaml", dir);
    if (sn_path_exists(snapshots)) {
        struct sn_err serr = SN_ERR_INIT;
        if (snap_check_snapshots_yaml(snapshots, &serr) < 0) {
            cproblem(&c, "%s", serr.msg);
        }
    }
    if (info->type == SNAP_TYPE_GADGET) {
        SN_AUTOFREE char *g = xasprintf("%s/meta/gadget.yaml", dir);
        if (!sn_path_exists(g)) {
            cproblem(&c, "in snap \"%s\": gadget snaps need meta/gadget.yaml", info->name);
        }
    }
    if (c.nprobs) {
        return sn_err_set(err, -EINVAL, "%s%s", c.first,
                          missing     ? " (snap is unusable due to missing files)"
                          : c.badmode ? " (snap is unusable due to bad permissions)"
                                      : "");
    }
    return 0;
}

int snap_check_snapshots_yaml(const char *path, struct sn_err *err) {
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    int r = sn_read_file(path, SNAP_YAML_MAX_SIZE, &data, &len, err);
    if (r < 0) {
        return r;
    }
    struct sn_ydoc *doc = NULL;
    r = sn_yaml_parse(data, len, path, NULL, &doc, err);
    if (r < 0) {
        sn_err_prefix(err, "cannot read snapshot manifest: ");
        return r;
    }
    const struct sn_ynode *ex = doc->root ? sn_ymap_get(doc->root, "exclude") : NULL;
    static const char *const first[] = {"$SNAP_DATA", "$SNAP_COMMON", "$SNAP_USER_DATA",
                                        "$SNAP_USER_COMMON"};
    if (doc->root != NULL && doc->root->kind != SN_Y_MAP && !sn_ynode_is_null(doc->root)) {
        r = sn_err_set(err, -EINVAL, "cannot read snapshot manifest: %s: expected a map", path);
    } else if (ex != NULL && !sn_ynode_is_null(ex) && ex->kind != SN_Y_SEQ) {
        r = sn_err_set(err, -EINVAL, "cannot read snapshot manifest: %s: exclude must be a list",
                       path);
    }
    for (size_t i = 0; r == 0 && ex != NULL && ex->kind == SN_Y_SEQ && i < ex->n; i++) {
        const struct sn_ynode *it = ex->items[i];
        if (it->kind != SN_Y_SCALAR) {
            r = sn_err_set(err, -EINVAL, "cannot read snapshot manifest: exclude entries must be "
                           "strings");
            break;
        }
        const char *v = it->value;
        size_t fl = strcspn(v, "/");
        bool ok = false;
        for (size_t k = 0; k < 4; k++) {
            ok = ok || (strlen(first[k]) == fl && strncmp(v, first[k], fl) == 0);
        }
        SN_AUTOFREE char *clean = norm_path(v);
        if (!ok) {
            r = sn_err_set(err, -EINVAL, "snapshot exclude path must start with one of "
                           "[\"$SNAP_DATA\" \"$SNAP_COMMON\" \"$SNAP_USER_DATA\" "
                           "\"$SNAP_USER_COMMON\"] (got: \"%s\")", v);
        } else if (strcmp(clean, v) != 0 && strchr(v, ' ') == NULL) {
            r = sn_err_set(err, -EINVAL, "snapshot exclude path not clean: \"%s\"", v);
        } else if (strpbrk(v, "[]{}?") != NULL || strstr(v, "**") != NULL) {
            r = sn_err_set(err, -EINVAL, "snapshot exclude path contains invalid characters: "
                           "\"%s\"", v);
        }
    }
    sn_ydoc_free(doc);
    return r;
}

#define DIGEST_XATTR "user.snapc.sha3-384"

int snap_file_digest(const char *path, bool use_cache, char out[65], uint64_t *size,
                     struct sn_err *err) {
    SN_AUTOCLOSE int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return sn_err_set(err, -errno, "cannot stat '%s': %s", path, strerror(errno));
    }
    char key[64];
    (void)snprintf(key, sizeof(key), "%lld:%lld.%09ld:", (long long)st.st_size,
                   (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    size_t kl = strlen(key);
    if (use_cache) {
        char cached[160];
        ssize_t n = fgetxattr(fd, DIGEST_XATTR, cached, sizeof(cached) - 1);
        if (n == (ssize_t)(kl + SN_SHA3_384_B64_LEN) && memcmp(cached, key, kl) == 0) {
            memcpy(out, cached + kl, SN_SHA3_384_B64_LEN);
            out[SN_SHA3_384_B64_LEN] = '\0';
            if (size) {
                *size = (uint64_t)st.st_size;
            }
            return 0;
        }
    }
    uint8_t d[SN_SHA3_384_SIZE];
    uint64_t total = 0;
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    int r = sn_sha3_384_fd(fd, d, &total, err);
    if (r < 0) {
        sn_err_prefix(err, "'%s': ", path);
        return r;
    }
    sn_base64url(d, sizeof(d), out);
    if (size) {
        *size = total;
    }
    if (use_cache) {
        char val[160];
        (void)snprintf(val, sizeof(val), "%s%s", key, out);
        /* best effort: read-only files, filesystems without user xattrs */
        (void)fsetxattr(fd, DIGEST_XATTR, val, strlen(val), 0);
    }
    return 0;
}
