/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "upload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cleanup.h"
#include "xalloc.h"

#include "banned.h"

#define MAX_FIELD        4096
#define MAX_PART_HEADERS 8192
#define MAX_PARTS        32
#define MAX_FILES        16 /* snap files in one request */

/* boundary=... from the Content-Type, quotes removed. Caller owns. */
static char *get_boundary(const char *ct) {
    const char *b = strcasestr(ct, "boundary=");
    if (b == NULL) {
        return NULL;
    }
    b += 9;
    size_t n;
    if (*b == '"') {
        b++;
        const char *e = strchr(b, '"');
        n = e ? (size_t)(e - b) : strlen(b);
    } else {
        n = strcspn(b, "; \t");
    }
    if (n == 0 || n > 200) {
        return NULL;
    }
    return xstrndup(b, n);
}

/* name="x" (or filename="y") from a Content-Disposition header line. Caller owns. */
static char *disp_param(const char *hdrs, const char *param) {
    SN_AUTOFREE char *needle = xasprintf("%s=\"", param);
    const char *p = hdrs;
    while ((p = strcasestr(p, needle)) != NULL) {
        /* "name=" must not match inside "filename=" */
        if (p == hdrs || p[-1] == ' ' || p[-1] == ';' || p[-1] == '\t') {
            p += strlen(needle);
            const char *e = strchr(p, '"');
            return e ? xstrndup(p, (size_t)(e - p)) : NULL;
        }
        p += strlen(needle);
    }
    return NULL;
}

static int write_range(struct evbuffer *buf, size_t len, int fd) {
    while (len > 0) {
        struct evbuffer_iovec v[16];
        int n = evbuffer_peek(buf, (ev_ssize_t)len, NULL, v, 16);
        if (n <= 0) {
            return -EIO;
        }
        size_t done = 0;
        for (int i = 0; i < n && i < 16 && done < len; i++) {
            size_t take = v[i].iov_len < len - done ? v[i].iov_len : len - done;
            const char *p = v[i].iov_base;
            size_t left = take;
            while (left > 0) {
                ssize_t w = write(fd, p, left);
                if (w < 0) {
                    if (errno == EINTR) {
                        continue;
                    }
                    return -errno;
                }
                p += w;
                left -= (size_t)w;
            }
            done += take;
        }
        evbuffer_drain(buf, done);
        len -= done;
    }
    return 0;
}

int upload_parse(struct evbuffer *body, const char *content_type, const char *dir,
                 struct upload *up, struct sn_err *err) {
    memset(up, 0, sizeof(*up));
    SN_AUTOFREE char *boundary = get_boundary(content_type);
    if (boundary == NULL) {
        return sn_err_set(err, -EINVAL, "cannot read POST form: no multipart boundary");
    }
    SN_AUTOFREE char *delim = xasprintf("--%s", boundary);
    SN_AUTOFREE char *next_delim = xasprintf("\r\n--%s", boundary);
    size_t dl = strlen(delim);
    int r = 0;
    /* skip the preamble up to the first delimiter */
    struct evbuffer_ptr p = evbuffer_search(body, delim, dl, NULL);
    if (p.pos < 0) {
        return sn_err_set(err, -EINVAL, "cannot read POST form: no parts");
    }
    evbuffer_drain(body, (size_t)p.pos + dl);
    for (int nparts = 0;; nparts++) {
        char two[2] = {0, 0};
        if (evbuffer_copyout(body, two, 2) == 2 && two[0] == '-' && two[1] == '-') {
            break; /* closing delimiter */
        }
        if (nparts >= MAX_PARTS) {
            r = sn_err_set(err, -EINVAL, "cannot read POST form: too many parts");
            break;
        }
        struct evbuffer_ptr he = evbuffer_search(body, "\r\n\r\n", 4, NULL);
        if (he.pos < 0 || he.pos > MAX_PART_HEADERS) {
            r = sn_err_set(err, -EINVAL, "cannot read POST form: bad part headers");
            break;
        }
        SN_AUTOFREE char *hdrs = xmalloc((size_t)he.pos + 1);
        evbuffer_remove(body, hdrs, (size_t)he.pos);
        hdrs[he.pos] = '\0';
        evbuffer_drain(body, 4);
        struct evbuffer_ptr pe = evbuffer_search(body, next_delim, strlen(next_delim), NULL);
        if (pe.pos < 0) {
            r = sn_err_set(err, -EINVAL, "cannot read POST form: truncated body");
            break;
        }
        size_t plen = (size_t)pe.pos;
        SN_AUTOFREE char *name = disp_param(hdrs, "name");
        SN_AUTOFREE char *filename = disp_param(hdrs, "filename");
        if (name != NULL && strcmp(name, "snap") == 0 && filename != NULL) {
            if (up->nfiles >= MAX_FILES) {
                r = sn_err_set(err, -EINVAL, "cannot read POST form: more than %d snap files",
                               MAX_FILES);
                break;
            }
            SN_AUTOFREE char *path = xasprintf("%s/.upload-XXXXXX", dir);
            int fd = mkostemp(path, O_CLOEXEC);
            if (fd < 0) {
                r = sn_err_set(err, -errno, "cannot create temporary file: %s", strerror(errno));
                break;
            }
            up->files = xrealloc(up->files, (up->nfiles + 1) * sizeof(*up->files));
            up->files[up->nfiles++] =
                (struct upload_file){SN_TAKE_PTR(path), SN_TAKE_PTR(filename)};
            (void)fchmod(fd, 0600);
            r = write_range(body, plen, fd);
            if (r == 0 && fsync(fd) < 0) {
                r = -errno;
            }
            (void)close(fd);
            if (r < 0) {
                r = sn_err_set(err, r, "cannot write uploaded snap: %s", strerror(-r));
                break;
            }
        } else if (name != NULL) {
            if (plen > MAX_FIELD) {
                r = sn_err_set(err, -EINVAL, "cannot read POST form: field \"%s\" too long", name);
                break;
            }
            char *val = xmalloc(plen + 1);
            evbuffer_remove(body, val, plen);
            val[plen] = '\0';
            up->fields = xrealloc(up->fields, (up->nfields + 1) * sizeof(*up->fields));
            up->fields[up->nfields++] = (struct upload_field){SN_TAKE_PTR(name), val};
        } else {
            evbuffer_drain(body, plen);
        }
        evbuffer_drain(body, strlen(next_delim));
    }
    if (r == 0 && up->nfiles == 0) {
        r = sn_err_set(err, -EINVAL,
                       "cannot find \"snap\" file field in provided multipart/form-data payload");
    }
    if (r < 0) {
        upload_unlink(up);
        upload_release(up);
    }
    return r;
}

const char *upload_field(const struct upload *up, const char *name) {
    for (size_t i = 0; i < up->nfields; i++) {
        if (strcmp(up->fields[i].name, name) == 0) {
            return up->fields[i].value;
        }
    }
    return NULL;
}

bool upload_field_bool(const struct upload *up, const char *name) {
    const char *v = upload_field(up, name);
    return v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

void upload_unlink(struct upload *up) {
    for (size_t i = 0; i < up->nfiles; i++) {
        (void)unlink(up->files[i].path);
    }
}

void upload_release(struct upload *up) {
    for (size_t i = 0; i < up->nfiles; i++) {
        free(up->files[i].path);
        free(up->files[i].name);
    }
    free(up->files);
    for (size_t i = 0; i < up->nfields; i++) {
        free(up->fields[i].name);
        free(up->fields[i].value);
    }
    free(up->fields);
    memset(up, 0, sizeof(*up));
}
