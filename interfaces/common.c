/* SPDX-License-Identifier: GPL-3.0-only
 * common.c: helpers shared by the interface definitions.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "iface-internal.h"
#include "xalloc.h"

#include "fs.h"

#include "banned.h"

bool iface_re_match(const char *ere, const char *s) {
    regex_t re;
    int r = regcomp(&re, ere, REG_EXTENDED | REG_NOSUB);
    if (r != 0) {
        SN_BUG("bad interface pattern '%s'", ere);
    }
    r = regexec(&re, s, 0, NULL, 0);
    regfree(&re);
    return r == 0;
}

bool iface_path_is_clean(const char *p) {
    SN_AUTOFREE char *c = sn_path_clean(p);
    return strcmp(c, p) == 0;
}

char iface_aare_char(const char *p) {
    const char *q = strpbrk(p, "?*[]{}^\"");
    return q != NULL ? *q : 0;
}

void iface_subst(struct sn_strbuf *sb, const char *tmpl, const char *key, const char *value) {
    char mark[64];
    (void)snprintf(mark, sizeof(mark), "###%s###", key);
    size_t ml = strlen(mark);
    const char *p = tmpl;
    const char *q;
    while ((q = strstr(p, mark)) != NULL) {
        sn_strbuf_add(sb, p, (size_t)(q - p));
        sn_strbuf_addstr(sb, value);
        p = q + ml;
    }
    sn_strbuf_addstr(sb, p);
}

static void add_text(struct sn_strbuf *sb, const char *text, const char *iface, const char *what) {
    if (text == NULL || text[0] == '\0') {
        return;
    }
    sn_strbuf_addf(sb, "# %s: %s\n", iface, what);
    while (*text == '\n') {
        text++;
    }
    sn_strbuf_addstr(sb, text);
    if (sb->len > 0 && sb->buf[sb->len - 1] != '\n') {
        sn_strbuf_addch(sb, '\n');
    }
}

void iface_add_snippets(struct iface_policy *out, const struct iface_snippets *s, const char *iface,
                        const char *what) {
    add_text(&out->apparmor, s->apparmor, iface, what);
    add_text(&out->seccomp, s->seccomp, iface, what);
    for (const struct iface_fs_spec *f = s->fs; f != NULL && f->path != NULL; f++) {
        if (f->glob) {
            iface_policy_add_fs_glob(out, f->path, f->access, f->optional);
        } else {
            iface_policy_add_fs(out, f->path, f->access, f->optional);
        }
    }
    for (const struct iface_dev_spec *d = s->devices;
         d != NULL && (d->subsystem != NULL || d->kernel != NULL || d->node != NULL); d++) {
        iface_policy_add_device(out, d->subsystem, d->kernel, d->node, d->attrs);
    }
    for (const char *const *k = s->kmods; k != NULL && *k != NULL; k++) {
        iface_policy_add_kmod(out, *k);
    }
    if (s->net_any != 0) {
        iface_policy_add_net(out, 0, s->net_any);
        for (size_t i = 0; i < out->nnet; i++) {
            if (out->net[i].port == 0 &&
                (out->net[i].access & (IFACE_NET_BIND | IFACE_NET_CONNECT)) ==
                    (IFACE_NET_BIND | IFACE_NET_CONNECT)) {
                out->net_unrestricted = true;
            }
        }
    }
    out->unscoped |= s->unscoped;
}

static const char *kind_name(enum iface_attr_kind k) {
    switch (k) {
        case IFACE_A_STRING:
            return "a string";
        case IFACE_A_INT:
            return "an int";
        case IFACE_A_BOOL:
            return "a bool";
        case IFACE_A_STRLIST:
            return "a list of strings";
        case IFACE_A_LIST:
            return "a list";
        case IFACE_A_MAP:
            return "a map";
    }
    return "?";
}

static int bad_type(const struct iface_end *e, const struct iface_attr_spec *s,
                    const struct sn_ynode *n, struct sn_err *err) {
    enum iface_attr_type t = iface_attr_type_of(n);
    if (t == IFACE_ATTR_LIST || t == IFACE_ATTR_MAP) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s' must be %s, not a %s", s->name,
                              kind_name(s->kind), iface_attr_type_name(t));
    }
    return iface_end_fail(e, err, -EINVAL, "attribute '%s' must be %s, not %s '%s'", s->name,
                          kind_name(s->kind), iface_attr_type_name(t), iface_attr_repr(n));
}

int iface_check_attr_specs(const struct iface_attr_spec *spec, const struct iface_end *e,
                           struct sn_err *err) {
    for (const struct iface_attr_spec *s = spec; s != NULL && s->name != NULL; s++) {
        const struct sn_ynode *n = iface_end_attr(e, s->name);
        if (n == NULL) {
            if (s->required) {
                return iface_end_fail(e, err, -EINVAL, "attribute '%s' is required", s->name);
            }
            continue;
        }
        int64_t v;
        switch (s->kind) {
            case IFACE_A_STRING: {
                const char *str = iface_attr_str(n);
                if (str == NULL) {
                    return bad_type(e, s, n, err);
                }
                if (s->pattern != NULL && !iface_re_match(s->pattern, str)) {
                    return iface_end_fail(e, err, -EINVAL,
                                          "attribute '%s' has invalid value '%s' (must match %s)",
                                          s->name, str, s->pattern);
                }
                break;
            }
            case IFACE_A_INT: {
                int r = iface_attr_int(n, &v);
                if (r == -ERANGE) {
                    return iface_end_fail(e, err, -EINVAL, "attribute '%s' is out of range: %s",
                                          s->name, n->value);
                }
                if (r < 0) {
                    return bad_type(e, s, n, err);
                }
                if (s->min < s->max && (v < s->min || v > s->max)) {
                    return iface_end_fail(e, err, -EINVAL,
                                          "attribute '%s' must be in %lld..%lld, got %lld", s->name,
                                          (long long)s->min, (long long)s->max, (long long)v);
                }
                break;
            }
            case IFACE_A_BOOL:
                if (iface_attr_bool(n) < 0) {
                    return bad_type(e, s, n, err);
                }
                break;
            case IFACE_A_STRLIST:
                if (!iface_attr_is_str_list(n)) {
                    return bad_type(e, s, n, err);
                }
                for (size_t i = 0; s->pattern != NULL && i < n->n; i++) {
                    if (!iface_re_match(s->pattern, n->items[i]->value)) {
                        return iface_end_fail(
                            e, err, -EINVAL, "attribute '%s' has invalid item '%s' (must match %s)",
                            s->name, n->items[i]->value, s->pattern);
                    }
                }
                break;
            case IFACE_A_LIST:
                if (n->kind != SN_Y_SEQ) {
                    return bad_type(e, s, n, err);
                }
                break;
            case IFACE_A_MAP:
                if (n->kind != SN_Y_MAP) {
                    return bad_type(e, s, n, err);
                }
                break;
        }
    }
    return 0;
}
