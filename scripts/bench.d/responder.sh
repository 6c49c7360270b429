# Responder throughput (sourced by scripts/bench): Postfix smtp-source against our probe responder
# (one 354 continuation line, no delay, any recipient at the probe domain) vs against Postfix
# smtp-sink, same machine, same run. Sessions/s = messages / wall (smtp-source opens one session
# per message without -d).
SINK=/usr/sbin/smtp-sink SOURCE=/usr/sbin/smtp-source
PROBE_DOMAIN=probe.bench.test
source_args=(-s 50 -m "$MESSAGES" -l 1000 -f bench@sender.test -t "probe+bench@$PROBE_DOMAIN")

# Reference: smtp-sink (backlog 256).
port=$(free_port)
sink_user=(); [ "$(id -u)" = 0 ] && sink_user=(-u nobody)
/usr/bin/time -f "%M" -o "$WORK/sink.rss" "$SINK" "${sink_user[@]}" "127.0.0.1:$port" 256 >"$WORK/sink.out" 2>&1 &
sink_pid=$!; PIDS+=("$sink_pid")
wait_port 127.0.0.1 "$port"
measure srcsink "$SOURCE" "${source_args[@]}" "127.0.0.1:$port"
kill $(pgrep -P "$sink_pid" || echo "$sink_pid") 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true
sink_rss=$(grep -E '^[0-9]+$' "$WORK/sink.rss" | tail -1 || echo 0)
sink_rate=$(rate "$MESSAGES" "$srcsink_wall")

responder_cmd=()
if [ -f "$ROOT/scripts/bench.d/responder-cmd.sh" ]; then . "$ROOT/scripts/bench.d/responder-cmd.sh"; fi
if [ "${#responder_cmd[@]}" = 0 ]; then
    figure "responder.sessions_per_s" "-" "$sink_rate" "-" ">=0.8" "SKIP (no responder command yet)"
else
    /usr/bin/time -f "%M" -o "$WORK/resp.rss" "${responder_cmd[@]}" >"$WORK/resp.out" 2>"$WORK/resp.err" &
    resp_pid=$!; PIDS+=("$resp_pid")
    wait_port 127.0.0.1 "$port"
    for _ in $(seq 1 50); do [ -n "$(responder_recipient)" ] && break; sleep 0.1; done
    recipient=$(responder_recipient)
    [ -n "$recipient" ] || { echo "bench: responder printed no recipient" >&2; cat "$WORK/resp.out" "$WORK/resp.err" >&2; exit 1; }
    measure srcours "$SOURCE" -s 50 -m "$MESSAGES" -l 1000 -f bench@sender.test -t "$recipient" "127.0.0.1:$port"
    kill -INT $(pgrep -P "$resp_pid" || echo "$resp_pid") 2>/dev/null || true; wait "$resp_pid" 2>/dev/null || true
    resp_rss=$(grep -E '^[0-9]+$' "$WORK/resp.rss" | tail -1 || echo 0)
    ours_rate=$(rate "$MESSAGES" "$srcours_wall")
    r=$(ratio "$ours_rate" "$sink_rate")
    figure "responder.sessions_per_s" "$ours_rate" "$sink_rate" "$r" ">=0.8" "$(check_ge "$r" 0.8)"
    figure "responder.peak_rss_mb" "$(mb "$resp_rss")" "$(mb "$sink_rss")" "$(ratio "$resp_rss" "$sink_rss")" "-" INFO
fi
