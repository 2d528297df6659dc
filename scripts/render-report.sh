#!/bin/sh
# Visual check of report.html (not part of `make test`): renders a report headless with Chromium at a
# desktop and a phone width and writes PNG screenshots to look at.
#
#   scripts/render-report.sh [REPORT_HTML] [OUT_DIR]
#
# Without REPORT_HTML it builds teampulse (debug), backfills the sample data 2026-11-01..2026-11-15
# into a temporary output folder (so that the movers have a week of history) and renders the report
# of 2026-11-15. Screenshots: OUT_DIR/report-desktop.png (1366 wide) and OUT_DIR/report-phone.png
# (390 wide), OUT_DIR defaulting to /tmp/teampulse-render. Installs Chromium with apt-get when missing
# (Debian package `chromium`), and a CJK font (`fonts-wqy-microhei`) when none is installed.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
out=${2:-/tmp/teampulse-render}
mkdir -p "$out"

if [ $# -ge 1 ]; then
  report=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
  swift build --product teampulse >/dev/null
  work=$(mktemp -d)
  sed -e "s|\.\./sample-data|$root/sample-data|" -e "s|seeds: \.\./seeds|seeds: $root/seeds|" \
      -e "s|output: \.\./out|output: $work/out|" pipelines/nightly.yml > "$work/nightly.yml"
  .build/debug/teampulse run "$work/nightly.yml" --from 2026-11-01 --to 2026-11-15 --log-level warning
  report=$work/out/2026-11-15/report.html
fi

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
  browser=$(command -v chromium)
fi

# Chinese labels need a CJK font on the rendering machine (the report names common ones and falls back
# to sans-serif); without one, Chromium draws empty boxes.
if [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-wqy-microhei
fi

# No network is needed: the page must render completely from the file alone.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --screenshot="$out/report-desktop.png" --window-size=1366,2400 "file://$report" 2>/dev/null
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --screenshot="$out/report-phone.png" --window-size=390,4400 "file://$report" 2>/dev/null
echo "rendered $report"
echo "  $out/report-desktop.png"
echo "  $out/report-phone.png"
