/* SPDX-License-Identifier: GPL-3.0-only
 * registry.c: the table of interface definitions (registry-list.h) and lookups.
 */
#include "registry.h"

#include <string.h>

#include "iface-internal.h"

#include "banned.h"

static const struct iface_def *const defs[] = {
#define IFACE(n) &iface_def_##n,
#include "registry-list.h"
#undef IFACE
};

#define NDEFS (sizeof(defs) / sizeof(defs[0]))

size_t iface_count(void) {
    return NDEFS;
}

const struct iface_def *iface_at(size_t i) {
    return i < NDEFS ? defs[i] : NULL;
}

const struct iface_def *iface_lookup(const char *name) {
    size_t lo = 0, hi = NDEFS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, defs[mid]->name);
        if (c == 0) {
            return defs[mid];
        }
        if (c < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return NULL;
}

bool iface_is_implicit(const struct iface_def *d, enum iface_mode mode) {
    return mode == IFACE_MODE_CLASSIC ? d->decl.implicit_classic : d->decl.implicit_core;
}

size_t iface_implicit_slots(enum iface_mode mode, const struct iface_def **out, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; i < NDEFS; i++) {
        if (iface_is_implicit(defs[i], mode)) {
            if (n < cap) {
                out[n] = defs[i];
            }
            n++;
        }
    }
    return n;
}
