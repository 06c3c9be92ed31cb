#!/usr/bin/env python3
"""Counts the test cases each Maven module ran (surefire and failsafe reports), skipped apart.

Fails when a module of the root pom ran no test, or when every test it has was skipped (a test that
is skipped proves nothing, so it must not count as run). Usage: test_counts.py [ROOT]
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET


def modules(root):
    with open(os.path.join(root, "pom.xml")) as f:
        return re.findall(r"<module>([^<]+)</module>", f.read())


def counts(module_dir):
    total = skipped = failed = 0
    for kind in ("surefire-reports", "failsafe-reports"):
        for path in glob.glob(os.path.join(module_dir, "target", kind, "TEST-*.xml")):
            suite = ET.parse(path).getroot()
            total += int(suite.get("tests", 0))
            skipped += int(suite.get("skipped", 0))
            failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    return total, skipped, failed


def main(root):
    errors = []
    run_all = skipped_all = 0
    print(f"{'module':<14} {'run':>5} {'skipped':>8} {'failed':>7}")
    for m in modules(root):
        total, skipped, failed = counts(os.path.join(root, m))
        run = total - skipped
        run_all += run
        skipped_all += skipped
        print(f"{m:<14} {run:>5} {skipped:>8} {failed:>7}")
        if total == 0:
            errors.append(f"module {m} ran no test")
        elif run == 0:
            errors.append(f"module {m}: all {skipped} of its tests were skipped")
        if failed:
            errors.append(f"module {m}: {failed} tests failed")
    print(f"{'all':<14} {run_all:>5} {skipped_all:>8}")
    for e in errors:
        print(f"CI: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
