#!/usr/bin/env python3
"""Cost of each job of the suite, from a local run's metrics and AWS's public prices.

Reads target/sam-local/<stack>/metrics.json (written by `sam-local start-api`: the sums of every metric the
functions emitted, and each function's invocations with their run time) and prints, per job, what its AWS bill is
made of and what a unit of work costs:

    bench/cost-model.py target/sam-local/cost-model/metrics.json

bench/cost-run.sh produces such a run (a fixed scenario through the local suite) and calls this script.

What comes from the run: Lambda invocations and run time per function (GB-seconds at the template's memory
sizes), API requests (one per API function invocation), thumbnails rendered, push publishes by outcome, geo sends,
registrations by outcome, CloudFront billed paths. What cannot be counted locally is priced from the call counts
the devices README measures per registration path (an ExecutionInterceptor on the handler's clients) and stated
below. Run times are this machine's, with the JIT of a fresh local JVM; Lambda's are of the same order for these
functions (see the module READMEs), so GB-seconds are an estimate, not a bill.
"""
import json
import sys

# us-east-1 list prices (aws.amazon.com/<service>/pricing), USD, after free tiers.
PRICES = {
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second": 0.0000166667,        # x86_64; SnapStart adds no charge for Java runtimes
    "apigw_rest_request": 3.50 / 1e6,         # REST APIs, first 333 million a month
    "sqs_request": 0.40 / 1e6,                # standard queues, per 64 KB request
    "sns_mobile_push": 0.50 / 1e6,            # deliveries to APNs/FCM endpoints
    "sns_publish_request": 0.50 / 1e6,
    "dynamodb_write_unit": 0.625 / 1e6,       # on-demand
    "dynamodb_read_unit": 0.125 / 1e6,
    "s3_get": 0.0004 / 1000,
    "s3_put": 0.005 / 1000,
    "cloudfront_invalidation_path": 0.005,    # after 1 000 free paths a month
}

# DynamoDB units per registration path (items under 1 KB; GetItem eventually consistent = 0.5 RRU; a write
# touches the table and each index whose keys the item carries: ByToken, ByEndpoint, ByGeoCell = 4 WRU; a
# transactional write costs twice). From functions/devices/README.md's call table.
REGISTRATION_UNITS = {
    "created": {"read": 0.5 + 0.5, "write": 2 * 4 + 2 * 1},   # GetItem, Query ByToken; transaction: device + token owner
    "refreshed": {"read": 0.5, "write": 0.0},                  # steady state: GetItem + GetEndpointAttributes
}
# Per push task: one Query page of the ByGeoCell index (0.5 RRU per 4 KB, about 20 devices), one status update.
PUSH_TASK_UNITS = {"read_per_device": 0.5 / 20, "write": 1.0}


def load(path):
    with open(path) as f:
        run = json.load(f)
    sums = {}
    for metric in run["metrics"]:
        dims = metric["dimensions"]
        extra = [v for k, v in sorted(dims.items()) if k not in ("Service", "Stage")]
        key = (dims.get("Service"), metric["name"]) + tuple(extra)
        sums[key] = sums.get(key, 0.0) + metric["sum"]
    return sums, run["invocations"]


def lambda_cost(invocations, functions):
    requests = sum(invocations.get(f, {}).get("count", 0) for f in functions)
    gb_s = sum(invocations[f]["millis"] / 1000.0 * invocations[f]["memoryMb"] / 1024.0
               for f in functions if f in invocations)
    return requests, gb_s, requests * PRICES["lambda_request"] + gb_s * PRICES["lambda_gb_second"]


def row(job, unit, units, parts):
    total = sum(parts.values())
    per = total / units if units else float("nan")
    detail = ", ".join(f"{name} ${value / units:.6f}" for name, value in parts.items() if units and value)
    return f"| {job} | {unit} | {units:g} | ${per:.4f} | {detail} |"


def main(path):
    sums, invocations = load(path)
    get = lambda *key: sums.get(key, 0.0)
    rows = []

    rendered = get("Thumbnails", "ThumbnailsRendered", "jpeg") + get("Thumbnails", "ThumbnailsRendered", "png")
    requests, gb_s, lam = lambda_cost(invocations, ["ThumbnailFunction"])
    if requests:
        rows.append(row("thumbnails (cache misses)", "1 000 thumbnails", rendered / 1000, {
            "Lambda": lam,
            "API Gateway": requests * PRICES["apigw_rest_request"],
            "S3 GET": rendered * PRICES["s3_get"],
        }))

    created = get("Devices", "Registrations", "created")
    refreshed = get("Devices", "Registrations", "refreshed")
    requests, gb_s, lam = lambda_cost(invocations, ["DeviceApiFunction"])
    if requests:
        reads = created * REGISTRATION_UNITS["created"]["read"] + refreshed * REGISTRATION_UNITS["refreshed"]["read"]
        writes = created * REGISTRATION_UNITS["created"]["write"]
        rows.append(row("registrations (mix of the run)", "1 000 registrations", (created + refreshed) / 1000, {
            "Lambda": lam,
            "API Gateway": requests * PRICES["apigw_rest_request"],
            "DynamoDB": reads * PRICES["dynamodb_read_unit"] + writes * PRICES["dynamodb_write_unit"],
        }))

    publishes = sum(get("Devices", "Pushes", o) for o in ("sent", "disabled", "removed", "failed"))
    matched = get("Devices", "PushesMatched")
    tasks = get("Devices", "PushTasksDone") + get("Devices", "PushTasksFailed")
    requests, gb_s, lam = lambda_cost(invocations, ["NotificationApiFunction", "PushWorkerFunction"])
    if publishes:
        rows.append(row("geo push", "10 000 pushes", publishes / 10000, {
            "Lambda": lam,
            "SNS": get("Devices", "Pushes", "sent") * PRICES["sns_mobile_push"]
                   + publishes * PRICES["sns_publish_request"],
            "SQS": 3 * tasks * PRICES["sqs_request"],  # send, receive, delete per task
            "DynamoDB": (matched * PUSH_TASK_UNITS["read_per_device"]) * PRICES["dynamodb_read_unit"]
                        + tasks * PUSH_TASK_UNITS["write"] * PRICES["dynamodb_write_unit"],
            "API Gateway": get("Devices", "SendsAccepted") * PRICES["apigw_rest_request"],
        }))

    changes = get("Invalidation", "ChangesReceived")
    billed = get("Invalidation", "BilledPaths")
    requests, gb_s, lam = lambda_cost(invocations, ["InvalidationFunction"])
    if requests:
        deploys = max(1.0, get("Invalidation", "Deploys"))
        rows.append(row(f"site deploy ({changes:g} objects, {billed:g} billed paths)", "1 deploy", deploys, {
            "Lambda": lam,
            "SQS": 3 * changes / 10 * PRICES["sqs_request"],  # up to 10 messages per receive and delete batch
            "S3 PUT": changes * PRICES["s3_put"],
            "CloudFront": billed * PRICES["cloudfront_invalidation_path"],
        }))

    print("| job | unit | units in the run | cost per unit | of which, per unit |")
    print("|---|---|---:|---:|---|")
    for line in rows:
        print(line)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: bench/cost-model.py target/sam-local/<stack>/metrics.json")
    main(sys.argv[1])
