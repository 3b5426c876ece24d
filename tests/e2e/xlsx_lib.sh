# Helpers for the workbook tests (sourced after lib.sh and report_lib.sh).

# PY: a python3 that has openpyxl (Debian's python3-openpyxl, installed by
# `make deps`); the workbook tests read every workbook back with it.
PY=""
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import openpyxl' 2>/dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || fail "no python3 with openpyxl (python3-openpyxl; run make deps)"

# xlsx_check BOOK JSON DB [options]: the workbook against the JSON summary and the database
xlsx_check() { "$PY" "$ROOT/tests/e2e/xlsx_check.py" "$@" || fail "workbook $1 differs (above)"; }
