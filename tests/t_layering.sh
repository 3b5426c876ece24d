#!/bin/sh
# The layering check's own test (`make layering`): tools/layering.py must
# pass a tiny well-layered tree and reject each way of breaking it -- a link
# cycle between two objects of one module, a call across modules no arrow
# allows (which makes a cycle of modules), an include no arrow allows, a
# private header included from another module, two headers including
# each other, and an allow file whose
# arrows form a cycle.
set -eu
cd "$(dirname "$0")/.."
T=$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-layering.XXXXXX")
trap 'rm -rf "$T"' EXIT
CC=${CC:-gcc}
fails=0

# tree NAME: the good tree in $T/NAME (module a uses module b)
tree() {
	d=$T/$1
	mkdir -p "$d/a" "$d/b"
	printf 'int b_one(void);\n' > "$d/b/b.h"
	printf 'int b_secret(void);\n' > "$d/b/private.h"
	printf '#include "b/b.h"\n#include "b/private.h"\nint b_secret(void) { return 1; }\nint b_one(void) { return b_secret(); }\n' > "$d/b/b.c"
	printf 'int a_one(void);\n' > "$d/a/a.h"
	printf '#include "a/a.h"\n#include "b/b.h"\nint a_one(void) { return b_one(); }\n' > "$d/a/a.c"
	printf 'int a_two(void);\nint a_two(void) { return 2; }\n' > "$d/a/two.c"
	printf 'scan a b\na -> b\nb ->\npublic a/a.h b/b.h\n' > "$d/allow"
}

# expect NAME pass|fail [TEXT]: builds $T/NAME's objects and runs the check
expect() {
	d=$T/$1
	for c in "$d"/a/*.c "$d"/b/*.c; do
		o=$d/obj/${c#"$d"/}
		mkdir -p "$(dirname "$o")"
		$CC -c -I"$d" -o "${o%.c}.o" "$c"
	done
	rc=0
	python3 tools/layering.py "$d" "$d/allow" "$d/obj" > "$d/out" 2>&1 || rc=$?
	if [ "$2" = pass ] && [ "$rc" -ne 0 ]; then
		echo "FAIL $1: rejected a good tree:"; cat "$d/out"; fails=$((fails + 1))
	elif [ "$2" = fail ] && { [ "$rc" -ne 1 ] || ! grep -q "$3" "$d/out"; }; then
		echo "FAIL $1: expected exit 1 and '$3', got $rc:"; cat "$d/out"; fails=$((fails + 1))
	else
		echo "ok   $1"
	fi
}

tree good
expect good pass

tree object_cycle        # a/two.c and a/a.c call each other
printf 'int a_one(void);\nint a_two(void);\nint a_two(void) { return a_one(); }\n' > "$T/object_cycle/a/two.c"
printf '#include "a/a.h"\n#include "b/b.h"\nint a_two(void);\nint a_one(void) { return b_one() + a_two(); }\n' > "$T/object_cycle/a/a.c"
expect object_cycle fail 'link cycle between objects: a/a a/two'

tree known_cycle         # the same cycle, listed as known
cp "$T/object_cycle/a/two.c" "$T/object_cycle/a/a.c" "$T/known_cycle/a/"
echo 'known-cycle a/a a/two' >> "$T/known_cycle/allow"
expect known_cycle pass

tree module_cycle        # b calls a without including it
printf 'int a_two(void);\nint b_two(void) { return a_two(); }\n' > "$T/module_cycle/b/two.c"
expect module_cycle fail 'link cycle between modules: a b'

tree include_arrow       # b includes a's public header
printf '#include "a/a.h"\n' > "$T/include_arrow/b/up.h"
printf '#include "b/up.h"\n' >> "$T/include_arrow/b/b.c"
expect include_arrow fail 'arrow b -> a is not allowed'

tree private_header      # a includes b's private header
printf '#include "b/private.h"\n' >> "$T/private_header/a/a.c"
expect private_header fail 'a private header of b'

tree header_cycle       # two headers include each other
printf '#ifndef A_H\n#define A_H\n#include "a/b.h"\nint a_one(void);\n#endif\n' > "$T/header_cycle/a/a.h"
printf '#ifndef B_H\n#define B_H\n#include "a/a.h"\n#endif\n' > "$T/header_cycle/a/b.h"
expect header_cycle fail 'include cycle: a/a.h a/b.h'

tree allow_cycle         # the allow file itself goes round
echo 'b -> a' >> "$T/allow_cycle/allow"
expect allow_cycle fail 'the allowed arrows form a cycle'

[ "$fails" -eq 0 ] || { echo "t_layering: $fails failed"; exit 1; }
echo "t_layering: the checker rejects every broken tree"
