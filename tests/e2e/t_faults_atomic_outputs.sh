#!/bin/sh
# Issue 13, item 2: outputs are replaced atomically. A report that fails
# after it began writing, or is killed (SIGINT, SIGTERM, SIGHUP, SIGKILL)
# at a random moment, leaves the previous PDF, breaches CSV and chart PNGs
# byte for byte as they were -- or, killed after it finished, the new ones
# whole. After SIGINT/SIGTERM/SIGHUP no temporary file or chart folder is
# left (after SIGKILL, which cannot be caught, a .NAME.tmp-XXXXXX may be).
# On the old build a failing chart left exit 0 and a replaced PDF, and a
# kill could leave a truncated PDF or CSV in place of the good one.
# KILL_SEED=N repeats a run's kill moments.
# e2e: alone -- its kills fall at timed moments (tests/e2e/run.sh)
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

cd "$T"
import_fixtures d.db
private_tmpdir
sum() { sha256sum "$1" | cut -d' ' -f1; }
OUTS="m.pdf m-breaches.csv ch/01-daily.png ch/06-trend.png c.csv c.json"
NEW="--as-of 2026-10-20"

# the previous good outputs, kept aside
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out m.pdf --charts ch >/dev/null
"$PMAUDIT" check --db d.db --month 2026-10 --csv c.csv --json c.json >/dev/null
mkdir old
for f in $OUTS; do mkdir -p "old/$(dirname "$f")"; cp "$f" "old/$f"; done
restore() { for f in $OUTS; do cp "old/$f" "$f"; done; }

# what the new commands write when they complete (another as-of time, so
# that it differs from the old), made in new/ under the same names
mkdir new
(cd new && "$PMAUDIT" report monthly --db ../d.db --month 2026-10 --out m.pdf --charts ch \
	$NEW >/dev/null && "$PMAUDIT" check --db ../d.db --month 2026-10 $NEW \
	--csv c.csv --json c.json >/dev/null)
for f in m.pdf m-breaches.csv c.csv c.json; do
	[ "$(sum "old/$f")" != "$(sum "new/$f")" ] || fail "$f: old and new outputs do not differ"
done

# old_or_new FILE WHAT: FILE is the old or the complete new one, never anything else
old_or_new() {
	s=$(sum "$1")
	[ "$s" = "$(sum "old/$1")" ] || [ "$s" = "$(sum "new/$1")" ] ||
		fail "$2: $1 is neither the previous file nor the new one (size $(wc -c <"$1"))"
}
no_temporaries() {
	left=$(find . -name '.*.tmp-*'; ls tmp)
	[ -z "$left" ] || fail "$1: temporaries left: $left"
}

# 1. A chart fails late (the trend, after the breaches CSV was written):
#    the report fails and every previous file is untouched.
mkdir fail
# (it passes its script on line by line, as gnuplot reads it: one gnuplot
# draws all of a report's charts, so its input ends with the report)
cat > fail/gnuplot <<EOF
#!/bin/sh
while IFS= read -r line; do
	case "\$line" in *-trend.png*) echo "simulated failure" >&2; exit 1;; esac
	printf '%s\n' "\$line"
done | "$real_gnuplot"
EOF
chmod +x fail/gnuplot
rc=0
PATH="$T/fail:$PATH" "$PMAUDIT" report monthly --db d.db --month 2026-10 --out m.pdf --charts ch \
	$NEW >out.txt 2>err.txt || rc=$?
assert_eq 1 "$rc" "late chart failure: exit status"
grep -q "simulated failure" err.txt || fail "late chart failure: message: $(cat err.txt)"
for f in $OUTS; do
	assert_eq "$(sum "old/$f")" "$(sum "$f")" "late chart failure: $f changed"
done
no_temporaries "late chart failure"

# 2. Killed at random moments: a gnuplot that takes 0.1 s more per chart
#    spreads the report over a second, so the kills land in every phase.
mkdir slow
cat > slow/gnuplot <<EOF
#!/bin/sh
sleep 0.1
exec "$real_gnuplot"
EOF
chmod +x slow/gnuplot
seed=${KILL_SEED:-$(date +%s)}
echo "kill seed $seed"
i=0
for sig in INT TERM HUP KILL INT TERM; do
	i=$((i + 1))
	restore
	delay=$(awk -v s="$seed" -v i="$i" 'BEGIN { srand(s + i); printf "%.2f", rand() * 1.3 }')
	# a job started with & has SIGINT ignored: env puts the default back
	env --default-signal=INT PATH="$T/slow:$PATH" "$PMAUDIT" report monthly --db d.db \
		--month 2026-10 --out m.pdf --charts ch $NEW >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -s "$sig" "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	echo "report: SIG$sig after ${delay}s"
	for f in m.pdf m-breaches.csv ch/01-daily.png ch/06-trend.png; do
		old_or_new "$f" "report, SIG$sig after ${delay}s"
	done
	# the PDF and its CSV belong together: both old or both new
	if [ "$(sum m.pdf)" = "$(sum new/m.pdf)" ]; then
		assert_eq "$(sum new/m-breaches.csv)" "$(sum m-breaches.csv)" "new PDF, old CSV"
	fi
	if [ "$sig" = KILL ]; then
		# gnuplot dies with pmaudit (PR_SET_PDEATHSIG), a moment later
		sleep 0.3
		find . -name '.*.tmp-*' -exec rm -f {} +
		rm -rf tmp/*
	else
		no_temporaries "report, SIG$sig after ${delay}s"
	fi
	# the database is not harmed either
	assert_eq ok "$(sqlite3 d.db 'PRAGMA quick_check')" "database after SIG$sig"
done
# check --csv/--json, killed at random moments too
for sig in INT TERM KILL; do
	i=$((i + 1))
	restore
	delay=$(awk -v s="$seed" -v i="$i" 'BEGIN { srand(s + i); printf "%.3f", rand() * 0.05 }')
	env --default-signal=INT "$PMAUDIT" check --db d.db --month 2026-10 $NEW --csv c.csv \
		--json c.json >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -s "$sig" "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	old_or_new c.csv "check, SIG$sig after ${delay}s"
	old_or_new c.json "check, SIG$sig after ${delay}s"
	if [ "$sig" = KILL ]; then
		find . -name '.*.tmp-*' -exec rm -f {} +
	else
		no_temporaries "check, SIG$sig"
	fi
done

# 3. A new run that completes replaces every file and leaves nothing else.
restore
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out m.pdf --charts ch $NEW >/dev/null
for f in m.pdf m-breaches.csv ch/01-daily.png ch/06-trend.png; do
	assert_eq "$(sum "new/$f")" "$(sum "$f")" "completed run: $f"
done
no_temporaries "completed run"
