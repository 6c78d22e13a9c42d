/* SPDX-License-Identifier: GPL-3.0-only
 * snapc info FILE.snap|DIR
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "cli.h"
#include "client.h"
#include "fs.h"
#include "log.h"
#include "snap-container.h"
#include "snap-json.h"
#include "squashfs.h"
#include "xalloc.h"

#include "banned.h"

static void print_list(const char *label, char *const *v) {
    if (v == NULL || v[0] == NULL) {
        return;
    }
    (void)printf("%-12s ", label);
    for (size_t i = 0; v[i]; i++) {
        (void)printf("%s%s", i ? ", " : "", v[i]);
    }
    (void)putchar('\n');
}

static void print_ps(const char *label, const struct snap_plugslot *v, size_t n) {
    if (n == 0) {
        return;
    }
    (void)printf("%s:\n", label);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].name, v[i].iface) == 0) {
            (void)printf("  - %s", v[i].name);
        } else {
            (void)printf("  - %s (%s)", v[i].name, v[i].iface);
        }
        if (v[i].attrs != NULL) {
            SN_CLEANUP(sn_cleanup_json_object_put)
            struct json_object *a = snap_attrs_to_json(&v[i]);
            if (json_object_object_length(a) > 0) {
                (void)printf(" %s",
                             json_object_to_json_string_ext(
                                 a, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
            }
        }
        (void)putchar('\n');
    }
}

static void print_text(const struct snap_info *info, const struct snap_image *img,
                       const char *digest) {
    (void)printf("name:        %s\n", info->name);
    (void)printf("version:     %s\n", info->version);
    if (info->summary) {
        (void)printf("summary:     %s\n", info->summary);
    }
    (void)printf("type:        %s\n", snap_type_str(info->type));
    (void)printf("base:        %s\n", info->base ? info->base : "core");
    (void)printf("confinement: %s\n", snap_confinement_str(info->confinement));
    (void)printf("grade:       %s\n", snap_grade_str(info->grade));
    (void)printf("epoch:       %s\n", info->epoch);
    print_list("architectures:", info->architectures);
    if (info->license) {
        (void)printf("license:     %s\n", info->license);
    }
    bool any_app = false, any_svc = false;
    for (size_t i = 0; i < info->napps; i++) {
        any_app = any_app || info->apps[i].daemon == NULL;
        any_svc = any_svc || info->apps[i].daemon != NULL;
    }
    if (any_app) {
        (void)printf("apps:\n");
        for (size_t i = 0; i < info->napps; i++) {
            const struct snap_app *a = &info->apps[i];
            if (a->daemon == NULL) {
                (void)printf("  - %s.%s: %s\n", info->name, a->name, a->command ? a->command : "");
            }
        }
    }
    if (any_svc) {
        (void)printf("services:\n");
        for (size_t i = 0; i < info->napps; i++) {
            const struct snap_app *a = &info->apps[i];
            if (a->daemon != NULL) {
                (void)printf("  - %s.%s: %s (%s%s%s)\n", info->name, a->name,
                             a->command ? a->command : "", a->daemon,
                             a->restart_condition ? ", restart " : "",
                             a->restart_condition ? a->restart_condition : "");
            }
        }
    }
    print_ps("plugs", info->plugs, info->nplugs);
    print_ps("slots", info->slots, info->nslots);
    if (info->nhooks) {
        (void)printf("hooks:       ");
        for (size_t i = 0; i < info->nhooks; i++) {
            (void)printf("%s%s", i ? ", " : "", info->hooks[i].name);
        }
        (void)putchar('\n');
    }
    if (img != NULL) {
        (void)printf("size:        %llu bytes (%s, block %u KiB)\n",
                     (unsigned long long)img->file_size, img->compression, img->block_size / 1024);
    }
    if (digest != NULL) {
        (void)printf("sha3-384:    %s\n", digest);
    }
}

/* An installed snap: ask the daemon. */
static int info_installed(const char *name, bool json) {
    SN_AUTOFREE char *path = xasprintf("/v2/snaps/%s", name);
    struct client_resp resp;
    struct sn_err err = SN_ERR_INIT;
    int r = client_do("GET", path, NULL, &resp, &err);
    if (r < 0) {
        return client_fail(r, &err);
    }
    int rc = SNAPC_EXIT_OK;
    if (resp.type == NULL || strcmp(resp.type, "sync") != 0) {
        log_error("snap \"%s\" is not installed and is not a file or directory", name);
        rc = SNAPC_EXIT_FAIL;
    } else if (json) {
        snapc_print_json(resp.result);
    } else {
        static const char *const keys[] = {"name",         "version",      "revision",    "summary",
                                           "type",         "base",         "confinement", "status",
                                           "install-date", "mounted-from", "sha3-384"};
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
            struct json_object *v = NULL;
            if (json_object_object_get_ex(resp.result, keys[i], &v) && v &&
                json_object_get_string(v)[0]) {
                (void)printf("%-13s %s\n", keys[i], json_object_get_string(v));
            }
        }
        struct json_object *apps = NULL;
        if (json_object_object_get_ex(resp.result, "apps", &apps) &&
            json_object_array_length(apps) > 0) {
            (void)printf("apps:\n");
            for (size_t i = 0; i < json_object_array_length(apps); i++) {
                struct json_object *a = json_object_array_get_idx(apps, i), *n = NULL, *dm = NULL;
                json_object_object_get_ex(a, "name", &n);
                bool svc = json_object_object_get_ex(a, "daemon", &dm);
                (void)printf("  - %s.%s%s%s%s\n", name, json_object_get_string(n),
                             svc ? " (service: " : "", svc ? json_object_get_string(dm) : "",
                             svc ? ")" : "");
            }
        }
    }
    client_resp_release(&resp);
    return rc;
}

int cmd_info(int argc, char **argv) {
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"no-digest", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, digest = true;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
            case 'j':
                json = true;
                break;
            case 'n':
                digest = false;
                break;
            case 'h':
                return snapc_usage(snapc_find_cmd("info"), false);
            default:
                return snapc_usage(snapc_find_cmd("info"), true);
        }
    }
    if (argc - optind != 1) {
        return snapc_usage(snapc_find_cmd("info"), true);
    }
    const char *path = argv[optind];
    if (!sn_path_exists(path) && strchr(path, '/') == NULL) {
        return info_installed(path, json);
    }
    struct sn_err err = SN_ERR_INIT;
    SN_CLEANUP(sn_cleanup_snap_info_free) struct snap_info *info = NULL;
    struct snap_image img = {0};
    bool is_file = !sn_is_dir(path);
    int r = is_file ? snap_load_file(path, &info, &img, NULL, &err)
                    : snap_load_dir(path, &info, NULL, &err);
    if (r < 0) {
        log_error("%s", err.msg);
        return SNAPC_EXIT_FAIL;
    }
    /* a base: what the launcher's mount plan needs of it and cannot provide (the daemon
     * warns at install) */
    SN_AUTOSTRV char **lacks = NULL;
    if (is_file && (info->type == SNAP_TYPE_BASE || info->type == SNAP_TYPE_OS) &&
        snap_image_base_lacks(path, &lacks, &err) < 0) {
        log_error("%s", err.msg);
        snap_image_release(&img);
        return SNAPC_EXIT_FAIL;
    }
    char dg[65] = "";
    if (is_file && digest) {
        uint64_t size = 0;
        r = snap_file_digest(path, true, dg, &size, &err);
        if (r < 0) {
            log_error("%s", err.msg);
            snap_image_release(&img);
            return SNAPC_EXIT_FAIL;
        }
    }
    if (json) {
        SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *o = snap_info_to_json(info);
        json_object_object_add(o, "path", json_object_new_string(path));
        if (is_file) {
            json_object_object_add(o, "size", json_object_new_int64((int64_t)img.file_size));
            json_object_object_add(o, "compression", json_object_new_string(img.compression));
            if (dg[0]) {
                json_object_object_add(o, "sha3-384", json_object_new_string(dg));
            }
            if (lacks != NULL) {
                struct json_object *a = json_object_new_array();
                for (size_t i = 0; lacks[i] != NULL; i++) {
                    json_object_array_add(a, json_object_new_string(lacks[i]));
                }
                json_object_object_add(o, "base-lacks", a);
            }
        }
        snapc_print_json(o);
    } else {
        print_text(info, is_file ? &img : NULL, dg[0] ? dg : NULL);
        if (lacks != NULL && lacks[0] != NULL) {
            (void)printf("base-lacks: ");
            for (size_t i = 0; lacks[i] != NULL; i++) {
                (void)printf(" %s", lacks[i]);
            }
            (void)printf(" (snapc-confine cannot provide them: see docs/mount-plan.md)\n");
        }
    }
    snap_image_release(&img);
    return SNAPC_EXIT_OK;
}
