"""Checks for the Mesos and Marathon chapter (``book/orchestrators/mesos-marathon.md``).

- :func:`check_offer_verdicts`: which offers Marathon accepts for the next instance of an
  app with ``GROUP_BY`` and ``MAX_PER`` constraints, compared with
  :func:`clustersim.marathon.constraint_accepts` (d2iq-archive/marathon
  ``src/main/scala/mesosphere/mesos/Constraints.scala``).
- :func:`check_rack_constraints`: constraints the learner writes so that six instances run
  two per rack and never two on one agent, deployed with :class:`clustersim.marathon.Marathon`
  on a :class:`clustersim.mesos.MesosCluster`.
- :func:`check_claim_verdicts`: whether six claims of the 2019-era article about Mesos were
  wrong when written or have gone out of date since, from the course's sourced feature data
  (:mod:`clustersim.features`, ``claim_2019``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from clustersim.exercises.answers import choice, keyed, listed
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.feedback import Feedback
from clustersim.features import Cell, load_features
from clustersim.marathon import Marathon, constraint_accepts
from clustersim.marathon.constraints import Constraint, NumberFormatError, field_value
from clustersim.mesos import MesosCluster
from clustersim.node import Node

__all__ = ["CACHE_APP", "CLAIM_FEATURES", "OFFERS", "PLACED", "RACK_AGENTS", "VERDICT_APP",
           "check_claim_verdicts", "check_offer_verdicts", "check_rack_constraints", "claims",
           "deploy_cache", "offer_verdicts"]

VERDICT_APP = {"id": "/shop/cache", "instances": 6,
               "constraints": [["rack", "GROUP_BY", "3"], ["hostname", "MAX_PER", "2"]]}
PLACED = [{"hostname": host, "attributes": {"rack": rack}} for host, rack in (
    ("agent-1", "rack-1"), ("agent-1", "rack-1"), ("agent-3", "rack-2"),
    ("agent-5", "rack-3"), ("agent-5", "rack-3"))]
"""The five instances already running (the sixth is being placed)."""
OFFERS = [{"hostname": host, "attributes": {"rack": rack} if rack else {}} for host, rack in (
    ("agent-1", "rack-1"), ("agent-2", "rack-1"), ("agent-3", "rack-2"), ("agent-4", "rack-2"),
    ("agent-5", "rack-3"), ("agent-6", None))]
"""One offer from each agent; agent-6 has no ``rack`` attribute."""


def offer_verdicts() -> dict[str, list[bool]]:
    """For each offer, whether each of :data:`VERDICT_APP`'s constraints accepts it."""
    return {o["hostname"]: [constraint_accepts(c, o, PLACED, VERDICT_APP["instances"])
                            for c in VERDICT_APP["constraints"]] for o in OFFERS}


@checker("Right: only agent-3 and agent-4. rack-1 and rack-3 already hold their 2 of 6, "
         "agent-1 and agent-5 hold 2 instances each, and agent-6 has no rack to group by.")
def check_offer_verdicts(accepted: object) -> None:
    """``accepted``: the hostnames of :data:`OFFERS` that Marathon can use for the sixth
    instance of :data:`VERDICT_APP`, given :data:`PLACED`."""
    verdicts = offer_verdicts()
    given = set(listed(accepted, list(verdicts), "agent names", example='{"agent-1"}',
                       unknown=lambda name: Wrong(f"No offer comes from {name}.",
                                                  f"The offers come from {', '.join(verdicts)}.")))
    right = {host for host, ok in verdicts.items() if all(ok)}
    if given == right:
        return
    if "agent-6" in given:
        raise Wrong("agent-6's offer is declined.",
                    "An offer without the constraint's attribute fails every operator except "
                    "UNLIKE: agent-6 has no rack.")
    if "agent-2" in given:
        raise Wrong("agent-2's offer is declined.",
                    "GROUP_BY 3 with 6 instances allows 2 per rack, and rack-1 already has 2 "
                    "(both on agent-1). MAX_PER is fine there; GROUP_BY is not. (The rule "
                    "since Marathon's pull request #7206, July 2020, in its 1.11 releases; "
                    "before it, GROUP_BY accepted only the racks with the fewest instances.)")
    if given & {"agent-1", "agent-5"}:
        raise Wrong(f"{', '.join(sorted(given & {'agent-1', 'agent-5'}))}: declined.",
                    "MAX_PER 2 on hostname: that agent already runs 2 instances.")
    raise Wrong(f"{', '.join(sorted(right - given))} would be accepted too.",
                "rack-2 holds only 1 of its 2 instances, and neither of its agents runs 2.")


RACK_AGENTS = {"rack-1": 5, "rack-2": 2, "rack-3": 2}
"""Agents per rack: rack-1 is much bigger than the others."""
CACHE_APP = {"id": "/shop/cache", "cmd": "redis-server --port $PORT0", "cpus": 0.5, "mem": 512,
             "instances": 6}


def _cache_agents() -> list[Node]:
    """The agents of :data:`RACK_AGENTS`, each with its ``rack`` attribute."""
    return [Node(f"{rack}-agent-{i}", cpu=4, memory="8Gi", attributes={"rack": rack})
            for rack, count in RACK_AGENTS.items() for i in range(1, count + 1)]


def deploy_cache(constraints: Any) -> list[Any]:
    """Deploy :data:`CACHE_APP` with ``constraints`` on agents :data:`RACK_AGENTS`; return
    its instances after two simulated minutes."""
    cluster = MesosCluster(_cache_agents(), seed=0)
    marathon = cluster.register(Marathon())
    marathon.deploy({**CACHE_APP, "constraints": constraints}, name=CACHE_APP["id"])
    cluster.run(until=120)
    return [i for i in marathon.instances(CACHE_APP["id"]) if i.state == "Running"]


def _fields_no_agent_has(constraints: list[list[Any]]) -> list[str]:
    """The fields of ``constraints`` that no agent's offer carries (a misspelt ``hostname``,
    an attribute the agents lack): Marathon declines every offer for such a constraint
    unless its operator is UNLIKE (``Constraints.scala``; :func:`field_value`)."""
    places = [{"hostname": agent.name, "attributes": agent.attributes}
              for agent in _cache_agents()]
    return sorted({str(c[0]) for c in constraints if len(c) > 1 and c[1] != "UNLIKE"
                   and all(field_value(str(c[0]), place) is None for place in places)})


@checker("Right.")
def check_rack_constraints(constraints: object) -> Feedback:
    """``constraints``: Marathon constraints for :data:`CACHE_APP` so that its 6 instances run
    2 per rack and at most one per agent."""
    if not isinstance(constraints, list | tuple) or not all(
            isinstance(c, list | tuple) for c in constraints):
        raise Wrong("constraints must be a list of lists, e.g. [[\"hostname\", \"UNIQUE\"]].",
                    "Each constraint is [field, OPERATOR] or [field, OPERATOR, value].")
    constraints = [list(c) for c in constraints]  # JSON arrays, as a tuple would be sent
    try:
        running = deploy_cache(constraints)
    except ValueError as err:  # Marathon's validation rejects the app
        raise Wrong(f"Marathon rejects the app: {err}", "Each constraint is a list of strings, "
                    "[field, OPERATOR] or [field, OPERATOR, value], a number too in quotes "
                    '("3"); operators are UNIQUE, CLUSTER, GROUP_BY, MAX_PER, LIKE, UNLIKE and '
                    "IS.") from None
    per_agent = Counter(i.hostname for i in running)
    per_rack = Counter(i.attributes.get("rack") for i in running)
    if len(running) < CACHE_APP["instances"]:
        missing = _fields_no_agent_has(constraints)
        if missing:
            raise Wrong(f"Only {len(running)} of 6 instances could start: no agent has the "
                        f"attribute {missing[0]!r}.",
                        "Marathon declines every offer without the constraint's field (for all "
                        "operators but UNLIKE). The agent's own name is the field 'hostname'; "
                        "these agents have one attribute, 'rack'.")
        for c in constraints:
            rule = Constraint.parse(c, strict=False)
            if rule.operator == "MAX_PER" and not rule.value:
                raise Wrong(f"Only {len(running)} of 6 instances could start: "
                            f"{NumberFormatError(rule)}.",
                            "Give MAX_PER the most instances per value, a whole number in "
                            'quotes: ["hostname", "MAX_PER", "1"] is one per agent.')
        raise Wrong(f"Only {len(running)} of 6 instances could start.",
                    "Your constraints leave too few acceptable offers: 6 instances need 6 "
                    "agents with one each, 2 in each rack.")
    if max(per_agent.values()) > 1:
        crowded = ", ".join(f"{h} ({n})" for h, n in per_agent.items() if n > 1)
        raise Wrong(f"Some agents run several instances: {crowded}.",
                    'One per agent: ["hostname", "UNIQUE"] (or ["hostname", "MAX_PER", "1"]).')
    if set(per_rack.values()) != {2} or len(per_rack) != len(RACK_AGENTS):
        spread = ", ".join(f"{r}: {n}" for r, n in sorted(per_rack.items()))
        raise Wrong(f"The racks are uneven: {spread}.",
                    'Spread over the rack attribute: ["rack", "GROUP_BY", "3"]. UNIQUE on '
                    "hostname alone fills whatever agents offer first.")
    praise = ("Right: two instances per rack, none sharing an agent. Marathon takes the first "
              "offer that passes every constraint, so without them the offers decide.")
    if any(len(c) == 2 and c[1] == "GROUP_BY" for c in constraints):
        praise += (" Here the offers came from every rack; but GROUP_BY without a count "
                   "spreads only over the values Marathon has seen in offers so far, and "
                   "Marathon's documentation warns that the tasks may then all land on one "
                   'value: give the number of racks, ["rack", "GROUP_BY", "3"].')
    return Feedback(True, praise)


CLAIM_FEATURES = ("shared_network_namespace", "governance", "first_release", "managed_offerings",
                  "internal_load_balancing", "community")
"""Features of the Mesos column whose 2019 claim the exercise asks about (a mix of claims that
were wrong when written and claims that have gone out of date)."""


def claims() -> dict[str, Cell]:
    """``{2019 claim: today's cell}`` for :data:`CLAIM_FEATURES`, in that order."""
    cells = {feature: cell for _, feature, system, cell in load_features().cells()
             if system == "mesos" and feature in CLAIM_FEATURES and cell.claim_2019}
    return {cells[f].claim_2019.claim: cells[f] for f in CLAIM_FEATURES}


_MESOS_VERDICT_WORDS = {
    "garbled": "The case study's garbled is a right fact in mixed-up words; each claim here "
               "was false already in 2019 (wrong) or fair then and changed since (outdated).",
    **dict.fromkeys(("true", "right", "correct"),
                    "Each claim here is flawed: false already in 2019 (wrong), or fair then "
                    "and changed since (outdated)."),
    **dict.fromkeys(("false", "incorrect"),
                    "Both verdicts say false today: was it false already in 2019 (wrong), or "
                    "only since (outdated)?"),
    **dict.fromkeys(("both", "partly", "mixed"),
                    "One verdict per claim: ask first whether it was true when the article "
                    "was written, in 2019."),
    **dict.fromkeys(("out of date", "old", "obsolete", "stale", "changed"),
                    "Fair in 2019 and changed since is the verdict 'outdated'."),
}
"""Words a learner may give a 2019 claim about Mesos that are neither verdict."""


@checker("Right. “Outdated” claims were fair in 2019 and the world moved on (DC/OS ended, "
         "backers left); “wrong” ones were already false then (pods came in 2017).")
def check_claim_verdicts(answer: object) -> None:
    """``answer``: ``{claim: "wrong" or "outdated"}`` for every claim of :func:`claims`."""
    known = claims()
    answer = keyed(answer, known, "claim")
    for claim, cell in known.items():
        given = choice(answer[claim], ("wrong", "outdated"), f"“{claim}”",
                       plausible=_MESOS_VERDICT_WORDS)
        verdict = cell.claim_2019.verdict
        if given == verdict:
            continue
        now = f"Today: {cell.value}. {cell.note} (source: {cell.source})"
        raise Wrong(f"“{claim}” is not {given}.",
                    ("It was not true when the article was written either. " if verdict == "wrong"
                     else "It was a fair description in 2019; what changed is the project. ")
                    + now)
