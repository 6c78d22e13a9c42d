#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-only
"""Count TAP results in meson's testlog.json and print the closing line.

Every test program speaks TAP (cmocka with CMOCKA_MESSAGE_OUTPUT=TAP, bash tests through
tests/lib/libtest.sh). Nothing may vanish:
  - a program that crashed or exited non-zero without reporting a 'not ok' counts as a failure;
  - a program without a plan ('1..N'), or whose count of results differs from its plan, counts
    as a failure (a script that died half-way, or printed nothing at all);
  - a program that exits 77 (the automake "skipped" code) counts as one skip with the reason
    from its output, never as a pass.
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
        p = fl = sk = 0
        plans = []
        for l in out.splitlines():
            m = re.match(r"^1\.\.(\d+)\b(.*)$", l)
            if m:
                plans.append(int(m.group(1)))
                continue
            m = re.match(r"^(not ok|ok)\b\s*\d*\s*-?\s*(.*)$", l)
            if not m:
                continue
            desc = m.group(2)
            skm = re.search(r"#\s*SKIP\b\s*(.*)$", desc, re.I)
            if skm:
                sk += 1
                skips.append(f"{name}: {desc.split('#')[0].strip()}: {skm.group(1).strip()}")
            elif m.group(1) == "ok":
                p += 1
            else:
                fl += 1
                fails.append(f"{name}: {desc}")
        reported = p + fl + sk
        rc = t.get("returncode")
        if rc == 77:
            reason = next((l[1:].strip() for l in out.splitlines() if l.startswith("#")), "exit 77")
            skipped += 1
            skips.append(f"{name}: skipped as a whole (exit 77): {reason}")
            continue
        if t.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL") and fl == 0:
            fl += 1
            fails.append(f"{name}: exited with {rc} ({t.get('result')})")
        if not plans:
            fl += 1
            fails.append(f"{name}: no TAP plan (1..N): the program stopped before its end")
        elif sum(plans) != reported:
            fl += 1
            fails.append(f"{name}: plan says {sum(plans)} results, {reported} were reported")
        passed += p
        failed += fl
        skipped += sk
for s in skips:
    print(f"skipped: {s}")
for s in fails:
    print(f"FAILED: {s}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
