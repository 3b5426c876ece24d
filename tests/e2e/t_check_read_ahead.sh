# check with its read-ahead threads (two more connections reading the
# callbacks and the findings' records while the run's own connection
# works) stores exactly what the same check on one thread stores: the
# JSON summary and every table of the run, for a month with an as-of cut,
# a year (table scans) and one site.
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
"$PMGEN" --seed 5 --sites 4 --from 2026-01 --to 2026-11 --tickets 30000 --callbacks 30000 \
	--complaints 6000 --fees 30000 --out data >/dev/null || fail "generator failed"
"$PMAUDIT" import --db base.db data/*.csv >/dev/null || [ $? -le 1 ] || fail "import failed"
site=$(q base.db "SELECT min(site) FROM tickets")
run_tables() { # DB: every row the run stored, in a fixed order
	sqlite3 "$1" "SELECT rule_id, record_kind, record_id, site, start_at, deadline_at, end_at,
			status, late_seconds, amount_cents, detail FROM check_records ORDER BY 1, 2, 3, 5, 11;
		SELECT rule_id, site, met, breached, pending FROM check_site_results ORDER BY 1, 2;
		SELECT rule_id, week, numerator, denominator, rate, met FROM check_weeks ORDER BY 1, 2;
		SELECT key, int_value, real_value, text_value FROM check_figures ORDER BY 1;
		SELECT rule_id, met, breached, pending, numerator, denominator, rate
			FROM check_rule_results ORDER BY 1"
}
n=0
for window in "--month 2026-10 --as-of 2026-10-20" "--year 2026" "--month 2026-09 --site $site"; do
	n=$((n + 1))
	for threads in 1 2; do
		cp base.db "t$threads.db"
		# shellcheck disable=SC2086
		PMAUDIT_THREADS=$threads "$PMAUDIT" check --db "t$threads.db" $window \
			--json "t$threads.json" >/dev/null || fail "check $window ($threads threads) failed"
		grep -v '"rules_file"' "t$threads.json" > "t$threads.cmp"
		run_tables "t$threads.db" > "t$threads.tables"
	done
	[ -s t1.tables ] && [ "$(wc -l < t1.tables)" -gt 20 ] || fail "window $n: the run stored too little"
	cmp -s t1.cmp t2.cmp || fail "window $n ($window): the JSON differs with read-ahead"
	cmp -s t1.tables t2.tables || fail "window $n ($window): the stored run differs with read-ahead"
done
