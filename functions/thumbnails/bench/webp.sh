#!/usr/bin/env bash
# WebP against our JPEG on the thumbnail pixels (400x300 fit inside) of the corpus photos: bytes and SSIM at
# quality 80, the WebP quality that matches the JPEG's SSIM and its byte saving, median CPU ms per encode.
# With --sharp, sharp (installed outside the repository, as sharp-compare.sh) encodes the same pixels as WebP
# q80 (effort 4, libwebp's method 4 as ours) and its size, SSIM and CPU time are printed alongside.
# Usage: functions/thumbnails/bench/webp.sh [--sharp] [corpus-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
sharp=false
if [ "${1:-}" = "--sharp" ]; then sharp=true; shift; fi
corpus="${1:-$root/../shared/images}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
. "$here/bench-classpath.sh"
run() { LOG_LEVEL=ERROR "$JAVA_HOME/bin/java" -Xmx1g -cp "$bench_cp" io.mediasuite.thumbnails.bench.WebpBenchmark "$@"; }
if ! $sharp; then
  run "$corpus"
  exit
fi
. "$here/sharp-install.sh"
pixels="$root/bench-results/webp-pixels"
rm -rf "$pixels"
run "$corpus" "$pixels" >/dev/null            # writes the thumbnail pixels
node "$here/webp-sharp.cjs" "$pixels"          # sharp encodes them as WebP q80
run "$corpus" "$pixels"                        # table, plus sharp's bytes and SSIM per photo
