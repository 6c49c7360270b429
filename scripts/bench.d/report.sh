# Report (sourced by scripts/bench): `report --format html,xml` over the assessed $HOSTS-host store,
# and over a $SMALL_HOSTS-host store built the same way; peak RSS must stay flat (streaming).
# Then the HTML at fleet size: bytes and the time headless Chromium takes to open it and screenshot
# the first screen (1400×1000), against the demo report (24 lab hosts), target ≤ 3×; and the bytes
# per host of every format at $SMALL_HOSTS hosts.
SMALL="$WORK/small" SMALL_DB="$WORK/small.sqlite"
"$BIN" lab generate --hosts "$SMALL_HOSTS" --files-per-host "$FILES" --kbs "$KBS" --seed "$SEED" --out "$SMALL" >/dev/null
"$BIN" import-inventory --db "$SMALL_DB" "$SMALL/fleet.csv" >/dev/null
"$BIN" import-manifest --db "$SMALL_DB" "$SMALL"/manifests/*.txt >/dev/null
"$BIN" assess --db "$SMALL_DB" --limit 1 >/dev/null || [ $? = 3 ]

measure reps "$BIN" report --db "$SMALL_DB" --format html,xml --out "$WORK/report-small"
measure repb "$BIN" report --db "$DB" --format html,xml --out "$WORK/report-big"
big_bytes=$(du -cb "$WORK"/report-big/* | tail -1 | cut -f1)
figure "report.wall_s ($HOSTS hosts, html+xml)" "$repb_wall" "$reps_wall" "$(ratio "$repb_wall" "$reps_wall")" "-" "INFO (ref: $SMALL_HOSTS hosts)"
figure "report.output_mb" "$(mb $((big_bytes / 1024)))" "-" "-" "-" INFO
figure "report.peak_rss_mb ($HOSTS hosts)" "$(mb "$repb_rss")" "256" "$(ratio "$(mb "$repb_rss")" 256)" "<=256MB" "$(check_le "$(mb "$repb_rss")" 256)"
r=$(ratio "$repb_rss" "$reps_rss")
figure "report.rss_ratio ($HOSTS/$SMALL_HOSTS hosts)" "$(mb "$repb_rss")" "$(mb "$reps_rss")" "$r" "<=1.5" "$(check_le "$r" 1.5)"

# Bytes per host of each format at $SMALL_HOSTS hosts (INFO).
measure repf "$BIN" report --db "$SMALL_DB" --format html,xml,json,ndjson,csv --out "$WORK/report-formats"
for format in html xml json ndjson csv; do
    bytes=$(du -cb "$WORK"/report-formats/*."$format" | tail -1 | cut -f1)
    figure "report.$format.bytes_per_host ($SMALL_HOSTS)" "$((bytes / SMALL_HOSTS))" "-" "-" "-" INFO
done
figure "report.all_formats.wall_s ($SMALL_HOSTS)" "$repf_wall" "-" "-" "-" "INFO (peak RSS $(mb "$repf_rss") MB)"

# HTML open time: headless Chromium loads the file, runs its script and screenshots the first screen.
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$BROWSER" ]; then
    figure "report.html_open" "-" "-" "-" "-" "SKIP (chromium not installed)"
else
    # The demo report: the demo's 24 lab hosts (its own copy of data/, its own database).
    DEMO="$WORK/demo"
    mkdir -p "$DEMO" && cp -r "$ROOT/data" "$DEMO/"
    (cd "$DEMO" && "$BIN" demo >"$WORK/demo.out" 2>&1) || true
    DEMO_HTML=$(ls "$DEMO"/reports/*.html 2>/dev/null | head -1 || true)
    if [ -z "$DEMO_HTML" ]; then
        note "demo failed (see $WORK/demo.out); reference: a 24-host generated fleet"
        "$BIN" lab generate --hosts 24 --files-per-host "$FILES" --kbs 2 --seed "$SEED" --out "$DEMO/fleet" >/dev/null
        "$BIN" import-inventory --db "$DEMO/demo.sqlite" "$DEMO/fleet/fleet.csv" >/dev/null
        "$BIN" import-manifest --db "$DEMO/demo.sqlite" "$DEMO"/fleet/manifests/*.txt >/dev/null
        "$BIN" assess --db "$DEMO/demo.sqlite" >/dev/null || [ $? = 3 ]
        "$BIN" report --db "$DEMO/demo.sqlite" --format html --out "$DEMO/demo.html" >/dev/null
        DEMO_HTML="$DEMO/demo.html"
    fi
    # open_time FILE: best of 3 screenshot runs (wall seconds, browser start included), fresh profile each.
    open_time() {
        local best="" t0 t
        for _ in 1 2 3; do
            rm -rf "$WORK/chromium-profile"
            t0=$(now_ns)
            timeout 300 "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$WORK/chromium-profile" \
                --window-size=1400,1000 --screenshot="$WORK/open.png" "file://$1" >/dev/null 2>&1 || { echo 999; return; }
            t=$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
            best=$(fmin "$best" "$t")
        done
        echo "$best"
    }
    demo_open=$(open_time "$DEMO_HTML")
    small_html=$(ls "$WORK"/report-small/*.html | head -1)
    big_html=$(ls "$WORK"/report-big/*.html | head -1)
    small_open=$(open_time "$small_html")
    big_open=$(open_time "$big_html")
    cp "$WORK/open.png" "$WORK/open-$HOSTS.png" 2>/dev/null || true
    demo_bytes=$(stat -c %s "$DEMO_HTML") small_bytes=$(stat -c %s "$small_html") big_bytes=$(stat -c %s "$big_html")
    figure "report.html_mb ($SMALL_HOSTS hosts)" "$(mb $((small_bytes / 1024)))" "$(mb $((demo_bytes / 1024)))" "$(ratio "$small_bytes" "$demo_bytes")" "-" "INFO (ref: demo)"
    figure "report.html_mb ($HOSTS hosts)" "$(mb $((big_bytes / 1024)))" "$(mb $((demo_bytes / 1024)))" "$(ratio "$big_bytes" "$demo_bytes")" "-" "INFO (ref: demo)"
    r=$(ratio "$small_open" "$demo_open")
    figure "report.html_open_s ($SMALL_HOSTS hosts)" "$small_open" "$demo_open" "$r" "<=3.0" "$(check_le "$r" 3.0)"
    r=$(ratio "$big_open" "$demo_open")
    figure "report.html_open_s ($HOSTS hosts)" "$big_open" "$demo_open" "$r" "<=3.0" "$(check_le "$r" 3.0)"
fi
