/* SPDX-License-Identifier: GPL-3.0-only
 * snapc run [--root DIR] [--hook HOOK] NAME[.APP] [ARGS...]
 *
 * Resolves the security tag and execs snapc-confine, which does all the work (no daemon
 * round trip). snapc-confine is found through $SNAPC_CONFINE, next to this snapc binary, or
 * in ../libexec/snapc/ relative to it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "launch-format.h"
#include "log.h"
#include "xalloc.h"

#include "banned.h"

static char *find_confine(void) {
    const char *env = getenv("SNAPC_CONFINE");
    if (env != NULL && env[0] != '\0') {
        return xstrdup(env);
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0) {
        return NULL;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash == NULL) {
        return NULL;
    }
    *slash = '\0';
    char *c = xasprintf("%s/snapc-confine", self);
    if (access(c, X_OK) == 0) {
        return c;
    }
    free(c);
    c = xasprintf("%s/../libexec/snapc/snapc-confine", self);
    if (access(c, X_OK) == 0) {
        return c;
    }
    free(c);
    return NULL;
}

int cmd_run(int argc, char **argv) {
    const char *root = NULL, *hook = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            return snapc_usage(snapc_find_cmd("run"), false);
        }
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if ((strcmp(a, "--root") == 0 || strcmp(a, "--hook") == 0) && i + 1 < argc) {
            *(a[2] == 'r' ? &root : &hook) = argv[++i];
            continue;
        }
        if (strncmp(a, "--root=", 7) == 0) {
            root = a + 7;
            continue;
        }
        if (strncmp(a, "--hook=", 7) == 0) {
            hook = a + 7;
            continue;
        }
        if (a[0] == '-') {
            log_error("unknown option '%s'", a);
            return snapc_usage(snapc_find_cmd("run"), true);
        }
        break;
    }
    if (i >= argc) {
        return snapc_usage(snapc_find_cmd("run"), true);
    }
    const char *what = argv[i++];
    SN_AUTOFREE char *name = xstrdup(what);
    char *dot = strchr(name, '.');
    const char *app = name;
    if (dot != NULL) {
        *dot = '\0';
        app = dot + 1;
    }
    SN_AUTOFREE char *tag = NULL;
    if (hook != NULL) {
        if (dot != NULL || !cf_valid_hook_name(hook)) {
            log_error("invalid hook '%s' for snap '%s'", hook, what);
            return SNAPC_EXIT_USAGE;
        }
        tag = xasprintf("snap.%s.hook.%s", name, hook);
    } else {
        tag = xasprintf("snap.%s.%s", name, app);
    }
    char inst[64], appn[64];
    bool is_hook;
    if (!cf_parse_tag(tag, inst, appn, &is_hook) || (hook == NULL && is_hook)) {
        log_error("invalid snap command '%s'", what);
        return SNAPC_EXIT_USAGE;
    }
    SN_AUTOFREE char *confine = find_confine();
    if (confine == NULL) {
        log_error("cannot find snapc-confine (set SNAPC_CONFINE)");
        return SNAPC_EXIT_FAIL;
    }
    size_t nargs = (size_t)(argc - i);
    char **cargv = xcalloc(nargs + 6, sizeof(*cargv));
    size_t n = 0;
    cargv[n++] = "snapc-confine";
    if (root != NULL) {
        cargv[n++] = "--root";
        cargv[n++] = (char *)root;
    }
    cargv[n++] = "--";
    cargv[n++] = tag;
    for (size_t k = 0; k < nargs; k++) {
        cargv[n++] = argv[i + (int)k];
    }
    cargv[n] = NULL;
    execv(confine, cargv);
    int e = errno;
    log_error("cannot execute '%s': %s", confine, strerror(e));
    free(cargv);
    return SNAPC_EXIT_FAIL;
}
