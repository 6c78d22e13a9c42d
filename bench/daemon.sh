#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Issue 3: install of a 10 MB snap (command to change Done), idle RSS with 100 snaps, start with
# 100 snaps (remount all), GET /v2/snaps latency with 100 snaps; snapd's figures where it runs.
set -euo pipefail
BIN=$1
BUILD=$(dirname "$BIN")
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then echo "daemon benchmarks need root (mounts)"; exit 0; fi
W=$(mktemp -d /tmp/snapc-bench-daemon.XXXXXX)
R=$W/root
export SNAPC_ROOT=$R
DPID=""
cleanup() {
  [ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null || true
  pkill -f "^/usr/lib/snapd/snapd" 2>/dev/null || true
  for m in $(awk -v t="$W" 'index($2, t) == 1 {print $2}' /proc/self/mounts | sort -r); do umount -l "$m" || true; done
  rm -rf "$W"
}
trap cleanup EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT
start_daemon() {
  rm -f "$R/run/snapd.socket"; mkdir -p "$R/run"
  local t0 t1
  t0=$(date +%s%N)
  "$BIN/snapd-c" >>"$W/daemon.log" 2>&1 &
  DPID=$!
  while [ ! -S "$R/run/snapd.socket" ]; do sleep 0.001; done
  t1=$(date +%s%N)
  START_MS=$(python3 -c "print('%.1f' % (($t1 - $t0) / 1e6))")
}
stop_daemon() { kill -TERM "$DPID"; wait "$DPID" || true; DPID=""; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# --- a 10 MB snap, installed and removed 10 times ---
mkdir -p "$W/ten/meta" "$W/ten/bin"
printf 'name: ten\nversion: "1"\nsummary: 10 MB\napps:\n  ten:\n    command: bin/ten\n' > "$W/ten/meta/snap.yaml"
printf '#!/bin/sh\n' > "$W/ten/bin/ten"; chmod 755 "$W/ten/bin/ten"
head -c 10000000 /dev/urandom > "$W/ten/bin/payload"
"$BIN/snapc" pack --compression lz4 "$W/ten" "$W/out" >/dev/null
ten=$(ls "$W"/out/ten_*.snap)
start_daemon
times=()
for i in $(seq 10); do
  t0=$(date +%s%N); "$BIN/snapc" install --dangerous "$ten" >/dev/null; t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000 )))
  "$BIN/snapc" remove ten >/dev/null
done
med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", (a[5]+a[6])/2/1000}')
result "install 10 MB snap, command to change Done (median of 10)" "$med" ms "<150"

# --- 100 snaps ---
for i in $(seq -w 1 100); do
  d=$W/s/app$i; mkdir -p "$d/meta" "$d/bin"
  printf 'name: app%s\nversion: "1.%s"\nsummary: bench app %s\napps:\n  app%s:\n    command: bin/run\n  svc:\n    command: bin/run\n    daemon: simple\nplugs:\n  network:\n' "$i" "$i" "$i" "$i" > "$d/meta/snap.yaml"
  printf '#!/bin/sh\necho %s\n' "$i" > "$d/bin/run"; chmod 755 "$d/bin/run"
  "$BIN/snapc" pack --compression lz4 "$d" "$W/s-out" >/dev/null
done
for f in "$W"/s-out/*.snap; do "$BIN/snapc" install --dangerous --no-wait "$f" >/dev/null; done
while [ "$("$BIN/snapc" changes --json | grep -c '"ready":false')" != 0 ]; do sleep 0.1; done
n=$("$BIN/snapc" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "daemon: $n snaps installed"
sleep 1
rss=$(rss_kb "$DPID")
result "snapd-c idle RSS with $n snaps, right after queuing 100 installs" "$(python3 -c "print('%.2f' % ($rss/1024))")" MiB "<4"
read -r p50 p99 max < <("$BUILD/bench/api-latency" "$R/run/snapd.socket" /v2/snaps 2000)
result "GET /v2/snaps with $n snaps, p50 over 2000" "$p50" ms "<1"
result "GET /v2/snaps with $n snaps, p99 over 2000" "$p99" ms "<5" "max $max ms"
stop_daemon
start_daemon
sleep 1
"$BUILD/bench/api-latency" "$R/run/snapd.socket" /v2/snaps 200 >/dev/null
sleep 1
rss=$(rss_kb "$DPID")
result "snapd-c idle RSS with $n snaps after a restart (the boot path)" "$(python3 -c "print('%.2f' % ($rss/1024))")" MiB "<4"
stop_daemon
# the boot path: nothing mounted, the daemon remounts all
for m in $(awk -v t="$R/snap" 'index($2, t) == 1 {print $2}' /proc/self/mounts | sort -r); do umount "$m"; done
starts=()
for i in 1 2 3 4 5; do
  start_daemon; starts+=("$START_MS"); stop_daemon
  for m in $(awk -v t="$R/snap" 'index($2, t) == 1 {print $2}' /proc/self/mounts | sort -r); do umount "$m"; done
done
med=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 3p)
result "daemon start with $n snaps (remount all), median of 5" "$med" ms "<300"

# --- the peer, where it runs (Debian's snapd, empty root: it cannot mount without systemd) ---
if [ -x /usr/lib/snapd/snapd ]; then
  P=$W/peer; mkdir -p "$P/run" "$P/usr/lib"; ln -s /usr/lib/snapd "$P/usr/lib/snapd"
  t0=$(date +%s%N)
  SNAPPY_GLOBAL_ROOT=$P /usr/lib/snapd/snapd >"$W/peer.log" 2>&1 &
  ppid=$!
  for _ in $(seq 3000); do [ -S "$P/run/snapd.socket" ] && break; sleep 0.001; done
  t1=$(date +%s%N)
  if [ -S "$P/run/snapd.socket" ]; then
    sleep 2
    result "snapd (peer) start, empty root" "$(python3 -c "print('%.1f' % (($t1-$t0)/1e6))")" ms ""
    result "snapd (peer) idle RSS, empty root" "$(python3 -c "print('%.2f' % ($(rss_kb $ppid)/1024))")" MiB ""
    read -r p50 p99 max < <("$BUILD/bench/api-latency" "$P/run/snapd.socket" /v2/snaps 2000)
    result "snapd (peer) GET /v2/snaps, empty root, p50" "$p50" ms ""
    result "snapd (peer) GET /v2/snaps, empty root, p99" "$p99" ms ""
    # ours with an empty root, for the same comparison
    R2=$W/empty; mkdir -p "$R2"
    SNAPC_ROOT=$R2 "$BIN/snapd-c" >>"$W/daemon.log" 2>&1 & epid=$!
    while [ ! -S "$R2/run/snapd.socket" ]; do sleep 0.001; done
    sleep 1
    result "snapd-c idle RSS, empty root" "$(python3 -c "print('%.2f' % ($(rss_kb $epid)/1024))")" MiB ""
    read -r p50 p99 max < <("$BUILD/bench/api-latency" "$R2/run/snapd.socket" /v2/snaps 2000)
    result "snapd-c GET /v2/snaps, empty root, p50" "$p50" ms ""
    kill -TERM $epid; wait $epid || true
  else
    echo "snapd (peer) did not start here: $(tail -1 "$W/peer.log")"
  fi
  kill -TERM $ppid 2>/dev/null; wait $ppid 2>/dev/null || true
fi
