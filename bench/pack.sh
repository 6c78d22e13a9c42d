#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# Issue 2: snapc pack vs mksquashfs (same options) vs snap pack on a 50 MB tree of mixed files;
# snapc info of a 100 MB snap vs unsquashfs -cat.
set -euo pipefail
BIN=$1
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d /tmp/snapc-bench-pack.XXXXXX)
trap 'rm -rf "$W"' EXIT
SNAPC=$BIN/snapc

# a 50 MB tree: compressible text, random binaries, many small files, symlinks
mkdir -p "$W/tree/meta" "$W/tree/bin" "$W/tree/usr/share/doc" "$W/tree/lib" "$W/tree/data"
cat > "$W/tree/meta/snap.yaml" <<'Y'
name: benchsnap
version: '1.0'
summary: a 50 MB tree of mixed files
apps:
  run:
    command: bin/run
Y
printf '#!/bin/sh\necho run\n' > "$W/tree/bin/run"; chmod 755 "$W/tree/bin/run"
python3 - "$W/tree" <<'PY'
import os, random, sys
random.seed(42)
top = sys.argv[1]
words = [''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(random.randint(2, 9))) for _ in range(5000)]
def text(n):
    out = []
    size = 0
    while size < n:
        w = random.choice(words); out.append(w); size += len(w) + 1
    return (' '.join(out))[:n].encode()
for i in range(8):      # 8 x 2.5 MB random (incompressible)
    open(f'{top}/lib/blob{i}.so', 'wb').write(os.urandom(2_500_000))
for i in range(10):     # 10 x 2 MB text
    open(f'{top}/usr/share/doc/doc{i}.txt', 'wb').write(text(2_000_000))
for i in range(2000):   # 2000 small files, ~5 KB
    d = f'{top}/data/d{i % 50}'
    os.makedirs(d, exist_ok=True)
    open(f'{d}/f{i}.json', 'wb').write(text(random.randint(100, 10000)))
for i in range(100):
    os.symlink(f'../lib/blob{i % 8}.so', f'{top}/bin/link{i}')
PY
size=$(du -sm "$W/tree" | cut -f1)
echo "pack: tree of ${size} MB"
runs=5
t_snapc=$(median_ms $runs "$SNAPC" pack "$W/tree" "$W/o1")
t_mksq=$(median_ms $runs mksquashfs "$W/tree" "$W/o2.snap" -noappend -comp xz -no-fragments -all-root -no-xattrs -no-progress -quiet)
result "pack 50 MB tree: snapc pack (median of $runs)" "$t_snapc" ms "<=1.05x"
result "pack 50 MB tree: mksquashfs, same options" "$t_mksq" ms "" "snapc/mksquashfs = $(ratio "$t_snapc" "$t_mksq")x"
if command -v snap >/dev/null; then
  t_snap=$(median_ms $runs snap pack "$W/tree" "$W/o3")
  result "pack 50 MB tree: snap pack (peer)" "$t_snap" ms "" "snapc/snap = $(ratio "$t_snapc" "$t_snap")x"
fi
t_zstd=$(median_ms $runs "$SNAPC" pack --compression zstd --filename z.snap "$W/tree" "$W/o4")
result "pack 50 MB tree: snapc pack --compression zstd" "$t_zstd" ms "" "vs xz $(ratio "$t_zstd" "$t_snapc")x"

# info of a 100 MB snap
mkdir -p "$W/big/meta" "$W/big/bin"
cp "$W/tree/meta/snap.yaml" "$W/big/meta/"; cp "$W/tree/bin/run" "$W/big/bin/"
head -c 100000000 /dev/urandom > "$W/big/bin/payload"
"$SNAPC" pack --compression lz4 "$W/big" "$W/bigout" >/dev/null
f=$(ls "$W"/bigout/*.snap)
echo "info: $(du -m "$f" | cut -f1) MB snap"
"$SNAPC" info "$f" >/dev/null   # computes and caches the digest
t_info=$(hf_median_ms 50 "$SNAPC info $f")
t_info_nd=$(hf_median_ms 50 "$SNAPC info --no-digest $f")
t_unsq=$(hf_median_ms 50 "unsquashfs -cat $f meta/snap.yaml")
result "info of a 100 MB snap (digest cached)" "$t_info" ms "<5"
result "info --no-digest of a 100 MB snap" "$t_info_nd" ms "<5"
result "unsquashfs -cat meta/snap.yaml (peer tool)" "$t_unsq" ms "" "snapc/unsquashfs = $(ratio "$t_info" "$t_unsq")x"
t_digest=$(median_ms 3 "$SNAPC" info --json "$f" --no-digest)
touch "$f"  # invalidate the cache
t_first=$(median_ms 1 "$SNAPC" info "$f")
result "info of a 100 MB snap, first run (hashes 100 MB)" "$t_first" ms "" "SHA3-384 of the whole file"
