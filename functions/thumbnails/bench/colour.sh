#!/usr/bin/env bash
# Colour accuracy of the thumbnail pipeline against TwelveMonkeys' full decode and sharp's: per image, at full
# size (so only colour conversion differs), the PSNR of each pair and the mean signed error per channel of Java;
# for CMYK JPEGs also what converting after reduction costs at 400x300. Without arguments: the corpus CMYK photo
# (corpus: THUMBNAIL_CORPUS or <project root>/../shared/images) plus variants made from it when the tools are
# installed (libvips' `vips`, ImageMagick's `convert`, libjpeg-turbo's `jpegtran`): Adobe transform 0 (plain
# inverted CMYK) with and without its profile, YCCK without profile, 4:2:0 YCCK. Usage (from anywhere):
#   functions/thumbnails/bench/colour.sh [image...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
. "$here/sharp-install.sh"
out="$root/bench-results/colour"
mkdir -p "$out/variants"
if [ "$#" -eq 0 ]; then
  cmyk="${THUMBNAIL_CORPUS:-$root/../shared/images}/cmyk_500x333.jpg"
  set -- "$cmyk"
  if command -v vips >/dev/null; then
    vips copy "$cmyk" "$out/variants/cmyk_adobe0_icc.jpg[Q=95]"
    vips copy "$cmyk" "$out/variants/cmyk_adobe0_noicc.jpg[Q=95,strip]"
    set -- "$@" "$out/variants/cmyk_adobe0_icc.jpg" "$out/variants/cmyk_adobe0_noicc.jpg"
  fi
  if command -v jpegtran >/dev/null; then
    jpegtran -copy none "$cmyk" > "$out/variants/ycck_noicc.jpg"
    set -- "$@" "$out/variants/ycck_noicc.jpg"
  fi
  if [ -x /usr/bin/convert ]; then
    /usr/bin/convert "$cmyk" -sampling-factor 2x2,1x1,1x1,2x2 -quality 92 "$out/variants/ycck420_icc.jpg"
    set -- "$@" "$out/variants/ycck420_icc.jpg"
  fi
fi
node "$here/colour-pixels.cjs" "$out/sharp" "$@"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
. "$here/bench-classpath.sh"
LOG_LEVEL=ERROR exec "$JAVA_HOME/bin/java" -Xmx2g -cp "$bench_cp" \
  io.mediasuite.thumbnails.pipeline.ColourAccuracyBenchmark "$out/sharp" "$@"
