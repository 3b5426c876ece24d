#!/bin/sh
# Re-renders the pictures of the reports' pages that docs/reports.md shows
# (docs/img/*.png, the PDF pages only; the workbook's are LibreOffice's):
# the demo database of `make demo`, each report in Chinese and English, one
# page per picture found by a text on it, at 50 dpi (414 x 585, tens of kB).
#   PMAUDIT=build/pmaudit tools/gallery.sh
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
PMAUDIT=${PMAUDIT:-build/pmaudit} tools/demo.sh >/dev/null
db=out/demo.db
for lang in zh en; do
	company="示例物业服务有限公司"
	[ $lang = en ] && company="Example Property Services"
	"$PMAUDIT" report monthly --db $db --month 2026-10 --lang $lang --company "$company" \
		--out "$out/monthly-$lang.pdf" >/dev/null 2>&1
	"$PMAUDIT" report annual --db $db --year 2026 --lang $lang --company "$company" \
		--out "$out/annual-$lang.pdf" >/dev/null 2>&1
	"$PMAUDIT" report inspection --db $db --quarter 2026Q4 --seed 2026 --lang $lang \
		--company "$company" --out "$out/inspection-$lang.pdf" >/dev/null 2>&1
done

# shot NAME PDF TEXT: the first page whose text holds TEXT, as docs/img/NAME.png
shot() {
	n=$(pdfinfo "$2" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	i=1
	while [ "$i" -le "$n" ]; do
		if pdftotext -f "$i" -l "$i" "$2" - 2>/dev/null | tr -d ' \n' | grep -qF -- "$3"; then
			pdftoppm -png -r 50 -f "$i" -l "$i" -singlefile "$2" "docs/img/$1" 2>/dev/null
			return 0
		fi
		i=$((i + 1))
	done
	echo "gallery: no page of $2 holds '$3'" >&2
	return 1
}

shot monthly-cover "$out/monthly-zh.pdf" "数据覆盖范围"
shot monthly-exec "$out/monthly-zh.pdf" "整改清单"
shot monthly-summary "$out/monthly-zh.pdf" "各项规则达标情况"
shot monthly-fees "$out/monthly-zh.pdf" "欠费账龄"
shot monthly-audit "$out/monthly-zh.pdf" "十一、项目排名"
shot monthly-backlog "$out/monthly-zh.pdf" "十二、未办结事项"
shot monthly-trend "$out/monthly-zh.pdf" "九、近十二个月趋势"
shot monthly-sources "$out/monthly-zh.pdf" "附录数据来源"
shot monthly-exec-en "$out/monthly-en.pdf" "Rectificationlist"
shot monthly-summary-en "$out/monthly-en.pdf" "Rulesagainsttheirtargets"
shot annual-exec "$out/annual-zh.pdf" "整改清单"
shot annual-summary "$out/annual-zh.pdf" "一、全年工作概况"
shot annual-exec-en "$out/annual-en.pdf" "Rectificationlist"
shot inspection-checklist "$out/inspection-zh.pdf" "二、抽查清单"
shot inspection-checklist-en "$out/inspection-en.pdf" "Checklist"
ls -l docs/img/monthly-*.png docs/img/annual-*.png docs/img/inspection-*.png
