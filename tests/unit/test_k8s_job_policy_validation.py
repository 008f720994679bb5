"""A Job's ``podFailurePolicy``, ``successPolicy`` and ``podReplacementPolicy`` are validated
as ``validateJobSpec`` (kubernetes/kubernetes ``pkg/apis/batch/validation/validation.go``)
validates them: through the loader (file, line, field) and through the served API (kubectl
prints the API server's words); what used to crash the simulation is refused at load."""

from __future__ import annotations

import pytest
import yaml

from clustersim import ManifestError, load_manifests
from clustersim.explore import place
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import Kubectl


def job(**spec: object) -> str:
    restart = spec.pop("restartPolicy", "Never")
    body = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
            "spec": {**spec, "template": {"spec": {"restartPolicy": restart, "containers": [
                {"name": "main", "image": "busybox:1.37"}]}}}}
    return yaml.safe_dump(body, sort_keys=False)


def cron_job(**spec: object) -> str:
    body = yaml.safe_load(job(**spec))
    return yaml.safe_dump({"apiVersion": "batch/v1", "kind": "CronJob",
                           "metadata": {"name": "c"},
                           "spec": {"schedule": "* * * * *",
                                    "jobTemplate": {"spec": body["spec"]}}}, sort_keys=False)


def refusal(text: str) -> str:
    with pytest.raises(ManifestError) as caught:
        load_manifests(text, name="job.yaml")
    return str(caught.value)


FAIL_ON_1 = {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1]}}]}
INDEXED = {"completionMode": "Indexed", "completions": 3}


@pytest.mark.parametrize(("spec", "where", "message"), [
    ({"podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": [1, 2]}]}},
     "spec.podFailurePolicy.rules[0].onExitCodes", "cannot unmarshal array"),
    ({"podFailurePolicy": "FailJob"}, "spec.podFailurePolicy", "cannot unmarshal string"),
    ({"podFailurePolicy": {"rules": [{"action": "Ignore",
                                      "onPodConditions": ["DisruptionTarget"]}]}},
     "spec.podFailurePolicy.rules[0].onPodConditions[0]", "cannot unmarshal string"),
    ({"podFailurePolicy": {"rules": [{"action": "FailJob",
                                      "onExitCodes": {"operator": "In", "values": ["3"]}}]}},
     "spec.podFailurePolicy.rules[0].onExitCodes.values[0]", "cannot unmarshal string"),
    ({**INDEXED, "successPolicy": {"rules": [{"succeededCount": "2"}]}},
     "spec.successPolicy.rules[0].succeededCount", "cannot unmarshal string"),
    ({"podReplacementPolicy": "Sometimes"}, "spec.podReplacementPolicy",
     'Unsupported value: "Sometimes": supported values: "Failed", "TerminatingOrFailed"'),
    ({"podFailurePolicy": FAIL_ON_1, "restartPolicy": "OnFailure"},
     "spec.template.spec.restartPolicy",
     'Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is '
     "specified"),
    ({"podFailurePolicy": FAIL_ON_1, "podReplacementPolicy": "TerminatingOrFailed"},
     "spec.podReplacementPolicy",
     'Unsupported value: "TerminatingOrFailed": supported values: "Failed"'),
    ({"successPolicy": {"rules": [{"succeededCount": 1}]}}, "spec.successPolicy",
     'Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode'),
    ({**INDEXED, "podFailurePolicy": {"rules": [{"action": "FailIndex", "onExitCodes": {
        "operator": "In", "values": [1]}}]}}, "spec.podFailurePolicy.rules[0].action",
     'Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set'),
    ({"podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {
        "operator": "In", "values": [0, 1]}}]}},
     "spec.podFailurePolicy.rules[0].onExitCodes.values[0]",
     "Invalid value: 0: must not be 0 for the In operator"),
    ({"podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {
        "operator": "NotIn", "values": [2, 1, 2]}}]}},
     "spec.podFailurePolicy.rules[0].onExitCodes.values[2]", "Duplicate value: 2"),
    ({"podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {
        "operator": "NotIn", "values": [2, 1]}}]}},
     "spec.podFailurePolicy.rules[0].onExitCodes.values", "Invalid value: [2,1]: must be ordered"),
    ({"podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {
        "operator": "In", "values": list(range(1, 257))}}]}},
     "spec.podFailurePolicy.rules[0].onExitCodes.values",
     "Too many: 256: must have at most 255 items"),
    ({"podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {
        "operator": "In", "values": []}}]}},
     "spec.podFailurePolicy.rules[0].onExitCodes.values",
     "Invalid value: []: at least one value is required"),
    ({"podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {
        "containerName": "side", "operator": "In", "values": [1]}}]}},
     "spec.podFailurePolicy.rules[0].onExitCodes.containerName",
     'Invalid value: "side": must be one of the container or initContainer names'),
    ({"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [
        {"type": "DisruptionTarget", "status": "Maybe"}]}]}},
     "spec.podFailurePolicy.rules[0].onPodConditions[0].status",
     'Unsupported value: "Maybe": supported values: "False", "True", "Unknown"'),
    ({"podFailurePolicy": {"rules": [{"action": "Ignore"}]}}, "spec.podFailurePolicy.rules[0]",
     "Invalid value: specifying one of OnExitCodes and OnPodConditions is required"),
    ({"podFailurePolicy": {"rules": FAIL_ON_1["rules"] * 21}}, "spec.podFailurePolicy.rules",
     "Too many: 21: must have at most 20 items"),
    ({**INDEXED, "successPolicy": {"rules": [{"succeededIndexes": "0-1,1"}]}},
     "spec.successPolicy.rules[0].succeededIndexes",
     'Invalid value: "0-1,1": error parsing succeededIndexes: non-increasing order, '
     "previous: 1, current: 1"),
    ({**INDEXED, "successPolicy": {"rules": [{"succeededIndexes": "0-3"}]}},
     "spec.successPolicy.rules[0].succeededIndexes", 'too large index: "3"'),
    # strconv.Atoi refuses a number past int64: it cannot be converted, not too large
    ({**INDEXED, "successPolicy": {"rules": [{"succeededIndexes": "0-99999999999999999999"}]}},
     "spec.successPolicy.rules[0].succeededIndexes",
     'cannot convert string to integer for index: "99999999999999999999"'),
    ({**INDEXED, "successPolicy": {"rules": [{"succeededCount": 4}]}},
     "spec.successPolicy.rules[0].succeededCount",
     "Invalid value: 4: must be less than or equal to 3 (the number of specified completions)"),
    ({**INDEXED, "successPolicy": {"rules": [{"succeededIndexes": "0,2",
                                              "succeededCount": 3}]}},
     "spec.successPolicy.rules[0].succeededCount",
     "Invalid value: 3: must be less than or equal to 2 (the number of indexes in the "
     "specified succeededIndexes field)"),
    ({**INDEXED, "successPolicy": {"rules": [{}]}}, "spec.successPolicy.rules[0]",
     "Required value: at least one of succeededCount or succeededIndexes must be specified"),
    ({**INDEXED, "successPolicy": {"rules": []}}, "spec.successPolicy.rules",
     "Required value: at least one rules must be specified"),
    ({**INDEXED, "successPolicy": {"rules": [{"succeededCount": 1}] * 21}},
     "spec.successPolicy.rules", "Too many: 21: must have at most 20 items"),
])
def test_a_bad_policy_is_refused_with_the_api_servers_words(spec: dict[str, object],
                                                           where: str, message: str) -> None:
    said = refusal(job(**spec))
    assert f"{where}: " in said and message in said, said
    template_said = refusal(cron_job(**spec))
    assert f"spec.jobTemplate.{where}: " in template_said and message in template_said


@pytest.mark.parametrize("spec", [
    {"podFailurePolicy": FAIL_ON_1},
    {"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [
        {"type": "DisruptionTarget"}]}]}, "podReplacementPolicy": "Failed"},
    {**INDEXED, "backoffLimitPerIndex": 1, "podFailurePolicy": {"rules": [
        {"action": "FailIndex", "onExitCodes": {"operator": "NotIn", "values": [0, 3]}}]}},
    {**INDEXED, "successPolicy": {"rules": [{"succeededIndexes": "0,2", "succeededCount": 1}]}},
    {"podReplacementPolicy": "Failed"},
    {"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [
        {"type": "DisruptionTarget", "status": ""}]}]}},
])
def test_a_good_policy_loads(spec: dict[str, object]) -> None:
    load_manifests(job(**spec))


def test_a_job_that_used_to_crash_the_run_is_refused_at_load() -> None:
    text = job(podFailurePolicy={"rules": [{"action": "FailJob", "onExitCodes": [1, 2]}]})
    with pytest.raises(ManifestError, match="onExitCodes"):
        place(text)


def test_history_limits_of_a_cronjob_are_whole_numbers() -> None:
    body = yaml.safe_load(cron_job())
    body["spec"]["successfulJobsHistoryLimit"] = "3"
    said = refusal(yaml.safe_dump(body))
    assert "spec.successfulJobsHistoryLimit" in said and "cannot unmarshal string" in said


def test_kubectl_shows_the_api_servers_refusal(tmp_path) -> None:
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        result = kubectl("apply", "-f", "-", check=False,
                         stdin=job(podFailurePolicy=FAIL_ON_1, restartPolicy="OnFailure"))
        assert result.returncode != 0
        assert ('spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" '
                "is supported when podFailurePolicy is specified") in result.stderr
        assert kubectl("get", "jobs", "-o", "name").stdout == ""
