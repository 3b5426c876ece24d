# A full disk, a read-only database and a locked database give a clear error
# and leave the database intact.
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
"$PMGEN" --seed 3 --sites 2 --from 2026-10 --to 2026-10 --tickets 300 --only tickets > t.csv
"$PMGEN" --seed 4 --sites 2 --from 2026-10 --to 2026-10 --tickets 60000 --only tickets > big.csv

# hold_lock [SECONDS]: another process takes the write lock of l.db and holds
# it for SECONDS once it has it -- or, without SECONDS, until ./release exists
# (at most 5 minutes); returns when the lock is held. Readiness and release
# are files, not delays, so a busy machine cannot make the lock come late.
hold_lock() {
	rm -f locked.ready release
	if [ $# -gt 0 ]; then echo "sleep $1" > hold.sh
	else echo 'i=0; while [ ! -e release ] && [ $i -lt 3000 ]; do sleep 0.1; i=$((i+1)); done' > hold.sh
	fi
	( printf 'BEGIN EXCLUSIVE;\nSELECT 1;\n.shell touch locked.ready\n.shell sh hold.sh\nCOMMIT;\n' |
		sqlite3 l.db >/dev/null ) &
	while [ ! -e locked.ready ]; do sleep 0.1; done
}

# Locked: another process holds the write lock for 2 s; import waits, then succeeds.
"$PMAUDIT" import --db l.db t.csv >/dev/null || fail "import failed"
hold_lock 2
"$PMAUDIT" import --db l.db big.csv >/dev/null 2>err.txt || fail "import did not wait for the lock: $(cat err.txt)"
wait
assert_eq ok "$(q l.db 'PRAGMA integrity_check')" "integrity after lock"

# Locked for longer than pmaudit waits: a clear error naming the lock, exit 2.
hold_lock
rc=0; "$PMAUDIT" import --db l.db t.csv >/dev/null 2>err.txt || rc=$?
: > release
wait
assert_eq 2 "$rc" "exit status when the database stays locked"
grep -qi 'lock' err.txt || fail "error does not say the database is locked: $(cat err.txt)"
assert_eq ok "$(q l.db 'PRAGMA integrity_check')" "integrity after lock timeout"

# Full disk and read-only need a small tmpfs; mount needs root.
mnt="$T/mnt"; mkdir -p "$mnt"
if ! mount -t tmpfs -o size=2m tmpfs "$mnt" 2>/dev/null; then
	echo "SKIP full-disk and read-only parts: cannot mount a tmpfs here"
	exit 0
fi
trap 'umount "$mnt" 2>/dev/null' EXIT
"$PMAUDIT" import --db "$mnt/f.db" t.csv >/dev/null || fail "small import on tmpfs failed"
n=$(q "$mnt/f.db" 'SELECT count(*) FROM tickets')
rc=0; "$PMAUDIT" import --db "$mnt/f.db" big.csv >/dev/null 2>err.txt || rc=$?
assert_eq 2 "$rc" "exit status on a full disk"
grep -Eqi 'full|space' err.txt || fail "full-disk error unclear: $(cat err.txt)"
assert_eq ok "$(q "$mnt/f.db" 'PRAGMA integrity_check')" "integrity after full disk"
assert_eq "$n" "$(q "$mnt/f.db" 'SELECT count(*) FROM tickets')" "full disk: nothing of the file stored"

mount -o remount,ro "$mnt"
rc=0; "$PMAUDIT" import --db "$mnt/f.db" t.csv >/dev/null 2>err.txt || rc=$?
assert_eq 2 "$rc" "exit status on a read-only database"
grep -Eqi 'read-only|readonly' err.txt || fail "read-only error unclear: $(cat err.txt)"
assert_eq "$n" "$(q "$mnt/f.db" 'SELECT count(*) FROM tickets')" "read-only: database unchanged"
