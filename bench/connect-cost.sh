#!/usr/bin/env bash
# Starts the embedded Herald of REPO (default: this checkout; build it first) on core 0, with the benchmark's
# settings, and runs connect-cost.py against it from core 1: server CPU and context switches per warm connect and
# close. Compare two builds in turn: REPO=/tmp/other bash bench/connect-cost.sh; bash bench/connect-cost.sh; ...
#   STREAMS=8000 RAMPS=10 PORT=18090 LABEL=herald (the server's log: /tmp/connect-cost-$LABEL.log)
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO=${REPO:-"$(cd "$BENCH/.." && pwd)"}
PORT=${PORT:-18090}; LABEL=${LABEL:-herald}
SECRET=herald-benchmark-secret-0123456789abcdef
sysctl -qw net.ipv4.ip_local_port_range="20000 64000" 2>/dev/null || true
taskset -c 0 bash -c "ulimit -n 20000 2>/dev/null; exec java -XX:+UseParallelGC -Xmx2g \
  -cp '$REPO/target/herald-embedded.jar:$REPO/target/embedded-lib/*' \
  -Djava.util.logging.config.file=$BENCH/herald-logging.properties -Dherald.http.port=$PORT -Dherald.profile=none \
  -Dherald.auth.jwt.secret=$SECRET '-Dherald.auth.public-channels=**' -Dherald.limits.streams-per-subject=0 \
  -Dherald.limits.streams-per-address=0 -Dherald.limits.publish-per-second=0 io.herald.embedded.HeraldServer" \
  > "/tmp/connect-cost-$LABEL.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
sleep 1
echo "== $LABEL ($REPO, pid $pid)"
taskset -c 1 python3 "$BENCH/connect-cost.py" "$pid" "$PORT" "${STREAMS:-8000}" "${RAMPS:-10}"
echo "threads at the end: $(ls /proc/$pid/task | wc -l)"
