#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# bench/confine.sh BIN_DIR: launch cost of snapc-confine (issue #4 targets), measured in one
# run against direct exec and bubblewrap; seccomp compile time; sizes.
#
#   first launch   the preserved mount namespace is discarded before each run
#   warm launch    the namespace is reused (the normal case)
#   direct exec    the same busybox `true`, no sandbox
#   bwrap          bwrap --unshare-all --ro-bind <base> / /bin/true
#   device cgroup  warm launch of a tag with a granted device (cgroup v1 attach), back to
#                  back and with 200 ms pauses (the attach waits for an RCU grace period)
# Targets: warm <= 1.0x bwrap median; warm - direct < 1.5 ms; compile < 10 ms.
# Needs root, hyperfine, busybox-static, squashfs-tools; BENCH_RUNS (default 1000).
set -euo pipefail
BIN=$(cd "${1:?usage: bench/confine.sh BIN_DIR}" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${BENCH_RUNS:-1000}
export PATH="$BIN:$PATH"
[ "$(id -u)" = 0 ] || { echo "confine.sh: needs root" >&2; exit 1; }
for t in hyperfine mksquashfs python3; do
  command -v $t >/dev/null || { echo "confine.sh: $t not installed" >&2; exit 1; }
done

T=$(mktemp -d /tmp/snapc-bench.XXXXXX)
R=$T/root
cleanup() {
  snapc debug remove-profiles --root "$R" cbench >/dev/null 2>&1 || true
  for m in $(awk -v t="$T" '$2 ~ "^"t {print $2}' /proc/self/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
  losetup -a 2>/dev/null | awk -F: -v t="$T" 'index($0, t) {print $1}' | while read -r l; do losetup -d "$l" || true; done
  rm -rf "$T"
}
trap cleanup EXIT

# --- fixture: busybox base + a snap whose app is busybox `true` ---
"$SRC/tests/snaps/make-busybox-base.sh" "$T/bb" >/dev/null
chmod 0755 "$T/bb/root"
mkdir -p "$T/out" "$T/cbench/meta" "$T/cbench/bin"
snapc pack "$T/bb" "$T/out" >/dev/null
cat >"$T/cbench/meta/snap.yaml" <<'YAML'
name: cbench
version: '1'
summary: launch benchmark
description: runs busybox true
base: busybox-base
confinement: strict
grade: devel
apps:
  true:
    command: bin/true
  dev:
    command: bin/true
YAML
cp "$T/bb/bin/busybox" "$T/cbench/bin/true"
snapc pack "$T/cbench" "$T/out" >/dev/null
mkdir -p "$R/snap/busybox-base/x1" "$R/snap/cbench/x1" "$R/var/snap/cbench/x1" "$R/var/snap/cbench/common" "$R/root"
mount -o loop,ro,nodev -t squashfs "$T"/out/busybox-base_*.snap "$R/snap/busybox-base/x1"
ln -s x1 "$R/snap/busybox-base/current"
mount -o loop,ro,nodev -t squashfs "$T"/out/cbench_*.snap "$R/snap/cbench/x1"
loopdev=$(findmnt -no SOURCE "$R/snap/cbench/x1")
printf '@snap.cbench.dev\ndevice %s\n' "$loopdev" >"$T/policy"
snapc debug setup-profiles --root "$R" --policy "$T/policy" cbench x1
C=$BIN/snapc-confine
"$C" --root "$R" snap.cbench.true # builds the namespace

hf() { # NAME JSON ARGS...
  local json=$1; shift
  hyperfine -N --style none "$@" --export-json "$json" >/dev/null 2>&1
}
med() { python3 -c "import json,sys; print('%.3f' % (json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['median']*1000))" "$@"; }

hf "$T/main.json" -w 50 -r "$RUNS" \
  "$C --root $R snap.cbench.true" \
  "$R/snap/cbench/x1/bin/true" \
  "bwrap --unshare-all --ro-bind $R/snap/busybox-base/x1 / /bin/true"
hf "$T/first.json" -w 3 -r $((RUNS / 10 > 20 ? RUNS / 10 : 20)) \
  --prepare "umount $R/run/snapd/ns/cbench.mnt" "$C --root $R snap.cbench.true"
hf "$T/dev.json" -w 20 -r $((RUNS / 5)) "$C --root $R snap.cbench.dev"
hf "$T/devsparse.json" -r 20 --prepare "sleep 0.2" "$C --root $R snap.cbench.dev" "$C --root $R snap.cbench.true"

warm=$(med "$T/main.json" 0); direct=$(med "$T/main.json" 1); bwrap=$(med "$T/main.json" 2)
first=$(med "$T/first.json" 0); dev=$(med "$T/dev.json" 0)
devsparse=$(med "$T/devsparse.json" 0); warmsparse=$(med "$T/devsparse.json" 1)

# seccomp compile of the full profile (template + uid block), libseccomp time as reported
src=$R/var/lib/snapd/seccomp/bpf/snap.cbench.true.src
comp=$(for i in $(seq 1 30); do snapc debug compile-seccomp "$src" "$T/x.bin2"; done |
  sed -n 's/.* in \([0-9]*\) us$/\1/p' | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}')

snap_peer="not measured: snapd is not running here"
if command -v snap >/dev/null && snap version >/dev/null 2>&1 && snap list 2>/dev/null | grep -q '^hello-world '; then
  hf "$T/snap.json" -w 5 -r 50 "snap run hello-world.echo"
  snap_peer="$(med "$T/snap.json" 0) ms (snap run hello-world.echo)"
fi

sz() { stat -c %s "$1"; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$@"; }
over=$(python3 -c "import sys; print('%.3f' % (float(sys.argv[1]) - float(sys.argv[2])))" "$warm" "$direct")
echo "# snapc-confine launch (busybox true), medians, $RUNS runs"
printf '%-44s %8s ms\n' "direct exec" "$direct" "bwrap --unshare-all --ro-bind base /" "$bwrap" \
  "snapc-confine first launch (builds namespace)" "$first" "snapc-confine warm launch" "$warm" \
  "warm, tag with a device (v1 cgroup attach)" "$dev" \
  "  same, 200 ms apart (RCU grace period)" "$devsparse" "warm, no device cgroup, 200 ms apart" "$warmsparse"
echo "snap run (peer): $snap_peer"
echo "warm / bwrap = $(ratio "$warm" "$bwrap")x (target <= 1.0)"
echo "warm - direct = $over ms (target < 1.5)"
echo "seccomp compile of a full profile: $comp ms (target < 10)"
echo "sizes: snapc-confine $(sz "$C") B; compiled filter $(sz "$R/var/lib/snapd/seccomp/bpf/snap.cbench.true.bin2") B" \
  "(launch description $(sz "$R/var/lib/snapd/confine/snap.cbench.true.launch") B)"
python3 - "$warm" "$bwrap" "$over" "$comp" <<'PY'
import sys
w, b, o, c = map(float, sys.argv[1:])
bad = [m for m, f in (("warm > bwrap", w > b), ("overhead >= 1.5 ms", o >= 1.5), ("compile >= 10 ms", c >= 10)) if f]
print("targets: " + ("all met" if not bad else "MISSED: " + ", ".join(bad)))
PY
