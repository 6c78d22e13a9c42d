/* SPDX-License-Identifier: GPL-3.0-only
 * common-devpath.c: the shared shape of interfaces whose slot names one device node by `path`
 * (i2c, spi, iio, uio, hidraw, serial-port), or a USB device by ids with `path` naming the udev
 * symlink the gadget creates for it (serial-port, hidraw).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "iface-internal.h"
#include "xalloc.h"

#include "fs.h"

#include "banned.h"

static bool has_usb_attrs(const struct iface_end *e) {
    return iface_end_attr(e, "usb-vendor") != NULL || iface_end_attr(e, "usb-product") != NULL ||
           iface_end_attr(e, "usb-interface-number") != NULL;
}

static int64_t int_attr(const struct iface_end *e, const char *name, int64_t dflt) {
    int64_t v;
    return iface_attr_int(iface_end_attr(e, name), &v) == 0 ? v : dflt;
}

int iface_devpath_validate_slot(const struct iface_def *d, const struct iface_end *slot,
                                struct sn_err *err) {
    const struct iface_devpath *p = d->param;
    const char *path = iface_attr_str(iface_end_attr(slot, "path"));
    if (path == NULL || path[0] == '\0') {
        return iface_end_fail(slot, err, -EINVAL, "attribute 'path' is required");
    }
    SN_AUTOFREE char *clean = sn_path_clean(path);
    if (p->symlink_re != NULL && has_usb_attrs(slot)) {
        if (!iface_re_match(p->symlink_re, clean)) {
            return iface_end_fail(slot, err, -EINVAL,
                                  "attribute 'path' must name a udev symlink %s when USB ids are "
                                  "given, got '%s'",
                                  p->symlink_desc, path);
        }
        if (iface_end_attr(slot, "usb-vendor") == NULL) {
            return iface_end_fail(slot, err, -EINVAL, "attribute 'usb-vendor' is required");
        }
        if (iface_end_attr(slot, "usb-product") == NULL) {
            return iface_end_fail(slot, err, -EINVAL, "attribute 'usb-product' is required");
        }
        return 0;
    }
    if (!iface_re_match(p->node_re, clean)) {
        return iface_end_fail(slot, err, -EINVAL,
                              "attribute 'path' must be a device node %s, got '%s'", p->node_desc,
                              path);
    }
    return 0;
}

int iface_devpath_connected_plug(const struct iface_def *d, const struct iface_connection *c,
                                 const struct iface_env *env, struct iface_policy *out,
                                 struct sn_err *err) {
    const struct iface_devpath *p = d->param;
    const char *path = iface_attr_str(iface_end_attr(&c->slot, "path"));
    if (path == NULL) {
        return 0; /* i2c by sysfs-name: handled by the interface */
    }
    SN_AUTOFREE char *clean = sn_path_clean(path);
    sn_strbuf_addf(&out->apparmor, "# %s: slot '%s:%s'\n", d->name, iface_end_instance(&c->slot),
                   c->slot.name);
    if (p->symlink_re != NULL && has_usb_attrs(&c->slot)) {
        char attrs[160];
        int64_t ifnum = int_attr(&c->slot, "usb-interface-number", -1);
        int n = snprintf(attrs, sizeof(attrs),
                         "SUBSYSTEMS==\"usb\", ATTRS{idVendor}==\"%04llx\", "
                         "ATTRS{idProduct}==\"%04llx\"",
                         (long long)int_attr(&c->slot, "usb-vendor", 0),
                         (long long)int_attr(&c->slot, "usb-product", 0));
        if (ifnum >= 0 && n > 0 && (size_t)n < sizeof(attrs)) {
            (void)snprintf(attrs + n, sizeof(attrs) - (size_t)n,
                           ", ENV{ID_USB_INTERFACE_NUM}==\"%02llx\"", (long long)ifnum);
        }
        sn_strbuf_addstr(&out->apparmor, p->usb_apparmor);
        iface_policy_add_fs(out, clean, IFACE_FS_DEV_RW, true);
        iface_policy_add_device(out, p->subsystem, NULL, NULL, attrs);
        return 0;
    }
    const char *kernel = clean + strlen("/dev/");
    sn_strbuf_addf(&out->apparmor, "\"%s\" rwk,\n", clean);
    if (p->apparmor != NULL) {
        iface_subst(&out->apparmor, p->apparmor, "KERNEL", kernel);
    }
    iface_policy_add_fs(out, clean, IFACE_FS_DEV_RW, true);
    if (p->sysfs != NULL) {
        SN_AUTOSTRBUF struct sn_strbuf sysfs = SN_STRBUF_INIT;
        iface_subst(&sysfs, p->sysfs, "KERNEL", kernel);
        iface_policy_add_fs(out, sysfs.buf, IFACE_FS_RW, true);
    }
    iface_policy_add_device(out, p->subsystem, kernel, NULL, NULL);
    return 0;
}

int iface_devpath_permanent_slot(const struct iface_def *d, const struct iface_end *slot,
                                 const struct iface_env *env, struct iface_policy *out,
                                 struct sn_err *err) {
    const struct iface_devpath *p = d->param;
    const char *path = iface_attr_str(iface_end_attr(slot, "path"));
    if (p->symlink_re == NULL || path == NULL || !has_usb_attrs(slot)) {
        return 0;
    }
    SN_AUTOFREE char *clean = sn_path_clean(path);
    int64_t ifnum = int_attr(slot, "usb-interface-number", -1);
    char ifmatch[64] = "";
    if (ifnum >= 0) {
        (void)snprintf(ifmatch, sizeof(ifmatch), ", ENV{ID_USB_INTERFACE_NUM}==\"%02llx\"",
                       (long long)ifnum);
    }
    SN_AUTOFREE char *rule = xasprintf(
        "SUBSYSTEM==\"%s\", SUBSYSTEMS==\"usb\", ATTRS{idVendor}==\"%04llx\", "
        "ATTRS{idProduct}==\"%04llx\"%s, SYMLINK+=\"%s\"",
        p->subsystem, (long long)int_attr(slot, "usb-vendor", 0),
        (long long)int_attr(slot, "usb-product", 0), ifmatch, clean + strlen("/dev/"));
    iface_policy_add_udev_rule(out, "IMPORT{builtin}=\"usb_id\"");
    iface_policy_add_udev_rule(out, rule);
    return 0;
}
