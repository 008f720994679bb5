"""RBAC authorization (clustersim.kubernetes.rbac), with the cases of upstream's
plugin/pkg/auth/authorizer/rbac/rbac_test.go (TestAuthorizer, TestRuleMatches)."""

from __future__ import annotations

import pytest

from clustersim.kubernetes.rbac import (
    Request,
    authorize,
    can_i,
    groups_of,
    rule_allows,
    rules_for,
)


def rule(verbs: str, groups: str = "", resources: str = "", urls: str = "") -> dict:
    """newRule(verbs, apiGroups, resources, nonResourceURLs) of rbac_test.go."""
    return {"verbs": verbs.split(","), "apiGroups": groups.split(","),
            "resources": resources.split(","), "nonResourceURLs": urls.split(",")}


def cluster_role(name: str, *rules: dict) -> dict:
    return {"kind": "ClusterRole", "metadata": {"name": name}, "rules": list(rules)}


def subjects(*items: str) -> list[dict]:
    return [{"kind": kind, "name": name}
            for kind, name in (item.split(":", 1) for item in items)]


def role_binding(namespace: str, role: str, kind: str, *who: str) -> dict:
    return {"kind": "RoleBinding", "metadata": {"name": f"{role}-binding", "namespace": namespace},
            "roleRef": {"kind": kind, "name": role}, "subjects": subjects(*who)}


def cluster_role_binding(role: str, *who: str) -> dict:
    return {"kind": "ClusterRoleBinding", "metadata": {"name": f"{role}-binding"},
            "roleRef": {"kind": "ClusterRole", "name": role}, "subjects": subjects(*who)}


def attrs(user: str, groups: str, verb: str, resource: str, sub: str, ns: str) -> Request:
    """defaultAttributes of rbac_test.go."""
    return Request(user, verb, resource, ns, "", sub, groups=tuple(filter(None, groups.split(","))))


ADMIN_IN_NS1 = [cluster_role("admin", rule("*", "*", "*", "*")),
                role_binding("ns1", "admin", "ClusterRole", "User:admin", "Group:admins")]


@pytest.mark.parametrize("request_, allowed", [
    (attrs("admin", "", "get", "Pods", "", "ns1"), True),
    (attrs("admin", "", "watch", "Pods", "", "ns1"), True),
    (attrs("admin", "group1", "watch", "Foobar", "", "ns1"), True),
    (attrs("joe", "admins", "watch", "Foobar", "", "ns1"), True),
    (attrs("joe", "group1,admins", "watch", "Foobar", "", "ns1"), True),
    (attrs("admin", "", "GET", "Pods", "", "ns2"), False),
    (attrs("admin", "", "GET", "Nodes", "", ""), False),
    (attrs("admin", "admins", "GET", "Pods", "", "ns2"), False),
    (attrs("admin", "admins", "GET", "Nodes", "", ""), False),
])
def test_a_rolebinding_to_a_clusterrole_grants_in_its_namespace_only(request_, allowed) -> None:
    assert authorize(ADMIN_IN_NS1, request_).allowed is allowed


NON_RESOURCE = [
    cluster_role("non-resource-url-getter", rule("get", urls="/apis")),
    cluster_role("non-resource-url", rule("*", urls="/apis")),
    cluster_role("non-resource-url-prefix", rule("get", urls="/apis/*")),
    cluster_role_binding("non-resource-url-getter", "User:foo", "Group:bar"),
    cluster_role_binding("non-resource-url", "User:admin", "Group:admin"),
    cluster_role_binding("non-resource-url-prefix", "User:prefixed", "Group:prefixed"),
]


@pytest.mark.parametrize("user, groups, verb, path, allowed", [
    ("foo", (), "get", "/apis", True), ("", ("bar",), "get", "/apis", True),
    ("admin", (), "get", "/apis", True), ("", ("admin",), "get", "/apis", True),
    ("admin", (), "watch", "/apis", True), ("", ("admin",), "watch", "/apis", True),
    ("prefixed", (), "get", "/apis/v1", True), ("", ("prefixed",), "get", "/apis/v1", True),
    ("prefixed", (), "get", "/apis/v1/foobar", True),
    ("foo", (), "watch", "/apis", False), ("", ("bar",), "watch", "/apis", False),
    ("foo", (), "get", "/api/v1", False), ("admin", (), "get", "/api/v1", False),
    ("prefixed", (), "get", "/api/v1", False), ("", ("prefixed",), "get", "/api/v1", False),
])
def test_non_resource_urls(user, groups, verb, path, allowed) -> None:
    assert authorize(NON_RESOURCE, Request(user, verb, path=path, groups=groups)).allowed \
        is allowed


@pytest.mark.parametrize("resources, sub, allowed", [
    ("pods", "", True), ("pods", "status", False),
    ("pods/status", "status", True), ("pods/status", "", False),
])
def test_subresources_must_be_named(resources, sub, allowed) -> None:
    objects = [cluster_role("admin", rule("*", "*", resources, "*")),
               role_binding("ns1", "admin", "ClusterRole", "User:admin")]
    assert authorize(objects, attrs("admin", "", "get", "pods", sub, "ns1")).allowed is allowed


# TestRuleMatches: each rule against the eight (verb, group, resource) combinations.
@pytest.mark.parametrize("the_rule, allowed", [
    (rule("*", "group1", "resource1"), {("verb1", "group1", "resource1"),
                                        ("verb2", "group1", "resource1")}),
    (rule("verb1", "*", "resource1"), {("verb1", "group1", "resource1"),
                                       ("verb1", "group2", "resource1")}),
    (rule("verb1", "group1", "*"), {("verb1", "group1", "resource1"),
                                    ("verb1", "group1", "resource2")}),
    (rule("verb1,verb2", "group1,group2", "resource1,resource2"),
     {(v, g, r) for v in ("verb1", "verb2") for g in ("group1", "group2")
      for r in ("resource1", "resource2")}),
])
def test_rule_matches(the_rule, allowed) -> None:
    for verb in ("verb1", "verb2"):
        for group in ("group1", "group2"):
            for resource in ("resource1", "resource2"):
                request = Request("u", verb, resource, "ns", group)
                assert rule_allows(the_rule, request) is ((verb, group, resource) in allowed)


def test_rule_matches_subresource_expansion() -> None:
    the_rule = rule("*", "*", "resource1/subresource1")
    assert rule_allows(the_rule, Request("u", "verb1", "resource1", "", "group1",
                                         "subresource1"))
    assert not rule_allows(the_rule, Request("u", "verb1", "resource1", "", "group2",
                                             "subresource2"))
    assert not rule_allows(the_rule, Request("u", "verb1", "resource2", "", "group1",
                                             "subresource1"))
    assert rule_allows(rule("get", "*", "*/scale"),
                       Request("u", "get", "deployments", "", "apps", "scale"))


@pytest.mark.parametrize("urls, path, allowed", [
    ("*", "/foo", True), ("*", "/foo/bar/one", True),
    ("/foo/*", "/foo", False), ("/foo/*", "/foo/bar", True), ("/foo/*", "/foo/baz/one", True),
])
def test_rule_matches_non_resource_urls(urls, path, allowed) -> None:
    assert rule_allows(rule("verb1", urls=urls), Request("u", "verb1", path=path)) is allowed
    assert not rule_allows(rule("verb1", urls=urls), Request("u", "verb2", path=path))


def test_resource_names_limit_a_rule_to_named_objects() -> None:
    the_rule = {**rule("get", "", "configmaps"), "resourceNames": ["app-config"]}
    assert rule_allows(the_rule, Request("u", "get", "configmaps", "dev", name="app-config"))
    assert not rule_allows(the_rule, Request("u", "get", "configmaps", "dev", name="other"))
    assert not rule_allows(the_rule, Request("u", "get", "configmaps", "dev"))  # a list


POD_READER = [
    {"kind": "Role", "metadata": {"name": "pod-reader", "namespace": "dev"},
     "rules": [{"apiGroups": [""], "resources": ["pods", "pods/log"],
                "verbs": ["get", "list", "watch"]}]},
    {"kind": "RoleBinding", "metadata": {"name": "read-pods", "namespace": "dev"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
     "subjects": [{"kind": "User", "name": "jane"},
                  {"kind": "ServiceAccount", "name": "ci"}]},
]


def test_can_i_takes_kubectls_resource_syntax() -> None:
    assert can_i(POD_READER, "list", "pods", user="jane", namespace="dev")
    assert can_i(POD_READER, "get", "pods/log", user="jane", namespace="dev")
    assert not can_i(POD_READER, "delete", "pods", user="jane", namespace="dev")
    assert not can_i(POD_READER, "list", "pods", user="jane", namespace="prod")
    assert not can_i(POD_READER, "list", "deployments.apps", user="jane", namespace="dev")
    assert not can_i(POD_READER, "get", "/healthz", user="jane")


def test_a_service_account_subject_defaults_to_the_bindings_namespace() -> None:
    assert can_i(POD_READER, "list", "pods", user="system:serviceaccount:dev:ci", namespace="dev")
    assert not can_i(POD_READER, "list", "pods", user="system:serviceaccount:prod:ci",
                     namespace="dev")
    assert "system:serviceaccounts:dev" in groups_of("system:serviceaccount:dev:ci")


def test_groups_are_those_the_impersonation_filter_gives() -> None:
    """impersonation.go: a service account's groups only when none is given; every user but
    system:anonymous is in system:authenticated unless a group says otherwise."""
    assert groups_of("system:serviceaccount:dev:ci") == (
        "system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated")
    assert groups_of("system:serviceaccount:dev:ci", ["ops"]) == ("ops", "system:authenticated")
    assert groups_of("jane") == ("system:authenticated",)
    assert groups_of("jane", ["system:unauthenticated"]) == ("system:unauthenticated",)
    assert groups_of("system:anonymous") == ("system:unauthenticated",)
    assert groups_of("system:anonymous", ["system:authenticated"]) == (
        "system:authenticated", "system:unauthenticated")


def test_a_binding_to_system_authenticated_holds_for_every_named_user() -> None:
    objects = [*POD_READER, cluster_role_binding("health", "Group:system:authenticated"),
               cluster_role("health", rule("get", urls="/healthz"))]
    assert can_i(objects, "get", "/healthz", user="anyone")
    assert not can_i(objects, "get", "/healthz", user="system:anonymous")


def test_the_decision_names_the_binding_or_gives_the_api_servers_refusal() -> None:
    allowed = authorize(POD_READER, Request("jane", "list", "pods", "dev"))
    assert allowed.reason == ('RBAC: allowed by RoleBinding "read-pods/dev" of Role '
                              '"pod-reader" to User "jane"')
    denied = authorize(POD_READER, Request("jane", "create", "deployments", "dev", "apps"))
    assert denied.reason == ('deployments.apps is forbidden: User "jane" cannot create '
                             'resource "deployments" in API group "apps" in the namespace "dev"')
    nodes = authorize(POD_READER, Request("jane", "get", "nodes", name="node-1"))
    assert nodes.reason == ('nodes "node-1" is forbidden: User "jane" cannot get resource '
                            '"nodes" in API group "" at the cluster scope')


def test_the_reason_names_a_clusterrolebinding_first_and_a_service_account_name_first() -> None:
    """rule.go: VisitRulesFor visits ClusterRoleBindings before RoleBindings, and
    describeSubject writes ``ServiceAccount "name/namespace"``."""
    objects = [
        cluster_role("reader", rule("list", "", "pods")),
        role_binding("dev", "reader", "ClusterRole", "ServiceAccount:ci"),
        {"kind": "ClusterRoleBinding", "metadata": {"name": "everyone-reads"},
         "roleRef": {"kind": "ClusterRole", "name": "reader"},
         "subjects": [{"kind": "Group", "name": "system:serviceaccounts"}]},
    ]
    sa = "system:serviceaccount:dev:ci"
    decision = authorize(objects, Request(sa, "list", "pods", "dev", groups=groups_of(sa)))
    assert decision.reason == ('RBAC: allowed by ClusterRoleBinding "everyone-reads" of '
                               'ClusterRole "reader" to Group "system:serviceaccounts"')
    decision = authorize(objects[:2], Request(sa, "list", "pods", "dev"))
    assert decision.reason == ('RBAC: allowed by RoleBinding "reader-binding/dev" of '
                               'ClusterRole "reader" to ServiceAccount "ci/dev"')


def test_rules_for_lists_the_cluster_wide_rules_then_the_namespaces() -> None:
    """``RulesFor``: the rules of the roles bound to the user (as a user, a group member or a
    service account), ClusterRoleBindings first, and only the asked namespace's RoleBindings."""
    reader = rule("get,list", "", "pods")
    nodes = rule("list", "", "nodes")
    objects = [cluster_role("nodes", nodes), cluster_role("reader", reader),
               cluster_role_binding("nodes", "Group:ops"),
               role_binding("ns1", "reader", "ClusterRole", "User:jane"),
               role_binding("ns2", "reader", "ClusterRole", "User:jane"),
               role_binding("ns1", "reader", "ClusterRole", "ServiceAccount:robot")]
    assert rules_for(objects, "jane", "ns1", ["ops"]) == [nodes, reader]
    assert rules_for(objects, "jane", "ns3") == []
    assert rules_for(objects, "system:serviceaccount:ns1:robot", "ns1") == [reader]
    assert rules_for(objects, "system:serviceaccount:ns2:robot", "ns1") == []
