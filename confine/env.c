/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "env.h"

#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

/* The passwd entry of uid, read from /etc/passwd itself: the launcher is linked statically
 * and does not load NSS modules (docs/confinement.md "Users"). */
static int passwd_lookup(uid_t uid, struct passwd *pwbuf, char *buf, size_t size,
                         struct passwd **out) {
    SN_AUTOFCLOSE FILE *f = fopen("/etc/passwd", "re");
    if (f == NULL) {
        return -errno;
    }
    struct passwd *pw;
    while (fgetpwent_r(f, pwbuf, buf, size, &pw) == 0) {
        if (pw->pw_uid == uid) {
            *out = pw;
            return 0;
        }
    }
    return -ENOENT;
}

int cf_user_resolve(const char *root, const struct cf_launch *l, uid_t uid, gid_t gid,
                    struct cf_user *u, struct sn_err *err) {
    memset(u, 0, sizeof(*u));
    SN_AUTOFREE char *home = NULL;
    if (strcmp(root, "/") != 0 && uid == 0) {
        home = xstrdup("/root");
    } else {
        struct passwd pwbuf, *pw = NULL;
        char buf[4096];
        if (passwd_lookup(uid, &pwbuf, buf, sizeof(buf), &pw) < 0 || pw == NULL) {
            return sn_err_set(err, -ENOENT, "cannot find user %u in /etc/passwd", (unsigned)uid);
        }
        if (strcmp(root, "/") != 0) {
            if (strchr(pw->pw_name, '/') != NULL || pw->pw_name[0] == '.') {
                return sn_err_set(err, -EINVAL, "invalid user name '%s'", pw->pw_name);
            }
            home = xasprintf("/home/%s", pw->pw_name);
        } else {
            home = xstrdup(pw->pw_dir);
            if (!cf_clean_abs_path(home) ||
                (strcmp(home, "/root") != 0 && strncmp(home, "/home/", 6) != 0)) {
                return sn_err_set(err, -EINVAL, "home directory '%s' is not /root or below /home",
                                  home);
            }
        }
    }
    u->uid = uid;
    u->gid = gid;
    u->user_data = xasprintf("%s/snap/%s/%s", home, l->instance, l->revision);
    u->user_common = xasprintf("%s/snap/%s/common", home, l->instance);
    u->home = SN_TAKE_PTR(home);
    return 0;
}

void cf_user_release(struct cf_user *u) {
    free(u->home);
    free(u->user_data);
    free(u->user_common);
    memset(u, 0, sizeof(*u));
}

void cf_env_init(struct cf_env *e, char *const *environ_) {
    size_t n = 0;
    while (environ_ != NULL && environ_[n] != NULL) {
        n++;
    }
    e->v = xcalloc(n + 1, sizeof(*e->v));
    e->n = 0;
    for (size_t i = 0; i < n; i++) {
        /* the launcher's own settings (root prefix, debug) are not the app's business */
        if (strncmp(environ_[i], "SNAPC_", 6) == 0) {
            continue;
        }
        e->v[e->n++] = xstrdup(environ_[i]);
    }
}

void cf_env_release(struct cf_env *e) {
    sn_strv_free(e->v);
    e->v = NULL;
    e->n = 0;
}

static ssize_t find(const struct cf_env *e, const char *name, size_t nl) {
    for (size_t i = 0; i < e->n; i++) {
        if (strncmp(e->v[i], name, nl) == 0 && e->v[i][nl] == '=') {
            return (ssize_t)i;
        }
    }
    return -1;
}

const char *cf_env_get(const struct cf_env *e, const char *name) {
    size_t nl = strlen(name);
    ssize_t i = find(e, name, nl);
    return i < 0 ? NULL : e->v[i] + nl + 1;
}

void cf_env_set(struct cf_env *e, const char *name, const char *value) {
    size_t nl = strlen(name);
    char *kv = xasprintf("%s=%s", name, value);
    ssize_t i = find(e, name, nl);
    if (i >= 0) {
        free(e->v[i]);
        e->v[i] = kv;
        return;
    }
    e->v = xrealloc(e->v, (e->n + 2) * sizeof(*e->v));
    e->v[e->n++] = kv;
    e->v[e->n] = NULL;
}

static bool shell_special(char c) {
    return strchr("*#$@!?-0123456789", c) != NULL && c != '\0';
}

static bool alnum_(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Go's getShellName: sets *name and *nlen (nlen 0: no name) and returns the bytes consumed. */
static size_t shell_name(const char *s, const char **name, size_t *nlen) {
    *name = s;
    *nlen = 0;
    if (s[0] == '{') {
        if (s[1] != '\0' && shell_special(s[1]) && s[2] == '}') {
            *name = s + 1;
            *nlen = 1;
            return 3;
        }
        for (size_t i = 1; s[i]; i++) {
            if (s[i] == '}') {
                if (i == 1) {
                    return 2; /* bad syntax: eat "${}" */
                }
                *name = s + 1;
                *nlen = i - 1;
                return i + 1;
            }
        }
        return 1; /* bad syntax: eat "${" */
    }
    if (shell_special(s[0])) {
        *nlen = 1;
        return 1;
    }
    size_t i = 0;
    while (alnum_(s[i])) {
        i++;
    }
    *nlen = i;
    return i;
}

char *cf_env_expand(const struct cf_env *e, const char *s) {
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    size_t i = 0, len = strlen(s);
    for (size_t j = 0; j < len; j++) {
        if (s[j] == '$' && j + 1 < len) {
            sn_strbuf_add(&sb, s + i, j - i);
            const char *name;
            size_t nlen;
            size_t w = shell_name(s + j + 1, &name, &nlen);
            if (nlen == 0 && w > 0) {
                /* invalid syntax: the characters are eaten */
            } else if (nlen == 0) {
                sn_strbuf_addch(&sb, '$');
            } else {
                SN_AUTOFREE char *n = xstrndup(name, nlen);
                const char *v = cf_env_get(e, n);
                sn_strbuf_addstr(&sb, v ? v : "");
            }
            j += w;
            i = j + 1;
        }
    }
    sn_strbuf_add(&sb, s + i, len - i);
    return sn_strbuf_detach(&sb, NULL);
}

void cf_env_for_app(struct cf_env *e, const struct cf_launch *l, const struct cf_user *u) {
    char num[32];
    SN_AUTOFREE char *snap = xasprintf("/snap/%s/%s", l->snap, l->revision);
    SN_AUTOFREE char *data = xasprintf("/var/snap/%s/%s", l->snap, l->revision);
    SN_AUTOFREE char *common = xasprintf("/var/snap/%s/common", l->snap);
    cf_env_set(e, "SNAP", snap);
    cf_env_set(e, "SNAP_COMMON", common);
    cf_env_set(e, "SNAP_DATA", data);
    cf_env_set(e, "SNAP_NAME", l->snap);
    cf_env_set(e, "SNAP_INSTANCE_NAME", l->instance);
    cf_env_set(e, "SNAP_INSTANCE_KEY", l->instance_key);
    cf_env_set(e, "SNAP_REVISION", l->revision);
    cf_env_set(e, "SNAP_VERSION", l->version);
    cf_env_set(e, "SNAP_ARCH", l->arch);
    cf_env_set(e, "SNAP_LIBRARY_PATH",
               "/var/lib/snapd/lib/gl:/var/lib/snapd/lib/gl32:/var/lib/snapd/void");
    cf_env_set(e, "SNAP_USER_DATA", u->user_data);
    cf_env_set(e, "SNAP_USER_COMMON", u->user_common);
    cf_env_set(e, "SNAP_REAL_HOME", u->home);
    (void)snprintf(num, sizeof(num), "%u", (unsigned)u->uid);
    cf_env_set(e, "SNAP_UID", num);
    cf_env_set(e, "SNAP_EUID", num);
    cf_env_set(e, "HOME", u->user_data);
    for (size_t i = 0; i < l->nenv; i++) {
        const char *kv = l->env[i];
        const char *eq = strchr(kv, '=');
        SN_AUTOFREE char *name = xstrndup(kv, (size_t)(eq - kv));
        SN_AUTOFREE char *val = cf_env_expand(e, eq + 1);
        cf_env_set(e, name, val);
    }
}

char **cf_build_argv(const struct cf_env *e, const struct cf_launch *l, char *const *user_args,
                     size_t nuser) {
    char **argv = xcalloc(l->nexec + l->nargs + nuser + 1, sizeof(*argv));
    size_t n = 0;
    for (size_t i = 0; i < l->nexec; i++) {
        argv[n++] = xstrdup(l->exec[i]);
    }
    for (size_t i = 0; i < l->nargs; i++) {
        char *a = cf_env_expand(e, l->args[i]);
        if (a[0] == '\0') {
            free(a);
            continue;
        }
        argv[n++] = a;
    }
    /* user arguments are passed through byte for byte, never expanded */
    for (size_t i = 0; i < nuser; i++) {
        argv[n++] = xstrdup(user_args[i]);
    }
    argv[n] = NULL;
    return argv;
}
