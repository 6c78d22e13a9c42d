#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Random kills (in addition to the fault-point matrix of crash-matrix.sh): install the same snap
# again and again, so every change refreshes it and discard-old-revisions runs (retain 2), and
# SIGKILL the daemon at a random moment 10-90 ms after the install starts. After every round
# the daemon restarts (its exit status checked), every change settles, and the invariant holds:
#   - every revision in state has its blob, its mount and its data dir;
#   - every blob, mount and data dir of the snap belongs to a revision in state;
#   - current (state) = snap/NAME/current = var/snap/NAME/current, and the wrapper exists;
#   - the daemon logs no "cannot mount" at start-up, neither right after the kill nor after
#     settling (the state never lists a revision whose blob is gone).
# Rounds: SNAPC_KILL_ROUNDS (default 20); the seed is printed so a failure can be replayed
# with SNAPC_KILL_SEED.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! t_need_root; then
  t_skip "random kills" "needs root (loop devices and mounts)"
  t_end
  exit
fi
rounds=${SNAPC_KILL_ROUNDS:-20}
seed=${SNAPC_KILL_SEED:-$(date +%s)}
RANDOM=$seed
t_diag "seed $seed, $rounds rounds"

ok "pack hello" snapc pack "$SNAPS/hello" "$T/out"
hello=$(ls "$T"/out/hello_*.snap 2>/dev/null)
R=$T/root
export SNAPC_ROOT=$R

# invariant ROOT NAME: prints nothing when it holds, else what is wrong
invariant() {
  python3 - "$1" "$2" <<'PY'
import json, os, sys
root, name = sys.argv[1], sys.argv[2]
bad = []
st = json.load(open(f"{root}/var/lib/snapd/state.json"))["data"]
snapst = st["snaps"].get(name)
revs = [e["revision"] for e in (snapst or {}).get("sequence", [])]
mounts = set()
for line in open("/proc/self/mounts"):
    f = line.split()
    pfx = f"{root}/snap/{name}/"
    if f[1].startswith(pfx):
        mounts.add(f[1][len(pfx):])
blobdir = f"{root}/var/lib/snapd/snaps"
blobs = set()
for b in os.listdir(blobdir) if os.path.isdir(blobdir) else []:
    if b.startswith(f"{name}_") and b.endswith(".snap"):
        blobs.add(b[len(name) + 1:-5])
    elif b.startswith("."):
        bad.append(f"leftover {b}")
datadir = f"{root}/var/snap/{name}"
datas = set(d for d in (os.listdir(datadir) if os.path.isdir(datadir) else [])
            if d not in ("common", "current"))
for r in revs:
    if r not in blobs: bad.append(f"revision {r} in state has no blob")
    if r not in mounts: bad.append(f"revision {r} in state is not mounted")
    if r not in datas: bad.append(f"revision {r} in state has no data dir")
for r in blobs - set(revs): bad.append(f"blob of {r} not in state")
for r in mounts - set(revs): bad.append(f"mount of {r} not in state")
for r in datas - set(revs): bad.append(f"data dir of {r} not in state")
if snapst:
    cur = snapst.get("current")
    for link in (f"{root}/snap/{name}/current", f"{root}/var/snap/{name}/current"):
        if not os.path.islink(link) or os.readlink(link) != cur:
            bad.append(f"{link} is not {cur}")
    if not os.path.lexists(f"{root}/snap/bin/{name}"):
        bad.append("no wrapper")
    if len(revs) > 2:
        bad.append(f"{len(revs)} revisions kept (retain 2)")
elif revs or blobs or mounts:
    bad.append("snap absent from state but files remain")
print("; ".join(bad))
PY
}

# no_change_in_progress: every change of the daemon is ready
settle() {
  local i ids
  for i in $(seq 300); do
    ids=$(snapc changes --json 2>/dev/null | python3 -c 'import json,sys; print(" ".join(c["id"] for c in json.load(sys.stdin) if not c.get("ready")))' 2>/dev/null) || return 1
    [ -z "$ids" ] && return 0
    sleep 0.05
  done
  return 1
}

t_daemon_start "$R"
ok "install hello (x1)" snapc install --dangerous "$hello"
t_daemon_stop
bad_rounds=0 killed=0 early=0 # killed: a change was in progress; early: none was (yet or any more)
# check_round DESC: restart, let every change settle, stop; a second clean start must not
# complain; then the invariant
check_round() {
  : >"$R.log"
  t_daemon_spawn "$R" || return 1
  if ! settle; then
    _t_report fail "$1: changes did not settle after the restart"
    bad_rounds=$((bad_rounds + 1))
  fi
  kill -TERM "$T_DAEMON_PID"
  t_daemon_wait_exit >/dev/null
  [ "$T_DAEMON_RC" = 0 ] || { _t_report fail "$1: daemon exit after settling: $T_DAEMON_RC"; bad_rounds=$((bad_rounds + 1)); }
  # the state never lists a revision whose blob is gone, not even right after a kill
  if grep -q "cannot mount" "$R.log"; then
    _t_report fail "$1: restart after the kill: $(grep -m1 'cannot mount' "$R.log")"
    bad_rounds=$((bad_rounds + 1))
  fi
  : >"$R.log"
  t_daemon_spawn "$R" || return 1
  kill -TERM "$T_DAEMON_PID"
  t_daemon_wait_exit >/dev/null
  if grep -q "cannot mount" "$R.log"; then
    _t_report fail "$1: start-up: $(grep -m1 'cannot mount' "$R.log")"
    bad_rounds=$((bad_rounds + 1))
  fi
  local why
  why=$(invariant "$R" hello)
  if [ -n "$why" ]; then
    _t_report fail "$1: $why"
    bad_rounds=$((bad_rounds + 1))
  fi
}
# The first half of the rounds settles after every kill; the second half restarts and installs
# again at once, so kills also land in the recovery of the previous kill.
half=$((rounds / 2))
for round in $(seq "$rounds"); do
  : >"$R.log"
  t_daemon_spawn "$R" || break
  delay=$((10 + RANDOM % 81))
  snapc install --dangerous --no-wait "$hello" >/dev/null 2>&1
  sleep "0.$(printf %03d $delay)"
  kill -KILL "$T_DAEMON_PID" 2>/dev/null
  t_daemon_wait_exit >/dev/null
  # did the kill interrupt a change? (a change in the state file that is not ready)
  if python3 -c 'import json,sys; c=json.load(open(sys.argv[1])).get("changes"); sys.exit(0 if c else 1)' "$R/var/lib/snapd/state.json" 2>/dev/null; then
    killed=$((killed + 1))
  else
    early=$((early + 1))
  fi
  if grep -q "cannot mount" "$R.log"; then
    _t_report fail "round $round: start-up: $(grep -m1 'cannot mount' "$R.log")"
    bad_rounds=$((bad_rounds + 1))
  fi
  if [ "$T_DAEMON_RC" != 137 ]; then
    _t_report fail "round $round: the daemon died of the SIGKILL (exit $T_DAEMON_RC, want 137)"
    sed 's/^/#   /' "$R.log" | tail -20
    bad_rounds=$((bad_rounds + 1))
    continue
  fi
  if [ "$round" -le "$half" ] || [ "$round" = "$rounds" ]; then
    check_round "round $round (kill after ${delay} ms)" || break
  fi
done
ok "$rounds rounds ($killed killed mid-change, $early with no change in progress; the last $((rounds - half)) back to back): invariant held" test "$bad_rounds" = 0
ok "the kills hit running changes at least once" test "$killed" -gt 0
t_daemon_spawn "$R"
ok_with "hello is still installed after the rounds" '^hello ' snapc list
t_daemon_stop
t_end
