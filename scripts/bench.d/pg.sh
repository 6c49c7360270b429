# PostgreSQL store (sourced by scripts/bench, `--only pg`): a private cluster in $WORK (scripts/pg-cluster),
#  1. import of the generated fleet ($ROWS rows) vs `psql -c "\copy fleet FROM … CSV"` into one plain table;
#  2. a campaign over $LAB_HOSTS lab hosts shared by two scanners vs the same campaign by one scanner.
# Not under $WORK: the server runs as the 'postgres' user, which cannot enter a private (0700) temp directory.
export PG_CLUSTER_DIR="$(mktemp -d /tmp/hotfix-bench-pg.XXXXXX)"
PG_URL=$("$ROOT/scripts/pg-cluster" start 2>"$WORK/pg-cluster.err") \
    || { figure "pg" "-" "-" "-" "-" "SKIP (no cluster: $(tail -1 "$WORK/pg-cluster.err"))"; return 0; }
trap 'cleanup; "$ROOT/scripts/pg-cluster" stop >/dev/null 2>&1 || true' EXIT
pg_db() { echo "${PG_URL%/postgres}/$1"; }
pg_fresh() { psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }
note "PostgreSQL $(psql -tA "$PG_URL" -c 'SHOW server_version'), cluster $PG_URL (fsync=off, as for a throwaway test cluster)"

# ---- import vs \copy into one plain table (best of two, alternating)
cols=$(head -1 "$FLEET/fleet.csv" | sed 's/,/ text, /g; s/$/ text/')
best_ref="" best_ours="" peak_ours=""
for round in 1 2; do
    pg_fresh pgref
    psql -q "$(pg_db pgref)" -c "CREATE TABLE fleet ($cols)" >/dev/null
    measure pgref psql "$(pg_db pgref)" -c "\\copy fleet FROM '$FLEET/fleet.csv' CSV HEADER"
    pg_fresh pgaudit
    measure pgimp "$BIN" import-inventory --db "$(pg_db pgaudit)" "$FLEET/fleet.csv"
    best_ref=$(fmin "$best_ref" "$pgref_wall"); best_ours=$(fmin "$best_ours" "$pgimp_wall"); peak_ours=$(imax "$peak_ours" "$pgimp_rss")
    [ "$QUICK" = 1 ] && break
done
ref_rows=$(psql -tA "$(pg_db pgref)" -c "SELECT count(*) FROM fleet")
our_rows=$(psql -tA "$(pg_db pgaudit)" -c "SELECT count(*) FROM installed_file")
[ "$ref_rows" = "$ROWS" ] && [ "$our_rows" = "$ROWS" ] || { echo "bench: pg row counts differ: ref $ref_rows, ours $our_rows, expected $ROWS" >&2; exit 1; }
r=$(ratio "$best_ours" "$best_ref")
figure "pg.import.wall_s ($ROWS rows)" "$best_ours" "$best_ref" "$r" "<=1.0" "$(check_le "$r" 1.0)"
figure "pg.import.rows_per_s" "$(rate "$ROWS" "$best_ours")" "$(rate "$ROWS" "$best_ref")" "-" "-" INFO
figure "pg.import.client_peak_rss_mb" "$(mb "$peak_ours")" "-" "-" "-" INFO
# ---- assess at $HOSTS hosts: PostgreSQL vs the same on SQLite (same fleet, same manifests)
"$BIN" import-manifest --db "$(pg_db pgaudit)" "$FLEET"/manifests/*.txt >/dev/null
rm -f "$WORK/pgcmp.sqlite"*
"$BIN" import-inventory --db "$WORK/pgcmp.sqlite" "$FLEET/fleet.csv" >/dev/null
"$BIN" import-manifest --db "$WORK/pgcmp.sqlite" "$FLEET"/manifests/*.txt >/dev/null
measure pgass "$BIN" assess --db "$(pg_db pgaudit)" --limit 1
measure sqass "$BIN" assess --db "$WORK/pgcmp.sqlite" --limit 1
figure "pg.assess.wall_s ($HOSTS hosts x $KBS KBs)" "$pgass_wall" "$sqass_wall" "$(ratio "$pgass_wall" "$sqass_wall")" "-" INFO
pg_counts=$(psql -tA "$(pg_db pgaudit)" -c "SELECT string_agg(verdict || '=' || n, ' ' ORDER BY verdict) FROM (SELECT e.verdict, count(*) n
    FROM assessment_host a, unnest(a.results) r(id), assessment_evidence e WHERE e.id = r.id AND a.run_id = (SELECT max(id) FROM assessment_run) GROUP BY 1) x")
sq_counts=$(sqlite3 "$WORK/pgcmp.sqlite" "SELECT group_concat(verdict || '=' || n, ' ') FROM (SELECT verdict, count(*) n FROM assessment_result
    WHERE run_id = (SELECT max(id) FROM assessment_run) GROUP BY verdict ORDER BY verdict)")
figure "pg.assess.same_verdict_counts" "$( [ "$pg_counts" = "$sq_counts" ] && echo yes || echo no)" "-" "-" "=" "$( [ "$pg_counts" = "$sq_counts" ] && echo PASS || echo MISS)"
note "verdicts (PostgreSQL): $pg_counts"

# ---- one campaign, two scanners vs one (each scanner its own responder; the lab routes each probe domain)
LAB_DIR="$WORK/pglab"; mkdir -p "$LAB_DIR"
port_a=$(free_port) port_b=$(free_port) lab_port=$(free_port)
half=$((LAB_HOSTS / 2)) claim=$((LAB_HOSTS / 4))
(cd "$LAB_DIR" && exec "$BIN" lab run --hosts "fixed=$half,legacy=$((LAB_HOSTS - half))" --smarthost "127.0.0.1:$port_a" \
    --route "a.bench.test=127.0.0.1:$port_a" --route "b.bench.test=127.0.0.1:$port_b" \
    --port "$lab_port" --first-address 127.0.1.1 --inventory "$LAB_DIR/lab.csv" --duration 600s >"$WORK/pglab.out" 2>&1) &
lab_pid=$!; PIDS+=("$lab_pid")
for _ in $(seq 1 200); do grep -q "^Lab:" "$WORK/pglab.out" 2>/dev/null && break; sleep 0.1; done
pg_fresh pglab
"$BIN" import-inventory --db "$(pg_db pglab)" "$LAB_DIR/lab.csv" >/dev/null
# scan CAMPAIGN SCANNER PORT DOMAIN (a script: `measure` runs commands, not shell functions)
cat >"$WORK/scan.sh" <<SCAN
#!/usr/bin/env bash
exec "$BIN" probe --db "$(pg_db pglab)" --campaign "\$1" --scanner "\$2" --claim "$claim" --listen "127.0.0.1:\$3" \\
    --probe-domain "\$4" --profile delay=2s,lines=1 --concurrency 10000 --rate 100000 --wait 30s
SCAN
chmod +x "$WORK/scan.sh"
scan() { "$WORK/scan.sh" "$@"; }
measure pgone "$WORK/scan.sh" one A "$port_a" a.bench.test
t0=$(now_ns)
scan two A "$port_a" a.bench.test >"$WORK/pgtwo-a.out" 2>&1 & pa=$!
scan two B "$port_b" b.bench.test >"$WORK/pgtwo-b.out" 2>&1 & pb=$!
wait "$pa"; wait "$pb"
two_wall=$(secs_since "$t0")
kill "$lab_pid" 2>/dev/null || true; wait "$lab_pid" 2>/dev/null || true
sessions=$(psql -tA "$(pg_db pglab)" -c "SELECT count(*) || ' sessions, ' || count(DISTINCT host_id) || ' hosts, by ' || string_agg(DISTINCT scanner, '+')
    FROM probe_session WHERE campaign_id = 'two'")
correct=$(psql -tA "$(pg_db pglab)" -c "SELECT count(*) FROM probe_session s JOIN host h ON h.id = s.host_id WHERE s.campaign_id = 'two'
    AND ((h.name LIKE 'lab-fixed-%' AND s.outcome = 'fixed') OR (h.name LIKE 'lab-legacy-%' AND s.outcome = 'vulnerable'))")
figure "pg.campaign_2_scanners_wall_s ($LAB_HOSTS hosts, claim $claim)" "$two_wall" "$pgone_wall" "$(ratio "$two_wall" "$pgone_wall")" "<1.0" "$(awk -v r="$(ratio "$two_wall" "$pgone_wall")" 'BEGIN { print (r + 0 < 1.0) ? "PASS" : "MISS" }')"
figure "pg.campaign_2_scanners_correct" "$correct" "$LAB_HOSTS" "$(ratio "$correct" "$LAB_HOSTS")" "=1.0" "$( [ "$correct" = "$LAB_HOSTS" ] && echo PASS || echo MISS)"
note "two-scanner campaign: $sessions"
