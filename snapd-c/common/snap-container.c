/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "snap-container.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "gadget-lite.h"
#include "goyaml.h"
#include "hash.h"
#include "kernel-lite.h"
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

/* ---- pack-time tree checks (snapd 2.57 snap/container.go ValidateContainer) ----
 *
 * Like snapd: the paths of each app's command (and of a service's stop/reload/post-stop
 * commands, and of a completer) must exist; for commands users run, the file and every
 * directory above it must be r-x for everyone; a service's files must be regular files or
 * symlinks with an x bit; a completer must be world-readable; everything under meta/ must be
 * world-readable (directories r-x), hooks executable. Like snapd, the walk does not follow
 * symlinks, looks at nothing else, and also looks at names the packer excludes.
 *
 * Beyond snapd (the product issue requires it; see tests/compat/known-divergences.txt): no
 * device nodes, fifos or sockets anywhere in what gets packed, and no relative symlink that
 * climbs out of the snap. Absolute symlinks are allowed: inside the sandbox they resolve against
 * the base snap, not the host.
 */

enum need_bits { NEED_RX = 1, NEED_X = 2, NEED_R = 4, NEED_F = 8, NEED_NOSKIP = 16 };

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
    bool badmode, unsafe;
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

/* snapd's normPath: filepath.Clean, drop a leading '/', ignore paths that climb out ("../"),
 * cut at the first space (the command's arguments). "" when there is nothing to check. */
static char *norm_path(const char *cmd) {
    if (cmd == NULL || cmd[0] == '\0') {
        return xstrdup("");
    }
    SN_AUTOFREE char *clean = sn_path_clean(cmd);
    const char *p = clean[0] == '/' ? clean + 1 : clean;
    if (strncmp(p, "../", 3) == 0) {
        return xstrdup("");
    }
    return xstrndup(p, strcspn(p, " "));
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

static struct need *need_find(struct checker *c, const char *path) {
    for (size_t i = 0; i < c->nneeds; i++) {
        if (strcmp(c->needs[i].path, path) == 0) {
            return &c->needs[i];
        }
    }
    return NULL;
}

/* path and its parent directories up to (not including) "." get bits */
static void need_path_and_parents(struct checker *c, const char *path, int bits) {
    SN_AUTOFREE char *p = xstrdup(path);
    while (strcmp(p, ".") != 0 && p[0] != '\0') {
        need_get(c, p)->bits |= bits;
        char *parent = go_path_dir(p);
        free(p);
        p = parent;
    }
}

static void add_command(struct checker *c, const char *cmd, bool service) {
    SN_AUTOFREE char *p = norm_path(cmd);
    if (p[0] == '\0') {
        return;
    }
    need_get(c, p)->bits |= NEED_F | (service ? NEED_X : 0);
    /* users need r-x all the way down; services only need the walk to get there */
    need_path_and_parents(c, p, service ? NEED_NOSKIP : NEED_RX);
}

static void add_completer(struct checker *c, const char *completer) {
    SN_AUTOFREE char *p = norm_path(completer);
    if (p[0] == '\0') {
        return;
    }
    need_get(c, p)->bits |= NEED_R;
    SN_AUTOFREE char *parent = go_path_dir(p);
    need_path_and_parents(c, parent, NEED_RX);
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
    static const char *const top[] = {
        "DEBIAN",      ".arch-ids",  ".arch-inventory", ".bzr",    ".bzr-builddeb",  ".bzr.backup",
        ".bzr.tags",   ".bzrignore", ".cvsignore",      ".git",    ".gitattributes", ".gitignore",
        ".gitmodules", ".hg",        ".hgignore",       ".hgsigs", ".hgtags",        ".shelf",
        ".svn",        "CVS",        "DEADJOE",         "RCS",     "_MTN",           "_darcs",
        "{arch}",      ".snapignore"};
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
           (n > 0 && name[n - 1] == '~') || strncmp(name, ",,", 2) == 0;
}

/* Go's os.FileMode.String(), as snapd prints modes: "-rwxr--r--", "drwx------" */
static void mode_string(mode_t m, char out[16]) {
    size_t w = 0;
    if (S_ISDIR(m)) {
        out[w++] = 'd';
    }
    if (S_ISLNK(m)) {
        out[w++] = 'L';
    }
    if (S_ISBLK(m) || S_ISCHR(m)) {
        out[w++] = 'D';
    }
    if (S_ISFIFO(m)) {
        out[w++] = 'p';
    }
    if (S_ISSOCK(m)) {
        out[w++] = 'S';
    }
    if (m & S_ISUID) {
        out[w++] = 'u';
    }
    if (m & S_ISGID) {
        out[w++] = 'g';
    }
    if (S_ISCHR(m)) {
        out[w++] = 'c';
    }
    if (m & S_ISVTX) {
        out[w++] = 't';
    }
    if (w == 0) {
        out[w++] = '-';
    }
    static const char rwx[] = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
        out[w++] = (m & (1u << (8 - i))) ? rwx[i] : '-';
    }
    out[w] = '\0';
}

static void check_entry(struct checker *c, const char *rel, const struct stat *st) {
    struct need *n = need_find(c, rel);
    int bits = n ? n->bits : 0;
    bool needed = (bits & (NEED_RX | NEED_X | NEED_R)) != 0;
    if (needed) {
        n->seen = true;
    }
    if (!needed && strncmp(rel, "meta/", 5) != 0) {
        return;
    }
    const char *name = c->info->name ? c->info->name : "";
    mode_t perm = st->st_mode & 0777;
    char ms[16];
    mode_string(st->st_mode, ms);
    if ((bits & NEED_RX) || S_ISDIR(st->st_mode)) {
        if ((perm & 0555) != 0555) {
            cproblem(c,
                     "in snap \"%s\": \"%s\" should be world-readable and executable, and "
                     "isn't: %s",
                     name, rel, ms);
            c->badmode = true;
        }
        return;
    }
    if ((bits & NEED_F) && !S_ISREG(st->st_mode) && !S_ISLNK(st->st_mode)) {
        cproblem(c, "in snap \"%s\": \"%s\" should be a regular file (or a symlink) and isn't",
                 name, rel);
        c->badmode = true;
    }
    if ((bits & NEED_X) || strncmp(rel, "meta/hooks/", 11) == 0) {
        if ((perm & 0111) == 0) {
            cproblem(c, "in snap \"%s\": \"%s\" should be executable, and isn't: %s", name, rel,
                     ms);
            c->badmode = true;
        }
    } else if ((perm & 0444) != 0444) {
        cproblem(c, "in snap \"%s\": \"%s\" should be world-readable, and isn't: %s", name, rel,
                 ms);
        c->badmode = true;
    }
}

/* Beyond snapd: what gets packed holds only regular files, directories and symlinks that stay
 * inside the snap. */
static void check_packed_entry(struct checker *c, int dfd, const char *dname, const char *rel,
                               const struct stat *st) {
    const char *name = c->info->name ? c->info->name : "";
    if (S_ISLNK(st->st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlinkat(dfd, dname, target, sizeof(target) - 1);
        if (n >= 0) {
            target[n] = '\0';
            if (symlink_escapes(rel, target)) {
                cproblem(c,
                         "in snap \"%s\": \"%s\" is a relative symlink pointing outside the "
                         "snap (%s); use a path inside the snap or an absolute path",
                         name, rel, target);
                c->unsafe = true;
            }
        }
    } else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) || S_ISFIFO(st->st_mode) ||
               S_ISSOCK(st->st_mode)) {
        cproblem(c,
                 "in snap \"%s\": \"%s\" is a %s; snaps may only contain regular files, "
                 "directories and symlinks",
                 name, rel,
                 S_ISFIFO(st->st_mode)   ? "fifo"
                 : S_ISSOCK(st->st_mode) ? "socket"
                                         : "device node");
        c->unsafe = true;
    }
}

static void walk(struct checker *c, const char *rel, bool packed) {
    SN_AUTOFREE char *abs = rel[0] ? xasprintf("%s/%s", c->dir, rel) : xstrdup(c->dir);
    SN_AUTOCLOSEDIR DIR *d = opendir(abs);
    if (d == NULL) {
        cproblem(c, "in snap \"%s\": cannot read directory \"%s\": %s",
                 c->info->name ? c->info->name : "", rel[0] ? rel : ".", strerror(errno));
        c->badmode = true;
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
            continue;
        }
        SN_AUTOFREE char *crel = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            continue;
        }
        bool cpacked = packed && !excluded(rel, de->d_name);
        check_entry(c, crel, &st);
        if (cpacked) {
            check_packed_entry(c, dirfd(d), de->d_name, crel, &st);
        }
        if (S_ISDIR(st.st_mode)) {
            walk(c, crel, cpacked);
        }
    }
}

/* A file under DIR that snapd reads if it exists: 1 and the contents, 0 when missing. */
static int read_meta_file(const char *dir, const char *name, char **data, size_t *len,
                          struct sn_err *err) {
    SN_AUTOFREE char *path = xasprintf("%s/%s", dir, name);
    int r = sn_read_file(path, SNAP_YAML_MAX_SIZE, data, len, err);
    if (r == -ENOENT) {
        return 0;
    }
    return r < 0 ? r : 1;
}

int snap_check_dir(const char *dir, const struct snap_info *info, struct snap_problems *probs,
                   struct sn_err *err) {
    struct checker c = {.dir = dir, .info = info, .probs = probs};
    need_get(&c, ".")->bits |= NEED_RX;
    need_get(&c, "meta")->bits |= NEED_RX;
    need_get(&c, "meta/snap.yaml")->bits |= NEED_R;
    for (size_t i = 0; i < info->napps; i++) {
        const struct snap_app *a = &info->apps[i];
        bool svc = a->daemon != NULL;
        add_command(&c, a->command, svc);
        if (svc) {
            add_command(&c, a->stop_command, true);
            add_command(&c, a->reload_command, true);
            add_command(&c, a->post_stop_command, true);
        }
        add_completer(&c, a->completer);
    }
    /* as snapd: what must be readable must also be a file; rx wins over r and x; r and x
     * together make rx */
    for (size_t i = 0; i < c.nneeds; i++) {
        struct need *n = &c.needs[i];
        if (n->bits & NEED_R) {
            n->bits |= NEED_F;
        }
    }
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
        check_entry(&c, ".", &st);
    }
    walk(&c, "", true);
    bool missing = false;
    for (size_t i = 0; i < c.nneeds; i++) {
        if ((c.needs[i].bits & (NEED_RX | NEED_X | NEED_R)) && !c.needs[i].seen) {
            cproblem(&c, "in snap \"%s\": path \"%s\" does not exist", info->name ? info->name : "",
                     c.needs[i].path);
            missing = true;
        }
        free(c.needs[i].path);
    }
    free(c.needs);
    /* meta/snapshots.yaml, then the type's own metadata */
    SN_AUTOFREE char *snapshots = xasprintf("%s/meta/snapshots.yaml", dir);
    struct sn_err serr = SN_ERR_INIT;
    if (snap_check_snapshots_yaml(snapshots, &serr) < 0) {
        cproblem(&c, "%s", serr.msg);
    }
    if (info->type == SNAP_TYPE_GADGET) {
        SN_AUTOFREE char *data = NULL;
        size_t len = 0;
        struct sn_err gerr = SN_ERR_INIT;
        int r = read_meta_file(dir, "meta/gadget.yaml", &data, &len, &gerr);
        if (r == 0) {
            /* beyond snapd 2.57, which accepts a gadget without gadget.yaml */
            cproblem(&c,
                     "in snap \"%s\": gadget snaps need meta/gadget.yaml (it describes the "
                     "volumes to flash)",
                     info->name ? info->name : "");
        } else if (r < 0 || gadget_lite_validate(dir, data, len, &gerr) < 0) {
            cproblem(&c, "%s", gerr.msg);
        }
    }
    if (info->type == SNAP_TYPE_KERNEL) {
        SN_AUTOFREE char *data = NULL;
        size_t len = 0;
        struct sn_err kerr = SN_ERR_INIT;
        int r = read_meta_file(dir, "meta/kernel.yaml", &data, &len, &kerr);
        if (r < 0 || (r > 0 && kernel_lite_validate(dir, data, len, &kerr) < 0)) {
            cproblem(&c, "%s", kerr.msg);
        }
    }
    if (c.nprobs) {
        return sn_err_set(err, -EINVAL, "%s%s", c.first,
                          missing     ? " (snap is unusable due to missing files)"
                          : c.badmode ? " (snap is unusable due to bad permissions)"
                          : c.unsafe  ? " (snap contains files that cannot be packed safely)"
                                      : "");
    }
    return 0;
}

/* snap/snapshots.go ReadSnapshotYamlFromSnapFile, read with go-yaml's Decoder */
int snap_check_snapshots_yaml(const char *path, struct sn_err *err) {
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    struct sn_err rerr = SN_ERR_INIT;
    int r = sn_read_file(path, SNAP_YAML_MAX_SIZE, &data, &len, &rerr);
    if (r == -ENOENT) {
        return 0;
    }
    if (r < 0) {
        return sn_err_set(err, r, "%s", rerr.msg);
    }
    struct sn_ydoc *doc = NULL;
    r = goyaml_parse(data, len, path, &doc, err);
    if (r < 0) {
        sn_err_prefix(err, "cannot read snapshot manifest: ");
        return r;
    }
    SN_CLEANUP(sn_cleanup_sn_ydoc_free) struct sn_ydoc *d = doc;
    const struct sn_ynode *root = d->root;
    if (root == NULL) {
        return sn_err_set(err, -EINVAL,
                          "%s: cannot read snapshot manifest: EOF (the file is "
                          "empty; remove it or add an exclude list)",
                          path);
    }
    if (goyaml_is_null(root)) {
        return 0;
    }
    if (root->kind != SN_Y_MAP) {
        return sn_err_set(err, -EINVAL,
                          "%s:%d:%d: cannot read snapshot manifest: expected a map "
                          "with an exclude list",
                          path, root->line, root->col);
    }
    struct goyaml_map m;
    const struct sn_ynode *bad = NULL;
    if (goyaml_map_pairs(root, &m, &bad) < 0) {
        return sn_err_set(err, -EINVAL,
                          "%s:%d:%d: cannot read snapshot manifest: map merge "
                          "requires map or sequence of maps as the value",
                          path, bad->line, bad->col);
    }
    static const char *const first[] = {"$SNAP_DATA", "$SNAP_COMMON", "$SNAP_USER_DATA",
                                        "$SNAP_USER_COMMON"};
    r = 0;
    /* every exclude must decode as a list of strings; the last one is the list */
    for (size_t i = 0; r == 0 && i < m.n; i++) {
        const char *key = goyaml_key_str(m.v[i].key);
        const struct sn_ynode *ex = m.v[i].value;
        if (key == NULL) {
            r = sn_err_set(err, -EINVAL,
                           "%s:%d:%d: cannot read snapshot manifest: keys must be "
                           "strings",
                           path, m.v[i].key->line, m.v[i].key->col);
            break;
        }
        if (strcmp(key, "exclude") != 0 || goyaml_is_null(ex)) {
            continue;
        }
        if (ex->kind != SN_Y_SEQ) {
            r = sn_err_set(err, -EINVAL,
                           "%s:%d:%d: cannot read snapshot manifest: exclude must "
                           "be a list of paths",
                           path, ex->line, ex->col);
            break;
        }
        for (size_t j = 0; r == 0 && j < ex->n; j++) {
            const struct sn_ynode *it = ex->items[j];
            if (it->kind != SN_Y_SCALAR) {
                r = sn_err_set(err, -EINVAL,
                               "%s:%d:%d: cannot read snapshot manifest: exclude "
                               "entries must be strings",
                               path, it->line, it->col);
            }
        }
    }
    const struct sn_ynode *ex = r == 0 ? goyaml_get(&m, "exclude") : NULL;
    for (size_t j = 0; r == 0 && ex != NULL && ex->kind == SN_Y_SEQ && j < ex->n; j++) {
        const struct sn_ynode *it = ex->items[j];
        const char *v = goyaml_is_null(it) ? "" : it->value;
        size_t fl = strcspn(v, "/");
        bool ok = false;
        for (size_t k = 0; k < 4; k++) {
            ok = ok || (strlen(first[k]) == fl && strncmp(v, first[k], fl) == 0);
        }
        SN_AUTOFREE char *clean = sn_path_clean(v);
        if (!ok) {
            r = sn_err_set(err, -EINVAL,
                           "%s:%d:%d: snapshot exclude path must start with one "
                           "of [\"$SNAP_DATA\" \"$SNAP_COMMON\" \"$SNAP_USER_DATA\" "
                           "\"$SNAP_USER_COMMON\"] (got: \"%s\")",
                           path, it->line, it->col, v);
        } else if (strcmp(clean, v) != 0) {
            r = sn_err_set(err, -EINVAL, "%s:%d:%d: snapshot exclude path not clean: \"%s\"", path,
                           it->line, it->col, v);
        } else if (strpbrk(v, "[]{}?") != NULL || strstr(v, "**") != NULL) {
            r = sn_err_set(err, -EINVAL,
                           "%s:%d:%d: snapshot exclude path contains invalid "
                           "characters: \"%s\" (only * is supported)",
                           path, it->line, it->col, v);
        }
    }
    goyaml_map_release(&m);
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
