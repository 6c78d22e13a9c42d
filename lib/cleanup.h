/* SPDX-License-Identifier: GPL-3.0-only
 * cleanup.h: scope-bound cleanup (__attribute__((cleanup))) and ownership transfer.
 *
 * Safe initial values: pointers start at NULL, file descriptors at -1. Each cleanup function
 * accepts its initial value and does nothing with it.
 */
#ifndef SN_CLEANUP_H
#define SN_CLEANUP_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SN_CLEANUP(fn) __attribute__((cleanup(fn)))

static inline void sn_cleanup_free(void *p) {
    free(*(void **)p);
}
static inline void sn_cleanup_close(const int *fd) {
    if (*fd >= 0) {
        (void)close(*fd);
    }
}
static inline void sn_cleanup_fclose(FILE **f) {
    if (*f != NULL) {
        (void)fclose(*f);
    }
}
static inline void sn_cleanup_closedir(DIR **d) {
    if (*d != NULL) {
        (void)closedir(*d);
    }
}
/* NULL-terminated vector of heap strings. */
static inline void sn_strv_free(char **v) {
    if (v != NULL) {
        for (char **p = v; *p != NULL; p++) {
            free(*p);
        }
        free(v);
    }
}
static inline void sn_cleanup_strv(char ***v) {
    sn_strv_free(*v);
}

#define SN_AUTOFREE     SN_CLEANUP(sn_cleanup_free)
#define SN_AUTOCLOSE    SN_CLEANUP(sn_cleanup_close)
#define SN_AUTOFCLOSE   SN_CLEANUP(sn_cleanup_fclose)
#define SN_AUTOCLOSEDIR SN_CLEANUP(sn_cleanup_closedir)
#define SN_AUTOSTRV     SN_CLEANUP(sn_cleanup_strv)

/* SN_DEFINE_CLEANUP(struct foo *, foo_free) defines sn_cleanup_foo_free for SN_CLEANUP(). */
#define SN_DEFINE_CLEANUP(type, fn)               \
    static inline void sn_cleanup_##fn(type *p) { \
        if (*p != NULL) {                         \
            fn(*p);                               \
        }                                         \
    }

/* Take ownership out of a cleanup variable: returns the value and leaves NULL behind. */
#define SN_TAKE_PTR(p)                           \
    __extension__({                              \
        __typeof__(p) *sn_take_pp_ = &(p);       \
        __typeof__(p) sn_take_v_ = *sn_take_pp_; \
        *sn_take_pp_ = NULL;                     \
        sn_take_v_;                              \
    })
#define SN_TAKE_FD(fd)                    \
    __extension__({                       \
        int *sn_take_pfd_ = &(fd);        \
        int sn_take_vfd_ = *sn_take_pfd_; \
        *sn_take_pfd_ = -1;               \
        sn_take_vfd_;                     \
    })

#endif
