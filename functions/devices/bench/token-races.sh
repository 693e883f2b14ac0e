#!/usr/bin/env bash
# Token-ownership soak: TokenOwnershipRaceTest's four races (same token / two installations, one installation / two
# tokens, register vs delete, register vs endpoint event), N trials each through concurrent handler instances
# against DynamoDB Local and moto, invariants checked after every trial. CI runs 50 per race; this runs more.
# Usage (from anywhere): functions/devices/bench/token-races.sh [trials-per-race, default 1000]
# Environment: SEED (replay a failing run's seed, printed below and in every assertion message).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
trials="${1:-1000}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
start=$(date +%s)
status=0
./mvnw -B -q -o -pl functions/devices -am test -Dtest=TokenOwnershipRaceTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtoken.races.trials="$trials" ${SEED:+-Dtoken.races.seed=$SEED} || status=$?
reports=functions/devices/target/surefire-reports
out=$reports/io.mediasuite.devices.TokenOwnershipRaceTest-output.txt
echo "token races: 4 x $trials trials in $(( $(date +%s) - start )) s (build included), $(grep -o 'seed [0-9]*' "$out" | head -1)"
grep -o 'testcase name="[^"]*" classname="[^"]*" time="[^"]*"' "$reports/TEST-io.mediasuite.devices.TokenOwnershipRaceTest.xml" \
  | sed -E 's/testcase name="([^"]*)" classname="[^"]*" time="([^"]*)"/  \2 s  \1/'
echo "registrations logged: $(grep -c '"message":"device registered"' "$out" || true)," \
  "lost races retried: $(grep -o '"lostRace"' "$out" | wc -l)," \
  "endpoints from lost attempts retired: $(grep -o '"retireUnusedCreated"' "$out" | wc -l)," \
  "answers 409: $(grep -c 'registration gave up' "$out" || true)"
[ "$status" -eq 0 ] && echo "result: every invariant held after every trial" || echo "result: FAILED (see $reports)"
exit "$status"
