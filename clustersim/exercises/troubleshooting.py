"""Checks for the chapter ``book/orchestrators/troubleshooting.md``.

- :func:`check_diagnosis`: the cause of each of four broken workloads, read from the simulated
  cluster's STATUS column and events (upstream reasons: ``FailedCreate``, ``FailedScheduling``,
  ``ErrImagePull``/``ImagePullBackOff``, ``CrashLoopBackOff``).
- :func:`check_pull_retry`: when the kubelet starts its fourth pull of an image the registry
  refuses, by hand, compared with the simulated kubelet (back-off 10 s doubling to 300 s,
  kubernetes/kubernetes ``pkg/kubelet/images/image_manager.go``).
"""

from __future__ import annotations

from typing import Any

from clustersim.exercises.answers import choice, keyed, number
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.labels import meant_label
from clustersim.kubernetes import KubernetesCluster, Timing
from clustersim.kubernetes.imagemanager import IMAGE_BACKOFF
from clustersim.node import Node

__all__ = ["CAUSES", "PULL_SECONDS", "broken_cluster", "check_diagnosis", "check_pull_retry",
           "pull_attempts"]

CAUSES = ("image", "crash", "resources", "quota")
"""What can be wrong: the image cannot be pulled, the container keeps exiting, no node has room,
or the namespace's quota refuses the Pods."""
PULL_SECONDS = 5.0


def _deployment(name: str, image: str, cpu: str, namespace: str = "default") -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{
                                      "name": name, "image": image,
                                      "resources": {"requests": {"cpu": cpu,
                                                                 "memory": "128Mi"}}}]}}}}


def broken_cluster() -> KubernetesCluster:
    """Two 4-CPU nodes and four Deployments, ``cart``, ``search``, ``report`` and ``mailer``,
    each broken in a different way, after two minutes."""
    cluster = KubernetesCluster(Node.many(2, "node", cpu="4", memory="8Gi"), seed=0,
                                timing=Timing(image_pull_seconds=PULL_SECONDS))
    cluster.fail_pull("shop/cart:3.0.1")
    cluster.fail_image("shop/search:5.2")
    cluster.apply([
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "mail"}},
        {"apiVersion": "v1", "kind": "ResourceQuota",
         "metadata": {"name": "mail-budget", "namespace": "mail"},
         "spec": {"hard": {"requests.cpu": "500m"}}},
        _deployment("cart", "shop/cart:3.0.1", "250m"),
        _deployment("search", "shop/search:5.2", "500m"),
        _deployment("report", "shop/report:1.4", "6"),
        _deployment("mailer", "shop/mailer:2.0", "1", namespace="mail"),
    ])
    cluster.run(until=120)
    return cluster


def _diagnose(cluster: KubernetesCluster) -> dict[str, str]:
    """The cause of each Deployment's trouble, from what kubectl would show."""
    found = {}
    by_reason = {"ImagePullBackOff": "image", "ErrImagePull": "image",
                 "CrashLoopBackOff": "crash", "Unschedulable": "resources"}
    for row in cluster.pods():
        app = row.labels.get("app", "")
        if row.reason in by_reason:
            found[app] = by_reason[row.reason]
    for event in cluster.events.where(reason="FailedCreate"):
        if "exceeded quota" in event.message:
            found[event.object.split("/", 1)[1].rsplit("-", 1)[0]] = "quota"
    return found


_HINTS = {
    "quota": "No mailer Pod exists at all: look at the events of its ReplicaSet (FailedCreate).",
    "resources": "report's Pod is Pending without a node: the FailedScheduling event says why.",
    "image": "cart's STATUS is ImagePullBackOff: the Pod is on a node, but no container of "
             "it ever starts; its events (kubectl describe pod) name the step that fails.",
    "crash": "search's STATUS is CrashLoopBackOff: the image was pulled and the container "
             "starts, then exits.",
}
"""The hint for an app given a wrong cause: what kubectl shows for it and where to read on,
never the cause, which is the answer."""


_SAME_CAUSE = {
    "image": ("ImagePullBackOff", "ErrImagePull", "pull", "registry"),
    "crash": ("CrashLoopBackOff", "crashing", "crashloop", "exit", "exits", "OOMKilled"),
    "resources": ("FailedScheduling", "unschedulable", "Insufficient cpu", "cpu", "capacity"),
    "quota": ("ResourceQuota", "exceeded quota"),
}
"""What kubectl shows for one cause alone, judged as that cause: given for an app with another
cause, it gets that app's hint (:func:`~clustersim.exercises.labels.meant_label`)."""
_CAUSE_OF = {word: cause for cause, words in _SAME_CAUSE.items() for word in words}

_CAUSE_WORDS = {
    **dict.fromkeys(_SAME_CAUSE["image"],
                    "That is what kubectl shows when a Pod's image cannot be pulled: the cause "
                    "is 'image'."),
    **dict.fromkeys(_SAME_CAUSE["crash"],    # OOMKilled has its own, below
                    "A container that starts and exits again and again is a 'crash'."),
    **dict.fromkeys(_SAME_CAUSE["resources"],
                    "A Pod no node has room for (FailedScheduling: Insufficient cpu) is the "
                    "cause 'resources'."),
    "FailedCreate": "FailedCreate says the ReplicaSet could not create a Pod; its message says "
                    "why, and a quota it would exceed is the cause 'quota'.",
    **dict.fromkeys(_SAME_CAUSE["quota"],
                    "A Pod the namespace's quota refuses to create is the cause 'quota'."),
    "Pending": "Pending says a Pod has not started, not why: read its events "
               "(kubectl describe pod) for the cause.",
    "OOMKilled": "A container killed for going past its memory limit is restarted, and "
                 "exits again: that is a 'crash'.",
    "memory": "Memory can be either cause: a container killed past its limit crashes "
              "('crash'), and a Pod whose requests fit no node waits ('resources').",
}
"""What kubectl shows and other words a learner may give for a cause that are none of
:data:`CAUSES`, each sent to the cause it shows (the reasons: kubernetes/kubernetes
``pkg/kubelet/images/types.go`` and ``pkg/kubelet/kuberuntime``, the scheduler's
``FailedScheduling`` and the ReplicaSet controller's ``FailedCreate``)."""


@checker("Right: cart cannot pull its image, search crashes, report asks for 6 CPUs that no "
         "node has, and mailer's namespace quota refuses its Pod (FailedCreate on the "
         "ReplicaSet).")
def check_diagnosis(answer: object) -> None:
    right = _diagnose(broken_cluster())
    answer = keyed(answer, right, "app")
    for app in sorted(right):
        meant = meant_label(answer[app], _CAUSE_OF) or right[app]
        if meant != right[app]:   # "ImagePullBackOff" for search: not "the cause is 'image'"
            raise Wrong(f"{app}: not {str(answer[app]).strip()} ({meant}).", _HINTS[right[app]])
        given = choice(answer[app], CAUSES, app, aliases={"resource": "resources"},
                       plausible=_CAUSE_WORDS)
        if given != right[app]:
            raise Wrong(f"{app}: not {given}.", _HINTS[right[app]])


def pull_attempts(until: float = 1000) -> list[float]:
    """When the kubelet starts each pull of an image the registry refuses (pulls take
    :data:`PULL_SECONDS`), from the simulator's ``Pulling`` events."""
    cluster = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0,
                                timing=Timing(image_pull_seconds=PULL_SECONDS))
    cluster.fail_pull("shop/cart:3.0.1")
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "cart"},
                   "spec": {"containers": [{"name": "cart", "image": "shop/cart:3.0.1"}]}})
    cluster.run(until=until)
    start = cluster.events.where(reason="Pulling")[0].time
    return [e.time - start for e in cluster.events.where(reason="Pulling")]


@checker("Right: pulls start at 0, 15, 40 and 85 s: each failed 5 s pull is followed by a "
         "back-off of 10, 20, then 40 s.")
def check_pull_retry(answer: object) -> None:
    answer = number(answer, "the seconds until the fourth pull starts", unit="seconds")
    attempts = pull_attempts()
    right = attempts[3]
    if answer == right:
        return
    # the crash loop's "first exit restarts at once" applied to pulls: no wait after the
    # first failure, then 10 s and 20 s; the image back-off starts at the first failed pull
    # (clustersim.kubernetes.imagemanager, after pkg/kubelet/images/image_manager.go)
    at_once = 3 * PULL_SECONDS + IMAGE_BACKOFF + 2 * IMAGE_BACKOFF
    if answer >= 1000:
        hint = (f"The answer is in seconds, and {answer:g} looks like milliseconds"
                + (": in seconds it is right." if answer == right * 1000 else
                   " (the back-offs are 10 s, 20 s, then 40 s)."))
    elif answer == 10 + 20 + 40:
        hint = "Each pull itself takes 5 s before it fails; the back-off starts after that."
    elif answer == at_once:
        # also three equal waits of 10 s: one hint for both readings
        hint = ("A failed pull always waits (only a crashed container's first exit restarts "
                "at once), and the wait doubles: 10 s after the first failure, then 20 s, "
                "then 40 s.")
    elif answer == 3 * (PULL_SECONDS + 10):
        hint = "The back-off doubles after each failure: 10 s, then 20 s, then 40 s."
    elif answer in (attempts[2], attempts[4]):
        hint = "The first pull is attempt 1, at 0 s; count three failures before the fourth."
    else:
        hint = ("Add up: pull (5 s), fail, wait 10 s; pull, fail, wait 20 s; pull, fail, "
                "wait 40 s; then the fourth pull starts.")
    raise Wrong(f"Not {answer:g} s.", hint)
