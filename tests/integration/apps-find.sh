#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# /v2/apps and /v2/find through the daemon: the raw answers (snapd's fields, order and errors)
# and what Debian's real snap client makes of them (`snap services`, `snap find`, `snap info`).
# There is no store yet: /v2/find answers as snapd does when it cannot reach its store.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! t_need_root; then
  t_skip "/v2/apps and /v2/find" "needs root (loop devices and mounts)"
  t_end; exit
fi
R=$T/root
export SNAPC_ROOT=$R SNAPPY_GLOBAL_ROOT=$R
have_snap=false
command -v snap >/dev/null && have_snap=true
. "$SNAPC_SRC/tests/helpers/daemon-checks.sh"
# result PATH: the result of a sync GET, as compact JSON with sorted keys
result() {
  api GET "$1" | python3 -c '
import json, sys
body, code = sys.stdin.read().rsplit(" ", 1)
d = json.loads(body)
assert code == "200" and d["type"] == "sync" and d["status-code"] == 200, (code, d)
print(json.dumps(d["result"], sort_keys=True, separators=(",", ":")))'
}
# apps_are PATH WANT: the apps listed at PATH are exactly WANT ("snap.app[:daemon]" words, in
# order), each with snapd's fields: snap, name; services also daemon, daemon-scope "system",
# enabled false, active false (no supervisor yet: nothing runs)
apps_are() {
  result "$1" | python3 -c '
import json, sys
got = json.load(sys.stdin)
want = sys.argv[1].split()
names = [a["snap"] + "." + a["name"] + (":" + a["daemon"] if "daemon" in a else "") for a in got]
assert names == want, (names, want)
for a in got:
    keys = {"snap", "name"} | ({"daemon", "daemon-scope", "enabled", "active"} if "daemon" in a else set())
    assert set(a) == keys, a
    if "daemon" in a:
        assert a["daemon-scope"] == "system" and a["enabled"] is False and a["active"] is False, a' "$2"
}
export -f result apps_are

ok "pack hello" snapc pack "$SNAPS/hello" "$T/out"
ok "pack svc" snapc pack "$SNAPS/svc" "$T/out"
t_daemon_start "$R"
ok "/v2/apps with nothing installed: an empty list" bash -c "[ \"\$(result /v2/apps)\" = '[]' ]"
ok "install hello and svc" snapc install --dangerous "$T/out/hello_1.0_all.snap" "$T/out/svc_0.1_all.snap"

# ---- /v2/apps: the raw answers ----
ok "/v2/apps: every app, sorted by snap then app; services with their daemon type, inactive" \
  apps_are /v2/apps "hello.env hello.hello svc.loop:simple svc.setup:oneshot"
ok "?select=service: only the services" apps_are "/v2/apps?select=service" "svc.loop:simple svc.setup:oneshot"
ok "?names=hello: the apps of one snap" apps_are "/v2/apps?names=hello" "hello.env hello.hello"
ok "?names=svc.setup,hello.hello: chosen apps" apps_are "/v2/apps?names=svc.setup,hello.hello" "hello.hello svc.setup:oneshot"
ok "?names=hello&select=service: 404 app-not-found, snapd's message" bash -c \
  "api GET '/v2/apps?names=hello&select=service' | is_error 404 app-not-found 'snap \"hello\" has no services'"
ok "?names=nosuch: 404 snap-not-found, the name as its value" bash -c \
  "api GET '/v2/apps?names=nosuch' | is_error 404 snap-not-found 'snap \"nosuch\" not found' nosuch"
ok "?names=svc.nope: 404 app-not-found" bash -c \
  "api GET '/v2/apps?names=svc.nope' | is_error 404 app-not-found 'snap \"svc\" has no app \"nope\"'"
ok "?names=svc.nope&select=service: 404 app-not-found" bash -c \
  "api GET '/v2/apps?names=svc.nope&select=service' | is_error 404 app-not-found 'snap \"svc\" has no service \"nope\"'"
ok "?select=bogus: 400, snapd's message" bash -c \
  "api GET '/v2/apps?select=bogus' | is_error 400 '' 'invalid select parameter: \"bogus\"'"

# ---- /v2/apps through the real client ----
if $have_snap; then
  ok "snap services: the table snapd prints, both services disabled and inactive" bash -c "
    [ \"\$(snap services)\" = \"\$(printf 'Service    Startup   Current   Notes\nsvc.loop   disabled  inactive  -\nsvc.setup  disabled  inactive  -')\" ]"
  ok "snap services svc.setup: that one" bash -c "
    [ \"\$(snap services svc.setup)\" = \"\$(printf 'Service    Startup   Current   Notes\nsvc.setup  disabled  inactive  -')\" ]"
  fails_with "snap services hello: hello has no services" '^error: snap "hello" has no services$' snap services hello
  fails_with "snap services nosuch: not found" '^error: snap "nosuch" not found$' snap services nosuch
else
  t_skip "snap services" "package snapd (the real snap client) is not installed"
fi
ok "remove svc" snapc remove svc
ok "/v2/apps forgets a removed snap" apps_are /v2/apps "hello.env hello.hello"
ok "?select=service: now an empty list" bash -c "[ \"\$(result '/v2/apps?select=service')\" = '[]' ]"

# ---- /v2/find: no store ----
msg='cannot search the store: snapd-c has no store configured'
for q in "q=hello" "name=hello" "name=hel*" "section=featured"; do
  ok "/v2/find?$q: 400 dns-failure, as snapd when it cannot reach its store" bash -c \
    "api GET '/v2/find?$q' | is_error 400 dns-failure '$msg'"
done
if $have_snap; then
  # what snapd's client prints when snapd cannot reach the store (cmd/snap/cmd_find.go)
  fails_with "snap find hello: unable to contact snap store" '^error: unable to contact snap store$' snap find hello
  fails_with "snap find (featured snaps): the same" '^error: unable to contact snap store$' snap find
  fails_with "snap info of a snap that is not installed: no snap found" '^error: no snap found for "nosuch"$' snap info nosuch
  ok_with "snap info of an installed snap still answers" '^installed: +1\.0 +\(x1\)' snap info hello
else
  t_skip "snap find" "package snapd (the real snap client) is not installed"
fi
t_daemon_stop
t_end
