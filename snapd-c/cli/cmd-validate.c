/* SPDX-License-Identifier: GPL-3.0-only
 * snapc validate FILE.snap|DIR
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "log.h"
#include "snap-container.h"
#include "snap-json.h"

#include "banned.h"

int cmd_validate(int argc, char **argv) {
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+hq", opts, NULL)) != -1) {
        switch (c) {
            case 'j':
                json = true;
                break;
            case 'q':
                quiet = true;
                break;
            case 'h':
                return snapc_usage(snapc_find_cmd("validate"), false);
            default:
                return snapc_usage(snapc_find_cmd("validate"), true);
        }
    }
    if (argc - optind != 1) {
        return snapc_usage(snapc_find_cmd("validate"), true);
    }
    const char *path = argv[optind];
    struct snap_problems probs = {0};
    struct sn_err err = SN_ERR_INIT;
    struct snap_info *info = NULL;
    int r;
    if (sn_is_dir(path)) {
        r = snap_load_dir(path, &info, &probs, &err);
        if (r == 0) {
            r = snap_check_dir(path, info, &probs, &err);
        }
    } else {
        r = snap_load_file(path, &info, NULL, &probs, &err);
    }
    snap_info_free(info);
    if (r < 0 && probs.n == 0) {
        snap_problems_add(&probs, "%s", err.msg);
    }
    if (json) {
        SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *o = json_object_new_object();
        json_object_object_add(o, "path", json_object_new_string(path));
        json_object_object_add(o, "valid", json_object_new_boolean(r == 0));
        struct json_object *a = json_object_new_array();
        for (size_t i = 0; i < probs.n; i++) {
            json_object_array_add(a, json_object_new_string(probs.msgs[i]));
        }
        json_object_object_add(o, "problems", a);
        snapc_print_json(o);
    } else if (!quiet) {
        if (r == 0) {
            (void)printf("%s: valid\n", path);
        } else {
            for (size_t i = 0; i < probs.n; i++) {
                (void)fprintf(stderr, "%s\n", probs.msgs[i]);
            }
            (void)fprintf(stderr, "%s: %zu problem%s\n", path, probs.n, probs.n == 1 ? "" : "s");
        }
    }
    snap_problems_release(&probs);
    return r < 0 ? SNAPC_EXIT_FAIL : SNAPC_EXIT_OK;
}
