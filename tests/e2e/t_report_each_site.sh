#!/bin/sh
# report monthly --each-site DIR (issue 14): the group report and one report
# per site in one call. Each site's PDF and breaches CSV are the bytes
# `report monthly --site S` writes (the same figures, read back with
# pdftotext too); file names from hostile site names stay inside DIR,
# visible, unique and short; a failing site names the site and its file and
# leaves no half-written PDF; outputs that clash are refused before any work.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

cd "$T"
import_fixtures d.db
private_tmpdir
# sites whose names are not file names: separators, a leading dot, a
# Windows device, two names a case-blind file system cannot tell apart, and
# one far too long
long=$(printf '园%.0s' $(seq 1 90))
i=0
for s in '../escape' '.hidden' 'a/b' 'a:b' 'CON' 'Ab' 'ab' "$long"; do
	i=$((i + 1))
	sqlite3 d.db "INSERT INTO tickets(ticket_id, site, category, reported_at)
		VALUES('H$i', '$s', '水电', '2026-10-0$i 10:00:00')"
done

# callbacks filed under another site than their record's (each site's
# report reads the other's record: a slice of one site's rows must hold it)
sqlite3 d.db "INSERT INTO callbacks(callback_id, site, ref_kind, ref_id, callback_at, result)
	VALUES('X1', '翠湖花园', 'ticket', 'T2026100026', '2026-10-12 09:00:00', '不满意'),
	      ('X2', '海棠湾', 'complaint', 'C2026100004', '2026-10-20 09:00:00', '满意'),
	      ('X3', '金桂苑', 'ticket', 'T2026100027', '2026-10-01 09:00:00', '满意')"

"$PMAUDIT" report monthly --db d.db --month 2026-10 --out group.pdf --each-site sites \
	>out.txt 2>err.txt || fail "each-site: exit $?: $(cat err.txt)"
qpdf --check group.pdf >/dev/null || fail "group report: qpdf"
nsites=$(sqlite3 d.db "SELECT count(*) FROM (SELECT site FROM tickets UNION SELECT site FROM
	complaints UNION SELECT site FROM callbacks UNION SELECT site FROM fees) WHERE site <> ''")
assert_eq "$nsites" "$(ls sites/*.pdf | wc -l)" "one PDF per site"
assert_eq "$nsites" "$(ls sites/*-breaches.csv | wc -l)" "one breaches CSV per site"
assert_eq $((nsites + 1)) "$(wc -l <out.txt)" "every file written is printed"
grep -qx 'group.pdf' out.txt || fail "the group report is not printed"
# nothing outside DIR, nothing hidden, no temporary left
[ ! -e escape.pdf ] && [ ! -e ../escape.pdf ] || fail "a file escaped DIR"
[ -z "$(ls -A sites | grep '^\.')" ] || fail "a hidden file: $(ls -A sites | grep '^\.')"
[ -z "$(ls tmp)" ] || fail "left in TMPDIR: $(ls tmp)"
ls -A sites | grep -v -e '\.pdf$' -e '-breaches\.csv$' && fail "a stray file in DIR"
for f in sites/*.pdf; do
	qpdf --check "$f" >/dev/null || fail "$f: qpdf"
	n=$(basename "$f" .pdf)
	[ "$(printf '%s' "$n" | wc -c)" -le 135 ] || fail "$f: name too long"
done
# readable names are kept; changed ones carry a hash; collisions are numbered
for n in 海棠湾 翠湖花园 金桂苑 Ab; do [ -s "sites/$n.pdf" ] || fail "no sites/$n.pdf"; done
[ -s sites/ab-2.pdf ] || fail "'ab' after 'Ab' is not ab-2.pdf: $(ls sites)"
ls sites | grep -q '^_\._escape-[0-9a-f]\{8\}\.pdf$' || fail "../escape: $(ls sites)"
ls sites | grep -q '^_hidden-[0-9a-f]\{8\}\.pdf$' || fail ".hidden: $(ls sites)"
ls sites | grep -q '^_CON-[0-9a-f]\{8\}\.pdf$' || fail "CON: $(ls sites)"
[ "$(ls sites | grep -c '^a_b-[0-9a-f]\{8\}\.pdf$')" -eq 2 ] || fail "a/b and a:b: $(ls sites)"
# the long name: 40 characters of it (120 bytes) and the hash
ls sites | grep -q "^$(printf '园%.0s' $(seq 1 40))-[0-9a-f]\{8\}\.pdf\$" || fail "long name: $(ls sites)"

# Each site's report is the one --site makes: the same bytes (the appendix
# names the CSV by the PDF's name, hence the same file name in another
# folder), and the same text and figures read back -- every site of the
# fixtures (a site's report reads a slice of the logs with its rows only,
# db/site_slice.c) and one with tickets only.
mkdir one
for s in 海棠湾 翠湖花园 金桂苑 Ab; do
	"$PMAUDIT" report monthly --db d.db --month 2026-10 --site "$s" --out "one/$s.pdf" >/dev/null ||
		fail "--site $s"
	cmp "one/$s.pdf" "sites/$s.pdf" || fail "$s: the PDF differs from --site's"
	cmp "one/$s-breaches.csv" "sites/$s-breaches.csv" || fail "$s: the CSV differs from --site's"
	pdftotext "one/$s.pdf" a.txt 2>/dev/null
	pdftotext "sites/$s.pdf" b.txt 2>/dev/null
	cmp a.txt b.txt || fail "$s: the text differs"
done
# A site too large to slice reads the whole database, as --site does: with
# a limit of 100 records the fixtures' three sites are not sliced, the
# one-ticket sites before them in byte order are (TEMP tables dropped
# between the two kinds); the same bytes either way.
PMAUDIT_SLICE_MAX_ROWS=100 "$PMAUDIT" report monthly --db d.db --month 2026-10 --out g7.pdf \
	--each-site sites7 >/dev/null 2>err7.txt || fail "each-site, limit 100: $(cat err7.txt)"
for f in sites/*.pdf sites/*.csv; do
	cmp "$f" "sites7/${f#sites/}" || fail "$f: differs when sites are not sliced"
done
# and they are the site's figures, not the group's: the site's rule counts
"$PMAUDIT" check --db d.db --month 2026-10 --site 海棠湾 --json s.json >/dev/null
pdf_text sites/海棠湾.pdf s.txt
for k in T-CB-LEAK T-CB-OTHER T-ARRIVE; do
	rate=$(j s.json "\$.rules.\"$k\".rate")
	[ -n "$rate" ] || fail "海棠湾: rule $k has no rate in the JSON"
	has s.txt "$(pct "$rate")" "海棠湾's rule $k rate"
done
has s.txt '海棠湾' "the cover's site"
! grep -qF '翠湖花园' s.txt || fail "海棠湾's report names another site"

# A site that fails: the message names the site and its file, the sites
# before it are written, its own PDF is not, nothing half-written is left.
# (On the fixtures' sites alone: the one-ticket sites above would each be a
# report written before the failing one, a minute under ASan for nothing.)
cp d.db d2.db
sqlite3 d2.db "DELETE FROM tickets WHERE ticket_id IN ('H1','H2','H3','H4','H5','H6','H7','H8')"
mkdir fake
# (a chart that names 金桂苑 but not 海棠湾 fails: the site's own charts. One
# gnuplot draws all of a report's charts, so the fake reads chart by chart,
# each up to the line that asks gnuplot to print that it is done.)
cat > fake/gnuplot <<EOF
#!/bin/sh
chart=
while IFS= read -r line; do
	chart="\$chart\$line
"
	case "\$line" in print*)
		case "\$chart" in *金桂苑*) case "\$chart" in *海棠湾*) ;; *)
			echo "line 0: simulated failure" >&2; exit 1;; esac;; esac
		printf '%s' "\$chart"
		chart=;;
	esac
done | "$real_gnuplot"
EOF
chmod +x fake/gnuplot
rc=0
env PATH="$T/fake:$PATH" "$PMAUDIT" report monthly --db d2.db --month 2026-10 --out g2.pdf \
	--each-site sites2 >out2.txt 2>err2.txt || rc=$?
assert_eq 1 "$rc" "a failing site: exit status"
grep -qF "site '金桂苑' (sites2/金桂苑.pdf)" err2.txt || fail "the error names site and file: $(cat err2.txt)"
grep -qF 'simulated failure' err2.txt || fail "the error says why: $(cat err2.txt)"
[ -s g2.pdf ] && [ -s sites2/海棠湾.pdf ] && [ -s sites2/翠湖花园.pdf ] ||
	fail "the reports before the failing site: $(ls sites2)"
[ ! -e sites2/金桂苑.pdf ] && [ ! -e sites2/金桂苑-breaches.csv ] || fail "the failing site's files"
[ -z "$(ls -A sites2 | grep -v -e '\.pdf$' -e '-breaches\.csv$')" ] || fail "a temporary left in DIR"
[ -z "$(ls tmp)" ] || fail "left in TMPDIR: $(ls tmp)"

# Refused before any work: a site's file that is --out, DIR that is a
# file, --each-site with --site or for another report.
rc=0
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out sites3/海棠湾.pdf --each-site sites3 \
	>/dev/null 2>err3.txt || rc=$?
assert_eq 1 "$rc" "--out is a site's file: exit status"
grep -qF "site '海棠湾'" err3.txt || fail "--out clash: $(cat err3.txt)"
[ ! -e sites3/海棠湾.pdf ] && [ -z "$(ls sites3)" ] || fail "--out clash: something was written"
touch afile
rc=0
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out g4.pdf --each-site afile \
	>/dev/null 2>err4.txt || rc=$?
assert_eq 1 "$rc" "DIR is a file: exit status"
grep -qF 'not a folder' err4.txt || fail "DIR is a file: $(cat err4.txt)"
[ ! -e g4.pdf ] || fail "DIR is a file: the group report was written"
rc=0
"$PMAUDIT" report monthly --db d.db --month 2026-10 --site 海棠湾 --out g5.pdf --each-site s5 \
	>/dev/null 2>&1 || rc=$?
assert_eq 2 "$rc" "--each-site with --site"
rc=0
"$PMAUDIT" report annual --db d.db --year 2026 --out g6.pdf --each-site s6 >/dev/null 2>&1 || rc=$?
assert_eq 2 "$rc" "--each-site for annual"
echo "ok"
