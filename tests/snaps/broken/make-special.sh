#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-only
# make-special.sh OUTDIR: create the broken snap trees that git cannot store
# (directory modes, non-0644/0755 file modes, fifos, device nodes) under
# OUTDIR/<defect>/. Each is rejected by `snap pack` 2.57.6 and has a WHY file
# next to meta/ (outside meta/, so it does not change the verdict).
#
# Device nodes need root (mknod); without root that tree is skipped with a
# note on stderr. Modes are only meaningful to the packer's own checks; as
# root nothing here is unreadable, so the verdicts do not depend on the uid.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1
umask 022
mkdir -p "$out"

# tree DEFECT WHY: start a tree with a valid snap.yaml, an app "tool" and bin/tool.
tree() {
  d=$out/$1
  rm -rf "$d"
  mkdir -p "$d/meta" "$d/bin"
  printf '%s\n' "$2" >"$d/WHY"
  printf '#!/bin/sh\necho tool\n' >"$d/bin/tool"
  chmod 0755 "$d/bin/tool"
  cat >"$d/meta/snap.yaml" <<EOF
name: broken
version: '1.0'
summary: broken fixture ($1)
apps:
  tool:
    command: ${3:-bin/tool}
EOF
}
# daemon: make the app a simple service.
daemon() { printf '    daemon: simple\n' >>"$d/meta/snap.yaml"; }

tree command-dir-0700 'app command lib/tool sits in a 0700 directory; every directory on a non-service command path needs r-x for everyone' lib/tool
mkdir "$d/lib"
cp "$d/bin/tool" "$d/lib/tool"
chmod 0700 "$d/lib"

tree root-dir-0700 'the snap root directory is 0700 ("." should be world-readable and executable)'
chmod 0700 "$d"

tree meta-dir-0700 'meta/ is 0700 (meta and every directory below it need 0555)'
chmod 0700 "$d/meta"

tree meta-hooks-dir-0700 'meta/hooks/ is 0700 (directories under meta need 0555)'
mkdir "$d/meta/hooks"
printf '#!/bin/sh\n' >"$d/meta/hooks/install"
chmod 0755 "$d/meta/hooks/install"
chmod 0700 "$d/meta/hooks"

tree snap-yaml-0600 'meta/snap.yaml is 0600 (files under meta/ other than hooks need 0444)'
chmod 0600 "$d/meta/snap.yaml"

tree meta-gui-file-0640 'meta/gui/tool.desktop is 0640 (files under meta/ other than hooks need 0444)'
mkdir -p "$d/meta/gui"
printf '[Desktop Entry]\nName=tool\nExec=tool\nType=Application\n' >"$d/meta/gui/tool.desktop"
chmod 0640 "$d/meta/gui/tool.desktop"

tree command-0711 'non-service app command bin/tool is 0711: executable but not world-readable (needs 0555)'
chmod 0711 "$d/bin/tool"

tree daemon-command-0644 'service command bin/tool is 0644 (a service command needs at least one x bit)'
daemon
chmod 0644 "$d/bin/tool"

tree daemon-command-fifo 'service command bin/tool is a fifo ("should be a regular file (or a symlink)")'
daemon
rm "$d/bin/tool"
mkfifo -m 0755 "$d/bin/tool"

tree hook-fifo 'meta/hooks/install is a fifo with mode 0644 (files under meta/hooks/ need an x bit)'
mkdir "$d/meta/hooks"
mkfifo -m 0644 "$d/meta/hooks/install"

if [ "$(id -u)" = 0 ]; then
  tree daemon-command-chardev 'service command bin/tool is a character device ("should be a regular file (or a symlink)")'
  daemon
  rm "$d/bin/tool"
  mknod -m 0755 "$d/bin/tool" c 1 3
else
  echo "$0: not root, skipping daemon-command-chardev" >&2
fi

