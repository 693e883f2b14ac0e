#!/usr/bin/env bash
# Sharpness of the thumbnails against sharp's: for each corpus photo, PSNR against a Lanczos3 reduction of the
# full-resolution decode (computed in double precision) for Java and for sharp, and the Laplacian variance of
# each (higher = crisper) with its Java/sharp ratio, fit inside each box of BOXES (default: the default sizes
# of ThumbnailSizes and their 2x, as the size sweep). sharp is installed outside the repository as in
# sharp-compare.sh. Usage (from anywhere):
#   [BOXES=400x300,...] functions/thumbnails/bench/sharpness.sh [corpus-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
corpus="${1:-$root/../shared/images}"
. "$here/sharp-install.sh"
export BOXES="${BOXES:-150x150,400x300,400x0,0x300,800x600,300x300,800x0,0x600,1600x1200}"
out="$root/bench-results/sharp-pixels"
node "$here/sharp-pixels.cjs" "$corpus" "$out"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
. "$here/bench-classpath.sh"
cp="$bench_cp"
LOG_LEVEL=ERROR exec "$JAVA_HOME/bin/java" -Xmx2g ${BENCH_OPTS:-} -cp "$cp" io.mediasuite.thumbnails.pipeline.SharpnessBenchmark \
  "$corpus" "$out"
