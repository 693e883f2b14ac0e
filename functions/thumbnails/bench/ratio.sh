#!/usr/bin/env bash
# Ratio table of two benchmark runs (JSON lines): Java / sharp per image, geometric mean, worst image, throughput.
#   functions/thumbnails/bench/ratio.sh [java.jsonl] [sharp.jsonl]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java_jsonl="${1:-$root/bench-results/thumbnails-java.jsonl}"
sharp_jsonl="${2:-$root/bench-results/thumbnails-sharp.jsonl}"
cp="$root/functions/thumbnails/target/test-classes:$root/functions/thumbnails/target/classes:$(cat "$root/functions/thumbnails/target/thumbnails-bench.classpath")"
exec "$JAVA_HOME/bin/java" -cp "$cp" io.mediasuite.thumbnails.bench.ThumbnailBenchmark compare "$java_jsonl" "$sharp_jsonl"
