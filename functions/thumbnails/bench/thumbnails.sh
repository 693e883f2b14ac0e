#!/usr/bin/env bash
# Thumbnail benchmark: per-image median ms (1 thread), throughput on 2 threads, MB allocated per thumbnail and
# output bytes, as a table and JSON lines. Usage (from anywhere):
#   functions/thumbnails/bench/thumbnails.sh [corpus-dir]          # default: <project root>/../shared/images
# Environment: BENCH_OPTS (extra JVM options, e.g. "-XX:TieredStopAtLevel=1" to see Lambda's C1-only default),
# BENCH_JSON (file for the JSON lines, default bench-results/thumbnails-java.jsonl; bench-results/ is gitignored).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
corpus="${1:-$root/../shared/images}"
out="${BENCH_JSON:-$root/bench-results/thumbnails-java.jsonl}"
mkdir -p "$(dirname "$out")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
. "$root/functions/thumbnails/bench/bench-classpath.sh"
exec "$JAVA_HOME/bin/java" -Xmx1g ${BENCH_OPTS:-} -Dbench.json="$out" -cp "$bench_cp" \
  io.mediasuite.thumbnails.bench.ThumbnailBenchmark "$corpus"
