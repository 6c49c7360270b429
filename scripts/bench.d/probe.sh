# Probe campaign (sourced by scripts/bench): $LAB_HOSTS lab hosts (half fixed, half legacy) on 127.0.y.x,
# a 2 s delay profile, all hosts probed by one `probe --all`. Reference: the same command for one host.
LAB_DIR="$WORK/lab"; mkdir -p "$LAB_DIR"
LAB_DB="$LAB_DIR/lab.sqlite" ONE_DB="$LAB_DIR/one.sqlite"
resp_port=$(free_port) lab_port=$(free_port)
half=$((LAB_HOSTS / 2))
(cd "$LAB_DIR" && exec stdbuf -oL "$BIN" lab run --hosts "fixed=$half,legacy=$((LAB_HOSTS - half))" --smarthost "127.0.0.1:$resp_port" \
    --port "$lab_port" --first-address 127.0.1.1 --inventory "$LAB_DIR/lab.csv" --duration 600s >"$WORK/lab.out" 2>&1) &
lab_pid=$!; PIDS+=("$lab_pid")
for _ in $(seq 1 200); do grep -q "^Lab:" "$WORK/lab.out" 2>/dev/null && break; sleep 0.1; done
grep -q "^Lab:" "$WORK/lab.out" || { echo "bench: lab did not start:" >&2; tail "$WORK/lab.out" >&2; exit 1; }
"$BIN" import-inventory --db "$LAB_DB" "$LAB_DIR/lab.csv" >/dev/null
"$BIN" import-inventory --db "$ONE_DB" "$LAB_DIR/lab.csv" >/dev/null
probe_args=(--listen "127.0.0.1:$resp_port" --probe-domain probe.bench.test --profile delay=2s,lines=1
            --concurrency 10000 --rate 100000 --wait 30s)
measure pone "$BIN" probe --db "$ONE_DB" --host lab-fixed-001 "${probe_args[@]}"
measure pall "$BIN" probe --db "$LAB_DB" --all "${probe_args[@]}"
kill "$lab_pid" 2>/dev/null || true; wait "$lab_pid" 2>/dev/null || true
correct=$(sqlite3 "$LAB_DB" "SELECT count(*) FROM probe_session s JOIN host h ON h.id = s.host_id
    WHERE (h.name LIKE 'lab-fixed-%' AND s.outcome = 'fixed') OR (h.name LIKE 'lab-legacy-%' AND s.outcome = 'vulnerable')")
r=$(ratio "$pall_wall" "$pone_wall")
figure "probe.campaign_wall_s ($LAB_HOSTS hosts)" "$pall_wall" "$pone_wall" "$r" "<=5s" "$(check_le "$pall_wall" 5)"
figure "probe.verdicts_correct" "$correct" "$LAB_HOSTS" "$(ratio "$correct" "$LAB_HOSTS")" "=1.0" "$( [ "$correct" = "$LAB_HOSTS" ] && echo PASS || echo MISS)"
figure "probe.peak_rss_mb" "$(mb "$pall_rss")" "$(mb "$pone_rss")" "$(ratio "$pall_rss" "$pone_rss")" "-" INFO
