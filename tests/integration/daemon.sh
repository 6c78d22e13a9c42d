#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# snapd-c: install/list/remove with real loop mounts, revisions, restart (the boot path),
# the REST envelope, access control, bad input, and reads while a change runs.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! t_need_root; then
  t_skip "daemon tests" "need root (loop devices and mounts)"
  t_end; exit
fi

R=$T/root
export SNAPC_ROOT=$R
out=$T/out
snapc pack "$SNAPS/hello" "$out" >/dev/null
snapc pack "$SNAPS/svc" "$out" >/dev/null
hello=$(ls "$out"/hello_*.snap)
svc=$(ls "$out"/svc_*.snap)

t_daemon_start "$R"
ok "system-info answers in snapd's envelope" bash -c \
  "t=\$(curl -s --unix-socket $R/run/snapd.socket http://localhost/v2/system-info); echo \"\$t\" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"type\"]==\"sync\" and d[\"status-code\"]==200 and d[\"result\"][\"series\"]==\"16\", d'"
fails "a second daemon on the same root is refused" env SNAPC_ROOT="$R" timeout 10 snapd-c
fails_with "... and says why" 'already running' env SNAPC_ROOT="$R" timeout 10 snapd-c
ok "the first one still answers" snapc list
ok "list is empty" bash -c "[ \"\$(snapc list --json)\" = '[ ]' ] || [ \"\$(snapc list --json | tr -d ' \n')\" = '[]' ]"

# --- unsigned files need --dangerous ---
fails "install without --dangerous is refused" snapc install "$hello"
fails_with "refusal says why" 'cannot find signatures' snapc install "$hello"
ok "nothing recorded after the refusal" bash -c "[ ! -e $R/var/lib/snapd/snaps/hello_x1.snap ]"

# --- install ---
ok "install --dangerous" snapc install --dangerous "$hello"
ok "listed as x1" bash -c "snapc list | grep -Eq '^hello +1.0 +x1'"
ok "blob in var/lib/snapd/snaps" test -f "$R/var/lib/snapd/snaps/hello_x1.snap"
ok "mounted squashfs ro,nodev,nosuid at snap/hello/x1" bash -c \
  "grep \" $R/snap/hello/x1 squashfs \" /proc/self/mounts | grep -q 'ro,nosuid,nodev'"
ok "through a loop device" bash -c "grep \" $R/snap/hello/x1 \" /proc/self/mounts | grep -q '^/dev/loop'"
ok "current symlinks" bash -c "[ \$(readlink $R/snap/hello/current) = x1 ] && [ \$(readlink $R/var/snap/hello/current) = x1 ]"
ok "data dirs" test -d "$R/var/snap/hello/x1" -a -d "$R/var/snap/hello/common"
ok "wrappers in snap/bin" test -L "$R/snap/bin/hello" -a -L "$R/snap/bin/hello.env"
ok "state.json records the snap" bash -c "python3 -c 'import json; s=json.load(open(\"$R/var/lib/snapd/state.json\")); assert s[\"data\"][\"snaps\"][\"hello\"][\"current\"]==\"x1\"'"
ok "snap info of an installed snap" bash -c "snapc info hello | grep -q 'revision *x1'"
ok "digest of the installed blob is recorded" bash -c "snapc info --json hello | grep -q '\"sha3-384\"'"

# --- revisions ---
ok "install again makes x2" snapc install --dangerous "$hello"
ok "x2 is current, x1 kept" bash -c "[ \$(readlink $R/snap/hello/current) = x2 ] && grep -q \" $R/snap/hello/x1 \" /proc/self/mounts"
echo marker > "$R/var/snap/hello/x2/data-x2"
ok "third install makes x3" snapc install --dangerous "$hello"
ok "data copied forward from x2 to x3" test -f "$R/var/snap/hello/x3/data-x2"
ok "x1 discarded (retain 2): unmounted, blob and data gone" bash -c \
  "! grep -q \" $R/snap/hello/x1 \" /proc/self/mounts && [ ! -e $R/var/lib/snapd/snaps/hello_x1.snap ] && [ ! -e $R/var/snap/hello/x1 ]"
ok "list --all shows both revisions" bash -c "[ \$(snapc list --all | grep -c '^hello ') = 2 ]"

# --- changes ---
ok "changes lists the installs" bash -c "[ \$(snapc changes | grep -c 'Install \"hello\"') = 3 ]"
ok "tasks of change 2" bash -c "snapc tasks 2 | grep -q 'Mount snap \"hello\"'"
ok "change json has snapd's fields" bash -c "snapc change --json 2 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"status\"]==\"Done\" and d[\"ready\"] and d[\"tasks\"][0][\"progress\"][\"total\"]==1'"
fails "unknown change" snapc tasks 999

# --- the boot path: restart re-establishes mounts, drops stale ones ---
t_daemon_stop
for m in $(awk -v t="$R/snap" 'index($2, t) == 1 {print $2}' /proc/self/mounts); do umount "$m"; done
mkdir -p "$R/snap/ghost/x9"; mount -o loop,ro -t squashfs "$hello" "$R/snap/ghost/x9"
ok "simulated reboot: nothing mounted but the stale ghost" bash -c "[ \$(t_mounts_for $R/snap) = 1 ]"
t_daemon_start "$R"
ok "all revisions mounted again" bash -c "grep -q \" $R/snap/hello/x2 \" /proc/self/mounts && grep -q \" $R/snap/hello/x3 \" /proc/self/mounts"
ok "stale mount removed" bash -c "! grep -q \" $R/snap/ghost/\" /proc/self/mounts"
ok "list after restart" bash -c "snapc list | grep -Eq '^hello +1.0 +x3'"

# --- access control: reads are open, changes need root ---
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  ok "non-root can list" setpriv --reuid=nobody --regid=nogroup --clear-groups env SNAPC_ROOT="$R" "$SNAPC_BIN/snapc" list
  fails "non-root cannot remove" setpriv --reuid=nobody --regid=nogroup --clear-groups env SNAPC_ROOT="$R" "$SNAPC_BIN/snapc" remove hello
  ok "the refusal is snapd's login-required" bash -c \
    "setpriv --reuid=nobody --regid=nogroup --clear-groups curl -s --unix-socket $R/run/snapd.socket -X POST -d '{\"action\":\"remove\"}' http://localhost/v2/snaps/hello | grep -q '\"kind\":\"login-required\"'"
else
  t_skip "non-root access checks" "no nobody user or setpriv"
fi

# --- bad input ---
head -c 65536 /dev/urandom > "$T/garbage.snap"
fails "random bytes are refused" snapc install --dangerous "$T/garbage.snap"
head -c 2000 "$svc" > "$T/trunc.snap"
fails "a truncated image is refused" snapc install --dangerous "$T/trunc.snap"
ok "error envelope for bad JSON" bash -c "t_api() { :; }; curl -s --unix-socket $R/run/snapd.socket -X POST -H 'Content-Type: application/json' -d '{nope' http://localhost/v2/snaps | grep -q '\"type\":\"error\"'"
ok "unknown route is a 404 envelope" bash -c "curl -s --unix-socket $R/run/snapd.socket http://localhost/v2/nothing | grep -q '\"status-code\":404'"
ok "path traversal in a snap name finds nothing" bash -c "curl -s --unix-socket $R/run/snapd.socket 'http://localhost/v2/snaps/..%2F..%2Fetc' | grep -q '\"status-code\":404'"
ok "remove of an unknown snap: snap-not-installed" bash -c "curl -s --unix-socket $R/run/snapd.socket -X POST -d '{\"action\":\"remove\"}' http://localhost/v2/snaps/nothere | grep -q snap-not-installed"
ok "garbage on the socket does not kill the daemon" bash -c "printf 'GARBAGE\r\n\r\n' | timeout 5 socat - UNIX-CONNECT:$R/run/snapd.socket >/dev/null 2>&1; snapc list >/dev/null"
python3 - "$R/run/snapd.socket" "$svc" <<'PY'
# a client that hangs up in the middle of a multipart upload
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
data = open(sys.argv[2], 'rb').read()
b = b'XyZ'
body = b'--XyZ\r\nContent-Disposition: form-data; name="dangerous"\r\n\r\ntrue\r\n--XyZ\r\nContent-Disposition: form-data; name="snap"; filename="svc.snap"\r\n\r\n' + data + b'\r\n--XyZ--\r\n'
s.sendall(b'POST /v2/snaps HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: %d\r\n\r\n' % len(body))
s.sendall(body[: len(body) // 2]); s.close()
PY
sleep 0.2
ok "daemon alive after a client hung up mid-upload" snapc list
ok "no upload left behind" bash -c "[ -z \"\$(ls -A $R/var/lib/snapd/snaps | grep -v '^hello_')\" ]"
ok "svc was not installed" bash -c "! snapc list | grep -q '^svc '"
ok "no stray loop devices or mounts from bad input" bash -c "[ \$(t_loops_for $R) = 2 ] && [ \$(t_mounts_for $R) = 2 ]"

# --- reads are answered while a change runs ---
t_daemon_stop
if snapd-c --version | grep -q fault-injection; then
  t_daemon_start "$R" SNAPC_FAULT_DELAY=copy-snap:1500
  cid=$(snapc install --dangerous --no-wait "$svc")
  start=$(date +%s%N)
  ok "GET /v2/snaps answers while the install runs" snapc list
  ok "... quickly (under 500 ms)" bash -c "[ \$(( (\$(date +%s%N) - $start) / 1000000 )) -lt 500 ]"
  ok "the change is still running then" bash -c "snapc change --json $cid | grep -q '\"ready\":false'"
  fails_with "conflicting change is refused" 'in progress|not installed' snapc remove svc
  ok "watch waits for it" snapc watch "$cid"
  ok "svc installed" bash -c "snapc list | grep -q '^svc '"
  t_daemon_stop
else
  t_skip "concurrent reads" "snapd-c built without fault injection"
fi

# --- disk full: a small tmpfs root ---
S=$T/small; mkdir -p "$S"; mount -t tmpfs -o size=600k tmpfs "$S"
big=$T/big; mkdir -p "$big/meta" "$big/bin"
cp "$SNAPS/hello/meta/snap.yaml" "$big/meta/"; cp -a "$SNAPS/hello/bin/." "$big/bin/"
head -c 2000000 /dev/urandom > "$big/bin/blob"
snapc pack "$big" "$T/bigout" >/dev/null
t_daemon_start "$S"
fails "install of a 2 MB snap fails on a full disk" env SNAPC_ROOT="$S" snapc install --dangerous "$T/bigout/hello_1.0_all.snap"
ok "the failure is reported as no space" bash -c "SNAPC_ROOT=$S snapc changes | grep -q Error && SNAPC_ROOT=$S snapc tasks 1 | grep -qi 'no space'"
ok "nothing left: no blob, no partial file, no mount" bash -c "[ -z \"\$(ls -A $S/var/lib/snapd/snaps)\" ] && [ \$(t_mounts_for $S/snap) = 0 ] && [ ! -e $S/var/snap/hello ]"
t_daemon_stop
umount "$S"

# --- remove ---
t_daemon_start "$R"
ok "remove hello" snapc remove hello
ok "no mounts, loops, blobs, data or wrappers of hello" bash -c \
  "! grep -q \" $R/snap/hello/\" /proc/self/mounts && [ ! -e $R/snap/hello ] && [ ! -e $R/var/snap/hello ] && [ ! -e $R/snap/bin/hello ] && ! ls $R/var/lib/snapd/snaps | grep -q hello"
ok "remove svc" snapc remove svc
ok "no loop device left" bash -c "[ \$(t_loops_for $R) = 0 ]"
fails "remove again" snapc remove hello
ok "reinstall hello and svc" bash -c "snapc install --dangerous $T/out/hello_*.snap $T/out/svc_*.snap >/dev/null"
fails "remove hello and a missing snap is refused" snapc remove hello nosuch
ok "... and hello stays" bash -c "snapc list | grep -q '^hello '"
ok "remove hello svc: one change" bash -c "snapc remove hello svc && snapc changes | tail -1 | grep -q 'Remove snaps \"hello\", \"svc\"'"
ok "... both gone" bash -c "! snapc list 2>&1 | grep -Eq '^(hello|svc) '"
t_daemon_stop
ok "socket removed at exit" test ! -e "$R/run/snapd.socket"
fails "snapc without a daemon exits 3" bash -c 'snapc list; [ $? -eq 3 ] && exit 1 || exit 0'
t_end
