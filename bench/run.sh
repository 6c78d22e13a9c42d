#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# ./build.sh bench: every benchmark, medians and ratios against the peers measured in this run.
set -uo pipefail
BIN=$(cd "${1:-build/bin}" && pwd)
cd "$(dirname "$0")/.."
export BENCH_RESULTS=$(mktemp /tmp/snapc-bench-results.XXXXXX)
echo "== snapd-c benchmarks ($(date -u +%FT%TZ), $(nproc) CPUs, $(uname -r))"
for b in bench/pack.sh bench/daemon.sh bench/confine.sh bench/interfaces.sh; do
  [ -x "$b" ] || continue
  echo; echo "== $b"
  "$b" "$BIN" || echo "$b failed (exit $?)"
done
echo; echo "== summary"
cat "$BENCH_RESULTS"
rm -f "$BENCH_RESULTS"
