"""Checks for the chapter ``book/orchestrators/security.md``.

- :func:`check_can_i`: predict ``kubectl auth can-i`` for a few requests against a set of
  Roles and bindings, compared with :mod:`clustersim.kubernetes.rbac`.
- :func:`check_least_privilege`: write a Role and RoleBinding that let a CI service account
  update Deployments in one namespace and do nothing else, checked with the same authorizer.
- :func:`check_pod_security_labels`: the namespace labels of Pod Security admission that
  refuse privileged Pods and warn about what ``restricted`` would refuse
  (https://kubernetes.io/docs/concepts/security/pod-security-admission/).
- :func:`check_restricted_pod`: harden a Pod until the simulated API server admits it in a
  namespace that enforces ``restricted`` (:mod:`clustersim.kubernetes.podsecurity`).
- :func:`check_network_policies`: NetworkPolicies for a shop that let through exactly the
  flows it needs, judged by :mod:`clustersim.kubernetes.networkpolicy`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.exercises.answers import keyed, load_answer, yaml_text, yes_or_no
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.spelling import spelt_exactly
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.networkpolicy import PolicyError, connection
from clustersim.kubernetes.podsecurity import violations
from clustersim.kubernetes.rbac import can_i
from clustersim.manifests import ManifestError, load_manifests
from clustersim.node import Node

__all__ = ["CI", "FLOWS", "POLICY", "QUESTIONS", "RESTRICTED_NAMESPACE", "SHOP_PODS",
           "STARTER_POLICIES", "WEB_POD", "check_can_i", "check_least_privilege",
           "check_network_policies", "check_pod_security_labels", "check_restricted_pod",
           "policy_objects", "shop_summary"]

POLICY = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules:
  - apiGroups: [""]
    resources: [pods, pods/log]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-reads-pods, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects:
  - {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: deployer}
rules:
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, list, update, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ops-deploy, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployer}
subjects:
  - {kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}
"""
"""A Role and a ClusterRole, each bound in the namespace ``dev``."""

QUESTIONS: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "jane lists pods in dev": ("jane", "list", "pods", "dev", ()),
    "jane reads a pod's log in dev": ("jane", "get", "pods/log", "dev", ()),
    "jane deletes a pod in dev": ("jane", "delete", "pods", "dev", ()),
    "jane lists pods in prod": ("jane", "list", "pods", "prod", ()),
    "sam (group ops) patches deployments in dev": ("sam", "patch", "deployments.apps", "dev",
                                                   ("ops",)),
    "sam (group ops) patches deployments in prod": ("sam", "patch", "deployments.apps", "prod",
                                                    ("ops",)),
}
"""Each question: (user, verb, resource, namespace, groups), as ``kubectl auth can-i VERB
RESOURCE -n NAMESPACE --as USER --as-group GROUP`` asks it."""

_HINTS = {
    "jane reads a pod's log in dev": "The rule lists pods/log: a subresource is allowed only "
                                     "when it is named.",
    "jane deletes a pod in dev": "RBAC allows only the verbs a rule lists; nothing is allowed "
                                 "by default.",
    "jane lists pods in prod": "A RoleBinding grants in its own namespace only.",
    "sam (group ops) patches deployments in dev": "A RoleBinding may refer to a ClusterRole: "
                                                  "its rules then apply in the binding's "
                                                  "namespace.",
    "sam (group ops) patches deployments in prod": "The ClusterRole is bound by a RoleBinding "
                                                   "in dev, not by a ClusterRoleBinding.",
    "jane lists pods in dev": "The Role allows get, list and watch on pods in dev to jane.",
}


def policy_objects(text: str = POLICY) -> list[dict[str, Any]]:
    """The manifests of ``text`` as dicts."""
    return [spec.manifest for spec in load_manifests(text)]


def _answer_objects(text: str, what: str) -> list[dict[str, Any]]:
    """The learner's manifests ``text`` (``what`` names them) as dicts, or :class:`Wrong` for
    what kubectl apply would refuse, a misspelt field included (:func:`load_answer`)."""
    return [spec.manifest for spec in load_answer(text, what, hint=_refusal_hint)]


def _refusal_hint(err: ManifestError) -> str:
    """What to do about the API server's refusal ``err`` of the learner's manifests: for a
    subject's apiGroup, which group each kind of subject is in (``validateRoleBindingSubject``),
    for a ClusterRoleBinding of a Role, the RoleBinding to use instead
    (``ValidateClusterRoleBinding``; both in :mod:`clustersim.manifests.rbac_checks`); for a
    ServiceAccount subject named by the user name it authenticates as
    (``system:serviceaccount:<namespace>:<name>``, which the same validation refuses as a
    ServiceAccount's name; https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects),
    its own name and namespace; for a security context, a quoted bool or number or a miscased
    value."""
    paths = [e.path for e in (err, *err.also)]
    if any(p.startswith("subjects[") and p.endswith(".name") for p in paths) \
            and "system:serviceaccount:" in str(err):
        return ("A ServiceAccount subject takes the account's own name and its namespace: "
                "name: ci, namespace: shop. system:serviceaccount:shop:ci is the user name the "
                "account authenticates as, which only a User subject would take.")
    if any(p.startswith("subjects[") and p.endswith(".apiGroup") for p in paths):
        return ("A ServiceAccount is in the core API group: leave apiGroup out of its subject "
                "(only User and Group subjects take rbac.authorization.k8s.io).")
    if any("securityContext." in p for p in paths):
        if any("cannot unmarshal string" in e.message for e in (err, *err.also)):
            return ("Write true, false and numbers without quotes: quoted, YAML reads them as "
                    "strings, and the API server refuses a string where it expects a bool or "
                    "a number.")
        return "Spell each value exactly as the message lists it: the values are case-sensitive."
    if "roleRef.kind" in paths:
        return ("A ClusterRoleBinding binds only a ClusterRole, and grants it in every "
                "namespace: use a RoleBinding in the namespace shop.")
    return "Fix the place it names."


@checker("Right: a Role's rules apply where it is bound, subresources and verbs must be listed, "
         "and a ClusterRole bound by a RoleBinding grants only in that namespace.")
def check_can_i(answer: object) -> None:
    answer = keyed(answer, QUESTIONS, "question")
    objects = policy_objects()
    for question, (user, verb, resource, namespace, groups) in QUESTIONS.items():
        given = yes_or_no(answer[question], question)
        right = can_i(objects, verb, resource, user=user, namespace=namespace, groups=groups)
        if given != right:
            raise Wrong(f"{question}: not {given}.", _HINTS[question])


CI = "system:serviceaccount:shop:ci"
"""The CI pipeline's identity: the ServiceAccount ``ci`` of the namespace ``shop``."""

_MUST = [("update", "deployments.apps", "shop"), ("patch", "deployments.apps", "shop"),
         ("get", "deployments.apps", "shop")]
_MUST_NOT = [("delete", "deployments.apps", "shop"), ("list", "deployments.apps", "shop"),
             ("watch", "deployments.apps", "shop"), ("create", "deployments.apps", "shop"),
             ("patch", "deployments.apps", "prod"), ("get", "secrets", "shop"),
             ("create", "pods", "shop"), ("patch", "deployments.apps/scale", "shop"),
             ("patch", "statefulsets.apps", "shop"), ("patch", "deployments.example.com", "shop")]
"""What ci must not do: other verbs on Deployments (list and watch included: ``kubectl set
image`` only gets and patches), other namespaces, resources, subresources, and a custom
resource of another API group that is also called ``deployments`` (an ``apiGroups: ["*"]``)."""


def _misnamed_resource(objects: list[dict[str, Any]]) -> str | None:
    """A hint for a rule that names Deployments as a kind or a singular (``Deployment``,
    ``deployment``, ``Deployments``): RBAC compares a rule's resources with the request's
    exactly (``ResourceMatches`` in kubernetes/kubernetes
    ``pkg/apis/rbac/v1/evaluation_helpers.go``), and the API names a resource by the
    lowercase plural of its URL."""
    for obj in objects:
        if obj.get("kind") not in ("Role", "ClusterRole"):
            continue
        for rule in obj.get("rules") or []:
            for name in (rule.get("resources") or []) if isinstance(rule, Mapping) else []:
                if isinstance(name, str) and name != "deployments" \
                        and name.lower().removesuffix("s") == "deployment":
                    return (f"Resource names are lowercase plurals, as in the API's URLs "
                            f"(/apis/apps/v1/namespaces/shop/deployments): write deployments, "
                            f"not {name}; RBAC compares them exactly.")
    return None


def _misnamed_verb(objects: list[dict[str, Any]]) -> str | None:
    """A hint for a rule whose verbs are HTTP methods or capitalised (``GET``, ``PUT``,
    ``Patch``): RBAC compares a rule's verbs with the request's exactly (``VerbMatches`` in
    kubernetes/kubernetes ``pkg/apis/rbac/v1/evaluation_helpers.go``), and the request's verb
    is the API's lowercase one, a PUT being ``update`` and a POST ``create``
    (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb)."""
    for obj in objects:
        if obj.get("kind") not in ("Role", "ClusterRole"):
            continue
        for rule in obj.get("rules") or []:
            for verb in (rule.get("verbs") or []) if isinstance(rule, Mapping) else []:
                if isinstance(verb, str) and (verb != verb.lower()
                                              or verb in ("put", "post")):
                    return (f"RBAC verbs are the API's lowercase request verbs, compared "
                            f"exactly, not HTTP methods: get, update (what an HTTP PUT asks) "
                            f"and patch, not {verb}.")
    return None


def _binding_problem(objects: list[dict[str, Any]]) -> str:
    """A hint for a grant that does not reach ci: what in the RoleBinding is off."""
    bindings = [o for o in objects if o.get("kind") == "RoleBinding"]
    if not bindings:
        return "A Role grants nothing until a RoleBinding binds it to a subject."
    roles = {(o.get("metadata") or {}).get("name") for o in objects
             if o.get("kind") in ("Role", "ClusterRole")}
    for binding in bindings:
        if (binding.get("roleRef") or {}).get("name") not in roles:
            return "The RoleBinding's roleRef must name your Role exactly."
        for subject in binding.get("subjects") or []:
            if isinstance(subject, Mapping) and subject.get("name") == "ci" \
                    and subject.get("kind") != "ServiceAccount":
                return ("ci is a ServiceAccount, not a User: the subject's kind is "
                        "ServiceAccount, with its namespace.")
    return ("Check the rule (apiGroups, resources, verbs) and that the RoleBinding's subject "
            "is the ServiceAccount ci in shop.")


@checker("Right: the ServiceAccount shop/ci may get, update and patch Deployments in shop and "
         "nothing else: no other verb, resource, subresource or namespace. (A subject of kind "
         "User named system:serviceaccount:shop:ci grants it too, since that is the name the "
         "account authenticates as, but kind ServiceAccount with name ci and namespace shop "
         "is the usual form.)")
def check_least_privilege(text: object) -> None:
    text = yaml_text(text, "YAML text with a Role and a RoleBinding")
    objects = _answer_objects(text, "Role and RoleBinding")
    kinds = {o.get("kind") for o in objects}
    if "ClusterRoleBinding" in kinds:
        raise Wrong("A ClusterRoleBinding grants in every namespace.",
                    "Use a RoleBinding in the namespace shop.")
    for verb, resource, namespace in _MUST:
        if not can_i(objects, verb, resource, user=CI, namespace=namespace):
            group = resource.partition(".")[2]
            hint = (f'Deployments are in the API group "{group}": apiGroups: [{group}].'
                    if can_i(objects, verb, resource.partition(".")[0], user=CI,
                             namespace=namespace)
                    else _misnamed_resource(objects) or _misnamed_verb(objects)
                    or _binding_problem(objects))
            raise Wrong(f"ci cannot {verb} deployments in {namespace}.", hint)
    for verb, resource, namespace in _MUST_NOT:
        if can_i(objects, verb, resource, user=CI, namespace=namespace):
            raise Wrong(f"ci can also {verb} {resource} in {namespace}.",
                        "List only the verbs get, update and patch on the resource "
                        "deployments: no other verb, no subresource, no wildcard.")


_LABEL = "pod-security.kubernetes.io/"


@checker("Right: enforce baseline refuses privileged Pods (and host namespaces, added "
         "capabilities...), and warn restricted tells whoever applies a Pod what restricted "
         "would refuse, without refusing it.")
def check_pod_security_labels(labels: object) -> None:
    if not isinstance(labels, Mapping) or not all(isinstance(k, str) for k in labels):
        raise Wrong("The answer must be a dict of labels.", "Keep the starter's shape.")
    modes = {k[len(_LABEL):]: v for k, v in labels.items() if k.startswith(_LABEL)}
    for key in labels:
        if key in ("enforce", "audit", "warn") and key not in modes:
            raise Wrong(f"{key!r} is a label Pod Security admission does not read: its label "
                        f"is {_LABEL}{key}.",
                        f'Write the whole key, prefix included: "{_LABEL}{key}".')
    unknown = set(modes) - {"enforce", "audit", "warn", "enforce-version", "audit-version",
                            "warn-version"}
    if unknown:
        raise Wrong(f"{_LABEL}{sorted(unknown)[0]} is not a Pod Security label.",
                    "The modes are enforce, audit and warn.")
    levels = {"privileged", "baseline", "restricted"}
    for mode, level in modes.items():
        if not isinstance(level, str):
            raise Wrong(f"{_LABEL}{mode} is {level!r}: a label's value is one word of text.",
                        'Write the level as a string, e.g. "baseline".')
        if mode.endswith("-version"):
            continue
        meant = level.strip().casefold()
        if meant not in levels:
            raise Wrong(f"{level!r} is not a level.", "The levels are privileged, baseline and "
                                                      "restricted.")
        spelt_exactly(level, meant, _LABEL + mode,
                      "Pod Security levels are case-sensitive: the admission plugin refuses "
                      "any other spelling (must be one of privileged, baseline, restricted), "
                      "and an enforce label it cannot read enforces restricted.")
    if modes.get("enforce") == "restricted":
        raise Wrong("enforce: restricted refuses more than privileged Pods.",
                    "Refuse only what baseline forbids; only warn about restricted.")
    if modes.get("enforce") != "baseline":
        raise Wrong("Privileged Pods are still admitted.",
                    "The level that forbids privileged containers is baseline, set with the "
                    "enforce mode.")
    if modes.get("warn") != "restricted":
        raise Wrong("Nobody is warned about what restricted would refuse.",
                    "The warn mode shows a warning to the client that applies the Pod.")


RESTRICTED_NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {
    "name": "secure", "labels": {_LABEL + "enforce": "restricted"}}}
"""A namespace that enforces the restricted level."""

WEB_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: secure
spec:
  containers:
    - name: web
      image: nginxinc/nginx-unprivileged:1.27
      ports:
        - containerPort: 8080
"""
"""A Pod that runs as a non-root user but says nothing about it."""

_FIXES = {
    "allowPrivilegeEscalation": "Set allowPrivilegeEscalation: false in the container's "
                                "securityContext.",
    "unrestricted capabilities": 'Drop all capabilities: capabilities: {drop: ["ALL"]}.',
    "runAsNonRoot": "Set runAsNonRoot: true, in the Pod's or the container's securityContext.",
    "runAsUser=0": "User 0 is root: leave runAsUser out (the image's non-root user is used) or "
                   "give a non-zero user id.",
    "seccompProfile": "Set seccompProfile: {type: RuntimeDefault}, in the Pod's or the "
                      "container's securityContext.",
    "privileged": "A privileged container is never admitted above the privileged level.",
}


@checker("Right: with privilege escalation off, all capabilities dropped, a non-root user and "
         "the runtime's default seccomp profile, the Pod meets the restricted level and the "
         "API server admits it.")
def check_restricted_pod(text: object) -> None:
    text = yaml_text(text, "the Pod's YAML text")
    pods = [o for o in _answer_objects(text, "Pod") if o.get("kind") == "Pod"]
    if len(pods) != 1 or (pods[0].get("metadata") or {}).get("namespace") != "secure":
        raise Wrong("The answer must be one Pod in the namespace secure.",
                    "Keep the starter's metadata.")
    found = violations(pods[0].get("spec") or {}, "restricted")
    if found:
        reason = found[0].split(" (")[0]
        key = next((k for k in _FIXES if reason.startswith(k)), "privileged")
        raise Wrong(f"Refused: violates PodSecurity \"restricted:latest\": {found[0]}",
                    _FIXES[key] + (f" ({len(found)} checks still fail.)" if len(found) > 1
                                   else ""))
    cluster = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    cluster.apply(RESTRICTED_NAMESPACE)
    cluster.apply(text)


SHOP_PODS = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend, namespace: shop, labels: {app: frontend}}
spec:
  containers:
    - {name: web, image: nginx:1.27, ports: [{name: http, containerPort: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  containers:
    - name: api
      image: example/api:2.1
      ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec:
  containers:
    - {name: db, image: postgres:17, ports: [{name: postgres, containerPort: 5432}]}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop, labels: {app: debug}}
spec:
  containers:
    - {name: shell, image: busybox:1.37, command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata: {name: prometheus, namespace: monitoring, labels: {app: prometheus}}
spec:
  containers:
    - {name: prometheus, image: prom/prometheus:v3.5.0}
---
apiVersion: v1
kind: Pod
metadata: {name: grafana, namespace: monitoring, labels: {app: grafana}}
spec:
  containers:
    - {name: grafana, image: grafana/grafana:12.2.0}
"""
"""The shop's Pods, the monitoring Pod that scrapes it and one that must not (namespaces have
only the label ``kubernetes.io/metadata.name`` that the API server sets)."""

FLOWS: dict[str, tuple[str, str, int, bool]] = {
    "a browser (203.0.113.9) to frontend on 80": ("203.0.113.9", "shop/frontend", 80, True),
    "frontend to api on 8080": ("shop/frontend", "shop/api", 8080, True),
    "api to db on 5432": ("shop/api", "shop/db", 5432, True),
    "prometheus (monitoring) to api on 9090": ("monitoring/prometheus", "shop/api", 9090, True),
    "frontend to db on 5432": ("shop/frontend", "shop/db", 5432, False),
    "frontend to api on 9090": ("shop/frontend", "shop/api", 9090, False),
    "debug to api on 8080": ("shop/debug", "shop/api", 8080, False),
    "debug to db on 5432": ("shop/debug", "shop/db", 5432, False),
    "prometheus (monitoring) to api on 8080": ("monitoring/prometheus", "shop/api", 8080,
                                                False),
    "prometheus (monitoring) to db on 5432": ("monitoring/prometheus", "shop/db", 5432, False),
    "grafana (monitoring) to api on 9090": ("monitoring/grafana", "shop/api", 9090, False),
    "a browser (203.0.113.9) to api on 8080": ("203.0.113.9", "shop/api", 8080, False),
    "frontend to debug on 8080": ("shop/frontend", "shop/debug", 8080, False),
}
"""Each flow: (source, destination, TCP port, whether it must get through)."""

STARTER_POLICIES = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""
"""A default deny for ingress in ``shop``: every flow into the shop is refused."""


def shop_summary() -> str:
    """The shop's Pods (labels, named ports) and the flows the policies must let through or
    refuse, one line each."""
    lines = ["Pods:"]
    for obj in policy_objects(SHOP_PODS):
        if obj["kind"] != "Pod":
            continue
        meta = obj["metadata"]
        ports = ", ".join(f"{p['name']} {p['containerPort']}" for c in obj["spec"]["containers"]
                          for p in c.get("ports") or ()) or "none"
        labels = ", ".join(f"{k}={v}" for k, v in meta["labels"].items())
        lines.append(f"  {meta['namespace'] + '/' + meta['name']:22} {labels:14} ports: {ports}")
    lines.append("Flows (TCP):")
    lines += [f"  {'must get through' if wanted else 'must be refused '}  {flow}"
              for flow, (_, _, _, wanted) in FLOWS.items()]
    return "\n".join(lines)


_TOO_OPEN = ("A rule without `from` admits every source and one without `ports` every port; "
             "a podSelector alone means Pods of the policy's own namespace, a "
             "namespaceSelector alone every Pod of those namespaces, and both in one entry "
             "the selected Pods of the selected namespaces.")


@checker("Right: a default deny isolates every Pod of shop for ingress, and one rule per flow "
         "lets in exactly the sources and ports that need it; prometheus is matched by a "
         "namespaceSelector and a podSelector in one peer, on the metrics port only.")
def check_network_policies(text: object) -> None:
    text = yaml_text(text, "YAML text with NetworkPolicies")
    policies = _answer_objects(text, "NetworkPolicies")
    for obj in policies:
        meta = obj.get("metadata") or {}
        if obj.get("kind") != "NetworkPolicy":
            raise Wrong(f"{obj.get('kind')} {meta.get('name', '')!r} is not a NetworkPolicy.",
                        "Write only NetworkPolicies here: the Pods are given.")
        if (meta.get("namespace") or "default") != "shop":
            raise Wrong(f"NetworkPolicy {meta.get('name', '')!r} is in the namespace "
                        f"{meta.get('namespace') or 'default'}.",
                        "A policy selects Pods of its own namespace only: give it "
                        "metadata.namespace: shop.")
    objects = [*policy_objects(SHOP_PODS), *policies]
    for flow, (source, destination, port, wanted) in FLOWS.items():
        try:
            verdict = connection(objects, source, destination, port)
        except PolicyError as err:
            raise Wrong(f"The API server refuses a policy: {err}",
                        "Fix the field it names.") from None
        if verdict.allowed == wanted:
            continue
        if wanted and not verdict.egress_allowed:
            raise Wrong(f"{flow}: refused, but the shop needs it. ({verdict.egress})",
                        "A policy whose policyTypes list Egress (or that has an egress "
                        "section) isolates the source for egress too; this exercise needs "
                        "ingress rules only.")
        if wanted:
            raise Wrong(f"{flow}: refused, but the shop needs it. ({verdict.ingress})",
                        "Add a policy (or a rule) that selects the destination and lets in "
                        "this source on this port; policies add up.")
        if "not isolated" in verdict.ingress:
            raise Wrong(f"{flow}: gets through. ({verdict.ingress})",
                        "A Pod that no policy selects for Ingress accepts everything: keep a "
                        "policy that selects every Pod of shop.")
        raise Wrong(f"{flow}: gets through. ({verdict.ingress})", _TOO_OPEN)
