"""Headings kept with what they introduce, checked page by page from
`pdftotext -bbox-layout` (tests/e2e/t_report_layout.sh).

    layout_pages.py PDF TITLES

TITLES holds the PDF's bookmark titles, one a line. A heading is a line
whose text is a title and whose glyphs are taller than body text (the
section and subsection sizes). Prints one line per fault and exits 1:

  alone      a page's lowest line is a heading;
  no content a page's last heading is followed on it only by lines of
             paragraph text (one text line at a height: no table row, which
             has two or more cells side by side, no figure caption), while
             the next page begins with a table row or a figure -- the heading
             and its paragraph were kept, the table or figure they introduce
             was not; or the next page begins with a heading under it (a
             subsection of a section: smaller) -- the section and its
             paragraph were kept, what they introduce was not;
  nearly empty a page other than the last whose text ends in the top
             quarter of the page while the next page is not empty: a
             table's last row or two carried over and the next section
             begun on a new page (the English annual executive summary's
             last rectification row alone on page 3).
"""
import re
import subprocess
import sys

HEADER_BOTTOM = 45.0      # the running header is above this
FOOTER_TOP = 790.0        # the page footer is below this
HEADING_HEIGHT = 13.0     # body and cells are about 10 high, headings 14.5 and more
NEARLY_EMPTY = 250.0      # a page's text ending above this is a stub
CAPTION = re.compile(r"^(图\s*\d+|Figure \d+:)")

pdf, titles_file = sys.argv[1], sys.argv[2]
# compared without spaces: pdftotext spaces "附录 数据来源" as it is drawn
titles = set("".join(t.split()) for t in open(titles_file, encoding="utf-8") if t.strip())
xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True,
                     text=True).stdout
pages = []
bottoms = []              # each page's lowest text line's bottom
for page in re.findall(r"<page [^>]*>(.*?)</page>", xml, re.S):
    lines = []
    for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">(.*?)</line>', page, re.S):
        y0, y1 = float(m.group(2)), float(m.group(4))
        if y0 < HEADER_BOTTOM or y0 > FOOTER_TOP:
            continue
        words = re.findall(r">([^<]*)</word>", m.group(5))
        text = " ".join(words).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        text = text.replace("&quot;", '"').replace("&apos;", "'")
        lines.append((round(y0, 1), y1 - y0, text))
    bottoms.append(max((y0 + h for y0, h, _ in lines), default=0.0))
    # rows: the lines at one height (cells of a table row, tiles side by side)
    rows = {}
    for y0, h, text in lines:
        rows.setdefault(y0, []).append((h, text))
    pages.append([(y, rows[y]) for y in sorted(rows)])


def is_heading(row):
    return len(row) == 1 and row[0][0] > HEADING_HEIGHT and "".join(row[0][1].split()) in titles


def is_content(row):
    """a table row, tiles, or a figure's caption (the figure is above it)"""
    return len(row) >= 2 or bool(CAPTION.match(row[0][1].strip()))


faults = []
for i, rows in enumerate(pages):
    if not rows:
        continue
    if is_heading(rows[-1][1]):
        faults.append("page %d: alone: ends with the heading '%s'" % (i + 1, rows[-1][1][0][1]))
        continue
    last = max((k for k, (_, row) in enumerate(rows) if is_heading(row)), default=None)
    if last is None or i + 1 >= len(pages) or not pages[i + 1]:
        continue
    after = [row for _, row in rows[last + 1:]]
    nxt = pages[i + 1][0][1]
    child = is_heading(nxt) and nxt[0][0] < rows[last][1][0][0] - 2
    if after and not any(is_content(row) for row in after) and \
            ((is_content(nxt) and not is_heading(nxt)) or child):
        faults.append("page %d: no content: the heading '%s' and its paragraph end the page, "
                      "page %d begins with '%s'" % (i + 1, rows[last][1][0][1], i + 2,
                                                    " | ".join(t for _, t in nxt)[:60]))
for i in range(len(pages) - 1):
    if pages[i] and pages[i + 1] and bottoms[i] < NEARLY_EMPTY:
        faults.append("page %d: nearly empty: its text ends at %.0f pt of 842, page %d goes on"
                      % (i + 1, bottoms[i], i + 2))
for f in faults:
    print(f)
sys.exit(1 if faults else 0)
