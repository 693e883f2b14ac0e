#!/usr/bin/env bash
# Size sweep: every corpus image into every box of the default THUMBNAIL_SIZES and their 2x (fit inside), plus
# cover crops of the boxes with both sides, by the Java pipeline and by sharp side by side in one run (SizeSweep.java
# drives a node process serving sharp-bench.cjs, alternating batches). Prints a table per case, the geometric mean
# and worst of the Java/sharp ratios, the output sizes that differ, and for the cases slower than sharp a Java
# per-stage breakdown with JFR's hottest methods; JSON lines go to bench-results/size-sweep.jsonl. Usage:
#   functions/thumbnails/bench/size-sweep.sh [corpus-dir]          # default: <project root>/../shared/images
# Environment: BENCH_ITERATIONS (per side and case, default 10), BENCH_WARMUP (4), BENCH_ROUND (iterations per
# alternation, 5), SWEEP_IMAGES (regex on file names), SWEEP_SIZES / SWEEP_COVER (comma-separated boxes),
# SWEEP_DIAGNOSE (ratio over which a case is broken down, 1.0), BENCH_OPTS (extra JVM options), BENCH_JSON,
# SHARP_FAST_SHRINK=0 (sharp's fastShrinkOnLoad: false), SHARP_DIR / SHARP_VERSION (as sharp-compare.sh),
# SWEEP_PNG_FILTERS=0 (no filtered PNG copies, see below).
# The corpus PNGs are stored unfiltered, which few PNGs in the wild are: with libvips' `vips` on the PATH (Debian
# libvips-tools) each corpus PNG is also swept as <name>_adaptive.png, written by libpng with adaptive row filters
# (`vips pngsave --filter all`, what libpng-based tools do by default: mostly Paeth rows), in a scratch folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
corpus="${1:-$root/../shared/images}"
out="${BENCH_JSON:-$root/bench-results/size-sweep.jsonl}"
mkdir -p "$(dirname "$out")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
if [ "${SWEEP_PNG_FILTERS:-1}" != 0 ] && command -v vips >/dev/null; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  for f in "$corpus"/*; do
    case "$f" in
      *.png|*.PNG) ln -s "$(realpath "$f")" "$scratch/"
        vips pngsave "$f" "$scratch/$(basename "${f%.*}")_adaptive.png" --filter all ;;
      *.jpg|*.jpeg|*.JPG|*.JPEG) ln -s "$(realpath "$f")" "$scratch/" ;;
    esac
  done
  corpus="$scratch"
fi
. "$here/bench-classpath.sh"
. "$here/sharp-install.sh"
opts=(-Dbench.json="$out" -Dsweep.sharp="node $here/sharp-bench.cjs --serve")
for pair in BENCH_ITERATIONS:bench.iterations BENCH_WARMUP:bench.warmup BENCH_ROUND:bench.round \
    SWEEP_IMAGES:sweep.images SWEEP_SIZES:sweep.sizes SWEEP_DIAGNOSE:sweep.diagnose; do
  var="${pair%%:*}"
  if [ -n "${!var:-}" ]; then opts+=("-D${pair#*:}=${!var}"); fi
done
# Set but empty means no cover crops.
if [ -n "${SWEEP_COVER+set}" ]; then opts+=("-Dsweep.cover=$SWEEP_COVER"); fi
echo "sharp $(node -p "require('$SHARP_DIR/node_modules/sharp').versions.sharp"), $("$JAVA_HOME/bin/java" -version 2>&1 | grep -v '^NOTE' | head -1); $(nproc) cores, $(uptime | sed 's/.*load/load/')"
LOG_LEVEL=ERROR "$JAVA_HOME/bin/java" -Xmx1g ${BENCH_OPTS:-} "${opts[@]}" -cp "$bench_cp" \
  io.mediasuite.thumbnails.bench.SizeSweep "$corpus"
