#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# The daemon under valgrind (memcheck, leaks) through an install/refresh/upload/list/remove
# cycle. valgrind cannot run the sanitized build: this uses the release build in build/bin,
# which ./build.sh test builds too.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
REL=$SNAPC_SRC/build/bin
if ! command -v valgrind >/dev/null; then
  t_skip "daemon under valgrind" "valgrind is not installed"; t_end; exit
fi
if [ ! -x "$REL/snapd-c" ]; then
  t_skip "daemon under valgrind" "no release build in build/bin (./build.sh builds it)"; t_end; exit
fi
if ! t_need_root; then
  t_skip "daemon under valgrind" "needs root (mounts)"; t_end; exit
fi
R=$T/root; mkdir -p "$R/run"
export SNAPC_ROOT=$R
"$REL/snapc" pack "$SNAPS/hello" "$T/out" >/dev/null
valgrind --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
  --error-exitcode=9 --log-file="$T/vg.log" "$REL/snapd-c" >"$T/daemon.log" 2>&1 &
vg=$!
for _ in $(seq 600); do [ -S "$R/run/snapd.socket" ] && break; sleep 0.05; done
ok "daemon under valgrind is up" test -S "$R/run/snapd.socket"
ok "install" "$REL/snapc" install --dangerous "$T"/out/hello_*.snap
ok "refresh" "$REL/snapc" install --dangerous "$T"/out/hello_*.snap
if command -v snap >/dev/null; then
  ok "upload through the real client" env SNAPPY_GLOBAL_ROOT="$R" snap install --dangerous "$T"/out/hello_*.snap
fi
head -c 5000 /dev/urandom > "$T/junk.snap"
fails "junk refused" "$REL/snapc" install --dangerous "$T/junk.snap"
ok "list" "$REL/snapc" list
ok "changes" "$REL/snapc" changes
ok "remove" "$REL/snapc" remove hello
kill -TERM $vg
rc=0; wait $vg || rc=$?
ok "no memory errors or leaks (exit $rc)" test $rc -eq 0
if [ $rc -ne 0 ]; then grep -E "Invalid|definitely|indirectly|uninitialised" "$T/vg.log" | head -20 | sed 's/^/# /'; fi
t_end
