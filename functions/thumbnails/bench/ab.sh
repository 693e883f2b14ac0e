#!/usr/bin/env bash
# Compares the working tree's thumbnail pipeline (B) with another commit's (A) in one JVM, renders alternating, by
# CPU time (BuildComparison.java): the way to see a change of a few percent on a machine whose speed drifts. Usage:
#   functions/thumbnails/bench/ab.sh <commit> file:width:height[:cover]...
# e.g. functions/thumbnails/bench/ab.sh HEAD~1 up12mp_3834x3130.jpg:1470:1200 photo_2725x2225.jpg:1600:1200:cover
# Files are relative to the corpus (THUMBNAIL_CORPUS, default <project root>/../shared/images) or absolute.
# Environment: AB_ROUNDS (render pairs per case after 10 warm-up pairs, default 40).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
ref="$1"
shift
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
scratch="$(mktemp -d)"
trap 'git worktree remove --force "$scratch/a" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
git worktree add --detach -q "$scratch/a" "$ref"
(cd "$scratch/a" && ./mvnw -o -q -pl functions/thumbnails -am compile >/dev/null)
. "$here/bench-classpath.sh"
b_cp="$root/functions/thumbnails/target/classes:$(cat functions/thumbnails/target/thumbnails-bench.classpath)"
a_cp="$scratch/a/functions/thumbnails/target/classes:$scratch/a/functions/common/target/classes:$(cat functions/thumbnails/target/thumbnails-bench.classpath)"
"$JAVA_HOME/bin/java" -Xmx1g -Dcorpus="${THUMBNAIL_CORPUS:-$root/../shared/images}" -Drounds="${AB_ROUNDS:-40}" \
  -cp "$bench_cp" io.mediasuite.thumbnails.bench.BuildComparison "$a_cp" "$b_cp" "$@"
