#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-only
"""devcg-bpf.py: what the kernel has attached to a cgroup v2 group as its device program, read
with bpf(2) from python (bpftool is not installed here). Used by tests/helpers/devices.sh.

  devcg-bpf.py query CGDIR     ids of the BPF_CGROUP_DEVICE programs attached to CGDIR
  devcg-bpf.py alive ID        exit 0 when program ID still exists
  devcg-bpf.py devices CGDIR   the device set of the one attached program, sorted, one
                               "TYPE MAJOR:MINOR" a line (minor "*" for any), as the launch
                               description's `device` lines; a program that allows what it
                               does not list prints "a *:*"; anything else is an error

`devices` reads the program's instructions back from the kernel (BPF_OBJ_GET_INFO_BY_FD) and
decodes the shape confine/devcgroup-bpf.c documents: a preamble loading type, major and
minor, then per device `if type != T goto next; if major != M goto next; [if minor != N goto
next;] r0 = 1; exit`, then `r0 = DEFAULT; exit`. A program of any other shape is reported as
unrecognised (the test fails), never guessed at.
"""
import ctypes
import os
import struct
import sys

NR_BPF = {"x86_64": 321, "aarch64": 280, "armv7l": 386, "riscv64": 280}.get(os.uname().machine)
BPF_PROG_GET_FD_BY_ID, BPF_OBJ_GET_INFO_BY_FD, BPF_PROG_QUERY = 13, 15, 16
BPF_CGROUP_DEVICE = 6
DEV_BLOCK, DEV_CHAR = 1, 2
libc = ctypes.CDLL(None, use_errno=True)


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, 128)
    r = libc.syscall(NR_BPF, cmd, buf, 128)
    return r, ctypes.get_errno(), buf.raw


def query(cgdir):
    fd = os.open(cgdir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        ids = (ctypes.c_uint32 * 8)()
        r, e, raw = bpf(BPF_PROG_QUERY,
                        struct.pack("=IIIIQI", fd, BPF_CGROUP_DEVICE, 0, 0, ctypes.addressof(ids), 8))
        if r < 0:
            sys.exit("query %s: %s" % (cgdir, os.strerror(e)))
        n = struct.unpack_from("=I", raw, 24)[0]
        return [ids[i] for i in range(min(n, 8))]
    finally:
        os.close(fd)


def prog_fd(prog_id):
    r, e, _ = bpf(BPF_PROG_GET_FD_BY_ID, struct.pack("=I", prog_id))
    return r if r >= 0 else -e


def xlated(prog_id):
    fd = prog_fd(prog_id)
    if fd < 0:
        sys.exit("program %d: %s" % (prog_id, os.strerror(-fd)))
    try:
        insns = ctypes.create_string_buffer(8 * 4096)
        # struct bpf_prog_info: type, id, tag[8], jited_prog_len, xlated_prog_len,
        # jited_prog_insns, xlated_prog_insns, ...
        info = ctypes.create_string_buffer(struct.pack("=II8sIIQQ", 0, 0, b"", 0, len(insns), 0,
                                                       ctypes.addressof(insns)), 256)
        r, e, _ = bpf(BPF_OBJ_GET_INFO_BY_FD, struct.pack("=IIQ", fd, 256, ctypes.addressof(info)))
        if r < 0:
            sys.exit("program %d: info: %s" % (prog_id, os.strerror(e)))
        n = struct.unpack_from("=I", info.raw, 20)[0]
        return [struct.unpack_from("=BBhi", insns.raw, off) for off in range(0, n, 8)]
    finally:
        os.close(fd)


def decode(insns):
    """[(code, regs, off, imm)] -> sorted device lines, or raise ValueError"""
    def reg(i, which):  # dst (low nibble) or src (high nibble)
        return insns[i][1] & 0xF if which == "dst" else insns[i][1] >> 4

    def is_(i, code, dst=None, src=None, off=None, imm=None):
        if i >= len(insns):
            return False
        c, _, o, m = insns[i]
        return (c == code and (dst is None or reg(i, "dst") == dst) and (src is None or reg(i, "src") == src)
                and (off is None or o == off) and (imm is None or m == imm))

    LDXW, AND64K, JNEK, MOV64K, EXIT = 0x61, 0x57, 0x55, 0xB7, 0x95
    pre = [is_(0, LDXW, 2, 1, 0), is_(1, AND64K, 2, imm=0xFFFF), is_(2, LDXW, 4, 1, 4), is_(3, LDXW, 5, 1, 8)]
    if not all(pre):
        raise ValueError("unrecognised preamble")
    out, i = [], 4
    while True:
        if is_(i, MOV64K, 0) and is_(i + 1, EXIT) and i + 2 == len(insns):
            if insns[i][3] != 0:
                out.append("a *:*")
            return sorted(out, key=lambda l: (l[0], l[2:]))
        # one entry: 4 instructions (any minor) or 5
        n = 5 if is_(i + 2, JNEK, 5) else 4
        if not (is_(i, JNEK, 2, off=n - 1) and is_(i + 1, JNEK, 4, off=n - 2)
                and (n == 4 or is_(i + 2, JNEK, 5, off=n - 3))
                and is_(i + n - 2, MOV64K, 0, imm=1) and is_(i + n - 1, EXIT)):
            raise ValueError("unrecognised entry at instruction %d" % i)
        t = {DEV_BLOCK: "b", DEV_CHAR: "c"}.get(insns[i][3])
        if t is None:
            raise ValueError("unknown device type %d at instruction %d" % (insns[i][3], i))
        minor = "*" if n == 4 else str(insns[i + 2][3] & 0xFFFFFFFF)
        out.append("%s %d:%s" % (t, insns[i + 1][3] & 0xFFFFFFFF, minor))
        i += n


def main():
    cmd = sys.argv[1]
    if cmd == "query":
        print(" ".join(str(i) for i in query(sys.argv[2])))
    elif cmd == "alive":
        fd = prog_fd(int(sys.argv[2]))
        if fd >= 0:
            os.close(fd)
        sys.exit(0 if fd >= 0 else 1)
    elif cmd == "devices":
        ids = query(sys.argv[2])
        if len(ids) != 1:
            sys.exit("%s: %d device programs attached, want 1" % (sys.argv[2], len(ids)))
        try:
            print("\n".join(decode(xlated(ids[0]))))
        except ValueError as e:
            sys.exit("%s: program %d: %s" % (sys.argv[2], ids[0], e))
    else:
        sys.exit("usage: devcg-bpf.py query|alive|devices ARG")


if __name__ == "__main__":
    main()
