#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# tests/demo.sh (./build.sh demo) end to end against $SNAPC_BIN: it exits 0, its summary says
# every step did what it claims, it leaves nothing behind; and with a launcher that confines
# nothing (SNAPC_CONFINE pointing at a pass-through) it fails loudly, naming the steps whose
# claims no longer hold.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
demo=$SNAPC_SRC/tests/demo.sh

# leftovers DIR: what a demo run left under DIR (temp roots, mounts, loop devices, daemons).
leftovers() {
  local d=$1 p
  ls -d "$d"/snapc-demo.* 2>/dev/null
  awk -v t="$d/" 'index($2, t) == 1 {print "mount " $2}' /proc/self/mounts
  losetup -a 2>/dev/null | grep -F "$d/" | sed 's/^/loop /'
  for p in $(pgrep -x snapd-c 2>/dev/null); do
    grep -qz "^SNAPC_ROOT=$d/" "/proc/$p/environ" 2>/dev/null && echo "daemon $p"
  done
  return 0
}
# side_by_side OUT: the denial is shown as the unconfined read succeeding, then the same file
# read confined failing.
side_by_side() {
  local un co
  un=$(grep -A1 -F 'unconfined $ cat ' "$1") &&
    co=$(grep -A1 -Fx 'confined   $ snapc run iface-probe.run -- cat /var/snap/hello/common/secret.txt' "$1") &&
    grep -qx "  hello's private data" <<<"$un" && grep -q 'Permission denied\|Operation not permitted' <<<"$co"
}
export -f leftovers side_by_side

mkdir -p "$T/run1"
rc=0
TMPDIR=$T/run1 bash "$demo" "$SNAPC_BIN" >"$T/demo.out" 2>&1 || rc=$?
ok "the demo exits 0" bash -c "[ $rc = 0 ] || { tail -30 $T/demo.out; exit 1; }"
summary=$(sed -n '/^== Summary/,$p' "$T/demo.out")
ok "it ends with a summary" bash -c "grep -q '^== Summary' $T/demo.out"
ok "... that fits on one screen (at most 24 lines)" bash -c "[ \$(sed -n '/^== Summary/,\$p' $T/demo.out | wc -l) -le 24 ]"
ok "... and says every claim was shown" bash -c "[ \"\$(tail -1 $T/demo.out)\" = 'demo: every claim above was shown' ]"
ok "no step failed" bash -c "s=\$(sed -n '/^== Summary/,\$p' $T/demo.out) && [ -n \"\$s\" ] && ! grep -q '^FAIL ' <<<\"\$s\""
ok "no NOT SHOWN line anywhere" bash -c "! grep -q 'NOT SHOWN' $T/demo.out"
ok_with "pack: the snaps are squashfs files" '^ok +pack +4 snaps packed' printf '%s\n' "$summary"
ok_with "inspect: no mount made" '^ok +inspect .*no mount made' printf '%s\n' "$summary"
ok_with "validate: a broken snap refused with its location" '^ok +validate .*snap\.yaml:LINE:COL' printf '%s\n' "$summary"
if t_need_root; then
  ok_with "daemon: it answers" '^ok +daemon ' printf '%s\n' "$summary"
  ok_with "install: 3 snaps, none without its base" '^ok +install +3 snaps installed: .*no missing base' printf '%s\n' "$summary"
  ok_with "sandbox: hello runs from its wrapper" '^ok +sandbox +hello runs from its wrapper' printf '%s\n' "$summary"
  ok_with "sandbox: / is the busybox base (squashfs, same file)" '^ok +sandbox +/ in the sandbox is the busybox base: / is squashfs' printf '%s\n' "$summary"
  ok_with "denial: a real EACCES/EPERM, the file readable unconfined and present confined" \
    '^ok +denial +.*read unconfined; confined: stat ok, cat (EACCES|EPERM)' printf '%s\n' "$summary"
  ok_with "hidden: /etc/shadow absent, not called a denial" '^ok +hidden .*confined: ENOENT' printf '%s\n' "$summary"
  ok_with "interface: a loop device denied, allowed once connected, denied again" \
    '^ok +interface .*unconfined ok; confined (EACCES|EPERM); connected ok; disconnected (EACCES|EPERM)' printf '%s\n' "$summary"
  if command -v snap >/dev/null; then
    ok_with "snap-client: the real client lists, finds --last=connect, filters changes" '^ok +snap-client ' printf '%s\n' "$summary"
  else
    t_skip "snap-client step" "package snapd is not installed"
  fi
  ok_with "refresh: x2 replaces x1, kept disabled" '^ok +refresh .*the app runs as x2' printf '%s\n' "$summary"
  ok_with "remove: hello gone, a base in use kept" '^ok +remove ' printf '%s\n' "$summary"
  ok_with "stop: the daemon exits 0" '^ok +stop ' printf '%s\n' "$summary"
  ok "the denial is shown side by side (read unconfined, then denied confined)" side_by_side "$T/demo.out"
else
  ok_with "without root, the device steps say they were not run" '^skip +device .*not root' printf '%s\n' "$summary"
fi
ok "the demo left nothing behind (temp root, mounts, loop devices, daemon)" bash -c \
  "l=\$(leftovers $T/run1); [ -z \"\$l\" ] || { echo \"\$l\"; exit 1; }"

# A launcher that confines nothing: the demo must notice and fail, naming the steps.
if t_need_root; then
  cat >"$T/fake-confine" <<'EOF'
#!/bin/sh
# snapc-confine -- TAG ARGS...: run ARGS as they are, unconfined
while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
shift 2
exec "$@"
EOF
  chmod 755 "$T/fake-confine"
  mkdir -p "$T/run2"
  rc=0
  TMPDIR=$T/run2 SNAPC_CONFINE=$T/fake-confine bash "$demo" "$SNAPC_BIN" >"$T/demo2.out" 2>&1 || rc=$?
  ok "with an unconfined launcher the demo exits 1" bash -c "[ $rc = 1 ] || { tail -30 $T/demo2.out; exit 1; }"
  ok "... and says so on its last line" bash -c "l=\$(tail -1 $T/demo2.out) && grep -q '^demo: FAILED: [0-9]* claim(s) above were not shown' <<<\"\$l\""
  ok "... naming the denial step" bash -c "grep -Eq '^FAIL +denial ' $T/demo2.out"
  ok "... the sandbox step (/ is not the base)" bash -c "grep -Eq '^FAIL +sandbox +/ in the sandbox' $T/demo2.out"
  ok "... the hidden step (/etc/shadow readable)" bash -c "grep -Eq '^FAIL +hidden ' $T/demo2.out"
  ok "... and the interface step (the device readable unconnected)" bash -c "grep -Eq '^FAIL +interface ' $T/demo2.out"
  ok "the failed demo left nothing behind either" bash -c \
    "l=\$(leftovers $T/run2); [ -z \"\$l\" ] || { echo \"\$l\"; exit 1; }"
fi
t_end
