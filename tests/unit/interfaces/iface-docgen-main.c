/* SPDX-License-Identifier: GPL-3.0-only
 * iface-docgen: refresh the generated sections of docs/interfaces/<name>.md.
 *   iface-docgen DIR          rewrite each page's generated section (creating missing pages)
 *   iface-docgen --check DIR  exit 1 when a page is missing or out of date
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iface-docgen.h"

#include "banned.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&buf, &cap, '\0', f);
    fclose(f);
    if (n < 0) {
        free(buf);
        return strdup("");
    }
    return buf;
}

int main(int argc, char **argv) {
    bool check = argc == 3 && strcmp(argv[1], "--check") == 0;
    if (argc != 2 && !check) {
        fprintf(stderr, "usage: iface-docgen [--check] DIR\n");
        return 2;
    }
    const char *dir = argv[argc - 1];
    int bad = 0;
    for (size_t i = 0; i < iface_count(); i++) {
        const struct iface_def *d = iface_at(i);
        char path[1024];
        (void)snprintf(path, sizeof(path), "%s/%s.md", dir, d->name);
        char *page = slurp(path);
        struct sn_strbuf out = SN_STRBUF_INIT;
        if (page == NULL) {
            char head[256];
            (void)snprintf(head, sizeof(head), "# %s\n\n", d->name);
            docgen_update(d, head, &out);
        } else {
            docgen_update(d, page, &out);
        }
        bool same = page != NULL && strcmp(page, out.buf) == 0;
        if (check && !same) {
            fprintf(stderr, "%s: %s\n", path, page ? "out of date" : "missing");
            bad = 1;
        } else if (!check && !same) {
            FILE *f = fopen(path, "w");
            if (f == NULL || fputs(out.buf, f) < 0 || fclose(f) != 0) {
                perror(path);
                return 1;
            }
            printf("wrote %s\n", path);
        }
        free(page);
        sn_strbuf_release(&out);
    }
    return bad;
}
