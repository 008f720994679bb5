"""Properties of the translations, over generated stacks and Marathon apps: the output passes
the Kubernetes API schemas, loads with ``load_manifests``, and keeps each workload's neutral
shape (replicas, CPU and memory per replica) exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim import load_manifests
from clustersim.translate import marathon_to_kubernetes, stack_to_kubernetes

NAMES = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
MILLICORES = st.integers(min_value=1, max_value=8000)
MEBIBYTES = st.integers(min_value=1, max_value=65536)
REPLICAS = st.integers(min_value=0, max_value=20)


def shape(workloads) -> list[tuple]:
    return sorted((w.replicas, w.cpu, w.memory) for w in workloads)


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(NAMES, st.tuples(REPLICAS, MILLICORES, MEBIBYTES,
                                        st.lists(st.integers(1, 65535), max_size=3, unique=True),
                                        st.sampled_from(["", "node.labels.disk == ssd",
                                                         "node.platform.os != windows"])),
                       min_size=1, max_size=4))
def test_stack_translation_validates_and_keeps_the_workload_shape(services):
    stack = {"services": {
        name: {"image": "nginx:1.27", "expose": ports, "deploy": {
            "replicas": replicas,
            "resources": {"reservations": {"cpus": str(millis / 1000), "memory": f"{mib}M"}},
            **({"placement": {"constraints": [constraint]}} if constraint else {})}}
        for name, (replicas, millis, mib, ports, constraint) in services.items()}}
    source = load_manifests(stack)
    result = stack_to_kubernetes(source[0])
    assert result.validate() == []
    assert shape(load_manifests(result.objects).workloads()) == shape(source.workloads())


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(NAMES, REPLICAS, MILLICORES, MEBIBYTES,
                          st.sampled_from([[], [["hostname", "UNIQUE"]], [["rack", "IS", "r1"]],
                                           [["@zone", "GROUP_BY"]]])),
                min_size=1, max_size=4, unique_by=lambda app: app[0]))
def test_marathon_translation_validates_and_keeps_the_workload_shape(apps):
    group = {"id": "/g", "apps": [
        {"id": f"/g/{name}", "instances": instances, "cpus": millis / 1000, "mem": mib,
         "container": {"type": "DOCKER", "docker": {"image": "nginx:1.27"}},
         "constraints": constraints}
        for name, instances, millis, mib, constraints in apps]}
    source = load_manifests(group)
    result = marathon_to_kubernetes(source)
    assert result.validate() == []
    assert shape(load_manifests(result.objects).workloads()) == shape(source.workloads())
