"""Check for writing a stack file (``book/orchestrators/swarm.md``, exercises in
``exercises/swarm.ipynb``): :func:`check_stack_file`.

The learner writes a Compose file for ``docker stack deploy`` with a replicated service, a
health check and a secret created beforehand. The check loads it through the course's Compose
loader (:func:`clustersim.exercises.answers.load_answer`), reads the service as the Docker CLI
would, deploys it on a small :class:`~clustersim.swarm.SwarmCluster` and gives a hint for each
typical slip. Upstream: the Compose file's ``healthcheck`` and ``secrets``
(https://docs.docker.com/reference/compose-file/services/#healthcheck,
https://docs.docker.com/reference/compose-file/secrets/), the Docker CLI's conversion of a
service's secrets (docker/cli ``cli/compose/convert/service.go``, ``convertServiceSecrets``:
``undefined secret "db_password"`` for a secret the file does not declare) and Docker's
defaults for a health check (30 s between checks:
https://docs.docker.com/reference/dockerfile/#healthcheck). A service secret the file does
not declare is the loader's refusal, in the CLI's words
(:mod:`clustersim.manifests.compose`); this check adds the chapter's hint. An external
secret is looked up by the name docker/cli's loader resolves (``cli/compose/loader/loader.go``,
``loadFileObjectConfig``; :func:`~clustersim.manifests.compose_syntax.external_name`):
``external: {name: x}`` or ``name: x`` is secret ``x``, not the one created beforehand.

The service is read as the simulator reads it (:func:`clustersim.swarm.spec.services_from_stack`):
``mode: global`` runs one task on every node whatever ``replicas`` says
(https://docs.docker.com/reference/compose-file/deploy/#mode), and the health check runs at
the period the engine takes (:meth:`~clustersim.swarm.spec.HealthCheck.resolved`: an
interval of 0 is moby's default of 30 s). The loader refuses a period under 1 ms as swarmkit
refuses it when ``docker stack deploy`` creates the service (``validateHealthCheck``,
:mod:`~clustersim.manifests.healthchecks`), and ``disable: true`` beside a test as docker/cli
refuses it; this check adds a hint to each. A test of ``CMD`` or
``CMD-SHELL`` alone names no command: moby's probe (``daemon/health.go``, ``cmdProbe``) runs
the words after it: ``/bin/sh -c`` with no command for ``CMD-SHELL``, which exits 2, and no
program at all for ``CMD``, so no probe passes and the task turns unhealthy.

The test must ask the task's URL, :data:`HEALTH_URL`, and with curl it must say ``-f``
(``--fail``): without it curl exits 0 whatever HTTP status the server answers, so the probe
never fails (curl ``docs/cmdline-opts/fail.md``: error 22 for a status of 400 or more;
Docker's own example is ``curl -f``, https://docs.docker.com/reference/dockerfile/#healthcheck).
A file written in another orchestrator's words (a Kubernetes manifest, a Marathon app, a
probe or ``healthChecks`` key) is told the Compose word.
"""

from __future__ import annotations

import shlex
from typing import Any

from clustersim.exercises.answers import load_answer, run_stack
from clustersim.exercises.checker import Wrong, checker
from clustersim.manifests.compose_syntax import external_name
from clustersim.manifests.errors import ManifestError
from clustersim.node import Node
from clustersim.swarm import SwarmCluster, TaskState
from clustersim.swarm.spec import HealthCheck, ServiceSpec, services_from_stack

__all__ = ["API_IMAGE", "HEALTH_URL", "SECRET", "check_stack_file"]

API_IMAGE = "registry.example.com/shop/api:3.1"
"""The image the service runs."""
SECRET = "db_password"
"""The secret, created beforehand with ``docker secret create db_password -``."""
HEALTH_URL = "http://localhost:8080/healthz"
"""The URL the health check asks: the api listens on 8080 in its container, where the check
runs."""
_SAME_URL = {HEALTH_URL, "localhost:8080/healthz", "http://127.0.0.1:8080/healthz",
             "127.0.0.1:8080/healthz"}
""":data:`HEALTH_URL` as curl also reads it: without a scheme (curl assumes http) or with the
loopback address that localhost names."""
_INTERVAL = 10.0
"""Seconds between health checks that the task asks for."""
_DURATIONS = ("interval", "timeout", "start_period", "start_interval")
"""A health check's periods, Go durations (the Compose file's ``healthcheck``)."""
_REPLICATED = "Leave out mode: (replicated is the default) and set deploy: replicas: 2."
"""The hint for a global service, whether the loader refuses it (``replicas`` beside
``mode: global``) or the check finds it."""


_OTHER_DIALECT = ("docker stack deploy reads a Compose file: services: at the top and api under "
                   "it, with image: and deploy: replicas:, not a Kubernetes kind: and spec: or "
                   "a Marathon app's instances:. Start from the starter's services: and api.")


def _hint(err: ManifestError) -> str:
    """What to do about the loader's refusal: ``replicas`` beside ``mode: global`` (docker/cli's
    ``convertDeployMode``), a health check period under 1ms or switched off beside its test,
    declare an undefined secret, give a number where docker/cli's schema wants an integer (its
    words, "must be a integer", are ``humanReadableType``'s in ``cli/compose/schema/schema.go``,
    kept as the CLI prints them), write a health check's period as a Go duration (the schema
    wants a string, ``time.ParseDuration`` a unit), or read the path. Another dialect's word,
    and ``replicas`` outside ``deploy:`` (the schema's "Additional property replicas is not
    allowed" names the key, not where it belongs), are hinted before this is asked
    (:mod:`clustersim.exercises.carried_words`)."""
    field = err.path.rsplit(".", 1)[-1]
    if err.path.split(".", 1)[0] in ("apiVersion", "kind", "metadata", "spec"):
        return _OTHER_DIALECT
    if "replicas can only be used with replicated" in err.message:
        return f"A global service runs one task on every node and takes no replicas. {_REPLICATED}"
    if "HealthConfig cannot be less than 1ms" in err.message:
        return "Give each period of the health check at least 1ms; set interval: 10s."
    if err.path.startswith("services.api.healthcheck.") and field in _DURATIONS:
        return (f"{field} is a duration such as 10s: a number and its unit, with no space "
                "(ms, s, m or h).")
    if "must be a integer" in err.message:
        return ("docker stack deploy wants a whole number there (\"must be a integer\" is the "
                "Docker CLI's own wording): write it without quotes, such as replicas: 2.")
    if "test and disable can't be set at the same time" in err.message:
        return ("Leave out disable: true, which switches the health check off, and give test: "
                "the command that checks the service.")
    if "undefined secret" in err.message:
        return ("Declare the secret under a top-level secrets: section, beside services: (the "
                "stack), as well as under api's secrets: (the service).")
    return "Read the field path in the message."


def _service(text: object) -> tuple[dict[str, Any], ServiceSpec, dict[str, Any]]:
    """The service ``api`` of the stack as written and as the simulator reads it, and the
    stack's top-level secrets, or :class:`Wrong` (the loader's refusals: an undeclared
    secret is one)."""
    specs = load_answer(text, "stack file", hint=_hint)
    stacks = [spec for spec in specs if spec.system == "swarm"]
    if not stacks and specs and specs[0].system in ("kubernetes", "marathon"):
        raise Wrong(f"This is a {specs[0].system.capitalize()} "
                    f"{'manifest' if specs[0].system == 'kubernetes' else 'app definition'}, "
                    "not a stack file.", _OTHER_DIALECT)
    if not stacks:
        raise Wrong("This is not a stack file: it has no services: section.",
                    "Start from the starter: a Compose file with services: and api under it.")
    stack = stacks[0].manifest
    services = stack.get("services") or {}
    if "api" not in services:
        raise Wrong(f"The stack has no service api (it has {', '.join(services) or 'none'}).",
                    "Name the service api, under services:.")
    try:
        read = {spec.name: spec for spec in services_from_stack("shop", stacks[0])}
    except ManifestError as err:   # a Swarm job, which the simulator does not run
        raise Wrong(f"It does not load: {err}", "Read the field path in the message.") from None
    return services["api"], read["shop_api"], stack.get("secrets") or {}


def _check_health(service: dict[str, Any], read: HealthCheck | None) -> None:
    """The service's health check is there, switched on, runs a command, and every 10 s
    (``read``: the check as the simulator reads it)."""
    health = service.get("healthcheck")
    if not health:
        raise Wrong("api has no health check: Swarm only knows whether its process runs.",
                    "Add a healthcheck: section to api with the command to run (test:) and "
                    "how often (interval:); the chapter's stack file has one.")
    test = health.get("test")
    if health.get("disable") or test in (["NONE"], "NONE"):
        raise Wrong("api's health check is switched off (disable: true or test: [\"NONE\"]).",
                    "Give test: the command that checks the service, such as "
                    "[\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/healthz\"].")
    if not test or read is None:
        raise Wrong("api's health check has no test: nothing to run.",
                    "Add test: with the command, as a list that starts with CMD or CMD-SHELL.")
    if len(read.test) == 1:
        raise Wrong(f"api's health check test: [\"{read.test[0]}\"] names no command: the probe "
                    "has nothing to run and cannot pass, so the tasks would turn unhealthy.",
                    f"Put the command after {read.test[0]}, as in "
                    "[\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/healthz\"].")
    _check_command(read.test)
    interval = read.resolved().interval
    if interval != _INTERVAL:
        said = f"runs every {interval:g} s" + (
            f" (interval: {health['interval']}, which the engine reads as its default)"
            if "interval" in health and not read.interval
            else f" (interval: {health['interval']})" if "interval" in health
            else ", Docker's default when it names no interval")
        raise Wrong(f"api's health check {said}, not every {_INTERVAL:g} s.",
                    "Set interval: 10s (a Go duration: a number and a unit).")


def _command(test: tuple[str, ...]) -> list[str]:
    """The words of the command a test runs: ``CMD``'s arguments as they are, ``CMD-SHELL``'s
    text split as a shell splits it (on spaces, if its quotes do not close)."""
    if test[0] != "CMD-SHELL":
        return list(test[1:])
    text = " ".join(test[1:])
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _check_command(test: tuple[str, ...]) -> None:
    """The test asks :data:`HEALTH_URL`, and curl is told to fail on an HTTP error."""
    words = _command(test)
    if not _SAME_URL.intersection(words):
        asked = next((word for word in words if "://" in word or "localhost" in word), None)
        raise Wrong(f"api's health check {f'asks {asked}' if asked else 'asks no URL'}, not "
                    f"{HEALTH_URL}.",
                    f"The api answers on port 8080 at /healthz, and the check runs inside its "
                    f"container, where localhost is the api itself: curl -f {HEALTH_URL}.")
    fails = any(word in ("--fail", "--fail-with-body")
                or (word.startswith("-") and not word.startswith("--") and "f" in word[1:])
                for word in words)
    if any(word.rsplit("/", 1)[-1] == "curl" for word in words) and not fails:
        raise Wrong("api's health check runs curl without -f: curl exits 0 whatever status "
                    "/healthz answers, 500 included, so the check never fails.",
                    "Add -f (--fail): curl then exits with code 22 on an HTTP status of 400 or "
                    "more, and Docker counts the probe as failed.")


def _check_secret(service: dict[str, Any], secrets: dict[str, Any]) -> None:
    """The service lists the secret, which the file declares (else it would not have
    loaded) as created beforehand."""
    listed = [s.get("source") if isinstance(s, dict) else s for s in service.get("secrets") or []]
    if SECRET not in listed:
        declared = (f"The stack declares {SECRET} at the top level, but api does not list it "
                    "under its own secrets:" if SECRET in secrets
                    else f"api does not use the secret {SECRET}")
        raise Wrong(f"{declared}, so no task gets /run/secrets/{SECRET}.",
                    f"List {SECRET} under api's secrets: (the service), and declare it under the "
                    "top-level secrets: (the stack).")
    declaration = secrets[SECRET] or {}
    name = external_name(SECRET, declaration)
    if name is None:
        raise Wrong(f"The stack would create its own secret {SECRET} "
                    f"({'from a file' if declaration.get('file') else 'from nothing'}), not "
                    "use the one created beforehand.",
                    "A secret that exists already (docker secret create) is declared with "
                    "external: true.")
    if name != SECRET:
        raise Wrong(f"The stack's {SECRET} stands for an existing secret named {name!r}, so "
                    f"docker stack deploy looks for {name!r}, not the {SECRET} created "
                    "beforehand.",
                    f"Leave out the other name (name: or external: name:): an external secret "
                    f"is looked up by its key, {SECRET}, unless a name says otherwise.")


@checker(f"Right: two tasks of {API_IMAGE} run; Docker runs the health check every 10 s and "
         f"Swarm replaces a task that turns unhealthy, and each task reads the password from "
         f"/run/secrets/{SECRET}, a file in memory, never from an environment variable.")
def check_stack_file(text: object) -> None:
    """``text``: a stack file with the service ``api`` (:data:`API_IMAGE`, 2 replicas), a
    health check every 10 s and the external secret :data:`SECRET`."""
    service, read, secrets = _service(text)
    if service.get("image") != API_IMAGE:
        raise Wrong(f"api runs {service.get('image')!r}, not {API_IMAGE}.",
                    "Copy the image reference from the task, tag included.")
    if read.mode == "global":
        raise Wrong("api runs in global mode: Swarm starts one task on every node that can "
                    "take it, however many nodes the swarm has, not a number you choose.",
                    _REPLICATED)
    replicas = read.replicas
    if replicas != 2:
        raise Wrong(f"api asks for {replicas} replica{'s' if replicas != 1 else ''}, not 2.",
                    "Swarm reads the count from deploy: replicas: (1 when it is missing).")
    _check_health(service, read.healthcheck)
    _check_secret(service, secrets)
    swarm = run_stack(SwarmCluster(Node.many(3, "node", cpu=4, memory="8Gi"), seed=0),
                      text, until=30)
    running = [t for t in swarm.tasks("shop_api") if t.state == TaskState.RUNNING]
    if len(running) != 2:
        raise Wrong(f"Deployed, {len(running)} of 2 tasks run.",
                    "Ask swarm.ps() what keeps the others from running.")
