"""Typical wrong answers to the migration and toy-to-real exercises get the intended hints;
right answers pass; nothing a learner types gives a traceback."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from clustersim.exercises import migration as ex

CACHE = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: cache}}
spec:
  replicas: 6
  selector: {{matchLabels: {{app: cache}}}}
  template:
    metadata: {{labels: {{app: cache}}}}
    spec:
{rule}
      containers: [{{name: c, image: redis:7, resources: {{requests: {{cpu: 250m}}}}}}]
"""
SPREAD = """      topologySpreadConstraints:
      - {{maxSkew: 1, topologyKey: rack, whenUnsatisfiable: {when},
         labelSelector: {{matchLabels: {{app: cache}}}}}}"""
ANTI = """      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: cache}}, topologyKey: rack}"""

INGRESS = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: shop}}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
{path_type}
        backend: {backend}
"""
V1_BACKEND = "{service: {name: web, port: {number: 80}}}"


def test_resources_by_hand() -> None:
    assert ex.check_resources_by_hand({"replicas": 3, "cpu": "250m", "memory": "384Mi"}).passed
    assert ex.check_resources_by_hand({"replicas": 3, "cpu": 0.25, "memory": "384Mi"}).passed
    mega = ex.check_resources_by_hand({"replicas": 3, "cpu": "250m", "memory": "384M"})
    assert not mega.passed and "MiB" in mega.hint
    cores = ex.check_resources_by_hand({"replicas": 3, "cpu": "250", "memory": "384Mi"})
    assert not cores.passed and "250m" in cores.hint
    bad = ex.check_resources_by_hand({"replicas": 3, "cpu": "lots", "memory": "384Mi"})
    assert not bad.passed and "not a quantity" in bad.message


def test_marathon_max_per_two_places_two_per_rack() -> None:
    assert ex.marathon_racks() == Counter({"rack-1": 2, "rack-2": 2, "rack-3": 2})


def test_max_per_without_a_rule_fills_the_big_rack() -> None:
    feedback = ex.check_max_per(CACHE.format(rule=""))
    assert not feedback.passed and "four of them" in feedback.hint


def test_max_per_anti_affinity_is_max_per_one() -> None:
    feedback = ex.check_max_per(CACHE.format(rule=ANTI))
    assert not feedback.passed and "MAX_PER 1" in feedback.hint


def test_max_per_schedule_anyway_is_only_a_preference() -> None:
    feedback = ex.check_max_per(CACHE.format(rule=SPREAD.format(when="ScheduleAnyway")))
    assert not feedback.passed and "DoNotSchedule" in feedback.hint


def test_max_per_spread_passes() -> None:
    assert ex.check_max_per(CACHE.format(rule=SPREAD.format(when="DoNotSchedule"))).passed


@pytest.mark.parametrize("rule", [SPREAD.format(when="DoNotSchedule"),
                                  SPREAD.format(when="ScheduleAnyway"), ANTI])
def test_a_rule_over_a_label_the_nodes_lack_names_that_label(rule) -> None:
    """The rack machines carry only rack (and kubernetes.io/hostname): a rule over the zone
    label must say so, not blame anti-affinity or a missing rule."""
    zone = rule.replace("topologyKey: rack", "topologyKey: topology.kubernetes.io/zone")
    feedback = ex.check_max_per(CACHE.format(rule=zone))
    assert not feedback.passed and "'topology.kubernetes.io/zone'" in feedback.hint
    assert "MAX_PER 1" not in feedback.hint and "Without a rule" not in feedback.hint


@pytest.mark.parametrize("rule", [
    "      nodeSelector: {rack: rack-2}",
    "      affinity:\n        nodeAffinity:\n"
    "          requiredDuringSchedulingIgnoredDuringExecution:\n"
    "            nodeSelectorTerms:\n            - matchExpressions:\n"
    "              - {key: rack, operator: In, values: [rack-1, rack-2, rack-3]}",
])
def test_a_node_selection_by_rack_is_told_it_counts_no_pods(rule) -> None:
    """A nodeSelector or node affinity over rack is a rule over the rack label, but a filter:
    the hint said "Without a rule over the rack label ..."."""
    feedback = ex.check_max_per(CACHE.format(rule=rule))
    assert not feedback.passed and "Marathon placed two in each rack" in feedback.message
    assert "does not count them" in feedback.hint
    assert "Without a rule" not in feedback.hint


@pytest.mark.parametrize(("version", "named", "other"), [
    ("extensions/v1beta1", "in extensions/v1beta1", "networking.k8s.io/v1beta1"),
    ("networking.k8s.io/v1beta1", "in networking.k8s.io/v1beta1", "extensions/v1beta1"),
])
def test_ingress_hint_names_the_removed_version_used(version, named, other) -> None:
    old = INGRESS.replace("networking.k8s.io/v1", version).format(
        path_type="", backend="{serviceName: web, servicePort: 80}")
    feedback = ex.check_current_ingress(old)
    assert not feedback.passed
    assert named in feedback.hint and other in feedback.hint and "1.22" in feedback.hint


def test_ingress_hint_for_a_version_that_never_was() -> None:
    made_up = INGRESS.replace("networking.k8s.io/v1", "networking.k8s.io/v2").format(
        path_type="        pathType: Prefix", backend=V1_BACKEND)
    feedback = ex.check_current_ingress(made_up)
    assert not feedback.passed and "'networking.k8s.io/v2'" in feedback.hint
    assert "1.22" not in feedback.hint


def test_ingress_old_backend_fields() -> None:
    feedback = ex.check_current_ingress(INGRESS.format(
        path_type="        pathType: Prefix", backend="{serviceName: web, servicePort: 80}"))
    assert not feedback.passed and "service: {name: web" in feedback.hint


@pytest.mark.parametrize("port", ["80", "'80'"])
def test_ingress_bare_port_number_is_told_the_port_object(port) -> None:
    """servicePort: 80 rewritten as port: 80 got only "read the field path" for the schema's
    "80 is not of type 'object'"."""
    feedback = ex.check_current_ingress(INGRESS.format(
        path_type="        pathType: Prefix", backend=f"{{service: {{name: web, port: {port}}}}}"))
    assert not feedback.passed and "port: {number: 80}, not port: 80" in feedback.hint


def test_ingress_missing_path_type() -> None:
    feedback = ex.check_current_ingress(INGRESS.format(path_type="", backend=V1_BACKEND))
    assert not feedback.passed and "pathType" in feedback.hint


def test_ingress_path_type_in_lower_case_is_refused_as_the_api_server_refuses_it() -> None:
    """The schema has pathType as a string and accepted ``prefix``; the API server's
    validateHTTPIngressPath refuses every value but its three, so the check does too."""
    feedback = ex.check_current_ingress(INGRESS.format(path_type="        pathType: prefix",
                                                       backend=V1_BACKEND))
    assert not feedback.passed
    assert 'Unsupported value: "prefix": supported values: "Exact"' in feedback.message
    assert "capital letter" in feedback.hint


def test_ingress_right_and_rerouted() -> None:
    right = INGRESS.format(path_type="        pathType: Prefix", backend=V1_BACKEND)
    assert ex.check_current_ingress(right).passed
    moved = ex.check_current_ingress(right.replace("name: web", "name: api"))
    assert not moved.passed and "route changed" in moved.message


def test_ingress_exact_path_type_no_longer_routes_the_pages_under_it() -> None:
    exact = ex.check_current_ingress(INGRESS.format(path_type="        pathType: Exact",
                                                    backend=V1_BACKEND))
    assert not exact.passed and "/cart" in exact.message and "Prefix" in exact.hint


def test_ingress_implementation_specific_passes_and_says_what_it_leaves_open() -> None:
    """ImplementationSpecific is the type v1beta1 gave a path without one, so the old routing
    is kept and the answer passes; but its matching is the IngressClass's controller's, which
    the plain "Right: ... still sends / to web" hid: the learner is told, and told of Prefix."""
    kept = ex.check_current_ingress(INGRESS.format(
        path_type="        pathType: ImplementationSpecific", backend=V1_BACKEND))
    assert kept.passed
    assert "IngressClass" in kept.message and "pathType: Prefix" in kept.message
    prefix = ex.check_current_ingress(INGRESS.format(path_type="        pathType: Prefix",
                                                     backend=V1_BACKEND))
    assert prefix.passed and "IngressClass" not in prefix.message


def _stack(deploy: str) -> str:
    return f"services:\n  web:\n    image: nginx:1.27\n    deploy: {deploy}\n"


def test_stack_schema() -> None:
    typo = ex.check_stack_schema(_stack("{replica: 3}"))
    assert not typo.passed and "replicas" in typo.hint
    assert ex.check_stack_schema(_stack("{replicas: 3}")).passed
    too_big = ex.check_stack_schema(_stack("{replicas: 3, resources: {reservations: "
                                           "{cpus: '4'}}}"))
    assert not too_big.passed and "0 web task" in too_big.message
    one = ex.check_stack_schema(_stack("{replicas: 1}"))
    assert not one.passed and "1 web task" in one.message


@pytest.mark.parametrize(("stack", "words"), [
    # the Compose specification's scale, which docker/cli's version 3 schema lacks (this was
    # told to drop quotes)
    ("services:\n  web:\n    image: nginx:1.27\n    scale: 3\n", "deploy.replicas: 3"),
    ("services:\n  web:\n    image: nginx:1.27\n    pull_policy: always\n", "3.x form"),
    (_stack("{replicas: '3'}"), "without quotes"),
    # docker/cli's config_schema_v3.*.json types cpus and memory as strings: a number was told
    # to "write a number without quotes", which it was
    (_stack("{replicas: 3, resources: {reservations: {cpus: 0.25, memory: 64M}}}"),
     'in quotes, e.g. cpus: "0.25"'),
    ("services:\n  web:\n    image: nginx:1.27\n    deploy: {replicas: 3}\n"
     "    depends_on: {db: {condition: service_healthy}}\n  db: {image: postgres:17}\n",
     "as a list"),
])
def test_what_stack_deploy_refuses_gets_the_hint_for_its_refusal(stack, words) -> None:
    feedback = ex.check_stack_schema(stack)
    assert not feedback.passed and "docker stack deploy" in feedback.message
    assert words in feedback.hint


@pytest.mark.parametrize("deploy", ["{mode: global}", "{mode: global, replicas: 3}"])
def test_stack_schema_refuses_a_global_service(deploy) -> None:
    """Three global tasks on the three-node test swarm are not three replicas."""
    feedback = ex.check_stack_schema(_stack(deploy))
    assert not feedback.passed
    assert "no replicas" in feedback.message and "replicas: 3" in feedback.hint


@pytest.mark.parametrize("check", [ex.check_resources_by_hand, ex.check_max_per,
                                   ex.check_current_ingress, ex.check_stack_schema,
                                   ex.check_update_config])
@pytest.mark.parametrize("garbage", [None, 3, "nonsense: [", "a: 1\n---\nb: 2", {"x": 1},
                                     [None]])
def test_garbage_never_raises(check, garbage) -> None:
    feedback = check(garbage)
    assert not feedback.passed and feedback.hint


def test_update_config_by_hand() -> None:
    right = {"maxSurge": 2, "maxUnavailable": 0, "minReadySeconds": 10,
             "rolls_back_by_itself": False}
    assert ex.check_update_config(right).passed
    stop_first = ex.check_update_config(right | {"maxSurge": 0, "maxUnavailable": 2})
    assert not stop_first.passed and "stop-first" in stop_first.hint
    both = ex.check_update_config(right | {"maxUnavailable": 2})
    assert not both.passed and "the other is 0" in both.hint
    no_delay = ex.check_update_config(right | {"minReadySeconds": 0})
    assert not no_delay.passed and "minReadySeconds" in no_delay.hint
    rollback = ex.check_update_config(right | {"rolls_back_by_itself": True})
    assert not rollback.passed and "rollout undo" in rollback.hint


@pytest.mark.parametrize("told", ["False", None])
def test_rolls_back_as_text_or_none_is_not_told_it_is_wrong(told) -> None:
    """The text 'False' (right, but quoted) and None (not answered) used to get 'A Deployment
    does not roll back by itself', as if the learner had answered True."""
    right = {"maxSurge": 2, "maxUnavailable": 0, "minReadySeconds": 10}
    feedback = ex.check_update_config(right | {"rolls_back_by_itself": told})
    assert not feedback.passed and "is not True or False" in feedback.message


def test_update_config_accepts_percentages_of_the_four_replicas() -> None:
    """maxSurge "50%" of 4 replicas is 2 (rounded up), as the Deployment controller resolves it
    (kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go)."""
    right = {"maxSurge": "50%", "maxUnavailable": "0%", "minReadySeconds": 10,
             "rolls_back_by_itself": False}
    assert ex.check_update_config(right).passed
    assert ex.check_update_config(right | {"maxSurge": "26%"}).passed      # 1.04 rounds up
    stop_first = ex.check_update_config(right | {"maxSurge": 0, "maxUnavailable": "50%"})
    assert not stop_first.passed and "stop-first" in stop_first.hint
    garbage = ex.check_update_config(right | {"maxSurge": "half"})
    assert not garbage.passed and "percentage" in garbage.message


@pytest.mark.parametrize(("deploy", "version", "words"), [
    ("{replicas: '3'}", "", "services.web.deploy.replicas: must be a integer"),
    ("{replicas: 3}", 'version: "2"\n', "unsupported Compose file version: 2"),
])
def test_stack_schema_says_what_docker_stack_deploy_refuses(deploy, version, words) -> None:
    """The Compose specification's schema takes a quoted replicas (for a ${VARIABLE}) and has
    no version 2; docker/cli's v3 schemas refuse both. The check had answered "The schema
    accepts it, the simulator does not: ... '3' is not valid" and passed version "2"."""
    feedback = ex.check_stack_schema(version + _stack(deploy))
    assert not feedback.passed and words in feedback.message
    assert "docker stack deploy" in feedback.message


@pytest.mark.parametrize(("stack", "words"), [
    ({None: None}, "key None at the top"),
    ({"services": {"web": {"image": "nginx:1.27", "deploy": {3: 1}}}},
     "key 3 under services.web.deploy"),
    ("services:\n  web:\n    image: nginx:1.27\n    ports: [{1: 2}]\n",
     "key 1 under services.web.ports[0]"),
])
def test_stack_schema_names_a_key_that_is_not_a_string(stack, words) -> None:
    feedback = ex.check_stack_schema(stack)
    assert not feedback.passed and words in feedback.message and "quote" in feedback.hint
    assert "could not be read" not in feedback.message


def test_wrong_replicas_is_said_plainly() -> None:
    """'replicas is not 1.' read as if 1 were the right value."""
    feedback = ex.check_resources_by_hand({"replicas": 1, "cpu": "250m", "memory": "384Mi"})
    assert not feedback.passed and feedback.message == "replicas = 1 is not what /shop/api runs."


def test_a_spread_that_counts_other_pods_is_named() -> None:
    """A spread whose labelSelector selects none of the Pods had the hint 'Spread over the
    rack label with maxSkew: 1 and DoNotSchedule', which the answer already did."""
    spread = SPREAD.format(when="DoNotSchedule")
    assert "{app: cache}" in spread
    feedback = ex.check_max_per(CACHE.format(rule=spread.replace("{app: cache}", "{app: db}")))
    assert not feedback.passed and "labelSelector selects" in feedback.hint


def test_a_named_backend_port_is_not_called_a_lost_route() -> None:
    """port: {name: http} validated and was answered 'It validates, but the route is gone.'"""
    ingress = INGRESS.format(path_type="        pathType: Prefix",
                             backend="{service: {name: web, port: {name: http}}}")
    feedback = ex.check_current_ingress(ingress)
    assert not feedback.passed and "names the Service's port 'http'" in feedback.message
    assert ex.check_current_ingress(ingress.replace("{name: http}", "{number: 80}")).passed


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


@pytest.mark.parametrize("check", [ex.check_stack_schema, ex.check_current_ingress])
def test_an_alias_bomb_is_refused_in_bounded_time(check) -> None:
    """The checks read YAML with plain yaml.safe_load_all and walked 9**9 values: minutes."""
    started = time.monotonic()
    feedback = check(BOMB)
    assert not feedback.passed and "alias bomb" in feedback.message
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("memory", "taught"), [("384MB", "Kubernetes has no MB"),
                                                ("384mi", "end in a small i")])
def test_a_memory_that_is_no_quantity_is_not_offered_the_cpu_suffix(memory, taught) -> None:
    """'384MB' was told "Use a number with a suffix such as m, Mi or Gi": m on a memory is
    thousandths of a byte."""
    feedback = ex.check_resources_by_hand({"replicas": 3, "cpu": "250m", "memory": memory})
    assert not feedback.passed and "is not a quantity" in feedback.message
    assert taught in feedback.hint and "such as m," not in feedback.hint


def test_marathons_keys_in_the_answer_are_told_the_kubernetes_names() -> None:
    """{"instances": 3, ...} was told only to keep the starter's keys."""
    feedback = ex.check_resources_by_hand({"instances": 3, "cpu": "250m", "memory": "384Mi"})
    assert not feedback.passed and "There is no key 'instances'" in feedback.message
    assert "Marathon app's word" in feedback.hint and "replicas" in feedback.hint


STACK_FIXED = """
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    deploy:
      replicas: 3
      resources:
        reservations: {cpus: "0.25", memory: 64M}
"""


@pytest.mark.parametrize(("stack", "taught"), [
    # each was told only to read the field path
    (STACK_FIXED.replace("replicas: 3", "instances: 3"), "Marathon app's word"),
    (STACK_FIXED.replace("    deploy:\n      replicas: 3\n", "    replicas: 3\n    deploy:\n"),
     "belongs to the deploy: section"),
    # was told "Give a version 3.x, or none"
    (STACK_FIXED.replace('"0.25"', "250m"), "Kubernetes' thousandths of a core"),
])
def test_a_stack_with_another_orchestrators_words_is_told_the_compose_form(stack, taught):
    assert ex.check_stack_schema(STACK_FIXED).passed
    feedback = ex.check_stack_schema(stack)
    assert not feedback.passed and taught in feedback.hint
