/* SPDX-License-Identifier: GPL-3.0-only
 * snapc: the command-line client of snapd-c. Each subcommand lives in cmd-<verb>.c.
 */
#define _GNU_SOURCE
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
     "Usage: snapc changes [--json] [SNAP]\n\nList recent changes, optionally only those of SNAP.\n"},
    {"change", cmd_change, "Show the tasks of a change",
     "Usage: snapc change [--json] ID\n\nShow the tasks of change ID with their status and log.\n"},
    {"tasks", cmd_change, "Show the tasks of a change (alias of change)",
     "Usage: snapc tasks [--json] ID\n\nShow the tasks of change ID with their status and log.\n"},
    {"abort", cmd_abort, "Abort a pending change",
     "Usage: snapc abort [--json] ID\n\nHold the pending tasks of change ID and undo the done ones.\n"},
    {"watch", cmd_watch, "Wait for a change to finish",
     "Usage: snapc watch [--json] ID\n\nShow the progress of change ID until it is ready; exit 0 when\nit is Done, 1 otherwise.\n"},
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

int snapc_usage(const struct snapc_cmd *cmd, bool error) {
    (void)fputs(cmd->usage, error ? stderr : stdout);
    return error ? SNAPC_EXIT_USAGE : SNAPC_EXIT_OK;
}

void snapc_print_json(struct json_object *o) {
    (void)puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void main_usage(FILE *f) {
    (void)fprintf(f, "Usage: snapc COMMAND [OPTIONS] [ARGS]\n\n"
                     "snapc manages snaps on a device running snapd-c.\n\nCommands:\n");
    for (size_t i = 0; i < ncommands; i++) {
        (void)fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    }
    (void)fprintf(f, "\nRun 'snapc COMMAND --help' for a command's options.\n"
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
