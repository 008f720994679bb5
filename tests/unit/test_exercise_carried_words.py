"""Words carried over from another orchestrator's manifests are told their name in the
answer's dialect, once, by every check that loads an answer."""

from __future__ import annotations

import pytest

from clustersim.exercises.answers import load_answer, run_stack
from clustersim.exercises.carried_words import CARRIED_WORDS, carried_word_hint
from clustersim.exercises.checker import Wrong
from clustersim.node import Node
from clustersim.swarm import SwarmCluster

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  SPEC
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      POD
      containers: [{name: web, image: nginx:1.27CONTAINER}]
"""


def _deployment(spec: str = "replicas: 3", pod: str = "", container: str = "") -> str:
    return (DEPLOYMENT.replace("SPEC", spec).replace("POD", pod)
            .replace("CONTAINER", container))


@pytest.mark.parametrize(("text", "taught"), [
    (_deployment(spec="instances: 3"), "calls it replicas (spec.replicas)"),
    (_deployment(spec="deploy: {replicas: 3}"), "deploy: is a Compose service's section"),
    (_deployment(pod="constraints: [[zone, LIKE, a]]"), "nodeSelector, affinity"),
    (_deployment(pod="placement: {constraints: [node.labels.zone==a]}"), "deploy.placement"),
    (_deployment(container=", cpus: 0.5"), "resources: requests:"),
    (_deployment(container=", healthcheck: {test: [CMD, 'true']}"), "livenessProbe"),
])
def test_another_dialect_s_word_in_a_kubernetes_answer(text: str, taught: str) -> None:
    """spec.instances was told "Check the spelling of the field it names", as if instances
    were a typo of a Kubernetes field."""
    with pytest.raises(Wrong) as caught:
        load_answer(text, "Deployment")
    assert taught in caught.value.hint and "spelling" not in caught.value.hint


def test_a_misspelt_kubernetes_field_is_still_told_to_check_its_spelling() -> None:
    with pytest.raises(Wrong) as caught:
        load_answer(_deployment(pod="nodeselector: {zone: a}"), "Deployment")
    assert "spelling" in caught.value.hint


STACK = "services:\n  web:\n    image: nginx:1.27\nSERVICE"


@pytest.mark.parametrize(("service", "taught"), [
    ("    replicas: 3\n", "belongs to the deploy: section"),
    ("    deploy: {instances: 3}\n", "has deploy: replicas:"),
    ("    nodeSelector: {zone: a}\n", "deploy: placement: constraints:"),
    ("    deploy: {placement: {nodeSelector: {zone: a}}}\n", "a Kubernetes Pod's word"),
    ("    constraints: [node.labels.zone==a]\n", "belongs under deploy: placement:"),
    ("    deploy: {resources: {requests: {cpus: '0.5'}}}\n", "reservations"),
])
def test_another_dialect_s_word_in_a_stack(service: str, taught: str) -> None:
    """The schema's "Additional property nodeSelector is not allowed" names the key, not the
    Compose word for it."""
    with pytest.raises(Wrong) as caught:
        load_answer(STACK.replace("SERVICE", service), "stack file")
    assert taught in caught.value.hint
    swarm = SwarmCluster(Node.many(1, "node", cpu=2, memory="2Gi"), seed=0)
    with pytest.raises(Wrong) as caught:
        run_stack(swarm, STACK.replace("SERVICE", service), 10, hint="the check's own")
    assert taught in caught.value.hint


def test_a_dotted_key_is_told_to_nest() -> None:
    """"deploy.replicas: 3", the docs' dotted name written as a key, is one key to YAML: it
    got "Check the spelling" in a Deployment and "Read the field path" in a stack."""
    with pytest.raises(Wrong) as caught:
        load_answer(_deployment(spec="deploy.replicas: 3"), "Deployment")
    assert "one key to YAML" in caught.value.hint and "spec.replicas" in caught.value.hint
    with pytest.raises(Wrong) as caught:
        load_answer(STACK.replace("SERVICE", "    deploy.replicas: 3\n"), "stack file")
    assert "written as deploy:, then replicas:" in caught.value.hint


def test_a_word_is_hinted_only_where_it_is_another_dialect_s() -> None:
    """target is a Compose port word only inside a port; replicas is Kubernetes' own word."""
    assert carried_word_hint('unknown field "spec.ports[0].target"') is not None
    assert carried_word_hint('unknown field "spec.metrics[0].target"') is None
    assert carried_word_hint('unknown field "spec.template.spec.replicas"') is None
    words = [(c.dialect, c.word, c.inside) for c in CARRIED_WORDS]
    assert len(words) == len(set(words))            # each word hinted once


def test_a_compose_port_word_is_told_the_field_of_the_port_it_is_in() -> None:
    """published: and target: in a container's ports got the Service's port: and
    targetPort:, which a container port does not have (core/v1 ContainerPort:
    containerPort, hostPort); in a Service's ports they still get port: and targetPort:."""
    for kind in ("spec.template.spec.containers[0]", "spec.initContainers[1]"):
        hint = carried_word_hint(f'unknown field "{kind}.ports[0].published"')
        assert hint is not None and "containerPort:" in hint and "targetPort:" not in hint
    hint = carried_word_hint('unknown field "spec.ports[0].target"')
    assert hint is not None and "targetPort:" in hint and "containerPort:" not in hint


@pytest.mark.parametrize(("spec", "container", "taught"), [
    ("spec.replicas: 3", "", "already inside spec: write replicas: there"),
    ("replicas: 3", ', resources: {"requests.cpu": 100m}',
     "written as requests:, then cpu:, each indented"),
])
def test_a_dotted_key_inside_its_own_parent_is_told_to_nest(spec, container, taught) -> None:
    """unknown field "spec.spec.replicas" names no other dialect's word, and was told "Check
    the spelling of the field it names": the loaded object says which key holds the dots."""
    with pytest.raises(Wrong) as caught:
        load_answer(_deployment(spec=spec, container=container), "Deployment")
    assert taught in caught.value.hint and "spelling" not in caught.value.hint


def test_a_dotted_key_inside_its_own_compose_parent_is_told_to_leave_the_parent_out() -> None:
    """deploy: {deploy.replicas: 2} was told to write deploy:, then replicas:, which it had
    done already; the schema's path names the key's parent, deploy["deploy.replicas"]."""
    with pytest.raises(Wrong) as caught:
        load_answer(STACK.replace("SERVICE", "    deploy: {deploy.replicas: 2}\n"), "stack file")
    assert "already inside deploy: write replicas: there" in caught.value.hint



@pytest.mark.parametrize(("resources", "word"), [
    ("requests: {cpus: 500m, memory: 512Mi}", "cpus"),
    ("limits: {cpu: 500m, mem: 512Mi}", "mem"),
])
def test_marathon_s_resource_word_in_a_container_s_requests(resources: str, word: str) -> None:
    """A Marathon app's cpus or mem written as a resource name under requests or limits is no
    unknown field but a resource the API server refuses; translating a Marathon app, it got
    "Read the line and field the message names" (exercises/networking, check_translation)."""
    with pytest.raises(Wrong) as caught:
        load_answer(_deployment(container=f", resources: {{{resources}}}"), "Deployment")
    assert caught.value.hint.startswith(f"{word} is a Marathon app's word")
    assert "cpu: 500m, memory: 256Mi" in caught.value.hint


@pytest.mark.parametrize("word", ["servicePort", "hostPort"])
def test_marathon_s_port_word_in_a_service_port(word: str) -> None:
    """servicePort (where marathon-lb listened) in a Service's ports was told to check its
    spelling; a Deployment's container keeps its own hostPort, a field it has."""
    service = ("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
               f"  selector: {{app: web}}\n  ports: [{{port: 80, {word}: 10101}}]\n")
    with pytest.raises(Wrong) as caught:
        load_answer(service, "Service")
    assert caught.value.hint.startswith(f"{word} is a Marathon port mapping's word")
    assert "targetPort:" in caught.value.hint
    container_port = f", ports: [{{containerPort: 80, {word}: 10101}}]"
    if word == "hostPort":      # a container port's own field: no hint, the answer loads
        load_answer(_deployment(container=container_port), "Deployment")


@pytest.mark.parametrize(("text", "taught"), [
    (_deployment(pod="unreachableStrategy: {inactiveAfterSeconds: 30}"), "tolerationSeconds"),
    (_deployment(spec="replicas: 3\n  unreachableStrategy: {inactiveAfterSeconds: 30}"),
     "tolerationSeconds"),
    (_deployment(spec="replicas: 3\n  upgradeStrategy: {minimumHealthCapacity: 0.5}"),
     "spec.strategy:"),
    (_deployment(spec="replicas: 3\n  update_config: {parallelism: 1}"), "spec.strategy:"),
    (_deployment(pod="restart_policy: {condition: any}"), "restartPolicy: is one word"),
])
def test_a_self_healing_or_rollout_word_from_another_dialect(text: str, taught: str) -> None:
    """The self-healing and rolling-update labs set Marathon's unreachableStrategy and
    upgradeStrategy and Swarm's update_config and restart_policy beside Kubernetes' fields; in a
    Deployment they were told to check their spelling (restart_policy: to read the path)."""
    with pytest.raises(Wrong) as caught:
        load_answer(text, "Deployment")
    assert taught in caught.value.hint and "spelling" not in caught.value.hint


@pytest.mark.parametrize(("text", "meant"), [
    (_deployment(pod="topologySpreadConstraint: []"), "topologySpreadConstraints"),
    (_deployment(pod="toleration: []"), "tolerations"),
    (_deployment(spec="replica: 3"), "replicas"),
    (_deployment(pod="nodeselector: {zone: a}"), "nodeSelector"),
])
def test_a_misspelt_field_is_offered_the_known_field_it_is_close_to(text: str,
                                                                     meant: str) -> None:
    """A near miss was told only to check its spelling; the loader's own guess (the one its
    load errors give) now comes first: "did you mean" (CONTRIBUTING, Exercises)."""
    with pytest.raises(Wrong) as caught:
        load_answer(text, "Deployment")
    assert caught.value.hint.startswith(f"Did you mean {meant}? Check the spelling")


def test_an_unknown_field_far_from_every_known_one_gets_no_guess() -> None:
    with pytest.raises(Wrong) as caught:
        load_answer(_deployment(pod="zzzzqqq: 1"), "Deployment")
    assert "spelling" in caught.value.hint and "Did you mean" not in caught.value.hint
