/* SPDX-License-Identifier: GPL-3.0-only */
#include "iface-docgen.h"

#include <string.h>

#include "connection.h"

#include "banned.h"

/* End the buffer with exactly one blank line. */
static void blank(struct sn_strbuf *out) {
    while (out->len > 0 && out->buf[out->len - 1] == '\n') {
        out->buf[--out->len] = '\0';
    }
    sn_strbuf_addstr(out, "\n\n");
}

static const char *auto_text(const struct iface_def *d) {
    switch (d->decl.auto_connect) {
        case IFACE_AUTO_NO:
            return "no";
        case IFACE_AUTO_YES:
            return "yes (to the system's or the gadget's slot)";
        case IFACE_AUTO_CLASSIC:
            return "on classic systems only";
        case IFACE_AUTO_SAME_PUBLISHER:
            return "when plug and slot snaps have the same publisher (two local snaps count as one)";
        case IFACE_AUTO_CUSTOM:
            return "see below";
    }
    return "?";
}

static void kinds(uint32_t k, struct sn_strbuf *out) {
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{IFACE_SNAP_CORE, "system"},
                 {IFACE_SNAP_GADGET, "gadget"},
                 {IFACE_SNAP_KERNEL, "kernel"},
                 {IFACE_SNAP_APP, "app"}};
    bool first = true;
    for (size_t i = 0; i < 4; i++) {
        if (k & names[i].bit) {
            sn_strbuf_addf(out, "%s%s", first ? "" : ", ", names[i].name);
            first = false;
        }
    }
}

static void slots_text(const struct iface_def *d, struct sn_strbuf *out) {
    if (d->decl.implicit_core && d->decl.implicit_classic) {
        sn_strbuf_addstr(out, "implicit on the system snap (Core and classic)");
    } else if (d->decl.implicit_core) {
        sn_strbuf_addstr(out, "implicit on the system snap (Core)");
    } else if (d->decl.implicit_classic) {
        sn_strbuf_addstr(out, "implicit on the system snap (classic)");
    } else {
        sn_strbuf_addstr(out, "declared by snaps");
    }
    sn_strbuf_addstr(out, "; store-signed snaps may declare it on: ");
    kinds(d->decl.slot_snaps, out);
    if (d->decl.slot_grant) {
        sn_strbuf_addstr(out, " (needs a store grant on: ");
        kinds(d->decl.slot_grant, out);
        sn_strbuf_addstr(out, ")");
    }
}

static const char *attr_kind(enum iface_attr_kind k) {
    switch (k) {
        case IFACE_A_STRING:
            return "string";
        case IFACE_A_INT:
            return "int";
        case IFACE_A_BOOL:
            return "bool";
        case IFACE_A_STRLIST:
            return "list of strings";
        case IFACE_A_LIST:
            return "list";
        case IFACE_A_MAP:
            return "map";
    }
    return "?";
}

static void attrs_table(const char *title, const struct iface_attr_spec *s, struct sn_strbuf *out) {
    if (s == NULL || s->name == NULL) {
        return;
    }
    blank(out);
    sn_strbuf_addf(out,
                   "### %s attributes\n\n| name | type | required | rule | meaning |\n"
                   "|---|---|---|---|---|\n",
                   title);
    for (; s->name != NULL; s++) {
        sn_strbuf_addf(out, "| `%s` | %s | %s | ", s->name, attr_kind(s->kind),
                       s->required ? "yes" : "no");
        if (s->kind == IFACE_A_INT && s->min < s->max) {
            sn_strbuf_addf(out, "%lld..%lld", (long long)s->min, (long long)s->max);
        } else if (s->pattern != NULL) {
            sn_strbuf_addstr(out, "`");
            for (const char *p = s->pattern; *p; p++) {
                if (*p == '|') {
                    sn_strbuf_addstr(out, "\\|");
                } else {
                    sn_strbuf_addch(out, *p);
                }
            }
            sn_strbuf_addstr(out, "`");
        }
        sn_strbuf_addf(out, " | %s |\n", s->doc ? s->doc : "");
    }
}

static void access_text(uint32_t a, struct sn_strbuf *out) {
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{IFACE_FS_READ, "read"},
                 {IFACE_FS_WRITE, "write"},
                 {IFACE_FS_EXEC, "exec"},
                 {IFACE_FS_DEVICE, "device"},
                 {IFACE_FS_MAKE, "make"}};
    bool first = true;
    for (size_t i = 0; i < 5; i++) {
        if (a & names[i].bit) {
            sn_strbuf_addf(out, "%s%s", first ? "" : "+", names[i].name);
            first = false;
        }
    }
}

static void side(const char *title, const struct iface_snippets *s, bool dynamic,
                 struct sn_strbuf *out) {
    bool any =
        s->apparmor || s->seccomp || s->fs || s->devices || s->kmods || s->net_any || s->unscoped;
    if (!any && !dynamic) {
        return;
    }
    blank(out);
    sn_strbuf_addf(out, "### %s\n\n", title);
    if (s->fs != NULL) {
        sn_strbuf_addstr(out, "Landlock paths:\n\n");
        for (const struct iface_fs_spec *f = s->fs; f->path != NULL; f++) {
            sn_strbuf_addf(out, "- `%s` ", f->path);
            access_text(f->access, out);
            sn_strbuf_addf(out, "%s%s\n", f->optional ? " (optional)" : "",
                           f->glob ? " (glob)" : "");
        }
        sn_strbuf_addch(out, '\n');
    }
    if (s->net_any != 0) {
        sn_strbuf_addf(
            out, "TCP (Landlock ABI >= 4): %s%s%s on any port\n\n",
            s->net_any & IFACE_NET_BIND ? "bind" : "",
            (s->net_any & IFACE_NET_BIND) && (s->net_any & IFACE_NET_CONNECT) ? " and " : "",
            s->net_any & IFACE_NET_CONNECT ? "connect" : "");
    }
    if (s->unscoped & IFACE_UNSCOPE_SIGNAL) {
        sn_strbuf_addstr(out,
                         "Landlock scope lifted (ABI >= 6): signals to processes outside the "
                         "sandbox\n\n");
    }
    if (s->unscoped & IFACE_UNSCOPE_ABSTRACT_UNIX) {
        sn_strbuf_addstr(out, "Landlock scope lifted (ABI >= 6): abstract UNIX sockets\n\n");
    }
    if (s->devices != NULL) {
        sn_strbuf_addstr(out, "Devices (udev tag and device cgroup):\n\n");
        for (const struct iface_dev_spec *d = s->devices; d->subsystem || d->kernel || d->node;
             d++) {
            sn_strbuf_addstr(out, "-");
            if (d->subsystem) {
                sn_strbuf_addf(out, " `SUBSYSTEM==\"%s\"`", d->subsystem);
            }
            if (d->kernel) {
                sn_strbuf_addf(out, " `KERNEL==\"%s\"`", d->kernel);
            }
            if (d->node) {
                sn_strbuf_addf(out, " node `%s`", d->node);
            }
            if (d->attrs) {
                sn_strbuf_addf(out, " `%s`", d->attrs);
            }
            sn_strbuf_addch(out, '\n');
        }
        sn_strbuf_addch(out, '\n');
    }
    if (s->kmods != NULL) {
        sn_strbuf_addstr(out, "Kernel modules loaded:");
        for (const char *const *k = s->kmods; *k; k++) {
            sn_strbuf_addf(out, " `%s`", *k);
        }
        sn_strbuf_addstr(out, "\n\n");
    }
    if (s->seccomp != NULL) {
        sn_strbuf_addf(out, "seccomp:\n\n```\n%s```\n\n", s->seccomp);
    }
    if (s->apparmor != NULL) {
        sn_strbuf_addf(out, "AppArmor:\n\n```\n%s```\n\n", s->apparmor);
    }
    if (dynamic) {
        sn_strbuf_addstr(out,
                         "Plus rules computed from the attributes (see \"Per connection\" "
                         "above).\n\n");
    }
}

void docgen_section(const struct iface_def *d, struct sn_strbuf *out) {
    sn_strbuf_addstr(out, DOCGEN_BEGIN);
    sn_strbuf_addf(out, "\n| | |\n|---|---|\n| summary | %s |\n| auto-connect | %s |\n", d->summary,
                   auto_text(d));
    sn_strbuf_addstr(out, "| slots | ");
    slots_text(d, out);
    sn_strbuf_addf(out, " |\n| plugs | %s |\n",
                   d->decl.plug_grant ? "super-privileged: store-signed snaps need a store grant; "
                                        "local (`--dangerous`) installs are allowed"
                                      : "any snap");
    attrs_table("Plug", d->plug_attrs, out);
    attrs_table("Slot", d->slot_attrs, out);
    side("Connected plug grants", &d->plug, d->connected_plug != NULL, out);
    side("Connected slot grants", &d->slot, d->connected_slot != NULL, out);
    side("Permanent slot grants", &d->perm_slot, d->permanent_slot != NULL, out);
    blank(out);
    sn_strbuf_addstr(out, DOCGEN_END);
}

void docgen_update(const struct iface_def *d, const char *page, struct sn_strbuf *out) {
    const char *b = strstr(page, DOCGEN_BEGIN);
    const char *e = b != NULL ? strstr(b, DOCGEN_END) : NULL;
    if (b == NULL || e == NULL) {
        sn_strbuf_addstr(out, page);
        if (out->len > 0 && out->buf[out->len - 1] != '\n') {
            sn_strbuf_addch(out, '\n');
        }
        docgen_section(d, out);
        return;
    }
    sn_strbuf_add(out, page, (size_t)(b - page));
    docgen_section(d, out);
    sn_strbuf_addstr(out, e + strlen(DOCGEN_END));
}
