# Report (sourced by scripts/bench): `report --format html,xml` over the assessed $HOSTS-host store,
# and over a $SMALL_HOSTS-host store built the same way; peak RSS must stay flat (streaming).
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
