#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Interfaces end to end (issue #5), through the real daemon and the real launcher: for each
# interface with a kernel-enforceable effect here, the action is denied before connect,
# allowed after, and denied again after disconnect; every denial is paired with the same
# action succeeding unconfined. Also: connections across refresh and remove, the real snap
# client, bad input, and every generated AppArmor profile compiles.
#
# The devices are the test's own (tests/helpers/devices.sh), so every check runs on every
# machine of this kind: loop devices it sets up (one numbered above 99) and /dev/loop-control
# for block-devices and the gadget's custom-device slots; a node it makes at the gadget's
# serial-port path (a clone of /dev/ptmx: a terminal, so stty works on it); and for kvm and
# hardware-random-observe, whose paths are fixed, the kernel's device when it has one, else a
# node with the kernel's numbers and no driver behind it (it opens with ENODEV: the sandbox let
# the open through to the kernel). Device checks run in each device cgroup mode of the host
# (v1, and v2 forced with SNAPC_DEVCGROUP=v2).
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
. "$SNAPC_SRC/tests/helpers/confine-fixture.sh" # cf_need, cf_step, cf_fail_all, cf_try_syscall
. "$SNAPC_SRC/tests/helpers/devices.sh"
cf_need
cf_need_landlock
abi=$CF_LANDLOCK_ABI

export SNAPC_ROOT=$R
out=$T/out
mkdir -p "$out" "$R"
LIB=$R/var/lib/snapd
CF_TRY=$(cf_try_syscall) || cf_fail_all "cannot build try-syscall (needs static libc)"
trap 'dev_cleanup; t_cleanup' EXIT

# ---- devices: made by the test ----
dev_loop disk || cf_fail_all "cannot set up a loop device"
DISK=$DEV_LOOP
dev_loop big 100 || cf_fail_all "cannot set up a loop device numbered above 99"
BIG=$DEV_LOOP
TTY=/dev/ttyS$((100000 + $$))
dev_node "$TTY" c 5 2 || cf_fail_all "cannot make the serial port $TTY (a clone of /dev/ptmx)"
dev_misc_node kvm /dev/kvm 232 || cf_fail_all "cannot make /dev/kvm"
dev_misc_node hw_random /dev/hwrng 183 || cf_fail_all "cannot make /dev/hwrng"
[ "$DEV_REAL_kvm" = 1 ] || t_diag "the kernel has no kvm: /dev/kvm is a test-made node (c 10:232) without a driver"
[ "$DEV_REAL_hw_random" = 1 ] || t_diag "the kernel has no hwrng: /dev/hwrng is a test-made node (c 10:183) without a driver"
t_diag "devices: $DISK ($(dev_num "$DISK")), $BIG ($(dev_num "$BIG")), $TTY; device cgroup modes: $DEV_MODES"

# ---- fixtures: tests/snaps/{iface-probe,probe-gadget,content-*} plus the busybox base ----
cf_step "build the busybox base" "$SNAPC_SRC/tests/snaps/make-busybox-base.sh" "$T/bb"
cf_step "pack the busybox base" snapc pack "$T/bb" "$out"
cp -a "$SNAPS/iface-probe" "$T/iface-probe"
cp "$CF_TRY" "$T/iface-probe/bin/try-syscall"
for s in probe-gadget content-provider content-consumer; do cp -a "$SNAPS/$s" "$T/$s"; done
sed -i "s|path: /dev/ttyS0|path: $TTY|" "$T/probe-gadget/meta/snap.yaml"
dev_gadget_slots "$T/probe-gadget/meta/snap.yaml" "$DISK"
for s in iface-probe probe-gadget content-provider content-consumer; do
  cf_step "pack $s" snapc pack "$T/$s" "$out"
done
BASE=$(ls "$out"/busybox-base_*.snap)
PROBE=$(ls "$out"/iface-probe_*.snap)
GADGET=$(ls "$out"/probe-gadget_*.snap)
PROVIDER=$(ls "$out"/content-provider_*.snap)
CONSUMER=$(ls "$out"/content-consumer_*.snap)

# unconfined / confined probes
TRY=/snap/iface-probe/current/bin/try-syscall
host_try() { "$CF_TRY" "$@" 2>&1; }
in_try() { snapc run "iface-probe.${APP:-run}" -- "$TRY" "$@" 2>&1; }
in_try_m() { # MODE PROBE...: MODE v1, v2 (forced with SNAPC_DEVCGROUP) or default
  local m=$1
  shift
  if [ "$m" = default ]; then in_try "$@"; else SNAPC_DEVCGROUP=$m in_try "$@"; fi
}
inside() { snapc run iface-probe.run -- "$@"; }
state_conns() {
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["data"].get("conns", {}), sort_keys=True))' "$LIB/state.json"
}
# rows of `snap connections` / `snapc connections`: interface (without snap's [content
# label]), plug, slot, notes
conn_rows() { awk 'NR > 1 {sub(/\[.*\]/, "", $1); print $1, $2, $3, $4}' "$1" | sort; }
# conn_is PLUG SLOT: `snapc connections --all iface-probe` shows PLUG connected to SLOT ("-": not)
conn_is() {
  local o
  o=$(snapc connections --all iface-probe) || return 1
  printf '%s\n' "$o" | awk -v p="$1" -v s="$2" '$2 == p {n++; ok = ok || $3 == s} END {exit !(n == 1 && ok)}'
}
# fails_with_msg DESC MESSAGE CMD...: fails_with on a fixed string
fails_with_msg() {
  local desc=$1 re
  re=$(printf '%s' "$2" | sed 's/[][\.*^$()+?{}|]/\\&/g')
  shift 2
  fails_with "$desc" "$re" "$@"
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
  dev_cleanup
}
trap iface_cleanup EXIT

t_daemon_start "$R" || cf_fail_all "the daemon does not start" "$R.log"
ok "install the busybox base" snapc install --dangerous "$BASE"
ok "install the gadget (serial-port slot uart0, custom-device slots loopdev and loopctl)" snapc install --dangerous "$GADGET"
ok "install iface-probe" snapc install --dangerous "$PROBE"
ok "install content-provider and content-consumer" bash -c \
  "snapc install --dangerous '$PROVIDER' && snapc install --dangerous '$CONSUMER'"
ok_out "iface-probe runs in its sandbox" "hi" snapc run iface-probe.run -- /bin/echo hi

# deny_allow NAME PLUG SLOT PROBE...: the try-syscall PROBE... are reachable unconfined (no
# EACCES, EPERM or ENOENT), denied confined before the connection (each answer EACCES or
# EPERM, or ENOENT for what is not even visible; at least one EACCES or EPERM), answer
# exactly as unconfined after connect, and are denied again after disconnect. SLOT may be
# empty (the system's slot). APP (default run) names the app; HOST_ARGS the unconfined probes
# where paths differ outside; DEV=1 runs each confined probe in every device cgroup mode.
answers_in() { # OUTPUT SET N: N lines, each answer in SET (an ERE alternation)
  [ "$(printf '%s\n' "$1" | grep -cE "^[a-z_0-9]+ ($2)\$")" = "$3" ] && [ "$(printf '%s\n' "$1" | wc -l)" = "$3" ]
}
reachable() { [ -n "$1" ] && ! printf '%s\n' "$1" | grep -qE ' (EACCES|EPERM|ENOENT)$' && answers_in "$1" '[A-Z0-9]+' "$2"; }
denied() { answers_in "$1" 'EPERM|EACCES|ENOENT' "$2" && printf '%s\n' "$1" | grep -qE ' (EPERM|EACCES)$'; }
deny_allow() {
  local name=$1 plug=$2 slot=$3
  shift 3
  local host o m modes=default
  [ -n "${DEV:-}" ] && modes=$DEV_MODES
  # shellcheck disable=SC2086 # HOST_ARGS is a word list
  if [ -n "${HOST_ARGS:-}" ]; then host=$(host_try $HOST_ARGS); else host=$(host_try "$@"); fi
  ok "$name: unconfined: reachable ($(echo $host))" reachable "$host" $#
  for m in $modes; do
    o=$(in_try_m "$m" "$@")
    ok "$name: $m: confined, not connected: denied ($(echo $o))" denied "$o" $#
  done
  ok "$name: snapc connect iface-probe:$plug $slot" snapc connect "iface-probe:$plug" $slot
  for m in $modes; do
    ok_out "$name: $m: connected: as unconfined ($(echo $host))" "$(echo $host)" in_try_m "$m" "$@"
  done
  ok "$name: snapc disconnect iface-probe:$plug $slot" snapc disconnect "iface-probe:$plug" $slot
  for m in $modes; do
    o=$(in_try_m "$m" "$@")
    ok "$name: $m: disconnected: denied again ($(echo $o))" denied "$o" $#
  done
}

# ---- serial-port: the gadget's slot uart0, at the test-made terminal $TTY ----
ok "serial-port: unconfined busybox stty -F $TTY works" busybox stty -F "$TTY"
fails_with "serial-port: confined stty -F $TTY fails before connect" "Permission denied" inside /bin/stty -F "$TTY"
deny_allow serial-port serial probe-gadget:uart0 open_rw="$TTY"
ok "serial-port: connect again, stty -F $TTY works confined" bash -c \
  "snapc connect iface-probe:serial probe-gadget:uart0 && snapc run iface-probe.run -- /bin/stty -F '$TTY'"
ok "serial-port: disconnect" snapc disconnect iface-probe:serial probe-gadget:uart0

# ---- hardware-random-observe: /dev/hwrng ----
DEV=1 deny_allow hardware-random-observe hardware-random-observe "" read_nb=/dev/hwrng

# ---- kvm: /dev/kvm opened read/write; the device cgroup gets the kernel's kvm device only ----
DEV=1 deny_allow kvm kvm "" open_rw=/dev/kvm
ok "kvm: snapc connect iface-probe:kvm" snapc connect iface-probe:kvm
if [ "$DEV_REAL_kvm" = 1 ]; then
  ok "kvm: the launch description lists the kernel's kvm device (c 10:232)" grep -qx 'device c 10:232' "$LIB/confine/snap.iface-probe.run.launch"
else
  ok "kvm: the kernel has no kvm: the launch description lists no kvm device, only the standard nodes" \
    diff <(launch_devices snap.iface-probe.run) <(want_devices)
fi
ok "kvm: snapc disconnect iface-probe:kvm" snapc disconnect iface-probe:kvm

# ---- block-devices: whole disks; here the test's loop devices (one numbered above 99) ----
DEV=1 deny_allow "block-devices ($DISK, $BIG, /dev/loop-control)" block-devices "" read="$DISK" read="$BIG" open_rw=/dev/loop-control

# ---- custom-device: the gadget's slot loopdev names $DISK (app dev plugs loopdev, loopctl) ----
APP=dev DEV=1 deny_allow "custom-device ($DISK)" loopdev probe-gadget:loopdev read="$DISK"
ok "custom-device: connect loopdev" snapc connect iface-probe:loopdev probe-gadget:loopdev
for m in $DEV_MODES; do
  APP=dev ok_out "custom-device: $m: loopdev grants $DISK only: /dev/loop-control (slot loopctl, not connected) gets EPERM" \
    "read OK open_rw EPERM" in_try_m "$m" read="$DISK" open_rw=/dev/loop-control
done
ok "custom-device: disconnect loopdev" snapc disconnect iface-probe:loopdev probe-gadget:loopdev

# ---- network-bind: TCP listen (Landlock ABI >= 4); it auto-connects ----
if [ "$abi" -ge 4 ]; then
  ok "network-bind was auto-connected at install" conn_is iface-probe:network-bind :network-bind
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
ok_out "system-files: unconfined read/write of \$R/etc/snapc-probe.conf, \$R/var/lib/snapc-probe" \
  "read OK write OK" host_try read="$R/etc/snapc-probe.conf" write="$R/var/lib/snapc-probe/out"
rm -f "$R/var/lib/snapc-probe/out"
ok_out "system-files: not connected: not even visible" "read ENOENT write ENOENT" in_try $SF_PROBES
ok "system-files: connect iface-probe:etc-probe" snapc connect iface-probe:etc-probe
ok_out "system-files: connected: read and write allowed, base /etc and /var/lib/snapd still there" \
  "read OK write OK read OK ls EACCES" in_try $SF_PROBES read=/etc/passwd ls=/var/lib/snapd
ok_out "system-files: the file is the device's" "probe config" snapc run iface-probe.run -- /bin/cat /etc/snapc-probe.conf
ok "system-files: the write landed in the device's \$R/var/lib/snapc-probe" test -f "$R/var/lib/snapc-probe/out"
ok_out "system-files: /etc stays read-only (EROFS), the read-only grant too" "write EROFS write EROFS" \
  in_try write=/etc/new write=/etc/snapc-probe.conf
ok "system-files: disconnect" snapc disconnect iface-probe:etc-probe
ok_out "system-files: disconnected: gone again" "read ENOENT write ENOENT" in_try $SF_PROBES

# ---- log-observe: a file in /var/log (ROOT/var/log) and /dev/kmsg ----
mkdir -p "$R/var/log"
echo "log line" >"$R/var/log/probe.log"
HOST_ARGS="ls=$R/var/log read=$R/var/log/probe.log" deny_allow log-observe log-observe "" ls=/var/log read=/var/log/probe.log
svc_try() { snapc run iface-probe.svc -- "$TRY" "$@" 2>&1; }
ok_out "log-observe: unconfined /dev/kmsg read (root, CAP_SYSLOG)" "read_nb OK" host_try read_nb=/dev/kmsg
ok_out "log-observe: service, not connected: /dev/kmsg denied by Landlock" "read_nb EACCES" svc_try read_nb=/dev/kmsg
ok "log-observe: connect" snapc connect iface-probe:log-observe
for m in $DEV_MODES; do
  ok_out "log-observe: $m: service, connected: /dev/kmsg and /var/log allowed" "read_nb OK read OK" \
    env SNAPC_DEVCGROUP=$m snapc run iface-probe.svc -- "$TRY" read_nb=/dev/kmsg read=/var/log/probe.log
done
if [ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" = 1 ]; then
  ok_out "log-observe: an app (no capabilities) still cannot read /dev/kmsg: dmesg_restrict=1" "read_nb EPERM" in_try read_nb=/dev/kmsg
else
  ok_out "log-observe: app, connected: /dev/kmsg allowed" "read_nb OK" in_try read_nb=/dev/kmsg
fi
ok_out "log-observe: /dev/kmsg stays read-only (Landlock)" "write EACCES" svc_try write=/dev/kmsg
ok "log-observe: disconnect" snapc disconnect iface-probe:log-observe
o=$(svc_try read_nb=/dev/kmsg read=/var/log/probe.log)
ok "log-observe: service, disconnected: denied again ($(echo $o))" denied "$o" 2

# ---- process-control: signal a process outside the sandbox (Landlock signal scope) ----
if [ "$abi" -ge 6 ]; then
  sleep 600 &
  victim=$!
  deny_allow process-control process-control "" signal=$victim
  kill $victim 2>/dev/null
  wait $victim 2>/dev/null
else
  t_skip "process-control" "Landlock ABI $abi < 6: no signal scoping, kill is not confined"
fi

# ---- content: content-provider:data at content-consumer's $SNAP/ext ----
EXT=/snap/content-consumer/current/ext/hello.txt
cons() { snapc run content-consumer.run -- "$@"; }
ok_with "content: auto-connected (both local snaps: same publisher)" ' content-consumer:data +content-provider:data ' \
  snapc connections content-consumer
ok_out "content: the provider's file is visible at \$SNAP/ext" "shared by content-provider" cons /bin/cat $EXT
ok "content: disconnect" snapc disconnect content-consumer:data content-provider:data
fails_with "content: disconnected: not visible" "No such file or directory" cons /bin/cat $EXT
ok "content: connect" snapc connect content-consumer:data content-provider:data
ok_out "content: connected again: visible" "shared by content-provider" cons /bin/cat $EXT

# ---- every connection at once: profiles compile, the device cgroups allow the granted nodes ----
all_plugs="serial:probe-gadget:uart0 hardware-random-observe kvm block-devices network-bind home etc-probe
  log-observe process-control loopdev:probe-gadget:loopdev loopctl:probe-gadget:loopctl"
ok "connect every plug of iface-probe" bash -c "
  for p in $(echo $all_plugs); do
    plug=\${p%%:*}; slot=\${p#\$plug}; slot=\${slot#:}
    snapc connect iface-probe:\$plug \$slot >/dev/null || exit 1
  done"
if command -v apparmor_parser >/dev/null; then
  n=0
  for f in "$LIB"/apparmor/profiles/*; do
    ok "apparmor_parser -QK accepts $(basename "$f")" apparmor_parser -QK "$f"
    n=$((n + 1))
  done
  ok "AppArmor profiles were generated for every app ($n)" test "$n" -ge 4
else
  t_skip "AppArmor profiles compile" "apparmor_parser not installed"
fi
for f in "$LIB"/seccomp/bpf/snap.iface-probe.*.src; do
  ok "seccomp source $(basename "$f") compiles" snapc debug compile-seccomp "$f" "$T/out.bin2"
done
# what the launch description of run must list: the test's loop devices and loop-control
# (block-devices), /dev/kmsg (log-observe), the kernel's hwrng and kvm if it has them; never
# the test-made driverless nodes; nothing broad but the standard c 136:*
RUN_WANT="$(dev_num "$DISK")|$(dev_num "$BIG")|c 10:237|c 1:11"
RUN_NOT=""
if [ "$DEV_REAL_hw_random" = 1 ]; then RUN_WANT="$RUN_WANT|c 10:183"; else RUN_NOT="c 10:183"; fi
if [ "$DEV_REAL_kvm" = 1 ]; then RUN_WANT="$RUN_WANT|c 10:232"; else RUN_NOT="${RUN_NOT:+$RUN_NOT|}c 10:232"; fi
run_list_ok() {
  local l
  l=$(launch_devices snap.iface-probe.run) || return 1
  printf '%s\n' "$l"
  [ "$(printf '%s\n' "$l" | grep -cxE "$RUN_WANT")" = "$(echo "$RUN_WANT" | tr '|' '\n' | wc -l)" ] &&
    { [ -z "$RUN_NOT" ] || ! printf '%s\n' "$l" | grep -qxE "$RUN_NOT"; } &&
    ! printf '%s\n' "$l" | grep -v '^c 136:\*$' | grep -q '\*' &&
    [ -z "$(comm -23 <(want_devices) <(printf '%s\n' "$l"))" ]
}
ok "run's launch description lists the standard nodes, ${RUN_WANT//|/, }${RUN_NOT:+, not ${RUN_NOT//|/, }}, nothing broad" run_list_ok
ok "dev's launch description lists exactly the standard nodes, c 10:237 and $(dev_num "$DISK")" \
  diff <(launch_devices snap.iface-probe.dev) <(want_devices "c 10:237" "$(dev_num "$DISK")")
# what each probe reaches: the kernel's hwrng and kvm answer as unconfined; the test-made
# driverless nodes are outside the group (EPERM)
want_hw=EPERM want_kvm=EPERM
[ "$DEV_REAL_hw_random" = 1 ] && want_hw=$(host_try read_nb=/dev/hwrng | cut -d' ' -f2)
[ "$DEV_REAL_kvm" = 1 ] && want_kvm=$(host_try open_rw=/dev/kvm | cut -d' ' -f2)
for m in $DEV_MODES; do
  env SNAPC_DEVCGROUP=$m snapc run iface-probe.run -- /bin/cat /proc/self/cgroup >"$T/cg.run"
  env SNAPC_DEVCGROUP=$m snapc run iface-probe.dev -- /bin/cat /proc/self/cgroup >"$T/cg.dev"
  g_run=$(cg_group_of "$T/cg.run" "$m")
  g_dev=$(cg_group_of "$T/cg.dev" "$m")
  ok "$m: run and dev are each in their own device cgroup ($g_run, $g_dev)" bash -c \
    "case '$g_run' in snapc-*.snap.iface-probe.run) ;; *) exit 1 ;; esac &&
     case '$g_dev' in snapc-*.snap.iface-probe.dev) ;; *) exit 1 ;; esac"
  ok "$m: run's device cgroup allows exactly its launch description's devices" \
    diff <(cg_devices "$m" "$g_run") <(launch_devices snap.iface-probe.run)
  ok "$m: dev's device cgroup allows exactly its launch description's devices" \
    diff <(cg_devices "$m" "$g_dev") <(launch_devices snap.iface-probe.dev)
  ok_out "$m: run reaches $DISK, $BIG, loop-control and $TTY; hwrng and kvm as the kernel has them" \
    "read OK read OK open_rw OK open_rw OK read_nb $want_hw open_rw $want_kvm" \
    in_try_m "$m" read="$DISK" read="$BIG" open_rw=/dev/loop-control open_rw="$TTY" read_nb=/dev/hwrng open_rw=/dev/kvm
done
snapc connections --all iface-probe >"$T/conns-x1.txt"
ok "all eleven plugs are listed as connected" test "$(grep -c ' manual$' "$T/conns-x1.txt")" = 11

# ---- refresh: connections survive, the new revision's profiles carry them ----
ok "refresh iface-probe (install the same file again)" snapc install --dangerous "$PROBE"
ok "iface-probe is at x2" test "$(readlink "$R/snap/iface-probe/current")" = x2
snapc connections --all iface-probe >"$T/conns-x2.txt"
ok "connections are the same after the refresh" diff "$T/conns-x1.txt" "$T/conns-x2.txt"
x2_probes="read=$DISK read=$BIG read=/root/probe-home.txt read=/etc/snapc-probe.conf"
x2_want="read OK read OK read OK read OK"
if [ "$abi" -ge 4 ]; then x2_probes="$x2_probes tcp_listen=18431" x2_want="$x2_want tcp_listen OK"; fi
ok_out "x2 still has the grants of run" "$x2_want" in_try $x2_probes
APP=dev ok_out "x2 still has the grants of dev" "read OK open_rw OK" in_try read="$DISK" open_rw=/dev/loop-control
ok_out "x2 runs from /snap/iface-probe/x2" /snap/iface-probe/x2 snapc run iface-probe.run -- /bin/sh -c 'echo $SNAP'

# ---- the real snap client agrees ----
if command -v snap >/dev/null; then
  ok "snap connections iface-probe = snapc connections --all iface-probe" bash -c "
    SNAPPY_GLOBAL_ROOT='$R' snap connections iface-probe >'$T/snap.txt' && snapc connections --all iface-probe >'$T/snapc.txt' &&
    diff <(conn_rows '$T/snap.txt') <(conn_rows '$T/snapc.txt')"
  ok "snap connections (every snap) = snapc connections" bash -c "
    SNAPPY_GLOBAL_ROOT='$R' snap connections >'$T/snap.txt' && snapc connections >'$T/snapc.txt' &&
    diff <(conn_rows '$T/snap.txt') <(conn_rows '$T/snapc.txt')"
  ok "snap disconnect iface-probe:loopdev" env SNAPPY_GLOBAL_ROOT="$R" snap disconnect iface-probe:loopdev
  ok "snapc sees it disconnected" conn_is iface-probe:loopdev -
  for m in $DEV_MODES; do
    APP=dev ok_out "$m: and the device cgroup denies $DISK again" "read EPERM" in_try_m "$m" read="$DISK"
  done
  ok "snap connect iface-probe:loopdev probe-gadget:loopdev" env SNAPPY_GLOBAL_ROOT="$R" snap connect iface-probe:loopdev probe-gadget:loopdev
  ok "snapc sees it connected" conn_is iface-probe:loopdev probe-gadget:loopdev
  for m in $DEV_MODES; do
    APP=dev ok_out "$m: and the sandbox allows $DISK" "read OK" in_try_m "$m" read="$DISK"
  done
  fails "snap connect of an unknown plug fails" env SNAPPY_GLOBAL_ROOT="$R" snap connect iface-probe:nope
else
  t_skip "real snap client" "snap not installed"
fi

# ---- bad input: clear errors, nothing changed ----
before=$(state_conns)
profiles_before=$(sha256sum <"$LIB"/confine/snap.iface-probe.run.launch)
bad_connect() { # DESC EXPECTED-MESSAGE ARGS...
  local desc=$1 msg=$2
  shift 2
  fails_with_msg "$desc: refused with '$msg'" "$msg" snapc connect "$@"
}
bad_connect "unknown plug" 'snap "iface-probe" has no plug named "nope"' iface-probe:nope
bad_connect "interface mismatch" "interface mismatch" iface-probe:kvm probe-gadget:uart0
bad_connect "slot that does not exist" 'snap "probe-gadget" has no slot named "uart9"' iface-probe:serial probe-gadget:uart9
bad_connect "unknown system slot" 'the system has no slot named "nope"' iface-probe:kvm :nope
bad_connect "plug of an unknown interface" 'plug iface-probe:bogus has unknown interface "no-such-interface"' iface-probe:bogus
bad_connect "snap not installed" 'snap "nosnap" is not installed' nosnap:x
bad_connect "custom-device label mismatch" "custom-device mismatch" iface-probe:loopdev probe-gadget:loopctl
fails_with_msg "disconnect of a slot that does not exist is refused" 'snap "probe-gadget" has no slot named "uart9"' \
  snapc disconnect iface-probe:serial probe-gadget:uart9
ok "connections unchanged by the refused requests" test "$(state_conns)" = "$before"
ok "profiles unchanged by the refused requests" test "$(sha256sum <"$LIB"/confine/snap.iface-probe.run.launch)" = "$profiles_before"

# install-time attribute errors: the install fails, nothing is mounted, recorded or rendered
bad_snap() { # NAME SRCDIR SED-EXPR: a copy of SRCDIR renamed NAME with SED-EXPR applied
  cp -a "$2" "$T/bad-$1"
  sed -i -e "s/^name: .*/name: $1/" -e "$3" "$T/bad-$1/meta/snap.yaml"
  cf_step "pack bad-$1" snapc pack "$T/bad-$1" "$T/badout"
}
mkdir -p "$T/badout"
bad_install() { # DESC NAME EXPECTED-MESSAGE
  local desc=$1 name=$2 msg=$3
  local mounts_before loops_before
  mounts_before=$(t_mounts_for "$R")
  loops_before=$(t_loops_for "$R")
  fails_with_msg "$desc: install refused with '$msg'" "$msg" snapc install --dangerous "$T"/badout/"$name"_*.snap
  ok "$desc: nothing mounted, recorded or rendered" bash -c "
    [ \$(t_mounts_for '$R') = $mounts_before ] && [ \$(t_loops_for '$R') = $loops_before ] &&
    [ ! -e '$R/snap/$name' ] && [ ! -e '$LIB/snaps/${name}_x1.snap' ] &&
    ! ls '$LIB'/confine/snap.$name.* '$LIB'/apparmor/profiles/snap.$name.* >/dev/null 2>&1 &&
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))[\"data\"]; sys.exit(sys.argv[2] in s[\"snaps\"] or any(sys.argv[2] in k for k in s.get(\"conns\", {})))' '$LIB/state.json' '$name'"
}
bad_snap gpio-gadget "$T/probe-gadget" "s|^    interface: serial-port|    interface: gpio|; s|^    path: $TTY|    number: 70000|"
bad_install "gpio number out of range" gpio-gadget "number"
bad_snap tty-gadget "$T/probe-gadget" "s|path: $TTY|path: /dev/sda|"
bad_install "serial-port path outside /dev/tty*" tty-gadget "'/dev/sda'"
bad_snap files-probe "$T/iface-probe" 's|- /etc/snapc-probe.conf|- /etc/../etc/shadow|'
bad_install "system-files path with '..'" files-probe "'..'"
ok "connections unchanged by the refused installs" test "$(state_conns)" = "$before"

# ---- remove: the connections go with the snap ----
# none_of OUT-CMD PATTERN: CMD succeeds and its output has no line matching PATTERN
none_of() { local o; o=$($1) || return 1; ! printf '%s\n' "$o" | grep -q -- "$2"; }
ok "remove iface-probe" snapc remove iface-probe
ok "snapc connections lists nothing of iface-probe" none_of "snapc connections --all" iface-probe
ok "state.json has no connection of iface-probe" python3 -c 'import json,sys; sys.exit(any("iface-probe" in k for k in json.load(open(sys.argv[1]))["data"].get("conns", {})))' "$LIB/state.json"
ok "its profiles are gone" bash -c "! ls '$LIB'/confine/snap.iface-probe.* '$LIB'/apparmor/profiles/snap.iface-probe.* >/dev/null 2>&1"
ok "the gadget's slots are no longer connected" none_of "snapc connections probe-gadget" "iface-probe"
ok "remove content-provider" snapc remove content-provider
ok "the consumer's connection went with it" none_of "snapc connections --all" content-provider
fails_with "the consumer no longer sees the content" "No such file or directory" cons /bin/cat $EXT

t_daemon_stop
t_end
