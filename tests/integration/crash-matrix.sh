#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Kill the daemon before and after every task of install, refresh and remove (and inside the
# undo of a failing install); after a restart the system must be exactly before or after the
# operation: state, blobs, mounts, loop devices, data dirs, symlinks and wrappers agree.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! t_need_root; then
  t_skip "crash matrix" "needs root (loop devices and mounts)"; t_end; exit
fi
if ! snapd-c --version | grep -q fault-injection; then
  t_skip "crash matrix" "snapd-c built without fault injection (./build.sh test builds it)"; t_end; exit
fi
snapc pack "$SNAPS/hello" "$T/out" >/dev/null
hello=$(ls "$T"/out/hello_*.snap)

# state_of ROOT [NAME]: prints "absent", "x1", "x2" (current revision, everything consistent) or a
# description of the inconsistency.
state_of() {
  local r=$1 s=${2:-hello} cur
  local bad=""
  cur=$(python3 -c "import json,sys; s=json.load(open('$r/var/lib/snapd/state.json'))['data']['snaps']; print(s.get('$s',{}).get('current',''))" 2>/dev/null)
  local seq
  seq=$(python3 -c "import json; s=json.load(open('$r/var/lib/snapd/state.json'))['data']['snaps']; print(' '.join(e['revision'] for e in s.get('$s',{}).get('sequence',[])))" 2>/dev/null)
  local mounts blobs
  mounts=$(awk -v t="$r/snap/$s/" 'index($2, t) == 1 {sub(t, "", $2); print $2}' /proc/self/mounts | sort | tr '\n' ' ')
  blobs=$(ls -A "$r/var/lib/snapd/snaps" 2>/dev/null | grep -E "^(${s}_|\\.)" | tr '\n' ' ')
  if [ -z "$cur" ]; then
    [ -z "$mounts" ] || bad="$bad mounts:[$mounts]"
    [ -z "$blobs" ] || bad="$bad files:[$blobs]"
    [ ! -e "$r/snap/$s" ] || bad="$bad snap/$s-exists"
    [ ! -e "$r/var/snap/$s" ] || bad="$bad var/snap/$s-exists"
    ! ls "$r/snap/bin/$s" "$r/snap/bin/$s".* >/dev/null 2>&1 || bad="$bad wrapper"
    [ "$(t_loops_for "$r/var/lib/snapd/snaps/${s}_")" = 0 ] || bad="$bad loop-devices"
    echo "absent$bad"; return
  fi
  local rev
  for rev in $seq; do
    grep -q " $r/snap/$s/$rev squashfs" /proc/self/mounts || bad="$bad unmounted:$rev"
    [ -f "$r/var/lib/snapd/snaps/${s}_$rev.snap" ] || bad="$bad noblob:$rev"
    [ -d "$r/var/snap/$s/$rev" ] || bad="$bad nodata:$rev"
  done
  [ "$(echo $mounts)" = "$(echo $seq | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" ] || bad="$bad mounts:[$mounts]!=seq:[$seq]"
  [ "$(echo $blobs)" = "$(for x in $seq; do echo ${s}_$x.snap; done | sort | tr '\n' ' ' | sed 's/ $//')" ] || bad="$bad files:[$blobs]"
  [ "$(readlink "$r/snap/$s/current")" = "$cur" ] || bad="$bad snap-current"
  [ "$(readlink "$r/var/snap/$s/current")" = "$cur" ] || bad="$bad data-current"
  ls "$r/snap/bin/$s" "$r/snap/bin/$s".* >/dev/null 2>&1 || bad="$bad nowrapper"
  echo "$cur$bad"
}

# crash ROOT FAULT CMD...: run CMD against a daemon that dies at FAULT, restart, settle.
crash() {
  local r=$1 fault=$2; shift 2
  t_daemon_start "$r" SNAPC_FAULT="$fault" >/dev/null
  "$@" >/dev/null 2>&1
  local rc
  rc=$(t_daemon_wait_exit)
  t_daemon_start "$r" >/dev/null
  local last
  last=$(SNAPC_ROOT=$r snapc changes --json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[-1]["id"] if d else "")' 2>/dev/null)
  [ -n "$last" ] && SNAPC_ROOT=$r snapc watch "$last" >/dev/null 2>&1
  kill -TERM "$T_DAEMON_PID"; t_daemon_wait_exit >/dev/null
  echo "$rc"
}

# expect DESC GOT ALLOWED...
expect() {
  local desc=$1 got=$2; shift 2
  local a
  for a in "$@"; do
    if [ "$got" = "$a" ]; then _t_report ok "$desc: $got"; return; fi
  done
  _t_report fail "$desc: got '$got', want one of: $*"
}

install_tasks="prepare-snap copy-snap mount-snap copy-snap-data auto-connect setup-profiles link-snap start-snap-services"
n=0
for k in $install_tasks state-commit; do
  for w in before after; do
    [ $k = state-commit ] && [ $w = after ] && continue
    n=$((n + 1)); r=$T/i$n
    rc=$(crash "$r" "$k:$w" env SNAPC_ROOT="$r" snapc install --dangerous "$hello")
    expect "install, killed at $k:$w (rc $rc)" "$(state_of "$r")" absent x1
  done
done

# refresh x1 -> x2: killed anywhere, x1 or x2 is current and every revision is whole
for k in $install_tasks discard-old-revisions; do
  for w in before after; do
    n=$((n + 1)); r=$T/f$n
    t_daemon_start "$r" >/dev/null; SNAPC_ROOT=$r snapc install --dangerous "$hello" >/dev/null; kill -TERM $T_DAEMON_PID; t_daemon_wait_exit >/dev/null
    rc=$(crash "$r" "$k:$w" env SNAPC_ROOT="$r" snapc install --dangerous "$hello")
    expect "refresh, killed at $k:$w (rc $rc)" "$(state_of "$r")" x1 x2
  done
done

# a failing install is undone; killed inside the undo, the restart finishes the undo
for k in copy-snap mount-snap copy-snap-data auto-connect setup-profiles; do
  for w in undo-before undo-after; do
    n=$((n + 1)); r=$T/u$n
    rc=$(crash "$r" "link-snap:fail,$k:$w" env SNAPC_ROOT="$r" snapc install --dangerous "$hello")
    expect "failed install, killed in undo of $k ($w)" "$(state_of "$r")" absent
  done
done

# remove: killed anywhere, the snap is either whole or gone
for k in stop-snap-services disconnect-snap remove-profiles unlink-snap discard-snap; do
  for w in before after; do
    n=$((n + 1)); r=$T/r$n
    t_daemon_start "$r" >/dev/null; SNAPC_ROOT=$r snapc install --dangerous "$hello" >/dev/null; kill -TERM $T_DAEMON_PID; t_daemon_wait_exit >/dev/null
    rc=$(crash "$r" "$k:$w" env SNAPC_ROOT="$r" snapc remove hello)
    expect "remove, killed at $k:$w (rc $rc)" "$(state_of "$r")" absent x1
  done
done

# a failing task is undone completely (without a crash)
for k in copy-snap mount-snap copy-snap-data auto-connect setup-profiles link-snap start-snap-services; do
  n=$((n + 1)); r=$T/e$n
  t_daemon_start "$r" SNAPC_FAULT="$k:fail" >/dev/null
  SNAPC_ROOT=$r snapc install --dangerous "$hello" >/dev/null 2>&1
  kill -TERM $T_DAEMON_PID; t_daemon_wait_exit >/dev/null
  expect "install failing in $k is undone" "$(state_of "$r")" absent
done

# connect / disconnect: killed before or after, the connection and the profiles agree
conn_of() { # ROOT: "yes" when netapp:network is connected (and not undesired)
  python3 -c "import json; c=json.load(open('$1/var/lib/snapd/state.json'))['data']['conns']; e=c.get('netapp:network snapd:network'); print('yes' if e and not e.get('undesired') else 'no')"
}
mkdir -p "$T/netapp/meta"; cp -a "$SNAPS/hello/bin" "$T/netapp/"
sed -e 's/^name: hello/name: netapp/' "$SNAPS/hello/meta/snap.yaml" > "$T/netapp/meta/snap.yaml"
printf 'plugs:\n  network:\n' >> "$T/netapp/meta/snap.yaml"
snapc pack "$T/netapp" "$T/out" >/dev/null
netapp=$(ls "$T"/out/netapp_*.snap)
# one change for two snaps (the real snap client uploads both files in one request): killed
# anywhere, or failing in the second snap's chain, both snaps end up installed or both absent
upload2() { # ROOT: the real snap client's two-file sideload (one multipart request), without its retries
  curl -sf --unix-socket "$1/run/snapd.socket" -F dangerous=true -F "snap=@$hello" -F "snap=@$netapp" http://localhost/v2/snaps
}
if command -v snap >/dev/null; then
  for f in mount-snap:after link-snap:after start-snap-services:after state-commit:before; do
    n=$((n + 1)); r=$T/m$n
    rc=$(crash "$r" "$f" upload2 "$r")
    expect "two-snap install, killed at $f (rc $rc)" "$(state_of "$r") $(state_of "$r" netapp)" "absent absent" "x1 x1"
  done
  n=$((n + 1)); r=$T/m$n
  t_daemon_start "$r" SNAPC_FAULT="link-snap:fail2" >/dev/null
  SNAPC_ROOT=$r SNAPPY_GLOBAL_ROOT=$r snap install --dangerous "$hello" "$netapp" >/dev/null 2>&1
  kill -TERM $T_DAEMON_PID; t_daemon_wait_exit >/dev/null
  expect "two-snap install failing in the second chain is undone for both" "$(state_of "$r") $(state_of "$r" netapp)" "absent absent"
  for f in unlink-snap:after discard-snap:after; do
    n=$((n + 1)); r=$T/m$n
    t_daemon_start "$r" >/dev/null; SNAPC_ROOT=$r SNAPPY_GLOBAL_ROOT=$r snap install --dangerous "$hello" "$netapp" >/dev/null; kill -TERM $T_DAEMON_PID; t_daemon_wait_exit >/dev/null
    rc=$(crash "$r" "$f" env SNAPC_ROOT="$r" snapc remove hello netapp)
    got="$(state_of "$r") $(state_of "$r" netapp)"
    expect "two-snap remove, killed at $f (rc $rc)" "$got" "absent absent" "x1 x1"
  done
else
  t_skip "two-snap changes in the crash matrix" "the snap client (package snapd) is not installed"
fi
for k in connect disconnect; do
  for w in before after; do
    n=$((n + 1)); r=$T/c$n
    t_daemon_start "$r" >/dev/null; SNAPC_ROOT=$r snapc install --dangerous "$netapp" >/dev/null
    if [ $k = connect ]; then SNAPC_ROOT=$r snapc disconnect netapp:network >/dev/null 2>&1; fi
    kill -TERM $T_DAEMON_PID; t_daemon_wait_exit >/dev/null
    before=$(conn_of "$r")
    rc=$(crash "$r" "$k:$w" env SNAPC_ROOT="$r" snapc $k netapp:network)
    after=$(conn_of "$r")
    expect "$k netapp:network, killed at $k:$w (rc $rc): $before ->" "$after" yes no
    # the profile agrees with the state: a connected network plug puts its rules in the tag
    if [ "$after" = yes ] || [ "$after" = no ]; then
      src=$r/var/lib/snapd/seccomp/bpf/snap.netapp.hello.src
      if [ -f "$src" ]; then
        has=no; grep -q "^socket AF_CONN" "$src" && has=yes
        expect "profile matches the connection state after $k:$w" "$has" "$after"
      fi
    fi
  done
done
t_end
