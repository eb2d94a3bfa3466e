#!/usr/bin/env bash
# Starts the embedded Herald of REPO (default: this checkout; build it first) on core 0, the way run-all.sh does
# (bench/herald-server.sh: HERALD_OPTS, HERALD_CMD apply here too), and runs connect-cost.py against it from core 1:
# server CPU and context switches per warm connect and close. Compare two builds in turn:
#   REPO=/tmp/other bash bench/connect-cost.sh; bash bench/connect-cost.sh; ...
#   STREAMS=8000 RAMPS=10 PORT=18090 LABEL=herald (the server's log: /tmp/connect-cost-$LABEL.log)
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO=${REPO:-"$(cd "$BENCH/.." && pwd)"}
PORT=${PORT:-18090}; LABEL=${LABEL:-herald}
# shellcheck source=herald-server.sh
. "$BENCH/herald-server.sh"
sysctl -qw net.ipv4.ip_local_port_range="20000 64000" 2>/dev/null || true
LOG="/tmp/connect-cost-$LABEL.log"
taskset -c 0 bash -c "ulimit -n 20000 2>/dev/null; exec ${HERALD_CMD//\$PORT/$PORT}" > "$LOG" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
if ! wait_port "$PORT" 60; then echo "!! Herald did not open port $PORT (see $LOG)"; tail -5 "$LOG"; exit 1; fi
sleep 1
echo "== $LABEL ($REPO, pid $pid)"
taskset -c 1 python3 "$BENCH/connect-cost.py" "$pid" "$PORT" "${STREAMS:-8000}" "${RAMPS:-10}"
echo "threads at the end: $(ls /proc/$pid/task | wc -l)"
