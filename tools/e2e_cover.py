#!/usr/bin/env python3
"""e2e_cover.py TIMES LINES_DIR TESTS_DIR (run by tools/e2e_cover.sh)

TIMES holds run_one.sh's lines ("ok   t_x (12 s)"); LINES_DIR one file per
test, NAME.json, with `gcov --json-format` output (one JSON object per
line). Prints each test's seconds, the lines of pmaudit it reaches and how
many of them no other test reaches; then checks that every test marked
"# e2e: not under asan" reaches no line that the tests run under the
sanitizers miss, and proposes further tests that could be left out.
Exits 1 when a marked test is the only one to reach some line.
"""
import json
import os
import re
import sys

SOURCE_DIRS = ("etl/", "rules/", "reports/", "db/", "util/", "cmd/")
MARK = "# e2e: not under asan"


def read_times(path):
    times = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"(ok|FAIL)\s+(\S+) \((\d+) s", line)
            if m:
                times[m.group(2)] = (m.group(1), int(m.group(3)))
    return times


def read_lines(path):
    """The (file, line) pairs of pmaudit's own sources with a count."""
    reached = set()
    with open(path) as f:
        for text in f:
            text = text.strip()
            if not text:
                continue
            for source in json.loads(text)["files"]:
                name = source["file"]
                if not name.startswith(SOURCE_DIRS):
                    continue
                for line in source["lines"]:
                    if line["count"] > 0:
                        reached.add((name, line["line_number"]))
    return reached


def marked_tests(tests_dir):
    marked = set()
    for name in os.listdir(tests_dir):
        if not (name.startswith("t_") and name.endswith(".sh")):
            continue
        with open(os.path.join(tests_dir, name)) as f:
            if any(line.startswith(MARK) for line in f):
                marked.add(name[:-3])
    return marked


def union(lines, names):
    out = set()
    for name in names:
        out |= lines[name]
    return out


def main():
    times = read_times(sys.argv[1])
    lines = {}
    for name in times:
        path = os.path.join(sys.argv[2], name + ".json")
        lines[name] = read_lines(path) if os.path.exists(path) else set()
    failed = [n for n, (state, _) in times.items() if state != "ok"]
    if failed:
        print("failed under gcov (their lines are incomplete):", " ".join(sorted(failed)))
    marked = marked_tests(sys.argv[3])
    everything = union(lines, lines)
    print("%-34s %6s %7s %7s  %s" % ("test", "s", "lines", "unique", ""))
    for name in sorted(lines, key=lambda n: -times[n][1]):
        others = union(lines, [n for n in lines if n != name])
        unique = len(lines[name] - others)
        print("%-34s %6d %7d %7d  %s" % (name, times[name][1], len(lines[name]), unique,
                                        "not under asan" if name in marked else ""))
    kept = [n for n in lines if n not in marked]
    under_asan = union(lines, kept)
    print("\nthe suite reaches %d lines; the tests run under the sanitizers reach %d"
          % (len(everything), len(under_asan)))
    status = 0
    for name in sorted(marked):
        missed = lines.get(name, set()) - under_asan
        if missed:
            status = 1
            print("%s is marked \"%s\" but is the only test to reach %d lines, e.g. %s"
                  % (name, MARK, len(missed), sorted(missed)[:5]))
    # further candidates: the slowest first, each left out only if the
    # tests still run reach every line it reaches
    spare = []
    for name in sorted(kept, key=lambda n: -times[n][1]):
        rest = union(lines, [n for n in kept if n != name and n not in spare])
        if lines[name] <= rest:
            spare.append(name)
    if spare:
        print("could also be left out of the sanitizer pass (slowest first):")
        for name in spare:
            print("  %-32s %4d s" % (name, times[name][1]))
    return status


if __name__ == "__main__":
    sys.exit(main())
