"""Which of Marathon 1.11's Jersey resources a request reaches, and what Jersey answers
itself before any resource runs: an unknown route, a method the route does not take.

Marathon 1.11 serves its REST API with Jersey 2 (2.27, d2iq-archive/marathon
``project/Dependencies.scala``): one ``ServletContainer`` at ``/*`` over the resources of
``api/RootApplication.scala`` (the event stream ``/v2/events`` is a servlet of its own,
:mod:`.marathonmonitor`). Jersey matches a request as JAX-RS 2.0 section 3.7.2 describes
(eclipse-ee4j/jersey ``core-server/.../internal/routing/PathMatchingRouter.java`` and
``MethodSelectingRouter.java``):

1. the root resource whose ``@Path`` matches the path (``SystemResource``'s ``@Path("")``
   matches any path, and is tried last);
2. among that resource's methods and sub-resource locators, their templates sorted by
   literal characters (most first), then by template variables, then by those with a
   regular expression, the first whose pattern matches the rest of the path: a method's the
   whole rest (one trailing slash allowed), a locator's a prefix, the resource it returns
   matching what is left. Jersey does not come back to try another template, so
   ``GET /v2/apps/x/tasks/y/z`` ends in ``AppTasksResource``, which has no ``{taskId}/...``;
3. no template matches: Jersey throws ``javax.ws.rs.NotFoundException``, a
   ``WebApplicationException`` of status 404, which Marathon's
   ``api/MarathonExceptionMapper.scala`` (its Jersey 2 form) answers with that status and
   the body ``{"message": "URI not found"}`` (its Jersey 1 form had added the path);
4. the template's methods lack the request's: ``NotAllowedException``, which the mapper,
   like every other ``WebApplicationException`` without a body, answers with its status's
   reason phrase, 405 ``{"message": "Method Not Allowed"}``; Jersey serves ``HEAD`` with a
   ``GET`` method;
5. the method's ``@Consumes`` against the ``Content-Type``: 415 for a resource that consumes
   JSON alone (:func:`.marathonquery.json_consumable`, ``AppsResource``'s own methods);
6. only then the method's ``@Produces`` against the ``Accept``: 406
   (:func:`.marathonquery.json_acceptable`), so a method a path does not take answers 405
   whatever the ``Accept``.

The templates are the 1.11 resources' own (``api/v2/AppsResource.scala`` with its locators
for ``AppTasksResource`` and ``AppVersionsResource``, ``GroupsResource``, ``PodsResource``,
``TasksResource``, ``QueueResource``, ``DeploymentsResource``, ``InfoResource``,
``LeaderResource``, ``PluginsResource``, ``api/SystemResource.scala``). Simplified: the
web UI, ``/public/api``'s RAML files, ``/config`` and ``/logging`` are left out, so they
answer as unknown routes; a pod's ``::versions`` and ``::instances`` routes and a group's
``PATCH`` are matched as Marathon matches them but not served (the resource's 404 or 405);
``TRACE``, ``CONNECT`` and any other method reach Jersey through the servlet and answer 405.

``OPTIONS`` Jersey answers itself on every route (:func:`options`): the model processors
give each resource OPTIONS methods of their own (eclipse-ee4j/jersey
``core-server/.../wadl/processor/OptionsMethodProcessor.java`` and
``WadlModelProcessor.java``), 200 with an ``Allow`` header. Marathon leaves WADL on: its
``api/HttpBindings.scala`` wraps ``RootApplication`` in ``ResourceConfig.forApplication``
and sets no ``jersey.config.server.wadl.disableWadl`` (nor does ``RootApplication``).

A path parameter is matched encoded and decoded once matched (:func:`path_param`). A path
with ``.`` or ``..`` segments (``curl --path-as-is``) is read twice, as Jetty 9.4.8 and
Jersey 2.27 read it (:func:`servlet_path`): Jetty picks the servlet by the decoded path made
canonical, and refuses one whose ``..`` climbs above the root (:func:`bad_uri`), while
Jersey's ``ServletContainer`` routes the request URI as sent, so ``/v2/apps/../apps`` reaches
``AppsResource`` with the id ``..`` resolved by Marathon's ``canonicalPath`` but
``/v2/apps/../events`` is the event stream's servlet. A ``%2F`` is taken as Jetty 9.4.8
takes it (its ambiguous-separator refusals came in 9.4.37, jetty/jetty.project issue 6001).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.marathonquery import accepted, compatible

__all__ = ["Route", "allowed_methods", "bad_uri", "method_not_allowed", "options",
           "path_param", "resource_method", "servlet_path", "uri_not_found"]


def path_param(matched: str) -> str:
    """A template variable's value as a resource reads it: Jersey matches the encoded path
    and decodes each ``@PathParam`` value (``UriRoutingContext``, ``UriComponent.decode``
    of type ``PATH``), so ``/v2/apps/x%2Fy`` is the app id ``x/y`` (``/x/y`` once
    Marathon's ``toAbsolutePath`` has read it), whereas ``/v2/apps/x/y/tasks`` routes to
    the tasks of ``x/y``."""
    return unquote(matched)


def servlet_path(path: str) -> str | None:
    """The path Jetty 9.4 maps to a servlet (its ``pathInContext``), or None for one it
    refuses: ``Request.setMetaData`` decodes the request's path and makes it canonical
    (``URIUtil.canonicalPath``: each ``.`` segment dropped, each ``..`` with the segment
    before it; None when a ``..`` climbs above the root), whereas ``getRequestURI``, which
    Jersey's ``ServletContainer.service`` routes, stays the path as sent
    (jetty/jetty.project ``jetty-server/.../server/Request.java``; eclipse-ee4j/jersey
    ``containers/jersey-servlet-core/.../ServletContainer.java``). A path ending in a dot
    segment keeps its trailing slash (``/a/b/..`` is ``/a/``), as the simulator reads
    Jetty's ``canonicalPath``; that case was not checked against Jetty's tests."""
    segments = unquote(path).split("/")
    kept: list[str] = []
    for segment in segments[1:]:
        if segment == "..":
            if not kept:
                return None
            kept.pop()
        elif segment != ".":
            kept.append(segment)
    trailing = "/" if segments[-1] in (".", "..") and kept else ""
    return "/" + "/".join(kept) + trailing


def bad_uri() -> Response:
    """Jetty's answer to a path :func:`servlet_path` refuses: ``setMetaData``'s
    ``BadMessageException(400, "Bad URI")``, which ``HttpChannel.onBadMessage`` answers
    with ``ErrorHandler.badMessageError``'s page and no persistent connection, before any
    servlet or filter runs. Simplified: the status line says ``Bad Request``, not Jetty's
    ``Bad URI``."""
    page = b"<h1>Bad Message 400</h1><pre>reason: Bad URI</pre>"
    return Response(400, page, "text/html;charset=iso-8859-1", {"Connection": "close"})


def uri_not_found() -> HttpError:
    """What Marathon answers a path no resource takes (see the module)."""
    return HttpError(404, "URI not found")


def method_not_allowed() -> HttpError:
    """What Marathon answers a method its route does not take (see the module)."""
    return HttpError(405, "Method Not Allowed")


@dataclass(frozen=True)
class Route:
    """A resource method's path template and HTTP methods, or a sub-resource locator's
    template and the routes of the resource it returns (``routes``); ``json``: whether the
    method ``@Produces`` JSON alone (``/ping`` and a plugin's own paths do not);
    ``consumes_json``: whether it ``@Consumes`` JSON alone (``AppsResource``'s own methods,
    whose class says so; its locators' resources and the other resources are not
    confirmed, and left to the body's reader)."""

    template: str
    methods: frozenset[str] = frozenset()
    routes: tuple[Route, ...] = field(default=())
    json: bool = True
    consumes_json: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        """Jersey's regular expression of the template: ``{name}`` one segment,
        ``{name:regex}`` the regex; a method's matches to the end, a locator's a prefix."""
        parts = re.split(r"(\{[^}]*\})", self.template)
        body = "".join(f"({p[1:-1].partition(':')[2] or '[^/]+'})" if p.startswith("{")
                       else re.escape(p) for p in parts)
        head = "/" + body if self.template else ""
        return re.compile(head + ("(/.*)?" if self.routes else "(/)?"))

    @property
    def order(self) -> tuple[int, int, int]:
        """Jersey's order of templates (most literal characters, then template variables,
        then variables with a regex, first)."""
        variables = re.findall(r"\{[^}]*\}", self.template)
        literal = len(re.sub(r"\{[^}]*\}", "", self.template))
        return (-literal, -len(variables), -sum(":" in v for v in variables))


def _methods(*names: str, template: str = "", json: bool = True,
             consumes_json: bool = False) -> Route:
    return Route(template, frozenset(names), json=json, consumes_json=consumes_json)


def _resource(template: str, *routes: Route) -> Route:
    return Route(template, routes=tuple(sorted(routes, key=lambda r: r.order)))


_ANY_ID = "{id:.+}"
ROOT = _resource(
    "",
    _resource("v2/apps",
              _methods("GET", "POST", "PUT", "PATCH", consumes_json=True),
              _methods("GET", "PUT", "PATCH", "DELETE", template=_ANY_ID, consumes_json=True),
              _methods("POST", template=_ANY_ID + "/restart", consumes_json=True),
              _resource("{appId:.+}/tasks", _methods("GET", "DELETE"),
                        _methods("DELETE", template="{taskId}")),
              _resource("{appId:.+}/versions", _methods("GET"),
                        _methods("GET", template="{version}"))),
    _resource("v2/groups", _methods("GET", "POST", "PUT", "DELETE"),
              _methods("GET", "POST", "PUT", "PATCH", "DELETE", template=_ANY_ID)),
    _resource("v2/pods",
              _methods("HEAD", "POST", "GET"), _methods("GET", template="::status"),
              _methods("GET", "PUT", "DELETE", template=_ANY_ID),
              *(_methods("GET", template=_ANY_ID + suffix)
                for suffix in ("::status", "::versions", "::versions/{version}")),
              *(_methods("DELETE", template=_ANY_ID + suffix)
                for suffix in ("::instances", "::instances/{instanceId}"))),
    _resource("v2/tasks", _methods("GET"), _methods("POST", template="delete")),
    _resource("v2/queue", _methods("GET"), _methods("DELETE", template="{appId:.+}/delay")),
    _resource("v2/deployments", _methods("GET"), _methods("DELETE", template="{id}")),
    _resource("v2/info", _methods("GET")),
    _resource("v2/leader", _methods("GET", "DELETE")),
    _resource("v2/plugins", _methods("GET"),
              _methods("GET", "HEAD", "PUT", "POST", "DELETE",
                       template="{pluginId}/{path:.+}", json=False)),
    _methods("GET", template="ping", json=False),
    _methods("GET", template="metrics"),
)
"""Marathon 1.11's resources as Jersey matches them (see the module): the root resources
are the routes of one resource of template ``""``, ``SystemResource``'s ``ping`` and
``metrics`` among them."""


def resource_method(path: str, method: str) -> Route:
    """The resource method Jersey calls for ``method`` on ``path``, or its refusal: 404
    ``URI not found`` when no route takes the path, 405 ``Method Not Allowed`` when the
    route does not take the method (``HEAD`` goes to a ``GET``, ``OPTIONS`` to
    :func:`options`)."""
    routes, rest = ROOT.routes, path
    while True:
        found = next(((r, m) for r in routes if (m := r.pattern.fullmatch(rest))), None)
        if found is None:
            raise uri_not_found()
        route, match = found
        if not route.routes:
            if method not in allowed_methods(route):
                raise method_not_allowed()
            return route
        routes, rest = route.routes, match.group(route.pattern.groups) or ""


_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
"""The order a resource lists its methods in, for two that share a bucket of
:func:`allowed_methods`' hash set (``PUT`` and ``PATCH``): the order the simulator's routes
name them, which is not confirmed to be Jersey's (a resource's methods come from Java
reflection)."""


def _java_bucket(name: str) -> int:
    """The bucket of a ``java.util.HashSet`` of default capacity (16) that holds ``name``:
    ``String.hashCode`` (``s[0]*31^(n-1) + ... + s[n-1]`` in 32 bits), spread by
    ``HashMap.hash`` (``h ^ (h >>> 16)``) and masked to the table."""
    code = 0
    for char in name:
        code = (31 * code + ord(char)) & 0xFFFFFFFF
    return (code ^ (code >> 16)) & 15


def allowed_methods(route: Route) -> list[str]:
    """The methods Jersey allows on ``route``, in the order its ``Allow`` header lists them
    (``ModelProcessorUtil.getAllowedMethods``: the resource's methods, then ``OPTIONS``,
    then ``HEAD`` when it has a ``GET``, gathered in a ``HashSet``, whose order is its
    buckets' and, within one, the order the methods went in)."""
    names = sorted(route.methods, key=_METHOD_ORDER.index)
    names += ["OPTIONS"] + (["HEAD"] if "GET" in route.methods and "HEAD" not in names else [])
    return sorted(names, key=_java_bucket)    # sorted() is stable: a bucket keeps its order


_WADL = "application/vnd.sun.wadl+xml"


def options(route: Route, request: Request) -> Response:
    """Jersey's answer to ``OPTIONS`` on ``route`` (see the module): 200 with ``Allow``, the
    allowed methods joined by commas (``OutboundJaxrsResponse.Builder.allow``). Of the
    three OPTIONS methods Jersey adds, the ``Accept`` picks one (its ``q`` values are not
    weighed here): a range that admits ``text/plain`` and none that admits WADL the
    plain-text one, whose body lists the methods as Java prints a set
    without its brackets (``OptionsMethodProcessor.PlainTextOptionsInflector``); a range
    neither text nor WADL admits (``application/json``) the generic one, an empty body
    typed as the first acceptable media type (``GenericOptionsInflector``). Simplified: a
    range that admits WADL (``*/*``, curl's default, or ``application/*``) gets the
    resource's WADL document from Marathon, ``application/vnd.sun.wadl+xml`` with a
    ``Last-modified`` header (``WadlModelProcessor.OptionsHandler``); the simulator writes
    no WADL and answers it with ``Allow`` and an empty body, without a type. That ``*/*``
    (or no ``Accept``) gets the WADL rather than the plain text is what Jersey 2 users
    report (eclipse-ee4j/jersey issue 3133: an OPTIONS without ``Accept`` answered with the
    resource's WADL under Jersey 2.17); it was not worked out from
    ``MethodSelectingRouter``'s ordering of equally specific methods."""
    methods = allowed_methods(route)
    headers = {"Allow": ",".join(methods)}
    ranges = accepted(request) or ["*/*"]
    if any(compatible(media, _WADL) for media in ranges):
        return Response(200, b"", "", headers)
    if any(compatible(media, "text/plain") for media in ranges):
        return Response(200, ", ".join(methods).encode(), "text/plain", headers)
    return Response(200, b"", ranges[0], headers)
