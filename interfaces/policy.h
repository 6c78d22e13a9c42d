/* SPDX-License-Identifier: GPL-3.0-only
 * policy.h: the policy value that interfaces/ produces for one security tag
 * (snap.NAME.APP or snap.NAME.hook.HOOK), and that the daemon's security backends render to
 * files (seccomp source + BPF blob, Landlock rules, AppArmor profile, device list, udev rules,
 * mount entries, kernel modules). Pure data; no I/O anywhere in interfaces/.
 *
 * Ownership: every string in a policy is heap-owned by it; iface_policy_release frees all.
 */
#ifndef IFACE_POLICY_H
#define IFACE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Landlock filesystem access rights (mapped to LANDLOCK_ACCESS_FS_* by the renderer). */
enum iface_fs_access {
    IFACE_FS_READ = 1 << 0,   /* read files, list directories */
    IFACE_FS_WRITE = 1 << 1,  /* write/truncate files, create/remove/rename entries */
    IFACE_FS_EXEC = 1 << 2,   /* execute files */
    IFACE_FS_DEVICE = 1 << 3, /* open device nodes below (ioctl on ABI >= 5) */
    IFACE_FS_MAKE = 1 << 4,   /* mknod sock/fifo, symlink */
};

/* Paths may start with a placeholder that the renderer expands at launch, inside the snap's
 * mount namespace: @{HOME}, @{SNAP}, @{SNAP_DATA}, @{SNAP_COMMON}, @{SNAP_USER_DATA},
 * @{SNAP_USER_COMMON} (see docs/interfaces/README.md). The renderer opens each path with
 * O_PATH (following symlinks), so a rule on /sys/class/gpio/gpio17 covers the device directory
 * the link points to. */
struct iface_fs_rule {
    char *path;      /* absolute path as seen inside the sandbox; may end in a directory */
    uint32_t access; /* IFACE_FS_* bits */
    bool optional;   /* missing path is not an error (e.g. /dev/hwrng on boards without it) */
    bool glob;       /* path is a glob(3) pattern (GLOB_BRACE) the renderer expands at launch;
                      * every match gets the rule, no match is fine when optional */
};

enum iface_net_access { IFACE_NET_BIND = 1 << 0, IFACE_NET_CONNECT = 1 << 1 };

struct iface_net_rule {
    uint16_t port;   /* 0 means "any port" (the renderer then leaves that access unrestricted) */
    uint32_t access; /* IFACE_NET_* bits */
};

/* A device the tag may open: matched through udev (subsystem/kernel name glob), or a fixed
 * node. The daemon resolves matches to major:minor with libudev and writes udev rules so that
 * devices that appear later are tagged too. */
struct iface_device {
    char *subsystem; /* e.g. "tty", "gpio", "i2c-dev"; NULL for any */
    char *kernel;    /* kernel name glob, e.g. "ttyS0", "ttyUSB[0-9]*", "hwrng"; NULL any */
    char *node;      /* or a fixed path such as "/dev/kvm"; NULL when matched via udev */
    char *attrs;     /* extra udev match text, e.g. ATTRS{idVendor}=="0403"; may be NULL */
};

/* A bind mount made in the snap's mount namespace (content interface, layouts). */
struct iface_mount {
    char *source; /* path as seen on the host (already expanded) */
    char *target; /* path inside the namespace */
    bool read_only;
    bool optional; /* skip when the source is missing or the target cannot be made (system
                    * paths: system-files, log-observe); else a missing one fails the launch */
};

/* A sysfs object the daemon exports before the tag runs (gpio, pwm): when `node` does not exist,
 * write `value` to `dir`/export; on disconnect write it to `dir`/unexport. */
struct iface_export {
    char *dir;   /* e.g. /sys/class/gpio or /sys/class/pwm/pwmchip0 */
    char *value; /* e.g. "17" */
    char *node;  /* e.g. /sys/class/gpio/gpio17 */
};

/* Landlock scopes (ABI >= 6) an interface lifts: by default the renderer scopes signals and
 * abstract UNIX sockets to the sandbox's own domain. */
enum iface_unscope {
    IFACE_UNSCOPE_SIGNAL = 1 << 0,        /* may signal processes outside its domain */
    IFACE_UNSCOPE_ABSTRACT_UNIX = 1 << 1, /* may connect to abstract sockets outside it */
};

struct iface_policy {
    struct sn_strbuf seccomp;  /* snapd seccomp source lines, '\n'-terminated */
    struct sn_strbuf apparmor; /* AppArmor rules for the profile body, '\n'-terminated */
    struct iface_fs_rule *fs;
    size_t nfs;
    struct iface_net_rule *net;
    size_t nnet;
    bool net_unrestricted; /* the tag may bind/connect any TCP port (network, network-bind) */
    struct iface_device *devices;
    size_t ndevices;
    struct iface_mount *mounts;
    size_t nmounts;
    char **kmods;      /* NULL-terminated kernel modules to load, may be NULL */
    bool unrestricted; /* classic or @unrestricted */
    /* Extensions (interfaces work): */
    char **udev_rules; /* NULL-terminated udev rules that tag nothing (e.g. a gadget's
                        * serial-port slot creating /dev/serial-port-NAME); may be NULL */
    struct iface_export *exports;
    size_t nexports;
    uint32_t unscoped; /* IFACE_UNSCOPE_* bits */
};

void iface_policy_init(struct iface_policy *p);
void iface_policy_release(struct iface_policy *p);
void iface_policy_add_fs(struct iface_policy *p, const char *path, uint32_t access, bool optional);
void iface_policy_add_net(struct iface_policy *p, uint16_t port, uint32_t access);
void iface_policy_add_device(struct iface_policy *p, const char *subsystem, const char *kernel,
                             const char *node, const char *attrs);
void iface_policy_add_mount(struct iface_policy *p, const char *source, const char *target,
                            bool read_only);
/* A mount entry of a system path that may be missing (struct iface_mount.optional). */
void iface_policy_add_mount_optional(struct iface_policy *p, const char *source, const char *target,
                                     bool read_only);
void iface_policy_add_kmod(struct iface_policy *p, const char *module);
/* Like iface_policy_add_fs, for a glob(3) pattern expanded by the renderer. */
void iface_policy_add_fs_glob(struct iface_policy *p, const char *pattern, uint32_t access,
                              bool optional);
void iface_policy_add_udev_rule(struct iface_policy *p, const char *rule);
void iface_policy_add_export(struct iface_policy *p, const char *dir, const char *value,
                             const char *node);
/* Add everything in src to dst (text appended, lists merged without duplicates). */
void iface_policy_merge(struct iface_policy *dst, const struct iface_policy *src);

#endif
