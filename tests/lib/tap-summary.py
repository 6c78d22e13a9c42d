#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-only
"""Count TAP results in meson's testlog.json and print the closing line.

Every test program speaks TAP (cmocka with CMOCKA_MESSAGE_OUTPUT=TAP, bash tests through
tests/lib/libtest.sh). A test program that crashed or exited non-zero without reporting a
'not ok' counts as one failure, so a crash can never look green.
"""
import json
import re
import sys

passed = failed = skipped = 0
skips, fails = [], []
path = sys.argv[1]
with open(path, encoding="utf-8", errors="replace") as f:
    for line in f:
        t = json.loads(line)
        name = t.get("name", "?")
        out = t.get("stdout", "") or ""
        p = fl = 0
        for l in out.splitlines():
            m = re.match(r"^(not ok|ok)\b\s*\d*\s*-?\s*(.*)$", l)
            if not m:
                continue
            desc = m.group(2)
            sk = re.search(r"#\s*SKIP\b\s*(.*)$", desc, re.I)
            if sk:
                skipped += 1
                skips.append(f"{name}: {desc.split('#')[0].strip()}: {sk.group(1).strip()}")
            elif m.group(1) == "ok":
                p += 1
            else:
                fl += 1
                fails.append(f"{name}: {desc}")
        if t.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL") and fl == 0:
            fl += 1
            fails.append(f"{name}: exited with {t.get('returncode')} ({t.get('result')})")
        passed += p
        failed += fl
for s in skips:
    print(f"skipped: {s}")
for s in fails:
    print(f"FAILED: {s}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
