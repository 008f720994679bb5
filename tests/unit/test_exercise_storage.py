"""Checks of the storage exercises: a StatefulSet that keeps its claims passes, the usual
wrong answers (a Deployment, no claim templates, pinned pods) get their hints; the choice
about resident Marathon apps is confirmed by the simulator."""

import pytest

from clustersim.exercises.storage import CHOICES, check_resident_comeback, check_stateful_claims

STATEFULSET = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: postgres
        image: postgres:17
        resources:
          requests: {cpu: 500m, memory: 1Gi}
        volumeMounts:
        - {name: data, mountPath: /var/lib/postgresql/data}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests: {storage: 1Gi}
"""
SHARED_CLAIM = """      volumes:
      - name: data
        persistentVolumeClaim: {claimName: db-data}
"""
DEPLOYMENT = (STATEFULSET.split("  volumeClaimTemplates")[0]
              .replace("kind: StatefulSet", "kind: Deployment")
              .replace("  serviceName: db\n", "") + SHARED_CLAIM)
NO_TEMPLATES = STATEFULSET.split("  volumeClaimTemplates")[0] + SHARED_CLAIM


def test_statefulset_passes():
    assert check_stateful_claims(STATEFULSET)


@pytest.mark.parametrize("answer, hint", [
    (DEPLOYMENT, "keep their names"),
    (NO_TEMPLATES, "volumeClaimTemplates"),
    (STATEFULSET.replace("replicas: 3", "replicas: 1"), "spec.replicas: 3"),
    (STATEFULSET.replace("    spec:\n      containers",
                         "    spec:\n      nodeName: node-2\n      containers"), "do not pin"),
    (STATEFULSET.replace("cpu: 500m", "cpu: 8"), "must fit"),
    # a class the cluster lacks: the claims stay Pending (this hint spoke of CPUs and GiB)
    (STATEFULSET.replace("      accessModes", "      storageClassName: fast-ssd\n"
                         "      accessModes"), '"fast-ssd" not found'),
    (STATEFULSET.replace("      accessModes", "      storageClassName: fast-ssd\n"
                         "      accessModes"), "Leave storageClassName out"),
    ("kind: [", "field path"),
    (None, "YAML text"),
    # the claim template named like the old claim: no pod volume 'data', every pod refused
    # (it passed as right: the claim existed, unmounted)
    (STATEFULSET.replace("  - metadata: {name: data}", "  - metadata: {name: db-data}"),
     "name the claim template as the container's volumeMounts do"),
    # a claim per pod that no container mounts: the data is written to the container's layer
    (STATEFULSET.replace("        volumeMounts:\n        - {name: data, mountPath: "
                         "/var/lib/postgresql/data}\n", ""), "no container mounts it"),
])
def test_wrong_answers_get_their_hint(answer, hint):
    feedback = check_stateful_claims(answer)
    assert not feedback and hint in str(feedback)


def test_the_starter_s_hint_does_not_name_the_kind_to_write():
    """The untouched starter (a Deployment) was hinted "Use kind: StatefulSet": the answer's
    one step, on the first press of the check; the hint now points at what the kind does."""
    feedback = check_stateful_claims(DEPLOYMENT)
    assert not feedback and "StatefulSet" not in feedback.hint
    assert "claim each from a template" in feedback.hint


def test_a_kind_in_lower_case_is_named_as_kubectl_names_it():
    """``kind: statefulset`` loaded as an unknown kind and was answered "Expected one
    workload, found 0"; kubectl finds no resource for it and says so."""
    feedback = check_stateful_claims(STATEFULSET.replace("kind: StatefulSet",
                                                         "kind: statefulset"))
    assert not feedback
    assert 'no matches for kind "statefulset" in version "apps/v1"' in feedback.message
    assert "kind: StatefulSet" in feedback.message


def test_resident_choice():
    assert check_resident_comeback("c")
    assert check_resident_comeback(" C ")
    for written in ("c.", "c)", "(c).", " C. "):     # "c." was "not one of a, b, c, d"
        assert check_resident_comeback(written), written
    for letter in set(CHOICES) - {"c"}:
        feedback = check_resident_comeback(letter)
        assert not feedback and feedback.hint
    assert "one letter" in check_resident_comeback(3).hint
    assert "one letter" in check_resident_comeback("z").hint


def test_a_letter_written_as_printed_is_read() -> None:
    """The choices print as '(c) ...'; '(c)' was 'not one of a, b, c, d'."""
    assert check_resident_comeback("(c)") and check_resident_comeback(" C ")
    assert "Not (a)" in check_resident_comeback("(a)").message


def test_the_choices_are_alike_in_length() -> None:
    """(c), the right one, was twice as long as the others and repeated the lab's key point:
    its length alone gave it away."""
    lengths = sorted(len(text) for text in CHOICES.values())
    assert lengths[-1] <= 1.25 * lengths[0], lengths
