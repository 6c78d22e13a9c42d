/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "snap-container.h"

#include <dirent.h>
#include <errno.h>
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

/* ---- pack-time tree checks ---- */

struct need {
    char *path;   /* relative, cleaned */
    int perm;     /* required bits: 0444 r, 0111 x, 0555 rx */
    const char *what;
};

struct checker {
    const char *dir;
    const struct snap_info *info;
    struct snap_problems *probs;
    size_t nprobs;
    char first[SN_ERR_MSG_MAX];
    struct need *needs;
    size_t nneeds;
    char realtop[PATH_MAX];
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

/* "$SNAP/bin/x --flag" -> "bin/x"; "" when nothing to check. */
static char *command_path(const char *cmd) {
    while (*cmd == ' ') {
        cmd++;
    }
    size_t n = strcspn(cmd, " ");
    SN_AUTOFREE char *p = xstrndup(cmd, n);
    const char *s = p;
    if (strncmp(s, "${SNAP}/", 8) == 0) {
        s += 8;
    } else if (strncmp(s, "$SNAP/", 6) == 0) {
        s += 6;
    }
    while (*s == '/') {
        s++;
    }
    /* a command that still names a variable cannot be checked here */
    if (strchr(s, '$') != NULL) {
        return xstrdup("");
    }
    /* clean "./" and "a/../b" */
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    char *copy = xstrdup(s);
    char *save = NULL;
    for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0 || tok[0] == '\0') {
            continue;
        }
        if (strcmp(tok, "..") == 0) {
            char *slash = strrchr(sb.buf, '/');
            size_t keep = slash ? (size_t)(slash - sb.buf) : 0;
            sb.len = keep;
            sb.buf[keep] = '\0';
            continue;
        }
        if (sb.len) {
            sn_strbuf_addch(&sb, '/');
        }
        sn_strbuf_addstr(&sb, tok);
    }
    free(copy);
    return sn_strbuf_detach(&sb, NULL);
}

static void add_need(struct checker *c, const char *cmd, int perm, const char *what) {
    char *p = command_path(cmd);
    if (p[0] == '\0') {
        free(p);
        return;
    }
    c->needs = xrealloc(c->needs, (c->nneeds + 1) * sizeof(*c->needs));
    c->needs[c->nneeds++] = (struct need){p, perm, what};
}

/* Is a symlink at rel (relative to the top) pointing inside the tree? */
static bool symlink_inside(struct checker *c, const char *rel, const char *target) {
    if (target[0] == '/') {
        return false;
    }
    /* resolve lexically: dirname(rel)/target */
    SN_AUTOFREE char *joined = NULL;
    const char *slash = strrchr(rel, '/');
    if (slash) {
        joined = xasprintf("%.*s/%s", (int)(slash - rel), rel, target);
    } else {
        joined = xstrdup(target);
    }
    int depth = 0;
    char *save = NULL;
    for (char *tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, "..") == 0) {
            if (--depth < 0) {
                return false;
            }
        } else if (strcmp(tok, ".") != 0 && tok[0] != '\0') {
            depth++;
        }
    }
    return true;
}

static void walk(struct checker *c, const char *rel) {
    SN_AUTOFREE char *abs = rel[0] ? xasprintf("%s/%s", c->dir, rel) : xstrdup(c->dir);
    SN_AUTOCLOSEDIR DIR *d = opendir(abs);
    if (d == NULL) {
        cproblem(c, "in snap \"%s\": cannot read directory \"%s\": %s", c->info->name,
                 rel[0] ? rel : ".", strerror(errno));
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
            cproblem(c, "in snap \"%s\": cannot stat \"%s\": %s", c->info->name, crel,
                     strerror(errno));
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
            if (n < 0) {
                continue;
            }
            target[n] = '\0';
            if (!symlink_inside(c, crel, target)) {
                cproblem(c, "in snap \"%s\": external symlink found: %s -> %s", c->info->name,
                         crel, target);
            }
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if ((st.st_mode & 0555) != 0555) {
                cproblem(c, "in snap \"%s\": \"%s\" should be world-readable and executable, and "
                         "isn't: %04o", c->info->name, crel, st.st_mode & 07777);
            }
            walk(c, crel);
            continue;
        }
        if (!S_ISREG(st.st_mode)) {
            cproblem(c, "in snap \"%s\": \"%s\" should be a regular file (or a symlink) and isn't",
                     c->info->name, crel);
        }
    }
}

/* Follow symlinks inside the tree for the needed paths, like snapd's container walker. */
static void check_need(struct checker *c, const struct need *nd) {
    SN_AUTOFREE char *abs = xasprintf("%s/%s", c->dir, nd->path);
    struct stat st;
    if (stat(abs, &st) < 0) {
        cproblem(c, "in snap \"%s\": %s \"%s\" does not exist", c->info->name, nd->what, nd->path);
        return;
    }
    char real[PATH_MAX];
    if (realpath(abs, real) != NULL) {
        size_t tl = strlen(c->realtop);
        if (strncmp(real, c->realtop, tl) != 0 || (real[tl] != '/' && real[tl] != '\0')) {
            cproblem(c, "in snap \"%s\": %s \"%s\" resolves outside the snap", c->info->name,
                     nd->what, nd->path);
            return;
        }
    }
    if (S_ISDIR(st.st_mode)) {
        cproblem(c, "in snap \"%s\": %s \"%s\" is a directory, expected a file", c->info->name,
                 nd->what, nd->path);
        return;
    }
    if ((st.st_mode & (mode_t)nd->perm) != (mode_t)nd->perm && nd->perm != 0111) {
        cproblem(c, "in snap \"%s\": %s \"%s\" should be world-readable%s, and isn't: %04o",
                 c->info->name, nd->what, nd->path, nd->perm & 0111 ? " and executable" : "",
                 st.st_mode & 07777);
    } else if (nd->perm == 0111 && (st.st_mode & 0111) == 0) {
        cproblem(c, "in snap \"%s\": %s \"%s\" should be executable, and isn't: %04o",
                 c->info->name, nd->what, nd->path, st.st_mode & 07777);
    }
}

int snap_check_dir(const char *dir, const struct snap_info *info, struct snap_problems *probs,
                   struct sn_err *err) {
    struct checker c = {.dir = dir, .info = info, .probs = probs};
    if (realpath(dir, c.realtop) == NULL) {
        return sn_err_set(err, -errno, "cannot resolve '%s': %s", dir, strerror(errno));
    }
    add_need(&c, "meta/snap.yaml", 0444, "file");
    for (size_t i = 0; i < info->napps; i++) {
        const struct snap_app *a = &info->apps[i];
        /* services run as root (x is enough); user-run commands must be r-x for all */
        int perm = a->daemon ? 0111 : 0555;
        if (a->command) {
            add_need(&c, a->command, perm, "command");
        }
        for (size_t j = 0; a->command_chain[j]; j++) {
            add_need(&c, a->command_chain[j], perm, "command-chain");
        }
        if (a->stop_command) {
            add_need(&c, a->stop_command, 0111, "stop-command");
        }
        if (a->reload_command) {
            add_need(&c, a->reload_command, 0111, "reload-command");
        }
        if (a->post_stop_command) {
            add_need(&c, a->post_stop_command, 0111, "post-stop-command");
        }
    }
    for (size_t i = 0; i < info->nhooks; i++) {
        const struct snap_hook *h = &info->hooks[i];
        for (size_t j = 0; h->command_chain[j]; j++) {
            add_need(&c, h->command_chain[j], 0555, "command-chain");
        }
    }
    struct stat st;
    SN_AUTOFREE char *meta = xasprintf("%s/meta", dir);
    if (stat(meta, &st) < 0 || !S_ISDIR(st.st_mode)) {
        cproblem(&c, "in snap \"%s\": meta/ directory is missing", info->name);
    }
    /* hook files in meta/hooks must be executable */
    SN_AUTOFREE char *hooks_dir = xasprintf("%s/meta/hooks", dir);
    SN_AUTOSTRV char **hooks = list_dir_names(hooks_dir);
    for (size_t i = 0; hooks[i]; i++) {
        SN_AUTOFREE char *hp = xasprintf("meta/hooks/%s", hooks[i]);
        add_need(&c, hp, 0111, "hook");
    }
    walk(&c, "");
    for (size_t i = 0; i < c.nneeds; i++) {
        check_need(&c, &c.needs[i]);
        free(c.needs[i].path);
    }
    free(c.needs);
    if (info->type == SNAP_TYPE_GADGET) {
        SN_AUTOFREE char *g = xasprintf("%s/meta/gadget.yaml", dir);
        if (!sn_path_exists(g)) {
            cproblem(&c, "in snap \"%s\": gadget snaps need meta/gadget.yaml", info->name);
        }
    }
    if (c.nprobs) {
        return sn_err_set(err, -EINVAL, "%s", c.first);
    }
    return 0;
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
