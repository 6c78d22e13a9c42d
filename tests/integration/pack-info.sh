#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# snapc pack / info / validate on the fixture snaps, the broken ones, and hostile files.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin

out=$T/out
mkdir -p "$out"

# --- good fixtures pack, and the result reads back ---
for s in hello svc hooks ifaces; do
  [ -d "$SNAPS/$s" ] || continue
  ok "pack $s" snapc pack "$SNAPS/$s" "$out"
done
f=$(ls "$out"/hello_*.snap 2>/dev/null | head -1)
ok "hello packed to <name>_<version>_<arch>.snap" test -n "$f"
ok "info reads the packed snap" snapc info "$f"
ok "info --json is valid JSON with a 64-char digest" \
  sh -c "snapc info --json '$f' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"name\"]==\"hello\" and len(d[\"sha3-384\"])==64, d'"
ok "digest matches an independent SHA3-384" sh -c "
  want=\$(python3 -c 'import hashlib,base64,sys; print(base64.urlsafe_b64encode(hashlib.sha3_384(open(sys.argv[1],\"rb\").read()).digest()).decode().rstrip(\"=\"))' '$f')
  got=\$(snapc info --json --no-digest '$f' >/dev/null; snapc info --json '$f' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"sha3-384\"])')
  [ \"\$want\" = \"\$got\" ]"
ok "small snaps are padded to 16 KiB" sh -c "[ \$(stat -c %s '$f') -ge 16384 ]"
ok "squashfs is xz, no fragments, root-owned" sh -c "
  unsquashfs -s '$f' | grep -q 'Compression xz' &&
  unsquashfs -s '$f' | grep -q 'Fragments are not stored' &&
  ! unsquashfs -lls '$f' | awk '{print \$2}' | grep -v '^root/root\$' | grep -q ."
ok "validate accepts the fixture dir" snapc validate "$SNAPS/hello"
ok "validate accepts the packed file" snapc validate "$f"

for c in zstd lz4 lzo; do
  ok "pack --compression $c" snapc pack --compression "$c" --filename "hello-$c.snap" "$SNAPS/hello" "$out"
  ok "info reads $c image" sh -c "snapc info --json '$out/hello-$c.snap' | grep -q '\"compression\":\"$c\"'"
done
fails "pack --compression bogus is refused" snapc pack --compression bogus "$SNAPS/hello" "$out"

# --- the busybox base ---
if [ -x /bin/busybox ] && [ -x "$SNAPS/make-busybox-base.sh" ]; then
  ok "assemble busybox base tree" "$SNAPS/make-busybox-base.sh" "$T/bb"
  ok "pack busybox base" snapc pack "$T/bb" "$out"
  ok "base keeps ownership of its files" sh -c "snapc info --json $out/busybox-base_*.snap | grep -q '\"type\":\"base\"'"
else
  t_skip "busybox base" "busybox-static not installed"
fi

# --- broken fixtures: each rejected, non-zero exit, no output file ---
if [ -d "$SNAPS/broken" ]; then
  for d in "$SNAPS"/broken/*/; do
    name=$(basename "$d")
    o=$T/broken-$name; mkdir -p "$o"
    fails "broken/$name is rejected by pack" snapc pack "$d" "$o"
    ok "broken/$name leaves no file behind" sh -c "[ -z \"\$(ls -A '$o')\" ]"
    fails "broken/$name is rejected by validate" snapc validate "$d"
  done
fi

# --- hostile .snap files for info/validate ---
head -c 100 /dev/urandom > "$T/random.snap"
fails "info refuses random bytes" snapc info "$T/random.snap"
ok "error names the file" sh -c "snapc info '$T/random.snap' 2>&1 | grep -q random.snap"
head -c 1000 "$f" > "$T/trunc.snap"
fails "info refuses a truncated image" snapc info "$T/trunc.snap"
ok "truncation is reported as such" sh -c "snapc info '$T/trunc.snap' 2>&1 | grep -qi truncated"
: > "$T/empty.snap"
fails "info refuses an empty file" snapc info "$T/empty.snap"
fails "info on a missing file" snapc info "$T/missing.snap"

# huge snap.yaml (> 1 MiB) and a YAML bomb, packed with mksquashfs directly
mkdir -p "$T/huge/meta"
{ echo "name: huge"; echo "version: '1'"; python3 -c "print('description: ' + 'x'*1100000)"; } > "$T/huge/meta/snap.yaml"
fails "pack refuses snap.yaml > 1 MiB" snapc pack "$T/huge" "$T/huge-out"
mksquashfs "$T/huge" "$T/huge.snap" -noappend -quiet >/dev/null 2>&1
fails "info refuses snap.yaml > 1 MiB in an image" snapc info "$T/huge.snap"
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
ok "duplicate environment key is reported with line:col" sh -c "snapc validate '$T/bomb' 2>&1 | grep -q 'snap.yaml:5:3: environment: found duplicate key'"

# --- usage ---
ok "snapc --help" snapc --help
ok "snapc pack --help" snapc pack --help
fails "unknown command exits 2" sh -c 'snapc frobnicate; [ $? -eq 2 ] && exit 1 || exit 0'

t_end
