#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# The crash matrix: kill the daemon (a fault point: SNAPC_FAULT, _exit(137)) before and after
# every task of install, refresh, remove, connect and disconnect, inside the undo of a failing
# install, inside the discarding of an old revision, at the commits between tasks (the change
# itself, the move of a ready change to the history), and before every state commit of a
# refresh that discards a revision. Every row proves three things:
#   1. the fault fired: the daemon exited 137 and logged "fault injected at <point>";
#   2. the restart was clean: the daemon came up, every change settled, and it stopped with
#      exit 0 after SIGTERM (a sanitizer abort fails the row; libtest also fails on any report);
#   3. the invariant holds and the outcome is the one the point allows: a change that was
#      committed finishes after the restart (or is undone when it failed), so the system is
#      exactly as before or exactly as after, never in between: state, mounts, loop devices,
#      blobs, data dirs, current links, wrappers and profiles agree.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! t_need_root; then
  t_skip "crash matrix" "needs root (loop devices and mounts)"
  t_end
  exit
fi
ok_with "snapd-c is built with fault injection" fault-injection snapd-c --version || { t_end; exit 1; }
ok "pack hello" snapc pack "$SNAPS/hello" "$T/out"
mkdir -p "$T/netapp/meta"
cp -a "$SNAPS/hello/bin" "$T/netapp/"
sed -e 's/^name: hello/name: netapp/' "$SNAPS/hello/meta/snap.yaml" >"$T/netapp/meta/snap.yaml"
printf 'plugs:\n  network:\n' >>"$T/netapp/meta/snap.yaml"
ok "pack netapp (hello with a network plug)" snapc pack "$T/netapp" "$T/out"
hello=$(ls "$T"/out/hello_*.snap 2>/dev/null)
netapp=$(ls "$T"/out/netapp_*.snap 2>/dev/null)
[ -f "$hello" ] && [ -f "$netapp" ] || { t_end; exit 1; }

# state_of ROOT [NAME]: "absent", or "SEQ@CURRENT" (e.g. "x1,x2@x2") when everything agrees,
# followed by what disagrees.
state_of() {
  python3 - "$1" "${2:-hello}" <<'PY'
import glob, json, os, sys
root, name = sys.argv[1], sys.argv[2]
bad = []
st = json.load(open(f"{root}/var/lib/snapd/state.json"))
data = st["data"]
snapst = data["snaps"].get(name)
if data.get("discarding"):
    bad.append(f"discarding:{data['discarding']}")
revs = [e["revision"] for e in (snapst or {}).get("sequence", [])]
cur = (snapst or {}).get("current")
mounts = set()
for line in open("/proc/self/mounts"):
    f = line.split()
    pfx = f"{root}/snap/{name}/"
    if f[1].startswith(pfx):
        mounts.add(f[1][len(pfx):])
blobdir = f"{root}/var/lib/snapd/snaps"
blobs, temps = set(), []
for b in sorted(os.listdir(blobdir)) if os.path.isdir(blobdir) else []:
    if b.startswith(f"{name}_") and b.endswith(".snap"):
        blobs.add(b[len(name) + 1:-5])
    elif b.startswith(".") or ".snap." in b:
        temps.append(b)
if temps:
    bad.append(f"temp-files:{temps}")
datadir = f"{root}/var/snap/{name}"
datas = set(d for d in (os.listdir(datadir) if os.path.isdir(datadir) else [])
            if d not in ("common", "current"))
loops = os.popen("losetup -a").read()
lib = f"{root}/var/lib/snapd"
launch = sorted(glob.glob(f"{lib}/confine/snap.{name}.*.launch"))
wrappers = sorted(p for p in glob.glob(f"{root}/snap/bin/*")
                  if os.path.basename(p) == name or os.path.basename(p).startswith(name + "."))
if snapst is None:
    for what, got in (("mounts", mounts), ("blobs", blobs), ("data", datas),
                      ("profiles", launch), ("wrappers", wrappers)):
        if got:
            bad.append(f"{what}:{sorted(got)}")
    for p in (f"{root}/snap/{name}", datadir):
        if os.path.lexists(p):
            bad.append(f"{p[len(root):]}-exists")
    if f"{blobdir}/{name}_" in loops:
        bad.append("loop-devices")
    print(" ".join(["absent"] + bad))
    sys.exit()
for r in revs:
    if r not in mounts: bad.append(f"unmounted:{r}")
    if r not in blobs: bad.append(f"noblob:{r}")
    if r not in datas: bad.append(f"nodata:{r}")
for what, got in (("mounts", mounts), ("blobs", blobs), ("data", datas)):
    extra = sorted(got - set(revs))
    if extra:
        bad.append(f"extra-{what}:{extra}")
for link in (f"{root}/snap/{name}/current", f"{datadir}/current"):
    if not os.path.islink(link) or os.readlink(link) != cur:
        bad.append(f"{link[len(root):]}!={cur}")
if not wrappers:
    bad.append("nowrapper")
for w in wrappers:
    if not os.path.realpath(w).endswith("/snapc-confine"):
        bad.append(f"wrapper:{os.path.basename(w)}")
if not launch:
    bad.append("noprofiles")
for l in launch:
    text = open(l, "rb").read().decode("utf-8", "replace")
    if f"\nrevision {cur}\n" not in text:
        bad.append(f"profile-revision:{os.path.basename(l)}")
    tag = os.path.basename(l)[:-len(".launch")]
    if not os.path.exists(f"{lib}/seccomp/bpf/{tag}.bin2"):
        bad.append(f"noseccomp:{tag}")
print(" ".join([",".join(revs) + "@" + str(cur)] + bad))
PY
}

# conn_of ROOT: "yes" when netapp:network is connected (not undesired) and the profile has the
# network rules, "no" when neither, else what disagrees
conn_of() {
  python3 - "$1" <<'PY'
import json, sys
root = sys.argv[1]
c = json.load(open(f"{root}/var/lib/snapd/state.json"))["data"]["conns"]
e = c.get("netapp:network snapd:network")
state = bool(e and not e.get("undesired"))
src = open(f"{root}/var/lib/snapd/seccomp/bpf/snap.netapp.hello.src").read().splitlines()
prof = "socket AF_CONN" in src  # a rule only the network plug adds
print(("yes" if state else "no") if state == prof else f"state:{state} profile:{prof}")
PY
}

# settle: wait until every change of the running daemon is ready (snapc watch of each)
settle() {
  local ids id
  ids=$(snapc changes --json 2>/dev/null | python3 -c 'import json,sys; print(" ".join(c["id"] for c in json.load(sys.stdin) if not c.get("ready")))') || return 1
  local out
  for id in $ids; do
    snapc watch "$id" >/dev/null 2>&1
    out=$(snapc change --json "$id" 2>/dev/null) || return 1
    [[ $out == *'"ready":true'* ]] || return 1
  done
}

# template NAME CMD...: a cold root (no daemon, nothing mounted) on which CMD ran against a
# daemon without faults; rows start from a copy of it (the daemon mounts it at start, as at
# boot), which costs far less than running CMD again for every row
template() {
  local name=$1 tr=$T/tpl-$1; shift
  SNAPC_ROOT=$tr t_daemon_spawn "$tr" || return 1
  SNAPC_ROOT=$tr "$@" >/dev/null 2>&1
  SNAPC_ROOT=$tr settle
  kill -TERM "$T_DAEMON_PID"
  t_daemon_wait_exit >/dev/null
  local m
  for m in $(awk -v t="$tr/" 'index($2, t) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount "$m"
  done
  rm -f "$tr/run/snapd.socket" "$tr.log"
  ok "template $name: $* (daemon exit $T_DAEMON_RC)" test "$T_DAEMON_RC" = 0
}
# prepare ROOT NAME: ROOT becomes a copy of template NAME
prepare() {
  mkdir -p "$1" && cp -a "$T/tpl-$2/." "$1/"
}

# crash DESC ROOT FAULT CMD...: run CMD against a daemon that dies at FAULT, then restart, let
# every change settle and stop. Sets FIRED=1 when the fault fired and CRASH_WHY to what went
# wrong (empty when the fault fired and the restart was clean).
crash() {
  local desc=$1 r=$2 fault=$3; shift 3
  FIRED=0 CRASH_WHY=""
  : >"$r.log"
  t_daemon_spawn "$r" SNAPC_FAULT="$fault" || { CRASH_WHY="daemon did not start"; return; }
  "$@" >/dev/null 2>&1
  local i
  for i in $(seq 500); do
    kill -0 "$T_DAEMON_PID" 2>/dev/null || break
    sleep 0.01
  done
  if kill -0 "$T_DAEMON_PID" 2>/dev/null; then
    kill -KILL "$T_DAEMON_PID"
    t_daemon_wait_exit >/dev/null
    CRASH_WHY="the fault did not fire (the daemon lived on)"
    return
  fi
  t_daemon_wait_exit >/dev/null
  # the kill point of the spec (the entry that is not a :fail), without its #N
  local kill_at
  kill_at=$(tr ',' '\n' <<<"$fault" | grep -v ':fail' | head -1)
  if [ "$T_DAEMON_RC" != 137 ] || ! grep -qF "fault injected at ${kill_at%%#*}" "$r.log"; then
    CRASH_WHY="the daemon exited $T_DAEMON_RC without the fault ($(tail -1 "$r.log"))"
    return
  fi
  FIRED=1
  : >"$r.log"
  t_daemon_spawn "$r" || { CRASH_WHY="restart failed"; return; }
  settle || CRASH_WHY="changes did not settle after the restart"
  kill -TERM "$T_DAEMON_PID"
  t_daemon_wait_exit >/dev/null
  [ "$T_DAEMON_RC" = 0 ] || CRASH_WHY="${CRASH_WHY:+$CRASH_WHY; }restarted daemon exited $T_DAEMON_RC"
  if grep -q "cannot mount" "$r.log"; then
    CRASH_WHY="${CRASH_WHY:+$CRASH_WHY; }restart: $(grep -m1 'cannot mount' "$r.log")"
  fi
}

# row DESC ROOT FAULT WANT GOT-CMD -- CMD...: one TAP line: fault fired, clean restart,
# and GOT-CMD (a function printing the outcome) prints WANT
row() {
  local desc=$1 r=$2 fault=$3 want=$4 get=$5; shift 6
  crash "$desc" "$r" "$fault" "$@"
  local got
  got=$($get "$r")
  if [ -z "$CRASH_WHY" ] && [ "$got" = "$want" ]; then
    _t_report ok "$desc: fired, clean restart, $got"
  else
    _t_report fail "$desc: ${CRASH_WHY:-fired, clean restart}; got '$got', want '$want'"
    sed 's/^/#   log: /' "$r.log" | tail -5
  fi
}
hello_state() { state_of "$1" hello; }
both_state() { echo "$(state_of "$1" hello) | $(state_of "$1" netapp)"; }
install_hello() { snapc install --dangerous "$hello"; }
# the real snap client's two-file sideload (one multipart request), without its retries
upload2() { curl -sf --unix-socket "$SNAPC_ROOT/run/snapd.socket" -F dangerous=true -F "snap=@$hello" -F "snap=@$netapp" http://localhost/v2/snaps; }

template x1 install_hello
template x1x2 bash -c "snapc install --dangerous '$hello' && snapc install --dangerous '$hello'"
template netapp snapc install --dangerous "$netapp"
template netapp-off bash -c "snapc install --dangerous '$netapp' && snapc disconnect netapp:network"
template two upload2

n=0
next_root() { n=$((n + 1)); R=$T/r$n; export SNAPC_ROOT=$R; }

# sweep_commits DESC TEMPLATE OP WHEN FIRST REST MIN: kill the daemon WHEN (before|after) state
# commit #2, #3, ... of OP (commit #1 is the daemon's start-up, #2 the change itself) on a copy
# of TEMPLATE (empty: a new root), until OP makes no more commits (the fault no longer fires:
# there must have been more than MIN). Killed before commit #2 the outcome is FIRST (nothing
# happened), otherwise REST (the change finishes after the restart).
sweep_commits() {
  local desc=$1 prep=$2 op=$3 w=$4 first=$5 rest=$6 min=$7 i want got
  for i in $(seq 2 80); do
    next_root
    [ -z "$prep" ] || prepare "$R" "$prep"
    want=$rest
    [ "$i" = 2 ] && [ "$w" = before ] && want=$first
    crash "$desc" "$R" "state-commit:$w#$i" "$op"
    if [ "$FIRED" = 0 ] && [ "$CRASH_WHY" = "the fault did not fire (the daemon lived on)" ]; then
      ok "$desc makes $((i - 2)) state commits (more than $min); killed $w each: as above" test "$i" -gt "$min"
      return
    fi
    got=$($get_state "$R")
    if [ -z "$CRASH_WHY" ] && [ "$got" = "$want" ]; then
      _t_report ok "$desc, killed $w state commit #$i: fired, clean restart, $got"
    else
      _t_report fail "$desc, killed $w state commit #$i: ${CRASH_WHY:-fired, clean restart}; got '$got', want '$want'"
    fi
  done
  _t_report fail "$desc: still committing after 80 commits"
}
get_state=hello_state

# ---- install: killed at any task the change finishes after the restart ----
install_tasks="prepare-snap copy-snap mount-snap copy-snap-data auto-connect setup-profiles link-snap start-snap-services"
for k in $install_tasks; do
  for w in before after; do
    next_root
    row "install, killed at $k:$w" "$R" "$k:$w" "x1@x1" hello_state -- install_hello
  done
done
# ... and at the commits between tasks: the change itself (commit #2; #1 is the daemon's
# start-up: killed before it, nothing happened at all), and the ready change moving to the
# history (written only after the state that holds its last task's outcome)
for f in state-commit:before#2 state-commit:after#2 history:before history:after; do
  next_root
  want="x1@x1"
  [ "$f" = "state-commit:before#2" ] && want=absent
  row "install, killed at $f" "$R" "$f" "$want" hello_state -- install_hello
done

# ---- refresh x1 -> x2 (both kept, retain 2): killed anywhere, it completes ----
for k in $install_tasks discard-old-revisions; do
  for w in before after; do
    next_root
    prepare "$R" x1
    row "refresh x1->x2, killed at $k:$w" "$R" "$k:$w" "x1,x2@x2" hello_state -- install_hello
  done
done
# ---- refresh x2 -> x3 discards x1: killed while discarding, x1 is gone after the restart
for f in discard-old-revisions:before discard-revision:committed discard-revision:unmounted \
  discard-revision:unlinked discard-old-revisions:after; do
  next_root
  prepare "$R" x1x2
  row "refresh x2->x3 (discards x1), killed at $f" "$R" "$f" "x2,x3@x3" hello_state -- install_hello
done

# ... and before every state commit of that refresh (its last commit makes the change ready:
# the history must never say Done for a change whose last task's state was not committed)
sweep_commits "refresh x2->x3 (discards x1)" x1x2 install_hello before "x1,x2@x2" "x2,x3@x3" 12

# ---- a failing install is undone; killed inside the undo, the restart finishes the undo ----
for k in copy-snap mount-snap copy-snap-data auto-connect setup-profiles; do
  for w in undo-before undo-after; do
    next_root
    row "failed install, killed in the undo of $k ($w)" "$R" "link-snap:fail,$k:$w" absent hello_state -- install_hello
  done
done

# ---- a failing task is undone completely (no crash): checked without the crash helper ----
for k in copy-snap mount-snap copy-snap-data auto-connect setup-profiles link-snap start-snap-services; do
  next_root
  t_daemon_spawn "$R" SNAPC_FAULT="$k:fail" || continue
  fails "install failing in $k: snapc reports the failure" snapc install --dangerous "$hello"
  kill -TERM "$T_DAEMON_PID"
  t_daemon_wait_exit >/dev/null
  got=$(hello_state "$R")
  ok "install failing in $k is undone ($got), daemon exit $T_DAEMON_RC" test "$got $T_DAEMON_RC" = "absent 0"
done

# ---- remove: killed anywhere, the remove completes ----
remove_hello() { snapc remove hello; }
for k in stop-snap-services disconnect-snap remove-profiles unlink-snap discard-snap; do
  for w in before after; do
    next_root
    prepare "$R" x1
    row "remove, killed at $k:$w" "$R" "$k:$w" absent hello_state -- remove_hello
  done
done
for f in discard-revision:committed discard-revision:unmounted discard-revision:unlinked; do
  next_root
  prepare "$R" x1x2
  row "remove of x1+x2, killed at $f" "$R" "$f" absent hello_state -- remove_hello
done
for f in state-commit:before#2 state-commit:after#2 history:before history:after; do
  next_root
  prepare "$R" x1
  want=absent
  [ "$f" = "state-commit:before#2" ] && want="x1@x1"
  row "remove, killed at $f" "$R" "$f" "$want" hello_state -- remove_hello
done

# ---- one change for two snaps (the real snap client uploads both files in one multipart
#      request; curl sends the same request without the client's retries) ----
for f in copy-snap:after mount-snap:after link-snap:after start-snap-services:after state-commit:after#3; do
  next_root
  row "two-snap install, killed at $f" "$R" "$f" "x1@x1 | x1@x1" both_state -- upload2
done
next_root
t_daemon_spawn "$R" SNAPC_FAULT="link-snap:fail2" && {
  upload2 >/dev/null
  settle
  kill -TERM "$T_DAEMON_PID"
  t_daemon_wait_exit >/dev/null
  ok "two-snap install failing in the second snap's chain is undone for both" \
    test "$(both_state "$R") $T_DAEMON_RC" = "absent | absent 0"
}
remove2() { snapc remove hello netapp; }
for f in unlink-snap:after discard-snap:before discard-snap:after; do
  next_root
  prepare "$R" two
  row "two-snap remove, killed at $f" "$R" "$f" "absent | absent" both_state -- remove2
done

# ---- connect / disconnect: killed before or after the task, the change completes and the
#      profile agrees with the state ----
for k in connect disconnect; do
  for w in before after; do
    next_root
    if [ $k = connect ]; then
      prepare "$R" netapp-off
      want=yes
    else
      prepare "$R" netapp
      want=no
    fi
    before=$(conn_of "$R")
    row "$k netapp:network (was $before), killed at $k:$w" "$R" "$k:$w" "$want" conn_of -- snapc $k netapp:network
  done
done
t_end
