#!/usr/bin/env bash
# Time from `java -jar local/target/sam-local.jar start-api` to the README's curl line being answered: emulator
# start-up, resource creation from template.yaml, function init (cold start) and the first request.
# Usage: bench/first-request.sh [runs]   (build first: ./mvnw -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
for run in $(seq 1 "$runs"); do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  start=$(date +%s%N)
  "$java_bin" -jar local/target/sam-local.jar start-api --port "$port" >/tmp/first-request-$port.log 2>&1 &
  pid=$!
  until code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/devices/demo-device") && [ "$code" != 000 ]; do
    kill -0 "$pid" 2>/dev/null || { cat /tmp/first-request-$port.log; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "{\"run\":$run,\"status\":$code,\"jar_to_first_response_ms\":$(( (end - start) / 1000000 ))}"
done
