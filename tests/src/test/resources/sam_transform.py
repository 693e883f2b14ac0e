"""Transforms a SAM template to CloudFormation offline, as CloudFormation's AWS::Serverless transform would.

Usage: python3 sam_transform.py template.yaml [Key=Value ...] > transformed.json

Local CodeUri folders are first replaced by S3 locations, as `sam package` does before a deploy. Snippets that
`Fn::Transform: {Name: AWS::Include}` names by a local path are inlined first, as CloudFormation does: it runs
macros from the most deeply nested outward, so an include inside a resource is processed before the template's
AWS::Serverless transform sees it. Managed policy names resolve through a small fixed table instead of IAM, so
nothing here calls AWS.
"""
import json
import os
import sys

import yaml

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

MANAGED_POLICIES = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "AWSLambdaSQSQueueExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
}


def inline_includes(node, base_dir):
    """Replaces each {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": <local file>}}} by the
    file's parsed content. CloudFormation's include takes the snippet as plain JSON/YAML: short-form intrinsic
    tags (!Sub) are not allowed in it, so the snippet is read as plain YAML and such a tag fails here too."""
    if isinstance(node, dict):
        transform = node.get("Fn::Transform")
        if len(node) == 1 and isinstance(transform, dict) and transform.get("Name") == "AWS::Include":
            location = transform.get("Parameters", {}).get("Location")
            if not isinstance(location, str) or location.startswith("s3://"):
                raise ValueError("AWS::Include needs a local file here, got " + repr(location))
            with open(os.path.join(base_dir, location), encoding="utf-8") as snippet:
                return inline_includes(yaml.safe_load(snippet), base_dir)
        return {key: inline_includes(value, base_dir) for key, value in node.items()}
    if isinstance(node, list):
        return [inline_includes(item, base_dir) for item in node]
    return node


class FixedPolicyLoader:
    def load(self):
        return MANAGED_POLICIES


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        template = yaml_parse(handle.read())
    template = inline_includes(template, os.path.dirname(os.path.abspath(sys.argv[1])))
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
