#!/usr/bin/env bash
# Renders the HTML pages of the README's main job (compare) and of a daily report with headless Chromium,
# fails when a page is wider than 800 px or logs a console error, and writes screenshots.
#   Tests/Browser/check.sh [OUT_DIR]        (needs a built contact-metrics and `chromium`; skips without it)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/contact-metrics-pages}
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then echo "browser check: no chromium, skipped"; exit 0; fi
bin=.build/release/contact-metrics
[ -x "$bin" ] || bin=.build/debug/contact-metrics
mkdir -p "$out"
"$bin" compare SampleData/hampshire/contacts.csv.gz SampleData/hampshire/incidents.csv.gz \
  --before "Pre CMP=2019-04-01..2019-05-31" --after "CMP being used=2020-04-01..2020-05-31" \
  --format html --output "$out/compare.html" --no-progress 2>/dev/null
"$bin" report SampleData/contacts.csv SampleData/incidents.csv --period day --format html --output "$out/report.html" --no-progress 2>/dev/null
# The issue's size and speed case: every day of the whole Hampshire sample (under 2 MB, open in under 2 s).
"$bin" report SampleData/hampshire/contacts.csv.gz SampleData/hampshire/incidents.csv.gz --period day --format html \
  --output "$out/report-day.html" --no-progress 2>/dev/null
status=0
for page in compare report report-day; do
  # A page in an 800 px frame: its scroll width says whether anything sticks out.
  cat > "$out/check-$page.html" <<HTML
<!DOCTYPE html><html><body><iframe id="f" src="$page.html" width="800" height="600"></iframe>
<script>document.getElementById('f').onload = function () {
  var timing = this.contentWindow.performance.timing;
  document.body.setAttribute('data-load', timing.loadEventStart - timing.navigationStart);
  document.body.setAttribute('data-width', this.contentDocument.documentElement.scrollWidth); };</script></body></html>
HTML
  start=$(date +%s%N)
  dom=$(timeout 60 "$chrome" --headless --no-sandbox --disable-gpu --allow-file-access-from-files --virtual-time-budget=3000 \
        --enable-logging=stderr --v=0 --dump-dom "file://$out/check-$page.html" 2>"$out/$page.log")
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  width=$(grep -o 'data-width="[0-9]*"' <<<"$dom" | grep -o '[0-9]*' || echo 0)
  # Chromium's own timing of the page in the frame, from navigation to its load event (parse, style, layout).
  load=$(timeout 60 "$chrome" --headless --no-sandbox --disable-gpu --allow-file-access-from-files \
        --dump-dom "file://$out/check-$page.html" 2>/dev/null | grep -o 'data-load="[0-9]*"' | grep -o '[0-9]*' || echo 0)
  timeout 60 "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=800,2400 \
    --screenshot="$out/$page.png" "file://$out/$page.html" >/dev/null 2>&1
  size=$(wc -c < "$out/$page.html")
  echo "browser check: $page.html $size bytes, scroll width ${width} px, loaded in ${load} ms (${elapsed} ms with Chromium's start), screenshot $out/$page.png"
  if [ "$size" -gt 2000000 ]; then echo "browser check: $page.html is over 2 MB"; status=1; fi
  if [ "$load" -gt 2000 ]; then echo "browser check: $page.html took over 2 s to load"; status=1; fi
  if [ "$width" -eq 0 ] || [ "$width" -gt 800 ]; then echo "browser check: $page.html is ${width} px wide in an 800 px frame"; status=1; fi
  if grep -E "CONSOLE.*(Error|error)|Uncaught" "$out/$page.log"; then echo "browser check: console error on $page.html"; status=1; fi
done
exit $status
