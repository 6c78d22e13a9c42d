#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# libtest.sh: a small TAP harness for integration tests (bubblewrap style).
#
#   . "$(dirname "$0")/../lib/libtest.sh"
#   t_begin
#   ok "snapc packs hello" snapc pack "$SNAPS/hello" "$T"
#   t_skip "needs AppArmor" "loads a profile"
#   t_end
#
# Environment (set by meson; fallbacks for running by hand from the source tree):
#   SNAPC_BIN     directory with snapc, snapd-c, snapc-confine
#   SNAPC_SRC     top of the source tree
# Each test file gets a private temp dir $T, removed (after unmounting anything below it) on exit.
set -uo pipefail

SNAPC_SRC=${SNAPC_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SNAPC_BIN=${SNAPC_BIN:-$SNAPC_SRC/build/bin}
SNAPS=$SNAPC_SRC/tests/snaps
export PATH="$SNAPC_BIN:$PATH"
_t_n=0
_t_fail=0
T=""

t_begin() {
  T=$(mktemp -d /tmp/snapc-test.XXXXXX)
  trap t_cleanup EXIT
}

# Unmount everything under $T (deepest first) and detach loop devices backed by files in $T.
t_cleanup() {
  [ -n "$T" ] && [ -d "$T" ] || return 0
  local m
  for _ in 1 2 3; do
    for m in $(awk -v t="$T" '$2 ~ "^"t {print $2}' /proc/self/mounts | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
  done
  losetup -a 2>/dev/null | awk -F: -v t="$T" 'index($0, t) {print $1}' | while read -r l; do
    losetup -d "$l" 2>/dev/null || true
  done
  rm -rf "$T"
}

_t_report() { # status desc [directive]
  _t_n=$((_t_n + 1))
  if [ "$1" = ok ]; then
    echo "ok $_t_n - $2${3:+ # $3}"
  else
    echo "not ok $_t_n - $2"
    _t_fail=$((_t_fail + 1))
  fi
}

# ok DESC CMD...: passes when CMD exits 0. Output is shown only on failure.
ok() {
  local desc=$1; shift
  local out
  if out=$("$@" 2>&1); then
    _t_report ok "$desc"
  else
    _t_report fail "$desc"
    printf '#   command: %s\n' "$*"
    printf '%s\n' "$out" | sed 's/^/#   /' | head -40
  fi
}

# fails DESC CMD...: passes when CMD exits non-zero (and does not crash: exit < 128).
fails() {
  local desc=$1; shift
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ $rc -ne 0 ] && [ $rc -lt 128 ]; then
    _t_report ok "$desc"
  else
    _t_report fail "$desc"
    printf '#   command: %s (exit %d)\n' "$*" "$rc"
    printf '%s\n' "$out" | sed 's/^/#   /' | head -40
  fi
}

# check DESC EXPR-as-command: alias of ok for readability with [ ] / grep.
check() { ok "$@"; }

t_skip() { # DESC REASON
  _t_n=$((_t_n + 1))
  echo "ok $_t_n - $1 # SKIP $2"
}

t_diag() { printf '# %s\n' "$*"; }

t_end() {
  echo "1..$_t_n"
  [ $_t_fail -eq 0 ]
}

t_need_root() { [ "$(id -u)" = 0 ]; }
