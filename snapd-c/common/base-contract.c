/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "base-contract.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "xalloc.h"

#include "banned.h"

/* confine/mount.c: rows 2-4, 6, 7, 9-11 and 13 of docs/mount-plan.md, and /etc (the shared
 * host files go there and every Landlock ruleset names it). /home is not here: only the data
 * of users other than root lives there, and a base without it still runs apps as root. */
const char *const base_contract_paths[] = {
    "dev", "etc", "proc", "root", "run", "snap", "sys", "tmp", "var/lib/snapd", "var/snap", NULL,
};

static bool has(char **v, size_t n, const char *s) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

char **base_contract_lacks(base_lookup_fn lookup, void *ctx) {
    size_t cap = sizeof(base_contract_paths) / sizeof(base_contract_paths[0]);
    char **out = xcalloc(cap, sizeof(char *));
    size_t n = 0;
    for (size_t i = 0; base_contract_paths[i] != NULL; i++) {
        const char *path = base_contract_paths[i];
        /* walk the components: a real directory goes on; a missing one is made unless it is
         * at the top; anything else (a symlink, a file) is never made over */
        for (const char *end = path;; end++) {
            if (*end != '/' && *end != '\0') {
                continue;
            }
            SN_AUTOFREE char *prefix = xstrndup(path, (size_t)(end - path));
            enum base_entry e = lookup(ctx, prefix);
            bool top = strchr(prefix, '/') == NULL;
            if (e == BASE_ENTRY_OTHER || (e == BASE_ENTRY_MISSING && top)) {
                SN_AUTOFREE char *abs = xasprintf("/%s", prefix);
                if (!has(out, n, abs)) {
                    out[n++] = SN_TAKE_PTR(abs);
                }
                break;
            }
            if (e == BASE_ENTRY_MISSING || *end == '\0') {
                break; /* made on a mimic of the directory above, or there */
            }
        }
    }
    return out;
}
