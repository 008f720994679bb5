"""Check manifests against the real systems' published schemas, offline.

The loaders in :mod:`clustersim.manifests` check what the simulators read. Before a manifest
goes to a real cluster it should also pass the schema the real system publishes:

- **Kubernetes** objects are checked with the schemas of `kubernetes-validate
  <https://github.com/willthames/kubernetes-validate>`_ against the OpenAPI-derived JSON
  schemas of one Kubernetes release (:data:`KUBERNETES_VERSION`, from
  :mod:`clustersim.release`, the newest the pinned kubernetes-validate ships; any release it
  ships, 1.25 on, can be asked for with ``version=``). The package ships the
  schemas of every release it supports inside the wheel (``kubernetes_validate/
  kubernetes-json-schema/v<version>-local[-strict]/``), so nothing is downloaded at run time.
  ``strict`` uses the ``-strict`` schemas, which refuse unknown fields (``replica:`` for
  ``replicas:``) the way ``kubectl apply --validate=strict`` does.
- **Compose** stack files are checked against the `Compose specification
  <https://github.com/compose-spec/compose-spec>`_'s JSON schema (``schema/
  compose-spec.json``). The copy used is the one that `check-jsonschema
  <https://github.com/python-jsonschema/check-jsonschema>`_ ships in its wheel
  (``check_jsonschema/builtin_schemas/vendor/compose-spec.json``, Apache-2.0, with its
  licence beside it), read as a package resource; nothing is downloaded at run time.

``docker stack deploy`` does not read the Compose specification: docker/cli validates a
stack file against its own Compose file format 3 schemas (``cli/compose/schema/data/
config_schema_v3.*.json``) and its loader (``cli/compose/loader``). :func:`validate_stack`
follows those rules where they differ in ways the course teaches: the long form of
``depends_on`` (a mapping with ``condition:``) is refused ("must be a list"), and options
that Swarm ignores (``restart:``, ``build:``, ``container_name:``) come back as warnings
with the words ``docker stack deploy`` prints ("Ignoring unsupported options: restart").
Those rules live once, in the stack loader (:mod:`clustersim.manifests.compose`);
:func:`validate_stack` reports what it says.

A schema only says what shape a document may have. The API server (and ``docker stack
deploy``) check more: names, immutable fields, quotas, admission webhooks. A manifest that
passes here can still be refused there; one that fails here is refused for sure.

Every problem comes back as a :class:`SchemaProblem` with the object and the field path, e.g.
``Deployment/api: spec.replicas: '3' is not of type 'integer'``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import kubernetes_validate
import kubernetes_validate.utils
from referencing import Registry, Resource

from clustersim.release import KUBERNETES_VERSION

__all__ = [
    "KUBERNETES_VERSION",
    "SchemaError",
    "SchemaProblem",
    "compose_schema",
    "kubernetes_definitions",
    "require_valid",
    "validate_compose",
    "validate_kubernetes",
    "validate_stack",
]



@dataclass(frozen=True)
class SchemaProblem:
    """One way a document breaks its schema: which ``document``, where (``path``), what."""

    document: str
    path: str
    message: str
    severity: str = "error"
    """``error`` (the real system refuses the document) or ``warning`` (it accepts the
    document but ignores a part of it)."""

    def __repr__(self) -> str:
        extra = f", severity={self.severity!r}" if self.severity != "error" else ""
        return (f"SchemaProblem(document={self.document!r}, path={self.path!r}, "
                f"message={self.message!r}{extra})")

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.document}: {label}{where}{self.message}"


class SchemaError(ValueError):
    """Raised by :func:`require_valid`: the message lists every problem, one per line."""

    def __init__(self, problems: list[SchemaProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} schema problem(s):\n{lines}")


def require_valid(problems: list[SchemaProblem]) -> None:
    """Raise :class:`SchemaError` if ``problems`` holds an error (warnings pass)."""
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise SchemaError(errors)


def field_path(parts: Iterable[str | int]) -> str:
    """``["spec", "containers", 0, "image"]`` → ``spec.containers[0].image``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _documents(source: Any) -> list[dict[str, Any]]:
    """Plain dicts from a dict, a list of dicts, specs (``spec.manifest``) or a ManifestSet."""
    items = [source] if isinstance(source, Mapping) or hasattr(source, "manifest") else source
    documents = []
    for item in items:
        document = getattr(item, "manifest", item)
        if not isinstance(document, Mapping):
            raise ValueError(f"expected a manifest (a dict or a Spec), got {type(item).__name__}")
        documents.append(dict(document))
    return documents


def validate_kubernetes(
    source: Any, version: str = KUBERNETES_VERSION, *, strict: bool = True
) -> list[SchemaProblem]:
    """Problems of Kubernetes objects against the API schemas of release ``version``.

    ``source`` is one object (a dict), a list of them, or specs from ``load_manifests``.
    Returns every problem (an empty list when everything validates), object by object, in
    field-path order. An object of a kind the release does not know (a custom resource, a
    removed API version) is a problem too: the schema cannot vouch for it.
    """
    problems = []
    for document in _documents(source):
        kind, api_version = document.get("kind"), document.get("apiVersion")
        name = (document.get("metadata") or {}).get("name") or "<no name>"
        label = f"{kind}/{name}"
        if not isinstance(kind, str) or not isinstance(api_version, str):
            problems.append(SchemaProblem(label, "", "needs 'apiVersion' and 'kind' strings"))
            continue
        release = _shipped_release(version)
        try:
            validator = _kubernetes_validator(release, kind, api_version, strict)
        except FileNotFoundError:
            problems.append(SchemaProblem(
                label, "apiVersion", f"Kubernetes {_minor(release)} has no kind {kind} in "
                f"{api_version} (a custom resource, a typo, or an API version no longer served)"))
            continue
        errors = (_deepest(error) for error in validator.iter_errors(document))
        problems.extend(sorted(
            (SchemaProblem(label, field_path(e.absolute_path), e.message) for e in errors),
            key=lambda problem: problem.path))
    return problems


def _minor(release: str) -> str:
    return ".".join(release.split(".")[:2])


def _shipped_release(version: str) -> str:
    """The newest release kubernetes-validate ships that is not newer than ``version``, as
    ``kubernetes_validate.validate`` picks it (``1.35`` → ``1.35.0``)."""
    wanted = _release(_minor(version.removeprefix("v")))
    shipped = sorted(set(kubernetes_validate.utils.all_versions()), key=_release)
    usable = [release for release in shipped if _release(_minor(release)) <= wanted]
    if not usable or wanted > _release(_minor(shipped[-1])):
        raise ValueError(f"kubernetes-validate {kubernetes_validate.version.__version__} has no "
                         f"schemas for Kubernetes {version}; pick one of {', '.join(shipped)}")
    return usable[-1]


@cache
def _kubernetes_validator(
    release: str, kind: str, api_version: str, strict: bool
) -> jsonschema.Draft202012Validator:
    """A validator for one kind, built once: the schema files kubernetes-validate ships
    (``kubernetes-json-schema/v<release>-local[-strict]/<kind>-<group>-<version>.json`` and
    ``_definitions.json``, looked up as ``kubernetes_validate.utils.validate`` does: the
    group's domain is dropped, ``apps/v1`` → ``apps-v1``). Reading them per object, as
    ``kubernetes_validate.validate`` does, costs tens of milliseconds each time; and its
    ``validate`` stops at the first error, where this reports them all."""
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    folder = f"kubernetes-json-schema/v{release}-local{'-strict' if strict else ''}"
    read = kubernetes_validate.utils.schema_contents
    schema = read(f"{folder}/{kind.lower()}-{group_version}.json", release)
    definitions = read(f"{folder}/_definitions.json", release)
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.Draft202012Validator(schema, registry=registry)


@cache
def kubernetes_definitions(version: str = KUBERNETES_VERSION) -> dict[str, Any]:
    """Every API type's JSON schema of a Kubernetes release, by OpenAPI name
    (``io.k8s.api.apps.v1.Deployment``), with descriptions, ``$ref`` links as
    ``#/$defs/<name>`` and each kind's ``x-kubernetes-group-version-kind``: the
    ``_definitions.json`` that kubernetes-validate ships. Shared; do not change it."""
    release = _shipped_release(version)
    contents = kubernetes_validate.utils.schema_contents(
        f"kubernetes-json-schema/v{release}-local/_definitions.json", release)
    return contents["$defs"]


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@cache
def compose_schema() -> dict[str, Any]:
    """The Compose specification's JSON schema (draft 2020-12) as check-jsonschema ships it."""
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads((vendor / "compose-spec.json").read_text(encoding="utf-8"))


@cache
def _compose_validator() -> jsonschema.Draft202012Validator:
    schema = compose_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """The most specific cause of an ``anyOf``/``oneOf`` failure: ``ports[0]: 'x' is not of
    type 'integer'`` says more than ``... is not valid under any of the given schemas``."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
    return error


def _declared(schema: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The property names and patterns a schema declares, through ``allOf`` and local
    ``$ref`` (the Compose ``service`` is ``allOf`` container and workload specs)."""
    known = set(schema.get("properties") or {})
    patterns = set(schema.get("patternProperties") or {})
    parts = list(schema.get("allOf") or [])
    if isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/$defs/"):
        parts.append(compose_schema()["$defs"][schema["$ref"].removeprefix("#/$defs/")])
    for part in parts:
        more_known, more_patterns = _declared(part)
        known |= more_known
        patterns |= more_patterns
    return known, patterns


_UNKNOWN_KEY_VALIDATORS = ("additionalProperties", "unevaluatedProperties")
"""The keywords by which the Compose schema refuses a key it does not declare."""


def _unknown_keys(error: jsonschema.ValidationError) -> list[str]:
    """The keys an ``additionalProperties: false`` or ``unevaluatedProperties: false`` error
    is about, those the schema does not declare at all: ``unevaluatedProperties`` also lists
    known keys whose own value failed (the other errors already say what is wrong), and
    jsonschema words an undeclared key beside ``patternProperties`` as "'replica' does not
    match any of the regexes: '^x-'"."""
    known, patterns = _declared(error.schema)
    return [key for key in error.instance
            if key not in known and not any(re.search(pattern, key) for pattern in patterns)]


def _messages(error: jsonschema.ValidationError) -> list[str]:
    """What one schema error says: each undeclared key in the words docker/cli and compose-go
    print (gojsonschema's "Additional property replica is not allowed", after the key's
    place, e.g. ``services.web.deploy Additional property replica is not allowed``: docker/cli
    ``cli/compose/schema/schema.go``, compose-go ``schema/schema_test.go``), any other error
    in jsonschema's words."""
    if error.validator in _UNKNOWN_KEY_VALIDATORS:
        return [f"Additional property {key} is not allowed" for key in _unknown_keys(error)]
    return [error.message]


def validate_compose(source: Any, name: str = "stack") -> list[SchemaProblem]:
    """Problems of a Compose file (a dict, a stack :class:`~clustersim.Spec`) against the
    Compose specification's schema, all of them, in field-path order.

    Both the short syntaxes a person writes (``ports: ["80:8000"]``) and the long forms that
    ``load_manifests`` expands them to are valid Compose.
    """
    documents = _documents(source)
    if len(documents) != 1:
        raise ValueError(f"expected one Compose file, got {len(documents)} documents")
    label = getattr(source, "name", name) if not isinstance(source, Mapping) else name
    problems = []
    for error in _compose_validator().iter_errors(documents[0]):
        error = _deepest(error)
        problems += [SchemaProblem(label, field_path(error.absolute_path), message)
                     for message in _messages(error)]
    return sorted(problems, key=lambda problem: problem.path)


def validate_stack(source: Any, name: str = "stack") -> list[SchemaProblem]:
    """Problems of a stack file as ``docker stack deploy`` sees them: the Compose
    specification's schema problems (:func:`validate_compose`), then what docker/cli's
    Compose file format 3 rules refuse where they are stricter (the long form of
    ``depends_on``), as errors; then the options Swarm ignores (``restart``...), as
    warnings (``severity="warning"``).

    ``source`` is a dict or a stack loaded by ``load_manifests`` (whose warnings are used:
    it has passed the stack loader already).
    """
    from clustersim.manifests import ManifestError, load_manifests

    problems = validate_compose(source, name)
    label = getattr(source, "name", name) if not isinstance(source, Mapping) else name
    if hasattr(source, "warnings"):
        warnings = list(source.warnings)
    else:
        try:
            warnings = [w for spec in load_manifests(_documents(source)[0], name=label)
                        for w in spec.warnings]
        except ManifestError as err:
            if not problems:  # the loader stops at its first refusal: name it when the
                # specification's schema saw none (where docker/cli is stricter)
                problems.append(SchemaProblem(label, err.path, err.message))
            return problems
    problems += [SchemaProblem(label, "", warning, severity="warning")
                 for warning in warnings if warning.startswith("Ignoring")]
    return problems
