#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# run-compat.sh: does `snapc pack` reach the same verdict as snapd's `snap pack`?
#
#   run-compat.sh                   live: run both packers on every tree (needs snapd's `snap`)
#   run-compat.sh --verdicts FILE   compare snapc with verdicts recorded earlier (no snapd needed)
#   run-compat.sh --record [FILE]   run only `snap pack` and write FILE
#                                   (default: tests/compat/snap-pack-verdicts.tsv)
#
# Environment:
#   SNAPC          our CLI, may include arguments (default: snapc on PATH)
#   COMPAT_TIMEOUT seconds allowed per command (default 60); a timeout counts as a crash
#   COMPAT_DIVERGENCES  trees where snapc deliberately differs (default:
#                  tests/compat/known-divergences.txt, "<label><TAB><reason>" lines)
#
# Trees: the corpus from gen-corpus.py, the fixtures in tests/snaps/ (copied, with modes
# normalised to go+rX so a restrictive umask at checkout does not change verdicts),
# busybox-base (when a static busybox is installed) and the trees of
# tests/snaps/broken/make-special.sh.
#
# Output is TAP with one check per corpus (the number of inputs in its name): every tree gets
# the same verdict from both packers, `$SNAPC info <file>.snap` reads every snap that
# `snap pack` accepted and built. A tree that disagrees is named in a "# DISAGREE" line with the
# outputs of both packers; a disagreement on a tree listed in known-divergences.txt is expected
# ("# divergence: <tree> ...: <reason>").
# A snapc exit status >= 124 (timeout, signal) is a crash and never counts as agreement.
# The last comments give the agreement percentage (listed divergences are counted apart).
# Exit status: 0 only if every line is ok.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/libtest.sh
. "$here/../lib/libtest.sh"

mode=live
tsv=$here/snap-pack-verdicts.tsv
while [ $# -gt 0 ]; do
  case $1 in
    --record)
      mode=record
      if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then tsv=$2; shift; fi
      ;;
    --verdicts)
      mode=verdicts
      [ $# -gt 1 ] || { echo "run-compat.sh: --verdicts needs a file" >&2; exit 2; }
      tsv=$2
      shift
      ;;
    -h | --help)
      awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *)
      echo "run-compat.sh: unknown argument $1" >&2
      exit 2
      ;;
  esac
  shift
done

SNAPC=${SNAPC:-snapc}
read -r -a snapc_cmd <<<"$SNAPC"
timeout_s=${COMPAT_TIMEOUT:-60}
snaps=$SNAPC_SRC/tests/snaps

# deliberate divergences: label -> reason
declare -A divergence=()
divfile=${COMPAT_DIVERGENCES:-$here/known-divergences.txt}
if [ -r "$divfile" ]; then
  while IFS=$'\t' read -r label reason; do
    case $label in '' | '#'*) continue ;; esac
    divergence[$label]=${reason:-deliberate divergence}
  done <"$divfile"
fi

t_begin

if [ "$mode" != verdicts ] && ! command -v snap >/dev/null 2>&1; then
  t_skip compat "snapd's snap command not installed"
  t_end
  exit $?
fi
if [ "$mode" != record ] && ! command -v "${snapc_cmd[0]}" >/dev/null 2>&1; then
  _t_report fail "snapc command found (SNAPC=$SNAPC)"
  t_end
  exit 1
fi
if [ "$mode" = verdicts ] && [ ! -r "$tsv" ]; then
  _t_report fail "recorded verdicts readable ($tsv)"
  t_end
  exit 1
fi

# ---- collect the trees: "label<TAB>directory" lines in $T/trees ----
python3 "$here/gen-corpus.py" "$T/corpus" || { _t_report fail "gen-corpus.py"; t_end; exit 1; }
python3 "$here/gen-corpus.py" --list | while IFS=$'\t' read -r name _; do
  printf 'corpus/%s\t%s\n' "$name" "$T/corpus/$name"
done >"$T/trees"

copy_fixture() { # SRC DEST
  cp -a "$1" "$2" && chmod -R u+rwX,go+rX,go-w "$2"
}
mkdir -p "$T/fixtures/broken"
for d in "$snaps"/*/; do
  d=${d%/}
  n=${d##*/}
  case $n in broken | busybox-base) continue ;; esac
  [ -f "$d/meta/snap.yaml" ] || continue
  copy_fixture "$d" "$T/fixtures/$n" && printf 'fixture/%s\t%s\n' "$n" "$T/fixtures/$n" >>"$T/trees"
done
if sh "$snaps/make-busybox-base.sh" "$T/fixtures/busybox-base" >"$T/bb.log" 2>&1; then
  printf 'fixture/busybox-base\t%s\n' "$T/fixtures/busybox-base" >>"$T/trees"
else
  t_diag "busybox-base not built: $(head -1 "$T/bb.log")"
fi
for d in "$snaps"/broken/*/; do
  d=${d%/}
  n=${d##*/}
  copy_fixture "$d" "$T/fixtures/broken/$n" && printf 'fixture/broken/%s\t%s\n' "$n" "$T/fixtures/broken/$n" >>"$T/trees"
done
if sh "$snaps/broken/make-special.sh" "$T/special" >"$T/special.log" 2>&1; then
  for d in "$T"/special/*/; do
    d=${d%/}
    printf 'fixture/special/%s\t%s\n' "${d##*/}" "$d" >>"$T/trees"
  done
else
  t_diag "make-special.sh failed: $(head -1 "$T/special.log")"
fi

# run_in DIR OUTFILE CMD...: run CMD inside DIR with a timeout; prints the exit status.
run_in() {
  local dir=$1 log=$2
  shift 2
  (cd "$dir" && timeout "$timeout_s" "$@") >"$log" 2>&1 </dev/null
  echo $?
}

# diag_output TITLE FILE: show up to 15 lines of FILE as TAP comments.
diag_output() {
  t_diag "$1"
  sed -e 's/^/#     /' "$2" | head -15
}

# first_error FILE: the "error: ..." line snap pack printed (tabs flattened).
first_error() {
  { grep -m1 '^error:' "$1" || head -1 "$1"; } | tr '\t' ' '
}

# ---- record mode: only snap pack, write the TSV ----
if [ "$mode" = record ]; then
  {
    printf '# snap pack verdicts for tests/compat (gen-corpus.py trees + tests/snaps fixtures)\n'
    printf '# recorded by run-compat.sh --record with: %s\n' "$(snap version 2>/dev/null | head -1 | tr -s ' ')"
    printf '# the verdict is stable; error text naming several apps follows Go map order and may vary\n'
    printf '# tree\tverdict\tfirst error line (empty when accepted)\n'
  } >"$T/verdicts.tsv"
  n_acc=0
  n_rej=0
  while IFS=$'\t' read -r label dir; do
    rc=$(run_in "${dir%/*}" "$T/snap.log" snap pack "${dir##*/}" "$T/out-snap/$label")
    if [ "$rc" = 0 ]; then
      printf '%s\taccept\t\n' "$label" >>"$T/verdicts.tsv"
      n_acc=$((n_acc + 1))
    else
      printf '%s\treject\t%s\n' "$label" "$(first_error "$T/snap.log")" >>"$T/verdicts.tsv"
      n_rej=$((n_rej + 1))
    fi
  done <"$T/trees"
  cp "$T/verdicts.tsv" "$tsv" || exit 1
  echo "run-compat.sh: wrote $tsv ($n_acc accepted, $n_rej rejected)"
  exit 0
fi

# ---- compare ----
trees=0
agree=0
diverged=0
unrecorded=0
info_total=0
info_ok=0
bad_trees=""
while IFS=$'\t' read -r label dir; do
  trees=$((trees + 1))
  out1=$T/out-snap/$label
  out2=$T/out-snapc/$label
  if [ "$mode" = live ]; then
    rc1=$(run_in "${dir%/*}" "$T/snap.log" snap pack "${dir##*/}" "$out1")
    [ "$rc1" = 0 ] && v1=accept || v1=reject
  else
    v1=$(awk -F'\t' -v l="$label" '$1 == l { print $2; exit }' "$tsv")
    if [ -z "$v1" ]; then
      unrecorded=$((unrecorded + 1))
      bad_trees="$bad_trees $label"
      t_diag "no recorded verdict for $label in $tsv (re-record with --record)"
      continue
    fi
    awk -F'\t' -v l="$label" '$1 == l { print "(recorded) " $3; exit }' "$tsv" >"$T/snap.log"
    rc1=recorded
  fi
  rc2=$(run_in "${dir%/*}" "$T/snapc.log" "${snapc_cmd[@]}" pack "${dir##*/}" "$out2")
  crashed=""
  if [ "$rc2" = 0 ]; then
    v2=accept
  elif [ "$rc2" -ge 124 ]; then
    v2=crash
    crashed=" (snapc exit $rc2: timeout or signal)"
  else
    v2=reject
  fi
  if [ "$v1" = "$v2" ]; then
    agree=$((agree + 1))
    if [ -n "${divergence[$label]:-}" ]; then
      t_diag "$label is listed in $(basename "$divfile") but both packers agree (drop it from the list?)"
    fi
  elif [ -n "${divergence[$label]:-}" ] && [ "$v2" != crash ]; then
    diverged=$((diverged + 1))
    t_diag "divergence: $label (snap pack: $v1, snapc: $v2): ${divergence[$label]}"
  else
    bad_trees="$bad_trees $label"
    t_diag "DISAGREE: $label (snap pack: $v1, snapc: $v2)$crashed"
    diag_output "snap pack (exit $rc1):" "$T/snap.log"
    diag_output "snapc pack (exit $rc2):" "$T/snapc.log"
  fi
  [ "$v1" = accept ] || continue
  # snapc info on snap pack's output (live) or on snapc's own output (recorded verdicts)
  if [ "$mode" = live ]; then
    file=$(find "$out1" -maxdepth 1 -name '*.snap' 2>/dev/null | head -1)
    what="snapc info on snap pack output: $label"
  else
    file=$(find "$out2" -maxdepth 1 -name '*.snap' 2>/dev/null | head -1)
    what="snapc info on snapc pack output: $label"
  fi
  [ -n "$file" ] || continue
  info_total=$((info_total + 1))
  rc3=$(run_in "${file%/*}" "$T/info.log" "${snapc_cmd[@]}" info "$file")
  if [ "$rc3" = 0 ]; then
    info_ok=$((info_ok + 1))
  else
    t_diag "FAILED: $what"
    diag_output "snapc info (exit $rc3):" "$T/info.log"
  fi
done <"$T/trees"

pct=$(awk -v a="$agree" -v t="$trees" 'BEGIN { if (t) printf "%.1f", 100 * a / t; else print "0.0" }')
t_diag "agreement with snap pack ($mode): $agree/$trees trees ($pct%)"
t_diag "deliberate divergences (known-divergences.txt): $diverged; without a recorded verdict: $unrecorded; other disagreements: $((trees - agree - diverged - unrecorded))"
t_diag "snapc info on accepted snaps: $info_ok/$info_total ok"
# one check per corpus, the number of inputs in its name; the trees that failed are listed above
ok "snapc pack reaches snap pack's verdict ($mode) on all $trees trees ($agree agree, $diverged listed divergences)" \
  test -z "$bad_trees"
ok "snapc info reads all $info_total snaps packed from accepted trees" test "$info_ok" = "$info_total"
ok "the corpus is whole (more than 600 trees)" test "$trees" -gt 600
t_end
