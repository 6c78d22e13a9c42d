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
#
# Failures cannot hide:
#   - `bash -c` checks run with pipefail too (BASH_ENV), so `snapc ... | grep -q` fails when
#     snapc does;
#   - sanitizer reports of every process (daemon, CLI, launcher, even in a pipeline or in the
#     background) go to files under $T; t_end turns any report into a failure and prints it;
#   - `fails` counts a timeout (124), a command that could not run (126, 127) or a signal as a
#     failure: a refusal is an exit status 1..123 or 125.
set -uo pipefail
export BASH_ENV=${SNAPC_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/tests/lib/bash-env.sh

SNAPC_SRC=${SNAPC_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SNAPC_BIN=${SNAPC_BIN:-$SNAPC_SRC/build/bin}
SNAPS=$SNAPC_SRC/tests/snaps
export PATH="$SNAPC_BIN:$PATH"
_t_n=0
_t_fail=0
T=""

t_begin() {
  T=$(mktemp -d /tmp/snapc-test.XXXXXX)
  chmod 755 "$T" # tests also run clients as other users
  trap t_cleanup EXIT
  _t_sanlog=$T/.sanitizer
  mkdir -p "$_t_sanlog"
  chmod 1777 "$_t_sanlog"
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$_t_sanlog/asan"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$_t_sanlog/ubsan"
}

# Unmount everything under $T (deepest first) and detach loop devices backed by files in $T.
t_cleanup() {
  local p
  for p in ${_t_daemons:-}; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [ -n "$T" ] && [ -d "$T" ] || return 0
  # daemons started in subshells (not in _t_daemons): find them by their root
  for p in $(pgrep -x snapd-c 2>/dev/null); do
    tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -q "^SNAPC_ROOT=$T/" && kill -KILL "$p" 2>/dev/null
  done
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

# fails DESC CMD...: passes when CMD refuses: exits 1..123 or 125 (not a timeout, not a
# command that could not run, not a crash).
fails() {
  local desc=$1; shift
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ $rc -ne 0 ] && [ $rc -lt 124 ] || [ $rc -eq 125 ]; then
    _t_report ok "$desc"
  else
    _t_report fail "$desc"
    printf '#   command: %s (exit %d)\n' "$*" "$rc"
    printf '%s\n' "$out" | sed 's/^/#   /' | head -40
  fi
}

# ok_with DESC REGEX CMD...: CMD exits 0 and its output (stdout+stderr) matches grep -E REGEX.
ok_with() {
  local desc=$1 re=$2; shift 2
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -E -- "$re" >/dev/null; then
    _t_report ok "$desc"
  else
    _t_report fail "$desc"
    printf '#   command: %s (exit %d), output should match: %s\n' "$*" "$rc" "$re"
    printf '%s\n' "$out" | sed 's/^/#   /' | head -40
  fi
}

# fails_with DESC REGEX CMD...: CMD refuses (as `fails`) and its output matches grep -E REGEX.
fails_with() {
  local desc=$1 re=$2; shift 2
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if { [ $rc -ne 0 ] && [ $rc -lt 124 ] || [ $rc -eq 125 ]; } && printf '%s\n' "$out" | grep -E -- "$re" >/dev/null; then
    _t_report ok "$desc"
  else
    _t_report fail "$desc"
    printf '#   command: %s (exit %d), should refuse with: %s\n' "$*" "$rc" "$re"
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

# t_sanitizer_check: one check that no process of this test left a sanitizer report.
t_sanitizer_check() {
  [ -n "${_t_sanlog:-}" ] && [ -d "$_t_sanlog" ] || return 0
  local f reports
  reports=$(ls -A "$_t_sanlog" 2>/dev/null)
  if [ -z "$reports" ]; then
    _t_report ok "no sanitizer reports from any process of this test"
    return 0
  fi
  _t_report fail "no sanitizer reports from any process of this test"
  for f in "$_t_sanlog"/*; do
    printf '#   %s:\n' "$(basename "$f")"
    head -40 "$f" | sed 's/^/#     /'
  done
  rm -f "$_t_sanlog"/*
}

t_end() {
  t_sanitizer_check
  echo "1..$_t_n"
  [ $_t_fail -eq 0 ]
}

t_need_root() { [ "$(id -u)" = 0 ]; }

# --- the daemon ---
_t_daemons=""
T_DAEMON_PID=""
# t_daemon_spawn ROOT [VAR=value...]: start snapd-c on ROOT (log in ROOT.log) and wait for its
# API; no TAP line on success, a `not ok` (with the log) on failure. For loops that start the
# daemon many times (crash rows); call it directly, never in $(...) or under ok.
t_daemon_spawn() {
  local root=$1; shift
  mkdir -p "$root/run"
  rm -f "$root/run/snapd.socket"
  env "$@" SNAPC_ROOT="$root" snapd-c >>"$root.log" 2>&1 &
  T_DAEMON_PID=$!
  _t_daemons="$_t_daemons $T_DAEMON_PID"
  local i
  for i in $(seq 1000); do
    [ -S "$root/run/snapd.socket" ] && return 0
    kill -0 "$T_DAEMON_PID" 2>/dev/null || break
    sleep 0.01
  done
  _t_report fail "daemon started on $(basename "$root")${1:+ with $*}"
  sed 's/^/#   /' "$root.log" | tail -20
  return 1
}
# t_daemon_start ROOT [VAR=value...]: t_daemon_spawn, and one TAP line when it answers.
# Call it directly, never under ok (that runs in a subshell and would lose the pid).
t_daemon_start() {
  t_daemon_spawn "$@" || return 1
  local root=$1; shift
  _t_report ok "daemon started on $(basename "$root")${1:+ with $*}"
}
# t_daemon_stop: SIGTERM, wait, and report whether it exited 0 (one TAP line).
t_daemon_stop() {
  [ -n "$T_DAEMON_PID" ] || return 0
  kill -TERM "$T_DAEMON_PID" 2>/dev/null
  local rc=0
  wait "$T_DAEMON_PID" 2>/dev/null || rc=$?
  T_DAEMON_PID=""
  if [ $rc -eq 0 ]; then _t_report ok "daemon stopped cleanly"; else _t_report fail "daemon stopped cleanly (exit $rc)"; fi
  return $rc
}
# t_daemon_wait_exit: wait for a daemon that is expected to die (fault injection); sets
# T_DAEMON_RC to its exit status (137: SIGKILL or a fault point) and prints it. Call it
# directly, never in $(...): a subshell cannot wait for the daemon (it is not its child).
T_DAEMON_RC=""
t_daemon_wait_exit() {
  local rc=0
  if [ "$BASH_SUBSHELL" != 0 ]; then
    echo "t_daemon_wait_exit: called in a subshell; the daemon's exit status is lost" >&2
    T_DAEMON_RC=-1; echo -1; return 1
  fi
  wait "$T_DAEMON_PID" 2>/dev/null || rc=$?
  T_DAEMON_PID=""
  T_DAEMON_RC=$rc
  echo $rc
}
# t_api METHOD PATH [JSON]: raw request to the daemon of $SNAPC_ROOT, prints the body.
t_api() {
  local sock=${SNAPC_ROOT:?}/run/snapd.socket
  if [ $# -ge 3 ]; then
    curl -s --unix-socket "$sock" -X "$1" -H 'Content-Type: application/json' -d "$3" "http://localhost$2"
  else
    curl -s --unix-socket "$sock" -X "$1" "http://localhost$2"
  fi
}
# t_loops_for DIR: loop devices whose backing file is under DIR.
t_loops_for() { losetup -a 2>/dev/null | grep -c "$1" || true; }
# t_mounts_for DIR: mounts under DIR.
t_mounts_for() { awk -v t="$1" 'index($2, t) == 1' /proc/self/mounts | wc -l; }
export -f t_loops_for t_mounts_for
