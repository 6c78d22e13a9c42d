#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# A bounded libFuzzer run of each parser target (seconds, not hours), when ./build.sh has built
# build-fuzz/ with clang. The corpus replay itself runs as a unit test in every build.
. "$(dirname "$0")/../lib/libtest.sh"
t_begin
secs=${SNAPC_FUZZ_SECONDS:-20}
for target in snap-yaml; do
  bin=$SNAPC_SRC/build-fuzz/tests/fuzz/fuzz-$target
  if [ ! -x "$bin" ]; then
    t_skip "fuzz $target" "build-fuzz not built (./build.sh fuzz builds it with clang)"
    continue
  fi
  mkdir -p "$T/corpus-$target"
  # libFuzzer ends a run that found nothing with "Done N runs in S second(s)"
  ok_with "fuzz $target for ${secs}s without a crash" '^Done [0-9]+ runs in [0-9]+ second' \
    "$bin" -max_total_time="$secs" -rss_limit_mb=2048 \
    -max_len=8192 -artifact_prefix="$T/" "$T/corpus-$target" "$SNAPC_SRC/tests/fuzz/corpus/$target"
  ok "... and left no crash artifact" bash -c "l=\$(ls -A '$T' | grep -E '^(crash|leak|timeout|oom)-' || true) && [ -z \"\$l\" ]"
done
t_end
