#!/usr/bin/env bash
# Larger hostile-input run than the one in the test suite (HostileInputFuzzTest: 300 mutations of small seeds):
# mutations of the corpus images plus the small seeds, in a JVM capped like Lambda's heap. Violations (a 5xx, an
# unvalidated decoder exception, more than 2 s of CPU for one render) are listed and their files written to
# $TMPDIR as fuzz-<seed>-<n>-<seed file>; exits 1 if there is any. Usage (from anywhere):
#   functions/thumbnails/bench/fuzz.sh [mutations (default 3000)] [seed (default: time)] [corpus-dir]
# Environment: FUZZ_HEAP (default -Xmx256m).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
count="${1:-3000}"
seed="${2:-$(date +%s)}"
corpus="${3:-$root/../shared/images}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
. "$root/functions/thumbnails/bench/bench-classpath.sh"
LOG_LEVEL=ERROR exec "$JAVA_HOME/bin/java" "${FUZZ_HEAP:--Xmx256m}" -XX:+ExitOnOutOfMemoryError -cp "$bench_cp" \
  io.mediasuite.thumbnails.pipeline.FuzzRun "$seed" "$count" "$corpus"
