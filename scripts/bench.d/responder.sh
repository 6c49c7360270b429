# Responder throughput (sourced by scripts/bench): Postfix smtp-source against our probe responder
# (one 354 continuation line, no delay, the one recipient token it prints) vs against Postfix
# smtp-sink, same machine, same run. Sessions/s = messages / wall (smtp-source opens one session
# per message without -d). Alternating rounds (5, or 3 with --quick): smtp-sink, then ours, right after
# each other. The target is checked on the median of the rounds' paired ratios — a pair shares the
# machine's state of that moment, which on a shared 2-core machine swings either side by ±30 %; the
# best of each side and every round are printed too.
SINK=/usr/sbin/smtp-sink SOURCE=/usr/sbin/smtp-source
PROBE_DOMAIN=probe.bench.test
ROUNDS=${BENCH_RESPONDER_ROUNDS:-$( [ "$QUICK" = 1 ] && echo 3 || echo 5 )}
pair_ratios=""
sink_user=(); [ "$(id -u)" = 0 ] && sink_user=(-u nobody)

responder_cmd=()
if [ -f "$ROOT/scripts/bench.d/responder-cmd.sh" ]; then . "$ROOT/scripts/bench.d/responder-cmd.sh"; fi
best_sink="" best_ours="" sink_rss=0 resp_rss=0 all_sink="" all_ours=""
for round in $(seq 1 "$ROUNDS"); do
    # Reference: smtp-sink (backlog 256).
    port=$(free_port)
    /usr/bin/time -f "%M" -o "$WORK/sink.rss" "$SINK" "${sink_user[@]}" "127.0.0.1:$port" 256 >"$WORK/sink.out" 2>&1 &
    sink_pid=$!; PIDS+=("$sink_pid")
    wait_port 127.0.0.1 "$port"
    measure srcsink "$SOURCE" -s 50 -m "$MESSAGES" -l 1000 -f bench@sender.test -t "probe+bench@$PROBE_DOMAIN" "127.0.0.1:$port"
    kill $(pgrep -P "$sink_pid" || echo "$sink_pid") 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true
    sink_rss=$(imax "$sink_rss" "$(grep -E '^[0-9]+$' "$WORK/sink.rss" | tail -1 || echo 0)")
    rate_now=$(rate "$MESSAGES" "$srcsink_wall"); all_sink="$all_sink $rate_now"
    best_sink=$(awk -v a="$best_sink" -v b="$rate_now" 'BEGIN { print (a == "" || b + 0 > a + 0) ? b : a }')

    [ "${#responder_cmd[@]}" = 0 ] && continue
    port=$(free_port)
    . "$ROOT/scripts/bench.d/responder-cmd.sh"
    /usr/bin/time -f "%M" -o "$WORK/resp.rss" "${responder_cmd[@]}" >"$WORK/resp.out" 2>"$WORK/resp.err" &
    resp_pid=$!; PIDS+=("$resp_pid")
    wait_port 127.0.0.1 "$port"
    for _ in $(seq 1 50); do [ -n "$(responder_recipient)" ] && break; sleep 0.1; done
    recipient=$(responder_recipient)
    [ -n "$recipient" ] || { echo "bench: responder printed no recipient" >&2; cat "$WORK/resp.out" "$WORK/resp.err" >&2; exit 1; }
    measure srcours "$SOURCE" -s 50 -m "$MESSAGES" -l 1000 -f bench@sender.test -t "$recipient" "127.0.0.1:$port"
    kill -INT $(pgrep -P "$resp_pid" || echo "$resp_pid") 2>/dev/null || true; wait "$resp_pid" 2>/dev/null || true
    resp_rss=$(imax "$resp_rss" "$(grep -E '^[0-9]+$' "$WORK/resp.rss" | tail -1 || echo 0)")
    rate_now=$(rate "$MESSAGES" "$srcours_wall"); all_ours="$all_ours $rate_now"
    pair_ratios="$pair_ratios $(ratio "$rate_now" "$(rate "$MESSAGES" "$srcsink_wall")")"
    best_ours=$(awk -v a="$best_ours" -v b="$rate_now" 'BEGIN { print (a == "" || b + 0 > a + 0) ? b : a }')
done
if [ "${#responder_cmd[@]}" = 0 ]; then
    figure "responder.sessions_per_s" "-" "$best_sink" "-" ">=0.8" "SKIP (no responder command yet)"
else
    median=$(echo $pair_ratios | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    figure "responder.sessions_per_s (best)" "$best_ours" "$best_sink" "$(ratio "$best_ours" "$best_sink")" "-" INFO
    figure "responder.paired_ratio (median)" "$median" "1.00" "$median" ">=0.8" "$(check_ge "$median" 0.8)"
    figure "responder.peak_rss_mb" "$(mb "$resp_rss")" "$(mb "$sink_rss")" "$(ratio "$resp_rss" "$sink_rss")" "-" INFO
    note "responder rounds (sessions/s): ours$all_ours; smtp-sink$all_sink; paired ratios$pair_ratios"
fi
