/* SPDX-License-Identifier: GPL-3.0-only
 * snapc: the command-line client of snapd-c. Each subcommand lives in cmd-<verb>.c.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"

#include "banned.h"

static const struct snapc_cmd commands[] = {
    {"pack", cmd_pack, "Pack a directory into a .snap",
     "Usage: snapc pack [OPTIONS] DIR [OUTDIR]\n"
     "\n"
     "Validate DIR (meta/snap.yaml and the files it names) and write\n"
     "OUTDIR/<name>_<version>_<arch>.snap, a squashfs image built the way snapd's\n"
     "`snap pack` builds it. OUTDIR defaults to the current directory.\n"
     "\n"
     "Options:\n"
     "  --compression=C   xz (default), lzo, zstd, lz4 or gzip; zstd and lz4\n"
     "                    decompress much faster, for quicker app start-up\n"
     "  --filename=NAME   write NAME instead (relative to OUTDIR)\n"
     "  --check-skeleton  validate only, write nothing\n"
     "  --json            print the result as JSON\n"
     "  -h, --help        show this help\n"},
    {"info", cmd_info, "Show a snap's metadata",
     "Usage: snapc info [OPTIONS] FILE.snap|DIR|NAME\n"
     "\n"
     "Show name, version, type, base, confinement, apps, services, plugs, slots\n"
     "and hooks. For a .snap file, meta/snap.yaml is read straight out of the\n"
     "squashfs image without mounting it, and the size and SHA3-384 digest\n"
     "(base64url, as in snapd's snap-revision assertion) are shown; the digest is\n"
     "cached in the file's user.snapc.sha3-384 extended attribute. For the NAME\n"
     "of an installed snap, the daemon is asked.\n"
     "\n"
     "Options:\n"
     "  --json            print everything as JSON\n"
     "  --no-digest       do not compute the digest\n"
     "  -h, --help        show this help\n"},
    {"validate", cmd_validate, "Check a snap and list every problem",
     "Usage: snapc validate [OPTIONS] FILE.snap|DIR\n"
     "\n"
     "Check meta/snap.yaml against snapd's rules (and, for a directory, the files\n"
     "it names, as `snapc pack` would). Prints every problem, one per line, as\n"
     "FILE:LINE:COLUMN: FIELD: problem. Exits 0 when valid, 1 otherwise.\n"
     "\n"
     "Options:\n"
     "  --json            print {\"valid\": bool, \"problems\": [...]}\n"
     "  -q, --quiet       print nothing, only set the exit status\n"
     "  -h, --help        show this help\n"},
    {"install", cmd_install, "Install snaps from local files",
     "Usage: snapc install [OPTIONS] FILE.snap...\n"
     "\n"
     "Install (or refresh from) local .snap files. Each install is a change of\n"
     "tasks with undo; a second install of the same name makes a new revision\n"
     "(x1, x2, ...) and keeps the previous one. Shows progress on a terminal.\n"
     "\n"
     "Options:\n"
     "  --dangerous   accept a file without signatures (required for now)\n"
     "  --devmode     allow a snap with confinement: devmode\n"
     "  --no-wait     print the change id and return at once\n"
     "  --json        print results as JSON\n"
     "  -h, --help    show this help\n"},
    {"remove", cmd_remove, "Remove snaps",
     "Usage: snapc remove [OPTIONS] NAME...\n"
     "\n"
     "Remove every revision of the snaps, their data, mounts and profiles.\n"
     "\n"
     "Options:\n"
     "  --purge       do not keep a snapshot of the data\n"
     "  --no-wait     print the change id and return at once\n"
     "  --json        print results as JSON\n"
     "  -h, --help    show this help\n"},
    {"list", cmd_list, "List installed snaps",
     "Usage: snapc list [--all] [--json]\n"
     "\n"
     "  --all         include disabled revisions\n"
     "  --json        print the daemon's /v2/snaps result\n"},
    {"changes", cmd_changes, "List changes",
     "Usage: snapc changes [--json] [SNAP]\n"
     "\n"
     "List recent changes (in progress and ready), optionally only those of SNAP\n"
     "(GET /v2/changes?select=all&for=SNAP).\n"},
#define LAST_HELP                                                                   \
    "  --last=TYPE   the last change of TYPE instead of ID: a change kind\n"        \
    "                (install-snap, remove-snap, connect-snap...), or install,\n"   \
    "                refresh, remove, revert, enable, disable, switch, connect,\n"  \
    "                disconnect, configure, try for TYPE-snap. With a '?' at the\n" \
    "                end (--last=install?), exit 0 doing nothing when there is\n"   \
    "                no such change.\n"
    {"change", cmd_change, "Show the tasks of a change",
     "Usage: snapc change [--json] ID|--last=TYPE\n"
     "\n"
     "Show the tasks of change ID with their status and log.\n"
     "\n"
     "Options:\n" LAST_HELP "  --json        print the daemon's result\n"},
    {"tasks", cmd_change, "Show the tasks of a change (alias of change)",
     "Usage: snapc tasks [--json] ID|--last=TYPE\n"
     "\n"
     "Show the tasks of change ID with their status and log.\n"
     "\n"
     "Options:\n" LAST_HELP "  --json        print the daemon's result\n"},
    {"abort", cmd_abort, "Abort a pending change",
     "Usage: snapc abort [--json] ID|--last=TYPE\n"
     "\n"
     "Hold the pending tasks of change ID and undo the done ones.\n"
     "\n"
     "Options:\n" LAST_HELP},
    {"watch", cmd_watch, "Wait for a change to finish",
     "Usage: snapc watch [--json] ID|--last=TYPE\n"
     "\n"
     "Show the progress of change ID until it is ready; exit 0 when it is\n"
     "Done, 1 otherwise.\n"
     "\n"
     "Options:\n" LAST_HELP "  --json        show no progress\n"},
#undef LAST_HELP
    {"connect", cmd_connect, "Connect a plug to a slot",
     "Usage: snapc connect [OPTIONS] SNAP:PLUG [SNAP[:SLOT]]\n"
     "\n"
     "Connect a plug to a slot. Without a slot, the system's slot of the plug's\n"
     "interface is used; with SNAP alone, that snap's one slot of the interface.\n"
     "The profiles of both snaps are regenerated; running apps get the new\n"
     "seccomp and Landlock rules at their next start, device access at once.\n"
     "\n"
     "Options:\n"
     "  --no-wait     print the change id and return at once\n"
     "  --json        print results as JSON\n"},
    {"disconnect", cmd_disconnect, "Disconnect a plug from a slot",
     "Usage: snapc disconnect [OPTIONS] SNAP:PLUG [SNAP[:SLOT]]\n"
     "\n"
     "Options:\n"
     "  --forget      forget an automatic connection (otherwise it stays undesired\n"
     "                and is not made again at the next refresh)\n"
     "  --no-wait     print the change id and return at once\n"},
    {"connections", cmd_connections, "List connections",
     "Usage: snapc connections [--all] [--json] [SNAP]\n"
     "\n"
     "  --all         also list plugs that are not connected\n"},
    {"interfaces", cmd_interfaces, "List the interfaces snapd-c knows",
     "Usage: snapc interfaces [--json] [NAME]\n"},
    {"run", cmd_run, "Run an app or hook of an installed snap in its sandbox",
     "Usage: snapc run [--root DIR] [--hook HOOK] NAME[.APP] [--] [ARGS...]\n"
     "\n"
     "Start app APP of snap NAME (APP defaults to NAME), or its hook HOOK, through\n"
     "snapc-confine: the snap's mount namespace, device cgroup, Landlock, AppArmor\n"
     "(where the kernel has it) and seccomp. ARGS are passed byte for byte.\n"
     "snapc-confine is taken from $SNAPC_CONFINE, else next to snapc, else\n"
     "../libexec/snapc/. See docs/confinement.md.\n"
     "\n"
     "Options:\n"
     "  --root DIR        root prefix (root only; default $SNAPC_ROOT or /)\n"
     "  --hook HOOK       run hook HOOK of snap NAME instead of an app\n"
     "  -h, --help        show this help\n"},
    {"debug", cmd_debug, "Sandbox diagnostics and profile tools",
     "Usage: snapc debug sandbox-features [--json]\n"
     "       snapc debug setup-profiles [--root DIR] [--devmode] [--host-root]\n"
     "                                  [--policy FILE] NAME REVISION\n"
     "       snapc debug remove-profiles [--root DIR] NAME\n"
     "       snapc debug compile-seccomp SRC OUT.bin2\n"
     "\n"
     "sandbox-features   what this kernel enforces: Landlock ABI and the rules\n"
     "                   that degrade, seccomp actions, AppArmor, cgroups\n"
     "setup-profiles     render and install the profiles of a snap mounted at\n"
     "                   ROOT/snap/NAME/REVISION (what the daemon's setup-profiles\n"
     "                   task does); --policy adds debug policy lines to every tag\n"
     "remove-profiles    remove them, the preserved namespace and device cgroups\n"
     "compile-seccomp    compile a seccomp source to a .bin2 and print the time\n"
     "See docs/confinement.md.\n"},
};

static const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

const struct snapc_cmd *snapc_find_cmd(const char *name) {
    for (size_t i = 0; i < ncommands; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            return &commands[i];
        }
    }
    return NULL;
}

static int parse_opts(int argc, char **argv, const char *cmd, const struct snapc_flag *flags,
                      const struct snapc_opt *vopts, bool permute, int *exit_code) {
    struct option opts[32];
    char shorts[80] = "+h";
    size_t n = 0, nv = 0, sl = 2;
    if (permute) {
        (void)snprintf(shorts, sizeof(shorts), "h");
        sl = 1;
    }
    for (; flags != NULL && flags[n].name != NULL && n < 20; n++) {
        opts[n] = (struct option){flags[n].name, no_argument, NULL, 256 + (int)n};
        if (flags[n].short_name) {
            shorts[sl++] = flags[n].short_name;
        }
    }
    for (; vopts != NULL && vopts[nv].name != NULL && nv < 10; nv++) {
        opts[n + nv] = (struct option){vopts[nv].name, required_argument, NULL, 512 + (int)nv};
    }
    shorts[sl] = '\0';
    opts[n + nv] = (struct option){"help", no_argument, NULL, 'h'};
    opts[n + nv + 1] = (struct option){NULL, 0, NULL, 0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
        if (c >= 256 && (size_t)(c - 256) < n) {
            *flags[c - 256].value = true;
            continue;
        }
        if (c >= 512 && (size_t)(c - 512) < nv) {
            *vopts[c - 512].value = optarg;
            continue;
        }
        bool matched = false;
        for (size_t i = 0; i < n && !matched; i++) {
            if (flags[i].short_name && c == flags[i].short_name) {
                *flags[i].value = true;
                matched = true;
            }
        }
        if (matched) {
            continue;
        }
        *exit_code = snapc_usage(snapc_find_cmd(cmd), c != 'h');
        return -1;
    }
    return 0;
}

int snapc_parse_opts(int argc, char **argv, const char *cmd, const struct snapc_flag *flags,
                     const struct snapc_opt *opts, int *exit_code) {
    return parse_opts(argc, argv, cmd, flags, opts, true, exit_code);
}

int snapc_parse_flags(int argc, char **argv, const char *cmd, const struct snapc_flag *flags,
                      int *exit_code) {
    return parse_opts(argc, argv, cmd, flags, NULL, false, exit_code);
}

int snapc_usage(const struct snapc_cmd *cmd, bool error) {
    (void)fputs(cmd->usage, error ? stderr : stdout);
    return error ? SNAPC_EXIT_USAGE : SNAPC_EXIT_OK;
}

void snapc_print_json(struct json_object *o) {
    (void)puts(json_object_to_json_string_ext(
        o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void main_usage(FILE *f) {
    (void)fprintf(f,
                  "Usage: snapc COMMAND [OPTIONS] [ARGS]\n\n"
                  "snapc manages snaps on a device running snapd-c.\n\nCommands:\n");
    for (size_t i = 0; i < ncommands; i++) {
        (void)fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    }
    (void)fprintf(f,
                  "\nRun 'snapc COMMAND --help' for a command's options.\n"
                  "Environment: SNAPC_ROOT (root prefix, default /), SNAPC_DEBUG=1.\n");
}

int main(int argc, char **argv) {
    sn_log_init("snapc");
    if (argc < 2) {
        main_usage(stderr);
        return SNAPC_EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (argc > 2 && snapc_find_cmd(argv[2]) != NULL) {
            return snapc_usage(snapc_find_cmd(argv[2]), false);
        }
        main_usage(stdout);
        return SNAPC_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        (void)printf("snapc %s\n", SNAPC_VERSION);
        return SNAPC_EXIT_OK;
    }
    const struct snapc_cmd *cmd = snapc_find_cmd(argv[1]);
    if (cmd == NULL) {
        log_error("unknown command '%s' (see 'snapc --help')", argv[1]);
        return SNAPC_EXIT_USAGE;
    }
    return cmd->run(argc - 1, argv + 1);
}
