/* SPDX-License-Identifier: GPL-3.0-only */
#define _GNU_SOURCE
#include "seccomp-src.h"

#include <errno.h>
#include <grp.h>
#include <linux/filter.h>
#include <pwd.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"
#include "seccomp-blob.h"
#include "strbuf.h"
#include "xalloc.h"

#include "banned.h"

SN_DEFINE_CLEANUP(scmp_filter_ctx, seccomp_release)

#define LINE_MAX_LEN 1024

static int lerr(struct sn_err *err, int line, const char *fmt, const char *what) {
    char msg[300];
    (void)snprintf(msg, sizeof(msg), fmt, what);
    return sn_err_set(err, -EINVAL, "seccomp source line %d: %s", line, msg);
}

/* decimal, 0xHEX, -N (32-bit two's complement) or a constant */
static bool parse_value(const char *s, uint64_t *out) {
    if (s[0] == '\0') {
        return false;
    }
    if (sc_constant(s, out)) {
        return true;
    }
    bool neg = s[0] == '-';
    const char *p = neg ? s + 1 : s;
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && p[1] != '\0') {
        return false; /* no octal ambiguity */
    }
    if (*p == '\0' ||
        strspn(p, base == 16 ? "0123456789abcdefABCDEF" : "0123456789") != strlen(p)) {
        return false;
    }
    errno = 0;
    unsigned long long v = strtoull(p, NULL, base);
    if (errno != 0) {
        return false;
    }
    if (neg) {
        if (v == 0 || v > 0x80000000ULL) {
            return false;
        }
        *out = (uint64_t)(uint32_t)(-(int64_t)v);
        return true;
    }
    *out = v;
    return true;
}

static bool parse_id(const char *s, uint64_t *out) {
    bool user = s[0] == 'u';
    const char *name = s + 2;
    if (strcmp(name, "root") == 0) {
        *out = 0;
        return true;
    }
    if (user) {
        struct passwd *pw = getpwnam(name);
        if (pw != NULL) {
            *out = pw->pw_uid;
            return true;
        }
    } else {
        struct group *gr = getgrnam(name);
        if (gr != NULL) {
            *out = gr->gr_gid;
            return true;
        }
    }
    /* snapd's fixed system users exist even where the host passwd lacks them */
    if (strcmp(name, "snap_daemon") == 0) {
        *out = 584788;
        return true;
    }
    return false;
}

static int parse_arg(const char *tok, struct sc_arg *a, int line, struct sn_err *err) {
    memset(a, 0, sizeof(*a));
    if (strcmp(tok, "-") == 0) {
        a->op = SC_ANY;
        return 0;
    }
    if (strncmp(tok, "u:", 2) == 0 || strncmp(tok, "g:", 2) == 0) {
        a->op = SC_EQ;
        if (!parse_id(tok, &a->value)) {
            return lerr(err, line, "unknown user or group '%s'", tok);
        }
        return 0;
    }
    struct {
        const char *pre;
        enum sc_op op;
    } ops[] = {{">=", SC_GE}, {"<=", SC_LE}, {">", SC_GT},
               {"<", SC_LT},  {"!", SC_NE},  {"|", SC_MASKED_EQ}};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t pl = strlen(ops[i].pre);
        if (strncmp(tok, ops[i].pre, pl) == 0) {
            a->op = ops[i].op;
            if (!parse_value(tok + pl, &a->value)) {
                return lerr(err, line, "invalid argument '%s'", tok);
            }
            a->mask = a->value;
            return 0;
        }
    }
    const char *bar = strchr(tok, '|');
    if (bar != NULL) { /* V|M */
        SN_AUTOFREE char *v = xstrndup(tok, (size_t)(bar - tok));
        a->op = SC_MASKED_EQ;
        if (!parse_value(v, &a->value) || !parse_value(bar + 1, &a->mask)) {
            return lerr(err, line, "invalid argument '%s'", tok);
        }
        return 0;
    }
    a->op = SC_EQ;
    if (!parse_value(tok, &a->value)) {
        return lerr(err, line, "invalid argument '%s'", tok);
    }
    return 0;
}

static int parse_line(char *s, int line, struct sc_src *out, struct sn_err *err) {
    char *tok[SC_MAX_ARGS + 2];
    int n = 0;
    s += strspn(s, " \t");
    if (s[0] == '#') {
        return 0;
    }
    for (char *save = NULL, *t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (n == SC_MAX_ARGS + 1) {
            return lerr(err, line, "too many arguments%s", "");
        }
        tok[n++] = t;
    }
    if (n == 0) {
        return 0;
    }
    if (tok[0][0] == '@') {
        if (n != 1) {
            return lerr(err, line, "directive '%s' takes no arguments", tok[0]);
        }
        if (strcmp(tok[0], "@unrestricted") == 0) {
            out->unrestricted = true;
        } else if (strcmp(tok[0], "@complain") == 0) {
            out->complain = true;
        } else {
            return lerr(err, line, "unknown directive '%s'", tok[0]);
        }
        return 0;
    }
    struct sc_rule r;
    memset(&r, 0, sizeof(r));
    r.line = line;
    const char *name = tok[0];
    if (name[0] == '~') {
        r.deny = true;
        name++;
    }
    size_t nl = strlen(name);
    if (nl == 0 || nl >= sizeof(r.name) ||
        strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != nl) {
        return lerr(err, line, "invalid system call name '%s'", tok[0]);
    }
    memcpy(r.name, name, nl + 1);
    for (int i = 1; i < n; i++) {
        int rc = parse_arg(tok[i], &r.args[i - 1], line, err);
        if (rc < 0) {
            return rc;
        }
    }
    r.nargs = n - 1;
    out->rules = xrealloc(out->rules, (out->n + 1) * sizeof(*out->rules));
    out->rules[out->n++] = r;
    return 0;
}

int sc_src_parse(const char *text, size_t len, struct sc_src *out, struct sn_err *err) {
    struct sc_src s;
    memset(&s, 0, sizeof(s));
    int line = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - (text + i)) : len - i;
        line++;
        if (ll > LINE_MAX_LEN || memchr(text + i, '\0', ll) != NULL) {
            sc_src_release(&s);
            return lerr(err, line, "line too long or binary%s", "");
        }
        SN_AUTOFREE char *copy = xstrndup(text + i, ll);
        int r = parse_line(copy, line, &s, err);
        if (r < 0) {
            sc_src_release(&s);
            return r;
        }
        i += ll + 1;
    }
    *out = s;
    return 0;
}

void sc_src_release(struct sc_src *s) {
    free(s->rules);
    memset(s, 0, sizeof(*s));
}

/* The architectures a filter covers, native first (x86 and x32 on amd64, arm on arm64). */
static const uint32_t filter_arches[] = {
    SCMP_ARCH_NATIVE,
#if defined(__x86_64__)
    SCMP_ARCH_X86,
    SCMP_ARCH_X32,
#elif defined(__aarch64__)
    SCMP_ARCH_ARM,
#elif defined(__s390x__)
    SCMP_ARCH_S390,
#endif
};
#define NARCHES (sizeof(filter_arches) / sizeof(filter_arches[0]))

/* Action libseccomp returns for a foreign architecture in a one-architecture program; the
 * merge turns it into a jump to the next architecture's program (see export_merged). */
#define BADARCH_SENTINEL SCMP_ACT_TRACE(0x5c3d)

static int arch_ctx(scmp_filter_ctx ctx, uint32_t arch) {
    int r = 0;
    if (arch != SCMP_ARCH_NATIVE) {
        r = seccomp_arch_add(ctx, arch);
        if (r == 0) {
            r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
        }
    }
    if (r == 0) {
        r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, BADARCH_SENTINEL);
    }
    if (r == 0) {
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    }
    if (r == 0) {
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    }
    return r;
}

/* Add rule to a one-architecture context; 1 when the call does not exist anywhere. Rules
 * take the native number (a negative "pseudo" number for calls the native architecture
 * lacks, such as mmap2); libseccomp translates it for the context's architecture. */
static int add_rule(scmp_filter_ctx ctx, bool native, uint32_t action, const struct sc_rule *rule) {
    int nr = seccomp_syscall_resolve_name(rule->name);
    if (nr == __NR_SCMP_ERROR) {
        return 1;
    }
    struct scmp_arg_cmp cmp[SC_MAX_ARGS];
    unsigned n = 0;
    bool is_ioctl = strcmp(rule->name, "ioctl") == 0;
    for (int i = 0; i < rule->nargs; i++) {
        const struct sc_arg *a = &rule->args[i];
        enum scmp_compare op;
        uint64_t d1 = a->value, d2 = 0;
        switch (a->op) {
            case SC_ANY:
                continue;
            case SC_EQ:
                op = SCMP_CMP_EQ;
                /* ioctl requests are 32 bits; the kernel ignores the upper half, so must we
                 * (CVE-2019-7304-style TIOCSTI bypass with garbage in the upper bits) */
                if (is_ioctl && i == 1) {
                    op = SCMP_CMP_MASKED_EQ;
                    d1 = 0xffffffffULL;
                    d2 = a->value;
                }
                break;
            case SC_NE:
                op = SCMP_CMP_NE;
                break;
            case SC_GT:
                op = SCMP_CMP_GT;
                break;
            case SC_GE:
                op = SCMP_CMP_GE;
                break;
            case SC_LT:
                op = SCMP_CMP_LT;
                break;
            case SC_LE:
                op = SCMP_CMP_LE;
                break;
            case SC_MASKED_EQ:
                op = SCMP_CMP_MASKED_EQ;
                d1 = a->mask;
                d2 = a->value;
                break;
            default:
                return -EINVAL;
        }
        cmp[n++] = (struct scmp_arg_cmp){(unsigned)i, op, d1, d2};
    }
    int r = native && nr >= 0 ? seccomp_rule_add_exact_array(ctx, action, nr, n, cmp) : -1;
    if (r < 0) {
        /* let libseccomp work out per-architecture details (e.g. socketcall on x86) */
        r = seccomp_rule_add_array(ctx, action, nr, n, cmp);
    }
    return r;
}

/* Per-architecture programs, concatenated, with their lengths in instructions. */
struct chain {
    struct sn_strbuf code;
    size_t part[8];
    size_t nparts;
};

/* Append ctx's program (one architecture) to c. */
static int export_part(scmp_filter_ctx ctx, struct chain *c, struct sn_err *err) {
    SN_AUTOCLOSE int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
    if (fd < 0) {
        return sn_err_set(err, -errno, "cannot create memfd: %s", strerror(errno));
    }
    int r = seccomp_export_bpf(ctx, fd);
    if (r < 0) {
        return sn_err_set(err, r, "cannot export seccomp filter: %s", strerror(-r));
    }
    if (lseek(fd, 0, SEEK_SET) < 0) {
        return sn_err_set(err, -errno, "cannot rewind memfd: %s", strerror(errno));
    }
    SN_AUTOFREE char *data = NULL;
    size_t len = 0;
    r = sn_read_fd(fd, "seccomp filter", CF_SECCOMP_FILTER_MAX, &data, &len, err);
    if (r < 0) {
        return r;
    }
    if (len % sizeof(struct sock_filter) != 0) {
        return sn_err_set(err, -EINVAL, "libseccomp exported a partial instruction");
    }
    if (c->nparts == sizeof(c->part) / sizeof(c->part[0])) {
        return sn_err_set(err, -E2BIG, "too many architectures");
    }
    c->part[c->nparts++] = len / sizeof(struct sock_filter);
    sn_strbuf_add(&c->code, data, len);
    return 0;
}

/* Chain the per-architecture programs: in each, "return BADARCH_SENTINEL" becomes a jump to
 * the start of the next program, and in the last one libseccomp's default bad-architecture
 * action (kill). Classic BPF only jumps forward within a program, so no other offset changes.
 * On success c->code holds the final program. */
static int finish_chain(struct chain *c, struct sn_err *err) {
    struct sock_filter *f = (struct sock_filter *)c->code.buf;
    size_t start = 0;
    for (size_t p = 0; p < c->nparts; p++) {
        size_t end = start + c->part[p];
        for (size_t i = start; i < end; i++) {
            if (f[i].code == (BPF_RET | BPF_K) && f[i].k == BADARCH_SENTINEL) {
                f[i] = p + 1 < c->nparts
                           ? (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)(end - i - 1),
                                                          0, 0)
                           : (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SCMP_ACT_KILL_THREAD);
            }
        }
        start = end;
    }
    if (c->code.len > CF_SECCOMP_FILTER_MAX || start > BPF_MAXINSNS) {
        return sn_err_set(err, -E2BIG, "seccomp filter of %zu instructions is too large", start);
    }
    return 0;
}

int sc_compile(const struct sc_src *src, uint8_t **blob, size_t *len, struct sc_stats *stats,
               struct sn_err *err) {
    struct cf_seccomp_header h;
    memset(&h, 0, sizeof(h));
    h.magic[0] = CF_SECCOMP_MAGIC0;
    h.magic[1] = CF_SECCOMP_MAGIC1;
    h.version = CF_SECCOMP_VERSION;
    struct sc_stats st;
    memset(&st, 0, sizeof(st));
    if (src->unrestricted) {
        h.unrestricted = 1;
        *blob = xmalloc(sizeof(h));
        memcpy(*blob, &h, sizeof(h));
        *len = sizeof(h);
        if (stats) {
            *stats = st;
        }
        return 0;
    }
    uint32_t deny_action = src->complain ? SCMP_ACT_LOG : SCMP_ACT_ERRNO(EACCES);
    uint32_t default_action = src->complain ? SCMP_ACT_LOG : SCMP_ACT_ERRNO(EPERM);
    bool clone3_listed = false, any_deny = false;
    for (size_t i = 0; i < src->n; i++) {
        st.unknown_syscalls += seccomp_syscall_resolve_name(src->rules[i].name) == __NR_SCMP_ERROR;
        clone3_listed =
            clone3_listed || (!src->rules[i].deny && strcmp(src->rules[i].name, "clone3") == 0);
        any_deny = any_deny || src->rules[i].deny;
    }
    /* One small libseccomp program per architecture, chained: libseccomp's cost grows much
     * faster than linearly with the number of architectures in one context. */
    struct chain progs[2]; /* allow, deny */
    memset(progs, 0, sizeof(progs));
    sn_strbuf_init(&progs[0].code);
    sn_strbuf_init(&progs[1].code);
    int r = 0;
    for (int kind = 0; kind < (any_deny ? 2 : 1) && r == 0; kind++) {
        for (size_t a = 0; a < NARCHES && r == 0; a++) {
            SN_CLEANUP(sn_cleanup_seccomp_release)
            scmp_filter_ctx ctx = seccomp_init(kind == 0 ? default_action : SCMP_ACT_ALLOW);
            if (ctx == NULL) {
                r = sn_err_set(err, -ENOMEM, "cannot initialise libseccomp");
                break;
            }
            if ((r = arch_ctx(ctx, filter_arches[a])) < 0) {
                r = sn_err_set(err, r, "cannot configure seccomp filter: %s", strerror(-r));
                break;
            }
            for (size_t i = 0; i < src->n && r == 0; i++) {
                const struct sc_rule *rule = &src->rules[i];
                if (rule->deny != (kind == 1)) {
                    continue;
                }
                int rr = add_rule(ctx, a == 0, kind == 0 ? SCMP_ACT_ALLOW : deny_action, rule);
                if (rr < 0) {
                    r = sn_err_set(err, rr, "seccomp source line %d: cannot add rule for '%s': %s",
                                   rule->line, rule->name, strerror(-rr));
                } else if (rr == 0 && a == 0) {
                    st.rules_added++;
                }
            }
            if (r == 0 && kind == 0 && !clone3_listed) {
                /* clone3 passes its flags in memory, where no filter can check them: answer
                 * ENOSYS so libc falls back to clone(2), whose flags the rules can see */
                int nr = seccomp_syscall_resolve_name("clone3");
                if (nr != __NR_SCMP_ERROR &&
                    (r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0)) < 0) {
                    r = sn_err_set(err, r, "cannot add clone3 rule: %s", strerror(-r));
                }
            }
            if (r == 0) {
                r = export_part(ctx, &progs[kind], err);
            }
        }
    }
    if (r == 0) {
        r = finish_chain(&progs[0], err);
    }
    if (r == 0 && any_deny) {
        r = finish_chain(&progs[1], err);
    }
    size_t alen = progs[0].code.len, dlen = progs[1].code.len;
    SN_AUTOFREE uint8_t *a = (uint8_t *)sn_strbuf_detach(&progs[0].code, NULL);
    SN_AUTOFREE uint8_t *d = (uint8_t *)sn_strbuf_detach(&progs[1].code, NULL);
    if (r < 0) {
        return r;
    }
    h.len_allow = (uint32_t)alen;
    h.len_deny = (uint32_t)dlen;
    *len = sizeof(h) + alen + dlen;
    *blob = xmalloc(*len);
    memcpy(*blob, &h, sizeof(h));
    memcpy(*blob + sizeof(h), a, alen);
    if (dlen) {
        memcpy(*blob + sizeof(h) + alen, d, dlen);
    }
    st.allow_insns = alen / CF_SECCOMP_INSN_SIZE;
    st.deny_insns = dlen / CF_SECCOMP_INSN_SIZE;
    if (stats) {
        *stats = st;
    }
    return 0;
}
