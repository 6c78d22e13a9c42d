#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Shared helpers for bench/*.sh: medians of repeated runs and a result table.
BENCH_RESULTS=${BENCH_RESULTS:-/tmp/snapc-bench-results.txt}

# median_ms N CMD...: run CMD N times, print the median wall time in ms (3 decimals).
median_ms() {
  local n=$1; shift
  local i t0 t1
  local times=()
  for ((i = 0; i < n; i++)); do
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f\n", m / 1000}'
}

# hf_median_ms RUNS CMD: hyperfine median (ms) of a shell command string, with warmup.
hf_median_ms() {
  local runs=$1 cmd=$2 json
  json=$(mktemp)
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$json" "$cmd" >/dev/null 2>&1 ||
    hyperfine --warmup 3 --runs "$runs" --export-json "$json" "$cmd" >/dev/null 2>&1
  python3 -c "import json,sys; print('%.3f' % (json.load(open(sys.argv[1]))['results'][0]['median']*1000))" "$json"
  rm -f "$json"
}

# result NAME VALUE UNIT TARGET [NOTE]: print and record one line of the summary.
result() {
  printf '%-58s %12s %-4s target %-10s %s\n' "$1" "$2" "$3" "$4" "${5:-}" | tee -a "$BENCH_RESULTS"
}

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.2f' % (a/b) if b else 'n/a')" "$1" "$2"; }
