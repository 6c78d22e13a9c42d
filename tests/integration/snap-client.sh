#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Debian's real snap client (snapd 2.57) against snapd-c: SNAPPY_GLOBAL_ROOT points it at
# $ROOT/run/snapd.socket. list, info, install --dangerous (multipart upload), remove, changes,
# tasks, version.
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
snapc pack "$SNAPS/hello" "$T/out" >/dev/null
snapc pack "$SNAPS/svc" "$T/out" >/dev/null
t_daemon_start "$R"
ok "snap version shows snapd-c" bash -c "snap version | grep -q 'snapd-c'"
ok "snap list on an empty device" bash -c "snap list 2>&1 | grep -qi 'no snaps'"
ok "snap install --dangerous (multipart upload)" snap install --dangerous "$T"/out/hello_*.snap
ok "snap list shows it" bash -c "snap list | grep -Eq '^hello +1.0 +x1 +- +- +-'"
ok "snapc sees the same" bash -c "snapc list | grep -q '^hello '"
ok "snap info hello" bash -c "snap info hello | grep -q 'installed: *1.0 (x1)'"
ok "snap install --dangerous svc" snap install --dangerous "$T"/out/svc_*.snap
ok "snap install again refreshes to x2" snap install --dangerous "$T"/out/hello_*.snap
ok "snap list --all shows x1 disabled" bash -c "snap list --all | grep -E '^hello +1.0 +x1 ' | grep -q disabled"
ok "snap changes" bash -c "[ \$(snap changes | grep -c Done) -ge 3 ]"
ok "snap tasks 1" bash -c "snap tasks 1 | grep -q 'Mount snap \"hello\"'"
fails "snap install without --dangerous is refused" snap install "$T"/out/hello_*.snap
head -c 3000 /dev/urandom > "$T/junk.snap"
fails "snap install of junk is refused" snap install --dangerous "$T/junk.snap"
ok "upload of junk left nothing behind" bash -c "! ls -A $R/var/lib/snapd/snaps | grep -q upload"
ok "snap remove hello" snap remove hello
ok "snap remove svc" snap remove svc
ok "snap list empty again" bash -c "snap list 2>&1 | grep -qi 'no snaps'"
# several files in one upload make one change with a chain per snap; snap remove a b likewise
ok "snap install --dangerous of two files" snap install --dangerous "$T"/out/hello_*.snap "$T"/out/svc_*.snap
ok "... both listed" bash -c "snap list | grep -q '^hello ' && snap list | grep -q '^svc '"
ok "... in one change" bash -c "snap changes | grep -qF 'Install snaps \"hello\", \"svc\" from files \"hello_1.0_all.snap\", \"svc_0.1_all.snap\"'"
ok "... whose tasks name each snap" bash -c "snap tasks --last=install-snap | grep -q 'Mount snap \"svc\"' && snap tasks --last=install-snap | grep -q 'Mount snap \"hello\"'"
ok "... no upload temp files left" bash -c "! ls -A $R/var/lib/snapd/snaps | grep -q upload"
fails "two files, one junk: refused" snap install --dangerous "$T"/out/hello_*.snap "$T/junk.snap"
ok "... and nothing changed: hello still x1 only" bash -c "[ \$(snap list --all | grep -c '^hello ') = 1 ]"
ok "... no upload temp files left" bash -c "! ls -A $R/var/lib/snapd/snaps | grep -q upload"
ok "snap remove hello svc (one change)" snap remove hello svc
ok "... summary names both" bash -c "snap changes | grep -qF 'Remove snaps \"hello\", \"svc\"'"
ok "... list empty" bash -c "snap list 2>&1 | grep -qi 'no snaps'"
ok "snap remove of a missing snap says so (exit 0, as with snapd)" bash -c "snap remove hello 2>&1 | grep -q 'snap \"hello\" is not installed'"
ok "nothing mounted" bash -c "[ \$(t_mounts_for $R) = 0 ] && [ \$(t_loops_for $R/) = 0 ]"
t_daemon_stop
t_end
