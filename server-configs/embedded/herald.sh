#!/usr/bin/env bash
# Starts the embedded Herald server with a class-data archive, which cuts the JVM's class loading and verification out
# of every start after the first (docs/performance.md, "start"). On JDK 25 or newer the archive is the JVM's AOT cache
# (JEP 483, 514, 515: classes loaded and linked ahead of time, plus the training run's method profiles); on older JDKs
# it is an application class-data archive (AppCDS).
#
#   server-configs/embedded/herald.sh [train|jit-options]     after `mvn -DskipTests package`
#
# The archive is made by a training start: Herald starts with -XX:ArchiveClassesAtExit (JDK 17-24) or
# -XX:AOTCacheOutput (JDK 25+), is asked for readiness and one stream, and is stopped; the JVM writes the classes it
# loaded (JDK 25 assembles its cache in a second JVM at exit, about 20 s once). A normal start trains first when the
# archive is missing or older than Herald's jars (a JVM also refuses an archive made by another JDK or for another
# class path, and then starts without it). `train` only trains; `jit-options` prints the JIT options a start with
# this JAVA gets (see HERALD_JIT_OPTS) and starts nothing.
#
# Environment:
#   HERALD_HOME   the build output holding herald-embedded.jar and embedded-lib/ (default: ../../target from here)
#   HERALD_CDS    the archive file (default: $HERALD_HOME/herald-cds.jsa, or herald-jdk<N>.aot on JDK N >= 25);
#                 HERALD_CDS=off starts without one
#   JAVA          the java binary (default: java on the PATH)
#   JAVA_OPTS     JVM options (default: -XX:+UseParallelGC); for steady latency with a large history, a fixed,
#                 pretouched heap with a small young generation (docs/deploy.md, "A heap for steady latency")
#   HERALD_JIT_OPTS    JIT options (default on JDK 17-24: the C2 thresholds in jit.options beside this script, which
#                 keep C2 off start-up code; none on JDK 25+); HERALD_JIT_OPTS= starts with the JVM's own
#   HERALD_TRAIN_PORT  a free port for the training start (default 17080)
# Herald's own settings come as usual: HERALD_* environment variables or -Dherald.* in JAVA_OPTS.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
HERALD_HOME=${HERALD_HOME:-"$HERE/../../target"}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC"}

java_major() { # the feature release of $JAVA, from its release file (no JVM start); 0 when unknown
  local bin home v
  bin=$(command -v "$JAVA" 2>/dev/null) || { echo 0; return; }
  home=$(dirname "$(dirname "$(readlink -f "$bin")")")
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null | head -1)
  echo "${v:-0}"
}
JAVA_MAJOR=$(java_major)
if [ "$JAVA_MAJOR" -ge 25 ]; then
  ARCHIVE_KIND="AOT cache"
  HERALD_CDS=${HERALD_CDS:-"$HERALD_HOME/herald-jdk$JAVA_MAJOR.aot"}
  TRAIN_OPT="-XX:AOTCacheOutput=$HERALD_CDS"
  USE_OPT="-XX:AOTCache=$HERALD_CDS"
else
  ARCHIVE_KIND="class-data archive"
  HERALD_CDS=${HERALD_CDS:-"$HERALD_HOME/herald-cds.jsa"}
  TRAIN_OPT="-XX:ArchiveClassesAtExit=$HERALD_CDS"
  USE_OPT="-XX:SharedArchiveFile=$HERALD_CDS"
fi
if [ -z "${HERALD_JIT_OPTS+set}" ]; then
  HERALD_JIT_OPTS=""
  if [ "$JAVA_MAJOR" -lt 25 ]; then HERALD_JIT_OPTS=$(grep -v '^#' "$HERE/jit.options" | tr '\n' ' '); fi
fi
if [ "${1:-}" = jit-options ]; then # the JIT options a start with this JAVA gets (the benchmarks ask for them)
  echo "$HERALD_JIT_OPTS"
  exit 0
fi
TRAIN_PORT=${HERALD_TRAIN_PORT:-17080}
JAR="$HERALD_HOME/herald-embedded.jar"
# CDS takes jar files only, in a fixed order: no directories, no wildcard
CP="$JAR"
for j in "$HERALD_HOME"/embedded-lib/*.jar; do CP="$CP:$j"; done
set -f # from here on, options such as -Dherald.auth.public-channels=** are split from JAVA_OPTS, never globbed
MAIN=io.herald.embedded.HeraldServer

if [ ! -f "$JAR" ]; then
  echo "herald.sh: $JAR is missing; build it with: mvn -DskipTests package" >&2
  exit 1
fi

stale() { # the archive is missing or older than a jar on the class path
  [ ! -f "$HERALD_CDS" ] && return 0
  [ -n "$(find "$JAR" "$HERALD_HOME/embedded-lib" -name '*.jar' -newer "$HERALD_CDS" -print -quit)" ]
}

status() { # path -> the HTTP status of GET path on the training port (bash's /dev/tcp: no curl needed)
  local line=""
  { exec 3<>"/dev/tcp/127.0.0.1/$TRAIN_PORT"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
  IFS= read -r -t 5 line <&3 || true
  exec 3<&- 3>&-
  line=${line#HTTP/1.1 }
  echo "${line%% *}"
}

train() {
  rm -f "$HERALD_CDS"
  echo "herald.sh: training start for the $ARCHIVE_KIND $HERALD_CDS" >&2
  local log="$HERALD_CDS.train.log"
  # shellcheck disable=SC2086
  "$JAVA" $HERALD_JIT_OPTS $JAVA_OPTS "$TRAIN_OPT" -cp "$CP" \
      -Dherald.http.port="$TRAIN_PORT" -Dherald.http.host=127.0.0.1 -Dherald.profile=none \
      -Dherald.auth.jwt.secret=herald-cds-training-key-not-used-for-serving -Dherald.auth.public-channels=training \
      -Dherald.drain.delay-ms=0 "$MAIN" > "$log" 2>&1 &
  local pid=$! ok=""
  for _ in $(seq 1 600); do
    if [ "$(status /health/ready)" = 200 ]; then ok=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -n "$ok" ]; then
    # one stream and one publish-free read, so the request path's classes are in the archive too
    status "/api/events?channel=training" > /dev/null || true
    status /api/stats > /dev/null || true
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "$ok" ] || [ ! -f "$HERALD_CDS" ]; then
    echo "herald.sh: training start failed (see $log); starting without an archive" >&2
    rm -f "$HERALD_CDS"
    return 1
  fi
}

if [ "${1:-}" = train ]; then
  train
  exit $?
fi

CDS_OPTS=""
if [ "$HERALD_CDS" != off ]; then
  if stale; then train || true; fi
  if [ -f "$HERALD_CDS" ]; then CDS_OPTS="$USE_OPT"; fi
fi
# shellcheck disable=SC2086
exec "$JAVA" $HERALD_JIT_OPTS $JAVA_OPTS $CDS_OPTS -cp "$CP" "$MAIN"
