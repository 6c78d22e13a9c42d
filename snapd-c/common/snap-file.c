/* SPDX-License-Identifier: GPL-3.0-only
 * snap-file.c: a .snap file's metadata, read out of the squashfs image (libsquashfs). Kept
 * apart from snap-container.c so that the daemon, which never reads images itself (it asks
 * `snapc info`), does not link libsquashfs and its compressors.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "cleanup.h"
#include "snap-container.h"
#include "xalloc.h"

#include "banned.h"

int snap_load_file(const char *path, struct snap_info **out, struct snap_image *img,
                   struct snap_problems *probs, struct sn_err *err) {
    struct snap_image local = {0};
    struct snap_image *im = img ? img : &local;
    struct sn_err rerr = SN_ERR_INIT;
    int r = snap_image_read(path, im, &rerr);
    if (r < 0) {
        if (probs) {
            snap_problems_add(probs, "%s", rerr.msg);
        }
        return sn_err_set(err, r, "%s", rerr.msg);
    }
    SN_AUTOFREE char *fname = xasprintf("%s:meta/snap.yaml", path);
    struct snap_info *info = NULL;
    r = snap_yaml_parse(im->snap_yaml, im->snap_yaml_len, fname, &info, probs, err);
    if (r == 0) {
        snap_info_add_implicit_hooks(info, im->hooks);
        *out = info;
    }
    if (im == &local || r < 0) {
        snap_image_release(im);
    }
    return r;
}
