#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# What install and remove refuse, through the daemon as users drive it (the API, snapc, and
# Debian's real snap client): devmode snaps need --devmode; classic snaps are refused on a
# device (snapd's answer on a system that is not classic); a base cannot be removed while a
# snap uses it, and can once that snap is gone. The apps of the snaps installed here run:
# their wrappers, made by the daemon, start them through the launcher on the busybox base.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
if ! t_need_root; then
  t_skip "install and remove rules" "needs root (loop devices and mounts)"
  t_end; exit
fi
if [ ! -x /bin/busybox ]; then
  t_skip "install and remove rules" "busybox-static not installed (the base of the test snaps)"
  t_end; exit
fi
R=$T/root
export SNAPC_ROOT=$R SNAPPY_GLOBAL_ROOT=$R
have_snap=false
command -v snap >/dev/null && have_snap=true
. "$SNAPC_SRC/tests/helpers/daemon-checks.sh"
# the real client wraps long messages at 80 columns: compare them with spaces squeezed
squeeze() { tr -s ' \n' '  ' | sed 's/ $//'; }
export -f squeeze

# ---- fixtures: the busybox base; hello on it, and copies of hello in devmode and classic ----
ok "assemble the busybox base" "$SNAPS/make-busybox-base.sh" "$T/bb"
ok "pack it" snapc pack "$T/bb" "$T/out"
cp -a "$SNAPS/hello" "$T/hello"
sed -i 's/^base: core22$/base: busybox-base/' "$T/hello/meta/snap.yaml"
cp -a "$T/hello" "$T/devhello"
sed -i 's/^name: hello$/name: devhello/; s/^confinement: strict$/confinement: devmode/' "$T/devhello/meta/snap.yaml"
cp -a "$T/hello" "$T/cls"
sed -i 's/^name: hello$/name: cls/; s/^confinement: strict$/confinement: classic/' "$T/cls/meta/snap.yaml"
for s in hello devhello cls; do
  ok "pack $s" snapc pack "$T/$s" "$T/out"
done
BASE=$T/out/busybox-base_1.35.0_all.snap HELLO=$T/out/hello_1.0_all.snap
DEV=$T/out/devhello_1.0_all.snap CLS=$T/out/cls_1.0_all.snap
ok "the fixtures say what they are" bash -c "
  has '\"confinement\": *\"devmode\"' snapc info --json $DEV && has '\"confinement\": *\"classic\"' snapc info --json $CLS &&
  has '\"base\": *\"busybox-base\"' snapc info --json $HELLO"

t_daemon_start "$R"
ok "install the busybox base" snapc install --dangerous "$BASE"
ok "install hello (base busybox-base)" snapc install --dangerous "$HELLO"
# a wrapper is a symlink the daemon made; it proves something only when it runs the app
ok_with "the wrapper snap/bin/hello runs the app through the launcher" '^Hello, world from hello$' "$R/snap/bin/hello"
ok_with "the wrapper snap/bin/hello.env runs the other app, in its sandbox" '^SNAP=/snap/hello/x1$' "$R/snap/bin/hello.env"

# ---- devmode: refused without --devmode, installed with it ----
msg='snap "devhello" requires devmode or confinement override'
ok "API: devmode snap without devmode: 400 snap-needs-devmode, snapd's message" bash -c \
  "api POST /v2/snaps '{\"action\":\"install\",\"dangerous\":true,\"snap-path\":\"$DEV\"}' | is_error 400 snap-needs-devmode '$msg'"
fails_with "snapc install without --devmode is refused, saying why" "^snapc: error: $msg\$" snapc install --dangerous "$DEV"
if $have_snap; then
  # the client words this error itself, with the name it was given (the file, here)
  ok "snap install --dangerous without --devmode is refused as snapd refuses it" bash -c \
    "out=\$(snap install --dangerous $DEV 2>&1); rc=\$?; [ \$rc -eq 1 ] &&
     [ \"\$(echo \"\$out\" | squeeze)\" = 'error: snap \"$DEV\" requires devmode or confinement override' ] || { echo \"exit \$rc: \$out\"; exit 1; }"
fi
ok "the refusals left nothing" nothing_of devhello
ok "snapc install --devmode installs it" snapc install --dangerous --devmode "$DEV"
ok_with "listed with the devmode note" '^devhello +1.0 +x1 +app +devmode$' snapc list
ok "the API says devmode" bash -c "api GET /v2/snaps/devhello | python3 -c '
import json, sys
r = json.loads(sys.stdin.read().rsplit(\" \", 1)[0])[\"result\"]
assert r[\"devmode\"] is True and r[\"confinement\"] == \"devmode\", r'"
ok "its profiles are in devmode (seccomp complain, launch description)" bash -c "
  grep -qx '@complain' $R/var/lib/snapd/seccomp/bpf/snap.devhello.hello.src &&
  grep -qx 'confinement devmode' $R/var/lib/snapd/confine/snap.devhello.hello.launch"
ok_with "its wrapper runs the app" '^Hello, world from devhello$' "$R/snap/bin/devhello.hello"
if $have_snap; then
  ok "snap remove devhello" snap remove devhello
  # as snapd: with no assertions to find, --devmode implies --dangerous
  ok "snap install --devmode installs it (an upload; no --dangerous needed)" snap install --devmode "$DEV"
  ok_with "snap list shows the devmode note" '^devhello +1.0 +x1 +- +- +devmode$' snap list
else
  ok "snapc remove devhello" snapc remove devhello
  ok "snapc install --devmode installs it (no --dangerous needed)" snapc install --devmode "$DEV"
fi

# ---- classic: refused on a device, with or without --classic ----
msg='snap "cls" requires classic confinement which is only available on classic systems'
ok "the device says it is not a classic system, and offers no classic confinement" bash -c \
  "api GET /v2/system-info | python3 -c '
import json, sys
r = json.loads(sys.stdin.read().rsplit(\" \", 1)[0])[\"result\"]
assert r[\"on-classic\"] is False and \"classic\" not in r[\"sandbox-features\"][\"confinement-options\"], r'"
ok "API: classic snap: 400 snap-needs-classic-system, snapd's message" bash -c \
  "api POST /v2/snaps '{\"action\":\"install\",\"dangerous\":true,\"snap-path\":\"$CLS\"}' | is_error 400 snap-needs-classic-system '$msg'"
fails_with "snapc install of a classic snap is refused, saying why" "^snapc: error: $msg\$" snapc install --dangerous "$CLS"
fails_with "... --devmode does not change that" "^snapc: error: $msg\$" snapc install --dangerous --devmode "$CLS"
if $have_snap; then
  for flag in "" --classic; do
    ok "snap install --dangerous $flag of a classic snap: refused with snapd's message" bash -c \
      "out=\$(snap install --dangerous $flag $CLS 2>&1); rc=\$?; [ \$rc -eq 1 ] &&
       [ \"\$(echo \"\$out\" | squeeze)\" = 'error: $msg' ] || { echo \"exit \$rc: \$out\"; exit 1; }"
  done
fi
ok "the refusals left nothing" nothing_of cls

# ---- a base in use cannot be removed; once its users are gone it can ----
users='snaps devhello and hello'
$have_snap || users='snap hello'
$have_snap || snapc remove devhello >/dev/null
msg="cannot remove \"busybox-base\": snap \"busybox-base\" is not removable: snap is being used by $users."
ok "API: remove of the base: 400, snapd's message naming its users in order" bash -c \
  "api POST /v2/snaps/busybox-base '{\"action\":\"remove\"}' | is_error 400 snap-not-removable '$msg'"
fails_with "snapc remove busybox-base is refused, saying why" "^snapc: error: $msg\$" snapc remove busybox-base
if $have_snap; then
  ok "snap remove busybox-base is refused with snapd's message" bash -c \
    "out=\$(snap remove busybox-base 2>&1); rc=\$?; [ \$rc -eq 1 ] &&
     [ \"\$(echo \"\$out\" | squeeze)\" = 'error: $msg' ] || { echo \"exit \$rc: \$out\"; exit 1; }"
  ok "snap remove devhello" snap remove devhello
fi
msg='cannot remove "busybox-base": snap "busybox-base" is not removable: snap is being used by snap hello.'
fails_with "with one user left, the refusal names it" "^snapc: error: $msg\$" snapc remove busybox-base
ok "the refusals changed nothing: the base is mounted and hello runs" bash -c \
  "grep -q ' $R/snap/busybox-base/x1 ' /proc/self/mounts && [ \"\$($R/snap/bin/hello)\" = 'Hello, world from hello' ]"
ok "remove hello" snapc remove hello
ok "now the base can be removed" snapc remove busybox-base
ok "nothing of the base is left" nothing_of busybox-base
# a base and its last user may go in one change (snapd 2.57 refuses this too)
ok "reinstall the base and hello" snapc install --dangerous "$BASE" "$HELLO"
ok "remove hello and busybox-base in one change" snapc remove hello busybox-base
ok "nothing of either is left" bash -c "nothing_of hello && nothing_of busybox-base"
# (run/snapd/ns stays: a private bind mount of itself that holds the preserved namespaces)
ok "no mount, preserved namespace or loop device left" bash -c \
  "[ \$(t_mounts_for $R/snap) = 0 ] && ! grep -q ' $R/run/snapd/ns/' /proc/self/mounts && [ \$(t_loops_for $R/) = 0 ]"
t_daemon_stop
t_end
