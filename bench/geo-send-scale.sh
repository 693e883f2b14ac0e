#!/usr/bin/env bash
# Geo send at scale against the emulators (DynamoDB Local + moto): seeds N devices in a circle, sends one
# notification to it through the API handler, drains the PushQueue into the push worker, prints one JSON line
# (GEO SEND SCALE: ...). See functions/devices/README.md "Sends at scale" for the figures and the 1 M arithmetic.
# Usage: bench/geo-send-scale.sh [devices] [pollers] [lat lon radiusKm]
#   bench/geo-send-scale.sh 10000 2            # 10 000 devices within 300 km of Paris (224 tasks)
#   bench/geo-send-scale.sh 100000 2
#   bench/geo-send-scale.sh 100 4 89.9 0 500   # the 500 km polar circle: 6 152 tasks
set -euo pipefail
cd "$(dirname "$0")/.."
devices=${1:-10000}; pollers=${2:-2}; lat=${3:-48.8566}; lon=${4:-2.3522}; radius=${5:-300}
./mvnw -B -q -pl local/dynamodb-local -am package -DskipTests
./mvnw -B -q -pl functions/devices -am test -Dtest=GeoSendScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbenchmark=true -Dbenchmark.devices="$devices" -Dbenchmark.pollers="$pollers" \
  -Dbenchmark.lat="$lat" -Dbenchmark.lon="$lon" -Dbenchmark.radiusKm="$radius" >/dev/null 2>&1 \
  || { echo "benchmark failed: see functions/devices/target/surefire-reports" >&2; exit 1; }
# Surefire keeps test output in its report folder.
grep -h 'GEO SEND SCALE' functions/devices/target/surefire-reports/io.mediasuite.devices.GeoSendScaleBenchmark-output.txt
