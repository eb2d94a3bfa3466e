#!/usr/bin/env bash
# Slow request bodies: do clients that upload a publish body slowly hold up everyone else's requests?
#
#   bash bench/slow-body.sh [CHECKOUT]          # CHECKOUT: a built Herald checkout, this one by default
#   TOKEN=bad bash bench/slow-body.sh           # the same with an invalid token on the slow uploads
#   SERVER_OPTS=-Dherald.http.parse-on-workers=false bash bench/slow-body.sh
#   VIA=jaxrs bash bench/slow-body.sh           # uploads on a path the publish filter leaves to JAX-RS (%2E)
#   SLOW=headers bash bench/slow-body.sh        # instead, 200 clients send their request headers a line a second
#
# Starts the embedded server pinned to core 0, then UPLOADS clients (6) each send a BODY_BYTES (60,000) publish body
# at RATE (8 KB/s, so about 7.5 s per upload) with a valid publish token. Meanwhile it times, once a second, three
# ordinary requests from another client: GET /api/channels, a small publish, and a new stream's first byte. It prints
# each request's status and seconds, and the uploads' statuses. Docs: docs/performance.md, "Requests made on one
# thread, freed on another".
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "${1:-$BENCH/..}" && pwd)"
PORT=${PORT:-18090}
UPLOADS=${UPLOADS:-6}
BODY_BYTES=${BODY_BYTES:-60000}
RATE=${RATE:-8k}
ROUNDS=${ROUNDS:-9}
SECRET="herald-benchmark-secret-0123456789abcdef"
SERVER_OPTS=${SERVER_OPTS:-}
WORK="$(mktemp -d)"
trap 'kill $SERVER 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

good_token=$(python3 - "$SECRET" <<'PY'
import base64, hashlib, hmac, json, sys, time
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
now = int(time.time())
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
body = b64(json.dumps({"sub": "slow-body", "iat": now, "exp": now + 600,
                       "herald": {"publish": ["**"], "subscribe": ["**"], "permissions": ["admin"]}}).encode())
sig = b64(hmac.new(sys.argv[1].encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
print(f"{head}.{body}.{sig}")
PY
)
slow_token=$good_token
if [ "${TOKEN:-}" = bad ]; then slow_token="${good_token%?}x"; fi

taskset -c 0 java -XX:+UseParallelGC -Xmx1g $SERVER_OPTS \
  -cp "$REPO/target/herald-embedded.jar:$REPO/target/embedded-lib/*" \
  -Djava.util.logging.config.file="$BENCH/herald-logging.properties" -Dherald.http.port=$PORT -Dherald.profile=none \
  -Dherald.auth.jwt.secret=$SECRET -Dherald.auth.public-channels='**' \
  -Dherald.limits.publish-per-second=0 io.herald.embedded.HeraldServer > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 200); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready" && break
  sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready" || { echo "server did not start"; cat "$WORK/server.log"; exit 1; }

python3 -c "import sys; sys.stdout.write('{\"data\":\"' + 'x' * ($BODY_BYTES - 12) + '\"}')" > "$WORK/body.json"
if [ "${SLOW:-body}" = headers ]; then
  echo "200 clients sending their headers a line a second"
  python3 - "$PORT" <<'PY' &
import socket, sys, time
socks = []
for i in range(200):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"POST /api/channels/slow/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    socks.append(s)
for line in range(12):
    time.sleep(1)
    for s in socks:
        s.sendall(b"X-Slow-%d: %d\r\n" % (line, line))
PY
  uploads=($!)
  start=$(date +%s.%N)
else
echo "$UPLOADS uploads of $(stat -c %s "$WORK/body.json") bytes at $RATE/s, token: ${TOKEN:-good}"
start=$(date +%s.%N)
uploads=()
dot=.
if [ "${VIA:-filter}" = jaxrs ]; then dot=%2E; fi
for i in $(seq 1 "$UPLOADS"); do
  curl -s -o /dev/null -w "upload $i: %{http_code} after %{time_total} s\n" --limit-rate "$RATE" \
    -H "Authorization: Bearer $slow_token" -H 'Content-Type: application/json' --data-binary "@$WORK/body.json" \
    "http://127.0.0.1:$PORT/api/channels/slow$dot$i/events" > "$WORK/upload.$i" &
  uploads+=($!)
done
fi
sleep 0.5
probes=()
for round in $(seq 1 "$ROUNDS"); do
  (
    at=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")
    curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $good_token" \
      "http://127.0.0.1:$PORT/api/channels" > "$WORK/channels.$round" &
    curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $good_token" \
      -H 'Content-Type: application/json' -d '{"data":{"n":1}}' \
      "http://127.0.0.1:$PORT/api/channels/quick/events" > "$WORK/publish.$round" &
    curl -s -N -o /dev/null --max-time 10 -w '%{http_code} %{time_starttransfer}' \
      "http://127.0.0.1:$PORT/api/events?channel=quick" > "$WORK/stream.$round" &
    wait
    printf 't=%ss  GET /api/channels: %s s  publish: %s s  new stream first byte: %s s\n' "$at" \
      "$(cat "$WORK/channels.$round")" "$(cat "$WORK/publish.$round")" "$(cat "$WORK/stream.$round")" \
      > "$WORK/round.$round"
  ) &
  probes+=($!)
  sleep 1
done
wait "${probes[@]}"
for round in $(seq 1 "$ROUNDS"); do cat "$WORK/round.$round"; done
wait "${uploads[@]}"
cat "$WORK"/upload.* 2>/dev/null || true
