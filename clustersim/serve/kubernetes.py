"""The Kubernetes API server over a :class:`~clustersim.kubernetes.KubernetesCluster`, for the
real ``kubectl``.

About 3,200 lines because it is one REST handler: every verb (get, list, watch, create, update,
patch, delete and the subresources) shares the request's resource, namespace and
resourceVersion; the table printing is in :mod:`~clustersim.serve.kuberender`, the list
options and continue tokens in :mod:`~clustersim.serve.kubelists`, the Pod log subresource in
:mod:`~clustersim.serve.kubelogs`, the access reviews in
:mod:`~clustersim.serve.kubeaccessreview` and the decoder's errors in
:mod:`~clustersim.serve.kubedecoding`.

REST paths as in the API conventions
(https://kubernetes.io/docs/reference/using-api/api-concepts/): ``/api/v1/namespaces/<ns>/pods``,
``/apis/apps/v1/namespaces/<ns>/deployments/<name>/scale``. Verbs: get, list (with
``labelSelector``, ``fieldSelector``, server-side Table printing, chunks with ``limit`` and
``continue``: :func:`~clustersim.serve.kubelists.page`), watch (``?watch=1``,
newline-delimited ``WatchEvent`` JSON), create, update, patch (JSON merge, strategic merge,
JSON patch, and apply patches for ``--server-side``), delete (with ``DeleteOptions`` from
its body, else its query: :meth:`KubernetesBackend._delete_options`) and deletecollection (a
DELETE of a namespace's collection with a list's selectors:
:meth:`KubernetesBackend._delete_collection`; ``dryRun`` for every write:
:func:`_dry_run`), and the ``scale``,
``status``, ``eviction`` and ``log`` subresources. Errors are ``Status`` objects with the
reason and code the real API server gives
(``staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go``).
Each object carries the resourceVersion of its last change and a list the store's revision
(:mod:`~clustersim.serve.kubeversions`); an update naming an older version is refused with
409 Conflict (:func:`_precondition`), a list from an older ``continue`` token or an
``Exact`` list at an older version is read with the objects as they were at that revision
while etcd would keep it (each object's states since the last compaction are kept; the API
server compacts every 5 minutes), else, or for a version only an Event's reference numbered,
410 Expired (:mod:`~clustersim.serve.kubelists`), and a
watch from a version is sent every event of the watch cache after it, in order, each change
and each deletion at a version of its own (a Node and its Lease included, their deletions
numbered when the node leaves; an object's last change before its delete, a terminal Pod's,
numbered as it goes), or, from one older than its watch cache's
window of that kind's changes, one ``ERROR`` event with a 410 ``too old resource version``
(:mod:`~clustersim.serve.kubewatchcache`); one from a version the store has not reached
sends only the changes past it (``cacheWatcher.process`` in k8s.io/apiserver
``pkg/storage/cacher/cache_watcher.go``), and a ``DELETED`` event carries the object as
last stored (a graceful deletion's ``deletionTimestamp`` with it) at the deletion's
version, as etcd's delete event does.
Field validation follows the request's ``fieldValidation`` (kubectl sends ``Strict`` by
default): unknown fields refuse the object, or are dropped with a warning or silently
(:func:`_field_validation`).

``kubectl top`` reads the ``metrics.k8s.io`` API of the metrics-server the simulated cluster
has installed (:mod:`~clustersim.serve.kubemetrics`).

``kubectl auth can-i`` (a SelfSubjectAccessReview, with ``--as``/``--as-group`` sent as
impersonation headers) and ``auth whoami`` are answered by
:mod:`~clustersim.serve.kubeaccessreview` over the stored Roles, ClusterRoles and bindings.

As on a real cluster, kubectl creates nothing in a namespace that does not exist
(``namespaces "dev" not found``); a namespace exists once created, or once objects put into
the simulator from Python live in it (the simulator itself needs no Namespace object). Lists
come in the order of their storage keys (namespace, then name), as etcd returns them: Nodes
and Leases by name, not in the order the nodes joined, and Events by their object's name. The
default ClusterRoles and bindings (``cluster-admin``, ``admin``, ``edit``, ``view``, and the
``system:`` roles every user has through a group, such as ``system:basic-user``:
:mod:`clustersim.kubernetes.rbacdefaults`), each namespace's ServiceAccount ``default`` and
the ``kubernetes`` Service of ``default`` (10.96.0.1, port 443) are listed, and used by
``auth can-i``; their labels and annotations may change, nothing else: deleting the Service
or a ServiceAccount ``default`` is answered as done, and its controller makes it again at once,
with a new uid and its own labels; one of the same name put into the simulator from Python
replaces one.

Simplified (what a real API server does instead): no authentication, and RBAC is not enforced
on the requests themselves: kubectl's user may do anything, as the admin of the kubeconfig
``kubeadm init`` writes, bound to ``cluster-admin`` (a real server would also check
impersonation rights; asking
``auth can-i`` or ``auth whoami`` as another user is checked); field managers
(``metadata.managedFields``, server-side apply's conflicts and dropped fields, modelled since
December 2026: :mod:`~clustersim.serve.kubefieldmanager`) are kept only for the objects
written through the API, and a server-side apply merges the configuration into the object as
a strategic merge patch does; an object's state is kept when a version is numbered for it
(by a list, those it leaves out included, a read, a watch, a write's answer), except when an
Event's reference numbers it (the object it names is rendered only to stamp the
reference), so such a version cannot be listed later and is answered 410 as a compacted
one, where etcd keeps every revision (:func:`~clustersim.serve.kubelists.page`); watches
poll the simulator every 0.1 s of wall-clock time, sharing their looks and rendering
nothing while nothing they could see has changed (:mod:`~clustersim.serve.kubewatchlooks`;
a real API server's cacher hands each change to its watchers), and one without
``timeoutSeconds`` (or with 0) lasts 30 minutes (``WATCH_LIMIT``, a real API server's 30 to
60); no container runs, so the Pod subresources a kubelet streams (exec, attach,
portforward: ``kubectl exec``, ``cp``, ``attach`` and ``port-forward``) are answered
with a Status saying so and what to use instead (:func:`_not_streamed`); a Node's status
written through ``/status`` is decoded and validated (:mod:`~clustersim.serve.kubenodes`)
and kept until the kubelet's next status update writes back the fields it owns (an extended
resource advertised so stays, https://kubernetes.io/docs/tasks/administer-cluster/extended-resource-node/),
but the simulator's scheduler places Pods by the nodes' own capacity, not a written one;
the status written to any other kind but a Pod is shown until its controller writes its
own again, and never read by the simulator's controllers
(:mod:`~clustersim.serve.kubestatuswrites`).
"""

from __future__ import annotations

import copy
import json
import re
import time
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import yaml

from clustersim.goformat import (
    FloatLiteral,
    GoStruct,
    NumError,
    go_json,
    go_quote,
    json_kind,
    parse_int,
    parse_rfc3339,
)
from clustersim.kubernetes import AdmissionError, KubernetesCluster, rbacdefaults
from clustersim.kubernetes.apiserver import FOREGROUND_DELETION
from clustersim.kubernetes.controllers.disruption import (
    eviction_refusal,
    mark_disruption_target,
)
from clustersim.kubernetes.defaults import set_service_defaults
from clustersim.kubernetes.finalizers import deleted_by_update
from clustersim.kubernetes.objects import selector_string
from clustersim.kubernetes.podlifecycle import (
    deleted_at_once,
    deletion_grace_period,
    shortened_deletion,
)
from clustersim.kubernetes.secretdata import fold_string_data
from clustersim.kubernetes.services import InternalError, apiserver_service, keep_allocated
from clustersim.kubernetes.storageclass import default_storage_class
from clustersim.kubernetes.workloadupdates import pod_update_refusal
from clustersim.manifests import ManifestError, load_manifests
from clustersim.manifests.errors import together
from clustersim.manifests.ingress_checks import CLASS_ANNOTATION, create_only
from clustersim.manifests.kubernetes import metadata_errors
from clustersim.manifests.kubernetes_errors import (
    ERROR_TYPES,
    aggregate,
    field_error_ahead,
    invalid,
    named,
    unsupported,
)
from clustersim.manifests.kubernetes_fields import (
    strict_decoding_error,
    strict_decoding_problems,
    unknown_fields_meant,
)
from clustersim.manifests.kubernetes_names import label_key_problems, label_value_problems
from clustersim.manifests.kubernetes_types import KIND_MODELS, OtherObject
from clustersim.manifests.safe_yaml import copy_data, load_data
from clustersim.manifests.validation import unstorable_number
from clustersim.node import TAINT_EFFECTS, Node
from clustersim.release import KUBERNETES_VERSION, SERVED_VERSION
from clustersim.serve import (
    kubeaccessreview,
    kubeapimetrics,
    kubeautoscalingv1,
    kubemetrics,
    kubeproto,
)
from clustersim.serve.core import (
    ClusterTime,
    HttpError,
    Request,
    Response,
    SimServer,
    WallClock,
    compact_json,
    decode_json,
)
from clustersim.serve.etcdsize import as_deleting, as_stored, check_storable
from clustersim.serve.kubedecoding import (
    decoded_order,
    decoder_error,
    delete_options_kind_error,
    object_meta_error,
    refuse_constant,
    spec_error,
    type_error,
)
from clustersim.serve.kubefieldmanager import (
    APPLY,
    UPDATE,
    ApplyConflictError,
    Entry,
    applied,
    changed_fields,
    check_configuration,
    check_field_manager,
    decoded,
    field_set,
    manager_of,
    updated,
)
from clustersim.serve.kubehealth import health
from clustersim.serve.kubelists import (
    UNKNOWN_REASON,
    WATCH_LIMIT,
    WATCH_POLL,
    bool_option,
    check_list_options,
    int64_option,
    page,
    too_large,
)
from clustersim.serve.kubelogs import pod_log
from clustersim.serve.kubelookreuse import Reuse
from clustersim.serve.kubenamespaces import (
    PURGE_PENDING,
    check_finalize,
    finalize_errors,
    new_content_refusal,
    update_terminating,
)
from clustersim.serve.kubenamespaces import status_errors as namespace_status_errors
from clustersim.serve.kubenodes import (
    NodeWrites,
    canonical_status,
    machine_capacity,
    node_resources_errors,
    node_spec_error,
    node_write_problems,
    pod_cidrs,
)
from clustersim.serve.kuberender import Renderer
from clustersim.serve.kuberesources import (
    DERIVED,
    NAMESPACED,
    RESOURCES,
    Resource,
    api_group,
    api_group_list,
    api_resource_list,
    api_versions,
    by_kind,
    find,
    openapi_v3_document,
    openapi_v3_root,
)
from clustersim.serve.kubestatuswrites import (
    RECONCILED_AT_ONCE,
    shown_status,
    status_decode_error,
    status_problems,
)
from clustersim.serve.kubetables import last_restart, table
from clustersim.serve.kubeversions import key_of
from clustersim.serve.kubewatchcache import next_bookmark
from clustersim.serve.kubewatchlooks import Look, Moment, SharedLooks, Watcher
from clustersim.serve.patch import json_patch, merge_patch, strategic_patch
from clustersim.serve.patchrefusal import patch_refusal
from clustersim.serve.selectors import field_selector, label_selector, selected_value

__all__ = ["KubernetesBackend", "write_kubeconfig"]

_SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields",
                  "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")
_STATUS_TIMES = ("startTime", "completionTime", "lastScheduleTime")
_IMMORTAL = ("default", "kube-system", "kube-public")
"""Namespaces the NamespaceLifecycle admission plugin refuses to delete (its
``immortalNamespaces``, ``plugin/pkg/admission/namespace/lifecycle/admission.go``)."""
_NAMESPACED = tuple(r.kind for r in NAMESPACED)
_METADATA_ONLY = frozenset({"metadata", "status", "apiVersion", "kind"})
"""What an update of a default object may leave changed besides its labels and annotations
(:meth:`KubernetesBackend._relabel`): the status is the controllers'."""
_REMADE = frozenset({"ConfigMap", "Service", "ServiceAccount"})
"""Kinds whose default objects (:meth:`KubernetesBackend._defaults`) a controller makes again
as soon as they are deleted: the ``kubernetes`` Service and each namespace's ServiceAccount
``default`` and ConfigMap ``kube-root-ca.crt``; deleting one is answered as done, and it
comes back with a new uid and age (:meth:`KubernetesBackend._as_remade`). The default RBAC
objects are made again only when the API server restarts, so the simulator keeps them
read-only."""
_STREAMS = {
    "exec": "running a command in a container (kubectl exec, and kubectl cp, which runs tar "
            "through it) is not simulated: clustersim runs no containers. Read what Pod {pod} "
            "printed with kubectl logs {pod}, and its state and events with kubectl describe "
            "pod {pod}",
    "attach": "attaching to a container (kubectl attach) is not simulated: clustersim runs no "
              "containers. Follow what Pod {pod} prints with kubectl logs -f {pod}",
    "portforward": "forwarding a port (kubectl port-forward) is not simulated: clustersim runs "
                   "no containers and has no network, so nothing listens on Pod {pod}'s "
                   "ports, and no Pod or Service address is reachable from this machine. See "
                   "which Pods a Service sends to with kubectl get endpointslices",
    "ephemeralcontainers": "adding an ephemeral container (kubectl debug) is not simulated: "
                           "clustersim runs no containers, so there is no process to debug "
                           "(a real cluster always serves ephemeral containers, GA since "
                           "v1.25). Read what Pod {pod} did with kubectl logs {pod} "
                           "--previous and kubectl describe pod {pod}",
}
"""The Pod subresources that need a running container: the three a kubelet streams
(``pkg/registry/core/pod/rest/subresources.go``: ``ExecREST``, ``AttachREST``,
``PortForwardREST``) and ``ephemeralcontainers`` (``EphemeralContainersREST`` in
``pkg/registry/core/pod/storage/storage.go``), each with what the refusal says
(:func:`_not_streamed`). Answered 404 like an unknown subresource, ``kubectl debug`` would
print "ephemeral containers are disabled for this cluster", kubectl's reading of a 404 from
a cluster whose feature gate is off (``debugByEphemeralContainer`` in
``staging/src/k8s.io/kubectl/pkg/cmd/debug/debug.go``), which no cluster since v1.25 is."""
_ROOT_CA_CONFIGMAP: dict[str, Any] = {
    "apiVersion": "v1", "kind": "ConfigMap",
    "metadata": {"name": "kube-root-ca.crt", "annotations": {
        "kubernetes.io/description": (
            "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            "internal endpoints such as the internal service IP or kubernetes.default.svc. "
            "No other usage is guaranteed across distributions of Kubernetes clusters.")}},
    "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\n"
                       "Y2x1c3RlcnNpbSBzaW11bGF0ZXMgdGhpcyBjbHVzdGVyIENBOyB0aGUgc2ltdWxh\n"
                       "dGVkIEFQSSBzZXJ2ZXIgc3BlYWtzIHBsYWluIEhUVFAu\n"
                       "-----END CERTIFICATE-----\n"}}
"""The ConfigMap the root CA certificate publisher puts in every namespace: the name, key and
annotation of ``pkg/controller/certificates/rootcacertpublisher/publisher.go``
(``RootCACertConfigMapName``, ``DescriptionAnnotation``, ``Description``); it puts it back
when it is deleted. Simplified: ``ca.crt`` is a placeholder, not a certificate (its base64
says that the simulated API server speaks plain HTTP); a real one holds the cluster's CA, in
PEM."""
_INVALID = re.compile(r'^(?:The )?([\w.]+) "([^"]*)" is invalid: (.+)$', re.S)
_NEXT_ERROR = re.compile(r", (?=[^\s:,]*: " + field_error_ahead() + ")")
"""Where the next field error starts in an aggregated ``[a, b]`` message."""


def _uid(obj: Mapping[str, Any]) -> str:
    """The key of an object in a watch's :data:`~clustersim.serve.kubewatchlooks.Look`."""
    return obj["metadata"].get("uid", obj["metadata"]["name"])


def write_kubeconfig(url: str, path: str | Path) -> Path:
    """Write a kubeconfig whose one context, ``clustersim``, points at ``url``."""
    path = Path(path)
    config = {
        "apiVersion": "v1", "kind": "Config", "current-context": "clustersim",
        "clusters": [{"name": "clustersim", "cluster": {"server": url}}],
        "users": [{"name": "learner", "user": {"token": "simulated"}}],
        "contexts": [{"name": "clustersim", "context": {
            "cluster": "clustersim", "user": "learner", "namespace": "default"}}],
    }
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def _method_not_allowed() -> HttpError:
    """A method the route lacks: go-restful's router answers 405 (``detectRoute``), which
    the API server's ``serviceErrorHandler`` writes as a Status with
    ``NewGenericServerResponse``'s words (k8s.io/apiserver ``pkg/server/handler.go``,
    k8s.io/apimachinery ``pkg/api/errors/errors.go``). ``/version`` is such a route, GET
    alone (k8s.io/apiserver ``pkg/endpoints/routes/version.go``)."""
    return HttpError(405, "the server does not allow this method on the requested resource",
                     "MethodNotAllowed")


class KubernetesBackend(ClusterTime):
    """The API server of ``cluster``; ``epoch`` as in :class:`Renderer`."""

    system = "kubernetes"

    def __init__(self, cluster: KubernetesCluster, *, epoch: float | None = None) -> None:
        self.cluster = cluster
        cluster.sync_faults = []    # a controller's failure is contained, reported: faults()
        self.renderer = Renderer(cluster, epoch)
        self.address = "127.0.0.1"
        self.remade: dict[tuple[str, str, str], tuple[int, float]] = {}
        """(kind, namespace, name) of each default object deleted through the API and made
        again (:data:`_REMADE`): how many times, and the simulated time of the last."""
        self.relabelled: dict[tuple[str, str, str], dict[str, dict[str, str]]] = {}
        """The labels and annotations a user gave a default object (:meth:`_relabel`), by
        (kind, namespace, name), until it is deleted."""
        self.writes = 0
        """The requests other than reads answered so far (a watch's :class:`Moment`)."""
        self.looks = SharedLooks()
        """The watches' looks at the simulator (:mod:`~clustersim.serve.kubewatchlooks`)."""
        self.requests = kubeapimetrics.RequestCounts()
        """The requests answered on the resource routes (``/metrics``)."""
        self.ticked = float("-inf")
        """When (``time.monotonic()``) a watch last brought simulated time up to the wall
        clock: the watches polling within one
        :data:`~clustersim.serve.kubelists.WATCH_POLL` after see the same moment."""
        # before the field managers forget the object, so that its last state shows them
        cluster.on_removed.insert(0, self._removed)

    def _removed(self, obj: Mapping[str, Any]) -> None:
        """The store lets ``obj`` go: its last write is numbered (:meth:`_last_write`)."""
        self._last_write(obj)

    def _last_write(self, obj: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
        """A stored object the store lets go, rendered once more first: a last change (a
        Pod's terminal phase, written by its kubelet before the delete) is numbered as its
        own write and kept, and the deletion, numbered next, is another
        (k8s.io/apiserver ``pkg/storage/etcd3/event.go``: a delete is an etcd revision of
        its own), so that an open watch and one resumed later from the watch cache are
        sent the same MODIFIED and DELETED. A Namespace is shown finalized instead, its
        version left as it was."""
        if obj["kind"] == "Namespace":
            return self.renderer.finalized(obj), self._times_of(dict(obj))
        return self._stored_item(by_kind(obj["kind"]), dict(obj))

    @property
    def clock(self) -> WallClock:
        return self.renderer.clock

    def advance(self, until: float) -> None:
        if until > self.now:
            super().advance(until)
            self.renderer.versions.bump()

    def faults(self) -> list[str]:
        faults = self.cluster.sync_faults or []
        self.cluster.sync_faults = []
        return faults

    def instructions(self, url: str) -> str:
        return (f"Kubernetes API server (simulated) at {url}\n"
                "No registry: images always pull unless a lab calls fail_pull (served-apis.md)\n"
                f"The course expects kubectl {KUBERNETES_VERSION}, the one requirements.txt "
                "pins into the\nvenv (`kubectl version --client` says which you run; an older "
                "one lacks\nflags the book uses, such as `kubectl autoscale --cpu`). kubectl "
                "finds\nthe server through a kubeconfig file, and this server wrote one: run\n"
                "these lines in the shell where you type kubectl (then `kubectl config view`\n"
                "shows the kubeconfig, `kubectl get nodes` asks the server):")

    def error(self, err: HttpError) -> Response:
        reason = err.reason or {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed",
                                409: "AlreadyExists", 413: "RequestEntityTooLarge",
                                415: "UnsupportedMediaType", 422: "Invalid",
                                429: "TooManyRequests"}.get(err.status, "InternalError")
        status = {"kind": "Status", "apiVersion": "v1", "metadata": err.list_meta,
                  "status": "Failure", "message": err.message, "reason": reason,
                  "code": err.status}
        if reason == UNKNOWN_REASON:
            del status["reason"]
        parsed = reason == "Invalid" and "causes" not in err.details    # else made by _invalid
        details = _status_details((_invalid_details(err.message) if parsed else None)
                                  or err.details)
        if (details or reason == "NotFound" or err.details) and \
                not isinstance(err, _NotServedError):
            # a 404 has details, empty for a path of a served group that the server does not
            # serve (clients such as kubectl debug read them without checking), as has an
            # error made with details all empty (NewGenericServerResponse's)
            status["details"] = details
        # a client waits this long before it asks again (ErrorNegotiated in k8s.io/apiserver
        # endpoints/handlers/responsewriters/writers.go)
        retry = details.get("retryAfterSeconds") if details else None
        return Response.json(err.status, status,
                             **({"Retry-After": str(retry)} if retry else {}))

    # ---- routing ---------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if kubeautoscalingv1.is_v1(request.path):     # a view of the v2 objects
            return kubeautoscalingv1.serve_v1(request, self.handle)
        self.renderer.begin(request.session)
        if request.method not in ("GET", "HEAD"):
            self.writes += 1
        path = request.path.rstrip("/") or "/"
        if request.method == "GET":
            fixed = health(path, request.query) or self._fixed(
                path, request.headers.get("accept") or "")
            if fixed is not None:
                return fixed
        if path == "/version":           # go-restful's route takes GET alone
            raise _method_not_allowed()
        parts = path.strip("/").split("/")
        if parts[0] == "api" and len(parts) >= 3:
            group, version, rest = "", parts[1], parts[2:]
        elif parts[0] == "apis" and len(parts) >= 4:
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            raise HttpError(404, "the server could not find the requested resource", "NotFound")
        namespace = None
        # a Namespace's own subresources, not a kind inside it
        if rest[0] == "namespaces" and len(rest) >= 3 and rest[2:] not in (
                ["status"], ["finalize"]):
            namespace, rest = rest[1], rest[2:]
        resource = find(group, version, rest[0])
        if resource is None and group and api_group(group) is None:
            raise _NotServedError()
        if resource is None or len(rest) > 3:
            raise HttpError(404, "the server could not find the requested resource", "NotFound",
                            **({"kind": rest[0]} if resource is None else {}))
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else None
        if resource.namespaced and name is not None and namespace is None:
            raise HttpError(404, "the server could not find the requested resource", "NotFound")
        labels = kubeapimetrics.request_labels(
            request.method, request.query, request.content_type, group=group, version=version,
            resource=resource.plural, subresource=sub or "", namespace=namespace, name=name)
        if resource.kind == "Endpoints":       # the API server's deprecation warning (v1.33)
            request.warn("v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 "
                         "EndpointSlice")
        try:
            response = self._resource(request, resource, namespace, name, sub)
        except HttpError as err:
            self.requests.record(labels, err.status)
            raise
        self.requests.record(labels, response.status)
        return response

    def _fixed(self, path: str, accept: str) -> Response | None:
        if path == "/version":
            major, minor, _ = SERVED_VERSION[1:].split(".")
            return Response.json(200, {
                "major": major, "minor": minor, "gitVersion": f"{SERVED_VERSION}+clustersim",
                "gitCommit": "", "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
                "goVersion": "simulated", "compiler": "clustersim", "platform": "linux/amd64"})
        if path == "/api":
            return Response.json(200, api_versions(f"{self.address}"))
        if path == "/apis":
            return Response.json(200, api_group_list())
        if path == "/openapi/v3":
            return Response.json(200, openapi_v3_root())
        if path == "/openapi/v2" and "protobuf" in accept:
            # An OpenAPI v2 document without definitions (an empty protobuf message). kubectl
            # reads v2 only to validate on its side what the v3 field-validation check does not
            # cover (a List, as in "kubectl get secrets -A -o json | kubectl replace -f -"),
            # and fails without it; with no schema it checks nothing and leaves the
            # validation to this server. Any other client is told it is not simulated.
            return Response(200, b"", "application/octet-stream")
        if path == "/openapi/v2":
            raise HttpError(404, "the OpenAPI v2 document is not simulated (kubectl's "
                            "protobuf request for it gets an empty one): read each group's "
                            "schemas at /openapi/v3, as kubectl explain does", "NotFound")
        if path == "/metrics":
            return Response(200, kubeapimetrics.exposition(self._object_counts(),
                                                           self.requests),
                            kubeapimetrics.CONTENT_TYPE)
        if path.startswith("/openapi/v3/"):
            document = openapi_v3_document(path[len("/openapi/v3/"):])
            if document is None:
                raise HttpError(404, "the server could not find the requested resource",
                                "NotFound")
            return Response.json(200, document)
        parts = path.strip("/").split("/")
        if parts[0] == "apis" and len(parts) in (2, 3) and api_group(parts[1]) is None:
            raise _NotServedError()
        if parts[0] == "apis" and len(parts) == 2:
            found = api_group(parts[1])
        elif parts[0] == "api" and len(parts) == 2:
            found = api_resource_list("", parts[1])
        elif parts[0] == "apis" and len(parts) == 3:
            found = api_resource_list(parts[1], parts[2])
        else:
            return None
        if found is None:
            raise HttpError(404, "the server could not find the requested resource", "NotFound")
        return Response.json(200, found)

    def _object_counts(self) -> dict[tuple[str, str], int]:
        """How many objects of each resource the API server stores, by (group, resource),
        for ``/metrics`` (:mod:`~clustersim.serve.kubeapimetrics`): the stored kinds with
        the objects the cluster makes itself, and the derived ones as a list shows them
        (not the reviews, which are created and never stored)."""
        r = self.renderer
        derived = {"Node": lambda: self.cluster.node_names(), "Namespace": r.namespaces,
                   "Lease": r.leases, "Event": lambda: self._events(None),
                   "EndpointSlice": r.endpointslices, "Endpoints": r.endpoints}
        return {(resource.group, resource.plural): len(
                    derived[resource.kind]() if resource.kind in derived
                    else self._objects(resource.kind))
                for resource in RESOURCES
                if resource.group != kubemetrics.GROUP and "list" in resource.verbs}

    def _resource(self, request: Request, resource: Resource, namespace: str | None,
                  name: str | None, sub: str | None) -> Response:
        method = request.method
        verb = {"GET": "get" if name else "list", "POST": "create", "PUT": "update",
                "PATCH": "patch", "DELETE": "delete" if name else "deletecollection"}.get(method)
        if verb == "list" and bool_option(request, "watch"):
            verb = "watch"
        if resource.kind == "Pod" and sub in _STREAMS and name is not None:
            raise _not_streamed(sub, self._stored(resource, namespace, name))
        allowed = resource.verbs + (("create",) if sub == "eviction" else ())
        if verb is None or verb not in allowed or (verb == "create" and name and
                                                   sub != "eviction"):
            raise _method_not_allowed()
        if (sub is not None and sub not in ("status", "scale", "eviction", "log", "finalize")) \
                or (sub in ("eviction", "log") and resource.kind != "Pod") \
                or (sub == "finalize" and resource.kind != "Namespace"):
            raise HttpError(404, "the server could not find the requested resource", "NotFound")
        if sub == "finalize" and name is not None:       # a sub always has a name
            if name not in self.renderer.terminating:
                self._one(resource, None, name)          # 404 for a namespace not there
            check_finalize(method, name, name in self.renderer.terminating)
        if verb == "patch" and request.content_type not in _PATCH_TYPES:
            # PatchResource checks the patch type first, before the options
            raise HttpError(415, "the body of the request was in an unknown format - accepted "
                            f"media types include: {', '.join(_PATCH_TYPES)}",
                            "UnsupportedMediaType")
        if verb in _WRITE_OPTIONS:
            _check_write_options(request, verb)
        if verb == "watch":
            return self._watch(request, resource, namespace)
        if verb == "list":
            return self._list(request, resource, namespace)
        if verb == "create":
            if resource.kind in ("SelfSubjectAccessReview", "SelfSubjectRulesReview",
                                 "SubjectAccessReview"):
                return self._access_review(request, resource)
            if resource.kind == "SelfSubjectReview":
                return self._who_am_i(request, resource)
            if sub == "eviction":
                return self._evict(request, resource, namespace, name)
            return self._create(request, resource, namespace)
        if verb == "deletecollection" and (namespace or not resource.namespaced):
            return self._delete_collection(request, resource, namespace)
        if name is None:    # the API installer serves deletecollection on a namespace's path
            raise _method_not_allowed()
        if verb == "get":
            if sub == "log":
                return pod_log(request, self._stored(resource, namespace, name), self.renderer)
            if sub == "scale":
                return Response.json(200, self._scale(resource, namespace, name))
            return self._get(request, resource, namespace, name)
        if verb in ("update", "patch"):
            return self._write(request, resource, namespace, name, sub)
        return self._delete(request, resource, namespace, name)

    # ---- reading ---------------------------------------------------------------------------

    def _items(self, resource: Resource, namespace: str | None,
               match=lambda labels: True, *, lean: bool = False,
               reuse: Reuse | None = None) -> list[tuple[dict[str, Any], dict[str, float]]]:
        """(API object, simulated times) for every object of ``resource`` in ``namespace``
        (``lean`` objects feed a Table and are never sent whole); a watch's look passes
        its ``reuse``, which renders a stored object only if it changed since the look's
        last render (:mod:`~clustersim.serve.kubelookreuse`)."""
        r = self.renderer
        if resource.group == kubemetrics.GROUP:
            found = (kubemetrics.node_metrics(self.cluster, r) if resource.kind == "NodeMetrics"
                     else kubemetrics.pod_metrics(self.cluster, r, namespace))
            return [(obj, {}) for obj in found if match(obj["metadata"].get("labels") or {})]
        if resource.kind == "Node":      # by name, the order of their storage keys
            return [self._node_item(n) for n in sorted(self.cluster.node_names())
                    if match(self.cluster.node(n).labels)]
        if resource.kind == "Namespace":      # a namespace no object created: the cluster's age
            return [self._kept(ns, {"creationTimestamp": r.created(ns["metadata"]["name"])})
                    for ns in r.namespaces() if match(ns["metadata"].get("labels") or {})]
        if resource.kind == "Event":
            kept = self._events(namespace)
            return [self._event_item(item) for item in kept] if match({}) else []
        derived = {"EndpointSlice": r.endpointslices,
                   "Endpoints": r.endpoints, "Lease": r.leases}.get(resource.kind)
        if derived is not None:
            out, everything = [], derived()
            for obj in everything:      # each numbered is kept, those left out too
                times = obj.pop("_times")
                item = self._kept(r.versioned(obj, times), times)
                if namespace in (None, obj["metadata"].get("namespace")) and match(
                        obj["metadata"].get("labels") or {}):
                    out.append(item)
            r.versions.forget(resource.kind, None, map(key_of, everything))
            return out
        stored = self._objects(resource.kind, namespace if resource.namespaced else None)
        # in the order of their storage keys (namespace, then name), as etcd lists a range;
        # a cluster-scoped object's key has no namespace (the simulator stores it in default)
        stored.sort(key=lambda o: (o["metadata"].get("namespace", "") if resource.namespaced
                                   else "", o["metadata"]["name"]))
        # the keys as stamped: a cluster-scoped object is shown without a namespace
        r.versions.forget(resource.kind, namespace, [
            key_of(o) if resource.namespaced else ("", o["metadata"]["name"],
                                                   o["metadata"].get("uid", ""))
            for o in stored])

        def shown(obj: dict[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
            if reuse is None:
                return self._stored_item(resource, obj, lean=lean)
            return self._kept(*reuse.item(obj, lambda: self._stored_item(resource, obj)))
        return [shown(obj) for obj in stored if match(obj["metadata"].get("labels") or {})]

    def _events(self, namespace: str | None, about: str | None = None,
                named: str | None = None) -> list[dict[str, Any]]:
        """The Events of ``namespace`` (every one for None) as the store keeps them
        (:class:`~clustersim.serve.kubeevents.EventStore`; those whose ``involvedObject``
        is named ``about`` only, if given; the one ``named``, if given), in the order of their
        storage keys. First each
        Event changed since the last read, in any namespace, is stamped with its version
        and kept as :meth:`_items` keeps every object of the other derived kinds (one
        unchanged keeps its version, so only the changed are rendered), and those no
        longer made are forgotten."""
        r = self.renderer
        if r.terminating:
            r.namespaces()                  # forgets the Events of namespaces emptied since
        store = r.current_events()
        for item in store.take_changed():
            obj, times = store.shown(item)
            self._kept(r.versioned(obj, times), times)
        if store.rebuilt or store.expired:
            r.versions.forget("Event", None, [(*stored, "") for stored in store.order])
        if named is not None:
            return store.named(namespace or "default", named)
        return store.listed(namespace) if about is None else store.about(about, namespace)

    def _event_item(self, item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
        """An Event the store keeps as a response shows it, with its version."""
        obj, times = self.renderer.event_store.shown(item)
        obj["metadata"]["resourceVersion"] = self.renderer.versions.current("Event",
                                                                            key_of(obj))
        return obj, times

    def _objects(self, kind: str, namespace: str | None = None) -> list[dict[str, Any]]:
        """The stored objects of ``kind``, and the defaults (:meth:`_defaults`) that no
        stored object of the same name replaces."""
        stored = self.cluster.objects(kind, namespace)
        names = {(o["metadata"].get("namespace"), o["metadata"]["name"]) for o in stored}
        return [o for o in self._defaults(kind, namespace)
                if (o["metadata"].get("namespace"), o["metadata"]["name"]) not in names] + stored

    def _defaults(self, kind: str, namespace: str | None) -> list[dict[str, Any]]:
        """Objects every cluster has without anyone creating them: the default ClusterRoles
        and binding (:mod:`~clustersim.kubernetes.rbacdefaults`), the ``kubernetes`` Service
        of ``default`` (:func:`~clustersim.kubernetes.services.apiserver_service`), the
        default StorageClass (:mod:`~clustersim.kubernetes.storageclass`), and the
        ServiceAccount ``default`` of each namespace, which the service account controller
        creates (``pkg/controller/serviceaccount/serviceaccounts_controller.go``), and the
        ConfigMap ``kube-root-ca.crt`` of each namespace, which the root CA publisher
        creates (:data:`_ROOT_CA_CONFIGMAP`)."""
        if kind == "Service":
            made = [apiserver_service()] if namespace in (None, "default") else []
        elif kind == "StorageClass":
            made = [default_storage_class()]
        elif kind == "ServiceAccount":
            made = self._in_each_namespace(namespace, {
                "apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}},
                "d000")
        elif kind == "ConfigMap":
            made = self._in_each_namespace(namespace, _ROOT_CA_CONFIGMAP, "c000")
        else:
            made = rbacdefaults.defaults(kind)
        return [self._as_remade(obj) for obj in made]

    def _in_each_namespace(self, namespace: str | None, obj: dict[str, Any], tag: str
                           ) -> list[dict[str, Any]]:
        """``obj`` in each active namespace (in ``namespace`` only, if given), as a
        controller makes it when the namespace is created: its uid from the namespace's name
        and ``tag``, its creation time the namespace's."""
        active = [ns["metadata"]["name"] for ns in self.renderer.namespaces()
                  if ns["status"]["phase"] == "Active"]
        return [{**copy.deepcopy(obj), "metadata": {
            **copy.deepcopy(obj["metadata"]), "namespace": ns,
            "uid": f"{zlib.crc32(ns.encode()):08x}-0000-4000-{tag}-000000000000",
            "creationTimestamp": (self.cluster.get("Namespace", "default", ns) or {
                "metadata": {}})["metadata"].get("creationTimestamp", 0.0)}}
            for ns in active if namespace in (None, ns)]

    def _as_remade(self, obj: dict[str, Any]) -> dict[str, Any]:
        """``obj`` as its controller made it again after its last deletion
        (:attr:`remade`): a new uid and creation time, which is how kubectl's wait for a
        deletion (``kubectl delete --wait``, the default) sees the deleted one gone; with the
        labels and annotations a user gave it since (:attr:`relabelled`)."""
        meta = obj["metadata"]
        key = (obj["kind"], meta.get("namespace", ""), meta["name"])
        made, labels = self.remade.get(key), self.relabelled.get(key)
        if labels is not None:
            meta = {k: v for k, v in meta.items() if k not in ("labels", "annotations")}
            meta.update(copy.deepcopy(labels))
        if made is not None:
            count, when = made
            meta = {**meta, "uid": f"{meta['uid'][:-8]}{count:08x}", "creationTimestamp": when}
        return {**obj, "metadata": meta}

    def _default(self, kind: str, namespace: str | None, name: str) -> dict[str, Any] | None:
        """The default object ``name`` (:meth:`_defaults`) if none is stored in its place."""
        if self.cluster.get(kind, namespace or "default", name) is not None:
            return None
        return next((o for o in self._defaults(kind, namespace or "default")
                     if o["metadata"]["name"] == name), None)

    def _stored_item(self, resource: Resource | None, obj: dict[str, Any], *,
                     lean: bool = False) -> tuple[dict[str, Any], dict[str, float]]:
        """A stored object rendered, with the simulated times its Table row shows."""
        return self._kept(self.renderer.render(obj, resource, lean=lean), self._times_of(obj),
                          (lambda: self.renderer.render(obj, resource)) if lean else None)

    def _node_item(self, name: str) -> tuple[dict[str, Any], dict[str, float]]:
        """A Node rendered, kept as :meth:`_kept` keeps it, with the time its row shows."""
        return self._kept(self.renderer.node(name),
                          {"creationTimestamp": self.cluster.node_joined(name).time})

    def _kept(self, shown: dict[str, Any], times: dict[str, float],
              whole: Callable[[], dict[str, Any]] | None = None
              ) -> tuple[dict[str, Any], dict[str, float]]:
        """``(shown, times)``, first kept as the state of ``shown``'s version in its kind's
        history if it is the first time that version is shown with its times (a Table's
        lean object is kept as the whole object, ``whole``), so that a list at that
        revision can show it after it changes
        (:class:`~clustersim.serve.kubeversions.History`)."""
        history = self.renderer.versions.history.get(shown["kind"])
        key = key_of(shown)
        if history is not None and history.wants(key):
            history.keep(key, whole() if whole else shown, times)
        return shown, times

    def _times_of(self, obj: dict[str, Any]) -> dict[str, float]:
        """The simulated times a stored object's Table row shows."""
        status = obj.get("status") or {}
        times = {"creationTimestamp": obj["metadata"].get("creationTimestamp", 0.0),
                 **{k: status[k] for k in _STATUS_TIMES
                    if isinstance(status.get(k), int | float)}}
        if obj["kind"] == "Pod":        # each container's last exit, for RESTARTS
            times.update({last_restart(name): restarts.finished_at for name, restarts
                          in self.cluster.kubelet.restarts(obj).items()})
        return times

    def _select(self, request: Request, resource: Resource, namespace: str | None,
                name: str | None = None, *, kept: bool = False, reuse: Reuse | None = None
                ) -> list[tuple[dict[str, Any], dict[str, float]]]:
        """The objects the request's selectors and ``name`` select. Events are selected
        as the store keeps them (a field selector on ``involvedObject.name`` reads its
        index) and rendered then, or left as kept with ``kept`` (:meth:`_list` renders its
        page's only); a watch's look renders through its ``reuse`` (:meth:`_items`)."""
        labels = label_selector(request.arg("labelSelector"))
        fields = field_selector(request.arg("fieldSelector"), resource.kind)
        lean = _wants_table(request) and not bool_option(request, "watch") \
            and request.arg("includeObject") != "Object"
        if resource.kind == "Event":
            about = selected_value(request.arg("fieldSelector"), "involvedObject.name")
            events = self._events(namespace, about)         # Events have no labels
            rendered = [(item, item["_times"]) for item in events] if labels({}) else []
        else:
            rendered = self._items(resource, namespace, labels, lean=lean, reuse=reuse)
        found = rendered if name is None and not request.arg("fieldSelector") else [
            (obj, times) for obj, times in rendered
            if fields(obj) and name in (None, obj["metadata"]["name"])]
        return self._shown_events(found) if resource.kind == "Event" and not kept else found

    def _shown_events(self, items: list[tuple[dict[str, Any], dict[str, float]]]
                      ) -> list[tuple[dict[str, Any], dict[str, float]]]:
        """``items``, Events, with each one the store keeps (one with its ``_times``) as a
        response shows it (:meth:`_event_item`); those read from the history as they
        are."""
        return [self._event_item(obj) if "_times" in obj else (obj, times)
                for obj, times in items]

    def _list(self, request: Request, resource: Resource, namespace: str | None) -> Response:
        return Response.json(200, self._listed(request, resource,
                                               *self._page(request, resource, namespace)))

    def _page(self, request: Request, resource: Resource, namespace: str | None
              ) -> tuple[list[tuple[dict[str, Any], dict[str, float]]], dict[str, Any]]:
        """The objects a list answers (its page, with ``limit`` and ``continue``) and the
        list's metadata."""
        check_list_options(request, watch=False)
        items = self._select(request, resource, namespace, kept=True)
        history = self.renderer.versions.history.get(resource.kind)

        def as_at(revision: int) -> list[tuple[dict[str, Any], dict[str, float]]] | None:
            """The list's objects as they were at ``revision`` (older than the store's), as
            etcd reads them from its history: those changed, made or deleted since in their
            state then, which the selectors select as they were; None if one's state then
            was not kept. The objects the label selector leaves out are rendered first, so
            that a change to one numbers its version now."""
            labels = label_selector(request.arg("labelSelector"))
            if request.arg("labelSelector"):
                self._items(resource, namespace, lambda found: not labels(found), lean=True)
            then = history.at(revision, namespace if resource.namespaced else None) \
                if history is not None else {}
            if then is None:
                return None
            fields = field_selector(request.arg("fieldSelector"), resource.kind)
            return [item for item in items if key_of(item[0]) not in then] + [
                (obj, times) for obj, times in filter(None, then.values())
                if labels(obj["metadata"].get("labels") or {}) and fields(obj)]

        # the revision after the items: theirs are older
        # Events come in the order of their storage keys (EventStore.order)
        items, meta = page(request, items, resource.namespaced and namespace is None,
                           self.renderer.versions, as_at,
                           ordered=resource.kind == "Event")
        if resource.kind == "Event":           # the page's Events only are rendered
            items = self._shown_events(items)
        return items, meta

    def _listed(self, request: Request, resource: Resource,
                items: list[tuple[dict[str, Any], dict[str, float]]], meta: dict[str, Any]
                ) -> dict[str, Any]:
        """A list's answer: ``items`` as a ``<Kind>List`` with ``meta``, or as the Table
        the request asks for."""
        if _wants_table(request):
            found = table(items, resource.kind, self.clock, meta["resourceVersion"],
                          request.arg("includeObject"))
            found["metadata"].update(meta)
            return found
        return {"kind": f"{resource.kind}List", "apiVersion": resource.group_version,
                "metadata": meta, "items": [obj for obj, _ in items]}

    def _one(self, resource: Resource, namespace: str | None,
             name: str) -> tuple[dict[str, Any], dict[str, float]]:
        """One object as a GET shows it, its state kept at the version it shows
        (:meth:`_kept`). A DELETE reads the object it deletes so too (here, or through
        :meth:`_stored_item` where it has it already): a change that only its render
        numbers (a Pod its kubelet started, a Node whose kubelet posted its status, a
        default object never read since it was made) is then replayed in its place by a
        watch resumed from an older version, and the deletion's event carries that state,
        as upstream's write before the delete and the delete are two events in the cacher
        (``getAllEventsSinceLocked`` in k8s.io/apiserver ``pkg/storage/cacher/
        watch_cache.go``); left unkept, a resumed watch had been sent neither."""
        if resource.kind == "Node":
            self._stored(resource, namespace, name)          # 404 for an unknown node
            return self._node_item(name)
        if resource.group == kubemetrics.GROUP:
            return self._metrics_of(resource, namespace, name)
        builtin = self._default(resource.kind, namespace, name)
        if builtin is not None:
            return self._stored_item(resource, builtin)
        if resource.kind not in DERIVED:
            return self._stored_item(resource, self._stored(resource, namespace, name))
        found = [self._event_item(item) for item in self._events(namespace, named=name)] \
            if resource.kind == "Event" else [(o, t) for o, t in self._items(resource, namespace)
                                              if o["metadata"]["name"] == name]
        if not found:
            raise _not_found(resource, name)
        return found[0]

    def _metrics_of(self, resource: Resource, namespace: str | None,
                    name: str) -> tuple[dict[str, Any], dict[str, float]]:
        """One node's or Pod's metrics, or metrics-server's 404: the lister's for a node or
        Pod that does not exist, its own (``nodemetrics.metrics.k8s.io``) for one without
        metrics (``pkg/api/node.go``, ``pod.go``: ``Get``)."""
        found = [(o, t) for o, t in self._items(resource, namespace)
                 if o["metadata"]["name"] == name]
        if found:
            return found[0]
        if resource.kind == "NodeMetrics":
            if name not in self.cluster.node_names():
                raise HttpError(404, f'node "{name}" not found', "NotFound", name=name,
                                kind="node")
            key = name
        else:
            if self.cluster.get("Pod", namespace or "default", name) is None:
                raise HttpError(404, f'pods "{name}" not found', "NotFound", name=name,
                                kind="pods")
            key = f"{namespace or 'default'}/{name}"
        plural = resource.kind.lower()
        raise HttpError(404, f'{plural}.{kubemetrics.GROUP} "{key}" not found', "NotFound",
                        name=key, group=kubemetrics.GROUP, kind=plural)

    def _get(self, request: Request, resource: Resource, namespace: str | None,
             name: str) -> Response:
        obj, times = self._one(resource, namespace, name)
        if _wants_table(request):
            return Response.json(200, table([(obj, times)], resource.kind, self.clock,
                                            str(self.renderer.versions.revision),
                                            request.arg("includeObject")))
        return Response.json(200, obj)

    def _stored(self, resource: Resource, namespace: str | None, name: str) -> dict[str, Any]:
        if resource.kind == "Node":
            if name not in self.cluster.node_names():
                raise _not_found(resource, name)
            return self.cluster.node(name).node
        if resource.kind in DERIVED - {"Namespace"}:
            raise _not_found(resource, name)
        obj = self.cluster.get(resource.kind, namespace or "default", name)
        if obj is None and self._default(resource.kind, namespace, name) is not None:
            raise HttpError(405, f'{resource.qualified()} "{name}" is made by the cluster '
                            "itself, read-only in the simulated API server (a real one would "
                            "change it, and its control plane would make it again)",
                            "MethodNotAllowed")
        if obj is None:
            raise _not_found(resource, name)
        return obj

    # ---- watch -----------------------------------------------------------------------------

    def _watch(self, request: Request, resource: Resource, namespace: str | None) -> Response:
        check_list_options(request, watch=True)
        as_table = _wants_table(request)
        since = request.arg("resourceVersion")
        # 0, as absent, is the server's own timeout (ListResource in handlers/get.go: 30 to
        # 60 minutes by default), here WATCH_LIMIT; a negative one ends the watch at once
        asked = int64_option(request, "timeoutSeconds")
        timeout = asked if asked else WATCH_LIMIT
        bookmarks = bool_option(request, "allowWatchBookmarks")
        if bool_option(request, "sendInitialEvents"):
            # the watch-list waits for the cache to reach its version (a plain watch waits
            # for events past it: waitUntilWatchCacheFreshAndForceAllEvents in cacher.go)
            ahead = too_large(_uint(since or "") or 0, self.renderer.versions)
            if ahead is not None:
                return self._error_watch(ahead)
        looked, known = self._watched(request, resource, namespace)
        known = dict(known)        # the look is shared: this watch's own copy
        if since in (None, "", "0") or bool_option(request, "sendInitialEvents"):
            initial = [("ADDED", obj, times) for _, obj, times in known.values()]
        else:
            too_old = self.renderer.versions.watch_cache.too_old(resource.kind,
                                                                  _uint(since or "") or 0)
            if too_old is not None:
                return self._error_watch(HttpError(410, too_old, "Expired"))
            initial = self._changed_since(request, resource, namespace, since or "",
                                          known.values())

        def bookmark(**annotations: str) -> bytes:
            """A BOOKMARK event: an empty object of the kind at the current revision."""
            meta: dict[str, Any] = {"resourceVersion": str(self.renderer.versions.revision)}
            if annotations:
                meta["annotations"] = annotations
            return compact_json({"type": "BOOKMARK", "object": {
                "kind": resource.kind, "apiVersion": resource.group_version,
                "metadata": meta}}) + b"\n"

        # the watch-list protocol: a bookmark marks the end of the initial events
        initial_end = bookmark(**{"k8s.io/initial-events-end": "true"}) \
            if bool_option(request, "sendInitialEvents") else b""

        def frame(kind: str, obj: dict[str, Any], times: dict[str, float]) -> bytes:
            body = table([(obj, times)], resource.kind, self.clock,
                         str(self.renderer.versions.revision),
                         request.arg("includeObject")) if as_table else obj
            return compact_json({"type": kind, "object": body}) + b"\n"

        # a watch from a version the store has not reached yet sends only what is newer
        # (cacheWatcher.process passes on an event only past the watch's version)
        floor = _uint(since or "") or 0
        after = max(floor, self.renderer.versions.revision)     # the changes sent so far
        scope = namespace if resource.namespaced else None
        removed: dict[str, tuple[dict[str, Any], dict[str, float]]] = {}

        def last_state(obj: Mapping[str, Any]) -> None:
            """Keep a watched object as it was when the store let it go: its DELETED event
            carries that state (a graceful deletion's ``deletionTimestamp`` with it)."""
            uid = obj["metadata"].get("uid", "")
            if obj["kind"] == resource.kind and uid in known:
                removed[uid] = self._last_write(obj)

        def stream(server: SimServer) -> Iterator[bytes]:
            with server.lock:      # made under the lock, sent after it, as the changes are:
                first = b"".join(frame(*event) for event in initial) + initial_end
                # before the field managers forget the object, so that it shows them
                self.cluster.on_removed.insert(0, last_state)
                watcher = self.looks.watcher(self._look_key(request, resource, namespace))
            try:
                yield first        # a client that reads nothing stalls no other request
                yield from changes(server, watcher)
            finally:
                with server.lock:
                    self.cluster.on_removed.remove(last_state)
                    watcher.close()

        selects = self._selects(request, resource)
        labels = label_selector(request.arg("labelSelector"))

        def at_version(obj: dict[str, Any], version: object) -> dict[str, Any]:
            return {**obj, "metadata": {**obj["metadata"], "resourceVersion": str(version)}}

        def differences(now: Look) -> list[bytes]:
            """The events of what changed from ``known`` to ``now``, which it becomes: those
            the watch cache has since the last look (each numbered change, as the cacher
            dispatches each event), else as ``now`` shows them, in the order of their
            versions, as the cacher dispatches them, whatever the order of the objects'
            keys. An object that left ``now``, not deleted, stopped matching the selectors:
            the window tells that change (:func:`look`), as a DELETED in the state before
            (``cacheWatcher.convertToWatchEvent``); one it does not tell of, its state
            before never kept, is sent as DELETED in the state this watch saw, at its
            version now. One the label selector left out whose version has not moved
            since this watch saw it is still as it saw it, and nothing is sent (:func:`look`
            numbered nothing of it; one deleted meanwhile, a finalized Namespace, is sent its
            DELETED as before): the look was taken before an edit in place
            was undone, at a moment such edits do not move
            (:mod:`~clustersim.serve.kubewatchlooks`), and the window has no event of it."""
            nonlocal after
            revision = self.renderer.versions.revision
            history = self.renderer.versions.history.get(resource.kind)
            # (order, type, object, times): each in the order of its version, but a deleted
            # object's last write with its deletion
            replayed: list[tuple[int, str, dict[str, Any], dict[str, float]]] = [
                (int(obj["metadata"]["resourceVersion"]), kind, obj, times)
                for kind, obj, times in self.renderer.versions.watch_cache.replay(
                    resource.kind, after, scope, selects,
                    {key_of(obj): (version, obj, times) for version, obj, times in now.values()})]
            # those that left the look told of by the window (a Namespace is let go
            # finalized, which the window does not show: below)
            told = set() if resource.kind == "Namespace" else {
                _uid(obj) for _, kind, obj, _ in replayed
                if kind == "DELETED" and _uid(obj) in known and _uid(obj) not in now}
            events = [event for event in replayed if _uid(event[2]) in now or
                      _uid(event[2]) not in known or _uid(event[2]) in told]
            after = max(after, revision)
            sent = {(_uid(obj), obj["metadata"]["resourceVersion"]) for _, _, obj, _ in events}
            for uid, (version, obj, times) in now.items():
                if (uid, version) not in sent and int(version) > floor and \
                        known.get(uid, ("",))[0] != version:
                    events.append((int(version), "MODIFIED" if uid in known else "ADDED", obj,
                                   times))
            unchanged: Look = {}
            for uid, (version, obj, times) in known.items():
                if uid in now or uid in told or revision <= floor:
                    continue
                if uid not in removed and not (history and history.deletion(key_of(obj))):
                    left = self.renderer.versions.current(resource.kind, key_of(obj))
                    if left == version and request.arg("labelSelector"):
                        unchanged[uid] = known[uid]     # the look predates an undone edit
                    else:
                        events.append((int(left), "DELETED", at_version(obj, left), times))
                    continue
                # as the store let it go: seen by this watch's hook, else (let go before
                # the watch streamed) as the history kept it
                last, times = removed.get(uid) or (history and history.last_state(
                    key_of(obj))) or (obj, times)
                final = last["metadata"].get("resourceVersion")
                if final is None:           # a finalized Namespace, at the deletion's version
                    last = at_version(last, revision)
                    written = (last.get("status") or {}).get("phase") != \
                        (obj.get("status") or {}).get("phase")
                else:                       # its own write: a terminal Pod's (its kubelet)
                    written = final != version and int(final) > floor
                if written and not selects(last):   # that write took it out of the selectors
                    events.append((int(final), "DELETED", at_version(obj, final), times))
                    continue
                # the deleted object's version is the deletion's revision
                gone = history.deletion(key_of(last)) if history else None
                if written:                 # the update before the final delete
                    events.append((gone or revision, "MODIFIED", last, times))
                events.append((gone or revision, "DELETED", at_version(last, gone or revision),
                               times))
            removed.clear()
            known.clear()
            known.update(now)
            known.update(unchanged)
            return [frame(kind, obj, times) for _, kind, obj, times in sorted(
                events, key=lambda event: event[0])]

        def look(watcher: Watcher) -> Look:
            """The watch's look now. An object it saw that the look leaves out, not deleted,
            may have been relabelled in place, a change nobody numbered yet: what the label
            selector leaves out is then rendered, which numbers it (and any change of what
            else it leaves out), and the look taken again at the moment after, so that the
            window tells every such change in its place and the look shows what it numbered
            (:func:`differences`): a look shared from before an edit in place shows an
            object at a version before the change that render numbers. The render had come
            after the window was read, with the window moved past what it numbered: a
            change numbered before the relabelling, and an object that entered and left in
            place, were not sent (``benchmarks/watch_stress.py``)."""
            nonlocal looked
            looked, now = self._watched(request, resource, namespace, watcher)
            history = self.renderer.versions.history.get(resource.kind)
            if request.arg("labelSelector") and any(
                    uid not in now and uid not in removed and
                    not (history and history.deletion(key_of(obj)))
                    for uid, (_, obj, _) in known.items()):
                self._items(resource, namespace, lambda found: not labels(found), lean=True)
                looked, now = self._watched(request, resource, namespace, watcher)
            return now

        def changes(server: SimServer, watcher: Watcher) -> Iterator[bytes]:
            deadline = time.monotonic() + timeout
            due = next_bookmark(time.monotonic(), deadline) if bookmarks else None
            while not server.stopping.wait(WATCH_POLL) and time.monotonic() < deadline:
                with server.lock:
                    if time.monotonic() - self.ticked >= WATCH_POLL:
                        server.catch_up()       # once a tick for every watch, which share
                        self.ticked = time.monotonic()      # their looks at that moment
                    self.renderer.begin(request.session)
                    frames = []
                    if self._moment() != looked:    # else nothing it could see has changed
                        frames = differences(look(watcher))
                    if due is not None and time.monotonic() >= due and \
                            self.renderer.versions.revision > floor:
                        frames.append(bookmark())
                        due = next_bookmark(time.monotonic(), deadline)
                yield b"".join(frames)

        return Response(200, content_type="application/json", stream=stream)

    def _error_watch(self, err: HttpError) -> Response:
        """A watch the cacher cannot start: once it has passed authentication and read the
        resource version, its error is one ERROR event carrying the Status, on a 200
        (``newErrWatcher`` in k8s.io/apiserver ``pkg/storage/cacher/cacher.go``)."""
        status = json.loads(self.error(err).body)
        return Response(200, compact_json({"type": "ERROR", "object": status}) + b"\n")

    def _moment(self) -> Moment:
        """What a watch's look depends on besides its request, now."""
        return Moment(self.cluster.now, self.writes, self.renderer.versions.revision)

    def _look_key(self, request: Request, resource: Resource, namespace: str | None
                  ) -> Hashable:
        """What the watches sharing a look have in common (:class:`SharedLooks`)."""
        return (resource.kind, resource.group, namespace, request.arg("labelSelector"),
                request.arg("fieldSelector"), self.renderer.clock.base)

    def _watched(self, request: Request, resource: Resource, namespace: str | None,
                 watcher: Watcher | None = None) -> tuple[Moment, Look]:
        """What a watch sees now (shared with the watches of the same objects, not to be
        changed), with the moment it was seen at; an open watch looks through its
        ``watcher``, which holds the look while the watch lasts."""
        looks: SharedLooks | Watcher = watcher or self.looks
        key = self._look_key(request, resource, namespace)

        def render() -> Look:
            reuse = Reuse(self.renderer, self.looks.memo(key))
            look = {_uid(obj): (obj["metadata"]["resourceVersion"], obj, times)
                    for obj, times in self._select(request, resource, namespace, reuse=reuse)}
            reuse.done()
            return look

        return looks.look(key, self._moment, render)

    def _changed_since(self, request: Request, resource: Resource, namespace: str | None,
                       since: str, seen: Iterable[tuple[str, dict[str, Any], dict[str, float]]]
                       ) -> list[tuple[str, dict[str, Any], dict[str, float]]]:
        """The events a watch from the resourceVersion ``since`` (a list's, as kubectl
        starts its watches, or a watch's last, as an informer resumes) owes at once: every
        event of its kind's watch cache after ``since``, in order, each showing the object
        as that change left it, a DELETED one its state before at the change's own version
        (:meth:`~clustersim.serve.kubewatchcache.WatchCache.replay`, after
        ``getAllEventsSinceLocked`` in k8s.io/apiserver ``pkg/storage/cacher/
        watch_cache.go``), those of another namespace left out and those of an object that
        starts or stops matching the watch's selectors sent as an ADDED or a DELETED
        (``cacheWatcher.convertToWatchEvent``); a version that is not a number starts the
        watch at the current one."""
        after = _uint(since)
        if after is None:
            return []
        return self.renderer.versions.watch_cache.replay(
            resource.kind, after, namespace if resource.namespaced else None,
            self._selects(request, resource),
            {key_of(obj): (version, obj, times) for version, obj, times in seen})

    @staticmethod
    def _selects(request: Request, resource: Resource) -> Callable[[Mapping[str, Any]], bool]:
        """Whether an object as shown matches the request's label and field selectors."""
        labels = label_selector(request.arg("labelSelector"))
        fields = field_selector(request.arg("fieldSelector"), resource.kind)
        return lambda obj: labels(obj["metadata"].get("labels") or {}) and fields(obj)

    # ---- writing ---------------------------------------------------------------------------

    def _body(self, request: Request, into: str | None = None, *,
              interpret: bool = False) -> Any:
        """The request's body decoded by its media type. A JSON or YAML body the decoder
        cannot read is a 400 in the words of :func:`_unreadable`: wrapped as the REST handler
        of a create or an update wraps it for the kind it decodes ``into``, bare where the
        handler answers the decoder's error as it is (a patch; a DeleteOptions, whose JSON
        serializer reads the body's kind first: ``interpret``)."""
        kind = request.content_type
        if kind == "application/vnd.kubernetes.protobuf":
            try:
                return kubeproto.decode(request.body)
            except kubeproto.UnsupportedKindError as err:
                raise HttpError(415, str(err), "UnsupportedMediaType") from None
            except kubeproto.ProtobufError as err:
                raise HttpError(400, f"the body of the request could not be decoded as "
                                f"protobuf: {err}", "BadRequest") from None
        try:
            text = request.body.decode()
            if kind in ("application/yaml", "application/apply-patch+yaml"):
                return load_data(text, "the body of the request")   # bounded: alias bombs
            if kind in ("application/json", "application/merge-patch+json",
                        "application/strategic-merge-patch+json", "application/json-patch+json",
                        ""):
                # past the servers' one bound: Go's words (encoding/json, scanner.go)
                too_deep = _unreadable(into, request.body, "exceeded max depth", json_body=True,
                                       interpret=interpret)
                # a blank body is none, but DeleteResource decodes any body it was sent; a
                # number keeps its text, which the decoder's type errors name as written
                return decode_json(text, too_deep, parse_constant=refuse_constant,
                                   parse_float=FloatLiteral) if (text.strip() or interpret) \
                    else {}
        except (UnicodeDecodeError, json.JSONDecodeError, ManifestError) as err:
            raise _unreadable(into, request.body, decoder_error(err),
                              json_body=not isinstance(err, ManifestError),
                              interpret=interpret) from None
        raise HttpError(415, f'the body of the request was in an unknown format - accepted '
                        f'media types include: application/json, application/yaml '
                        f'(got "{kind}")', "UnsupportedMediaType")

    def _create(self, request: Request, resource: Resource, namespace: str | None, *,
                config: dict[str, Any] | None = None) -> Response:
        """A POST, or an apply (``config``, the configuration applied) of an object that does
        not exist yet: its manager owns what it applied, or every field of the object made
        (defaults included, as upstream decodes a body with them)."""
        body = _object_body(request, self._body(request, resource.kind), resource)
        _decode_object_meta(resource, body.get("metadata"))    # before its names are read
        _decode_spec(resource, body)
        if resource.kind != "Node":     # its status is kept, its fields checked as an update's
            # decoded strictly, its warnings recorded, before any refusal below: the
            # namespace, the storage's AlreadyExists (createHandler, handlers/create.go)
            body.pop("status", None)
            _field_validation(request, resource.kind, resource.group_version, body)
        meta = body["metadata"] = body.get("metadata") or {}
        if resource.namespaced:
            if meta.get("namespace") not in (None, namespace):
                raise HttpError(400, "the namespace of the provided object does not match the "
                                "namespace sent on the request", "BadRequest")
            meta["namespace"] = namespace or "default"
        admitted_as = meta.get("name") or meta.get("generateName") or "Unknown"
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = self.cluster.generated_name(
                resource.kind, meta.get("namespace") or "default", meta["generateName"])
        if resource.kind == "Node":
            return self._create_node(request, resource, body)
        if resource.namespaced:
            self._namespace_exists(meta["namespace"])
        elif self.renderer.terminating:
            self.renderer.namespaces()               # forgets namespaces emptied since
        if resource.kind == "Namespace" and meta.get("name") in self.renderer.terminating:
            raise HttpError(409, f'object is being deleted: namespaces "{meta["name"]}" '
                            "already exists", "AlreadyExists", name=meta["name"],
                            kind=resource.plural)
        if resource.namespaced and meta["namespace"] in self.renderer.terminating:
            raise new_content_refusal(resource, admitted_as, meta["namespace"])
        if self.cluster.get(resource.kind, meta.get("namespace", "default"),
                            meta.get("name", "")) is not None or self._default(
                resource.kind, meta.get("namespace"), meta.get("name", "")) is not None:
            raise HttpError(409, f'{resource.qualified()} "{meta["name"]}" already exists',
                            "AlreadyExists", name=meta["name"], group=resource.group,
                            kind=resource.plural)
        asked = _asked_version(resource, meta)
        if config is not None:       # Store.Update's versioner reads it before it creates
            _version_number(asked)
        for field in _SERVER_FIELDS:
            meta.pop(field, None)
        if config is None:      # decoded and converted, stringData into data, then validated
            fold_string_data(body)
        manifest = self._validated(body, resource)
        if _dry_run(request):
            # the whole create runs (names, admission, uid, creation time) but the write; no
            # resourceVersion: nothing is written, so the store's revision stays (the
            # registry answers a copy of the object it would create, ``DryRunnableStorage``)
            with _refusals(resource, meta.get("name", "")):
                would_be = self.cluster.create(manifest, dry_run=True)
            with self._created_by(request, resource, would_be, config, keep=False):
                rendered = self.renderer.namespace(meta["name"], would_be) \
                    if resource.kind == "Namespace" else self.renderer.shown(would_be, resource)
            if resource.kind == "ResourceQuota":
                # the API server clears a new quota's status (PrepareForCreate); only the quota
                # controller fills it, and it never sees an object that was not stored
                rendered["status"] = {}
            return Response.json(201, rendered)
        if config is None and _uint(asked):
            # etcd3 store.Create refuses a version, as sourced from another object
            # (ErrResourceVersionSetOnCreate; one that is not a number is not seen); a
            # dry run never reaches it. An apply creates through Store.Update, whose
            # GuaranteedUpdate clears the version before it writes (etcd3's updateState:
            # PrepareObjectForStorage), so the object is made with a version of its own
            raise HttpError(500, "resourceVersion should not be set on objects to be created",
                            UNKNOWN_REASON)
        entries = updated(None, self._writer(request, resource, UPDATE if config is None
                                             else APPLY),
                          field_set(body if config is None else config), set())
        managed = self._storable(resource, body, meta.get("namespace"), meta["name"], {
            "uid": _UID_SIZED, "creationTimestamp": self.renderer.timestamp(self.cluster.now),
            "resourceVersion": _UID_SIZED[:8], "generation": 1}, entries, None,
            retry=config is None)
        with _refusals(resource, meta.get("name", "")):
            stored = self.cluster.create(manifest)
        with self._created_by(request, resource, stored, config, managed=managed):
            self._settle()
            # a Namespace as the registry made it: its label, finalizer and phase
            # (PrepareForCreate in pkg/registry/core/namespace/strategy.go)
            made = self._one(resource, None, meta["name"]) if resource.kind == "Namespace" \
                else self._stored_item(resource, stored)
            return Response.json(201, made[0])

    def _finalized(self, resource: Resource, stored: dict[str, Any],
                   current: Mapping[str, Any]) -> dict[str, Any]:
        """The answer to an update that took the last finalizer of an object being deleted,
        which is deleted instead of written (``Store.Update`` in k8s.io/apiserver
        ``pkg/registry/generic/registry/store.go``: ``ShouldDeleteDuringUpdate``,
        ``deleteWithoutFinalizers``): the object as the update made it, at the version it
        had (``current``'s); no version is numbered for it, so none outlives its deletion."""
        shown = self.renderer.shown(stored, resource)
        shown["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        return shown

    def _writer(self, request: Request, resource: Resource, operation: str = UPDATE,
                subresource: str = "") -> Entry:
        """The entry a write by this request makes (:mod:`~clustersim.serve.
        kubefieldmanager`): its manager, operation, API version and time, no fields yet."""
        return Entry(manager_of(request.arg("fieldManager"),
                                request.headers.get("user-agent", "")),
                     operation, resource.group_version, self.cluster.now,
                     subresource=subresource)

    def _create_node(self, request: Request, resource: Resource,
                     body: dict[str, Any]) -> Response:
        """A Node registered through the API, as a kubelet registers its own
        (``registerWithAPIServer`` in kubernetes/kubernetes ``pkg/kubelet/kubelet_node_status.go``
        creates the Node with its status; ``nodeStrategy.PrepareForCreate`` keeps the
        status, ``pkg/registry/core/node/strategy.go``): its metadata, spec and status are
        decoded and validated as an update's, then the simulator adds a machine of that
        name whose capacity is ``status.capacity`` (``cpu``, ``memory``,
        ``ephemeral-storage``, ``pods`` and extended resources; one left out is none, so a
        Node created without a status takes no Pod that asks for it, and none at all
        without ``pods``), with its labels, taints, cordon, annotations and pod CIDRs.
        The Node shows the status it was created with, stored as ``/status`` stores one
        (:func:`~clustersim.serve.kubenodes.canonical_status`), until its kubelet's next
        status update. Simplified: the simulated machine takes each amount up to what the
        scheduler's 64-bit readings hold (:func:`~clustersim.serve.kubenodes.
        machine_capacity`) and its kubelet reports Ready then, as if it ran; a real Node
        created by hand with no kubelet behind it turns ``Unknown`` when the node lifecycle
        controller hears nothing from it."""
        meta = body["metadata"]
        name = meta.get("name") or ""
        errors = metadata_errors(resource.kind, meta)
        if errors:
            raise _invalid(resource, name, together(errors))
        if name in self.cluster.node_names():
            raise HttpError(409, f'nodes "{name}" already exists', "AlreadyExists", name=name,
                            kind=resource.plural)
        _decode_object_meta(resource, meta)
        _decode_node_spec(resource, body)
        _validate_node_taints(name, (body.get("spec") or {}).get("taints") or [])
        problems = node_write_problems(None, body.get("spec") or {})
        why, resource_problems = node_resources_errors(body.get("status") or {})
        if why:
            raise _undecodable(resource, why)
        if problems or resource_problems:
            raise _node_invalid(name, problems + resource_problems)
        written = canonical_status(body.get("status") or {})
        capacity = machine_capacity(written.get("capacity") or {})
        basics = {key: capacity.pop(key, 0) for key in ("cpu", "memory", "ephemeral-storage",
                                                         "pods")}
        spec = body.get("spec") or {}
        machine = Node(name, cpu=basics["cpu"], memory=basics["memory"],
                       disk=basics["ephemeral-storage"], max_pods=int(basics["pods"]),
                       extended_resources={k: v for k, v in capacity.items()
                                           if not k.startswith("hugepages-")},
                       labels=meta.get("labels") or {})
        if _dry_run(request):
            return Response.json(201, {**body, "status": written, "metadata": {
                **meta, "uid": self.renderer.join_uid(self.cluster.next_join),
                "creationTimestamp": self.renderer.timestamp(self.cluster.now)}})
        self._write_size(resource, body, body, written, True)
        self.cluster.add_node(machine)
        self._update_node(name, body, {**body, "spec": spec, "metadata": {
            **meta, "labels": self.cluster.node(name).labels}})
        writes = self.renderer.node_writes.setdefault(name, NodeWrites())
        writes.status_written, writes.written_at = written, self.cluster.now
        self._settle()
        return Response.json(201, self._one(resource, None, name)[0])

    def _created_by(self, request: Request, resource: Resource, made: dict[str, Any],
                    config: dict[str, Any] | None, *, keep: bool = True, managed: bool = True
                    ) -> AbstractContextManager[None]:
        """The field manager of a created object (see :meth:`_create`); none when it was
        stored without (not ``managed``, :meth:`_storable`)."""
        writer = self._writer(request, resource, UPDATE if config is None else APPLY)
        fields = field_set(self.renderer.shown(made, resource) if config is None else config)
        return self.renderer.managers.staged(
            made["metadata"]["uid"], updated(None, writer, fields, set()) if managed else [],
            keep=keep)

    def _write_size(self, resource: Resource, new: dict[str, Any], current: dict[str, Any],
                    status: Any, retry: bool) -> None:
        """Refuse the write of ``new`` over ``current`` (with ``status``) that etcd would
        refuse (:meth:`_storable`), or drop its managed fields when it is written without."""
        meta = current["metadata"]
        uid = meta.get("uid", "")
        if not self._storable(resource, new, meta.get("namespace"), meta["name"], meta,
                              self.renderer.managers.of(uid), status, retry=retry):
            self.renderer.managers.clear(uid)

    def _storable(self, resource: Resource, obj: dict[str, Any], namespace: str | None,
                  name: str, meta: Mapping[str, Any], entries: list[Entry], status: Any, *,
                  retry: bool) -> bool:
        """Whether ``obj`` is written with its managed fields ``entries`` (its server
        metadata ``meta``, its ``status``), refused when etcd would refuse it even without
        them, or with them on an apply (not ``retry``): :mod:`~clustersim.serve.etcdsize`."""
        fields = [e.to_api(None if e.time is None else self.renderer.timestamp(e.time))
                  for e in entries]
        return check_storable(as_stored(obj, meta, fields, status), resource.plural,
                              namespace, name, retry=retry)

    def _access_review(self, request: Request, resource: Resource) -> Response:
        """An access review (``kubectl auth can-i``): :mod:`~clustersim.serve.kubeaccessreview`,
        its body decoded and validated first; the registry's 422 names the kind of the
        decoded internal object, whose kind the decoder has cleared (``Kind(selfSAR.Kind)``
        in ``pkg/registry/authorization/*/rest.go``), so it reads ``.authorization.k8s.io
        "" is invalid``. Its unknown fields are handled as ``fieldValidation`` asks, as the
        create handler's decoder does for every kind (:func:`_field_validation`); a type
        error comes first, the validation after; a refused review carries the warnings too,
        as any answer does (:attr:`~clustersim.serve.core.Request.warnings`)."""
        body = _object_body(request, self._body(request, resource.kind), resource)
        why, problems = kubeaccessreview.review_problems(resource.kind, body)
        if why:
            raise _undecodable(resource, why)
        _field_validation(request, resource.kind, resource.group_version, body)
        if problems:
            raise _field_invalid("", "", problems, resource.group)
        return kubeaccessreview.access_review(request, resource.kind, body,
                                              self._rbac_objects())

    def _namespace_exists(self, namespace: str) -> None:
        """The NamespaceLifecycle admission plugin's first check
        (``plugin/pkg/admission/namespace/lifecycle/admission.go``): nothing is created in a
        namespace that does not exist (one exists when it is a system one, was created, or
        holds objects put into the simulator from Python): create it first with ``kubectl
        create namespace``."""
        if namespace not in {ns["metadata"]["name"] for ns in self.renderer.namespaces()}:
            raise HttpError(404, f'namespaces "{namespace}" not found', "NotFound",
                            name=namespace, kind="namespaces")

    def _who_am_i(self, request: Request, resource: Resource) -> Response:
        """``kubectl auth whoami``: :func:`~clustersim.serve.kubeaccessreview.who_am_i`, its
        body's unknown fields handled as ``fieldValidation`` asks."""
        body = _object_body(request, self._body(request, resource.kind), resource)
        answer = kubeaccessreview.who_am_i(request, self._rbac_objects())
        _field_validation(request, resource.kind, resource.group_version, body)
        return answer

    def _rbac_objects(self) -> list[dict[str, Any]]:
        """The stored Roles, ClusterRoles and bindings, the defaults included."""
        return [o for name in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
                for o in self._objects(name)]

    def _validated(self, body: dict[str, Any], resource: Resource, *,
                   update: bool = False) -> dict[str, Any]:
        """The manifest as the simulator's loader validates it (the API server's checks);
        for an ``update`` of a stored object, without the checks only a create makes
        (:func:`~clustersim.manifests.ingress_checks.create_only`): an object refused for
        those alone is validated again without the field they check, which it keeps."""
        if resource.kind in _LOADED_BY_THE_CLUSTER:
            return copy_data(body)
        unstorable = unstorable_number(KIND_MODELS.get(resource.kind, OtherObject), body)
        if unstorable:      # before the loader's bounds: 1e400 is no infinity to Go
            raise _undecodable(resource, f"json: {unstorable[1]}")
        try:
            [spec] = load_manifests(body).of_system(
                "kubernetes", "the Kubernetes API server takes Kubernetes objects")
        except ManifestError as err:
            if err.message.startswith("cannot unmarshal"):     # the decoder, before validation
                raise _undecodable(resource, f"json: {err.message}") from None
            if update and any(create_only(resource.kind, e) for e in (err, *err.also)):
                errors = [e for e in (err, *err.also) if not create_only(resource.kind, e)]
                if not errors:
                    return _with_class_annotation(
                        self._validated(_with_class_annotation(body, None), resource), body)
                first = copy.copy(errors[0])
                first.also = ()                 # its ``also`` held every other error
                err = together([first, *errors[1:]])
            raise _invalid(resource, body["metadata"].get("name", ""), err) from None
        except ValueError as err:
            raise HttpError(400, str(err), "BadRequest") from None
        return spec.manifest            # the loader's own copy (``without_nulls``)

    def _settle(self) -> None:
        """Let the controllers react at this instant, as they would within milliseconds."""
        self.cluster.run(until=self.cluster.now)
        self.renderer.versions.bump()

    def _write(self, request: Request, resource: Resource, namespace: str | None, name: str,
               sub: str | None) -> Response:
        into = None if request.method == "PATCH" else "Scale" if sub == "scale" else resource.kind
        body = self._body(request, into)
        kind = request.content_type
        applying = kind == "application/apply-patch+yaml"
        if applying and isinstance(body, dict):      # the field manager's, before the merge
            check_configuration(body, *(("autoscaling/v1", "Scale") if sub == "scale" else
                                        (resource.group_version, resource.kind)))
        if applying and sub is None:
            exists = (resource.kind == "Node" and name in self.cluster.node_names()) or (
                resource.kind not in DERIVED
                and self.cluster.get(resource.kind, namespace or "default", name) is not None
            ) or (resource.kind == "Namespace" and name in self.renderer.terminating)
            if not exists:
                request.body = json.dumps(body).encode()
                request.headers["content-type"] = "application/json"
                return self._create(request, resource, namespace,
                                    config=body if isinstance(body, dict) else None)
        if sub == "scale":
            current = self._scale(resource, namespace, name)
            new = body if request.method == "PUT" else _patched(kind, current, body,
                                                                 request.arg("fieldValidation"))
            with _patch_refused(request, body, copy_data(new)):     # as for any kind
                replicas = _scale_replicas(new)
                _field_validation(request, "Scale", "autoscaling/v1", new)
            _precondition(resource, name, current, new)
            if replicas < 0:
                raise HttpError(422, f'Scale.autoscaling "{name}" is invalid: spec.replicas: '
                                f"Invalid value: {replicas}: must be greater than or equal "
                                "to 0", "Invalid")
            if _dry_run(request):     # validated, never stored: the Scale it would store
                return Response.json(200, {**current, "spec": {"replicas": replicas}})
            scaled, _ = self._one(resource, namespace, name)
            changed = changed_fields(scaled, {"spec": {"replicas": replicas}})
            with self.renderer.managers.staged(scaled["metadata"]["uid"], updated(
                    self.renderer.managers.recorded(scaled["metadata"]["uid"]),
                    self._writer(request, resource, subresource="scale"), changed, set())):
                self._write_size(resource, {**scaled, "spec": {
                    **scaled["spec"], "replicas": replicas}}, scaled, scaled.get("status"),
                    not applying)
                with _refusals(resource, name):
                    self.cluster.scale(resource.kind, name, replicas, namespace or "default")
                self._settle()
            return Response.json(200, self._scale(resource, namespace, name))
        if request.method == "PUT":     # decoded with the endpoint's kind as update.go does
            body = _object_body(request, body, resource)
        current, _ = self._one(resource, namespace, name)
        new = body if request.method == "PUT" else _patched(kind, current, body,
                                                                 request.arg("fieldValidation"))
        if not applying:    # decoded as an update is: its managers own the data it made
            fold_string_data(new)
        if sub == "status":
            if isinstance(new, dict):   # decoded whole, as any update; warned before the 409
                with _patch_refused(request, body, copy_data(new)):
                    _field_validation(request, resource.kind, resource.group_version, new)
            _precondition(resource, name, current, new)
            status = new.get("status") if isinstance(new, dict) else None
            why, problems = node_resources_errors(status) if resource.kind == "Node" \
                else namespace_status_errors(status, "deletionTimestamp" in current[
                    "metadata"]) if resource.kind == "Namespace" else (
                    status_decode_error(resource.kind, resource.group_version, status), [])
            phase = status.get("phase") if isinstance(status, dict) else None
            if resource.kind == "Pod" and phase is not None and not isinstance(phase, str):
                why = (f"json: cannot unmarshal {json_kind(phase, numeric_target=False)} into "
                       "Go struct field PodStatus.status.phase of type v1.PodPhase")
            if why:     # the decoder's refusal
                with _patch_refused(request, body, new):
                    raise _undecodable(resource, why)
            # ValidateNodeUpdate's ValidateNodeResources, the Namespace's phase, or the
            # status strategy's ValidateUpdate of an apps kind
            problems = problems or status_problems(resource.kind, status, current.get("status"))
            if problems:
                raise _field_invalid(resource.kind, name, problems, resource.group)
            if resource.kind == "Node":     # stored, until its kubelet's next update
                kept = self._node_status_metadata(resource, name, current, new)
                written = canonical_status(status) if isinstance(status, dict) else {}
                if _dry_run(request):
                    return Response.json(200, {**kept, "status": written})
                self._write_size(resource, kept, current, written, not applying)
                self._update_node(name, current, kept)
                writes = self.renderer.node_writes.setdefault(name, NodeWrites())
                writes.status_written, writes.written_at = written, self.cluster.now
                self._settle()
                return Response.json(200, self._one(resource, None, name)[0])
            if resource.kind != "Pod":
                return self._write_status(request, resource, namespace, name, current, status)
            if _dry_run(request):
                # a Pod's status belongs to its kubelet: answered as it keeps it
                return Response.json(200, current)
            self._write_size(resource, current, current, status, not applying)
            pod = self._stored(resource, namespace, name)
            self.cluster.update_pod_conditions(pod, _pod_conditions(new, name))
            self.cluster.kubelet.phase_written(pod, phase)
            self._settle()
            return Response.json(200, self._one(resource, namespace, name)[0])
        with _patch_refused(request, body, copy_data(new)), \
                self._managed(request, resource, namespace, name, current, new, body):
            return self._replace(request, resource, namespace, name, current, new,
                                 finalize=sub == "finalize")

    def _write_status(self, request: Request, resource: Resource, namespace: str | None,
                      name: str, current: dict[str, Any], status: Any) -> Response:
        """Store ``status`` (decoded and validated) as the status of ``current``, an object
        of a kind whose status the simulator computes, but a Pod or a Node: its status
        strategy's ``PrepareForUpdate`` keeps the new status and the stored spec
        (:mod:`~clustersim.serve.kubestatuswrites`). The answer shows it; the controller
        of a kind in :data:`~clustersim.serve.kubestatuswrites.RECONCILED_AT_ONCE` then
        writes its own back, as upstream's does at the update event the write makes; any
        other shows it until the simulator's own status changes. A dry run answers the
        object with it and keeps nothing."""
        if _dry_run(request):
            return Response.json(200, {**current, "status": shown_status(current, status)})
        self._write_size(resource, current, current, status,
                         request.content_type != "application/apply-patch+yaml")
        uid = current["metadata"].get("uid", "")
        writes = self.renderer.status_writes
        writes.write(current, status)
        answer = self._one(resource, namespace, name)[0]
        if resource.kind in RECONCILED_AT_ONCE:
            writes.forget(uid)
        self._settle()
        return Response.json(200, answer)

    @contextmanager
    def _managed(self, request: Request, resource: Resource, namespace: str | None,
                 name: str, current: dict[str, Any], new: Any, body: Any) -> Iterator[None]:
        """The field managers of an object written through the API while ``current``
        becomes ``new``, kept if the write succeeds (:mod:`~clustersim.serve.
        kubefieldmanager`). An apply (``body`` its configuration) first drops from ``new``
        the fields its manager no longer applies, or is refused for another manager's."""
        uid = current["metadata"].get("uid", "")
        if not isinstance(new, dict) or resource.kind in DERIVED or \
                self._default(resource.kind, namespace, name) is not None:
            yield
            return
        entries = self.renderer.managers.recorded(uid)
        if request.content_type == "application/apply-patch+yaml" and isinstance(body, dict):
            try:        # drops from new, in place, what its manager applies no more
                _, entries = applied(entries, self._writer(request, resource, APPLY), body,
                                     current, new, force=bool_option(request, "force"))
            except ApplyConflictError as err:
                raise HttpError(409, str(err), "Conflict", causes=err.causes()) from None
        else:
            sent = new["metadata"].get("managedFields") if isinstance(
                new.get("metadata"), dict) else None
            found = decoded(sent, entries or [], self.cluster.now) \
                if sent != current["metadata"].get("managedFields") else None
            entries = entries if found is None else found
            entries = updated(entries, self._writer(request, resource),
                              changed_fields(current, new), field_set(current) - field_set(new))
        with self.renderer.managers.staged(uid, entries, keep=not _dry_run(request)):
            yield

    def _decode_unnamed(self, resource: Resource, name: str, new: dict[str, Any],
                        finalize: bool) -> None:
        """Refuse a PUT's object that names no object or another one as the decoder does if
        it cannot be decoded: k8s.io/apiserver ``pkg/endpoints/handlers/update.go`` decodes
        the body before ``checkName`` (``rest.go``). It is decoded under the URL's name."""
        named = {**new, "metadata": {**new.get("metadata", {}), "name": name}}
        why = finalize_errors(new.get("spec"))[0] if finalize else None
        if why:
            raise _undecodable(resource, why)
        try:
            self._validated(named, resource, update=True)
        except _UndecodableError:
            raise
        except HttpError:
            pass                # validation comes after checkName, which refuses it

    def _replace(self, request: Request, resource: Resource, namespace: str | None, name: str,
                 current: dict[str, Any], new: Any, *, finalize: bool = False) -> Response:
        """Store ``new`` (a PUT's object, or a patch's result) in place of ``current``;
        ``finalize``: a Namespace's ``/finalize``."""
        if isinstance(new, dict):               # decoded before checkName (update.go)
            _decode_object_meta(resource, new.get("metadata"))
            _decode_spec(resource, new)
        try:
            _check_shape(new, resource.kind, name)
        except HttpError as refused:
            if refused.status == 400:       # checkName's: after the body was decoded
                self._decode_unnamed(resource, name, new, finalize)
            raise
        if resource.kind == "Node":
            _decode_node_spec(resource, new)
        _field_validation(request, resource.kind, resource.group_version, new)
        _precondition(resource, name, current, new)
        if resource.kind == "Node":     # validated after the version is checked, as upstream
            _validate_node_spec(name, new, self.renderer.node_writes.get(name))
        _check_metadata_update(resource, name, current["metadata"], new["metadata"])
        if finalize:
            why, problems = finalize_errors(new.get("spec"))
            if why:
                raise _undecodable(resource, why)
            if problems:
                raise _field_invalid("Namespace", name, problems)
        if resource.kind == "Namespace" and name in self.renderer.terminating:
            return Response.json(200, self._update_terminating(
                request, resource, current, new, finalize))
        if _dry_run(request):
            return Response.json(200, self._dry_run_update(resource, namespace, name, current,
                                                           new))
        if resource.kind == "Node":
            self._write_size(resource, new, current, current.get("status"),
                             request.content_type != "application/apply-patch+yaml")
            self._update_node(name, current, new)
        elif self._default(resource.kind, namespace, name) is not None:
            self._relabel(resource, current, new)
        else:
            stored = self._stored(resource, namespace, name)
            self._update(resource, stored, current, new,
                         retry=request.content_type != "application/apply-patch+yaml")
            if not self.cluster.exists(stored):     # being deleted, its last finalizer gone
                self._settle()
                return Response.json(200, self._finalized(resource, stored, current))
        self._settle()
        return Response.json(200, self._one(resource, namespace, name)[0])

    def _update_terminating(self, request: Request, resource: Resource,
                            current: dict[str, Any], new: dict[str, Any], finalize: bool
                            ) -> dict[str, Any]:
        """An update of a Terminating namespace from ``current`` to ``new``
        (:func:`~clustersim.serve.kubenamespaces.update_terminating`): the namespace as
        written, or as it was deleted when no finalizer is left; a dry run writes
        nothing and answers it with the version and conditions it has now."""
        name = current["metadata"]["name"]
        written = copy.deepcopy(self.renderer.terminating[name])
        update_terminating(written, new, finalize=finalize)
        shown = self.renderer.namespace(name, written)
        if _dry_run(request):
            shown["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
            return {**shown, "status": current["status"]}
        self.renderer.update_terminating(name, new, finalize=finalize)
        self._settle()
        if name in self.renderer.terminating:
            return self._one(resource, None, name)[0]
        return self.renderer.versioned(shown, written)

    def _dry_run_update(self, resource: Resource, namespace: str | None, name: str,
                        current: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        """The answer to a dry-run update of ``current`` to ``new``: :meth:`_update` run in
        full but the write (the cluster's
        :meth:`~clustersim.kubernetes.apiserver.APIServer.dry_run_update`), so that it
        refuses what the update refuses, and the object it would store, rendered as a stored
        one is, with the version it has now (nothing is written, so no revision moves) and
        its status (:func:`_with_status_of`). A Node or a default object answers ``new``
        with the status kept."""
        if resource.kind == "Node" or self._default(resource.kind, namespace, name) is not None:
            return _with_status_of(current, new)
        would_be = self._update(resource, self._stored(resource, namespace, name), current,
                                new, dry_run=True)
        shown = self.renderer.shown(would_be, resource)
        shown["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        return _with_status_of(current, shown)

    def _relabel(self, resource: Resource, current: dict[str, Any], new: dict[str, Any]
                 ) -> None:
        """An update of a default object (:meth:`_defaults`) that the simulator keeps no
        object for: its labels and annotations are the user's to change, as on a real
        cluster; the new ones are kept in :attr:`relabelled` until it is deleted and made
        again. Any other change is refused (405): a real API server would store it, the
        simulated one cannot. On a real cluster such a change also stays: the controllers
        that made the object put back what they own only when the API server starts (the
        ``kubernetes`` Service's ports and type: ``RunKubernetesService`` calls
        ``UpdateKubernetesService(false)``, "not reconciled after first run", in
        kubernetes/kubernetes ``pkg/controlplane/controller/kubernetesservice/
        controller.go``)."""
        name = current["metadata"]["name"]
        if any(current.get(k) != new.get(k) for k in {*current, *new} - _METADATA_ONLY):
            raise HttpError(405, f'{resource.qualified()} "{name}" is made by the cluster '
                            "itself: only its labels and annotations may change in the "
                            "simulated API server (a real one would change the rest too, "
                            "and keep the change until the API server restarts)",
                            "MethodNotAllowed")
        meta = new.get("metadata") or {}
        self.relabelled[(resource.kind, current["metadata"].get("namespace", ""), name)] = {
            field: dict(meta[field]) for field in ("labels", "annotations") if meta.get(field)}
        self.renderer.versions.bump()

    def _update(self, resource: Resource, stored: dict[str, Any], current: dict[str, Any],
                new: dict[str, Any], *, dry_run: bool = False, retry: bool = True
                ) -> dict[str, Any]:
        """Store ``new`` (a PUT's body, or a patch's result) over ``stored``, which reads back
        as ``current``, and return the object stored: everything (labels, annotations, a
        spec, the content of kinds without one) through the cluster's one update, as the
        Python API's, so that one writer stores them and one validation refuses them, but a
        Pod's spec, checked first (:meth:`_check_pod_update`) and stored after by the
        cluster's ``update_pod``; finalizers last, which may let a deletion finish.
        ``dry_run``: all of it runs, on a copy of ``stored``, which is returned; nothing is
        stored. ``retry``: not an apply, which etcd's size limit refuses with its managed
        fields where the others are written without them (:meth:`_storable`)."""
        meta = new.get("metadata") or {}
        name = stored["metadata"]["name"]
        # the last finalizer of an object being deleted taken: deleted, never written, so
        # never sized (ShouldDeleteDuringUpdate in Store.Update, then deleteWithoutFinalizers)
        sized = not deleted_by_update(meta.get("finalizers"), stored["metadata"])
        if resource.kind == "Pod" and new.get("spec") is None:
            new["spec"] = {}        # decoded as Go decodes a missing or null struct: zero
        spec_sent = "spec" in new and new["spec"] != current.get("spec")
        if spec_sent and resource.kind == "Pod":    # decoded and validated before compared
            self._validated({"apiVersion": "v1", "kind": "Pod", "metadata": {
                "name": name, "namespace": stored["metadata"]["namespace"]},
                "spec": new["spec"]}, resource)
        spec_changed = spec_sent and not self._same_spec(resource, stored, current,
                                                         new["spec"])
        # the content of kinds without a spec (a ConfigMap's data, a Role's rules...)
        content = {*new, *current} - _NOT_CONTENT
        content_changed = any(new.get(field) != current.get(field) for field in content)
        pod_spec = new.get("spec") if spec_changed and resource.kind == "Pod" else None
        if pod_spec is not None:
            self._check_pod_update(resource, stored, current["spec"], pod_spec)
            spec_changed = False
        target = stored
        if spec_changed or content_changed or any(
                meta.get(f) != current["metadata"].get(f) for f in ("labels", "annotations")):
            # what did not change is sent as stored: defaults read back are no change
            sent = new if content_changed else stored
            spec = new["spec"] if spec_changed else stored.get("spec")
            manifest = {"apiVersion": stored.get("apiVersion", resource.group_version),
                        "kind": resource.kind,
                        "metadata": {"name": name, "namespace": stored["metadata"]["namespace"],
                                     **{field: meta[field] for field in ("labels", "annotations")
                                        if meta.get(field)}},
                        **{field: value for field, value in sent.items()
                           if field not in _NOT_CONTENT},
                        **({} if spec is None else {"spec": spec})}
            # no copy here: the loader reads it and stores its own (``_validated``)
            with _refusals(resource, name):
                loaded = resource.kind not in _LOADED_BY_THE_CLUSTER
                if dry_run:
                    target = self.cluster.dry_run_update(
                        self._validated(manifest, resource, update=True), validated=loaded)
                else:
                    validated = self._validated(manifest, resource, update=True)
                    if sized:
                        self._write_size(resource, new, current, current.get("status"), retry)
                    self.cluster.update([validated], validated=loaded)
        elif dry_run:
            target = copy.deepcopy(stored)
        elif sized:     # its managed fields may still change: written all the same
            self._write_size(resource, new, current, current.get("status"), retry)
        if pod_spec is not None:
            self.cluster.update_pod(target, pod_spec, dry_run=dry_run)
        if meta.get("finalizers") != current["metadata"].get("finalizers"):
            self.cluster.set_finalizers(target, list(meta.get("finalizers") or []),
                                        dry_run=dry_run)
        return target

    def _same_spec(self, resource: Resource, stored: dict[str, Any], current: dict[str, Any],
                   spec: Any) -> bool:
        """Whether ``spec`` (a PUT's, or a patch's result) is the spec ``current`` shows once
        the API server has filled in what it fills in: then the update writes nothing, and
        neither the object's resourceVersion nor its generation moves (the registry's
        ``GuaranteedUpdate`` skips the write of an object equal to the stored one,
        k8s.io/apiserver ``pkg/storage/etcd3/store.go``). A manifest sent again as written,
        without the defaults, is such a spec: upstream it is defaulted as it is decoded; a
        Service keeps its allocated cluster IP and node ports (``keep_allocated``). A Job's
        selector and labels are generated on create only: a Job sent without them is a
        change, which its update validation refuses
        (:func:`~clustersim.kubernetes.workloadupdates.workload_update_refusal`)."""
        candidate = {**stored, "spec": spec}   # read only: shown renders a copy
        if resource.kind == "Service" and isinstance(spec, dict):
            candidate["spec"] = copy.deepcopy(spec)      # filled in here
            keep_allocated(stored.get("spec") or {}, candidate["spec"])
            set_service_defaults(candidate["spec"])
        return self.renderer.shown(candidate, resource).get("spec") == current.get("spec")

    def _check_pod_update(self, resource: Resource, stored: dict[str, Any],
                          current: dict[str, Any], new: dict[str, Any]) -> None:
        """Refuse a Pod's new spec unless ``ValidatePodUpdate`` allows it
        (:func:`~clustersim.kubernetes.workloadupdates.pod_update_refusal`): removed
        scheduling gates (the Pod then enters the scheduling queue), added tolerations, a
        lower deadline, new images (its containers restart with them). The new spec has
        been decoded and validated as any Pod's (:meth:`_update`), a missing or null one as
        an empty one (``spec.containers: Required value``; upstream also lists the update's
        Forbidden change)."""
        name = stored["metadata"]["name"]
        refusal = pod_update_refusal(name, current, new)
        if refusal is not None:
            raise HttpError(422, refusal, "Invalid")

    @staticmethod
    def _node_status_metadata(resource: Resource, name: str, current: dict[str, Any],
                              new: Any) -> dict[str, Any]:
        """The Node a write through ``nodes/status`` makes of ``current``: its metadata as
        written, its spec the stored one (``nodeStatusStrategy.PrepareForUpdate`` resets the
        spec only, kubernetes/kubernetes ``pkg/registry/core/node/strategy.go``), the
        metadata decoded and validated as any update's (``ValidateNodeUpdate`` starts with
        ``ValidateObjectMetaUpdate``). The simulator had dropped the labels and annotations
        such a write gave and answered 200."""
        meta = new.get("metadata") if isinstance(new, dict) else None
        kept = {**current, "metadata": meta if isinstance(meta, dict) else current["metadata"]}
        _check_shape(kept, resource.kind, name)
        _decode_object_meta(resource, kept["metadata"])
        _check_metadata_update(resource, name, current["metadata"], kept["metadata"])
        return kept

    def _update_node(self, name: str, current: dict[str, Any], new: dict[str, Any]) -> None:
        """An update of Node ``name`` to ``new``: its labels, taints and cordon told to the
        cluster, its annotations and pod CIDRs kept beside it
        (:attr:`~clustersim.serve.kubederived.DerivedObjects.node_writes`); its status is
        the ``/status`` subresource's (``nodeStrategy.PrepareForUpdate`` keeps the old one,
        kubernetes/kubernetes ``pkg/registry/core/node/strategy.go``)."""
        writes = self.renderer.node_writes.setdefault(name, NodeWrites())
        writes.annotations = dict((new.get("metadata") or {}).get("annotations") or {}) or None
        writes.cidrs = pod_cidrs(new.get("spec") or {})
        info = self.cluster.node(name)
        labels = (new.get("metadata") or {}).get("labels") or {}
        if labels != info.labels:
            self.cluster.set_node_labels(name, labels)
        spec = new.get("spec") or {}

        def key(t: dict[str, Any]) -> tuple[Any, Any, Any]:
            return t.get("key"), t.get("value"), t.get("effect")

        wanted = [t for t in spec.get("taints") or []
                  if t.get("key") != "node.kubernetes.io/unschedulable"]
        have = [t for t in info.taints if t.get("key") != "node.kubernetes.io/unschedulable"]
        if [key(t) for t in wanted] != [key(t) for t in have]:
            # stored as sent: the API server sets no timeAdded (kubectl taint sends none,
            # kubernetes/kubernetes#98482); the node lifecycle controller stamps its own
            taints = [{**t, "timeAdded": self.clock.seconds(parse_rfc3339(
                t["timeAdded"]).timestamp())} if "timeAdded" in t else t for t in wanted]
            cordon = [t for t in info.taints if t.get("key") == "node.kubernetes.io/unschedulable"]
            self.cluster.set_taints(name, [*taints, *cordon])
        if bool(spec.get("unschedulable")) != info.unschedulable:
            (self.cluster.cordon if spec.get("unschedulable") else self.cluster.uncordon)(name)

    def _scale(self, resource: Resource, namespace: str | None, name: str) -> dict[str, Any]:
        if not resource.scale:
            raise HttpError(404, "the server could not find the requested resource", "NotFound")
        obj = self._stored(resource, namespace, name)
        return {"kind": "Scale", "apiVersion": "autoscaling/v1",
                "metadata": {"name": name, "namespace": obj["metadata"]["namespace"],
                             "uid": obj["metadata"]["uid"],
                             "resourceVersion": self._stored_item(resource, obj)[0][
                                 "metadata"]["resourceVersion"],
                             "creationTimestamp": self.renderer.timestamp(
                                 obj["metadata"]["creationTimestamp"])},
                "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 1)},
                "status": {"replicas": (obj.get("status") or {}).get("replicas", 0),
                           "selector": selector_string(
                               (obj.get("spec") or {}).get("selector"))}}

    def _delete(self, request: Request, resource: Resource, namespace: str | None,
                name: str) -> Response:
        """A DELETE of one object (``DeleteResource`` in k8s.io/apiserver
        ``pkg/endpoints/handlers/delete.go``) with its :meth:`_delete_options`."""
        return Response.json(200, self._delete_one(resource, namespace, name,
                                                   self._delete_options(request)))

    def _delete_collection(self, request: Request, resource: Resource,
                           namespace: str | None) -> Response:
        """A DELETE of a collection (``DeleteCollection`` in k8s.io/apiserver
        ``pkg/endpoints/handlers/delete.go``, ``Store.DeleteCollection`` in
        ``pkg/registry/generic/registry/store.go``): the list options first
        (:func:`~clustersim.serve.kubelists.check_list_options`, the field selector's
        fields), then the :meth:`_delete_options`; then what a list with those options
        answers (its ``limit`` and ``continue`` too: a limited one deletes that page only)
        is deleted object by object as a DELETE of each deletes it (:meth:`_delete_one`,
        one already gone skipped, any other refusal ending the request), and the list, as
        it was listed, is the answer (a dry run deletes nothing and answers the same).
        Served where the API installer serves it: on a namespace's path for a namespaced
        kind, for kinds whose registry deletes collections (not Namespaces: 405, as for
        the path of every namespace).

        Simplified: upstream decodes the body with the API group's scheme, so a body of
        another kind of that group fails at its conversion to DeleteOptions in other words
        than :func:`_body_delete_options` uses; its workers delete several objects at once,
        where the simulator deletes them in the list's order."""
        check_list_options(request, watch=False)
        field_selector(request.arg("fieldSelector"), resource.kind)
        options = self._delete_options(request)
        items, meta = self._page(request, resource, namespace)
        for obj, _ in items:
            found = obj["metadata"]
            try:
                self._delete_one(resource, found.get("namespace"), found["name"],
                                 copy.deepcopy(options))
            except HttpError as err:
                if err.status != 404:
                    raise
        return Response.json(200, self._listed(request, resource, items, meta))

    def _delete_options(self, request: Request) -> dict[str, Any]:
        """A DELETE's ``DeleteOptions``: those of its body if it has one
        (:func:`_body_delete_options`), else of its query (:func:`_query_delete_options`),
        never both, as ``DeleteResource`` and ``DeleteCollection`` read them, then
        validated (:func:`_validated_delete_options`)."""
        return _validated_delete_options(
            _body_delete_options(self._body(request, interpret=True)) if request.body
            else _query_delete_options(request))

    def _delete_one(self, resource: Resource, namespace: str | None, name: str,
                    options: dict[str, Any]) -> dict[str, Any]:
        """Delete one object with ``options`` (:meth:`_delete_options`), after its
        ``preconditions`` are checked (:func:`_delete_precondition`); the answer is
        :meth:`_deleted_answer` (or, still being deleted, the object as it is). A dry run
        deletes nothing and answers :meth:`_dry_run_deletion`; ``propagationPolicy:
        Orphan`` keeps the dependents, ``Foreground`` keeps the object, being deleted,
        until they are gone (:meth:`~clustersim.kubernetes.apiserver.APIServer.delete_object`).

        A Pod's ``gracePeriodSeconds`` overrides its ``terminationGracePeriodSeconds``, 0
        (``--force --grace-period=0``) deleting it at once
        (:meth:`~clustersim.kubernetes.apiserver.APIServer.delete_pod`); other kinds have no
        graceful deletion.

        Simplified: the API server reads the options after it found the object (a 404
        before a 422) where the simulator validates them first."""
        if resource.kind == "Namespace" and name in _IMMORTAL:
            raise HttpError(403, f'namespaces "{name}" is forbidden: this namespace may '
                            "not be deleted", "Forbidden", name=name, kind="namespaces")
        preconditions = options.get("preconditions") or {}
        if any(preconditions.get(key) is not None for key in ("uid", "resourceVersion")):
            _delete_precondition(resource, name, self._one(resource, namespace, name)[0],
                                 preconditions)
        if options.get("dryRun"):
            return self._dry_run_deletion(resource, namespace, name, options)
        if resource.kind == "Node":
            before = self._one(resource, None, name)[0]     # 404 for an unknown node
            self.cluster.remove_node(name)      # which forgets what writes kept of it
            self._settle()
            return self._deleted_answer(resource, before)
        if resource.kind == "Namespace":
            self._deletable_namespace(resource, name)
            deleted = self.renderer.terminate(name)
            # the namespace controller deletes every namespaced resource the API serves,
            # its Events among them (deleteAllContent, pkg/controller/namespace/deletion/
            # namespaced_resources_deleter.go)
            for kind in _NAMESPACED:
                for obj in self.cluster.objects(kind, name):
                    if self.cluster.exists(obj):
                        self.cluster.delete_object(obj)
            stored = self.cluster.get("Namespace", "default", name)
            if stored is not None:
                self.cluster.delete_object(stored)
            self.renderer.forget_events(name)
            self.relabelled = {key: labels for key, labels in self.relabelled.items()
                               if key[1] != name}     # its ServiceAccount default goes too
            self._settle()
            return deleted
        builtin = self._default(resource.kind, namespace, name)
        if builtin is not None and resource.kind in _REMADE:
            # deleted, and made again by its controller at once (ADDED at the next read)
            before = self._stored_item(resource, builtin)[0]
            key = (resource.kind, namespace or "default", name)
            self.remade[key] = (self.remade.get(key, (0, 0.0))[0] + 1, self.cluster.now)
            self.relabelled.pop(key, None)      # made again as its controller makes it
            self.renderer.versions.deleted(resource.kind, key_of(before))
            return self._deleted_answer(resource, before)
        stored = self._stored(resource, namespace, name)
        before = self._stored_item(resource, stored)[0]     # kept, as _one keeps it
        self._deletion_size(resource, stored, before, options)
        self._note_moved_deletion(stored, options.get("gracePeriodSeconds"))
        self.cluster.delete_object(stored, options.get("propagationPolicy") or "Background",
                                   options.get("gracePeriodSeconds"))
        self._settle()
        if self.cluster.exists(stored):
            return self._stored_item(resource, stored)[0]
        return self._deleted_answer(resource, before)

    def _deletable_namespace(self, resource: Resource, name: str) -> dict[str, Any]:
        """Namespace ``name`` as it is, which a DELETE may delete: 404 for one that is not
        there, 409 for one already Terminating (the namespace registry's ``Delete`` refuses
        it while ``spec.finalizers`` holds any, ``pkg/registry/core/namespace/storage/
        storage.go``)."""
        current = self._one(resource, None, name)[0]
        if name in self.renderer.terminating:
            raise HttpError(409, f'Operation cannot be fulfilled on namespaces "{name}": '
                            f"{PURGE_PENDING}", "Conflict", name=name, kind="namespaces")
        return current

    def _deleted_answer(self, resource: Resource, before: dict[str, Any]) -> dict[str, Any]:
        """What a DELETE that removed the object ``before`` answers (``Store.finalizeDelete``
        in k8s.io/apiserver ``pkg/registry/generic/registry/store.go``): the object, at its
        deletion's resourceVersion (etcd3's ``conditionalDelete`` decodes it at the delete's
        revision, ``pkg/storage/etcd3/store.go``), for a kind whose registry returns the
        deleted object (:attr:`~clustersim.serve.kuberesources.Resource.returns_deleted`);
        else a Status of success naming it by name, group, resource and uid, which kubectl's
        ``delete --wait`` reads the uid from (:func:`_deleted_status`). An object a DELETE
        leaves in place (a graceful or finalizer-held deletion) is answered as it is, as
        upstream answers its update; a dry run's answer is :meth:`_dry_run_deletion`'s."""
        history = self.renderer.versions.history.get(resource.kind)
        gone = history.deletion(key_of(before)) if history is not None else None
        if resource.returns_deleted:
            version = str(gone or self.renderer.versions.revision)
            return {**before, "metadata": {**before["metadata"], "resourceVersion": version}}
        return _deleted_status(resource, before)

    def _deletion_size(self, resource: Resource, stored: dict[str, Any],
                       before: dict[str, Any], options: dict[str, Any]) -> None:
        """Refuse, as etcd does, a DELETE that writes ``stored`` (shown as ``before``)
        instead of removing it (:meth:`_marked_deleting`), when what it writes is too
        large. etcd's error is no storage error, so ``InterpretUpdateError`` passes it on
        as it is, the update's 500, and the object stays as it was. The DELETE handler has
        no managed-fields retry. Simplified: a Terminating Pod given a shorter grace period
        is written again upstream, with that period, unsized here (its size barely moves);
        the simulator orphans at once and never shows the ``orphan`` finalizer it sizes."""
        marked = self._marked_deleting(stored, before, options)
        if marked is not None:
            self._write_size(resource, marked, before, before.get("status"), retry=False)

    def _marked_deleting(self, stored: dict[str, Any], before: dict[str, Any],
                         options: dict[str, Any]) -> dict[str, Any] | None:
        """``stored`` (shown as ``before``) as a DELETE with ``options`` writes it when it
        keeps it (:func:`~clustersim.serve.etcdsize.as_deleting`), or None when the DELETE
        removes it at once or writes nothing. ``Store.Delete`` writes through
        ``GuaranteedUpdate`` a graceful deletion (a scheduled Pod's, its
        ``deletionTimestamp`` the end of its grace period) and the deletion of an object
        that keeps finalizers: its own, or the garbage collector's ``orphan`` and
        ``foregroundDeletion`` that the ``Orphan`` and ``Foreground`` policies add
        (``updateForGracefulDeletionAndFinalizers``, k8s.io/apiserver
        ``pkg/registry/generic/registry/store.go``; the time as
        :meth:`~clustersim.serve.kuberender.Renderer.deletion_timestamp` adds the period).
        An object already being deleted is not written again (``errAlreadyDeleting``)."""
        meta = stored["metadata"]
        if meta.get("deletionTimestamp") is not None:
            return None
        finalizers = list(meta.get("finalizers") or [])
        grace = 0
        if stored["kind"] == "Pod":
            grace = deletion_grace_period(stored, options.get("gracePeriodSeconds"))
            if deleted_at_once(stored, grace):
                if not finalizers:
                    return None
                grace = 0
        else:
            added = {"Orphan": "orphan", "Foreground": FOREGROUND_DELETION}.get(
                options.get("propagationPolicy") or "")
            if added is not None and added not in finalizers:
                finalizers.append(added)
            if not finalizers:
                return None
        return as_deleting(before, finalizers, grace, self.renderer.timestamp(
            self.renderer.deletion_timestamp({"deletionTimestamp": self.cluster.now,
                                              "deletionGracePeriodSeconds": grace})))

    def _dry_run_deletion(self, resource: Resource, namespace: str | None, name: str,
                          options: dict[str, Any]) -> dict[str, Any]:
        """What a dry-run DELETE answers, writing nothing (``Store.Delete`` in
        k8s.io/apiserver ``pkg/registry/generic/registry/store.go``): a deletion that
        would keep the object (graceful, or held by finalizers) answers the object as that
        update would write it (:meth:`_marked_deleting`; "Going further ... is not useful
        when we are performing a dry-run request"); one already being deleted, the object
        as it is; any other, what ``finalizeDelete`` answers after etcd's dry-run delete:
        the object as it is for a kind whose registry returns the deleted object, else a
        Status of success naming it. An Active Namespace answers as its registry's first
        DELETE writes it, Terminating (``pkg/registry/core/namespace/storage/
        storage.go`` runs the same update, dry run or not); a Terminating one is refused
        as a DELETE of it is."""
        if resource.kind == "Namespace":
            current = self._deletable_namespace(resource, name)
            shown = self.renderer.terminate(name, dry_run=True)
            shown["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
            return shown
        before = self._one(resource, namespace, name)[0]
        stored = None if resource.kind == "Node" or self._default(
            resource.kind, namespace, name) is not None else \
            self._stored(resource, namespace, name)
        if stored is not None:
            if stored["metadata"].get("deletionTimestamp") is not None:
                return before
            marked = self._marked_deleting(stored, before, options)
            if marked is not None:
                return marked
        if resource.returns_deleted:
            return before
        return _deleted_status(resource, before)

    def _note_moved_deletion(self, stored: dict[str, Any], grace: int | None) -> None:
        """A shorter grace period for a Pod already terminating whose new end is past: its
        ``deletionTimestamp`` becomes this request's time (``BeforeDelete`` in
        k8s.io/apiserver ``pkg/registry/rest/delete.go``; shown by
        :meth:`~clustersim.serve.kuberender.Renderer.deletion_timestamp`)."""
        meta = stored["metadata"]
        if stored["kind"] != "Pod" or meta.get("deletionTimestamp") is None:
            return
        shortened = shortened_deletion(stored, grace, self.cluster.now)
        if shortened is not None and shortened[1]:
            self.renderer.deletions_moved[meta["uid"]] = self.cluster.now

    def _evict(self, request: Request, resource: Resource, namespace: str | None,
               name: str) -> Response:
        """An Eviction (``kubectl drain``): refused while a PodDisruptionBudget allows no
        disruption, else the Pod is deleted; a dry run (the Eviction's ``deleteOptions``,
        as ``drain --dry-run=server`` sends it) checks the budgets and deletes nothing
        (``EvictionREST.Create``, kubernetes/kubernetes ``pkg/registry/core/pod/storage/
        eviction.go``). A Pod already terminating is deleted with the Eviction's options
        whatever the budgets (``canIgnorePDB``), so its ``gracePeriodSeconds`` may shorten
        the deletion as a second DELETE does (``kubectl drain --grace-period=1`` of a Pod
        stuck shutting down); the simulator had answered success and changed nothing.

        The body is decoded as a create's (:meth:`_body`): one that is no JSON object fails
        the serializer's reading of its kind (:func:`_unreadable`); a ``deleteOptions``
        that is no object (nor ``null``) is encoding/json's type error for the Eviction's
        ``*v1.DeleteOptions`` field, and one of its fields of the wrong type is named
        after the innermost struct, then its path from the Eviction down
        (``DeleteOptions.deleteOptions.gracePeriodSeconds``: ``addErrorContext`` in
        sigs.k8s.io/json ``internal/golang/encoding/json/decode.go``).

        The Eviction is then checked against the request in upstream's order, before the Pod
        is read (a 400 for a Pod that does not exist too): its kind and version
        (:func:`_eviction_kind`), its namespace (the create handler's
        ``EnsureObjectNamespaceMatchesRequestNamespace``, k8s.io/apiserver
        ``pkg/endpoints/handlers/create.go``), the namespace's lifecycle (admission, which
        refuses it in a Terminating namespace: :func:`~clustersim.serve.kubenamespaces.
        new_content_refusal`), its name (``EvictionREST.Create``: an empty
        or other name is ``name in URL does not match name in Eviction object``). A
        ``resourceVersion`` or ``uid`` precondition the Pod does not meet is the delete's
        409 Conflict (:func:`_delete_precondition`) after the budgets are checked, never
        retried. The simulator had evicted the Pod for an empty body, ``null``, ``{}``,
        another kind, version, name or namespace and a precondition not met.

        The budgets are those of ``disruption.py`` in upstream's order
        (:func:`~clustersim.kubernetes.controllers.disruption.eviction_refusal`, which the
        Python API's drain asks too): a Pod that finished,
        is Pending or is being deleted is evicted whatever they allow
        (:func:`~clustersim.kubernetes.controllers.disruption.can_ignore_budgets`); a Pod two
        budgets cover is a 500 without a reason (``Create`` returns a Failure Status, which
        the handler's ``FinishRequest``, k8s.io/apiserver ``pkg/endpoints/handlers/
        finisher``, turns into its error), and a budget that refuses is a 429
        whose ``DisruptionBudget`` cause names it and its counts
        (:func:`~clustersim.kubernetes.controllers.disruption.budget_refusal`). An evicted
        Pod gets the ``DisruptionTarget`` condition (``EvictionByEvictionAPI``) before it is
        deleted (``addConditionAndDeletePod``)."""
        body = self._body(request, "Eviction", interpret=True)
        if body is not None and not isinstance(body, dict):
            raise _unreadable("Eviction", request.body, "json: cannot unmarshal "
                              f"{json_kind(body, numeric_target=False)} into Go value of "
                              f"type {_INTERPRETED}", json_body=True)

        def refuse(why: str) -> HttpError:
            return _cannot_decode("Eviction", "policy/v1", why)

        meta = _eviction_meta(request, body or {}, refuse)
        options = (body or {}).get("deleteOptions")
        if options is not None and not isinstance(options, dict):
            raise refuse(type_error(options, "Eviction.deleteOptions", "v1.DeleteOptions"))
        deleting = _body_delete_options(options, "DeleteOptions.deleteOptions", refuse)
        _field_validation(request, "Eviction", "policy/v1", body or {})
        if meta.get("namespace") not in (None, "", namespace):
            raise HttpError(400, "the namespace of the provided object does not match the "
                            "namespace sent on the request", "BadRequest")
        if self.renderer.terminating:
            self.renderer.namespaces()               # forgets namespaces emptied since
        if namespace in self.renderer.terminating:     # admission, before the REST's Create
            raise new_content_refusal(resource, name, namespace)
        if meta.get("name") != name:
            raise HttpError(400, "name in URL does not match name in Eviction object",
                            "BadRequest")
        _propagate_dry_run(deleting, request.query.get("dryRun") or [])
        _validated_delete_options(deleting)
        pod = self._stored(resource, namespace, name)
        refusal = eviction_refusal(self.cluster, pod)
        if refusal and refusal.cause is None:
            raise HttpError(refusal.code, refusal.message, UNKNOWN_REASON)
        if refusal:
            raise HttpError(refusal.code, refusal.message, "TooManyRequests",
                            causes=[{"reason": "DisruptionBudget", "message": refusal.cause}])
        preconditions = deleting.get("preconditions") or {}
        if any(preconditions.get(key) is not None for key in ("uid", "resourceVersion")):
            _delete_precondition(resource, name, self._one(resource, namespace, name)[0],
                                 preconditions)
        if not deleting.get("dryRun"):      # drain's --grace-period, if given
            # addConditionAndDeletePod: the condition is written, then the Pod deleted;
            # the deletion's write, the larger, is sized first (simplified: upstream the
            # condition's write is sized too, and may fail alone)
            evicted = copy.deepcopy(pod)
            mark_disruption_target(evicted, self.cluster.now)
            self._deletion_size(resource, evicted, self.renderer.shown(evicted, resource),
                                deleting)
            mark_disruption_target(pod, self.cluster.now)
            self._note_moved_deletion(pod, deleting.get("gracePeriodSeconds"))
            self.cluster.delete_pod(pod, deleting.get("gracePeriodSeconds"))
            self._settle()
        return Response.json(201, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                   "status": "Success", "code": 201})


_PROPAGATION = ("Foreground", "Background", "Orphan")
"""``metav1.DeletionPropagation``'s values
(:meth:`~clustersim.kubernetes.apiserver.APIServer.delete_object` follows each)."""


_PATCH_TYPES = ("application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json", "application/apply-patch+yaml")
"""The patch types a built-in resource accepts, in the API installer's order
(``registerResourceHandlers``); another is refused with 415 by ``PatchResource``
(k8s.io/apiserver ``pkg/endpoints/handlers/patch.go``) before anything else is read,
in ``negotiation.NewUnsupportedMediaTypeError``'s words."""


_WRITE_OPTIONS = {"create": "CreateOptions", "update": "UpdateOptions", "patch": "PatchOptions"}
"""The options of a write, named as their validation names them."""


def _check_write_options(request: Request, verb: str) -> None:
    """Refuse a write's options as ``ValidateCreateOptions``, ``ValidateUpdateOptions`` and
    ``ValidatePatchOptions`` do (k8s.io/apimachinery ``pkg/apis/meta/v1/validation``), with a
    422 naming ``CreateOptions.meta.k8s.io`` (or the others), before the body is read: for a
    patch, ``force`` on any but an apply, and an apply without ``fieldManager``; a
    ``fieldManager`` too long or with a character that is not printable
    (:func:`check_field_manager`); a ``dryRun`` other than ``All`` (:func:`_dry_run_problems`);
    a ``fieldValidation`` the server does not know (``ValidateFieldValidation``)."""
    manager = request.arg("fieldManager") or ""
    problems = []
    if verb == "patch" and request.content_type != "application/apply-patch+yaml":
        if request.arg("force") is not None:
            problems.append("force: Forbidden: may not be specified for non-apply patch")
    elif verb == "patch" and not manager:
        problems.append("fieldManager: Required value: is required for apply patch")
    problems += check_field_manager(manager)
    problems += _dry_run_problems(request.query.get("dryRun", []))
    validation = request.arg("fieldValidation")
    if validation not in (None, *_FIELD_VALIDATION):
        supported = ", ".join(map(go_quote, _FIELD_VALIDATION))
        problems.append(f"fieldValidation: Unsupported value: {go_quote(validation)}: "
                        f"supported values: {supported}")
    if problems:
        raise HttpError(422, f'{_WRITE_OPTIONS[verb]}.meta.k8s.io "" is invalid: '
                        f"{aggregate(problems)}", "Invalid")


_FIELD_VALIDATION = ("", "Ignore", "Strict", "Warn")
"""The ``fieldValidation`` values the API server takes (``allowedFieldValidationValues``, in
the order their set lists them)."""


def _dry_run_problems(values: Sequence[str | None]) -> list[str]:
    """``ValidateDryRun`` (k8s.io/apimachinery ``pkg/apis/meta/v1/validation/
    validation.go``): ``All`` is the one value a write's ``dryRun`` may hold, each time it is
    given; any other (``?dryRun=true``, an empty one, a body's ``null``, Go's zero string) is
    refused, the whole ``[]string`` shown in JSON (``["true"]``: ``ErrorBody`` marshals any
    bad value but a plain string, a bool or a number since 1.34). The values are the
    query's or a body's that decoded as a ``[]string`` (:func:`_delete_options_type_error`)."""
    if all(value == "All" for value in values):
        return []
    shown = go_json([value or "" for value in values])
    return [f'dryRun: Unsupported value: {shown}: supported values: "All"']


_DELETE_OPTION_TYPES = {
    "apiVersion": "string", "kind": "string", "gracePeriodSeconds": "int64",
    "preconditions": "v1.Preconditions", "preconditions.uid": "types.UID",
    "preconditions.resourceVersion": "string", "orphanDependents": "bool",
    "propagationPolicy": "v1.DeletionPropagation", "dryRun": "[]string",
}
"""The Go types of ``DeleteOptions``' fields (k8s.io/apimachinery ``pkg/apis/meta/v1/
types.go``; ``TypeMeta``'s two inline), a nested field by its path."""


def _delete_options_type_error(options: dict[str, Any], struct: str,
                               within: str = "") -> str | None:
    """encoding/json's error for the first field of a decoded ``DeleteOptions`` (in the
    body's order, as the decoder reports the first type error) whose JSON type does not fit
    its Go type (:data:`_DELETE_OPTION_TYPES`), naming the Go struct ``struct`` (its JSON
    name from the top down to the field, ``errorContext.FieldStack``, after the innermost
    struct's Go name: ``Preconditions.preconditions.uid``); None if they decode (``null`` is
    the zero value). A ``dryRun`` list's element of another type is named as a ``string``,
    a number an ``int64`` cannot hold by its literal (``literalStore``)."""
    for key, value in options.items():
        go_type = _DELETE_OPTION_TYPES.get(within + key)
        if go_type is None or value is None:
            continue
        if key == "dryRun" and isinstance(value, list):
            bad = next((v for v in value if v is not None and not isinstance(v, str)), None)
            if bad is not None:
                return type_error(bad, f"{struct}.{key}", "string")
        elif key == "preconditions" and isinstance(value, dict):
            _, _, stack = struct.partition(".")
            nested = _delete_options_type_error(
                value, ".".join(["Preconditions", *filter(None, [stack]), key]), key + ".")
            if nested is not None:
                return nested
        elif go_type == "int64" and isinstance(value, int | float) \
                and not isinstance(value, bool):
            if not isinstance(value, int) or not -2**63 <= value < 2**63:
                return (f"json: cannot unmarshal {json_kind(value, numeric_target=True)} "
                        f"into Go struct field {struct}.{key} of type int64")
        elif go_type == "int64" or not isinstance(value, {
                "bool": bool, "[]string": list, "v1.Preconditions": dict}.get(go_type, str)):
            return type_error(value, f"{struct}.{key}", go_type)
    return None


def _dry_run(request: Request) -> bool:
    """Whether a create, update or patch is a dry run (``kubectl --dry-run=server``): its
    ``dryRun`` query parameter (a delete's or an eviction's is the ``dryRun`` of its
    ``DeleteOptions``: :meth:`KubernetesBackend._delete`, :func:`_propagate_dry_run`). A dry
    run goes through validation and admission and is never stored
    (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run)."""
    return bool(request.arg("dryRun"))


def _propagate_dry_run(options: dict[str, Any], dry_run: Sequence[str | None]) -> None:
    """An Eviction's ``deleteOptions`` given the ``dryRun`` of the create's query, as
    ``propagateDryRun`` does (kubernetes/kubernetes ``pkg/registry/core/pod/storage/
    eviction.go``): the query's where the body gives none, the body's where the query gives
    none, and where both do and differ the refusal Go's ``fmt.Errorf`` makes, a 500 (no
    API status; ``%v`` prints a ``[]string`` as ``[All All]``)."""
    given = options.get("dryRun") or []
    if not given:
        if dry_run:
            options["dryRun"] = dry_run
    elif dry_run and list(dry_run) != list(given):
        def shown(values: Sequence[str | None]) -> str:
            return "[" + " ".join(v or "" for v in values) + "]"
        raise HttpError(500, "Non-matching dry-run options in request and content: "
                        f"{shown(dry_run)} and {shown(given)}", UNKNOWN_REASON)


def _body_delete_options(
        body: Any, struct: str = "DeleteOptions",
        refuse: Callable[[str], HttpError] = lambda why: HttpError(400, why, "BadRequest"),
) -> dict[str, Any]:
    """A ``DeleteOptions`` decoded from a body: ``null`` is an empty one, another JSON value
    than an object is the JSON serializer's error as it reads the body's kind
    (``SimpleMetaFactory.Interpret`` decodes it into a struct of ``apiVersion`` and
    ``kind``), and a field of the wrong JSON type the decoder's
    (:func:`_delete_options_type_error`); ``refuse`` answers either (a bare 400 for a
    DELETE's body, since v1.35: ``DeleteResource`` in k8s.io/apiserver
    ``pkg/endpoints/handlers/delete.go``; an Eviction's ``deleteOptions``, whose ``struct``
    is ``DeleteOptions.deleteOptions``, as the Eviction's). A DELETE body's ``kind`` or
    ``apiVersion`` that is no string fails ``Interpret`` first, whose struct has no name
    (``Go struct field .kind of type string``), and one of another kind than
    DeleteOptions cannot be decoded
    (:func:`~clustersim.serve.kubedecoding.delete_options_kind_error`)."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise refuse("couldn't get version/kind; json parse error: json: cannot unmarshal "
                     f"{json_kind(body, numeric_target=False)} into Go value of type "
                     f"{_INTERPRETED}")
    misread = next(((key, value) for key, value in body.items()
                    if key in ("apiVersion", "kind") and value is not None
                    and not isinstance(value, str)), None)
    if struct == "DeleteOptions" and misread is not None:   # Interpret's anonymous struct
        raise refuse("couldn't get version/kind; json parse error: "
                     + type_error(misread[1], f".{misread[0]}", "string"))
    other_kind = delete_options_kind_error(body) if struct == "DeleteOptions" else None
    if other_kind is not None:
        raise refuse(other_kind)
    undecodable = _delete_options_type_error(body, struct)
    if undecodable is not None:
        raise refuse(undecodable)
    return dict(body)


_INTERPRETED = ('struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
                'Kind string "json:\\"kind,omitempty\\"" }')
"""The Go type ``SimpleMetaFactory.Interpret`` decodes a body into, as ``reflect`` prints
it in encoding/json's error (k8s.io/apimachinery ``runtime/serializer/json/meta.go``)."""


def _query_delete_options(request: Request) -> dict[str, Any]:
    """A ``DeleteOptions`` decoded from the query (``?dryRun=All&propagationPolicy=Orphan``),
    which the REST handler reads only when the request has no body
    (``DeleteResource``'s ``DecodeParameters``; an ``int64`` it cannot read is a 400:
    :func:`~clustersim.serve.kubelists.int64_option`). Simplified: of its parameters the
    simulator reads ``dryRun``, ``propagationPolicy`` and ``gracePeriodSeconds``."""
    options: dict[str, Any] = {}
    grace = int64_option(request, "gracePeriodSeconds")
    if grace is not None:
        options["gracePeriodSeconds"] = grace
    if "dryRun" in request.query:
        options["dryRun"] = request.query["dryRun"]
    if request.arg("propagationPolicy"):
        options["propagationPolicy"] = request.arg("propagationPolicy")
    return options



def _check_metadata_update(resource: Resource, name: str, current: dict[str, Any],
                           meta: dict[str, Any]) -> None:
    """``ValidateObjectMetaUpdate`` (k8s.io/apimachinery ``pkg/api/validation/
    objectmeta.go``) of every update, whatever its kind, a Node's (``ValidateNodeUpdate``
    in kubernetes/kubernetes ``pkg/apis/core/validation/validation.go`` starts with it) and a
    default object's included: changed labels, annotations or finalizers are validated as a
    new object's (:func:`~clustersim.manifests.kubernetes.metadata_errors`), a 422."""
    if any(meta.get(f) != current.get(f) for f in ("labels", "annotations", "finalizers")):
        errors = metadata_errors(resource.kind, meta)
        if errors:
            raise _invalid(resource, name, together(errors))


def _decode_node_spec(resource: Resource, obj: dict[str, Any]) -> None:
    """A Node's ``spec`` decoded by its fields' Go types
    (:func:`~clustersim.serve.kubenodes.node_spec_error`, the taints' included: a 400, or
    the 422 of a patch whose result does not decode), then its taints held in ``obj`` as
    Go holds them (a ``null`` taint is a zero ``Taint``, a null field its zero value)."""
    spec = obj.get("spec") or {}
    unreadable = node_spec_error(spec)
    if unreadable:
        raise _undecodable(resource, unreadable)
    if spec.get("taints") is not None:
        spec["taints"] = [{k: v for k, v in (t or {}).items() if v is not None}
                          for t in spec["taints"]]


def _validate_node_spec(node: str, obj: dict[str, Any], writes: NodeWrites | None) -> None:
    """``ValidateNodeUpdate``'s checks of a decoded Node's ``spec``, a 422 each: its taints
    (:func:`_validate_node_taints`), then its pod CIDRs over those ``writes`` kept
    (:func:`~clustersim.serve.kubenodes.node_write_problems`). The registry's
    ``Store.Update`` (k8s.io/apiserver ``pkg/registry/generic/registry/store.go``) runs
    them in ``rest.BeforeUpdate``, after its resourceVersion check: an update of a stale
    version is a 409 Conflict whatever it holds (:func:`_precondition`)."""
    spec = obj.get("spec") or {}
    _validate_node_taints(node, spec.get("taints") or [])
    problems = node_write_problems(writes, spec)
    if problems:
        raise _node_invalid(node, problems)


def _validate_node_taints(node: str, taints: list[dict[str, Any]]) -> None:
    """``validateNodeTaints`` (kubernetes/kubernetes ``pkg/apis/core/validation/
    validation.go``), every taint at its own index, in its order: the key a label name
    (``ValidateLabelName``, one error per problem, the loader's
    :func:`~clustersim.manifests.kubernetes_names.label_key_problems`: a zero taint's ""
    is "name part must be non-empty"), the value a label value (``IsValidLabelValue``, its
    problems joined by ";"), the effect (``validateTaintEffect``: empty is "Required value",
    another than :data:`~clustersim.node.TAINT_EFFECTS` "Unsupported value", its
    ``core.TaintEffect`` shown in JSON as ``ErrorBody`` marshals it since 1.34), then a
    second taint of one key and effect is "Duplicate value", the whole internal
    ``core.Taint`` shown as ``json.Marshal`` writes a struct without json tags (its
    ``TimeAdded`` as sent, null when none was)."""
    problems, seen = [], set()
    for i, taint in enumerate(taints):
        key, value = taint.get("key", ""), taint.get("value", "")
        effect = taint.get("effect", "")
        problems += [f"spec.taints[{i}].key: {invalid(key, why)}"
                     for why in label_key_problems(key)]
        why_not = label_value_problems(value)
        if why_not:
            problems.append(f"spec.taints[{i}].value: {invalid(value, ';'.join(why_not))}")
        if not effect:
            problems.append(f"spec.taints[{i}].effect: Required value")
        elif effect not in TAINT_EFFECTS:
            problems.append(f"spec.taints[{i}].effect: "
                            + unsupported(named(effect), TAINT_EFFECTS))
        if (key, effect) in seen:
            shown = GoStruct(Key=key, Value=value, Effect=effect,
                             TimeAdded=taint.get("timeAdded"))
            problems.append(f"spec.taints[{i}]: Duplicate value: {go_json(shown)}: taints "
                            "must be unique by key and effect pair")
        seen.add((key, effect))
    if problems:
        raise HttpError(422, f'Node "{node}" is invalid: {aggregate(problems)}', "Invalid")


def _validated_delete_options(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` with the deprecated ``orphanDependents: true`` read as the ``Orphan``
    policy, after ``ValidateDeleteOptions`` (k8s.io/apimachinery
    ``pkg/apis/meta/v1/validation``): ``orphanDependents`` (true or false) with a
    propagation policy, a policy other than :data:`_PROPAGATION` and a ``dryRun`` other
    than ``All`` are a 422."""
    policy = options.get("propagationPolicy")
    problems = []
    if options.get("orphanDependents") is not None and policy is not None:
        problems.append("propagationPolicy: " + invalid(
            named(policy), "orphanDependents and deletionPropagation cannot be both set"))
    elif options.get("orphanDependents") is True:
        options["propagationPolicy"] = "Orphan"      # the deprecated field's meaning
    if policy is not None and policy not in _PROPAGATION:
        # a *metav1.DeletionPropagation: ErrorBody marshals it (JSON) since 1.34
        problems.append("propagationPolicy: " + unsupported(named(policy),
                                                            [*_PROPAGATION, "nil"]))
    problems += _dry_run_problems(options.get("dryRun") or [])
    if problems:
        raise HttpError(422, f'DeleteOptions.meta.k8s.io "" is invalid: {aggregate(problems)}',
                        "Invalid")
    return options


def _check_shape(obj: Any, kind: str, name: str) -> None:
    """What the API server's decoding and ``ValidateObjectMeta`` refuse before anything else:
    an object that is not a mapping, and a missing or changed name in ``checkName``'s words
    (k8s.io/apiserver ``pkg/endpoints/handlers/rest.go``, called by ``update.go`` and
    ``patch.go``'s ``applyPatch``). Metadata fields of the wrong JSON type are
    :func:`_decode_object_meta`'s."""
    def invalid(field: str, detail: str) -> HttpError:
        return HttpError(422, f'{kind} "{name}" is invalid: {field}: {detail}', "Invalid")

    if not isinstance(obj, dict) or not isinstance(obj.get("metadata", {}), dict):
        raise invalid("metadata", "Required value: an object with metadata is needed")
    named = obj.get("metadata", {}).get("name")      # checkName, handlers/rest.go
    if not named:
        raise HttpError(400, f"the name of the object ({name} based on URL) was "
                        "undeterminable: name must be provided", "BadRequest")
    if named != name:
        raise HttpError(400, f"the name of the object ({named}) does not match the name on "
                        f"the URL ({name})", "BadRequest")


_NON_NEGATIVE = "must be a non-negative integer"
"""``ValidatePodStatusUpdate``'s words for a negative ``observedGeneration``."""


def _refused_generation(generation: Any) -> bool:
    """Whether an ``observedGeneration`` sent to the status subresource is refused: a
    negative number, or anything but a whole number (absent, null or 0 is none)."""
    if generation is None:
        return False
    return isinstance(generation, bool) or not isinstance(generation, int) or generation < 0


def _pod_conditions(pod: Any, name: str) -> list[dict[str, Any]]:
    """The conditions of a Pod sent to its status subresource (a patch's result, or a PUT's
    body), of which the simulated API server keeps those the kubelet does not own
    (:meth:`~clustersim.kubernetes.apiserver.APIServer.update_pod_conditions`; the rest of
    the status is the kubelet's, which writes it again at once). A list of mappings whose
    ``type`` is a string or missing, else 422; a missing (or null) type decodes as ""
    (Go's zero string). Then ``validatePodConditions`` (``ValidatePodStatusUpdate`` in
    ``pkg/apis/core/validation/validation.go``): each type but PodScheduled, Ready and
    Initialized a qualified name, reported at upstream's own path,
    ``metadata.conditions[i].Type`` ("" is one with an empty name part), each
    ``observedGeneration`` not negative (``metadata.conditions[i].observedGeneration``, the
    system conditions' too), and ``status.observedGeneration`` not negative: ``must be a
    non-negative integer`` (KEP-5067; any other value is let through, a regression too, as
    its writer is the source of truth). Simplified: one that is no whole number is refused
    with the same words (upstream's decoder refuses it before validation)."""
    status = pod.get("status") if isinstance(pod, dict) else None
    status = status if isinstance(status, dict) else {}
    conditions = status.get("conditions")
    if conditions is None:
        conditions = []
    if not (isinstance(conditions, list) and all(
            isinstance(c, dict) and isinstance(c.get("type", ""), str | None)
            for c in conditions)):
        raise HttpError(422, f'Pod "{name}" is invalid: status.conditions: Invalid value: a '
                        "list of conditions, each with a type, is expected", "Invalid")
    problems = []
    for index, condition in enumerate(conditions):
        kind, generation = condition.get("type") or "", condition.get("observedGeneration")
        if _refused_generation(generation):
            problems.append(f"metadata.conditions[{index}].observedGeneration: "
                            f"{invalid(generation, _NON_NEGATIVE)}")
        if kind not in ("PodScheduled", "Ready", "Initialized"):
            problems += [f"metadata.conditions[{index}].Type: {invalid(kind, problem)}"
                         for problem in label_key_problems(kind)]
    if _refused_generation(status.get("observedGeneration")):
        problems.append("status.observedGeneration: "
                        f"{invalid(status['observedGeneration'], _NON_NEGATIVE)}")
    if problems:
        raise HttpError(422, f'Pod "{name}" is invalid: {aggregate(problems)}', "Invalid")
    return conditions


def _wants_table(request: Request) -> bool:
    return "as=Table" in request.headers.get("accept", "")


def _with_status_of(current: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``new`` with the status of ``current``: each kind's ``PrepareForUpdate`` keeps the
    stored status whatever an update of the main resource sends (``newDeployment.Status =
    oldDeployment.Status`` in kubernetes/kubernetes ``pkg/registry/apps/deployment/
    strategy.go``, the same for Pods, Services, Jobs, Nodes...); only the ``status``
    subresource changes it. A stored update takes only the spec and metadata, so this is
    what a dry run answers."""
    kept = {key: value for key, value in new.items() if key != "status"}
    if "status" in current:
        kept["status"] = current["status"]
    return kept


def _precondition(resource: Resource, name: str, current: dict[str, Any], new: Any) -> None:
    """Optimistic concurrency, as the registry's ``Store.Update`` checks it
    (k8s.io/apiserver ``registry/generic/registry/store.go``): an update (a PUT, or a patch
    whose result carries a resourceVersion other than the object's, as ``kubectl label
    --resource-version`` sends) of an object that changed since the version it names is
    refused with 409 Conflict (``errors.NewConflict`` and ``OptimisticLockErrorMsg``); kubectl
    prints ``Error from server (Conflict): Operation cannot be fulfilled on deployments.apps
    "web": the object has been modified; ...``. A scale subresource's version is its
    object's, and the conflict names the object's resource. No version (or ``"0"``) is an
    unconditional update, which every kind served here allows (``AllowUnconditionalUpdate``
    of their strategies; Leases and custom resources do not, and answer 422 ``must be
    specified for an update``). A version that is not a number is the versioner's parse
    error (``APIObjectVersioner.ObjectResourceVersion``, ``storage/api_object_versioner.go``),
    which reaches the client as a 500 without a reason, as upstream."""
    version = _version_number(_asked_version(resource, new.get("metadata")
                                             if isinstance(new, dict) else None))
    if version and version != int(current["metadata"]["resourceVersion"]):
        raise HttpError(409, f'Operation cannot be fulfilled on {resource.qualified()} '
                        f'"{name}": the object has been modified; please apply your changes '
                        "to the latest version and try again", "Conflict", name=name,
                        group=resource.group, kind=resource.plural)


def _delete_precondition(resource: Resource, name: str, current: dict[str, Any],
                         preconditions: dict[str, Any]) -> None:
    """A delete's ``preconditions``: a ``uid`` or ``resourceVersion`` the object does not
    have is a 409 Conflict, which ``BeforeDelete`` answers before anything is deleted
    (k8s.io/apiserver ``pkg/registry/rest/delete.go``), naming the resource by its kind;
    a Namespace's own ``REST.Delete`` (kubernetes/kubernetes ``pkg/registry/core/namespace/
    storage/storage.go``) checks them first, in the storage's words (``Preconditions.Check``,
    k8s.io/apiserver ``pkg/storage/interfaces.go``). Simplified: upstream the storage checks
    them again as it deletes (a ``StorageError`` if the object changed in between); here
    nothing can change in between."""
    meta = current["metadata"]
    for key, words, why in (("uid", "UID", "deleted and then recreated"),
                            ("resourceVersion", "ResourceVersion", "modified")):
        asked, actual = preconditions.get(key), meta.get(key, "")
        if asked is None or asked == actual:
            continue
        if resource.kind == "Namespace":
            raise HttpError(409, f'Operation cannot be fulfilled on namespaces "{name}": '
                            f"Precondition failed: {words} in precondition: {asked}, "
                            f"{words} in object meta: {actual}", "Conflict", name=name,
                            kind="namespaces")
        kind = f"{resource.kind}.{resource.group}" if resource.group else resource.kind
        raise HttpError(409, f'Operation cannot be fulfilled on {kind} "{name}": the {words} '
                        f"in the precondition ({asked}) does not match the {words} in record "
                        f"({actual}). The object might have been {why}", "Conflict",
                        name=name, group=resource.group, kind=resource.kind)


def _version_number(asked: str) -> int:
    """A request's resourceVersion as ``APIObjectVersioner.ObjectResourceVersion`` reads it
    (0 for none); one that is not a number is its ``strconv.ParseUint`` error, which reaches
    the client as a 500 without a reason."""
    if not asked:
        return 0
    try:
        return parse_int(asked, signed=False)
    except NumError as unreadable:
        raise HttpError(500, str(unreadable), UNKNOWN_REASON) from None


def _asked_version(resource: Resource, meta: Any) -> str:
    """The ``metadata.resourceVersion`` of a request's object, empty if none; one that is not
    a string cannot be decoded into ``ObjectMeta`` (400)."""
    asked = meta.get("resourceVersion") if isinstance(meta, dict) else None
    if asked is None or isinstance(asked, str):
        return asked or ""
    raise _undecodable(resource, f"json: cannot unmarshal {json_kind(asked, numeric_target=False)}"
                       " into Go struct field ObjectMeta.metadata.resourceVersion of type string")


_META_DEFAULTED = ("labels", "annotations", "finalizers")
"""The ``ObjectMeta`` maps and lists whose ``null`` values or items decode as Go's zero
value, the empty string, before they are stored."""


def _decode_spec(resource: Resource, obj: dict[str, Any]) -> None:
    """Refuse an object whose ``spec`` is no object with the decoder's 400
    (:func:`~clustersim.serve.kubedecoding.spec_error`)."""
    unreadable = spec_error(obj, resource.kind, resource.group_version)
    if unreadable is not None:
        raise _undecodable(resource, unreadable)


def _decode_object_meta(resource: Resource, meta: Any) -> None:
    """Decode an object's ``metadata`` as the API server's JSON decoder decodes it into
    ``ObjectMeta``, before anything reads or stores it: a field of the wrong JSON type (a
    name that is no string, ``deletionGracePeriodSeconds: "x"``, a label value that is no
    string, a time that is no RFC 3339 time) is refused with 400 in encoding/json's words
    (:func:`~clustersim.serve.kubedecoding.object_meta_error`). A ``null`` label or
    annotation value or finalizer decodes as the empty string. A create decodes its object
    so before it reads the name, namespace or ``generateName``; the object a patch makes is
    refused as ``patch.go`` refuses it (:func:`patch_refusal`)."""
    unreadable = object_meta_error(meta, resource.kind)
    if unreadable is not None:
        raise _undecodable(resource, unreadable)
    for field in _META_DEFAULTED if isinstance(meta, dict) else ():
        value = meta.get(field)
        if isinstance(value, dict):
            meta[field] = {k: v or "" for k, v in value.items()}
        elif isinstance(value, list):
            meta[field] = [v or "" for v in value]


def _uint(text: str) -> int | None:
    """``text`` as Go's ``strconv.ParseUint(text, 10, 64)`` reads it, None where it fails:
    for the checks that pass over a resourceVersion they cannot read."""
    try:
        return parse_int(text, signed=False)
    except NumError:
        return None


_NOT_CONTENT = frozenset({"apiVersion", "kind", "metadata", "status", "spec"})
"""Top-level fields :meth:`KubernetesBackend._update` does not count as a spec-less kind's content
(a ConfigMap's or Secret's ``data`` and ``immutable``, a Role's ``rules``...): the object's
identity, metadata and status, and its spec (compared on its own, defaults filled in). The
content goes to the cluster's one update, as the Python API's does, so that the same
validation (an immutable ConfigMap's, a binding's roleRef) refuses it."""
_UID_SIZED = "00000000-0000-0000-0000-000000000000"
"""A uid's length, for the bytes a create's server metadata takes (:meth:`KubernetesBackend.
_storable`)."""
_LOADED_BY_THE_CLUSTER = frozenset({"PriorityClass"})
"""Kinds whose body the served API hands to the cluster as sent, which loads and checks it
itself; every other kind's the served API loads first (``_validated``), and the cluster then
takes as loaded."""


def _patched(kind: str, current: dict[str, Any], body: Any, validation: str | None) -> Any:
    if kind == "application/json-patch+json":     # decoded strictly unless Ignore is asked
        return json_patch(current, body, strict=validation != "Ignore")
    if not isinstance(body, dict):
        raise HttpError(400, "a patch must be a JSON object", "BadRequest")
    if kind == "application/merge-patch+json":
        return merge_patch(current, body)
    return strategic_patch(current, body)   # or an apply: the others are refused first


def _unreadable(into: str | None, body: bytes, why: str, json_body: bool, *,
                interpret: bool = False) -> HttpError:
    """The 400 of a body the decoder cannot read (its error is ``why``). A create or an
    update wraps it as ``transformDecodeError`` does (k8s.io/apiserver
    ``pkg/endpoints/handlers/rest.go``, called from ``create.go`` and ``update.go``): the
    body's kind is not known when it cannot be read, so the answer names the kind expected,
    then the first 30 bytes of the body, as text if it starts with ``{`` and in hex otherwise
    (``summarizeData``). There the JSON serializer has failed to read the body's
    ``apiVersion`` and ``kind`` first (``SimpleMetaFactory.Interpret``, k8s.io/apimachinery
    ``runtime/serializer/json/meta.go``), which words it ``couldn't get version/kind; json
    parse error: ...``; a YAML body has failed before, in ``yaml.YAMLToJSON``.

    A patch (``into`` None) answers the decoder's error bare, as ``patch.go`` does for a
    strategic merge patch (``errors.NewBadRequest(err.Error())``). Simplified: so do the
    other patch types (Go words a merge patch's or an apply's otherwise). A DeleteOptions
    body (``interpret``) is answered bare too, since v1.35 as a 400 (``DeleteResource`` in
    ``delete.go`` wraps the decoder's error in ``errors.NewBadRequest``, kubernetes/kubernetes
    PR #133358; before, a 500), and the JSON serializer has read its kind first, which
    words a JSON syntax error as for a create."""
    interpreted = "couldn't get version/kind; json parse error: " if json_body else ""
    if into is None:
        return HttpError(400, (interpreted if interpret else "") + why, "BadRequest")
    head = body[:30].decode(errors="replace") if body[:1] == b"{" else body[:30].hex()
    return HttpError(400, f"the object provided is unrecognized (must be of type {into}): "
                     f"{interpreted}{why} ({head}{' ...' if len(body) > 30 else ''})",
                     "BadRequest")


class _NotServedError(HttpError):
    """A path under a group the API server does not serve at all (``/apis/extensions/...``,
    whose last kind, Ingress, was removed in v1.22): no group's handler claims it, and the
    last handler of the delegation chain answers a 404 Status with no details
    (k8s.io/apiserver ``pkg/util/notfoundhandler/not_found_handler.go``), where go-restful's
    404 for an unserved path of a served group carries empty ones."""

    def __init__(self) -> None:
        super().__init__(404, "the server could not find the requested resource", "NotFound")


class _UndecodableError(HttpError):
    """An object the API server cannot decode; ``why`` is the decoder's error, which a
    patch's refusal quotes (:func:`~clustersim.serve.patchrefusal.patch_refusal`)."""

    def __init__(self, message: str, why: str) -> None:
        super().__init__(400, message, "BadRequest")
        self.why = why


def _undecodable(resource: Resource, why: str) -> HttpError:
    """The 400 of an object the API server cannot decode (``runtime.NewStrictDecodingError``
    and encoding/json's type errors, wrapped by the REST handler): kubectl prints ``Error from
    server (BadRequest): ... Deployment in version "v1" cannot be handled as a Deployment:
    ...``. The object a patch makes is refused otherwise (:func:`patch_refusal`)."""
    return _cannot_decode(resource.kind, resource.group_version, why)


@contextmanager
def _patch_refused(request: Request, patch: Any, patched: Any) -> Iterator[None]:
    """Within it, the decoder's refusal of the object a patch made (``patched``, before the
    decoding dropped anything) is ``patch.go``'s 422 (:func:`patch_refusal`): the patch
    handler decodes its result itself (``applyPatchToObject``, ``jsonPatcher.
    applyPatchToCurrentObject``) for every kind and subresource it patches, a ``/scale``'s
    Scale too. An update's or an apply's stays the decoder's 400."""
    try:
        yield
    except _UndecodableError as err:
        if request.method != "PATCH" or request.content_type == "application/apply-patch+yaml":
            raise
        raise patch_refusal(request.content_type, patch, patched, err.why) from None


def _cannot_decode(kind: str, group_version: str, why: str) -> HttpError:
    """:func:`_undecodable` for any ``kind`` of ``group_version`` (a subresource's, such as
    ``Scale`` of ``autoscaling/v1``)."""
    version = group_version.rpartition("/")[2]
    return _UndecodableError(f'{kind} in version "{version}" cannot be handled as a {kind}: '
                             f"{why}", why)


def _object_body(request: Request, body: Any, resource: Resource) -> dict[str, Any]:
    """A create's or an update's body as the JSON serializer decodes it (k8s.io/apimachinery
    ``runtime/serializer/json/json.go``; a YAML body is made JSON first): ``null`` leaves the
    object empty, another value than an object fails its first look at the body's kind
    (``SimpleMetaFactory.Interpret``: ``json: cannot unmarshal array into Go value of type
    struct { APIVersion string ...``, wrapped by :func:`_unreadable`), and a body of
    another kind or version than the endpoint's is refused (:func:`_default_kind`), by the
    create handler and by the update handler alike (``create.go``, ``update.go`` in
    k8s.io/apiserver ``pkg/endpoints/handlers``)."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise _unreadable(resource.kind, request.body, "json: cannot unmarshal "
                          f"{json_kind(body, numeric_target=False)} into Go value of type "
                          f"{_INTERPRETED}", json_body=True)
    _default_kind(request, body, resource)
    return body


def _default_kind(request: Request, body: dict[str, Any], resource: Resource) -> None:
    """Fill in a created object's ``apiVersion`` and ``kind`` as the API server's serializer
    reads them, with the endpoint's as defaults (the create handler decodes with
    ``defaultGVK``, k8s.io/apiserver ``pkg/endpoints/handlers/create.go``; ``gvkWithDefaults``
    in k8s.io/apimachinery ``pkg/runtime/serializer/json/json.go``): a missing kind is the
    endpoint's, a missing apiVersion its group's and version. A body of another kind is
    decoded as that kind, which cannot be converted into the endpoint's (``Converter.Convert``
    in ``pkg/conversion/converter.go``: ``converting (v1.Secret) to (core.ConfigMap): unknown
    conversion``, wrapped by the handler's ``transformDecodeError``); one of the endpoint's
    kind in another group or version is the handler's ``the API version in the data (apps/v1)
    does not match the expected API version (v1)``. Either field of another JSON type than a
    string is the serializer's first look's error (``meta.Interpret``). A kind the scheme
    does not register at the body's version (``Foo``, ``deployment``, a ConfigMap of
    ``apps/v1``, a Deployment of ``v1``) is the decoder's error before either
    (:func:`_unconvertible`)."""
    kind, version = _read_kind(request, body, resource.kind, resource.group_version)
    if kind != resource.kind or not _registered(kind, version):
        raise _unconvertible(kind, version, resource.kind, resource.group)
    if version != resource.group_version:
        raise HttpError(400, f"the API version in the data ({version}) does not match the "
                        f"expected API version ({resource.group_version})", "BadRequest")


def _read_kind(request: Request, body: dict[str, Any], kind: str, group_version: str
               ) -> tuple[str, str]:
    """The body's ``kind`` and ``apiVersion`` as the serializer reads them, filled in with
    the endpoint's ``kind`` and ``group_version`` where missing (:func:`_default_kind`)."""
    for field in ("apiVersion", "kind"):
        value = body.get(field)
        if value is not None and not isinstance(value, str):
            raise _unreadable(kind, request.body, type_error(value, f".{field}", "string"),
                              json_body=True)
    body["kind"] = body.get("kind") or kind
    body["apiVersion"] = body.get("apiVersion") or group_version
    return body["kind"], body["apiVersion"]


def _unconvertible(kind: str, version: str, into: str, group: str) -> HttpError:
    """The 400 of a body of ``kind`` decoded where one of ``into`` (of ``group``) was
    expected, as the create handler's ``transformDecodeError`` wraps the decoder's error
    (k8s.io/apiserver ``pkg/endpoints/handlers/create.go``): a kind its scheme does not
    register at ``version`` cannot be made (``UseOrCreateObject`` calls ``Scheme.New``,
    whose ``notRegisteredErr`` is k8s.io/apimachinery ``pkg/runtime/error.go``: ``no kind
    "Foo" is registered for version "apps/v1" in scheme ...``); one it does is decoded and
    cannot be converted into ``into`` (``converting (v1.Secret) to (core.ConfigMap):
    unknown conversion``)."""
    short = version.rpartition("/")[2]
    why = "" if _registered(kind, version) else (
        f"no kind {go_quote(kind)} is registered for version {go_quote(version)} in scheme "
        f'"{_LEGACY_SCHEME}"')
    internal = group.split(".")[0] or "core"
    return _UndecodableError(f'{kind} in version "{short}" cannot be handled as a {into}: '
                             + (why or f"converting ({short}.{kind}) to ({internal}.{into}): "
                                       "unknown conversion"), why)


def _registered(kind: str, version: str) -> bool:
    """Whether the API server's scheme registers ``kind`` at ``version`` (``group/version``,
    or ``v1`` for the core group, its one version): the kinds the simulator serves, each in
    its group, an Eviction of :data:`_EVICTION_VERSIONS`, the kinds of the unserved
    ``extensions/v1beta1`` (:data:`_EXTENSIONS_V1BETA1`), the options every group version
    registers and the kinds registered at every version (:data:`_IN_EVERY_VERSION`).
    Simplified: a served kind of a
    named group counts as registered at every version of it, where upstream's scheme
    registers some older versions (``apps/v1beta1``) and not others (``apps/v7``, refused as
    not registered upstream, is the version check's refusal here)."""
    group = version.rpartition("/")[0]
    if kind == "Eviction":
        return version in _EVICTION_VERSIONS
    if version == "extensions/v1beta1":
        return kind in _EXTENSIONS_V1BETA1
    if kind in _IN_EVERY_VERSION:
        return True
    return (group != "" or version == "v1") and any(r.kind == kind and r.group == group
                                                     for r in RESOURCES)


_IN_EVERY_VERSION = frozenset({
    "ListOptions", "GetOptions", "DeleteOptions", "CreateOptions", "UpdateOptions",
    "PatchOptions", "WatchEvent", "Status", "APIVersions", "APIGroupList", "APIGroup",
    "APIResourceList"})
"""The kinds ``metav1.AddToGroupVersion`` (k8s.io/apimachinery ``pkg/apis/meta/v1/
register.go``) registers in every group version of a scheme, the options and
``WatchEvent``, and as unversioned kinds, which ``Scheme.New`` makes at any version."""
_EXTENSIONS_V1BETA1 = frozenset({"Deployment", "DaemonSet", "ReplicaSet", "Ingress",
                                 "NetworkPolicy", "Scale", *_IN_EVERY_VERSION})
"""The kinds the API server's scheme still registers in ``extensions/v1beta1``, a group it
no longer serves (k8s.io/api ``extensions/v1beta1/register.go``, installed by
kubernetes/kubernetes ``pkg/apis/extensions/install``): a body of one is decoded, and a
create refuses its version (``the API version in the data (extensions/v1beta1) does not
match ...``) rather than its kind."""
_EVICTION_VERSIONS = ("policy/v1", "policy/v1beta1")
"""The versions of an Eviction the eviction subresource accepts (``AcceptsGroupVersion``,
kubernetes/kubernetes ``pkg/registry/core/pod/storage/eviction.go``), the only ones the
API server's scheme registers the kind in (``pkg/apis/policy/install``)."""
_LEGACY_SCHEME = "pkg/api/legacyscheme/scheme.go:30"
"""The name of the built-in kinds' scheme (``legacyscheme.Scheme``), as
``naming.GetNameFromCallsite`` names it (k8s.io/apimachinery ``pkg/util/naming/
from_stack.go``: a path trimmed to what follows ``/pkg/``) and as the API server's
``no kind ... is registered`` errors print it."""


def _eviction_meta(request: Request, body: dict[str, Any],
                   refuse: Callable[[str], HttpError]) -> dict[str, Any]:
    """The metadata of an Eviction decoded from ``body`` (``{}`` for ``null``): a kind and
    version read as a create's (:func:`_read_kind`, policy/v1 by default); another kind
    cannot be converted into an Eviction (:func:`_unconvertible`), and an Eviction of a
    version other than :data:`_EVICTION_VERSIONS` is the decoder's ``no kind "Eviction" is
    registered for version "policy/v2"`` (``notRegisteredErr``, k8s.io/apimachinery
    ``pkg/runtime/error.go``), which the handler wraps (``transformDecodeError``), as is
    a kind the scheme does not know at its version (a Pod of ``policy/v1``). A
    ``metadata`` that is no object, or a ``name`` or ``namespace`` that is no string, is
    the decoder's type error (``refuse``)."""
    if body:
        kind, version = _read_kind(request, body, "Eviction", "policy/v1")
        if kind != "Eviction" or version not in _EVICTION_VERSIONS:
            raise _unconvertible(kind, version, "Eviction", "policy")
    meta = body.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise refuse(type_error(meta, "Eviction.metadata", "v1.ObjectMeta"))
    for key in ("name", "namespace"):
        value = (meta or {}).get(key)
        if value is not None and not isinstance(value, str):
            raise refuse(type_error(value, f"ObjectMeta.metadata.{key}", "string"))
    return {key: value for key, value in (meta or {}).items() if value is not None}


def _scale_replicas(scale: Any) -> int:
    """``spec.replicas`` of a ``Scale`` (``autoscaling/v1``) sent to a ``/scale``
    subresource, decoded as the API server's JSON decoder reads it into ``ScaleSpec``'s
    ``int32``: a missing or ``null`` value is Go's zero, any other JSON value that is not a
    whole number (a string, a bool, ``1.5``, ``2.0``) is refused with a 400 in
    encoding/json's words, before validation checks the count (a negative one is a 422)."""
    spec = scale.get("spec") if isinstance(scale, dict) else None
    if spec is not None and not isinstance(spec, dict):
        raise _cannot_decode("Scale", "autoscaling/v1", "json: cannot unmarshal "
                             f"{json_kind(spec, numeric_target=False)} into Go struct field "
                             "Scale.spec of type v1.ScaleSpec")
    replicas = (spec or {}).get("replicas")
    if replicas is None:
        return 0
    if isinstance(replicas, bool) or not isinstance(replicas, int):
        literal = json_kind(replicas, numeric_target=True)
        raise _cannot_decode("Scale", "autoscaling/v1", f"json: cannot unmarshal {literal} "
                             "into Go struct field ScaleSpec.spec.replicas of type int32")
    return replicas


def _field_validation(request: Request, kind: str, group_version: str, obj: dict[str, Any]
                      ) -> None:
    """The API server's field validation of a create, update or patch of an object of
    ``kind`` (a subresource's own: a ``/scale``'s Scale, an ``/eviction``'s Eviction, an
    access review), as the request's
    ``fieldValidation`` asks (https://kubernetes.io/docs/reference/using-api/api-concepts/
    #field-validation): the unknown fields (:func:`unknown_fields_meant`, which knows the
    structures a learner writes most) are dropped from ``obj``; ``Strict``, which kubectl
    sends by default, refuses the request instead, naming them all in one error
    (:func:`strict_decoding_error`) in the order the decoder meets them
    (:func:`decoded_order`); ``Warn``, the server's default, records a warning per field,
    each once and at most 100 (:func:`strict_decoding_problems`;
    ``addStrictDecodingWarnings`` in ``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/
    rest.go``), before the object is validated, so that the answer carries them as
    ``Warning`` headers whether it is a success or a refusal (kubectl prints ``Warning:
    unknown field "spec.replica"``); ``Ignore`` drops them silently. Simplified: duplicate
    fields never reach the server (kubectl's YAML-to-JSON conversion keeps the last one); a
    patch whose result has an unknown field is refused as ``patch.go`` refuses it
    (:func:`patch_refusal`)."""
    unknown = decoded_order(unknown_fields_meant(kind, obj, drop=True),
                            request.content_type, request.method == "PATCH")
    mode = request.arg("fieldValidation") or "Warn"
    if not unknown or mode == "Ignore":
        return
    if mode == "Strict":
        raise _cannot_decode(kind, group_version, strict_decoding_error(unknown))
    for problem in strict_decoding_problems(unknown):
        request.warn(problem)


def _with_class_annotation(manifest: dict[str, Any], source: dict[str, Any] | None
                           ) -> dict[str, Any]:
    """``manifest`` with the Ingress class annotation of ``source`` (None: without one)."""
    annotations = {k: v for k, v in (manifest["metadata"].get("annotations") or {}).items()
                   if k != CLASS_ANNOTATION}
    if source is not None:
        annotations[CLASS_ANNOTATION] = source["metadata"]["annotations"][CLASS_ANNOTATION]
    meta = {k: v for k, v in manifest["metadata"].items() if k != "annotations"}
    return {**manifest, "metadata": {**meta, **({"annotations": annotations}
                                                 if annotations else {})}}


def _invalid(resource: Resource, name: str, err: ManifestError) -> HttpError:
    """The 422 of an object the loader refused, as ``errors.NewInvalid`` makes it: every
    field error aggregated into the message (``[a, b]`` for several) and one cause each,
    which kubectl prints one per line; the message names the kind with its group
    (``Deployment.apps``, ``schema.GroupKind.String()``). The loader's file name and hints
    are for files, not for an API answer."""
    errors = [_at_field(e) for e in (err, *err.also)]
    texts = [f"{path}: {message}" if path else message for path, message in errors]
    causes = [{"reason": _cause(message), "message": message, "field": path}
              for path, message in errors]
    kind = f"{resource.kind}.{resource.group}" if resource.group else resource.kind
    return HttpError(422, f'{kind} "{name}" is invalid: {aggregate(texts)}',
                     "Invalid", name=name, group=resource.group, kind=resource.kind,
                     causes=causes)


def _at_field(err: ManifestError) -> tuple[str, str]:
    """A loader's error as (field path, ``field.Error``'s body). One a check of the whole
    object words with its own path, as upstream writes it (a Secret's ``data[tls.key]:
    Required value``, :mod:`~clustersim.manifests.secrettypes`, whose map keys the loader's
    paths would quote), is split at that path."""
    if err.path:
        return err.path, err.message
    field, _, detail = err.message.partition(": ")
    if field and " " not in field and detail.startswith(tuple(ERROR_TYPES)):
        return field, detail
    return "", err.message


def _node_invalid(name: str, problems: list[str]) -> HttpError:
    """``ValidateNodeUpdate``'s 422 for ``problems`` (``path: detail`` each): the message
    aggregates them, each text once (``ToAggregate``), and the details keep one cause each,
    repeats included (``errors.NewInvalid``: two pod CIDRs changed are two causes)."""
    return _field_invalid("Node", name, problems)


def _field_invalid(kind: str, name: str, problems: list[str], group: str = "") -> HttpError:
    """``errors.NewInvalid`` of ``kind`` in ``group`` for ``problems`` (``path: detail``
    each): the message names them as ``GroupKind.String()`` does and aggregates the
    problems, one cause each."""
    causes = [{"reason": _cause(detail), "message": detail, "field": field}
              for field, _, detail in (p.partition(": ") for p in problems)]
    named = f"{kind}.{group}" if group else kind
    return HttpError(422, f'{named} "{name}" is invalid: {aggregate(problems)}', "Invalid",
                     name=name, group=group, kind=kind, causes=causes)


def _cause(detail: str) -> str:
    """The ``CauseType`` of a field error, from the words its body starts with."""
    return next((r for prefix, r in ERROR_TYPES.items() if detail.startswith(prefix)),
                "FieldValueInvalid")


def _not_found(resource: Resource, name: str) -> HttpError:
    return HttpError(404, f'{resource.qualified()} "{name}" not found', "NotFound",
                     name=name, group=resource.group, kind=resource.plural)


def _deleted_status(resource: Resource, before: dict[str, Any]) -> dict[str, Any]:
    """The Status of success ``finalizeDelete`` answers for a deleted object of a kind whose
    registry does not return it (k8s.io/apiserver ``pkg/registry/generic/registry/
    store.go``): its name, group, resource (in ``kind``) and uid."""
    meta = before["metadata"]
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
            "details": _status_details({"name": meta["name"], "group": resource.group,
                                        "kind": resource.plural, "uid": meta.get("uid", "")})}


def _status_details(details: dict[str, Any]) -> dict[str, Any]:
    """``details`` as ``StatusDetails`` writes them (k8s.io/apimachinery
    ``pkg/apis/meta/v1/types.go``): each of its fields is ``omitempty``, so an empty
    ``group`` (the core group's) or ``name``, no ``causes`` and a zero ``retryAfterSeconds``
    are left out. The one place the served API's Status gets its details."""
    return {key: value for key, value in details.items() if value not in ("", None, [], 0)}


def _invalid_details(message: str) -> dict[str, Any] | None:
    """``StatusDetails`` of an Invalid error (``errors.NewInvalid`` in
    ``staging/src/k8s.io/apimachinery/pkg/api/errors``): kind, group, name and each field's
    cause, which kubectl prints as ``The Deployment "web" is invalid: spec.selector: ...``,
    or one line each when the message aggregates several (``[a, b]``). An error of the
    object as a whole (``field.NewPath("")``, written ``: Forbidden: ...``, such as
    ``ValidatePodLogOptions``' for both ``sinceTime`` and ``sinceSeconds``) has a cause
    without a field, which ``StatusCause`` omits when empty."""
    found = _INVALID.match(message)
    if found is None:
        return None
    kind, _, group = found[1].partition(".")
    body = found[3]
    several = body.startswith("[") and body.endswith("]")
    causes = []
    for error in _NEXT_ERROR.split(body[1:-1]) if several else [body]:
        field, colon, detail = error.partition(": ")
        if not colon or not (field or detail.startswith(tuple(ERROR_TYPES))) \
                or any(c.isspace() for c in field):
            return None
        causes.append({"reason": _cause(detail), "message": detail,
                       **({"field": field} if field else {})})
    return {"name": found[2], "group": group, "kind": kind, "causes": causes}


def _not_streamed(sub: str, pod: dict[str, Any]) -> HttpError:
    """The answer to an exec, attach or port-forward request (:data:`_STREAMS`): a 501 Status
    saying that it is not simulated and what to use instead. A real API server upgrades the
    connection and relays a stream between kubectl and the kubelet of the Pod's node, which
    runs the command in the container (through the container runtime) or connects to the
    Pod's port; the simulator runs no container and has no network, so there is nothing to
    stream. kubectl prints the message after ``unable to upgrade connection:``."""
    return HttpError(501, _STREAMS[sub].format(pod=pod["metadata"]["name"]), UNKNOWN_REASON)


@contextmanager
def _refusals(resource: Resource, name: str) -> Iterator[None]:
    """The simulator's refusal of a write as the API server's Status: an admission plugin's
    (:func:`_admission`), or a value it cannot take (a :class:`~clustersim.limits.LimitError`
    such as too many replicas, or another ``ValueError``) as 422 Invalid, the answer a real
    API server gives to a value its validation refuses, but an allocator's internal error
    (:class:`~clustersim.kubernetes.services.InternalError`) as its 500. The one place for
    this mapping, so that no write path lets a refusal through as a 500 naming a Python
    class."""
    try:
        yield
    except AdmissionError as err:
        raise _admission(err, resource, name) from None
    except InternalError as err:        # errors.NewInternalError
        raise HttpError(500, f"Internal error occurred: {err}", "InternalError",
                        causes=[{"message": str(err)}]) from None
    except ValueError as err:
        raise HttpError(422, str(err), "Invalid") from None


def _admission(err: AdmissionError, resource: Resource, name: str) -> HttpError:
    text = str(err)
    if "already exists" in text:
        return HttpError(409, text, "AlreadyExists", name=name, kind=resource.plural)
    if "forbidden" in text:
        return HttpError(403, text, "Forbidden", name=name, kind=resource.plural)
    return HttpError(422, text, "Invalid", name=name, kind=resource.plural)
