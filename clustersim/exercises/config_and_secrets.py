"""Checks for the chapter ``book/orchestrators/config-and-secrets.md``.

- :func:`check_edit_reaches`: which of a Pod's uses of a ConfigMap see an edit without a restart
  (:mod:`clustersim.kubernetes.configupdates`;
  https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically).
- :func:`check_rotation`: rotate an immutable Secret in the simulated cluster: a new Secret with
  a new name that holds the new password, and the Deployment pointed at it (a rollout).
- :func:`check_swarm_rotation`: the same in Swarm, with ``docker service update --secret-rm
  --secret-add``, to an absolute ``target`` (:data:`SWARM_PATH`) where the chapter keeps
  ``/run/secrets/db_pass`` (https://docs.docker.com/engine/swarm/secrets/).
"""

from __future__ import annotations

import base64
import csv
from collections.abc import Mapping
from typing import Any

from clustersim.exercises.answers import second_command, shell_words, yaml_text
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.labels import reads_as
from clustersim.goformat import NumError, atoi, parse_int
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.configupdates import Consumer, consumers
from clustersim.manifests import load_manifests
from clustersim.node import Node

__all__ = ["DEPLOYMENT", "NEW_PASSWORD", "NEW_SWARM", "OLD_SWARM", "POD", "SECRET_V1",
           "SWARM_PATH", "check_edit_reaches", "check_rotation", "check_swarm_rotation",
           "rotated_cluster"]

POD: dict[str, Any] = {
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
    "spec": {
        "containers": [{
            "name": "web", "image": "nginx:1.27",
            "env": [{"name": "LOG_LEVEL", "valueFrom": {
                "configMapKeyRef": {"name": "web-config", "key": "log-level"}}}],
            "volumeMounts": [
                {"name": "config", "mountPath": "/etc/web"},
                {"name": "config", "mountPath": "/etc/nginx/nginx.conf",
                 "subPath": "nginx.conf"}]}],
        "volumes": [{"name": "config", "configMap": {"name": "web-config"}}]}}
"""A Pod that uses the ConfigMap ``web-config`` three ways."""

SECRET_V1 = """\
apiVersion: v1
kind: Secret
metadata:
  name: db-pass-v1
type: Opaque
immutable: true
data:
  password: b2xkLXBhc3N3b3Jk
"""
"""The Secret in use: immutable, its password base64-encoded (``old-password``)."""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: shop/api:3.1
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db-pass-v1, key: password}
"""
"""The Deployment that reads the password from ``db-pass-v1``."""


def _start() -> KubernetesCluster:
    cluster = KubernetesCluster(Node.many(2, "node", cpu="4", memory="8Gi"), seed=0)
    cluster.apply(SECRET_V1 + "---\n" + DEPLOYMENT)
    cluster.run(until=60)
    return cluster


@checker("Right: only the directory mount /etc/web is rewritten, at the Pod's next sync (syncs "
         "come 60 to 90 s apart). LOG_LEVEL was set when the container was created, and the "
         "subPath file is a bind mount of the old file: both need a new container.")
def check_edit_reaches(answer: object) -> None:
    if not isinstance(answer, list | set | tuple) or not all(isinstance(a, str) for a in answer):
        raise Wrong('The answer must be a list of strings such as ["LOG_LEVEL"].',
                    "Name each use by its variable or its mount path.")
    uses = {c.target: c for c in consumers(POD)}
    given = {_use(item, uses) for item in answer}
    right = {target for target, c in uses.items() if c.updates}
    if given == right:
        return
    if "LOG_LEVEL" in given:
        raise Wrong("LOG_LEVEL keeps its old value.",
                    "Environment variables are resolved once, when the container is created.")
    if "/etc/nginx/nginx.conf" in given:
        raise Wrong("/etc/nginx/nginx.conf keeps its old content.",
                    "It is mounted with subPath: the kubelet swaps a symlink in the volume, but "
                    "the container has a bind mount of the old file.")
    raise Wrong("One use does see the edit.",
                "A ConfigMap mounted as a directory is rewritten at the Pod's next sync.")


_USE_WORDS = {
    **dict.fromkeys(("log-level", "$LOG_LEVEL"),
                    "The Pod reads the key log-level into a variable: name that use by the "
                    "variable's name, as the Pod spells it, without a $."),
    "nginx.conf": "nginx.conf is a key of the ConfigMap; the Pod mounts it as one file: name "
                  "that use by its mount path.",
    **dict.fromkeys(("config", "web-config"),
                    "That names the volume or the ConfigMap, which two mounts share: name each "
                    "use by its own mount path."),
    **dict.fromkeys(("env", "volume", "subPath", "volumeMount"),
                    "That is how a use is made, not which one: name it by its variable or its "
                    "mount path."),
}
"""Words a learner may give for a use of ``web-config`` that name none: its key, the volume,
the ConfigMap, the kind of use."""


def _use(item: str, uses: Mapping[str, Consumer]) -> str:
    """The use of ``uses`` (by variable name or mount path) that ``item`` names: as the Pod
    spells it, or a directory mount's path with trailing slashes, which name the same
    directory (POSIX XBD 4.13, pathname resolution; after a file's path, a slash is an error,
    ENOTDIR); else :class:`Wrong` with the hint for a word of the field (:data:`_USE_WORDS`),
    a path inside a mount or above one, or a path written from no root."""
    text = item.strip()
    path = text.rstrip("/")
    if text in uses or (path in uses and uses[path].how == "volume"):
        return path if path in uses else text
    listed = "They are: " + ", ".join(uses) + "."
    said = next((hint for word, hint in _USE_WORDS.items() if reads_as(text, word)
                 or text == word), None)
    inside = next((use for use in uses if path.startswith(use + "/")), None)
    above = next((use for use in uses if path and use.startswith(path + "/")), None)
    if said is None and path in uses:
        said = (f"The mount at {path} is one file (subPath), and a path that ends in a slash "
                "names a directory: drop the slash.")
    if said is None and inside is not None:
        said = (f"That is a file inside the mount at {inside}: the use is the mount, named "
                "by its path.")
    if said is None and above is not None:
        said = (f"That directory holds the mount at {above}: the use is the mount, named by "
                "its own path.")
    if said is None and "/" + path in uses:
        said = "A mount path is written from the root, with a leading /."
    raise Wrong(f"{item!r} is not one of the Pod's uses of web-config.",
                f"{said} {listed}" if said else listed)


def rotated_cluster(text: str) -> KubernetesCluster:
    """The cluster after ``text`` (YAML manifests) is applied to the running ``api``, two
    minutes later. A manifest the loader refuses is named "your manifests" in the error."""
    cluster = _start()
    cluster.apply(load_manifests(text, name="your manifests"))
    cluster.run(until=180)
    return cluster


def _secret_names(obj: dict[str, Any]) -> set[str]:
    """The Secrets a Deployment (its template) or a Pod reads."""
    return {c.name for c in consumers(obj) if c.kind == "Secret"}


OLD_SECRET = "db-pass-v1"
"""The immutable Secret the Deployment reads before the rotation."""

NEW_PASSWORD = "new-password"
"""The password the rotation must put in the new Secret (any name but :data:`OLD_SECRET`:
the chapter names one by a hash of its content, the solution ``db-pass-v2``)."""

_ENCODED = base64.b64encode(NEW_PASSWORD.encode()).decode()
""":data:`NEW_PASSWORD` as ``data`` holds it, what ``printf new-password | base64`` prints."""


def _password(secret: dict[str, Any]) -> str | None:
    """The key ``password`` of a stored Secret as the container would read it, decoded from
    ``data`` (a ``stringData`` key was folded into ``data`` when the Secret was stored, as
    the API server does: :mod:`~clustersim.kubernetes.secretdata`); None when it has no such
    key."""
    encoded = (secret.get("data") or {}).get("password")
    # the loader has refused data that is not base64 ("illegal base64 data")
    return None if encoded is None else base64.b64decode(str(encoded)).decode("utf-8", "replace")


def _check_new_password(name: str, secret: dict[str, Any]) -> None:
    """:class:`Wrong` unless the Secret ``name`` holds exactly :data:`NEW_PASSWORD`."""
    password = _password(secret)
    if password is None:
        raise Wrong(f"{name} has no key password.",
                    "The Deployment reads the key password: keep that key under data.")
    if password == NEW_PASSWORD:
        return
    if password == "old-password":
        raise Wrong(f"{name} holds the old password, old-password.",
                    f"Put the new one in it: {NEW_PASSWORD}, base64 {_ENCODED}.")
    if password.rstrip("\r\n") == NEW_PASSWORD:
        raise Wrong(f"{name}'s password is {password!r}: it ends with a newline, which the "
                    "application would send as part of the password.",
                    f"echo adds a newline: encode with printf {NEW_PASSWORD} | base64 (or echo "
                    f"-n), which prints {_ENCODED}.")
    raise Wrong(f"{name}'s password is {password!r}, not {NEW_PASSWORD!r}.",
                f"base64 of {NEW_PASSWORD} is {_ENCODED} (printf {NEW_PASSWORD} | base64).")


def _new_secrets(cluster: KubernetesCluster) -> list[str]:
    """The Secrets of the namespace beside :data:`OLD_SECRET`, by name."""
    return sorted(str(s["metadata"]["name"]) for s in cluster.objects("Secret", "default")
                  if s["metadata"]["name"] != OLD_SECRET)


@checker("Right: a new Secret exists beside db-pass-v1, and changing the Deployment's "
         "reference rolled out new Pods that read it. Once no Pod uses db-pass-v1, delete it.")
def check_rotation(text: object) -> None:
    text = yaml_text(text, "YAML text with the manifests to apply")
    try:
        cluster = rotated_cluster(text)
    except ValueError as err:
        message = str(err)
        if "immutable" in message:
            raise Wrong(f"The API server refuses it: {message}",
                        "An immutable Secret cannot change: create one with a new name.") from None
        raise Wrong(f"The cluster refuses it: {message}",
                    f"data holds base64 ({_ENCODED} for {NEW_PASSWORD}); plain text goes under "
                    "stringData." if "base64" in message else "Fix the manifest it names."
                    ) from None
    names = _secret_names(cluster.get("Deployment", "default", "api") or {})
    if OLD_SECRET in names or not names:
        created = _new_secrets(cluster)
        if not created:
            raise Wrong("There is no new Secret.", "Add a Secret with a new name (db-pass-v2, "
                        "or one with a hash of its content) and the key password.")
        for name in created:
            _check_new_password(name, cluster.get("Secret", "default", name) or {})
        raise Wrong(f"The Deployment still reads {OLD_SECRET}.",
                    f"Point its secretKeyRef at {created[0]}: that changes the Pod template, "
                    "and the Deployment rolls out new Pods.")
    if len(names) > 1:
        raise Wrong(f"The Deployment reads several Secrets: {', '.join(sorted(names))}.",
                    "Keep its one secretKeyRef, pointed at the new Secret.")
    [new] = names
    secret = cluster.get("Secret", "default", new)
    if secret is None:
        raise Wrong("The new Pods wait for a Secret that does not exist "
                    f"(CreateContainerConfigError): {new}.", f"Apply the Secret {new} as well.")
    _check_new_password(new, secret)
    pods = [p for p in cluster.pods() if p.labels.get("app") == "api"]
    if any(_secret_names(cluster.get("Pod", "default", p.name) or {}) != {new}
           for p in pods):
        raise Wrong(f"Some api Pods still read {OLD_SECRET}.",
                    "The rollout replaces them: look at cluster.pods().")
    if len(pods) != 2 or not all(p.ready for p in pods):
        raise Wrong("The api Pods are not all running.",
                    "Look at cluster.pods() and cluster.events for the reason.")


OLD_SWARM = "db_pass_2026_06"
"""The Swarm secret the service ``api`` reads before the rotation (Docker's guide advises a
version or a date in a secret's name)."""

NEW_SWARM = "db_pass_2026_12"
"""The Swarm secret already created with the new password."""

SWARM_PATH = "/etc/api/db_password"
"""Where the application reads its password: an absolute ``target``, not the chapter's
``/run/secrets/db_pass``, so the exercise is not the chapter's command."""


_BOOLEAN_FLAGS = frozenset({"-d", "--detach", "-q", "--quiet", "--force", "--rollback",
                            "--no-resolve-image", "--with-registry-auth", "--read-only",
                            "--init", "--no-healthcheck", "-t", "--tty"})
"""The flags of ``docker service update`` that take no value (docker/cli
``cli/command/service/update.go`` and ``opts.go``); every other flag takes one."""


def _service_update(words: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The arguments and the flags (name → values) of ``docker service update`` words, read
    as the docker CLI's flag parser does: ``--flag value`` or ``--flag=value``, flags before
    or after the service name."""
    arguments: list[str] = []
    flags: dict[str, list[str]] = {}
    rest = iter(words)
    for word in rest:
        if not word.startswith("-"):
            arguments.append(word)
            continue
        name, equals, value = word.partition("=")
        if not equals and name not in _BOOLEAN_FLAGS:
            value = next(rest, "")
        flags.setdefault(name, []).append(value)
    return arguments, flags


_SECRET_KEYS = ("source", "src", "target", "uid", "gid", "mode")
"""The keys of a ``--secret``/``--secret-add`` value (docker/cli ``opts/secret.go``,
``SecretOpt.Set``), compared in any case."""

def _secret_target(flag: str, added: str) -> tuple[str, str]:
    """(source, path in the container) of one ``--secret-add`` value, read as
    ``SecretOpt.Set`` reads it: ``NAME``, or comma-separated ``key=value`` fields (CSV, so a
    field may be quoted); a relative target lands under ``/run/secrets/`` and an absolute one
    where it says (moby ``container/container_unix.go``, ``getSecretTargetPath``). What the
    docker CLI refuses is :class:`Wrong` with its message as cobra prints it (``invalid
    argument "..." for "--secret-add" flag: invalid field in secret request: dst``), a
    ``mode`` that ``strconv.ParseUint(value, 0, 32)`` refuses among them (``invalid mode
    specified: ...``). The CLI takes any ``uid`` and ``gid``, but the daemon reads them with
    ``strconv.Atoi`` as it mounts the secret (moby ``daemon/container_operations_unix.go``,
    ``setupSecretDir``), so every new task would fail to start: refused too, in Go's words."""
    fields = next(csv.reader([added]), [])

    def refused(problem: str, hint: str) -> Wrong:
        return Wrong(f'invalid argument "{added}" for "{flag}" flag: {problem}', hint)

    if not fields:          # Go's csv.Reader returns io.EOF for an empty value
        raise refused("EOF", "Give the secret to add: --secret-add "
                      f"source={NEW_SWARM},target={SWARM_PATH}.")
    if len(fields) == 1 and "=" not in fields[0]:
        source, target = fields[0], fields[0]
    else:
        values: dict[str, str] = {}
        for field in fields:
            key, equals, value = field.partition("=")
            if not equals or not key:
                raise refused(f"invalid field '{field}' must be a key=value pair",
                              "Write each field as key=value, e.g. "
                              f"source={NEW_SWARM},target={SWARM_PATH}.")
            name = key.lower()      # compared in any case, printed as typed
            if name not in _SECRET_KEYS:
                raise refused(f"invalid field in secret request: {key}",
                              "The path in the container is given by the key target (dst and "
                              f"destination are --mount's words): source={NEW_SWARM},"
                              f"target={SWARM_PATH}." if name in ("dst", "destination") else
                              "The keys are source (or src), target, uid, gid and mode.")
            if name == "mode":
                try:
                    parse_int(value, signed=False, bits=32, base=0)
                except NumError as err:
                    raise refused(f"invalid mode specified: {err}",
                                  "The mode is the file's permissions as a number: octal "
                                  "with a leading 0 (mode=0400) or decimal (mode=256).") from None
            values["source" if name == "src" else name] = value
        source = values.get("source", "")
        if not source:
            raise refused("source is required", f"Name the secret: source={NEW_SWARM}.")
        target = values.get("target") or source
        for key in ("uid", "gid"):
            try:
                atoi(values.get(key, "0"))
            except NumError as err:
                raise Wrong(f"docker service update takes {key}={values[key]}, but every new "
                            f"task would fail to start: the daemon reads the {key} as a "
                            f"number ({err}).",
                            f"The {key} is a number (0, root, is the default): {key}=1000."
                            ) from None
    return source, target if target.startswith("/") else f"/run/secrets/{target}"


@checker(f"Right: the service's tasks are replaced by new ones that find {NEW_SWARM} at "
         f"{SWARM_PATH}, the path the application already reads.")
def check_swarm_rotation(command: object) -> None:
    if not isinstance(command, str):
        raise Wrong("The answer must be a command line, as a string.", "Write one docker command.")
    words = shell_words(command, unreadable="The command cannot be split into words",
                        hint="Check the quotes.")
    separator = second_command(words)
    if separator:
        raise Wrong(f"The answer runs more than one command (it has {separator}).",
                    "Give the one docker service update command; to break it over lines, end "
                    "every line but the last with a backslash (\\).")
    if words[:2] == ["docker", "secret"]:
        raise Wrong("docker secret cannot change a secret's data.",
                    f"Swarm secrets are immutable: create {NEW_SWARM} (done) and switch the "
                    "service over with docker service update.")
    arguments, flags = _service_update(words[3:])
    if words[:3] == ["docker", "service", "update"] and len(arguments) > 1:
        raise Wrong("docker service update takes one argument, the service; this command "
                    f"gives {len(arguments)}: {', '.join(arguments)}.",
                    "A value with several fields is one word: separate them with commas, "
                    "not spaces.")
    if words[:3] != ["docker", "service", "update"] or arguments != ["api"]:
        raise Wrong("That does not update the service api.",
                    "It is docker service update OPTIONS api.")
    if OLD_SWARM not in flags.get("--secret-rm", []):
        raise Wrong(f"The service keeps {OLD_SWARM}.", f"Remove it with --secret-rm {OLD_SWARM}.")
    targets = dict(_secret_target("--secret-add", added)
                   for added in flags.get("--secret-add", []))
    if NEW_SWARM not in targets:
        raise Wrong(f"The service does not get {NEW_SWARM}.",
                    f"Add it with --secret-add source={NEW_SWARM},target={SWARM_PATH}.")
    if targets[NEW_SWARM] != SWARM_PATH:
        hint = (" (a relative target lands under /run/secrets/)"
                if targets[NEW_SWARM].startswith("/run/secrets/") else "")
        raise Wrong(f"The new secret would appear as {targets[NEW_SWARM]}{hint}.",
                    "Keep the path the application reads: "
                    f"--secret-add source={NEW_SWARM},target={SWARM_PATH}.")
