"""Transforms a SAM template to CloudFormation offline, as CloudFormation's AWS::Serverless transform would.

Usage: python3 sam_transform.py template.yaml [Key=Value ...] > transformed.json

Local CodeUri folders are first replaced by S3 locations, as `sam package` does before a deploy. Managed policy
names resolve through a small fixed table instead of IAM, so nothing here calls AWS.
"""
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

MANAGED_POLICIES = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "AWSLambdaSQSQueueExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
}


class FixedPolicyLoader:
    def load(self):
        return MANAGED_POLICIES


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        template = yaml_parse(handle.read())
    parameters = dict(pair.split("=", 1) for pair in sys.argv[2:])
    for logical_id, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(properties.get("CodeUri"), str):
            properties["CodeUri"] = "s3://packaged-artifacts/" + logical_id + ".zip"
    code_uri = template.get("Globals", {}).get("Function", {}).get("CodeUri")
    if isinstance(code_uri, str):
        template["Globals"]["Function"]["CodeUri"] = "s3://packaged-artifacts/global.zip"
    print(json.dumps(transform(template, parameters, FixedPolicyLoader()), indent=1, default=str))


if __name__ == "__main__":
    main()
