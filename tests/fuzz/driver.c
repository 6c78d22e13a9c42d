/* SPDX-License-Identifier: GPL-3.0-only
 * Replays fuzz corpora through LLVMFuzzerTestOneInput when libFuzzer is not linked in, so the
 * corpus runs as a regular test (under ASan/UBSan in ./build.sh test). Prints TAP: one check
 * per corpus argument, with the number of inputs in its name (a crash aborts the program, which
 * the summary counts as a failure; an unreadable input fails the check and is named).
 *   driver DIR|FILE...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inputs, unreadable;

static void run_file(const char *path) {
    char *buf = NULL;
    size_t len = 0;
    struct sn_err err = SN_ERR_INIT;
    if (sn_read_file(path, 8 * 1024 * 1024, &buf, &len, &err) < 0) {
        printf("# cannot read %s: %s\n", path, err.msg);
        unreadable++;
        return;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
    free(buf);
    inputs++;
}

int main(int argc, char **argv) {
    int checks = 0;
    for (int i = 1; i < argc; i++) {
        inputs = unreadable = 0;
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *de;
            while (d && (de = readdir(d)) != NULL) {
                if (de->d_name[0] == '.') {
                    continue;
                }
                char *p = NULL;
                if (asprintf(&p, "%s/%s", argv[i], de->d_name) > 0) {
                    run_file(p);
                    free(p);
                }
            }
            if (d) {
                closedir(d);
            }
        } else {
            run_file(argv[i]);
        }
        bool good = unreadable == 0 && inputs > 0;
        printf("%s %d - corpus %s: %d inputs replayed without a crash\n", good ? "ok" : "not ok",
               ++checks, argv[i], inputs);
    }
    printf("1..%d\n", checks);
    return 0;
}
