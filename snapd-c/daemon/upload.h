/* SPDX-License-Identifier: GPL-3.0-only
 * upload.h: multipart/form-data bodies of POST /v2/snaps (the real snap client's sideload):
 * the "snap" file part is written to a temp file in the snaps directory (so the install can
 * rename it into place), the other parts are small fields.
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

struct upload {
    char *file_path; /* temp file holding the snap part; NULL when none */
    char *file_name; /* the filename the client gave */
    struct upload_field *fields;
    size_t nfields;
};

/* Parse body (consumed) with the boundary from content_type. On error nothing stays on disk. */
int upload_parse(struct evbuffer *body, const char *content_type, const char *dir,
                 struct upload *up, struct sn_err *err) SN_WUR;
const char *upload_field(const struct upload *up, const char *name);
bool upload_field_bool(const struct upload *up, const char *name);
/* Frees memory; does not remove file_path (ownership passes to the install change). */
void upload_release(struct upload *up);

#endif
