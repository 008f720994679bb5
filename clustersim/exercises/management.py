"""Checks for the chapter on container management (``book/foundations/management.md``,
exercises in ``exercises/management.ipynb``).

:func:`check_compose_up` (what ``docker compose up -d`` does to each service),
:func:`check_restart_policy` (which containers the Docker daemon restarts) and
:func:`check_by_hand_jobs` (which Kubernetes mechanism takes over each job done by hand).
"""

from __future__ import annotations

from clustersim.exercises.answers import choice, filled
from clustersim.exercises.checker import Wrong, checker

__all__ = [
    "BY_HAND",
    "COMPOSE_ACTIONS",
    "COMPOSE_SITUATION",
    "K8S_MECHANISMS",
    "RESTART_SCENARIOS",
    "check_by_hand_jobs",
    "check_compose_up",
    "check_restart_policy",
]


# ---- management: docker compose up ----------------------------------------------------------

COMPOSE_ACTIONS = ("create", "recreate", "start", "nothing")
COMPOSE_SITUATION = {
    "web": "running shop/web:2.0.1; the file now says shop/web:2.0.2",
    "cart": "running shop/cart:1.4.2; unchanged in the file",
    "db": "exited after `docker compose stop db`; unchanged in the file",
    "search": "new in the file; no container yet",
    "report": "running; its service was deleted from the file",
}
_COMPOSE_RIGHT = {"web": "recreate", "cart": "nothing", "db": "start", "search": "create",
                  "report": "nothing"}
_COMPOSE_HINTS = {
    "web": "Compose compares a hash of each service's configuration with the label on its "
           "container: a new image tag changes it, so the container is replaced.",
    "cart": "Configuration and container agree: `up` leaves it alone (“Running”).",
    "db": "The container exists and its configuration is unchanged: `up` starts the stopped "
          "container, it does not rebuild it.",
    "search": "No container has this service's label yet: `up` creates one.",
    "report": "`up` only warns about orphan containers (“Found orphan containers …”); it "
              "removes them only with --remove-orphans.",
}


@checker("Right: recreate web, leave cart, start db, create search, and only warn about the "
         "orphan report (docker compose up --remove-orphans would remove it).")
def check_compose_up(answer: object) -> None:
    """``answer``: ``{service: action}`` for :data:`COMPOSE_SITUATION`, actions from
    ``COMPOSE_ACTIONS``. Source: docker/compose ``pkg/compose/convergence.go`` (config-hash
    label, ``mustRecreate``, starting stopped containers) and ``pkg/compose/create.go``
    (orphan warning); https://docs.docker.com/reference/cli/docker/compose/up/ ."""
    given = filled(answer, list(COMPOSE_SITUATION), "service → action")
    for service, right in _COMPOSE_RIGHT.items():
        if choice(given[service], COMPOSE_ACTIONS, service) != right:
            raise Wrong(f"{service}: not “{given[service]}”.", _COMPOSE_HINTS[service])


# ---- management: restart policies -----------------------------------------------------------

RESTART_SCENARIOS = {
    "cart (--restart unless-stopped): its process exits with code 1": True,
    "web (no --restart): killed by the OOM killer, exit code 137": False,
    "worker (--restart on-failure): finishes its work and exits with code 0": False,
    "cart (--restart unless-stopped): `docker stop cart`, then the Docker daemon restarts": False,
    "db (--restart always): `docker stop db`, then the Docker daemon restarts": True,
    "cart (--restart unless-stopped): its host loses power and never comes back": False,
}
"""Whether the Docker daemon starts the container again. Source:
https://docs.docker.com/engine/containers/start-containers-automatically/ (policies ``no``,
``on-failure``, ``always``, ``unless-stopped``)."""
_RESTART_HINTS = [
    "unless-stopped restarts a container whose process exits, whatever the exit code.",
    "The default policy is no: nothing restarts it, not even after an OOM kill.",
    "on-failure restarts only on a non-zero exit code; 0 means success.",
    "unless-stopped differs from always exactly here: a container you stopped stays stopped, "
    "even when the daemon restarts.",
    "always restarts a manually stopped container when the daemon itself restarts.",
    "A restart policy lives in one host's Docker daemon: no other host knows about the "
    "container. Recovering from a lost host is an orchestrator's job.",
]


@checker("Right. A restart policy is one daemon restarting processes on its own host: the "
         "first step of self-healing, and where it ends.")
def check_restart_policy(answer: object) -> None:
    """``answer``: ``{scenario: True/False}`` (restarted?) for :data:`RESTART_SCENARIOS`."""
    given = filled(answer, list(RESTART_SCENARIOS), "scenario → restarted?")
    for (scenario, right), hint in zip(RESTART_SCENARIOS.items(), _RESTART_HINTS, strict=True):
        if not isinstance(given[scenario], bool):
            raise Wrong(f"“{scenario}”: {given[scenario]!r} is not True or False.",
                        "Answer True (restarted) or False (not restarted).")
        if given[scenario] != right:
            raise Wrong(f"“{scenario}”: not {given[scenario]}.", hint)


# ---- management: who takes over each job --------------------------------------------------

K8S_MECHANISMS = ("kube-scheduler", "ReplicaSet controller", "Service", "Deployment rolling update",
                  "probes", "Secret", "HorizontalPodAutoscaler")
BY_HAND = {
    "Which machine has room for this container?": "kube-scheduler",
    "A machine died at 03:00: restart what ran there elsewhere.": "ReplicaSet controller",
    "web must reach cart, which moved to machines 5 and 8.": "Service",
    "Update 60 copies without an outage.": "Deployment rolling update",
    "Is every copy healthy?": "probes",
    "Where do the database passwords go?": "Secret",
    "The load doubled: start more copies.": "HorizontalPodAutoscaler",
}
"""The chapter's "by hand" questions and the Kubernetes mechanism that answers each (the
table in ``book/foundations/orchestration.md``)."""
_BY_HAND_HINTS = {
    "kube-scheduler": "Choosing a node with room, filter then score, is the scheduler's job.",
    "ReplicaSet controller": "Keeping N copies running, wherever they are, is a controller's "
                             "job: it recreates the Pods that the dead node took with it.",
    "Service": "A stable name and virtual IP in front of Pods that come and go: a Service "
               "(its EndpointSlices follow the Pods).",
    "Deployment rolling update": "Replacing copies a few at a time, with maxSurge and "
                                "maxUnavailable, is what a Deployment does on a new image.",
    "probes": "The kubelet runs liveness and readiness probes on every container.",
    "Secret": "Passwords go into a Secret, mounted or injected only where needed.",
    "HorizontalPodAutoscaler": "Changing the number of copies with the load is the "
                               "HorizontalPodAutoscaler's job (it edits replicas).",
}


@checker("Right: each question from the table has a named mechanism, and each is a control "
         "loop or a stored object that the loops read.")
def check_by_hand_jobs(answer: object) -> None:
    """``answer``: ``{question: mechanism}`` for :data:`BY_HAND`, mechanisms from
    :data:`K8S_MECHANISMS`."""
    given = filled(answer, list(BY_HAND), "question → mechanism")
    lowered = {m.lower(): m for m in K8S_MECHANISMS}
    for question, right in BY_HAND.items():
        value = given[question]
        choice = lowered.get(value.strip().lower()) if isinstance(value, str) else None
        if choice is None:
            raise Wrong(f"“{question}”: {value!r} is not one of the mechanisms.",
                        f"Answer with one of: {', '.join(repr(m) for m in K8S_MECHANISMS)}.")
        if choice != right:
            raise Wrong(f"“{question}”: not {choice}.", _BY_HAND_HINTS[right])
