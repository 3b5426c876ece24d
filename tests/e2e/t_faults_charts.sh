#!/bin/sh
# Issue 13, item 4: a chart that cannot be drawn fails the report, with a
# message saying why, and writes no PDF: gnuplot missing, gnuplot failing,
# gnuplot hanging (stopped after PMAUDIT_GNUPLOT_TIMEOUT seconds), an
# unusable --charts. --no-charts makes the report without charts and says
# so on its pages. A report interrupted (SIGINT, SIGTERM) leaves no
# temporary chart folder. The old build wrote a PDF with error text where
# the charts belong and exited 0, and hung with gnuplot.
# e2e: alone -- its kills fall at timed moments (tests/e2e/run.sh)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

cd "$T"
import_fixtures d.db
private_tmpdir
mkdir nognuplot failing hanging
for tool in sh cat sleep; do ln -s "$(command -v $tool)" "nognuplot/$tool"; done
# (one gnuplot draws all of a report's charts, reading its script line by
# line as gnuplot does: a fake that waited for the end of its input would
# wait for the report's end)
printf '#!/bin/sh\nread -r line\necho "line 0: simulated gnuplot error" >&2\nexit 1\n' > failing/gnuplot
printf '#!/bin/sh\necho $$ > "%s/gnuplot.pid"\nexec sleep 60\n' "$T" > hanging/gnuplot
chmod +x failing/gnuplot hanging/gnuplot

# fails WHAT PATTERN CMD...: exit 1 within 20 s, PATTERN in the message, no PDF, nothing left
fails() {
	what=$1 pattern=$2
	shift 2
	rm -f x.pdf x-breaches.csv
	rc=0
	timeout 20 "$@" >out.txt 2>err.txt || rc=$?
	assert_eq 1 "$rc" "$what: exit status"
	grep -q -- "$pattern" err.txt || fail "$what: message: $(cat err.txt)"
	[ ! -e x.pdf ] || fail "$what: a PDF was written"
	[ ! -e x-breaches.csv ] || fail "$what: the breaches CSV was written"
	[ -z "$(ls tmp)" ] || fail "$what: left in TMPDIR: $(ls tmp)"
}

fails "gnuplot missing" "cannot run gnuplot" \
	env PATH="$T/nognuplot" "$PMAUDIT" report monthly --db d.db --month 2026-10 --out x.pdf
fails "gnuplot failing" "simulated gnuplot error" \
	env PATH="$T/failing:$PATH" "$PMAUDIT" report monthly --db d.db --month 2026-10 --out x.pdf
fails "gnuplot failing, annual" "simulated gnuplot error" \
	env PATH="$T/failing:$PATH" "$PMAUDIT" report annual --db d.db --year 2026 --out x.pdf
start=$(date +%s)
fails "gnuplot hanging" "did not finish within 2 seconds" \
	env PMAUDIT_GNUPLOT_TIMEOUT=2 PATH="$T/hanging:$PATH" "$PMAUDIT" report monthly --db d.db \
	--month 2026-10 --out x.pdf
[ $(($(date +%s) - start)) -lt 15 ] || fail "gnuplot hanging: the report waited too long"
if kill -0 "$(cat gnuplot.pid)" 2>/dev/null; then
	kill "$(cat gnuplot.pid)"
	fail "gnuplot hanging: left running"
fi
touch notadir
fails "--charts a file" "not a folder" \
	"$PMAUDIT" report monthly --db d.db --month 2026-10 --out x.pdf --charts notadir
fails "--charts in a missing folder" "cannot create the chart folder" \
	"$PMAUDIT" report monthly --db d.db --month 2026-10 --out x.pdf --charts missing/charts
if [ "$(id -u)" != 0 ]; then
	mkdir ro && chmod 555 ro
	fails "--charts read-only" "cannot write in the chart folder" \
		"$PMAUDIT" report monthly --db d.db --month 2026-10 --out x.pdf --charts ro
fi

# --no-charts: the report without them, saying so where each one belongs
env PATH="$T/nognuplot" "$PMAUDIT" report monthly --db d.db --month 2026-10 --out n.pdf \
	--no-charts >/dev/null || fail "--no-charts without gnuplot failed"
qpdf --check n.pdf >/dev/null || fail "--no-charts: qpdf --check"
pdf_text n.pdf n.txt
[ "$(grep -o "按 --no-charts 未绘制" n.txt | wc -l)" -ge 5 ] || fail "--no-charts: not said on the pages"
env PATH="$T/nognuplot" "$PMAUDIT" report annual --db d.db --year 2026 --out a.pdf --no-charts \
	--lang en >/dev/null || fail "annual --no-charts failed"
pdf_text a.pdf a.txt
has a.txt "not drawn, --no-charts" "annual --no-charts"
rc=0
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out n.pdf --no-charts --charts c 2>/dev/null ||
	rc=$?
assert_eq 2 "$rc" "--no-charts with --charts: bad usage"

# interrupted while drawing: no temporary chart folder, no gnuplot left
printf '#!/bin/sh\nsleep 0.3\nexec "%s"\n' "$real_gnuplot" > hanging/gnuplot
for sig in INT TERM; do
	# a job started with & has SIGINT ignored: env puts the default back
	env --default-signal=INT PATH="$T/hanging:$PATH" "$PMAUDIT" report monthly --db d.db \
		--month 2026-10 --out y.pdf >/dev/null 2>&1 &
	pid=$!
	sleep 0.6
	kill -s "$sig" "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -gt 128 ] || fail "SIG$sig: expected death by the signal, got $rc"
	sleep 0.1
	[ -z "$(ls tmp)" ] || fail "SIG$sig: temporary chart folder left: $(ls tmp)"
	[ ! -e y.pdf ] || fail "SIG$sig: a PDF was written"
done
