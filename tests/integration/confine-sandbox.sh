#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# The sandbox holds: snapc run starts apps in the busybox base with the snapd environment,
# and every denial is paired with the same action succeeding outside the sandbox.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
. "$SNAPC_SRC/tests/helpers/confine-fixture.sh"
trap cf_cleanup EXIT
cf_setup
LIB=$R/var/lib/snapd

# ---- files the backends wrote ----
for tag in snap.ctest.run snap.ctest.svc snap.ctest.hook.install; do
  ok "$tag: launch, .src, .bin2, AppArmor profile exist" test -f "$LIB/confine/$tag.launch" \
    -a -f "$LIB/seccomp/bpf/$tag.src" -a -f "$LIB/seccomp/bpf/$tag.bin2" \
    -a -f "$LIB/apparmor/profiles/$tag"
done
ok "policy files are root-owned and not group/world writable" sh -c \
  "! find '$LIB/confine' '$LIB/seccomp' '$LIB/apparmor' -type f \\( ! -user root -o -perm /022 \\) | grep -q ."
ok ".bin2 starts with snapd's header (SC, version 1)" sh -c \
  "[ \"\$(head -c 3 '$LIB/seccomp/bpf/snap.ctest.run.bin2' | od -An -c | tr -d ' ')\" = 'SC001' ]"
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
ok "hello from the sandbox" sh -c "[ \"\$(snapc run --root '$R' ctest.run /bin/echo hello)\" = hello ]"
ok "/ is the busybox base" sh -c "snapc run --root '$R' ctest.run /bin/sh -c 'readlink /bin/sh' | grep -qx busybox"
cf_run ctest.run /bin/sh -c 'env' >"$T/env.txt" 2>&1
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
ok "caller environment passes through byte-exact" sh -c "
  v=\$(printf 'a b\\nc\\377\\376')
  got=\$(WEIRD=\"\$v\" snapc run --root '$R' ctest.run /bin/sh -c 'printf %s \"\$WEIRD\"' | od -An -tx1)
  [ \"\$got\" = \"\$(printf %s \"\$v\" | od -An -tx1)\" ]"

# ---- arguments, byte for byte ----
args=("plain" "with space" $'new\nline' $'\xff\xfe-not-utf8' "" "--" "-x" '$SNAP' '*')
expect=$(for a in "${args[@]}"; do printf '%s\0' "$a"; done | od -An -tx1)
got=$(cf_run ctest.argv "${args[@]}" | od -An -tx1)
ok "arguments arrive byte-exact (spaces, newline, non-UTF-8, empty, --, \$SNAP, *)" \
  test "$got" = "$expect"
got=$(cf_run ctest.chained tail | tr '\0' '|')
ok "command-chain runs first; \$VAR in command args expanded, empty ones dropped" \
  test "$got" = "chain: /snap/ctest/x1/bin/chain
ctest|arg2|tail|"

# ---- files: host secrets, writes, other snaps ----
ok "unconfined: /etc/shadow is readable" sh -c "head -c1 /etc/shadow >/dev/null"
fails "confined: /etc/shadow is not readable" cf_run ctest.run /bin/cat /etc/shadow
ok "confined: try-syscall read=/etc/shadow is refused" sh -c \
  "snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall read=/etc/shadow | grep -qv OK"
ok "confined: host /etc/passwd is shared" sh -c \
  "snapc run --root '$R' ctest.run /bin/cat /etc/passwd | cmp -s - /etc/passwd"
probe() { # APP PROBE... -> prints "name result" lines
  local app=$1; shift
  snapc run --root "$R" "ctest.$app" /snap/ctest/x1/bin/try-syscall "$@" 2>&1
}
for w in /var/snap/ctest/x1/f /var/snap/ctest/common/f /root/snap/ctest/x1/f /root/snap/ctest/common/f /tmp/f; do
  ok "confined: can write $w" sh -c "[ \"\$(snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall write=$w)\" = 'write OK' ]"
done
ok "unconfined: can write \$R/root/outside" "$CF_TRY" write="$R/root/outside"
ok "confined: cannot write the real home (/root/outside)" sh -c \
  "[ \"\$(snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall write=/root/outside)\" = 'write EACCES' ]"
ok "confined: cannot write next to its data dirs (/var/snap/ctest/f)" sh -c \
  "[ \"\$(snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall write=/var/snap/ctest/f)\" = 'write EACCES' ]"
ok "confined: cannot write /var/lib/snapd (read-only)" sh -c \
  "snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall write=/var/lib/snapd/x | grep -qE 'EACCES|EROFS'"
mkdir -p "$R/var/snap/other/x1" && echo secret >"$R/var/snap/other/x1/secret"
ok "unconfined: another snap's data is readable" "$CF_TRY" read="$R/var/snap/other/x1/secret"
ok "confined: another snap's data is not readable" sh -c \
  "[ \"\$(snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall read=/var/snap/other/x1/secret ls=/var/snap/other)\" = 'read EACCES
ls EACCES' ]"
ok "confined: /tmp is private to the snap" sh -c "
  snapc run --root '$R' ctest.run /bin/sh -c 'echo private >/tmp/mark' &&
  [ -f '$R/tmp/snap-private-tmp/snap.ctest/tmp/mark' ] && [ ! -e /tmp/mark ]"

# ---- system calls: EPERM inside (also for a service that keeps its capabilities),
#      anything but EPERM outside ----
calls="mount umount pivot_root chroot kexec_load init_module finit_module delete_module ptrace bpf
  unshare_user setns keyctl add_key request_key swapon swapoff reboot settimeofday clock_settime
  acct quotactl perf_event_open open_by_handle_at userfaultfd netlink_audit packet mknod_chr"
[ "$(uname -m)" = x86_64 ] && calls="$calls iopl ioperm"
"$CF_TRY" $calls >"$T/host.txt"
probe run $calls >"$T/app.txt"
probe svc $calls >"$T/svc.txt"
for c in $calls; do
  h=$(awk -v c="$c" '$1 == c {print $2}' "$T/host.txt")
  a=$(awk -v c="$c" '$1 == c {print $2}' "$T/app.txt")
  s=$(awk -v c="$c" '$1 == c {print $2}' "$T/svc.txt")
  ok "$c: EPERM confined (app $a, service $s), reachable unconfined ($h)" \
    test "$a" = EPERM -a "$s" = EPERM -a -n "$h" -a "$h" != EPERM
done
ok "service keeps capabilities, app has none; both no_new_privs + one seccomp filter" sh -c "
  snapc run --root '$R' ctest.svc /bin/grep -q 'CapEff:.*[1-9a-f]' /proc/self/status &&
  snapc run --root '$R' ctest.run /bin/grep -qx 'CapEff:	0000000000000000' /proc/self/status &&
  snapc run --root '$R' ctest.run /bin/grep -qx 'CapBnd:	0000000000000000' /proc/self/status &&
  snapc run --root '$R' ctest.run /bin/grep -qx 'NoNewPrivs:	1' /proc/self/status &&
  snapc run --root '$R' ctest.run /bin/grep -qx 'Seccomp_filters:	1' /proc/self/status"
probe run clone_user clone3 tiocsti tiocsti_high chmod_suid netlink_route unix inet getpid mknod_fifo >"$T/misc.txt"
"$CF_TRY" clone_user clone3 tiocsti tiocsti_high chmod_suid >"$T/misc-host.txt"
ok "clone(CLONE_NEWUSER) is denied (EACCES) but works unconfined" sh -c \
  "grep -qx 'clone_user EACCES' '$T/misc.txt' && grep -qx 'clone_user OK' '$T/misc-host.txt'"
ok "clone3 answers ENOSYS (libc falls back to clone)" grep -qx 'clone3 ENOSYS' "$T/misc.txt"
ok "TIOCSTI is denied, also with garbage in the upper 32 bits" sh -c \
  "grep -qx 'tiocsti EACCES' '$T/misc.txt' && grep -qx 'tiocsti_high EACCES' '$T/misc.txt' &&
   grep -qx 'tiocsti EBADF' '$T/misc-host.txt'"
ok "chmod u+s is denied (EACCES), reachable unconfined" sh -c \
  "grep -qx 'chmod_suid EACCES' '$T/misc.txt' && grep -qx 'chmod_suid ENOENT' '$T/misc-host.txt'"
ok "allowed: netlink route, unix, inet sockets, getpid, mknod of a fifo" sh -c \
  "grep -qx 'netlink_route OK' '$T/misc.txt' && grep -qx 'unix OK' '$T/misc.txt' &&
   grep -qx 'inet OK' '$T/misc.txt' && grep -qx 'getpid OK' '$T/misc.txt' &&
   grep -qx 'mknod_fifo ENOENT' '$T/misc.txt'"
ok "TCP bind is refused without a network grant (Landlock ABI >= 4)" sh -c \
  "[ \$(snapc debug sandbox-features --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"landlock\"][\"abi\"])') -lt 4 ] ||
   probe() { :; }; snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall tcp_bind=0 | grep -qx 'tcp_bind EACCES'"

# ---- devices ----
loopdev=$(findmnt -no SOURCE "$R/snap/ctest/x1")
ok "unconfined: the loop device $loopdev is readable" sh -c "[ \"\$('$CF_TRY' read=$loopdev)\" = 'read OK' ]"
ok "confined: $loopdev is not readable" sh -c \
  "snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall read=$loopdev | grep -qE '^read E(ACCES|PERM)$'"
ok "confined: /dev/null, /dev/zero, /dev/urandom work" cf_run ctest.run /bin/sh -c \
  'head -c 4 /dev/zero >/dev/null && echo x >/dev/null && head -c 4 /dev/urandom >/dev/null'
printf '@snap.ctest.dev\ndevice %s\nnet bind 8080\n@*\nmount ro /shared /var/snap/ctest/common/shared\n' "$loopdev" >"$T/policy"
mkdir -p "$R/shared" "$R/var/snap/ctest/common/shared" && echo from-host >"$R/shared/file"
ns_before=$(cf_run ctest.run /bin/readlink /proc/self/ns/mnt)
ok "grant $loopdev and TCP port 8080 to ctest.dev, bind a dir into the snap" snapc debug setup-profiles --root "$R" --policy "$T/policy" ctest x1
ok "a changed mount profile rebuilds the namespace, with the new entry (read-only)" sh -c "
  [ \"\$(snapc run --root '$R' ctest.run /bin/readlink /proc/self/ns/mnt)\" != '$ns_before' ] &&
  [ \"\$(snapc run --root '$R' ctest.run /bin/cat /var/snap/ctest/common/shared/file)\" = from-host ] &&
  [ \"\$(snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall write=/var/snap/ctest/common/shared/x)\" = 'write EROFS' ]"
ok "granted: ctest.dev reads $loopdev" sh -c \
  "[ \"\$(snapc run --root '$R' ctest.dev /snap/ctest/x1/bin/try-syscall read=$loopdev)\" = 'read OK' ]"
ok "still denied: ctest.run cannot read $loopdev" sh -c \
  "snapc run --root '$R' ctest.run /snap/ctest/x1/bin/try-syscall read=$loopdev | grep -qE '^read E(ACCES|PERM)$'"
cgpath=$(snapc run --root "$R" ctest.dev /bin/cat /proc/self/cgroup | sed -n 's/^[0-9]*:devices:\///p')
cg=/sys/fs/cgroup/devices/$cgpath
devnum=$(printf '%d:%d' "0x$(stat -c %t "$loopdev")" "0x$(stat -c %T "$loopdev")")
if [ -f /sys/fs/cgroup/devices/devices.list ]; then
  ok "ctest.dev runs in its own device cgroup ($cgpath) listing only granted nodes" sh -c "
    case '$cgpath' in snapc-*.snap.ctest.dev) ;; *) exit 1 ;; esac &&
    grep -qx 'b $devnum rwm' '$cg/devices.list' && grep -qx 'c 1:3 rwm' '$cg/devices.list' &&
    ! grep -q '^a ' '$cg/devices.list'"
else
  t_skip "device cgroup" "no cgroup v1 devices controller"
fi
ok "granted port 8080 can be bound, 8081 cannot" sh -c "
  out=\$(snapc run --root '$R' ctest.dev /snap/ctest/x1/bin/try-syscall tcp_bind=8080 tcp_bind=8081)
  [ \"\$out\" = 'tcp_bind OK
tcp_bind EACCES' ] || [ \$(snapc debug sandbox-features --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"landlock\"][\"abi\"])') -lt 4 ]"

# ---- the namespace is preserved and reused ----
ok "namespace preserved in run/snapd/ns/ctest.mnt (nsfs)" sh -c \
  "[ \"\$(stat -f -c %T '$R/run/snapd/ns/ctest.mnt')\" = nsfs ]"
ns1=$(cf_run ctest.run /bin/readlink /proc/self/ns/mnt)
ns2=$(cf_run ctest.svc /bin/readlink /proc/self/ns/mnt)
ok "warm launches join the same namespace ($ns1)" test -n "$ns1" -a "$ns1" = "$ns2"
ok "debug output says joined" sh -c "SNAPC_DEBUG=1 snapc run --root '$R' ctest.run /bin/true 2>&1 | grep -q 'joined the mount namespace'"
ok "the namespace is not the host's" test "$ns1" != "$(readlink /proc/self/ns/mnt)"

# ---- hooks, fds, signals, cwd ----
ok "install hook runs (snapc run --hook)" sh -c \
  "snapc run --root '$R' --hook install ctest && grep -q 'install hook as 0' '$R/var/snap/ctest/common/hook.log'"
ok "file descriptors above 2 are closed" sh -c \
  "exec 7</dev/null; [ \"\$(snapc run --root '$R' ctest.run /bin/ls /proc/self/fd | tr '\\n' ' ')\" = '0 1 2 3 ' ]"
ok "ignored signals are reset (SigIgn 0)" sh -c \
  "trap '' INT QUIT; snapc run --root '$R' ctest.run /bin/grep -qx 'SigIgn:	0000000000000000' /proc/self/status"
ok "wrapper symlink ROOT/snap/bin/ctest.run runs the app" sh -c "
  mkdir -p '$R/snap/bin' && ln -sf '$SNAPC_BIN/snapc-confine' '$R/snap/bin/ctest.run' &&
  [ \"\$(SNAPC_ROOT='$R' '$R/snap/bin/ctest.run' /bin/echo via-wrapper)\" = via-wrapper ]"

# ---- remove ----
ok "remove-profiles" snapc debug remove-profiles --root "$R" ctest
ok "profiles, launch files and namespace are gone" sh -c "
  ! ls '$LIB'/confine/snap.ctest.* '$LIB'/seccomp/bpf/snap.ctest.* '$LIB'/apparmor/profiles/snap.ctest.* 2>/dev/null | grep -q . &&
  [ \"\$(stat -f -c %T '$R/run/snapd')\" != nsfs ] && [ ! -e '$R/run/snapd/ns/ctest.mnt' ]"
ok "the device cgroup is gone" test -n "$cgpath" -a ! -e "$cg"
fails "a removed snap does not start" cf_run ctest.run /bin/true
t_end
