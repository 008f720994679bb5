"""QoS classes: the cases of upstream's TestComputePodQOS
(kubernetes/kubernetes pkg/apis/core/v1/helper/qos/qos_test.go), plus defaulting."""

from __future__ import annotations

import pytest

from clustersim.kubernetes.qos import pod_qos_class


def rl(cpu="", memory="", **extra):
    values = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
    return {**values, **extra}


def container(requests, limits):
    return {"name": "c", "image": "x", "resources": {"requests": requests, "limits": limits}}


def pod(*containers, init=(), resources=None):
    spec = {"containers": list(containers), "initContainers": list(init)}
    if resources is not None:
        spec["resources"] = resources
    return {"metadata": {"name": "p"}, "spec": spec}


G = container(rl("100m", "100Mi"), rl("100m", "100Mi"))
BE = container(rl(), rl())

UPSTREAM = [
    ("guaranteed", pod(G), "Guaranteed"),
    ("guaranteed-guaranteed", pod(G, G), "Guaranteed"),
    ("best-effort-best-effort", pod(BE, BE), "BestEffort"),
    ("best-effort", pod(BE), "BestEffort"),
    ("best-effort-burstable", pod(BE, container(rl("1"), rl("2"))), "Burstable"),
    ("best-effort-guaranteed", pod(BE, container(rl("10m", "100Mi"), rl("10m", "100Mi"))),
     "Burstable"),
    ("burstable-cpu-guaranteed-memory", pod(container(rl(memory="100Mi"), rl(memory="100Mi"))),
     "Burstable"),
    ("burstable-no-limits", pod(container(rl("100m", "100Mi"), rl())), "Burstable"),
    ("burstable-guaranteed", pod(container(rl("1", "100Mi"), rl("2", "100Mi")), G), "Burstable"),
    ("burstable-unbounded-but-requests-match-limits",
     pod(container(rl("100m", "100Mi"), rl("200m", "200Mi")),
         container(rl("100m", "100Mi"), rl())), "Burstable"),
    ("burstable-1", pod(container(rl("10m", "100Mi"), rl("100m", "200Mi"))), "Burstable"),
    ("burstable-2", pod(container(rl("0", "0"), rl("100m", "200Mi"))), "Burstable"),
    ("best-effort-hugepages",
     pod(container(rl("0", "0", **{"hugepages-2Mi": "1Gi"}),
                   rl("0", "0", **{"hugepages-2Mi": "1Gi"}))), "BestEffort"),
    ("init-container", pod(BE, init=[container(rl("10m", "100Mi"), rl("100m", "200Mi"))]),
     "Burstable"),
    ("guaranteed-with-pod-level-resources",
     pod(BE, resources={"requests": rl("10m", "100Mi"), "limits": rl("10m", "100Mi")}),
     "Guaranteed"),
    ("guaranteed-with-pod-and-container-level-resources",
     pod(container(rl("3m", "10Mi"), rl("5m", "20Mi")),
         resources={"requests": rl("10m", "100Mi"), "limits": rl("10m", "100Mi")}),
     "Guaranteed"),
    ("burstable-with-pod-level-resources",
     pod(BE, resources={"requests": rl("10m", "10Mi"), "limits": rl("20m", "50Mi")}),
     "Burstable"),
    ("burstable-with-pod-and-container-level-requests",
     pod(container(rl("5m", "10Mi"), rl()), resources={"requests": rl("10m", "10Mi")}),
     "Burstable"),
    ("burstable-with-pod-and-container-level-resources-2",
     pod(container(rl("5m", "10Mi"), rl()), G,
         resources={"requests": rl("10m", "10Mi"), "limits": rl("5m")}), "Burstable"),
]


@pytest.mark.parametrize(("name", "manifest", "expected"), UPSTREAM, ids=[c[0] for c in UPSTREAM])
def test_upstream_table(name, manifest, expected):
    assert pod_qos_class(manifest) == expected


def test_limits_alone_default_the_requests():
    """The API server copies a limit into a missing request, so limits alone are Guaranteed."""
    assert pod_qos_class(pod(container({}, rl("1", "1Gi")))) == "Guaranteed"


def test_bad_quantity_is_a_clear_error():
    with pytest.raises(ValueError, match=r"spec.containers\[0\].resources.limits.cpu"):
        pod_qos_class(pod(container({}, {"cpu": "lots"})))
