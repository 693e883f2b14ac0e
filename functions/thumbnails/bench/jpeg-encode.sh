#!/usr/bin/env bash
# JPEG encode time alone, q80 4:2:0 optimised Huffman baseline: the JDK's ImageIO writer, our JpegEncoder and
# sharp (libvips + libjpeg-turbo, installed outside the repository as sharp-compare.sh) on the same pixels of one
# corpus photo at 150x113, 400x300, 800x600, 1600x1200 and its own 2725x2225; median CPU ms, bytes, PSNR.
# Java and sharp alternate for [rounds] rounds (default 2), so machine load hits both alike.
# Usage: functions/thumbnails/bench/jpeg-encode.sh [rounds] [corpus-dir (default $THUMBNAIL_CORPUS)]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
rounds="${1:-2}"
corpus="${2:-${THUMBNAIL_CORPUS:-$root/../shared/images}}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
. "$here/bench-classpath.sh"
cp="$bench_cp"
. "$here/sharp-install.sh"
pixels="$root/bench-results/jpeg-encode-pixels"
rm -rf "$pixels"
run() { LOG_LEVEL=ERROR "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" io.mediasuite.thumbnails.bench.JpegEncodeBenchmark \
  "$corpus/photo_2725x2225.jpg" "$pixels"; }
run >/dev/null                                   # writes the pixels
for round in $(seq "$rounds"); do
  echo "== round $round"
  node "$here/jpeg-sharp.cjs" "$pixels"          # sharp encodes them, timings to files
  run                                            # Java encoders, then sharp's line per size
done
