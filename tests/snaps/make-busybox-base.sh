#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-only
# make-busybox-base.sh OUTDIR: assemble the busybox-base snap tree in OUTDIR.
#
# Only tests/snaps/busybox-base/meta/snap.yaml is committed; the root file
# system is built here from a static busybox (Debian: busybox-static), so the
# repository holds no binaries. The result packs with `snap pack OUTDIR` and
# `chroot OUTDIR /bin/sh -c 'echo hi'` works.
#
#   BUSYBOX=/path/to/busybox   static busybox to use (default /bin/busybox)
#
# Layout:
#   bin/busybox              the binary (0755)
#   <applet paths>           relative symlinks, from `busybox --list-full`
#                            (bin/sh -> busybox, usr/bin/awk -> ../../bin/busybox)
#   dev proc sys run tmp ... empty mount points a snap launcher binds over
#   etc/passwd etc/group     minimal root/nobody entries
#   meta/                    copied from tests/snaps/busybox-base/meta
set -eu

usage() {
  echo "usage: $0 OUTDIR" >&2
  exit 2
}
[ $# -eq 1 ] || usage
out=$1
here=$(cd "$(dirname "$0")" && pwd)
meta=$here/busybox-base/meta
bb=${BUSYBOX:-/bin/busybox}

[ -f "$meta/snap.yaml" ] || { echo "$0: missing $meta/snap.yaml" >&2; exit 1; }
[ -x "$bb" ] || { echo "$0: $bb not found (apt install busybox-static)" >&2; exit 1; }
# A dynamically linked busybox would need its libc inside the base.
if ldd "$bb" >/dev/null 2>&1; then
  echo "$0: $bb is dynamically linked; install busybox-static or set BUSYBOX" >&2
  exit 1
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  echo "$0: $out exists and is not empty" >&2
  exit 1
fi

umask 022
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Mount points and standard directories (empty; git cannot hold these).
for d in bin sbin usr/bin usr/sbin usr/lib lib lib64 etc dev proc sys run tmp \
  home root mnt media snap var/snap var/lib/snapd var/tmp var/log var/cache \
  writable; do
  mkdir -p "$out/$d"
done
chmod 1777 "$out/tmp" "$out/var/tmp"
# /root stays 0755 (Ubuntu's core bases use 0700; snap pack 2.57.6 accepts either, and the
# 0700 case is covered by the compat corpus, so this fixture does not depend on that rule).

cp "$bb" "$out/bin/busybox"
chmod 0755 "$out/bin/busybox"

# Applet symlinks, relative so they resolve inside the snap's mount point.
"$out/bin/busybox" --list-full | while IFS= read -r applet; do
  case $applet in
    */*) ;;
    *) continue ;; # e.g. "linuxrc" at the top level: not wanted in a base
  esac
  [ "$applet" = bin/busybox ] && continue
  dir=${applet%/*}
  # ../ once per path component of the applet's directory, in the shell itself: a fork or
  # two per applet made this script take many seconds on a loaded machine
  up=..
  rest=$dir
  while [ "${rest#*/}" != "$rest" ]; do
    rest=${rest#*/}
    up=$up/..
  done
  [ -d "$out/$dir" ] || mkdir -p "$out/$dir"
  if [ "$dir" = bin ]; then
    target=busybox
  else
    target=$up/bin/busybox
  fi
  [ -e "$out/$applet" ] || [ -L "$out/$applet" ] || ln -s "$target" "$out/$applet"
done

cat >"$out/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
snap_daemon:x:584788:584788::/nonexistent:/usr/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$out/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
snap_daemon:x:584788:
nogroup:x:65534:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$out/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$out/etc/hosts"
: >"$out/etc/hostname"
: >"$out/etc/resolv.conf"
chmod 0644 "$out"/etc/*

cp -R "$meta" "$out/meta"
chmod -R u+rwX,go+rX,go-w "$out/meta"
