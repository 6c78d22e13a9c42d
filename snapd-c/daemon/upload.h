/* SPDX-License-Identifier: GPL-3.0-only
 * upload.h: multipart/form-data bodies of POST /v2/snaps (the real snap client's sideload):
 * each "snap" file part (snap install --dangerous a.snap b.snap sends several) is written to a
 * temp file in the snaps directory (so the install can rename it into place), the other parts
 * are small fields.
 */
#ifndef SNAPD_UPLOAD_H
#define SNAPD_UPLOAD_H

#include <event2/buffer.h>
#include <stdbool.h>

#include "err.h"

struct upload_field {
    char *name;
    char *value;
};

struct upload_file {
    char *path; /* temp file holding the snap part */
    char *name; /* the filename the client gave */
};

struct upload {
    struct upload_file *files; /* in the order the client sent them; at least one on success */
    size_t nfiles;
    struct upload_field *fields;
    size_t nfields;
};

/* Parse body (consumed) with the boundary from content_type. On error nothing stays on disk. */
int upload_parse(struct evbuffer *body, const char *content_type, const char *dir,
                 struct upload *up, struct sn_err *err) SN_WUR;
const char *upload_field(const struct upload *up, const char *name);
bool upload_field_bool(const struct upload *up, const char *name);
/* Frees memory; does not remove the files (ownership passes to the install change). */
void upload_unlink(struct upload *up); /* removes the temp files (install refused) */
void upload_release(struct upload *up);

#endif
