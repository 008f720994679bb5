"""The words a learner carries from one orchestrator's manifests into another's, and what each
is called where it was written: ``instances`` (Marathon's) in a Kubernetes Deployment, a
``nodeSelector`` (Kubernetes') in a Compose service. One table serves every check that loads
an answer (:func:`clustersim.exercises.answers.load_answer` and ``run_stack``, and the checks
that deploy an answer another way ask it too), so that such a word is told its name in the
answer's dialect, not to check its spelling.

A word is found in the loader's refusal or warning: an unknown field of a Kubernetes object
(``unknown field "spec.instances"``, the API server's strict field validation, which
``kubectl apply`` asks for by default) or a key that a Compose file's schema does not allow
(``Additional property replicas is not allowed``, docker/cli ``cli/compose/schema``). Marathon
reads an app definition's unknown fields without a word, and so does the simulated one
(:mod:`clustersim.manifests.marathon_fields` says why): a check of a Marathon app asks
:mod:`clustersim.exercises.app_fields` about the app's own keys, which asks this table.

The names on each side: a Deployment's ``spec.replicas`` and ``spec.strategy`` (type
RollingUpdate, ``rollingUpdate.maxSurge``/``maxUnavailable``), a Pod's ``nodeSelector``,
``affinity``, ``topologySpreadConstraints``, ``tolerations``, ``restartPolicy``,
``resources.requests`` and probes, a container
port's ``containerPort`` and a Service port's ``port`` and ``targetPort`` (kubernetes/api
``apps/v1/types.go``, ``core/v1/types.go``: ``ContainerPort``, ``ServicePort``); a Compose
service's ``deploy.replicas``, ``deploy.placement.constraints``,
``deploy.resources.reservations``, ``deploy.update_config``, ``deploy.restart_policy`` and
``healthcheck``
(https://docs.docker.com/reference/compose-file/deploy/,
https://docs.docker.com/reference/compose-file/services/#healthcheck); a Marathon app's
``instances``, ``constraints``, ``cpus``, ``mem``, ``cmd``, ``args``, ``container.docker.image``,
``healthChecks``, ``upgradeStrategy`` and ``unreachableStrategy``
(https://mesosphere.github.io/marathon/docs/rest-api.html); a Kubernetes
container's ``image``, ``command`` and ``resources`` ``memory`` (``core/v1/types.go``:
``Container``, ``ResourceName``) and a Compose service's ``image``, ``command`` and
``deploy.resources.limits.memory`` (https://docs.docker.com/reference/compose-file/services/).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import NamedTuple

__all__ = ["CARRIED_WORDS", "CarriedWord", "carried_keys_hint", "carried_word_hint", "hint_for",
           "nested_key_hint"]


class CarriedWord(NamedTuple):
    """``word`` (a field's last name) written in a ``dialect`` ("kubernetes", "compose" or
    "marathon") answer, where the field's path holds ``inside`` ("" for anywhere), and its
    ``hint``."""

    dialect: str
    word: str
    inside: str
    hint: str


def _each(dialect: str, rest: str, *pairs: tuple[str, str], inside: str = ""
          ) -> tuple[CarriedWord, ...]:
    """A :class:`CarriedWord` for each ``(word, who)`` pair, hinted "<word> is <who>; <rest>"."""
    return tuple(CarriedWord(dialect, word, inside, f"{word} is {who}; {rest}")
                 for word, who in pairs)


_PLACE_PODS = ("Kubernetes places Pods with nodeSelector, affinity or topologySpreadConstraints "
               "in the Pod template's spec")
_PLACE_TASKS = ("a Swarm service is placed by deploy: placement: constraints:, such as "
                "node.labels.zone == a")
_HEALTHCHECK = ("a Compose service's health check is healthcheck:, with test: (the command) "
                "and interval:, beside image:")

CARRIED_WORDS = (
    CarriedWord("kubernetes", "instances", "",
                "instances is a Marathon app's word for the number of copies; a Kubernetes "
                "Deployment calls it replicas (spec.replicas)."),
    CarriedWord("kubernetes", "deploy", "",
                "deploy: is a Compose service's section; a Deployment's number of copies is "
                f"spec.replicas, and {_PLACE_PODS}."),
    CarriedWord("kubernetes", "constraints", "",
                "constraints is a Marathon app's word (and a Swarm service's, under "
                f"deploy.placement); {_PLACE_PODS}."),
    CarriedWord("kubernetes", "placement", "",
                f"placement is a Compose service's word (deploy.placement); {_PLACE_PODS}."),
    *_each("kubernetes", "a Kubernetes container asks for CPU and memory under resources: "
           "requests: (cpu: 500m, memory: 256Mi).",
           ("cpus", "a Marathon app's word (and a Compose service's)"),
           ("mem", "a Marathon app's word")),
    *_each("kubernetes", "a Kubernetes container has livenessProbe, readinessProbe and "
           "startupProbe.",
           ("healthcheck", "a Compose service's health check"),
           ("healthChecks", "a Marathon app's health checks")),
    CarriedWord("kubernetes", "unreachableStrategy", "",
                "unreachableStrategy is a Marathon app's word; a Kubernetes Pod leaves an "
                "unreachable node when its toleration of the node.kubernetes.io/unreachable "
                "taint runs out: tolerations: with tolerationSeconds, in the Pod template's "
                "spec."),
    *_each("kubernetes", "a Deployment's rollout is spec.strategy: (type: RollingUpdate, with "
           "rollingUpdate: maxSurge: and maxUnavailable:).",
           ("upgradeStrategy", "a Marathon app's word"),
           ("update_config", "a Compose service's word (deploy.update_config)")),
    CarriedWord("kubernetes", "restart_policy", "",
                "restart_policy is a Compose service's word (deploy.restart_policy); a Pod's "
                "restartPolicy: is one word, Always, OnFailure or Never (a Deployment's Pods "
                "take Always), and the kubelet restarts a container in place with a growing "
                "back-off, with no delay or max_attempts to set."),
    *(CarriedWord("kubernetes", word, inside, f"published: and target: are a Compose file's "
                  f"words. {port}")
      for word in ("published", "target")
      for inside, port in (("spec.ports[", "A Service port has port: (where clients reach "
                                           "the Service) and targetPort: (the container's "
                                           "port)."),
                           ("].ports[", "A container's port is containerPort: (the port it "
                                        "listens on); a Service publishes it to clients."))),
    *_each("kubernetes", "a Service port has port: (where clients reach the Service, what "
           "marathon-lb's servicePort was) and targetPort: (the container's port).",
           ("servicePort", "a Marathon port mapping's word (the port marathon-lb listens on)"),
           ("hostPort", "a Marathon port mapping's word (and a container port's, in "
                        "Kubernetes), not a Service port's"), inside="spec.ports["),
    CarriedWord("compose", "replicas", "",
                "replicas belongs to the deploy: section of the service (deploy: then "
                "replicas: 2 under it), not to the service itself."),
    CarriedWord("compose", "instances", "",
                "instances is a Marathon app's word for the number of copies; a Swarm service "
                "has deploy: replicas:."),
    *(CarriedWord("compose", word, "",
                  f"{word} is a Kubernetes Pod's word; {_PLACE_TASKS}.")
      for word in ("nodeSelector", "affinity", "topologySpreadConstraints")),
    *(CarriedWord("compose", word, "",
                  f"{word} belongs under deploy: placement: in a Compose service; "
                  f"{_PLACE_TASKS}.")
      for word in ("constraints", "placement")),
    CarriedWord("compose", "requests", "",
                "requests is a Kubernetes container's word; a Compose service reserves CPU and "
                "memory with deploy: resources: reservations: (cpus:, memory:)."),
    CarriedWord("marathon", "replicas", "",
                "replicas is Kubernetes' word (and a Swarm service's, under deploy:); a "
                "Marathon app calls the number of copies instances."),
    *_each("marathon", "a Marathon app is placed by constraints: a list of [field, operator, "
           "value] such as [\"zone\", \"LIKE\", \"a\"].",
           ("nodeSelector", "a Kubernetes Pod's word"), ("affinity", "a Kubernetes Pod's word"),
           ("placement", "a Compose service's word (deploy.placement)")),
    CarriedWord("marathon", "memory", "",
                "memory is Kubernetes' and Compose's word; a Marathon app asks for memory with "
                "mem, a number of MiB such as 256."),
    CarriedWord("marathon", "image", "",
                "image is a Kubernetes container's and a Compose service's word; a Marathon "
                "app names its Docker image inside its container: \"container\": {\"type\": "
                "\"DOCKER\", \"docker\": {\"image\": \"nginx:1.27\"}}."),
    CarriedWord("marathon", "command", "",
                "command is a Kubernetes container's and a Compose service's word; a Marathon "
                "app runs cmd (a shell command line) or args (a list of words)."),
    CarriedWord("marathon", "deploy", "",
                "deploy: is a Compose service's section; a Marathon app sets instances, "
                "constraints and upgradeStrategy at its own top level."),
    *_each("marathon", "a Marathon app's checks are healthChecks.",
           ("healthcheck", "a Compose service's health check"),
           ("livenessProbe", "a Kubernetes container's probe"),
           ("readinessProbe", "a Kubernetes container's probe")),
    *(CarriedWord("compose", word, "", f"{word} is {who}: {_HEALTHCHECK}.")
      for word, who in (("livenessProbe", "a Kubernetes container's probe"),
                        ("readinessProbe", "a Kubernetes container's probe"),
                        ("startupProbe", "a Kubernetes container's probe"),
                        ("healthChecks", "a Marathon app's health checks"))),
)
"""Each word from another dialect, the answers it is found in, and its hint."""

_UNKNOWN_FIELD = re.compile(r'unknown field "([^"]+)"')
"""A Kubernetes unknown field in the API server's words
(:func:`clustersim.manifests.kubernetes_fields.strict_decoding_problems`)."""

_RESOURCE_NAME = re.compile(r"\.(?:requests|limits)\[([^\]]+)\]: Invalid value")
"""A resource name a container may not ask for, in the API server's words
(``validateContainerResourceName`` and ``ValidateResourceRequirements`` in kubernetes/kubernetes
``pkg/apis/core/validation/validation.go``,
``requests[cpus]: Invalid value: "cpus": must be a standard resource type or fully
qualified``): the key of a requests or limits map is no field, so a Marathon ``cpus`` or
``mem`` there is not an unknown field."""

_NOT_ALLOWED = re.compile(r"Additional property (\S+) is not allowed")
"""A key that a Compose file's schema refuses, in the schema validator's words."""


def hint_for(dialect: str, word: str, path: str) -> str | None:
    """The hint of :data:`CARRIED_WORDS` for ``word`` in a ``dialect`` answer at ``path``."""
    return next((c.hint for c in CARRIED_WORDS
                 if c.dialect == dialect and c.word == word and c.inside in path), None)


def carried_keys_hint(definition: object, dialect: str) -> str | None:
    """The hint of :data:`CARRIED_WORDS` for the first top-level key of ``definition`` (a
    dict of an answer written in ``dialect``, e.g. the migration exercise's {replicas, cpu,
    memory}) that is another dialect's word; None when there is none, or ``definition`` is
    no dict."""
    if not isinstance(definition, Mapping):
        return None
    return next((hint for key in definition
                 if (hint := hint_for(dialect, str(key), "")) is not None), None)


def nested_key_hint(key: str, parent: str = "", *, yaml: bool = True) -> str:
    """What to say of ``key``, a key with dots in it (``deploy.replicas``) written inside the
    field ``parent`` ("" at the top): to YAML, JSON or a dict it is one key, where the docs'
    dotted name stands for fields nested one in another. The hint says how to nest them, in
    YAML (``yaml``) or as a dict's keys, and when the key starts with the name of the field it
    is already in (``spec.replicas`` inside ``spec``), to leave that name out."""
    parts = key.split(".")
    inside = len(parts) > 1 and parts[0] == parent
    if inside:
        parts = parts[1:]
    if yaml:
        nested = ", then ".join(f"{part}:" for part in parts)
        nested += ", each indented under the one before" if len(parts) > 1 else ""
    else:
        nested = ": {".join(map(json.dumps, parts)) + ": ..." + "}" * (len(parts) - 1)
    one_key = "one key to YAML" if yaml else "one key"
    said = (f"{key} is {one_key}, dots and all: a dotted name, as the docs write it, stands "
            "for nested fields, ")
    if inside:
        return said + f"and this one is already inside {parent}: write {nested} there."
    return said + f"written as {nested}."


def carried_word_hint(problem: object) -> str | None:
    """The hint for the first field that ``problem`` (a loader's refusal or warning, as text
    or an exception) names as unknown or not allowed, or as a resource a container may not
    request, if it is another dialect's word (:data:`CARRIED_WORDS`) or a key with dots in
    it (``deploy.replicas``, which YAML reads as one key); None otherwise.

    A Kubernetes path names the unknown key after the known fields that hold it, and the
    decoder does not look inside an unknown key: in ``spec.deploy.replicas`` the key is
    ``deploy.replicas`` when ``deploy``, no Kubernetes field, is not the last name."""
    text = str(problem)
    for path in _UNKNOWN_FIELD.findall(text):
        names = re.sub(r"\[\d+\]", "", path).split(".")
        for index in range(len(names) - 1, -1, -1):
            hint = hint_for("kubernetes", names[index], path)
            if hint is not None:
                key = ".".join(names[index:])
                return f"{nested_key_hint(key)} {hint}" if "." in key else hint
    for word in _RESOURCE_NAME.findall(text):
        hint = hint_for("kubernetes", word, "")
        if hint is not None:
            return hint
    for key in _NOT_ALLOWED.findall(text):
        parent = re.search(rf'(\w+)\["{re.escape(key)}"\]', text)   # deploy["deploy.replicas"]
        hint = nested_key_hint(key, parent.group(1) if parent else "") if "." in key \
            else hint_for("compose", key, key)
        if hint is not None:    # a dotted key first: once nested, the loader says the rest
            return hint
    return None
