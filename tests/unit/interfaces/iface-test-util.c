/* SPDX-License-Identifier: GPL-3.0-only */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "iface-test-util.h"

#include <stdio.h>
#include <string.h>

#include "strbuf.h"

#include "banned.h"

struct snap_info *tu_snap(const char *yaml) {
    struct snap_info *info = NULL;
    struct sn_err err = SN_ERR_INIT;
    int r = snap_yaml_parse(yaml, strlen(yaml), "snap.yaml", &info, NULL, &err);
    if (r != 0) {
        print_error("unexpected snap.yaml error: %s\nfor:\n%s\n", err.msg, yaml);
    }
    assert_int_equal(r, 0);
    return info;
}

struct snap_info *tu_plug_snap(const char *name, const char *iface, const char *attrs) {
    struct sn_strbuf sb = SN_STRBUF_INIT;
    sn_strbuf_addf(&sb,
                   "name: %s\nversion: '1'\nplugs:\n  p:\n    interface: %s\n%s"
                   "apps:\n  app:\n    command: bin/app\n    plugs: [p]\n",
                   name, iface, attrs != NULL ? attrs : "");
    struct snap_info *s = tu_snap(sb.buf);
    sn_strbuf_release(&sb);
    return s;
}

struct snap_info *tu_slot_snap(const char *name, const char *type, const char *iface,
                               const char *attrs, bool with_app) {
    struct sn_strbuf sb = SN_STRBUF_INIT;
    sn_strbuf_addf(&sb, "name: %s\nversion: '1'\ntype: %s\nslots:\n  s:\n    interface: %s\n%s",
                   name, type, iface, attrs != NULL ? attrs : "");
    if (with_app) {
        sn_strbuf_addstr(&sb, "apps:\n  svc:\n    command: bin/svc\n    slots: [s]\n");
    }
    struct snap_info *s = tu_snap(sb.buf);
    sn_strbuf_release(&sb);
    return s;
}

void tu_conn(struct iface_connection *c, const struct snap_info *ps, const char *plug,
             const struct snap_info *ss, const char *slot) {
    memset(c, 0, sizeof(*c));
    const struct snap_plugslot *p = snap_info_plug(ps, plug);
    assert_non_null(p);
    iface_end_init(&c->plug, IFACE_PLUG, ps, p);
    c->plug.revision = "x1";
    if (ss == NULL) {
        iface_end_system_slot(&c->slot, p->iface, NULL);
        return;
    }
    const struct snap_plugslot *s = snap_info_slot(ss, slot);
    assert_non_null(s);
    iface_end_init(&c->slot, IFACE_SLOT, ss, s);
    c->slot.revision = "7";
}

bool tu_has_fs(const struct iface_policy *p, const char *path, uint32_t access) {
    for (size_t i = 0; i < p->nfs; i++) {
        if (strcmp(p->fs[i].path, path) == 0 && (p->fs[i].access & access) == access) {
            return true;
        }
    }
    return false;
}

static bool eq(const char *a, const char *b) {
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

bool tu_has_device(const struct iface_policy *p, const char *subsystem, const char *kernel) {
    for (size_t i = 0; i < p->ndevices; i++) {
        if (eq(p->devices[i].subsystem, subsystem) && eq(p->devices[i].kernel, kernel)) {
            return true;
        }
    }
    return false;
}
