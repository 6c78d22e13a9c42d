#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Interfaces end to end (issue #5), through the real daemon and the real launcher: for each
# interface with a kernel-enforceable effect here, the action is denied before connect,
# allowed after, and denied again after disconnect; every denial is paired with the same
# action succeeding unconfined. Also: connections across refresh and remove, the real snap
# client, bad input, and every generated AppArmor profile compiles.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
skip_all() {
  t_skip "interfaces end to end" "$1"
  t_end
  exit 0
}
t_need_root || skip_all "needs root (loop mounts, namespaces, device cgroups)"
[ -x /bin/busybox ] || skip_all "busybox-static not installed"
command -v mksquashfs >/dev/null || skip_all "squashfs-tools not installed"
[ -x "$SNAPC_BIN/snapc-confine" ] || skip_all "no snapc-confine in $SNAPC_BIN"

R=$T/root
export SNAPC_ROOT=$R
out=$T/out
mkdir -p "$out" "$R"
LIB=$R/var/lib/snapd
. "$SNAPC_SRC/tests/helpers/confine-fixture.sh" # cf_try_syscall
CF_TRY=$(cf_try_syscall) || skip_all "cannot build try-syscall (needs static libc)"

# ---- fixtures: tests/snaps/{iface-probe,probe-gadget,content-*} plus the busybox base ----
"$SNAPC_SRC/tests/snaps/make-busybox-base.sh" "$T/bb" >/dev/null || skip_all "cannot build the busybox base"
snapc pack "$T/bb" "$out" >/dev/null || skip_all "cannot pack the busybox base"
cp -a "$SNAPS/iface-probe" "$T/iface-probe"
cp "$CF_TRY" "$T/iface-probe/bin/try-syscall"
for s in probe-gadget content-provider content-consumer; do cp -a "$SNAPS/$s" "$T/$s"; done
for s in iface-probe probe-gadget content-provider content-consumer; do
  snapc pack "$T/$s" "$out" >/dev/null || skip_all "cannot pack $s"
done
BASE=$(ls "$out"/busybox-base_*.snap)
PROBE=$(ls "$out"/iface-probe_*.snap)
GADGET=$(ls "$out"/probe-gadget_*.snap)
PROVIDER=$(ls "$out"/content-provider_*.snap)
CONSUMER=$(ls "$out"/content-consumer_*.snap)

# unconfined / confined probes
host_try() { "$CF_TRY" "$@" 2>&1; }
in_try() { snapc run iface-probe.run -- /snap/iface-probe/current/bin/try-syscall "$@" 2>&1; }
inside() { snapc run iface-probe.run -- "$@"; }
state_conns() {
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["data"].get("conns", {}), sort_keys=True))' "$LIB/state.json"
}

# device cgroups and namespaces outlive the daemon: remove them before t_cleanup unmounts
victim=""
iface_cleanup() {
  local s p
  [ -n "$victim" ] && kill "$victim" 2>/dev/null
  for p in ${_t_daemons:-}; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  _t_daemons=""
  for s in iface-probe content-consumer content-provider; do
    snapc debug remove-profiles --root "$R" "$s" >/dev/null 2>&1
  done
  t_cleanup
}
trap iface_cleanup EXIT

t_daemon_start "$R"
ok "install the busybox base" snapc install --dangerous "$BASE"
ok "install the gadget (serial-port slot uart0)" snapc install --dangerous "$GADGET"
ok "install iface-probe" snapc install --dangerous "$PROBE"
ok "install content-provider and content-consumer" sh -c \
  "snapc install --dangerous '$PROVIDER' && snapc install --dangerous '$CONSUMER'"
ok "iface-probe runs in its sandbox" sh -c "[ \"\$(snapc run iface-probe.run -- /bin/echo hi)\" = hi ]"

# deny_allow NAME PLUG SLOT PROBE...: the try-syscall PROBE... answers OK unconfined, is
# denied (E*) confined before the connection, OK after connect, denied after disconnect.
# SLOT may be empty (the system's slot).
denied() { # OUTPUT: every line is "probe EPERM|EACCES|ENOENT" (not visible), at least one E(PERM|ACCES)
  [ -n "$1" ] && ! printf '%s\n' "$1" | grep -qvE ' (EPERM|EACCES|ENOENT)$' &&
    printf '%s\n' "$1" | grep -qE ' (EPERM|EACCES)$'
}
allowed() { [ -n "$1" ] && ! printf '%s\n' "$1" | grep -qv ' OK$'; }
deny_allow() {
  local name=$1 plug=$2 slot=$3; shift 3
  local o
  if [ -n "${HOST_ARGS:-}" ]; then o=$(host_try $HOST_ARGS); else o=$(host_try "$@"); fi
  ok "$name: unconfined $* -> OK" allowed "$o" || t_diag "$o"
  o=$(in_try "$@")
  ok "$name: confined, not connected: denied ($(echo $o))" denied "$o"
  ok "$name: snapc connect iface-probe:$plug $slot" snapc connect "iface-probe:$plug" $slot
  o=$(in_try "$@")
  ok "$name: connected: allowed ($(echo $o))" allowed "$o"
  ok "$name: snapc disconnect iface-probe:$plug $slot" snapc disconnect "iface-probe:$plug" $slot
  o=$(in_try "$@")
  ok "$name: disconnected: denied again ($(echo $o))" denied "$o"
}

# ---- serial-port: gadget slot uart0, path /dev/ttyS0 ----
if [ -c /dev/ttyS0 ]; then
  ok "serial-port: unconfined busybox stty -F /dev/ttyS0 works" busybox stty -F /dev/ttyS0
  fails "serial-port: confined stty -F /dev/ttyS0 fails before connect" inside /bin/stty -F /dev/ttyS0
  deny_allow serial-port serial probe-gadget:uart0 open_rw=/dev/ttyS0
  ok "serial-port: connect again, stty -F /dev/ttyS0 works confined" sh -c \
    "snapc connect iface-probe:serial probe-gadget:uart0 && snapc run iface-probe.run -- /bin/stty -F /dev/ttyS0"
  ok "serial-port: disconnect" snapc disconnect iface-probe:serial probe-gadget:uart0
else
  t_skip "serial-port" "no /dev/ttyS0 on this machine"
fi

# ---- hardware-random-observe: /dev/hwrng ----
if [ -c /dev/hwrng ] && [ "$(host_try read_nb=/dev/hwrng)" = "read_nb OK" ]; then
  deny_allow hardware-random-observe hardware-random-observe "" read_nb=/dev/hwrng
else
  t_skip "hardware-random-observe" "/dev/hwrng missing or unreadable on the host ($(host_try read_nb=/dev/hwrng))"
fi

# ---- kvm: /dev/kvm opened read/write ----
if [ -c /dev/kvm ]; then
  deny_allow kvm kvm "" open_rw=/dev/kvm
else
  t_skip "kvm" "no /dev/kvm on this machine"
fi

# ---- block-devices: read the disk (or a loop device when the host may not read it) ----
disk=""
for d in /dev/vda /dev/sda /dev/nvme0n1 /dev/mmcblk0; do
  if [ -b "$d" ] && [ "$(host_try read=$d)" = "read OK" ]; then disk=$d; break; fi
done
if [ -z "$disk" ]; then
  t_diag "no whole disk readable on the host ($(host_try read=/dev/vda)); using a loop device"
  head -c 1048576 /dev/zero >"$T/disk.img"
  disk=$(losetup --find --show "$T/disk.img")
fi
deny_allow "block-devices ($disk)" block-devices "" read="$disk"

# ---- network-bind: TCP listen (Landlock ABI >= 4); it auto-connects ----
abi=$(snapc debug sandbox-features --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["landlock"]["abi"])')
if [ "$abi" -ge 4 ]; then
  ok "network-bind was auto-connected at install" sh -c "snapc connections iface-probe | grep -q 'iface-probe:network-bind'"
  ok "network-bind: disconnect the auto-connection first" snapc disconnect iface-probe:network-bind
  deny_allow network-bind network-bind "" tcp_listen=18431
else
  t_skip "network-bind" "Landlock ABI $abi < 4: TCP ports are not enforceable"
fi

# ---- home: a non-hidden file in root's home; with a root prefix that is ROOT/root ----
echo "home file" >"$R/root/probe-home.txt"
HOST_ARGS="read=$R/root/probe-home.txt" deny_allow home home "" read=/root/probe-home.txt

# ---- system-files: plug etc-probe reads /etc/snapc-probe.conf and writes /var/lib/snapc-probe
#      (paths of the device, so under ROOT); the base has neither: the connection mounts them ----
mkdir -p "$R/etc" "$R/var/lib/snapc-probe"
echo "probe config" >"$R/etc/snapc-probe.conf"
SF_PROBES="read=/etc/snapc-probe.conf write=/var/lib/snapc-probe/out"
ok "system-files: unconfined read/write of \$R/etc/snapc-probe.conf, \$R/var/lib/snapc-probe" \
  allowed "$(host_try read="$R/etc/snapc-probe.conf" write="$R/var/lib/snapc-probe/out")"
rm -f "$R/var/lib/snapc-probe/out"
o=$(in_try $SF_PROBES)
ok "system-files: not connected: not even visible ($(echo $o))" sh -c \
  "[ '$(echo $o)' = 'read ENOENT write ENOENT' ]"
ok "system-files: connect iface-probe:etc-probe" snapc connect iface-probe:etc-probe
o=$(in_try $SF_PROBES read=/etc/passwd ls=/var/lib/snapd)
ok "system-files: connected: read and write allowed, base /etc and /var/lib/snapd still there ($(echo $o))" \
  sh -c "[ '$(echo $o)' = 'read OK write OK read OK ls EACCES' ]"
ok "system-files: the file is the device's" sh -c \
  "[ \"\$(snapc run iface-probe.run -- /bin/cat /etc/snapc-probe.conf)\" = 'probe config' ] &&
   [ -f '$R/var/lib/snapc-probe/out' ]"
ok "system-files: /etc stays read-only, nothing else writable there" sh -c \
  "snapc run iface-probe.run -- /snap/iface-probe/current/bin/try-syscall write=/etc/new write=/etc/snapc-probe.conf |
   grep -qvE ' OK$'"
ok "system-files: disconnect" snapc disconnect iface-probe:etc-probe
o=$(in_try $SF_PROBES)
ok "system-files: disconnected: gone again ($(echo $o))" sh -c "[ '$(echo $o)' = 'read ENOENT write ENOENT' ]"

# ---- log-observe: a file in /var/log (ROOT/var/log) and /dev/kmsg ----
mkdir -p "$R/var/log"
echo "log line" >"$R/var/log/probe.log"
HOST_ARGS="ls=$R/var/log read=$R/var/log/probe.log" deny_allow log-observe log-observe "" ls=/var/log read=/var/log/probe.log
svc_try() { snapc run iface-probe.svc -- /snap/iface-probe/current/bin/try-syscall "$@" 2>&1; }
ok "log-observe: unconfined /dev/kmsg read (root, CAP_SYSLOG)" allowed "$(host_try read_nb=/dev/kmsg)"
o=$(svc_try read_nb=/dev/kmsg)
ok "log-observe: service, not connected: /dev/kmsg denied ($o)" denied "$o"
ok "log-observe: connect" snapc connect iface-probe:log-observe
o=$(svc_try read_nb=/dev/kmsg read=/var/log/probe.log)
ok "log-observe: service, connected: /dev/kmsg and /var/log allowed ($(echo $o))" allowed "$o"
o=$(in_try read_nb=/dev/kmsg)
if [ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" = 1 ]; then
  ok "log-observe: an app (no capabilities) still cannot read /dev/kmsg: dmesg_restrict=1 ($o)" \
    sh -c "[ '$o' = 'read_nb EPERM' ]"
else
  ok "log-observe: app, connected: /dev/kmsg allowed ($o)" allowed "$o"
fi
ok "log-observe: /dev/kmsg stays read-only" sh -c "[ \"\$(snapc run iface-probe.svc -- /snap/iface-probe/current/bin/try-syscall write=/dev/kmsg)\" != 'write OK' ]"
ok "log-observe: disconnect" snapc disconnect iface-probe:log-observe
o=$(svc_try read_nb=/dev/kmsg read=/var/log/probe.log)
ok "log-observe: service, disconnected: denied again ($(echo $o))" denied "$o"

# ---- process-control: signal a process outside the sandbox (Landlock signal scope) ----
if [ "$abi" -ge 6 ]; then
  sleep 600 &
  victim=$!
  deny_allow process-control process-control "" signal=$victim
  kill $victim 2>/dev/null; wait $victim 2>/dev/null
else
  t_skip "process-control" "Landlock ABI $abi < 6: no signal scoping, kill is not confined"
fi

# ---- content: content-provider:data at content-consumer's $SNAP/ext ----
cons() { snapc run content-consumer.run -- "$@" 2>&1; }
ok "content: auto-connected (both local snaps: same publisher)" sh -c "snapc connections content-consumer | grep -q 'content-consumer:data'"
ok "content: the provider's file is visible at \$SNAP/ext" sh -c \
  "[ \"\$(snapc run content-consumer.run -- /bin/cat /snap/content-consumer/current/ext/hello.txt)\" = 'shared by content-provider' ]"
ok "content: disconnect" snapc disconnect content-consumer:data content-provider:data
o=$(cons /bin/cat /snap/content-consumer/current/ext/hello.txt)
ok "content: disconnected: not visible ($o)" sh -c "! snapc run content-consumer.run -- /bin/cat /snap/content-consumer/current/ext/hello.txt"
ok "content: connect" snapc connect content-consumer:data content-provider:data
ok "content: connected again: visible" sh -c \
  "[ \"\$(snapc run content-consumer.run -- /bin/cat /snap/content-consumer/current/ext/hello.txt)\" = 'shared by content-provider' ]"

# ---- every connection at once: profiles compile, the device cgroup lists the granted nodes ----
all_plugs="serial:probe-gadget:uart0 hardware-random-observe kvm block-devices network-bind home etc-probe log-observe process-control"
ok "connect every plug of iface-probe" sh -c "
  for p in $all_plugs; do
    plug=\${p%%:*}; slot=\${p#\$plug}; slot=\${slot#:}
    snapc connect iface-probe:\$plug \$slot >/dev/null || exit 1
  done"
if command -v apparmor_parser >/dev/null; then
  n=0
  for f in "$LIB"/apparmor/profiles/*; do
    ok "apparmor_parser -QK accepts $(basename "$f")" apparmor_parser -QK "$f"
    n=$((n + 1))
  done
  ok "AppArmor profiles were generated for every app ($n)" test "$n" -ge 3
else
  t_skip "AppArmor profiles compile" "apparmor_parser not installed"
fi
for f in "$LIB"/seccomp/bpf/snap.iface-probe.*.src; do
  ok "seccomp source $(basename "$f") compiles" snapc debug compile-seccomp "$f" "$T/out.bin2"
done
if [ -f /sys/fs/cgroup/devices/devices.list ] && [ -c /dev/ttyS0 ]; then
  cgpath=$(snapc run iface-probe.run -- /bin/cat /proc/self/cgroup | sed -n 's/^[0-9]*:devices:\///p')
  ok "the device cgroup ($cgpath) allows /dev/ttyS0, /dev/kvm, /dev/hwrng, nothing else broad" sh -c "
    l=/sys/fs/cgroup/devices/$cgpath/devices.list
    grep -qx 'c 4:64 rwm' \$l && grep -qx 'c 10:232 rwm' \$l && grep -qx 'c 10:183 rwm' \$l && ! grep -q '^a ' \$l"
else
  t_skip "device cgroup contents" "no cgroup v1 devices controller or no /dev/ttyS0"
fi
snapc connections --all iface-probe >"$T/conns-x1.txt"
ok "all nine plugs are listed as connected" sh -c "[ \$(grep -c ' manual$' '$T/conns-x1.txt') = 9 ]"

# ---- refresh: connections survive, the new revision's profiles carry them ----
ok "refresh iface-probe (install the same file again)" snapc install --dangerous "$PROBE"
ok "iface-probe is at x2" sh -c "[ \$(readlink '$R/snap/iface-probe/current') = x2 ]"
snapc connections --all iface-probe >"$T/conns-x2.txt"
ok "connections are the same after the refresh" diff "$T/conns-x1.txt" "$T/conns-x2.txt"
o=$(in_try open_rw=/dev/kvm tcp_listen=18431 read=/root/probe-home.txt read=/etc/snapc-probe.conf)
ok "x2 still has the grants ($(echo $o))" allowed "$o"
ok "x2 runs from /snap/iface-probe/x2" sh -c \
  "snapc run iface-probe.run -- /bin/sh -c 'echo \$SNAP' | grep -qx /snap/iface-probe/x2"

# ---- the real snap client agrees ----
if command -v snap >/dev/null; then
  # same rows (interface without snap's [content label], plug, slot, notes)
  SNAPPY_GLOBAL_ROOT="$R" snap connections iface-probe 2>&1 | awk 'NR > 1 {sub(/\[.*\]/, "", $1); print $1, $2, $3, $4}' | sort >"$T/snap-conns.txt"
  snapc connections --all iface-probe | awk 'NR > 1 {print $1, $2, $3, $4}' | sort >"$T/snapc-conns.txt"
  ok "snap connections iface-probe = snapc connections --all iface-probe" diff "$T/snap-conns.txt" "$T/snapc-conns.txt"
  SNAPPY_GLOBAL_ROOT="$R" snap connections 2>&1 | awk 'NR > 1 {sub(/\[.*\]/, "", $1); print $1, $2, $3, $4}' | sort >"$T/snap-conns.txt"
  snapc connections | awk 'NR > 1 {print $1, $2, $3, $4}' | sort >"$T/snapc-conns.txt"
  ok "snap connections (every snap) = snapc connections" diff "$T/snap-conns.txt" "$T/snapc-conns.txt"
  ok "snap disconnect iface-probe:kvm" env SNAPPY_GLOBAL_ROOT="$R" snap disconnect iface-probe:kvm
  ok "snapc sees it disconnected" sh -c "snapc connections --all iface-probe | grep -E '^kvm ' | grep -q ' - '"
  o=$(in_try open_rw=/dev/kvm)
  ok "and the sandbox denies /dev/kvm again ($o)" denied "$o"
  ok "snap connect iface-probe:kvm" env SNAPPY_GLOBAL_ROOT="$R" snap connect iface-probe:kvm
  ok "snapc sees it connected" sh -c "snapc connections iface-probe | grep -E '^kvm ' | grep -q ':kvm'"
  o=$(in_try open_rw=/dev/kvm)
  ok "and the sandbox allows /dev/kvm ($o)" allowed "$o"
  fails "snap connect of an unknown plug fails" env SNAPPY_GLOBAL_ROOT="$R" snap connect iface-probe:nope
else
  t_skip "real snap client" "snap not installed"
fi

# ---- bad input: clear errors, nothing changed ----
before=$(state_conns)
profiles_before=$(cat "$LIB"/confine/snap.iface-probe.run.launch | sha256sum)
bad_connect() { # DESC EXPECTED-MESSAGE ARGS...
  local desc=$1 msg=$2; shift 2
  local o rc=0
  o=$(snapc connect "$@" 2>&1) || rc=$?
  ok "$desc: refused with '$msg'" sh -c "[ $rc -ne 0 ] && printf '%s' \"\$1\" | grep -qF -- \"\$2\"" _ "$o" "$msg"
}
bad_connect "unknown plug" 'snap "iface-probe" has no plug named "nope"' iface-probe:nope
bad_connect "interface mismatch" "interface mismatch" iface-probe:kvm probe-gadget:uart0
bad_connect "slot that does not exist" 'snap "probe-gadget" has no slot named "uart9"' iface-probe:serial probe-gadget:uart9
bad_connect "unknown system slot" 'the system has no slot named "nope"' iface-probe:kvm :nope
bad_connect "plug of an unknown interface" 'plug iface-probe:bogus has unknown interface "no-such-interface"' iface-probe:bogus
bad_connect "snap not installed" 'snap "nosnap" is not installed' nosnap:x
o=$(snapc disconnect iface-probe:serial probe-gadget:uart9 2>&1)
ok "disconnect of a slot that does not exist is refused ($o)" sh -c "! snapc disconnect iface-probe:serial probe-gadget:uart9 2>/dev/null"
ok "connections unchanged by the refused requests" test "$(state_conns)" = "$before"
ok "profiles unchanged by the refused requests" test "$(cat "$LIB"/confine/snap.iface-probe.run.launch | sha256sum)" = "$profiles_before"

# install-time attribute errors: the install fails, nothing is mounted, recorded or rendered
bad_snap() { # NAME SRCDIR SED-EXPR: a copy of SRCDIR renamed NAME with SED-EXPR applied
  cp -a "$2" "$T/bad-$1"
  sed -i -e "s/^name: .*/name: $1/" -e "$3" "$T/bad-$1/meta/snap.yaml"
  snapc pack "$T/bad-$1" "$T/badout" >/dev/null 2>&1
  ls "$T"/badout/"$1"_*.snap
}
mkdir -p "$T/badout"
bad_install() { # DESC NAME FILE EXPECTED-MESSAGE
  local desc=$1 name=$2 file=$3 msg=$4
  local o rc=0
  local mounts_before loops_before
  mounts_before=$(t_mounts_for "$R")
  loops_before=$(t_loops_for "$R")
  o=$(snapc install --dangerous "$file" 2>&1) || rc=$?
  ok "$desc: install refused with '$msg'" sh -c "[ $rc -ne 0 ] && printf '%s' \"\$1\" | grep -qF -- \"\$2\"" _ "$o" "$msg"
  ok "$desc: nothing mounted, recorded or rendered" bash -c "
    [ \$(t_mounts_for '$R') = $mounts_before ] && [ \$(t_loops_for '$R') = $loops_before ] &&
    [ ! -e '$R/snap/$name' ] && [ ! -e '$LIB/snaps/${name}_x1.snap' ] &&
    ! ls '$LIB'/confine/snap.$name.* '$LIB'/apparmor/profiles/snap.$name.* >/dev/null 2>&1 &&
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))[\"data\"]; sys.exit(sys.argv[2] in s[\"snaps\"] or any(sys.argv[2] in k for k in s.get(\"conns\", {})))' '$LIB/state.json' '$name'"
}
f=$(bad_snap gpio-gadget "$T/probe-gadget" 's|^    interface: serial-port|    interface: gpio|; s|^    path: /dev/ttyS0|    number: 70000|')
bad_install "gpio number out of range" gpio-gadget "$f" "number"
f=$(bad_snap tty-gadget "$T/probe-gadget" 's|path: /dev/ttyS0|path: /dev/sda|')
bad_install "serial-port path outside /dev/tty*" tty-gadget "$f" "'/dev/sda'"
f=$(bad_snap files-probe "$T/iface-probe" 's|- /etc/snapc-probe.conf|- /etc/../etc/shadow|')
bad_install "system-files path with '..'" files-probe "$f" "'..'"
ok "connections unchanged by the refused installs" test "$(state_conns)" = "$before"

# ---- remove: the connections go with the snap ----
ok "remove iface-probe" snapc remove iface-probe
ok "snapc connections lists nothing of iface-probe" sh -c "! snapc connections --all | grep -q iface-probe"
ok "state.json has no connection of iface-probe" sh -c "! state_conns() { :; }; python3 -c 'import json,sys; sys.exit(any(\"iface-probe\" in k for k in json.load(open(sys.argv[1]))[\"data\"].get(\"conns\", {})))' '$LIB/state.json'"
ok "its profiles are gone" sh -c "! ls '$LIB'/confine/snap.iface-probe.* '$LIB'/apparmor/profiles/snap.iface-probe.* >/dev/null 2>&1"
ok "the gadget's slot is no longer connected" sh -c "! snapc connections probe-gadget | grep -q uart0"
ok "remove content-provider: the consumer's connection goes too" sh -c "
  snapc remove content-provider && ! snapc connections --all | grep -q content-provider &&
  ! snapc run content-consumer.run -- /bin/cat /snap/content-consumer/current/ext/hello.txt 2>/dev/null"

t_daemon_stop
t_end
