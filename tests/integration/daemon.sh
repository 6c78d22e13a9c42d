#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# snapd-c: install/list/remove with real loop mounts, revisions, restart (the boot path),
# the REST envelope, access control, bad input, and reads while a change runs. The apps run:
# hello is installed on the busybox base, and its wrappers start it through the launcher.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! t_need_root; then
  t_skip "daemon tests" "need root (loop devices and mounts)"
  t_end; exit
fi

if [ ! -x /bin/busybox ]; then
  t_skip "daemon tests" "busybox-static not installed (the base the apps run on)"
  t_end; exit
fi

R=$T/root
export SNAPC_ROOT=$R
. "$SNAPC_SRC/tests/helpers/daemon-checks.sh"
out=$T/out
ok "assemble the busybox base" "$SNAPS/make-busybox-base.sh" "$T/bb"
ok "pack it" snapc pack "$T/bb" "$out"
cp -a "$SNAPS/hello" "$T/hello" && sed -i 's/^base: core22$/base: busybox-base/' "$T/hello/meta/snap.yaml"
ok "pack hello (base busybox-base)" snapc pack "$T/hello" "$out"
ok "pack svc" snapc pack "$SNAPS/svc" "$out"
base=$out/busybox-base_1.35.0_all.snap
hello=$out/hello_1.0_all.snap
svc=$out/svc_0.1_all.snap

t_daemon_start "$R"
ok "system-info answers in snapd's envelope" bash -c \
  "t=\$(curl -s --unix-socket $R/run/snapd.socket http://localhost/v2/system-info); echo \"\$t\" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"type\"]==\"sync\" and d[\"status-code\"]==200 and d[\"result\"][\"series\"]==\"16\", d'"
fails "a second daemon on the same root is refused" env SNAPC_ROOT="$R" timeout 10 snapd-c
fails_with "... and says why" 'already running' env SNAPC_ROOT="$R" timeout 10 snapd-c
ok "the first one still answers" snapc list
ok "list is empty" bash -c "l=\$(snapc list --json) && [ \"\$(echo \"\$l\" | tr -d ' \n')\" = '[]' ]"
ok "install the busybox base" snapc install --dangerous "$base"

# --- unsigned files need --dangerous ---
fails_with "install without --dangerous is refused, saying why" \
  '^snapc: error: cannot find signatures with metadata for snap "hello" \(use --dangerous to install an unsigned local file\)$' snapc install "$hello"
ok "nothing recorded after the refusal" bash -c "[ ! -e $R/var/lib/snapd/snaps/hello_x1.snap ]"

# --- install ---
ok "install --dangerous" snapc install --dangerous "$hello"
ok_with "listed as x1" '^hello +1.0 +x1 ' snapc list
ok "blob in var/lib/snapd/snaps" test -f "$R/var/lib/snapd/snaps/hello_x1.snap"
ok "mounted squashfs ro,nodev,nosuid at snap/hello/x1" bash -c \
  "grep \" $R/snap/hello/x1 squashfs \" /proc/self/mounts | grep -q 'ro,nosuid,nodev'"
ok "through a loop device" bash -c "grep \" $R/snap/hello/x1 \" /proc/self/mounts | grep -q '^/dev/loop'"
ok "current symlinks" bash -c "[ \$(readlink $R/snap/hello/current) = x1 ] && [ \$(readlink $R/var/snap/hello/current) = x1 ]"
ok "data dirs" test -d "$R/var/snap/hello/x1" -a -d "$R/var/snap/hello/common"
# a wrapper is a symlink; it proves something only when it runs the app (through the launcher)
ok_with "wrapper snap/bin/hello runs the app" '^Hello, world from hello$' "$R/snap/bin/hello"
ok_with "wrapper snap/bin/hello.env runs the other one, in the snap's environment" '^SNAP_REVISION=x1$' "$R/snap/bin/hello.env"
ok "state.json records the snap" bash -c "python3 -c 'import json; s=json.load(open(\"$R/var/lib/snapd/state.json\")); assert s[\"data\"][\"snaps\"][\"hello\"][\"current\"]==\"x1\"'"
ok_with "snap info of an installed snap" '^revision +x1$' snapc info hello
ok "the digest of the installed blob is reported, right" bash -c "
  want=\$(python3 -c 'import hashlib,base64,sys; print(base64.urlsafe_b64encode(hashlib.sha3_384(open(sys.argv[1],\"rb\").read()).digest()).decode().rstrip(\"=\"))' $R/var/lib/snapd/snaps/hello_x1.snap) &&
  got=\$(snapc info --json hello | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"sha3-384\"])') && [ \"\$got\" = \"\$want\" ]"

# --- revisions ---
ok "install again makes x2" snapc install --dangerous "$hello"
ok "x2 is current, x1 kept" bash -c "[ \$(readlink $R/snap/hello/current) = x2 ] && grep -q \" $R/snap/hello/x1 \" /proc/self/mounts"
echo marker > "$R/var/snap/hello/x2/data-x2"
ok "third install makes x3" snapc install --dangerous "$hello"
ok "data copied forward from x2 to x3" test -f "$R/var/snap/hello/x3/data-x2"
ok "x1 discarded (retain 2): unmounted, blob and data gone" bash -c \
  "! grep -q \" $R/snap/hello/x1 \" /proc/self/mounts && [ ! -e $R/var/lib/snapd/snaps/hello_x1.snap ] && [ ! -e $R/var/snap/hello/x1 ]"
ok "list --all shows both revisions" bash -c "l=\$(snapc list --all) && [ \$(grep -c '^hello ' <<<\"\$l\") = 2 ]"

# --- changes ---
ok "changes lists the installs" bash -c "l=\$(snapc changes) && [ \$(grep -c 'Install \"hello\"' <<<\"\$l\") = 3 ]"
ok_with "tasks of change 2" 'Mount snap "hello"' snapc tasks 2
ok "change json has snapd's fields" bash -c "snapc change --json 2 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"status\"]==\"Done\" and d[\"ready\"] and d[\"tasks\"][0][\"progress\"][\"total\"]==1'"
fails_with "unknown change" '^snapc: error: cannot find change with id "999"$' snapc tasks 999

# --- the boot path: restart re-establishes mounts, drops stale ones ---
t_daemon_stop
for m in $(awk -v t="$R/snap" 'index($2, t) == 1 {print $2}' /proc/self/mounts); do umount "$m"; done
mkdir -p "$R/snap/ghost/x9"; mount -o loop,ro -t squashfs "$hello" "$R/snap/ghost/x9"
ok "simulated reboot: nothing mounted but the stale ghost" bash -c "[ \$(t_mounts_for $R/snap) = 1 ] && grep -q ' $R/snap/ghost/x9 ' /proc/self/mounts"
t_daemon_start "$R"
ok "all revisions mounted again" bash -c "grep -q \" $R/snap/hello/x2 \" /proc/self/mounts && grep -q \" $R/snap/hello/x3 \" /proc/self/mounts && grep -q \" $R/snap/busybox-base/x1 \" /proc/self/mounts"
ok_with "... and the app runs again" '^Hello, world from hello$' "$R/snap/bin/hello"
ok "stale mount removed" bash -c "! grep -q \" $R/snap/ghost/\" /proc/self/mounts"
ok_with "list after restart" '^hello +1.0 +x3 ' snapc list

# --- access control: reads are open, changes need root ---
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  ok "non-root can list" setpriv --reuid=nobody --regid=nogroup --clear-groups env SNAPC_ROOT="$R" "$SNAPC_BIN/snapc" list
  fails_with "non-root cannot remove" '^snapc: error: access denied$' setpriv --reuid=nobody --regid=nogroup --clear-groups env SNAPC_ROOT="$R" "$SNAPC_BIN/snapc" remove hello
  ok "the refusal is snapd's login-required" bash -c \
    "setpriv --reuid=nobody --regid=nogroup --clear-groups curl -s -w ' %{http_code}' --unix-socket $R/run/snapd.socket -X POST -d '{\"action\":\"remove\"}' http://localhost/v2/snaps/hello | is_error 401 login-required 'access denied'"
else
  t_skip "non-root access checks" "no nobody user or setpriv"
fi

# --- bad input ---
head -c 65536 /dev/urandom > "$T/garbage.snap"
fails_with "random bytes are refused" "cannot read snap file: .*not a squashfs image \(bad magic\)" snapc install --dangerous "$T/garbage.snap"
head -c 1000 "$svc" > "$T/trunc.snap"
fails_with "a truncated image is refused" "cannot read snap file: .*truncated squashfs image \(superblock says [0-9]+ bytes, file has 1000\)" \
  snapc install --dangerous "$T/trunc.snap"
# cut in its padding: the image reads, the kernel cannot mount it; the install is undone
head -c 2000 "$svc" > "$T/short.snap"
fails_with "an image cut in its padding fails at mount" "cannot mount .*svc_x1.snap.*Input/output error" snapc install --dangerous "$T/short.snap"
ok "... and is undone: nothing of svc is left" nothing_of svc
# (status and kind exact; the message of a parse error is json-c's)
ok "error envelope for bad JSON: 400" bash -c "api POST /v2/snaps '{nope' | python3 -c '
import json, sys
body, code = sys.stdin.read().rsplit(\" \", 1)
d = json.loads(body)
assert code == \"400\" and d[\"type\"] == \"error\" and d[\"status-code\"] == 400 and d[\"result\"][\"message\"], (code, d)'"
ok "unknown route is a 404 envelope" bash -c "api GET /v2/nothing | python3 -c '
import json, sys
body, code = sys.stdin.read().rsplit(\" \", 1)
d = json.loads(body)
assert code == \"404\" and d[\"type\"] == \"error\" and d[\"status-code\"] == 404, (code, d)'"
ok "path traversal in a snap name finds nothing" bash -c \
  "api GET '/v2/snaps/..%2F..%2Fetc' | is_error 404 '' 'not found'"
ok "an unknown snap: 404 snap-not-found, its name as the value" bash -c \
  "api GET /v2/snaps/nothere | is_error 404 snap-not-found 'snap not installed' nothere"
ok "remove of an unknown snap: snap-not-installed" bash -c \
  "api POST /v2/snaps/nothere '{\"action\":\"remove\"}' | is_error 400 snap-not-installed 'snap \"nothere\" is not installed'"
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
ok "daemon alive after a client hung up mid-upload" snapc list
# the daemon drops the partial upload when it sees the hang-up (waited for, at most a minute)
ok "no upload left behind" bash -c "
  for i in \$(seq 3000); do [ -z \"\$(ls -A $R/var/lib/snapd/snaps | grep -Ev '^(hello|busybox-base)_')\" ] && exit 0; sleep 0.02; done; ls -A $R/var/lib/snapd/snaps; exit 1"
ok "svc was not installed" bash -c "l=\$(snapc list) && ! grep -q '^svc ' <<<\"\$l\""
ok "no stray loop devices or mounts from bad input (hello x2, x3 and the base)" bash -c \
  "[ \$(t_loops_for $R/) = 3 ] && [ \$(t_mounts_for $R/snap) = 3 ]"

# --- reads are answered while a change runs ---
t_daemon_stop
if snapd-c --version | grep -q fault-injection; then
  # the install is held at copy-snap until the gate file exists: reads must be answered
  # meanwhile (a read that waited for the change would wait for ever: timeout, a failure)
  t_daemon_start "$R" SNAPC_FAULT_DELAY="copy-snap:$T/gate"
  cid=$(snapc install --dangerous --no-wait "$svc")
  ok "the install of svc holds at copy-snap (change $cid)" wait_doing "$cid" copy-snap
  ok_with "GET /v2/snaps answers while the install runs" '^hello +1.0 +x3 ' timeout 30 snapc list
  ok "GET /v2/changes/$cid too: it is still running" has '"ready": *false' timeout 30 snapc change --json "$cid"
  fails_with "a conflicting change is refused, as snapd does" '^snapc: error: snap "svc" has "install-snap" change in progress$' \
    timeout 30 snapc install --dangerous "$svc"
  touch "$T/gate"
  ok "watch waits for it" timeout 120 snapc watch "$cid"
  ok "svc installed" bash -c "l=\$(snapc list) && grep -q '^svc ' <<<\"\$l\""
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
ok "the failure is reported as no space" bash -c "has '^1 +Error ' env SNAPC_ROOT=$S snapc changes && has '[Nn]o space' env SNAPC_ROOT=$S snapc tasks 1"
ok "nothing left: no blob, no partial file, no mount" bash -c "[ -z \"\$(ls -A $S/var/lib/snapd/snaps)\" ] && [ \$(t_mounts_for $S/snap) = 0 ] && [ ! -e $S/var/snap/hello ]"
t_daemon_stop
umount "$S"

# --- remove ---
t_daemon_start "$R"
ok "remove hello" snapc remove hello
ok "no mounts, loops, blobs, data, wrappers or profiles of hello" nothing_of hello
ok "remove svc" snapc remove svc
ok "only the base's loop device is left" bash -c "[ \$(t_loops_for $R/) = 1 ]"
fails_with "remove again" '^snapc: error: snap "hello" is not installed$' snapc remove hello
ok "reinstall hello and svc" snapc install --dangerous "$hello" "$svc"
fails_with "remove hello and a missing snap is refused" '^snapc: error: snap "nosuch" is not installed$' snapc remove hello nosuch
ok "... and hello stays" bash -c "l=\$(snapc list) && grep -q '^hello ' <<<\"\$l\""
ok "remove hello svc: one change" bash -c "snapc remove hello svc && l=\$(snapc changes) && tail -1 <<<\"\$l\" | grep -q 'Remove snaps \"hello\", \"svc\"'"
ok "... both gone" bash -c "nothing_of hello && nothing_of svc"
ok "remove the base" snapc remove busybox-base
ok "... nothing of it left, no loop device or mount under snap/" bash -c \
  "nothing_of busybox-base && [ \$(t_loops_for $R/) = 0 ] && [ \$(t_mounts_for $R/snap) = 0 ]"
t_daemon_stop
ok "socket removed at exit" test ! -e "$R/run/snapd.socket"
ok "snapc without a daemon exits 3" bash -c 'snapc list 2>/dev/null; [ $? -eq 3 ]'
t_end
