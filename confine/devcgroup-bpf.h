/* SPDX-License-Identifier: GPL-3.0-only
 * devcgroup-bpf.h: cgroup v2 device confinement. A BPF_PROG_TYPE_CGROUP_DEVICE program is
 * built from a device list (hand-assembled, like systemd's bpf-devices.c and snap-confine's
 * device-cgroup-support.c), loaded with the raw bpf() syscall (no libbpf: snapc-confine is a
 * static-pie linking only lib/) and attached to a cgroup with BPF_CGROUP_DEVICE.
 *
 * The program allows every access (read, write, mknod) to the listed devices and denies
 * everything else with EPERM. It is attached in single-program mode (attach flags 0): a
 * second attach swaps the programs atomically and the kernel drops its reference to the old
 * one, so a group never runs without a program once it has one, and never holds two. The
 * only long-lived reference is the attachment itself: nothing is pinned in bpffs, fds are
 * closed after attaching, and removing the (empty) cgroup frees the program. Programs are
 * found again with BPF_PROG_QUERY on the cgroup.
 */
#ifndef CF_DEVCGROUP_BPF_H
#define CF_DEVCGROUP_BPF_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "launch.h"

/* Instructions for n devices, at most: 4 to load the context, 2 to deny, 5 per device. */
#define CF_DEVBPF_INSNS(n) (6 + 5 * (n))
/* Program name shown by bpftool ("snapc_devices"). */
#define CF_DEVBPF_NAME "snapc_devices"

/* Assemble the program for dev[0..n) into out (room for CF_DEVBPF_INSNS(n)); returns the
 * number of instructions. A minor of -1 matches any minor. */
size_t cf_devbpf_build(const struct cf_device *dev, size_t n, struct bpf_insn *out);
/* Load a program; returns its fd (close-on-exec) or -errno (the verifier's first message in
 * err). */
int cf_devbpf_load(const struct bpf_insn *insns, size_t n, struct sn_err *err) SN_WUR;
/* Attach prog_fd to the cgroup (directory fd) in single-program mode, replacing what is
 * attached there. */
int cf_devbpf_attach(int cg_fd, int prog_fd, struct sn_err *err) SN_WUR;
/* Does the cgroup run exactly one device program, and is it insns (as the kernel reports
 * its translated instructions)? */
bool cf_devbpf_attached_equal(int cg_fd, const struct bpf_insn *insns, size_t n);
/* Device programs attached to the cgroup itself (not inherited), or -errno. */
int cf_devbpf_count(int cg_fd);
/* Give the cgroup the program of dev[0..n): nothing when the same program is attached,
 * else load and attach (atomic replacement). *changed (may be NULL) says which. */
int cf_devbpf_install(int cg_fd, const struct cf_device *dev, size_t n, bool *changed,
                      struct sn_err *err) SN_WUR;

#endif
