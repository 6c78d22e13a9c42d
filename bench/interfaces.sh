#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# bench/interfaces.sh BIN_DIR: issue #5 targets, through the real daemon.
#
#   connect        `snapc connect ibench:kvm` on a snap with 10 apps that all plug kvm: the
#                  connect change, profile regeneration of the 10 tags (seccomp, Landlock,
#                  AppArmor, device list) and the client's wait; disconnect is measured too,
#                  and network-bind, whose seccomp rules change (one compile for the ten
#                  identical sources). Target < 20 ms median.
#   100 snaps      profiles of 100 installed snaps set up from scratch (first boot): every
#                  profile file removed, then `snapc debug setup-profiles` for each snap.
#                  Target < 2 s median.
# Needs root, busybox-static, squashfs-tools; BENCH_RUNS (default 21, at least 20 wanted).
set -euo pipefail
BIN=$(cd "${1:?usage: bench/interfaces.sh BIN_DIR}" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${BENCH_RUNS:-21}
. "$SRC/bench/lib.sh"
export PATH="$BIN:$PATH"
[ "$(id -u)" = 0 ] || { echo "interfaces.sh: needs root" >&2; exit 1; }
command -v mksquashfs >/dev/null || { echo "interfaces.sh: squashfs-tools not installed" >&2; exit 1; }

W=$(mktemp -d /tmp/snapc-bench-iface.XXXXXX)
R=$W/root
export SNAPC_ROOT=$R
DPID=""
cleanup() {
  [ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
  for m in $(awk -v t="$W" '$2 ~ "^"t {print $2}' /proc/self/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
  losetup -a 2>/dev/null | awk -F: -v t="$W" 'index($0, t) {print $1}' | while read -r l; do losetup -d "$l" || true; done
  for c in /sys/fs/cgroup/devices/snapc-*.snap.ibench.*; do [ -d "$c" ] && rmdir "$c" 2>/dev/null; done
  rm -rf "$W"
}
trap cleanup EXIT

# --- fixtures: the busybox base and ibench (10 apps, each plugging kvm and network-bind) ---
"$SRC/tests/snaps/make-busybox-base.sh" "$W/bb" >/dev/null
mkdir -p "$W/out" "$W/ibench/meta" "$W/ibench/bin" "$R"
snapc pack "$W/bb" "$W/out" >/dev/null
{
  printf 'name: ibench\nversion: "1"\nsummary: connect benchmark\ndescription: ten apps\n'
  printf 'base: busybox-base\nconfinement: strict\ngrade: devel\napps:\n'
  for i in $(seq -w 1 10); do printf '  app%s:\n    command: bin/run\n    plugs: [kvm, network-bind]\n' "$i"; done
} >"$W/ibench/meta/snap.yaml"
printf '#!/bin/sh\nexec "$@"\n' >"$W/ibench/bin/run"
chmod 755 "$W/ibench/bin/run"
snapc pack "$W/ibench" "$W/out" >/dev/null

mkdir -p "$R/run"
SNAPC_ROOT=$R snapd-c >"$W/daemon.log" 2>&1 &
DPID=$!
for _ in $(seq 500); do [ -S "$R/run/snapd.socket" ] && break; sleep 0.01; done
snapc install --dangerous "$W"/out/busybox-base_*.snap >/dev/null
snapc install --dangerous "$W"/out/ibench_*.snap >/dev/null

# --- connect + regeneration of 10 tags, through the daemon ---
con=() dis=()
for ((i = 0; i < RUNS; i++)); do
  t0=$(date +%s%N); snapc connect ibench:kvm >/dev/null; t1=$(date +%s%N)
  snapc disconnect ibench:kvm >/dev/null; t2=$(date +%s%N)
  con+=($(((t1 - t0) / 1000))); dis+=($(((t2 - t1) / 1000)))
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f\n", m / 1000}'; }
result "connect + profiles of 10 apps (snapc connect, median of $RUNS)" "$(med "${con[@]}")" ms "<20"
result "disconnect + profiles of 10 apps (median of $RUNS)" "$(med "${dis[@]}")" ms "" ""
# network-bind changes the seccomp rules: one compile for the ten identical sources
snapc disconnect ibench:network-bind >/dev/null
con=()
for ((i = 0; i < RUNS; i++)); do
  t0=$(date +%s%N); snapc connect ibench:network-bind >/dev/null; t1=$(date +%s%N)
  snapc disconnect ibench:network-bind >/dev/null
  con+=($(((t1 - t0) / 1000)))
done
result "connect network-bind (seccomp changes) + profiles of 10 apps" "$(med "${con[@]}")" ms "" ""
t_one=$(median_ms "$RUNS" snapc debug setup-profiles --root "$R" ibench x1)
result "snapc debug setup-profiles of the 10-app snap (process incl.)" "$t_one" ms "" "re-render, no daemon"

# --- 100 installed snaps, profiles from scratch ---
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null || true; DPID=""
for i in $(seq -w 1 100); do
  d=$W/s$i
  mkdir -p "$d/meta" "$d/bin"
  printf 'name: app%s\nversion: "1"\nsummary: s\ndescription: d\nbase: busybox-base\nconfinement: strict\ngrade: devel\napps:\n  run:\n    command: bin/run\n    plugs: [network, network-bind]\n' "$i" >"$d/meta/snap.yaml"
  cp "$W/ibench/bin/run" "$d/bin/run"
  snapc pack "$d" "$W/out" >/dev/null
  mkdir -p "$R/snap/app$i/x1" "$R/var/snap/app$i/x1" "$R/var/snap/app$i/common"
  mount -o loop,ro,nodev -t squashfs "$W/out/app${i}_1_all.snap" "$R/snap/app$i/x1"
  ln -s x1 "$R/snap/app$i/current"
done
setup_all() {
  local i # median_ms loops on i
  rm -rf "$R/var/lib/snapd/confine" "$R/var/lib/snapd/seccomp" "$R/var/lib/snapd/apparmor" "$R"/etc/udev/rules.d/70-snap.app*
  for i in $(seq -w 1 100); do snapc debug setup-profiles --root "$R" "app$i" x1 || return 1; done
}
setup_all >/dev/null || { echo "interfaces.sh: setup-profiles failed" >&2; exit 1; }
[ "$(ls "$R/var/lib/snapd/confine" | wc -l)" = 100 ] || { echo "interfaces.sh: not 100 launch files" >&2; exit 1; }
t_100=$(median_ms "$RUNS" setup_all)
result "profiles of 100 installed snaps from scratch (median of $RUNS)" "$t_100" ms "<2000" "$(python3 -c "print('%.1f ms/snap' % ($t_100 / 100))")"
