# Helpers for scripts/bench (sourced). Times are wall seconds from date +%s%N; peak RSS from
# /usr/bin/time (-f %M, kilobytes).
MISSES=0

now_ns() { date +%s%N; }
secs_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
note() { echo "# $*"; }

# measure NAME CMD... : runs CMD (stdout/stderr to $WORK/NAME.out), sets NAME_wall (s) and NAME_rss (KB).
# Exit status 3 (non-compliant hosts found) counts as success.
measure() {
    local name="$1"; shift
    local t0 t1 status=0
    t0=$(now_ns)
    /usr/bin/time -f "%M" -o "$WORK/$name.rss" "$@" >"$WORK/$name.out" 2>&1 || status=$?
    t1=$(now_ns)
    if [ "$status" != 0 ] && [ "$status" != 3 ]; then
        echo "bench: '$*' failed with status $status:" >&2; tail -20 "$WORK/$name.out" >&2; exit 1
    fi
    printf -v "${name}_wall" "%s" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
    printf -v "${name}_rss" "%s" "$(grep -E '^[0-9]+$' "$WORK/$name.rss" | tail -1)"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s + 0 == 0) print "-"; else printf "%.0f", n / s }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
fmin() { if [ -z "$1" ]; then echo "$2"; else awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 < b + 0) ? a : b }'; fi; }
imax() { if [ -z "$1" ]; then echo "$2"; else awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 > b + 0) ? a : b }'; fi; }
check_le() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "-") print "MISS"; else print (v + 0 <= t + 0) ? "PASS" : "MISS" }'; }
check_ge() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "-") print "MISS"; else print (v + 0 >= t + 0) ? "PASS" : "MISS" }'; }

header() { printf "%-40s %12s %12s %8s %8s  %s\n" figure value reference ratio target result; }
# figure NAME VALUE REFERENCE RATIO TARGET RESULT
figure() {
    printf "%-40s %12s %12s %8s %8s  %s\n" "$1" "$2" "$3" "$4" "$5" "$6"
    case "$6" in MISS*) MISSES=$((MISSES + 1)) ;; esac
}

# A free TCP port on 127.0.0.1 (bind to 0, read what the kernel gave).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# wait_port HOST PORT: up to 10 s for a listener.
wait_port() {
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "bench: nothing listens on $1:$2" >&2; return 1
}
