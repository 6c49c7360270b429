# How scripts/bench.d/responder.sh runs our responder alone: `lab responder`, a profile of one 354
# continuation line and no delay. The responder accepts only tokens it issued, so smtp-source's
# recipient (-t) is the one address it prints — no special "accept any recipient" mode.
port=$(free_port)
responder_cmd=("$BIN" lab responder --listen "127.0.0.1:$port" --probe-domain "$PROBE_DOMAIN" --profile delay=0s,lines=1 --duration 600s)
responder_recipient() { head -1 "$WORK/resp.out" | grep '^probe+' || true; }
