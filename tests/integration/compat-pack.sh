#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-only
# compat-pack: `snapc pack` must reach snapd's `snap pack` verdict on the compat corpus
# (tests/compat/gen-corpus.py) and on every fixture in tests/snaps/, and `snapc info` must
# read every snap that `snap pack` built. The work is done by tests/compat/run-compat.sh,
# which prints the TAP stream; this wrapper only picks the binary and the mode:
#   - snapc from $SNAPC_BIN (meson) or build/bin; SKIP when it has not been built;
#   - live comparison when snapd's `snap` is installed, otherwise a single SKIP
#     (set COMPAT_VERDICTS=1 to compare with tests/compat/snap-pack-verdicts.tsv instead).
# shellcheck source=tests/lib/libtest.sh
. "$(dirname "$0")/../lib/libtest.sh"

compat=$SNAPC_SRC/tests/compat/run-compat.sh
export SNAPC=${SNAPC:-$SNAPC_BIN/snapc}

if [ ! -x "${SNAPC%% *}" ]; then
  t_begin
  t_skip "compat" "snapc not built ($SNAPC)"
  t_end
  exit $?
fi

if [ -n "${COMPAT_VERDICTS:-}" ] && ! command -v snap >/dev/null 2>&1; then
  exec bash "$compat" --verdicts "$SNAPC_SRC/tests/compat/snap-pack-verdicts.tsv"
fi
exec bash "$compat"
