"""NetworkPolicy decisions on the scenarios of upstream's e2e suite
(kubernetes/kubernetes ``test/e2e/network/netpol/network_policy.go``: namespaces x, y, z with
Pods a, b, c each, serving on ports 80 and 81), and the API server's refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim.kubernetes.networkpolicy import (
    PolicyError,
    check_policy,
    connection,
    reachability,
)

NAMESPACES = ("x", "y", "z")
PODS = ("a", "b", "c")


def pod(namespace: str, name: str) -> dict:
    ports = [{"name": f"serve-{p}-{proto.lower()}", "containerPort": p, "protocol": proto}
             for p in (80, 81) for proto in ("TCP", "UDP")]
    return {"kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": {"pod": name}},
            "spec": {"nodeName": f"node-{namespace}",
                     "containers": [{"name": "server", "image": "agnhost", "ports": ports}]}}


def world(*policies: dict) -> list[dict]:
    namespaces = [{"kind": "Namespace", "metadata": {"name": ns, "labels": {"ns": ns}}}
                  for ns in NAMESPACES]
    return [*namespaces, *(pod(ns, p) for ns in NAMESPACES for p in PODS), *policies]


def policy(name: str, spec: dict, namespace: str = "x") -> dict:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


ALL = [f"{ns}/{p}" for ns in NAMESPACES for p in PODS]


def expected(rule) -> dict[tuple[str, str], bool]:
    return {(s, d): rule(s, d) for s in ALL for d in ALL}


def test_no_policy_lets_everything_through():
    assert all(reachability(world(), 80).allowed.values())


def test_default_deny_ingress_isolates_one_namespace_only():
    deny = policy("deny-ingress", {"podSelector": {}})
    got = reachability(world(deny), 80).allowed
    assert got == expected(lambda s, d: not d.startswith("x/"))


def test_default_deny_all_blocks_both_directions():
    deny = policy("deny-all", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    got = reachability(world(deny), 80).allowed
    assert got == expected(lambda s, d: not s.startswith("x/") and not d.startswith("x/"))


def test_pod_selector_peer_is_the_policy_namespace_only():
    allow = policy("x-a-allows-x-b", {
        "podSelector": {"matchLabels": {"pod": "a"}},
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"pod": "b"}}}]}]})
    got = reachability(world(allow), 80).allowed
    assert got == expected(lambda s, d: d != "x/a" or s == "x/b")


def test_policies_add_up_a_deny_all_and_an_allow_to_one_pod():
    deny = policy("deny-all", {"podSelector": {}})
    allow = policy("allow-all-to-a", {
        "podSelector": {"matchLabels": {"pod": "a"}},
        "ingress": [{"from": [{"podSelector": {}, "namespaceSelector": {}}]}]})
    got = reachability(world(deny, allow), 80).allowed
    assert got == expected(lambda s, d: not d.startswith("x/") or d == "x/a")


def test_empty_namespace_selector_means_every_namespace():
    allow = policy("allow-from-any-ns", {
        "podSelector": {"matchLabels": {"pod": "a"}},
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {}}}]}]})
    assert all(reachability(world(allow), 80).allowed.values())


@pytest.mark.parametrize("selector", [
    {"matchLabels": {"kubernetes.io/metadata.name": "y"}},     # the automatic label
    {"matchExpressions": [{"key": "ns", "operator": "In", "values": ["y"]}]},
])
def test_namespace_selector_only_from_another_namespace(selector):
    allow = policy("from-y", {"podSelector": {"matchLabels": {"pod": "a"}},
                              "ingress": [{"from": [{"namespaceSelector": selector}]}]})
    got = reachability(world(allow), 80).allowed
    assert got == expected(lambda s, d: d != "x/a" or s.startswith("y/"))


def test_two_peers_are_or_one_peer_with_two_selectors_is_and():
    not_x = {"matchExpressions": [{"key": "ns", "operator": "NotIn", "values": ["x"]}]}
    b = {"matchLabels": {"pod": "b"}}
    either = policy("either", {"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [
        {"from": [{"namespaceSelector": not_x}, {"podSelector": b}]}]})
    got = reachability(world(either), 80).allowed
    assert got == expected(lambda s, d: d != "x/a" or not s.startswith("x/") or s == "x/b")
    both = policy("both", {"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [
        {"from": [{"namespaceSelector": not_x, "podSelector": b}]}]})
    got = reachability(world(both), 80).allowed
    assert got == expected(lambda s, d: d != "x/a" or s in ("y/b", "z/b"))


@pytest.mark.parametrize("port_entry", [
    {"port": 81},
    {"port": "serve-81-tcp"},
    {"port": 81, "endPort": 90},
    {"protocol": "TCP", "port": 81},
])
def test_ports_numbers_names_and_ranges(port_entry):
    allow = policy("only-81", {"podSelector": {"matchLabels": {"pod": "a"}},
                               "ingress": [{"ports": [port_entry]}]})
    objects = world(allow)
    assert connection(objects, "y/b", "x/a", 81).allowed
    assert not connection(objects, "y/b", "x/a", 80).allowed
    assert not connection(objects, "y/b", "x/a", 81, "UDP").allowed
    assert connection(objects, "y/b", "x/b", 80).allowed      # not selected


def test_end_port_makes_a_range():
    objects = world(policy("range", {"podSelector": {}, "ingress": [{"ports": [
        {"port": 8000, "endPort": 8100}]}]}))
    assert [connection(objects, "y/a", "x/a", p).allowed for p in (7999, 8000, 8050, 8100,
                                                                   8101)] == [
        False, True, True, True, False]


def test_named_port_is_looked_up_on_the_destination_pod():
    objects = world(policy("named", {"podSelector": {}, "ingress": [{"ports": [
        {"port": "serve-81-udp", "protocol": "UDP"}]}]}))
    assert connection(objects, "y/a", "x/a", 81, "UDP").allowed
    assert not connection(objects, "y/a", "x/a", 80, "UDP").allowed


def test_an_egress_section_also_isolates_ingress_unless_policy_types_say_otherwise():
    egress = {"podSelector": {"matchLabels": {"pod": "a"}},
              "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"ns": "y"}}}]}]}
    defaulted = world(policy("egress-to-y", egress))
    verdict = connection(defaulted, "x/b", "x/a", 80)
    assert not verdict.allowed          # policyTypes defaulted to [Ingress, Egress]
    assert "isolated by NetworkPolicy x/egress-to-y" in verdict.ingress
    assert connection(defaulted, "x/a", "y/c", 80).allowed
    assert not connection(defaulted, "x/a", "z/c", 80).allowed
    explicit = world(policy("egress-to-y", {**egress, "policyTypes": ["Egress"]}))
    assert connection(explicit, "x/b", "x/a", 80).allowed
    assert not connection(explicit, "x/a", "z/c", 80).allowed


def test_ip_block_with_except_matches_outside_addresses():
    objects = world(policy("egress-cidr", {
        "podSelector": {"matchLabels": {"pod": "a"}}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"ipBlock": {"cidr": "203.0.113.0/24",
                                        "except": ["203.0.113.128/25"]}}]}]}))
    assert connection(objects, "x/a", "203.0.113.7", 443).allowed
    assert not connection(objects, "x/a", "203.0.113.200", 443).allowed
    assert not connection(objects, "x/a", "198.51.100.1", 443).allowed
    assert not connection(objects, "x/a", "x/b", 80).allowed     # a Pod is not in an ipBlock


def test_the_pods_own_node_always_reaches_it():
    objects = world(policy("deny-all", {"podSelector": {}}))
    assert connection(objects, "node:node-x", "x/a", 8080).allowed
    assert not connection(objects, "node:node-y", "x/a", 8080).allowed


def test_reasons_name_the_policies_and_the_rule():
    deny = policy("default-deny-ingress", {"podSelector": {}})
    allow = policy("api-from-b", {"podSelector": {"matchLabels": {"pod": "a"}},
                                  "ingress": [{"from": [{"podSelector": {"matchLabels":
                                                                         {"pod": "b"}}}]}]})
    objects = world(deny, allow)
    ok = connection(objects, "x/b", "x/a", 80)
    assert ok.reason == ("allowed: egress from x/b: not isolated (no NetworkPolicy selects it "
                         "for Egress); ingress to x/a: allowed by NetworkPolicy x/api-from-b "
                         "(ingress[0])")
    refused = connection(objects, "x/c", "x/a", 80)
    assert refused.reason.startswith("denied: ")
    assert refused.ingress == ("ingress to x/a: isolated by NetworkPolicy "
                               "x/default-deny-ingress, x/api-from-b, and no ingress rule of "
                               "them allows TCP 80 from x/c")


def test_a_plugin_that_does_not_enforce_lets_everything_through():
    deny = policy("deny-all", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    assert all(reachability(world(deny), 80, enforced=False).allowed.values())


def test_reachability_prints_a_table():
    table = str(reachability(world(policy("deny-ingress", {"podSelector": {}})), 80))
    lines = table.splitlines()
    assert lines[0] == "TCP 80, from (rows) to (columns): . allowed, X denied"
    assert lines[2] == "x/a   X  X  X  .  .  .  .  .  .   1"


@pytest.mark.parametrize(("spec", "message"), [
    ({"podSelector": {}, "ingress": [{"from": [{}]}]},
     "spec.ingress[0].from[0]: Required value: must specify a peer"),
    ({"podSelector": {}, "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"},
                                             "podSelector": {}}]}]},
     "spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer"),
    ({"podSelector": {}, "ingress": [{"ports": [{"port": "http", "endPort": 90}]}]},
     "spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` "
     "is non-numeric"),
    # the endPort is the bad value (ValidateNetworkPolicyPort), not the port it had shown
    ({"podSelector": {}, "ingress": [{"ports": [{"port": 90, "endPort": 80}]}]},
     "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to "
     "`port`"),
    ({"podSelector": {}, "ingress": [{"ports": [{"endPort": 80}]}]},
     "spec.ingress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` "
     "is not specified"),
    ({"podSelector": {}, "ingress": [{"ports": [{"protocol": "ICMP"}]}]},
     'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", '
     '"UDP", "SCTP"'),
    # a core.Protocol and a networking.PolicyType print as JSON (ErrorBody since 1.34)
    ({"podSelector": {}, "ingress": [{"ports": [{"protocol": "T&P"}]}]},
     'spec.ingress[0].ports[0].protocol: Unsupported value: "T\\u0026P": supported values: '
     '"TCP", "UDP", "SCTP"'),
    ({"podSelector": {}, "policyTypes": ["<In>"]},
     'spec.policyTypes[0]: Unsupported value: "\\u003cIn\\u003e": supported values: '
     '"Ingress", "Egress"'),
    ({"podSelector": {}, "policyTypes": ["Ingress", "Egress", "Ingress"]},     # &spec.PolicyTypes
     'spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more '
     "than two policyTypes"),
    ({"podSelector": {}, "ingress": [{"ports": [{"port": "web\\tx"}]}]},  # %q doubles "\\"
     'spec.ingress[0].ports[0].port: Invalid value: "web\\\\tx": must be no more than 15'),
    ({"podSelector": {}, "ingress": [{"ports": [{"port": 70000}]}]},
     "spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535"),
    ({"podSelector": {}, "policyTypes": ["Inbound"]},
     'spec.policyTypes[0]: Unsupported value: "Inbound": supported values: "Ingress", '
     '"Egress"'),
    ({"podSelector": {}, "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8",
                                                         "except": ["192.168.0.0/16"]}}]}]},
     'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a '
     "strict subset of `cidr`"),
    ({"podSelector": {"matchExpressions": [{"key": "a", "operator": "Equals"}]}},
     "spec.podSelector.matchExpressions[0].operator: Invalid value: label selector operator "
     "'Equals' is not valid"),
    ({"podSelector": {"matchLabels": {"pod": "a"}, "matchExpressions": [
        {"key": "tier", "operator": "Bad"}]}},
     "spec.podSelector.matchExpressions[0].operator: Invalid value"),
    ({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchExpressions": [
        {"key": "ns", "operator": "In"}]}}]}]},
     "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: Required value"),
    ({"podSelector": {}, "ingress": [{"ports": [{"prot": 80}]}]},
     "spec.ingress[0].ports[0].prot: Invalid value: unknown field (strict decoding error); "
     "the fields here are protocol, port, endPort"),
    ({"podSelector": {}, "ingres": []}, "spec.ingres: Invalid value: unknown field"),
    ({"podSelector": {"matchLabels": {"pod": 5}}},
     "spec.podSelector.matchLabels: Invalid value: must map label names to strings"),
])
def test_the_api_servers_refusals(spec, message):
    with pytest.raises(PolicyError) as err:
        check_policy(policy("bad", spec))
    assert str(err.value).startswith('NetworkPolicy.networking.k8s.io "bad" is invalid: ')
    assert message in str(err.value)


@pytest.mark.parametrize(("block", "message"), [
    # leading zeros read as decimal by ParseCIDRSloppy, refused by the strict check (on by
    # default since 1.36); Python's ip_network had refused them in words of its own
    ({"cidr": "010.0.0.0/8"}, 'ipBlock.cidr: Invalid value: "010.0.0.0/8": must not have '
                              "leading 0s in IP or prefix length"),
    ({"cidr": "10.0.0.0/8", "except": ["10.1.0.0/016"]},
     'ipBlock.except[0]: Invalid value: "10.1.0.0/016": must not have leading 0s in IP or '
     "prefix length"),
    # an interface address, a netmask and a zone, which Python's ip_network had taken
    ({"cidr": "10.0.0.1/8"}, 'ipBlock.cidr: Invalid value: "10.0.0.1/8": must not have bits '
                             "set beyond the prefix length"),
    ({"cidr": "10.0.0.0/255.0.0.0"}, 'ipBlock.cidr: Invalid value: "10.0.0.0/255.0.0.0": must '
                                     "be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                                     "2001:db8::/64)"),
    ({"cidr": "fe80::/64", "except": ["fe80::1%eth0/80"]},
     'ipBlock.except[0]: Invalid value: "fe80::1%eth0/80": must be a valid CIDR value, (e.g. '
     "10.9.8.0/24 or 2001:db8::/64)"),
    ({"cidr": "::ffff:10.0.0.0/104"}, 'ipBlock.cidr: Invalid value: "::ffff:10.0.0.0/104": '
                                      "must not have an IPv4-mapped IPv6 address"),
    ({"cidr": "1.2.3.4/033"}, 'ipBlock.cidr: Invalid value: "1.2.3.4/033": must be a valid '
                              "CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"),
    ({"except": ["10.0.0.0/16"]}, "ipBlock.cidr: Required value"),   # ValidateIPBlock
])
def test_ip_blocks_are_validated_as_validate_ip_block_does(block, message):
    """``ValidateIPBlock`` (kubernetes/kubernetes ``pkg/apis/networking/validation/
    validation.go``) at v1.37: ``IsValidCIDRForLegacyField`` with strict validation."""
    with pytest.raises(PolicyError) as err:
        check_policy(policy("bad", {"podSelector": {}, "ingress": [{"from": [
            {"ipBlock": block}]}]}))
    assert str(err.value) == ('NetworkPolicy.networking.k8s.io "bad" is invalid: '
                              f"spec.ingress[0].from[0].{message}")


def test_an_ipv6_ip_block_matches_outside_ipv6_addresses():
    objects = world(policy("egress-v6", {
        "podSelector": {"matchLabels": {"pod": "a"}}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"ipBlock": {"cidr": "2001:db8::/64",
                                        "except": ["2001:db8::/96"]}}]}]}))
    assert connection(objects, "x/a", "2001:db8::1:0:0:7", 443).allowed
    assert not connection(objects, "x/a", "2001:db8::7", 443).allowed       # in the except
    assert not connection(objects, "x/a", "203.0.113.7", 443).allowed       # another family


@pytest.mark.parametrize(("source", "destination", "port", "message"), [
    ("x/q", "x/a", 80, "There is no Pod 'q' in namespace 'x'; the Pods given are: x/a"),
    ("x/a", "", 80, "'' is not an endpoint"),
    ("x/a", "x/b", 0, "port 0: a connection's port is a number from 1 to 65535"),
    ("x/a", "x/b", "80", "port '80'"),
])
def test_unknown_endpoints_and_bad_ports_say_what_to_give(source, destination, port, message):
    with pytest.raises(PolicyError, match=message):
        connection(world(), source, destination, port)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 70000) | st.sampled_from(
        ["", "TCP", "ICMP", "http", "10.0.0.0/8", "10.1.0.0/16", "x", "In", "Exists"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
        ["podSelector", "namespaceSelector", "ipBlock", "cidr", "except", "ingress", "egress",
         "from", "to", "ports", "port", "endPort", "protocol", "policyTypes", "matchLabels",
         "matchExpressions", "key", "operator", "values"]), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(spec=_JSON)
def test_any_spec_is_refused_with_a_policy_error_or_decided(spec):
    objects = world(policy("fuzz", spec))
    try:
        verdict = connection(objects, "x/b", "x/a", 80)
    except PolicyError as err:
        assert str(err).startswith('NetworkPolicy.networking.k8s.io "fuzz" is invalid: ')
    else:
        assert isinstance(verdict.allowed, bool)


def test_the_cluster_stores_defaulted_policies_refuses_invalid_ones_and_answers():
    from clustersim.clusters import demo_nodes
    from clustersim.kubernetes import AdmissionError, KubernetesCluster

    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply([{"apiVersion": "v1", **pod("default", "web")},
                   {"apiVersion": "v1", **pod("default", "api")},
                   policy("api-from-web", {"podSelector": {"matchLabels": {"pod": "api"}},
                                           "ingress": [{"from": [{"podSelector": {
                                               "matchLabels": {"pod": "web"}}}],
                                                        "ports": [{"port": 80}]}]},
                          namespace="default")])
    stored = cluster.get("NetworkPolicy", "default", "api-from-web")["spec"]
    assert stored["policyTypes"] == ["Ingress"]
    assert stored["ingress"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]
    assert cluster.connection("default/web", "default/api", 80).allowed
    assert not cluster.connection("default/api", "default/api", 81).allowed
    assert cluster.connection("default/api", "default/api", 81, enforced=False).allowed
    with pytest.raises(AdmissionError, match="must specify a peer"):
        cluster.apply(policy("bad", {"podSelector": {}, "ingress": [{"from": [{}]}]},
                             namespace="default"))


def test_the_documentations_example_policy_from_the_corpus():
    """``content/en/examples/service/networking/networkpolicy.yaml`` of kubernetes/website (in
    ../shared/realworld-more/), decided as the Network Policies page explains it: role=db Pods
    of default are isolated both ways; TCP 6379 is let in from role=frontend Pods of default,
    from every Pod of a namespace labelled project=myproject and from 172.17.0.0/16 outside
    172.17.1.0/24; egress is let out to 10.0.0.0/24 on TCP 5978."""
    from clustersim import load_manifests
    from tests.conftest import REALWORLD_MORE

    path = (REALWORLD_MORE / "kubernetes"
            / "kubernetes-website__content__en__examples__service__networking__networkpolicy.yaml")
    if not path.is_file():
        pytest.skip(f"real-world corpus not found at {path.parent} (../shared/realworld-more/ "
                    "beside the repository, or set CLUSTERSIM_SHARED)")
    example = [spec.manifest for spec in load_manifests(path)]

    def labelled(namespace, name, labels):
        return {"kind": "Pod", "metadata": {"name": name, "namespace": namespace,
                                            "labels": labels}, "spec": {"containers": []}}

    objects = [*example,
               {"kind": "Namespace", "metadata": {"name": "team", "labels": {
                   "project": "myproject"}}},
               labelled("default", "db", {"role": "db"}),
               labelled("default", "frontend", {"role": "frontend"}),
               labelled("default", "other", {"role": "other"}),
               labelled("team", "anything", {}),
               labelled("elsewhere", "frontend", {"role": "frontend"})]
    verdicts = {
        ("default/frontend", "default/db", 6379): True,
        ("team/anything", "default/db", 6379): True,
        ("172.17.0.9", "default/db", 6379): True,
        ("172.17.1.9", "default/db", 6379): False,
        ("default/frontend", "default/db", 6380): False,
        ("default/other", "default/db", 6379): False,
        ("elsewhere/frontend", "default/db", 6379): False,
        ("default/db", "10.0.0.7", 5978): True,
        ("default/db", "10.0.1.7", 5978): False,
        ("default/db", "default/frontend", 80): False,
        ("default/other", "default/frontend", 80): True,
    }
    assert {key: connection(objects, *key).allowed for key in verdicts} == verdicts



def test_the_reachability_figure_has_one_grid_per_step_with_reasons_in_the_hover():
    from clustersim.viz.reachability import reachability_figure

    deny = policy("deny-ingress", {"podSelector": {}})
    steps = {"none": reachability(world(), 80), "deny x": reachability(world(deny), 80)}
    fig = reachability_figure(steps)
    assert [f.name for f in fig.frames] == ["step 0", "step 1"]
    columns = fig.frames[1].data          # one bar trace per destination, a bar per source
    assert len(columns) == 9 and {c.type for c in columns} == {"bar"}
    assert list(columns[0].y[:2]) == ["x/a (1)", "x/b (2)"]
    assert list(fig.layout.xaxis.ticktext[:2]) == ["1", "2"]
    assert columns[0].text[3] == "✗" and columns[3].text[3] == "✓"      # y/a to x/a, to y/a
    assert columns[0].hovertext[3].startswith("<b>y/a → x/a: denied</b>")
    hover = columns[0].hovertext[3].replace("<br>", " ")
    assert "isolated by NetworkPolicy x/deny-ingress" in hover
    assert [s["label"] for s in fig.layout.sliders[0].steps] == ["none", "deny x"]
    with pytest.raises(ValueError, match="step 'port 81' covers other Pods, another port"):
        reachability_figure({**steps, "port 81": reachability(world(), 81)})
