#!/usr/bin/env bash
# Runs every scenario against herald, the plain JAX-RS SseBroadcaster peer and nginx+Nchan, one after another,
# each server pinned to one core and the load generator to the other. Results: bench/results/*.json, *.png, table.
#
# Environment knobs:
#   TARGETS="herald plain nchan"   SCENARIOS="idle fanout channels reconnect slow"
#   SCALE=1          multiply client counts (e.g. 0.2 for a quick pass)
#   SERVER_CPU=0 LOADGEN_CPU=1      cores for taskset
#   HERALD_CMD       command that starts Herald; $PORT is substituted. Default: the embedded server of this repository.
#   PLAIN_CMD        command that starts the plain peer; $PORT is substituted.
#   FANOUT_STEPS="1,2,5,10,20,50,100,200,500,1000"  STEP_SECONDS=8  IDLE_SECONDS=40
#   P99_LIMIT_MS=100  the fan-out steps up until p99 passes this
#   NO_BUILD=1       skip mvn package of bench/
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
cd "$BENCH"
TARGETS=${TARGETS:-"herald plain nchan"}
SCENARIOS=${SCENARIOS:-"idle fanout channels reconnect slow"}
SCALE=${SCALE:-1}
SERVER_CPU=${SERVER_CPU:-0}
LOADGEN_CPU=${LOADGEN_CPU:-1}
FANOUT_STEPS=${FANOUT_STEPS:-"1,2,5,10,20,50,100,200,500,1000"}
STEP_SECONDS=${STEP_SECONDS:-8}
P99_LIMIT_MS=${P99_LIMIT_MS:-100}
IDLE_SECONDS=${IDLE_SECONDS:-40}
RESULTS=${RESULTS:-"$BENCH/results"}
HERALD_PORT=${HERALD_PORT:-18080}; PLAIN_PORT=${PLAIN_PORT:-18081}; NCHAN_PORT=${NCHAN_PORT:-18082}
REPO="$(cd "$BENCH/.." && pwd)"
# Herald runs with a known publish key (the load generator signs its token with it), every channel public, and its
# per-subject and per-address limits out of the way, as the comparison asks.
BENCH_SECRET=${BENCH_SECRET:-"herald-benchmark-secret-0123456789abcdef"}
HERALD_OPTS=${HERALD_OPTS:-"-XX:+UseG1GC -Xmx2g"}
HERALD_CMD=${HERALD_CMD:-"java $HERALD_OPTS -cp '$REPO/target/classes:$REPO/target/embedded-lib/*' -Dherald.http.port=\$PORT -Dherald.profile=none -Dherald.auth.jwt.secret=$BENCH_SECRET -Dherald.auth.public-channels=** -Dherald.limits.streams-per-subject=0 -Dherald.limits.streams-per-address=0 -Dherald.limits.publish-per-second=0 io.herald.embedded.HeraldServer"}
PLAIN_CMD=${PLAIN_CMD:-"java -XX:+UseG1GC -Xmx2g -cp '$BENCH/target/classes:$BENCH/target/lib/*' io.herald.bench.PlainPeer \$PORT"}
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RUNDIR="$RESULTS/runs/$RUN_ID"
mkdir -p "$RUNDIR"

if [ -z "${NO_BUILD:-}" ]; then mvn -B -q -f "$BENCH/pom.xml" -DskipTests package; fi
CP="$BENCH/target/classes:$BENCH/target/lib/*"

# 20k streams from one process: spread sources over 127.0.0.x (the load generator binds them) and allow a deep
# accept backlog; both are best effort (read-only /proc/sys in some sandboxes).
sysctl -qw net.ipv4.ip_local_port_range="15000 64000" 2>/dev/null || true
sysctl -qw net.core.somaxconn=8192 2>/dev/null || true
ulimit -n 20000 2>/dev/null || true

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
  # the next server binds the same port: wait until nothing listens there any more
  for port in $HERALD_PORT $PLAIN_PORT $NCHAN_PORT; do
    for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null || break; sleep 0.2; done
  done
}
trap stop_server EXIT

wait_port() { # port seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

start_server() { # target -> sets SERVER_PID, PORT, URL
  local t=$1 log="$RUNDIR/$t-$2-server.log"
  case $t in
    herald) PORT=$HERALD_PORT; cmd=${HERALD_CMD//\$PORT/$PORT} ;;
    plain)  PORT=$PLAIN_PORT;  cmd=${PLAIN_CMD//\$PORT/$PORT} ;;
    nchan)
      PORT=$NCHAN_PORT
      local prefix="$RUNDIR/nchan-$2"; mkdir -p "$prefix"
      sed -e "s#__PREFIX__#$prefix#g" -e "s#__PORT__#$PORT#g" "$BENCH/nchan/nginx.conf" > "$prefix/nginx.conf"
      cmd="nginx -p '$prefix' -c '$prefix/nginx.conf'" ;;
  esac
  taskset -c "$SERVER_CPU" bash -c "ulimit -n 20000 2>/dev/null; exec $cmd" > "$log" 2>&1 &
  SERVER_PID=$!
  if ! wait_port "$PORT" 90; then echo "!! $t did not open port $PORT (see $log)"; tail -5 "$log"; stop_server; return 1; fi
  sleep 1
  URL="http://127.0.0.1:$PORT"
}

n() { python3 -c "print(max(1,int(round($1*$SCALE))))"; }

scenario_args() {
  case $1 in
    idle)      echo "--streams $(n 18000) --channels 100 --rate 0 --duration $IDLE_SECONDS --max-pending 512" ;;
    fanout)    echo "--streams $(n 10000) --channels 1 --steps $FANOUT_STEPS --step-seconds $STEP_SECONDS --warmup 5 --p99-limit-ms $P99_LIMIT_MS" ;;
    channels)  echo "--streams $(n 10000) --channels 1000 --per-client 5 --rate 500 --duration 20" ;;
    reconnect) echo "--streams $(n 10000) --channels 100 --rate 1000 --before-drop 5 --during-drop 10 --catchup-timeout 60" ;;
    slow)      echo "--streams $(n 5000) --channels 50 --rate 250 --payload-pad 1024 --baseline 10 --duration 30" ;;
  esac
}

for s in $SCENARIOS; do
  for t in $TARGETS; do
    echo "=== $s / $t"
    if ! start_server "$t" "$s"; then continue; fi
    # shellcheck disable=SC2046
    taskset -c "$LOADGEN_CPU" java -Xms1g -Xmx3g -XX:+UseParallelGC -cp "$CP" io.herald.bench.Bench \
      --target "$t" --url "$URL" --scenario "$s" --server-pid "$SERVER_PID" \
      --out "$RUNDIR/$s-$t.json" $(scenario_args "$s") --jwt-secret "$BENCH_SECRET" 2> "$RUNDIR/$s-$t.log" | tee -a "$RUNDIR/summary.txt" \
      || echo "!! $s/$t failed (see $RUNDIR/$s-$t.log)"
    grep -E '^\[|WARN|Exception' "$RUNDIR/$s-$t.log" | head -20 || true
    stop_server
    sleep 2
  done
done

cp "$RUNDIR"/*.json "$RESULTS/" 2>/dev/null || true
java -cp "$CP" io.herald.bench.Report "$RUNDIR" | tee "$RUNDIR/table.txt"
cp "$RUNDIR"/*.png "$RUNDIR/table.txt" "$RESULTS/" 2>/dev/null || true
echo "results in $RUNDIR (latest copied to $RESULTS)"
