# How scripts/bench.d/responder.sh runs our responder alone: `probe --listen-only` for one host of a
# one-host store, with a profile of one 354 continuation line and no delay. The responder only accepts
# tokens it issued, so the recipient smtp-source uses (-t) is the one it prints for that host — no
# special "accept any recipient" mode is needed. Sets responder_cmd, port and source_args.
RESP_DIR="$WORK/responder"; mkdir -p "$RESP_DIR"
printf 'host,address,product,service_pack,arch,path,file,version,hotfix\nbench-mta,127.0.0.1:25,Windows Server 2003,SP2,x86,,,,\n' \
    >"$RESP_DIR/one.csv"
"$BIN" import-inventory --db "$RESP_DIR/r.sqlite" "$RESP_DIR/one.csv" >/dev/null
port=$(free_port)
responder_cmd=(stdbuf -oL "$BIN" probe --db "$RESP_DIR/r.sqlite" --host bench-mta --listen-only --listen "127.0.0.1:$port"
               --probe-domain "$PROBE_DOMAIN" --profile delay=0s,lines=1 --wait 600s)
responder_recipient() { awk -F'\t' 'NF >= 3 { print $3; exit }' "$WORK/resp.out"; }
