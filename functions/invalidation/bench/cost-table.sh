#!/usr/bin/env bash
# The cost table of the module README ("What it costs"): CostTableTest plans deploys of 10, 100 and 1 000 objects
# on four generated sites (docs with locales, blog, SPA with hashed assets, shop with SKU-named files) and prints
# the table, also left in functions/invalidation/target/cost-table.md. Takes a few seconds after the build.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
./mvnw -B -q -pl functions/invalidation -am test -Dtest=CostTableTest -Dsurefire.failIfNoSpecifiedTests=false
cat functions/invalidation/target/cost-table.md
