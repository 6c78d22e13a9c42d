/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "invocation.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "launch-format.h"
#include "xalloc.h"

#include "banned.h"

static int set_tag(struct cf_invocation *inv, const char *tag, struct sn_err *err) {
    if (strlen(tag) >= sizeof(inv->tag) ||
        !cf_parse_tag(tag, inv->instance, inv->app, &inv->is_hook)) {
        return sn_err_set(err, -EINVAL, "invalid security tag '%s'", tag);
    }
    (void)snprintf(inv->tag, sizeof(inv->tag), "%s", tag);
    return 0;
}

int cf_invocation_parse(int argc, char **argv, uid_t real_uid, const char *env_root,
                        struct cf_invocation *inv, struct sn_err *err) {
    memset(inv, 0, sizeof(*inv));
    const char *root = env_root;
    const char *prog = argc > 0 ? strrchr(argv[0], '/') : NULL;
    prog = prog ? prog + 1 : (argc > 0 ? argv[0] : "snapc-confine");
    int i = 1;
    if (strcmp(prog, "snapc-confine") != 0) {
        /* wrapper: snap/bin/SNAP[.APP] */
        const char *dot = strchr(prog, '.');
        SN_AUTOFREE char *tag =
            dot ? xasprintf("snap.%s", prog) : xasprintf("snap.%s.%s", prog, prog);
        int r = set_tag(inv, tag, err);
        if (r < 0) {
            return sn_err_set(err, -EINVAL, "cannot run '%s': not a snap command name", prog);
        }
    } else {
        const char *tag = NULL;
        for (; i < argc; i++) {
            const char *a = argv[i];
            if (strcmp(a, "--") == 0) {
                i++;
                break;
            }
            if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                inv->help = true;
                return 0;
            }
            if (strcmp(a, "--version") == 0) {
                inv->version = true;
                return 0;
            }
            if (strcmp(a, "--root") == 0 || strncmp(a, "--root=", 7) == 0) {
                if (a[6] == '=') {
                    root = a + 7;
                } else if (i + 1 < argc) {
                    root = argv[++i];
                } else {
                    return sn_err_set(err, -EINVAL, "--root needs a directory");
                }
                if (real_uid != 0) {
                    return sn_err_set(err, -EPERM, "--root is only honoured for root");
                }
                continue;
            }
            if (a[0] == '-') {
                return sn_err_set(err, -EINVAL, "unknown option '%s'", a);
            }
            break;
        }
        if (i >= argc) {
            return sn_err_set(err, -EINVAL, "missing security tag");
        }
        tag = argv[i++];
        int r = set_tag(inv, tag, err);
        if (r < 0) {
            return r;
        }
    }
    inv->args = argv + i;
    inv->nargs = (size_t)(argc - i);
    if (real_uid != 0) {
        root = NULL;
    }
    if (root == NULL || root[0] == '\0') {
        root = "/";
    }
    char real[PATH_MAX];
    if (realpath(root, real) == NULL) {
        return sn_err_set(err, -errno, "cannot resolve root directory '%s': %s", root,
                          strerror(errno));
    }
    inv->root = xstrdup(real);
    return 0;
}

void cf_invocation_release(struct cf_invocation *inv) {
    free(inv->root);
    inv->root = NULL;
}
