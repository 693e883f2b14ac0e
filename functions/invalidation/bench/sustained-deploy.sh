#!/usr/bin/env bash
# The 50 000-object sustained deploy of the module README ("Never losing a change"): SustainedDeployTest at full
# size, in simulated time against CloudFrontTestServer. Prints the table rows and leaves them in
# functions/invalidation/target/sustained-deploy.md. Usage: sustained-deploy.sh [objects]   (default 50000)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
objects="${1:-50000}"
cd "$root"
rm -f functions/invalidation/target/sustained-deploy.md
./mvnw -B -q -pl functions/invalidation -am test -Dtest=SustainedDeployTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsustained.objects="$objects"
echo "| setting | objects | dead-lettered | uncovered | last covered after | last completed after | batches | invalidations | billed paths | wildcards | sent again | highest receive / maxReceiveCount |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
cat functions/invalidation/target/sustained-deploy.md
