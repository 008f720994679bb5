"""A service's references to the file's top-level secrets, configs, volumes and networks, and
the first one the file does not declare, refused as ``docker stack deploy`` refuses it.

``docker stack deploy`` does not check these references while it loads the file (that is
``docker compose``'s loader, compose-go, whose words are ``service "web" refers to undefined
network backend: invalid compose project``); its own converter finds them while it turns each
service into a ``ServiceSpec`` (docker/cli ``cli/compose/convert/service.go``):

- ``Services`` converts the service's secrets (``convertServiceSecrets``: ``undefined secret
  "x"``), then its configs and its credential spec's config (``convertServiceConfigObjs``:
  ``undefined config "x"``), then the rest in ``Service``: its mode first
  (``convertDeployMode``: ``replicas`` with a ``global`` or ``global-job`` mode, "replicas
  can only be used with replicated or replicated-job mode", :func:`deploy_mode_problem`),
  its volumes (``Volumes`` in ``cli/compose/convert/volume.go``: ``undefined volume "x"``),
  its resources (``convertResources``: a ``cpus`` that does not parse), its health check
  (``convertHealthcheck``: ``disable`` with a ``test``,
  :func:`~clustersim.manifests.healthchecks.disable_problem`), then its networks
  (``convertServiceNetworks``: ``undefined network "x"``); it wraps the
  first error in ``service <name>: ``. An unknown restart condition and a constraint
  without an operator pass docker/cli: the daemon refuses them after every service is
  converted (:mod:`~clustersim.manifests.compose_late_checks`). Simplified: the ``cpus``
  refusal keeps the loader's words, without docker/cli's ``service <name>:``.
- A volume reference is a mount of type ``volume`` with a source (an anonymous volume has
  none, a bind or a tmpfs names no volume) or of type ``cluster`` whose source is not a volume
  group (``group:...``); the key must be among the top-level ``volumes``, even as
  ``data:`` with nothing after it.
- A network reference is a key of the service's ``networks`` (a list or a mapping); the
  network ``default`` needs no declaration, as the stack creates ``<stack>_default`` for it.

Simplified: docker/cli reaches this refusal after it has created the stack's networks (an
undeclared one among them, as a default overlay network) and its secrets and configs
(``deployCompose`` in ``cli/command/stack/deploy_composefile.go``), and walks the services in
Go's random map order; the loader refuses before anything is created and names the file's
first service with an undeclared reference.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from clustersim.goformat import go_quote
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.healthchecks import disable_problem
from clustersim.manifests.safe_yaml import Document, Path

__all__ = ["conversion_problem", "deploy_mode_problem", "undefined_reference"]

_DECLARE = {
    "secrets": "external: true for one made beforehand with docker secret create, or file: "
               "and its path",
    "configs": "external: true for one made beforehand with docker config create, or file: "
               "and its path",
    "volumes": "nothing more for a volume each node creates, or external: true for one made "
               "beforehand with docker volume create; ./{source} for a folder of the host",
    "networks": "nothing more for an overlay network the stack creates, or external: true for "
                "one made beforehand with docker network create --driver overlay",
}
"""What a top-level declaration of each kind can say, for the refusal's advice."""


def _references(service: Mapping[str, Any], original: Mapping[str, Any],
                typed: Any) -> Iterator[tuple[Path, str, str]]:
    """(place in the service, section, key) of every reference, in docker/cli's order.
    ``service`` has the long forms, ``original`` the networks as written (their place)."""
    for kind in ("secrets", "configs"):
        for index, ref in enumerate(service.get(kind) or []):
            yield (kind, index), kind, ref["source"]
    spec = typed.credential_spec
    if spec is not None and spec.config:
        yield ("credential_spec", "config"), "configs", spec.config
    for index, mount in enumerate(service.get("volumes") or []):
        source = mount.get("source")
        if source and (mount.get("type") == "volume" or (
                mount.get("type") == "cluster" and not str(source).startswith("group:"))):
            yield ("volumes", index), "volumes", str(source)
    networks = original.get("networks")
    keys = list(enumerate(networks)) if isinstance(networks, list) else \
        [(key, key) for key in networks] if isinstance(networks, dict) else []
    for where, key in keys:
        if str(key) != "default":
            yield ("networks", where), "networks", str(key)


def conversion_problem(document: Document, data: Mapping[str, Any], name: str,
                       service: tuple[dict[str, Any], Mapping[str, Any]],
                       typed: Any, cpus: ManifestError | None = None) -> ManifestError | None:
    """docker/cli's first refusal while it converts service ``name`` (its long forms and the
    service as written), in its order: an undeclared secret or config, the mode, an
    undeclared volume, ``cpus`` (the refusal of a ``cpus`` that does not parse, found by
    :mod:`~clustersim.manifests.compose_late_checks`), the health check, an undeclared
    network (module docstring); ``None`` when it converts."""
    return (undefined_reference(document, data, name, service, typed, ("secrets", "configs"))
            or deploy_mode_problem(document, name, typed)
            or undefined_reference(document, data, name, service, typed, ("volumes",))
            or cpus
            or _health_problem(document, name, typed)
            or undefined_reference(document, data, name, service, typed, ("networks",)))


def _health_problem(document: Document, name: str, typed: Any) -> ManifestError | None:
    problem = disable_problem(typed.healthcheck)
    return None if problem is None else document.error(
        ("services", name, "healthcheck", "disable"), f"service {name}: {problem}",
        'disable: true alone to switch the image\'s health check off (or test: ["NONE"]), '
        "or a test without disable")


def deploy_mode_problem(document: Document, name: str, typed: Any) -> ManifestError | None:
    """``convertDeployMode`` (docker/cli ``cli/compose/convert/service.go``): a ``global``
    or ``global-job`` service runs one task per node and takes no ``replicas``."""
    deploy = typed.deploy
    if deploy is None or deploy.mode not in ("global", "global-job") or deploy.replicas is None:
        return None
    return document.error(
        ("services", name, "deploy", "replicas"),
        f"service {name}: replicas can only be used with replicated or replicated-job mode",
        f"no replicas for a {deploy.mode} service (one task per node), or mode: replicated "
        "for a fixed number of tasks")


def undefined_reference(document: Document, data: Mapping[str, Any], name: str,
                        service: tuple[dict[str, Any], Mapping[str, Any]], typed: Any,
                        kinds: tuple[str, ...] = ("secrets", "configs", "volumes", "networks"),
                        ) -> ManifestError | None:
    """The refusal of the first reference to one of ``kinds`` of service ``name`` (its long
    forms and the service as written) that the top-level sections of ``data`` do not
    declare, or ``None``."""
    expanded, original = service
    for where, kind, source in _references(expanded, original, typed):
        if kind not in kinds:
            continue
        declared = data.get(kind)
        if isinstance(declared, dict) and source in map(str, declared):
            continue
        return document.error(
            ("services", name, *where),
            f"service {name}: undefined {kind[:-1]} {go_quote(source)}",
            f"{source} declared under a top-level {kind}: beside services: ("
            + _DECLARE[kind].format(source=source)
            + f"), or {source} taken out of {name}'s {where[0]}",
        )
    return None
