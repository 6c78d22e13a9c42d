/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "devcgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "log.h"
#include "sha3.h"
#include "strbuf.h"
#include "xalloc.h"
#include "banned.h"

char *cf_devcgroup_name(const char *root, const char *tag) {
    if (strcmp(root, "/") == 0) {
        return xasprintf("snapc.%s", tag);
    }
    uint8_t d[CF_SHA3_384_SIZE];
    cf_sha3_384(root, strlen(root), d);
    return xasprintf("snapc-%02x%02x%02x%02x.%s", d[0], d[1], d[2], d[3], tag);
}

bool cf_devcgroup_available(void) {
    return access(CF_DEVCGROUP_V1 "/devices.allow", W_OK) == 0;
}

bool cf_devcgroup_standard_only(const struct cf_launch *l) {
    static const struct {
        unsigned major;
        long minor;
    } std[] = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}, {136, -1}};
    for (size_t i = 0; i < l->ndev; i++) {
        bool found = false;
        for (size_t k = 0; k < sizeof(std) / sizeof(std[0]) && !found; k++) {
            found = l->dev[i].type == 'c' && l->dev[i].major == std[k].major &&
                    l->dev[i].minor == std[k].minor;
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

static int write_at(int dfd, const char *file, const char *data, struct sn_err *err) {
    SN_AUTOCLOSE int fd = openat(dfd, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot open device cgroup file '%s': %s", file,
                          strerror(errno));
    }
    size_t n = strlen(data);
    ssize_t w = write(fd, data, n);
    if (w < 0 || (size_t)w != n) {
        return sn_err_set(err, w < 0 ? -errno : -EIO, "cannot write '%s' to device cgroup '%s': %s",
                          data, file, w < 0 ? strerror(errno) : "short write");
    }
    return 0;
}

int cf_devcgroup_apply(const char *root, const struct cf_launch *l, struct sn_err *err) {
    SN_AUTOFREE char *name = cf_devcgroup_name(root, l->tag);
    SN_AUTOCLOSE int top = open(CF_DEVCGROUP_V1, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (top < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", CF_DEVCGROUP_V1, strerror(errno));
    }
    if (mkdirat(top, name, 0755) < 0 && errno != EEXIST) {
        return sn_err_set(err, -errno, "cannot create device cgroup '%s': %s", name,
                          strerror(errno));
    }
    SN_AUTOCLOSE int dfd = openat(top, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        return sn_err_set(err, -errno, "cannot open device cgroup '%s': %s", name, strerror(errno));
    }
    SN_AUTOSTRBUF struct sn_strbuf want = SN_STRBUF_INIT;
    for (size_t i = 0; i < l->ndev; i++) {
        if (l->dev[i].minor < 0) {
            sn_strbuf_addf(&want, "%c %u:* rwm\n", l->dev[i].type, l->dev[i].major);
        } else {
            sn_strbuf_addf(&want, "%c %u:%ld rwm\n", l->dev[i].type, l->dev[i].major,
                           l->dev[i].minor);
        }
    }
    /* an existing group already set up the same way is only joined, so apps already in it
     * never see a moment with every device denied */
    SN_AUTOCLOSE int lfd = openat(dfd, "devices.list", O_RDONLY | O_CLOEXEC);
    SN_AUTOFREE char *have = NULL;
    size_t hn = 0;
    if (lfd < 0 || sn_read_fd(lfd, "devices.list", 1 << 20, &have, &hn, NULL) < 0 ||
        strcmp(have, want.buf) != 0) {
        int r = write_at(dfd, "devices.deny", "a", err);
        for (char *line = want.buf; r == 0 && *line;) {
            char *nl = strchr(line, '\n');
            *nl = '\0';
            r = write_at(dfd, "devices.allow", line, err);
            *nl = '\n';
            line = nl + 1;
        }
        if (r < 0) {
            return r;
        }
        log_debug("device cgroup %s: %zu devices allowed", name, l->ndev);
    }
    char pid[32];
    (void)snprintf(pid, sizeof(pid), "%d", (int)getpid());
    return write_at(dfd, "cgroup.procs", pid, err);
}
