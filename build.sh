#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# build.sh: the single entry point.
#   ./build.sh          install missing Debian packages, build build/bin/{snapc,snapd-c,...}
#   ./build.sh test     sanitized build (ASan+UBSan) and every test; ends "N passed, N failed"
#   ./build.sh demo     the device life cycle on a temporary root
#   ./build.sh bench    benchmarks with medians and ratios against peers measured in the same run
#   ./build.sh fuzz     libFuzzer targets (clang) into build-fuzz/
#   ./build.sh lint     clang-format check, cppcheck
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
TOP=$PWD

# Packages needed to build the programs.
BUILD_PKGS=(gcc meson ninja-build pkg-config libyaml-dev libjson-c-dev nettle-dev
  libsquashfs-dev libevent-dev libseccomp-dev squashfs-tools)
# Packages the tests, demo and benchmarks use (real peers and real tools).
TEST_PKGS=(libcmocka-dev python3 clang libclang-rt-14-dev squashfs-tools-ng busybox-static
  snapd apparmor bubblewrap util-linux e2fsprogs xz-utils zstd lz4 curl socat valgrind)
BENCH_PKGS=(hyperfine)

need_pkgs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "build.sh: missing packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "build.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # snapd's maintainer scripts try to talk to systemd; they must not start anything here
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/snapc-apt.log 2>&1; then
    apt-get update -q >>/tmp/snapc-apt.log 2>&1 || true
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/snapc-apt.log 2>&1 || {
      tail -20 /tmp/snapc-apt.log >&2; echo "build.sh: apt-get install failed" >&2; exit 1; }
  fi
}

# meson_setup DIR [options...]: configure once, reconfigure when options change.
meson_setup() {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

# The programs users run; each build dir gets them collected in DIR/bin/.
PROGRAMS=(snapc snapd-c snapc-confine)
collect_bin() {
  local dir=$1 p f
  mkdir -p "$dir/bin"
  for p in "${PROGRAMS[@]}"; do
    f=$(find "$dir" -path "$dir/bin" -prune -o -type f -name "$p" -perm -u+x -print | head -1)
    [ -n "$f" ] && install -m 0755 "$f" "$dir/bin/$p.tmp" && mv -f "$dir/bin/$p.tmp" "$dir/bin/$p"
  done
  return 0
}

build_release() {
  need_pkgs "${BUILD_PKGS[@]}"
  meson_setup build -Dtests=false -Dfault_injection=false -Dbuildtype=release -Db_ndebug=false
  ninja -C build >/dev/null
  collect_bin build
}

build_san() {
  need_pkgs "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"
  meson_setup build-san -Dtests=true -Dfault_injection=true -Dwerror=true \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fno-sanitize-recover=undefined
  # integration scripts are discovered at configure time: pick up new ones
  meson setup --reconfigure build-san >/dev/null
  ninja -C build-san
  collect_bin build-san
}

build_fuzz() {
  need_pkgs "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"
  CC=clang meson_setup build-fuzz -Dtests=false -Dfuzz=true -Db_lundef=false \
    -Db_sanitize=address,undefined -Dc_args=-fsanitize=fuzzer-no-link
  ninja -C build-fuzz >/dev/null
}

cmd_test() {
  build_release # valgrind runs the unsanitized daemon
  build_san
  build_fuzz
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_odr_violation=0
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  local rc=0
  meson test -C build-san --no-rebuild --print-errorlogs --num-processes 2 \
    >build-san/meson-test.out 2>&1 || rc=$?
  python3 tests/lib/tap-summary.py build-san/meson-logs/testlog.json || rc=1
  return $rc
}

case "${1:-build}" in
  build|"") build_release; echo "build.sh: programs are in build/bin/: $(ls build/bin | tr '\n' ' ')" ;;
  test) cmd_test ;;
  demo) build_release; need_pkgs "${TEST_PKGS[@]}"; exec tests/demo.sh "$TOP/build/bin" ;;
  bench) build_release; need_pkgs "${TEST_PKGS[@]}" "${BENCH_PKGS[@]}"; exec bench/run.sh "$TOP/build/bin" ;;
  fuzz)
    build_fuzz
    echo "build.sh: fuzzers in build-fuzz/tests/fuzz/; run e.g. build-fuzz/tests/fuzz/fuzz-snap-yaml tests/fuzz/corpus/snap-yaml" ;;
  lint)
    need_pkgs "${BUILD_PKGS[@]}" cppcheck clang-format
    meson_setup build -Dtests=false
    git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror
    cppcheck --project=build/compile_commands.json --enable=warning,performance,portability \
      --inline-suppr --error-exitcode=1 --suppress=missingIncludeSystem --suppress=memleak \
      --suppress=resourceLeak --suppress=preprocessorErrorDirective -q ;;
  -h|--help|help) sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "build.sh: unknown command '$1' (try: build, test, demo, bench, fuzz, lint)" >&2; exit 2 ;;
esac
