#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# The sandbox holds: snapc run starts apps in the busybox base with the snapd environment,
# and every denial is paired with the same action succeeding outside the sandbox.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
. "$SNAPC_SRC/tests/helpers/confine-fixture.sh"
. "$SNAPC_SRC/tests/helpers/devices.sh"
trap cf_cleanup EXIT
cf_setup
cf_need_landlock
abi=$CF_LANDLOCK_ABI
LIB=$R/var/lib/snapd
export DEV_ROOT=$R # for launch_devices
dev_loop other || cf_fail_all "cannot set up a loop device"
OTHER_LOOP=$DEV_LOOP

# ---- files the backends wrote ----
for tag in snap.ctest.run snap.ctest.svc snap.ctest.hook.install; do
  ok "$tag: launch, .src, .bin2, AppArmor profile exist" test -f "$LIB/confine/$tag.launch" \
    -a -f "$LIB/seccomp/bpf/$tag.src" -a -f "$LIB/seccomp/bpf/$tag.bin2" \
    -a -f "$LIB/apparmor/profiles/$tag"
done
ok_out "policy files are root-owned and not group/world writable" "" \
  find "$LIB/confine" "$LIB/seccomp" "$LIB/apparmor" -type f \( ! -user root -o -perm /022 \)
ok_out ".bin2 starts with snapd's header (SC, version 1)" "S C 001" \
  od -An -c -N 3 "$LIB/seccomp/bpf/snap.ctest.run.bin2"
if command -v apparmor_parser >/dev/null; then
  for f in "$LIB"/apparmor/profiles/snap.ctest.*; do
    ok "apparmor_parser -QK accepts $(basename "$f")" apparmor_parser -QK "$f"
  done
else
  t_skip "AppArmor profiles compile" "apparmor_parser not installed"
fi
for f in "$LIB"/seccomp/bpf/snap.ctest.*.src; do
  ok "seccomp source $(basename "$f") compiles" snapc debug compile-seccomp "$f" "$T/out.bin2"
done
ok "compiled blob equals the installed one (deterministic)" \
  cmp "$T/out.bin2" "$LIB/seccomp/bpf/snap.ctest.run.bin2"

# ---- it runs, with snapd's environment ----
TRY=/snap/ctest/x1/bin/try-syscall
probe() { # APP PROBE... -> prints "name result" lines
  local app=$1
  shift
  snapc run --root "$R" "ctest.$app" "$TRY" "$@"
}
ok_out "hello from the sandbox" hello cf_run ctest.run /bin/echo hello
ok_out "/ is the busybox base" busybox cf_run ctest.run /bin/sh -c 'readlink /bin/sh'
ok "the environment of an app" bash -c "snapc run --root '$R' ctest.run /bin/sh -c env >'$T/env.txt'"
want_env() { ok "env $1" grep -qxF -- "$1" "$T/env.txt"; }
want_env "SNAP=/snap/ctest/x1"
want_env "SNAP_NAME=ctest"
want_env "SNAP_INSTANCE_NAME=ctest"
want_env "SNAP_INSTANCE_KEY="
want_env "SNAP_REVISION=x1"
want_env "SNAP_VERSION=1.0"
want_env "SNAP_ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)"
want_env "SNAP_DATA=/var/snap/ctest/x1"
want_env "SNAP_COMMON=/var/snap/ctest/common"
want_env "SNAP_USER_DATA=/root/snap/ctest/x1"
want_env "SNAP_USER_COMMON=/root/snap/ctest/common"
want_env "SNAP_REAL_HOME=/root"
want_env "SNAP_UID=0"
want_env "SNAP_EUID=0"
want_env "HOME=/root/snap/ctest/x1"
want_env "SNAP_LIBRARY_PATH=/var/lib/snapd/lib/gl:/var/lib/snapd/lib/gl32:/var/lib/snapd/void"
want_env "SNAP_LEVEL=top"
want_env "LEVEL_REF=top-app"
want_env "APP_VAR=value with spaces"
want_env "EXPANDED=/var/snap/ctest/x1/x"
want_env 'BRACED=ctest::$'
ok "user data dirs were created" test -d "$R/root/snap/ctest/x1" -a -d "$R/root/snap/ctest/common"
ok "caller environment passes through byte-exact" bash -c "
  v=\$(printf 'a b\\nc\\377\\376')
  WEIRD=\"\$v\" snapc run --root '$R' ctest.run /bin/sh -c 'printf %s \"\$WEIRD\"' >'$T/weird' &&
  [ \"\$(od -An -tx1 <'$T/weird')\" = \"\$(printf %s \"\$v\" | od -An -tx1)\" ]"

# ---- arguments, byte for byte ----
args=("plain" "with space" $'new\nline' $'\xff\xfe-not-utf8' "" "--" "-x" '$SNAP' '*')
for a in "${args[@]}"; do printf '%s\0' "$a"; done >"$T/argv.want"
ok "arguments arrive byte-exact (spaces, newline, non-UTF-8, empty, --, \$SNAP, *)" bash -c \
  'snapc run --root "$1" ctest.argv "${@:3}" >"$2.got" && cmp "$2.got" "$2.want"' _ "$R" "$T/argv" "${args[@]}"
ok "command-chain runs first; \$VAR in command args expanded, empty ones dropped" bash -c "
  snapc run --root '$R' ctest.chained tail >'$T/chain' &&
  [ \"\$(tr '\\0' '|' <'$T/chain')\" = 'chain: /snap/ctest/x1/bin/chain
ctest|arg2|tail|' ]"

# ---- files: host secrets, writes, other snaps ----
ok_out "unconfined: /etc/shadow is readable" "read OK" "$CF_TRY" read=/etc/shadow
ok_out "confined: the host's /etc/shadow is not there (the base's /etc has none)" "read ENOENT" probe run read=/etc/shadow
ok "confined: host /etc/passwd is shared" bash -c \
  "snapc run --root '$R' ctest.run /bin/cat /etc/passwd >'$T/passwd' && cmp '$T/passwd' /etc/passwd"
for w in /var/snap/ctest/x1/f /var/snap/ctest/common/f /root/snap/ctest/x1/f /root/snap/ctest/common/f /tmp/f; do
  ok_out "confined: can write $w" "write OK" probe run write=$w
done
ok_out "unconfined: can write \$R/root/outside" "write OK" "$CF_TRY" write="$R/root/outside"
ok_out "confined: cannot write the real home (/root/outside)" "write EACCES" probe run write=/root/outside
ok_out "confined: cannot write next to its data dirs (/var/snap/ctest/f)" "write EACCES" probe run write=/var/snap/ctest/f
ok_out "confined: cannot write /var/lib/snapd (read-only)" "write EROFS" probe run write=/var/lib/snapd/x
mkdir -p "$R/var/snap/other/x1" && echo secret >"$R/var/snap/other/x1/secret"
ok_out "unconfined: another snap's data is readable" "read OK ls OK" "$CF_TRY" read="$R/var/snap/other/x1/secret" ls="$R/var/snap/other"
ok_out "confined: another snap's data is not readable" "read EACCES ls EACCES" \
  probe run read=/var/snap/other/x1/secret ls=/var/snap/other
ok "confined: /tmp is private to the snap" bash -c "
  snapc run --root '$R' ctest.run /bin/sh -c 'echo private >/tmp/mark' &&
  [ -f '$R/tmp/snap-private-tmp/snap.ctest/tmp/mark' ] && [ ! -e /tmp/mark ]"

# ---- system calls: EPERM inside (also for a service that keeps its capabilities),
#      anything but EPERM outside ----
calls="mount umount pivot_root chroot kexec_load init_module finit_module delete_module ptrace bpf
  unshare_user setns keyctl add_key request_key swapon swapoff reboot settimeofday clock_settime
  acct quotactl perf_event_open open_by_handle_at userfaultfd netlink_audit packet mknod_chr"
[ "$(uname -m)" = x86_64 ] && calls="$calls iopl ioperm"
ncalls=$(echo $calls | wc -w)
ok "the probes run unconfined, as an app and as a service" bash -c "
  '$CF_TRY' $(echo $calls) >'$T/host.txt' &&
  snapc run --root '$R' ctest.run $TRY $(echo $calls) >'$T/app.txt' &&
  snapc run --root '$R' ctest.svc $TRY $(echo $calls) >'$T/svc.txt' &&
  [ \$(cat '$T/host.txt' '$T/app.txt' '$T/svc.txt' | wc -l) = $((3 * ncalls)) ]"
for c in $calls; do
  h=$(awk -v c="$c" '$1 == c {print $2}' "$T/host.txt")
  a=$(awk -v c="$c" '$1 == c {print $2}' "$T/app.txt")
  s=$(awk -v c="$c" '$1 == c {print $2}' "$T/svc.txt")
  ok "$c: EPERM confined (app $a, service $s), reachable unconfined ($h)" \
    test "$a" = EPERM -a "$s" = EPERM -a -n "$h" -a "$h" != EPERM
done
ok_with "service keeps capabilities" '^CapEff:.*[1-9a-f]' snapc run --root "$R" ctest.svc /bin/cat /proc/self/status
ok "app has none, with an empty bounding set; both no_new_privs + one seccomp filter" bash -c "
  snapc run --root '$R' ctest.run /bin/cat /proc/self/status >'$T/status.app' &&
  snapc run --root '$R' ctest.svc /bin/cat /proc/self/status >'$T/status.svc' &&
  grep -qx 'CapEff:	0000000000000000' '$T/status.app' && grep -qx 'CapBnd:	0000000000000000' '$T/status.app' &&
  grep -qx 'NoNewPrivs:	1' '$T/status.app' && grep -qx 'Seccomp_filters:	1' '$T/status.app' &&
  grep -qx 'NoNewPrivs:	1' '$T/status.svc' && grep -qx 'Seccomp_filters:	1' '$T/status.svc'"
ok "misc probes run confined and unconfined" bash -c "
  snapc run --root '$R' ctest.run $TRY clone_user clone3 tiocsti tiocsti_high chmod_suid netlink_route unix inet getpid mknod_fifo >'$T/misc.txt' &&
  '$CF_TRY' clone_user clone3 tiocsti tiocsti_high chmod_suid >'$T/misc-host.txt'"
ok "clone(CLONE_NEWUSER) is denied (EACCES) but works unconfined" bash -c \
  "grep -qx 'clone_user EACCES' '$T/misc.txt' && grep -qx 'clone_user OK' '$T/misc-host.txt'"
ok "clone3 answers ENOSYS (libc falls back to clone)" grep -qx 'clone3 ENOSYS' "$T/misc.txt"
ok "TIOCSTI is denied, also with garbage in the upper 32 bits" bash -c \
  "grep -qx 'tiocsti EACCES' '$T/misc.txt' && grep -qx 'tiocsti_high EACCES' '$T/misc.txt' &&
   grep -qx 'tiocsti EBADF' '$T/misc-host.txt'"
ok "chmod u+s is denied (EACCES), reachable unconfined" bash -c \
  "grep -qx 'chmod_suid EACCES' '$T/misc.txt' && grep -qx 'chmod_suid ENOENT' '$T/misc-host.txt'"
ok "allowed: netlink route, unix, inet sockets, getpid, mknod of a fifo" bash -c \
  "grep -qx 'netlink_route OK' '$T/misc.txt' && grep -qx 'unix OK' '$T/misc.txt' &&
   grep -qx 'inet OK' '$T/misc.txt' && grep -qx 'getpid OK' '$T/misc.txt' &&
   grep -qx 'mknod_fifo ENOENT' '$T/misc.txt'"
if [ "$abi" -ge 4 ]; then
  ok_out "unconfined: TCP bind works" "tcp_bind OK" "$CF_TRY" tcp_bind=0
  ok_out "confined: TCP bind is refused without a network grant (Landlock ABI $abi)" "tcp_bind EACCES" probe run tcp_bind=0
else
  t_skip "TCP bind is refused without a network grant" "Landlock ABI $abi < 4: the kernel cannot confine TCP ports"
fi

# ---- devices: the loop device under the snap's own mount, granted to ctest.dev only; its
#      device cgroup in each mode of this host (tests/helpers/devices.sh) ----
loopdev=$(findmnt -no SOURCE "$R/snap/ctest/x1")
devnum=$(dev_num "$loopdev")
ok_out "unconfined: the loop device $loopdev is readable" "read OK" "$CF_TRY" read="$loopdev"
ok_out "confined: $loopdev is not readable (Landlock)" "read EACCES" probe run read="$loopdev"
ok "confined: /dev/null, /dev/zero, /dev/urandom work" cf_run ctest.run /bin/sh -c \
  'head -c 4 /dev/zero >/dev/null && echo x >/dev/null && head -c 4 /dev/urandom >/dev/null'
printf '@snap.ctest.dev\ndevice %s\nnet bind 8080\n@*\nmount ro /shared /var/snap/ctest/common/shared\n' "$loopdev" >"$T/policy"
mkdir -p "$R/shared" "$R/var/snap/ctest/common/shared" && echo from-host >"$R/shared/file"
ns_before=$(cf_run ctest.run /bin/readlink /proc/self/ns/mnt)
ok "grant $loopdev and TCP port 8080 to ctest.dev, bind a dir into the snap" snapc debug setup-profiles --root "$R" --policy "$T/policy" ctest x1
ok "a changed mount profile rebuilds the namespace" test "$(cf_run ctest.run /bin/readlink /proc/self/ns/mnt)" != "$ns_before"
ok_out "... with the new entry" from-host cf_run ctest.run /bin/cat /var/snap/ctest/common/shared/file
ok_out "... read-only" "write EROFS" probe run write=/var/snap/ctest/common/shared/x
ok "ctest.dev's launch description lists the standard nodes and $devnum" \
  diff <(launch_devices snap.ctest.dev) <(want_devices "$devnum")
cat /proc/self/cgroup >"$T/cgroup.caller"
for m in $DEV_MODES; do
  ok_out "$m: granted: ctest.dev reads $loopdev" "read OK" env SNAPC_DEVCGROUP=$m snapc run --root "$R" ctest.dev "$TRY" read="$loopdev"
  ok_out "$m: still denied: ctest.run cannot read $loopdev (Landlock)" "read EACCES" \
    env SNAPC_DEVCGROUP=$m snapc run --root "$R" ctest.run "$TRY" read="$loopdev"
  ok "$m: ctest.dev's group" bash -c \
    "SNAPC_DEVCGROUP=$m snapc run --root '$R' ctest.dev /bin/cat /proc/self/cgroup >'$T/cg.$m'"
  cgpath=$(cg_group_of "$T/cg.$m" "$m")
  ok "$m: ctest.dev runs in its own device cgroup ($cgpath), in the caller's groups elsewhere" bash -c "
    case '$cgpath' in snapc-*.snap.ctest.dev) ;; *) exit 1 ;; esac &&
    diff <(grep -v '$( [ $m = v1 ] && echo '^[0-9]*:devices:' || echo '^0::')' '$T/cg.$m') \
         <(grep -v '$( [ $m = v1 ] && echo '^[0-9]*:devices:' || echo '^0::')' '$T/cgroup.caller')"
  ok "$m: the group allows exactly the standard nodes and $devnum" \
    diff <(cg_devices "$m" "$cgpath") <(want_devices "$devnum")
  ok_out "$m: ctest.dev: the device cgroup denies a loop device it was not granted" "read EPERM" \
    env SNAPC_DEVCGROUP=$m snapc run --root "$R" ctest.dev "$TRY" read="$OTHER_LOOP"
done
if [ "$abi" -ge 4 ]; then
  ok_out "granted port 8080 can be bound, 8081 cannot (Landlock ABI $abi)" "tcp_bind OK tcp_bind EACCES" \
    probe dev tcp_bind=8080 tcp_bind=8081
else
  t_skip "granted port 8080 can be bound, 8081 cannot" "Landlock ABI $abi < 4: the kernel cannot confine TCP ports"
fi

# ---- the namespace is preserved and reused ----
ok_out "namespace preserved in run/snapd/ns/ctest.mnt (nsfs)" nsfs stat -f -c %T "$R/run/snapd/ns/ctest.mnt"
ns1=$(cf_run ctest.run /bin/readlink /proc/self/ns/mnt)
ns2=$(cf_run ctest.svc /bin/readlink /proc/self/ns/mnt)
ok "warm launches join the same namespace ($ns1)" test -n "$ns1" -a "$ns1" = "$ns2"
ok_with "debug output says joined" 'joined the mount namespace' env SNAPC_DEBUG=1 snapc run --root "$R" ctest.run /bin/true
ok "the namespace is not the host's" test "$ns1" != "$(readlink /proc/self/ns/mnt)"

# ---- hooks, fds, signals, cwd ----
ok "install hook runs (snapc run --hook)" bash -c \
  "snapc run --root '$R' --hook install ctest && grep -qx 'install hook as 0' '$R/var/snap/ctest/common/hook.log'"
ok_out "file descriptors above 2 are closed" "0 1 2 3" bash -c \
  "exec 7</dev/null; snapc run --root '$R' ctest.run /bin/ls /proc/self/fd"
ok_with "ignored signals are reset (SigIgn 0)" '^SigIgn:	0000000000000000$' bash -c \
  "trap '' INT QUIT; snapc run --root '$R' ctest.run /bin/cat /proc/self/status"
mkdir -p "$R/snap/bin" && ln -sf "$SNAPC_BIN/snapc-confine" "$R/snap/bin/ctest.run"
ok_out "wrapper symlink ROOT/snap/bin/ctest.run runs the app" via-wrapper env SNAPC_ROOT="$R" "$R/snap/bin/ctest.run" /bin/echo via-wrapper

# ---- remove ----
groups=""
for m in $DEV_MODES; do
  g=$(cg_group_of "$T/cg.$m" "$m")
  if [ "$m" = v1 ]; then groups="$groups $DEV_V1DIR/$g"; else groups="$groups $DEV_V2MNT/$g"; fi
done
ok "the device groups exist ($groups)" bash -c "for g in $groups; do [ -d \$g ] || exit 1; done"
ok "remove-profiles" snapc debug remove-profiles --root "$R" ctest
ok "profiles and launch files are gone" bash -c \
  "! ls '$LIB'/confine/snap.ctest.* '$LIB'/seccomp/bpf/snap.ctest.* '$LIB'/apparmor/profiles/snap.ctest.* 2>/dev/null"
ok "the namespace is gone" bash -c "[ \"\$(stat -f -c %T '$R/run/snapd')\" != nsfs ] && [ ! -e '$R/run/snapd/ns/ctest.mnt' ]"
ok "the device groups are gone" bash -c "for g in $groups; do [ ! -e \$g ] || exit 1; done"
fails "a removed snap does not start" cf_run ctest.run /bin/true
t_end
