/* SPDX-License-Identifier: GPL-3.0-only
 * snap-yaml.c: meta/snap.yaml into struct snap_info, with the rules of snapd 2.57.
 *
 * Three steps, as in snapd: decode (what go-yaml's unmarshal into snapd's types rejects, plus
 * the checks snapd makes while building its Info: plug and slot definitions, aliases,
 * activates-on, system-usernames, links, layout modes), bind (plugs and slots to apps and
 * hooks, then drop the plugs and slots snapd's interface sanitizer would drop), and validate
 * (snap/validate.go). Problems are collected, each "FILE:LINE:COL: FIELD: problem (expected
 * ...)", so `snapc validate` can list all of them; any problem means snapd rejects the file.
 */
#define _GNU_SOURCE
#include "snap-yaml.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fs.h"
#include "goyaml.h"
#include "spdx.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

#include "banned.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct ctx {
    const char *file;
    struct snap_problems *probs;
    size_t nprobs;
    char first[SN_ERR_MSG_MAX];
};

static void problem(struct ctx *c, const struct sn_ynode *at, const char *field, const char *fmt,
                    ...) SN_FMT(4, 5);

static void problem(struct ctx *c, const struct sn_ynode *at, const char *field, const char *fmt,
                    ...) {
    char body[SN_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    char line[SN_ERR_MSG_MAX + 256];
    if (at != NULL) {
        (void)snprintf(line, sizeof(line), "%s:%d:%d: %s: %s", c->file, at->line, at->col, field,
                       body);
    } else {
        (void)snprintf(line, sizeof(line), "%s: %s: %s", c->file, field, body);
    }
    if (c->nprobs == 0) {
        (void)snprintf(c->first, sizeof(c->first), "%s", line);
    }
    c->nprobs++;
    if (c->probs != NULL) {
        snap_problems_add(c->probs, "%s", line);
    }
}

void snap_problems_add(struct snap_problems *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        s = NULL;
    }
    va_end(ap);
    if (s == NULL) {
        return;
    }
    p->msgs = xrealloc(p->msgs, (p->n + 1) * sizeof(*p->msgs));
    p->msgs[p->n++] = s;
}

void snap_problems_release(struct snap_problems *p) {
    for (size_t i = 0; i < p->n; i++) {
        free(p->msgs[i]);
    }
    free(p->msgs);
    p->msgs = NULL;
    p->n = 0;
}

/* ---- name rules (snap/naming) ---- */

static bool is_lower(int ch) {
    return ch >= 'a' && ch <= 'z';
}

static bool is_digit(int ch) {
    return ch >= '0' && ch <= '9';
}

static bool is_lower_alnum(int ch) {
    return is_lower(ch) || is_digit(ch);
}

static bool is_alnum(int ch) {
    return is_lower_alnum(ch) || (ch >= 'A' && ch <= 'Z');
}

/* ^[a-z0-9-]*[a-z][a-z0-9-]*$ without a dash at either end or two in a row (any length) */
static bool valid_name_chars(const char *name) {
    size_t n = strlen(name);
    bool letter = false;
    for (size_t i = 0; i < n; i++) {
        letter = letter || is_lower(name[i]);
        if (!is_lower_alnum(name[i]) && name[i] != '-') {
            return false;
        }
    }
    return letter && name[0] != '-' && name[n - 1] != '-' && strstr(name, "--") == NULL;
}

const char *snap_name_problem(const char *name) {
    size_t n = strlen(name);
    if (n == 0) {
        return "snap name cannot be empty";
    }
    if (n < 2) {
        return "snap name must be longer than 1 character";
    }
    if (n > 40) {
        return "snap name cannot be longer than 40 characters";
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_lower_alnum(name[i]) && name[i] != '-') {
            return "snap name must use lower case letters, digits or dashes";
        }
    }
    if (name[0] == '-' || name[n - 1] == '-' || strstr(name, "--") != NULL) {
        return "snap name cannot start with a dash, end with a dash or contain two dashes in a "
               "row";
    }
    if (!valid_name_chars(name)) {
        return "snap name must contain at least one letter";
    }
    return NULL;
}

const char *snap_instance_key_problem(const char *key) {
    size_t n = strlen(key);
    if (n == 0 || n > 10) {
        return "instance key must be 1 to 10 lower case letters or digits";
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_lower_alnum(key[i])) {
            return "instance key must be 1 to 10 lower case letters or digits";
        }
    }
    return NULL;
}

const char *snap_instance_name_problem(const char *instance) {
    const char *us = strchr(instance, '_');
    if (us == NULL) {
        return snap_name_problem(instance);
    }
    char name[64];
    size_t n = (size_t)(us - instance);
    if (n >= sizeof(name)) {
        return "snap name cannot be longer than 40 characters";
    }
    memcpy(name, instance, n);
    name[n] = '\0';
    const char *p = snap_name_problem(name);
    return p ? p : snap_instance_key_problem(us + 1);
}

static bool version_char(int ch) {
    return is_alnum(ch) || (ch != '\0' && strchr(":.+~-", ch) != NULL);
}

/* snapd's ValidateVersion reasons, after "invalid snap version \"V\": " */
const char *snap_version_problem(const char *v) {
    static __thread char buf[256];
    size_t n = strlen(v);
    if (n == 0) {
        return "cannot be empty";
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (ch <= ' ' || ch >= 0x7f) {
            return "must be printable, non-whitespace ASCII";
        }
    }
    const char *reasons[4];
    size_t nr = 0;
    char toolong[64], first[80], last[96], middle[128];
    if (n > 32) {
        (void)snprintf(toolong, sizeof(toolong), "cannot be longer than 32 characters (got: %zu)",
                       n);
        reasons[nr++] = toolong;
    }
    if (!is_alnum((unsigned char)v[0])) {
        (void)snprintf(first, sizeof(first), "must start with an ASCII alphanumeric (and not '%c')",
                       v[0]);
        reasons[nr++] = first;
    }
    if (n > 1) {
        char lc = v[n - 1];
        if (!is_alnum((unsigned char)lc) && lc != '+' && lc != '~') {
            (void)snprintf(last, sizeof(last),
                           "must end with an ASCII alphanumeric or one of '+' or '~' (and not "
                           "'%c')",
                           lc);
            reasons[nr++] = last;
        }
        if (n > 2) {
            SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
            bool in_run = false;
            for (size_t i = 1; i + 1 < n; i++) {
                if (!version_char((unsigned char)v[i])) {
                    sn_strbuf_addstr(&sb, in_run ? "" : (sb.len ? "\", \"" : "\""));
                    sn_strbuf_addch(&sb, v[i]);
                    in_run = true;
                } else {
                    in_run = false;
                }
            }
            if (sb.len > 0) {
                (void)snprintf(middle, sizeof(middle), "contains invalid characters: %s\"", sb.buf);
                reasons[nr++] = middle;
            }
        }
    }
    if (nr == 0) {
        return NULL;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < nr; i++) {
        size_t l = strlen(buf);
        (void)snprintf(buf + l, sizeof(buf) - l, "%s%s",
                       i == 0 ? "" : (i + 1 == nr ? ", and " : ", "), reasons[i]);
    }
    return buf;
}

/* ^[a-zA-Z0-9](?:-?[a-zA-Z0-9])*$ */
bool snap_valid_app_name(const char *s) {
    if (!is_alnum((unsigned char)s[0])) {
        return false;
    }
    for (size_t i = 1; s[i]; i++) {
        if (s[i] == '-') {
            if (!is_alnum((unsigned char)s[i + 1])) {
                return false;
            }
        } else if (!is_alnum((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

/* ^[a-z](?:-?[a-z0-9])*$ */
static bool valid_lower_dashed(const char *s) {
    if (!is_lower(s[0])) {
        return false;
    }
    for (size_t i = 1; s[i]; i++) {
        if (s[i] == '-') {
            if (!is_lower_alnum(s[i + 1])) {
                return false;
            }
        } else if (!is_lower_alnum(s[i])) {
            return false;
        }
    }
    return true;
}

bool snap_valid_hook_name(const char *name) {
    return valid_lower_dashed(name);
}

bool snap_valid_plug_slot_name(const char *name) {
    return valid_lower_dashed(name);
}

/* ^[a-zA-Z0-9][-_.a-zA-Z0-9]*$ */
static bool valid_alias(const char *s) {
    if (!is_alnum((unsigned char)s[0])) {
        return false;
    }
    for (size_t i = 1; s[i]; i++) {
        if (!is_alnum((unsigned char)s[i]) && strchr("-_.", s[i]) == NULL) {
            return false;
        }
    }
    return true;
}

/* ^[a-zA-Z](?:-?[a-zA-Z0-9])*$ (links keys) */
static bool valid_links_key(const char *s) {
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
        return false;
    }
    return snap_valid_app_name(s);
}

/* ^[a-z0-9][-a-z0-9+._]*$ (osutil.IsValidUsername) */
static bool valid_username(const char *s) {
    if (!is_lower_alnum(s[0])) {
        return false;
    }
    for (size_t i = 1; s[i]; i++) {
        if (!is_lower_alnum(s[i]) && strchr("-+._", s[i]) == NULL) {
            return false;
        }
    }
    return true;
}

bool snap_hook_type_supported(const char *h) {
    static const char *const fixed[] = {
        "prepare-device", "install-device", "configure",    "install",   "pre-refresh",
        "post-refresh",   "remove",         "check-health", "fde-setup", "gate-auto-refresh"};
    for (size_t i = 0; i < ARRAY_LEN(fixed); i++) {
        if (strcmp(h, fixed[i]) == 0) {
            return true;
        }
    }
    /* (prepare|unprepare|connect|disconnect)-(plug|slot)-[-a-z0-9]+ */
    static const char *const prefixes[] = {"prepare-plug-",    "prepare-slot-",   "unprepare-plug-",
                                           "unprepare-slot-",  "connect-plug-",   "connect-slot-",
                                           "disconnect-plug-", "disconnect-slot-"};
    for (size_t i = 0; i < ARRAY_LEN(prefixes); i++) {
        size_t pl = strlen(prefixes[i]);
        if (strncmp(h, prefixes[i], pl) != 0 || h[pl] == '\0') {
            continue;
        }
        bool ok = true;
        for (const char *p = h + pl; *p && ok; p++) {
            ok = is_lower_alnum(*p) || *p == '-';
        }
        if (ok) {
            return true;
        }
    }
    return false;
}

/* The interfaces snapd 2.57 registers (interfaces/builtin), sorted for bsearch. */
static const char *const known_interfaces[] = {
    "account-control",
    "accounts-service",
    "acrn-support",
    "adb-support",
    "allegro-vcu",
    "alsa",
    "appstream-metadata",
    "audio-playback",
    "audio-record",
    "autopilot-introspection",
    "avahi-control",
    "avahi-observe",
    "block-devices",
    "bluetooth-control",
    "bluez",
    "bool-file",
    "broadcom-asic-control",
    "browser-support",
    "calendar-service",
    "camera",
    "can-bus",
    "cifs-mount",
    "classic-support",
    "contacts-service",
    "content",
    "core-support",
    "cpu-control",
    "cups",
    "cups-control",
    "custom-device",
    "daemon-notify",
    "dbus",
    "dcdbas-control",
    "desktop",
    "desktop-launch",
    "desktop-legacy",
    "device-buttons",
    "display-control",
    "dm-crypt",
    "docker",
    "docker-support",
    "dsp",
    "dvb",
    "empty",
    "firewall-control",
    "fpga",
    "framebuffer",
    "fuse-support",
    "fwupd",
    "gconf",
    "gpg-keys",
    "gpg-public-keys",
    "gpio",
    "gpio-control",
    "gpio-memory-control",
    "greengrass-support",
    "gsettings",
    "hardware-observe",
    "hardware-random-control",
    "hardware-random-observe",
    "hidraw",
    "home",
    "hostname-control",
    "hugepages-control",
    "i2c",
    "iio",
    "intel-mei",
    "io-ports-control",
    "ion-memory-control",
    "jack1",
    "joystick",
    "juju-client-observe",
    "kernel-crypto-api",
    "kernel-module-control",
    "kernel-module-load",
    "kernel-module-observe",
    "kubernetes-support",
    "kvm",
    "libvirt",
    "locale-control",
    "location-control",
    "location-observe",
    "log-observe",
    "login-session-control",
    "login-session-observe",
    "lxd",
    "lxd-support",
    "maliit",
    "media-control",
    "media-hub",
    "microceph",
    "microstack-support",
    "mir",
    "modem-manager",
    "mount-control",
    "mount-observe",
    "mpris",
    "multipass-support",
    "netlink-audit",
    "netlink-connector",
    "netlink-driver",
    "network",
    "network-bind",
    "network-control",
    "network-manager",
    "network-manager-observe",
    "network-observe",
    "network-setup-control",
    "network-setup-observe",
    "network-status",
    "ofono",
    "online-accounts-service",
    "opengl",
    "openvswitch",
    "openvswitch-support",
    "optical-drive",
    "packagekit-control",
    "password-manager-service",
    "personal-files",
    "physical-memory-control",
    "physical-memory-observe",
    "pkcs11",
    "polkit",
    "posix-mq",
    "power-control",
    "ppp",
    "process-control",
    "ptp",
    "pulseaudio",
    "pwm",
    "qualcomm-ipc-router",
    "raw-input",
    "raw-usb",
    "raw-volume",
    "removable-media",
    "screen-inhibit-control",
    "screencast-legacy",
    "scsi-generic",
    "sd-control",
    "serial-port",
    "shared-memory",
    "shutdown",
    "snap-refresh-control",
    "snap-themes-control",
    "snapd-control",
    "spi",
    "ssh-keys",
    "ssh-public-keys",
    "steam-support",
    "storage-framework-service",
    "system-backup",
    "system-files",
    "system-observe",
    "system-packages-doc",
    "system-source-code",
    "system-trace",
    "tee",
    "thumbnailer-service",
    "time-control",
    "timeserver-control",
    "timezone-control",
    "tpm",
    "u2f-devices",
    "ubuntu-download-manager",
    "udisks2",
    "uhid",
    "uinput",
    "uio",
    "unity7",
    "unity8",
    "unity8-calendar",
    "unity8-contacts",
    "upower-observe",
    "vcio",
    "wayland",
    "x11",
    "xilinx-dma",
};

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool snap_interface_known(const char *iface) {
    return bsearch(&iface, known_interfaces, ARRAY_LEN(known_interfaces),
                   sizeof(known_interfaces[0]), cmp_str) != NULL;
}

/* ---- small helpers ---- */

static char **strv_push(char **v, const char *s) {
    size_t n = 0;
    while (v != NULL && v[n] != NULL) {
        n++;
    }
    v = xrealloc(v, (n + 2) * sizeof(*v));
    v[n] = xstrdup(s);
    v[n + 1] = NULL;
    return v;
}

static bool strv_has(char *const *v, const char *s) {
    for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
        if (strcmp(v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

static char **strv_empty(void) {
    return xcalloc(1, sizeof(char *));
}

static size_t strv_len(char *const *v) {
    size_t n = 0;
    while (v != NULL && v[n] != NULL) {
        n++;
    }
    return n;
}

static void set_str(char **dst, char *val) {
    free(*dst);
    *dst = val;
}

static void set_strv(char ***dst, char **val) {
    sn_strv_free(*dst);
    *dst = val;
}

static bool in_list(const char *s, const char *const *list) {
    for (; *list; list++) {
        if (strcmp(s, *list) == 0) {
            return true;
        }
    }
    return false;
}

static bool has_prefix(const char *s, const char *p) {
    return strncmp(s, p, strlen(p)) == 0;
}

/* utf8.RuneCountInString (the YAML reader already refused invalid UTF-8) */
static size_t utf8_runes(const char *s) {
    size_t n = 0;
    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

/* ---- go-yaml decoding into snapd's types ---- */

/* Text of a scalar as a C string. A Go string may hold NUL (a "\0" escape); it becomes \x01,
 * which fails the same character checks. */
static char *scalar_text(const struct sn_ynode *n) {
    char *s = xmalloc(n->len + 1);
    for (size_t i = 0; i < n->len; i++) {
        s[i] = n->value[i] ? n->value[i] : '\x01';
    }
    s[n->len] = '\0';
    return s;
}

/* "a list", "a map", "the int `5`" (for messages) */
static const char *found(const struct sn_ynode *n, char *buf, size_t size) {
    if (n->kind == SN_Y_SEQ) {
        return "a list";
    }
    if (n->kind == SN_Y_MAP) {
        return "a map";
    }
    const char *t = goyaml_tag_name(n) + 2;
    if (n->len > 20) {
        (void)snprintf(buf, size, "the %s `%.17s...`", t, n->value);
    } else {
        (void)snprintf(buf, size, "the %s `%s`", t, n->value);
    }
    return buf;
}

static void type_problem(struct ctx *c, const struct sn_ynode *n, const char *field,
                         const char *want) {
    char buf[64];
    problem(c, n, field, "cannot unmarshal %s (expected %s)", found(n, buf, sizeof(buf)), want);
}

/* An explicit tag that does not fit the text ("!!int abc") */
static bool tag_ok(struct ctx *c, const struct sn_ynode *n, const char *field) {
    struct goyaml_value v;
    if (goyaml_resolve(n, &v) < 0) {
        problem(c, n, field, "cannot decode `%s` as %s", n->value, n->tag);
        return false;
    }
    return true;
}

/* A Go string field: scalars give their text; null (and "") leave *out NULL. */
static bool d_str(struct ctx *c, const struct sn_ynode *n, const char *field, char **out) {
    if (n->kind != SN_Y_SCALAR) {
        type_problem(c, n, field, "a string");
        return false;
    }
    if (!tag_ok(c, n, field)) {
        return false;
    }
    struct goyaml_value v;
    SN_IGNORE(goyaml_resolve(n, &v));
    set_str(out, v.kind == GOYAML_NULL || n->len == 0 ? NULL : scalar_text(n));
    return true;
}

/* A field with its own decoder in snapd (type, durations, ...): null keeps the zero value (NULL
 * here); any other scalar gives its text, "" included. */
static bool d_custom(struct ctx *c, const struct sn_ynode *n, const char *field, char **out) {
    if (goyaml_is_null(n)) {
        return true;
    }
    if (n->kind != SN_Y_SCALAR) {
        type_problem(c, n, field, "a string");
        return false;
    }
    if (!tag_ok(c, n, field)) {
        return false;
    }
    set_str(out, scalar_text(n));
    return true;
}

/* A Go []string: null leaves *out NULL; items are scalars (null items are ""). */
static bool d_strlist(struct ctx *c, const struct sn_ynode *n, const char *field, char ***out) {
    if (n->kind == SN_Y_SCALAR) {
        if (!tag_ok(c, n, field)) {
            return false;
        }
        struct goyaml_value v;
        SN_IGNORE(goyaml_resolve(n, &v));
        if (v.kind == GOYAML_NULL) {
            set_strv(out, NULL);
            return true;
        }
    }
    if (n->kind != SN_Y_SEQ) {
        type_problem(c, n, field, "a list of strings");
        return false;
    }
    bool ok = true;
    char **v = strv_empty();
    for (size_t i = 0; i < n->n; i++) {
        const struct sn_ynode *it = n->items[i];
        if (it->kind != SN_Y_SCALAR) {
            type_problem(c, it, field, "a string");
            ok = false;
            continue;
        }
        if (!tag_ok(c, it, field)) {
            ok = false;
            continue;
        }
        struct goyaml_value iv;
        SN_IGNORE(goyaml_resolve(it, &iv));
        SN_AUTOFREE char *t = iv.kind == GOYAML_NULL ? xstrdup("") : scalar_text(it);
        v = strv_push(v, t);
    }
    set_strv(out, v);
    return ok;
}

/* The pairs of a mapping (merge keys expanded). Reports a bad merge value. */
static bool map_pairs(struct ctx *c, const struct sn_ynode *n, const char *field,
                      struct goyaml_map *m) {
    const struct sn_ynode *bad = NULL;
    if (goyaml_map_pairs(n, m, &bad) < 0) {
        problem(c, bad ? bad : n, field, "map merge requires map or sequence of maps as the value");
        return false;
    }
    return true;
}

/* Map keys decoded into Go strings: a list or map key is a type error (NULL returned). */
static const char *key_str(struct ctx *c, const struct sn_ynode *k, const char *field) {
    const char *s = goyaml_key_str(k);
    if (s == NULL) {
        type_problem(c, k, field, "a string key");
        return NULL;
    }
    if (!tag_ok(c, k, field)) {
        return NULL;
    }
    return s;
}

/* Go map semantics: is pair i replaced by a later pair with the same string key? */
struct keyidx {
    const char *key;
    size_t idx;
};

static int cmp_keyidx(const void *a, const void *b) {
    const struct keyidx *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    if (r != 0) {
        return r;
    }
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static bool *superseded(const struct goyaml_map *m) {
    bool *sup = xcalloc(m->n ? m->n : 1, sizeof(*sup));
    struct keyidx *ki = xcalloc(m->n ? m->n : 1, sizeof(*ki));
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++) {
        const char *k = goyaml_key_str(m->v[i].key);
        if (k != NULL) {
            ki[n++] = (struct keyidx){k, i};
        }
    }
    qsort(ki, n, sizeof(*ki), cmp_keyidx);
    for (size_t i = 0; i + 1 < n; i++) {
        if (strcmp(ki[i].key, ki[i + 1].key) == 0) {
            sup[ki[i].idx] = true;
        }
    }
    free(ki);
    return sup;
}

/* Is a decoded value a string? (snapd's `x.(string)` on an interface{} value) */
static bool is_go_string(const struct sn_ynode *n) {
    return goyaml_is_string(n);
}

/* metautil.NormalizeValue: scalars except null and huge unsigned ints, lists, string-keyed
 * maps, nested freely. */
static bool normalize_value(struct ctx *c, const struct sn_ynode *n, const char *field,
                            const char *what, size_t depth) {
    if (depth > 64) {
        problem(c, n, field, "%s: nested too deeply", what);
        return false;
    }
    if (n->kind == SN_Y_SEQ) {
        for (size_t i = 0; i < n->n; i++) {
            if (!normalize_value(c, n->items[i], field, what, depth + 1)) {
                return false;
            }
        }
        return true;
    }
    if (n->kind == SN_Y_MAP) {
        struct goyaml_map m;
        if (!map_pairs(c, n, field, &m)) {
            return false;
        }
        bool ok = true;
        for (size_t i = 0; ok && i < m.n; i++) {
            const struct sn_ynode *k = m.v[i].key;
            if (k->kind != SN_Y_SCALAR) {
                problem(c, k, field, "%s: invalid map key (a %s)", what,
                        k->kind == SN_Y_SEQ ? "list" : "map");
                ok = false;
            } else if (!is_go_string(k)) {
                problem(c, k, field, "%s: non-string key: %s (expected a string)", what, k->value);
                ok = false;
            } else {
                ok = normalize_value(c, m.v[i].value, field, what, depth + 1);
            }
        }
        goyaml_map_release(&m);
        return ok;
    }
    struct goyaml_value v;
    if (!tag_ok(c, n, field)) {
        return false;
    }
    SN_IGNORE(goyaml_resolve(n, &v));
    if (v.kind == GOYAML_NULL) {
        problem(c, n, field, "%s: invalid scalar: <nil> (expected a value)", what);
        return false;
    }
    if (v.kind == GOYAML_UINT) {
        problem(c, n, field, "%s: invalid scalar: %s (too large)", what, n->value);
        return false;
    }
    return true;
}

/* ---- environment (strutil.OrderedMap) ---- */

static void env_release(struct snap_env *e) {
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].key);
        free(e->v[i].value);
    }
    free(e->v);
    e->v = NULL;
    e->n = 0;
}

static bool d_env(struct ctx *c, const struct sn_ynode *n, const char *field,
                  struct snap_env *env) {
    env_release(env);
    if (goyaml_is_null(n)) {
        return true;
    }
    if (n->kind != SN_Y_MAP) {
        type_problem(c, n, field, "a map of NAME: value");
        return false;
    }
    bool ok = true;
    /* snapd reads the keys of the mapping itself (merged ones aside) in order: each must be a
     * string, and none may repeat */
    struct keyidx *ki = xcalloc(n->n ? n->n : 1, sizeof(*ki));
    size_t nki = 0;
    for (size_t i = 0; i < n->n; i++) {
        const struct sn_ynode *k = n->keys[i];
        if (k->kind != SN_Y_SCALAR) {
            type_problem(c, k, field, "a string key");
            ok = false;
        } else if (goyaml_is_merge_key(k)) {
            continue;
        } else if (!is_go_string(k)) {
            problem(c, k, field, "cannot read %s key `%s` (expected a string; quote it)",
                    goyaml_tag_name(k) + 2, k->value);
            ok = false;
        } else {
            ki[nki++] = (struct keyidx){k->value, i};
        }
    }
    qsort(ki, nki, sizeof(*ki), cmp_keyidx);
    for (size_t i = 0; i + 1 < nki; i++) {
        if (strcmp(ki[i].key, ki[i + 1].key) == 0) {
            const struct sn_ynode *k = n->keys[ki[i + 1].idx];
            problem(c, k, field, "found duplicate key \"%s\" (first at line %d)", k->value,
                    n->keys[ki[i].idx]->line);
            ok = false;
        }
    }
    free(ki);
    struct goyaml_map m;
    if (!map_pairs(c, n, field, &m)) {
        return false;
    }
    SN_AUTOFREE bool *sup = superseded(&m);
    env->v = xcalloc(m.n ? m.n : 1, sizeof(*env->v));
    for (size_t i = 0; i < m.n; i++) {
        const struct sn_ynode *v = m.v[i].value;
        const char *ks = goyaml_key_str(m.v[i].key);
        char *val = NULL;
        if (ks == NULL) {
            continue;
        }
        if (!d_str(c, v, field, &val)) {
            ok = false;
            continue;
        }
        if (sup[i]) {
            free(val);
            continue;
        }
        env->v[env->n].key = xstrdup(ks);
        env->v[env->n].value = val ? val : xstrdup("");
        env->n++;
    }
    goyaml_map_release(&m);
    return ok;
}

/* ---- map-typed fields ----
 * go-yaml decodes a repeated map-typed field into the same Go map: the entries of every
 * occurrence add up, and a null occurrence resets the map. */

struct nodes {
    const struct sn_ynode **v;
    size_t n;
};

static void nodes_add(struct nodes *l, const struct sn_ynode *n) {
    if (goyaml_is_null(n)) {
        l->n = 0;
        return;
    }
    l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
    l->v[l->n++] = n;
}

static void nodes_release(struct nodes *l) {
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* All pairs of the occurrences; a non-map occurrence is a type error. */
static bool pairs_of(struct ctx *c, const struct nodes *l, const char *field, const char *want,
                     struct goyaml_map *out) {
    bool ok = true;
    out->v = NULL;
    out->n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i]->kind != SN_Y_MAP) {
            type_problem(c, l->v[i], field, want);
            ok = false;
            continue;
        }
        struct goyaml_map m;
        if (!map_pairs(c, l->v[i], field, &m)) {
            ok = false;
            continue;
        }
        out->v = xrealloc(out->v, (out->n + m.n + 1) * sizeof(*out->v));
        if (m.n > 0) {
            memcpy(out->v + out->n, m.v, m.n * sizeof(*m.v));
        }
        out->n += m.n;
        goyaml_map_release(&m);
    }
    return ok;
}

/* ---- plugs and slots (convertToSlotOrPlugData) ---- */

static void plugslot_release(struct snap_plugslot *p) {
    free(p->name);
    free(p->iface);
    sn_strv_free(p->apps);
    sn_strv_free(p->hooks);
}

static struct snap_plugslot *find_ps(struct snap_plugslot *v, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].name, name) == 0) {
            return &v[i];
        }
    }
    return NULL;
}

static bool plugslot_attrs(struct ctx *c, const char *one, const char *name,
                           const struct sn_ynode *v, const char *field, struct snap_plugslot *p) {
    struct goyaml_map m;
    if (!map_pairs(c, v, field, &m)) {
        return false;
    }
    SN_AUTOFREE bool *sup = superseded(&m);
    bool ok = true;
    for (size_t i = 0; i < m.n; i++) {
        const struct sn_ynode *k = m.v[i].key, *val = m.v[i].value;
        if (k->kind != SN_Y_SCALAR) {
            problem(c, k, field, "invalid map key (a %s; expected a string)",
                    k->kind == SN_Y_SEQ ? "list" : "map");
            ok = false;
            continue;
        }
        if (sup[i]) {
            continue;
        }
        if (!tag_ok(c, k, field)) {
            ok = false;
            continue;
        }
        if (!is_go_string(k)) {
            problem(c, k, field,
                    "%s \"%s\" has attribute key that is not a string (found %s `%s`; "
                    "quote it)",
                    one, name, goyaml_go_type(k), k->value);
            ok = false;
            continue;
        }
        const char *key = k->value;
        if (key[0] == '$') {
            problem(c, k, field, "%s \"%s\" uses reserved attribute \"%s\"", one, name, key);
            ok = false;
        } else if (key[0] == '\0') {
            problem(c, k, field, "%s \"%s\" has an empty attribute key", one, name);
            ok = false;
        } else if (strcmp(key, "interface") == 0 || strcmp(key, "label") == 0) {
            if (val->kind != SN_Y_SCALAR || !tag_ok(c, val, field) || !is_go_string(val)) {
                problem(c, val, field, "%s on %s \"%s\" is not a string (found %s)",
                        strcmp(key, "interface") == 0 ? "interface name" : "label", one, name,
                        goyaml_go_type(val));
                ok = false;
            } else if (strcmp(key, "interface") == 0) {
                set_str(&p->iface, scalar_text(val));
            }
        } else {
            char what[300];
            (void)snprintf(what, sizeof(what), "attribute \"%s\" of %s \"%s\"", key, one, name);
            ok = normalize_value(c, val, field, what, 0) && ok;
        }
    }
    goyaml_map_release(&m);
    return ok;
}

static bool decode_plugslots(struct ctx *c, const struct nodes *l, const char *what,
                             struct snap_plugslot **out, size_t *nout) {
    struct goyaml_map m;
    bool ok = pairs_of(c, l, what, "a map of names to interfaces or attribute maps", &m);
    SN_AUTOFREE bool *sup = superseded(&m);
    const char *one = strcmp(what, "plugs") == 0 ? "plug" : "slot";
    *out = xcalloc(m.n ? m.n : 1, sizeof(**out));
    for (size_t i = 0; i < m.n; i++) {
        const struct sn_ynode *k = m.v[i].key, *v = m.v[i].value;
        const char *name = key_str(c, k, what);
        if (name == NULL) {
            ok = false;
            continue;
        }
        if (sup[i]) {
            continue;
        }
        char field[300];
        (void)snprintf(field, sizeof(field), "%s.%s", what, name);
        struct snap_plugslot *p = &(*out)[*nout];
        memset(p, 0, sizeof(*p));
        p->name = xstrdup(name);
        p->line = k->line;
        p->col = k->col;
        p->apps = strv_empty();
        p->hooks = strv_empty();
        (*nout)++;
        struct goyaml_value rv;
        if (goyaml_resolve(v, &rv) < 0) {
            problem(c, v, field, "cannot decode `%s` as %s", v->value, v->tag);
            ok = false;
            p->iface = xstrdup(name);
            continue;
        }
        if (rv.kind == GOYAML_NULL) {
            p->iface = xstrdup(name);
        } else if (rv.kind == GOYAML_STR || rv.kind == GOYAML_TIMESTAMP) {
            p->iface = scalar_text(v);
        } else if (rv.kind == GOYAML_MAP) {
            p->iface = xstrdup(name);
            p->attrs = v;
            ok = plugslot_attrs(c, one, name, v, field, p) && ok;
        } else {
            problem(c, v, field,
                    "%s \"%s\" has malformed definition (found %s; expected an "
                    "interface name or a map of attributes)",
                    one, name, goyaml_go_type(v));
            ok = false;
        }
    }
    goyaml_map_release(&m);
    return ok;
}

/* ---- apps ---- */

static void app_release(struct snap_app *a) {
    free(a->name);
    free(a->command);
    sn_strv_free(a->command_chain);
    free(a->daemon);
    free(a->daemon_scope);
    free(a->restart_condition);
    free(a->stop_command);
    free(a->reload_command);
    free(a->post_stop_command);
    free(a->stop_mode);
    free(a->refresh_mode);
    free(a->install_mode);
    free(a->timer);
    free(a->common_id);
    free(a->completer);
    free(a->bus_name);
    sn_strv_free(a->activates_on);
    sn_strv_free(a->before);
    sn_strv_free(a->after);
    sn_strv_free(a->plugs);
    sn_strv_free(a->slots);
    sn_strv_free(a->aliases);
    env_release(&a->env);
    for (size_t i = 0; i < a->nsockets; i++) {
        free(a->sockets[i].name);
        free(a->sockets[i].listen_stream);
    }
    free(a->sockets);
}

/* os.FileMode from YAML: a non-negative integer (a float is truncated), not a string */
static bool d_filemode(struct ctx *c, const struct sn_ynode *n, const char *field, uint32_t *out) {
    if (n->kind != SN_Y_SCALAR) {
        type_problem(c, n, field, "a file mode such as 0644");
        return false;
    }
    struct goyaml_value v;
    if (!tag_ok(c, n, field)) {
        return false;
    }
    SN_IGNORE(goyaml_resolve(n, &v));
    switch (v.kind) {
        case GOYAML_NULL:
            *out = 0;
            return true;
        case GOYAML_INT:
            if (v.i >= 0 && v.i <= (int64_t)UINT32_MAX) {
                *out = (uint32_t)v.i;
                return true;
            }
            break;
        case GOYAML_FLOAT:
            if (v.f >= 0 && v.f < 4294967296.0) {
                *out = (uint32_t)v.f;
                return true;
            }
            break;
        case GOYAML_UINT:
        case GOYAML_BOOL:
        case GOYAML_STR:
        case GOYAML_TIMESTAMP:
        case GOYAML_SEQ:
        case GOYAML_MAP:
            break;
    }
    type_problem(c, n, field, "a file mode such as 0644, unquoted");
    return false;
}

static bool decode_sockets(struct ctx *c, const struct nodes *l, const char *field,
                           struct snap_app *a) {
    char sf[340];
    (void)snprintf(sf, sizeof(sf), "%s.sockets", field);
    struct goyaml_map m;
    bool ok = pairs_of(c, l, sf, "a map of socket names", &m);
    SN_AUTOFREE bool *sup = superseded(&m);
    a->sockets = xcalloc(m.n ? m.n : 1, sizeof(*a->sockets));
    for (size_t i = 0; i < m.n; i++) {
        const struct sn_ynode *k = m.v[i].key, *v = m.v[i].value;
        const char *name = key_str(c, k, sf);
        if (name == NULL) {
            ok = false;
            continue;
        }
        char f[400];
        (void)snprintf(f, sizeof(f), "%s.%s", sf, name);
        char *listen = NULL;
        uint32_t mode = 0;
        if (!goyaml_is_null(v) && v->kind != SN_Y_MAP) {
            type_problem(c, v, f, "a map with listen-stream and socket-mode");
            ok = false;
            continue;
        }
        struct goyaml_map sm = {NULL, 0};
        if (v->kind == SN_Y_MAP && !map_pairs(c, v, f, &sm)) {
            ok = false;
            continue;
        }
        for (size_t j = 0; j < sm.n; j++) {
            const char *sk = goyaml_key_str(sm.v[j].key);
            char ff[460];
            (void)snprintf(ff, sizeof(ff), "%s.%s", f, sk ? sk : "?");
            if (sk == NULL) {
                ok = key_str(c, sm.v[j].key, f) != NULL && ok;
            } else if (strcmp(sk, "listen-stream") == 0) {
                ok = d_str(c, sm.v[j].value, ff, &listen) && ok;
            } else if (strcmp(sk, "socket-mode") == 0) {
                ok = d_filemode(c, sm.v[j].value, ff, &mode) && ok;
            }
        }
        goyaml_map_release(&sm);
        if (sup[i]) {
            free(listen);
            continue;
        }
        struct snap_socket *s = &a->sockets[a->nsockets++];
        s->name = xstrdup(name);
        s->listen_stream = listen;
        s->socket_mode = mode;
    }
    goyaml_map_release(&m);
    return ok;
}

/* A duration field (timeout.Timeout): Go duration text; 0 means unset (-1 here). Whether the
 * app may set one, and the sign, are checked by validate_app. */
static bool d_timeout(struct ctx *c, const struct sn_ynode *n, const char *field, int64_t *out,
                      bool *set_nonzero) {
    SN_AUTOFREE char *text = NULL;
    if (!d_custom(c, n, field, &text)) {
        return false;
    }
    if (text == NULL) {
        return true;
    }
    char why[256] = "";
    int64_t v = 0;
    if (snap_parse_duration_why(text, &v, why, sizeof(why)) < 0) {
        problem(c, n, field, "%s (expected a duration such as 30s, 1m30s or 500ms)", why);
        return false;
    }
    *out = v == 0 ? -1 : v;
    *set_nonzero = v != 0;
    return true;
}

struct app_extra {
    const struct sn_ynode *node;          /* the app's value */
    const struct sn_ynode *timeout_at[4]; /* restart-delay, stop/start/watchdog-timeout */
    bool timeout_set[4];
    const struct sn_ynode *restart_at; /* restart-condition */
};

static bool decode_app_fields(struct ctx *c, const struct sn_ynode *v, const char *field,
                              struct snap_app *a, struct app_extra *x) {
    struct goyaml_map m;
    if (!map_pairs(c, v, field, &m)) {
        return false;
    }
    const struct {
        const char *key;
        size_t off;
    } strs[] =
        {
            {"command", offsetof(struct snap_app, command)},
            {"daemon", offsetof(struct snap_app, daemon)},
            {"stop-command", offsetof(struct snap_app, stop_command)},
            {"reload-command", offsetof(struct snap_app, reload_command)},
            {"post-stop-command", offsetof(struct snap_app, post_stop_command)},
            {"stop-mode", offsetof(struct snap_app, stop_mode)},
            {"refresh-mode", offsetof(struct snap_app, refresh_mode)},
            {"install-mode", offsetof(struct snap_app, install_mode)},
            {"timer", offsetof(struct snap_app, timer)},
            {"common-id", offsetof(struct snap_app, common_id)},
            {"completer", offsetof(struct snap_app, completer)},
            {"bus-name", offsetof(struct snap_app, bus_name)},
        },
      lists[] = {
          {"command-chain", offsetof(struct snap_app, command_chain)},
          {"before", offsetof(struct snap_app, before)},
          {"after", offsetof(struct snap_app, after)},
          {"plugs", offsetof(struct snap_app, plugs)},
          {"slots", offsetof(struct snap_app, slots)},
          {"aliases", offsetof(struct snap_app, aliases)},
          {"activates-on", offsetof(struct snap_app, activates_on)},
      };
    static const char *const timeouts[] = {"restart-delay", "stop-timeout", "start-timeout",
                                           "watchdog-timeout"};
    int64_t *touts[] = {&a->restart_delay_ns, &a->stop_timeout_ns, &a->start_timeout_ns,
                        &a->watchdog_timeout_ns};
    bool ok = true;
    struct nodes sockets = {NULL, 0};
    for (size_t i = 0; i < m.n; i++) {
        const struct sn_ynode *fk = m.v[i].key, *fv = m.v[i].value;
        const char *key = key_str(c, fk, field);
        if (key == NULL) {
            ok = false;
            continue;
        }
        char f[400];
        (void)snprintf(f, sizeof(f), "%s.%s", field, key);
        bool known = false;
        for (size_t j = 0; j < ARRAY_LEN(strs) && !known; j++) {
            if (strcmp(key, strs[j].key) == 0) {
                known = true;
                ok = d_str(c, fv, f, (char **)(void *)((char *)a + strs[j].off)) && ok;
            }
        }
        for (size_t j = 0; j < ARRAY_LEN(lists) && !known; j++) {
            if (strcmp(key, lists[j].key) == 0) {
                known = true;
                ok = d_strlist(c, fv, f, (char ***)(void *)((char *)a + lists[j].off)) && ok;
            }
        }
        for (size_t j = 0; j < ARRAY_LEN(timeouts) && !known; j++) {
            if (strcmp(key, timeouts[j]) == 0) {
                known = true;
                *touts[j] = -1;
                x->timeout_set[j] = false;
                x->timeout_at[j] = fv;
                ok = d_timeout(c, fv, f, touts[j], &x->timeout_set[j]) && ok;
            }
        }
        if (known) {
            continue;
        }
        if (strcmp(key, "daemon-scope") == 0) {
            SN_AUTOFREE char *scope = NULL;
            if (!d_custom(c, fv, f, &scope)) {
                ok = false;
            } else if (scope != NULL && strcmp(scope, "system") != 0 &&
                       strcmp(scope, "user") != 0) {
                problem(c, fv, f, "invalid daemon scope: \"%s\" (expected system or user)", scope);
                ok = false;
            } else if (scope != NULL) {
                set_str(&a->daemon_scope, SN_TAKE_PTR(scope));
            }
        } else if (strcmp(key, "restart-condition") == 0) {
            static const char *const conds[] = {"no",          "never",       "on-success",
                                                "on-failure",  "on-abnormal", "on-abort",
                                                "on-watchdog", "always",      NULL};
            SN_AUTOFREE char *cond = NULL;
            if (!d_custom(c, fv, f, &cond)) {
                ok = false;
            } else if (cond != NULL && !in_list(cond, conds)) {
                problem(c, fv, f, "invalid restart condition \"%s\" (expected one of %s)", cond,
                        "no, never, on-success, on-failure, on-abnormal, on-abort, on-watchdog, "
                        "always");
                ok = false;
            } else if (cond != NULL) {
                x->restart_at = fv;
                set_str(&a->restart_condition, xstrdup(strcmp(cond, "no") == 0 ? "never" : cond));
            }
        } else if (strcmp(key, "environment") == 0) {
            ok = d_env(c, fv, f, &a->env) && ok;
        } else if (strcmp(key, "sockets") == 0) {
            nodes_add(&sockets, fv);
        }
    }
    goyaml_map_release(&m);
    ok = decode_sockets(c, &sockets, field, a) && ok;
    nodes_release(&sockets);
    return ok;
}

static bool decode_app(struct ctx *c, const char *name, const struct sn_ynode *k,
                       const struct sn_ynode *v, struct snap_app *a, struct app_extra *x) {
    char field[300];
    a->name = xstrdup(name);
    a->line = k->line;
    a->col = k->col;
    a->restart_delay_ns = a->stop_timeout_ns = a->start_timeout_ns = a->watchdog_timeout_ns = -1;
    (void)snprintf(field, sizeof(field), "apps.%s", name);
    x->node = v;
    bool ok = true;
    if (!goyaml_is_null(v) && v->kind != SN_Y_MAP) {
        type_problem(c, v, field, "a map of app fields");
        ok = false;
    } else if (!goyaml_is_null(v)) {
        ok = decode_app_fields(c, v, field, a, x);
    }
    if (a->command_chain == NULL) {
        a->command_chain = strv_empty();
    }
    char ***defaults[] = {&a->before, &a->after,   &a->plugs,
                          &a->slots,  &a->aliases, &a->activates_on};
    for (size_t i = 0; i < ARRAY_LEN(defaults); i++) {
        if (*defaults[i] == NULL) {
            *defaults[i] = strv_empty();
        }
    }
    return ok;
}

/* ---- hooks ---- */

static void hook_release(struct snap_hook *h) {
    free(h->name);
    sn_strv_free(h->command_chain);
    sn_strv_free(h->plugs);
    sn_strv_free(h->slots);
    env_release(&h->env);
}

static bool decode_hook(struct ctx *c, const char *name, const struct sn_ynode *k,
                        const struct sn_ynode *v, struct snap_hook *h) {
    char field[300];
    h->name = xstrdup(name);
    h->line = k->line;
    h->col = k->col;
    (void)snprintf(field, sizeof(field), "hooks.%s", name);
    bool ok = true;
    if (!goyaml_is_null(v) && v->kind != SN_Y_MAP) {
        type_problem(c, v, field, "a map of hook fields");
        ok = false;
    } else if (!goyaml_is_null(v)) {
        struct goyaml_map m;
        if (!map_pairs(c, v, field, &m)) {
            ok = false;
        } else {
            for (size_t i = 0; i < m.n; i++) {
                const char *key = key_str(c, m.v[i].key, field);
                const struct sn_ynode *fv = m.v[i].value;
                if (key == NULL) {
                    ok = false;
                    continue;
                }
                char f[400];
                (void)snprintf(f, sizeof(f), "%s.%s", field, key);
                if (strcmp(key, "command-chain") == 0) {
                    ok = d_strlist(c, fv, f, &h->command_chain) && ok;
                } else if (strcmp(key, "plugs") == 0) {
                    ok = d_strlist(c, fv, f, &h->plugs) && ok;
                } else if (strcmp(key, "slots") == 0) {
                    ok = d_strlist(c, fv, f, &h->slots) && ok;
                } else if (strcmp(key, "environment") == 0) {
                    ok = d_env(c, fv, f, &h->env) && ok;
                }
            }
            goyaml_map_release(&m);
        }
    }
    char ***defaults[] = {&h->command_chain, &h->plugs, &h->slots};
    for (size_t i = 0; i < ARRAY_LEN(defaults); i++) {
        if (*defaults[i] == NULL) {
            *defaults[i] = strv_empty();
        }
    }
    return ok;
}

/* ---- layout ---- */

struct layout_raw {
    char *path;
    char *bind, *bind_file, *type, *symlink, *user, *group, *mode;
    uint32_t mode_val;
    const struct sn_ynode *at;
};

static void layout_raw_release(struct layout_raw *l) {
    free(l->path);
    free(l->bind);
    free(l->bind_file);
    free(l->type);
    free(l->symlink);
    free(l->user);
    free(l->group);
    free(l->mode);
}

static bool decode_layouts(struct ctx *c, const struct nodes *l, struct layout_raw **out,
                           size_t *nout) {
    struct goyaml_map m;
    bool ok = pairs_of(c, l, "layout", "a map of paths", &m);
    SN_AUTOFREE bool *sup = superseded(&m);
    *out = xcalloc(m.n ? m.n : 1, sizeof(**out));
    for (size_t i = 0; i < m.n; i++) {
        const struct sn_ynode *k = m.v[i].key, *v = m.v[i].value;
        const char *path = key_str(c, k, "layout");
        if (path == NULL) {
            ok = false;
            continue;
        }
        char field[300];
        (void)snprintf(field, sizeof(field), "layout.%s", path);
        struct layout_raw r = {.at = k};
        if (!goyaml_is_null(v) && v->kind != SN_Y_MAP) {
            type_problem(c, v, field, "a map with one of bind, bind-file, type, symlink");
            ok = false;
            continue;
        }
        struct goyaml_map lm = {NULL, 0};
        if (v->kind == SN_Y_MAP && !map_pairs(c, v, field, &lm)) {
            ok = false;
            continue;
        }
        const struct {
            const char *key;
            char **dst;
        } fields[] = {{"bind", &r.bind},      {"bind-file", &r.bind_file}, {"type", &r.type},
                      {"user", &r.user},      {"group", &r.group},         {"mode", &r.mode},
                      {"symlink", &r.symlink}};
        for (size_t j = 0; j < lm.n; j++) {
            const char *key = key_str(c, lm.v[j].key, field);
            if (key == NULL) {
                ok = false;
                continue;
            }
            for (size_t f = 0; f < ARRAY_LEN(fields); f++) {
                if (strcmp(key, fields[f].key) == 0) {
                    char ff[400];
                    (void)snprintf(ff, sizeof(ff), "%s.%s", field, key);
                    ok = d_str(c, lm.v[j].value, ff, fields[f].dst) && ok;
                }
            }
        }
        goyaml_map_release(&lm);
        /* snapd parses the mode as an octal string when it builds the layout */
        r.mode_val = 0755;
        if (r.mode != NULL && !sup[i]) {
            uint64_t mv = 0;
            int pr = goyaml_parse_uint(r.mode, 8, 32, &mv);
            if (pr < 0) {
                problem(c, goyaml_get(&lm, "mode") ? goyaml_get(&lm, "mode") : k, field,
                        "cannot parse mode \"%s\": %s (expected an octal mode such as 0755)",
                        r.mode, pr == -ERANGE ? "value out of range" : "invalid syntax");
                ok = false;
            }
            r.mode_val = (uint32_t)mv;
        }
        if (sup[i]) {
            layout_raw_release(&r);
            continue;
        }
        r.path = xstrdup(path);
        (*out)[(*nout)++] = r;
    }
    goyaml_map_release(&m);
    return ok;
}

/* ---- epoch (snap/epoch.go) ---- */

#define EPOCH_MAX_LIST 10

struct epoch {
    uint32_t read[EPOCH_MAX_LIST + 1], write[EPOCH_MAX_LIST + 1];
    size_t nread, nwrite;
    bool has_read, has_write; /* list given (possibly empty) */
    bool read_long, write_long;
};

/* snapd's epoch number: base 10, no zero padding, < 2^32 */
static bool epoch_num(struct ctx *c, const struct sn_ynode *at, const char *s, uint32_t *out) {
    if (!(strlen(s) > 1 && s[0] == '0')) {
        uint64_t v = 0;
        int r = s[0] == '+' || s[0] == '-' ? -EINVAL : goyaml_parse_uint(s, 10, 32, &v);
        if (r == 0) {
            *out = (uint32_t)v;
            return true;
        }
        if (r == -ERANGE) {
            problem(c, at, "epoch", "epoch numbers must be less than 2³², but got \"%s\"", s);
            return false;
        }
    }
    problem(c, at, "epoch",
            "epoch numbers must be base 10 with no zero padding, but got \"%s\" (expected N, N* "
            "or a map of read and write lists)",
            s);
    return false;
}

static bool epoch_list(struct ctx *c, const struct sn_ynode *n, uint32_t *vals, size_t *nvals,
                       bool *has, bool *too_long) {
    if (goyaml_is_null(n)) {
        *has = false;
        *nvals = 0;
        return true;
    }
    bool list_ok = n->kind == SN_Y_SEQ;
    for (size_t i = 0; list_ok && i < n->n; i++) {
        struct goyaml_value iv;
        list_ok = n->items[i]->kind == SN_Y_SCALAR && goyaml_resolve(n->items[i], &iv) == 0;
    }
    if (!list_ok) {
        problem(c, n, "epoch", "epoch read/write attributes must be lists of epoch numbers");
        return false;
    }
    *has = true;
    *nvals = 0;
    *too_long = n->n > EPOCH_MAX_LIST;
    for (size_t i = 0; i < n->n; i++) {
        const struct sn_ynode *it = n->items[i];
        SN_AUTOFREE char *t = goyaml_is_null(it) && it->plain ? xstrdup("") : scalar_text(it);
        uint32_t v;
        if (!epoch_num(c, it, t, &v)) {
            return false;
        }
        if (*nvals < EPOCH_MAX_LIST + 1) {
            vals[(*nvals)++] = v;
        }
    }
    return true;
}

static bool increasing(const uint32_t *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        if (v[i] <= v[i - 1]) {
            return false;
        }
    }
    return true;
}

static void epoch_text(const struct epoch *e, char **out) {
    bool zero = (e->nread == 0 || (e->nread == 1 && e->read[0] == 0)) &&
                (e->nwrite == 0 || (e->nwrite == 1 && e->write[0] == 0));
    if (zero) {
        set_str(out, xstrdup("0"));
    } else if (e->nwrite == 1 && e->nread == 1 && e->read[0] == e->write[0]) {
        set_str(out, xasprintf("%u", e->read[0]));
    } else if (e->nwrite == 1 && e->nread == 2 && e->read[0] + 1 == e->read[1] &&
               e->read[1] == e->write[0]) {
        set_str(out, xasprintf("%u*", e->read[1]));
    } else {
        SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
        sn_strbuf_addstr(&sb, "{\"read\":[");
        for (size_t i = 0; i < e->nread; i++) {
            sn_strbuf_addf(&sb, "%s%u", i ? "," : "", e->read[i]);
        }
        sn_strbuf_addstr(&sb, "],\"write\":[");
        for (size_t i = 0; i < e->nwrite; i++) {
            sn_strbuf_addf(&sb, "%s%u", i ? "," : "", e->write[i]);
        }
        sn_strbuf_addstr(&sb, "]}");
        set_str(out, sn_strbuf_detach(&sb, NULL));
    }
}

static bool decode_epoch(struct ctx *c, const struct sn_ynode *n, char **out) {
    struct epoch e = {.read = {0}, .write = {0}, .nread = 1, .nwrite = 1};
    if (goyaml_is_null(n)) {
        set_str(out, xstrdup("0"));
        return true;
    }
    if (n->kind == SN_Y_SCALAR) {
        if (!tag_ok(c, n, "epoch")) {
            return false;
        }
        SN_AUTOFREE char *s = scalar_text(n);
        size_t len = strlen(s);
        if (len == 0 || strcmp(s, "0") == 0) {
            set_str(out, xstrdup("0"));
            return true;
        }
        bool star = s[len - 1] == '*';
        if (star) {
            s[len - 1] = '\0';
        }
        uint32_t v;
        if (!epoch_num(c, n, s, &v)) {
            return false;
        }
        if (star && v == 0) {
            problem(c, n, "epoch", "0* is an invalid epoch (expected N* with N > 0)");
            return false;
        }
        e.nread = star ? 2 : 1;
        e.read[0] = star ? v - 1 : v;
        e.read[1] = v;
        e.write[0] = v;
        epoch_text(&e, out);
        return true;
    }
    if (n->kind != SN_Y_MAP) {
        type_problem(c, n, "epoch", "N, N* or a map with read and write lists");
        return false;
    }
    struct goyaml_map m;
    if (!map_pairs(c, n, "epoch", &m)) {
        return false;
    }
    bool ok = true;
    e.has_read = e.has_write = false;
    e.nread = e.nwrite = 0;
    for (size_t i = 0; i < m.n; i++) {
        const char *key = key_str(c, m.v[i].key, "epoch");
        if (key == NULL) {
            ok = false;
        } else if (strcmp(key, "read") == 0) {
            ok = epoch_list(c, m.v[i].value, e.read, &e.nread, &e.has_read, &e.read_long) && ok;
        } else if (strcmp(key, "write") == 0) {
            ok = epoch_list(c, m.v[i].value, e.write, &e.nwrite, &e.has_write, &e.write_long) && ok;
        }
    }
    goyaml_map_release(&m);
    if (!ok) {
        return false;
    }
    if (!e.has_read) {
        if (!e.has_write) {
            e.has_write = true;
            e.nwrite = 1;
            e.write[0] = 0;
        }
        memcpy(e.read, e.write, sizeof(e.read));
        e.nread = e.nwrite;
        e.read_long = e.write_long;
    } else if (e.nread == 0) {
        problem(c, n, "epoch", "epoch list cannot be explicitly empty");
        return false;
    }
    if (!e.has_write) {
        e.write[0] = e.read[e.nread - 1];
        e.nwrite = 1;
    } else if (e.nwrite == 0) {
        problem(c, n, "epoch", "epoch list cannot be explicitly empty");
        return false;
    }
    bool zero = (e.nread == 1 && e.read[0] == 0) && (e.nwrite == 1 && e.write[0] == 0);
    if (!zero) {
        if (e.read_long || e.write_long) {
            problem(c, n, "epoch", "epoch list must not have more than 10 entries");
            return false;
        }
        if (!increasing(e.read, e.nread) || !increasing(e.write, e.nwrite)) {
            problem(c, n, "epoch", "epoch list must be a strictly increasing sequence");
            return false;
        }
        bool common = false;
        for (size_t i = 0; i < e.nread; i++) {
            for (size_t j = 0; j < e.nwrite; j++) {
                common = common || e.read[i] == e.write[j];
            }
        }
        if (!common) {
            problem(c, n, "epoch",
                    "epoch read and write lists must have a non-empty "
                    "intersection");
            return false;
        }
    }
    epoch_text(&e, out);
    return true;
}

/* ---- links (Go's net/url.Parse, as far as snapd relies on it) ---- */

static bool is_hex(char ch) {
    return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static int hex_val(char ch) {
    return is_digit(ch) ? ch - '0' : ((ch | 0x20) - 'a' + 10);
}

/* A host byte that needs no escaping (url.shouldEscape in host mode) */
static bool host_char(unsigned char ch) {
    return is_alnum(ch) || (ch != '\0' && strchr("!$&'()*+,;=:[]<>\"-_.~", ch) != NULL);
}

/* url.unescape's checks: %XX escapes well formed; in a host, ASCII bytes are host characters
 * and escapes only stand for non-ASCII bytes (or %25) */
static bool unescape_ok(const char *s, size_t n, bool host) {
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '%') {
            if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
                return false;
            }
            if (host && hex_val(s[i + 1]) < 8 && strncmp(s + i, "%25", 3) != 0) {
                return false;
            }
            i += 3;
            continue;
        }
        if (host && ch < 0x80 && !host_char(ch)) {
            return false;
        }
        i++;
    }
    return true;
}

/* "" or ":digits" */
static bool optional_port_ok(const char *p, size_t n) {
    if (n == 0) {
        return true;
    }
    if (p[0] != ':') {
        return false;
    }
    for (size_t i = 1; i < n; i++) {
        if (!is_digit(p[i])) {
            return false;
        }
    }
    return true;
}

static bool host_ok(const char *h, size_t n) {
    if (n > 0 && h[0] == '[') {
        const char *rb = NULL;
        for (size_t i = 0; i < n; i++) {
            if (h[i] == ']') {
                rb = h + i;
            }
        }
        if (rb == NULL || !optional_port_ok(rb + 1, n - (size_t)(rb + 1 - h))) {
            return false;
        }
    } else {
        const char *colon = NULL;
        for (size_t i = 0; i < n; i++) {
            if (h[i] == ':') {
                colon = h + i;
            }
        }
        if (colon != NULL && !optional_port_ok(colon, n - (size_t)(colon - h))) {
            return false;
        }
    }
    return unescape_ok(h, n, true);
}

static bool authority_ok(const char *a, size_t n) {
    const char *at = NULL;
    for (size_t i = 0; i < n; i++) {
        if (a[i] == '@') {
            at = a + i;
        }
    }
    if (at == NULL) {
        return host_ok(a, n);
    }
    if (!host_ok(at + 1, n - (size_t)(at + 1 - a))) {
        return false;
    }
    for (const char *p = a; p < at; p++) {
        unsigned char ch = (unsigned char)*p;
        if (!is_alnum(ch) && strchr("-._:~!$&'()*+,;=%@", ch) == NULL) {
            return false;
        }
    }
    return unescape_ok(a, (size_t)(at - a), false);
}

/* url.Parse: returns false on a parse error; *scheme gets the lower-cased scheme */
static bool url_parse(const char *raw, char *scheme, size_t scheme_size) {
    scheme[0] = '\0';
    for (const char *p = raw; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            return false;
        }
    }
    const char *hash = strchr(raw, '#');
    size_t n = hash ? (size_t)(hash - raw) : strlen(raw);
    if (hash != NULL && !unescape_ok(hash + 1, strlen(hash + 1), false)) {
        return false;
    }
    if (n == 1 && raw[0] == '*') {
        return true;
    }
    /* scheme */
    const char *rest = raw;
    for (size_t i = 0; i < n; i++) {
        char ch = raw[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
            continue;
        }
        if (is_digit(ch) || ch == '+' || ch == '-' || ch == '.') {
            if (i == 0) {
                break;
            }
            continue;
        }
        if (ch == ':') {
            if (i == 0) {
                return false; /* missing protocol scheme */
            }
            size_t sl = i < scheme_size - 1 ? i : scheme_size - 1;
            for (size_t j = 0; j < sl; j++) {
                scheme[j] = (char)(raw[j] | ((raw[j] >= 'A' && raw[j] <= 'Z') ? 0x20 : 0));
            }
            scheme[sl] = '\0';
            rest = raw + i + 1;
        }
        break;
    }
    size_t rn = n - (size_t)(rest - raw);
    /* query: not validated */
    const char *q = memchr(rest, '?', rn);
    if (q != NULL) {
        rn = (size_t)(q - rest);
    }
    if (!(rn > 0 && rest[0] == '/')) {
        if (scheme[0] != '\0') {
            return true; /* opaque */
        }
        const char *slash = memchr(rest, '/', rn);
        size_t seg = slash ? (size_t)(slash - rest) : rn;
        if (memchr(rest, ':', seg) != NULL) {
            return false; /* first path segment in URL cannot contain colon */
        }
    }
    bool triple = rn >= 3 && strncmp(rest, "///", 3) == 0;
    if ((scheme[0] != '\0' || !triple) && rn >= 2 && strncmp(rest, "//", 2) == 0) {
        const char *auth = rest + 2;
        size_t an = rn - 2;
        const char *slash = memchr(auth, '/', an);
        size_t al = slash ? (size_t)(slash - auth) : an;
        if (!authority_ok(auth, al)) {
            return false;
        }
        rest = auth + al;
        rn = an - al;
    }
    return unescape_ok(rest, rn, false);
}

struct link {
    char *key;
    char **values; /* NULL when null */
    const struct sn_ynode *at;
};

static bool decode_links(struct ctx *c, const struct nodes *l, struct link **out, size_t *nout) {
    struct goyaml_map m;
    bool ok = pairs_of(c, l, "links", "a map of link lists", &m);
    SN_AUTOFREE bool *sup = superseded(&m);
    *out = xcalloc(m.n ? m.n : 1, sizeof(**out));
    for (size_t i = 0; i < m.n; i++) {
        const char *key = key_str(c, m.v[i].key, "links");
        if (key == NULL) {
            ok = false;
            continue;
        }
        char field[300];
        (void)snprintf(field, sizeof(field), "links.%s", key);
        char **values = NULL;
        if (!d_strlist(c, m.v[i].value, field, &values)) {
            ok = false;
        }
        if (sup[i]) {
            sn_strv_free(values);
            continue;
        }
        (*out)[*nout] = (struct link){xstrdup(key), values, m.v[i].key};
        (*nout)++;
    }
    goyaml_map_release(&m);
    return ok;
}

static void validate_links(struct ctx *c, const struct link *links, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const struct link *l = &links[i];
        char field[300];
        (void)snprintf(field, sizeof(field), "links.%s", l->key);
        if (l->key[0] == '\0') {
            problem(c, l->at, "links", "links key cannot be empty");
            continue;
        }
        if (!valid_links_key(l->key)) {
            problem(c, l->at, "links",
                    "links key is invalid: %s (expected letters and digits "
                    "with single dashes between them)",
                    l->key);
            continue;
        }
        if (strv_len(l->values) == 0) {
            problem(c, l->at, field, "\"%s\" links cannot be specified and empty", l->key);
            continue;
        }
        for (size_t j = 0; l->values[j] != NULL; j++) {
            const char *link = l->values[j];
            char scheme[32];
            if (link[0] == '\0') {
                problem(c, l->at, field, "empty \"%s\" link", l->key);
            } else if (!url_parse(link, scheme, sizeof(scheme))) {
                problem(c, l->at, field, "invalid \"%s\" link \"%s\"", l->key, link);
            } else if (scheme[0] == '\0' || strcmp(scheme, "mailto") == 0) {
                if (strchr(link, '@') == NULL) {
                    problem(c, l->at, field, "invalid \"%s\" email address \"%s\"", l->key, link);
                }
            } else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
                problem(c, l->at, field,
                        "\"%s\" link must have one of http|https schemes or it "
                        "must be an email address: \"%s\"",
                        l->key, link);
            }
        }
    }
}

/* ---- system-usernames ---- */

static bool decode_system_usernames(struct ctx *c, const struct nodes *l) {
    struct goyaml_map m;
    bool ok = pairs_of(c, l, "system-usernames", "a map of user names", &m);
    SN_AUTOFREE bool *sup = superseded(&m);
    for (size_t i = 0; i < m.n; i++) {
        const struct sn_ynode *k = m.v[i].key, *v = m.v[i].value;
        const char *user = key_str(c, k, "system-usernames");
        if (user == NULL) {
            ok = false;
            continue;
        }
        if (sup[i]) {
            continue;
        }
        char field[300];
        (void)snprintf(field, sizeof(field), "system-usernames.%s", user);
        if (user[0] == '\0') {
            problem(c, k, "system-usernames", "system username cannot be empty");
            ok = false;
            continue;
        }
        struct goyaml_value rv;
        if (!(v->kind != SN_Y_SCALAR || tag_ok(c, v, field))) {
            ok = false;
            continue;
        }
        SN_IGNORE(goyaml_resolve(v, &rv));
        bool scope = false;
        if (rv.kind == GOYAML_STR || rv.kind == GOYAML_TIMESTAMP) {
            scope = v->len > 0;
        } else if (rv.kind == GOYAML_MAP) {
            struct goyaml_map um;
            if (!map_pairs(c, v, field, &um)) {
                ok = false;
                continue;
            }
            for (size_t j = 0; j < um.n; j++) {
                const struct sn_ynode *ak = um.v[j].key, *av = um.v[j].value;
                if (ak->kind != SN_Y_SCALAR || !is_go_string(ak)) {
                    problem(c, ak, field,
                            "system username \"%s\" has attribute key that is not a "
                            "string (found %s)",
                            user, goyaml_go_type(ak));
                    ok = false;
                } else if (strcmp(ak->value, "scope") == 0) {
                    if (av->kind != SN_Y_SCALAR || !is_go_string(av)) {
                        problem(c, av, field,
                                "scope on system username \"%s\" is not a string "
                                "(found %s)",
                                user, goyaml_go_type(av));
                        ok = false;
                    } else {
                        scope = av->len > 0;
                    }
                } else if (ak->value[0] == '\0') {
                    problem(c, ak, field, "system username \"%s\" has an empty attribute key",
                            user);
                    ok = false;
                } else {
                    char what[300];
                    (void)snprintf(what, sizeof(what),
                                   "attribute \"%s\" of system username "
                                   "\"%s\"",
                                   ak->value, user);
                    ok = normalize_value(c, av, field, what, 0) && ok;
                }
            }
            goyaml_map_release(&um);
        } else if (rv.kind != GOYAML_NULL) {
            problem(c, v, field,
                    "system username \"%s\" has malformed definition (found %s; "
                    "expected a scope or a map)",
                    user, goyaml_go_type(v));
            ok = false;
            continue;
        }
        if (!scope) {
            problem(c, k, field, "system username \"%s\" does not specify a scope", user);
            ok = false;
        } else if (!valid_username(user)) {
            problem(c, k, field, "invalid system username \"%s\"", user);
            ok = false;
        }
    }
    goyaml_map_release(&m);
    return ok;
}

/* ---- top level ---- */

static const char *const type_names[] = {"app", "gadget", "kernel", "base", "os", "snapd"};
static const char *const confinement_names[] = {"strict", "devmode", "classic"};
static const char *const grade_names[] = {"stable", "devel"};

const char *snap_type_str(enum snap_type t) {
    return type_names[t];
}
const char *snap_confinement_str(enum snap_confinement c) {
    return confinement_names[c];
}
const char *snap_grade_str(enum snap_grade g) {
    return grade_names[g];
}

/* What decoding leaves for the later steps besides snap_info. */
struct parse {
    struct goyaml_map root;
    struct app_extra *ax; /* one per app */
    struct layout_raw *layouts;
    size_t nlayouts;
    struct link *links;
    size_t nlinks;
    size_t nplugs_decl, nslots_decl; /* top-level plugs/slots come first in the arrays */
    bool *plug_scoped, *slot_scoped;
};

static void parse_release(struct parse *P) {
    goyaml_map_release(&P->root);
    free(P->ax);
    for (size_t i = 0; i < P->nlayouts; i++) {
        layout_raw_release(&P->layouts[i]);
    }
    free(P->layouts);
    for (size_t i = 0; i < P->nlinks; i++) {
        free(P->links[i].key);
        sn_strv_free(P->links[i].values);
    }
    free(P->links);
    free(P->plug_scoped);
    free(P->slot_scoped);
}

/* position of a top-level key's value for messages */
static const struct sn_ynode *at_key(const struct parse *P, const struct sn_ynode *root,
                                     const char *key) {
    const struct sn_ynode *n = goyaml_get(&P->root, key);
    return n ? n : root;
}

static bool decode_apps(struct ctx *c, const struct nodes *l, struct snap_info *info,
                        struct parse *P) {
    struct goyaml_map m;
    bool ok = pairs_of(c, l, "apps", "a map of app names", &m);
    SN_AUTOFREE bool *sup = superseded(&m);
    info->apps = xcalloc(m.n ? m.n : 1, sizeof(*info->apps));
    P->ax = xcalloc(m.n ? m.n : 1, sizeof(*P->ax));
    for (size_t i = 0; i < m.n; i++) {
        const char *name = key_str(c, m.v[i].key, "apps");
        if (name == NULL) {
            ok = false;
            continue;
        }
        struct snap_app *a = &info->apps[info->napps];
        struct app_extra *x = &P->ax[info->napps];
        memset(a, 0, sizeof(*a));
        memset(x, 0, sizeof(*x));
        ok = decode_app(c, name, m.v[i].key, m.v[i].value, a, x) && ok;
        if (sup[i]) {
            app_release(a);
            continue;
        }
        info->napps++;
    }
    goyaml_map_release(&m);
    return ok;
}

static bool decode_hooks(struct ctx *c, const struct nodes *l, struct snap_info *info) {
    struct goyaml_map m;
    bool ok = pairs_of(c, l, "hooks", "a map of hook names", &m);
    SN_AUTOFREE bool *sup = superseded(&m);
    info->hooks = xcalloc(m.n ? m.n : 1, sizeof(*info->hooks));
    for (size_t i = 0; i < m.n; i++) {
        const char *name = key_str(c, m.v[i].key, "hooks");
        if (name == NULL) {
            ok = false;
            continue;
        }
        struct snap_hook *h = &info->hooks[info->nhooks];
        memset(h, 0, sizeof(*h));
        ok = decode_hook(c, name, m.v[i].key, m.v[i].value, h) && ok;
        /* snapd drops hooks of types it does not know, without a word */
        if (sup[i] || !snap_hook_type_supported(name)) {
            hook_release(h);
            continue;
        }
        info->nhooks++;
    }
    goyaml_map_release(&m);
    return ok;
}

static bool decode_enum(struct ctx *c, const struct sn_ynode *n, const char *key,
                        const char *const *names, size_t nnames, int *out, const char *expect) {
    SN_AUTOFREE char *v = NULL;
    if (!d_custom(c, n, key, &v)) {
        return false;
    }
    if (v == NULL) {
        return true;
    }
    for (size_t i = 0; i < nnames; i++) {
        if (strcmp(v, names[i]) == 0) {
            *out = (int)i;
            return true;
        }
    }
    problem(c, n, key, "invalid %s \"%s\" (expected %s)",
            strcmp(key, "type") == 0 ? "snap type" : "confinement type", v, expect);
    return false;
}

static bool decode(struct ctx *c, const struct sn_ynode *root, struct snap_info *info,
                   struct parse *P) {
    bool ok = true;
    int t = SNAP_TYPE_APP, conf = SNAP_CONFINE_STRICT;
    struct nodes plugs = {NULL, 0}, slots = {NULL, 0}, apps = {NULL, 0}, hooks = {NULL, 0},
                 layout = {NULL, 0}, users = {NULL, 0}, links = {NULL, 0};
    if (!map_pairs(c, root, "snap.yaml", &P->root)) {
        return false;
    }
    const struct {
        const char *key;
        char **dst;
    } strs[] = {{"name", &info->name},       {"version", &info->version},
                {"summary", &info->summary}, {"description", &info->description},
                {"title", &info->title},     {"license", &info->license},
                {"base", &info->base},       {"provenance", &info->provenance}};
    for (size_t i = 0; i < P->root.n; i++) {
        const struct sn_ynode *v = P->root.v[i].value;
        const char *key = key_str(c, P->root.v[i].key, "snap.yaml");
        if (key == NULL) {
            ok = false;
            continue;
        }
        bool known = false;
        for (size_t j = 0; j < ARRAY_LEN(strs) && !known; j++) {
            if (strcmp(key, strs[j].key) == 0) {
                known = true;
                ok = d_str(c, v, key, strs[j].dst) && ok;
            }
        }
        if (known) {
            continue;
        }
        if (strcmp(key, "type") == 0) {
            static const char *const types[] = {"app", "gadget", "kernel",     "base",
                                                "os",  "snapd",  "application"};
            ok = decode_enum(c, v, key, types, ARRAY_LEN(types), &t,
                             "app, gadget, kernel, base, os or snapd") &&
                 ok;
            if (t == 6) {
                t = SNAP_TYPE_APP;
            }
        } else if (strcmp(key, "confinement") == 0) {
            ok =
                decode_enum(c, v, key, confinement_names, 3, &conf, "strict, devmode or classic") &&
                ok;
        } else if (strcmp(key, "grade") == 0) {
            info->grade = v->kind == SN_Y_SCALAR && strcmp(v->value, "devel") == 0
                              ? SNAP_GRADE_DEVEL
                              : SNAP_GRADE_STABLE;
        } else if (strcmp(key, "architectures") == 0) {
            ok = d_strlist(c, v, key, &info->architectures) && ok;
        } else if (strcmp(key, "assumes") == 0) {
            ok = d_strlist(c, v, key, &info->assumes) && ok;
        } else if (strcmp(key, "epoch") == 0) {
            ok = decode_epoch(c, v, &info->epoch) && ok;
        } else if (strcmp(key, "environment") == 0) {
            ok = d_env(c, v, key, &info->env) && ok;
        } else if (strcmp(key, "plugs") == 0) {
            nodes_add(&plugs, v);
        } else if (strcmp(key, "slots") == 0) {
            nodes_add(&slots, v);
        } else if (strcmp(key, "apps") == 0) {
            nodes_add(&apps, v);
        } else if (strcmp(key, "hooks") == 0) {
            nodes_add(&hooks, v);
        } else if (strcmp(key, "layout") == 0) {
            nodes_add(&layout, v);
        } else if (strcmp(key, "system-usernames") == 0) {
            nodes_add(&users, v);
        } else if (strcmp(key, "links") == 0) {
            nodes_add(&links, v);
        } else if (strcmp(key, "layouts") == 0 && !goyaml_is_null(v)) {
            problem(c, P->root.v[i].key, key,
                    "typo detected: use singular \"layout\" instead of plural \"layouts\"");
            ok = false;
        }
    }
    info->type = (enum snap_type)t;
    info->confinement = (enum snap_confinement)conf;
    ok = decode_plugslots(c, &plugs, "plugs", &info->plugs, &info->nplugs) && ok;
    ok = decode_plugslots(c, &slots, "slots", &info->slots, &info->nslots) && ok;
    ok = decode_apps(c, &apps, info, P) && ok;
    ok = decode_hooks(c, &hooks, info) && ok;
    ok = decode_layouts(c, &layout, &P->layouts, &P->nlayouts) && ok;
    ok = decode_system_usernames(c, &users) && ok;
    ok = decode_links(c, &links, &P->links, &P->nlinks) && ok;
    struct nodes *all[] = {&plugs, &slots, &apps, &hooks, &layout, &users, &links};
    for (size_t i = 0; i < ARRAY_LEN(all); i++) {
        nodes_release(all[i]);
    }
    return ok;
}

/* ---- binding plugs and slots to apps and hooks (info_snap_yaml.go) ---- */

static size_t ps_get(struct snap_plugslot **v, size_t *n, bool **scoped, const char *name, int line,
                     int col) {
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*v)[i].name, name) == 0) {
            return i;
        }
    }
    /* an implicit plug or slot: the interface is its name */
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    *scoped = xrealloc(*scoped, (*n + 1) * sizeof(**scoped));
    struct snap_plugslot *p = &(*v)[*n];
    memset(p, 0, sizeof(*p));
    p->name = xstrdup(name);
    p->iface = xstrdup(name);
    p->apps = strv_empty();
    p->hooks = strv_empty();
    p->line = line;
    p->col = col;
    (*scoped)[*n] = false;
    return (*n)++;
}

static void bind_list(struct snap_plugslot **v, size_t *n, bool **scoped, char ***names,
                      const char *app, const char *hook, int line, int col) {
    for (size_t i = 0; (*names)[i] != NULL; i++) {
        size_t k = ps_get(v, n, scoped, (*names)[i], line, col);
        (*scoped)[k] = true;
        struct snap_plugslot *p = &(*v)[k];
        if (app != NULL && !strv_has(p->apps, app)) {
            p->apps = strv_push(p->apps, app);
        }
        if (hook != NULL && !strv_has(p->hooks, hook)) {
            p->hooks = strv_push(p->hooks, hook);
        }
    }
}

static void dedup_strv(char **v) {
    size_t w = 0;
    for (size_t r = 0; v[r] != NULL; r++) {
        bool dup = false;
        for (size_t j = 0; j < w && !dup; j++) {
            dup = strcmp(v[j], v[r]) == 0;
        }
        if (dup) {
            free(v[r]);
        } else {
            v[w++] = v[r];
        }
    }
    v[w] = NULL;
}

static void bind_all(struct ctx *c, const struct sn_ynode *root, struct snap_info *info,
                     struct parse *P) {
    P->nplugs_decl = info->nplugs;
    P->nslots_decl = info->nslots;
    P->plug_scoped = xcalloc(info->nplugs + 1, sizeof(bool));
    P->slot_scoped = xcalloc(info->nslots + 1, sizeof(bool));
    /* the core snap's own plugs would clash with its slots */
    if (info->name != NULL && strcmp(info->name, "core") == 0 && info->type == SNAP_TYPE_OS) {
        for (size_t i = 0; i < info->nplugs; i++) {
            if (strcmp(info->plugs[i].name, "network-bind") == 0 ||
                strcmp(info->plugs[i].name, "core-support") == 0) {
                char *renamed = xasprintf("%s-plug", info->plugs[i].name);
                set_str(&info->plugs[i].name, renamed);
            }
        }
    }
    for (size_t i = 0; i < info->napps; i++) {
        struct snap_app *a = &info->apps[i];
        dedup_strv(a->plugs);
        dedup_strv(a->slots);
        bind_list(&info->plugs, &info->nplugs, &P->plug_scoped, &a->plugs, a->name, NULL, a->line,
                  a->col);
        bind_list(&info->slots, &info->nslots, &P->slot_scoped, &a->slots, a->name, NULL, a->line,
                  a->col);
    }
    /* activates-on names a slot that exists by now; it binds the slot to the app */
    for (size_t i = 0; i < info->napps; i++) {
        struct snap_app *a = &info->apps[i];
        for (size_t j = 0; a->activates_on[j] != NULL; j++) {
            const char *s = a->activates_on[j];
            if (find_ps(info->slots, info->nslots, s) == NULL) {
                char f[300];
                (void)snprintf(f, sizeof(f), "apps.%s.activates-on", a->name);
                problem(c, P->ax[i].node ? P->ax[i].node : root, f,
                        "invalid activates-on value \"%s\" on app \"%s\": slot not found "
                        "(expected the name of a slot of this snap)",
                        s, a->name);
                continue;
            }
            if (!strv_has(a->slots, s)) {
                a->slots = strv_push(a->slots, s);
            }
            char *one[] = {(char *)s, NULL};
            char **onep = one;
            bind_list(&info->slots, &info->nslots, &P->slot_scoped, &onep, a->name, NULL, a->line,
                      a->col);
        }
    }
    for (size_t i = 0; i < info->nhooks; i++) {
        struct snap_hook *h = &info->hooks[i];
        dedup_strv(h->plugs);
        dedup_strv(h->slots);
        bind_list(&info->plugs, &info->nplugs, &P->plug_scoped, &h->plugs, NULL, h->name, h->line,
                  h->col);
        bind_list(&info->slots, &info->nslots, &P->slot_scoped, &h->slots, NULL, h->name, h->line,
                  h->col);
    }
    /* unscoped plugs and slots go to every app and hook */
    for (int side = 0; side < 2; side++) {
        struct snap_plugslot *v = side == 0 ? info->plugs : info->slots;
        size_t n = side == 0 ? info->nplugs : info->nslots;
        const bool *scoped = side == 0 ? P->plug_scoped : P->slot_scoped;
        for (size_t i = 0; i < n; i++) {
            struct snap_plugslot *p = &v[i];
            if (scoped[i]) {
                continue;
            }
            p->unscoped = true;
            for (size_t j = 0; j < info->napps; j++) {
                struct snap_app *a = &info->apps[j];
                char ***list = side == 0 ? &a->plugs : &a->slots;
                p->apps = strv_push(p->apps, a->name);
                if (!strv_has(*list, p->name)) {
                    *list = strv_push(*list, p->name);
                }
            }
            for (size_t j = 0; j < info->nhooks; j++) {
                struct snap_hook *h = &info->hooks[j];
                char ***list = side == 0 ? &h->plugs : &h->slots;
                p->hooks = strv_push(p->hooks, h->name);
                if (!strv_has(*list, p->name)) {
                    *list = strv_push(*list, p->name);
                }
            }
        }
    }
}

/* A plug or slot attribute that is a Go string, or NULL. */
static const char *attr_string(const struct snap_plugslot *p, const char *key) {
    if (p->attrs == NULL) {
        return NULL;
    }
    struct goyaml_map m;
    if (goyaml_map_pairs(p->attrs, &m, NULL) < 0) {
        return NULL;
    }
    const struct sn_ynode *v = goyaml_get(&m, key);
    goyaml_map_release(&m);
    return v != NULL && v->kind == SN_Y_SCALAR && is_go_string(v) ? v->value : NULL;
}

/* ^[a-zA-Z_-][a-zA-Z0-9_-]*(\.[a-zA-Z_-][a-zA-Z0-9_-]*)+$, at most 255 bytes, and snapd
 * refuses names ending in -NUMBER */
static const char *dbus_name_problem(const char *name) {
    size_t n = strlen(name);
    if (n == 0) {
        return "DBus bus name must be set";
    }
    if (n > 255) {
        return "DBus bus name is too long (must be <= 255)";
    }
    size_t elems = 0;
    bool start = true;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (ch == '.') {
            if (start) {
                return "invalid DBus bus name";
            }
            start = true;
            continue;
        }
        bool first_ok =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '-';
        if (start) {
            if (!first_ok) {
                return "invalid DBus bus name";
            }
            elems++;
            start = false;
        } else if (!first_ok && !is_digit(ch)) {
            return "invalid DBus bus name";
        }
    }
    if (start || elems < 2) {
        return "invalid DBus bus name";
    }
    size_t d = n;
    while (d > 0 && is_digit(name[d - 1])) {
        d--;
    }
    if (d < n && d > 0 && name[d - 1] == '-') {
        return "DBus bus name must not end with -NUMBER";
    }
    return NULL;
}

/* snapd's interface sanitizer (interfaces/builtin.SanitizePlugsSlots): a plug or slot of an
 * unknown interface, with an invalid name, or (dbus) without valid bus and name attributes is
 * dropped with a warning, not an error. Why, or NULL to keep it. */
static char *sanitize_problem(const struct snap_plugslot *p, const char *one) {
    if (!snap_interface_known(p->iface)) {
        return xasprintf("unknown interface \"%s\"", p->iface);
    }
    if (!snap_valid_plug_slot_name(p->name)) {
        return xasprintf("invalid %s name: \"%s\"", one, p->name);
    }
    if (strcmp(p->iface, "dbus") == 0) {
        const char *bus = attr_string(p, "bus");
        const char *name = attr_string(p, "name");
        if (bus == NULL) {
            return xstrdup("cannot find attribute 'bus'");
        }
        if (strcmp(bus, "session") != 0 && strcmp(bus, "system") != 0) {
            return xasprintf("bus '%s' must be one of 'session' or 'system'", bus);
        }
        if (name == NULL) {
            return xstrdup("cannot find attribute 'name'");
        }
        const char *why = dbus_name_problem(name);
        if (why != NULL) {
            return xasprintf("%s: \"%s\"", why, name);
        }
    }
    return NULL;
}

static void sanitize(struct snap_info *info) {
    for (int side = 0; side < 2; side++) {
        struct snap_plugslot *v = side == 0 ? info->plugs : info->slots;
        size_t n = side == 0 ? info->nplugs : info->nslots;
        for (size_t i = 0; i < n; i++) {
            SN_AUTOFREE char *why = sanitize_problem(&v[i], side == 0 ? "plug" : "slot");
            if (why != NULL) {
                SN_AUTOFREE char *msg = xasprintf("%s (%s)", v[i].name, why);
                info->bad_interfaces = strv_push(info->bad_interfaces, msg);
                v[i].dropped = true;
            }
        }
    }
}

/* a plug or slot that survives snapd's sanitizer */
static const struct snap_plugslot *find_kept(const struct snap_plugslot *v, size_t n,
                                             const char *name) {
    for (size_t i = 0; i < n; i++) {
        if (!v[i].dropped && strcmp(v[i].name, name) == 0) {
            return &v[i];
        }
    }
    return NULL;
}

/* ---- validation (snap/validate.go) ---- */

/* ^[A-Za-z0-9/. _#:$-]*$ for command fields; command-chain: the same without the space */
static bool whitelisted(const char *s, bool allow_space) {
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (!is_alnum(ch) && strchr("/._#:$-", ch) == NULL && !(allow_space && ch == ' ')) {
            return false;
        }
    }
    return true;
}

/* the position of an app field for messages */
static const struct sn_ynode *app_at(const struct app_extra *x, const char *key) {
    if (x->node == NULL || x->node->kind != SN_Y_MAP) {
        return x->node;
    }
    struct goyaml_map m;
    if (goyaml_map_pairs(x->node, &m, NULL) < 0) {
        return x->node;
    }
    const struct sn_ynode *n = goyaml_get(&m, key);
    goyaml_map_release(&m);
    return n ? n : x->node;
}

static bool is_service(const struct snap_app *a) {
    return a->daemon != NULL;
}

/* daemon-scope as snapd sets it: system by default for services, "" for other apps */
static const char *scope_of(const struct snap_app *a) {
    if (a->daemon_scope != NULL) {
        return a->daemon_scope;
    }
    return is_service(a) ? "system" : "";
}

/* Go's filepath.Clean(p) == p */
static bool is_clean(const char *p) {
    SN_AUTOFREE char *cl = sn_path_clean(p);
    return strcmp(cl, p) == 0;
}

static void validate_socket(struct ctx *c, const struct snap_info *info, const struct snap_app *a,
                            const struct app_extra *x, const struct snap_socket *s) {
    char f[300];
    (void)snprintf(f, sizeof(f), "apps.%s.sockets.%s", a->name, s->name);
    const struct sn_ynode *at = app_at(x, "sockets");
    const char *pre = "invalid definition of socket";
    if (!valid_name_chars(s->name)) {
        problem(c, at, f,
                "%s \"%s\": invalid socket name: \"%s\" (expected lower case letters, "
                "digits and single dashes, with at least one letter)",
                pre, s->name, s->name);
        return;
    }
    if (s->socket_mode > 0777) {
        problem(c, at, f, "%s \"%s\": cannot use mode: %04o (expected at most 0777)", pre, s->name,
                s->socket_mode);
        return;
    }
    const char *ls = s->listen_stream;
    if (ls == NULL) {
        problem(c, at, f, "%s \"%s\": \"listen-stream\" is not defined", pre, s->name);
        return;
    }
    if (ls[0] == '/' || ls[0] == '$') {
        SN_AUTOFREE char *clean = sn_path_clean(ls);
        const char *scope = scope_of(a);
        if (strcmp(clean, ls) != 0) {
            problem(c, at, f,
                    "%s \"%s\": invalid \"listen-stream\": \"%s\" should be written as "
                    "\"%s\"",
                    pre, s->name, ls, clean);
        } else if (strcmp(scope, "system") == 0) {
            if (!has_prefix(ls, "$SNAP_DATA/") && !has_prefix(ls, "$SNAP_COMMON/") &&
                !has_prefix(ls, "$XDG_RUNTIME_DIR/")) {
                problem(c, at, f,
                        "%s \"%s\": invalid \"listen-stream\": system daemon sockets "
                        "must have a prefix of $SNAP_DATA, $SNAP_COMMON or $XDG_RUNTIME_DIR",
                        pre, s->name);
            }
        } else if (strcmp(scope, "user") == 0) {
            if (!has_prefix(ls, "$SNAP_USER_DATA/") && !has_prefix(ls, "$SNAP_USER_COMMON/") &&
                !has_prefix(ls, "$XDG_RUNTIME_DIR/")) {
                problem(c, at, f,
                        "%s \"%s\": invalid \"listen-stream\": user daemon sockets must "
                        "have a prefix of $SNAP_USER_DATA, $SNAP_USER_COMMON, or "
                        "$XDG_RUNTIME_DIR",
                        pre, s->name);
            }
        } else {
            problem(c, at, f,
                    "%s \"%s\": invalid \"listen-stream\": cannot validate sockets for "
                    "daemon-scope \"\" (socket paths need a service)",
                    pre, s->name);
        }
        return;
    }
    if (ls[0] == '@') {
        SN_AUTOFREE char *prefix = xasprintf("@snap.%s.", info->name ? info->name : "");
        if (!has_prefix(ls, prefix)) {
            problem(c, at, f, "%s \"%s\": path for \"listen-stream\" must be prefixed with \"%s\"",
                    pre, s->name, prefix);
        }
        return;
    }
    /* [host:]port */
    const char *port = ls;
    const char *colon = strrchr(ls, ':');
    if (colon != NULL) {
        port = colon + 1;
        size_t hl = (size_t)(colon - ls);
        bool host_ok = (hl == 9 && strncmp(ls, "127.0.0.1", 9) == 0) ||
                       (hl == 5 && strncmp(ls, "[::1]", 5) == 0) ||
                       (hl == 4 && strncmp(ls, "[::]", 4) == 0);
        if (!host_ok) {
            problem(c, at, f,
                    "%s \"%s\": invalid \"listen-stream\" address \"%.*s\", must be one "
                    "of: 127.0.0.1, [::1], [::]",
                    pre, s->name, (int)hl, ls);
            return;
        }
    }
    uint64_t pv = 0;
    if (goyaml_parse_uint(port, 10, 16, &pv) < 0 || pv < 1) {
        problem(c, at, f,
                "%s \"%s\": invalid \"listen-stream\" port number \"%s\" (expected "
                "1-65535)",
                pre, s->name, port);
    }
}

static const struct snap_app *find_app(const struct snap_info *info, const char *name) {
    for (size_t i = 0; i < info->napps; i++) {
        if (strcmp(info->apps[i].name, name) == 0) {
            return &info->apps[i];
        }
    }
    return NULL;
}

static void validate_activates_on(struct ctx *c, const struct snap_info *info,
                                  const struct snap_app *a, const struct app_extra *x) {
    char f[300];
    (void)snprintf(f, sizeof(f), "apps.%s.activates-on", a->name);
    const struct sn_ynode *at = app_at(x, "activates-on");
    if (a->activates_on[0] == NULL) {
        return;
    }
    if (!is_service(a)) {
        problem(c, at, f, "activates-on is only applicable to services");
        return;
    }
    for (size_t i = 0; a->activates_on[i] != NULL; i++) {
        const char *sn = a->activates_on[i];
        const struct snap_plugslot *slot = find_kept(info->slots, info->nslots, sn);
        if (slot == NULL) {
            continue; /* not found (reported while binding) or dropped by the sanitizer */
        }
        if (strcmp(slot->iface, "dbus") != 0) {
            problem(c, at, f, "invalid activates-on value \"%s\": slot does not use dbus interface",
                    sn);
            continue;
        }
        const char *bus = attr_string(slot, "bus");
        const char *scope = scope_of(a);
        if ((strcmp(scope, "system") == 0 && (bus == NULL || strcmp(bus, "system") != 0)) ||
            (strcmp(scope, "user") == 0 && (bus == NULL || strcmp(bus, "session") != 0))) {
            problem(c, at, f,
                    "invalid activates-on value \"%s\": bus \"%s\" does not match "
                    "daemon-scope \"%s\"",
                    sn, bus ? bus : "", scope);
            continue;
        }
        for (size_t j = 0; slot->apps[j] != NULL; j++) {
            const struct snap_app *o = find_app(info, slot->apps[j]);
            if (o != NULL && o != a && strv_has(o->activates_on, sn)) {
                problem(c, at, f,
                        "invalid activates-on value \"%s\": slot is also activatable "
                        "on app \"%s\"",
                        sn, o->name);
            }
        }
    }
}

static void validate_order_names(struct ctx *c, const struct snap_info *info,
                                 const struct snap_app *a, const struct app_extra *x,
                                 char *const *deps, const char *key) {
    char f[300];
    (void)snprintf(f, sizeof(f), "apps.%s.%s", a->name, key);
    const struct sn_ynode *at = app_at(x, key);
    if (deps[0] != NULL && !is_service(a)) {
        problem(c, at, f, "must be a service to define before/after ordering");
        return;
    }
    for (size_t i = 0; deps[i] != NULL; i++) {
        const struct snap_app *o = find_app(info, deps[i]);
        if (o == NULL) {
            problem(c, at, f, "before/after references a missing application \"%s\"", deps[i]);
        } else if (!is_service(o)) {
            problem(c, at, f, "before/after references a non-service application \"%s\"", deps[i]);
        } else if (strcmp(scope_of(a), scope_of(o)) != 0) {
            problem(c, at, f,
                    "before/after references service with different daemon-scope "
                    "\"%s\"",
                    deps[i]);
        }
    }
}

static void validate_app(struct ctx *c, const struct snap_info *info, const struct snap_app *a,
                         const struct app_extra *x) {
    char f[300];
#define APPF(key) (snprintf(f, sizeof(f), "apps.%s.%s", a->name, key), f)
    static const char *const daemons[] = {"simple", "forking", "oneshot", "dbus", "notify", NULL};
    if (a->daemon != NULL && !in_list(a->daemon, daemons)) {
        problem(c, app_at(x, "daemon"), APPF("daemon"),
                "\"daemon\" field contains invalid value \"%s\" (expected simple, forking, "
                "oneshot, notify or dbus)",
                a->daemon);
    }
    if (a->daemon_scope != NULL && !is_service(a)) {
        problem(c, app_at(x, "daemon-scope"), APPF("daemon-scope"),
                "\"daemon-scope\" can only be set for daemons");
    }
    if (!snap_valid_app_name(a->name)) {
        (void)snprintf(f, sizeof(f), "apps.%s", a->name);
        problem(c, x->node, "apps",
                "cannot have \"%s\" as app name - use letters, digits, and dash as separator",
                a->name);
    }
    const struct {
        const char *key;
        const char *val;
    } cmds[] = {{"command", a->command},
                {"stop-command", a->stop_command},
                {"reload-command", a->reload_command},
                {"post-stop-command", a->post_stop_command},
                {"bus-name", a->bus_name}};
    for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
        if (cmds[i].val != NULL && !whitelisted(cmds[i].val, true)) {
            problem(c, app_at(x, cmds[i].key), APPF(cmds[i].key),
                    "app description field '%s' contains illegal \"%s\" (legal: "
                    "'^[A-Za-z0-9/. _#:$-]*$')",
                    cmds[i].key, cmds[i].val);
        }
    }
    for (size_t i = 0; a->command_chain[i] != NULL; i++) {
        if (!whitelisted(a->command_chain[i], false)) {
            problem(c, app_at(x, "command-chain"), APPF("command-chain"),
                    "app description field 'command-chain' contains illegal \"%s\" (legal: "
                    "'^[A-Za-z0-9/._#:$-]*$')",
                    a->command_chain[i]);
        }
    }
    if (a->nsockets > 0 && (!strv_has(a->plugs, "network-bind") ||
                            find_kept(info->plugs, info->nplugs, "network-bind") == NULL)) {
        problem(c, app_at(x, "sockets"), APPF("sockets"),
                "\"network-bind\" interface plug is required when sockets are used (add "
                "network-bind to the app's plugs)");
    }
    for (size_t i = 0; i < a->nsockets; i++) {
        validate_socket(c, info, a, x, &a->sockets[i]);
    }
    validate_activates_on(c, info, a, x);
    bool svc = is_service(a);
    static const char *const tnames[] = {"restart-delay", "stop-timeout", "start-timeout",
                                         "watchdog-timeout"};
    const int64_t tvals[] = {a->restart_delay_ns, a->stop_timeout_ns, a->start_timeout_ns,
                             a->watchdog_timeout_ns};
    if (x->timeout_set[0] && !svc) {
        problem(c, x->timeout_at[0], APPF("restart-delay"),
                "restart-delay is only applicable to services");
    }
    for (size_t i = 0; i < 4; i++) {
        if (x->timeout_set[i] && svc && tvals[i] < 0) {
            problem(c, x->timeout_at[i], APPF(tnames[i]), "%s cannot be negative", tnames[i]);
        }
    }
    if (a->restart_condition != NULL && !svc) {
        problem(c, x->restart_at, APPF("restart-condition"),
                "restart-condition is only applicable to services");
    }
    validate_order_names(c, info, a, x, a->before, "before");
    validate_order_names(c, info, a, x, a->after, "after");
    for (size_t i = 1; i < 4; i++) {
        if (x->timeout_set[i] && !svc) {
            problem(c, x->timeout_at[i], APPF(tnames[i]), "%s is only applicable to services",
                    tnames[i]);
        }
    }
    static const char *const stopmodes[] = {"sigterm", "sigterm-all", "sighup",  "sighup-all",
                                            "sigusr1", "sigusr1-all", "sigusr2", "sigusr2-all",
                                            "sigint",  "sigint-all",  NULL};
    if (a->stop_mode != NULL && !in_list(a->stop_mode, stopmodes)) {
        problem(c, app_at(x, "stop-mode"), APPF("stop-mode"),
                "\"stop-mode\" field contains invalid value \"%s\" (expected sigterm, sighup, "
                "sigusr1, sigusr2 or sigint, optionally with -all)",
                a->stop_mode);
    }
    static const char *const refreshmodes[] = {"endure", "restart", "ignore-running", NULL};
    if (a->refresh_mode != NULL && !in_list(a->refresh_mode, refreshmodes)) {
        problem(c, app_at(x, "refresh-mode"), APPF("refresh-mode"),
                "\"refresh-mode\" field contains invalid value \"%s\" (expected endure or "
                "restart, or ignore-running for non-services)",
                a->refresh_mode);
    }
    static const char *const installmodes[] = {"enable", "disable", NULL};
    if (a->install_mode != NULL && !in_list(a->install_mode, installmodes)) {
        problem(c, app_at(x, "install-mode"), APPF("install-mode"),
                "\"install-mode\" field contains invalid value \"%s\" (expected enable or "
                "disable)",
                a->install_mode);
    }
    if (a->stop_mode != NULL && !svc) {
        problem(c, app_at(x, "stop-mode"), APPF("stop-mode"),
                "\"stop-mode\" cannot be used for \"%s\", only for services", a->name);
    }
    if (a->refresh_mode != NULL) {
        bool ignore = strcmp(a->refresh_mode, "ignore-running") == 0;
        if (svc && ignore) {
            problem(c, app_at(x, "refresh-mode"), APPF("refresh-mode"),
                    "\"refresh-mode\" cannot be set to \"ignore-running\" for services");
        } else if (!svc && !ignore) {
            problem(c, app_at(x, "refresh-mode"), APPF("refresh-mode"),
                    "\"refresh-mode\" for app \"%s\" can only have value \"ignore-running\"",
                    a->name);
        }
    }
    if (a->install_mode != NULL && !svc) {
        problem(c, app_at(x, "install-mode"), APPF("install-mode"),
                "\"install-mode\" cannot be used for \"%s\", only for services", a->name);
    }
    if (a->timer != NULL) {
        if (!svc) {
            problem(c, app_at(x, "timer"), APPF("timer"), "timer is only applicable to services");
        } else {
            char why[256] = "";
            if (snap_validate_timer(a->timer, why, sizeof(why)) < 0) {
                problem(c, app_at(x, "timer"), APPF("timer"), "timer has invalid format: %s", why);
            }
        }
    }
#undef APPF
}

/* index of the app called name among the sorted (name, index) pairs, or -1 */
static long app_index(const struct keyidx *byname, size_t n, const char *name) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(byname[mid].key, name);
        if (r == 0) {
            return (long)byname[mid].idx;
        }
        if (r < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return -1;
}

/* snap.SortServices: Kahn's algorithm over the before/after edges between services */
static void validate_cycles(struct ctx *c, const struct sn_ynode *at,
                            const struct snap_info *info) {
    size_t n = info->napps;
    if (n == 0) {
        return;
    }
    SN_AUTOFREE struct keyidx *byname = xcalloc(n, sizeof(*byname));
    for (size_t i = 0; i < n; i++) {
        byname[i] = (struct keyidx){info->apps[i].name, i};
    }
    qsort(byname, n, sizeof(*byname), cmp_keyidx);
    /* edges from -> to, as (from, to) pairs */
    size_t nedges = 0, cap = 0;
    SN_AUTOFREE size_t *from = NULL;
    SN_AUTOFREE size_t *to = NULL;
    SN_AUTOFREE size_t *pred = xcalloc(n, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        const struct snap_app *a = &info->apps[i];
        if (!is_service(a)) {
            continue;
        }
        for (int side = 0; side < 2; side++) {
            char *const *deps = side == 0 ? a->after : a->before;
            for (size_t k = 0; deps[k] != NULL; k++) {
                long o = app_index(byname, n, deps[k]);
                if (o < 0 || !is_service(&info->apps[o])) {
                    continue;
                }
                if (nedges == cap) {
                    cap = cap ? cap * 2 : 16;
                    from = xrealloc(from, cap * sizeof(*from));
                    to = xrealloc(to, cap * sizeof(*to));
                }
                from[nedges] = side == 0 ? (size_t)o : i;
                to[nedges] = side == 0 ? i : (size_t)o;
                pred[to[nedges]]++;
                nedges++;
            }
        }
    }
    /* successors grouped by source (counting sort) */
    SN_AUTOFREE size_t *start = xcalloc(n + 1, sizeof(size_t));
    SN_AUTOFREE size_t *succ = xcalloc(nedges + 1, sizeof(size_t));
    for (size_t e = 0; e < nedges; e++) {
        start[from[e] + 1]++;
    }
    for (size_t i = 0; i < n; i++) {
        start[i + 1] += start[i];
    }
    SN_AUTOFREE size_t *fill = xcalloc(n + 1, sizeof(size_t));
    for (size_t e = 0; e < nedges; e++) {
        succ[start[from[e]] + fill[from[e]]++] = to[e];
    }
    SN_AUTOFREE size_t *queue = xcalloc(n, sizeof(size_t));
    SN_AUTOFREE bool *done = xcalloc(n, sizeof(bool));
    size_t qh = 0, qt = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_service(&info->apps[i])) {
            done[i] = true;
        } else if (pred[i] == 0) {
            queue[qt++] = i;
            done[i] = true;
        }
    }
    while (qh < qt) {
        size_t i = queue[qh++];
        for (size_t e = start[i]; e < start[i + 1]; e++) {
            size_t j = succ[e];
            if (--pred[j] == 0 && !done[j]) {
                done[j] = true;
                queue[qt++] = j;
            }
        }
    }
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (!done[i]) {
            sn_strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", info->apps[i].name);
        }
    }
    if (sb.len > 0) {
        problem(c, at, "apps", "applications are part of a before/after cycle: %s", sb.buf);
    }
}

/* $SNAP, $SNAP_DATA, $SNAP_COMMON as snapd expands them in layouts (os.Expand; other
 * variables become "") */
static char *expand_snap_vars(const char *path, const char *name) {
    SN_AUTOSTRBUF struct sn_strbuf sb = SN_STRBUF_INIT;
    size_t n = strlen(path);
    for (size_t j = 0; j < n; j++) {
        if (path[j] != '$' || j + 1 >= n) {
            sn_strbuf_addch(&sb, path[j]);
            continue;
        }
        const char *s = path + j + 1;
        size_t sl = n - j - 1;
        char var[128] = "";
        size_t w = 0;
        if (s[0] == '{') {
            if (sl > 2 && strchr("*#$@!?-0123456789", s[1]) && s[2] == '}') {
                var[0] = s[1];
                var[1] = '\0';
                w = 3;
            } else {
                const char *close = memchr(s, '}', sl);
                if (close == NULL) {
                    w = 1; /* bad syntax: eat "${" */
                } else if (close == s + 1) {
                    w = 2; /* bad syntax: eat "${}" */
                } else {
                    size_t vl = (size_t)(close - s - 1);
                    (void)snprintf(var, sizeof(var), "%.*s", (int)vl, s + 1);
                    w = vl + 2;
                }
            }
        } else if (strchr("*#$@!?-0123456789", s[0]) != NULL) {
            var[0] = s[0];
            var[1] = '\0';
            w = 1;
        } else {
            while (w < sl && (is_alnum((unsigned char)s[w]) || s[w] == '_')) {
                w++;
            }
            (void)snprintf(var, sizeof(var), "%.*s", (int)w, s);
            if (w == 0) {
                sn_strbuf_addch(&sb, '$'); /* "$" not followed by a name stays */
            }
        }
        if (strcmp(var, "SNAP") == 0) {
            sn_strbuf_addf(&sb, "/snap/%s/unset", name);
        } else if (strcmp(var, "SNAP_DATA") == 0) {
            sn_strbuf_addf(&sb, "/var/snap/%s/unset", name);
        } else if (strcmp(var, "SNAP_COMMON") == 0) {
            sn_strbuf_addf(&sb, "/var/snap/%s/common", name);
        }
        j += w;
    }
    return sn_strbuf_detach(&sb, NULL);
}

/* ValidatePathVariables: only $SNAP, $SNAP_DATA and $SNAP_COMMON; writes the bad one */
static bool path_vars_ok(const char *p, char *bad, size_t badlen) {
    while ((p = strchr(p, '$')) != NULL) {
        p++;
        size_t e = 0;
        while ((p[e] >= 'a' && p[e] <= 'z') || (p[e] >= 'A' && p[e] <= 'Z') || p[e] == '_') {
            e++;
        }
        bool known = (e == 4 && strncmp(p, "SNAP", 4) == 0) ||
                     (e == 9 && strncmp(p, "SNAP_DATA", 9) == 0) ||
                     (e == 11 && strncmp(p, "SNAP_COMMON", 11) == 0);
        if (!known) {
            (void)snprintf(bad, badlen, "$%.*s", (int)e, p);
            return false;
        }
        p += e;
    }
    return true;
}

/* (IsAbs || starts with $) && Clean(p) == p */
static bool abs_and_clean(const char *p) {
    return (p[0] == '/' || p[0] == '$') && is_clean(p);
}

/* apparmor.ValidateNoAppArmorRegexp (\x01 stands for a NUL, see scalar_text) */
static bool has_aare(const char *s) {
    return strpbrk(s, "?*[]{}^\"\x01") != NULL;
}

static int cmp_layout(const void *a, const void *b) {
    const struct layout_raw *const *x = a, *const *y = b;
    return strcmp((*x)->path, (*y)->path);
}

static bool under(const char *path, const char *top) {
    size_t n = strlen(top);
    return strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void validate_layouts(struct ctx *c, const struct snap_info *info, struct parse *P) {
    const char *name = info->name ? info->name : "";
    size_t n = P->nlayouts;
    if (n == 0) {
        return;
    }
    SN_AUTOFREE char *snap_dir = expand_snap_vars("$SNAP", name);
    SN_AUTOFREE char *data_dir = expand_snap_vars("$SNAP_DATA", name);
    SN_AUTOFREE char *common_dir = expand_snap_vars("$SNAP_COMMON", name);
    static const char *const tops[] = {"bin", "etc", "lib",  "lib64",    "meta",
                                       "mnt", "opt", "root", "sbin",     "snap",
                                       "srv", "usr", "var",  "writable", NULL};
    /* 1. no new top-level directories, no relative paths */
    for (size_t i = 0; i < n; i++) {
        const struct layout_raw *l = &P->layouts[i];
        char f[300];
        (void)snprintf(f, sizeof(f), "layout.%s", l->path);
        SN_AUTOFREE char *clean = sn_path_clean(l->path);
        SN_AUTOFREE char *src = expand_snap_vars(clean, name);
        if (has_aare(l->path)) {
            problem(c, l->at, f,
                    "invalid layout path: \"%s\" contains a reserved apparmor char "
                    "from ?*[]{}^\"",
                    l->path);
            continue;
        }
        const char *slash = strchr(src, '/');
        if (slash == NULL) {
            continue; /* relative single element or empty: checked below */
        }
        if (slash != src) {
            problem(c, l->at, f,
                    "layout \"%s\" is a relative filename (expected an absolute path "
                    "or one starting with $SNAP, $SNAP_DATA or $SNAP_COMMON)",
                    l->path);
            continue;
        }
        const char *e1 = slash + 1;
        size_t e1l = strcspn(e1, "/");
        if (e1l == 0) {
            continue;
        }
        SN_AUTOFREE char *top = xstrndup(e1, e1l);
        if (!in_list(top, tops)) {
            problem(c, l->at, f,
                    "layout \"%s\" defines a new top-level directory \"/%s\" "
                    "(expected a path under /bin, /etc, /lib, /lib64, /meta, /mnt, /opt, /root, "
                    "/sbin, /snap, /srv, /usr, /var or /writable)",
                    l->path, top);
        }
    }
    SN_AUTOFREE const struct layout_raw **sorted = xcalloc(n, sizeof(*sorted));
    for (size_t i = 0; i < n; i++) {
        sorted[i] = &P->layouts[i];
    }
    qsort(sorted, n, sizeof(*sorted), cmp_layout);
    /* 2. a source is either a directory (bind) or a file (bind-file) */
    for (size_t i = 0; i < n; i++) {
        const struct layout_raw *l = sorted[i];
        char f[300];
        (void)snprintf(f, sizeof(f), "layout.%s", l->path);
        for (int kind = 0; kind < 2; kind++) {
            const char *mine = kind == 0 ? l->bind : l->bind_file;
            if (mine == NULL) {
                continue;
            }
            SN_AUTOFREE char *src = expand_snap_vars(mine, name);
            for (size_t j = 0; j < i; j++) {
                const char *other = kind == 0 ? sorted[j]->bind_file : sorted[j]->bind;
                SN_AUTOFREE char *osrc = other ? expand_snap_vars(other, name) : NULL;
                if (osrc != NULL && strcmp(osrc, src) == 0) {
                    problem(c, l->at, f,
                            kind == 0 ? "layout \"%s\" refers to directory \"%s\" but another "
                                        "layout treats it as file"
                                      : "layout \"%s\" refers to file \"%s\" but another layout "
                                        "treats it as a directory",
                            l->path, mine);
                    break;
                }
            }
        }
    }
    /* 3. not in another snap's space */
    SN_AUTOFREE char *mine = xasprintf("/snap/%s", name);
    for (size_t i = 0; i < n; i++) {
        const struct layout_raw *l = sorted[i];
        if (has_prefix(l->path, "/snap/") && !has_prefix(l->path, mine)) {
            char f[300];
            (void)snprintf(f, sizeof(f), "layout.%s", l->path);
            problem(c, l->at, f,
                    "layout \"%s\" defines a layout in space belonging to another "
                    "snap",
                    l->path);
        }
    }
    /* 4. each layout, with the ones before it as constraints */
    static const char *const rejected[] = {
        "/dev",         "/proc",     "/sys",           "/media",
        "/run",         "/tmp",      "/var/lib/snapd", "/lib/firmware",
        "/lib/modules", "/var/snap", "/home",          "/boot",
        "/lost+found",  NULL};
    SN_AUTOSTRV char **prior = strv_empty();
    for (size_t i = 0; i < n; i++) {
        const struct layout_raw *l = sorted[i];
        char f[300], bad[140];
        (void)snprintf(f, sizeof(f), "layout.%s", l->path);
        SN_AUTOFREE char *mp = expand_snap_vars(l->path, name);
        bool ok = false;
        if (l->path[0] == '\0') {
            problem(c, l->at, "layout", "layout cannot use an empty path");
        } else if (!path_vars_ok(l->path, bad, sizeof(bad))) {
            problem(c, l->at, f,
                    "layout \"%s\" uses invalid mount point: reference to unknown "
                    "variable \"%s\" (expected $SNAP, $SNAP_DATA or $SNAP_COMMON)",
                    l->path, bad);
        } else if (!abs_and_clean(mp)) {
            problem(c, l->at, f,
                    "layout \"%s\" uses invalid mount point: must be absolute and "
                    "clean",
                    l->path);
        } else {
            ok = true;
            for (size_t r = 0; rejected[r] != NULL && ok; r++) {
                if (under(mp, rejected[r])) {
                    problem(c, l->at, f, "layout \"%s\" in an off-limits area (%s)", l->path,
                            rejected[r]);
                    ok = false;
                }
            }
            for (size_t r = 0; prior[r] != NULL && ok; r++) {
                if (under(mp, prior[r])) {
                    problem(c, l->at, f, "layout \"%s\" underneath prior layout item \"%s\"",
                            l->path, prior[r]);
                    ok = false;
                }
            }
        }
        if (ok) {
            int nused = (l->bind != NULL) + (l->bind_file != NULL) + (l->type != NULL) +
                        (l->symlink != NULL);
            if (nused != 1) {
                problem(c, l->at, f,
                        "layout \"%s\" must define a bind mount, a filesystem mount "
                        "or a symlink (exactly one of bind, bind-file, type, symlink)",
                        l->path);
                ok = false;
            }
        }
        for (int kind = 0; ok && kind < 2; kind++) {
            const char *src = kind == 0 ? (l->bind ? l->bind : l->bind_file) : l->symlink;
            if (src == NULL) {
                continue;
            }
            const char *what = kind == 0 ? "bind mount source" : "symlink old name";
            SN_AUTOFREE char *exp = expand_snap_vars(src, name);
            if (!path_vars_ok(src, bad, sizeof(bad))) {
                problem(c, l->at, f,
                        "layout \"%s\" uses invalid %s \"%s\": reference to unknown "
                        "variable \"%s\"",
                        l->path, what, src, bad);
            } else if (!abs_and_clean(exp)) {
                problem(c, l->at, f,
                        "layout \"%s\" uses invalid %s \"%s\": must be absolute and "
                        "clean",
                        l->path, what, exp);
            } else if (!has_prefix(exp, snap_dir) && !has_prefix(exp, data_dir) &&
                       !has_prefix(exp, common_dir)) {
                problem(c, l->at, f,
                        "layout \"%s\" uses invalid %s \"%s\": must start with $SNAP, "
                        "$SNAP_DATA or $SNAP_COMMON",
                        l->path, what, exp);
            } else if (has_aare(exp)) {
                problem(c, l->at, f,
                        "layout \"%s\" uses invalid %s: \"%s\" contains a reserved "
                        "apparmor char from ?*[]{}^\"",
                        l->path, kind == 0 ? "mount source" : "symlink", exp);
            } else {
                continue;
            }
            ok = false;
        }
        if (ok && l->type != NULL && strcmp(l->type, "tmpfs") != 0) {
            problem(c, l->at, f, "layout \"%s\" uses invalid filesystem \"%s\" (expected tmpfs)",
                    l->path, l->type);
            ok = false;
        }
        if (ok && l->user != NULL && strcmp(l->user, "root") != 0) {
            problem(c, l->at, f, "layout \"%s\" uses invalid user \"%s\" (expected root)", l->path,
                    l->user);
            ok = false;
        }
        if (ok && l->group != NULL && strcmp(l->group, "root") != 0) {
            problem(c, l->at, f, "layout \"%s\" uses invalid group \"%s\" (expected root)", l->path,
                    l->group);
            ok = false;
        }
        if (ok && (l->mode_val & 01777) != l->mode_val) {
            problem(c, l->at, f,
                    "layout \"%s\" uses invalid mode 0%o (expected permission bits "
                    "and the sticky bit only)",
                    l->path, l->mode_val);
        }
        prior = strv_push(prior, mp);
    }
}

/* (string, app index, position) triples sorted by string then position, for the
 * "used twice" checks */
struct owner {
    const char *key;
    size_t app, pos;
};

static int cmp_owner(const void *a, const void *b) {
    const struct owner *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    if (r != 0) {
        return r;
    }
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void validate_aliases(struct ctx *c, const struct snap_info *info, struct parse *P) {
    size_t n = 0;
    for (size_t i = 0; i < info->napps; i++) {
        n += strv_len(info->apps[i].aliases);
    }
    SN_AUTOFREE struct owner *v = xcalloc(n + 1, sizeof(*v));
    size_t k = 0;
    for (size_t i = 0; i < info->napps; i++) {
        const struct snap_app *a = &info->apps[i];
        char f[300];
        (void)snprintf(f, sizeof(f), "apps.%s.aliases", a->name);
        for (size_t j = 0; a->aliases[j] != NULL; j++, k++) {
            v[k] = (struct owner){a->aliases[j], i, k};
            if (!valid_alias(a->aliases[j])) {
                problem(c, app_at(&P->ax[i], "aliases"), f,
                        "cannot have \"%s\" as alias name for app \"%s\" - use only letters, "
                        "digits, dash, underscore and dot characters",
                        a->aliases[j], a->name);
            }
        }
    }
    qsort(v, n, sizeof(*v), cmp_owner);
    for (size_t i = 0; i + 1 < n; i++) {
        if (strcmp(v[i].key, v[i + 1].key) == 0) {
            const struct snap_app *a = &info->apps[v[i + 1].app];
            char f[300];
            (void)snprintf(f, sizeof(f), "apps.%s.aliases", a->name);
            problem(c, app_at(&P->ax[v[i + 1].app], "aliases"), f,
                    "cannot set \"%s\" as alias for both \"%s\" and \"%s\"", v[i].key,
                    info->apps[v[i].app].name, a->name);
        }
    }
}

static void validate_common_ids(struct ctx *c, const struct snap_info *info, struct parse *P) {
    SN_AUTOFREE struct owner *v = xcalloc(info->napps + 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < info->napps; i++) {
        if (info->apps[i].common_id != NULL) {
            v[n] = (struct owner){info->apps[i].common_id, i, n};
            n++;
        }
    }
    qsort(v, n, sizeof(*v), cmp_owner);
    for (size_t i = 0; i + 1 < n; i++) {
        if (strcmp(v[i].key, v[i + 1].key) == 0) {
            const struct snap_app *a = &info->apps[v[i + 1].app];
            char f[300];
            (void)snprintf(f, sizeof(f), "apps.%s.common-id", a->name);
            problem(c, app_at(&P->ax[v[i + 1].app], "common-id"), f,
                    "application \"%s\" common-id \"%s\" must be unique, already used by "
                    "application \"%s\"",
                    a->name, a->common_id, info->apps[v[i].app].name);
        }
    }
}

static void validate(struct ctx *c, const struct sn_ynode *root, struct snap_info *info,
                     struct parse *P) {
    const char *why;
    if (info->name == NULL) {
        problem(c, root, "name",
                "snap name cannot be empty (expected lower case letters, digits "
                "and dashes)");
    } else if (snap_name_problem(info->name) != NULL) {
        problem(c, at_key(P, root, "name"), "name",
                "invalid snap name: \"%s\" (%s; 2 to 40 characters)", info->name,
                snap_name_problem(info->name));
    }
    if (info->provenance != NULL) {
        if (strcmp(info->provenance, "global-upload") == 0) {
            problem(c, at_key(P, root, "provenance"), "provenance",
                    "provenance cannot be set to default (global-upload) explicitly");
        } else if (!snap_valid_app_name(info->provenance)) {
            problem(c, at_key(P, root, "provenance"), "provenance", "invalid provenance: \"%s\"",
                    info->provenance);
        }
    }
    size_t r;
    if (info->title != NULL && (r = utf8_runes(info->title)) > 40) {
        problem(c, at_key(P, root, "title"), "title", "title can have up to 40 codepoints, got %zu",
                r);
    }
    if (info->description != NULL && (r = utf8_runes(info->description)) > 4096) {
        problem(c, at_key(P, root, "description"), "description",
                "description can have up to 4096 codepoints, got %zu", r);
    }
    if (info->version == NULL) {
        problem(c, root, "version", "invalid snap version: cannot be empty");
    } else if ((why = snap_version_problem(info->version)) != NULL) {
        SN_AUTOSTRBUF struct sn_strbuf q = SN_STRBUF_INIT;
        for (const unsigned char *p = (const unsigned char *)info->version; *p; p++) {
            if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\') {
                sn_strbuf_addf(&q, "\\x%02x", *p);
            } else {
                sn_strbuf_addch(&q, (char)*p);
            }
        }
        problem(c, at_key(P, root, "version"), "version",
                "invalid snap version \"%s\": %s (expected up to 32 of a-z A-Z 0-9 : . + ~ -, "
                "starting with a letter or digit and ending with one or + or ~)",
                q.buf, why);
    }
    if (info->license != NULL) {
        char lwhy[256] = "";
        if (snap_spdx_validate(info->license, lwhy, sizeof(lwhy)) < 0) {
            problem(c, at_key(P, root, "license"), "license",
                    "cannot validate license \"%s\": %s (expected an SPDX expression)",
                    info->license, lwhy);
        }
    }
    for (size_t i = 0; i < info->napps; i++) {
        validate_app(c, info, &info->apps[i], &P->ax[i]);
    }
    validate_cycles(c, at_key(P, root, "apps"), info);
    validate_aliases(c, info, P);
    for (size_t i = 0; i < info->nhooks; i++) {
        const struct snap_hook *h = &info->hooks[i];
        char f[300];
        (void)snprintf(f, sizeof(f), "hooks.%s", h->name);
        if (!snap_valid_hook_name(h->name)) {
            problem(c, at_key(P, root, "hooks"), "hooks", "invalid hook name: \"%s\"", h->name);
        }
        for (size_t j = 0; h->command_chain[j] != NULL; j++) {
            if (!whitelisted(h->command_chain[j], false)) {
                problem(c, at_key(P, root, "hooks"), f,
                        "hook command-chain contains illegal \"%s\" (legal: "
                        "'^[A-Za-z0-9/._#:$-]*$')",
                        h->command_chain[j]);
            }
        }
    }
    for (size_t i = 0; i < info->nplugs; i++) {
        if (!info->plugs[i].dropped &&
            find_kept(info->slots, info->nslots, info->plugs[i].name) != NULL) {
            problem(c, at_key(P, root, "slots"), "plugs",
                    "cannot have plug and slot with the same name: \"%s\"", info->plugs[i].name);
        }
    }
    /* base */
    const char *base = info->base;
    if ((info->type == SNAP_TYPE_OS || info->type == SNAP_TYPE_BASE) && base != NULL &&
        strcmp(base, "none") != 0) {
        problem(c, at_key(P, root, "base"), "base",
                "cannot have \"base\" field on \"%s\" snap \"%s\"", snap_type_str(info->type),
                info->name ? info->name : "");
    }
    if (base != NULL && strcmp(base, "none") == 0 && (info->nhooks > 0 || info->napps > 0)) {
        problem(c, at_key(P, root, "base"), "base", "cannot have apps or hooks with base \"none\"");
    }
    if (base != NULL) {
        const char *us = strchr(base, '_');
        SN_AUTOFREE char *bname = us ? xstrndup(base, (size_t)(us - base)) : xstrdup(base);
        if (us != NULL && us[1] != '\0') {
            problem(c, at_key(P, root, "base"), "base",
                    "base cannot specify a snap instance name: \"%s\"", base);
        } else if (snap_name_problem(bname) != NULL) {
            problem(c, at_key(P, root, "base"), "base",
                    "invalid base name: invalid snap name: \"%s\" (%s)", bname,
                    snap_name_problem(bname));
        }
    }
    validate_links(c, P->links, P->nlinks);
    validate_common_ids(c, info, P);
    validate_layouts(c, info, P);
}

/* The public layout list, from layouts that passed validation */
static void layouts_to_info(struct snap_info *info, struct parse *P) {
    info->layouts = xcalloc(P->nlayouts + 1, sizeof(*info->layouts));
    for (size_t i = 0; i < P->nlayouts; i++) {
        struct layout_raw *r = &P->layouts[i];
        struct snap_layout *l = &info->layouts[info->nlayouts++];
        l->path = xstrdup(r->path);
        if (r->bind != NULL) {
            l->kind = SNAP_LAYOUT_BIND;
            l->target = xstrdup(r->bind);
        } else if (r->bind_file != NULL) {
            l->kind = SNAP_LAYOUT_BIND_FILE;
            l->target = xstrdup(r->bind_file);
        } else if (r->symlink != NULL) {
            l->kind = SNAP_LAYOUT_SYMLINK;
            l->target = xstrdup(r->symlink);
        } else {
            l->kind = SNAP_LAYOUT_TMPFS;
        }
        l->user = r->user ? xstrdup(r->user) : NULL;
        l->group = r->group ? xstrdup(r->group) : NULL;
        l->mode = r->mode_val;
    }
}

/* ---- entry points ---- */

int snap_yaml_parse(const char *data, size_t len, const char *fname, struct snap_info **out,
                    struct snap_problems *probs, struct sn_err *err) {
    struct ctx c = {.file = fname, .probs = probs};
    if (len > SNAP_YAML_MAX_SIZE) {
        problem(&c, NULL, "snap.yaml", "file is %zu bytes, larger than the 1 MiB limit", len);
        return sn_err_set(err, -EFBIG, "%s", c.first);
    }
    struct sn_ydoc *doc = NULL;
    struct sn_err yerr = SN_ERR_INIT;
    if (goyaml_parse(data, len, fname, &doc, &yerr) < 0) {
        if (probs != NULL) {
            snap_problems_add(probs, "%s", yerr.msg);
        }
        return sn_err_set(err, yerr.code, "%s", yerr.msg);
    }
    struct snap_info *info = xcalloc(1, sizeof(*info));
    info->doc = doc;
    info->file = xstrdup(fname);
    struct parse P = {{NULL, 0}, NULL, NULL, 0, NULL, 0, 0, 0, NULL, NULL};
    const struct sn_ynode *root = doc->root;
    bool decoded = true;
    if (root != NULL && !goyaml_is_null(root) && root->kind != SN_Y_MAP) {
        type_problem(&c, root, "snap.yaml", "a map of snap.yaml fields at the top level");
        decoded = false;
    } else if (root != NULL && root->kind == SN_Y_MAP) {
        decoded = decode(&c, root, info, &P);
    }
    if (info->epoch == NULL) {
        info->epoch = xstrdup("0");
    }
    if (info->architectures == NULL || info->architectures[0] == NULL) {
        set_strv(&info->architectures, strv_push(NULL, "all"));
    }
    if (info->assumes == NULL) {
        info->assumes = strv_empty();
    }
    if (info->apps == NULL) {
        info->apps = xcalloc(1, sizeof(*info->apps));
    }
    if (info->name != NULL && strcmp(info->name, "snapd") == 0) {
        info->type = SNAP_TYPE_SNAPD;
    }
    if (decoded) {
        bind_all(&c, root, info, &P);
        if (c.nprobs == 0) {
            sanitize(info);
            validate(&c, root, info, &P);
        }
        if (c.nprobs == 0) {
            layouts_to_info(info, &P);
        }
    }
    if (info->bad_interfaces == NULL) {
        info->bad_interfaces = strv_empty();
    }
    parse_release(&P);
    if (c.nprobs > 0) {
        snap_info_free(info);
        return sn_err_set(err, -EINVAL, "%s", c.first);
    }
    *out = info;
    return 0;
}

void snap_info_free(struct snap_info *info) {
    if (info == NULL) {
        return;
    }
    free(info->name);
    free(info->version);
    free(info->summary);
    free(info->description);
    free(info->title);
    free(info->license);
    free(info->base);
    free(info->provenance);
    free(info->epoch);
    sn_strv_free(info->architectures);
    sn_strv_free(info->assumes);
    for (size_t i = 0; i < info->napps; i++) {
        app_release(&info->apps[i]);
    }
    free(info->apps);
    for (size_t i = 0; i < info->nhooks; i++) {
        hook_release(&info->hooks[i]);
    }
    free(info->hooks);
    for (size_t i = 0; i < info->nplugs; i++) {
        plugslot_release(&info->plugs[i]);
    }
    free(info->plugs);
    for (size_t i = 0; i < info->nslots; i++) {
        plugslot_release(&info->slots[i]);
    }
    free(info->slots);
    for (size_t i = 0; i < info->nlayouts; i++) {
        free(info->layouts[i].path);
        free(info->layouts[i].target);
        free(info->layouts[i].user);
        free(info->layouts[i].group);
    }
    free(info->layouts);
    env_release(&info->env);
    sn_strv_free(info->bad_interfaces);
    sn_ydoc_free(info->doc);
    free(info->file);
    free(info);
}

char *snap_pack_filename(const struct snap_info *info) {
    const char *arch = info->architectures[0];
    if (info->architectures[0] != NULL && info->architectures[1] != NULL) {
        arch = "multi";
    }
    return xasprintf("%s_%s_%s.snap", info->name, info->version, arch ? arch : "all");
}

void snap_info_add_implicit_hooks(struct snap_info *info, char *const *names) {
    for (size_t i = 0; names != NULL && names[i] != NULL; i++) {
        const char *name = names[i];
        bool known = false;
        for (size_t j = 0; j < info->nhooks && !known; j++) {
            known = strcmp(info->hooks[j].name, name) == 0;
        }
        if (known || !snap_hook_type_supported(name)) {
            continue;
        }
        info->hooks = xrealloc(info->hooks, (info->nhooks + 1) * sizeof(*info->hooks));
        struct snap_hook *h = &info->hooks[info->nhooks++];
        memset(h, 0, sizeof(*h));
        h->name = xstrdup(name);
        h->implicit = true;
        h->command_chain = strv_empty();
        h->plugs = strv_empty();
        h->slots = strv_empty();
        for (size_t j = 0; j < info->nplugs; j++) {
            if (info->plugs[j].unscoped) {
                h->plugs = strv_push(h->plugs, info->plugs[j].name);
                info->plugs[j].hooks = strv_push(info->plugs[j].hooks, name);
            }
        }
        for (size_t j = 0; j < info->nslots; j++) {
            if (info->slots[j].unscoped) {
                h->slots = strv_push(h->slots, info->slots[j].name);
                info->slots[j].hooks = strv_push(info->slots[j].hooks, name);
            }
        }
    }
}

const struct snap_app *snap_info_app(const struct snap_info *info, const char *name) {
    return find_app(info, name);
}

const struct snap_plugslot *snap_info_plug(const struct snap_info *info, const char *name) {
    return find_ps(info->plugs, info->nplugs, name);
}

const struct snap_plugslot *snap_info_slot(const struct snap_info *info, const char *name) {
    return find_ps(info->slots, info->nslots, name);
}
