#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Device cgroups, v1 and v2, through the real daemon and launcher (docs/confinement.md
# "Devices"): the cgroup v2 BPF device program enforces (forced with SNAPC_DEVCGROUP=v2 on
# this hybrid host), connect/disconnect change the device set of running apps at once (v1
# and v2), a launch that needs a device cgroup and gets none is refused, and removing the
# snap removes the groups and frees their programs.
#
# Which layer denies: the device cgroup answers EPERM (v1 and v2 alike), Landlock EACCES.
# A running app keeps the Landlock rules of its launch, so the live-update checks start the
# app while kvm is connected (Landlock grants /dev/kvm for its lifetime) and then toggle the
# connection: every change it sees comes from its device cgroup alone. Each denial is paired
# with the same action succeeding unconfined.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
skip_all() {
  t_skip "device cgroups" "$1"
  t_end
  exit 0
}
t_need_root || skip_all "needs root (loop mounts, namespaces, cgroups, bpf)"
[ -x /bin/busybox ] || skip_all "busybox-static not installed"
command -v mksquashfs >/dev/null || skip_all "squashfs-tools not installed"
[ -x "$SNAPC_BIN/snapc-confine" ] || skip_all "no snapc-confine in $SNAPC_BIN"
[ -c /dev/kvm ] || skip_all "no /dev/kvm (the device the connections toggle)"

R=$T/root
export SNAPC_ROOT=$R
out=$T/out
mkdir -p "$out" "$R"
LIB=$R/var/lib/snapd
. "$SNAPC_SRC/tests/helpers/confine-fixture.sh" # cf_try_syscall
CF_TRY=$(cf_try_syscall) || skip_all "cannot build try-syscall (needs static libc)"

HAVE_V1=""
[ -w /sys/fs/cgroup/devices/devices.allow ] && HAVE_V1=1
V2MNT=$(findmnt -rn -t cgroup2 -o TARGET | head -1)
V1DIR=/sys/fs/cgroup/devices
[ -n "$HAVE_V1$V2MNT" ] || skip_all "neither a cgroup v1 devices controller nor a cgroup2 mount"

# bpf(2) from python: ids of the device programs attached to a cgroup, and whether a program
# id still exists (bpftool is not installed here)
bpfq() {
  python3 - "$@" <<'PY'
import ctypes, os, struct, sys
nr = {"x86_64": 321, "aarch64": 280, "armv7l": 386, "riscv64": 280}.get(os.uname().machine)
libc = ctypes.CDLL(None, use_errno=True)
def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, 128)
    r = libc.syscall(nr, cmd, buf, 128)
    return r, ctypes.get_errno(), buf.raw
if sys.argv[1] == "query":  # BPF_PROG_QUERY, BPF_CGROUP_DEVICE
    fd = os.open(sys.argv[2], os.O_RDONLY | os.O_DIRECTORY)
    ids = (ctypes.c_uint32 * 8)()
    r, e, raw = bpf(16, struct.pack("=IIIIQI", fd, 6, 0, 0, ctypes.addressof(ids), 8))
    if r < 0:
        sys.exit("query: " + os.strerror(e))
    n = struct.unpack_from("=I", raw, 24)[0]
    print(" ".join(str(ids[i]) for i in range(min(n, 8))))
elif sys.argv[1] == "alive":  # BPF_PROG_GET_FD_BY_ID
    r, e, raw = bpf(13, struct.pack("=I", int(sys.argv[2])))
    if r >= 0:
        os.close(r)
    sys.exit(0 if r >= 0 else 1)
PY
}

# ---- fixtures: the busybox base and tests/snaps/iface-probe (plugs kvm, hardware-random-observe) ----
"$SNAPC_SRC/tests/snaps/make-busybox-base.sh" "$T/bb" >/dev/null || skip_all "cannot build the busybox base"
snapc pack "$T/bb" "$out" >/dev/null || skip_all "cannot pack the busybox base"
cp -a "$SNAPS/iface-probe" "$T/iface-probe"
cp "$CF_TRY" "$T/iface-probe/bin/try-syscall"
snapc pack "$T/iface-probe" "$out" >/dev/null || skip_all "cannot pack iface-probe"
BASE=$(ls "$out"/busybox-base_*.snap)
PROBE=$(ls "$out"/iface-probe_*.snap)

TRY=/snap/iface-probe/current/bin/try-syscall
host_try() { "$CF_TRY" "$@" 2>&1; }
in_try() { # MODE PROBE...: a new launch with SNAPC_DEVCGROUP=MODE ("" for the default)
  local mode=$1; shift
  env ${mode:+SNAPC_DEVCGROUP=$mode} snapc run iface-probe.run -- "$TRY" "$@" 2>&1
}
# the group of iface-probe.run, same name in both hierarchies: snapc-<SHA3-384(root)[:4]>.<tag>
GROUP=snapc-$(python3 -c 'import hashlib,sys; print(hashlib.sha3_384(sys.argv[1].encode()).hexdigest()[:8])' "$(realpath "$R")").snap.iface-probe.run
group_of() { # PID HIERARCHY(v1|v2): the group the process is in, "" for the top
  if [ "$2" = v1 ]; then sed -n 's/^[0-9]*:devices:\///p' "/proc/$1/cgroup"; else sed -n 's/^0::\///p' "/proc/$1/cgroup"; fi
}

# ungranted devices: /dev/kvm (before its connection) and a loop device of our own
head -c 1048576 /dev/zero >"$T/disk.img"
LOOP=$(losetup --find --show "$T/disk.img") || skip_all "cannot set up a loop device"
# a granted device to make the tag need a group: /dev/hwrng (hardware-random-observe)
if [ -c /dev/hwrng ] && [ "$(host_try read_nb=/dev/hwrng)" = "read_nb OK" ]; then
  GRANT_PLUG=hardware-random-observe GRANT_PROBE=read_nb=/dev/hwrng
else
  GRANT_PLUG="" GRANT_PROBE=""
fi

loopers=""
dev_cleanup() {
  local p
  for p in $loopers; do kill "$p" 2>/dev/null; done
  for p in $loopers; do wait "$p" 2>/dev/null; done
  for p in ${_t_daemons:-}; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  _t_daemons=""
  snapc debug remove-profiles --root "$R" iface-probe >/dev/null 2>&1
  [ -n "${LOOP:-}" ] && losetup -d "$LOOP" 2>/dev/null
  t_cleanup
}
trap dev_cleanup EXIT

t_daemon_start "$R"
ok "install the busybox base and iface-probe" sh -c \
  "snapc install --dangerous '$BASE' >/dev/null && snapc install --dangerous '$PROBE' >/dev/null"
o=$(snapc run iface-probe.run -- /bin/cat /proc/self/cgroup)
ok "with only the standard nodes the app gets no device cgroup (Landlock confines /dev)" sh -c \
  "printf '%s\n' '$o' | grep -qx '0::/' && printf '%s\n' '$o' | grep -qx '[0-9]*:devices:/'"

o=$(host_try open_rw=/dev/kvm read=$LOOP $GRANT_PROBE)
ok "unconfined: /dev/kvm, $LOOP${GRANT_PROBE:+, ${GRANT_PROBE#*=}} open ($(echo $o))" sh -c \
  "! printf '%s\n' '$o' | grep -qv ' OK$'"
o=$(in_try "" open_rw=/dev/kvm read=$LOOP)
ok "confined, no grant, no group: Landlock denies with EACCES ($(echo $o))" \
  test "$(echo $o)" = "open_rw EACCES read EACCES"

# ---- (a) cgroup v2 forced: the BPF program enforces ----
if [ -n "$V2MNT" ]; then
  if [ -n "$GRANT_PLUG" ]; then
    ok "v2: connect $GRANT_PLUG (the tag now needs a device cgroup)" snapc connect "iface-probe:$GRANT_PLUG"
  else
    t_diag "no readable /dev/hwrng: the loop device is the only ungranted probe, kvm the granted one"
    ok "v2: connect kvm (the tag now needs a device cgroup)" snapc connect iface-probe:kvm
  fi
  o=$(env SNAPC_DEVCGROUP=v2 snapc run iface-probe.run -- /bin/cat /proc/self/cgroup)
  g2=$(printf '%s\n' "$o" | sed -n 's/^0::\///p')
  ok "v2: the app runs in its cgroup2 group ($g2) and in no v1 device group" sh -c \
    "[ '$g2' = '$GROUP' ] &&
     printf '%s\n' '$o' | grep -qx '[0-9]*:devices:/'"
  ids=$(bpfq query "$V2MNT/$g2")
  ok "v2: exactly one device program is attached to $V2MNT/$g2 (id $ids)" sh -c "[ \$(echo $ids | wc -w) = 1 ]"
  V2_PROG=$ids
  if [ -n "$GRANT_PLUG" ]; then
    o=$(in_try v2 $GRANT_PROBE open_rw=/dev/kvm read=$LOOP)
    ok "v2: granted ${GRANT_PROBE#*=} opens; /dev/kvm and $LOOP get EPERM from the device program ($(echo $o))" \
      test "$(echo $o)" = "read_nb OK open_rw EPERM read EPERM"
  else
    o=$(in_try v2 open_rw=/dev/kvm read=$LOOP)
    ok "v2: granted /dev/kvm opens; $LOOP gets EPERM from the device program ($(echo $o))" \
      test "$(echo $o)" = "open_rw OK read EPERM"
  fi
  o=$(in_try v2 read_nb=/dev/null read_nb=/dev/zero read_nb=/dev/urandom open_rw=/dev/ptmx)
  ok "v2: the standard nodes work ($(echo $o))" sh -c "! printf '%s\n' '$o' | grep -qv ' OK$'"
  SNAPC_DEVCGROUP=v2 snapc run iface-probe.run -- /bin/true
  ok "v2: a second launch keeps the attached program (same list)" test "$(bpfq query "$V2MNT/$g2")" = "$V2_PROG"
  [ -z "$GRANT_PLUG" ] && snapc disconnect iface-probe:kvm >/dev/null
else
  t_skip "cgroup v2 device program" "no cgroup2 mount"
fi

# ---- (b) live update: a running app gets the new device set at connect/disconnect ----
STATUS=$R/var/snap/iface-probe/common/kvm
# the app: retry opening /dev/kvm every 100 ms, report the last answer in $SNAP_COMMON/kvm
LOOPER='while :; do '$TRY' open_rw=/dev/kvm >$SNAP_COMMON/kvm.tmp && mv $SNAP_COMMON/kvm.tmp $SNAP_COMMON/kvm; sleep 0.1; done'
wait_status() { # WANT: within 5 s
  local i
  for i in $(seq 50); do
    [ "$(cat "$STATUS" 2>/dev/null)" = "$1" ] && return 0
    sleep 0.1
  done
  echo "status: $(cat "$STATUS" 2>/dev/null)"
  return 1
}
live() { # MODE
  local mode=$1 pid hier
  rm -f "$STATUS"
  ok "$mode: connect kvm" snapc connect iface-probe:kvm
  env SNAPC_DEVCGROUP=$mode snapc run iface-probe.run -- /bin/sh -c "$LOOPER" >/dev/null 2>&1 &
  pid=$!
  loopers="$loopers $pid"
  ok "$mode: the running app opens /dev/kvm" wait_status "open_rw OK"
  local g
  g=$(group_of $pid $mode)
  ok "$mode: it runs in its $mode device group ($g)" test "$g" = "$GROUP"
  ok "$mode: disconnect kvm while it runs" snapc disconnect iface-probe:kvm
  ok "$mode: the same process now gets EPERM from its device cgroup (its Landlock still grants the node)" \
    wait_status "open_rw EPERM"
  o=$(in_try $mode open_rw=/dev/kvm)
  ok "$mode: a new launch is denied too ($o)" sh -c "[ '$o' = 'open_rw EPERM' ] || [ '$o' = 'open_rw EACCES' ]"
  ok "$mode: connect kvm again" snapc connect iface-probe:kvm
  ok "$mode: the same process opens /dev/kvm again, without a restart" wait_status "open_rw OK"
  ok "$mode: disconnect kvm" snapc disconnect iface-probe:kvm
  ok "$mode: denied again (EPERM)" wait_status "open_rw EPERM"
  ok "$mode: it was one process all along (pid $pid)" kill -0 "$pid"
  if [ "$mode" = v1 ]; then
    ok "v1: the group lists no kvm and nothing broad" sh -c \
      "! grep -qx 'c 10:232 rwm' '$V1DIR/$g/devices.list' && ! grep -q '^a ' '$V1DIR/$g/devices.list' &&
       grep -qx 'c 1:3 rwm' '$V1DIR/$g/devices.list'"
  else
    ids=$(bpfq query "$V2MNT/$g")
    ok "v2: still exactly one program on the group after two replacements ($ids)" test "$(echo $ids | wc -w)" = 1
  fi
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  loopers=""
}
ok "unconfined: /dev/kvm opens" sh -c "[ \"\$('$CF_TRY' open_rw=/dev/kvm)\" = 'open_rw OK' ]"
if [ -n "$HAVE_V1" ]; then live v1; else t_skip "live update, cgroup v1" "no v1 devices controller"; fi
if [ -n "$V2MNT" ]; then live v2; else t_skip "live update, cgroup v2" "no cgroup2 mount"; fi

# ---- (c) fail closed ----
fails "SNAPC_DEVCGROUP=v3 is refused" in_try v3 getpid
if grep -qa SNAPC_FAULT "$SNAPC_BIN/snapc-confine"; then
  ok "connect kvm (the tag needs a group)" snapc connect iface-probe:kvm
  # refused OUTPUT MESSAGE: the launch failed with MESSAGE and the app did not run
  refused() { printf '%s' "$1" | grep -qF -- "$2" && ! printf '%s' "$1" | grep -q RAN; }
  o=$(SNAPC_FAULT=devcgroup-v1:fail,devcgroup-bpf:fail snapc run iface-probe.run -- /bin/echo RAN 2>&1)
  ok "no v1 controller and no v2 program: refused, the app does not run ($o)" \
    refused "$o" "refusing to run 'snap.iface-probe.run': it needs a device cgroup, there is no cgroup v1 devices controller; cgroup v2:"
  o=$(SNAPC_FAULT=devcgroup-v1:fail,devcgroup-v2-mount:fail snapc run iface-probe.run -- /bin/echo RAN 2>&1)
  ok "no v1 controller and no cgroup2 mount: refused ($o)" refused "$o" "no cgroup2 file system is mounted"
  o=$(SNAPC_DEVCGROUP=v2 SNAPC_FAULT=devcgroup-bpf:fail snapc run iface-probe.run -- /bin/echo RAN 2>&1)
  ok "forced v2 that fails is refused, not run under v1 ($o)" refused "$o" "SNAPC_DEVCGROUP=v2 was asked for"
  ok "disconnect everything: only the standard nodes left" sh -c \
    "snapc disconnect iface-probe:kvm && { [ -z '$GRANT_PLUG' ] || snapc disconnect iface-probe:$GRANT_PLUG; }"
  ok "only standard nodes: runs without any device cgroup (Landlock confines /dev)" sh -c \
    "[ \"\$(SNAPC_FAULT=devcgroup-v1:fail,devcgroup-v2-mount:fail snapc run iface-probe.run -- /bin/echo RAN)\" = RAN ]"
  ok "a failing live update fails the setup" sh -c \
    "SNAPC_FAULT=devcgroup-update:fail snapc debug setup-profiles --root '$R' iface-probe x1 2>&1 |
     grep -q 'cannot update device cgroups'"
else
  t_skip "fail closed" "snapc-confine built without fault injection"
fi

# ---- (d) cleanup: removing the snap removes both groups and frees the program ----
ok "remove iface-probe" snapc remove iface-probe
left=$(ls -d $V1DIR/$GROUP ${V2MNT:+$V2MNT/$GROUP} 2>/dev/null)
ok "no device group of iface-probe is left (v1, v2)" test -z "$left"
if [ -n "$V2MNT" ] && [ -n "${V2_PROG:-}" ]; then
  gone() { for _ in $(seq 50); do bpfq alive "$1" || return 0; sleep 0.1; done; return 1; }
  ok "the device program (id $V2_PROG) is freed" gone "$V2_PROG"
fi
t_daemon_stop
t_end
