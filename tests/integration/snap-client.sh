#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Debian's real snap client (snapd 2.57) against snapd-c: SNAPPY_GLOBAL_ROOT points it at
# $ROOT/run/snapd.socket. list, info, install --dangerous (multipart upload), remove, changes,
# tasks, version. Client output is captured before it is searched: `snap ... | grep -q` fails
# at random under pipefail (grep exits at the first match and snap, which writes in several
# pieces, dies of SIGPIPE).
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! command -v snap >/dev/null; then
  t_skip "real snap client" "package snapd is not installed"; t_end; exit
fi
if ! t_need_root; then
  t_skip "real snap client" "needs root"; t_end; exit
fi
R=$T/root
export SNAPC_ROOT=$R SNAPPY_GLOBAL_ROOT=$R
. "$SNAPC_SRC/tests/helpers/daemon-checks.sh" # also: snap runs under timeout
ok "pack hello" snapc pack "$SNAPS/hello" "$T/out"
ok "pack svc" snapc pack "$SNAPS/svc" "$T/out"
t_daemon_start "$R"
ok_with "snap version shows snapd-c" '^snapd +[0-9.]+-snapd-c$' snap version
ok_with "snap list on an empty device" '^No snaps are installed yet' snap list
ok_with "snap install --dangerous (multipart upload)" '^hello 1.0 installed$' snap install --dangerous "$T"/out/hello_*.snap
ok_with "snap list shows it" '^hello +1.0 +x1 +- +- +-' snap list
ok_with "snapc sees the same" '^hello +1.0 +x1 ' snapc list
ok_with "snap info hello" '^installed: +1.0 +\(x1\)' snap info hello
ok "snap install --dangerous svc" snap install --dangerous "$T"/out/svc_*.snap
ok "snap install again refreshes to x2" snap install --dangerous "$T"/out/hello_*.snap
ok_with "snap list --all shows x1 disabled" '^hello +1.0 +x1 +- +- +disabled$' snap list --all
ok "snap changes: the three installs, Done" bash -c "l=\$(snap changes) && [ \$(grep -Ec '^[0-9]+ +Done .*Install \"(hello|svc)\" snap from file' <<<\"\$l\") = 3 ]"
ok_with "snap tasks 1" 'Mount snap "hello"' snap tasks 1
fails_with "snap install without --dangerous is refused" '^error: cannot find signatures with metadata for snap "hello"' snap install "$T"/out/hello_*.snap
head -c 3000 /dev/urandom > "$T/junk.snap"
fails_with "snap install of junk is refused" 'not a squashfs image \(bad magic\)' snap install --dangerous "$T/junk.snap"
ok "upload of junk left nothing behind" bash -c "l=\$(ls -A $R/var/lib/snapd/snaps) && ! grep -q upload <<<\"\$l\""
ok "snap remove hello" snap remove hello
ok "snap remove svc" snap remove svc
ok_with "snap list empty again" '^No snaps are installed yet' snap list
# several files in one upload make one change with a chain per snap; snap remove a b likewise
ok "snap install --dangerous of two files" snap install --dangerous "$T"/out/hello_*.snap "$T"/out/svc_*.snap
ok "... both listed" bash -c "has '^hello ' snap list && has '^svc ' snap list"
ok_with "... in one change" 'Install snaps "hello", "svc" from files "hello_1\.0_all\.snap", "svc_0\.1_all\.snap"' snap changes
ok "... whose tasks name each snap" bash -c "has 'Mount snap \"svc\"' snap tasks --last=install-snap && has 'Mount snap \"hello\"' snap tasks --last=install-snap"
ok "... no upload temp files left" bash -c "l=\$(ls -A $R/var/lib/snapd/snaps) && ! grep -q upload <<<\"\$l\""
fails_with "two files, one junk: refused" 'cannot read snap file' snap install --dangerous "$T"/out/hello_*.snap "$T/junk.snap"
ok "... and nothing changed: hello still x1 only" bash -c "l=\$(snap list --all) && [ \$(grep -c '^hello ' <<<\"\$l\") = 1 ]"
ok "... no upload temp files left" bash -c "l=\$(ls -A $R/var/lib/snapd/snaps) && ! grep -q upload <<<\"\$l\""
ok "snap remove hello svc (one change)" snap remove hello svc
ok_with "... summary names both" 'Remove snaps "hello", "svc"' snap changes
ok_with "... list empty" '^No snaps are installed yet' snap list
ok_with "snap remove of a missing snap says so (exit 0, as with snapd)" '^snap "hello" is not installed$' snap remove hello
ok "nothing of either is left, nothing mounted" bash -c \
  "nothing_of hello && nothing_of svc && [ \$(t_mounts_for $R) = 0 ] && [ \$(t_loops_for $R/) = 0 ]"
t_daemon_stop
t_end
