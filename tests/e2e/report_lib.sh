# Helpers for the report tests (sourced after lib.sh).

# import_fixtures DB: the committed fixtures into a fresh database
# (exit status 1 = some rows rejected, which the fixtures mean to have).
import_fixtures() {
	rm -f "$1"
	"$PMAUDIT" import --db "$1" "$ROOT"/fixtures/*.csv >"$T/import.log" 2>&1 || [ $? -eq 1 ] ||
		fail "import of the fixtures failed: $(tail -3 "$T/import.log")"
}

# j JSON PATH: one value of a JSON file (sqlite3's JSON functions, no python)
j() { sqlite3 :memory: "SELECT json_extract(readfile('$1'), '$2')"; }

# pct RATE: a rate as the reports print it (94.49%)
pct() { awk -v r="$1" 'BEGIN { printf "%.2f%%", int(r * 10000 + 0.5) / 100 }'; }

# money CENTS: ¥1,234.50
money() {
	c=$1; sign=""
	if [ "$c" -lt 0 ]; then sign="-"; c=$((-c)); fi
	yuan=$(printf '%d' $((c / 100)) | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta')
	printf '%s¥%s.%02d' "$sign" "$yuan" $((c % 100))
}

# count N: 1,234
count() { printf '%d' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

# pdf_text PDF OUT: the text with line breaks removed (a wrapped sentence
# joins up again; Chinese has no spaces at the breaks)
pdf_text() { pdftotext "$1" - 2>/dev/null | tr -d '\n' >"$2"; }

# has TEXTFILE STRING WHAT
has() { grep -qF -- "$2" "$1" || fail "$3: '$2' is not in the PDF text"; }

# outline_has PDF TITLE: a bookmark with that title
outline_has() {
	qpdf --json --json-key=outlines "$1" 2>/dev/null | grep -qF -- "\"title\": \"$2\"" ||
		fail "$1: no bookmark '$2'"
}

# images PDF: how many images the PDF holds
images() { pdfimages -list "$1" 2>/dev/null | awk 'NR > 2 && $3 == "image"' | wc -l; }

# private_tmpdir: $TMPDIR is $T/tmp, where a test sees what pmaudit leaves
# (temporary chart folders); real_gnuplot: the gnuplot a fake one calls
private_tmpdir() {
	mkdir -p "$T/tmp"
	TMPDIR=$T/tmp
	export TMPDIR
	real_gnuplot=$(command -v gnuplot) || fail "gnuplot is not installed"
}

# run_rows DB RUN: every stored row of the run but its id, sorted
run_rows() {
	sqlite3 "$1" "
		SELECT 'run', from_ts, to_ts, as_of, site, rules_file, rules_sha256, summary_json
		  FROM check_runs WHERE run_id = $2;
		SELECT 'rule', rule_id, rule_kind, met, breached, pending, numerator, denominator, rate,
		       target, target_met FROM check_rule_results WHERE run_id = $2 ORDER BY rule_id;
		SELECT 'week', rule_id, week, numerator, denominator, rate, met
		  FROM check_weeks WHERE run_id = $2 ORDER BY 2, 3;
		SELECT 'site', rule_id, site, met, breached, pending
		  FROM check_site_results WHERE run_id = $2 ORDER BY 2, 3;
		SELECT 'figure', key, int_value, real_value, text_value
		  FROM check_figures WHERE run_id = $2 ORDER BY 2;
		SELECT 'record', rule_id, record_kind, record_id, site, start_at, deadline_at, end_at,
		       status, late_seconds, amount_cents, detail
		  FROM check_records WHERE run_id = $2 ORDER BY 2, 3, 4, 9, 11, 12;"
}

last_run() { sqlite3 "$1" "SELECT max(run_id) FROM check_runs"; }

# two_runs_report DB KIND OPTION VALUE PREV DIR [ENV...]: `report KIND
# OPTION VALUE` on DB with ENV into DIR/r.pdf (always that name: the same
# data gives the same text), its text in DIR/text; the report stores two
# runs, the period's (DIR/cur) and then the previous period's (DIR/prev),
# whose row of check_runs begins with PREV (from|to|as_of)
two_runs_report() {
	trr_db=$1 trr_kind=$2 trr_opt=$3 trr_val=$4 trr_prev=$5 trr_dir=$6
	shift 6
	trr_before=$(last_run "$trr_db")
	env "$@" "$PMAUDIT" report "$trr_kind" --db "$trr_db" "$trr_opt" "$trr_val" \
		--out "$trr_dir/r.pdf" >/dev/null || fail "report $trr_kind ($*) failed"
	pdftotext "$trr_dir/r.pdf" - 2>/dev/null | grep -v '^$' >"$trr_dir/text"
	assert_eq $((trr_before + 2)) "$(last_run "$trr_db")" "the report stores two runs ($*)"
	run_rows "$trr_db" $((trr_before + 1)) >"$trr_dir/cur"
	run_rows "$trr_db" $((trr_before + 2)) >"$trr_dir/prev"
	grep -q "^run|$trr_prev|" "$trr_dir/prev" || fail "the second run is the previous period's ($*)"
}

# prev_is_check DB DIR WHAT CHECK_ARGS...: the previous period's run a report
# stored (DIR/prev) is, row for row, what `check CHECK_ARGS --no-records` stores
prev_is_check() {
	pic_db=$1 pic_dir=$2 pic_what=$3
	shift 3
	"$PMAUDIT" check --db "$pic_db" "$@" --no-records >/dev/null || fail "check --no-records failed"
	run_rows "$pic_db" "$(last_run "$pic_db")" >"$pic_dir/check.prev"
	cmp -s "$pic_dir/check.prev" "$pic_dir/prev" ||
		fail "the report's $pic_what differs from check: $(diff "$pic_dir/check.prev" "$pic_dir/prev" | head -5)"
}

# stale_ledger_same DB AT_LIKE REPORT WHAT: 20 payments paid at AT_LIKE changed
# by hand leave the fee ledger stale; REPORT DIR [ENV...] (a two_runs_report)
# then gives the same text and runs on two threads (the main one rebuilds the
# ledger, the second reads fees) as on one, and they differ from $T/two's
stale_ledger_same() {
	sls_db=$1 sls_like=$2 sls_report=$3 sls_what=$4
	sqlite3 "$sls_db" "UPDATE fees SET amount = amount + 5000 WHERE rowid IN
		(SELECT rowid FROM fees WHERE kind = 'payment' AND at LIKE '$sls_like' LIMIT 20)"
	assert_eq 1 "$(q "$sls_db" 'SELECT stale FROM fee_ledger_state')" "the edit leaves the ledger stale"
	mkdir -p "$T/stale2" "$T/stale1"
	"$sls_report" "$T/stale2"
	sqlite3 "$sls_db" "UPDATE fees SET amount = amount WHERE rowid = (SELECT min(rowid) FROM fees)"
	assert_eq 1 "$(q "$sls_db" 'SELECT stale FROM fee_ledger_state')" "stale again"
	"$sls_report" "$T/stale1" PMAUDIT_THREADS=1
	same_runs "$T/stale2" "$T/stale1" "stale ledger, two threads and one"
	cmp -s "$T/two/prev" "$T/stale2/prev" && fail "the edit should change $sls_what"
	return 0
}

# same_runs A B WHAT: two two_runs_report directories hold the same text and runs
same_runs() {
	cmp -s "$1/text" "$2/text" || fail "$3: the PDF text differs: $(diff "$1/text" "$2/text" | head -5)"
	cmp -s "$1/cur" "$2/cur" || fail "$3: the period's run differs"
	cmp -s "$1/prev" "$2/prev" || fail "$3: the previous period's run differs"
}

# no_orphan_heading PDF: no page ends with a heading (a bookmark's title)
# alone, nor with a heading and its paragraph while the table or figure
# they introduce begins the next page (tests/e2e/layout_pages.py: the
# lines' positions from pdftotext -bbox-layout, so a table header that
# reads like the heading above it is not taken for it)
no_orphan_heading() {
	qpdf --json --json-key=outlines "$1" 2>/dev/null |
		sed -n 's/.*"title": "\(.*\)",*$/\1/p' >"$T/titles"
	[ -s "$T/titles" ] || fail "$1: no bookmarks read"
	python3 "$ROOT/tests/e2e/layout_pages.py" "$1" "$T/titles" >"$T/orphans" ||
		fail "$1: $(head -1 "$T/orphans")"
}
