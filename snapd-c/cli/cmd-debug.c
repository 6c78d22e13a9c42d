/* SPDX-License-Identifier: GPL-3.0-only
 * snapc debug sandbox-features [--json]
 * snapc debug setup-profiles [--root DIR] [--devmode] [--host-root] [--policy FILE] NAME REV
 * snapc debug remove-profiles [--root DIR] NAME
 * snapc debug compile-seccomp SRC OUT.bin2
 *
 * Tools for tests and bring-up: setup-profiles does what the daemon's setup-profiles task
 * does, on a snap already mounted at ROOT/snap/NAME/REV.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "log.h"
#include "policy.h"
#include "security.h"
#include "snap-container.h"
#include "xalloc.h"

#include "banned.h"

SN_DEFINE_CLEANUP(struct json_object *, json_object_put)

/* ---- sandbox-features ---- */

static int landlock_abi(void) {
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U /* ..._VERSION */);
    return v < 0 ? 0 : (int)v;
}

static bool file_starts(const char *path, const char *prefix) {
    SN_AUTOFREE char *v = NULL;
    size_t n = 0;
    return sn_read_file(path, 4096, &v, &n, NULL) == 0 && strncmp(v, prefix, strlen(prefix)) == 0;
}

static bool on_path(const char *prog) {
    const char *path = getenv("PATH");
    SN_AUTOFREE char *copy = xstrdup(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
    char *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        SN_AUTOFREE char *p = xasprintf("%s/%s", d, prog);
        if (access(p, X_OK) == 0) {
            return true;
        }
    }
    return false;
}

static const struct {
    int abi;
    const char *feature, *use;
} ll_features[] = {
    {1, "fs", "file system rules (read, write, execute, create, remove)"},
    {2, "fs-refer", "renames and links across directories (ABI 1 refuses all of them)"},
    {3, "fs-truncate", "truncate(2) restricted like writes"},
    {4, "net-tcp", "TCP bind/connect port rules"},
    {5, "fs-ioctl-dev", "ioctl on device nodes restricted"},
    {6, "scope", "signal scoping (lifted by process-control); abstract unix sockets not scoped"},
    {7, "audit-log", "denial logging flags (not used)"},
};

static int sandbox_features(int argc, char **argv) {
    bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
    int abi = landlock_abi();
    SN_AUTOFREE char *actions = NULL;
    size_t n = 0;
    if (sn_read_file("/proc/sys/kernel/seccomp/actions_avail", 4096, &actions, &n, NULL) < 0) {
        actions = xstrdup("");
    }
    actions[strcspn(actions, "\n")] = '\0';
    bool aa = file_starts("/sys/module/apparmor/parameters/enabled", "Y");
    bool aa_parser = on_path("apparmor_parser");
    bool v1 = access("/sys/fs/cgroup/devices/devices.allow", W_OK) == 0;
    bool v2 = access("/sys/fs/cgroup/cgroup.controllers", R_OK) == 0 ||
              access("/sys/fs/cgroup/unified/cgroup.controllers", R_OK) == 0;
    /* what snapc-confine picks for a tag with granted devices (confine/devcgroup.h); with
     * neither, such a tag is refused and the others are confined by Landlock alone */
    const char *devconf = v1 ? "cgroup-v1-devices" : v2 ? "cgroup-v2-bpf" : "none";
    if (json) {
        SN_CLEANUP(sn_cleanup_json_object_put) struct json_object *o = json_object_new_object();
        struct json_object *ll = json_object_new_object();
        json_object_object_add(ll, "abi", json_object_new_int(abi));
        struct json_object *have = json_object_new_array(), *miss = json_object_new_array();
        for (size_t i = 0; i < sizeof(ll_features) / sizeof(ll_features[0]); i++) {
            json_object_array_add(abi >= ll_features[i].abi ? have : miss,
                                  json_object_new_string(ll_features[i].feature));
        }
        json_object_object_add(ll, "features", have);
        json_object_object_add(ll, "degraded", miss);
        json_object_object_add(o, "landlock", ll);
        struct json_object *sc = json_object_new_object();
        struct json_object *acts = json_object_new_array();
        SN_AUTOFREE char *copy = xstrdup(actions);
        char *save = NULL;
        for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
            json_object_array_add(acts, json_object_new_string(t));
        }
        json_object_object_add(sc, "actions", acts);
        json_object_object_add(sc, "log", json_object_new_boolean(strstr(actions, "log") != NULL));
        json_object_object_add(o, "seccomp", sc);
        struct json_object *a = json_object_new_object();
        json_object_object_add(a, "enabled", json_object_new_boolean(aa));
        json_object_object_add(a, "parser", json_object_new_boolean(aa_parser));
        json_object_object_add(o, "apparmor", a);
        struct json_object *cg = json_object_new_object();
        json_object_object_add(cg, "v1-devices", json_object_new_boolean(v1));
        json_object_object_add(cg, "v2", json_object_new_boolean(v2));
        json_object_object_add(cg, "device-confinement", json_object_new_string(devconf));
        json_object_object_add(o, "cgroup", cg);
        snapc_print_json(o);
        return SNAPC_EXIT_OK;
    }
    (void)printf("landlock:  ABI %d%s\n", abi, abi ? "" : " (not available: no file confinement)");
    for (size_t i = 0; i < sizeof(ll_features) / sizeof(ll_features[0]); i++) {
        (void)printf("  %-13s %-9s %s\n", ll_features[i].feature,
                     abi >= ll_features[i].abi ? "yes" : "DEGRADED", ll_features[i].use);
    }
    (void)printf("seccomp:   actions: %s\n", actions[0] ? actions : "(none)");
    (void)printf("  devmode logging (log action): %s\n", strstr(actions, "log") ? "yes" : "no");
    (void)printf("apparmor:  %s; apparmor_parser %s\n", aa ? "enabled" : "not in this kernel",
                 aa_parser ? "installed (profiles are compiled)" : "not installed");
    (void)printf("cgroup:    v1 devices %s, v2 %s; device confinement: %s\n", v1 ? "yes" : "no",
                 v2 ? "yes" : "no", devconf);
    return SNAPC_EXIT_OK;
}

/* ---- setup-profiles ---- */

/* A debug policy file, applied to every tag (or to one tag after "@TAG"):
 *   seccomp LINE | apparmor LINE | fs[?] ACCESS PATH | net bind|connect PORT |
 *   net unrestricted | device /dev/NODE | device SUBSYSTEM KERNEL-GLOB | mount ro|rw SRC TGT */
struct debug_policy {
    char *text;
};

static uint32_t access_bits(const char *s) {
    uint32_t a = 0;
    for (; *s; s++) {
        a |= *s == 'r'   ? IFACE_FS_READ
             : *s == 'w' ? IFACE_FS_WRITE
             : *s == 'x' ? IFACE_FS_EXEC
             : *s == 'd' ? IFACE_FS_DEVICE
             : *s == 'm' ? IFACE_FS_MAKE
                         : 0;
    }
    return a;
}

static int debug_policy_fn(const struct snap_info *info, const char *tag, struct iface_policy *out,
                           void *data, struct sn_err *err) {
    struct debug_policy *dp = data;
    SN_AUTOFREE char *copy = xstrdup(dp->text);
    bool applies = true;
    int lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        if (line[0] == '@') {
            applies = strcmp(line + 1, "*") == 0 || strcmp(line + 1, tag) == 0;
            continue;
        }
        if (!applies) {
            continue;
        }
        char *rest = strchr(line, ' ');
        if (rest == NULL) {
            return sn_err_set(err, -EINVAL, "policy line %d: missing value", lineno);
        }
        *rest++ = '\0';
        char a[64] = "", b[1024] = "", c[1024] = "";
        int nf = sscanf(rest, "%63s %1023s %1023s", a, b, c);
        if (strcmp(line, "seccomp") == 0) {
            sn_strbuf_addf(&out->seccomp, "%s\n", rest);
        } else if (strcmp(line, "apparmor") == 0) {
            sn_strbuf_addf(&out->apparmor, "  %s\n", rest);
        } else if ((strcmp(line, "fs") == 0 || strcmp(line, "fs?") == 0) && nf == 2) {
            iface_policy_add_fs(out, b, access_bits(a), line[2] == '?');
        } else if (strcmp(line, "net") == 0 && strcmp(a, "unrestricted") == 0) {
            out->net_unrestricted = true;
        } else if (strcmp(line, "net") == 0 && nf == 2) {
            iface_policy_add_net(out, (uint16_t)atoi(b),
                                 strcmp(a, "bind") == 0 ? IFACE_NET_BIND : IFACE_NET_CONNECT);
        } else if (strcmp(line, "device") == 0 && nf == 1 && a[0] == '/') {
            iface_policy_add_device(out, NULL, NULL, a, NULL);
        } else if (strcmp(line, "device") == 0 && nf == 2) {
            iface_policy_add_device(out, a, b, NULL, NULL);
        } else if (strcmp(line, "mount") == 0 && nf == 3) {
            iface_policy_add_mount(out, b, c, strcmp(a, "ro") == 0);
        } else {
            return sn_err_set(err, -EINVAL, "policy line %d: cannot parse '%s %s'", lineno, line,
                              rest);
        }
    }
    (void)info;
    return 0;
}

static int setup_profiles(int argc, char **argv) {
    static const struct option opts[] = {{"root", required_argument, NULL, 'r'},
                                         {"devmode", no_argument, NULL, 'd'},
                                         {"host-root", no_argument, NULL, 'H'},
                                         {"policy", required_argument, NULL, 'p'},
                                         {NULL, 0, NULL, 0}};
    const char *root = getenv("SNAPC_ROOT"), *policy = NULL;
    struct security_opts so = {false, false, NULL};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
            case 'r':
                root = optarg;
                break;
            case 'd':
                so.devmode = true;
                break;
            case 'H':
                so.host_root = true;
                break;
            case 'p':
                policy = optarg;
                break;
            default:
                return snapc_usage(snapc_find_cmd("debug"), true);
        }
    }
    if (argc - optind != 2) {
        return snapc_usage(snapc_find_cmd("debug"), true);
    }
    root = root && root[0] ? root : "/";
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE char *rel = xasprintf("/snap/%s/%s", argv[optind], argv[optind + 1]);
    SN_AUTOFREE char *dir = sn_path_join(root, rel);
    SN_CLEANUP(sn_cleanup_snap_info_free) struct snap_info *info = NULL;
    if (snap_load_dir(dir, &info, NULL, &err) < 0) {
        log_error("%s", err.msg);
        return SNAPC_EXIT_FAIL;
    }
    struct debug_policy dp = {NULL};
    size_t n = 0;
    if (policy != NULL && sn_read_file(policy, 1 << 20, &dp.text, &n, &err) < 0) {
        log_error("%s", err.msg);
        return SNAPC_EXIT_FAIL;
    }
    int r = security_setup_snap(root, info, argv[optind + 1], &so, policy ? debug_policy_fn : NULL,
                                &dp, &err);
    free(dp.text);
    if (r < 0) {
        log_error("%s", err.msg);
        return SNAPC_EXIT_FAIL;
    }
    return SNAPC_EXIT_OK;
}

static int remove_profiles(int argc, char **argv) {
    const char *root = getenv("SNAPC_ROOT");
    int i = 1;
    if (argc > 2 && strcmp(argv[1], "--root") == 0) {
        root = argv[2];
        i = 3;
    }
    if (argc - i != 1) {
        return snapc_usage(snapc_find_cmd("debug"), true);
    }
    struct sn_err err = SN_ERR_INIT;
    if (security_remove_snap(root && root[0] ? root : "/", argv[i], &err) < 0) {
        log_error("%s", err.msg);
        return SNAPC_EXIT_FAIL;
    }
    return SNAPC_EXIT_OK;
}

static int compile_seccomp(int argc, char **argv) {
    if (argc != 3) {
        return snapc_usage(snapc_find_cmd("debug"), true);
    }
    struct sn_err err = SN_ERR_INIT;
    SN_AUTOFREE char *src = NULL;
    SN_AUTOFREE uint8_t *blob = NULL;
    size_t n = 0, blen = 0;
    long usec = 0;
    if (sn_read_file(argv[1], 1 << 20, &src, &n, &err) < 0 ||
        security_compile_seccomp(src, n, &blob, &blen, &usec, &err) < 0 ||
        sn_write_file_atomic(argv[2], blob, blen, 0644, &err) < 0) {
        log_error("%s", err.msg);
        return SNAPC_EXIT_FAIL;
    }
    (void)printf("compiled '%s': %zu bytes in %ld us\n", argv[1], blen, usec);
    return SNAPC_EXIT_OK;
}

int cmd_debug(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        return snapc_usage(snapc_find_cmd("debug"), argc < 2);
    }
    const char *sub = argv[1];
    if (strcmp(sub, "sandbox-features") == 0) {
        return sandbox_features(argc - 1, argv + 1);
    }
    if (strcmp(sub, "setup-profiles") == 0) {
        return setup_profiles(argc - 1, argv + 1);
    }
    if (strcmp(sub, "remove-profiles") == 0) {
        return remove_profiles(argc - 1, argv + 1);
    }
    if (strcmp(sub, "compile-seccomp") == 0) {
        return compile_seccomp(argc - 1, argv + 1);
    }
    log_error("unknown debug command '%s'", sub);
    return snapc_usage(snapc_find_cmd("debug"), true);
}
