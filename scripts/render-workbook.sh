#!/bin/sh
# Visual check of summary.xlsx (not part of `make test`): prints a workbook with LibreOffice headless to
# PDF, the way a manager would print it, and renders pages of it to PNG to look at.
#
#   scripts/render-workbook.sh [SUMMARY_XLSX] [OUT_DIR]
#
# Without SUMMARY_XLSX it builds teampulse (debug), backfills the sample data 2026-10-18..2026-11-15
# into a temporary output folder (so that the line charts have four weeks of history) and renders the
# workbook of 2026-11-15. Writes OUT_DIR/summary.pdf, OUT_DIR/pages.txt (the printed pages per sheet,
# from each page's header, which names the sheet) and OUT_DIR/<sheet>-<page>.png for the first pages of
# the Charts and Summary sheets; OUT_DIR defaults to /tmp/teampulse-render-workbook. Installs what is
# missing with apt-get: LibreOffice Calc (`libreoffice-calc-nogui`), poppler-utils (pdftoppm, pdftotext, pdfinfo)
# and a CJK font (`fonts-wqy-microhei`).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
out=${2:-/tmp/teampulse-render-workbook}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -ge 1 ]; then
  book=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
  swift build --product teampulse >/dev/null
  sed -e "s|\.\./sample-data|$root/sample-data|" -e "s|seeds: \.\./seeds|seeds: $root/seeds|" \
      -e "s|output: \.\./out|output: $work/out|" pipelines/nightly.yml > "$work/nightly.yml"
  .build/debug/teampulse run "$work/nightly.yml" --from 2026-10-18 --to 2026-11-15 --log-level error
  book=$work/out/2026-11-15/summary.xlsx
fi

missing=""
command -v soffice >/dev/null || missing="$missing libreoffice-calc-nogui"
command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null || missing="$missing poppler-utils"
# Chinese labels need a CJK font on the rendering machine; without one, LibreOffice draws empty boxes.
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing="$missing fonts-wqy-microhei"
if [ -n "$missing" ]; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# A profile of its own, so that a LibreOffice already running on the machine does not take the job.
cp "$book" "$work/summary.xlsx"
soffice -env:UserInstallation="file://$work/profile" --headless --norestore \
  --convert-to pdf --outdir "$work" "$work/summary.xlsx" >/dev/null 2>&1
cp "$work/summary.pdf" "$out/summary.pdf"

# Each printed page's header starts with its sheet's name (the workbook sets `&A` on the left).
pages=$(pdfinfo "$out/summary.pdf" | awk '/^Pages:/ {print $2}')
: > "$out/pages.txt"
page=1
while [ "$page" -le "$pages" ]; do
  sheet=$(pdftotext -f "$page" -l "$page" -layout "$out/summary.pdf" - | awk 'NF {print $1; exit}')
  echo "$page $sheet" >> "$out/pages.txt"
  page=$((page + 1))
done
rm -f "$out"/*.png
for sheet in Charts Summary; do
  first=$(awk -v s="$sheet" '$2 == s {print $1; exit}' "$out/pages.txt")
  last=$(awk -v s="$sheet" '$2 == s {n = $1} END {print n}' "$out/pages.txt")
  [ -n "$first" ] || continue
  [ "$last" -le $((first + 2)) ] || last=$((first + 2))
  pdftoppm -png -r 110 -f "$first" -l "$last" "$out/summary.pdf" "$out/$(echo "$sheet" | tr 'A-Z' 'a-z')"
done
echo "rendered $book"
echo "  $out/summary.pdf: $pages pages"
awk '{n[$2]++; if (!($2 in first)) {first[$2] = $1; order[++k] = $2}} END {for (i = 1; i <= k; i++) printf "    %-14s %d\n", order[i], n[order[i]]}' "$out/pages.txt"
ls "$out"/*.png | sed 's/^/  /'
