#!/usr/bin/env bash
# Runs sharp (npm's sharp ships its own libvips) on the corpus with the Java benchmark's settings, then prints the
# ratio table Java/sharp. sharp is installed into a scratch folder outside the repository.
#   functions/thumbnails/bench/sharp-compare.sh [corpus-dir]
# Environment: SHARP_DIR (default ~/.cache/media-suite-sharp), SHARP_VERSION (default 0.34.5),
# SKIP_JAVA=1 to reuse bench-results/thumbnails-java.jsonl from an earlier thumbnails.sh run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
corpus="${1:-$root/../shared/images}"
. "$here/sharp-install.sh"
mkdir -p "$root/bench-results"
node "$here/sharp-bench.cjs" "$corpus" "$root/bench-results/thumbnails-sharp.jsonl"
if [ "${SKIP_JAVA:-0}" != "1" ]; then
  "$here/thumbnails.sh" "$corpus"
fi
"$here/ratio.sh"
