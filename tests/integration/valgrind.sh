#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# The daemon under valgrind (memcheck, leaks) through an install/refresh/upload/list/remove
# cycle, and the error paths of the API (refusals, unknown names, /v2/apps, /v2/find, abort). valgrind cannot run the sanitized build: this uses the release build in build/bin,
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
ok "pack hello" "$REL/snapc" pack "$SNAPS/hello" "$T/out"
ok "pack svc" "$REL/snapc" pack "$SNAPS/svc" "$T/out"
# a devmode copy of hello, to be refused without --devmode
cp -a "$SNAPS/hello" "$T/dev" && sed -i 's/^name: hello$/name: devhello/; s/^confinement: strict$/confinement: devmode/' "$T/dev/meta/snap.yaml"
ok "pack devhello" "$REL/snapc" pack "$T/dev" "$T/out"
# curl PATH [JSON]: one request; prints the HTTP status
req() {
  curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SNAPC_ROOT/run/snapd.socket" ${2:+-X POST -H 'Content-Type: application/json' -d "$2"} "http://localhost$1"
}
export -f req
valgrind --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
  --error-exitcode=9 --log-file="$T/vg.log" "$REL/snapd-c" >"$T/daemon.log" 2>&1 &
vg=$!
for _ in $(seq 600); do [ -S "$R/run/snapd.socket" ] && break; sleep 0.05; done
ok "daemon under valgrind is up" test -S "$R/run/snapd.socket"
ok "install" "$REL/snapc" install --dangerous "$T"/out/hello_*.snap
ok "refresh" "$REL/snapc" install --dangerous "$T"/out/hello_*.snap
if command -v snap >/dev/null; then
  ok "upload through the real client" env SNAPPY_GLOBAL_ROOT="$R" timeout 300 snap install --dangerous "$T"/out/hello_*.snap
else
  t_skip "upload through the real client" "package snapd (the real snap client) is not installed"
fi
head -c 5000 /dev/urandom > "$T/junk.snap"
fails "junk refused" "$REL/snapc" install --dangerous "$T/junk.snap"
fails_with "devmode snap without --devmode refused" 'requires devmode' "$REL/snapc" install --dangerous "$T/out/devhello_1.0_all.snap"
ok "install svc" "$REL/snapc" install --dangerous "$T/out/svc_0.1_all.snap"
ok "list" "$REL/snapc" list
ok "changes" "$REL/snapc" changes
ok "/v2/apps, all and by name" bash -c "[ \$(req /v2/apps) = 200 ] && [ \$(req '/v2/apps?names=svc.loop,hello&select=service') = 404 ] && [ \$(req '/v2/apps?names=nosuch') = 404 ]"
ok "/v2/find" bash -c "[ \$(req '/v2/find?q=hello') = 400 ]"
ok "GET of an unknown snap" bash -c "[ \$(req /v2/snaps/nosuch) = 404 ]"
ok "abort of a finished change and of an unknown one" bash -c "[ \$(req /v2/changes/1 '{\"action\":\"abort\"}') = 400 ] && [ \$(req /v2/changes/99 '{\"action\":\"abort\"}') = 404 ]"
ok "remove" "$REL/snapc" remove hello svc
kill -TERM $vg
rc=0; wait $vg || rc=$?
ok "no memory errors or leaks (exit $rc)" test $rc -eq 0
if [ $rc -ne 0 ]; then grep -E "Invalid|definitely|indirectly|uninitialised" "$T/vg.log" | head -20 | sed 's/^/# /'; fi
t_end
