"""Typical answers to the security exercises get the right verdict and hint."""

from __future__ import annotations

import pytest

from clustersim.exercises.security import (
    QUESTIONS,
    STARTER_POLICIES,
    WEB_POD,
    check_can_i,
    check_least_privilege,
    check_network_policies,
    check_pod_security_labels,
    check_restricted_pod,
)

RIGHT = {"jane lists pods in dev": True, "jane reads a pod's log in dev": True,
         "jane deletes a pod in dev": False, "jane lists pods in prod": False,
         "sam (group ops) patches deployments in dev": True,
         "sam (group ops) patches deployments in prod": False}


@pytest.mark.parametrize("changes, passed, words", [
    ({}, True, "Right"),
    ({"jane lists pods in prod": True}, False, "own namespace"),
    ({"sam (group ops) patches deployments in prod": True}, False, "ClusterRoleBinding"),
    ({"sam (group ops) patches deployments in dev": False}, False, "ClusterRole"),
    ({"jane deletes a pod in dev": True}, False, "verbs"),
    ({"jane lists pods in dev": "yes"}, False, "True or False"),
])
def test_can_i(changes, passed, words) -> None:
    assert set(RIGHT) == set(QUESTIONS)
    feedback = check_can_i({**RIGHT, **changes})
    assert feedback.passed is passed
    assert words in feedback.message + feedback.hint


GOOD = """\
kind: Role
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: deploy-updater, namespace: shop}
rules:
  - {apiGroups: [apps], resources: [deployments], verbs: [get, update, patch]}
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: ci, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deploy-updater}
subjects: [{kind: ServiceAccount, name: ci, namespace: shop}]
"""


@pytest.mark.parametrize("text, passed, words", [
    (GOOD, True, "Right"),
    (GOOD.replace("[apps]", '[""]'), False, '"apps"'),
    (GOOD.replace("[get, update, patch]", '["*"]'), False, "can also delete"),
    (GOOD.replace("[deployments]", "[deployments, deployments/scale]"), False, "subresource"),
    (GOOD.replace("kind: ServiceAccount, name: ci, namespace: shop", "kind: User, name: ci"),
     False, "subject"),
    # the account's own user name as a User subject grants it too (the authorizer matches
    # the user name); the message says that the ServiceAccount kind is the usual form
    (GOOD.replace("kind: ServiceAccount, name: ci, namespace: shop",
                  "kind: User, name: 'system:serviceaccount:shop:ci', "
                  "apiGroup: rbac.authorization.k8s.io"),
     True, "kind ServiceAccount with name ci and namespace shop is the usual form"),
    (GOOD.replace("kind: RoleBinding", "kind: ClusterRoleBinding"), False, "every namespace"),
    (GOOD.replace("namespace: shop}\nrules", "namespace: prod}\nrules"), False, "cannot"),
    ("x: [", False, "does not load"),
    # more than asked: list (kubectl set image never lists) and any API group's "deployments"
    (GOOD.replace("[get, update, patch]", "[get, list, update, patch]"), False, "can also list"),
    (GOOD.replace("[apps]", '["*"]'), False, "deployments.example.com"),
    # the hint names what keeps the grant from reaching ci
    (GOOD.replace("kind: ServiceAccount, name: ci, namespace: shop", "kind: User, name: ci"),
     False, "not a User"),
    (GOOD.split("---")[0], False, "RoleBinding binds it"),
    (GOOD.replace("name: deploy-updater}\nsubjects", "name: deployer}\nsubjects"), False,
     "roleRef must name"),
    # the API server refuses an apiGroup on a ServiceAccount subject (validateRoleBindingSubject)
    (GOOD.replace("namespace: shop}]", "namespace: shop, apiGroup: rbac.authorization.k8s.io}]"),
     False, 'subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported '
            'values: ""'),
    (GOOD.replace("namespace: shop}]", "namespace: shop, apiGroup: rbac.authorization.k8s.io}]"),
     False, "leave apiGroup out"),
    # a kind or a singular for the resource: RBAC compares resource names exactly
    (GOOD.replace("[deployments]", "[deployment]"), False, "lowercase plurals"),
    (GOOD.replace("[deployments]", "[Deployments]"), False, "not Deployments"),
    (GOOD.replace("[deployments]", "[Deployment]"), False, "lowercase plurals"),
    # HTTP methods for verbs (a newcomer trial of Part II): VerbMatches compares exactly
    (GOOD.replace("[get, update, patch]", "[GET, PUT, PATCH]"), False, "not HTTP methods"),
    (GOOD.replace("[get, update, patch]", "[get, put, patch]"), False, "not put"),
    # the account's user name as a ServiceAccount subject's name: refused, and told the parts
    (GOOD.replace("kind: ServiceAccount, name: ci, namespace: shop",
                  "kind: ServiceAccount, name: 'system:serviceaccount:shop:ci'"),
     False, "name: ci, namespace: shop"),
])
def test_least_privilege(text, passed, words) -> None:
    feedback = check_least_privilege(text)
    assert feedback.passed is passed, feedback.message
    assert words in feedback.message + feedback.hint


P = "pod-security.kubernetes.io/"


@pytest.mark.parametrize("labels, passed, words", [
    ({P + "enforce": "baseline", P + "warn": "restricted"}, True, "Right"),
    ({P + "enforce": "baseline", P + "warn": "restricted", P + "audit": "restricted",
      P + "enforce-version": "latest"}, True, "Right"),
    ({P + "enforce": "restricted", P + "warn": "restricted"}, False, "refuses more"),
    ({P + "warn": "restricted"}, False, "still admitted"),
    ({P + "enforce": "baseline"}, False, "warned"),
    ({P + "enforce": "strict"}, False, "not a level"),
    # ParseLevel compares the exact level: a capital is refused, and the check says so
    ({P + "enforce": "Baseline", P + "warn": "restricted"}, False, "but spelt 'Baseline'"),
    ({P + "enforce": "baseline", P + "warn": "RESTRICTED"}, False, "case-sensitive"),
    ({P + "block": "baseline"}, False, "not a Pod Security label"),
    # the mode without its prefix (a newcomer trial of Part II) is another label
    ({"enforce": "baseline", "warn": "restricted"}, False, f"its label is {P}enforce"),
    ({P + "enforce": "baseline", "warn": "restricted"}, False, f'"{P}warn"'),
    ("baseline", False, "dict"),
    ({P + "enforce": ["baseline"], P + "warn": "restricted"}, False, "as a string"),
    ({P + "enforce": "baseline", P + "warn": {"level": "restricted"}}, False, "as a string"),
])
def test_pod_security_labels(labels, passed, words) -> None:
    feedback = check_pod_security_labels(labels)
    assert feedback.passed is passed
    assert words in feedback.message + feedback.hint


HARDENED = WEB_POD.replace("      ports:", """      securityContext:
        allowPrivilegeEscalation: false
        runAsNonRoot: true
        capabilities: {drop: [ALL]}
        seccompProfile: {type: RuntimeDefault}
      ports:""")


@pytest.mark.parametrize("text, passed, words", [
    (HARDENED, True, "Right"),
    (WEB_POD, False, "allowPrivilegeEscalation: false"),
    (HARDENED.replace("runAsNonRoot: true", "runAsNonRoot: false"), False, "runAsNonRoot"),
    (HARDENED.replace("{drop: [ALL]}", "{drop: [ALL], add: [SYS_ADMIN]}"), False,
     "capabilities"),
    (HARDENED.replace("type: RuntimeDefault", "type: Unconfined"), False, "RuntimeDefault"),
    (HARDENED.replace("namespace: secure", "namespace: default"), False, "namespace secure"),
    ("x: [", False, "does not load"),
    # a misspelt field is refused as kubectl apply refuses it, not ignored
    (HARDENED.replace("securityContext", "securitycontext"), False, 'unknown field'),
    # restricted's runAsUser check (check_runAsUser.go): runAsNonRoot: true does not excuse it
    (HARDENED.replace("runAsNonRoot: true", "runAsNonRoot: true\n        runAsUser: 0"), False,
     "runAsUser=0"),
    (HARDENED.replace("runAsNonRoot: true", "runAsNonRoot: true\n        runAsUser: 101"), True,
     "Right"),
    # the API server decodes the security context before Pod Security reads it: a quoted
    # bool is its 400 and a miscased seccomp type its 422, not "set ...=false" from admission
    (HARDENED.replace("allowPrivilegeEscalation: false", 'allowPrivilegeEscalation: "false"'),
     False, "cannot unmarshal string into Go struct field SecurityContext.spec.containers."
            "securityContext.allowPrivilegeEscalation of type bool"),
    (HARDENED.replace("allowPrivilegeEscalation: false", 'allowPrivilegeEscalation: "false"'),
     False, "without quotes"),
    (HARDENED.replace("type: RuntimeDefault", "type: runtimedefault"), False,
     'Unsupported value: "runtimedefault": supported values: "Localhost", "RuntimeDefault", '
     '"Unconfined"'),
    (HARDENED.replace("type: RuntimeDefault", "type: runtimedefault"), False, "case-sensitive"),
])
def test_restricted_pod(text, passed, words) -> None:
    feedback = check_restricted_pod(text)
    assert feedback.passed is passed, feedback.message
    assert words in feedback.message + feedback.hint


SHOP_POLICIES = STARTER_POLICIES + """\
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend-from-anywhere, namespace: shop}
spec:
  podSelector: {matchLabels: {app: frontend}}
  ingress:
    - ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
      ports: [{port: http}]
    - from:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
          podSelector: {matchLabels: {app: prometheus}}
      ports: [{port: 9090}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: api}}}]
      ports: [{port: 5432}]
"""
_PROMETHEUS_PEER = """\
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
          podSelector"""


@pytest.mark.parametrize("text, passed, words", [
    (SHOP_POLICIES, True, "Right"),
    (STARTER_POLICIES, False, "frontend on 80: refused"),
    # two peers (OR) let every Pod of monitoring in
    (SHOP_POLICIES.replace(_PROMETHEUS_PEER, _PROMETHEUS_PEER.replace("  podSelector",
                                                                      "- podSelector")),
     False, "grafana (monitoring) to api on 9090: gets through"),
    (SHOP_POLICIES.replace("      ports: [{port: 9090}]\n", ""), False, "without `ports`"),
    # frontend needs the api's http port only, not its metrics port
    (SHOP_POLICIES.replace("      ports: [{port: http}]\n", ""), False,
     "frontend to api on 9090: gets through"),
    (SHOP_POLICIES.replace("[{port: http}]", "[{port: http}, {port: metrics}]"), False,
     "frontend to api on 9090: gets through"),
    (SHOP_POLICIES.replace("{name: db-from-api, namespace: shop}", "{name: db-from-api}"),
     False, "own namespace only"),
    (SHOP_POLICIES.replace("policyTypes: [Ingress]", "policyTypes: [Ingress, Egress]"),
     False, "isolates the source for egress"),
    (SHOP_POLICIES.replace("policyTypes: [Ingress]", "podSelector: {matchLabels: {app: db}}")
     .replace("  podSelector: {}\n", "", 1), False, "accepts everything"),
    (SHOP_POLICIES.replace("[{port: 5432}]", "[{port: 5432, endPort: 5000}]"), False,
     "must be greater than or equal to `port`"),
    (SHOP_POLICIES + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: shop}\n"
     "spec: {containers: [{name: x, image: busybox}]}\n", False, "not a NetworkPolicy"),
    ("", False, "YAML text"),
    (SHOP_POLICIES.replace("policyTypes: [Ingress]", "policyType: [Ingress]", 1), False,
     'unknown field'),
])
def test_network_policies(text, passed, words) -> None:
    feedback = check_network_policies(text)
    assert feedback.passed is passed, feedback.message
    assert words in feedback.message + feedback.hint
