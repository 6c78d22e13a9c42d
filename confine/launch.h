/* SPDX-License-Identifier: GPL-3.0-only
 * launch.h: the parsed launch description of one security tag (what snapc-confine needs to
 * start it), read from ROOT/var/lib/snapd/confine/<tag>.launch. Format: docs/confinement.md.
 */
#ifndef CF_LAUNCH_H
#define CF_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "launch-format.h"
#include "sha3.h"

enum cf_kind { CF_KIND_APP, CF_KIND_DAEMON, CF_KIND_HOOK };
enum cf_confinement { CF_CONFINE_STRICT, CF_CONFINE_DEVMODE, CF_CONFINE_CLASSIC };

struct cf_fs_rule {
    char *path;      /* absolute, or starting with $SNAP_USER_DATA / $SNAP_USER_COMMON /
                      * @{HOME} (interfaces/ placeholders, docs/interfaces/README.md) */
    uint32_t access; /* CF_FS_* */
    bool optional;   /* "fs?": a missing path is skipped */
    bool glob;       /* "fs*": a glob(3) pattern (GLOB_BRACE) expanded at launch; optional */
};

struct cf_net_rule {
    uint16_t port;
    bool bind, connect;
};

struct cf_device {
    char type; /* 'c' or 'b' */
    unsigned major;
    long minor; /* -1: any */
};

struct cf_mount {
    char *source; /* host path (with the root prefix applied by the writer) */
    char *target; /* path inside the namespace */
    bool read_only;
    bool optional; /* "ro?"/"rw?": skip when the source is missing or the target cannot be made */
};

struct cf_launch {
    char *tag, *snap, *instance, *instance_key; /* instance_key "" when none */
    char *revision, *version, *base, *arch;
    enum cf_confinement confinement;
    enum cf_kind kind;
    char **exec; /* command-chain entries then the command, absolute; NULL-terminated */
    size_t nexec;
    char **args; /* the command's own arguments, $VAR not yet expanded; NULL-terminated */
    size_t nargs;
    char **env; /* NAME=VALUE from snap.yaml, applied in order with expansion */
    size_t nenv;
    uint8_t seccomp_sha3[CF_SHA3_384_SIZE];
    uint64_t seccomp_size;
    struct cf_fs_rule *fs;
    size_t nfs;
    bool net_unrestricted;
    bool net_bind_any, net_connect_any; /* "net bind *", "net connect *" */
    bool unscoped_signal;               /* "unscoped signal": no Landlock signal scope */
    struct cf_net_rule *net;
    size_t nnet;
    struct cf_device *dev;
    size_t ndev;
    struct cf_mount *mounts;
    size_t nmounts;
};

/* Parse a launch description. data is modified (tokens are decoded in place) and must be
 * NUL-terminated at data[len]. On success *out is filled (release with cf_launch_release);
 * on failure nothing is allocated and err names the line. */
int cf_launch_parse(char *data, size_t len, struct cf_launch *out, struct sn_err *err) SN_WUR;
void cf_launch_release(struct cf_launch *l);

#endif
