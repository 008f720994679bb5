"""Checks for the chapter ``book/orchestrators/kubernetes-2026.md``.

- :func:`check_sidecar_order`: the order in which a Pod's init containers, sidecars and app
  container start, and stop when the Pod is deleted, by hand, compared with the simulated
  kubelet's ``Started`` and ``Killing`` events (kubernetes/kubernetes
  ``pkg/kubelet/kuberuntime``; KEP-753, https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/).
- :func:`check_gated_pod`: a Pod the learner writes that must wait, ``SchedulingGated``, until a
  queue controller removes the gate ``example.com/queue`` (KEP-3521,
  ``pkg/scheduler/framework/plugins/schedulinggates``).
- :func:`check_job_endings`: how a Job with a ``podFailurePolicy`` and ``backoffLimit: 1`` ends
  for a few sequences of its Pods' exit codes, compared with the simulated Job controller
  (:mod:`clustersim.kubernetes.controllers.job`; ``syncJob`` in kubernetes/kubernetes
  ``pkg/controller/job/job_controller.go``;
  https://kubernetes.io/docs/tasks/job/pod-failure-policy/).
"""

from __future__ import annotations

from clustersim.exercises.answers import classify, keyed, listed, one_pod
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.spelling import spelt_exactly
from clustersim.kubernetes import AdmissionError, KubernetesCluster
from clustersim.kubernetes.containerref import container_named
from clustersim.manifests import ManifestError
from clustersim.node import Node

__all__ = ["ENDINGS", "EXIT_CODES", "GATE", "POLICY_JOB", "SIDECAR_POD", "STILL_RUNNING",
           "check_gated_pod", "check_job_endings", "check_sidecar_order", "job_ending",
           "sidecar_events"]

SIDECAR_POD = {
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"},
    "spec": {
        "initContainers": [
            {"name": "vault-agent", "image": "hashicorp/vault:1.17", "restartPolicy": "Always",
             "startupProbe": {"exec": {"command": ["vault", "status"]}, "periodSeconds": 5,
                              "initialDelaySeconds": 5}},
            {"name": "migrate", "image": "shop/migrate:4.2"},
            {"name": "envoy", "image": "envoyproxy/envoy:v1.31", "restartPolicy": "Always"},
        ],
        "containers": [{"name": "api", "image": "shop/api:3.1"}],
    },
}
"""A Pod with a secrets sidecar, a migration, a proxy sidecar and the app."""
GATE = "example.com/queue"


def sidecar_events() -> tuple[list[str], list[str]]:
    """(containers in start order, containers in stop order) of :data:`SIDECAR_POD`, from the
    simulated kubelet's events when it starts and then is deleted (each names its container
    by its field path: since v1.35 the ``Started`` message does not)."""
    cluster = KubernetesCluster(Node.many(1, "node", cpu="4", memory="8Gi"), seed=0)
    cluster.apply(SIDECAR_POD)
    cluster.run(until=120)
    cluster.delete("pod", "api")
    cluster.run(until=240)
    names = [container_named(e.field_path) for e in cluster.events.where(reason="Started")]
    stops = [container_named(e.field_path) for e in cluster.events.where(reason="Killing")]
    return names, stops


@checker("Right: vault-agent, migrate, envoy, api to start (migrate waits for vault-agent's "
         "startup probe); api, envoy, vault-agent to stop (the app first, then the sidecars "
         "in reverse order).")
def check_sidecar_order(answer: object) -> None:
    answer = keyed(answer, ("start", "stop"))
    right_start, right_stop = sidecar_events()
    start, stop = (listed(answer[key], right_start, f"container names ({key})", ordered=True,
                          example='["vault-agent", ...]') for key in ("start", "stop"))
    if sorted(start) != sorted(right_start):
        raise Wrong(f"start must name each of the {len(right_start)} containers once.",
                    "The containers are " + ", ".join(sorted(right_start)) + ".")
    if start != right_start:
        if start[-1] != right_start[-1]:
            hint = "Every init container, sidecars included, starts before the app containers."
        else:
            hint = ("Init containers start in the order they are written, sidecars included: a "
                    "sidecar need not finish, the next one starts once it has started (after "
                    "its startupProbe, if it has one).")
        raise Wrong(f"Not the start order: {', '.join(start)}.", hint)
    if "migrate" in stop:
        raise Wrong("migrate is not running any more when the Pod is deleted.",
                    "A regular init container has already exited; only sidecars and app "
                    "containers are stopped.")
    if sorted(stop) != sorted(right_stop):
        raise Wrong(f"stop must name each of the {len(right_stop)} running containers once.",
                    "The running containers are " + ", ".join(sorted(right_stop)) + ".")
    if stop != right_stop:
        if stop[0] != "api":
            hint = "The app containers are stopped first; sidecars keep serving them until then."
        else:
            hint = "Sidecars stop in the reverse order of the spec: the last one written first."
        raise Wrong(f"Not the stop order: {', '.join(stop)}.", hint)



@checker("Right: the Pod waits as SchedulingGated, the scheduler never tries it, and it runs as "
         "soon as the queue controller removes example.com/queue.")
def check_gated_pod(manifest: object) -> None:
    pod = one_pod(manifest)
    spec = pod.get("spec") or {}
    if spec.get("nodeName") and not spec.get("schedulingGates"):
        raise Wrong("spec.nodeName binds the Pod at once: nothing waits.",
                    "Leave the node to the scheduler and add a scheduling gate instead.")
    cluster = KubernetesCluster(Node.many(2, "node", cpu="4", memory="8Gi"), seed=0)
    try:
        cluster.apply(pod)
    except (ManifestError, AdmissionError, ValueError) as err:
        hint = ("A gated Pod waits for the scheduler, and nodeName bypasses it: the API server "
                "refuses both together. Remove nodeName; the scheduler picks a node once the "
                "gate is removed." if "schedulingGates have been cleared" in str(err) else
                "Fix what the message names.")
        raise Wrong(f"The manifest is not accepted: {err}", hint) from None
    cluster.run(until=60)
    [row] = cluster.pods()
    if row.reason != "SchedulingGated":
        where = f"runs on {row.node}" if row.node else f"is {row.reason or 'Pending'}"
        text = str(pod)
        hint = ("Gates are a list under spec.schedulingGates, each a mapping with a name: "
                f"[{{name: {GATE}}}]." if GATE in text else
                f"Add spec.schedulingGates with the gate {GATE}.")
        raise Wrong(f"The Pod {where} instead of waiting.", hint)
    try:
        cluster.remove_scheduling_gate(row.name, GATE)
    except ValueError as err:
        raise Wrong(f"The queue controller could not remove its gate: {err}",
                    f"Name the gate exactly {GATE}.") from None
    cluster.run(until=120)
    [row] = cluster.pods()
    if row.node is None and row.reason == "SchedulingGated":
        raise Wrong(f"After {GATE} was removed the Pod still waits ({row.reason}).",
                    "Use only the queue's gate: every other gate must be removed too.")
    if row.node is None:
        raise Wrong(f"After {GATE} was removed the Pod still waits ({row.reason}).",
                    "The gate is gone but the Pod fits on no node (each has 4 CPU and 8Gi): "
                    "keep the starter's requests.")


POLICY_JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: train}
spec:
  backoffLimit: 1
  podFailurePolicy:
    rules:
    - action: FailJob          # a bug: retrying will not help
      onExitCodes: {containerName: main, operator: In, values: [42]}
    - action: Ignore           # the database was busy (EX_TEMPFAIL): try again, not counted
      onExitCodes: {containerName: main, operator: In, values: [75]}
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: main, image: shop/train:2.0}
"""
"""A Job that fails at once on exit code 42, does not count exit code 75, and allows one
counted failure."""

EXIT_CODES: dict[str, tuple[int, ...]] = {
    "main exits 42": (42,),
    "main exits 1, every time": (1,),
    "main exits 1 once, then 0": (1, 0),
    "main exits 75 twice, then 0": (75, 75, 0),
    "main exits 75, every time": (75,),
}
"""Each scenario: the exit codes of the Job's successive Pods; the last one repeats."""

STILL_RUNNING = "still running"
ENDINGS = ("CompletionsReached", "BackoffLimitExceeded", "PodFailurePolicy", STILL_RUNNING)
"""The reasons of the condition a Job ends with (``Complete`` or ``Failed``) that the
scenarios can give, and :data:`STILL_RUNNING` for a Job that has not ended."""

_JOB_HINTS = {
    "main exits 42": "The Job's failure policy is read before backoffLimit, rule by rule, "
                     "and the first rule that matches exit code 42 in main decides: what does "
                     "its action do to the Job? A condition's reason names what ended the "
                     "Job.",
    "main exits 1, every time": "No rule matches exit code 1, so each failure counts toward "
                                "backoffLimit: 1, which allows one. A condition's reason names "
                                "what ended the Job.",
    "main exits 1 once, then 0": "backoffLimit: 1 allows one counted failure: the Job fails "
                                 "only when the failures exceed it, so the second Pod runs.",
    "main exits 75 twice, then 0": "The Ignore rule keeps exit code 75 out of the count: "
                                   "neither failure counts toward backoffLimit, and the third "
                                   "Pod succeeds.",
    "main exits 75, every time": "An ignored failure is not counted at all: backoffLimit is "
                                 "never reached, and the Job makes Pod after Pod until "
                                 "something else stops it, such as activeDeadlineSeconds.",
}
"""The hint for a scenario labelled wrong: the rule of the Job that decides it, never the
reason it ends with, which is the answer."""

_JOB_WORDS = {
    **dict.fromkeys(("Complete", "Failed"),
                    "Complete and Failed are the condition's type; the exercise asks for its "
                    "reason, which says why the Job ended so."),
    **dict.fromkeys(("Succeeded", "Running", "Pending"),
                    "That is a Pod's phase, not the reason of a Job's condition; a Job that has "
                    "not ended is 'still running' here."),
    **dict.fromkeys(("FailJob", "Ignore", "Count", "FailIndex"),
                    "That is the action of a podFailurePolicy rule; the exercise asks for the "
                    "reason of the condition the Job ends with."),
    "BackoffLimit": "backoffLimit is the field; the reason of the condition that it ends a "
                    "Job with is spelt in full.",
    "Completed": "kubectl get pods shows a Pod whose containers all exited 0 as Completed; "
                 "the exercise asks for the reason of the condition the Job ends with.",
    "DeadlineExceeded": "DeadlineExceeded ends a Job whose activeDeadlineSeconds passes; this "
                        "Job sets none.",
    "Active": "active is the count of a Job's running Pods in its status; a Job that has not "
              "ended is 'still running' here.",
    **dict.fromkeys(("never ends", "never", "forever", "runs forever", "infinite"),
                    "A Job that has not ended has no condition to give a reason: the exercise "
                    "calls it 'still running'."),
    **dict.fromkeys(("CrashLoopBackOff", "Error", "OOMKilled", "ContainerCannotRun"),
                    "kubectl get pods shows that in a Pod's STATUS column; the exercise asks "
                    "for the reason of the condition the Job ends with."),
    **dict.fromkeys(("success", "successful", "done", "fail", "failure"),
                    "The exercise asks for the reason of the condition the Job ends with, as "
                    "the Job controller writes it, not whether it succeeded."),
}
"""Words a learner may give a Job's ending that are none of :data:`ENDINGS`: Job condition
types and the Pod failure policy's actions (kubernetes/api ``batch/v1/types.go``), Pod phases
(``core/v1/types.go``), the STATUS that ``kubectl get pods`` prints for a Pod (a container's
waiting or terminated reason), and everyday words."""

_HORIZON = 1800.0
"""How long :func:`job_ending` waits for the Job to end, in simulated seconds: the scenarios
that end do so within a minute (the back-off after a failure is 10 s, then 20 s)."""


def job_ending(exit_codes: tuple[int, ...], job: str = POLICY_JOB) -> str:
    """The reason of the condition ``job`` ends with (``Complete`` or ``Failed``) when its
    successive Pods exit with ``exit_codes`` (the last one repeating), from the simulated Job
    controller; :data:`STILL_RUNNING` if it has not ended after :data:`_HORIZON` seconds."""
    cluster = KubernetesCluster(Node.many(1, "node", cpu="4", memory="8Gi"), seed=0)
    image = "shop/train:2.0"
    codes = list(exit_codes)
    cluster.fail_image(image, exit_code=codes.pop(0))
    cluster.apply(job)
    failed = 0
    while cluster.now < _HORIZON:
        cluster.run(until=cluster.now + 1)
        now_failed = sum(1 for pod in cluster.pods() if pod.phase == "Failed")
        if now_failed > failed and codes:      # the next Pod exits with the next code
            cluster.fail_image(image, exit_code=codes.pop(0))
        failed = max(failed, now_failed)
        status = (cluster.get("Job", "default", "train") or {}).get("status") or {}
        for condition in status.get("conditions") or []:
            if condition.get("type") in ("Complete", "Failed"):
                return str(condition.get("reason"))
    return STILL_RUNNING


@checker("Right: FailJob ends the Job at the first exit code 42 (PodFailurePolicy); exit code 1 "
         "counts, and the second one exceeds backoffLimit: 1 (BackoffLimitExceeded); one "
         "counted failure is allowed, and the ignored 75s are not counted, so those Jobs "
         "complete (CompletionsReached), and a Job whose Pods always exit 75 never ends.")
def check_job_endings(answer: object) -> None:
    """``answer``: for each scenario of :data:`EXIT_CODES`, the reason of the condition the Job
    ends with, one of :data:`ENDINGS`."""
    truth = {scenario: job_ending(codes) for scenario, codes in EXIT_CODES.items()}
    classify(answer, truth, ENDINGS, _JOB_HINTS, plausible=_JOB_WORDS)
    given = keyed(answer, truth, "item")    # as classify read it
    for scenario, reason in truth.items():
        if reason != STILL_RUNNING:         # a label of the exercise, in any case
            spelt_exactly(given[scenario], reason, scenario,
                          "A condition's reason is the Job controller's exact string, "
                          f"{reason!r}: kubectl wait --for=jsonpath and scripts compare it "
                          "as written.")
