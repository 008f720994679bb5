"""Helpers on stored Kubernetes objects (:mod:`clustersim.kubernetes.objects`)."""

from __future__ import annotations

import copy

from clustersim.kubernetes.objects import container_port, format_selector, pod_template_hash

TEMPLATE = {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}}


def test_pod_template_hash_follows_every_edit_of_the_template() -> None:
    # the hash of a template's text is kept; an edit in place must still give a new hash
    template = copy.deepcopy(TEMPLATE)
    first = pod_template_hash(template)
    template["spec"]["containers"][0]["image"] = "nginx:1.26"
    second = pod_template_hash(template)
    template["metadata"]["labels"]["tier"] = "front"
    third = pod_template_hash(template)
    assert len({first, second, third}) == 3
    template["spec"]["containers"][0]["image"] = "nginx:1.25"
    del template["metadata"]["labels"]["tier"]
    assert pod_template_hash(template) == first == pod_template_hash(copy.deepcopy(TEMPLATE))
    assert pod_template_hash(template, collision_count=1) != first


def test_pod_template_hash_is_fnv_1a_of_the_canonical_json() -> None:
    # 32-bit FNV-1a of '{}#0' computed by hand, then written with the safe alphabet
    value = 0x811C9DC5
    for byte in b"{}#0":
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    assert pod_template_hash({}) == "".join(alphabet[ord(d) % len(alphabet)] for d in str(value))


def test_container_port_resolves_names_as_find_port_does() -> None:
    # pkg/api/v1/pod/util.go FindPort: a name over every container, protocol included (TCP
    # when a port gives none); a number is itself; an unknown name resolves to nothing.
    containers = [{"name": "a", "ports": [{"containerPort": 53, "name": "dns",
                                           "protocol": "UDP"}]},
                  {"name": "b", "ports": [{"containerPort": 8053, "name": "dns"}]}]
    assert container_port(containers, "dns", "TCP") == 8053
    assert container_port(containers, "dns", "UDP") == 53
    assert container_port(containers, "dns") == 53
    assert container_port(containers, 9090) == 9090
    assert container_port(containers, "metrics") is None


def test_format_selector_sorts_as_labels_selector_string() -> None:
    # kubernetes/apimachinery pkg/labels/selector.go: requirements sorted by key
    # (internalSelector.Add), the values of in/notin sorted (Requirement.String, safeSort)
    assert format_selector({"matchLabels": {"tier": "web", "app": "shop"}}) == "app=shop,tier=web"
    assert format_selector({"matchExpressions": [
        {"key": "zone", "operator": "NotIn", "values": ["c", "a"]},
        {"key": "env", "operator": "In", "values": ["prod", "dev", "qa"]}]}) \
        == "env in (dev,prod,qa),zone notin (a,c)"


def test_format_selector_reads_a_replication_controllers_map() -> None:
    # the RC scale subresource: labels.SelectorFromSet(rc.Spec.Selector).String()
    assert format_selector({"version": "v1", "app": "rc"}) == "app=rc,version=v1"
    assert format_selector({}) == "<none>"
