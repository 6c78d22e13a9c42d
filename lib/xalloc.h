/* SPDX-License-Identifier: GPL-3.0-only
 * xalloc.h: allocators that abort on out-of-memory (small allocations only; an OOM there
 * leaves no sane way to continue). Use plain malloc and return -ENOMEM for sizes that
 * come from input.
 */
#ifndef SN_XALLOC_H
#define SN_XALLOC_H

#include <stddef.h>
#include "err.h"

void *xmalloc(size_t n) __attribute__((malloc, returns_nonnull));
void *xcalloc(size_t nmemb, size_t size) __attribute__((malloc, returns_nonnull));
void *xrealloc(void *p, size_t n) __attribute__((returns_nonnull));
char *xstrdup(const char *s) __attribute__((malloc, returns_nonnull));
char *xstrndup(const char *s, size_t n) __attribute__((malloc, returns_nonnull));
char *xasprintf(const char *fmt, ...) SN_FMT(1, 2) __attribute__((malloc, returns_nonnull));

#endif
