/* SPDX-License-Identifier: GPL-3.0-only
 * launch.c: strict parser of the launch description. Fields come in a fixed order; every
 * value is checked against the rules its consumer relies on; anything unexpected is refused.
 */
#define _GNU_SOURCE
#include "launch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "xalloc.h"

#include "banned.h"

#define MAX_TOKENS 6

/* The sections after the fixed header, in the order they must appear. */
enum section {
    SEC_EXEC,
    SEC_ARG,
    SEC_ENV,
    SEC_SECCOMP,
    SEC_FS,
    SEC_NET,
    SEC_DEV,
    SEC_MOUNT,
    SEC_END
};

struct parser {
    struct cf_launch *l;
    int lineno;
    enum section sec;
    bool have_seccomp;
};

static const char *const header_keys[] = {"tag",     "snap", "instance", "instance-key", "revision",
                                          "version", "base", "arch",     "confinement",  "kind"};
enum { NHEADER = sizeof(header_keys) / sizeof(header_keys[0]) };

static int perr(struct parser *p, struct sn_err *err, const char *what) {
    return sn_err_set(err, -EINVAL, "invalid launch description: line %d: %s", p->lineno, what);
}

static void push(char ***v, size_t *n, char *s) {
    *v = xrealloc(*v, (*n + 2) * sizeof(**v));
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out) {
    if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1] != '\0') || strlen(s) > 20) {
        return false;
    }
    uint64_t v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9') {
            return false;
        }
        unsigned d = (unsigned)(*c - '0');
        if (v > (max - d) / 10) {
            return false;
        }
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool parse_hex(const char *s, uint8_t *out, size_t n) {
    if (strlen(s) != 2 * n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        int v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[2 * i + (size_t)k];
            int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
            if (d < 0) {
                return false;
            }
            v = v * 16 + d;
        }
        out[i] = (uint8_t)v;
    }
    return true;
}

static bool valid_env_name(const char *s, size_t n) {
    if (n == 0 || (s[0] >= '0' && s[0] <= '9')) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_')) {
            return false;
        }
    }
    return true;
}

static bool valid_version(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 32) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            return false;
        }
    }
    return true;
}

static bool valid_fs_path(const char *p) {
    const char *rest = p;
    if (strncmp(p, "$SNAP_USER_DATA", 15) == 0) {
        rest = p + 15;
    } else if (strncmp(p, "$SNAP_USER_COMMON", 17) == 0) {
        rest = p + 17;
    } else if (strncmp(p, "@{HOME}", 7) == 0) {
        rest = p + 7;
    } else {
        return cf_clean_abs_path(p);
    }
    return rest[0] == '\0' || cf_clean_abs_path(rest);
}

static int parse_access(const char *s, uint32_t *out) {
    uint32_t a = 0;
    if (s[0] == '\0') {
        return -EINVAL;
    }
    for (const char *c = s; *c; c++) {
        uint32_t bit = *c == 'r'   ? CF_FS_READ
                       : *c == 'w' ? CF_FS_WRITE
                       : *c == 'x' ? CF_FS_EXEC
                       : *c == 'd' ? CF_FS_DEVICE
                       : *c == 'm' ? CF_FS_MAKE
                                   : 0;
        if (bit == 0 || (a & bit)) {
            return -EINVAL;
        }
        a |= bit;
    }
    *out = a;
    return 0;
}

static int header_line(struct parser *p, int idx, char **tok, int ntok, struct sn_err *err) {
    struct cf_launch *l = p->l;
    if (ntok != 2 || strcmp(tok[0], header_keys[idx]) != 0) {
        SN_AUTOFREE char *m = xasprintf("expected '%s VALUE'", header_keys[idx]);
        return perr(p, err, m);
    }
    const char *v = tok[1];
    bool ok = true;
    switch (idx) {
        case 0:
            ok = strlen(v) < 128;
            if (ok) {
                char inst[64], app[64];
                bool hook;
                ok = cf_parse_tag(v, inst, app, &hook);
            }
            l->tag = xstrdup(v);
            break;
        case 1:
            ok = cf_valid_snap_name(v);
            l->snap = xstrdup(v);
            break;
        case 2:
            l->instance = xstrdup(v);
            break;
        case 3:
            ok = strcmp(v, "-") == 0 || cf_valid_instance_key(v);
            l->instance_key = xstrdup(strcmp(v, "-") == 0 ? "" : v);
            break;
        case 4:
            ok = cf_valid_revision(v);
            l->revision = xstrdup(v);
            break;
        case 5:
            ok = valid_version(v);
            l->version = xstrdup(v);
            break;
        case 6:
            ok = strcmp(v, CF_BASE_HOST) == 0 || cf_valid_snap_name(v);
            l->base = xstrdup(v);
            break;
        case 7:
            ok = strlen(v) <= 16 && strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789") == strlen(v);
            l->arch = xstrdup(v);
            break;
        case 8:
            if (strcmp(v, "strict") == 0) {
                l->confinement = CF_CONFINE_STRICT;
            } else if (strcmp(v, "devmode") == 0) {
                l->confinement = CF_CONFINE_DEVMODE;
            } else if (strcmp(v, "classic") == 0) {
                l->confinement = CF_CONFINE_CLASSIC;
            } else {
                ok = false;
            }
            break;
        case 9:
            if (strcmp(v, "app") == 0) {
                l->kind = CF_KIND_APP;
            } else if (strcmp(v, "daemon") == 0) {
                l->kind = CF_KIND_DAEMON;
            } else if (strcmp(v, "hook") == 0) {
                l->kind = CF_KIND_HOOK;
            } else {
                ok = false;
            }
            break;
        default:
            SN_BUG("header index %d", idx);
    }
    if (!ok) {
        SN_AUTOFREE char *m = xasprintf("invalid %s", header_keys[idx]);
        return perr(p, err, m);
    }
    if (idx == 3) { /* instance = snap[_key] */
        SN_AUTOFREE char *want =
            l->instance_key[0] ? xasprintf("%s_%s", l->snap, l->instance_key) : xstrdup(l->snap);
        if (strcmp(want, l->instance) != 0) {
            return perr(p, err, "instance does not match snap and instance-key");
        }
    }
    if (idx == 4) { /* the tag belongs to this instance */
        SN_AUTOFREE char *pre = xasprintf("snap.%s.", l->instance);
        if (strncmp(l->tag, pre, strlen(pre)) != 0) {
            return perr(p, err, "tag does not belong to the instance");
        }
    }
    return 0;
}

/* The section a key belongs to, or -1. */
static int key_section(const char *k) {
    static const char *const keys[] = {"exec", "arg",    "env",   "seccomp", "fs",
                                       "net",  "device", "mount", "end"};
    for (int i = 0; i < (int)(sizeof(keys) / sizeof(keys[0])); i++) {
        if (strcmp(k, keys[i]) == 0) {
            return i;
        }
    }
    if (strcmp(k, "fs?") == 0 || strcmp(k, "fs*") == 0) {
        return SEC_FS;
    }
    return strcmp(k, "unscoped") == 0 ? SEC_NET : -1;
}

static int body_line(struct parser *p, char **tok, int ntok, struct sn_err *err) {
    struct cf_launch *l = p->l;
    int sec = key_section(tok[0]);
    if (sec < 0) {
        return perr(p, err, "unknown key");
    }
    if (sec < (int)p->sec) {
        return perr(p, err, "key out of order");
    }
    if (sec > SEC_SECCOMP && !p->have_seccomp) {
        return perr(p, err, "missing seccomp");
    }
    if (sec > SEC_EXEC && l->nexec == 0) {
        return perr(p, err, "missing exec");
    }
    p->sec = (enum section)sec;
    switch ((enum section)sec) {
        case SEC_EXEC: {
            SN_AUTOFREE char *pre = xasprintf("/snap/%s/%s/", l->snap, l->revision);
            if (ntok != 2 || !cf_clean_abs_path(tok[1]) || strncmp(tok[1], pre, strlen(pre)) != 0) {
                return perr(p, err, "exec must be a clean path inside the snap");
            }
            if (l->nexec >= CF_LAUNCH_MAX_EXEC) {
                return perr(p, err, "too many exec entries");
            }
            push(&l->exec, &l->nexec, xstrdup(tok[1]));
            return 0;
        }
        case SEC_ARG:
            if (ntok != 2 || l->nargs >= CF_LAUNCH_MAX_ARGS) {
                return perr(p, err, "invalid arg");
            }
            push(&l->args, &l->nargs, xstrdup(tok[1]));
            return 0;
        case SEC_ENV: {
            const char *eq = ntok == 2 ? strchr(tok[1], '=') : NULL;
            if (eq == NULL || !valid_env_name(tok[1], (size_t)(eq - tok[1])) ||
                l->nenv >= CF_LAUNCH_MAX_ENV) {
                return perr(p, err, "invalid env");
            }
            push(&l->env, &l->nenv, xstrdup(tok[1]));
            return 0;
        }
        case SEC_SECCOMP:
            if (p->have_seccomp || ntok != 3 ||
                !parse_hex(tok[1], l->seccomp_sha3, sizeof(l->seccomp_sha3)) ||
                !parse_u64(tok[2], 1 << 20, &l->seccomp_size)) {
                return perr(p, err, "invalid seccomp");
            }
            p->have_seccomp = true;
            return 0;
        case SEC_FS: {
            uint32_t a;
            if (ntok != 3 || parse_access(tok[1], &a) < 0 || !valid_fs_path(tok[2]) ||
                l->nfs >= CF_LAUNCH_MAX_FS) {
                return perr(p, err, "invalid fs rule");
            }
            l->fs = xrealloc(l->fs, (l->nfs + 1) * sizeof(*l->fs));
            bool glob = strcmp(tok[0], "fs*") == 0;
            l->fs[l->nfs++] =
                (struct cf_fs_rule){xstrdup(tok[2]), a, glob || strcmp(tok[0], "fs?") == 0, glob};
            return 0;
        }
        case SEC_NET: {
            if (strcmp(tok[0], "unscoped") == 0) {
                if (ntok != 2 || strcmp(tok[1], "signal") != 0) {
                    return perr(p, err, "invalid unscoped rule");
                }
                l->unscoped_signal = true;
                return 0;
            }
            if (ntok == 2 && strcmp(tok[1], "unrestricted") == 0 && l->nnet == 0 &&
                !l->net_unrestricted) {
                l->net_unrestricted = true;
                return 0;
            }
            if (ntok == 3 && strcmp(tok[2], "*") == 0 && !l->net_unrestricted &&
                (strcmp(tok[1], "bind") == 0 || strcmp(tok[1], "connect") == 0)) {
                *(tok[1][0] == 'b' ? &l->net_bind_any : &l->net_connect_any) = true;
                return 0;
            }
            uint64_t port;
            bool b = ntok == 3 && strcmp(tok[1], "bind") == 0;
            bool c = ntok == 3 && strcmp(tok[1], "connect") == 0;
            if ((!b && !c) || l->net_unrestricted || !parse_u64(tok[2], 65535, &port) ||
                port == 0 || l->nnet >= CF_LAUNCH_MAX_NET) {
                return perr(p, err, "invalid net rule");
            }
            l->net = xrealloc(l->net, (l->nnet + 1) * sizeof(*l->net));
            l->net[l->nnet++] = (struct cf_net_rule){(uint16_t)port, b, c};
            return 0;
        }
        case SEC_DEV: {
            uint64_t maj, min = 0;
            char *colon = ntok == 3 ? strchr(tok[2], ':') : NULL;
            if (colon == NULL || (strcmp(tok[1], "c") != 0 && strcmp(tok[1], "b") != 0) ||
                l->ndev >= CF_LAUNCH_MAX_DEV) {
                return perr(p, err, "invalid device");
            }
            *colon = '\0';
            bool any = strcmp(colon + 1, "*") == 0;
            if (!parse_u64(tok[2], 4095, &maj) || (!any && !parse_u64(colon + 1, 1048575, &min))) {
                return perr(p, err, "invalid device number");
            }
            l->dev = xrealloc(l->dev, (l->ndev + 1) * sizeof(*l->dev));
            l->dev[l->ndev++] = (struct cf_device){tok[1][0], (unsigned)maj, any ? -1 : (long)min};
            return 0;
        }
        case SEC_MOUNT: {
            bool ro = ntok == 4 && (strcmp(tok[1], "ro") == 0 || strcmp(tok[1], "ro?") == 0);
            bool rw = ntok == 4 && (strcmp(tok[1], "rw") == 0 || strcmp(tok[1], "rw?") == 0);
            bool optional = (ro || rw) && tok[1][2] == '?';
            if ((!ro && !rw) || !cf_clean_abs_path(tok[2]) || !cf_clean_abs_path(tok[3]) ||
                strcmp(tok[3], "/") == 0 || l->nmounts >= CF_LAUNCH_MAX_MOUNT) {
                return perr(p, err, "invalid mount");
            }
            l->mounts = xrealloc(l->mounts, (l->nmounts + 1) * sizeof(*l->mounts));
            l->mounts[l->nmounts++] =
                (struct cf_mount){xstrdup(tok[2]), xstrdup(tok[3]), ro, optional};
            return 0;
        }
        case SEC_END:
            if (ntok != 1) {
                return perr(p, err, "invalid end");
            }
            if (!p->have_seccomp) {
                return perr(p, err, "missing seccomp");
            }
            return 0;
    }
    return perr(p, err, "unknown key");
}

int cf_launch_parse(char *data, size_t len, struct cf_launch *out, struct sn_err *err) {
    struct cf_launch l;
    memset(&l, 0, sizeof(l));
    struct parser p = {&l, 0, SEC_EXEC, false};
    int r = 0;
    if (len > CF_LAUNCH_MAX_SIZE) {
        return sn_err_set(err, -EFBIG, "invalid launch description: larger than %d bytes",
                          CF_LAUNCH_MAX_SIZE);
    }
    if (len == 0 || data[len - 1] != '\n' || memchr(data, '\0', len) != NULL) {
        return sn_err_set(err, -EINVAL, "invalid launch description: truncated or binary");
    }
    bool ended = false;
    for (char *line = data; line < data + len;) {
        char *nl = memchr(line, '\n', (size_t)(data + len - line));
        *nl = '\0';
        p.lineno++;
        if (ended) {
            r = perr(&p, err, "data after end");
            break;
        }
        if ((size_t)(nl - line) > CF_LAUNCH_MAX_LINE) {
            r = perr(&p, err, "line too long");
            break;
        }
        char *tok[MAX_TOKENS];
        int ntok = 0;
        for (char *t = line;;) {
            char *sp = strchr(t, ' ');
            if (ntok == MAX_TOKENS) {
                ntok = -1;
                break;
            }
            tok[ntok++] = t;
            size_t tl = sp ? (size_t)(sp - t) : strlen(t);
            if (sp) {
                *sp = '\0';
            }
            if (tl == 0 || cf_token_decode(t, tl) < 0) {
                ntok = -2;
                break;
            }
            if (sp == NULL) {
                break;
            }
            t = sp + 1;
        }
        line = nl + 1;
        if (ntok < 0) {
            r = perr(&p, err, ntok == -1 ? "too many fields" : "empty field or bad escape");
            break;
        }
        if (p.lineno == 1) {
            if (ntok != 2 || strcmp(tok[0], CF_LAUNCH_MAGIC) != 0) {
                r = perr(&p, err, "not a launch description");
                break;
            }
            if (strcmp(tok[1], "1") != 0) {
                r = sn_err_set(err, -EPROTO, "unsupported launch description version '%s'", tok[1]);
                break;
            }
            continue;
        }
        if (p.lineno - 2 < NHEADER) {
            r = header_line(&p, p.lineno - 2, tok, ntok, err);
        } else {
            r = body_line(&p, tok, ntok, err);
            ended = r == 0 && p.sec == SEC_END;
        }
        if (r < 0) {
            break;
        }
    }
    if (r == 0 && !ended) {
        r = sn_err_set(err, -EINVAL, "invalid launch description: truncated (no end line)");
    }
    if (r < 0) {
        cf_launch_release(&l);
        return r;
    }
    *out = l;
    return 0;
}

void cf_launch_release(struct cf_launch *l) {
    free(l->tag);
    free(l->snap);
    free(l->instance);
    free(l->instance_key);
    free(l->revision);
    free(l->version);
    free(l->base);
    free(l->arch);
    sn_strv_free(l->exec);
    sn_strv_free(l->args);
    sn_strv_free(l->env);
    for (size_t i = 0; i < l->nfs; i++) {
        free(l->fs[i].path);
    }
    free(l->fs);
    free(l->net);
    free(l->dev);
    for (size_t i = 0; i < l->nmounts; i++) {
        free(l->mounts[i].source);
        free(l->mounts[i].target);
    }
    free(l->mounts);
    memset(l, 0, sizeof(*l));
}
