# Sourced by run-all.sh and connect-cost.sh: how the benchmarks start Herald's embedded server, and a port wait.
# Needs BENCH (this folder) and REPO (the checkout whose target/ holds the server) set first.
#
# Herald runs with a known publish key (the load generator signs its token with it), every channel public, and its
# per-subject and per-address limits out of the way, as the comparison asks.
BENCH_SECRET=${BENCH_SECRET:-"herald-benchmark-secret-0123456789abcdef"}
# Both JVM servers get the same collector: Parallel, since G1's concurrent refinement costs a fan-out of 10,000
# stream queues about 3 us per delivery on one core (docs/performance.md); on one pinned core the JVM would pick Serial.
JVM_OPTS=${JVM_OPTS:-"-XX:+UseParallelGC -Xmx2g"}
# Herald gets the JIT options its launcher would start it with on this java (asked of the launcher: on JDK 17-24 the
# C2 thresholds of server-configs/embedded/jit.options, three times the JVM's), so the benchmarks measure what the
# launcher runs; the launcher adds them itself (run-all.sh's launcher starts get HERALD_OPTS only); HERALD_JIT_OPTS=
# leaves them out
HERALD_JIT_OPTS=${HERALD_JIT_OPTS-"$("$REPO/server-configs/embedded/herald.sh" jit-options)"}
HERALD_OPTS=${HERALD_OPTS:-"$JVM_OPTS"}
# Like nchan's access_log off: no line per stream (bench/herald-logging.properties)
HERALD_PROPS="-Djava.util.logging.config.file=$BENCH/herald-logging.properties -Dherald.http.port=\$PORT -Dherald.profile=none -Dherald.auth.jwt.secret=$BENCH_SECRET -Dherald.auth.public-channels=** -Dherald.limits.streams-per-subject=0 -Dherald.limits.streams-per-address=0 -Dherald.limits.publish-per-second=0"
# $PORT in it is substituted by the caller
HERALD_CMD=${HERALD_CMD:-"java $HERALD_JIT_OPTS $HERALD_OPTS -cp '$REPO/target/herald-embedded.jar:$REPO/target/embedded-lib/*' $HERALD_PROPS io.herald.embedded.HeraldServer"}

wait_port() { # port seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}
