/* SPDX-License-Identifier: GPL-3.0-only
 * common-files.c: the shared shape of system-files and personal-files: a plug lists absolute
 * paths (or $HOME/... paths) to `read` and to `write`; each path covers itself and everything
 * below it. Path rules follow snapd (interfaces/builtin/common_files.go).
 */
#include <errno.h>
#include <string.h>

#include "cleanup.h"
#include "iface-internal.h"
#include "xalloc.h"

#include "fs.h"

#include "banned.h"

static int check_path(const struct iface_end *e, bool home, const char *attr, const char *p,
                      struct sn_err *err) {
    size_t n = strlen(p);
    if (n == 0) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s' has an empty path", attr);
    }
    if (p[n - 1] == '/') {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' cannot end with '/'", attr, p);
    }
    if (p[n - 1] == '@') {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' cannot end with '@'", attr, p);
    }
    if (strcmp(p, "..") == 0 || strncmp(p, "../", 3) == 0 || strstr(p, "/../") != NULL ||
        (n >= 3 && strcmp(p + n - 3, "/..") == 0)) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' cannot contain '..'", attr, p);
    }
    SN_AUTOFREE char *clean = sn_path_clean(p);
    if (strcmp(clean, p) != 0) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': cannot use '%s': try '%s'", attr, p,
                              clean);
    }
    if (strchr(p, '~') != NULL) {
        return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' cannot contain '~'", attr, p);
    }
    char c = iface_aare_char(p);
    if (c != 0) {
        return iface_end_fail(e, err, -EINVAL,
                              "attribute '%s': '%s' contains a reserved apparmor char '%c'", attr,
                              p, c);
    }
    if (home) {
        if (strncmp(p, "$HOME/", 6) != 0) {
            return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' must start with '$HOME/'",
                                  attr, p);
        }
        if (strstr(p + 1, "$HOME") != NULL) {
            return iface_end_fail(e, err, -EINVAL,
                                  "attribute '%s': $HOME must only be used at the start of '%s'",
                                  attr, p);
        }
        if (strchr(p + 1, '$') != NULL) {
            return iface_end_fail(e, err, -EINVAL,
                                  "attribute '%s': '%s' may use no variable but $HOME", attr, p);
        }
    } else {
        if (strchr(p, '$') != NULL) {
            return iface_end_fail(e, err, -EINVAL,
                                  "attribute '%s': '%s' cannot use variables ($HOME is for "
                                  "personal-files)",
                                  attr, p);
        }
        if (p[0] != '/') {
            return iface_end_fail(e, err, -EINVAL, "attribute '%s': '%s' must start with '/'", attr,
                                  p);
        }
    }
    return 0;
}

int iface_files_validate_plug(const struct iface_def *d, const struct iface_end *plug,
                              struct sn_err *err) {
    const struct iface_files *f = d->param;
    static const char *const attrs[] = {"read", "write"};
    bool any = false;
    for (size_t a = 0; a < 2; a++) {
        const struct sn_ynode *n = iface_end_attr(plug, attrs[a]);
        if (n == NULL) {
            continue;
        }
        any = true;
        for (size_t i = 0; i < n->n; i++) {
            int r = check_path(plug, f->home, attrs[a], n->items[i]->value, err);
            if (r < 0) {
                return r;
            }
        }
    }
    if (!any) {
        return iface_end_fail(plug, err, -EINVAL, "needs a valid 'read' or 'write' attribute");
    }
    return 0;
}

int iface_files_connected_plug(const struct iface_def *d, const struct iface_connection *c,
                               const struct iface_env *env, struct iface_policy *out,
                               struct sn_err *err) {
    static const struct {
        const char *attr, *perm;
        uint32_t access;
    } kinds[] = {{"read", "rk", IFACE_FS_READ}, {"write", "rwkl", IFACE_FS_RW}};
    sn_strbuf_addf(&out->apparmor, "# %s: plug '%s'\n", d->name, c->plug.name);
    for (size_t k = 0; k < 2; k++) {
        const struct sn_ynode *n = iface_end_attr(&c->plug, kinds[k].attr);
        for (size_t i = 0; n != NULL && i < n->n; i++) {
            const char *p = n->items[i]->value;
            bool home = strncmp(p, "$HOME/", 6) == 0;
            const char *rest = home ? p + 5 : p;
            sn_strbuf_addf(&out->apparmor, "%s\"%s%s{,/,/**}\" %s,\n", home ? "owner " : "",
                           home ? "@{HOME}" : "", rest, kinds[k].perm);
            SN_AUTOFREE char *fs = xasprintf("%s%s", home ? "@{HOME}" : "", rest);
            iface_policy_add_fs(out, fs, kinds[k].access, true);
            if (!home) {
                /* the path as the device has it (ROOT + path): the base snap's tree is what
                 * the sandbox sees otherwise (docs/mount-plan.md row 16) */
                iface_policy_add_mount_optional(out, p, p, kinds[k].access == IFACE_FS_READ);
            }
        }
    }
    return 0;
}
