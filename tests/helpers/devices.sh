# SPDX-License-Identifier: GPL-3.0-only
# shellcheck shell=bash
# devices.sh: device nodes and device cgroups for tests/integration/{devcgroup,interfaces,
# confine-sandbox}.sh (sourced after libtest.sh and t_begin; docs/testing.md "Devices").
#
# Tests make the devices they need instead of depending on the machine's: loop devices they
# set up (block 7:N) and /dev/loop-control (char 10:237) exist wherever snapd-c works (it
# mounts snaps with them). A node at a path an interface names is made with mknod when the
# machine has none, and removed at exit.
#
# Both device cgroup versions are checked on every host that has them: v1 where the devices
# controller is mounted, v2 (the BPF device program) wherever a cgroup2 file system is
# mounted, forced with SNAPC_DEVCGROUP=v2 on a hybrid host. DEV_MODES lists them. No v1 file
# is read when the v2 path is in use.
#
#   dev_loop NAME [MIN]      DEV_LOOP=/dev/loopN: a 1 MiB loop device backed by $T/NAME.img,
#                            N >= MIN (t_cleanup detaches it; devices added with LOOP_CTL_ADD
#                            are removed by dev_cleanup). Call it directly, not in $(...)
#   dev_num NODE             "b 7:3" / "c 10:237"
#   dev_node PATH TYPE MAJ MIN  a test-made node at PATH (must not exist), removed at exit
#                            (call it directly, not in $(...) or cf_step: it records the node)
#   dev_misc_node NAME PATH MINOR  the kernel's misc device NAME at PATH: the real node if the
#                            kernel has it (made if /dev lacks it), else a node with the misc
#                            numbers and no driver behind them (opens with ENODEV); sets
#                            DEV_REAL_<NAME>=1|0. Serialised across test runs by a lock, as
#                            PATH is the host's
#   cg_group_of FILE MODE    the group in MODE's hierarchy (v1: the devices line, v2: the 0::
#                            line) of a /proc/PID/cgroup FILE (or a copy), without the leading /
#   cg_other_lines FILE MODE that FILE without MODE's line (to compare with the caller's)
#   cg_devices MODE GROUP    the device set of GROUP, sorted, one "TYPE MAJ:MIN" a line
#                            (v1: devices.list, v2: the attached program read back)
#   launch_devices TAG       the `device` lines of TAG's launch description (under $DEV_ROOT,
#                            default $SNAPC_ROOT), same format
#   bpfq query|alive|devices ARG  tests/helpers/devcg-bpf.py
#   want_devices [DEV...]    the standard nodes and DEV... ("b 7:3"), sorted as cg_devices
#   dev_gadget_slots YAML LOOP  add custom-device slots loopdev (LOOP) and loopctl
#                            (/dev/loop-control) to a gadget's snap.yaml
#   ok_out DESC WANT CMD...  CMD exits 0 and its output, words joined by one space, is WANT

DEV_V1DIR=/sys/fs/cgroup/devices
DEV_V2MNT=$(awk '$9 == "cgroup2" && $4 == "/" {print $5; exit}' /proc/self/mountinfo)
DEV_MODES=""
[ -w "$DEV_V1DIR/devices.allow" ] && DEV_MODES="v1"
[ -n "$DEV_V2MNT" ] && DEV_MODES="${DEV_MODES:+$DEV_MODES }v2"
_dev_nodes=""
_dev_loopctl=""

bpfq() { python3 "$SNAPC_SRC/tests/helpers/devcg-bpf.py" "$@"; }

dev_num() {
  local t
  case "$(stat -c %F "$1")" in
    "block special file") t=b ;;
    "character special file") t=c ;;
    *) return 1 ;;
  esac
  printf '%s %d:%d\n' "$t" "0x$(stat -c %t "$1")" "0x$(stat -c %T "$1")"
}

dev_loop() { # NAME [MIN]
  local img=$T/$1.img min=${2:-0} n l
  DEV_LOOP=""
  head -c 1048576 /dev/zero >"$img" || return 1
  if [ "$min" -eq 0 ]; then
    DEV_LOOP=$(losetup --find --show "$img")
    return
  fi
  # the first number >= MIN that is free: an existing device that is not bound, or a new one
  # made with LOOP_CTL_ADD (another run may bind it first: then the next number)
  for n in $(seq "$min" 999); do
    l=/dev/loop$n
    if [ -e "/sys/block/loop$n" ]; then
      [ -b "$l" ] && [ ! -e "/sys/block/loop$n/loop/backing_file" ] &&
        losetup "$l" "$img" 2>/dev/null && { DEV_LOOP=$l; return 0; }
      continue
    fi
    python3 -c 'import fcntl,os,sys
fd = os.open("/dev/loop-control", os.O_RDWR)
try:
    fcntl.ioctl(fd, 0x4C80, int(sys.argv[1]))  # LOOP_CTL_ADD
except OSError as e:
    sys.exit(1)' "$n" || continue
    _dev_loopctl="$_dev_loopctl $n"
    for _ in $(seq 50); do [ -b "$l" ] && break; sleep 0.02; done
    [ -b "$l" ] || dev_node "$l" b 7 "$n" || return 1 # no devtmpfs: make the node
    losetup "$l" "$img" 2>/dev/null && { DEV_LOOP=$l; return 0; }
  done
  return 1
}

dev_node() { # PATH TYPE MAJ MIN
  [ ! -e "$1" ] || return 1
  mknod -m 0600 "$1" "$2" "$3" "$4" || return 1
  _dev_nodes="$_dev_nodes $1"
}

_dev_lock_fd=""
dev_misc_node() { # NAME PATH MINOR
  local path=$2 minor=$3 sys=/sys/class/misc/$1 var=DEV_REAL_${1//-/_}
  if [ -z "$_dev_lock_fd" ]; then
    exec {_dev_lock_fd}>>/tmp/snapc-tests-devnodes.lock
    flock -w 600 "$_dev_lock_fd" || return 1
  fi
  if [ -e "$sys/dev" ]; then
    printf -v "$var" 1
    local mm
    mm=$(cat "$sys/dev")
    if [ ! -e "$path" ]; then
      dev_node "$path" c "${mm%:*}" "${mm#*:}" || return 1
    fi
    [ "$(dev_num "$path")" = "c $mm" ]
    return
  fi
  printf -v "$var" 0
  # a node left by a run that was killed is ours to replace (the lock is held)
  [ "$(dev_num "$path" 2>/dev/null)" = "c 10:$minor" ] && rm -f "$path"
  dev_node "$path" c 10 "$minor"
}

dev_cleanup() {
  local p
  for p in $_dev_nodes; do rm -f "$p"; done
  _dev_nodes=""
  for p in $_dev_loopctl; do
    losetup -d "/dev/loop$p" 2>/dev/null
    python3 -c 'import fcntl,os,sys
fd = os.open("/dev/loop-control", os.O_RDWR)
fcntl.ioctl(fd, 0x4C81, int(sys.argv[1]))  # LOOP_CTL_REMOVE' "$p" 2>/dev/null
  done
  _dev_loopctl=""
}

cg_group_of() { # FILE MODE
  if [ "$2" = v1 ]; then
    sed -n 's/^[0-9]*:devices:\///p' "$1"
  else
    sed -n 's/^0::\///p' "$1"
  fi
}

cg_other_lines() { # FILE MODE
  if [ "$2" = v1 ]; then grep -v '^[0-9]*:devices:' "$1"; else grep -v '^0::' "$1"; fi
}

cg_devices() { # MODE GROUP
  [ -n "$2" ] || return 1
  if [ "$1" = v1 ]; then
    # every entry must be rwm: anything else prints as is and cannot match
    sed 's/ rwm$//' "$DEV_V1DIR/$2/devices.list" | sort
  else
    bpfq devices "$DEV_V2MNT/$2" | sort
  fi
}

launch_devices() { # TAG
  sed -n 's/^device //p' "${DEV_ROOT:-${SNAPC_ROOT:?}}/var/lib/snapd/confine/$1.launch" | sort
}
# the nodes every tag may use (docs/confinement.md "Devices")
want_devices() {
  printf '%s\n' "c 1:3" "c 1:5" "c 1:7" "c 1:8" "c 1:9" "c 5:0" "c 5:1" "c 5:2" "c 136:*" "$@" | sort
}

dev_gadget_slots() { # YAML LOOP
  cat >>"$1" <<YAML
  # added by the test (tests/helpers/devices.sh): devices the test made
  loopdev:
    interface: custom-device
    devices: [$2]
  loopctl:
    interface: custom-device
    devices: [/dev/loop-control]
YAML
}

ok_out() {
  local desc=$1 want=$2
  shift 2
  local out rc=0 got
  out=$("$@" 2>&1) || rc=$?
  got=$(printf '%s\n' "$out" | tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//')
  if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then
    _t_report ok "$desc"
  else
    _t_report fail "$desc"
    printf '#   command: %s (exit %d)\n#   want: %s\n#   got:  %s\n' "$*" "$rc" "$want" "$got"
  fi
}
export -f cg_devices launch_devices bpfq want_devices
export SNAPC_SRC
export DEV_V1DIR DEV_V2MNT
