"""Checks for the chapter on container management (``book/foundations/management.md``,
exercises in ``exercises/management.ipynb``).

:func:`check_compose_up` (what ``docker compose up -d`` does to each service),
:func:`check_restart_policy` (which containers the Docker daemon restarts) and
:func:`check_by_hand_jobs` (which job of an orchestrator takes over each question answered by
hand, with its Kubernetes mechanism in the feedback).
"""

from __future__ import annotations

from clustersim.exercises.answers import choice, filled, yes_or_no
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.labels import find_label, meant_label, unknown_label_hint

__all__ = [
    "BY_HAND_JOBS",
    "COMPOSE_ACTIONS",
    "COMPOSE_SITUATION",
    "K8S_MECHANISMS",
    "NEAR_MISSES",
    "ORCHESTRATOR_JOBS",
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
           "container, and a container's image cannot change once it exists: the new image tag "
           "changes the hash.",
    "cart": "Compose compares a hash of each service's configuration with the label on its "
            "container: here they agree, and the container runs (“Running”).",
    "db": "The container exists, stopped, and its configuration hash still matches the file: "
          "only its state differs from what the file asks for.",
    "search": "No container carries this service's label yet: there is none to compare, "
              "and none to start.",
    "report": "`up` only warns about orphan containers (“Found orphan containers …”); it "
              "removes them only with --remove-orphans.",
}
"""The hint for a service given a wrong action: what Compose compares and finds, never the
action itself, which is the answer."""

_SAME_ACTION = {
    "recreate": ("update", "replace", "redeploy"),
    "nothing": ("keep", "leave", "none", "skip", "unchanged", "running", "no change", "no-op",
                "keep running", "leave running"),
}
"""Words that mean one action, judged as that action
(:func:`~clustersim.exercises.labels.meant_label`)."""
_ACTION_OF = {word: action for action, words in _SAME_ACTION.items() for word in words}


_COMPOSE_WORDS = {
    "restart": "docker compose restart stops and starts the same container without reading "
               "the file's changes; up compares the file with each container and does one of "
               "the four choices.",
    **dict.fromkeys(("remove", "delete", "stop", "down"),
                    "up stops only the containers it recreates: a container whose service "
                    "left the file is only warned about, unless --remove-orphans is given."),
    **dict.fromkeys(_SAME_ACTION["recreate"],
                    "Compose replaces a container by recreating it: the choice is 'recreate'."),
    "rebuild": "Compose does not rebuild a container, it recreates it ('recreate'); building "
               "is for images, of services with build: in the file.",
    "pull": "up pulls an image it does not have while it creates a container; the question is "
            "what happens to the container.",
    **dict.fromkeys(_SAME_ACTION["nothing"],
                    "Leaving a container as it is, is the choice 'nothing'."),
    **dict.fromkeys(("orphan", "orphaned", "warn"),
                    "An orphan is a container whose service left the file: up warns of it and "
                    "does not touch it, unless --remove-orphans is given."),
    "build": "up builds an image only for a service with build: in the file; the question is "
             "what happens to the container.",
    "up": "up is the command; for each service it does one of the four choices.",
    **dict.fromkeys(("start-first", "stop-first"),
                    "That is an update order of a Swarm service (deploy.update_config.order); "
                    "the question is what docker compose up does to each container."),
    "run": "docker compose run starts a one-off container; up does one of the four choices "
           "for each service.",
}
"""Words a learner may give for what ``docker compose up`` does that are none of
:data:`COMPOSE_ACTIONS` (docs.docker.com/reference/cli/docker/compose/restart/: changes to
the file are not applied by restart; docker/compose ``pkg/compose/create.go`` warns of
orphans)."""


@checker("Right: recreate web, leave cart, start db, create search, and only warn about the "
         "orphan report (docker compose up --remove-orphans would remove it).")
def check_compose_up(answer: object) -> None:
    """``answer``: ``{service: action}`` for :data:`COMPOSE_SITUATION`, actions from
    ``COMPOSE_ACTIONS``. Source: docker/compose ``pkg/compose/convergence.go`` (config-hash
    label, ``mustRecreate``, starting stopped containers) and ``pkg/compose/create.go``
    (orphan warning); https://docs.docker.com/reference/cli/docker/compose/up/ ."""
    given = filled(answer, list(COMPOSE_SITUATION), "service → action")
    for service, right in _COMPOSE_RIGHT.items():
        if (meant_label(given[service], _ACTION_OF) or right) != right or choice(
                given[service], COMPOSE_ACTIONS, service, plausible=_COMPOSE_WORDS) != right:
            raise Wrong(f"{service}: not “{given[service]}”.", _COMPOSE_HINTS[service])


# ---- management: restart policies -----------------------------------------------------------

_RESTART_RIGHT = {
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
RESTART_SCENARIOS = tuple(_RESTART_RIGHT)
"""The scenarios of the restart-policy exercise, without their answers (a learner prints it)."""
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
    for (scenario, right), hint in zip(_RESTART_RIGHT.items(), _RESTART_HINTS, strict=True):
        if yes_or_no(given[scenario], f"“{scenario}”") != right:
            raise Wrong(f"“{scenario}”: not {given[scenario]}.", hint)


# ---- management: who takes over each job --------------------------------------------------

ORCHESTRATOR_JOBS = ("placement", "recovery from machine failure", "discovery",
                     "rolling updates", "health", "secrets", "scaling")
"""The jobs an orchestrator takes over, as the chapter's key points name them
(``book/foundations/management.md``); the chapter on orchestration gives each one's mechanism
in the three systems."""
K8S_MECHANISMS = ("kube-scheduler", "ReplicaSet controller", "Service", "Deployment rolling update",
                  "probes", "Secret", "HorizontalPodAutoscaler")
"""The Kubernetes mechanism for each of :data:`ORCHESTRATOR_JOBS`, in the same order (the
table in ``book/foundations/orchestration.md``). Part II explains them; the exercise, which
comes before, accepts them as answers too and names them in its feedback."""
_BY_HAND_JOBS = {
    "Which machine has room for this container?": "placement",
    "A machine died at 03:00: restart what ran there elsewhere.": "recovery from machine failure",
    "web must reach cart, which moved to machines 5 and 8.": "discovery",
    "Update 60 copies without an outage.": "rolling updates",
    "Is every copy healthy?": "health",
    "Where do the database passwords go?": "secrets",
    "The load doubled: start more copies.": "scaling",
}
"""The chapter's "by hand" questions and the orchestrator's job that answers each."""
BY_HAND_JOBS = tuple(_BY_HAND_JOBS)
"""The "by hand" questions, in order, without their answers."""
_KUBERNETES_OF = dict(zip(ORCHESTRATOR_JOBS, K8S_MECHANISMS, strict=True))
_JOB_HINTS = {
    "placement": "Nothing is started, stopped or found here: for one new copy, something must "
                 "compare each machine's free CPU and memory with what the copy asks for, and "
                 "choose one machine.",
    "recovery from machine failure": "The copies are not out of date or too few for the load: "
                                     "they are gone with their machine, and something must "
                                     "notice the loss and start them again on machines that "
                                     "still answer.",
    "discovery": "The copies run; what web lacks is a way to reach them: a name that stays "
                 "the same while the addresses behind it follow the copies.",
    "rolling updates": "A new version must replace copies that serve users, a few at a time, "
                       "each batch answering before the next goes, so that some always run.",
    "health": "The question is asked again and again, of every copy: a check that each "
              "machine runs against its own containers and reports whether they answer.",
    "secrets": "This is about data, not copies: values kept out of the image and the file, "
               "stored apart and handed only to the containers that need them.",
    "scaling": "The copies are healthy and well placed, but too few for the load: what "
               "changes is their number.",
}
"""The hint for a wrong job: what the right one does, in words that name neither the job nor
its Kubernetes mechanism, since both are accepted answers (the right answer's feedback names
the mechanisms)."""


NEAR_MISSES = {
    "scheduling": "placement", "scheduler": "placement",
    **dict.fromkeys(("self-healing", "recovery", "failover"), "recovery from machine failure"),
    "service discovery": "discovery", "dns": "discovery",
    "rolling update": "rolling updates", "update": "rolling updates",
    "updates": "rolling updates", "rollout": "rolling updates",
    **dict.fromkeys(("health monitoring", "health check", "health checks", "healthcheck",
                     "monitoring", "liveness probe"), "health"),
    **dict.fromkeys(("secret", "configuration", "config", "ConfigMap"), "secrets"),
    **dict.fromkeys(("autoscaling", "autoscaler", "HPA", "scale", "replicas"), "scaling"),
}
"""Other names a learner may give a job, each meaning that one job of
:data:`ORCHESTRATOR_JOBS` (the 2019 article's, which the chapter on orchestration puts in
brackets beside each job, a singular, a Kubernetes-flavoured word). Such a word is judged as
the job it means: given where another job is right, it gets that question's hint; where it is
right, the feedback asks "did you mean" the list's name, which tells nothing the learner did
not know."""

_OTHER_WORDS = {
    **dict.fromkeys(("load balancing", "load balancer"),
                    "A load balancer spreads requests over copies that already run: by "
                    "itself it is none of these jobs, though more than one of them feeds it. "
                    "Ask what the question lacks: a machine, more copies, or a way to reach "
                    "copies that moved?"),
    "Deployment": "A Deployment is a Kubernetes object that does more than one of these jobs "
                  "(it keeps a number of copies and it rolls out a new version): name the job.",
    "ReplicaSet": "A ReplicaSet keeps a number of copies running, and its controller does more "
                  "than one of these jobs: name the job.",
    **dict.fromkeys(("restart", "restart policy"),
                    "A restart policy is one host's daemon restarting its own containers (the "
                    "exercise before): no job of an orchestrator, which works across hosts."),
}
"""Words a learner may give a job that mean none of the jobs alone, with what each teaches
(:func:`~clustersim.exercises.labels.unknown_label_hint`): saying "did you mean" one job would
steer an answer to another question, or give one away."""


def _job(value: object) -> str | None:
    """The job ``value`` names: one of :data:`ORCHESTRATOR_JOBS` or its Kubernetes mechanism,
    read as a label is (:func:`~clustersim.exercises.labels.find_label`); ``None`` when it names
    neither."""
    found = find_label(value, [*ORCHESTRATOR_JOBS, *K8S_MECHANISMS])
    return next((job for job, mechanism in _KUBERNETES_OF.items() if mechanism == found), found)


@checker("Right. In Kubernetes these jobs are the kube-scheduler, the ReplicaSet controller, "
         "a Service, a Deployment's rolling update, probes, a Secret and the "
         "HorizontalPodAutoscaler: each a control loop, or a stored object that the loops "
         "read. The chapter on orchestration names them in all three systems.")
def check_by_hand_jobs(answer: object) -> None:
    """``answer``: ``{question: job}`` for :data:`BY_HAND_JOBS`, jobs from
    :data:`ORCHESTRATOR_JOBS` (or their Kubernetes names, :data:`K8S_MECHANISMS`)."""
    given = filled(answer, list(BY_HAND_JOBS), "question → job")
    for question, right in _BY_HAND_JOBS.items():
        value = given[question]
        job = _job(value)
        meant = meant_label(value, NEAR_MISSES)
        if job is None and meant == right:
            raise Wrong(f"“{question}”: {value!r} is not one of the jobs' names.",
                        f"Did you mean {meant!r}? Answer with the job's name as the list "
                        f"spells it: {', '.join(map(repr, ORCHESTRATOR_JOBS))}.")
        if job is None and meant is None:
            raise Wrong(f"“{question}”: {value!r} is not one of the jobs' names.",
                        unknown_label_hint(value, ORCHESTRATOR_JOBS, _OTHER_WORDS))
        if (job or meant) != right:
            raise Wrong(f"“{question}”: not {str(value).strip()}.", _JOB_HINTS[right])
