/* SPDX-License-Identifier: GPL-3.0-only
 * try-syscall: make system calls that fail harmlessly and print how they fail, one line per
 * probe: "NAME OK" or "NAME ERRNO" (EPERM, EFAULT, ...). Used by tests/integration/confine-*
 * inside and outside the sandbox: a probe that answers EPERM inside must answer something
 * else outside, so the denial comes from the sandbox, not from the call being impossible
 * (bubblewrap's tests/try-syscall.c). Built static and without sanitizers so it runs inside
 * the busybox base.
 *
 *   try-syscall PROBE[=ARG] ...      e.g. try-syscall mount bpf read=/etc/shadow
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define BAD ((void *)1) /* an address that always faults */

static const char *errname(int e) {
    static char buf[32];
    static const struct {
        int e;
        const char *n;
    } names[] = {{EPERM, "EPERM"},
                 {EACCES, "EACCES"},
                 {EFAULT, "EFAULT"},
                 {EINVAL, "EINVAL"},
                 {EBADF, "EBADF"},
                 {ENOENT, "ENOENT"},
                 {ENOSYS, "ENOSYS"},
                 {EROFS, "EROFS"},
                 {EEXIST, "EEXIST"},
                 {ENOTDIR, "ENOTDIR"},
                 {EOPNOTSUPP, "EOPNOTSUPP"},
                 {ESRCH, "ESRCH"},
                 {ENOTTY, "ENOTTY"},
                 {EAFNOSUPPORT, "EAFNOSUPPORT"},
                 {EBUSY, "EBUSY"},
                 {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
                 {ENXIO, "ENXIO"},
                 {EXDEV, "EXDEV"},
                 {EAGAIN, "EAGAIN"},
                 {ENODEV, "ENODEV"},
                 {EIO, "EIO"},
                 {EADDRINUSE, "EADDRINUSE"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (names[i].e == e) {
            return names[i].n;
        }
    }
    snprintf(buf, sizeof(buf), "E%d", e);
    return buf;
}

static long rc(long r) {
    return r < 0 ? errno : 0;
}

/* run f in a child, so probes that succeed change nothing here; the child's exit status
 * carries the errno */
static long in_child(long (*f)(const char *), const char *arg) {
    pid_t pid = fork();
    if (pid < 0) {
        return errno;
    }
    if (pid == 0) {
        _exit((int)f(arg));
    }
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) {
        return EINTR;
    }
    return WEXITSTATUS(st);
}

static long p_mount(const char *a) {
    return rc(syscall(SYS_mount, "none", BAD, "tmpfs", 0, NULL));
}
static long p_umount(const char *a) {
    return rc(syscall(SYS_umount2, BAD, 0));
}
static long p_pivot_root(const char *a) {
    return rc(syscall(SYS_pivot_root, BAD, BAD));
}
static long p_chroot(const char *a) {
    return rc(syscall(SYS_chroot, BAD));
}
static long p_kexec_load(const char *a) {
    return rc(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xffff0000UL)); /* invalid flags */
}
static long p_init_module(const char *a) {
    return rc(syscall(SYS_init_module, BAD, 0UL, ""));
}
static long p_finit_module(const char *a) {
    return rc(syscall(SYS_finit_module, -1, "", 0));
}
static long p_delete_module(const char *a) {
    return rc(syscall(SYS_delete_module, "snapc_no_such_module", O_NONBLOCK));
}
static long ptrace_parent(const char *a) {
    /* the parent is not our child: attach is the cross-process case */
    if (syscall(SYS_ptrace, PTRACE_SEIZE, getppid(), NULL, NULL) < 0) {
        return errno;
    }
    return 0; /* exiting detaches */
}
static long p_ptrace(const char *a) {
    return in_child(ptrace_parent, a);
}
static long p_bpf(const char *a) {
    return rc(syscall(SYS_bpf, 0 /* MAP_CREATE */, BAD, 8));
}
static long unshare_user(const char *a) {
    return rc(unshare(CLONE_NEWUSER));
}
static long p_unshare_user(const char *a) {
    return in_child(unshare_user, a);
}
static long clone_user(const char *a) {
    long r = syscall(SYS_clone, (unsigned long)CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
    if (r == 0) {
        _exit(0);
    }
    if (r > 0) {
        (void)waitpid((pid_t)r, NULL, 0);
        return 0;
    }
    return errno;
}
static long p_clone_user(const char *a) {
    return in_child(clone_user, a);
}
static long p_clone3(const char *a) {
    return rc(syscall(SYS_clone3, NULL, 0UL));
}
static long p_setns(const char *a) {
    return rc(setns(-1, 0));
}
static long p_keyctl(const char *a) {
    return rc(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0));
}
static long p_add_key(const char *a) {
    return rc(syscall(SYS_add_key, BAD, BAD, NULL, 0, 0));
}
static long p_request_key(const char *a) {
    return rc(syscall(SYS_request_key, BAD, BAD, NULL, 0));
}
#ifdef SYS_iopl
static long p_iopl(const char *a) {
    return rc(syscall(SYS_iopl, 4));
}
static long p_ioperm(const char *a) {
    return rc(syscall(SYS_ioperm, ~0UL, 1UL, 1));
}
#endif
static long p_swapon(const char *a) {
    return rc(syscall(SYS_swapon, BAD, 0));
}
static long p_swapoff(const char *a) {
    return rc(syscall(SYS_swapoff, BAD));
}
static long p_reboot(const char *a) {
    return rc(syscall(SYS_reboot, 0, 0, 0, NULL));
}
static long p_settimeofday(const char *a) {
    return rc(syscall(SYS_settimeofday, BAD, NULL));
}
static long p_clock_settime(const char *a) {
    return rc(syscall(SYS_clock_settime, 0, BAD));
}
static long p_acct(const char *a) {
    return rc(syscall(SYS_acct, BAD));
}
static long p_quotactl(const char *a) {
    return rc(syscall(SYS_quotactl, 0, BAD, 0, NULL));
}
static long p_perf(const char *a) {
    return rc(syscall(SYS_perf_event_open, BAD, 0, -1, -1, 0));
}
static long p_obh(const char *a) {
    return rc(syscall(SYS_open_by_handle_at, -1, BAD, 0));
}
static long p_userfaultfd(const char *a) {
    long fd = syscall(SYS_userfaultfd, 0);
    if (fd >= 0) {
        close((int)fd);
    }
    return rc(fd);
}
static long sock(int fam, int type, int proto) {
    int fd = socket(fam, type, proto);
    if (fd >= 0) {
        close(fd);
    }
    return fd < 0 ? errno : 0;
}
static long p_netlink_route(const char *a) {
    return sock(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
}
static long p_netlink_audit(const char *a) {
    return sock(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
}
static long p_packet(const char *a) {
    return sock(AF_PACKET, SOCK_RAW, 0);
}
static long p_unix(const char *a) {
    return sock(AF_UNIX, SOCK_STREAM, 0);
}
static long p_inet(const char *a) {
    return sock(AF_INET, SOCK_STREAM, 0);
}
static long p_tiocsti(const char *a) {
    return rc(syscall(SYS_ioctl, -1, (unsigned long)TIOCSTI, "x"));
}
static long p_tiocsti_high(const char *a) {
    return rc(syscall(SYS_ioctl, -1, 0x100000000UL | TIOCSTI, "x"));
}
static long p_chmod_suid(const char *a) {
    return rc(chmod("/nonexistent/snapc", 04755));
}
static long p_mknod_chr(const char *a) {
    return rc(mknod("/nonexistent/snapc", S_IFCHR | 0600, makedev(1, 3)));
}
static long p_mknod_fifo(const char *a) {
    return rc(mknod("/nonexistent/snapc", S_IFIFO | 0600, 0));
}
static long p_getpid(const char *a) {
    return rc(getpid());
}
static long p_read(const char *a) {
    int fd = open(a, O_RDONLY | O_CLOEXEC);
    char c;
    long r = fd < 0 ? errno : (read(fd, &c, 1) < 0 ? errno : 0);
    if (fd >= 0) {
        close(fd);
    }
    return r;
}
static long p_write(const char *a) {
    int fd = open(a, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    long r = fd < 0 ? errno : (write(fd, "x", 1) < 0 ? errno : 0);
    if (fd >= 0) {
        close(fd);
    }
    return r;
}
static long p_mkdir(const char *a) {
    return rc(mkdir(a, 0755));
}
static long p_ls(const char *a) {
    int fd = open(a, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        close(fd);
    }
    return fd < 0 ? errno : 0;
}
static long p_tcp_bind(const char *a) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return errno;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(a ? a : "0"))};
    sa.sin_addr.s_addr = htonl(0x7f000001);
    long r = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? errno : 0;
    close(fd);
    return r;
}
/* bind 127.0.0.1:PORT and listen (what a TCP server does) */
static long p_tcp_listen(const char *a) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return errno;
    }
    int one = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(a ? a : "0"))};
    sa.sin_addr.s_addr = htonl(0x7f000001);
    long r =
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? errno : (listen(fd, 1) < 0 ? errno : 0);
    close(fd);
    return r;
}
/* open read/write without blocking (device nodes: /dev/kvm, /dev/ttyS0) */
static long p_open_rw(const char *a) {
    int fd = open(a, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0) {
        close(fd);
    }
    return fd < 0 ? errno : 0;
}
/* open read-only without blocking and read one byte (EAGAIN counts as success: the open and
 * the read were allowed, there was just nothing to read) */
static long p_read_nb(const char *a) {
    int fd = open(a, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    char buf[8192];
    long r = read(fd, buf, sizeof(buf)) < 0 && errno != EAGAIN ? errno : 0;
    close(fd);
    return r;
}
/* kill(PID, 0): may this process signal PID? */
static long p_signal(const char *a) {
    return rc(kill((pid_t)atoi(a ? a : "0"), 0));
}

static const struct {
    const char *name;
    long (*f)(const char *);
} probes[] = {
    {"mount", p_mount},
    {"umount", p_umount},
    {"pivot_root", p_pivot_root},
    {"chroot", p_chroot},
    {"kexec_load", p_kexec_load},
    {"init_module", p_init_module},
    {"finit_module", p_finit_module},
    {"delete_module", p_delete_module},
    {"ptrace", p_ptrace},
    {"bpf", p_bpf},
    {"unshare_user", p_unshare_user},
    {"clone_user", p_clone_user},
    {"clone3", p_clone3},
    {"setns", p_setns},
    {"keyctl", p_keyctl},
    {"add_key", p_add_key},
    {"request_key", p_request_key},
#ifdef SYS_iopl
    {"iopl", p_iopl},
    {"ioperm", p_ioperm},
#endif
    {"swapon", p_swapon},
    {"swapoff", p_swapoff},
    {"reboot", p_reboot},
    {"settimeofday", p_settimeofday},
    {"clock_settime", p_clock_settime},
    {"acct", p_acct},
    {"quotactl", p_quotactl},
    {"perf_event_open", p_perf},
    {"open_by_handle_at", p_obh},
    {"userfaultfd", p_userfaultfd},
    {"netlink_route", p_netlink_route},
    {"netlink_audit", p_netlink_audit},
    {"packet", p_packet},
    {"unix", p_unix},
    {"inet", p_inet},
    {"tiocsti", p_tiocsti},
    {"tiocsti_high", p_tiocsti_high},
    {"chmod_suid", p_chmod_suid},
    {"mknod_chr", p_mknod_chr},
    {"mknod_fifo", p_mknod_fifo},
    {"getpid", p_getpid},
    {"read", p_read},
    {"write", p_write},
    {"mkdir", p_mkdir},
    {"ls", p_ls},
    {"tcp_bind", p_tcp_bind},
    {"tcp_listen", p_tcp_listen},
    {"open_rw", p_open_rw},
    {"read_nb", p_read_nb},
    {"signal", p_signal},
};

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: try-syscall PROBE[=ARG]...\nprobes:");
        for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
            fprintf(stderr, " %s", probes[i].name);
        }
        fputc('\n', stderr);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        char name[64];
        const char *eq = strchr(argv[i], '=');
        size_t nl = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        snprintf(name, sizeof(name), "%.*s", (int)nl, argv[i]);
        size_t k = 0;
        while (k < sizeof(probes) / sizeof(probes[0]) && strcmp(probes[k].name, name) != 0) {
            k++;
        }
        if (k == sizeof(probes) / sizeof(probes[0])) {
            fprintf(stderr, "try-syscall: unknown probe '%s'\n", name);
            return 2;
        }
        long e = probes[k].f(eq ? eq + 1 : NULL);
        printf("%s %s\n", name, e == 0 ? "OK" : errname((int)e));
        fflush(stdout);
    }
    return 0;
}
