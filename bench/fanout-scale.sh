#!/usr/bin/env bash
# Fan-out at one publish rate against the number of subscribers on one channel, each server side by side, to find
# the most subscribers each keeps within a p99 limit: the issue's "10,000 subscribers x 10 events/s within 25 ms"
# measured as a curve on this machine. Each point is a fresh server and one fan-out run of bench/run-all.sh (same
# pinning, warm-ups and options) with SCALE set to subscribers/10,000 and one step at RATE.
#
#   SUBSCRIBERS="1000 2000 3000 5000 7500 10000"  RATE=10  P99_LIMIT=25  TARGETS="herald nchan"
#   OUT=bench/results/scale/<time>   anything else (STEP_SECONDS, FANOUT_WARMUP, JVM_OPTS, ...) goes to run-all.sh
#
# Writes fanout-scale.txt and fanout-scale-p99.png in OUT (bench/src/main/java/io/herald/bench/ScaleReport.java).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
SUBSCRIBERS=${SUBSCRIBERS:-"1000 2000 3000 5000 7500 10000"}
RATE=${RATE:-10}
P99_LIMIT=${P99_LIMIT:-25}
TARGETS=${TARGETS:-"herald nchan"}
OUT=${OUT:-"$BENCH/results/scale/$(date -u +%Y%m%dT%H%M%SZ)"}
mkdir -p "$OUT"
if [ -z "${NO_BUILD:-}" ]; then mvn -B -q -f "$BENCH/pom.xml" -DskipTests package; fi
for n in $SUBSCRIBERS; do
  scale=$(python3 -c "print($n/10000)")
  echo "##### $n subscribers (SCALE=$scale), $RATE events/s"
  RESULTS="$OUT/n$n" NO_BUILD=1 TARGETS="$TARGETS" SCENARIOS=fanout SCALE="$scale" FANOUT_STEPS="$RATE" \
    P99_LIMIT_MS="$P99_LIMIT" bash "$BENCH/run-all.sh" | grep -E '^\[|RESULT|!!' || true
done
java -cp "$BENCH/target/classes:$BENCH/target/lib/*" io.herald.bench.ScaleReport "$OUT" "$RATE" "$P99_LIMIT"
echo "results in $OUT"
