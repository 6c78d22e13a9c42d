# SPDX-License-Identifier: GPL-3.0-only
# confine-fixture.sh: a temporary root for tests/integration/confine-*.sh (sourced after
# libtest.sh and t_begin). It builds, under $T/root ($R):
#   snap/busybox-base/x1   the busybox base (tests/snaps/make-busybox-base.sh), loop-mounted
#   snap/ctest/x1          the test snap below, loop-mounted (what the daemon will do)
#   var/snap/ctest/...     its data dirs; root/ home of uid 0
# and runs `snapc debug setup-profiles` on it. cf_run runs `snapc run --root $R ...`.
#
# The test snap's apps: run (exec "$@"), svc (the same as a daemon: keeps capabilities),
# dev (like run, for device grants), chained (command-chain + $VAR args), argv (prints its
# arguments NUL-separated), plus an install hook. bin/try-syscall is tests/helpers/try-syscall.c.

R=$T/root
CF_BASE_REV=x1
CF_REV=x1

# Setup failures fail the suite: cf_fail_all reports one `not ok` line with the reason (and
# the log) and stops. Only a missing root skips (cf_need).
cf_fail_all() { # REASON [LOG]
  _t_report fail "fixture: $1"
  [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | tail -40
  t_end
  exit 1
}

# cf_step DESC CMD...: a fixture step whose failure fails the suite (CMD's output is shown)
cf_step() {
  local desc=$1 out rc=0
  shift
  out=$("$@" 2>&1) || rc=$?
  [ $rc -eq 0 ] && return 0
  printf '%s: exit %d\n%s\n' "$*" "$rc" "$out" >"$T/.step.log"
  cf_fail_all "$desc" "$T/.step.log"
}

cf_need() {
  if ! t_need_root; then
    t_skip "confinement tests" "needs root"
    t_end
    exit 0
  fi
  [ -x /bin/busybox ] || cf_fail_all "busybox-static not installed (build.sh installs it)"
  command -v mksquashfs >/dev/null || cf_fail_all "squashfs-tools not installed (build.sh installs it)"
  [ -x "$SNAPC_BIN/snapc-confine" ] || cf_fail_all "no snapc-confine in $SNAPC_BIN"
  snapc debug --help >/dev/null 2>&1 || cf_fail_all "snapc has no debug command"
}

# cf_landlock_abi: the Landlock ABI the kernel reports (snapc debug sandbox-features)
cf_landlock_abi() {
  snapc debug sandbox-features --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["landlock"]["abi"])'
}

# cf_need_landlock: file and device denials here come from Landlock (this kernel has no
# AppArmor): without it the whole script is skipped, with that reason
cf_need_landlock() {
  CF_LANDLOCK_ABI=$(cf_landlock_abi) || cf_fail_all "snapc debug sandbox-features failed"
  if [ "$CF_LANDLOCK_ABI" -lt 1 ]; then
    t_skip "confinement tests" "the kernel has no Landlock (ABI $CF_LANDLOCK_ABI): files are not confined"
    t_end
    exit 0
  fi
}

# the static try-syscall helper: from the build tree, else compiled here
cf_try_syscall() {
  local c
  for c in "$SNAPC_BIN/try-syscall" "$SNAPC_BIN/../tests/helpers/try-syscall"; do
    [ -x "$c" ] && { echo "$c"; return 0; }
  done
  cc -static -O2 -o "$T/try-syscall" "$SNAPC_SRC/tests/helpers/try-syscall.c" >&2 || return 1
  echo "$T/try-syscall"
}

cf_make_ctest() { # DIR
  local d=$1
  mkdir -p "$d/meta/hooks" "$d/bin"
  cat >"$d/meta/snap.yaml" <<'YAML'
name: ctest
version: '1.0'
summary: Confinement test snap
description: Apps that run commands inside the sandbox for tests/integration/confine-*.sh.
base: busybox-base
confinement: strict
grade: devel
environment:
  SNAP_LEVEL: top
  LEVEL_REF: $SNAP_LEVEL-app
apps:
  run:
    command: bin/run
    environment:
      APP_VAR: value with spaces
      EXPANDED: $SNAP_DATA/x
      BRACED: ${SNAP_NAME}:${UNSET_VAR_XYZ}:$
  svc:
    command: bin/run
    daemon: simple
  dev:
    command: bin/run
  chained:
    command: bin/args $SNAP_NAME arg2 $UNSET_VAR_XYZ
    command-chain: [bin/chain]
  argv:
    command: bin/args
YAML
  printf '#!/bin/sh\nexec "$@"\n' >"$d/bin/run"
  printf '#!/bin/sh\necho "chain: $0"\nexec "$@"\n' >"$d/bin/chain"
  printf '#!/bin/sh\nfor a in "$@"; do printf "%%s\\0" "$a"; done\n' >"$d/bin/args"
  printf '#!/bin/sh\necho "install hook as $(id -u)" >>"$SNAP_COMMON/hook.log"\n' >"$d/meta/hooks/install"
  cp "$CF_TRY" "$d/bin/try-syscall"
  chmod 0755 "$d"/bin/* "$d/meta/hooks/install"
}

cf_mount() { # SNAPFILE DIR
  mkdir -p "$2"
  mount -o loop,ro,nodev -t squashfs "$1" "$2"
}

# cf_fixture: build the root (see the top); on failure print why and return 1 (it runs with
# its output in a log: cf_setup reports it)
cf_fixture() {
  CF_TRY=$(cf_try_syscall) || { echo "cannot build try-syscall (needs static libc)"; return 1; }
  local out=$T/out
  mkdir -p "$out" "$R"
  "$SNAPC_SRC/tests/snaps/make-busybox-base.sh" "$T/bb" >/dev/null ||
    { echo "cannot build the busybox base"; return 1; }
  chmod 0755 "$T/bb/root" # snap pack wants world-readable directories
  snapc pack "$T/bb" "$out" >/dev/null || { echo "cannot pack the busybox base"; return 1; }
  cf_make_ctest "$T/ctest"
  snapc pack "$T/ctest" "$out" >/dev/null || { echo "cannot pack the test snap"; return 1; }
  cf_mount "$out"/busybox-base_*.snap "$R/snap/busybox-base/$CF_BASE_REV" &&
    ln -s "$CF_BASE_REV" "$R/snap/busybox-base/current" &&
    cf_mount "$out"/ctest_*.snap "$R/snap/ctest/$CF_REV" &&
    ln -s "$CF_REV" "$R/snap/ctest/current" || { echo "cannot mount the snaps"; return 1; }
  mkdir -p "$R/var/snap/ctest/$CF_REV" "$R/var/snap/ctest/common" "$R/root" "$R/home"
  snapc debug setup-profiles --root "$R" ctest "$CF_REV"
}

# cf_setup: cf_need, then the fixture: one `ok` line, or `not ok` with its log and stop
cf_setup() {
  cf_need
  if cf_fixture >"$T/fixture.log" 2>&1; then
    _t_report ok "set up profiles of a mounted snap"
  else
    cf_fail_all "set up profiles of a mounted snap" "$T/fixture.log"
  fi
}

cf_run() { snapc run --root "$R" "$@"; }

# remove profiles (device cgroups, namespace) before libtest.sh unmounts $T
cf_cleanup() {
  [ -n "${R:-}" ] && [ -d "$R/var/lib/snapd" ] && snapc debug remove-profiles --root "$R" ctest >/dev/null 2>&1
  t_cleanup
}
