"""Checks of the self-healing exercises: the solutions pass, typical wrong answers get the
intended hints, and nothing a learner types gives a traceback."""

import pytest

from clustersim.exercises.healing import check_failover_times, check_zone_survival, failover_times

BASE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests: {{cpu: {cpu}, memory: 512Mi}}
"""
TOLERATE = """      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute,
         tolerationSeconds: 30}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute,
         tolerationSeconds: 30}
"""
SPREAD = """      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: {when}
        labelSelector:
          matchLabels: {{app: web}}
"""


def deployment(replicas=6, cpu="500m", tolerate=False, spread=None):
    text = BASE.format(replicas=replicas, cpu=cpu)
    if tolerate:
        text += TOLERATE
    if spread:
        text += SPREAD.format(when=spread)
    return text


@pytest.mark.parametrize("answer", [
    deployment(tolerate=True, spread="ScheduleAnyway"),
    deployment(replicas=9),                       # three spare pods instead of short tolerations
])
def test_solutions_pass(answer):
    assert check_zone_survival(answer)


@pytest.mark.parametrize("answer, hint", [
    (deployment(replicas=3), "at least 6 replicas"),
    (deployment(), "tolerationSeconds"),
    (deployment(tolerate=True, spread="DoNotSchedule"), "ScheduleAnyway"),
    (deployment(cpu="3", tolerate=True), "less CPU and memory"),
    (deployment(replicas=12), "budget"),
    (deployment(replicas=4, tolerate=True), "at least 6 replicas"),
    ("kind: [broken", "field path"),
    ("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
     "  ports: [{port: 80}]\n", "one Deployment"),
    (42, "YAML text"),
])
def test_typical_wrong_answers_get_their_hint(answer, hint):
    feedback = check_zone_survival(answer)
    assert not feedback
    assert hint in str(feedback)


def test_failover_times_come_from_the_simulator():
    truth = failover_times()
    assert truth["kubernetes"] == pytest.approx(50 + 120 + 1, abs=0.5)
    assert 75 + 60 <= truth["marathon"] <= 75 + 60 + 2
    assert check_failover_times({"kubernetes": 171, "marathon": 136})


@pytest.mark.parametrize("answer, hint", [
    ({"kubernetes": 121, "marathon": 136}, "--node-monitor-grace-period"),
    ({"kubernetes": 351, "marathon": 136}, "not the default 300 s"),
    ({"kubernetes": 176, "marathon": 136}, "does not pull it again"),
    ({"kubernetes": 171, "marathon": 61}, "mark the agent unreachable"),
    ({"kubernetes": 171, "marathon": 76}, "inactiveAfterSeconds"),
    ({"kubernetes": 271, "marathon": 136}, "count from the failure at t = 100 s"),
    ({"kubernetes": 171, "marathon": 236}, "count from the failure at t = 100 s"),
    ({"kubernetes": 2.85, "marathon": 136}, "seconds, not minutes"),
    ({"kubernetes": 171, "marathon": 2.3}, "seconds, not minutes"),
    ({"kubernetes": 171000, "marathon": 136}, "seconds, not milliseconds"),
    ({"kubernetes": 171, "marathon": 136000}, "seconds, not milliseconds"),
    ({"kubernetes": None, "marathon": None}, "Replace None"),
    ({"kubernetes": "171", "marathon": 136}, "Drop the quotes"),
    ({"k8s": 171}, "There is no system 'k8s'"),
])
def test_failover_hints(answer, hint):
    feedback = check_failover_times(answer)
    assert not feedback and hint in str(feedback)


def test_the_failover_fallback_hint_does_not_ask_for_a_pull():
    """The fallback said to add "the time to pull and start", while the surviving nodes
    already have the image (the checker's own success message says so)."""
    feedback = check_failover_times({"kubernetes": 200, "marathon": 136})
    assert not feedback and "pull" not in feedback.hint
    assert "second the container takes to start" in feedback.hint


def test_pods_pending_before_the_failure_are_not_told_to_add_replicas() -> None:
    """Six replicas with a required zone anti-affinity place three: the hint said 'Run at
    least 6 replicas', which the answer already did."""
    from clustersim.exercises.healing import check_zone_survival

    manifest = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: nginx:1.27, resources: {requests: {cpu: 500m, memory: 512Mi}}}
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: web}}
            topologyKey: topology.kubernetes.io/zone
"""
    feedback = check_zone_survival(manifest)
    assert not feedback and "3 stay Pending" in feedback.message
    assert "Run at least" not in feedback.hint and "anti-affinity" in feedback.hint


@pytest.mark.parametrize(("answer", "reason", "hint", "not_said"), [
    (deployment(cpu="500", tolerate=True, spread="ScheduleAnyway"), "Insufficient cpu",
     "request less CPU or memory", "anti-affinity"),
    (deployment(tolerate=True, spread="ScheduleAnyway").replace(
        "      containers:", "      nodeSelector: {disk: ssd}\n      containers:"),
     "didn't match Pod's node affinity/selector", "nodeSelector", "anti-affinity"),
])
def test_pods_pending_from_the_start_get_the_hint_of_their_reason(answer, reason, hint,
                                                                   not_said) -> None:
    """cpu: 500 (cores) left six pods Pending with 'Insufficient cpu' and a hint about a
    required rule allowing one pod per zone: the hint follows the FailedScheduling reason."""
    feedback = check_zone_survival(answer)
    assert not feedback and "6 stay Pending" in feedback.message and reason in feedback.message
    assert hint in feedback.hint and not_said not in feedback.hint


def test_tolerations_without_their_effect_are_refused_as_the_api_server_refuses_them():
    """``tolerationSeconds`` without ``effect: NoExecute`` passed the check, as the loader,
    apply and the served API accepted it; ``ValidateTolerations`` refuses it."""
    answer = deployment(tolerate=True, spread="ScheduleAnyway").replace(
        "effect: NoExecute,\n         ", "")
    feedback = check_zone_survival(answer)
    assert not feedback and "tolerations[0].effect" in feedback.message
    assert "effect must be 'NoExecute' when `tolerationSeconds` is set" in feedback.message


@pytest.mark.parametrize("answer", [deployment(tolerate=True, spread="DoNotSchedule"),
                                    deployment(cpu="3", tolerate=True)])
def test_pods_that_never_serve_again_are_told_so_in_a_sentence(answer):
    """The feedback had read '6 pods served again never.'"""
    feedback = str(check_zone_survival(answer))
    assert "6 pods never served again" in feedback
    assert "again never" not in feedback
