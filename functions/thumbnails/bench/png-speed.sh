#!/usr/bin/env bash
# PNG speed at several box sizes, Java next to sharp: for each round, sharp (png-sizes-sharp.cjs) then Java
# (PngSpeedBenchmark, with the time split into PNG stages) on the same files and fit-inside boxes, so both see
# the same machine load. Usage (from anywhere):
#   functions/thumbnails/bench/png-speed.sh [corpus-dir]      # default: <project root>/../shared/images
# Environment: BOXES (default 400x300,800x600,1600x1200), ROUNDS (default 2), FILES (PNG names in the corpus),
# BENCH_ITERATIONS / BENCH_WARMUP (both sides), SHARP_DIR / SHARP_VERSION (see sharp-install.sh),
# BEFORE_CLASSES (the target/classes folder of another build of the thumbnails module, e.g. main's: each round then
# also times it, whole renders only, as "before").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
corpus="${1:-$root/../shared/images}"
boxes="${BOXES:-400x300,800x600,1600x1200}"
files=()
for f in ${FILES:-photopng_2725x2225.png alpha_2048x1536.png 16bit_900x600.png}; do files+=("$corpus/$f"); done
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
. "$here/sharp-install.sh"
mkdir -p "$root/bench-results"
cd "$root"
. "$here/bench-classpath.sh"
cp="$bench_cp"
sharp_json="$root/bench-results/png-sizes-sharp.jsonl"
for round in $(seq "${ROUNDS:-2}"); do
  echo "round $round: $(uptime | sed 's/.*load/load/')"
  node "$here/png-sizes-sharp.cjs" "$boxes" "${files[@]}" > "$sharp_json"
  "$JAVA_HOME/bin/java" -Xmx1g ${BENCH_OPTS:-} -Dbench.iterations="${BENCH_ITERATIONS:-15}" \
    -Dbench.warmup="${BENCH_WARMUP:-15}" -cp "$cp" io.mediasuite.thumbnails.pipeline.png.PngSpeedBenchmark \
    "$sharp_json" "$boxes" "${files[@]}"
  if [ -n "${BEFORE_CLASSES:-}" ]; then
    echo "before ($BEFORE_CLASSES):"
    "$JAVA_HOME/bin/java" -Xmx1g ${BENCH_OPTS:-} -Dbench.iterations="${BENCH_ITERATIONS:-15}" \
      -Dbench.warmup="${BENCH_WARMUP:-15}" -Dbench.stages=false \
      -cp "$BEFORE_CLASSES:functions/thumbnails/target/test-classes:$(cat functions/thumbnails/target/thumbnails-bench.classpath)" \
      io.mediasuite.thumbnails.pipeline.png.PngSpeedBenchmark "$sharp_json" "$boxes" "${files[@]}"
  fi
done
