/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "squashfs.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sqfs/compressor.h>
#include <sqfs/data_reader.h>
#include <sqfs/dir.h>
#include <sqfs/dir_reader.h>
#include <sqfs/error.h>
#include <sqfs/inode.h>
#include <sqfs/io.h>
#include <sqfs/super.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base-contract.h"
#include "cleanup.h"
#include "fs.h"
#include "xalloc.h"

#include "banned.h"

extern char **environ;

struct sqimg {
    sqfs_file_t *file;
    sqfs_super_t super;
    sqfs_compressor_t *cmp;
    sqfs_dir_reader_t *dir;
    sqfs_data_reader_t *data;
    uint64_t file_size;
};

static void sqimg_close(struct sqimg *s) {
    if (s->data) {
        sqfs_destroy(s->data);
    }
    if (s->dir) {
        sqfs_destroy(s->dir);
    }
    if (s->cmp) {
        sqfs_destroy(s->cmp);
    }
    if (s->file) {
        sqfs_destroy(s->file);
    }
    memset(s, 0, sizeof(*s));
}

static const char *sqfs_strerror(int e) {
    switch (e) {
        case SQFS_ERROR_ALLOC:
            return "out of memory";
        case SQFS_ERROR_IO:
            return "I/O error";
        case SQFS_ERROR_COMPRESSOR:
            return "cannot decompress (corrupt image?)";
        case SQFS_ERROR_CORRUPTED:
            return "corrupted image";
        case SQFS_ERROR_UNSUPPORTED:
            return "unsupported feature";
        case SQFS_ERROR_OVERFLOW:
            return "numeric overflow (corrupt image?)";
        case SQFS_ERROR_OUT_OF_BOUNDS:
            return "read past the end of the image (truncated?)";
        case SFQS_ERROR_SUPER_MAGIC:
            return "not a squashfs image (bad magic)";
        case SFQS_ERROR_SUPER_VERSION:
            return "unsupported squashfs version (expected 4.0)";
        case SQFS_ERROR_SUPER_BLOCK_SIZE:
            return "invalid block size in superblock";
        case SQFS_ERROR_NOT_DIR:
            return "not a directory";
        case SQFS_ERROR_NO_ENTRY:
            return "no such file";
        case SQFS_ERROR_LINK_LOOP:
            return "hard link loop";
        case SQFS_ERROR_NOT_FILE:
            return "not a regular file";
        default:
            return "squashfs error";
    }
}

static int sqimg_open(struct sqimg *s, const char *path, struct sn_err *err) {
    memset(s, 0, sizeof(*s));
    struct stat st;
    if (stat(path, &st) < 0) {
        return sn_err_set(err, -errno, "cannot open '%s': %s", path, strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return sn_err_set(err, -EINVAL, "'%s': not a regular file", path);
    }
    s->file_size = (uint64_t)st.st_size;
    if (s->file_size < sizeof(sqfs_super_t)) {
        return sn_err_set(err, -EINVAL, "'%s': not a squashfs image (%llu bytes, too short)", path,
                          (unsigned long long)s->file_size);
    }
    s->file = sqfs_open_file(path, SQFS_FILE_OPEN_READ_ONLY);
    if (s->file == NULL) {
        return sn_err_set(err, errno ? -errno : -EIO, "cannot open '%s': %s", path,
                          strerror(errno ? errno : EIO));
    }
    int r = sqfs_super_read(&s->super, s->file);
    if (r != 0) {
        sqimg_close(s);
        return sn_err_set(err, -EINVAL, "'%s': %s", path, sqfs_strerror(r));
    }
    if (s->super.bytes_used > s->file_size) {
        /* sqimg_close clears *s: keep what the message needs */
        uint64_t used = s->super.bytes_used, have = s->file_size;
        sqimg_close(s);
        return sn_err_set(err, -EINVAL,
                          "'%s': truncated squashfs image (superblock says %llu bytes, file has "
                          "%llu)",
                          path, (unsigned long long)used, (unsigned long long)have);
    }
    sqfs_compressor_config_t cfg;
    r = sqfs_compressor_config_init(&cfg, (SQFS_COMPRESSOR)s->super.compression_id,
                                    s->super.block_size, SQFS_COMP_FLAG_UNCOMPRESS);
    if (r == 0) {
        r = sqfs_compressor_create(&cfg, &s->cmp);
    }
    if (r != 0) {
        /* libsquashfs as Debian builds it has no LZO: the caller falls back to unsquashfs */
        return sn_err_set(err, -ENOTSUP, "'%s': compressor %d not supported by libsquashfs", path,
                          (int)s->super.compression_id);
    }
    s->dir = sqfs_dir_reader_create(&s->super, s->cmp, s->file, 0);
    s->data = sqfs_data_reader_create(s->file, s->super.block_size, s->cmp, 0);
    if (s->dir == NULL || s->data == NULL) {
        sqimg_close(s);
        return sn_err_set(err, -ENOMEM, "'%s': out of memory", path);
    }
    r = sqfs_data_reader_load_fragment_table(s->data, &s->super);
    if (r != 0) {
        sqimg_close(s);
        return sn_err_set(err, -EINVAL, "'%s': cannot read fragment table: %s", path,
                          sqfs_strerror(r));
    }
    return 0;
}

/* append "/tok" (or "tok" first) to out; returns bytes written */
static int append_component(char *out, const char *tok, bool slash) {
    size_t tl = strlen(tok);
    if (slash) {
        out[0] = '/';
    }
    memcpy(out + (slash ? 1 : 0), tok, tl + 1);
    return (int)(tl + (slash ? 1 : 0));
}

/* Lexically resolve target (relative to the directory of link) inside the image; NULL when it
 * is absolute or climbs out of the image. Caller owns. */
static char *resolve_link(const char *link, const char *target, size_t tlen) {
    if (tlen == 0 || target[0] == '/') {
        return NULL;
    }
    const char *slash = strrchr(link, '/');
    SN_AUTOFREE char *joined = NULL;
    if (slash != NULL) {
        joined = xasprintf("%.*s/%.*s", (int)(slash - link), link, (int)tlen, target);
    } else {
        joined = xstrndup(target, tlen);
    }
    char *out = xcalloc(1, strlen(joined) + 1);
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0) {
            continue;
        }
        if (strcmp(tok, "..") == 0) {
            if (n == 0) {
                free(out);
                return NULL;
            }
            char *prev = strrchr(out, '/');
            n = prev ? (size_t)(prev - out) : 0;
            out[n] = '\0';
            continue;
        }
        n += (size_t)append_component(out + n, tok, n > 0);
    }
    return out;
}

/* Read a regular file inside the image, following symlinks inside it. -ENOENT when absent. */
static int sqimg_read(struct sqimg *s, const char *path, const char *inner, size_t max, char **out,
                      size_t *len, struct sn_err *err) {
    sqfs_inode_generic_t *ino = NULL;
    SN_AUTOFREE char *cur = xstrdup(inner);
    int r = sqfs_dir_reader_find_by_path(s->dir, NULL, cur, &ino);
    for (int hops = 0;
         r == 0 && hops < 8 &&
         (ino->base.type == SQFS_INODE_SLINK || ino->base.type == SQFS_INODE_EXT_SLINK);
         hops++) {
        size_t tl = ino->base.type == SQFS_INODE_SLINK ? ino->data.slink.target_size
                                                       : ino->data.slink_ext.target_size;
        if (tl > ino->payload_bytes_used) {
            tl = ino->payload_bytes_used;
        }
        char *next = resolve_link(cur, (const char *)ino->extra, tl);
        sqfs_free(ino);
        ino = NULL;
        if (next == NULL) {
            return sn_err_set(err, -EINVAL, "'%s': %s is a symlink pointing outside the snap", path,
                              inner);
        }
        free(cur);
        cur = next;
        r = sqfs_dir_reader_find_by_path(s->dir, NULL, cur, &ino);
    }
    if (r == SQFS_ERROR_NO_ENTRY) {
        return sn_err_set(err, -ENOENT, "'%s': has no %s", path, inner);
    }
    if (r != 0) {
        return sn_err_set(err, -EINVAL, "'%s': cannot find %s: %s", path, inner, sqfs_strerror(r));
    }
    sqfs_u64 size = 0;
    if (ino->base.type != SQFS_INODE_FILE && ino->base.type != SQFS_INODE_EXT_FILE) {
        sqfs_free(ino);
        return sn_err_set(err, -EINVAL, "'%s': %s is not a regular file", path, inner);
    }
    if (sqfs_inode_get_file_size(ino, &size) != 0 || size > max) {
        sqfs_free(ino);
        return sn_err_set(err, -EFBIG, "'%s': %s is larger than %zu bytes", path, inner, max);
    }
    char *buf = xmalloc((size_t)size + 1);
    sqfs_s32 n = size ? sqfs_data_reader_read(s->data, ino, 0, buf, (sqfs_u32)size) : 0;
    sqfs_free(ino);
    if (n < 0 || (sqfs_u64)n != size) {
        free(buf);
        return sn_err_set(err, -EINVAL, "'%s': cannot read %s: %s", path, inner,
                          n < 0 ? sqfs_strerror(n) : "short read (truncated image?)");
    }
    buf[size] = '\0';
    *out = buf;
    *len = (size_t)size;
    return 0;
}

static const char *comp_name(uint16_t id) {
    switch (id) {
        case SQFS_COMP_GZIP:
            return "gzip";
        case SQFS_COMP_LZMA:
            return "lzma";
        case SQFS_COMP_LZO:
            return "lzo";
        case SQFS_COMP_XZ:
            return "xz";
        case SQFS_COMP_LZ4:
            return "lz4";
        case SQFS_COMP_ZSTD:
            return "zstd";
        default:
            return "unknown";
    }
}

static int list_hooks(struct sqimg *s, const char *path, char ***out, struct sn_err *err) {
    char **v = xcalloc(1, sizeof(char *));
    size_t n = 0;
    sqfs_inode_generic_t *ino = NULL;
    int r = sqfs_dir_reader_find_by_path(s->dir, NULL, "meta/hooks", &ino);
    if (r == SQFS_ERROR_NO_ENTRY) {
        *out = v;
        return 0;
    }
    if (r == 0 && ino->base.type != SQFS_INODE_DIR && ino->base.type != SQFS_INODE_EXT_DIR) {
        sqfs_free(ino);
        *out = v;
        return 0;
    }
    if (r == 0) {
        r = sqfs_dir_reader_open_dir(s->dir, ino, 0);
    }
    sqfs_free(ino);
    for (size_t guard = 0; r == 0 && guard < 4096; guard++) {
        sqfs_dir_entry_t *ent = NULL;
        r = sqfs_dir_reader_read(s->dir, &ent);
        if (r != 0) {
            break;
        }
        v = xrealloc(v, (n + 2) * sizeof(*v));
        v[n++] = xstrndup((const char *)ent->name, (size_t)ent->size + 1);
        v[n] = NULL;
        sqfs_free(ent);
    }
    if (r < 0) {
        sn_strv_free(v);
        return sn_err_set(err, -EINVAL, "'%s': cannot list meta/hooks: %s", path, sqfs_strerror(r));
    }
    *out = v;
    return 0;
}

static bool sqimg_has(struct sqimg *s, const char *inner) {
    sqfs_inode_generic_t *ino = NULL;
    if (sqfs_dir_reader_find_by_path(s->dir, NULL, inner, &ino) != 0) {
        return false;
    }
    sqfs_free(ino);
    return true;
}

/* Run unsquashfs (squashfs-tools) and capture its stdout, for compressors libsquashfs lacks. */
static int unsquashfs_out(const char *const argv[], size_t max, char **out, size_t *len,
                          int *status, struct sn_err *err) {
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0) {
        return sn_err_set(err, -errno, "cannot create pipe: %s", strerror(errno));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int r = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    (void)close(pfd[1]);
    if (r != 0) {
        (void)close(pfd[0]);
        return sn_err_set(err, -r, "cannot run unsquashfs: %s (install squashfs-tools)",
                          strerror(r));
    }
    r = sn_read_fd(pfd[0], "unsquashfs output", max, out, len, err);
    (void)close(pfd[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return r;
}

static int fallback_read(const char *path, struct snap_image *img, struct sn_err *err) {
    int status = 0;
    const char *cat[] = {"unsquashfs", "-cat", path, "meta/snap.yaml", NULL};
    int r = unsquashfs_out(cat, SNAP_IMAGE_MAX_FILE, &img->snap_yaml, &img->snap_yaml_len, &status,
                           err);
    if (r == -EFBIG) {
        return sn_err_set(err, r, "'%s': meta/snap.yaml is larger than %d bytes", path,
                          SNAP_IMAGE_MAX_FILE);
    }
    if (r < 0) {
        return r;
    }
    if (status != 0) {
        return sn_err_set(err, -ENOENT, "'%s': has no meta/snap.yaml", path);
    }
    SN_AUTOFREE char *list = NULL;
    size_t ll = 0;
    const char *ls[] = {"unsquashfs",       "-l", path, "meta/hooks", "meta/gadget.yaml",
                        "meta/kernel.yaml", NULL};
    r = unsquashfs_out(ls, 4 * 1024 * 1024, &list, &ll, &status, err);
    if (r < 0) {
        return r;
    }
    char **v = xcalloc(1, sizeof(char *));
    size_t n = 0;
    char *save = NULL;
    for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        const char *hp = strstr(line, "/meta/hooks/");
        if (hp != NULL && strchr(hp + 12, '/') == NULL) {
            v = xrealloc(v, (n + 2) * sizeof(*v));
            v[n++] = xstrdup(hp + 12);
            v[n] = NULL;
        }
        img->has_gadget_yaml = img->has_gadget_yaml || strstr(line, "/meta/gadget.yaml") != NULL;
        img->has_kernel_yaml = img->has_kernel_yaml || strstr(line, "/meta/kernel.yaml") != NULL;
    }
    img->hooks = v;
    return 0;
}

int snap_image_read(const char *path, struct snap_image *img, struct sn_err *err) {
    struct sqimg s;
    memset(img, 0, sizeof(*img));
    int r = sqimg_open(&s, path, err);
    if (r == -ENOTSUP) {
        img->file_size = s.file_size;
        img->bytes_used = s.super.bytes_used;
        img->block_size = s.super.block_size;
        img->compression = comp_name(s.super.compression_id);
        img->inode_count = s.super.inode_count;
        img->mkfs_time = s.super.modification_time;
        sqimg_close(&s);
        r = fallback_read(path, img, err);
        if (r < 0) {
            snap_image_release(img);
        }
        return r;
    }
    if (r < 0) {
        return r;
    }
    img->file_size = s.file_size;
    img->bytes_used = s.super.bytes_used;
    img->block_size = s.super.block_size;
    img->compression = comp_name(s.super.compression_id);
    img->inode_count = s.super.inode_count;
    img->mkfs_time = s.super.modification_time;
    r = sqimg_read(&s, path, "meta/snap.yaml", SNAP_IMAGE_MAX_FILE, &img->snap_yaml,
                   &img->snap_yaml_len, err);
    if (r == 0) {
        r = list_hooks(&s, path, &img->hooks, err);
    }
    if (r == 0) {
        img->has_gadget_yaml = sqimg_has(&s, "meta/gadget.yaml");
        img->has_kernel_yaml = sqimg_has(&s, "meta/kernel.yaml");
    }
    sqimg_close(&s);
    if (r < 0) {
        snap_image_release(img);
    }
    return r;
}

int snap_image_read_file(const char *path, const char *inner, size_t max, char **out, size_t *len,
                         struct sn_err *err) {
    struct sqimg s;
    int r = sqimg_open(&s, path, err);
    if (r == -ENOTSUP) {
        sqimg_close(&s);
        int status = 0;
        const char *cat[] = {"unsquashfs", "-cat", path, inner, NULL};
        r = unsquashfs_out(cat, max, out, len, &status, err);
        if (r == 0 && status != 0) {
            free(*out);
            *out = NULL;
            r = sn_err_set(err, -ENOENT, "'%s': has no %s", path, inner);
        }
        return r;
    }
    if (r < 0) {
        return r;
    }
    r = sqimg_read(&s, path, inner, max, out, len, err);
    sqimg_close(&s);
    return r;
}

void snap_image_release(struct snap_image *img) {
    free(img->snap_yaml);
    sn_strv_free(img->hooks);
    memset(img, 0, sizeof(*img));
}

/* base_contract_lacks lookups: in the image (libsquashfs), or in `unsquashfs -ll` output */
struct base_lookup {
    struct sqimg *s;
    const char *listing; /* fallback: lines of unsquashfs -ll -max-depth 3 */
    int error;           /* first libsquashfs error other than "no such entry" */
};

static enum base_entry lookup_image(void *ctx, const char *path) {
    struct base_lookup *bl = ctx;
    sqfs_inode_generic_t *ino = NULL;
    int r = sqfs_dir_reader_find_by_path(bl->s->dir, NULL, path, &ino);
    if (r == SQFS_ERROR_NO_ENTRY) {
        return BASE_ENTRY_MISSING;
    }
    if (r != 0) {
        bl->error = bl->error ? bl->error : r;
        return BASE_ENTRY_OTHER;
    }
    bool dir = ino->base.type == SQFS_INODE_DIR || ino->base.type == SQFS_INODE_EXT_DIR;
    sqfs_free(ino);
    return dir ? BASE_ENTRY_DIR : BASE_ENTRY_OTHER;
}

/* a line is "drwxr-xr-x root/root 3 2024-01-01 00:00 squashfs-root/var/lib[ -> target]" */
static enum base_entry lookup_listing(void *ctx, const char *path) {
    struct base_lookup *bl = ctx;
    SN_AUTOFREE char *needle = xasprintf(" squashfs-root/%s", path);
    size_t nl = strlen(needle);
    for (const char *line = bl->listing; line && *line;) {
        const char *eol = strchrnul(line, '\n');
        const char *at = memmem(line, (size_t)(eol - line), needle, nl);
        if (at != NULL && (at + nl == eol || strncmp(at + nl, " -> ", 4) == 0)) {
            return line[0] == 'd' ? BASE_ENTRY_DIR : BASE_ENTRY_OTHER;
        }
        line = *eol ? eol + 1 : eol;
    }
    return BASE_ENTRY_MISSING;
}

int snap_image_base_lacks(const char *path, char ***lacks, struct sn_err *err) {
    struct sqimg s;
    struct base_lookup bl = {&s, NULL, 0};
    int r = sqimg_open(&s, path, err);
    if (r == -ENOTSUP) {
        sqimg_close(&s);
        SN_AUTOFREE char *list = NULL;
        size_t ll = 0;
        int status = 0;
        const char *argv[] = {"unsquashfs", "-ll", "-max-depth", "3", path, NULL};
        r = unsquashfs_out(argv, 16 * 1024 * 1024, &list, &ll, &status, err);
        if (r == 0 && status != 0) {
            r = sn_err_set(err, -EINVAL, "'%s': unsquashfs cannot list it", path);
        }
        if (r < 0) {
            return r;
        }
        bl.s = NULL;
        bl.listing = list;
        *lacks = base_contract_lacks(lookup_listing, &bl);
        return 0;
    }
    if (r < 0) {
        return r;
    }
    char **v = base_contract_lacks(lookup_image, &bl);
    sqimg_close(&s);
    if (bl.error != 0) {
        sn_strv_free(v);
        return sn_err_set(err, -EINVAL, "'%s': cannot read its directories: %s", path,
                          sqfs_strerror(bl.error));
    }
    *lacks = v;
    return 0;
}
