#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# snapc pack / info / validate on the fixture snaps, the broken ones, and hostile files; the
# digest cache of snapc info; snapc pack interrupted by SIGINT.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin

out=$T/out
mkdir -p "$out"

# --- good fixtures pack, and the result reads back ---
for s in hello svc hooks ifaces; do
  ok "pack $s" snapc pack "$SNAPS/$s" "$out"
done
f=$out/hello_1.0_all.snap
ok "hello packed to <name>_<version>_<arch>.snap" test -f "$f"
ok_with "info reads the packed snap" '^name: +hello$' snapc info "$f"
ok "info --json is valid JSON with a 64-char digest" bash -c \
  "snapc info --json '$f' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"name\"]==\"hello\" and len(d[\"sha3-384\"])==64, d'"
# the digest as snapd's snap-revision assertion spells it: SHA3-384, base64url without padding
sha3() { python3 -c 'import hashlib,base64,sys; print(base64.urlsafe_b64encode(hashlib.sha3_384(open(sys.argv[1],"rb").read()).digest()).decode().rstrip("="))' "$1"; }
digest() { snapc info --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sha3-384"])'; }
export -f sha3 digest
ok "digest matches an independent SHA3-384" bash -c "[ \"\$(sha3 '$f')\" = \"\$(digest '$f')\" ]"
ok "small snaps are padded to 16 KiB" bash -c "[ \$(stat -c %s '$f') -eq 16384 ]"
ok_with "squashfs is xz" '^Compression xz$' unsquashfs -s "$f"
ok_with "squashfs stores no fragments" '^Fragments are not stored$' unsquashfs -s "$f"
# ownership: pack a tree owned by uid 1000; every inode of the image must be root's
cp -a "$SNAPS/hello" "$T/owned"
chown -R 1000:1000 "$T/owned" 2>/dev/null # as root; otherwise it is the test user's already
ok "the tree to pack is not root's" bash -c "[ \$(stat -c %u '$T/owned/meta/snap.yaml') != 0 ]"
ok "pack it" snapc pack --filename owned.snap "$T/owned" "$out"
ok "... every inode of the image is root/root (6 listed)" bash -c \
  "unsquashfs -lls '$out/owned.snap' | awk '{ n++; if (\$2 != \"root/root\") bad++ } END { exit !(n == 6 && bad == 0) }'"
ok "validate accepts the fixture dir" snapc validate "$SNAPS/hello"
ok "validate accepts the packed file" snapc validate "$f"

for c in zstd lz4 lzo; do
  ok "pack --compression $c" snapc pack --compression "$c" --filename "hello-$c.snap" "$SNAPS/hello" "$out"
  ok_with "info reads $c image" "\"compression\": *\"$c\"" snapc info --json "$out/hello-$c.snap"
done
fails_with "pack --compression bogus is refused" "unknown compression 'bogus'" snapc pack --compression bogus "$SNAPS/hello" "$T/bogus-out"
ok "... and writes nothing" test ! -e "$T/bogus-out"

# --- the busybox base ---
if [ -x /bin/busybox ]; then
  ok "assemble busybox base tree" "$SNAPS/make-busybox-base.sh" "$T/bb"
  ok "pack busybox base" snapc pack "$T/bb" "$out"
  ok_with "packed as a base" '"type": *"base"' snapc info --json "$out/busybox-base_1.35.0_all.snap"
else
  t_skip "busybox base" "busybox-static not installed"
fi

# --- broken fixtures: each rejected, non-zero exit, no output file ---
for d in "$SNAPS"/broken/*/; do
  name=$(basename "$d")
  o=$T/broken-$name; mkdir -p "$o"
  fails "broken/$name is rejected by pack" snapc pack "$d" "$o"
  ok "broken/$name leaves no file behind" bash -c "[ -d '$o' ] && [ -z \"\$(ls -A '$o')\" ]"
  fails "broken/$name is rejected by validate" snapc validate "$d"
done

# --- hostile .snap files for info/validate ---
head -c 100 /dev/urandom > "$T/random.snap"
fails_with "info refuses random bytes, naming the file" "'$T/random.snap': not a squashfs image \(bad magic\)" snapc info "$T/random.snap"
head -c 1000 "$f" > "$T/trunc.snap"
fails_with "info refuses a truncated image, as such" \
  "'$T/trunc.snap': truncated squashfs image \(superblock says [0-9]+ bytes, file has 1000\)" snapc info "$T/trunc.snap"
: > "$T/empty.snap"
fails_with "info refuses an empty file" "not a squashfs image \(0 bytes, too short\)" snapc info "$T/empty.snap"
fails_with "info on a missing file" "cannot open '$T/missing.snap': No such file or directory" snapc info "$T/missing.snap"

# huge snap.yaml (> 1 MiB) and a YAML bomb; the image is packed with mksquashfs directly
mkdir -p "$T/huge/meta"
{ echo "name: huge"; echo "version: '1'"; python3 -c "print('description: ' + 'x'*1100000)"; } > "$T/huge/meta/snap.yaml"
ok "the huge snap.yaml exists and is over 1 MiB" bash -c "[ \$(stat -c %s '$T/huge/meta/snap.yaml') -gt 1048576 ]"
fails_with "pack refuses snap.yaml > 1 MiB" "meta/snap.yaml: file is larger than the 1 MiB limit" snapc pack "$T/huge" "$T/huge-out"
ok "... and writes nothing" test ! -e "$T/huge-out"
ok "mksquashfs builds the image with the huge snap.yaml" mksquashfs "$T/huge" "$T/huge.snap" -noappend -quiet
ok "... the image holds it, over 1 MiB" bash -c "[ \$(unsquashfs -cat '$T/huge.snap' meta/snap.yaml | wc -c) -gt 1048576 ]"
fails_with "info refuses snap.yaml > 1 MiB in an image" "meta/snap.yaml is larger than 1048576 bytes" snapc info "$T/huge.snap"
mkdir -p "$T/bomb/meta"
python3 - "$T/bomb/meta/snap.yaml" <<'PY'
import sys
lines = ["name: bomb", "version: '1'", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
for i in range(1, 12):
    lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
fails "validate refuses a YAML alias bomb" timeout 10 snapc validate "$T/bomb"
printf 'name: \xff\xfe\nversion: 1\n' > "$T/bomb/meta/snap.yaml"
fails "validate refuses non-UTF-8" snapc validate "$T/bomb"
# snapd 2.57: a repeated key replaces the earlier one, except in environment maps
printf 'name: dup\nversion: 1\nname: dup2\n' > "$T/bomb/meta/snap.yaml"
ok "a repeated key replaces the earlier one" snapc validate "$T/bomb"
printf 'name: dup\nversion: 1\nenvironment:\n  A: 1\n  A: 2\n' > "$T/bomb/meta/snap.yaml"
fails_with "duplicate environment key is reported with line:col" 'snap.yaml:5:3: environment: found duplicate key' snapc validate "$T/bomb"

# --- the digest cache: user.snapc.sha3-384 = "SIZE:MTIME_S.MTIME_NS:DIGEST" ---
# Proven by serving a stale value: change the content keeping size and mtime, and info still
# answers the cached digest; change the mtime, and info recomputes it.
cp "$f" "$T/cached.snap"
xattr() { python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "user.snapc.sha3-384").decode())' "$1"; }
export -f xattr
if python3 -c 'import os,sys; os.setxattr(sys.argv[1], "user.snapc.probe", b"1")' "$T/cached.snap" 2>/dev/null; then
  ok "info --no-digest does not store a digest" bash -c "snapc info --no-digest '$T/cached.snap' >/dev/null && ! xattr '$T/cached.snap' 2>/dev/null"
  good=$(sha3 "$T/cached.snap")
  ok "info stores the digest keyed by size and mtime" bash -c "
    [ \"\$(digest '$T/cached.snap')\" = '$good' ] &&
    [ \"\$(xattr '$T/cached.snap')\" = \"\$(stat -c '%s:%Y' '$T/cached.snap').\$(python3 -c 'import os,sys; print(\"%09d\" % (os.stat(sys.argv[1]).st_mtime_ns % 10**9))' '$T/cached.snap'):$good\" ]"
  # flip a byte of the padding (after squashfs' bytes_used: the image still reads), keep the mtime
  python3 - "$T/cached.snap" <<'PY'
import os, struct, sys
p = sys.argv[1]
st = os.stat(p)
with open(p, "r+b") as fh:
    used = struct.unpack("<Q", fh.read(48)[40:48])[0]
    assert used + 100 < st.st_size, (used, st.st_size)
    fh.seek(used + 100)
    fh.write(b"\x01")
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
  new=$(sha3 "$T/cached.snap")
  ok "the content changed: the true digest is now different" test "$new" != "$good"
  ok "same size and mtime: info serves the cached digest (it did not read the file again)" \
    bash -c "[ \"\$(digest '$T/cached.snap')\" = '$good' ]"
  touch -d '2001-02-03 04:05:06.123456789' "$T/cached.snap"
  ok "mtime changed: info recomputes the digest" bash -c "[ \"\$(digest '$T/cached.snap')\" = '$new' ]"
  ok "... and stores it under the new key" bash -c "[ \"\$(xattr '$T/cached.snap')\" = \"\$(stat -c %s '$T/cached.snap'):981173106.123456789:$new\" ]"
  ok "a forged cache entry of another size is ignored" bash -c "
    python3 -c 'import os,sys; os.setxattr(sys.argv[1], \"user.snapc.sha3-384\", b\"1:981173106.123456789:\" + b\"A\" * 64)' '$T/cached.snap' &&
    [ \"\$(digest '$T/cached.snap')\" = '$new' ]"
else
  t_skip "digest cache" "the file system of $T has no user extended attributes"
fi

# --- SIGINT in the middle of a pack: nothing is left, the status says interrupted ---
mkdir -p "$T/large/meta" "$T/large/bin" "$T/large-out"
cp "$SNAPS/hello/meta/snap.yaml" "$T/large/meta/"; cp -a "$SNAPS/hello/bin/." "$T/large/bin/"
head -c 32M /dev/urandom > "$T/large/bin/blob"
# as from a terminal: SIGINT at its default disposition (a shell starts `&` jobs ignoring it)
env --default-signal=INT snapc pack "$T/large" "$T/large-out" >/dev/null 2>"$T/pack-int.err" &
pk=$!
child=""
# wait (untimed) for mksquashfs to run and to have written part of the image
while kill -0 "$pk" 2>/dev/null; do
  child=$(pgrep -P "$pk" -x mksquashfs || true)
  if [ -n "$child" ] && [ -n "$(find "$T/large-out" -name '*.partial.*' -size +0 2>/dev/null)" ]; then
    break
  fi
  sleep 0.01
done
partial=$(ls "$T/large-out")
excl=$( [ -n "$child" ] && tr '\0' '\n' <"/proc/$child/cmdline" | sed -n '/^-ef$/{n;p}')
kill -INT "$pk"
rc=0; wait "$pk" || rc=$?
ok "pack was interrupted mid-way: mksquashfs ran and a partial image existed ($partial)" \
  bash -c "[ -n '$child' ] && [[ '$partial' == hello_1.0_all.snap.partial.* ]] && [ -n '$excl' ]"
ok "snapc pack died of SIGINT (status 130)" test "$rc" -eq 130
ok "nothing is left in the output dir (no temp file, no .snap)" bash -c "[ -z \"\$(ls -A '$T/large-out')\" ]"
ok "the excludes file it passed to mksquashfs is gone" test ! -e "${excl:-/nonexistent}" -a -n "$excl"
ok "mksquashfs did not outlive it" bash -c "! kill -0 '${child:-0}' 2>/dev/null"
if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then kill -KILL "$child"; fi
ok "and it printed nothing on the way out" test ! -s "$T/pack-int.err"

# --- usage ---
ok_with "snapc --help" 'pack' snapc --help
ok_with "snapc pack --help" 'snapc pack' snapc pack --help
ok "unknown command exits 2" bash -c 'snapc frobnicate 2>/dev/null; [ $? -eq 2 ]'

t_end
