"""Command line: translate a stack or a Marathon file to Kubernetes manifests.

    python -m clustersim.translate stack.yml > shop.yaml
    python -m clustersim.translate marathon.json --node-label zone=topology.kubernetes.io/zone

The manifests go to standard output (ready for ``kubectl apply -f -``); the report of what did
not translate exactly, and any schema problem, go to standard error. The exit status is 1 when
the output does not validate against the Kubernetes API schemas, 2 when the input cannot be
read, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys

from clustersim.manifests import load_manifests
from clustersim.messages import describe_error
from clustersim.schemas import KUBERNETES_VERSION
from clustersim.translate.compose import stack_to_kubernetes
from clustersim.translate.marathon import marathon_to_kubernetes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m clustersim.translate",
        description="Translate a Swarm stack or Marathon apps/groups to Kubernetes manifests.")
    parser.add_argument("path", help="a stack file (.yml) or a Marathon file (.json)")
    parser.add_argument("--node-label", action="append", default=[], metavar="SWARM=K8S",
                        help="use node label K8S for Swarm's node.labels.SWARM (repeatable)")
    parser.add_argument("--kubernetes-version", default=KUBERNETES_VERSION)
    args = parser.parse_args(argv)
    try:
        labels = dict(item.split("=", 1) for item in args.node_label)
    except ValueError:
        parser.error("--node-label takes SWARM=K8S, e.g. zone=topology.kubernetes.io/zone")
    try:
        specs = load_manifests(args.path)
        if specs and all(spec.system == "swarm" for spec in specs):
            result = stack_to_kubernetes(specs[0], node_labels=labels)
        else:
            result = marathon_to_kubernetes(specs)
        text = result.yaml()
        problems = result.validate(args.kubernetes_version)
    except Exception as err:  # one line on standard error, never a traceback
        print(f"error: {describe_error(err)}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    print(result.report(), file=sys.stderr)
    for problem in problems:
        print(f"schema: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
