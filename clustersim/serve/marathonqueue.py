"""The launch queue in Marathon's REST API: ``GET /v2/queue`` and ``DELETE
/v2/queue/<id>/delay`` (d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/api/v2/
QueueResource.scala``, written by ``raml/QueueInfoConversion.scala`` from
``core/launchqueue/LaunchStats.scala``'s statistics; ``docs/docs/rest-api/public/api/v2/
types/queue.raml``): per app still launching, the app, the instances left to launch
(``count``), its backoff ``delay``, ``since`` when it waits, and ``processedOffersSummary``,
what the offers of its launch attempt came to; with ``?embed=lastUnusedOffers``
(``QueueResource.EmbedLastUnusedOffers``) also ``lastUnusedOffers``, each agent's last offer
that launched nothing, the offer as ``raml/OfferConversion.scala`` writes it (``types/
offer.raml``: its resources with their role, the agent's attributes by type), with every
reason it did not match (``reason``, in the matcher's order) and when. A pod waits as a
``QueuePod``, under ``pod``.

A mixin of :class:`~clustersim.serve.marathon.MarathonBackend`: it uses the backend's
``marathon``, ``cluster``, ``times``, ``_app_json`` and ``_pod_json``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from clustersim.marathon import Marathon
from clustersim.marathon.launchqueue import offer_role
from clustersim.marathon.pathid import PathId
from clustersim.marathon.state import REASON_FUNNEL, OfferStats, UnusedOffer
from clustersim.mesos import MesosCluster
from clustersim.mesos.agents import parse_attribute
from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.marathonjson import number
from clustersim.serve.marathonversions import MarathonTime

__all__ = ["MarathonQueue"]

EMBED_LAST_UNUSED_OFFERS = "lastUnusedOffers"
"""The ``embed`` value that adds each item's ``lastUnusedOffers``
(``QueueResource.EmbedLastUnusedOffers``)."""


class MarathonQueue:
    """The launch queue's routes of Marathon's API."""

    marathon: Marathon
    cluster: MesosCluster
    times: MarathonTime

    def _app_json(self, spec_id: str, embed: Collection[str]) -> dict[str, Any]:
        raise NotImplementedError

    def _pod_json(self, spec_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def _queue(self, request: Request, rest: str) -> Response:
        if request.method == "DELETE" and rest.endswith("/delay"):
            spec_id = str(PathId("/" + rest.removesuffix("/delay").strip("/")).resolve())
            if not any(row["id"] == spec_id for row in self.marathon.queue()):
                raise HttpError(404, f"Application {spec_id} not found in tasks queue.")
            self.marathon.reset_delay(spec_id)
            self.cluster.run(until=self.cluster.now)
            return Response(204, b"")
        embed_offers = EMBED_LAST_UNUSED_OFFERS in request.query.get("embed", [])
        items = []
        for row in self.marathon.queue():
            offers = self.marathon.launch_attempt(row["id"])
            item = {**self._run_spec(row["id"]), "count": row["count"],
                    "delay": _queue_delay(row["delay"]),
                    "since": self.times.instant(row["since"]),
                    "processedOffersSummary": self._offers_summary(offers)}
            if embed_offers:
                item["lastUnusedOffers"] = [self._unused_offer(u)
                                            for u in offers.last_offers.values()]
            items.append(item)
        return Response.json(200, {"queue": items})

    def _run_spec(self, spec_id: str) -> dict[str, Any]:
        """What waits, as ``QueueInfoConversion`` writes it by the run spec's type: a
        ``QueueApp``'s ``app`` (``GET /v2/apps/<id>``'s app), a ``QueuePod``'s ``pod`` (the
        pod definition, as ``GET /v2/pods/<id>`` answers it)."""
        if self.marathon.root.kinds.get(spec_id) == "Pod":
            return {"pod": self._pod_json(spec_id)}
        return {"app": self._app_json(spec_id, [])}

    def _offers_summary(self, offers: OfferStats) -> dict[str, Any]:
        """``processedOffersSummary`` (``queue.raml``, ``raml/QueueInfoConversion.scala``):
        the counts of the launch attempt, when an offer was last used and left unused, and
        two funnels of :data:`REASON_FUNNEL` (each reason with the offers it declined and
        those that reached it): over each agent's last unused offer, and over the attempt;
        an offer counts once, under its funnel's reason (``LaunchStats.lastOfferSummary``,
        ``OfferMatchStatistics``)."""
        last: dict[str, int] = {}
        for unused in offers.last_offers.values():
            last[unused.reason] = last.get(unused.reason, 0) + 1
        summary: dict[str, Any] = {"processedOffersCount": offers.processed,
                                   "unusedOffersCount": offers.unused}
        for key, seconds in (("lastUnusedOfferAt", offers.last_unused_at),
                             ("lastUsedOfferAt", offers.last_used_at)):
            if seconds is not None:
                summary[key] = self.times.instant(seconds)
        summary["rejectSummaryLastOffers"] = _funnel(len(offers.last_offers), last)
        summary["rejectSummaryLaunchAttempt"] = _funnel(offers.processed, offers.reasons)
        return summary

    def _unused_offer(self, unused: UnusedOffer) -> dict[str, Any]:
        """One of ``lastUnusedOffers`` (``queue.raml``'s ``UnusedOffer``, written by
        ``QueueInfoConversion``'s ``unusedOfferWrites`` and ``OfferConversion``)."""
        offer = unused.offer
        role = offer_role(offer)
        resources: list[dict[str, Any]] = [
            {"name": name, "role": role, "scalar": number(amount)}
            for name, amount in offer.resources.scalars.items()]
        resources += [{"name": name, "role": role, "ranges": _ranges(ranges)}
                      for name, ranges in offer.resources.ranges.items()]
        attributes = [_attribute(name, str(text)) for name, text in offer.attributes.items()]
        return {"offer": {"id": offer.id, "hostname": offer.hostname, "agentId": offer.agent_id,
                          "resources": resources, "attributes": attributes},
                "reason": list(unused.reasons), "timestamp": self.times.instant(unused.at)}


def _queue_delay(left: float) -> dict[str, Any]:
    """``QueueDelay`` (``queue.raml``) for an app whose backoff holds launches back for
    ``left`` more seconds, counted on whole milliseconds (:meth:`~clustersim.marathon.backoff.
    Backoff.left`; 0 when none is left): ``timeLeftSeconds``, the whole seconds left, cut
    down (``math.max(0, timeLeft.toSeconds)``), and ``overdue``, true once the deadline is
    reached, whether no delay was set or it ran out: from the millisecond the launcher takes
    offers again (``TaskLauncherActor.launchAllowed``, ``launchAllowedAt <= now``).
    d2iq-archive/marathon PR #6886 (MARATHON-8612, April 2019) made an app without a delay
    overdue again after ``LaunchStats`` turned ``backOffUntil`` into an ``Option``; the latest
    ``QueueResourceTest`` stored (1.9 or later: its apps have a ``role``) expects a delay 100 s
    ahead to give 100 and false, one 100 s past 0 and true. Before that change
    ``QueueInfoConversion`` wrote ``overdue`` as ``timeLeft.toSeconds < 0``, false for a
    second after the deadline; the code that replaced it is not in the reference index, so
    the deadline itself is followed here."""
    return {"timeLeftSeconds": int(left), "overdue": left <= 0}


def _funnel(processed: int, declined: dict[str, int]) -> list[dict[str, Any]]:
    """``declinedOfferSteps``: every reason of the funnel with the offers it declined and
    the offers that reached it (``processed`` less those an earlier reason declined)."""
    steps = []
    for reason in REASON_FUNNEL:
        steps.append({"reason": reason, "declined": declined.get(reason, 0),
                      "processed": processed})
        processed -= declined.get(reason, 0)
    return steps


def _ranges(ranges: Any) -> list[dict[str, int]]:
    """Mesos value ranges as ``offer.raml``'s ``NumberRange``s."""
    return [{"begin": begin, "end": end} for begin, end in ranges]


def _attribute(name: str, text: str) -> dict[str, Any]:
    """An agent attribute (Mesos' text syntax) as ``offer.raml``'s ``AgentAttribute``: its
    ``scalar``, ``ranges``, ``set`` or ``text``, by the type Mesos reads it as."""
    kind, value = parse_attribute(name, text)
    if kind == "scalar":
        value = number(value)
    elif kind == "ranges":
        value = _ranges(value)
    elif kind == "set":
        value = list(value)
    return {"name": name, kind: value}
