/* SPDX-License-Identifier: GPL-3.0-only
 * Replays fuzz corpora through LLVMFuzzerTestOneInput when libFuzzer is not linked in, so the
 * corpus runs as a regular test (under ASan/UBSan in ./build.sh test). Prints TAP.
 *   driver DIR|FILE...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n;

static void run_file(const char *path) {
    char *buf = NULL;
    size_t len = 0;
    struct sn_err err = SN_ERR_INIT;
    if (sn_read_file(path, 8 * 1024 * 1024, &buf, &len, &err) < 0) {
        printf("not ok %d - %s: %s\n", ++n, path, err.msg);
        return;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
    free(buf);
    printf("ok %d - %s\n", ++n, strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
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
    }
    printf("1..%d\n", n);
    return 0;
}
