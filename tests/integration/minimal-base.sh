#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# A minimal base runs apps (issue 8 §4; docs/mount-plan.md, "A minimal base").
#
# The base is made here from /bin/busybox with the fewest directories that work:
#   bin/busybox bin/sh   the shell the app's scripts need (not the launcher)
#   dev proc sys         bound from the host
#   etc                  the host's passwd, group, hosts... are bound onto files made there
#   root                 root's home: services, hooks and root's commands keep data there
#   run tmp snap         a tmpfs, the private /tmp and every mounted snap go there
#   var                  /var/snap and /var/lib/snapd are made below it
# and nothing else: no var/snap, var/lib/snapd, home, usr, lib. It is packed with
# `snapc pack`, installed with an app snap through the real daemon, and the app runs through
# the wrapper the daemon made (ROOT/snap/bin/NAME.APP -> snapc-confine) and through `snapc run`.
# Each of those directories is then shown to be needed: a base without it installs with a
# one-line warning naming it, and its app does not run. A full base (tests/snaps/busybox-base)
# installs without a warning.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
skip_all() {
  t_skip "minimal base" "$1"
  t_end
  exit 0
}
# a fixture step that fails is a failure, not a skip
fixture_fail() {
  _t_report fail "fixture: $1"
  t_end
  exit 1
}
t_need_root || skip_all "needs root (loop mounts, namespaces)"
[ -x /bin/busybox ] || skip_all "busybox-static not installed"
command -v mksquashfs >/dev/null || skip_all "squashfs-tools not installed"
[ -x "$SNAPC_BIN/snapc-confine" ] || skip_all "no snapc-confine in $SNAPC_BIN"

R=$T/root
export SNAPC_ROOT=$R
out=$T/out
mkdir -p "$out" "$R"
. "$SNAPC_SRC/tests/helpers/confine-fixture.sh" # cf_try_syscall
CF_TRY=$(cf_try_syscall) || fixture_fail "cannot build try-syscall (needs a static libc)"

# The directories of the minimal base (besides bin/ and meta/).
MIN_DIRS="dev etc proc root run snap sys tmp var"

# make_base DIR NAME ENTRY...: a base snap tree from /bin/busybox with these directories
# (ENTRY "tmp=var/tmp" makes tmp a symlink to var/tmp instead).
make_base() {
  local d=$1 name=$2 e
  shift 2
  mkdir -p "$d/bin" "$d/meta"
  cp /bin/busybox "$d/bin/busybox"
  ln -s busybox "$d/bin/sh"
  for e in "$@"; do
    case $e in
      *=*) ln -s "${e#*=}" "$d/${e%%=*}" ;;
      *) mkdir -p "$d/$e" ;;
    esac
  done
  # entries of the base that the writable mimics of /etc and /var must keep
  [ -d "$d/etc" ] && echo "$name" >"$d/etc/base-release"
  [ -d "$d/var" ] && [ ! -L "$d/var" ] && echo "$name" >"$d/var/base-marker"
  cat >"$d/meta/snap.yaml" <<EOF
name: $name
version: '1.0'
summary: A base made from busybox with few directories
description: Test fixture of tests/integration/minimal-base.sh.
type: base
grade: devel
confinement: strict
license: GPL-2.0-only
EOF
}
# make_app DIR NAME BASE: an app snap on BASE; app "run" execs its arguments
make_app() {
  local d=$1 name=$2 base=$3
  mkdir -p "$d/bin" "$d/meta"
  cat >"$d/meta/snap.yaml" <<EOF
name: $name
version: '1.0'
summary: An app on a minimal base
description: Test fixture of tests/integration/minimal-base.sh.
base: $base
confinement: strict
grade: devel
apps:
  run:
    command: bin/run
EOF
  printf '#!/bin/sh\nexec "$@"\n' >"$d/bin/run"
  cp "$CF_TRY" "$d/bin/try-syscall"
  chmod 0755 "$d/bin/run" "$d/bin/try-syscall"
}
# pack DIR [OPTIONS...]: prints the .snap path
pack() {
  local d=$1 o
  shift
  o=$(snapc pack "$@" "$d" "$out") || return 1
  ls "$out/$(basename "$(sed -n 's/^name: //p' "$d/meta/snap.yaml")")"_*.snap
}

make_base "$T/tiny" tiny $MIN_DIRS
make_app "$T/tinyapp" tinyapp tiny
TINY=$(pack "$T/tiny") || fixture_fail "snapc pack of the minimal base"
TINYAPP=$(pack "$T/tinyapp") || fixture_fail "snapc pack of the app on it"
"$SNAPC_SRC/tests/snaps/make-busybox-base.sh" "$T/bb" >/dev/null || fixture_fail "cannot build the busybox base"
FULL=$(pack "$T/bb") || fixture_fail "snapc pack of the full busybox base"
ok "the minimal base has only bin, meta and $MIN_DIRS" bash -c \
  "[ \"\$(ls '$T/tiny' | tr '\n' ' ')\" = 'bin dev etc meta proc root run snap sys tmp var ' ] &&
   [ -z \"\$(find '$T/tiny/var' '$T/tiny/root' '$T/tiny/snap' -mindepth 1 -type d)\" ]"

mine_cleanup() {
  local p s
  for p in ${_t_daemons:-}; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  _t_daemons=""
  for s in $(ls "$R/var/lib/snapd/confine" 2>/dev/null | sed -n 's/^snap\.\([^.]*\)\..*/\1/p' | sort -u); do
    snapc debug remove-profiles --root "$R" "$s" >/dev/null 2>&1
  done
  t_cleanup
}
trap mine_cleanup EXIT

# install FILE: snapc install's output (stdout and stderr); fails when snapc does
install() { snapc install --dangerous "$1" 2>&1; }
# warnings OUTPUT: its warning lines
warnings() { printf '%s\n' "$1" | grep -i 'warning' || true; }

t_daemon_start "$R" || fixture_fail "the daemon does not start"

# ---- the minimal base: installs without a warning, and its app runs ----
o=$(install "$TINY") || fixture_fail "install the minimal base: $o"
ok "install the minimal base: no warning ($(warnings "$o"))" test -z "$(warnings "$o")"
# base_lacks FILE: the "base-lacks" list snapc info prints, space-separated
base_lacks() {
  snapc info --json "$1" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["base-lacks"]))'
}
export -f base_lacks
ok "snapc info of the packed minimal base: it lacks nothing (base-lacks: [])" \
  bash -c "[ -z \"\$(base_lacks '$TINY')\" ] && o=\$(snapc info --json '$TINY') && grep -q '\"base-lacks\"' <<<\"\$o\""
o=$(install "$TINYAPP") || fixture_fail "install the app on the minimal base: $o"
ok "install the app on it: no warning ($(warnings "$o"))" test -z "$(warnings "$o")"

W=$R/snap/bin/tinyapp.run
ok "the daemon made the wrapper $(basename "$W") -> snapc-confine" bash -c \
  "[ \"\$(basename \"\$(readlink '$W')\")\" = snapc-confine ]"
ok_with "the wrapper runs the app on the minimal base" '^hello from tiny$' \
  "$W" /bin/sh -c 'echo "hello from $(/bin/busybox cat /etc/base-release)"'
ok_with "snapc run runs it too" '^snapc run ok$' snapc run tinyapp.run -- /bin/sh -c 'echo snapc run ok'

# what the launcher made: /var/snap and /var/lib/snapd on a mimic of /var, the host's /etc
# files on a mimic of /etc; both keep the base's own entries and are sealed read-only
# (Landlock lets the app read neither /var nor /var/lib/snapd, but stat works)
ok "/var/snap and /var/lib/snapd were made; /var keeps the base's entry" \
  "$W" /bin/sh -c '[ -d /var/snap/tinyapp ] && [ -d /var/lib/snapd ] && [ -f /var/base-marker ]'
ok "/etc has the host's passwd and hosts, and the base's own file" bash -c \
  "[ \"\$('$W' /bin/busybox cat /etc/passwd)\" = \"\$(cat /etc/passwd)\" ] &&
   [ \"\$('$W' /bin/busybox cat /etc/hosts)\" = \"\$(cat /etc/hosts)\" ] &&
   [ \"\$('$W' /bin/busybox cat /etc/base-release)\" = tiny ]"
ok "root's name resolves inside (busybox id -un: root)" bash -c "[ \"\$('$W' /bin/busybox id -un)\" = root ]"
mi=$("$W" /bin/busybox cat /proc/self/mountinfo)
mimics=$(printf '%s\n' "$mi" | awk '$5 == "/var" || $5 == "/etc" {split($6, o, ","); print $5, o[1], $(NF-2)}' | sort | tr '\n' ' ')
ok "the mimics of /var and /etc are tmpfs mounts, sealed read-only ($mimics)" \
  test "$mimics" = "/etc ro tmpfs /var ro tmpfs "

# data dirs: writes persist on the host, in ROOT
ok "\$SNAP_DATA and \$SNAP_COMMON are writable" "$W" /bin/sh -c \
  'echo data >"$SNAP_DATA/probe" && echo common >"$SNAP_COMMON/probe"'
ok "the writes are in ROOT/var/snap/tinyapp/{x1,common}" bash -c \
  "[ \"\$(cat '$R/var/snap/tinyapp/x1/probe')\" = data ] && [ \"\$(cat '$R/var/snap/tinyapp/common/probe')\" = common ]"
ok "a new launch (snapc run) reads them back" bash -c \
  "[ \"\$(snapc run tinyapp.run -- /bin/busybox cat /var/snap/tinyapp/x1/probe /var/snap/tinyapp/common/probe | tr '\n' ' ')\" = 'data common ' ]"

# home for root: HOME is /root/snap/tinyapp/x1, kept in ROOT/root
ok_with "root's HOME is \$SNAP_USER_DATA under /root" '^/root/snap/tinyapp/x1 /root/snap/tinyapp/x1$' \
  "$W" /bin/sh -c 'echo "$HOME $SNAP_USER_DATA"'
ok "a write to HOME and \$SNAP_USER_COMMON lands in ROOT/root/snap/tinyapp" bash -c \
  "'$W' /bin/sh -c 'echo home >\"\$HOME/probe\" && echo ucommon >\"\$SNAP_USER_COMMON/probe\"' &&
   [ \"\$(cat '$R/root/snap/tinyapp/x1/probe')\" = home ] && [ \"\$(cat '$R/root/snap/tinyapp/common/probe')\" = ucommon ]"

# /tmp is private to the snap
tname=minimal-base-probe.$$
ok "/tmp is writable inside" "$W" /bin/sh -c "echo private >/tmp/$tname"
ok "the file is in ROOT/tmp/snap-private-tmp/snap.tinyapp/tmp, not in the host's /tmp or ROOT/tmp" bash -c \
  "[ \"\$(cat '$R/tmp/snap-private-tmp/snap.tinyapp/tmp/$tname')\" = private ] && [ ! -e /tmp/$tname ] && [ ! -e '$R/tmp/$tname' ]"
echo host >"/tmp/$tname.host"
fails "the host's /tmp is not visible inside" "$W" /bin/sh -c "[ -e /tmp/$tname.host ]"
rm -f "/tmp/$tname.host"

# the confinement still holds: writes outside the writable dirs are denied, and the same
# writes unconfined (on the host paths they stand for) succeed
in_try() { "$W" /snap/tinyapp/current/bin/try-syscall "$@" 2>&1; }
host_try() { "$CF_TRY" "$@" 2>&1; }
o=$(host_try write="$R/var/snap/tinyapp/outside" write="$R/var/lib/snapd/probe" write="$R/root/outside")
ok "unconfined: writes to ROOT/var/snap/tinyapp, ROOT/var/lib/snapd, ROOT/root succeed ($(echo $o))" \
  test "$(echo $o)" = "write OK write OK write OK"
rm -f "$R/var/snap/tinyapp/outside" "$R/var/lib/snapd/probe" "$R/root/outside"
o=$(in_try write=/var/snap/tinyapp/outside write=/var/lib/snapd/probe write=/root/outside)
ok "confined: the same writes are denied ($(echo $o))" bash -c \
  "printf '%s\n' '$o' | grep -qE '^write (EACCES|EPERM|EROFS)\$' && ! printf '%s\n' '$o' | grep -q ' OK\$' &&
   [ \"\$(printf '%s\n' '$o' | wc -l)\" = 3 ] && [ ! -e '$R/var/snap/tinyapp/outside' ] && [ ! -e '$R/root/outside' ]"
o=$(in_try write=/var/new write=/etc/new write=/newdir)
ok "confined: nothing can be written on the mimics or the base ($(echo $o))" bash -c \
  "[ \"\$(printf '%s\n' '$o' | grep -cE '^write (EACCES|EPERM|EROFS)\$')\" = 3 ]"

# ---- a full base installs without a warning ----
o=$(install "$FULL") || fixture_fail "install the full busybox base: $o"
ok "install the full base (tests/snaps/busybox-base): no warning ($(warnings "$o"))" test -z "$(warnings "$o")"

# ---- each directory of the minimal base is needed ----
# base_without NAME WANT-IN-WARNING ENTRY...: a base with these entries; installing it warns
# in one line naming WANT, and an app on it fails to run with a message naming it
base_without() {
  local name=$1 want=$2 o w
  shift 2
  make_base "$T/$name" "$name" "$@"
  make_app "$T/app-$name" "app-$name" "$name"
  local b a
  b=$(pack "$T/$name" ${PACK_OPTS:-}) && a=$(pack "$T/app-$name") ||
    { _t_report fail "$name: pack"; return; }
  o=$(install "$b")
  w=$(warnings "$o")
  ok "$name: installs with one warning line naming $want ($w)" bash -c \
    "[ \"\$(printf '%s\n' \"\$1\" | wc -l)\" = 1 ] &&
     printf '%s\n' \"\$1\" | grep -qF 'base snap \"$name\" lacks $want, which snapc-confine cannot provide'" _ "$w"
  o=$(install "$a")
  fails_with "$name: its app does not run (the launcher says why)" "${LAUNCH_RE:-${want%% *}}" \
    "$R/snap/bin/app-$name.run" /bin/sh -c 'echo ran'
}
for d in $MIN_DIRS; do
  ents=$(echo " $MIN_DIRS " | sed "s/ $d / /")
  case $d in
    root) re="has no directory '/root'" ;;
    var) re="has no directory '/var/snap' \(the launcher makes no directory at the top of a base" ;;
    *) re="has no directory '/$d' \(the launcher makes no directory at the top of a base" ;;
  esac
  LAUNCH_RE=$re base_without "tiny-no-$d" "/$d" $ents
done
# the base of the issue: no var/snap, var/lib/snapd, snap, home, root
LAUNCH_RE="has no directory '/snap'" base_without issue-base "/root /snap" dev etc proc run sys tmp var
# a symlink where a directory is needed is never mounted on, made through, or followed (even
# to a directory that has what is needed: before pivot_root it could lead to the host's files)
LAUNCH_RE="has no directory '/tmp'" base_without tmp-link "/tmp" dev etc proc root run snap sys var tmp=var/tmp
LAUNCH_RE="has no directory '/var/lib/snapd' \('/var/lib' is a symlink" \
  base_without varlib-link "/var/lib" dev etc proc root run snap sys tmp var usr/lib/snapd var/lib=../usr/lib
# an image libsquashfs cannot read (LZO): the warning comes from unsquashfs's listing
PACK_OPTS="--compression=lzo" LAUNCH_RE="has no directory '/snap'" base_without lzo-no-snap "/snap" \
  dev etc proc root run sys tmp var
ok_with "the LZO base is read through unsquashfs (compression lzo)" '"compression": *"lzo"' \
  snapc info --json "$(ls "$out"/lzo-no-snap_*.snap)"

t_daemon_stop
t_end
