"""``Node``: one machine class for every simulator, built from quantities and system metadata."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clustersim import Node


def test_quantities_and_numbers() -> None:
    node = Node("n1", "500m", "16Gi", disk="100G")
    assert (node.cpu, node.memory, node.disk) == (Decimal("0.5"), 16 * 2**30, 10**11)
    assert (node.cpu_millis, node.memory_bytes) == (500, 16 * 2**30)
    assert Node("n2", 4, 2**30).cpu == 4
    assert Node("n3", 0.1, "1Mi").cpu == Decimal("0.1")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"cpu": "lots"}, "cpu: quantity 'lots' is not valid"),
        ({"cpu": "-1"}, "cpu must not be negative"),
        ({"memory": "1Zi"}, "memory"),
        ({"ports": ["abc"]}, "port range 'abc'"),
        ({"ports": [(10, 70000)]}, "0-65535"),
        ({"ports": [True]}, "port range True"),
        ({"taints": [{"key": "k", "effect": "Never"}]}, "NoExecute"),
        ({"role": "leader"}, "role must be one of"),
        ({"availability": "off"}, "availability"),
        ({"max_pods": -1}, "max_pods"),
        ({"extended_resources": {"nvidia.com/gpu": "two"}}, "nvidia.com/gpu"),
    ],
)
def test_bad_input_names_the_node_and_field(kwargs: dict, words: str) -> None:
    arguments = {"cpu": "1", "memory": "1Gi", **kwargs}
    with pytest.raises(ValueError, match="Node 'n1'") as info:
        Node("n1", **arguments)
    assert words in str(info.value)


def test_empty_name_is_refused() -> None:
    with pytest.raises(ValueError, match="non-empty name"):
        Node("", "1", "1Gi")


def test_port_ranges_in_every_form() -> None:
    node = Node("n1", "1", "1Gi", ports=["31000-32000", 8080, (20, 22), "53"])
    assert node.ports == ((20, 22), (53, 53), (8080, 8080), (31000, 32000))


def test_metadata_of_every_system() -> None:
    node = Node(
        "n1",
        "4",
        "8Gi",
        labels={"disktype": "ssd"},
        taints=[{"key": "dedicated", "value": "db", "effect": "NoSchedule"}],
        attributes={"rack": "r1", "level": 1.5},
        domain={"region": "eu", "zone": "a"},
        role="manager",
        availability="drain",
        engine_labels={"storage": "ssd"},
        extended_resources={"nvidia.com/gpu": 2},
        platform={"arch": "aarch64"},
        address="10.0.0.1",
        zone="a",
    )
    assert node.attributes == {"rack": "r1", "level": "1.5"}
    assert node.extended_resources == {"nvidia.com/gpu": 2}
    assert node.platform == {"os": "linux", "arch": "aarch64"}
    assert (node.hostname, node.id, node.role, node.availability) == (
        "n1",
        "n1",
        "manager",
        "drain",
    )
    assert node.max_pods == 110  # the kubelet's default --max-pods


def test_many_builds_similar_nodes_with_per_index_values() -> None:
    nodes = Node.many(3, "worker", cpu="2", memory="4Gi", zone=lambda i: "abc"[i % 3])
    assert [(n.name, n.zone) for n in nodes] == [
        ("worker-1", "b"),
        ("worker-2", "c"),
        ("worker-3", "a"),
    ]
    with pytest.raises(ValueError, match="count"):
        Node.many(-1, cpu="1", memory="1Gi")


def test_copy_changes_only_what_is_asked() -> None:
    node = Node("n1", "2", "4Gi", labels={"a": "b"}, ports=[(1, 2)])
    other = node.copy(name="n2", cpu="8")
    assert (other.name, other.cpu, other.memory, other.labels, other.ports) == (
        "n2",
        8,
        4 * 2**30,
        {"a": "b"},
        ((1, 2),),
    )
    assert node.cpu == 2
