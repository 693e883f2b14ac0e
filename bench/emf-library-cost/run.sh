#!/usr/bin/env bash
# What one first metric costs a fresh JVM (a cold start): io.mediasuite.common.Metrics, the EMF library
# (aws-embedded-metrics 4.2.0) and Powertools for AWS Lambda's metrics (2.9.0), each emitting the same two
# metrics once. Prints the median wall time of the first emit and the median CPU time of the whole process.
# Usage: bench/emf-library-cost/run.sh [RUNS]   (after ./mvnw -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")"
root=../..
runs=${1:-9}
work=$root/target/emf-library-cost
mkdir -p "$work"
"$root/mvnw" -q -B -f pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$work/lib"
ours="$root/functions/common/target/classes:$(ls "$root"/functions/thumbnails/target/thumbnails-lambda/lib/*.jar | tr '\n' ':')"
javac -d "$work/out" -cp "$work/lib/*:$ours" src/*.java
export AWS_LAMBDA_FUNCTION_NAME=bench POWERTOOLS_METRICS_NAMESPACE=media-suite/bench
: > "$work/runs.txt"
for i in $(seq "$runs"); do
  for main in Ours Emf Pt; do
    cp="$work/out:$work/lib/*"; [ "$main" = Ours ] && cp="$work/out:$ours"
    /usr/bin/time -f "$main cpu %U %S" java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "$cp" "$main" \
      2>&1 >/dev/null | grep -E '_ms|cpu' >> "$work/runs.txt"
  done
done
python3 - "$work/runs.txt" <<'PY'
import collections, statistics, sys
wall, cpu = collections.defaultdict(list), collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    (cpu[p[0]].append(float(p[2]) + float(p[3])) if p[1] == 'cpu' else wall[p[0]].append(float(p[1])))
names = {'Ours': 'io.mediasuite.common.Metrics', 'Emf': 'aws-embedded-metrics 4.2.0', 'Pt': 'powertools-metrics 2.9.0'}
keys = {'Ours': 'ours_ms', 'Emf': 'emf_ms', 'Pt': 'powertools_ms'}
print('| library | first emit, wall ms (median) | process CPU s (median) |')
print('|---|---:|---:|')
for k in ['Ours', 'Emf', 'Pt']:
    print(f"| {names[k]} | {statistics.median(wall[keys[k]]):.0f} | {statistics.median(cpu[k]):.2f} |")
PY
