#!/usr/bin/env python3
"""
`make layering`: checks that the modules depend on each other only as
tools/layering.allow says, and that nothing links in a cycle.

A module is a source file's directory (util, db, rules/fees, ...). Three checks:

 1. includes: every #include "x" of a file in one module of a header in
    another must be an allowed arrow (module -> module) and name a header
    the allow file lists as public; and no headers include each other in
    a cycle;
 2. allowed arrows: the allow file's own arrows form no cycle, so the
    modules have an order;
 3. symbols: from the objects (nm), an object that uses a symbol another
    defines depends on it. No cycle between objects (unless the allow file
    lists it as known), no cycle between modules, and every arrow between
    modules must be allowed (a link dependency without an include would
    hide from check 1).

usage: layering.py ROOT ALLOW OBJDIR
  ROOT   the source tree; ALLOW the allow file; OBJDIR where ROOT's objects
  were built (OBJDIR/<path>.o for ROOT/<path>.c).

The allow file, one statement a line, '#' starts a comment:
  scan DIR...                  the directories whose .c and .h files are checked
  MODULE -> MODULE...          MODULE may include and call the modules listed
  public PATTERN...            headers other modules may include (fnmatch)
  known-cycle OBJECT...        a known cycle of objects (paths without .o)
                               tolerated until it is broken
"""
import fnmatch
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def parse_allow(path):
    scan, arrows, public, known = [], {}, [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            if words[0] == "scan":
                scan += words[1:]
            elif words[0] == "public":
                public += words[1:]
            elif words[0] == "known-cycle":
                known.append(set(words[1:]))
            elif len(words) >= 2 and words[1] == "->":
                arrows.setdefault(words[0], set()).update(words[2:])
            else:
                sys.exit(f"{path}:{n}: cannot read: {line}")
    return scan, arrows, public, known


def module_of(path):
    return os.path.dirname(path) or "."


def sources(root, scan):
    out = []
    for d in scan:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for name in files:
                if name.endswith((".c", ".h")):
                    out.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(out)


def resolve(root, src, inc):
    """The root-relative path of an included file, or None (not ours)."""
    for cand in (inc, os.path.join(os.path.dirname(src), inc)):
        cand = os.path.normpath(cand)
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def check_includes(root, files, arrows, public):
    errors, edges = [], {}
    for src in files:
        with open(os.path.join(root, src), encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                hdr = resolve(root, src, m.group(1))
                if hdr is None:
                    continue
                edges.setdefault(src, set()).add(hdr)
                a, b = module_of(src), module_of(hdr)
                if a == b:
                    continue
                if b not in arrows.get(a, ()):
                    errors.append(f"{src}:{n}: includes {hdr}: arrow {a} -> {b} is not allowed")
                elif not any(fnmatch.fnmatch(hdr, p) for p in public):
                    errors.append(f"{src}:{n}: includes {hdr}, a private header of {b}")
    for comp in sccs(sorted(edges), edges):
        errors.append("include cycle: " + " ".join(comp))
    return errors


def sccs(nodes, edges):
    """Strongly connected components (Tarjan, iterative), those of 2+ nodes."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def symbol_graph(root, objdir, files):
    defined, used = {}, {}
    for src in files:
        if not src.endswith(".c"):
            continue
        obj = os.path.join(objdir, src[:-2] + ".o")
        if not os.path.isfile(obj):
            sys.exit(f"layering: {obj} is missing (build first)")
        nm = subprocess.run(["nm", "-P", obj], capture_output=True, text=True, check=True)
        name = src[:-2]
        used[name] = set()
        for line in nm.stdout.splitlines():
            w = line.split()
            if len(w) < 2:
                continue
            if w[1] == "U":
                used[name].add(w[0])
            elif w[1] in "TDBRCGSVW":
                defined.setdefault(w[0], name)
    edges = {}
    for name, syms in used.items():
        edges[name] = {defined[s] for s in syms if s in defined and defined[s] != name}
    return edges


def check_symbols(edges, arrows, known):
    errors = []
    for comp in sccs(sorted(edges), edges):
        if any(set(comp) <= k for k in known):
            continue
        errors.append("link cycle between objects: " + " ".join(comp))
        for a in comp:
            errors.append(f"    {a} -> " + " ".join(sorted(b for b in edges[a] if b in comp)))
    medges = {}
    for a, bs in edges.items():
        for b in bs:
            ma, mb = module_of(a), module_of(b)
            if ma != mb:
                medges.setdefault(ma, set()).add(mb)
                if mb not in arrows.get(ma, ()):
                    why = sorted(x for x in bs if module_of(x) == mb)
                    errors.append(f"{a} links to {' '.join(why)}: arrow {ma} -> {mb} is not allowed")
    for comp in sccs(sorted(medges), medges):
        errors.append("link cycle between modules: " + " ".join(comp))
    return sorted(set(errors), key=errors.index)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    root, allow, objdir = sys.argv[1:]
    scan, arrows, public, known = parse_allow(allow)
    files = sources(root, scan)
    errors = check_includes(root, files, arrows, public)
    for comp in sccs(sorted(arrows), arrows):
        errors.append(f"{allow}: the allowed arrows form a cycle: " + " ".join(comp))
    errors += check_symbols(symbol_graph(root, objdir, files), arrows, known)
    for e in errors:
        print("layering: " + e, file=sys.stderr)
    if errors:
        return 1
    mods = sorted({module_of(f) for f in files})
    print(f"layering: {len(files)} files in {len(mods)} modules, no cycle, every arrow allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
