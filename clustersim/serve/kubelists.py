"""The options of a served Kubernetes list or watch (``ListOptions``): their checks before
anything is read, the chunks of a list (``limit`` and ``continue``) and the ``continue``
tokens, read and written as etcd3's storage does, and the integer query parameters.

It follows ``ValidateListOptions`` (apimachinery ``pkg/apis/meta/internalversion/
validation/validation.go``), the storage's ``EncodeContinue`` and ``DecodeContinue``
(k8s.io/apiserver ``pkg/storage/continue.go``) and etcd3's ``GetList``; the REST handler
(:mod:`~clustersim.serve.kubernetes`) calls :func:`check_list_options` for each list and
watch and :func:`page` for each list.

The revision a list is read at (:func:`page`): a real API server reads an ``Exact``
``resourceVersion`` (or a legacy one with ``limit``) and a ``continue`` token's from etcd's
history, which keeps the revisions since its last compaction (the API server compacts every
5 minutes: :meth:`~clustersim.serve.kubeversions.ResourceVersions.compacted`), and answers
410 ``Expired`` for one compacted (``interpretListError`` in k8s.io/apiserver
``pkg/storage/etcd3/errors.go``); a version newer than its watch cache has is waited for, 3
seconds, then answered 504 (``waitUntilFreshAndBlock`` in ``pkg/storage/cacher/
watch_cache.go``, ``NewTooLargeResourceVersionError`` in ``pkg/storage/errors.go``).
``NotOlderThan`` and a version without ``limit`` accept anything at least as new, so an
older version lists the current state. The simulator answers 410 for a compacted revision
as etcd does, on the simulated clock. Within the compaction window it reads a ``continue``
token's rest and an ``Exact`` version as etcd does, with the objects as they were at that
revision: the states each object went through since the last compaction are kept
(:class:`~clustersim.serve.kubeversions.History`), and the selectors choose among the
objects as they were, so ``kubectl get --chunk-size`` on a busy cluster shows one
consistent snapshot. Simplified: a version is numbered when the changed object is first
rendered (:mod:`~clustersim.serve.kubeversions`), and its state kept then, whether a list
(those its namespace or selectors leave out too), a read, a watch or a write rendered it;
a version numbered by an Event's reference (the object it names rendered only to stamp
it) has no state kept, and a list at a revision that needs it is answered 410 as a
compacted one (a client such as client-go's reflector then lists anew). A newer version
is answered at once instead of after 3 seconds (the revision moves only when a read finds
a change or simulated time passes); the ``Retry-After: 1`` of the answer has kubectl ask
again.
"""

from __future__ import annotations

import base64
import bisect
import json
from collections.abc import Callable
from typing import Any

from clustersim.goformat import NumError, json_kind, parse_int, path_clean
from clustersim.manifests.kubernetes_errors import aggregate, invalid, named, unsupported
from clustersim.serve.core import HttpError, Request, decode_json
from clustersim.serve.kubedecoding import decoder_error, refuse_constant
from clustersim.serve.kubeversions import ResourceVersions

__all__ = ["MIN_REQUEST_TIMEOUT", "UNKNOWN_REASON", "WATCH_LIMIT", "WATCH_POLL",
           "check_list_options", "int64_option", "page", "too_large"]

WATCH_POLL = 0.1
"""How often, in wall-clock seconds, a watch or a followed log looks for news."""
MIN_REQUEST_TIMEOUT = 1800.0
"""The API server's ``--min-request-timeout`` (default 1800 s, k8s.io/apiserver
``pkg/server/config.go``)."""
WATCH_LIMIT = MIN_REQUEST_TIMEOUT
"""How many wall-clock seconds a watch without ``timeoutSeconds`` (or with 0) lasts, and a
followed log at most. The API server gives such a watch ``MinRequestTimeout`` times a random
factor in [1, 2), 30 to 60 minutes (``ListResource`` in k8s.io/apiserver
``pkg/endpoints/handlers/get.go``); the simulator takes the factor's lower bound, 1, so the
same watch always lasts as long. When it ends, ``kubectl get -w`` ends with it; a command
built on an informer (``kubectl rollout status``, ``kubectl wait``) starts a new watch."""
LIST_EXPIRED = "The resourceVersion for the provided list is too old."
"""etcd3's 410 for a list at a compacted revision (``expired``, ``pkg/storage/etcd3/
errors.go``)."""
CONTINUE_EXPIRED = (
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this "
    "response to retrieve the remainder of the results. Continuing with the provided token "
    "results in an inconsistent list - objects that were created, modified, or deleted "
    "between the time the first chunk was returned and now may show up in the list.")
"""etcd3's 410 for a ``continue`` token at a compacted revision, which carries a token for
the rest at the current revision (``inconsistentContinue``, ``handleCompactedErrorForPaging``
in ``pkg/storage/etcd3/errors.go``)."""
UNKNOWN_REASON = "Unknown"
"""``StatusReasonUnknown``, which is empty on the wire: the reason of an error the API server
did not classify (``ErrorToAPIStatus``, k8s.io/apiserver ``endpoints/handlers/
responsewriters/status.go``); kubectl then prints ``Error from server: <message>``."""


def check_list_options(request: Request, *, watch: bool) -> None:
    """Refuse the options of a list or a watch as the API server does, before it reads
    anything: ``ValidateListOptions`` (apimachinery ``pkg/apis/meta/internalversion/
    validation``: a ``resourceVersionMatch`` without ``resourceVersion``, with
    ``continue``, or not one of its values; for a watch, only ``NotOlderThan`` together with
    ``sendInitialEvents``), a 422 naming ``ListOptions.meta.k8s.io``; then the storage's
    reading of ``resourceVersion``. A version that is not a number is refused by the
    versioner (``APIObjectVersioner.ParseResourceVersion``): the watch cache, which serves
    a watch and a list without ``limit`` or ``continue``, passes its error on, which reaches
    the client as a 500 without a reason; etcd3's ``GetList``, which serves the others (and
    ``Exact``), words it as a 400 ``invalid resource version: ...``, and refuses a version
    other than ``0`` together with ``continue``."""
    version = request.arg("resourceVersion") or ""
    match = request.arg("resourceVersionMatch") or ""
    token = request.arg("continue") or ""
    initial = request.arg("sendInitialEvents")
    forbidden = "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden "
    problems = []
    if watch:
        if initial is not None and match != "NotOlderThan":
            problems.append("resourceVersionMatch: Forbidden: sendInitialEvents requires "
                            "setting resourceVersionMatch to NotOlderThan")
        if match and initial is None:
            problems.append(forbidden + "for watch unless sendInitialEvents is provided")
        if match and match != "NotOlderThan":
            problems.append("resourceVersionMatch: "
                            + unsupported(named(match), ["NotOlderThan"]))
        if match and token:
            problems.append(forbidden + "when continue is provided")
    else:
        if match and not version:
            problems.append(forbidden + "unless resourceVersion is provided")
        if match and token:
            problems.append(forbidden + "when continue is provided")
        if match and match not in ("Exact", "NotOlderThan"):
            problems.append("resourceVersionMatch: "
                            + unsupported(named(match), ["Exact", "NotOlderThan", ""]))
        if match == "Exact" and version == "0":
            problems.append('resourceVersionMatch: Forbidden: resourceVersionMatch "exact" '
                            'is forbidden for resourceVersion "0"')
        if initial is not None:
            problems.append("sendInitialEvents: Forbidden: sendInitialEvents is forbidden "
                            "for list")
    if problems:
        raise HttpError(422, f'ListOptions.meta.k8s.io "" is invalid: {aggregate(problems)}',
                        "Invalid")
    if version in ("", "0"):
        return
    try:
        parse_int(version, signed=False)
    except NumError as unreadable:
        why = f"resourceVersion: {invalid(version, str(unreadable))}"
        from_etcd = not watch and (match == "Exact" or (not match and (
            bool(token) or (int64_option(request, "limit") or 0) > 0)))
        if from_etcd:
            raise HttpError(400, f"invalid resource version: {why}", "BadRequest") from None
        raise HttpError(500, why, UNKNOWN_REASON) from None
    if token and not watch:
        raise HttpError(400, "specifying resource version is not allowed when using continue",
                        "BadRequest")


Items = list[tuple[dict[str, Any], dict[str, float]]]
"""A list's objects with the simulated times their Table rows show."""


def page(request: Request, items: Items, across_namespaces: bool, versions: ResourceVersions,
         as_at: Callable[[int], Items | None], *,
         ordered: bool = False) -> tuple[Items, dict[str, Any]]:
    """One chunk of a list (``?limit=``, ``?continue=``; https://kubernetes.io/docs/reference/
    using-api/api-concepts/#retrieving-large-results-sets-in-chunks) and the list's
    metadata: at most ``limit`` items from the ``continue`` token's start key on, in the
    order of their storage keys; when more are left, a ``continue`` token for the next
    chunk and, for a list without selectors, ``remainingItemCount``. The token is etcd3's
    (``EncodeContinue`` in k8s.io/apiserver ``pkg/storage/continue.go``: URL-safe base64 of
    ``{"v", "rv", "start"}``, ``start`` the key after the chunk's last, relative to the
    list's prefix); a token it cannot read is refused with 400. ``versions`` holds the
    store's revision and the one it is compacted to, ``items`` are the objects now and
    ``as_at`` gives them as they were at an older revision (None where it cannot, see the
    module docstring): the list is read at the revision the request names when the store
    can read it there, else refused with 410 or 504. ``ordered``: ``items`` come in the
    order of their storage keys already, so that a chunk finds its start by bisection, as
    etcd seeks its first key, rather than by sorting them all."""
    # a limit below 1 asks for no chunks (etcd3 ``GetList`` pages when ``Limit > 0``)
    token, limit = request.arg("continue"), max(int64_option(request, "limit") or 0, 0)
    if token:
        start, at = _decode_continue(token, versions.revision)
        expired = HttpError(410, CONTINUE_EXPIRED, "Expired")
        expired.list_meta["continue"] = _continue(start, -1)
        _readable(at, versions, expired)
    else:
        expired = HttpError(410, LIST_EXPIRED, "Expired")
        start, at = "", _list_revision(request, versions, limit, expired)
    if at < versions.revision:
        then = as_at(at)
        if then is None:        # a state the simulator did not keep
            raise expired
        items, ordered = sorted(then, key=lambda item: _storage_key(item[0],
                                                                    across_namespaces)), True
    meta: dict[str, Any] = {"resourceVersion": str(at)}
    if not token and not limit:
        return items, meta
    if not ordered:
        items = sorted(items, key=lambda item: _storage_key(item[0], across_namespaces))
    items = items[bisect.bisect_left(items, start,
                                     key=lambda item: _storage_key(item[0], across_namespaces)):]
    if not limit or len(items) <= limit:
        return items, meta
    meta["continue"] = _continue(_storage_key(items[limit - 1][0], across_namespaces)
                                 + "\x00", at)
    if not request.arg("labelSelector") and not request.arg("fieldSelector"):
        meta["remainingItemCount"] = len(items) - limit
    return items[:limit], meta


def _list_revision(request: Request, versions: ResourceVersions, limit: int,
                   expired: HttpError) -> int:
    """The revision a list without ``continue`` is read at: the one it names with ``Exact``
    or, without ``resourceVersionMatch``, with a ``limit`` (etcd3 reads that revision,
    ``ValidateListOptions`` in k8s.io/apiserver ``pkg/storage/interfaces.go``), else the
    store's now (none, ``0``, ``NotOlderThan`` or a version alone: at least that new)."""
    version, revision = request.arg("resourceVersion") or "", versions.revision
    if version in ("", "0"):
        return revision
    asked = parse_int(version, signed=False)     # check_list_options has read it
    match = request.arg("resourceVersionMatch") or ""
    exact = match == "Exact" or (not match and limit > 0)
    if not exact and asked <= revision:
        return revision
    _readable(asked, versions, expired)
    return asked


def _readable(at: int, versions: ResourceVersions, expired: HttpError) -> None:
    """Refuse to read the list at revision ``at`` when etcd cannot: ``expired`` for a
    revision compacted (:meth:`~clustersim.serve.kubeversions.ResourceVersions.compacted`),
    :func:`too_large` for one the store has not reached."""
    ahead = too_large(at, versions)
    if ahead is not None:
        raise ahead
    if at < versions.compacted():
        raise expired


def too_large(at: int, versions: ResourceVersions) -> HttpError | None:
    """The cacher's 504 for a revision ``at`` the store has not reached, or None: its
    ``waitUntilFreshAndBlock`` (k8s.io/apiserver ``pkg/storage/cacher/watch_cache.go``)
    gives up after 3 seconds with ``NewTooLargeResourceVersionError`` (``pkg/storage/
    errors.go``), asking the client to retry after ``resourceVersionTooHighRetrySeconds``,
    1. Simplified: the simulator answers at once (its revision moves only as it serves)."""
    if at <= versions.revision:
        return None
    return HttpError(504, f"Timeout: Too large resource version: {at}, current: "
                     f"{versions.revision}", "Timeout", causes=[
                         {"reason": "ResourceVersionTooLarge",
                          "message": "Too large resource version"}], retryAfterSeconds=1)


def _continue(start: str, revision: int) -> str:
    """etcd3's ``continue`` token for the keys from ``start`` on at ``revision`` (-1: at the
    current one), ``EncodeContinue``: URL-safe base64 without padding of its JSON."""
    return base64.urlsafe_b64encode(json.dumps(
        {"v": "meta.k8s.io/v1", "rv": revision, "start": start},
        separators=(",", ":")).encode()).decode().rstrip("=")


def _storage_key(obj: dict[str, Any], across_namespaces: bool) -> str:
    """An object's etcd key relative to its list's prefix (``/registry/pods/default/``):
    ``namespace/name`` in a list across namespaces, else its name."""
    meta = obj["metadata"]
    return f"{meta.get('namespace', '')}/{meta['name']}" if across_namespaces else meta["name"]


def _decode_continue(token: str, current: int) -> tuple[str, int]:
    """The start key and resourceVersion of a ``continue`` token, as etcd3's ``GetList``
    reads it with ``DecodeContinue`` (k8s.io/apiserver ``pkg/storage/continue.go``), or the
    400 ``invalid continue token: continue key is not valid: ...`` of one it cannot read, in
    Go's words: base64 without padding (``RawURLEncoding``: ``illegal base64 data at input
    byte N``), JSON into the token's Go struct
    (:func:`~clustersim.serve.kubedecoding.decoder_error`'s syntax errors, Go's type errors,
    field names matched regardless of case, unknown fields and nulls passed over), then its
    version, a resourceVersion other than 0, a start key that is not empty and that
    ``path.Clean`` leaves as it is (no ``..`` to climb out of the list's prefix).
    A negative resourceVersion lists at the ``current`` one, as etcd3 does for the token it
    hands out when the first chunk's version has been compacted."""
    def refused(why: str) -> HttpError:
        return HttpError(400, f"invalid continue token: continue key is not valid{why}",
                         "BadRequest")

    corrupt = _raw_base64_error(token)
    if corrupt is not None:
        raise refused(f": illegal base64 data at input byte {corrupt}")
    raw = token.replace("\r", "").replace("\n", "")
    text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("latin-1")
    try:          # latin-1: each byte one character, as Go's scanner reads bytes
        found = decode_json(text, refused(": exceeded max depth"),
                            parse_constant=refuse_constant)
    except json.JSONDecodeError as err:
        raise refused(f": {decoder_error(err)}") from None
    if found is not None and not isinstance(found, dict):
        raise refused(f": json: cannot unmarshal {json_kind(found, numeric_target=False)} "
                      "into Go value of type storage.continueToken")
    fields: dict[str, Any] = {"v": "", "rv": 0, "start": ""}
    for key, value in (found or {}).items():
        field = next((f for f in fields if f == key.casefold()), None)
        if field is None or value is None:
            continue
        number = field == "rv"
        if not (isinstance(value, int) and not isinstance(value, bool)
                and -2 ** 63 <= value < 2 ** 63 if number else isinstance(value, str)):
            raise refused(f": json: cannot unmarshal {json_kind(value, numeric_target=number)}"
                          f" into Go struct field continueToken.{field} of type "
                          f"{'int64' if number else 'string'}")
        fields[field] = value
    if fields["v"] != "meta.k8s.io/v1":
        raise refused(f": server does not recognize this encoded version {fields['v']}")
    if fields["rv"] == 0:
        raise refused(": incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
    if not fields["start"]:
        raise refused(": encoded start key empty (version meta.k8s.io/v1)")
    key = fields["start"] if fields["start"].startswith("/") else "/" + fields["start"]
    cleaned = path_clean(key)
    if cleaned != key:
        raise refused(f": {fields['start']}")
    return cleaned[1:], fields["rv"] if fields["rv"] > 0 else current


_URL_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _raw_base64_error(text: str) -> int | None:
    """Where Go's ``base64.RawURLEncoding`` finds ``text`` corrupt (``decodeQuantum`` in
    ``src/encoding/base64/base64.go``: a byte outside the URL alphabet, ``=`` included, as
    there is no padding; a last group of one character), or None; ``\\r`` and ``\\n`` are
    skipped."""
    count = 0
    for i, char in enumerate(text):
        if char in "\r\n":
            continue
        if char not in _URL_ALPHABET:
            return i
        count += 1
    return len(text) - 1 if count % 4 == 1 else None


def bool_option(request: Request, name: str) -> bool:
    """A ``bool`` query parameter (``watch``, ``sendInitialEvents``; ``PodLogOptions``'
    ``follow``, ``previous``, ``timestamps``; ``PatchOptions``' ``force``) as apimachinery's
    ``Convert_Slice_string_To_bool`` (``pkg/runtime/conversion.go``) reads its first value:
    false when absent, ``0`` or ``false`` in any case, true for anything else, an empty value
    (``?watch=``) and ``1``, ``yes`` or ``True`` included; the request info resolver reads
    ``watch`` so too (``checkIfWatch`` in ``endpoints/request``)."""
    text = request.arg(name)
    return text is not None and text != "0" and text.lower() != "false"


def int64_option(request: Request, name: str) -> int | None:
    """An ``int64`` query parameter of ``ListOptions`` (``limit``; ``timeoutSeconds``, a
    ``*int64``) or ``PodLogOptions`` (``tailLines``, ``limitBytes``, ``sinceSeconds``), None
    when absent, as apimachinery's ``Convert_Slice_string_To_int64`` and
    ``Convert_Slice_string_To_Pointer_int64`` read it with Go's ``strconv.ParseInt(text, 10,
    64)``; its error is the list handler's 400 (``ListResource``: ``DecodeParameters``, then
    ``NewBadRequest``). A negative ``limit`` is read, and asks for no chunks."""
    text = request.arg(name)
    if text is None:
        return None
    try:
        return parse_int(text, signed=True)
    except NumError as unreadable:
        raise HttpError(400, str(unreadable), "BadRequest") from None
