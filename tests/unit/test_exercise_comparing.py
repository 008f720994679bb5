"""Typical wrong answers to the comparing chapters' exercises get the intended hints; right
answers pass; nothing a learner types gives a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clustersim.exercises import comparing as ex
from clustersim.features import load_features
from clustersim.swarm.raft import fault_tolerance

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {labels}}}
    spec:
      containers: [{{name: api, image: shop/api:1.0,
                    resources: {{requests: {{cpu: 100m, memory: 64Mi}}}}}}]
---
apiVersion: v1
kind: Service
metadata: {{name: api}}
spec:
  selector: {selector}
  ports: [{{port: 80}}]
"""

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
{affinity}
      containers: [{{name: web, image: nginx, resources: {{requests: {{cpu: 250m}}}}}}]
"""
HARD = """      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}"""
SOFT = """      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm: {labelSelector: {matchLabels: {app: web}},
                              topologyKey: kubernetes.io/hostname}"""
SPREAD_SOFT = """      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway,
         labelSelector: {matchLabels: {app: web}}}"""


def test_labels_selector_mismatch_is_explained() -> None:
    feedback = ex.check_matching_labels(DEPLOYMENT.format(labels="{app: other}",
                                                          selector="{app: api}"))
    assert not feedback.passed and "matchLabels" in feedback.hint


def test_labels_service_selector_picking_nothing() -> None:
    feedback = ex.check_matching_labels(DEPLOYMENT.format(labels="{app: api}",
                                                          selector="{tier: web}"))
    assert not feedback.passed and "picks 0 Pod" in feedback.message


def test_labels_service_selector_written_as_a_deployments_is_told_its_shape() -> None:
    """A Service selector with matchLabels, a Deployment's shape, got "Read the field path in
    the message" under the decoder's "of type string (... quote values ...)", which points at
    quoting; the Kubernetes chapter's exercise alone had the hint."""
    feedback = ex.check_matching_labels(DEPLOYMENT.format(labels="{app: api}",
                                                          selector="{matchLabels: {app: api}}"))
    assert not feedback.passed and "It does not load" in feedback.message
    assert "plain map of labels" in feedback.hint


def test_labels_right_answer_passes() -> None:
    assert ex.check_matching_labels(DEPLOYMENT.format(labels="{app: api, tier: b}",
                                                      selector="{app: api}")).passed


@pytest.mark.parametrize("choice, word", [("a", "ignores"), ("b", "docker compose"),
                                          ("d", "no deployment order")])
def test_depends_on_wrong_choices_have_their_own_hint(choice: str, word: str) -> None:
    feedback = ex.check_depends_on(choice)
    assert not feedback.passed and word in feedback.hint
    assert ex.check_depends_on(" C ").passed


def test_fault_tolerance_even_count_hint() -> None:
    answer = {n: fault_tolerance(n) for n in ex.MANAGER_COUNTS} | {4: 2}
    feedback = ex.check_fault_tolerance(answer)
    assert not feedback.passed and "quorum of 4 is 3" in feedback.hint


def test_fault_tolerance_fraction_is_told_to_round_down() -> None:
    """The chapter's (N - 1) / 2 gives 1.5 for 4 managers; the check answered "Write a number
    such as 3", which says nothing of what to do with 1.5."""
    answer = {n: (n - 1) / 2 for n in ex.MANAGER_COUNTS}
    feedback = ex.check_fault_tolerance(answer)
    assert not feedback.passed and "1.5 failures for 4 managers" in feedback.message
    assert "whole number" in feedback.message and "Round down" in feedback.hint
    assert "such as 3" not in feedback.hint
    assert ex.check_fault_tolerance({n: (n - 1) // 2 for n in ex.MANAGER_COUNTS}).passed


def test_fault_tolerance_quorum_instead_of_failures() -> None:
    feedback = ex.check_fault_tolerance({1: 1, 3: 2, 4: 3, 5: 3, 7: 4})
    assert not feedback.passed and "majority" in feedback.hint
    assert ex.check_fault_tolerance({1: 0, 3: 1, 4: 1, 5: 2, 7: 3}).passed


def test_soft_spread_hard_rule_leaves_a_pod_pending() -> None:
    feedback = ex.check_soft_spread(WEB.format(affinity=HARD))
    assert not feedback.passed and "Pending" in feedback.message
    assert "preferred" in feedback.hint


@pytest.mark.parametrize("affinity", [SOFT, SPREAD_SOFT])
def test_soft_spread_soft_rules_pass(affinity: str) -> None:
    assert ex.check_soft_spread(WEB.format(affinity=affinity)).passed


@pytest.mark.parametrize("affinity", [SOFT, SPREAD_SOFT])
@pytest.mark.parametrize("key", ["topology.kubernetes.io/zone", "kubernetes.io/os"])
def test_soft_spread_over_a_key_that_does_not_tell_the_nodes_apart_is_refused(affinity, key):
    """The two nodes carry no zone label and share kubernetes.io/os=linux: a soft rule over
    either scores both nodes alike (InterPodAffinity counts only nodes with the key,
    PodTopologySpread ignores nodes without it), so only default spreading spread the Pods;
    the check passed it."""
    feedback = ex.check_soft_spread(WEB.format(
        affinity=affinity.replace("kubernetes.io/hostname", key)))
    assert not feedback.passed and f"{key!r} does not tell these two nodes apart" in (
        feedback.message)
    assert "kubernetes.io/hostname" in feedback.hint


def test_soft_spread_term_without_pod_affinity_term_is_told_where_its_fields_go() -> None:
    """labelSelector and topologyKey beside weight: a real API server names them as unknown
    fields; the hint says they belong in podAffinityTerm (it said to read the field path)."""
    flat = SOFT.replace("podAffinityTerm: {labelSelector: {matchLabels: {app: web}},\n"
                        "                              topologyKey",
                        "labelSelector: {matchLabels: {app: web}}\n            topologyKey")
    assert flat != SOFT
    feedback = ex.check_soft_spread(WEB.format(affinity=flat))
    assert not feedback.passed and "go inside podAffinityTerm" in feedback.hint


def test_soft_spread_refuses_do_not_schedule_although_nothing_is_pending() -> None:
    # maxSkew 1 places 3 Pods on 2 nodes as 2 + 1, so nothing stays Pending; the rule is
    # still hard (the PodTopologySpread filter), which the chapter teaches.
    hard = SPREAD_SOFT.replace("ScheduleAnyway", "DoNotSchedule")
    feedback = ex.check_soft_spread(WEB.format(affinity=hard))
    assert not feedback.passed and "DoNotSchedule is a hard rule" in feedback.message
    assert "ScheduleAnyway" in feedback.hint


def test_storage_emptydir_as_pinned_gets_its_hint() -> None:
    answer = dict(ex._STORAGE_KINDS) | {"Kubernetes emptyDir": "pinned"}
    feedback = ex.check_storage_kinds(answer)
    assert not feedback.passed and "deleted with it" in feedback.hint
    assert ex.check_storage_kinds(dict(ex._STORAGE_KINDS)).passed


def test_labels_spelt_with_spaces_hyphens_or_underscores_are_read() -> None:
    """A learner's "left-behind", "daemon set" or "cron_job" is the label, not "no valid
    label"; a right word with a wrong meaning is still wrong, with its hint."""
    storage = dict(ex._STORAGE_KINDS) | {"Kubernetes emptyDir": "left-behind",
                                         "Marathon sandbox": "Left_Behind"}
    assert ex.check_storage_kinds(storage).passed
    workloads = dict(ex._WORKLOADS) | {"a log collector on every node": "daemon set",
                                       "a nightly sales report at 02:00": "cron_job"}
    assert ex.check_workload_kinds(workloads).passed
    wrong = ex.check_workload_kinds(workloads | {"a one-off database migration before a "
                                                 "release": "cron job"})
    assert not wrong.passed and "is not 'CronJob'" in wrong.message


def test_network_overlay_myth_and_booleans() -> None:
    answer = {k: v == "true" for k, v in ex._NETWORK_STATEMENTS.items()}
    assert ex.check_network_statements(answer).passed
    answer["Kubernetes requires an overlay network."] = True
    feedback = ex.check_network_statements(answer)
    assert not feedback.passed and "flat Pod network" in feedback.hint


def test_tested_limits_missing_and_extra() -> None:
    missing = ex.check_tested_limits(["total_pods"])
    assert not missing.passed and "containers per Pod" in missing.hint
    assert "as you did for 'total_pods'" in missing.hint
    extra = ex.check_tested_limits(["total_pods", "total_containers", "nodes"])
    assert not extra.passed and "5,000" in extra.hint
    assert ex.check_tested_limits(("total_containers", "total_pods")).passed
    assert missing.message == "Your list leaves out 1 threshold that the plan exceeds."


@pytest.mark.parametrize("answer", [[], ["nodes"], ["total_pods"], ["total_containers"]])
def test_tested_limits_hints_leave_the_multiplication_to_the_learner(answer) -> None:
    """The hint did the task's arithmetic ("total_containers is 480,000 against a threshold
    of 300,000") and the message named the limit left out, on the first wrong try."""
    feedback = ex.check_tested_limits(answer)
    assert not feedback.passed
    assert not re.search(r"240,?000|480,?000", feedback.message + feedback.hint)
    assert "'total" not in feedback.message
    if not set(answer) & {"total_pods", "total_containers"}:
        assert "leaves out 2 thresholds" in feedback.message
        assert "nodes × Pods per node" in feedback.hint and "containers per Pod" in feedback.hint


def test_workload_kinds_daemonset_confusion() -> None:
    answer = dict(ex._WORKLOADS) | {"a log collector on every node": "Deployment"}
    feedback = ex.check_workload_kinds(answer)
    assert not feedback.passed and "number follows the nodes" in feedback.hint
    unlabelled = ex.check_workload_kinds(dict.fromkeys(ex._WORKLOADS))
    assert unlabelled.hint == ("Use one of 'Deployment', 'DaemonSet', 'CronJob', 'Job', "
                               "'StatefulSet'.")
    assert ex.check_workload_kinds({k: v.lower() for k, v in ex._WORKLOADS.items()}).passed


@pytest.mark.parametrize("workload", list(ex._WORKLOADS))
@pytest.mark.parametrize("kind", ["Deployment", "DaemonSet", "CronJob", "Job", "StatefulSet"])
def test_a_workload_hint_does_not_name_the_right_kind(workload: str, kind: str) -> None:
    """A wrong kind was told the right one ("One copy per node is a DaemonSet"): with five
    kinds, that is the answer, not a hint."""
    right = ex._WORKLOADS[workload]
    if kind == right:
        return
    feedback = ex.check_workload_kinds(dict(ex._WORKLOADS) | {workload: kind})
    assert not feedback.passed
    assert not re.search(rf"\b{right}\b", feedback.hint, re.IGNORECASE), feedback.hint


def test_differing_features_follow_the_matrix() -> None:
    jobs = load_features().categories["orchestrator_jobs"].features
    truth = [j for j, f in jobs.items() if f.differs(["swarm", "kubernetes"])]
    assert ex.check_differing_features(truth).passed
    extra = len(jobs) - len(truth)
    assert ex.check_differing_features(list(jobs)).message == (
        f"{extra} features on your list do not differ.")
    assert ex.check_differing_features(truth[:-1]).message == (
        "1 feature where they differ is missing.")
    same = next(j for j in jobs if j not in truth)
    assert ex.check_differing_features([same]).message == (
        f"1 feature on your list does not differ; {len(truth)} features where they differ are "
        "missing.")
    assert "not a feature id" in ex.check_differing_features(["storage"]).message.casefold()
    assert ex.check_differing_features([f" {job.upper()}" for job in truth]).passed
    assert "in quotes" in ex.check_differing_features([*truth, 3]).hint


def test_design_or_status() -> None:
    answer = dict(ex._DESIGN_OR_STATUS) | {"the latest release": "design"}
    feedback = ex.check_design_or_status(answer)
    assert not feedback.passed and "date" in feedback.hint


def test_claim_verdicts_come_from_the_matrix() -> None:
    cells = [load_features().categories[c].features[f].cells[s] for c, f, s in ex.CLAIMS]
    right = {i: c.claim_2019.verdict for i, c in enumerate(cells, start=1)}
    assert ex.check_claim_verdicts(right).passed
    flipped = dict(right) | {1: "outdated" if right[1] != "outdated" else "wrong"}
    feedback = ex.check_claim_verdicts(flipped)
    assert not feedback.passed and cells[0].value in feedback.hint
    # the hint questions the learner's verdict; it does not state the right one
    assert f"{flipped[1].capitalize()} means" in feedback.hint
    assert f"{right[1].capitalize()} means" not in feedback.hint
    assert ex.claim_text(1) == cells[0].claim_2019.claim


def test_claim_verdict_in_capitals_keeps_its_question() -> None:
    """" OUTDATED" is read as the label outdated; its hint must still question that verdict,
    as it does for "outdated" (it looked the hint up by the raw text and lost it)."""
    cells = [load_features().categories[c].features[f].cells[s] for c, f, s in ex.CLAIMS]
    right = {i: c.claim_2019.verdict for i, c in enumerate(cells, start=1)}
    wrong = "outdated" if right[1] != "outdated" else "wrong"
    spelt = {"outdated": " OUTDATED", "wrong": "WRONG "}[wrong]
    feedback = ex.check_claim_verdicts(dict(right) | {1: spelt})
    assert not feedback.passed and f"{wrong.capitalize()} means" in feedback.hint


def test_claim_verdict_with_a_hyphen_inside_its_word_is_asked_about() -> None:
    """"Out-dated" splits the one word of outdated: it is no label, and the hint names the
    label it nearly is (it was read as outdated, as "pin_ned" was read as pinned)."""
    cells = [load_features().categories[c].features[f].cells[s] for c, f, s in ex.CLAIMS]
    right = {i: c.claim_2019.verdict for i, c in enumerate(cells, start=1)}
    feedback = ex.check_claim_verdicts(dict(right) | {1: "Out-dated"})
    assert "no valid label" in feedback.message
    assert feedback.hint.startswith("Did you mean 'outdated'?")


def test_layers_groups_credited_to_mesos() -> None:
    answer = dict(ex._LAYERS) | {"application groups with dependencies": "mesos"}
    feedback = ex.check_layers(answer)
    assert not feedback.passed and "Marathon" in feedback.hint


@pytest.mark.parametrize("check", [
    ex.check_matching_labels, ex.check_depends_on, ex.check_fault_tolerance,
    ex.check_soft_spread, ex.check_storage_kinds, ex.check_network_statements,
    ex.check_tested_limits, ex.check_workload_kinds, ex.check_differing_features,
    ex.check_design_or_status, ex.check_claim_verdicts, ex.check_layers,
    ex.check_published_port, ex.check_pinned_volume])
@pytest.mark.parametrize("garbage", [None, 3, "nonsense: [", {"x": 1}, [None], b"\x00"])
def test_garbage_never_raises(check, garbage) -> None:
    feedback = check(garbage)
    assert not feedback.passed and feedback.hint


def _stack(ports: str, replicas: int = 1) -> str:
    return (f"services:\n  web:\n    image: nginx:1.27\n    ports: {ports}\n"
            f"    deploy: {{replicas: {replicas}}}\n")


def test_published_port_host_mode_answers_on_one_node_only() -> None:
    feedback = ex.check_published_port(_stack("[{target: 80, published: 8080, mode: host}]"))
    assert not feedback.passed and "routing mesh" in feedback.hint
    assert "connection refused" in feedback.message


def test_published_port_mesh_passes_and_more_replicas_do_not_count() -> None:
    assert ex.check_published_port(_stack('["8080:80"]')).passed
    three = ex.check_published_port(_stack('["8080:80"]', replicas=3))
    assert not three.passed and "one replica" in three.message
    wrong_port = ex.check_published_port(_stack('["9090:80"]'))
    assert not wrong_port.passed and "publish target 80" in wrong_port.hint


def _db(placement: str = "") -> str:
    return ("services:\n  db:\n    image: postgres:17\n"
            "    volumes: [db-data:/var/lib/postgresql/data]\n"
            f"    deploy:\n      replicas: 1\n{placement}volumes:\n  db-data: {{}}\n")


@pytest.mark.parametrize("value", ['"db"', "'db'"])
def test_a_quoted_constraint_value_is_told_to_drop_the_quotes(value) -> None:
    """node.labels.storage == "db" was told "A constraint reads ... == <value> (with ==)",
    though it has ==: swarmkit refuses the quote marks in the value."""
    constraint = f"node.labels.storage == {value}"
    quoted = constraint.replace('"', '\\"') if value.startswith('"') else constraint
    feedback = ex.check_pinned_volume(_db(f'      placement:\n        constraints: ["{quoted}"]\n'))
    assert not feedback.passed and "is invalid" in feedback.message
    assert "without quote marks" in feedback.hint


def test_pinned_volume_without_a_constraint_lands_elsewhere() -> None:
    feedback = ex.check_pinned_volume(_db())
    assert not feedback.passed and "not on node-2" in feedback.message
    assert "empty" in feedback.hint


def test_pinned_volume_two_replicas_on_one_node_share_its_volume() -> None:
    # Both tasks on node-2 mount the one local volume db-data there: not "different data".
    label = "      placement: {constraints: [node.labels.storage == db]}\n"
    feedback = ex.check_pinned_volume(_db(label).replace("replicas: 1", "replicas: 2"))
    assert not feedback.passed and "db runs 2 tasks (2 on node-2)" in feedback.message
    assert "write one data directory" in feedback.message
    assert "different data" not in feedback.message
    assert "replicas: 1" in feedback.hint


def test_pinned_volume_replicas_on_several_nodes_hold_different_data() -> None:
    feedback = ex.check_pinned_volume(_db().replace("replicas: 1", "replicas: 2"))
    assert not feedback.passed and "db runs 2 tasks (1 on " in feedback.message
    assert "different data" in feedback.message
    assert "one data directory" not in feedback.message


def test_pinned_volume_label_or_hostname_constraint_passes() -> None:
    label = "      placement: {constraints: [node.labels.storage == db]}\n"
    hostname = "      placement: {constraints: [node.hostname == node-2]}\n"
    assert ex.check_pinned_volume(_db(label)).passed
    assert ex.check_pinned_volume(_db(hostname)).passed


def test_pinned_volume_unsatisfiable_constraint() -> None:
    wrong = "      placement: {constraints: [node.labels.storage == ssd]}\n"
    feedback = ex.check_pinned_volume(_db(wrong))
    assert not feedback.passed and "nowhere" in feedback.message
    assert "No node satisfies node.labels.storage==ssd" in feedback.hint


def test_pinned_volume_first_try_gets_the_principle_not_the_line() -> None:
    """The untouched starter was told the exact line to write,
    deploy.placement.constraints: [node.labels.storage == db]."""
    feedback = ex.check_pinned_volume(_db())
    assert "placement constraint" in feedback.hint and "label" in feedback.hint
    assert "storage" not in feedback.hint and "==" not in feedback.hint
    spread = "      placement: {preferences: [{spread: node.labels.storage}]}\n"
    assert "only spreads" in ex.check_pinned_volume(_db(spread)).hint


def test_pinned_volume_unknown_constraint_key_is_named() -> None:
    """swarmkit's Parse takes node.label.storage (the syntax is right) and NodeMatches matches
    no node for it (manager/constraint/constraint.go); the hint said only "db runs nowhere"."""
    typo = "      placement: {constraints: [node.label.storage == db]}\n"
    feedback = ex.check_pinned_volume(_db(typo))
    assert not feedback.passed and "no suitable node" in feedback.message
    assert "'node.label.storage' is not a key" in feedback.hint
    assert "node.labels.<name>" in feedback.hint


def test_pinned_volume_constraint_that_allows_other_nodes_names_them() -> None:
    negated = "      placement: {constraints: [node.labels.storage != db]}\n"
    feedback = ex.check_pinned_volume(_db(negated))
    assert not feedback.passed and "allows node-1, node-3" in feedback.hint


def test_pinned_volume_without_its_top_level_declaration_is_refused_with_a_hint_for_it() -> None:
    """``docker stack deploy`` refuses a named volume the file does not declare (docker/cli
    ``cli/compose/convert/volume.go``); the hint spoke of constraints."""
    label = "      placement: {constraints: [node.labels.storage == db]}\n"
    feedback = ex.check_pinned_volume(_db(label).split("volumes:\n  db-data")[0])
    assert not feedback.passed and 'undefined volume "db-data"' in feedback.message
    assert "top-level volumes:" in feedback.hint
    wrong = "      placement: {constraints: [node.labels.storage = db]}\n"
    assert "with ==" in ex.check_pinned_volume(_db(wrong)).hint


def test_fault_tolerance_one_manager_is_singular() -> None:
    answer = {n: fault_tolerance(n) for n in ex.MANAGER_COUNTS} | {1: 1}
    feedback = ex.check_fault_tolerance(answer)
    assert not feedback.passed and "1 manager does not survive 1 failure." in feedback.message
    feedback = ex.check_fault_tolerance(answer | {1: 0, 4: 2})
    assert "4 managers do not survive 2 failures." in feedback.message


def test_removing_the_rule_is_not_the_soft_rule() -> None:
    """Without any rule the default spreading placed the Pods on both nodes, and the check
    said 'the soft rule spreads...' of a manifest that has none."""
    from clustersim.exercises.comparing import check_soft_spread

    manifest = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources: {requests: {cpu: 250m, memory: 128Mi}}
"""
    feedback = check_soft_spread(manifest)
    assert not feedback and "no rule of yours" in feedback.message
    assert "preferredDuringScheduling" in feedback.hint


def test_manager_counts_written_as_text_are_named() -> None:
    """{"1": 0, ...} listed five unknown keys without saying they are the numbers in quotes."""
    from clustersim.exercises.comparing import check_fault_tolerance

    feedback = check_fault_tolerance({"1": 0, 3: 1, 4: 1, 5: 2, 7: 3})
    assert not feedback and "There is no manager count '1' (did you mean 1?)" in feedback.message


def test_limit_names_are_read_regardless_of_case() -> None:
    """'Total_Pods' was an 'Unknown limit name'."""
    from clustersim.exercises.comparing import check_tested_limits

    assert check_tested_limits(["Total_Pods", " total_containers"])


def test_limit_names_are_read_as_labels_are() -> None:
    """'pods per node' and 'Total Pods', the names with spaces, were 'Unknown limit
    name(s)', against the rule every label follows (clustersim/exercises/labels.py)."""
    assert ex.check_tested_limits(["Total Pods", "total-containers"]).passed
    feedback = ex.check_tested_limits(["pods per node"])
    assert not feedback.passed and "leaves out 2 thresholds" in feedback.message


@pytest.mark.parametrize(("word", "taught"), [("maxPods", "kubelet"),
                                              ("pods", "Pods per node, or Pods in the whole")])
def test_a_word_of_the_field_for_a_limit_is_told_why_it_is_none(word, taught) -> None:
    feedback = ex.check_tested_limits([word])
    assert not feedback.passed and f"'{word}'" in feedback.message
    assert taught in feedback.hint


def test_no_claim_mixes_in_a_term_the_case_study_calls_garbled() -> None:
    # A claim judged "wrong" must not carry words the chapter lists as garbled (claim 6 once
    # read "needs two separate networks and works by deploying an overlay network").
    page = Path(__file__).parents[2] / "book" / "comparing" / "case-study-2019.md"
    rows = [line for line in page.read_text().splitlines() if line.startswith('| "')]
    garbled = {term for row in rows for term in re.findall(r'"([^"]+)"', row.split("|")[1])}
    assert "two separate networks" in garbled
    for number in range(1, len(ex.CLAIMS) + 1):
        text = ex.claim_text(number)
        assert not [t for t in garbled if t in text], (number, text)


def test_pinned_volume_node_id_written_as_the_name_is_refused() -> None:
    """The simulator's node IDs are the names, so node.id == node-2 pinned db and passed; on a
    real swarm node.id compares swarmkit's generated ID (docker node ls), which no name equals."""
    by_id = "      placement: {constraints: [node.id == node-2]}\n"
    feedback = ex.check_pinned_volume(_db(by_id))
    assert not feedback.passed and "name as its ID" in feedback.message
    assert "docker node ls" in feedback.hint and "node.hostname" in feedback.hint


@pytest.mark.parametrize("rule", ["node.id == node-1", "node.id != node-3"])
def test_pinned_volume_node_id_refusal_says_what_the_rule_does(rule: str) -> None:
    """The refusal names the name the rule compares, and does not tell a learner whose rule
    points elsewhere that it ran db on node-2 (the message had said so for any name)."""
    feedback = ex.check_pinned_volume(_db(f"      placement: {{constraints: [{rule}]}}\n"))
    assert not feedback.passed and "name as its ID" in feedback.message
    assert rule.split()[-1] in feedback.message and "node-2" not in feedback.message
