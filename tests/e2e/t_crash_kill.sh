# SIGKILL at many random moments of an import: after each kill the database
# passes integrity_check and holds the file entirely or not at all.
# e2e: alone -- its kills fall at timed moments (tests/e2e/run.sh)
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
"$PMGEN" --seed 11 --sites 5 --from 2026-09 --to 2026-10 --tickets 150000 --only tickets > big.csv ||
	fail "generator failed"
rows=$(($(wc -l < big.csv) - 1))
# A first, complete file so the database is not empty when the kills begin.
"$PMGEN" --seed 12 --sites 2 --from 2026-08 --to 2026-08 --tickets 500 --only tickets > small.csv
"$PMAUDIT" import --db k.db small.csv >/dev/null || fail "first import failed"
cp k.db k0.db
base=$(q k.db 'SELECT count(*) FROM tickets')
[ "$base" -gt 0 ] || fail "first import stored nothing"
kills=0; completed=0
for delay in 0.02 0.04 0.06 0.08 0.1 0.13 0.17 0.21 0.26 0.34 0.47 0.68; do
	"$PMAUDIT" import --db k.db big.csv >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null
	assert_eq ok "$(q k.db 'PRAGMA integrity_check')" "integrity after kill at ${delay}s"
	n=$(q k.db 'SELECT count(*) FROM tickets')
	if [ "$n" -eq "$base" ]; then
		:
	elif [ "$n" -eq $((base + rows)) ]; then
		completed=$((completed + 1))
		# Start again from the small file only, for the next kill.
		cp k0.db k.db
	else
		fail "partial file after kill at ${delay}s: $n rows (expected $base or $((base + rows)))"
	fi
done
echo "kills: $kills, imports that finished first: $completed"
[ "$kills" -ge 6 ] || fail "too few imports were actually killed ($kills); make the file bigger"
