#!/usr/bin/env python3
"""A fixed scenario through the local suite, for the cost model: starts `sam-local start-api` on free ports under
its own stack name, drives each job through the suite as its users would, stops the suite (which writes its
metrics.json), then prints bench/cost-model.py's table.

    ./mvnw -q package -DskipTests && bench/cost-run.py [--scale N]

Scenario, at scale 1: 200 thumbnails of 4 originals (every allowed size), 200 first registrations and 200 refreshes,
one geo send reaching 150 of them, one site deploy of 300 objects. Needs python3 with boto3.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STACK = "cost-model"
SIZES = ["150/150", "400/300", "400/0", "0/300", "800/600"]


def wait_for(path, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                try:
                    return json.load(f)
                except ValueError:
                    pass
        time.sleep(0.5)
    sys.exit(f"cost-run: the suite did not start within {seconds} s (see {ROOT}/target/cost-run.log)")


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    scale = args.scale
    state_dir = os.path.join(ROOT, "target", "sam-local", STACK)
    for name in ("endpoints.json", "metrics.json"):
        if os.path.exists(os.path.join(state_dir, name)):
            os.remove(os.path.join(state_dir, name))
    log = open(os.path.join(ROOT, "target", "cost-run.log"), "w")
    suite = subprocess.Popen(["java", "-jar", os.path.join(ROOT, "local/target/sam-local.jar"), "start-api",
                              "--port", "0", "--stack-name", STACK], cwd=ROOT, stdout=log, stderr=log)
    try:
        endpoints = wait_for(os.path.join(state_dir, "endpoints.json"), 180)
        services = endpoints["services"]
        s3 = boto3.client("s3", endpoint_url=services.get("S3"), region_name=endpoints["region"],
                          aws_access_key_id="testing", aws_secret_access_key="testing")
        buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]}
        images_bucket = next(b for b in buckets if STACK in b and "images" in b)
        site_bucket = next(b for b in buckets if b.startswith("media-suite-site-"))
        devices = endpoints["apis"]["DeviceApi"].rstrip("/")
        thumbs = endpoints["apis"]["ThumbnailApi"].rstrip("/")

        # Thumbnails: the sample site's originals, every allowed size, through the thumbnail API (each a miss).
        originals = sorted(f for f in os.listdir(os.path.join(ROOT, "site", "static", "images"))
                           if f.endswith((".jpg", ".png")))[:4]
        for name in originals:
            s3.upload_file(os.path.join(ROOT, "site", "static", "images", name), images_bucket,
                           "static/images/" + name)
        for i in range(200 * scale):
            name = originals[i % len(originals)]
            status, _ = http("GET", f"{thumbs}/static/images/thumb/{SIZES[i % len(SIZES)]}/{name}")
            assert status == 200, status

        # Registrations: first registrations around Paris, then each device refreshes once.
        rnd = random.Random(7)
        ids = [f"cost-{i:06d}-{rnd.getrandbits(32):08x}" for i in range(200 * scale)]
        for device_id in ids:
            body = {"platform": "FCM", "token": f"fcm-token-{device_id}-" + "x" * 100,
                    "location": {"lat": 48.85 + rnd.uniform(-0.05, 0.05), "lon": 2.35 + rnd.uniform(-0.05, 0.05)}}
            status, _ = http("PUT", f"{devices}/devices/{device_id}", body)
            assert status in (200, 201), status
        for device_id in ids:
            body = {"platform": "FCM", "token": f"fcm-token-{device_id}-" + "x" * 100,
                    "location": {"lat": 48.85, "lon": 2.35}}
            http("PUT", f"{devices}/devices/{device_id}", body)

        # A geo send over the registered devices; wait until it is final.
        status, answer = http("POST", f"{devices}/notifications", {
            "near": {"lat": 48.85, "lon": 2.35, "radiusKm": 25},
            "message": {"title": "cost model", "body": "one push per device in the radius"}})
        assert status == 202, (status, answer)
        notification = json.loads(answer)["notificationId"]
        deadline = time.time() + 300
        while time.time() < deadline:
            status, answer = http("GET", f"{devices}/notifications/{notification}")
            if json.loads(answer).get("status") in ("completed", "failed"):
                break
            time.sleep(2)

        # A site deploy: 300 objects, as `aws s3 sync` would put them; wait for the invalidation function.
        for i in range(300 * scale):
            folder = ("docs", "blog", "shop")[i % 3]
            s3.put_object(Bucket=site_bucket, Key=f"{folder}/page-{i:05d}.html", Body=f"<p>page {i}</p>".encode(),
                          ContentType="text/html", CacheControl="max-age=300")
        time.sleep(90)  # the function's batching window is 60 s
    finally:
        suite.send_signal(signal.SIGTERM)
        suite.wait(timeout=120)
        log.close()
    metrics = os.path.join(state_dir, "metrics.json")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "cost-model.py"), metrics], check=True)


if __name__ == "__main__":
    main()
