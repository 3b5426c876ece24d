# Hostile values and structures in the input files. For each one the
# behaviour is written down and asserted: the exit status, the rows stored
# literally or rejected with a reason and a line, rows read = stored +
# rejected (nothing lost), PRAGMA integrity_check, no hang (timeout $HANG seconds: a hang
# is a run that never ends, and an ASan build on a loaded 2-core machine
# took over 20 s for the 20 MB file that takes 3.5 s alone).
. "$ROOT/tests/e2e/lib.sh"
HANG=120
cd "$T"
H='ticket_id,site,room,category,reported_at,completed_at,technician'
ROW=',S,1-101,水电,2026-10-02 09:00,,t'	# a good row after its key

# imp FILE [OPTION...]: imports FILE into a fresh FILE.db within $HANG s; sets
# $rc and $db, keeps out.txt and err.txt; fails on a hang or a crash.
imp() {
	f=$1
	shift
	db="$f.db"
	rm -f "$db"
	rc=0
	timeout "$HANG" "$PMAUDIT" import --db "$db" "$@" "$f" >out.txt 2>err.txt || rc=$?
	[ "$rc" -ne 124 ] || fail "$f: import hung"
	[ "$rc" -le 2 ] || fail "$f: import crashed (status $rc): $(cat err.txt)"
	assert_eq ok "$(q "$db" 'PRAGMA integrity_check')" "$f: integrity"
}

# balanced STORED REJECTED: the run of the last import read STORED +
# REJECTED rows, stored STORED of them and kept REJECTED in import_rejects.
balanced() {
	assert_eq "$(($1 + $2))" "$(q "$db" 'SELECT rows_read FROM import_runs')" "$f: rows read"
	assert_eq "$1" "$(q "$db" 'SELECT count(*) FROM tickets')" "$f: rows stored"
	assert_eq "$1" "$(q "$db" 'SELECT inserted + updated + unchanged FROM import_runs')" \
		"$f: stored count in the run"
	assert_eq "$2" "$(q "$db" 'SELECT count(*) FROM import_rejects')" "$f: rejects kept"
	assert_eq "$2" "$(q "$db" 'SELECT rejected FROM import_runs')" "$f: rejected count"
}

# reject LINE FIELD REASON: the reject of that line names that field and reason.
reject() {
	assert_eq "$2|$3" "$(q "$db" "SELECT ifnull(field,''), reason FROM import_rejects WHERE line=$1")" \
		"$f: reject of line $1"
}

# refused REASON: the file was refused as a whole (exit 2), nothing
# stored, one failed run whose reject (line 1) gives REASON, also on stderr.
refused() {
	assert_eq 2 "$rc" "$f: exit status"
	assert_eq "failed|0" "$(q "$db" 'SELECT group_concat(status), sum(rows_read) FROM import_runs')" "$f: one failed run"
	assert_eq "1|$1" "$(q "$db" 'SELECT line, reason FROM import_rejects')" "$f: reason"
	assert_eq 0 "$(q "$db" 'SELECT count(*) FROM tickets')" "$f: nothing stored"
	grep -qF "$f:1: $1" err.txt || fail "$f: message on stderr: $(cat err.txt)"
}

# NUL bytes in a field: that row is rejected naming the field; the text
# kept shows U+FFFD where the NUL was.
{
	echo "$H"
	printf 'N1,S\0ite,1-101,水电,2026-10-02 09:00,,t\n'
	printf 'N2,S,1-101,水电,2026-10-02 09:00,,t\0x\n'
	echo "N3$ROW"
} > nul.csv
imp nul.csv
assert_eq 1 "$rc" "nul.csv: exit status"
balanced 1 2
reject 2 site "NUL byte in the value"
reject 3 technician "NUL byte in the value"
assert_eq "N1,S�ite,1-101,水电,2026-10-02 09:00,,t" "$(q "$db" 'SELECT text FROM import_rejects WHERE line=2')" \
	"nul.csv: text kept with U+FFFD"

# Invalid UTF-8 in a UTF-8 file: only that row is rejected, whether the
# encoding is detected or given; the other rows are not garbled (read as
# GB18030, 花园小区 would become 鑺卞洯灏忓尯).
{
	echo "$H"
	echo 'U1,花园小区,1-101,水电,2026-10-02 09:00,,张三'
	printf 'U2,花园\377小区,1-101,水电,2026-10-02 09:00,,t\n'
	printf 'U3,花园小区,1-101,水电,2026-10-02 09:00,,\350\212\n'
	echo 'U4,花园小区,1-101,水电,2026-10-02 09:00,,李四'
} > badutf8.csv
for enc in auto utf-8; do
	imp badutf8.csv --encoding "$enc"
	assert_eq 1 "$rc" "badutf8.csv ($enc): exit status"
	grep -q '(run 1, utf-8)' out.txt || fail "badutf8.csv ($enc): not read as UTF-8: $(cat out.txt)"
	balanced 2 2
	reject 3 site "bytes that are not valid in the file's encoding"
	reject 4 technician "bytes that are not valid in the file's encoding"
	assert_eq "花园小区|张三" "$(q "$db" "SELECT site, technician FROM tickets WHERE ticket_id='U1'")" \
		"badutf8.csv ($enc): Chinese intact"
	assert_eq "U2,花园�小区,1-101,水电,2026-10-02 09:00,,t" \
		"$(q "$db" 'SELECT text FROM import_rejects WHERE line=3')" "badutf8.csv ($enc): text kept"
done
# A UTF-8 file cut off in the middle of its last character stays UTF-8.
{ echo "$H"; echo 'U1,花园小区,1-101,水电,2026-10-02 09:00,,张三'; printf 'U2,花园小区,1-101,水电,2026-10-02 09:00,,\345\274'; } > cut.csv
imp cut.csv
grep -q '(run 1, utf-8)' out.txt || fail "cut.csv: not read as UTF-8: $(cat out.txt)"
balanced 1 1
reject 3 technician "bytes that are not valid in the file's encoding"

# A 10 MB field: the record is rejected (records are capped at 1 MiB), the
# next row is stored, and memory stays far below the field's size times any
# factor that would matter (not on the sanitizer build: its shadow memory
# and quarantine say nothing about ours).
big=10000000
sanitized=""
if ldd "$PMAUDIT" 2>/dev/null | grep -q libasan; then
	sanitized=1
fi
{
	echo "$H"
	printf 'B1,S,1-101,水电,2026-10-02 09:00,,'
	head -c "$big" /dev/zero | tr '\0' x
	echo
	printf 'B2,S,1-101,水电,2026-10-02 09:00,,"'
	head -c "$big" /dev/zero | tr '\0' '\n'
	echo '"'
	echo "B3$ROW"
} > big.csv
rm -f big.csv.db
if [ -x /usr/bin/time ]; then
	rc=0
	timeout "$HANG" /usr/bin/time -f %M -o mem.txt "$PMAUDIT" import --db big.csv.db big.csv >out.txt 2>err.txt ||
		rc=$?
	kb=$(tail -n 1 mem.txt)
	echo "peak memory with $big-byte fields: $kb KB"
	if [ -n "$sanitized" ]; then
		echo "SKIP memory bound: sanitizer build"
	else
		[ "$kb" -lt 204800 ] || fail "big.csv: peak memory $kb KB"
	fi
	f=big.csv db=big.csv.db
else
	echo "SKIP memory bound: no /usr/bin/time"
	imp big.csv
fi
assert_eq 1 "$rc" "big.csv: exit status"
balanced 1 2
reject 2 "" "record longer than 1 MiB"
reject 3 "" "record longer than 1 MiB"
# the quoted field held $big line ends: B3 is on the line after them
assert_eq $((big + 4)) "$(q "$db" "SELECT src_line FROM tickets WHERE ticket_id='B3'")" "big.csv: line of B3"
[ "$(q "$db" 'SELECT max(length(CAST(text AS BLOB))) FROM import_rejects')" -le 1048576 ] ||
	fail "big.csv: kept text not capped at 1 MiB"

# 10,000 columns: in the header the file is refused; in a row, that row
# is rejected.
{ printf '%s,' "$H"; seq -s, 1 10000; echo "C1$ROW"; } > cols.csv
imp cols.csv
refused "more than 1024 fields"
{ echo "$H"; printf 'C1%s' "$ROW"; seq -s, 1 10000 | sed 's/^/,/'; echo "C2$ROW"; } > colrow.csv
imp colrow.csv
assert_eq 1 "$rc" "colrow.csv: exit status"
balanced 1 1
reject 2 "" "more than 1024 fields"

# Duplicate header names: two columns for the same field (also English and
# Chinese) refuse the file; two unknown columns of the same name are ignored
# with a warning.
{ echo "$H,ticket_id"; echo "D1$ROW,D2"; } > dup.csv
imp dup.csv
refused "columns 1 and 8 both give field ticket_id; keep one of them"
{ echo "工单号,$H"; echo "D1,D1$ROW"; } > dup2.csv
imp dup2.csv
refused "columns 1 and 2 both give field ticket_id; keep one of them"
{ echo "$H,note,note"; echo "D1$ROW,a,b"; } > dup3.csv
imp dup3.csv
assert_eq 0 "$rc" "dup3.csv: exit status"
balanced 1 0
grep -q 'warning: unknown columns ignored: note, note' err.txt || fail "dup3.csv: warning: $(cat err.txt)"

# A BOM in the middle of the file (two exports joined with cat): at the
# start of a value it is trimmed like a space, so the key is "M2", not
# "\ufeffM2"; inside a value it stays; the second header row is rejected
# as such.
{
	printf '\357\273\277%s\n' "$H"
	echo "M1$ROW"
	printf '\357\273\277%s\n' "$H"
	printf '\357\273\277M2%s\n' "$ROW"
	printf 'M3,S\357\273\277X,1-101,水电,2026-10-02 09:00,,t\n'
} > midbom.csv
imp midbom.csv
assert_eq 1 "$rc" "midbom.csv: exit status"
balanced 3 1
reject 3 "" "the header row again (were two files joined?)"
assert_eq 4 "$(q "$db" "SELECT src_line FROM tickets WHERE ticket_id='M2'")" "midbom.csv: key without BOM"
assert_eq 53efbbbf58 "$(q "$db" "SELECT lower(hex(site)) FROM tickets WHERE ticket_id='M3'")" \
	"midbom.csv: BOM inside a value kept"

# CR-only line ends (old Mac): three rows on lines 2-4; a CR inside quotes
# is part of the value and counts as a line.
printf '%s\r%s\r%s\r"R3\rx"%s\r' "$H" "R1$ROW" "R2$ROW" "$ROW" > cr.csv
imp cr.csv
assert_eq 0 "$rc" "cr.csv: exit status"
balanced 3 0
assert_eq "2 3 4" "$(q "$db" 'SELECT src_line FROM tickets ORDER BY src_line' | tr '\n' ' ' | sed 's/ $//')" \
	"cr.csv: lines"
assert_eq 52330d78 "$(q "$db" "SELECT lower(hex(ticket_id)) FROM tickets WHERE src_line=4")" \
	"cr.csv: CR inside quotes kept"

# A header-only file is a valid, empty log: exit 0, 0 rows, a run.
printf '%s\n' "$H" > hdr.csv
imp hdr.csv
assert_eq 0 "$rc" "hdr.csv: exit status"
assert_eq "ok|0" "$(q "$db" 'SELECT status, rows_read FROM import_runs')" "hdr.csv: run"
balanced 0 0

# An empty file, and one of blank lines and a BOM only, are refused.
: > empty.csv
imp empty.csv
refused "empty file: no header row"
printf '\357\273\277\n\r\n  \n' > blank.csv
imp blank.csv
refused "empty file: no header row"

# A directory, a FIFO (no writer: must not wait) and a missing file are
# refused before anything is recorded.
mkdir dir.csv
imp dir.csv
assert_eq 2 "$rc" "dir.csv: exit status"
grep -q 'dir.csv: is a directory, not a file' err.txt || fail "dir.csv: message: $(cat err.txt)"
if mkfifo fifo.csv 2>/dev/null; then
	imp fifo.csv
	assert_eq 2 "$rc" "fifo.csv: exit status"
	grep -q 'fifo.csv: not a regular file' err.txt || fail "fifo.csv: message: $(cat err.txt)"
fi
imp missing.csv
assert_eq 2 "$rc" "missing.csv: exit status"
grep -q 'missing.csv: cannot open: No such file' err.txt || fail "missing.csv: message: $(cat err.txt)"

# Files that are not CSV at all are refused naming what they look like.
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\6\0\0\0\037\025\304\211' > img.png
imp img.png
refused "not a CSV text file: this looks like a PNG image"
head -c 70000 /bin/ls > ls.bin
imp ls.bin
refused "not a CSV text file: this looks like a program (ELF)"
# the same program bytes without their signature: too many control bytes
tail -c 70000 /bin/ls > ls.tail
imp ls.tail
refused "not a CSV text file: this looks like binary data"
printf 'PK\003\004\024\0\0\0\10\0' > book.xlsx
imp book.xlsx
refused "not a CSV text file: this looks like a ZIP archive, e.g. an Excel .xlsx workbook: save it as CSV first"
printf '\377\376t\0i\0c\0k\0e\0t\0_\0i\0d\0\n\0' > utf16.csv
imp utf16.csv
refused "not a CSV text file: this looks like UTF-16 text (Excel's \"Unicode text\"): save it as \"CSV UTF-8\""

# Too few and too many fields: rejected with the counts; empty cells after
# the last column (Excel writes them) are accepted.
{
	echo "$H"
	echo "W1$ROW"
	echo 'W2,S,1-101,水电,2026-10-02 09:00'
	echo "W3$ROW,extra"
	echo "W4$ROW,,,"
	echo 'W5'
} > width.csv
imp width.csv
assert_eq 1 "$rc" "width.csv: exit status"
balanced 2 3
reject 3 "" "expected 7 fields as in the header, found 5"
reject 4 "" "expected 7 fields as in the header, found 8"
reject 6 "" "expected 7 fields as in the header, found 1"

# An unterminated quote at the end of the file: the record it opens runs to
# the end and is rejected as one, with its text kept (nothing lost), also
# when that is more than 1 MiB.
UNTERM="unterminated quoted field: a quote in this record is never closed, so the rest of the file was read as part of it"
{ echo "$H"; echo "Q1$ROW"; printf 'Q2,S,1-101,水电,2026-10-02 09:00,,"t\nQ3%s\n' "$ROW"; } > unterm.csv
imp unterm.csv
assert_eq 1 "$rc" "unterm.csv: exit status"
balanced 1 1
reject 3 "" "$UNTERM"
assert_eq "Q2,S,1-101,水电,2026-10-02 09:00,,\"t
Q3$ROW" "$(q "$db" 'SELECT text FROM import_rejects')" "unterm.csv: text kept"
{ echo "$H"; printf 'Q1,S,1-101,水电,2026-10-02 09:00,,"'; head -c 2000000 /dev/zero | tr '\0' y; } > unterm2.csv
imp unterm2.csv
balanced 0 1
reject 2 "" "$UNTERM"

# Control characters and escape sequences in the data reach no terminal:
# messages and `rejects` show them as \xNN, bidirectional overrides as
# \u202e; the stored text is unchanged.
ESC=$(printf '\033')
{
	printf '%s,\033]0;pwned\007\n' "$H"
	printf 'E1,S,1-101,水电,2026-10-02 09:00\033[2J,,t,\n'
	printf 'E2,S,1-101,水电,2026-10-02 09:00,,"a\r\nb\033c\342\200\256x\302\233",\n'
	printf 'E3,S,1-101,水电,2026-10-02 09:00,,t,\n'
	printf 'E4,S,1-101,水电,2026-10-02 09:00,,t\033[2J\n'
} > esc.csv
imp esc.csv
assert_eq 1 "$rc" "esc.csv: exit status"
balanced 2 2
if grep -q "$ESC" err.txt out.txt; then fail "esc.csv: an escape character reached the terminal"; fi
grep -qF 'warning: unknown columns ignored: \x1b]0;pwned\x07' err.txt || fail "esc.csv: warning: $(cat err.txt)"
grep -qF "esc.csv:2: reported_at: not a valid timestamp '2026-10-02 09:00\\x1b[2J'" err.txt ||
	fail "esc.csv: reason: $(cat err.txt)"
assert_eq 1b "$(q "$db" "SELECT lower(hex(substr(technician, 5, 1))) FROM tickets WHERE ticket_id='E2'")" \
	"esc.csv: escape stored as it is"
"$PMAUDIT" rejects --db "$db" > list.txt || fail "rejects failed"
if grep -q "$ESC" list.txt; then fail "rejects: an escape character reached the terminal"; fi
grep -qF '    | E4,S,1-101,水电,2026-10-02 09:00,,t\x1b[2J' list.txt || fail "rejects: text: $(cat list.txt)"
"$PMAUDIT" rejects --db "$db" --csv - > list.csv || fail "rejects --csv failed"
grep -q "$ESC" list.csv || fail "rejects --csv: the data must stay as it is"
{ echo "$H"; printf 'E2,S,1-101,水电,2026-10-02 09:00,,"a\342\200\256b\302\233",x\n'; } > bidi.csv
imp bidi.csv
"$PMAUDIT" rejects --db "$db" > list.txt
grep -qF '    | E2,S,1-101,水电,2026-10-02 09:00,,"a\u202eb\u009b",x' list.txt ||
	fail "rejects: bidi and C1 controls: $(cat list.txt)"
echo "all hostile files behaved as documented"
