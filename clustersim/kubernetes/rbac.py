"""Role-based access control: may this user do this to that resource? (``kubectl auth can-i``)

The authorizer of kubernetes/kubernetes ``plugin/pkg/auth/authorizer/rbac/rbac.go``, with the
rule matching of ``pkg/apis/rbac/v1/evaluation_helpers.go`` and the subject matching of
``pkg/registry/rbac/validation/rule.go`` (``appliesToUser``):

- A request is allowed when **any** rule of any role bound to the user allows it; there are no
  deny rules, and nothing is allowed by default.
- A ClusterRoleBinding grants its ClusterRole's rules everywhere; a RoleBinding grants the
  rules of its Role, or of the ClusterRole it refers to, in its own namespace only.
- A rule allows a resource request when the verb, the API group, the resource (``pods``,
  ``pods/log`` for a subresource, ``*/scale`` for that subresource of anything) and, if the rule
  lists ``resourceNames``, the object's name match; ``*`` matches any verb, group or resource.
  A request without a resource (``/healthz``) needs a ``nonResourceURLs`` rule (a trailing ``*``
  matches a prefix) from a ClusterRole bound by a ClusterRoleBinding.
- Subjects: ``User`` by name, ``Group`` by membership, ``ServiceAccount`` by the user name
  ``system:serviceaccount:<namespace>:<name>`` (the namespace defaults to the binding's).
  A service account's user is in the groups ``system:serviceaccounts`` and
  ``system:serviceaccounts:<namespace>``
  (``staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go``); every user
  is in ``system:authenticated``, except ``system:anonymous``, who is in
  ``system:unauthenticated`` (:func:`groups_of`, as impersonation gives them).

The reason of an allowed request names the first binding whose rule allows it; upstream's
``VisitRulesFor`` visits the ClusterRoleBindings before the namespace's RoleBindings, and
``describeSubject`` writes a service account as ``ServiceAccount "<name>/<namespace>"``.

A denial reads as the API server writes it (``forbiddenMessage`` in
``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go``):
``pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace
"dev"``.

Simplified: only RBAC (no Node or webhook authorizer, and no check of who may impersonate
whom); ClusterRole aggregation and the default roles and bindings a real cluster creates
(``cluster-admin``, ``system:basic-user``, ...) are not added; give them as objects if needed
(:mod:`clustersim.kubernetes.rbacdefaults` has them, and the simulated API server serves
them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Decision", "Request", "authorize", "can_i", "forbidden_message",
           "groups_of", "rule_allows", "rules_for"]

_SA_PREFIX = "system:serviceaccount:"


@dataclass(frozen=True)
class Request:
    """The attributes the authorizer sees (``authorizer.Attributes``)."""

    user: str
    verb: str
    resource: str = ""
    namespace: str = ""
    api_group: str = ""
    subresource: str = ""
    name: str = ""
    path: str = ""
    """For a non-resource request (``resource`` empty), the URL path."""
    groups: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Decision:
    """``allowed``, and why: the binding that allowed it, or the API server's refusal."""

    allowed: bool
    reason: str


def groups_of(user: str, groups: Iterable[str] = ()) -> tuple[str, ...]:
    """The groups of ``user`` impersonated with ``groups`` (``kubectl --as USER --as-group
    GROUP``), as the impersonation filter makes them (``staging/src/k8s.io/apiserver/pkg/
    endpoints/filters/impersonation.go``): a service account's own two groups when no group
    is given; then ``system:authenticated`` unless it or ``system:unauthenticated`` is given,
    or, for ``system:anonymous``, ``system:unauthenticated``."""
    found = list(groups)
    if user.startswith(_SA_PREFIX) and not found:
        namespace = user[len(_SA_PREFIX):].split(":", 1)[0]
        found = ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"]
    if user == "system:anonymous":
        found.append("system:unauthenticated")
    elif not {"system:authenticated", "system:unauthenticated"} & set(found):
        found.append("system:authenticated")
    return tuple(dict.fromkeys(found))


def _matches(values: Iterable[str], wanted: str) -> bool:
    return any(value in ("*", wanted) for value in values)


def _resource_matches(rule: Mapping[str, Any], request: Request) -> bool:
    combined = f"{request.resource}/{request.subresource}" if request.subresource \
        else request.resource
    return any(resource in ("*", combined)
               or (request.subresource and resource == f"*/{request.subresource}")
               for resource in rule.get("resources") or [])


def _url_matches(rule: Mapping[str, Any], path: str) -> bool:
    return any(url in ("*", path) or (url.endswith("*") and path.startswith(url.rstrip("*")))
               for url in rule.get("nonResourceURLs") or [])


def rule_allows(rule: Mapping[str, Any], request: Request) -> bool:
    """``RuleAllows`` (rbac.go): one PolicyRule against one request."""
    if not _matches(rule.get("verbs") or [], request.verb):
        return False
    if not request.resource:
        return _url_matches(rule, request.path)
    names = rule.get("resourceNames") or []
    return (_matches(rule.get("apiGroups") or [], request.api_group)
            and _resource_matches(rule, request)
            and (not names or request.name in names))


def _subject_matches(subject: Mapping[str, Any], request: Request, namespace: str) -> bool:
    kind, name = subject.get("kind"), subject.get("name")
    if kind == "User":
        return name == request.user
    if kind == "Group":
        return name in groups_of(request.user, request.groups)
    if kind == "ServiceAccount":
        account_namespace = subject.get("namespace") or namespace
        return bool(account_namespace) and \
            request.user == f"{_SA_PREFIX}{account_namespace}:{name}"
    return False


def _describe(subject: Mapping[str, Any], namespace: str) -> str:
    if subject.get("kind") == "ServiceAccount":
        return (f'ServiceAccount "{subject.get("name")}/'
                f'{subject.get("namespace") or namespace}"')
    return f'{subject.get("kind")} "{subject.get("name")}"'


def forbidden_message(request: Request) -> str:
    """The API server's 403 text for a denied request."""
    if not request.resource:
        return f'forbidden: User "{request.user}" cannot {request.verb} path "{request.path}"'
    resource = (f"{request.resource}/{request.subresource}" if request.subresource
                else request.resource)
    qualified = f"{request.resource}.{request.api_group}" if request.api_group \
        else request.resource
    what = f'{qualified} "{request.name}"' if request.name else qualified
    where = (f'in the namespace "{request.namespace}"' if request.namespace
             else "at the cluster scope")
    return (f'{what} is forbidden: User "{request.user}" cannot {request.verb} resource '
            f'"{resource}" in API group "{request.api_group}" {where}')


def _grants(objects: Iterable[Mapping[str, Any]],
            request: Request) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any],
                                                 list[Mapping[str, Any]], str]]:
    """(binding, subject, the bound role's rules, the binding's namespace) for each subject of
    a binding that applies to the request's user in the request's namespace, in upstream's
    ``VisitRulesFor`` order: every ClusterRoleBinding before the namespace's RoleBindings."""
    objects = [o for o in objects if isinstance(o, Mapping)]
    roles = {(o.get("kind"), (o.get("metadata") or {}).get("namespace", "default")
              if o.get("kind") == "Role" else "", (o.get("metadata") or {}).get("name")): o
             for o in objects if o.get("kind") in ("Role", "ClusterRole")}
    for binding in sorted(objects, key=lambda o: o.get("kind") != "ClusterRoleBinding"):
        kind = binding.get("kind")
        if kind not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        meta = binding.get("metadata") or {}
        namespace = meta.get("namespace", "default") if kind == "RoleBinding" else ""
        if kind == "RoleBinding" and namespace != request.namespace:
            continue
        ref = binding.get("roleRef") or {}
        role_kind = ref.get("kind")
        role = roles.get((role_kind, namespace if role_kind == "Role" else "", ref.get("name")))
        if role is None:
            continue
        rules = [r for r in role.get("rules") or [] if isinstance(r, Mapping)]
        for subject in binding.get("subjects") or []:
            if isinstance(subject, Mapping) and _subject_matches(subject, request, namespace):
                yield binding, subject, rules, namespace


def authorize(objects: Iterable[Mapping[str, Any]], request: Request) -> Decision:
    """Evaluate ``request`` against the Roles, ClusterRoles and their bindings in
    ``objects`` (manifests as dicts; other kinds are ignored)."""
    for binding, subject, rules, namespace in _grants(objects, request):
        if any(rule_allows(rule, request) for rule in rules):
            meta, ref = binding.get("metadata") or {}, binding.get("roleRef") or {}
            name = f'{meta.get("name")}/{namespace}' if namespace else meta.get("name")
            return Decision(True, f'RBAC: allowed by {binding.get("kind")} "{name}" of '
                                  f'{ref.get("kind")} "{ref.get("name")}" to '
                                  f'{_describe(subject, namespace)}')
    return Decision(False, forbidden_message(request))


def rules_for(objects: Iterable[Mapping[str, Any]], user: str, namespace: str = "default",
              groups: Iterable[str] = ()) -> list[Mapping[str, Any]]:
    """``RulesFor`` (``pkg/registry/rbac/validation/rule.go``), what ``kubectl auth can-i
    --list`` shows: every rule of every role bound to the user, cluster-wide and in
    ``namespace``, in the order the authorizer visits them (a rule bound twice is listed
    twice)."""
    request = Request(user, "", namespace=namespace, groups=tuple(groups))
    return [rule for *_, rules, _ in _grants(objects, request) for rule in rules]


def can_i(objects: Iterable[Mapping[str, Any]], verb: str, resource: str, *, user: str,
          namespace: str = "default", groups: Iterable[str] = (), name: str = "") -> bool:
    """``kubectl auth can-i VERB RESOURCE [NAME] --as USER -n NAMESPACE``: ``resource`` as
    kubectl takes it, ``pods``, ``deployments.apps``, ``pods/log``, or a path such as
    ``/healthz``. Cluster-scoped resources take ``namespace=""``."""
    if resource.startswith("/"):
        request = Request(user, verb, path=resource, groups=tuple(groups))
    else:
        resource, _, subresource = resource.partition("/")
        plural, _, group = resource.partition(".")
        request = Request(user, verb, plural, namespace, group, subresource, name,
                          groups=tuple(groups))
    return authorize(objects, request).allowed
