# SPDX-License-Identifier: GPL-3.0-only
# daemon-checks.sh: checks of what the daemon answers and leaves on disk, for the integration
# tests that drive snapd-c on $SNAPC_ROOT (sourced after libtest.sh). The functions are
# exported, so `bash -c` checks can use them.
#
#   has ERE CMD...               CMD exits 0 and a line of its output (stdout+stderr) matches
#   lacks ERE CMD...             CMD exits 0 and no line of its output matches
#                                 (use these, not `CMD | grep -q`: grep -q stops reading at the
#                                 first match, CMD may then die of SIGPIPE, and pipefail fails
#                                 the check; without pipefail, CMD's own failure would hide)
#   api METHOD PATH [JSON]       the raw answer: "BODY HTTP-STATUS"
#   api ... | is_error STATUS KIND MESSAGE [VALUE]
#                                 the answer is snapd's error envelope, exactly (KIND '' = none;
#                                 VALUE: the result's "value", a string, when given)
#   nothing_of NAME              no trace of snap NAME under $SNAPC_ROOT: not listed, not in
#                                 state.json, no blob or upload, mount, loop device, snap/ or
#                                 var/snap/ dir, wrapper or profile; says what is left otherwise
#   change_status KIND CID       status of the task of that kind in change CID ('-': the change)
#   wait_doing CID KIND          until that task is Doing (held at a SNAPC_FAULT_DELAY gate); at
#                                 most two minutes: a guard against a hang, not a timing check
#   snap ...                     Debian's snap client under `timeout 120`: it retries a daemon
#                                 that does not answer for minutes; a timeout is a failure

has() {
  local re=$1 out
  shift
  out=$("$@" 2>&1) || { printf '%s failed: %s\n' "$*" "$out"; return 1; }
  grep -Eq -- "$re" <<<"$out" && return 0
  printf '%s: no line matches %s in:\n%s\n' "$*" "$re" "$out"
  return 1
}

lacks() {
  local re=$1 out
  shift
  out=$("$@" 2>&1) || { printf '%s failed: %s\n' "$*" "$out"; return 1; }
  grep -Eq -- "$re" <<<"$out" || return 0
  printf '%s: a line matches %s in:\n%s\n' "$*" "$re" "$out"
  return 1
}

api() {
  curl -s -w ' %{http_code}' --unix-socket "$SNAPC_ROOT/run/snapd.socket" -X "$1" \
    ${3:+-H 'Content-Type: application/json' -d "$3"} "http://localhost$2"
}

is_error() {
  python3 -c '
import json, sys
body, code = sys.stdin.read().rsplit(" ", 1)
d = json.loads(body)
want = {"type": "error", "status-code": int(sys.argv[1])}
got = {k: d.get(k) for k in want}
r = d["result"]
assert got == want and int(code) == int(sys.argv[1]), (got, code)
assert r.get("kind", "") == sys.argv[2], r
assert r["message"] == sys.argv[3], r["message"]
assert len(sys.argv) < 5 or r.get("value") == sys.argv[4], r' "$@"
}

nothing_of() {
  local n=$1 r=$SNAPC_ROOT bad="" l
  l=$(snapc list --all) || bad="$bad (snapc list failed)"
  grep -q "^$n " <<<"$l" && bad="$bad listed"
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(sys.argv[2] in s["data"]["snaps"])' \
    "$r/var/lib/snapd/state.json" "$n" || bad="$bad in-state"
  [ -n "$(find "$r/var/lib/snapd/snaps" -maxdepth 1 -name "${n}_*")" ] && bad="$bad blob"
  [ -n "$(find "$r/var/lib/snapd/snaps" -maxdepth 1 -name '.upload*')" ] && bad="$bad upload"
  grep -q " $r/snap/$n/" /proc/self/mounts && bad="$bad mounted"
  l=$(losetup -a) || bad="$bad (losetup failed)"
  grep -q "$r/var/lib/snapd/snaps/${n}_" <<<"$l" && bad="$bad loop"
  [ -e "$r/snap/$n" ] && bad="$bad snap-dir"
  [ -e "$r/var/snap/$n" ] && bad="$bad data"
  [ -n "$(find "$r/snap/bin" -maxdepth 1 \( -name "$n" -o -name "$n.*" \) 2>/dev/null)" ] && bad="$bad wrappers"
  [ -n "$(find "$r/var/lib/snapd" -name "snap.$n.*" 2>/dev/null)" ] && bad="$bad profiles"
  [ -z "$bad" ] || { echo "left of $n:$bad"; return 1; }
}

change_status() {
  snapc change --json "$2" | python3 -c '
import json, sys
c = json.load(sys.stdin)
k = sys.argv[1]
print(c["status"] if k == "-" else [t["status"] for t in c["tasks"] if t["kind"] == k][0])' "$1"
}

wait_doing() {
  local end=$((SECONDS + 120))
  while [ $SECONDS -lt $end ]; do
    [ "$(change_status "$2" "$1" 2>/dev/null)" = Doing ] && return 0
    sleep 0.02
  done
  return 1
}

snap() {
  timeout 120 "$(type -P snap)" "$@"
}

export -f has lacks api is_error nothing_of change_status wait_doing snap
