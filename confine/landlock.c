/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/landlock.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "xalloc.h"

#include "banned.h"

/* Newer than the build host's linux-libc-dev may know. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#define CF_LL_FS_IOCTL_DEV      (1ULL << 15) /* ABI 5 */
#define CF_LL_NET_BIND_TCP      (1ULL << 0)  /* ABI 4 */
#define CF_LL_NET_CONNECT_TCP   (1ULL << 1)
#define CF_LL_RULE_PATH_BENEATH 1
#define CF_LL_RULE_NET_PORT     2

struct cf_ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped; /* ABI 6 */
};
#define CF_LL_SCOPE_SIGNAL (1ULL << 1) /* LANDLOCK_SCOPE_SIGNAL, ABI 6 */

struct __attribute__((packed)) cf_ll_path_beneath {
    uint64_t allowed_access;
    int32_t parent_fd;
};

struct cf_ll_net_port {
    uint64_t allowed_access;
    uint64_t port;
};

#define LL_FS_ABI1                                                                                 \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |   \
     LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR |                                 \
     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | \
     LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |   \
     LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM)
/* rights that apply to a file (not a directory) */
#define LL_FS_FILE                                                                               \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | \
     LANDLOCK_ACCESS_FS_TRUNCATE | CF_LL_FS_IOCTL_DEV)

int cf_landlock_abi(void) {
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return v < 0 ? 0 : (int)v;
}

uint64_t cf_landlock_handled_fs(int abi) {
    uint64_t h = abi >= 1 ? LL_FS_ABI1 : 0;
    if (abi >= 2) {
        h |= LANDLOCK_ACCESS_FS_REFER;
    }
    if (abi >= 3) {
        h |= LANDLOCK_ACCESS_FS_TRUNCATE;
    }
    if (abi >= 5) {
        h |= CF_LL_FS_IOCTL_DEV;
    }
    return h;
}

uint64_t cf_landlock_fs_access(uint32_t letters, int abi) {
    uint64_t a = 0;
    if (letters & CF_FS_READ) {
        a |= LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
    }
    if (letters & CF_FS_EXEC) {
        a |= LANDLOCK_ACCESS_FS_EXECUTE;
    }
    if (letters & CF_FS_WRITE) {
        a |= LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
             LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR |
             LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE;
    }
    if (letters & CF_FS_MAKE) {
        a |= LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
             LANDLOCK_ACCESS_FS_MAKE_SYM;
    }
    if (letters & CF_FS_DEVICE) {
        a |= CF_LL_FS_IOCTL_DEV;
    }
    return a & cf_landlock_handled_fs(abi);
}

static char *rule_path(const char *p, const struct cf_user *u) {
    if (strncmp(p, "$SNAP_USER_DATA", 15) == 0) {
        return xasprintf("%s%s", u->user_data, p + 15);
    }
    if (strncmp(p, "$SNAP_USER_COMMON", 17) == 0) {
        return xasprintf("%s%s", u->user_common, p + 17);
    }
    if (strncmp(p, "@{HOME}", 7) == 0) {
        return xasprintf("%s%s", u->home, p + 7);
    }
    return xstrdup(p);
}

static int add_path_rule(int rs, const char *path, uint32_t letters, bool optional, int abi,
                         struct sn_err *err) {
    SN_AUTOCLOSE int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) {
        if (optional && (errno == ENOENT || errno == ENOTDIR)) {
            return 0;
        }
        return sn_err_set(err, -errno, "cannot open '%s' for a Landlock rule: %s", path,
                          strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return sn_err_set(err, -errno, "cannot stat '%s': %s", path, strerror(errno));
    }
    uint64_t access = cf_landlock_fs_access(letters, abi);
    if (!S_ISDIR(st.st_mode)) {
        access &= LL_FS_FILE;
    }
    if (access == 0) {
        return 0; /* e.g. only ioctl on a kernel without it */
    }
    struct cf_ll_path_beneath pb = {access, fd};
    if (syscall(SYS_landlock_add_rule, rs, CF_LL_RULE_PATH_BENEATH, &pb, 0) < 0) {
        return sn_err_set(err, -errno, "cannot add Landlock rule for '%s': %s", path,
                          strerror(errno));
    }
    return 0;
}

int cf_landlock_apply(const struct cf_launch *l, const struct cf_user *u, int *abi_used,
                      struct sn_err *err) {
    int abi = cf_landlock_abi();
    *abi_used = abi;
    if (abi < 1) {
        return 0;
    }
    struct cf_ll_ruleset_attr attr = {cf_landlock_handled_fs(abi), 0, 0};
    size_t attr_size = sizeof(attr.handled_access_fs);
    if (abi >= 4 && !l->net_unrestricted) {
        /* a port-0 ("any port") grant leaves that access unhandled */
        attr.handled_access_net = (l->net_bind_any ? 0 : CF_LL_NET_BIND_TCP) |
                                  (l->net_connect_any ? 0 : CF_LL_NET_CONNECT_TCP);
        attr_size = offsetof(struct cf_ll_ruleset_attr, scoped);
    }
    if (abi >= 6) {
        /* signals reach only processes of the same sandbox unless process-control */
        attr.scoped = l->unscoped_signal ? 0 : CF_LL_SCOPE_SIGNAL;
        attr_size = sizeof(attr);
    }
    SN_AUTOCLOSE int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0);
    if (rs < 0) {
        return sn_err_set(err, -errno, "cannot create Landlock ruleset: %s", strerror(errno));
    }
    for (size_t i = 0; i < l->nfs; i++) {
        SN_AUTOFREE char *path = rule_path(l->fs[i].path, u);
        if (!l->fs[i].glob) {
            int r = add_path_rule(rs, path, l->fs[i].access, l->fs[i].optional, abi, err);
            if (r < 0) {
                return r;
            }
            continue;
        }
        glob_t g;
        int gr = glob(path, GLOB_BRACE | GLOB_NOSORT, NULL, &g);
        for (size_t j = 0; gr == 0 && j < g.gl_pathc; j++) {
            int r = add_path_rule(rs, g.gl_pathv[j], l->fs[i].access, true, abi, err);
            if (r < 0) {
                globfree(&g);
                return r;
            }
        }
        if (gr == 0) {
            globfree(&g);
        }
    }
    if (attr.handled_access_net != 0) {
        for (size_t i = 0; i < l->nnet; i++) {
            struct cf_ll_net_port np = {(l->net[i].bind ? CF_LL_NET_BIND_TCP : 0) |
                                            (l->net[i].connect ? CF_LL_NET_CONNECT_TCP : 0),
                                        l->net[i].port};
            if (syscall(SYS_landlock_add_rule, rs, CF_LL_RULE_NET_PORT, &np, 0) < 0) {
                return sn_err_set(err, -errno, "cannot add Landlock rule for TCP port %u: %s",
                                  (unsigned)l->net[i].port, strerror(errno));
            }
        }
    }
    if (syscall(SYS_landlock_restrict_self, rs, 0) < 0) {
        return sn_err_set(err, -errno, "cannot enforce Landlock ruleset: %s", strerror(errno));
    }
    return 0;
}
