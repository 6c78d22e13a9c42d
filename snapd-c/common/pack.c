/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "pack.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "snap-container.h"
#include "xalloc.h"

#include "banned.h"

extern char **environ;

/* What an interrupted pack must undo (see snap_pack_interrupted). */
static volatile const char *pack_tmp_path = NULL;
static volatile const char *pack_exclude_path = NULL;
static volatile pid_t pack_child = 0;

void snap_pack_interrupted(void) {
    pid_t child = pack_child;
    if (child > 0) {
        /* the image is discarded anyway: stop mksquashfs at once, so it cannot write on (or
         * re-create) the temp file after we unlink it */
        (void)kill(child, SIGKILL);
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
        }
    }
    const char *tmp = (const char *)pack_tmp_path;
    if (tmp != NULL) {
        (void)unlink(tmp);
    }
    const char *ex = (const char *)pack_exclude_path;
    if (ex != NULL) {
        (void)unlink(ex);
    }
}

/* Block the signals whose handler calls snap_pack_interrupted while a step creates something
 * it must know about (a file, the child), so no interruption falls between the two. */
static void block_signals(sigset_t *old) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    (void)sigprocmask(SIG_BLOCK, &set, old);
}
static void restore_signals(const sigset_t *old) {
    (void)sigprocmask(SIG_SETMASK, old, NULL);
}

/* snapd's pack excludes: VCS metadata at the top, editor/backup leftovers and nested snaps
 * anywhere (mksquashfs -wildcards syntax; "..." matches in any directory). */
static const char pack_excludes[] =
    "DEBIAN\n.arch-ids\n.arch-inventory\n.bzr\n.bzr-builddeb\n.bzr.backup\n.bzr.tags\n"
    ".bzrignore\n.cvsignore\n.git\n.gitattributes\n.gitignore\n.gitmodules\n.hg\n"
    ".hgignore\n.hgsigs\n.hgtags\n.shelf\n.svn\nCVS\nDEADJOE\nRCS\n_MTN\n_darcs\n{arch}\n"
    ".snapignore\n... .[#~]*\n... *.snap\n... *.click\n... .*.sw?\n... *~\n";

static int run_mksquashfs(const char *dir, const char *out, const char *comp, bool keep_owner,
                          bool quiet, const char *excludes, struct sn_err *err) {
    const char *argv[20];
    size_t n = 0;
    argv[n++] = "mksquashfs";
    argv[n++] = dir;
    argv[n++] = out;
    argv[n++] = "-noappend";
    argv[n++] = "-comp";
    argv[n++] = comp;
    argv[n++] = "-no-fragments";
    if (!keep_owner) {
        argv[n++] = "-all-root";
        argv[n++] = "-no-xattrs";
    }
    argv[n++] = "-no-progress";
    argv[n++] = "-wildcards";
    argv[n++] = "-ef";
    argv[n++] = excludes;
    if (quiet) {
        argv[n++] = "-quiet";
    }
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* mksquashfs prints a summary on stdout; keep our stdout for the result line */
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    /* the child starts with our usual mask and default handlers */
    sigset_t old, deflt;
    block_signals(&old);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &old);
    sigemptyset(&deflt);
    sigaddset(&deflt, SIGINT);
    sigaddset(&deflt, SIGTERM);
    sigaddset(&deflt, SIGHUP);
    posix_spawnattr_setsigdefault(&attr, &deflt);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int r = posix_spawnp(&pid, "mksquashfs", &fa, &attr, (char *const *)argv, environ);
    if (r == 0) {
        pack_child = pid;
    }
    restore_signals(&old);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    if (r != 0) {
        return sn_err_set(err, -r, "cannot run mksquashfs: %s (install squashfs-tools)",
                          strerror(r));
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            pack_child = 0;
            return sn_err_set(err, -errno, "cannot wait for mksquashfs: %s", strerror(errno));
        }
    }
    pack_child = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return sn_err_set(err, -EIO, "mksquashfs failed (%s %d)",
                          WIFEXITED(status) ? "exit status" : "signal",
                          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    }
    return 0;
}

static bool valid_compression(const char *c) {
    static const char *const ok[] = {"xz", "lzo", "zstd", "lz4", "gzip", NULL};
    for (size_t i = 0; ok[i]; i++) {
        if (strcmp(c, ok[i]) == 0) {
            return true;
        }
    }
    return false;
}

int snap_pack(const char *dir, const char *outdir, const struct snap_pack_opts *opts,
              char **out_path, struct snap_problems *probs, struct sn_err *err) {
    const char *comp = opts && opts->compression ? opts->compression : "xz";
    if (!valid_compression(comp)) {
        return sn_err_set(err, -EINVAL,
                          "cannot pack: unknown compression '%s' (expected xz, lzo, zstd, lz4 or "
                          "gzip)",
                          comp);
    }
    struct snap_info *info = NULL;
    int r = snap_load_dir(dir, &info, probs, err);
    if (r < 0) {
        return r;
    }
    SN_CLEANUP(sn_cleanup_snap_info_free) struct snap_info *inf = info;
    r = snap_check_dir(dir, inf, probs, err);
    if (r < 0) {
        return r;
    }
    if (opts && opts->check_only) {
        return 0;
    }
    if (outdir == NULL) {
        outdir = ".";
    }
    SN_AUTOFREE char *name =
        opts && opts->filename ? xstrdup(opts->filename) : snap_pack_filename(inf);
    SN_AUTOFREE char *final = name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", outdir, name);
    r = sn_mkpath(outdir, 0755, err);
    if (r < 0) {
        return r;
    }
    SN_AUTOFREE char *tmp = xasprintf("%s.partial.XXXXXX", final);
    sigset_t old;
    block_signals(&old);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd >= 0) {
        pack_tmp_path = tmp;
    }
    restore_signals(&old);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot create '%s': %s", tmp, strerror(errno));
    }
    (void)close(fd);
    bool keep_owner =
        inf->type == SNAP_TYPE_BASE || inf->type == SNAP_TYPE_OS || inf->type == SNAP_TYPE_SNAPD;
    char exfile[] = "/tmp/.snapc-pack-exclude-XXXXXX";
    block_signals(&old);
    int exfd = mkostemp(exfile, O_CLOEXEC);
    if (exfd >= 0) {
        pack_exclude_path = exfile;
    }
    restore_signals(&old);
    if (exfd < 0 || write(exfd, pack_excludes, sizeof(pack_excludes) - 1) !=
                        (ssize_t)(sizeof(pack_excludes) - 1)) {
        r = sn_err_set(err, -errno, "cannot write the excludes file: %s", strerror(errno));
    } else {
        r = run_mksquashfs(dir, tmp, comp, keep_owner, !opts || opts->quiet, exfile, err);
    }
    if (exfd >= 0) {
        (void)close(exfd);
        (void)unlink(exfile);
        pack_exclude_path = NULL;
    }
    SN_AUTOCLOSE int out = r == 0 ? open(tmp, O_RDWR | O_CLOEXEC) : -1;
    if (r == 0 && out < 0) {
        r = sn_err_set(err, -errno, "cannot open '%s': %s", tmp, strerror(errno));
    }
    struct stat st;
    if (r == 0 && fstat(out, &st) == 0 && st.st_size < SNAP_PACK_MIN_SIZE &&
        ftruncate(out, SNAP_PACK_MIN_SIZE) < 0) {
        r = sn_err_set(err, -errno, "cannot pad '%s': %s", tmp, strerror(errno));
    }
    if (r == 0 && (fchmod(out, 0644) < 0 || fsync(out) < 0)) {
        r = sn_err_set(err, -errno, "cannot write '%s': %s", tmp, strerror(errno));
    }
    if (r == 0 && rename(tmp, final) < 0) {
        r = sn_err_set(err, -errno, "cannot rename to '%s': %s", final, strerror(errno));
    }
    if (r < 0) {
        (void)unlink(tmp);
        pack_tmp_path = NULL;
        return r;
    }
    pack_tmp_path = NULL;
    r = sn_fsync_parent(final, err);
    if (r < 0) {
        return r;
    }
    if (out_path) {
        *out_path = SN_TAKE_PTR(final);
    }
    return 0;
}
