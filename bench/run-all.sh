#!/usr/bin/env bash
# Runs every scenario against herald, the plain JAX-RS SseBroadcaster peer and nginx+Nchan, one after another,
# each server pinned to one core and the load generator to the other. Results: bench/results/*.json, *.png, table.
#
# Environment knobs:
#   TARGETS="herald plain nchan"   SCENARIOS="idle fanout channels reconnect reconnect-wildcard slow start"
#   START_RUNS=5     reconnect-wildcard is Herald's storm again with channels "g.chN" resumed through the pattern
#                    "*.chN" (label "herald *.chN" in the reconnect table); the peers have no patterns and skip it
#   SCALE=1          multiply client counts (e.g. 0.2 for a quick pass)
#   SERVER_CPU=0 LOADGEN_CPU=1      cores for taskset
#   LOADGEN_PROCS=1  load generator processes (Bench --procs): Bench starts LOADGEN_PROCS-1 worker JVMs, which inherit
#                    its taskset, so with one core in LOADGEN_CPU they all share it; on a bigger machine give a list
#                    (LOADGEN_CPU=1-3) so they spread. Workers must run on this host (latency compares nanoTime).
#   HERALD_CMD       command that starts Herald; $PORT is substituted. Default: the embedded server of this repository.
#                    Per-scenario Herald options (herald_extra_opts below) are added to it, default or not (right
#                    before the main class, else at the end):
#                      slow: -Dherald.client.queue-size=128 (events queued per client past which Herald drops the
#                            client; default 1024), so a stalled client is dropped sooner.
#                    HERALD_EXTRA_OPTS=none adds nothing.
#   PLAIN_CMD        command that starts the plain peer; $PORT is substituted.
#   CHANNELS_WARMUP=30  s of publishing before the channels window: a JVM compiles its publish path for longer
#                    than the old 1-2 s (C2 was still a quarter of Herald's CPU 40 s in), and it measures the steady state
#   SLOW_WARMUP=220  s of publishing before the slow scenario's baseline (110 before the seventh round). 110 s fills
#                    Herald's history ring, but with no client stalled at all the second window's p99 still came out
#                    12-16% under the first (two runs; nchan -3%): Herald was still settling. After 220 s: +1.7%.
#                    SLOW_STALL_FRACTION=0.01 (fraction of clients that stop reading; 0 runs that same-window check).
#                    Before that, 110 s was chosen because it fills Herald's history ring
#                    (herald.history.size 10,000 events at 100 events/s). While it fills, every young collection
#                    promotes its new 8 KiB events (pauses of 25-100 ms against 7-19 ms once full), which made the
#                    baseline's p99 26% higher than an identical second window with no client stalled
#   FANOUT_STEPS="1,2,5,10,20,50"  STEP_SECONDS=10  FANOUT_WARMUP=15 (s of the first step before measuring: the
#                    JVMs' JIT)  FANOUT_PUBLISH_WARMUP=20 (s of publishing at 1,000 events/s to a channel nobody is
#                    on, before the steps: the JVMs compile their publish path, as a server that has run for a while
#                    has; nchan has nothing to warm), then one full GC of a JVM server  IDLE_SECONDS=40
#   STORM_WARMUPS=1  reconnect: unmeasured storms (drop, publish, resume) before the measured one, so a JVM server
#                    has compiled its resume path, as one that has seen clients reconnect before has
#   JVM_OPTS="-XX:+UseParallelGC -Xmx2g"  both JVM servers' options (HERALD_OPTS overrides Herald's alone)
#   HERALD_JIT_OPTS  Herald's JIT options, by default its launcher's (server-configs/embedded/jit.options: C2
#                    thresholds three times the JVM's); HERALD_JIT_OPTS= runs Herald with the JVM's own
#   SLOW_JVM_OPTS="-Xms2g -Xmn64m -XX:+AlwaysPreTouch"  added to both JVM servers' options in the slow scenario only:
#                    the latency heap of docs/deploy.md (a fixed, pretouched heap with a small young generation).
#                    With the default heap the young collections there copy the history ring's newest 8 KiB events
#                    into memory not touched before, 40-450 ms each, every 20-70 s, and where one falls decides the
#                    others' p99 change (-56% to +43% between runs of the same code); with it, 5-8 ms every 5 s
#                    (docs/performance.md, seventh round). SLOW_JVM_OPTS=none adds nothing
#   Server ports stay below 20000: the local port range is set to 20000-64000 so clients never take them.
#   P99_LIMIT_MS=100  fan-out: the highest rate whose p99 (and every lower step's) stays within this is reported
#   P99_ABORT_MS=5000 fan-out: steps go on past P99_LIMIT_MS; they stop when p99 passes this or deliveries fall
#                     below 80% of rate x subscribers
#   JAVA_AOT         a JDK 25+ java for the start scenario's third Herald line (the launcher with its AOT cache);
#                    default: one found under /usr/lib/jvm; JAVA_AOT=none skips that line
#   LOADGEN_JAVA_OPTS  extra JVM options of the load generator (e.g. a GC log), after its own:
#                    -XX:+UseParallelGC -Xms3g -Xmx3g -XX:+AlwaysPreTouch. Its heap is all touched at start: growing
#                    into fresh pages made its young collections 160-410 ms in the slow scenario, every ~20 s, and
#                    a load generator that stops reading adds its pause to every latency it measures
#   NO_BUILD=1       skip mvn package of bench/
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
cd "$BENCH"
TARGETS=${TARGETS:-"herald plain nchan"}
SCENARIOS=${SCENARIOS:-"idle fanout channels reconnect reconnect-wildcard slow start"}
SCALE=${SCALE:-1}
SERVER_CPU=${SERVER_CPU:-0}
LOADGEN_CPU=${LOADGEN_CPU:-1}
LOADGEN_PROCS=${LOADGEN_PROCS:-1}
FANOUT_STEPS=${FANOUT_STEPS:-"1,2,5,10,20,50"}
STEP_SECONDS=${STEP_SECONDS:-10}
FANOUT_WARMUP=${FANOUT_WARMUP:-15}
FANOUT_PUBLISH_WARMUP=${FANOUT_PUBLISH_WARMUP:-20}
STORM_WARMUPS=${STORM_WARMUPS:-1}
CHANNELS_WARMUP=${CHANNELS_WARMUP:-30}
SLOW_WARMUP=${SLOW_WARMUP:-220}
SLOW_STALL_FRACTION=${SLOW_STALL_FRACTION:-0.01}
P99_LIMIT_MS=${P99_LIMIT_MS:-100}
P99_ABORT_MS=${P99_ABORT_MS:-5000}
IDLE_SECONDS=${IDLE_SECONDS:-40}
RESULTS=${RESULTS:-"$BENCH/results"}
HERALD_PORT=${HERALD_PORT:-18080}; PLAIN_PORT=${PLAIN_PORT:-18081}; NCHAN_PORT=${NCHAN_PORT:-18082}
REPO="$(cd "$BENCH/.." && pwd)"
LOADGEN_JVM="-XX:+UseParallelGC -Xms3g -Xmx3g -XX:+AlwaysPreTouch"
# BENCH_SECRET, JVM_OPTS, HERALD_OPTS, HERALD_PROPS, HERALD_CMD and wait_port
# shellcheck source=herald-server.sh
. "$BENCH/herald-server.sh"
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RUNDIR="$RESULTS/runs/$RUN_ID"
# The start scenario also times the launcher with its class-data archive (server-configs/embedded/herald.sh), trained
# once before the timed starts.
HERALD_LAUNCHER_CMD=${HERALD_LAUNCHER_CMD:-"env JAVA_OPTS='$HERALD_OPTS $HERALD_PROPS' HERALD_HOME='$REPO/target' HERALD_CDS='$RUNDIR/herald-cds.jsa' '$REPO/server-configs/embedded/herald.sh'"}
# A JDK 25+ for the launcher's AOT-cache start (JAVA_AOT=none skips it): by default one found under /usr/lib/jvm
if [ -z "${JAVA_AOT:-}" ]; then
  for j in /usr/lib/jvm/*/bin/java; do
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${j%/bin/java}/release" 2>/dev/null | head -1)
    if [ "${v:-0}" -ge 25 ]; then JAVA_AOT=$j; fi
  done
fi
[ "${JAVA_AOT:-}" = none ] && JAVA_AOT=""
JAVA_AOT=${JAVA_AOT:-}
HERALD_LAUNCHER_AOT_CMD=${HERALD_LAUNCHER_AOT_CMD:-"env JAVA='$JAVA_AOT' JAVA_OPTS='$HERALD_OPTS $HERALD_PROPS' HERALD_HOME='$REPO/target' HERALD_CDS='$RUNDIR/herald.aot' '$REPO/server-configs/embedded/herald.sh'"}
PLAIN_CMD=${PLAIN_CMD:-"java $JVM_OPTS -cp '$BENCH/target/classes:$BENCH/target/lib/*' io.herald.bench.PlainPeer \$PORT"}
SLOW_JVM_OPTS=${SLOW_JVM_OPTS:-"-Xms2g -Xmn64m -XX:+AlwaysPreTouch"}
[ "$SLOW_JVM_OPTS" = none ] && SLOW_JVM_OPTS=""
mkdir -p "$RUNDIR"

if [ -z "${NO_BUILD:-}" ]; then mvn -B -q -f "$BENCH/pom.xml" -DskipTests package; fi
CP="$BENCH/target/classes:$BENCH/target/lib/*"

# 20k streams from one process: spread sources over 127.0.0.x (the load generator binds them) and allow a deep
# accept backlog; both are best effort (read-only /proc/sys in some sandboxes).
sysctl -qw net.ipv4.ip_local_port_range="20000 64000" 2>/dev/null || true
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
  local p
  for p in $HERALD_PORT $PLAIN_PORT $NCHAN_PORT; do
    for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null || break; sleep 0.2; done
  done
}
trap stop_server EXIT

# Herald options for one scenario. They go into the Herald command right before its main class (system properties
# after the class name would be program arguments); a HERALD_CMD without io.herald.embedded.HeraldServer in it gets
# them at its end.
herald_extra_opts() { # scenario
  [ "${HERALD_EXTRA_OPTS:-}" = none ] && return 0
  case $1 in
    slow) echo "$(jvm_extra_opts slow) -Dherald.client.queue-size=128" ;;
  esac
}

# JVM options both JVM servers get in one scenario (before their main class)
jvm_extra_opts() { # scenario
  case $1 in
    slow) echo "$SLOW_JVM_OPTS" ;;
  esac
}

plain_cmd() { # scenario port
  local cmd=${PLAIN_CMD//\$PORT/$2} extra main=io.herald.bench.PlainPeer
  extra=$(jvm_extra_opts "$1")
  if [ -n "$extra" ] && [[ " $cmd " == *" $main "* ]]; then echo "${cmd/ $main/ $extra $main}"; else echo "$cmd"; fi
}

herald_cmd() { # scenario port
  local cmd=${HERALD_CMD//\$PORT/$2} extra main=io.herald.embedded.HeraldServer
  extra=$(herald_extra_opts "$1")
  if [ -z "$extra" ]; then echo "$cmd"
  elif [[ " $cmd " == *" $main "* ]]; then echo "${cmd/ $main/ $extra $main}"
  else
    echo "!! HERALD_CMD has no $main; appending $extra at its end" >&2
    echo "$cmd $extra"
  fi
}

nchan_cmd() { # scenario port: writes the nginx config for this run and prints the command
  local prefix="$RUNDIR/nchan-$1"; mkdir -p "$prefix"
  sed -e "s#__PREFIX__#$prefix#g" -e "s#__PORT__#$2#g" "$BENCH/nchan/nginx.conf" > "$prefix/nginx.conf"
  echo "nginx -p '$prefix' -c '$prefix/nginx.conf'"
}

start_server() { # target scenario -> sets SERVER_PID, PORT, URL
  local t=$1 log="$RUNDIR/$t-$2-server.log"
  case $t in
    herald) PORT=$HERALD_PORT; cmd=$(herald_cmd "$2" "$PORT") ;;
    plain)  PORT=$PLAIN_PORT;  cmd=$(plain_cmd "$2" "$PORT") ;;
    nchan)  PORT=$NCHAN_PORT;  cmd=$(nchan_cmd "$2" "$PORT") ;;
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
    fanout)    echo "--streams $(n 10000) --channels 1 --steps $FANOUT_STEPS --step-seconds $STEP_SECONDS --warmup $FANOUT_WARMUP --fanout-publish-warmup $FANOUT_PUBLISH_WARMUP --p99-limit-ms $P99_LIMIT_MS --p99-abort-ms $P99_ABORT_MS" ;;
    channels)  echo "--streams $(n 10000) --channels 1000 --per-client 5 --rate 500 --duration 20 --publish-warmup $CHANNELS_WARMUP" ;;
    reconnect) echo "--streams $(n 10000) --channels 100 --rate 1000 --before-drop 5 --during-drop 10 --catchup-timeout 60 --storm-warmups $STORM_WARMUPS" ;;
    reconnect-wildcard) echo "$(scenario_args reconnect) --herald-group g --label herald-*.chN" ;;
    # 8 KiB events, 5/s per channel: 40 KiB/s into every client (a stalled one fills up fast), 10k deliveries/s in all
    slow)      echo "--streams $(n 2000) --channels 20 --rate 100 --payload-pad 8192 --baseline 45 --duration 45 --publish-warmup $SLOW_WARMUP --stall-fraction $SLOW_STALL_FRACTION" ;;
  esac
}

# start: time from launching a server (on both cores, as a user would) to its first HTTP answer, START_RUNS times.
# Herald is asked GET /health/ready and must answer 200; the peers have no readiness endpoint, any answer counts.
# Herald is timed two or three times: the plain `java -cp` start (label herald), the launcher with AppCDS
# (herald+appcds) and, where a JDK 25+ is installed, the launcher on it with its AOT cache (herald+aot).
START_RUNS=${START_RUNS:-5}
start_scenario() { # target
  local t=$1
  case $t in
    herald)
      time_starts herald "$HERALD_PORT" /health/ready "$(herald_cmd start "$HERALD_PORT")"
      local launcher=${HERALD_LAUNCHER_CMD//\$PORT/$HERALD_PORT}
      echo "    training the launcher's class-data archive (not timed)"
      bash -c "exec $launcher train" > "$RUNDIR/herald-appcds-train.log" 2>&1 || echo "!! launcher training failed (see $RUNDIR/herald-appcds-train.log)"
      time_starts herald+appcds "$HERALD_PORT" /health/ready "$launcher"
      rm -f "$RUNDIR/herald-cds.jsa"
      if [ -n "$JAVA_AOT" ]; then
        # the same launcher on a JDK with an AOT cache (JDK 25+): it trains and maps herald-jdk<N>.aot instead
        launcher=${HERALD_LAUNCHER_AOT_CMD//\$PORT/$HERALD_PORT}
        echo "    training the launcher's AOT cache on $JAVA_AOT (not timed)"
        bash -c "exec $launcher train" > "$RUNDIR/herald-aot-train.log" 2>&1 || echo "!! AOT training failed (see $RUNDIR/herald-aot-train.log)"
        time_starts herald+aot "$HERALD_PORT" /health/ready "$launcher"
        rm -f "$RUNDIR/herald.aot"
      fi ;;
    plain) time_starts plain "$PLAIN_PORT" / "${PLAIN_CMD//\$PORT/$PLAIN_PORT}" ;;
    nchan) time_starts nchan "$NCHAN_PORT" / "$(nchan_cmd start "$NCHAN_PORT")" ;;
  esac
}

time_starts() { # label port path command
  local label=$1 port=$2 path=$3 cmd=$4 runs=()
  for i in $(seq 1 "$START_RUNS"); do
    local t1 fifo="$RUNDIR/start.fifo" out="$RUNDIR/start.poll" poller line=""
    # the poller is up before the server is launched, and learns the launch time through a fifo
    rm -f "$fifo"; mkfifo "$fifo"
    python3 "$BENCH/first-answer.py" "$port" "$path" 120 < "$fifo" > "$out" &
    poller=$!
    exec 4> "$fifo"
    for _ in $(seq 1 200); do read -r line < "$out" || true; [ "$line" = armed ] && break; sleep 0.05; done
    echo "$(date +%s%N)" >&4
    bash -c "ulimit -n 20000 2>/dev/null; exec $cmd" > "$RUNDIR/$label-start-$i.log" 2>&1 &
    SERVER_PID=$!
    exec 4>&-
    if wait "$poller"; then t1=$(tail -1 "$out"); else echo "!! $label did not answer within 120 s"; t1=120000; fi
    rm -f "$fifo" "$out"
    runs+=("$t1")
    stop_server
  done
  python3 - "$label" "$RUNDIR/start-$label.json" "${runs[@]}" <<'PY'
import json, statistics, sys, datetime
t, out, runs = sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3:]]
json.dump({"target": t, "label": t, "scenario": "start", "startedAt": datetime.datetime.utcnow().isoformat() + "Z",
           "results": {"runsMs": runs, "runs": len(runs), "medianMs": statistics.median(runs), "minMs": min(runs),
                       "maxMs": max(runs)}}, open(out, "w"), indent=1)
print(f"RESULT target={t} scenario=start median_ms={statistics.median(runs)} runs_ms={runs}")
PY
}

for s in $SCENARIOS; do
  if [ "$s" = start ]; then
    for t in $TARGETS; do echo "=== start / $t"; start_scenario "$t" | tee -a "$RUNDIR/summary.txt"; done
    continue
  fi
  for t in $TARGETS; do
    if [ "$s" = reconnect-wildcard ] && [ "$t" != herald ]; then continue; fi
    echo "=== $s / $t"
    if [ "$t" = herald ] && [ -n "$(herald_extra_opts "$s")" ]; then echo "    herald options for $s: $(herald_extra_opts "$s")"; fi
    if ! start_server "$t" "$s"; then continue; fi
    # shellcheck disable=SC2046
    taskset -c "$LOADGEN_CPU" java $LOADGEN_JVM ${LOADGEN_JAVA_OPTS:-} -cp "$CP" io.herald.bench.Bench \
      --target "$t" --url "$URL" --scenario "${s%-wildcard}" --server-pid "$SERVER_PID" --procs "$LOADGEN_PROCS" \
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
