"""What Marathon's REST API reads from a request besides the body, and how it names a bad
field: boolean flags (``?force=true``), ``?embed=`` of an app, the ``?label=`` selector of
``GET /v2/apps``, the
``?status=`` filter of ``GET /v2/tasks``, a definition that must be one JSON object, and
the ``details`` of a 422 answer, with what the manifest loader refuses besides
(:func:`with_loader`).

- Label selectors follow d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/api/v2/
  LabelSelector.scala``: comma-separated selectors, all of which must hold; ``key``
  (exists), ``key==value``, ``key!=value``, ``key in (a, b)``, ``key notin (a, b)``. Every
  selector needs the label to exist (``!=`` and ``notin`` too, unlike Kubernetes). Terms are
  ``[-A-Za-z0-9_.]``, any other character escaped with a backslash. A query that does not
  parse answers 422 ``Can not parse label selector <query>. Reason: ...``
  (``IllegalArgumentException`` in ``MarathonExceptionMapper``).
- ``Accept``: every ``/v2`` resource ``@Produces`` JSON alone in Marathon 1.11 (the task
  lists too: their ``text/plain`` form went with the ``text_plain_tasks`` deprecated
  feature, hard-removed in 1.11.0, d2iq-archive/marathon
  ``src/main/scala/mesosphere/marathon/DeprecatedFeatures.scala``), so Jersey answers JSON
  to any ``Accept`` that admits it, whatever it prefers, and 406 to one that admits none,
  before the resource's method runs (``NotAcceptableException``, a
  ``WebApplicationException`` that ``api/MarathonExceptionMapper.scala`` answers
  ``{"message": "Not Acceptable"}``, the status's reason phrase), once it has matched the
  route and its method (:mod:`.marathonroutes`), so a method a path does not take answers
  405 whatever the ``Accept``. ``/metrics`` produces JSON alone too; ``/ping`` produces
  what the ``Accept`` prefers (:func:`.marathonmonitor.pong`).
- ``status`` (``TasksResource.indexJson``): ``running`` or ``staging``, given once or
  repeated as ``status[]``; other values are ignored.
- Field paths in ``details`` are Accord's (``Validation.scala``): ``/instances``,
  ``/constraints(0)``, ``/containers(0)/resources/cpus``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from clustersim.manifests import ManifestError, load_manifests
from clustersim.marathon.groups import DependencyCycleError, IdClashError
from clustersim.marathon.roles import AcceptedRolesError, ResidentRoleError, RoleError
from clustersim.serve.core import HttpError, Request

__all__ = ["HeaderValueError", "accepted", "app_embeds", "compatible", "content_type_readable",
           "definition", "flag",
           "group_embeds", "invalid", "json_acceptable", "json_consumable",
           "label_selector", "refusal", "task_states", "violations", "with_loader"]

_TERM = r"(?:\\.|[-A-Za-z0-9_.])+"
_SELECTOR = re.compile(
    rf"\s*(?P<key>{_TERM})\s*(?:(?P<set>in|notin)\s*\((?P<values>\s*(?:{_TERM}\s*"
    rf"(?:,\s*{_TERM}\s*)*)?)\)|(?P<eq>==|!=)\s*(?P<value>{_TERM}))?\s*(?:,|$)")
_ESCAPE = re.compile(r"\\(.)")

Matcher = Callable[[Mapping[str, str]], bool]


def _unescape(term: str) -> str:
    return _ESCAPE.sub(r"\1", term.strip())


def label_selector(query: str | None) -> Matcher:
    """A predicate over an app's ``labels``; everything matches when ``query`` is empty."""
    if not query:
        return lambda labels: True
    tests: list[tuple[str, Callable[[str], bool]]] = []
    at = 0
    while at < len(query):
        match = _SELECTOR.match(query, at)
        if match is None or match.end() == at:
            raise HttpError(422, f"Can not parse label selector {query}. Reason: expected a "
                            f"label, 'label==value', 'label!=value' or 'label in (a, b)' "
                            f"at character {at + 1}")
        at = match.end()
        key = _unescape(match["key"])
        if match["set"]:
            values = {_unescape(v) for v in match["values"].split(",") if v.strip()}
            tests.append((key, _member(values, match["set"] == "in")))
        elif match["eq"]:
            tests.append((key, _member({_unescape(match["value"])}, match["eq"] == "==")))
        else:
            tests.append((key, lambda v: True))
    return lambda labels: all(key in labels and test(str(labels[key]))
                              for key, test in tests)


class HeaderValueError(HttpError):
    """A request header Jersey cannot parse: ``InboundMessageContext`` wraps the
    ``ParseException`` in an inbound ``HeaderValueException``, which no exception mapper
    sees when it is thrown while Jersey picks the method, and which
    ``ServerRuntime.Responder.mapException`` answers itself: 400 with no entity
    (eclipse-ee4j/jersey ``core-server/.../server/ServerRuntime.java``), not Marathon's
    JSON message."""

    def __init__(self, header: str, value: str) -> None:
        super().__init__(400, f"Unable to parse \"{header}\" header value: \"{value}\"")


def _quality(text: str) -> int:
    """A ``q`` parameter in thousandths, as Jersey's ``HttpHeaderReader.readQualityFactor``
    reads it: at most 5 characters, ``0`` or ``1`` (then ``.`` and up to three digits,
    none above 0 after a 1) or a leading ``.``; anything else raises ``ValueError``. Its
    quirk kept: ``0.`` and ``1.`` read the ``.`` as a digit, -2000, below every range."""
    if not text or len(text) > 5 or text[0] not in "01.":
        raise ValueError(text)
    whole, rest = (text[0], text[1:]) if text[0] != "." else ("0", text)
    if not rest:
        return int(whole) * 1000
    if rest[0] != "." or (text[0] == "." and len(rest) == 1):
        raise ValueError(text)
    if len(rest) == 1:                      # "0." or "1.": (c - '0') * 1000 of the '.'
        return (ord(".") - ord("0")) * 1000
    digits = rest[1:]
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(text)
    value = sum(int(d) * 10 ** (2 - i) for i, d in enumerate(digits) if i < 3)
    if whole == "1" and value > 0:
        raise ValueError(text)
    return 1000 if whole == "1" else value


def accepted(request: Request) -> list[str]:
    """The media ranges the client's ``Accept`` admits (a ``q`` above 0), in Jersey's order
    of preference (``AcceptableMediaType``: the highest ``q`` first, then a concrete type
    before ``type/*`` before ``*/*``, then as sent); no ``Accept`` admits anything, ``*/*``.
    Read as Jersey's ``AcceptableMediaType.valueOf`` reads each range: a type without a
    subtype is ``type/*`` (``garbage`` is ``garbage/*``, ``application`` admits JSON), a
    parameter's name in any case, ``q`` by :func:`_quality`; a ``q`` it cannot read, or a
    ``/`` with no subtype after it, raises :class:`HeaderValueError`. Simplified: the
    characters HTTP forbids in a token are not refused."""
    value = request.headers.get("accept", "")
    ranges: list[tuple[int, int, int, str]] = []
    for item in value.split(","):
        media, *params = (p.strip() for p in item.split(";"))
        kind, slash, sub = media.partition("/")
        if slash and not (kind and sub):
            raise HeaderValueError("Accept", value)
        quality = 1000
        for param in params:
            key, _, text = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = _quality(text.strip())
                except ValueError:
                    raise HeaderValueError("Accept", value) from None
        if media and quality > 0:
            media = media if slash else f"{media}/*"
            ranges.append((-quality, media.count("*"), len(ranges), media.lower()))
    return [media for *_, media in sorted(ranges)] if value.strip() else ["*/*"]


def content_type_readable(request: Request) -> None:
    """Raise :class:`HeaderValueError` for a ``Content-Type`` Jersey cannot read, on any
    request its route and method take, with a body or not: picking the method, Jersey asks
    each of the route's methods whether it consumes the request's media type
    (``MethodSelectingRouter.getMethodRouter``, ``ConsumesProducesAcceptor.isConsumable``),
    which reads the header before the ``Accept`` (``InboundMessageContext.getMediaType``,
    ``singleHeader``): two ``Content-Type`` lines (``ServletContainer`` copies each line
    as a value of its own) or one ``MediaType.valueOf`` cannot read, a type and a subtype
    around a ``/`` (``MediaTypeProvider.valueOf``; unlike an ``Accept`` range, no subtype is
    no media type: ``garbage`` and ``application`` are refused). Simplified: the characters
    HTTP forbids in a token, and the parameters, are not checked."""
    lines = request.values("content-type")
    if len(lines) > 1:
        raise HeaderValueError("Content-Type", ", ".join(lines))
    if lines and lines[0].strip():
        kind, slash, sub = lines[0].split(";")[0].partition("/")
        if not (slash and kind.strip() and sub.strip()):
            raise HeaderValueError("Content-Type", lines[0])


def compatible(media: str, other: str) -> bool:
    """``MediaType.isCompatible``: either type ``*``, or the types equal and the subtypes
    equal or one of them ``*``."""
    kind, _, sub = media.partition("/")
    other_kind, _, other_sub = other.partition("/")
    return "*" in (kind, other_kind) or (kind == other_kind and (
        sub == other_sub or "*" in (sub, other_sub)))


def json_consumable(request: Request) -> None:
    """Raise JAX-RS's 415 when the request's ``Content-Type`` is no JSON, for a resource that
    ``@Consumes`` JSON alone: picking the method, Jersey keeps the route's methods whose
    consumed type is compatible with the request's (``MethodSelectingRouter.
    getMethodRouter``, ``ConsumesProducesAcceptor.isConsumable``, ``MediaType.isCompatible``,
    which ignores parameters such as ``charset``), and throws ``NotSupportedException``
    when none is left, before it reads the ``Accept`` (406, :func:`json_acceptable`). A
    request without a ``Content-Type`` is consumable, body or not. Not confirmed: an empty
    ``Content-Type`` is read as none here (:func:`content_type_readable`), where Jersey's
    ``MediaType.valueOf("")`` may refuse it."""
    if request.content_type and not compatible(request.content_type, "application/json"):
        raise HttpError(415, "Unsupported Media Type")


def json_acceptable(request: Request) -> None:
    """Raise JAX-RS's 406 when the client's ``Accept`` admits no JSON (see the module)."""
    if not any(compatible(media, "application/json") for media in accepted(request)):
        raise HttpError(406, "Not Acceptable")


_EMBED_PREFIXES = ("group.apps.", "apps.", "app.")
_APP_EMBEDS = {"tasks": ("tasks", "deployments"),
               "failures": ("tasks", "lastTaskFailure", "deployments"),
               "deployments": ("deployments",), "readiness": ("readiness",),
               "lastTaskFailure": ("lastTaskFailure",), "counts": ("counts",),
               "taskStats": ("taskStats",)}


def app_embeds(values: Sequence[str]) -> set[str]:
    """What ``?embed=`` asks to add to an app (``InfoEmbedResolver.resolveApp``): each value
    with the prefix ``app.``, ``apps.`` or ``group.apps.``, or none (all read alike);
    ``tasks`` brings the deployments too, the deprecated ``failures`` the tasks, the last
    task failure and the deployments; an unknown value is ignored."""
    found: set[str] = set()
    for value in values:
        prefix = next((p for p in _EMBED_PREFIXES if value.startswith(p)), "")
        found.update(_APP_EMBEDS.get(value.removeprefix(prefix), ()))
    return found


_GROUP_PARTS = {"group.apps": "apps", "group.pods": "pods", "group.groups": "groups"}


def group_embeds(values: Sequence[str]) -> tuple[set[str], set[str]]:
    """What ``?embed=`` asks to add to a group and to each of its apps
    (``GroupsResource.group``, ``InfoEmbedResolver.resolveAppGroup``): the parts ``apps``,
    ``pods``, ``groups`` (all three when nothing is asked), and what the values starting with
    ``group.apps.`` ask of an app (:func:`app_embeds`; none by default)."""
    embeds = list(values) or list(_GROUP_PARTS)
    parts = {_GROUP_PARTS[e] for e in embeds if e in _GROUP_PARTS}
    return parts, app_embeds([e for e in embeds if e.startswith("group.apps.")])


def flag(request: Request, name: str, default: bool = False) -> bool:
    """A boolean query parameter (``?force=true``) as Jersey 2 reads Marathon's
    ``@QueryParam`` of Scala's ``Boolean`` (a Java ``boolean``: ``PrimitiveValueOfExtractor``
    in eclipse-ee4j/jersey ``core-server/.../internal/inject/``): its first value, unless
    that is absent or blank, goes to ``Boolean.valueOf``, which is true for ``true`` in any
    case and false for anything else (``1``, ``yes``, `` true``), never an error; absent or
    blank, the resource's ``@DefaultValue`` (``default``: ``false`` but for ``DELETE
    /v2/apps/<id>``'s ``force`` and ``partialUpdate``)."""
    value = request.arg(name)
    if value is None or not value.strip():
        return default
    return value.lower() == "true"


def _member(values: set[str], inside: bool) -> Callable[[str], bool]:
    """``value in values`` (``in``, ``==``) or its negation (``notin``, ``!=``)."""
    return lambda value: (value in values) == inside


_STATES = {"running": "TASK_RUNNING", "staging": "TASK_STAGING"}


def task_states(values: Sequence[str]) -> set[str]:
    """The Mesos task states that ``?status=`` (and ``status[]``) ask for; empty: all."""
    return {_STATES[v.lower()] for v in values if v.lower() in _STATES}


def definition(body: Any, what: str) -> dict[str, Any]:
    """A PUT or POSTed ``body`` that must be one JSON object (an app or a group definition);
    422 ``Object is not valid`` otherwise."""
    if not isinstance(body, dict):
        raise HttpError(422, "Object is not valid", details=[
            {"path": "/", "errors": [f"{what} definition is a JSON object"]}])
    return body


def invalid(err: ValueError, *, each_app: bool = False,
            spec_path: Callable[[str], str] | None = None) -> HttpError:
    """A definition the loader or the framework refused, as Marathon's 422
    ``Object is not valid`` with the field's path (``/`` when the error names none), as
    Accord's descriptions read (``api/v2/Validation.scala``, ``allRuleViolationsWithFull
    Description``: a group's app is ``/apps(0)/cmd``, the app itself ``/apps(0)``).
    ``each_app``: the definition was a list of apps that Marathon validates one by one
    (``PUT``/``PATCH /v2/apps``), so a violation is named as in a single app (``/``,
    ``/cmd``), without the item's index. A dependency cycle is answered in Marathon's words
    only (``RootGroup.validRootGroup``: no cycle named, no hint), and so is an app or a pod
    with a group's id (simplified: named at ``/`` where the clash is inside a group, which
    Marathon names), a role the group does not allow or a resident one's ``*``, at
    ``/role`` of the app or pod, and
    accepted resource roles its role does not allow, at its ``/acceptedResourceRoles``:
    ``spec_path`` gives where a definition of several (a group's) holds the one of that id,
    ``/apps(0)`` or ``/groups(1)/pods(0)``, as Accord names a group's app
    (``Validation.every``: the item's index after its field). A loader's message ends as
    the message it gives ends, after the course's hint ``(expected ...)``: with a stop where
    Marathon's has one (``A role name must not be "".``, ``ResourceRole.scala``), none where
    it has none (Accord's ``must not be empty``, wix/accord ``CollectionCombinators``)."""
    if isinstance(err, RoleError | ResidentRoleError | AcceptedRolesError):
        at = spec_path(err.spec_id) if spec_path else ""
        field = "acceptedResourceRoles" if isinstance(err, AcceptedRolesError) else "role"
        return HttpError(422, "Object is not valid", details=[
            {"path": f"{at}/{field}", "errors": [err.upstream]}])
    if isinstance(err, DependencyCycleError | IdClashError):
        upstream = err.upstream if isinstance(err, IdClashError) else err.UPSTREAM_MESSAGE
        return HttpError(422, "Object is not valid", details=[
            {"path": "/", "errors": [upstream]}])
    if isinstance(err, ManifestError):
        return refusal("Object is not valid", violations(err, each_app=each_app))
    return HttpError(422, "Object is not valid", details=[{"path": "/", "errors": [str(err)]}])


def violations(err: ManifestError, *, each_app: bool = False) -> list[tuple[str, str]]:
    """Every problem of a loader's refusal (``err`` and its ``also``) as Accord's
    ``(path, message)`` (see :func:`invalid`)."""
    found = []
    for problem in _each(err):
        text = problem.message.rstrip(".")
        if problem.expected:
            text += f" (expected {problem.expected})"
        stop = "." if problem.message.endswith(".") else ""
        path = re.sub(r"^\[\d+\]\.?", "", problem.path) if each_app else problem.path
        found.append((_pointer(path), text + stop))
    return found


def _each(err: ManifestError) -> list[ManifestError]:
    """``err`` and every problem in its ``also``, at any depth (a group's refusal holds
    each app's, which holds each of the app's rules')."""
    return [err, *(problem for other in err.also for problem in _each(other))]


def with_loader(errors: Sequence[tuple[str, str]],
                definition: Callable[[], Any]) -> list[tuple[str, str]]:
    """``errors`` of Accord's rules the served API checks and, where they found some, what
    the manifest loader refuses of the ``definition`` (an app, a pod or a group) at the
    places they do not name (a place inside or around one named, ``/container`` of
    ``/container/docker``, is named already): Marathon validates a definition in one pass
    and reports every violation together."""
    if not errors:
        return list(errors)
    try:
        load_manifests(definition())
    except ManifestError as err:
        named = [path for path, _ in errors]
        return [*errors, *((path, text) for path, text in violations(err)
                           if not any(_overlap(path, other) for other in named))]
    except ValueError:
        pass
    return list(errors)


def _overlap(one: str, other: str) -> bool:
    """Whether the places ``one`` and ``other`` (Accord's paths) are one, or one holds the
    other (an app's own ``/`` holds no field here: it names the app)."""
    def holds(outer: str, inner: str) -> bool:
        return outer != "/" and inner.startswith((f"{outer}/", f"{outer}("))
    return one == other or holds(one, other) or holds(other, one)


def refusal(message: str, errors: Sequence[tuple[str, str]]) -> HttpError:
    """Marathon's 422 ``message`` for ``errors``, ``(path, message)`` pairs: one entry of
    ``details`` per path, in the order found, each with its messages
    (``failureWrites`` groups Accord's violations by path, ``groupBy(_.description)``,
    d2iq-archive/marathon ``api/v2/Validation.scala``; Marathon's map of them has no set
    order, the simulator keeps the order found)."""
    grouped: dict[str, list[str]] = {}
    for path, error in errors:
        if error not in grouped.setdefault(path, []):
            grouped[path].append(error)
    return HttpError(422, message, details=[{"path": p, "errors": e} for p, e in grouped.items()])


def _pointer(path: str) -> str:
    """The loader's ``apps[0].constraints[1]`` as Accord's ``/apps(0)/constraints(1)``."""
    out = ""
    for token in re.findall(r'\["[^"]*"\]|\[\d+\]|[^.\[]+', path):
        if token.startswith('["'):
            out += "/" + token[2:-2]
        elif token.startswith("["):
            out += f"({token[1:-1]})"
        else:
            out += "/" + token
    return out or "/"
