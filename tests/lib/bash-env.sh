# SPDX-License-Identifier: GPL-3.0-only
# bash-env.sh: read by every non-interactive bash a test starts (BASH_ENV, set by libtest.sh),
# so the `bash -c "a | b"` checks fail when any stage of the pipeline fails.
set -o pipefail
