/* SPDX-License-Identifier: GPL-3.0-only
 * libFuzzer target for the snap.yaml parser and validator (RAUC fuzz/ style). Built with
 * clang -fsanitize=fuzzer by ./build.sh fuzz; built with a plain main() (driver.c) as a test
 * that replays the corpus in tests/fuzz/corpus/snap-yaml.
 */
#include <stddef.h>
#include <stdint.h>

#include "snap-json.h"
#include "snap-yaml.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct snap_info *info = NULL;
    struct snap_problems probs = {0};
    struct sn_err err = SN_ERR_INIT;
    if (snap_yaml_parse((const char *)data, size, "fuzz.yaml", &info, &probs, &err) == 0) {
        /* exercise the consumers too */
        struct json_object *o = snap_info_to_json(info);
        json_object_put(o);
        char *fn = snap_pack_filename(info);
        free(fn);
        snap_info_free(info);
    }
    snap_problems_release(&probs);
    return 0;
}
