"""Checks for the exercises of the migration chapter and of "from toy to real": translating
Marathon fields by hand, replacing a Marathon constraint that has no Kubernetes equivalent,
and fixing manifests until the real systems' published schemas accept them.

The reference translation is :func:`clustersim.translate.marathon_to_kubernetes`; placements
are compared by running the Marathon app in :class:`clustersim.mesos.MesosCluster` (mesosphere/
marathon ``Constraints.scala``, ``MAX_PER``) and the Deployment in
:class:`clustersim.kubernetes.KubernetesCluster` (kubernetes/kubernetes ``pkg/scheduler/
framework/plugins/podtopologyspread``). Schemas are those of :mod:`clustersim.schemas`
(kubernetes-validate for Kubernetes 1.37, the Compose specification's JSON schema).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from clustersim.exercises.answers import keyed, load_answer, run_stack, whole_number, yes_or_no
from clustersim.exercises.carried_words import carried_keys_hint, carried_word_hint
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.feedback import Feedback
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.controllers.rollout import value_from_int_or_percent
from clustersim.kubernetes.nodeinfo import HOSTNAME_LABEL
from clustersim.kubernetes.objects import selector_matches
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.safe_yaml import load_documents
from clustersim.marathon import Marathon
from clustersim.mesos import MesosCluster
from clustersim.node import Node
from clustersim.quantity import QuantityError, parse_quantity
from clustersim.schemas import KUBERNETES_VERSION, validate_compose, validate_kubernetes
from clustersim.swarm import SwarmCluster
from clustersim.translate import marathon_to_kubernetes, stack_to_kubernetes

__all__ = [
    "API_APP", "CACHE_APP", "RACKS", "UPDATE_STACK", "check_current_ingress", "check_max_per",
    "check_resources_by_hand", "check_stack_schema", "check_update_config", "marathon_racks",
    "rack_nodes",
]

API_APP = {"id": "/shop/api", "instances": 3, "cpus": 0.25, "mem": 384,
           "container": {"type": "DOCKER", "docker": {"image": "shop/api:2.1"}}}
CACHE_APP = {"id": "/shop/cache", "instances": 6, "cpus": 0.25, "mem": 384,
             "container": {"type": "DOCKER", "docker": {"image": "redis:7"}},
             "constraints": [["rack", "MAX_PER", "2"]]}
RACKS = {"node-1": "rack-1", "node-2": "rack-1", "node-3": "rack-1", "node-4": "rack-1",
         "node-5": "rack-2", "node-6": "rack-3"}
"""Six machines in three racks of unequal size: the rack is a node label (Kubernetes) and an
agent attribute (Mesos)."""


def rack_nodes() -> list[Node]:
    """The six machines of :data:`RACKS`, 4 CPUs and 8 GiB each."""
    return [Node(name, cpu=4, memory="8Gi", labels={"rack": rack}, attributes={"rack": rack})
            for name, rack in RACKS.items()]


# --- migration --------------------------------------------------------------------------------

_UNREADABLE_QUANTITY = {
    "cpu": "A CPU quantity counts cores, as a number (0.5) or in thousandths with the suffix m "
           "(500m), and takes no unit word.",
    "memory": "A memory quantity counts bytes, with a suffix such as Mi (MiB) or Gi, written "
              "as shown: Kubernetes has no MB, and its binary suffixes end in a small i.",
}
"""The hint for a cpu or memory answer that is no quantity: the suffixes differ by resource
(a memory of 384m would be thousandths of a byte), so one list of suffixes for both misled
("Use a number with a suffix such as m, Mi or Gi" for memory '384MB'). Suffixes:
https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#resource-units-in-kubernetes."""


@checker("Right: instances → replicas, cpus → a CPU request, mem (MiB) → a memory request in Mi "
         "(the translator also writes mem as the memory limit, as Mesos enforced it).")
def check_resources_by_hand(answer: object) -> None:
    """``answer``: {replicas, cpu, memory} of the Deployment that :data:`API_APP` becomes."""
    keys = ("replicas", "cpu", "memory")
    try:
        answer = keyed(answer, keys)
    except Wrong as wrong:   # Marathon's own keys (instances, cpus, mem) are told their names
        raise Wrong(wrong.message, carried_keys_hint(answer, "kubernetes") or wrong.hint) from None
    deployment = marathon_to_kubernetes(API_APP).objects[0]
    pod = deployment["spec"]["template"]["spec"]
    requests = pod["containers"][0]["resources"]["requests"]
    replicas = whole_number(answer["replicas"], "replicas")
    if replicas != deployment["spec"]["replicas"]:
        raise Wrong(f"replicas = {replicas} is not what /shop/api runs.",
                    "Marathon's instances becomes the Deployment's replicas.")
    for key in ("cpu", "memory"):
        value = answer[key]
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise Wrong(f"{key} must be a Kubernetes quantity such as \"500m\" or \"1Gi\".",
                        "Write it as a string.")
        try:
            mine = parse_quantity(value)
        except QuantityError as err:
            raise Wrong(f"{key} = {value!r} is not a quantity: {err}",
                        _UNREADABLE_QUANTITY[key]) from None
        if mine != parse_quantity(requests[key]):
            if key == "memory" and mine == parse_quantity(f"{API_APP['mem']}M"):
                hint = "Marathon's mem is in MiB (2^20 bytes): use the suffix Mi, not M."
            elif key == "memory" and mine == API_APP["mem"]:
                hint = "A bare number is bytes in Kubernetes: add the unit (Mi)."
            elif key == "cpu":
                hint = ("cpus is a share of cores: 0.25 cores is 250m (or 0.25); 250 without a "
                        "suffix would be 250 cores.")
            else:
                hint = "mem is MiB: write it with the Mi suffix."
            raise Wrong(f"{key} = {value!r} is not what {API_APP['id']} asks for.", hint)


def marathon_racks() -> Counter:
    """Running tasks per rack when Marathon deploys :data:`CACHE_APP` on :func:`rack_nodes`."""
    mesos = MesosCluster(rack_nodes(), seed=0)
    marathon = mesos.register(Marathon())
    marathon.deploy(CACHE_APP)
    mesos.run(until=60)
    return Counter(RACKS[t.node] for t in mesos.snapshot().tasks if t.state == "TASK_RUNNING")


@checker("Right: a spread over racks with DoNotSchedule places two per rack, as MAX_PER 2 did. "
         "It is not the same rule: add a seventh replica and Kubernetes would still place it "
         "(skew 1), where Marathon would leave it waiting.")
def check_max_per(manifest: object) -> None:
    """``manifest``: a Deployment for /shop/cache that places like Marathon's MAX_PER 2 on
    :func:`rack_nodes`: six replicas, two per rack."""
    specs = load_answer(manifest, "Deployment")
    if len(specs) != 1 or specs[0].kind != "Deployment":
        raise Wrong("Expected exactly one Deployment.", "Keep the starter's single document.")
    deployment = specs[0].manifest
    if deployment["spec"].get("replicas") != CACHE_APP["instances"]:
        raise Wrong("Keep the six replicas of the Marathon app.", "replicas: 6.")
    cluster = KubernetesCluster(rack_nodes(), seed=0)
    cluster.apply(deployment)
    cluster.run(until=60)
    pods = [p for p in cluster.pods() if p.owner == f"Deployment/{deployment['metadata']['name']}"]
    pending = [p for p in pods if p.node is None]
    racks = Counter(RACKS[p.node] for p in pods if p.node)
    want = marathon_racks()
    keys = _topology_keys(deployment)
    unknown = sorted(str(k) for k in keys if k not in {"rack", HOSTNAME_LABEL})
    unknown_hint = (f"No node here carries the label {unknown[0]!r}: these machines are "
                    "labelled only with rack (and kubernetes.io/hostname). Use topologyKey: "
                    "rack." if unknown else "")
    if pending:
        hint = unknown_hint or (
            "Required anti-affinity over rack allows one Pod per rack (MAX_PER 1), not "
            "two. Keep the counts even instead: a topologySpreadConstraint."
            if "anti-affinity" in keys.get("rack", set()) else
            "Read the scheduler's message: which rule filters out the nodes?")
        raise Wrong(f"{len(pending)} Pod(s) stay Pending: {pending[0].message}", hint)
    rules = _rack_spreads(deployment)
    if racks != want:
        shown = ", ".join(f"{r}: {n}" for r, n in sorted(racks.items()))
        hint = unknown_hint or (
            "A nodeSelector or node affinity over rack chooses the racks that may run the "
            "Pods; it does not count them. MAX_PER counts the Pods per rack: a rule that "
            "spreads them over the rack label does that." if not rules and
            _selects_racks(deployment) else
            "Without a rule over the rack label the scheduler spreads over nodes, and "
            "rack-1 has four of them." if not rules else
            "The spread counts only the Pods its labelSelector selects, and yours selects "
            "none of these: use the labels of the Pod template." if not _counts_own(deployment)
            else "Spread over the rack label with maxSkew: 1 and whenUnsatisfiable: "
            "DoNotSchedule.")
        raise Wrong(f"Per rack: {shown}; Marathon placed two in each rack.", hint)
    if "DoNotSchedule" not in rules:
        raise Wrong("Two per rack this time, but only because the scores happened to agree.",
                    "MAX_PER is a hard rule; ScheduleAnyway only prefers an even spread and "
                    "gives way when a rack is full or a node fails. Use whenUnsatisfiable: "
                    "DoNotSchedule.")


def _topology_keys(deployment: Mapping[str, Any]) -> dict[str, set[str]]:
    """Each topologyKey the pod template uses, with the kinds of rule using it ("spread",
    "anti-affinity" for a required pod anti-affinity term, "affinity" otherwise)."""
    spec = deployment["spec"]["template"].get("spec") or {}
    keys: dict[str, set[str]] = {}
    for constraint in spec.get("topologySpreadConstraints") or []:
        keys.setdefault(constraint.get("topologyKey"), set()).add("spread")
    for kind, rules in (spec.get("affinity") or {}).items():
        if kind == "nodeAffinity" or not isinstance(rules, Mapping):
            continue
        required = rules.get("requiredDuringSchedulingIgnoredDuringExecution") or []
        preferred = [t.get("podAffinityTerm") or {} for t in
                     rules.get("preferredDuringSchedulingIgnoredDuringExecution") or []]
        for term in required:
            keys.setdefault(term.get("topologyKey"), set()).add(
                "anti-affinity" if kind == "podAntiAffinity" else "affinity")
        for term in preferred:
            keys.setdefault(term.get("topologyKey"), set()).add("affinity")
    return keys


def _counts_own(deployment: Mapping[str, Any]) -> bool:
    """Does some spread constraint over ``rack`` select the template's own Pods? (A spread
    counts the Pods its ``labelSelector`` matches: kubernetes/kubernetes
    ``pkg/scheduler/framework/plugins/podtopologyspread``.)"""
    template = deployment["spec"]["template"]
    labels = (template.get("metadata") or {}).get("labels") or {}
    return any(selector_matches(c.get("labelSelector"), labels)
               for c in (template.get("spec") or {}).get("topologySpreadConstraints") or []
               if c.get("topologyKey") == "rack")


def _selects_racks(deployment: Mapping[str, Any]) -> bool:
    """Does the pod template choose nodes by ``rack`` (a ``nodeSelector`` key or a node
    affinity expression)? Such a rule filters nodes and counts no Pods (kubernetes.io/docs/
    concepts/scheduling-eviction/assign-pod-node/)."""
    spec = deployment["spec"]["template"].get("spec") or {}
    if "rack" in (spec.get("nodeSelector") or {}):
        return True
    node_affinity = (spec.get("affinity") or {}).get("nodeAffinity") or {}
    required = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or {}
    terms = list(required.get("nodeSelectorTerms") or []) + [
        t.get("preference") or {}
        for t in node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []]
    return any(e.get("key") == "rack" for term in terms
               for e in term.get("matchExpressions") or [])


def _rack_spreads(deployment: Mapping[str, Any]) -> set[str]:
    """The ``whenUnsatisfiable`` values of the spread constraints over ``rack``."""
    spec = deployment["spec"]["template"].get("spec") or {}
    return {c.get("whenUnsatisfiable", "DoNotSchedule")
            for c in spec.get("topologySpreadConstraints") or [] if c.get("topologyKey") == "rack"}


UPDATE_STACK = {"services": {"web": {
    "image": "nginx:1.27",
    "deploy": {"replicas": 4, "update_config": {
        "parallelism": 2, "order": "start-first", "delay": "10s", "failure_action": "rollback"}},
}}}
"""A Swarm service whose update settings the learner translates by hand."""


@checker("Right: start-first with parallelism 2 is maxSurge 2 and maxUnavailable 0; the delay "
         "becomes minReadySeconds (approximately); and a Deployment never rolls back by itself.")
def check_update_config(answer: object) -> None:
    """``answer``: {maxSurge, maxUnavailable, minReadySeconds, rolls_back_by_itself} of the
    Deployment that :data:`UPDATE_STACK`'s ``web`` becomes (compared with
    :func:`clustersim.translate.stack_to_kubernetes`)."""
    keys = ("maxSurge", "maxUnavailable", "minReadySeconds", "rolls_back_by_itself")
    answer = keyed(answer, keys)
    deployment = next(o for o in stack_to_kubernetes(UPDATE_STACK).objects
                      if o["kind"] == "Deployment")
    rolling = deployment["spec"]["strategy"]["rollingUpdate"]
    replicas = deployment["spec"]["replicas"]
    surge = _pods_of(answer["maxSurge"], "maxSurge", replicas, round_up=True)
    unavailable = _pods_of(answer["maxUnavailable"], "maxUnavailable", replicas, round_up=False)
    if (surge, unavailable) != (rolling["maxSurge"], rolling["maxUnavailable"]):
        hint = ("That is stop-first (Swarm's default): start-first starts the new tasks before "
                "stopping old ones, so the batch is surge, not unavailability."
                if (surge, unavailable) == (rolling["maxUnavailable"], rolling["maxSurge"])
                else "parallelism is the batch size; order decides whether the batch is extra "
                     "Pods (start-first → maxSurge) or missing Pods (stop-first → "
                     "maxUnavailable), and the other is 0.")
        raise Wrong(f"maxSurge {surge}, maxUnavailable {unavailable} is not it.", hint)
    ready = whole_number(answer["minReadySeconds"], "minReadySeconds", unit="seconds")
    if ready != deployment["spec"].get("minReadySeconds", 0):
        raise Wrong(f"minReadySeconds {answer['minReadySeconds']} is not it.",
                    "delay: 10s is the wait between batches; the nearest Kubernetes field is "
                    "minReadySeconds (seconds a new Pod must be ready before it counts).")
    if yes_or_no(answer["rolls_back_by_itself"], "rolls_back_by_itself"):
        raise Wrong("A Deployment does not roll back by itself.",
                    "failure_action: rollback has no counterpart: a stuck rollout reports "
                    "ProgressDeadlineExceeded and you run kubectl rollout undo.")


def _pods_of(answer: object, what: str, replicas: int, *, round_up: bool) -> int:
    """A whole number, or ``"N%"`` of ``replicas`` rounded as the Deployment controller does
    (:func:`clustersim.kubernetes.controllers.rollout.value_from_int_or_percent`)."""
    if not isinstance(answer, str):
        return whole_number(answer, what)
    try:
        return value_from_int_or_percent(answer, replicas, round_up, what)
    except ValueError:
        raise Wrong(f"{what} {answer!r} is neither a whole number nor a percentage.",
                    'Write a number such as 2, or a percentage such as "50%".') from None


def _non_string_key(node: object, where: str) -> tuple[str, object] | None:
    """The first mapping key in ``node`` that is not a string, with the path holding it."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if not isinstance(key, str):
                return where, key
            found = _non_string_key(value, f"{where}.{key}" if where else key)
            if found:
                return found
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found = _non_string_key(item, f"{where}[{i}]")
            if found:
                return found
    return None


# --- from toy to real -------------------------------------------------------------------------

def _one(manifest: object, what: str) -> dict[str, Any]:
    """The one mapping of ``manifest``, YAML text read by the bounded loader (an alias bomb is
    refused in bounded time) with its keys as typed (:func:`_non_string_key` names a ``3:``)."""
    if isinstance(manifest, Mapping):
        return dict(manifest)
    if not isinstance(manifest, str):
        raise Wrong(f"The answer must be the {what} as YAML text.",
                    "Keep the triple quotes of the starter cell.")
    try:
        documents = [d.data for d in load_documents(manifest, f"your {what}", string_keys=False)
                     if d.data is not None]
    except ManifestError as err:
        raise Wrong(f"It does not load: {err}", "Fix what the message names, at the line "
                    "it gives.") from None
    if len(documents) != 1 or not isinstance(documents[0], Mapping):
        raise Wrong(f"Expected one {what}, found {len(documents)} document(s).",
                    "Keep the starter's single document.")
    return dict(documents[0])


REMOVED_INGRESS_VERSIONS = ("extensions/v1beta1", "networking.k8s.io/v1beta1")
"""The Ingress API versions no longer served from Kubernetes 1.22 (the deprecation guide,
kubernetes.io/docs/reference/using-api/deprecation-guide/#ingress-v122, as of December 2026)."""


def _ingress_version_hint(api_version: object) -> str:
    """What to say of an Ingress's ``apiVersion`` the schema refused, naming the one used."""
    if api_version in REMOVED_INGRESS_VERSIONS:
        other = next(v for v in REMOVED_INGRESS_VERSIONS if v != api_version)
        return (f"Kubernetes 1.22 stopped serving Ingress in {api_version} (and in the other "
                f"beta, {other}); networking.k8s.io/v1 is the version served now "
                "(kubernetes.io/docs/reference/using-api/deprecation-guide/).")
    return (f"No Kubernetes release serves Ingress in {api_version!r}: write apiVersion: "
            "networking.k8s.io/v1.")


def _ingress_refusal_hint(err: ManifestError) -> str:
    """What to say of an Ingress the schema accepts and the API server refuses."""
    if err.path.endswith("pathType"):
        return ("pathType is one of Exact, Prefix and ImplementationSpecific, spelt with its "
                "capital letter: Prefix keeps routing everything under / as before.")
    return "Read the field path: the API server names the field and the values it accepts."


@checker(f"Right: networking.k8s.io/v1 is served by Kubernetes {KUBERNETES_VERSION}, and the "
         "Ingress still sends / on shop.example.com to the Service web on port 80.")
def check_current_ingress(manifest: object) -> Feedback | None:
    """``manifest``: the Ingress of the starter, valid for the pinned Kubernetes release
    (:data:`clustersim.schemas.KUBERNETES_VERSION`), same routing; a path of type
    ImplementationSpecific passes with a caveat (:data:`_IMPLEMENTATION_SPECIFIC`)."""
    ingress = _one(manifest, "Ingress")
    problems = validate_kubernetes(ingress)
    if problems:
        first = problems[0]
        text = str(first)
        if first.path == "apiVersion":
            hint = _ingress_version_hint(ingress.get("apiVersion"))
        elif "pathType" in text:
            hint = ("v1 requires pathType on every path: Prefix keeps routing everything under "
                    "/ as before (Exact would match / alone).")
        elif "serviceName" in text or "servicePort" in text:
            hint = ("In v1 the backend is service: {name: web, port: {number: 80}} instead of "
                    "serviceName/servicePort.")
        elif first.path.endswith("backend.service.port"):
            # networking/v1 ServiceBackendPort: an object with number or name, never a bare port
            # (kubernetes/api networking/v1/types.go; kubernetes.io/docs/concepts/services-
            # networking/ingress/)
            hint = ("In v1 the Service's port is an object that says whether it is a number or "
                    "a name: port: {number: 80}, not port: 80.")
        else:
            hint = "Read the field path; the v1 Ingress schema is in the Kubernetes API docs."
        raise Wrong(f"{len(problems)} problem(s), the first: {text}", hint)
    # the schema knows a field's type, the API server its values too (pathType: prefix)
    load_answer(ingress, "Ingress", hint=_ingress_refusal_hint)
    try:
        rule = ingress["spec"]["rules"][0]
        path = rule["http"]["paths"][0]
        service = path["backend"]["service"]
        port = service["port"]
        if "number" not in port and port.get("name"):
            raise Wrong(f"The backend names the Service's port {port['name']!r}; the old "
                        "Ingress sent traffic to port number 80, and nothing says the Service "
                        "web has a port of that name.", "Use port: {number: 80}.")
        routed = (rule.get("host"), path.get("path"), service["name"], port["number"])
    except (KeyError, IndexError, TypeError, AttributeError):
        raise Wrong("It validates, but the route is gone.",
                    "Keep one rule: host shop.example.com, path /, Service web, port 80.") from None
    if routed != ("shop.example.com", "/", "web", 80):
        raise Wrong(f"The route changed: {routed}.",
                    "Keep host shop.example.com, path /, Service web, port number 80.")
    if path.get("pathType") == "Exact":
        raise Wrong("pathType: Exact matches the path / and nothing else: /cart, /api/items "
                    "and every other page would no longer reach web.",
                    "The old Ingress routed everything under / (its paths had no pathType; "
                    "v1beta1 defaulted to ImplementationSpecific): use pathType: Prefix.")
    if path.get("pathType") == "ImplementationSpecific":
        return Feedback(True, _IMPLEMENTATION_SPECIFIC)
    return None


_IMPLEMENTATION_SPECIFIC = (
    "Right, with a caveat: networking.k8s.io/v1 accepts pathType: ImplementationSpecific, the "
    "type networking.k8s.io/v1beta1 gave a path that had none, so the old routing is kept. "
    "But the API leaves what it matches to the IngressClass's controller, which may read / as "
    "a prefix, as the exact path, or in a syntax of its own, and the Ingress does not say "
    "which. pathType: Prefix says in the API itself that every page under / goes to web, "
    "whichever controller serves it.")
"""What :func:`check_current_ingress` says of an Ingress that keeps the old path type: it is
what networking.k8s.io/v1beta1 gave a path without one (kubernetes/kubernetes
``pkg/apis/networking/v1beta1/defaults.go``, ``SetDefaults_HTTPIngressPath``), and its
meaning is the controller's (kubernetes/api ``networking/v1/types.go``,
``PathTypeImplementationSpecific``: the controller may treat it as a type of its own or as
Prefix or Exact; kubernetes.io/docs/concepts/services-networking/ingress/#path-types). The
exercise asks that / still reach web, which the old Ingress said no more precisely, so it
passes, and the caveat teaches the portable choice."""


def _stack_deploy_hint(err: ManifestError) -> str:
    """What to do about what docker/cli's version 3 schema refuses and the Compose
    specification allows: a key it does not have (its ``Additional property ... is not
    allowed``), a value of another type (``must be a <type>``, the hint chosen by the type
    it names), or another version."""
    message = str(err)
    if "Additional property scale " in message:
        return ("scale is docker compose's count of containers; docker stack deploy does not "
                "know it: a Swarm service's count is deploy.replicas: 3.")
    if "Additional property" in message:
        return ("docker stack deploy reads Compose file format 3.x, which has fewer keys than "
                "the Compose specification: remove the key the message names, or use its "
                "3.x form.")
    if "as a rational number" in message and re.search(r"'\d+m'", message):
        # docker/cli opts.ParseCPUs reads cpus as a big.Rat: cores, never millicores
        return ("A Compose file's cpus counts cores as a decimal number, such as cpus: \"0.25\" "
                "for a quarter core; the suffix m (250m) is Kubernetes' thousandths of a core.")
    wanted = re.search(r"must be a (\w+)", message)
    if wanted is None:
        return "Give a version 3.x, or none, and read the field path in the message."
    if wanted[1] == "string":
        # docker/cli cli/compose/schema/data/config_schema_v3.*.json: resources' cpus is
        # {"type": "string"}; compose-spec.json takes a number or a string
        return ('docker/cli\'s version 3 schema takes this field only as text (resources\' '
                'cpus, for one), where the Compose specification also takes a number: put the '
                'value in quotes, e.g. cpus: "0.25".')
    if wanted[1] in ("integer", "number", "boolean"):
        return ("docker/cli reads a quoted value as text: write it without quotes (it "
                "casts a value only where a ${VARIABLE} was substituted).")
    return f"Write the field the message names as a {wanted[1]}, as version 3.x defines it."


@checker("Right: the stack passes the Compose specification's schema and Swarm runs three "
         "replicas of web.")
def check_stack_schema(text: object) -> None:
    """``text``: the stack file of the starter, fixed so that the schema accepts it and
    ``docker stack deploy`` (the Swarm simulator) runs three ``web`` tasks."""
    stack = _one(text, "stack file")
    odd = _non_string_key(stack, "")
    if odd is not None:
        where, key = odd
        place = f"under {where}" if where else "at the top"
        raise Wrong(f"The stack file has the key {key!r} {place}: every key of a Compose "
                    "file is a name (a string).",
                    "In YAML, an empty key, ~ or null is None and 3: is a number: write the "
                    "name, and quote it if it looks like a number ('3':).")
    problems = validate_compose(stack)
    if problems:
        first = str(problems[0])
        hint = ("The schema refuses unknown keys: the deploy key for the number of copies is "
                "replicas." if "Additional property replica " in first else
                carried_word_hint(first) or
                "Read the field path: the schema names the key it does not know or the type "
                "it expected.")
        raise Wrong(f"{len(problems)} schema problem(s), the first: {first}", hint)
    web = (stack.get("services") or {}).get("web") or {}
    mode = (web.get("deploy") or {}).get("mode", "replicated")
    if mode != "replicated":
        raise Wrong(f"web runs in mode {mode}: a {mode} service has no replicas; it runs one "
                    "task on every node (here three only because the test swarm has three "
                    "nodes; on five nodes it would run five).",
                    "Leave out mode (replicated is the default) and give deploy.replicas: 3.")
    swarm = SwarmCluster(Node.many(3, "node", cpu=2, memory="4Gi", role="manager"), seed=0)
    run_stack(swarm, stack, 60,
              refused="The Compose specification's schema accepts it, docker stack deploy "
                      "(docker/cli's version 3 schema and loader) refuses it",
              hint=_stack_deploy_hint)
    running = [t for t in swarm.snapshot().tasks if t.owner.endswith("web") and t.node
               and t.state.lower() == "running"]
    if len(running) != 3:
        raise Wrong(f"{len(running)} web task(s) run, not 3.",
                    "deploy.replicas is a number (3), and the reservations must fit on a node "
                    "with 2 CPUs and 4 GiB.")
