/* SPDX-License-Identifier: GPL-3.0-only
 * snapc pack DIR [OUTDIR]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "log.h"
#include "pack.h"
#include "snap-json.h"

#include "banned.h"

/* Leave nothing behind, then die of the signal (exit status 128+sig in a shell). */
static void on_signal(int sig) {
    snap_pack_interrupted();
    signal(sig, SIG_DFL);
    raise(sig);
}

int cmd_pack(int argc, char **argv) {
    static const struct option opts[] = {
        {"compression", required_argument, NULL, 'c'},
        {"filename", required_argument, NULL, 'f'},
        {"check-skeleton", no_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct snap_pack_opts po = {.quiet = true};
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
            case 'c':
                po.compression = optarg;
                break;
            case 'f':
                po.filename = optarg;
                break;
            case 'k':
                po.check_only = true;
                break;
            case 'j':
                json = true;
                break;
            case 'h':
                return snapc_usage(snapc_find_cmd("pack"), false);
            default:
                return snapc_usage(snapc_find_cmd("pack"), true);
        }
    }
    int nargs = argc - optind;
    if (nargs > 2) {
        return snapc_usage(snapc_find_cmd("pack"), true);
    }
    const char *dir = nargs >= 1 ? argv[optind] : ".";
    const char *outdir = nargs == 2 ? argv[optind + 1] : ".";
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    /* one cleanup at a time */
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGTERM, &sa, NULL);
    (void)sigaction(SIGHUP, &sa, NULL);

    struct snap_problems probs = {0};
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE char *out = NULL;
    int r = snap_pack(dir, outdir, &po, &out, &probs, &err);
    if (json) {
        SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *o = json_object_new_object();
        json_object_object_add(o, "ok", json_object_new_boolean(r == 0));
        if (out) {
            json_object_object_add(o, "path", json_object_new_string(out));
        }
        struct json_object *a = json_object_new_array();
        for (size_t i = 0; i < probs.n; i++) {
            json_object_array_add(a, json_object_new_string(probs.msgs[i]));
        }
        if (r < 0 && probs.n == 0) {
            json_object_array_add(a, json_object_new_string(err.msg));
        }
        json_object_object_add(o, "problems", a);
        snapc_print_json(o);
    } else if (r < 0) {
        if (probs.n > 1) {
            log_error("cannot pack '%s': %zu problems:", dir, probs.n);
            for (size_t i = 0; i < probs.n; i++) {
                (void)fprintf(stderr, "  - %s\n", probs.msgs[i]);
            }
        } else {
            log_error("cannot pack '%s': %s", dir, err.msg);
        }
    } else if (po.check_only) {
        (void)printf("%s: valid\n", dir);
    } else {
        (void)printf("built: %s\n", out);
    }
    snap_problems_release(&probs);
    return r < 0 ? SNAPC_EXIT_FAIL : SNAPC_EXIT_OK;
}
