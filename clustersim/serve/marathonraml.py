"""Marathon's two checks of a posted app definition (one app, the apps of a group, a list of
apps), with Marathon's own answers.

Marathon 1.x reads an app in two steps (d2iq-archive/marathon):

1. The JSON reader generated from the RAML types (``docs/docs/rest-api/public/api/v2/types/
   app.raml``, ``stringTypes.raml``; the generator ``type-generator/.../FieldVisitor.scala``
   chains Play JSON's ``min``, ``max``, ``minLength`` and ``pattern`` reads). A field of the
   wrong JSON type or out of its RAML bounds fails there: 422 ``Invalid JSON`` whose
   ``details`` give Play's error keys per field, all fields at once
   (``api/RestResource.scala``, ``entity``; ``MarathonExceptionMapper``: ``{"id": 123}`` gives
   ``/id`` ``error.expected.jsstring``). The keys: ``error.expected.jsnumber``,
   ``error.expected.int`` (a number that is no 32-bit integer), ``error.expected.long`` (no
   64-bit integer: ``format: int64``, read as a ``Long``, ``backend/package.scala``),
   ``error.expected.jsstring``,
   ``error.expected.jsarray``, ``error.expected.jsobject``, ``error.expected.jsboolean``,
   ``error.path.missing``, ``error.min``, ``error.max``, ``error.minLength``,
   ``error.pattern``.
2. Accord validation of what was read (``api/v2/validation/AppValidation.scala``,
   ``SchedulingValidation.scala``, ``state/PathId.scala``): 422 ``Object is not valid`` with
   each violation's path and Marathon's message.

This module answers the first step for the fields learners get wrong, one reader per RAML
type in a table (the id, command, counts and amounts, constraints, dependencies, labels,
upgrade strategy; the container with its Docker image, engine type and network, its
port mappings and its persistent volumes' sizes; port definitions; health checks; the
fetched artifacts, URIs and secrets: ``appContainer.raml``, ``network.raml``,
``healthCheck.raml``, ``artifact.raml``, ``secrets.raml``, ``volumes.raml``; of a pod, its
containers, networks, volumes and role, ``pod.raml``) and the second for
the id, the constraints, a Docker container's ``docker`` and the networks (of a pod too); a
value that is no object where an object type belongs (``"container": "x"``, an item of
``healthChecks``) reads as an object without fields, as Marathon reads it; the manifest
loader then checks the rest, and its refusals keep the simulator's words in Marathon's shape
(:func:`~clustersim.serve.marathonquery.invalid`).
An enum (the engine type, the Docker network, a health or readiness check's protocol, a
network's mode, ``killSelection``, ``taskLostBehavior``) is read in any case, as the
generated reader reads it, with the values the loader's models list; another value is
``error.unknown.enum.literal``.
Simplified: the RAML reader checks every field of every nested type; the fields not listed
here are left to the loader, which refuses the same values in its own words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from clustersim.manifests.marathon_networks import network_refusals
from clustersim.manifests.marathon_types import (
    ANY_PORT,
    INFINITY_STORED,
    INT32,
    MAX_LONG,
    MISSING_VALUE,
    OPERATORS,
    UNKNOWN_OPERATOR,
    UNUSED_VALUE,
    App,
    Container,
    DockerContainer,
    HealthCheck,
    Network,
    ReadinessCheck,
    Residency,
    bound_error,
    check_constraint,
    enum_values,
    scalar_refusal,
    whole_error,
)
from clustersim.manifests.pathid import RESERVED, SEGMENT, canonical, depth_violation, segments
from clustersim.serve.core import HttpError
from clustersim.serve.marathonjson import JsonNumber
from clustersim.serve.marathonquery import refusal, with_loader

__all__ = ["FEATURES", "check_app", "check_apps", "check_group", "check_pod"]

PATH_ID = re.compile(r"^(\/?((\.{2})|([a-z0-9][a-z0-9\-.]*[a-z0-9]+)|([a-z0-9]*))($|\/))+$")
"""``PathId`` of ``stringTypes.raml``, looser than the segment rule Accord checks next."""
ID_PATTERN = ("^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*"
              "[a-z0-9])|(\\.|\\.\\.)$")
"""``PathId.ID_PATH_SEGMENT_PATTERN``, as Marathon quotes it (the same rule as
:data:`clustersim.manifests.pathid.SEGMENT`)."""

_INTEGERS = {"instances": 0, "gpus": 0, "backoffSeconds": 0, "maxLaunchDelaySeconds": 0,
             "taskKillGracePeriodSeconds": 0}
"""``app.raml``'s ``integer`` fields (``format: int32``) and their ``minimum``."""
_NUMBERS = {"cpus": 0.001, "mem": 0.0, "disk": None, "backoffFactor": 1.0}
"""``app.raml``'s ``number`` fields and their ``minimum`` (``disk`` has none)."""

Errors = list[tuple[str, str]]


def _number(value: Any, path: str, minimum: float | None, errors: Errors, *,
            largest: int | None = None, maximum: float | None = None) -> None:
    """Play's ``DoubleReads``, or with ``largest`` (:data:`INT32` or :data:`MAX_LONG`) its
    ``IntReads`` or ``LongReads`` (:func:`whole_error`, the loader's rule too), then the RAML
    ``minimum`` and ``maximum``. Play reads a JSON number as a
    ``BigDecimal``, so ``1e400``, which Python reads as infinity, is a number that is no
    ``Int`` (``isValidInt``) like ``1e300``, and so is an integer of 400 digits, which Python
    keeps as an ``int`` too large for a float; an ``Int`` or a ``Long`` is read from the
    number's exact decimal (:class:`~clustersim.serve.marathonjson.JsonNumber`: ``1e-400``
    is no ``Int``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append((path, "error.expected.jsnumber"))
    elif key := (largest is not None and whole_error(
            value.exact() if isinstance(value, JsonNumber) else value, largest)) or \
            bound_error(value, minimum, maximum):
        errors.append((path, key))


def _path_id(value: Any, path: str, errors: Errors) -> None:
    if not isinstance(value, str):
        errors.append((path, "error.expected.jsstring"))
    elif not value:
        errors.append((path, "error.minLength"))
    elif not PATH_ID.search(value):
        errors.append((path, "error.pattern"))


Reader = Callable[[Any, str, Errors], None]
"""Play's reader of one RAML type: appends ``(path, error key)`` for a value it refuses."""


class _Integer:
    """A RAML ``integer`` (an ``Int``; with ``largest`` :data:`MAX_LONG`, ``format: int64``, a
    ``Long``) with its ``minimum`` and ``maximum``. What it reads is a whole number, which
    Marathon writes back as one: :func:`_read_field` keeps ``1e3`` as ``1000``."""

    def __init__(self, minimum: float | None = None, maximum: float | None = None, *,
                 largest: int = INT32) -> None:
        self.minimum, self.maximum, self.largest = minimum, maximum, largest

    def __call__(self, value: Any, path: str, errors: Errors) -> None:
        _number(value, path, self.minimum, errors, largest=self.largest, maximum=self.maximum)


def _double(minimum: float | None, maximum: float | None = None) -> Reader:
    return lambda value, path, errors: _number(value, path, minimum, errors, maximum=maximum)


def _string(pattern: str | None = None, min_length: int = 0) -> Reader:
    """A string with the RAML ``minLength`` and ``pattern`` (an empty string is left to the
    loader where both apply: Play would report the two at once)."""
    def read(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.append((path, "error.expected.jsstring"))
        elif len(value) < min_length and not pattern:
            errors.append((path, "error.minLength"))
        elif value and pattern and not re.search(pattern, value):
            errors.append((path, "error.pattern"))
    return read


def _boolean(value: Any, path: str, errors: Errors) -> None:
    if not isinstance(value, bool):
        errors.append((path, "error.expected.jsboolean"))


def _enum(*values: str) -> Reader:
    """A RAML string enum: the generator's reader matches it in any case and refuses any
    other value, a string or not, with one key (``EnumVisitor``)."""
    def read(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str) or value.lower() not in {v.lower() for v in values}:
            errors.append((path, "error.unknown.enum.literal"))
    return read


def _model_enum(model: type[BaseModel], field: str) -> Reader:
    """The RAML enum of ``model``'s ``field``, with the values the loader's model lists."""
    return _enum(*enum_values(model, field))


def _env(value: Any, path: str, errors: Errors) -> None:
    """``EnvVars`` (``environmentVariable.raml``): a map whose values are the union
    ``EnvVarValue | EnvVarSecretRef``. The generated union reader tries each alternative in
    turn (``UnionVisitor``: ``validate[A] orElse validate[B]``), so a value that is neither
    answers with the last one's errors: ``EnvVarSecretRef`` is an object whose ``secret``
    string is required (read with Play's ``Json.format``), and a number, a boolean, a list or
    null has no ``secret``: ``/env/NAME/secret`` ``error.path.missing`` (``mapReads`` puts
    the key before the value's path)."""
    if not isinstance(value, dict):
        errors.append((path, "error.expected.jsobject"))
        return
    for key, item in value.items():
        if isinstance(item, str):
            continue
        secret = item.get("secret") if isinstance(item, dict) else None
        if secret is None:
            errors.append((f"{path}/{key}/secret", "error.path.missing"))
        elif not isinstance(secret, str):
            errors.append((f"{path}/{key}/secret", "error.expected.jsstring"))


def _map(item: Reader) -> Reader:
    """A RAML object of pattern properties (``secrets.raml``'s ``/.*/``), read as Play's
    ``mapReads``: ``error.expected.jsobject``, or each value's errors under ``/key``."""
    def read(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, dict):
            errors.append((path, "error.expected.jsobject"))
        else:
            for key, entry in value.items():
                item(entry, f"{path}/{key}", errors)
    return read


def _labels(value: Any, path: str, errors: Errors) -> None:
    """``KVLabels``, a map of strings (Play's ``mapReads`` names each value ``/key``)."""
    if not isinstance(value, dict):
        errors.append((path, "error.expected.jsobject"))
    else:
        errors.extend((f"{path}/{k}", "error.expected.jsstring")
                      for k, v in value.items() if not isinstance(v, str))


def _array(item: Reader, min_items: int = 0) -> Reader:
    """Play's ``traversableReads``: ``error.expected.jsarray``, or each item's errors under
    ``(index)``; with the RAML ``minItems``, a shorter list is ``error.minLength`` (the
    generator chains Play's ``minLength``, which reads any collection)."""
    def read(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, list):
            errors.append((path, "error.expected.jsarray"))
        elif len(value) < min_items:
            errors.append((path, "error.minLength"))
        else:
            for i, entry in enumerate(value):
                item(entry, f"{path}({i})", errors)
    return read


class _Object:
    """A RAML object type as the generator reads it (``ObjectVisitor``): each field looked up
    in the value, a required one ``error.path.missing`` when absent, an optional null one
    left out. The generated reader looks each field up with Play's ``json \\ "field"``
    (``FieldVisitor.playValidator``), which is undefined on any value that is no object,
    and ``validateOpt`` reads undefined as absent: a string, a number, a list or null where
    an object type belongs reads as an object without fields (``"container": "x"`` is a
    ``Container`` of defaults), never ``error.expected.jsobject``, which only a map type
    answers (labels, env, secrets: Play's ``mapReads``). :func:`_read_field` puts that
    object in the definition."""

    def __init__(self, fields: dict[str, Reader], required: tuple[str, ...] = ()) -> None:
        self.fields, self.required = fields, required

    def __call__(self, value: Any, path: str, errors: Errors) -> None:
        found = value if isinstance(value, dict) else {}
        for key, field in self.fields.items():
            if key not in found and key in self.required:
                errors.append((f"{path}/{key}", "error.path.missing"))
            elif key in found and (found[key] is not None or key in self.required):
                _read_field(found, key, field, f"{path}/{key}", errors)


def _read_field(spec: dict[str, Any], key: str, read: Reader, path: str,
                errors: Errors) -> None:
    """Read ``spec[key]``; where an object type met a value that is no object, ``spec``
    keeps the object without fields that Marathon read (:class:`_Object`), so what comes
    after the reader (Accord's rules, the loader) sees what Marathon saw."""
    if isinstance(read, _Object) and not isinstance(spec[key], dict):
        spec[key] = {}
    before = len(errors)
    read(spec[key], path, errors)
    if isinstance(read, _Integer) and isinstance(spec[key], float) and len(errors) == before:
        spec[key] = int(spec[key])


def _objects(fields: dict[str, Reader], required: tuple[str, ...] = (),
             min_items: int = 0) -> Reader:
    """An array of a RAML object type: :func:`_array` of :class:`_Object`. An item that is
    no object (``"x"``, ``null``) reads as an object without fields, so it is replaced by
    ``{}`` in the definition itself: what comes after the reader (Accord's rules, the
    loader) sees what Marathon read, and answers in Marathon's words (``networks: ["x"]``
    is an unnamed container network, ``containers: [null]`` misses its name)."""
    read_list = _array(_Object(fields, required), min_items)

    def read(value: Any, path: str, errors: Errors) -> None:
        if isinstance(value, list):
            value[:] = [entry if isinstance(entry, dict) else {} for entry in value]
        read_list(value, path, errors)
    return read


_LEGACY_NAME = _string(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", 1)
"""``LegacyName`` of ``stringTypes.raml`` (port and port mapping names)."""
_PROTOCOL = _enum("tcp", "udp", "udp,tcp")
"""``NetworkProtocol`` of ``stringTypes.raml``."""
_PORT = _Integer(*ANY_PORT)
"""``AnyPort`` (``numberTypes.raml``): an int32 from 0 to 65535, the loader's range too."""
_PORT_MAPPINGS = _objects({"containerPort": _PORT, "hostPort": _PORT, "servicePort": _PORT,
                           "protocol": _PROTOCOL, "name": _LEGACY_NAME, "labels": _labels})
"""``ContainerPortMapping[]`` of ``appContainer.raml``."""
_NETWORKS = _objects({"mode": _model_enum(Network, "mode"), "name": _string(),
                      "labels": _labels})
"""``Network[]`` of ``network.raml``, an app's and a pod's."""
_PERSISTENT = _Object({key: _Integer(0, largest=MAX_LONG) for key in ("size", "maxSize")})
"""``PersistentVolume`` of ``volumes.raml``: ``size`` and ``maxSize``, ``int64`` from 0 (the
MiB of disk a volume reserves; Accord's rules and the loader check the rest). An app's
``AppVolume`` and a pod's ``PodVolume`` are RAML unions, read by trying each member in turn
(``UnionVisitor``: Play's ``orElse``), so Marathon answers with the last member's errors;
this reader names the persistent volume's own field, which every member refuses or
lacks."""
_FIELDS: dict[str, Reader] = {
    "cmd": _string(min_length=1),
    "args": _array(_string()), "acceptedResourceRoles": _array(_string()),
    **{key: _Integer(minimum) for key, minimum in _INTEGERS.items()},
    **{key: _double(minimum) for key, minimum in _NUMBERS.items()},
    "constraints": _array(_array(_string())), "dependencies": _array(_path_id),
    "labels": _labels, "requirePorts": _boolean, "ports": _array(_PORT),
    "container": _Object({   # Container, DockerContainer of appContainer.raml
        "type": _model_enum(Container, "type"),
        "docker": _Object({"image": _string(min_length=1),
                           "network": _model_enum(DockerContainer, "network"),
                           "forcePullImage": _boolean, "privileged": _boolean,
                           "portMappings": _PORT_MAPPINGS}, required=("image",)),
        "portMappings": _PORT_MAPPINGS,
        "volumes": _objects({"persistent": _PERSISTENT})}),
    "portDefinitions": _objects({   # PortDefinition of network.raml
        "port": _PORT, "protocol": _PROTOCOL, "name": _LEGACY_NAME, "labels": _labels}),
    "healthChecks": _objects({   # AppHealthCheck of healthCheck.raml
        "protocol": _model_enum(HealthCheck, "protocol"),
        "gracePeriodSeconds": _Integer(0), "intervalSeconds": _Integer(0),
        "maxConsecutiveFailures": _Integer(0), "delaySeconds": _Integer(0),
        "timeoutSeconds": _Integer(), "port": _PORT, "portIndex": _PORT,
        "path": _string(), "ignoreHttp1xx": _boolean}),
    "readinessChecks": _objects({"protocol": _model_enum(ReadinessCheck, "protocol")}),
    "networks": _NETWORKS,
    "residency": _Object({"taskLostBehavior": _model_enum(Residency, "task_lost_behavior")}),
    "killSelection": _model_enum(App, "kill_selection"),
    "env": _env,
    "uris": _array(_string()), "storeUrls": _array(_string(min_length=1)),
    "fetch": _objects({   # Artifact of artifact.raml
        "uri": _string(min_length=1), "extract": _boolean, "executable": _boolean,
        "cache": _boolean, "destPath": _string(min_length=1)}, required=("uri",)),
    "secrets": _map(_Object({"source": _string(min_length=1)}, required=("source",))),
    "user": _string(), "role": _string(),
    "upgradeStrategy": _Object({   # UpgradeStrategy of upgradeStrategy.raml
        key: _double(0.0, 1.0) for key in ("maximumOverCapacity", "minimumHealthCapacity")}),
}
"""The fields of ``app.raml`` that learners get wrong, with their types' readers, in the
order their errors are reported."""
_POD_FIELDS: dict[str, Reader] = {
    "containers": _objects({   # podContainer.raml, with its VolumeMount[] (volumes.raml)
        "name": _string(), "resources": _Object({}),
        "volumeMounts": _objects({"name": _string(), "mountPath": _string()},
                                 required=("name", "mountPath"))},
        required=("name", "resources"), min_items=1),
    "networks": _NETWORKS,
    "volumes": _objects({"name": _string(), "persistent": _PERSISTENT}, required=("name",)),
    "role": _string(),      # pod.raml's ``role?: string`` (Marathon 1.9), as an app's
}
"""The arrays of objects of ``pod.raml`` and its ``role`` (a pod's other fields are left to
the loader). A pod volume is the RAML union ``PodVolume`` of an ephemeral (``name``), a host
(``name``, ``host``), a secret (``name``, ``secret``) and a persistent volume (``name``,
``persistent``); the generated union reader tries each in turn (``UnionVisitor``), so what
all four refuse is certain, a ``name`` that is missing or no string, and is what this
reader reads. Simplified: which of them reads a volume whose own field is wrong (``"host":
5``) depends on the union's order, and is left to the loader."""


def _read_fields(spec: dict[str, Any], fields: dict[str, Reader], at: str,
                 errors: Errors) -> None:
    """Read each of ``fields`` that ``spec`` gives (null is left out)."""
    for key, read in fields.items():
        if spec.get(key) is not None:
            _read_field(spec, key, read, f"{at}/{key}", errors)


def _read(app: dict[str, Any], at: str, update: bool) -> Errors:
    """The RAML reader's refusals of ``app`` (an ``AppUpdate`` when ``update``: no field is
    required)."""
    errors: Errors = []
    if app.get("id") is not None:
        _path_id(app["id"], f"{at}/id", errors)
    elif not update:        # Play's ``validate``: null is no string, absent is missing
        errors.append((f"{at}/id", "error.expected.jsstring" if "id" in app
                       else "error.path.missing"))
    _read_fields(app, _FIELDS, at, errors)
    return errors


def _id_violation(text: str) -> str | None:
    """``PathId.pathIdValidator``'s messages, then the simulator's bound on an id's segments
    (:func:`~clustersim.manifests.pathid.depth_violation`; an app inside a group is resolved
    and bounded by the loader)."""
    parts = segments(text)[0]
    if not all(SEGMENT.fullmatch(part) for part in parts):
        return f"must fully match regular expression '{ID_PATTERN}'"
    if parts and parts[-1] in (*RESERVED, ".", ".."):
        return ("must not end with any of the following reserved keywords: "
                f"{', '.join((*RESERVED, '.', '..'))}")
    return depth_violation(canonical(text))


def _constraint_violation(item: list[Any], *, pod: bool = False) -> str | None:
    """``SchedulingValidation.complyWithAppConstraintRules`` (with ``pod``,
    ``complyWithConstraintRules``, a pod's ``[fieldName, operator, value?]``) for a
    constraint the loader refuses; where Marathon has no message (an empty field, ``IS``
    without a value), the loader's."""
    if not 2 <= len(item) <= 3:
        return "Each constraint must have either 2 or 3 fields"
    field, operator, value = (*item, None)[:3]
    try:
        check_constraint(field, operator, value, pod=pod)
    except ValueError as err:
        if operator not in OPERATORS:
            return UNKNOWN_OPERATOR
        if field and operator in ("LIKE", "UNLIKE"):
            return ("A regular expression value must be provided" if value is None
                    else f"'{value}' is not a valid regular expression")
        if field and operator == "MAX_PER":
            return "Value was not specified or is not a number"
        if field and operator == "GROUP_BY":
            return "Value was specified but is not a number"
        if field and isinstance(value, str | None) and operator in ("UNIQUE", "CLUSTER"):
            return UNUSED_VALUE if operator == "UNIQUE" else MISSING_VALUE
        return str(err)
    return None


FEATURES: tuple[str, ...] = ()
"""The features the served Marathon runs with (``--enable_features``, listed by
``/v2/info``): none, Marathon's default; ``secrets`` needs a secret-store plugin."""


def _secret_violations(app: dict[str, Any], at: str) -> Errors:
    """``AppValidation.validBasicAppDefinition``'s rules on secrets with the ``secrets``
    feature off (:data:`FEATURES`): a ``secrets`` map that is not empty is ``Feature secrets
    is not enabled. Enable with --enable_features secrets)`` (``Validation.featureEnabled``,
    its stray parenthesis included), and ``EnvVarValidation.envValidator`` refuses any
    secret reference in ``env`` and names each one whose secret the app does not define
    (``SecretValidation``: ``/env/NAME/secret``)."""
    errors: Errors = []
    secrets = app.get("secrets")
    defined = secrets if isinstance(secrets, dict) else {}
    if defined and "secrets" not in FEATURES:
        errors.append((f"{at}/secrets", "Feature secrets is not enabled. Enable with "
                       "--enable_features secrets)"))
    env = app.get("env")
    refs = {k: v.get("secret") for k, v in env.items()
            if isinstance(v, dict)} if isinstance(env, dict) else {}
    if refs and "secrets" not in FEATURES:
        errors.append((f"{at}/env", "use of secret-references in the environment requires "
                       "the secrets feature to be enabled"))
    errors.extend((f"{at}/env/{name}/secret", "references an undefined secret")
                  for name, secret in refs.items() if secret not in defined)
    return errors


def _container_violations(app: dict[str, Any], at: str) -> Errors:
    """``AppValidation.dockerDockerContainerValidator``: a ``DOCKER`` container, the engine
    type a container gets when it names none (``appContainer.raml``: ``type`` defaults to
    ``DOCKER``), must define ``docker`` (``container.docker is definedAnd``, whose word is
    ``not defined``, ``Validation.definedAnd``)."""
    container = app.get("container")
    if not isinstance(container, dict) or container.get("docker") is not None:
        return []
    engine = container.get("type")
    if isinstance(engine, str) and engine.upper() != "DOCKER":
        return []
    return [(f"{at}/container/docker", "not defined")]


def _validate(app: dict[str, Any], at: str) -> Errors:
    """Accord's refusals of the id, the constraints, the secrets and the networks
    (``validateCanonicalAppAPI``; an unnamed container network named at the app itself) of
    an app the reader accepted, and the numbers the simulator cannot hold
    (:func:`amount_violations`)."""
    errors: Errors = _secret_violations(app, at) + _container_violations(app, at)
    errors += amount_violations(app, at)
    found = _id_violation(app["id"]) if isinstance(app.get("id"), str) else None
    if found:
        errors.append((f"{at}/id", found))
    for i, item in enumerate(app.get("constraints") or []):
        found = _constraint_violation(item)
        if found:
            errors.append((f"{at}/constraints({i})", found))
    return errors + network_refusals(app, f"{at}/networks", at or "/")


def amount_violations(definition: Any, at: str = "") -> Errors:
    """Every number of an app or pod the reader accepted that Marathon 1.11 takes and the
    simulator cannot hold, at its place: a ``cpus``, ``mem`` or ``disk`` Mesos cannot hold
    (:func:`scalar_refusal`, for an app's own amounts and a pod container's or executor's
    ``resources`` alike), and any other number beyond a double's range, which Play's
    ``DoubleReads`` reads as ``Infinity``, where the field's RAML bounds let it pass
    (``backoffFactor`` has a minimum only; ``-Infinity`` is below every minimum and left to
    the reader and the loader). Marathon stores such a definition, and then fails to write
    an ``Infinity`` back (a ``NumberFormatException``, answered 422 ``{"message": ...}``, see
    :func:`scalar_refusal`); the message says so, in Marathon's path syntax and without the
    loader's words about other systems (``check_data``). Simplified: the simulator answers
    422 ``Object is not valid`` naming the field, and keeps nothing."""
    errors: Errors = []
    stack: list[tuple[str, Any, Any]] = [(at, None, definition)]
    while stack:
        place, key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{place}/{name}", name, item) for name, item in
                         reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{place}({i})", None, item) for i, item in
                         reversed(list(enumerate(value))))
        elif key in ("cpus", "mem", "disk") and (refused := scalar_refusal(value)):
            errors.append((place, refused))
        elif value == math.inf:
            errors.append((place, f"Infinity: {INFINITY_STORED}; the simulator holds no "
                                  "infinite value: give a finite number"))
    return errors


def _refuse(message: str, errors: Errors) -> None:
    """Marathon's 422 for ``errors``, if there are any (:func:`.marathonquery.refusal`)."""
    if errors:
        raise refusal(message, errors)


def _apps(group: dict[str, Any], at: str) -> list[tuple[dict[str, Any], str]]:
    """Every app object of a group definition and its path, nested groups included."""
    found = [(app, f"{at}/apps({i})") for i, app in enumerate(group.get("apps") or [])
             if isinstance(app, dict)] if isinstance(group.get("apps"), list) else []
    for i, child in enumerate(group.get("groups") or [] if isinstance(group.get("groups"),
                                                                      list) else []):
        if isinstance(child, dict):
            found += _apps(child, f"{at}/groups({i})")
    return found


def check_app(app: dict[str, Any], *, update: bool = False) -> None:
    """Raise Marathon's 422 for an app definition (``POST /v2/apps``; with ``update``, the
    body of ``PUT``/``PATCH /v2/apps/<id>``) that its reader or its id and constraint rules
    refuse. An update is validated in two steps, as ``AppsResource.update`` does: the body
    on its own (``validateCanonicalAppUpdateAPI``, here), and only once it passes, the app
    it makes (``AppDefinition.validAppDefinition``, by the loader when it is deployed); the
    violations of the two are never answered together."""
    _check(app, [(app, "")], update)


def check_pod(pod: dict[str, Any]) -> None:
    """Raise Marathon's 422 for a pod definition (``POST /v2/pods``, ``PUT /v2/pods/<id>``)
    whose containers, volumes or networks the RAML reader refuses (``Invalid JSON``, as an
    app's; an empty ``containers`` is ``error.minLength``, ``pod.raml``'s ``minItems: 1``, so
    Accord's ``notEmpty`` in ``PodsValidation`` is never reached), or whose volumes or
    networks Accord refuses (``PodsValidation.podValidator``: :func:`_volume_violations`,
    ``ramlNetworksValidator``, and a container network without a name, named at
    ``/networks``), or whose numbers the simulator cannot hold (:func:`amount_violations`,
    as an app's), with what the loader refuses besides (:func:`.marathonquery.
    with_loader`)."""
    errors: Errors = []
    _read_fields(pod, _POD_FIELDS, "", errors)
    _refuse("Invalid JSON", errors)
    _refuse("Object is not valid", with_loader(
        _volume_violations(pod) + network_refusals(pod, "/networks", "/networks")
        + _pod_constraint_violations(pod) + amount_violations(pod), lambda: pod))


def _pod_constraint_violations(pod: dict[str, Any]) -> Errors:
    """``PodsValidation``'s ``placementStrategyValidator``: each of
    ``scheduling.placement.constraints`` in :func:`_constraint_violation`'s words, at
    ``/scheduling/placement/constraints(0)``."""
    scheduling = pod.get("scheduling")
    placement = scheduling.get("placement") if isinstance(scheduling, dict) else None
    constraints = placement.get("constraints") if isinstance(placement, dict) else None
    errors: Errors = []
    for i, item in enumerate(constraints if isinstance(constraints, list) else []):
        if isinstance(item, dict):
            found = _constraint_violation(
                [item.get("fieldName"), item.get("operator"),
                 *(() if item.get("value") is None else (item["value"],))], pod=True)
            if found:
                errors.append((f"/scheduling/placement/constraints({i})", found))
    return errors


def _volume_violations(pod: dict[str, Any]) -> Errors:
    """``PodsValidation.podValidator``'s rules on the volumes of a pod the reader accepted:
    each volume is mounted by some container (``volumeValidator``, at ``/volumes(0)``),
    their names are unique (``VolumeNamesMustBeUnique``, at ``/volumes``), and each
    container's volume mount names a volume of the pod (``volumeMountValidator``, at
    ``/containers(0)/volumeMounts(0)/name``)."""
    volumes = [v.get("name") for v in pod.get("volumes") or []]
    mounts = [(i, j, m.get("name")) for i, c in enumerate(pod.get("containers") or [])
              for j, m in enumerate(c.get("volumeMounts") or [])]
    errors: Errors = [(f"/volumes({i})", "volume must be referenced by at least one container")
                      for i, name in enumerate(volumes)
                      if name not in {mounted for _, _, mounted in mounts}]
    if len(set(volumes)) != len(volumes):
        errors.append(("/volumes", "volume names must be unique"))
    errors.extend((f"/containers({i})/volumeMounts({j})/name",
                   "Referenced Volume in VolumeMount should exist")
                  for i, j, name in mounts if name not in volumes)
    return errors


def check_group(group: dict[str, Any]) -> None:
    """The same for every app of a group definition (``/apps(0)/instances``...)."""
    _check(group, _apps(group, ""), update=False)


def check_apps(apps: Any, *, partial: bool) -> None:
    """The same for the body of ``PUT``/``PATCH /v2/apps`` (``AppsResource.replaceMultiple``
    and ``patchMultiple``, read by ``canonicalAppUpdatesFromJson``): Play reads it as a
    ``Seq`` of ``AppUpdate`` (of ``App`` with ``partialUpdate=false``), so a body that is no
    list is ``error.expected.jsarray`` at the empty path and an item's fields are named
    after its index, ``(0)/cpus`` (``traversableReads`` puts ``JsPath(idx)`` before the
    item's path; ``JsPath.toString`` writes no leading slash). The generated reader looks
    fields up in any JSON value, so an item that is no object reads as one without fields.
    An update without an id is then refused by a ``require`` (422 with its message), and
    each app is validated on its own, its violations named as a single app's are."""
    if not isinstance(apps, list):
        raise HttpError(422, "Invalid JSON", details=[
            {"path": "", "errors": ["error.expected.jsarray"]}])
    items = [app if isinstance(app, dict) else {} for app in apps]
    _refuse("Invalid JSON", [e for i, app in enumerate(items)
                             for e in _read(app, f"({i})", partial)])
    if partial and any(app.get("id") is None for app in items):
        raise HttpError(422, "requirement failed: App Update must have app id set")
    for app in items:
        _refuse("Object is not valid", _validate(app, ""))


def _check(definition: dict[str, Any], apps: list[tuple[dict[str, Any], str]],
           update: bool) -> None:
    """The reader's and then Accord's refusals of the ``apps`` of ``definition`` (an app,
    or a group with the paths of its apps), with the loader's of the definition; an
    update's body is no whole app for the loader to read (:func:`check_app`)."""
    _refuse("Invalid JSON", [e for app, at in apps for e in _read(app, at, update)])
    found = [e for app, at in apps for e in _validate(app, at)]
    _refuse("Object is not valid", found if update else with_loader(found, lambda: definition))
