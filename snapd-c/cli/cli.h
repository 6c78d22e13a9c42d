/* SPDX-License-Identifier: GPL-3.0-only
 * cli.h: the snapc command table and helpers shared by the cmd-*.c files.
 *
 * Exit codes (docs/snapc.md): 0 success, 1 the operation failed, 2 usage error,
 * 3 the daemon could not be reached.
 */
#ifndef SNAPC_CLI_H
#define SNAPC_CLI_H

#include <json-c/json.h>
#include <stdbool.h>

enum { SNAPC_EXIT_OK = 0, SNAPC_EXIT_FAIL = 1, SNAPC_EXIT_USAGE = 2, SNAPC_EXIT_NODAEMON = 3 };

struct snapc_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage; /* full --help text */
};

/* A boolean command-line flag: --name (and -short when short is not 0) sets *value. */
struct snapc_flag {
    const char *name;
    char short_name;
    bool *value;
};

/* Parse the flags of command cmd (argv[0] is the command). Returns -1 when the parse ended
 * the command (--help printed, or a usage error printed): *exit_code then holds the exit
 * status; 0 otherwise, with optind at the first argument. -h/--help is always accepted. */
int snapc_parse_flags(int argc, char **argv, const char *cmd, const struct snapc_flag *flags,
                      int *exit_code);

/* An option with a value: --name=VALUE or --name VALUE sets *value (borrowed from argv). */
struct snapc_opt {
    const char *name;
    const char **value;
};

/* snapc_parse_flags with options that take a value as well (opts may be NULL); options may
 * also follow the arguments (GNU permutation, as snapd's `snap tasks 1 --last=install`), so the
 * arguments are argv[optind..] after it returns. */
int snapc_parse_opts(int argc, char **argv, const char *cmd, const struct snapc_flag *flags,
                     const struct snapc_opt *opts, int *exit_code);

/* Print usage text of cmd to stdout (help) and return 0, or to stderr and return 2. */
int snapc_usage(const struct snapc_cmd *cmd, bool error);
const struct snapc_cmd *snapc_find_cmd(const char *name);
/* Print a JSON value pretty to stdout, followed by a newline. */
void snapc_print_json(struct json_object *o);

int cmd_pack(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_debug(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_remove(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_changes(int argc, char **argv);
int cmd_change(int argc, char **argv);
int cmd_abort(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_connect(int argc, char **argv);
int cmd_disconnect(int argc, char **argv);
int cmd_connections(int argc, char **argv);
int cmd_interfaces(int argc, char **argv);

#endif
