# A large file into an empty table builds its secondary indexes (here
# callbacks_ref and callbacks_at) at the end, in the same transaction:
# after a kill -9 at any moment the database is intact, every index is
# there, and the file is entirely there or absent. The same rows shuffled
# also set the key's index aside (etl/indexes.c) and end
# the same; shuffled with a repeated key, the file is imported again with
# the key's index kept and stores the repeat as an update.
# e2e: alone -- its kills fall at timed moments (tests/e2e/run.sh)
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
"$PMGEN" --seed 21 --sites 5 --from 2026-09 --to 2026-10 --callbacks 200000 --only callbacks > big.csv ||
	fail "generator failed"
[ "$(wc -c < big.csv)" -gt 16777216 ] || fail "the file must be large enough to defer indexes"
rows=$(($(wc -l < big.csv) - 1))
indexes() { q "$1" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema
	WHERE type = 'index' AND tbl_name = 'callbacks' ORDER BY name)"; }
"$PMAUDIT" import --db ref.db big.csv >/dev/null || fail "import failed"
want=$(indexes ref.db)
assert_eq "callbacks_at callbacks_key callbacks_ref" \
	"$want" "indexes after a deferred build"
assert_eq ok "$(q ref.db 'PRAGMA integrity_check')" "integrity"
# the indexes answer as the table does
assert_eq "$(q ref.db "SELECT count(*), sum(length(ref_id)) FROM callbacks NOT INDEXED WHERE ref_kind = 'ticket'")" \
	"$(q ref.db "SELECT count(*), sum(length(ref_id)) FROM callbacks INDEXED BY callbacks_ref WHERE ref_kind = 'ticket'")" \
	"index content (deferred)"
assert_eq "$(q ref.db "SELECT count(*) FROM callbacks NOT INDEXED WHERE callback_at >= '2026-09-15'")" \
	"$(q ref.db "SELECT count(*) FROM callbacks INDEXED BY callbacks_at WHERE callback_at >= '2026-09-15'")" \
	"index content (callbacks_at)"
# the same rows in random order: the same table, every index, the same answers
{ head -n 1 big.csv; tail -n +2 big.csv | shuf --random-source=big.csv; } > shuffled.csv
"$PMAUDIT" import --db shuf.db shuffled.csv >/dev/null || fail "shuffled import failed"
assert_eq "$want" "$(indexes shuf.db)" "indexes after a shuffled import"
assert_eq ok "$(q shuf.db 'PRAGMA integrity_check')" "integrity (shuffled)"
rows_of() { q "$1" "SELECT group_concat(callback_id || callback_at || ref_id, ',') FROM
	(SELECT * FROM callbacks INDEXED BY callbacks_at WHERE callback_at >= '2026-10-01' ORDER BY callback_id)"; }
assert_eq "$(rows_of ref.db)" "$(rows_of shuf.db)" "callbacks_at answers the same (shuffled)"
assert_eq "$(q ref.db "SELECT count(*), sum(length(ref_id)) FROM callbacks INDEXED BY callbacks_ref WHERE ref_kind = 'ticket'")" \
	"$(q shuf.db "SELECT count(*), sum(length(ref_id)) FROM callbacks INDEXED BY callbacks_ref WHERE ref_kind = 'ticket'")" \
	"callbacks_ref answers the same (shuffled)"
table_of() { q "$1" "SELECT count(*), sum(length(callback_id || site || ref_kind || ref_id || callback_at
	|| ifnull(method, '') || ifnull(staff, '') || ifnull(role, '') || ifnull(result, '') || problem_found
	|| fields)), group_concat(callback_id, '') FROM (SELECT * FROM callbacks INDEXED BY callbacks_key
	WHERE callback_id >= '' ORDER BY callback_id)" | cksum; }
assert_eq "$(table_of ref.db)" "$(table_of shuf.db)" "the same records through callbacks_key (shuffled)"
counts() { q "$1" "SELECT rows_read, inserted, updated, unchanged, rejected FROM import_runs ORDER BY run_id DESC LIMIT 1"; }
assert_eq "$rows|$rows|0|0|0" "$(counts shuf.db)" "counts (shuffled)"
# once the key's index is set aside, the rows are stored in time order by
# chunks of 12 MiB (etl/time_order.h): past the first batches (kept in file
# order), the time goes down from one rowid to the next only where a chunk
# begins (this file: 2-3 chunks; in file order it would go down ~100,000 times)
descents=$(q shuf.db "SELECT count(*) FROM callbacks a JOIN callbacks b ON b.rowid = a.rowid + 1
	WHERE a.rowid > 16384 AND b.callback_at < a.callback_at")
[ "$descents" -ge 1 ] && [ "$descents" -le 6 ] ||
	fail "shuffled rows not stored in time order by chunks: $descents descents"
# each row keeps its own line of the file
assert_eq "$(tail -n +2 shuffled.csv | awk -F, '{ print $1 "|" NR + 1 }' | sort | cksum)" \
	"$(q shuf.db "SELECT callback_id, src_line FROM callbacks" | sort | cksum)" \
	"src_line of each row (shuffled)"
# a key repeated at the end, with another result: the second attempt upserts it
{ cat shuffled.csv; sed -n 2p big.csv | awk -F, -v OFS=, '{ $7 = "重复"; print }'; } > repeat.csv
"$PMAUDIT" import --db rep.db repeat.csv >/dev/null || fail "import with a repeated key failed"
assert_eq "$want" "$(indexes rep.db)" "indexes after a repeated key"
assert_eq "$((rows + 1))|$rows|1|0|0" "$(counts rep.db)" "counts with a repeated key"
assert_eq "1|1" "$(q rep.db "SELECT count(*), sum(staff = '重复') FROM callbacks
	WHERE callback_id = '$(sed -n 2p big.csv | cut -d, -f1)'")" "the repeated key's last row stored"
kills=0
for delay in 0.02 0.05 0.1 0.15 0.2 0.3 0.4 0.5 0.65 0.8 1.0; do
	rm -f k.db k.db-journal
	"$PMAUDIT" import --db k.db big.csv >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null
	[ -e k.db ] || continue
	assert_eq ok "$(q k.db 'PRAGMA integrity_check')" "integrity after kill at ${delay}s"
	# killed while the schema was being created (its own transaction):
	# nothing at all, as before the import
	if [ "$(q k.db "SELECT count(*) FROM sqlite_schema WHERE name = 'callbacks'")" = 0 ]; then
		assert_eq 0 "$(q k.db 'SELECT count(*) FROM sqlite_schema')" "empty schema after kill at ${delay}s"
		continue
	fi
	n=$(q k.db 'SELECT count(*) FROM callbacks')
	[ "$n" -eq 0 ] || [ "$n" -eq "$rows" ] || fail "partial file after kill at ${delay}s: $n rows"
	assert_eq "$want" "$(indexes k.db)" "indexes after kill at ${delay}s"
done
echo "kills: $kills"
[ "$kills" -ge 3 ] || fail "too few imports were actually killed ($kills)"
