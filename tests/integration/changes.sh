#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Change control through the daemon, as users drive it with snapc and with Debian's real snap
# client: one change per snap (snap-change-conflict, 409), and abort of a running change (it
# undoes what was done, holds the rest, ends Undone, and leaves nothing on disk).
# A change is held open with SNAPC_FAULT_DELAY=<task>:<gate file> (test builds): the task
# waits until the test creates the gate file, so nothing here depends on timing.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! t_need_root; then
  t_skip "change control" "needs root (loop devices and mounts)"
  t_end; exit
fi
if ! snapd-c --version | grep -q fault-injection; then
  t_skip "change control" "snapd-c built without fault injection (./build.sh test builds it with it)"
  t_end; exit
fi
R=$T/root
export SNAPC_ROOT=$R SNAPPY_GLOBAL_ROOT=$R
ok "pack hello" snapc pack "$SNAPS/hello" "$T/out"
ok "pack svc" snapc pack "$SNAPS/svc" "$T/out"
HELLO=$T/out/hello_1.0_all.snap SVC=$T/out/svc_0.1_all.snap
have_snap=false
command -v snap >/dev/null && have_snap=true

. "$SNAPC_SRC/tests/helpers/daemon-checks.sh"
# Every client call that waits for a change runs under `timeout`: when a refusal this file
# expects does not come (a broken daemon accepts the change), the call would wait behind the
# held change for ever; a timeout is a failure (libtest), never a pass.
W="timeout 60"

# ---- one change per snap ----
t_daemon_start "$R" SNAPC_FAULT_DELAY="link-snap:$T/gate-install"
cid=$(snapc install --dangerous --no-wait "$SVC")
ok "install of svc starts (change $cid)" test -n "$cid"
ok "... and holds at link-snap" wait_doing "$cid" link-snap
conflict='snap "svc" has "install-snap" change in progress'
ok "API: a second install of svc is refused: 409 snap-change-conflict, snapd's message" bash -c \
  "api POST /v2/snaps '{\"action\":\"install\",\"dangerous\":true,\"snap-path\":\"$SVC\"}' | is_error 409 snap-change-conflict '$conflict'"
fails_with "snapc install svc says so" "^snapc: error: $conflict\$" $W snapc install --dangerous "$SVC"
if $have_snap; then
  # the real client exits 10 for errors it may retry: it recognised the kind
  ok "snap install --dangerous svc (an upload): exit 10 and snapd's message" bash -c \
    "out=\$($W snap install --dangerous '$SVC' 2>&1); rc=\$?; [ \$rc -eq 10 ] && [ \"\$out\" = 'error: $conflict' ] || { echo \"exit \$rc: \$out\"; exit 1; }"
else
  t_skip "snap install during a change" "package snapd (the real snap client) is not installed"
fi
# snapd checks that the snap is installed before it looks for conflicts
ok "API: remove of svc, not installed yet: snapd's answer" bash -c \
  "api POST /v2/snaps/svc '{\"action\":\"remove\"}' | is_error 400 snap-not-installed 'snap \"svc\" is not installed'"
touch "$T/gate-install"
ok "released, the install completes" $W snapc watch "$cid"

# a refresh of the installed snap (a second local revision), held at link-snap
t_daemon_stop
t_daemon_start "$R" SNAPC_FAULT_DELAY="link-snap:$T/gate-refresh"
cid=$(snapc install --dangerous --no-wait "$SVC")
ok "refresh of svc holds at link-snap (change $cid)" wait_doing "$cid" link-snap
# a sideload is an install-snap change even when it refreshes (snapd's api_sideload_n_try.go)
conflict='snap "svc" has "install-snap" change in progress'
ok "API: remove of svc is refused: 409 snap-change-conflict, snapd's message" bash -c \
  "api POST /v2/snaps/svc '{\"action\":\"remove\"}' | is_error 409 snap-change-conflict '$conflict'"
ok "API: remove of several snaps including svc is refused the same way" bash -c \
  "api POST /v2/snaps '{\"action\":\"remove\",\"snaps\":[\"svc\"]}' | is_error 409 snap-change-conflict '$conflict'"
ok "API: another install of svc is refused the same way" bash -c \
  "api POST /v2/snaps '{\"action\":\"install\",\"dangerous\":true,\"snap-path\":\"$SVC\"}' | is_error 409 snap-change-conflict '$conflict'"
fails_with "snapc remove svc says so" "^snapc: error: $conflict\$" $W snapc remove svc
if $have_snap; then
  ok "snap remove svc: exit 10 and snapd's message" bash -c \
    "out=\$($W snap remove svc 2>&1); rc=\$?; [ \$rc -eq 10 ] && [ \"\$out\" = 'error: $conflict' ] || { echo \"exit \$rc: \$out\"; exit 1; }"
else
  t_skip "snap remove during a change" "package snapd (the real snap client) is not installed"
fi
ok "the refusals changed nothing: the refresh still holds, no other change is in progress" bash -c \
  "[ \"\$(change_status link-snap $cid)\" = Doing ] && [ \"\$(snapc changes | awk '\$2 != \"Done\"' | tail -n +2 | wc -l)\" = 1 ]"
hid=$(snapc install --dangerous --no-wait "$HELLO")
ok "a change of another snap is accepted meanwhile (change $hid)" test -n "$hid" -a "$hid" != "$cid"
touch "$T/gate-refresh"
ok "released, the refresh of svc completes" $W snapc watch "$cid"
ok "... and so does the install of hello" $W snapc watch "$hid"
ok "with the change done, remove of svc goes through" $W snapc remove svc
ok "... svc is gone" nothing_of svc
t_daemon_stop

# ---- snapc abort of a running install, held after link-snap: everything it did is undone ----
t_daemon_start "$R" SNAPC_FAULT_DELAY="start-snap-services:$T/gate-abort1"
cid=$(snapc install --dangerous --no-wait "$SVC")
ok "install of svc holds at start-snap-services (change $cid)" wait_doing "$cid" start-snap-services
ok "... after it mounted svc, made its data dir, profiles and link" bash -c \
  "grep -q ' $R/snap/svc/x1 ' /proc/self/mounts && [ -d $R/var/snap/svc/x1 ] && [ \"\$(readlink $R/snap/svc/current)\" = x1 ] &&
   [ -n \"\$(find $R/var/lib/snapd -name 'snap.svc.*')\" ] && [ \"\$(change_status link-snap $cid)\" = Done ]"
ok "snapc abort $cid" snapc abort "$cid"
ok "... the change is marked, the running task finishes first" bash -c "[ \"\$(change_status start-snap-services $cid)\" = Doing ]"
touch "$T/gate-abort1"
fails_with "snapc watch reports how it ended" "^snapc: error: change $cid finished with status Undone\$" $W snapc watch "$cid"
ok "the change is Undone, ready, every task Undone" bash -c "snapc change --json $cid | python3 -c '
import json, sys
c = json.load(sys.stdin)
st = {t[\"kind\"]: t[\"status\"] for t in c[\"tasks\"]}
assert c[\"status\"] == \"Undone\" and c[\"ready\"] and set(st.values()) == {\"Undone\"}, (c[\"status\"], st)'"
ok "nothing of svc is left on disk" nothing_of svc
ok "no mount or loop device left under the root" bash -c "[ \$(t_mounts_for $R) = 1 ] && [ \$(t_loops_for $R/) = 1 ]"
ok_with "snapc changes lists it as Undone" "^$cid +Undone " snapc changes
t_daemon_stop

# ---- snap abort (the real client) of an install held at setup-profiles: the rest is held ----
if $have_snap; then
  t_daemon_start "$R" SNAPC_FAULT_DELAY="setup-profiles:$T/gate-abort2"
  cid=$(snapc install --dangerous --no-wait "$SVC")
  ok "install of svc holds at setup-profiles (change $cid)" wait_doing "$cid" setup-profiles
  ok "snap abort $cid (prints nothing, exit 0)" bash -c "out=\$(snap abort $cid 2>&1) && [ -z \"\$out\" ]"
  ok "... the tasks after it are on Hold at once" bash -c \
    "[ \"\$(change_status link-snap $cid)\" = Hold ] && [ \"\$(change_status start-snap-services $cid)\" = Hold ]"
  touch "$T/gate-abort2"
  ok "snap watch returns when it is over" bash -c "$W snap watch $cid >/dev/null 2>&1; [ \"\$(change_status - $cid)\" = Undone ]"
  ok "snap change: done tasks Undone, the rest Hold, as snapd shows them" bash -c "
    [ \"\$(snap change $cid | awk 'NR == 1 { next } !NF { exit } { print \$1 }' | tr '\n' ' ')\" = 'Undone Undone Undone Undone Undone Undone Hold Hold ' ]"
  ok_with "snap changes shows it Undone" "^$cid +Undone " snap changes
  ok "nothing of svc is left on disk" nothing_of svc
  t_daemon_stop
else
  t_skip "snap abort" "package snapd (the real snap client) is not installed"
fi

# ---- abort of what cannot be aborted ----
t_daemon_start "$R"
ok "API: abort of a ready change: 400, snapd's message" bash -c \
  "api POST /v2/changes/$cid '{\"action\":\"abort\"}' | is_error 400 '' 'cannot abort change $cid with nothing pending'"
ok "API: abort of an unknown change: 404, snapd's message" bash -c \
  "api POST /v2/changes/999 '{\"action\":\"abort\"}' | is_error 404 '' 'cannot find change with id \"999\"'"
fails_with "snapc abort of an unknown change says so" '^snapc: error: cannot find change with id "999"$' snapc abort 999
if $have_snap; then
  fails_with "snap abort of a ready change says so" "^error: cannot abort change $cid with nothing pending\$" snap abort "$cid"
fi
t_daemon_stop
t_end
