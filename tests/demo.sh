#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# ./build.sh demo: a device life cycle on a temporary root, with the programs in $1.
#
# Every step says what it shows, shows it, and checks that it happened: a denial is shown as
# the same action succeeding unconfined and failing confined with EACCES/EPERM on something
# that exists in the sandbox. The demo ends with a summary of each step (claim: evidence) and
# exits 1, saying which step, when one did not do what it says. Everything runs under a temp
# root (in $TMPDIR, default /tmp) that is cleaned up, mounts and daemon included.
set -uo pipefail
BIN=${1:-$(dirname "$0")/../build/bin}
BIN=$(cd "$BIN" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$BIN:$PATH"
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/snapc-demo.XXXXXX")
chmod 755 "$ROOT"
export SNAPC_ROOT=$ROOT SNAPPY_GLOBAL_ROOT=$ROOT
DAEMON=""
cleanup() {
  if [ -n "$DAEMON" ]; then
    kill -TERM "$DAEMON" 2>/dev/null
    wait "$DAEMON" 2>/dev/null
  fi
  local m
  for _ in 1 2 3; do
    for m in $(awk -v t="$ROOT/" 'index($2, t) == 1 {print $2}' /proc/self/mounts | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
  done
  rm -rf "$ROOT"
}
trap cleanup EXIT

# --- the record: one line per step, "ok" or "FAIL", what it claimed, the evidence ---
SUMMARY=()
NFAIL=0
STEP=""
bold() { if [ -t 1 ]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi; }
step() { # step "short name" "what this step shows"
  STEP=$1
  printf '\n'
  bold "== $1: $2"
}
shown() { # shown "claim" "evidence": the step did what it says
  SUMMARY+=("$(printf 'ok    %-11s %s: %s' "$STEP" "$1" "$2")")
  printf '  -> shown: %s: %s\n' "$1" "$2"
}
not_shown() { # not_shown "claim" "what happened instead": the step did not do what it says
  SUMMARY+=("$(printf 'FAIL  %-11s %s: %s' "$STEP" "$1" "$2")")
  NFAIL=$((NFAIL + 1))
  printf '  -> NOT SHOWN: %s: %s\n' "$1" "$2" >&2
}
skipped() { # skipped "claim" "why"
  SUMMARY+=("$(printf 'skip  %-11s %s: %s' "$STEP" "$1" "$2")")
  printf '  -> not shown here: %s: %s\n' "$1" "$2"
}
# run LABEL CMD...: print "LABEL $ CMD", run it, print its output and exit status. Sets OUT
# (stdout and stderr) and RC.
OUT=""
RC=0
# shell_words ARG...: the args as one could type them (single-quoted where needed).
shell_words() {
  local a out=""
  for a in "$@"; do
    case $a in
      "" | *[!A-Za-z0-9_./:=@%+,-]*) a="'${a//\'/\'\\\'\'}'" ;;
    esac
    out="$out${out:+ }$a"
  done
  printf '%s' "$out"
}
run() {
  local label=$1; shift
  printf '%s$ %s\n' "${label:+$label }" "$(shell_words "$@")"
  RC=0
  OUT=$("$@" 2>&1) || RC=$?
  [ -n "$OUT" ] && printf '%s\n' "$OUT" | sed 's/^/  /'
  printf '  (exit %d)\n' "$RC"
}
# errno_of TEXT: the errno a denial message names (EACCES, EPERM), or nothing.
errno_of() {
  case $1 in
    *"Permission denied"*) echo EACCES ;;
    *"Operation not permitted"*) echo EPERM ;;
  esac
}
summary() {
  printf '\n'
  bold "== Summary: what this demo showed (claim: evidence)"
  local l
  for l in "${SUMMARY[@]}"; do printf '%s\n' "$l"; done
  if [ "$NFAIL" -ne 0 ]; then
    printf 'demo: FAILED: %d claim(s) above were not shown (lines marked FAIL)\n' "$NFAIL" >&2
    return 1
  fi
  printf 'demo: every claim above was shown\n'
}
# fatal WHY: a step the rest depends on did not happen: summary, then exit 1.
fatal() {
  not_shown "$1" "$2"
  summary
  exit 1
}

# ------------------------------------------------------------------------------------------
step pack "pack snaps into squashfs files, as snap pack builds them"
mkdir -p "$ROOT/out" "$ROOT/src"
"$SRC/tests/snaps/make-busybox-base.sh" "$ROOT/src/busybox-base" >/dev/null ||
  fatal "busybox base tree built" "make-busybox-base.sh failed (needs busybox-static)"
# hello's fixture names base core22, which a test device does not have: the demo's copy runs
# on the busybox base instead, so its apps really run below
cp -R "$SRC/tests/snaps/hello" "$ROOT/src/hello"
sed -i 's/^base: core22$/base: busybox-base/' "$ROOT/src/hello/meta/snap.yaml"
echo "(hello's copy uses base: busybox-base; the busybox base is built from busybox-static)"
packed=()
for d in "$ROOT/src/busybox-base" "$ROOT/src/hello" "$SRC/tests/snaps/iface-probe" "$SRC/tests/snaps/ifaces"; do
  run "" snapc pack "$d" "$ROOT/out"
  f=$(ls "$ROOT/out/$(basename "$d")"_*.snap 2>/dev/null)
  if [ "$RC" -eq 0 ] && [ -f "$f" ] && [ "$(head -c 4 "$f")" = hsqs ]; then
    packed+=("$(basename "$f")")
  fi
done
if [ ${#packed[@]} -eq 4 ]; then
  shown "4 snaps packed" "4 .snap files with the squashfs magic hsqs"
else
  fatal "4 snaps packed" "only ${#packed[@]} packed: ${packed[*]:-none}"
fi

step inspect "read a snap's metadata straight out of the file, without mounting it"
mounts_before=$(grep -c " $ROOT/" /proc/self/mounts)
run "" snapc info "$ROOT"/out/ifaces_*.snap
mounts_after=$(grep -c " $ROOT/" /proc/self/mounts)
if [ "$RC" -eq 0 ] && grep -q '^name: *ifaces$' <<<"$OUT" && grep -q '^sha3-384: ' <<<"$OUT" &&
  [ "$mounts_before" = "$mounts_after" ]; then
  shown "metadata read from the file" "name, plugs, slots, sha3-384; no mount made"
else
  not_shown "metadata read from the file" "exit $RC, mounts $mounts_before -> $mounts_after"
fi

step validate "validation lists every problem with file:line:column"
run "" snapc validate "$SRC/tests/snaps/broken/bad-daemon"
if [ "$RC" -eq 1 ] && grep -Eq 'snap\.yaml:[0-9]+:[0-9]+: apps\.tool\.daemon: ' <<<"$OUT"; then
  shown "a broken snap is refused" "exit 1, snap.yaml:LINE:COL: apps.tool.daemon: ..."
else
  not_shown "a broken snap is refused" "exit $RC, no FILE:LINE:COL line"
fi

if [ "$(id -u)" != 0 ]; then
  step device "the device part needs root (loop devices, mounts, namespaces)"
  skipped "daemon, install, sandbox, interfaces, refresh, remove" "not root"
  summary
  exit
fi

# ------------------------------------------------------------------------------------------
step daemon "start snapd-c on a temporary root: $ROOT"
snapd-c >"$ROOT/daemon.log" 2>&1 &
DAEMON=$!
for _ in $(seq 500); do
  [ -S "$ROOT/run/snapd.socket" ] && break
  kill -0 "$DAEMON" 2>/dev/null || break
  sleep 0.01
done
run "" snapc list
if [ "$RC" -eq 0 ] && grep -q 'No snaps are installed yet' <<<"$OUT"; then
  shown "the daemon answers" "snapc list over ROOT/run/snapd.socket: no snaps yet"
else
  tail -5 "$ROOT/daemon.log" >&2
  fatal "the daemon answers" "snapc list exit $RC"
fi

step install "install the base and two apps (copy, loop-mount read-only, profiles, wrappers)"
for s in busybox-base hello iface-probe; do
  run "" snapc install --dangerous "$ROOT"/out/${s}_*.snap
  [ "$RC" -eq 0 ] || fatal "$s installed" "snapc install exit $RC"
  if grep -q 'is not installed' <<<"$OUT"; then
    not_shown "$s installed with its base" "the install warned: $(grep 'is not installed' <<<"$OUT")"
  fi
done
run "" snapc list
loops=$(awk -v t="$ROOT/snap/" 'index($2, t) == 1 && $3 == "squashfs" && $1 ~ /^\/dev\/loop/' /proc/self/mounts | wc -l)
grep " $ROOT/snap/" /proc/self/mounts | sed 's/^/  /'
listed=$(grep -cE '^(busybox-base|hello|iface-probe) ' <<<"$OUT")
if [ "$listed" = 3 ] && [ "$loops" = 3 ]; then
  shown "3 snaps installed" "listed; 3 read-only squashfs loop mounts; no missing base"
else
  not_shown "3 snaps installed" "$listed listed, $loops loop mounts"
fi

step sandbox "run apps in their sandbox: the busybox base is their /"
run "" "$ROOT/snap/bin/hello"
if [ "$RC" -eq 0 ] && [ "$OUT" = "Hello, world from hello" ]; then
  shown "hello runs from its wrapper" "ROOT/snap/bin/hello printed \"$OUT\""
else
  not_shown "hello runs from its wrapper" "exit $RC: $OUT"
fi
run "confined  " snapc run iface-probe.run -- sh -c 'echo "I am $SNAP_NAME revision $SNAP_REVISION"; stat -f -c "/ is a %T file system" /; stat -c "%d:%i %n" /bin/busybox'
in_rc=$RC in_fs=$(grep -o '/ is a [a-z0-9]* file system' <<<"$OUT") in_id=$(awk '$2 == "/bin/busybox" {print $1}' <<<"$OUT")
run "unconfined" stat -c '%d:%i %n' "$ROOT/snap/busybox-base/current/bin/busybox"
out_id=$(awk '{print $1}' <<<"$OUT")
if [ "$in_rc" -eq 0 ] && [ "$in_fs" = "/ is a squashfs file system" ] && [ -n "$in_id" ] && [ "$in_id" = "$out_id" ]; then
  shown "/ in the sandbox is the busybox base" "/ is squashfs; its /bin/busybox is the base's file (dev:inode $in_id)"
else
  not_shown "/ in the sandbox is the busybox base" "exit $in_rc, '${in_fs:-no file system type}', /bin/busybox ${in_id:-?} vs base ${out_id:-?}"
fi

step denial "a snap cannot read another snap's data (Landlock): EACCES, side by side"
secret=$ROOT/var/snap/hello/common/secret.txt
echo "hello's private data" >"$secret"
echo "iface-probe's own data" >"$ROOT/var/snap/iface-probe/common/own.txt"
run "unconfined" cat "$secret"
un_rc=$RC un_out=$OUT
run "confined  " snapc run iface-probe.run -- stat -c '%n: %s bytes, mode %a' /var/snap/hello/common/secret.txt
st_rc=$RC
run "confined  " snapc run iface-probe.run -- cat /var/snap/hello/common/secret.txt
den_rc=$RC den_errno=$(errno_of "$OUT")
run "confined  " snapc run iface-probe.run -- cat /var/snap/iface-probe/common/own.txt
own_rc=$RC own_out=$OUT
if [ "$un_rc" -eq 0 ] && [ "$un_out" = "hello's private data" ] && [ "$st_rc" -eq 0 ] &&
  [ "$den_rc" -ne 0 ] && [ -n "$den_errno" ] && [ "$own_rc" -eq 0 ] && [ "$own_out" = "iface-probe's own data" ]; then
  shown "iface-probe is denied hello's data" "read unconfined; confined: stat ok, cat $den_errno; own data read"
else
  not_shown "iface-probe is denied hello's data" "unconfined exit $un_rc, stat exit $st_rc, cat exit $den_rc (${den_errno:-no EACCES/EPERM}), own data exit $own_rc"
fi

step hidden "the host's /etc is not the sandbox's: /etc/shadow is absent there (not a denial)"
run "unconfined" ls -l /etc/shadow
host_rc=$RC
run "confined  " snapc run iface-probe.run -- ls /etc
etc_in=$(tr '\n' ' ' <<<"$OUT")
run "confined  " snapc run iface-probe.run -- cat /etc/shadow
if [ "$RC" -ne 0 ] && grep -q 'No such file or directory' <<<"$OUT" && ! grep -qw shadow <<<"$etc_in"; then
  if [ "$host_rc" -eq 0 ]; then
    shown "the host's /etc/shadow is not in the sandbox" "on the host it exists; confined: ENOENT"
  else
    shown "the host's /etc/shadow is not in the sandbox" "confined: ENOENT (this host has none either)"
  fi
else
  not_shown "the host's /etc/shadow is not in the sandbox" "cat exit $RC: $OUT"
fi

step interface "block-devices: a loop device is denied until the plug is connected"
loop=$(awk -v m="$ROOT/snap/hello/x1" '$2 == m {print $1}' /proc/self/mounts)
if [ -z "$loop" ] || [ ! -b "$loop" ]; then
  not_shown "a device follows the connection" "no loop device under ROOT/snap/hello/x1"
else
  echo "($loop holds hello's squashfs; its first 4 bytes are the magic hsqs)"
  run "unconfined" head -c 4 "$loop"
  a_rc=$RC a_out=$OUT
  run "confined  " snapc run iface-probe.run -- head -c 4 "$loop"
  b_rc=$RC b_errno=$(errno_of "$OUT")
  run "" snapc connect iface-probe:block-devices
  c_rc=$RC
  run "confined  " snapc run iface-probe.run -- head -c 4 "$loop"
  d_rc=$RC d_out=$OUT
  run "" snapc disconnect iface-probe:block-devices
  run "confined  " snapc run iface-probe.run -- head -c 4 "$loop"
  e_rc=$RC e_errno=$(errno_of "$OUT")
  if [ "$a_rc" -eq 0 ] && [ "$a_out" = hsqs ] && [ "$b_rc" -ne 0 ] && [ -n "$b_errno" ] &&
    [ "$c_rc" -eq 0 ] && [ "$d_rc" -eq 0 ] && [ "$d_out" = hsqs ] && [ "$e_rc" -ne 0 ] && [ -n "$e_errno" ]; then
    shown "a device follows the connection" "$loop: unconfined ok; confined $b_errno; connected ok; disconnected $e_errno"
  else
    not_shown "a device follows the connection" "unconfined exit $a_rc; confined exit $b_rc (${b_errno:-no errno}); connect exit $c_rc; connected exit $d_rc '$d_out'; disconnected exit $e_rc (${e_errno:-no errno})"
  fi
fi

step snap-client "Debian's snap client works against snapd-c (SNAPPY_GLOBAL_ROOT=ROOT)"
if command -v snap >/dev/null; then
  run "" snap list
  l_rc=$RC l_n=$(grep -cE '^(busybox-base|hello|iface-probe) ' <<<"$OUT")
  run "" snap tasks --last=connect
  t_rc=$RC t_out=$OUT
  run "" snap changes iface-probe
  c_rc=$RC c_n=$(grep -c 'iface-probe' <<<"$OUT")
  if [ "$l_rc" -eq 0 ] && [ "$l_n" = 3 ] && [ "$t_rc" -eq 0 ] && grep -q 'Connect iface-probe:block-devices' <<<"$t_out" &&
    [ "$c_rc" -eq 0 ] && [ "$c_n" -ge 3 ]; then
    shown "snap list, tasks --last=connect, changes SNAP" "3 snaps; the connect-snap change; $c_n changes"
  else
    not_shown "snap list, tasks --last=connect, changes SNAP" "list exit $l_rc ($l_n snaps), tasks exit $t_rc, changes exit $c_rc ($c_n lines)"
  fi
else
  skipped "the real snap client" "package snapd is not installed"
fi

step refresh "install hello again: a new revision x2 runs, x1 is kept disabled"
run "" snapc install --dangerous --no-wait "$ROOT"/out/hello_*.snap
run "" snapc watch --last=install
w_rc=$RC
run "" snapc list --all
x1=$(grep -cE '^hello +1\.0 +x1 .*disabled' <<<"$OUT")
x2=$(grep -cE '^hello +1\.0 +x2 +app +-$' <<<"$OUT")
run "" "$ROOT/snap/bin/hello.env"
rev=$(grep -o 'SNAP_REVISION=x[0-9]*' <<<"$OUT")
if [ "$w_rc" -eq 0 ] && [ "$x1" = 1 ] && [ "$x2" = 1 ] && [ "$rev" = SNAP_REVISION=x2 ]; then
  shown "x2 replaces x1, which is kept" "watch --last=install ok; x1 disabled; the app runs as x2"
else
  not_shown "x2 replaces x1, which is kept" "watch exit $w_rc, x1 disabled: $x1, x2 current: $x2, app: ${rev:-no SNAP_REVISION}"
fi

step remove "remove hello; a base in use cannot be removed"
run "" snapc remove busybox-base
b_rc=$RC b_out=$OUT
run "" snapc remove hello
r_rc=$RC
run "" snapc list
left=$(grep -c " $ROOT/snap/hello/" /proc/self/mounts)
if [ "$b_rc" -ne 0 ] && grep -q 'is not removable: snap is being used by snaps\? ' <<<"$b_out" && [ "$r_rc" -eq 0 ] &&
  ! grep -q '^hello ' <<<"$OUT" && grep -q '^busybox-base ' <<<"$OUT" && [ "$left" = 0 ] &&
  [ ! -e "$ROOT/var/snap/hello" ] && [ ! -e "$ROOT/snap/bin/hello" ]; then
  shown "hello removed, a base in use kept" "base refused; no mount, data or wrapper of hello left"
else
  not_shown "hello removed, a base in use kept" "remove base exit $b_rc, remove hello exit $r_rc, hello mounts left: $left"
fi

step stop "stop the daemon"
kill -TERM "$DAEMON"
d_rc=0
wait "$DAEMON" || d_rc=$?
DAEMON=""
if [ "$d_rc" -eq 0 ]; then
  shown "the daemon stops on SIGTERM" "exit 0"
else
  not_shown "the daemon stops on SIGTERM" "exit $d_rc"
fi

summary
