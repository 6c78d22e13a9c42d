#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Bad input never runs an app unconfined: tampered or missing compiled profiles, unsafe policy
# files, unknown apps, missing base, unmounted snap; devmode and classic; atomic setup.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
. "$SNAPC_SRC/tests/helpers/confine-fixture.sh"
trap cf_cleanup EXIT
cf_setup
LIB=$R/var/lib/snapd
BIN2=$LIB/seccomp/bpf/snap.ctest.run.bin2
LAUNCH=$LIB/confine/snap.ctest.run.launch
mark=/var/snap/ctest/common/ran
ran() { [ -e "$R$mark" ]; }
# refuses DESC PATTERN: the app must not start, exit 1, and the error must match
refuses() {
  local desc=$1 pat=$2 out rc=0
  rm -f "$R$mark"
  out=$(snapc run --root "$R" ctest.run /bin/touch "$mark" 2>&1) || rc=$?
  if [ $rc -eq 1 ] && ! ran && printf '%s' "$out" | grep -q -- "$pat"; then
    _t_report ok "$desc"
  else
    _t_report fail "$desc"
    printf '#   exit %d, ran: %s, output: %s\n' "$rc" "$(ran && echo yes || echo no)" "$out"
  fi
}
ok "baseline: the app runs and leaves its mark" bash -c \
  "rm -f '$R$mark' && snapc run --root '$R' ctest.run /bin/touch '$mark' && [ -e '$R$mark' ]"
ok "error messages are one line (exit 1)" bash -c \
  "out=\$(snapc run --root '$R' ctest.nosuch 2>&1); [ \$? -eq 1 ] && [ \$(wc -l <<<\"\$out\") -eq 1 ]"

# ---- tampered / missing compiled profile ----
cp -p "$BIN2" "$T/bin2.orig"
printf '\x00' | dd of="$BIN2" bs=1 seek=200 conv=notrunc status=none
refuses "tampered .bin2 (one byte) is refused" "does not match its recorded digest"
cp -p "$T/bin2.orig" "$BIN2"; head -c 100 "$T/bin2.orig" >"$BIN2"
refuses "truncated .bin2 is refused" "refusing to run"
rm -f "$BIN2"
refuses "missing .bin2 is refused" "refusing to run 'snap.ctest.run'"
cp -p "$T/bin2.orig" "$BIN2"
chmod 0666 "$BIN2"
refuses "world-writable .bin2 is refused" "writable by others"
chmod 0644 "$BIN2"; chown 1:1 "$BIN2"
refuses ".bin2 not owned by root is refused" "not owned by root"
chown 0:0 "$BIN2"
ln -sf "$T/bin2.orig" "$BIN2.lnk" && mv "$BIN2" "$T/bin2.keep" && mv "$BIN2.lnk" "$BIN2"
refuses "a symlinked .bin2 is refused" "refusing to run"
rm -f "$BIN2" && mv "$T/bin2.keep" "$BIN2"
ok "restored profile runs again" snapc run --root "$R" ctest.run /bin/true

# ---- launch description ----
cp -p "$LAUNCH" "$T/launch.orig"
head -c 300 "$T/launch.orig" >"$LAUNCH"
refuses "truncated launch description is refused" "invalid launch description"
sed 's/^confinement strict$/confinement loose/' "$T/launch.orig" >"$LAUNCH"
refuses "unknown field value is refused" "invalid confinement"
sed 's/^snapc-launch 1$/snapc-launch 9/' "$T/launch.orig" >"$LAUNCH"
refuses "unknown format version is refused" "unsupported launch description version"
sed 's|^exec /snap/ctest/x1/bin/run$|exec /snap/ctest/x1/../../../bin/sh|' "$T/launch.orig" >"$LAUNCH"
refuses "exec outside the snap is refused" "exec must be a clean path inside the snap"
sed 's/^seccomp [0-9a-f]\{8\}/seccomp 00000000/' "$T/launch.orig" >"$LAUNCH"
refuses "wrong recorded digest is refused" "does not match its recorded digest"
cp -p "$T/launch.orig" "$LAUNCH"; chmod 0664 "$LAUNCH"
refuses "group-writable launch description is refused" "writable by others"
chmod 0644 "$LAUNCH"; chmod 0777 "$LIB/confine"
refuses "a world-writable directory on the path is refused" "writable by group or others"
chmod 0755 "$LIB/confine"
cp -p "$LIB/confine/snap.ctest.svc.launch" "$LAUNCH"
refuses "a launch description of another tag is refused" "names 'snap.ctest.svc'"
cp -p "$T/launch.orig" "$LAUNCH"
ok "restored launch description runs again" snapc run --root "$R" ctest.run /bin/true

# ---- unknown app, snap, missing base, unmounted snap ----
fails_with "unknown app: refused, saying so" "snap 'ctest' has no app 'nosuch'" snapc run --root "$R" ctest.nosuch
fails_with "unknown snap: refused, saying so" "snap 'nosuch' is not installed" snapc run --root "$R" nosuch.app
ok "invalid names are usage errors (exit 2)" bash -c "snapc run --root '$R' 'Bad..name' 2>/dev/null; [ \$? -eq 2 ]"
mv "$R/snap/busybox-base/current" "$R/snap/busybox-base/current.off"
refuses "missing base is refused" "cannot find base snap 'busybox-base'"
mv "$R/snap/busybox-base/current.off" "$R/snap/busybox-base/current"
umount "$R/snap/ctest/x1"
refuses "unmounted snap is refused" "revision x1 is not mounted"
cf_mount "$T"/out/ctest_*.snap "$R/snap/ctest/x1"
ok "remounted snap runs again" snapc run --root "$R" ctest.run /bin/true

# ---- who may choose the root ----
mkdir -p "$T/suid" && cp "$SNAPC_BIN/snapc-confine" "$T/suid/snapc-confine" && chmod 4755 "$T/suid/snapc-confine"
chmod o+x "$T" # let "nobody" reach the setuid copy
if command -v setpriv >/dev/null; then
  ok "--root is refused for non-root callers (setuid launcher)" bash -c "
    out=\$(setpriv --reuid=65534 --regid=65534 --clear-groups '$T/suid/snapc-confine' --root '$R' snap.ctest.run /bin/true 2>&1)
    [ \$? -ne 0 ] && echo \"\$out\" | grep -q 'only honoured for root'"
  # under $R ctest is installed (root runs it below); under / it is not, which is what it says
  ok "SNAPC_ROOT is ignored for non-root callers (looks under /, not the test root)" bash -c "
    out=\$(SNAPC_ROOT='$R' setpriv --reuid=65534 --regid=65534 --clear-groups '$T/suid/snapc-confine' snap.ctest.run /bin/true 2>&1)
    [ \$? -eq 1 ] && [ \"\$out\" = \"snapc-confine: error: snap 'ctest' is not installed\" ]"
else
  t_skip "non-root callers" "setpriv not installed"
fi
ok "SNAPC_ROOT is honoured for root" env SNAPC_ROOT="$R" snapc-confine snap.ctest.run /bin/true
ok_with "snapc-confine --help" 'snapc-confine' snapc-confine --help
ok "snapc-confine without a tag is a usage error (exit 2)" bash -c "snapc-confine --root '$R' 2>/dev/null; [ \$? -eq 2 ]"

# ---- devmode: nothing enforced, denials only logged ----
ok "set up in devmode" snapc debug setup-profiles --root "$R" --devmode ctest x1
ok "devmode: profile is complain-mode (seccomp @complain, AppArmor complain)" bash -c \
  "grep -qx '@complain' '$LIB/seccomp/bpf/snap.ctest.run.src' && grep -q 'complain)' '$LIB/apparmor/profiles/snap.ctest.run' &&
   grep -qx 'confinement devmode' '$LAUNCH'"
ok "devmode: mount(2) reaches the kernel (logged, not EPERM)" bash -c \
  "[ \"\$(snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall mount)\" = 'mount EFAULT' ]"
mkdir -p "$R/var/snap/other/x1" && echo secret >"$R/var/snap/other/x1/secret"
ok "devmode: Landlock is not applied" bash -c \
  "[ \"\$(snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall read=/var/snap/other/x1/secret)\" = 'read OK' ]"
ok "back to strict" snapc debug setup-profiles --root "$R" ctest x1
ok "strict again: mount(2) is EPERM" bash -c \
  "[ \"\$(snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall mount)\" = 'mount EPERM' ]"

# ---- setup is atomic per snap ----
snapshot() { (cd "$LIB" && find confine seccomp apparmor -type f ! -name '*.tmp-*' -print0 | sort -z | xargs -0 sha256sum); }
snapshot >"$T/before"
printf 'seccomp socket AF_NOPE\n' >"$T/bad-policy"
fails "a policy that does not compile fails setup" snapc debug setup-profiles --root "$R" --policy "$T/bad-policy" ctest x1
export -f snapshot; export LIB
ok "... and nothing changed on disk" bash -c "snapshot >'$T/after' && cmp '$T/after' '$T/before'"
printf 'net bind 9000\n' >"$T/good-policy"
if snapd-c --version | grep -q fault-injection; then
  ok "a crash before the commit (SNAPC_FAULT: exit 137 there) leaves the old profiles" bash -c "
    SNAPC_FAULT=setup-profiles-commit:before snapc debug setup-profiles --root '$R' --policy '$T/good-policy' ctest x1
    rc=\$?; [ \$rc -eq 137 ] || { echo \"exit \$rc, not 137: the fault did not fire\"; exit 1; }
    snapshot >'$T/after' && cmp '$T/after' '$T/before'"
  ok "... it left its temporary files" bash -c "l=\$(find '$LIB' -name 'snap.ctest.*.tmp-*') && [ -n \"\$l\" ]"
else
  t_skip "a crash before the commit" "built without fault injection (./build.sh test builds it with it)"
fi
ok "the next setup cleans up and applies" bash -c "
  snapc debug setup-profiles --root '$R' --policy '$T/good-policy' ctest x1 &&
  l=\$(find '$LIB' -name 'snap.ctest.*.tmp-*') && [ -z \"\$l\" ] && grep -qx 'net bind 9000' '$LAUNCH'"

# ---- classic ----
mkdir -p "$T/classic/meta" "$T/classic/bin"
printf 'name: cclassic\nversion: "1"\nsummary: s\ndescription: d\nconfinement: classic\nbase: busybox-base\napps:\n  a:\n    command: bin/a\n' >"$T/classic/meta/snap.yaml"
printf '#!/bin/sh\n' >"$T/classic/bin/a" && chmod 755 "$T/classic/bin/a"
ok "pack a classic snap" snapc pack "$T/classic" "$T/out"
ok "... and mount it" cf_mount "$T/out/cclassic_1_all.snap" "$R/snap/cclassic/x1"
fails_with "classic confinement is refused at setup with a clear error" 'classic confinement, which is not supported' \
  snapc debug setup-profiles --root "$R" cclassic x1
ok "... and no profile was written for it" bash -c "l=\$(find '$LIB' -name 'snap.cclassic.*') && [ -z \"\$l\" ]"
t_end
