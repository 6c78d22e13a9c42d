/* SPDX-License-Identifier: GPL-3.0-only */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "xalloc.h"

#include "banned.h"

void iface_policy_init(struct iface_policy *p) {
    memset(p, 0, sizeof(*p));
    sn_strbuf_init(&p->seccomp);
    sn_strbuf_init(&p->apparmor);
}

void iface_policy_release(struct iface_policy *p) {
    sn_strbuf_release(&p->seccomp);
    sn_strbuf_release(&p->apparmor);
    for (size_t i = 0; i < p->nfs; i++) {
        free(p->fs[i].path);
    }
    free(p->fs);
    free(p->net);
    for (size_t i = 0; i < p->ndevices; i++) {
        free(p->devices[i].subsystem);
        free(p->devices[i].kernel);
        free(p->devices[i].node);
        free(p->devices[i].attrs);
    }
    free(p->devices);
    for (size_t i = 0; i < p->nmounts; i++) {
        free(p->mounts[i].source);
        free(p->mounts[i].target);
    }
    free(p->mounts);
    sn_strv_free(p->kmods);
    sn_strv_free(p->udev_rules);
    for (size_t i = 0; i < p->nexports; i++) {
        free(p->exports[i].dir);
        free(p->exports[i].value);
        free(p->exports[i].node);
    }
    free(p->exports);
    iface_policy_init(p);
}

static char *dup_or_null(const char *s) {
    return s ? xstrdup(s) : NULL;
}

static void add_fs(struct iface_policy *p, const char *path, uint32_t access, bool optional,
                   bool glob) {
    for (size_t i = 0; i < p->nfs; i++) {
        if (strcmp(p->fs[i].path, path) == 0 && p->fs[i].glob == glob) {
            p->fs[i].access |= access;
            p->fs[i].optional = p->fs[i].optional && optional;
            return;
        }
    }
    p->fs = xrealloc(p->fs, (p->nfs + 1) * sizeof(*p->fs));
    p->fs[p->nfs++] = (struct iface_fs_rule){xstrdup(path), access, optional, glob};
}

void iface_policy_add_fs(struct iface_policy *p, const char *path, uint32_t access, bool optional) {
    add_fs(p, path, access, optional, false);
}

void iface_policy_add_fs_glob(struct iface_policy *p, const char *pattern, uint32_t access,
                              bool optional) {
    add_fs(p, pattern, access, optional, true);
}

void iface_policy_add_net(struct iface_policy *p, uint16_t port, uint32_t access) {
    for (size_t i = 0; i < p->nnet; i++) {
        if (p->net[i].port == port) {
            p->net[i].access |= access;
            return;
        }
    }
    p->net = xrealloc(p->net, (p->nnet + 1) * sizeof(*p->net));
    p->net[p->nnet++] = (struct iface_net_rule){port, access};
}

static bool str_eq(const char *a, const char *b) {
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

void iface_policy_add_device(struct iface_policy *p, const char *subsystem, const char *kernel,
                             const char *node, const char *attrs) {
    for (size_t i = 0; i < p->ndevices; i++) {
        const struct iface_device *d = &p->devices[i];
        if (str_eq(d->subsystem, subsystem) && str_eq(d->kernel, kernel) && str_eq(d->node, node) &&
            str_eq(d->attrs, attrs)) {
            return;
        }
    }
    p->devices = xrealloc(p->devices, (p->ndevices + 1) * sizeof(*p->devices));
    p->devices[p->ndevices++] = (struct iface_device){dup_or_null(subsystem), dup_or_null(kernel),
                                                      dup_or_null(node), dup_or_null(attrs)};
}

static void add_mount(struct iface_policy *p, const char *source, const char *target,
                      bool read_only, bool optional) {
    for (size_t i = 0; i < p->nmounts; i++) {
        if (strcmp(p->mounts[i].source, source) == 0 && strcmp(p->mounts[i].target, target) == 0) {
            p->mounts[i].read_only = p->mounts[i].read_only && read_only;
            p->mounts[i].optional = p->mounts[i].optional && optional;
            return;
        }
    }
    p->mounts = xrealloc(p->mounts, (p->nmounts + 1) * sizeof(*p->mounts));
    p->mounts[p->nmounts++] =
        (struct iface_mount){xstrdup(source), xstrdup(target), read_only, optional};
}

void iface_policy_add_mount(struct iface_policy *p, const char *source, const char *target,
                            bool read_only) {
    add_mount(p, source, target, read_only, false);
}

void iface_policy_add_mount_optional(struct iface_policy *p, const char *source, const char *target,
                                     bool read_only) {
    add_mount(p, source, target, read_only, true);
}

static void strv_add_unique(char ***v, const char *s) {
    size_t n = 0;
    while (*v != NULL && (*v)[n] != NULL) {
        if (strcmp((*v)[n], s) == 0) {
            return;
        }
        n++;
    }
    *v = xrealloc(*v, (n + 2) * sizeof(**v));
    (*v)[n] = xstrdup(s);
    (*v)[n + 1] = NULL;
}

void iface_policy_add_kmod(struct iface_policy *p, const char *module) {
    strv_add_unique(&p->kmods, module);
}

void iface_policy_add_udev_rule(struct iface_policy *p, const char *rule) {
    strv_add_unique(&p->udev_rules, rule);
}

void iface_policy_add_export(struct iface_policy *p, const char *dir, const char *value,
                             const char *node) {
    for (size_t i = 0; i < p->nexports; i++) {
        if (strcmp(p->exports[i].node, node) == 0) {
            return;
        }
    }
    p->exports = xrealloc(p->exports, (p->nexports + 1) * sizeof(*p->exports));
    p->exports[p->nexports++] = (struct iface_export){xstrdup(dir), xstrdup(value), xstrdup(node)};
}

void iface_policy_merge(struct iface_policy *dst, const struct iface_policy *src) {
    sn_strbuf_add(&dst->seccomp, src->seccomp.buf, src->seccomp.len);
    sn_strbuf_add(&dst->apparmor, src->apparmor.buf, src->apparmor.len);
    for (size_t i = 0; i < src->nfs; i++) {
        add_fs(dst, src->fs[i].path, src->fs[i].access, src->fs[i].optional, src->fs[i].glob);
    }
    for (size_t i = 0; i < src->nnet; i++) {
        iface_policy_add_net(dst, src->net[i].port, src->net[i].access);
    }
    dst->net_unrestricted = dst->net_unrestricted || src->net_unrestricted;
    for (size_t i = 0; i < src->ndevices; i++) {
        const struct iface_device *d = &src->devices[i];
        iface_policy_add_device(dst, d->subsystem, d->kernel, d->node, d->attrs);
    }
    for (size_t i = 0; i < src->nmounts; i++) {
        add_mount(dst, src->mounts[i].source, src->mounts[i].target, src->mounts[i].read_only,
                  src->mounts[i].optional);
    }
    for (size_t i = 0; src->kmods != NULL && src->kmods[i] != NULL; i++) {
        iface_policy_add_kmod(dst, src->kmods[i]);
    }
    for (size_t i = 0; src->udev_rules != NULL && src->udev_rules[i] != NULL; i++) {
        iface_policy_add_udev_rule(dst, src->udev_rules[i]);
    }
    for (size_t i = 0; i < src->nexports; i++) {
        iface_policy_add_export(dst, src->exports[i].dir, src->exports[i].value,
                                src->exports[i].node);
    }
    dst->unrestricted = dst->unrestricted || src->unrestricted;
    dst->unscoped |= src->unscoped;
}
