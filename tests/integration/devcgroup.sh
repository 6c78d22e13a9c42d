#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Device cgroups, v1 and v2, through the real daemon and launcher (docs/confinement.md
# "Devices"), on devices the test makes (tests/helpers/devices.sh): a loop device it sets up
# (block 7:N) and /dev/loop-control (char 10:237), granted by the gadget's custom-device slots
# loopdev and loopctl to iface-probe's app `dev`; a second loop device is never granted.
#
# Every check runs in each mode the host has: v1 where the devices controller is mounted, v2
# (the BPF device program) wherever cgroup2 is mounted, forced with SNAPC_DEVCGROUP=v2 on a
# hybrid host. In each: the app runs in its own group of that hierarchy and nowhere else new,
# the group allows exactly the devices of the launch description (v1: devices.list; v2: the
# attached program read back from the kernel), ungranted devices get EPERM, connect and
# disconnect change the device set of a running app at once; a launch that needs a device
# cgroup and gets none is refused; removing the snap removes the groups and frees the programs.
#
# Which layer denies: the device cgroup answers EPERM, before Landlock (EACCES) is asked. A
# running app keeps the Landlock rules of its launch: one started before the loop device is
# connected gets EACCES after the connect (its group allows the device now, its Landlock does
# not); one started while connected (Landlock grants the node for its lifetime) sees every
# later connect and disconnect through its device cgroup alone. Each denial is paired with the
# same action succeeding unconfined.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
. "$SNAPC_SRC/tests/helpers/confine-fixture.sh" # cf_need, cf_step, cf_fail_all, cf_try_syscall
. "$SNAPC_SRC/tests/helpers/devices.sh"
cf_need
cf_need_landlock
if [ -z "$DEV_MODES" ]; then
  t_skip "device cgroups" "the kernel has neither a cgroup v1 devices controller nor a cgroup2 file system"
  t_end
  exit 0
fi
t_diag "device cgroup modes on this host: $DEV_MODES"

export SNAPC_ROOT=$R
out=$T/out
mkdir -p "$out" "$R"
CF_TRY=$(cf_try_syscall) || cf_fail_all "cannot build try-syscall (needs static libc)"

# ---- fixtures: two loop devices, the busybox base, the gadget, iface-probe ----
dev_loop granted || cf_fail_all "cannot set up a loop device"
LOOPA=$DEV_LOOP
dev_loop other || cf_fail_all "cannot set up a loop device"
LOOPB=$DEV_LOOP
NUMA=$(dev_num "$LOOPA")
cf_step "build the busybox base" "$SNAPC_SRC/tests/snaps/make-busybox-base.sh" "$T/bb"
cf_step "pack the busybox base" snapc pack "$T/bb" "$out"
cp -a "$SNAPS/probe-gadget" "$T/probe-gadget"
dev_gadget_slots "$T/probe-gadget/meta/snap.yaml" "$LOOPA"
cf_step "pack the gadget (custom-device slots for $LOOPA and /dev/loop-control)" snapc pack "$T/probe-gadget" "$out"
cp -a "$SNAPS/iface-probe" "$T/iface-probe"
cp "$CF_TRY" "$T/iface-probe/bin/try-syscall"
cf_step "pack iface-probe" snapc pack "$T/iface-probe" "$out"

TAG=snap.iface-probe.dev
TRY=/snap/iface-probe/current/bin/try-syscall
host_try() { "$CF_TRY" "$@" 2>&1; }
in_try() { # MODE PROBE...: a new launch of iface-probe.dev with SNAPC_DEVCGROUP=MODE
  local mode=$1
  shift
  SNAPC_DEVCGROUP=$mode snapc run iface-probe.dev -- "$TRY" "$@"
}
# the group of the tag, same name in both hierarchies: snapc-<SHA3-384(root)[:4]>.<tag>
GROUP=snapc-$(python3 -c 'import hashlib,sys; print(hashlib.sha3_384(sys.argv[1].encode()).hexdigest()[:8])' "$(realpath "$R")").$TAG
cat /proc/self/cgroup >"$T/cgroup.caller"
cg_of_launch() { # MODE FILE: /proc/self/cgroup of a new launch of the app, into FILE
  SNAPC_DEVCGROUP=$1 snapc run iface-probe.dev -- /bin/cat /proc/self/cgroup >"$2"
}
# in_group FILE MODE: FILE (a /proc/PID/cgroup) shows the app in $GROUP of MODE's hierarchy,
# and in the caller's groups everywhere else
in_group() {
  [ "$(cg_group_of "$1" "$2")" = "$GROUP" ] &&
    diff <(cg_other_lines "$1" "$2") <(cg_other_lines "$T/cgroup.caller" "$2")
}

loopers=""
devcg_cleanup() {
  local p
  stop_loopers
  for p in ${_t_daemons:-}; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  _t_daemons=""
  snapc debug remove-profiles --root "$R" iface-probe >/dev/null 2>&1
  t_cleanup
  dev_cleanup
}
trap devcg_cleanup EXIT

t_daemon_start "$R" || cf_fail_all "the daemon does not start" "$R.log"
ok "install the busybox base, the gadget and iface-probe" bash -c "
  snapc install --dangerous $out/busybox-base_*.snap && snapc install --dangerous $out/probe-gadget_*.snap &&
  snapc install --dangerous $out/iface-probe_*.snap"

# ---- nothing connected: only the standard nodes, no device cgroup ----
ok_out "unconfined: $LOOPA, $LOOPB and /dev/loop-control open" "read OK read OK open_rw OK" \
  host_try read="$LOOPA" read="$LOOPB" open_rw=/dev/loop-control
ok "the launch description lists only the standard nodes" diff <(launch_devices $TAG) <(want_devices)
for mode in $DEV_MODES; do
  cg_of_launch "$mode" "$T/cg"
  ok "$mode: with only the standard nodes the app gets no device cgroup (its groups are the caller's)" \
    diff "$T/cg" "$T/cgroup.caller"
  ok_out "$mode: not connected, no group: Landlock denies with EACCES" "read EACCES read EACCES open_rw EACCES" \
    in_try "$mode" read="$LOOPA" read="$LOOPB" open_rw=/dev/loop-control
done

# ---- a group of its own, with exactly the granted devices ----
# the app: read the loop device again and again, write "SEQUENCE ANSWER" to $SNAP_COMMON/NAME
looper() { # MODE NAME: start it in the background, its pid in LOOPER_PID
  SNAPC_DEVCGROUP=$1 snapc run iface-probe.dev -- /bin/sh -c 'i=0; while :; do i=$((i + 1))
    echo "$i $('"$TRY"' read='"$LOOPA"')" >$SNAP_COMMON/'"$2"'.tmp && mv $SNAP_COMMON/'"$2"'.tmp $SNAP_COMMON/'"$2"'
    sleep 0.05; done' >/dev/null 2>&1 &
  LOOPER_PID=$!
  loopers="$loopers $LOOPER_PID"
}
COMMON=$R/var/snap/iface-probe/common
# sample NAME WANT: the answer of the first read of looper NAME that started after this call
# is WANT (no retries: the connect or disconnect that came before has returned, so its effect
# must be there)
sample() {
  local f=$COMMON/$1 s0 s
  s0=$(cat "$f" 2>/dev/null)
  s0=${s0%% *}
  for _ in $(seq 1000); do
    s=$(cat "$f" 2>/dev/null)
    [ -n "$s" ] && [ -n "$s0" ] && [ "${s%% *}" -ge $((s0 + 2)) ] && break
    [ -z "$s0" ] && [ -n "$s" ] && s0=${s%% *}
    sleep 0.01
  done
  [ "${s#* }" = "$2" ] || { echo "status of $1: $s (from sequence ${s0:-none}, want $2)"; return 1; }
}
stop_loopers() {
  local p
  for p in $loopers; do kill "$p" 2>/dev/null; done
  for p in $loopers; do wait "$p" 2>/dev/null; done
  loopers=""
}

per_mode() { # MODE
  local mode=$1 pid pid0 ids ids2
  ok "$mode: connect loopctl: the tag now needs a device cgroup" snapc connect iface-probe:loopctl probe-gadget:loopctl
  ok "$mode: the launch description lists the standard nodes and c 10:237" \
    diff <(launch_devices $TAG) <(want_devices "c 10:237")
  cg_of_launch "$mode" "$T/cg"
  ok "$mode: the app runs in its group $GROUP of the $mode hierarchy, in the caller's groups elsewhere" \
    in_group "$T/cg" "$mode"
  ok "$mode: the group allows exactly the launch description's devices" \
    diff <(cg_devices "$mode" "$GROUP") <(launch_devices $TAG)
  ok_out "$mode: granted /dev/loop-control opens; $LOOPA and $LOOPB get EPERM from the device cgroup" \
    "open_rw OK read EPERM read EPERM" in_try "$mode" open_rw=/dev/loop-control read="$LOOPA" read="$LOOPB"
  ok_out "$mode: the standard nodes work" "read_nb OK read_nb OK read_nb OK open_rw OK" \
    in_try "$mode" read_nb=/dev/null read_nb=/dev/zero read_nb=/dev/urandom open_rw=/dev/ptmx
  if [ "$mode" = v2 ]; then
    ids=$(bpfq query "$DEV_V2MNT/$GROUP")
    ok "v2: exactly one device program is attached to $DEV_V2MNT/$GROUP ($ids)" test "$(echo $ids | wc -w)" = 1
    V2_PROGS="${V2_PROGS:-} $ids"
    ok "v2: a second launch keeps the attached program" bash -c \
      "SNAPC_DEVCGROUP=v2 snapc run iface-probe.dev -- /bin/true && [ \"\$(bpfq query '$DEV_V2MNT/$GROUP')\" = '$ids' ]"
  fi

  # ---- live update: a running app gets the new device set at connect and disconnect ----
  rm -f "$COMMON"/early-$mode "$COMMON"/late-$mode
  looper "$mode" early-$mode
  pid0=$LOOPER_PID
  ok "$mode: an app started before loopdev is connected: its device cgroup denies $LOOPA" sample early-$mode "read EPERM"
  ok "$mode: connect loopdev ($LOOPA)" snapc connect iface-probe:loopdev probe-gadget:loopdev
  ok "$mode: the early app's device cgroup allows $LOOPA now, its Landlock (from its launch) does not" \
    sample early-$mode "read EACCES"
  looper "$mode" late-$mode
  pid=$LOOPER_PID
  ok "$mode: an app started while connected reads $LOOPA" sample late-$mode "read OK"
  ok "$mode: it runs in its $mode group" in_group "/proc/$pid/cgroup" "$mode"
  ok "$mode: the group allows the standard nodes, c 10:237 and $NUMA" \
    diff <(cg_devices "$mode" "$GROUP") <(want_devices "c 10:237" "$NUMA")
  ok "$mode: disconnect loopdev while it runs" snapc disconnect iface-probe:loopdev probe-gadget:loopdev
  ok "$mode: the same process now gets EPERM from its device cgroup (its Landlock still grants the node)" \
    sample late-$mode "read EPERM"
  ok "$mode: the group no longer allows $NUMA" diff <(cg_devices "$mode" "$GROUP") <(want_devices "c 10:237")
  ok_out "$mode: a new launch is denied by its device cgroup too" "read EPERM" in_try "$mode" read="$LOOPA"
  ok "$mode: connect loopdev again" snapc connect iface-probe:loopdev probe-gadget:loopdev
  ok "$mode: the same process reads $LOOPA again, without a restart" sample late-$mode "read OK"
  ok "$mode: disconnect loopdev and loopctl: only the standard nodes are left" bash -c \
    "snapc disconnect iface-probe:loopdev probe-gadget:loopdev && snapc disconnect iface-probe:loopctl probe-gadget:loopctl"
  ok "$mode: denied again (EPERM)" sample late-$mode "read EPERM"
  ok "$mode: the running app's group allows only the standard nodes" \
    diff <(cg_devices "$mode" "$GROUP") <(want_devices)
  ok "$mode: they were the same two processes all along (pids $pid0, $pid)" kill -0 "$pid0" "$pid"
  if [ "$mode" = v2 ]; then
    ids2=$(bpfq query "$DEV_V2MNT/$GROUP")
    ok "v2: still exactly one program on the group after the replacements ($ids2)" test "$(echo $ids2 | wc -w)" = 1
    V2_PROGS="$V2_PROGS $ids2"
  fi
  stop_loopers
  cg_of_launch "$mode" "$T/cg"
  ok "$mode: a new launch with only the standard nodes gets no group" diff "$T/cg" "$T/cgroup.caller"
  ok_out "$mode: ... and Landlock denies $LOOPA (EACCES)" "read EACCES" in_try "$mode" read="$LOOPA"
}
for mode in v1 v2; do
  case " $DEV_MODES " in
    *" $mode "*) per_mode "$mode" ;;
    *) t_skip "device cgroup $mode" "no cgroup $mode $([ $mode = v1 ] && echo devices controller || echo file system) on this host" ;;
  esac
done

# ---- fail closed ----
fails_with "SNAPC_DEVCGROUP=v3 is refused" "SNAPC_DEVCGROUP must be 'v1' or 'v2', not 'v3'" in_try v3 getpid
if grep -qa SNAPC_FAULT "$SNAPC_BIN/snapc-confine"; then
  ok "connect loopctl (the tag needs a group)" snapc connect iface-probe:loopctl probe-gadget:loopctl
  fails_with "no v1 controller and no v2 program: refused, the app does not run" \
    "refusing to run '$TAG': it needs a device cgroup, there is no cgroup v1 devices controller; cgroup v2:" \
    env SNAPC_FAULT=devcgroup-v1:fail,devcgroup-bpf:fail snapc run iface-probe.dev -- /bin/echo RAN
  fails_with "no v1 controller and no cgroup2 mount: refused" "no cgroup2 file system is mounted" \
    env SNAPC_FAULT=devcgroup-v1:fail,devcgroup-v2-mount:fail snapc run iface-probe.dev -- /bin/echo RAN
  fails_with "forced v2 that fails is refused, not run under v1" "SNAPC_DEVCGROUP=v2 was asked for" \
    env SNAPC_DEVCGROUP=v2 SNAPC_FAULT=devcgroup-bpf:fail snapc run iface-probe.dev -- /bin/echo RAN
  fails_with "forced v1 without a v1 controller is refused, not run under v2" \
    "SNAPC_DEVCGROUP=v1: no cgroup v1 devices controller" \
    env SNAPC_DEVCGROUP=v1 SNAPC_FAULT=devcgroup-v1:fail snapc run iface-probe.dev -- /bin/echo RAN
  ok "disconnect loopctl: only the standard nodes left" snapc disconnect iface-probe:loopctl probe-gadget:loopctl
  ok_out "only standard nodes: runs without any device cgroup (Landlock confines /dev)" "RAN" \
    env SNAPC_FAULT=devcgroup-v1:fail,devcgroup-v2-mount:fail snapc run iface-probe.dev -- /bin/echo RAN
  fails_with "a failing live update fails the setup" "cannot update device cgroups" \
    env SNAPC_FAULT=devcgroup-update:fail snapc debug setup-profiles --root "$R" iface-probe x1
else
  t_skip "fail closed" "snapc-confine built without fault injection"
fi

# ---- cleanup: removing the snap removes both groups and frees the programs ----
ok "remove iface-probe" snapc remove iface-probe
left=""
for mode in $DEV_MODES; do
  if [ "$mode" = v1 ]; then d=$DEV_V1DIR/$GROUP; else d=$DEV_V2MNT/$GROUP; fi
  [ -e "$d" ] && left="$left $d"
done
ok "no device group of iface-probe is left ($DEV_MODES)" test -z "$left"
if [ -n "${V2_PROGS:-}" ]; then
  gone() { local p; for p in $V2_PROGS; do for _ in $(seq 50); do bpfq alive "$p" || continue 2; sleep 0.1; done; return 1; done; }
  ok "the device programs (ids$V2_PROGS) are freed" gone
fi
t_daemon_stop
t_end
