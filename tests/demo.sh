#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# ./build.sh demo: a device life cycle on a temporary root, with the programs in $1.
#   pack the fixture snaps -> inspect them -> start snapd-c -> install -> list (snapc and the
#   real snap client) -> refresh -> changes -> remove -> stop. Everything is cleaned up.
set -euo pipefail
BIN=${1:-$(dirname "$0")/../build/bin}
BIN=$(cd "$BIN" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$BIN:$PATH"
ROOT=$(mktemp -d /tmp/snapc-demo.XXXXXX)
export SNAPC_ROOT=$ROOT
DAEMON=""
cleanup() {
  [ -n "$DAEMON" ] && kill -TERM "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null
  for m in $(awk -v t="$ROOT" 'index($2, t) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$ROOT"
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "Pack the fixture snaps (squashfs, as snap pack builds them)"
mkdir -p "$ROOT/out"
for s in hello svc hooks ifaces iface-probe; do run snapc pack "$SRC/tests/snaps/$s" "$ROOT/out"; done
"$SRC/tests/snaps/make-busybox-base.sh" "$ROOT/bb" >/dev/null
run snapc pack "$ROOT/bb" "$ROOT/out"

step "Inspect a snap without mounting it"
run snapc info "$ROOT"/out/ifaces_*.snap

step "Validation lists every problem with file:line:column"
run snapc validate "$SRC/tests/snaps/broken/bad-daemon" || true

if [ "$(id -u)" != 0 ]; then
  echo "(the device part of the demo needs root: loop devices and mounts)"; exit 0
fi

step "Start the daemon on a temporary root: $ROOT"
snapd-c >"$ROOT/daemon.log" 2>&1 &
DAEMON=$!
for _ in $(seq 300); do [ -S "$ROOT/run/snapd.socket" ] && break; sleep 0.01; done
run snapc list || true

step "Install the base and the apps"
run snapc install --dangerous "$ROOT"/out/busybox-base_*.snap
for s in hello svc hooks iface-probe; do run snapc install --dangerous "$ROOT"/out/${s}_*.snap; done
run snapc list
run grep "$ROOT/snap" /proc/self/mounts

step "Run an app in its sandbox (busybox base as /, seccomp, Landlock, device cgroup)"
run snapc run iface-probe.run -- sh -c 'echo "I am $SNAP_NAME revision $SNAP_REVISION, / is $(cat /etc/os-release 2>/dev/null | head -1 || echo the busybox base)"'
run snapc run iface-probe.run -- cat /etc/shadow || echo "  -> denied, as it should be"
run snapc connections iface-probe

step "Interfaces: /dev/hwrng is denied until hardware-random-observe is connected"
if [ -e /dev/hwrng ]; then
  run snapc run iface-probe.run -- head -c 8 /dev/hwrng >/dev/null || echo "  -> denied"
  run snapc connect iface-probe:hardware-random-observe
  run snapc run iface-probe.run -- sh -c 'head -c 8 /dev/hwrng | od -An -tx1' && echo "  -> allowed after connect"
  run snapc disconnect iface-probe:hardware-random-observe
else
  echo "(this machine has no /dev/hwrng)"
fi

if command -v snap >/dev/null; then
  step "The real snap client talks to snapd-c too"
  run env SNAPPY_GLOBAL_ROOT="$ROOT" snap list
fi

step "Install hello again: a new revision, the old one kept"
run snapc install --dangerous "$ROOT"/out/hello_*.snap
run snapc list --all
run snapc changes

step "Remove svc"
run snapc remove svc
run snapc list

step "Stop the daemon"
kill -TERM "$DAEMON"; wait "$DAEMON"; DAEMON=""
echo "daemon stopped; state in $ROOT/var/lib/snapd/state.json is cleaned up with the root"
