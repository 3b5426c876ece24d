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
