#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# CLI parity that CI scripts rely on, through the real daemon: `watch|tasks|change --last=TYPE`
# (with the `TYPE?` form), `changes SNAP`, and the change kinds snapd gives each operation
# (install-snap for every install from a file, a new revision too; remove-snap; connect-snap;
# disconnect-snap), checked with snapc and with Debian's real snap client (2.57.6), which
# resolves --last itself from GET /v2/changes?select=all (cmd/snap/last.go).
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! t_need_root; then
  t_skip "cli parity" "needs root (loop devices and mounts)"
  t_end; exit
fi
R=$T/root
export SNAPC_ROOT=$R SNAPPY_GLOBAL_ROOT=$R
out=$T/out
# a fixture that does not pack is a failure, not a skip
ok "pack the fixtures" bash -c "snapc pack $SNAPS/hello $out && snapc pack $SNAPS/svc $out && snapc pack $SNAPS/iface-probe $out"
hello=$(ls "$out"/hello_*.snap 2>/dev/null)
svc=$(ls "$out"/svc_*.snap 2>/dev/null)
probe=$(ls "$out"/iface-probe_*.snap 2>/dev/null)

# The clients under test: snapc always; the real snap client when Debian's snapd is installed
# (build.sh installs it with the test packages, so a skip here means a broken setup).
clients="snapc"
if command -v snap >/dev/null; then
  clients="snapc snap"
else
  t_skip "the real snap client" "package snapd is not installed"
fi

# No `client | grep -q` below: grep -q exits at the first match, the client may then die of
# SIGPIPE (Debian's snap writes in several pieces), which pipefail turns into a failure, or,
# under `!`, into a pass. Outputs are captured first.

# kind ID: the change's kind as the daemon reports it.
kind() {
  t_api GET "/v2/changes/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["kind"])'
}
# ids QUERY: the ids GET /v2/changes?QUERY lists, sorted, space-separated.
ids() {
  t_api GET "/v2/changes?$1" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["type"]=="sync", d; print(" ".join(sorted((c["id"] for c in d["result"]), key=int)))'
}
# is_change CLIENT TYPE ID: `CLIENT tasks --last=TYPE` shows change ID (the same output as
# `CLIENT tasks ID`; the real client with --abs-time, snapc always prints absolute times).
is_change() {
  local abs=() a b
  [ "$1" = snap ] && abs=(--abs-time)
  a=$("$1" tasks "${abs[@]}" --last="$2" 2>&1) || { echo "$a"; return 1; }
  b=$("$1" tasks "${abs[@]}" "$3" 2>&1) || { echo "$b"; return 1; }
  [ "$a" = "$b" ] || { printf -- '--last=%s:\n%s\n-- %s:\n%s\n' "$2" "$a" "$3" "$b"; return 1; }
}
# changes_of CLIENT SNAP: the ids `CLIENT changes SNAP` lists, space-separated.
changes_of() { "$1" changes "$2" | awk 'NR > 1 && $1 ~ /^[0-9]+$/ {print $1}' | sort -n | xargs; }
export -f kind ids is_change changes_of t_api

t_daemon_start "$R"

# --- before any change: "no changes found", and the ? form does nothing ---
for c in $clients; do
  for cmd in watch tasks change; do
    fails_with "$c $cmd --last=install with no changes: no changes found" '^(snapc: )?error: no changes found$' $c $cmd --last=install
    ok "$c $cmd --last=install? with no changes: exit 0, no output" bash -c "o=\$($c $cmd --last='install?' 2>&1) && [ -z \"\$o\" ]"
  done
  fails_with "$c tasks with neither ID nor --last says what it needs" 'please provide change ID or type with --last=<type>' $c tasks
  fails_with "$c changes 1 points at tasks" "expects a snap name, try '(snap|snapc) tasks 1'" $c changes 1
done

# --- install (change 1), another snap (2), a new revision from a file (3) ---
ok "install hello" snapc install --dangerous "$hello"
ok "install svc" snapc install --dangerous "$svc"
ok "install hello again (revision x2)" snapc install --dangerous "$hello"
ok "kind of an install from a file is install-snap" bash -c '[ "$(kind 1)" = install-snap ]'
ok "kind of a new revision from a file is install-snap too (snapd's sideload)" bash -c '[ "$(kind 3)" = install-snap ]'
ok "change 3 is the second revision (it cleans up old revisions)" bash -c "t3=\$(snapc tasks 3) && t1=\$(snapc tasks 1) && grep -q 'Clean up old revisions of snap \"hello\"' <<<\"\$t3\" && ! grep -q 'Clean up old' <<<\"\$t1\""
for c in $clients; do
  ok "$c tasks --last=install is the newest install (3)" is_change $c install 3
  ok "$c change --last=install-snap (the kind itself) is 3" is_change $c install-snap 3
  ok "$c watch --last=install returns 0 on a Done change" $c watch --last=install
  fails_with "$c tasks --last=refresh: no refresh from a file" '^(snapc: )?error: no changes of type "refresh" found$' $c tasks --last=refresh
  ok "$c tasks --last=refresh?: exit 0, no output" bash -c "o=\$($c tasks --last='refresh?' 2>&1) && [ -z \"\$o\" ]"
  fails_with "$c watch --last=remove before any remove" '^(snapc: )?error: no changes of type "remove" found$' $c watch --last=remove
  fails_with "$c: an ID and --last together are refused" 'cannot use change ID and type together' $c tasks 1 --last=install
  ok "$c changes hello lists 1 and 3" bash -c "[ \"\$(changes_of $c hello)\" = '1 3' ]"
  ok "$c changes svc lists 2" bash -c "[ \"\$(changes_of $c svc)\" = '2' ]"
  ok_with "$c changes of a snap with none: no changes found, exit 0" '^(snapc: )?(error: )?no changes found$' $c changes nosuch
done

# --- the API: select= and for= ---
ok "select=all lists every change" bash -c '[ "$(ids select=all)" = "1 2 3" ]'
ok "select=ready lists the ready ones" bash -c '[ "$(ids select=ready)" = "1 2 3" ]'
ok "select=in-progress (the default) lists none when idle" bash -c '[ "$(ids select=in-progress)" = "" ] && [ "$(ids "")" = "" ]'
ok "select=bogus is a 400 with snapd's message" bash -c "o=\$(t_api GET '/v2/changes?select=bogus') && grep -q '\"status-code\": *400' <<<\"\$o\" && grep -q 'select should be one of: all,in-progress,ready' <<<\"\$o\""
ok "for=hello&select=all: 1 3" bash -c '[ "$(ids "select=all&for=hello")" = "1 3" ]'
ok "for=svc&select=all: 2" bash -c '[ "$(ids "select=all&for=svc")" = "2" ]'
ok "for=hell (a prefix) matches nothing" bash -c '[ "$(ids "select=all&for=hell")" = "" ]'
ok "for=hello&select=in-progress: none" bash -c '[ "$(ids "select=in-progress&for=hello")" = "" ]'

# --- a change in progress: watch --last waits for it ---
ok "install --no-wait prints the change id (4)" bash -c '[ "$(snapc install --no-wait --dangerous '"$hello"')" = 4 ]'
for c in $clients; do
  ok "$c watch --last=install exits 0 ..." $c watch --last=install
  ok "... and change 4 is Done when it returns" bash -c "snapc change --json 4 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"ready\"] and d[\"status\"]==\"Done\", d'"
done

# --- connect (5), disconnect (6) ---
ok "install iface-probe (5)" snapc install --dangerous "$probe"
ok "connect iface-probe:hardware-random-observe (6)" snapc connect iface-probe:hardware-random-observe
ok "disconnect iface-probe:hardware-random-observe (7)" snapc disconnect iface-probe:hardware-random-observe
ok "kind of a connect is connect-snap" bash -c '[ "$(kind 6)" = connect-snap ]'
ok "kind of a disconnect is disconnect-snap" bash -c '[ "$(kind 7)" = disconnect-snap ]'
for c in $clients; do
  ok "$c tasks --last=connect is 6" is_change $c connect 6
  ok "$c tasks --last=disconnect is 7" is_change $c disconnect 7
  ok "$c watch --last=connect" $c watch --last=connect
  ok "$c changes iface-probe lists 5 6 7" bash -c "[ \"\$(changes_of $c iface-probe)\" = '5 6 7' ]"
done

# --- remove (8) ---
ok "remove svc (8)" snapc remove svc
ok "kind of a remove is remove-snap" bash -c '[ "$(kind 8)" = remove-snap ]'
for c in $clients; do
  ok "$c tasks --last=remove is 8" is_change $c remove 8
  ok "$c watch --last=remove-snap? exits 0" $c watch --last='remove-snap?'
  ok "$c tasks --last=install is still 5 (iface-probe)" is_change $c install 5
  ok "$c changes svc lists 2 8" bash -c "[ \"\$(changes_of $c svc)\" = '2 8' ]"
  ok "$c changes hello lists 1 3 4" bash -c "[ \"\$(changes_of $c hello)\" = '1 3 4' ]"
done
ok "snapc abort --last=nosuch? with nothing to abort: exit 0, no output" bash -c "o=\$(snapc abort --last='nosuch?' 2>&1) && [ -z \"\$o\" ]"

# --- after a restart: the ready changes (history) keep their kinds and snaps ---
t_daemon_stop
t_daemon_start "$R"
ok "after a restart, kinds are kept" bash -c '[ "$(kind 3)" = install-snap ] && [ "$(kind 7)" = disconnect-snap ] && [ "$(kind 8)" = remove-snap ]'
for c in $clients; do
  ok "$c tasks --last=connect after a restart is 6" is_change $c connect 6
  ok "$c changes svc after a restart lists 2 8" bash -c "[ \"\$(changes_of $c svc)\" = '2 8' ]"
done

# --- one change for two snaps (the real client uploads both files in one request): 9 ---
if [ "$clients" = "snapc snap" ]; then
  ok "snap install --dangerous of two files (9)" snap install --dangerous "$hello" "$svc"
  ok "kind of a two-file install is install-snap" bash -c '[ "$(kind 9)" = install-snap ]'
  ok "for=svc lists it (one of its snap-names)" bash -c '[ "$(ids "select=all&for=svc")" = "2 8 9" ]'
  ok "for=hello lists it" bash -c '[ "$(ids "select=all&for=hello")" = "1 3 4 9" ]'
  for c in $clients; do
    ok "$c tasks --last=install is now 9" is_change $c install 9
    ok "$c changes svc lists 2 8 9" bash -c "[ \"\$(changes_of $c svc)\" = '2 8 9' ]"
  done
else
  t_skip "one change for two snaps" "package snapd is not installed (its client uploads several files in one request)"
fi
# --- while a change runs (copy-snap slowed down in test builds): for= and select= see the live
# change, and watch --last waits for it ---
t_daemon_stop
if [[ $(snapd-c --version) == *fault-injection* ]]; then
  t_daemon_start "$R" SNAPC_FAULT_DELAY=copy-snap:5000
  # the queries run in one process, back to back, and the last one checks that the change was
  # still running: a slow machine cannot make them pass or fail by timing
  cat >"$T/live.py" <<'EOF'
import http.client, json, socket, sys
sock, cid = sys.argv[1], sys.argv[2]
class Conn(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(sock)
def get(path):
    c = Conn("localhost")
    c.request("GET", path)
    return json.loads(c.getresponse().read())["result"]
a = [(c["id"], c["ready"]) for c in get("/v2/changes?select=in-progress&for=hello")]
b = [c["id"] for c in get("/v2/changes?select=in-progress&for=svc")]
r = [c["id"] for c in get("/v2/changes?select=ready")]
still = not get("/v2/changes/" + cid)["ready"]
print("in-progress-for-hello", "ok" if a == [(cid, False)] else a)
print("in-progress-for-svc", "ok" if b == [] else b)
print("ready", "ok" if cid not in r else r)
print("still-running", "ok" if still else "the change finished before the queries did")
EOF
  for c in $clients; do
    cid=$(snapc install --no-wait --dangerous "$hello")
    python3 "$T/live.py" "$R/run/snapd.socket" "$cid" >"$T/live.out" 2>&1
    ok_with "[$c] install --no-wait: change $cid, still running after the queries below" '^still-running ok$' cat "$T/live.out"
    ok_with "... select=in-progress&for=hello lists it, not ready" '^in-progress-for-hello ok$' cat "$T/live.out"
    ok_with "... select=in-progress&for=svc does not" '^in-progress-for-svc ok$' cat "$T/live.out"
    ok_with "... select=ready does not" '^ready ok$' cat "$T/live.out"
    ok "$c watch --last=install waits for it: exit 0" $c watch --last=install
    ok "... and it is Done when watch returns" bash -c "snapc change --json $cid | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"ready\"] and d[\"status\"]==\"Done\", d'"
  done
  t_daemon_stop
else
  t_skip "a change in progress: for=, select= and watch --last" "snapd-c built without fault injection (SNAPC_FAULT_DELAY)"
fi
t_daemon_start "$R"
ok "remove what is installed" bash -c 'for s in hello svc iface-probe; do l=$(snapc list) || exit 1; ! grep -q "^$s " <<<"$l" || snapc remove $s || exit 1; done' 
t_daemon_stop
ok "nothing mounted" bash -c "[ \$(t_mounts_for $R) = 0 ] && [ \$(t_loops_for $R/) = 0 ]"
t_end
