"""Dated facts: every current version, release, date and status figure the chapters state.

The facts live in ``clustersim/data/facts.yaml``, one entry per fact: the ``value`` printed,
the public ``source`` that states it, the day it was last checked (``as_of``) and an optional
``note``. :func:`substitutions` turns them into MyST substitutions, which
:mod:`clustersim.course.book` hands to the book at build time: a chapter writes ``{{ k8s_minor }}``
(the value) and ``{{ k8s_minor_as_of }}`` (``December 2026``), so that updating a fact is one
edit in one file (https://myst-parser.readthedocs.io/en/latest/syntax/optional.html#substitutions-with-jinja2).

Two checks keep the facts current: :func:`stale` lists the facts older than a given age
(:data:`MAX_AGE_DAYS`), and :func:`typed_versions` finds version numbers typed by hand in
chapter prose. Age is measured two ways: every test run lists the facts older than
:data:`MAX_AGE_DAYS` on the day it runs (``tests/conftest.py``), a reminder that never fails a
run, since a date is no change and an unchanged commit must test the same next year; and a
test fails when a fact was checked more than :data:`MAX_AGE_DAYS` before the newest check in
the file, so that whoever refreshes one fact refreshes the others with it. A version in prose
is allowed only when :data:`HISTORY` names it as a past event (with the reason), or when it
sits in code, where commands and manifests pin what they pin.

A malformed file raises :class:`FactDataError`, which names the fact and the field.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clustersim.features import FeatureMatrix, SourceUrl, load_features
from clustersim.manifests.safe_yaml import load_data

__all__ = [
    "HISTORY",
    "MAX_AGE_DAYS",
    "STATUS_AS_OF",
    "Fact",
    "FactDataError",
    "load_facts",
    "parse_facts",
    "stale",
    "substitutions",
    "typed_versions",
]

DATA_FILE = "facts.yaml"
MAX_AGE_DAYS = 183
"""A status fact older than about six months must be checked again against its source."""
_KEY = re.compile(r"[a-z][a-z0-9_]*")


class FactDataError(ValueError):
    """The fact file cannot be loaded: says which fact and what is wrong."""


class Fact(BaseModel):
    """One dated, sourced fact as chapters print it."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    value: Annotated[str, Field(min_length=1)]
    source: SourceUrl
    as_of: date
    note: str = ""

    def age_days(self, today: date) -> int:
        return (today - self.as_of).days


def parse_facts(data: object, where: str = DATA_FILE) -> dict[str, Fact]:
    """Validate the parsed YAML of a fact file (a mapping of fact name to fact)."""
    if not isinstance(data, dict):
        raise FactDataError(f"{where}: expected a mapping of fact names to facts")
    facts = {}
    for key, entry in data.items():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise FactDataError(f"{where}: fact name {key!r} is not lower_snake_case "
                                "(MyST substitutions need identifiers)")
        if isinstance(entry, dict) and not isinstance(entry.get("value", ""), str):
            entry = {**entry, "value": str(entry["value"])}  # unquoted 2030 → "2030"
        try:
            facts[key] = Fact.model_validate(entry)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "the entry"
            raise FactDataError(f"{where}: fact {key!r}: field {field!r}: {first['msg']}") \
                from None
    return facts


@lru_cache(maxsize=1)
def load_facts() -> dict[str, Fact]:
    """The course's facts, from the packaged ``clustersim/data/facts.yaml``."""
    text = resources.files("clustersim.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_facts(load_data(text, DATA_FILE))


def _month(day: date) -> str:
    return day.strftime("%B %Y")


def substitutions(facts: dict[str, Fact] | None = None,
                  matrix: FeatureMatrix | None = None) -> dict[str, str]:
    """MyST substitutions: ``name`` → value and ``name_as_of`` → ``"December 2026"`` for each
    fact, and ``status_as_of``: the month of the oldest check among the facts and the sourced
    entries of the feature matrix (``matrix``; the course's by default), the one date every
    page gives for the status of the three systems as a whole, since each statement in it was
    checked that month or later."""
    facts = load_facts() if facts is None else facts
    matrix = load_features() if matrix is None else matrix
    result = {}
    for key, fact in facts.items():
        result[key] = fact.value
        result[f"{key}_as_of"] = _month(fact.as_of)
    result[STATUS_AS_OF] = _month(min([f.as_of for f in facts.values()] + matrix.checked()))
    return result


#: The substitution for the date of the systems' status as a whole (:func:`substitutions`).
STATUS_AS_OF = "status_as_of"


def stale(max_age_days: int, today: date, facts: dict[str, Fact] | None = None) -> list[str]:
    """The facts last checked more than ``max_age_days`` before ``today``, one line each."""
    facts = load_facts() if facts is None else facts
    return [f"{key}: {fact.value!r} checked {fact.as_of} ({fact.age_days(today)} days ago) "
            f"against {fact.source}"
            for key, fact in sorted(facts.items()) if fact.age_days(today) > max_age_days]


# A version number in prose names either the present (a fact: use a substitution) or a past
# event. These are the past events the chapters mention; each stays literal, for its reason.
HISTORY: dict[str, str] = {
    "0.9.0": "Mesos' first Apache release (May 2012)",
    "0.14": "Mesos 0.14, the first with cgroups isolation of tasks (2013); Marathon 0.14, its "
            "experimental IP-per-task (January 2016)",
    "0.20": "Mesos 0.20.0 added the Docker containerizer (August 2014)",
    "0.20.0": "Mesos 0.20.0 added the Docker containerizer (August 2014)",
    "0.25": "Mesos 0.25.0, the network isolation primitives IP-per-task first ran on (2015)",
    "0.28": "Mesos 0.28.0 first ran Docker images in its own containerizer (experimental, 2016)",
    "0.28.0": "Mesos 0.28.0 first ran Docker images in its own containerizer (experimental, 2016)",
    "1.0": "first stable releases: Kubernetes v1.0 (July 2015), Mesos 1.0 (July 2016)",
    "1.0.0": "Mesos 1.0.0 (July 2016)",
    "1.4": "Marathon 1.4 introduced pods (2017)",
    "0.1.0": "standalone Docker Swarm's first beta (2015-02-26, docker-archive/classicswarm "
             "CHANGELOG.md)",
    "1.5": "Kubernetes v1.5 introduced the CRI (December 2016); Marathon 1.5 the networks "
           "field (2017)",
    "1.5.1": "Marathon 1.5.1 (2017) made 0 s the default of unreachableStrategy's "
             "inactiveAfterSeconds and expungeAfterSeconds (MARATHON-7576)",
    "1.6": "Marathon 1.6 added the IS constraint operator (2018)",
    "1.8.1": "a Marathon release the 2019 article quoted",
    "1.8.222": "a Marathon release the 2019 article quoted",
    "1.8.244": "Marathon's last 1.8 release (July 2020)",
    "1.9": "Marathon 1.9 gave apps their own Mesos role and refused resident apps of the "
           "role * (2019)",
    "1.9.0": "a Marathon release the 2019 article quoted",
    "1.10": "Marathon 1.10 added resourceLimits, memory and CPU limits above the request "
            "(d2iq-archive/marathon docs/docs/resource-limits.md)",
    "1.10.26": "Marathon's final release (July 2020): history, not a moving fact",
    "1.11": "Marathon 1.11, its last line of builds (shipped with DC/OS 2.2, 2020)",
    "1.11.0": "Mesos' final release (November 2020): history, not a moving fact",
    "1.11.23": "the Marathon build of DC/OS 2.2.0 (October 2020), which the 2.2.1 release "
               "notes' component list still names",
    "1.11.24": "Marathon's last build, shipped in DC/OS 2.2.1 (November 2020; dcos/dcos "
               "CHANGES.md, MARATHON-8771)",
    "2.2.1": "DC/OS 2.2.1 (November 2020), which shipped Marathon 1.11.24",
    "2.2.0": "DC/OS 2.2.0 (October 2020), which shipped Marathon 1.11.23",
    "1.12": "Docker 1.12 brought Swarm mode (July 2016)",
    "1.13": "Kubernetes v1.13, CSI generally available (December 2018)",
    "1.16": "Kubernetes v1.16, the release the 2019 article named (September 2019)",
    "1.21": "Kubernetes v1.21, immutable ConfigMaps and Secrets stable (April 2021)",
    "1.24": "Kubernetes v1.24 removed dockershim and stopped creating a token Secret for every "
            "ServiceAccount (May 2022)",
    "1.25": "Kubernetes v1.25 removed the in-tree Flocker plugin and PodSecurityPolicy (2022)",
    "1.26": "Kubernetes v1.26, Service internalTrafficPolicy stable (December 2022)",
    "1.27": "Kubernetes v1.27, in-place Pod resize alpha (April 2023)",
    "1.29": "Kubernetes v1.29, kube-proxy nftables mode alpha, KMS v2 encryption stable "
            "(December 2023)",
    "1.30": "Kubernetes v1.30, Pod scheduling readiness and ValidatingAdmissionPolicy stable "
            "(April 2024)",
    "1.31": "Kubernetes v1.31 put cgroup v1 support into maintenance mode (August 2024)",
    "1.33": "Kubernetes v1.33 (April 2025): native sidecars and kube-proxy nftables mode stable, "
            "user namespaces on by default, in-place resize beta, HPA configurable tolerance alpha",
    "1.34": "Kubernetes v1.34 (August 2025): Dynamic Resource Allocation stable, its "
            "DynamicResources scheduler plugin on by default",
    "1.35": "Kubernetes v1.35 (December 2025): in-place Pod resize stable, the kubelet refuses "
            "cgroup v1 by default, per-node maximum restart back-off (KEP-5593), the untolerated "
            "taint(s) wording of FailedScheduling. "
            "The oldest supported minor, also 1.35 today, is a fact: {{ k8s_oldest_minor }}",
    "1.36": "Kubernetes v1.36, user namespaces and MutatingAdmissionPolicy stable (April 2026), "
            "NodeResourcesBalancedAllocation scoring the change in a node's balance "
            "(kubernetes#135573)",
    "1.37": "Kubernetes v1.37 (August 2026): the release whose kube-scheduler wording, defaults "
            "and scores the simulator follows and whose API it serves, a fixed property of its "
            "code (clustersim.release.KUBERNETES_VERSION; change the chapters with it). The newest "
            "minor, also 1.37 today, is a fact: {{ k8s_minor }}",
    "19.03": "Docker Engine 19.03, current when the 2019 article was written",
    "19.03.0": "Docker Engine 19.03.0 (July 2019)",
    "20.10": "Docker Engine 20.10 added global-job and replicated-job services (December 2020)",
    "23.0": "Docker Engine 23.0 added CSI cluster volumes (February 2023)",
    "29.0": "Docker Engine 29.0 made the containerd image store the default on fresh "
            "installations (November 2025)",
    "2.0.0": "SwarmKit v2.0.0 (June 2025)",
    "2.1.0": "SwarmKit v2.1.0 (September 2025)",
}

# What looks like a version in prose: a "v1.37"-style token, a number after a product or
# release word, or any three-part number.
_VERSION = re.compile(
    r"(?:\bv|\b(?:Kubernetes|Mesos|Marathon|Nomad|K3s|Engine|Docker|Swarm|SwarmKit|release|"
    r"releases|version|versions|series|minor|patch|Compose|CLI|containerd|kind|minikube|k3d)"
    r"\s+v?)(\d+\.\d+(?:\.\d+)?(?:\+k3s\d+)?)|\b(\d+\.\d+\.\d+(?:\+k3s\d+)?)\b"
)
_CODE_BLOCK = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_INLINE = [re.compile(p, re.M) for p in (r"`[^`\n]*`", r"\]\([^)]*\)", r"<https?://[^>]*>",
                                          r"https?://\S+", r"\{\{[^}]*\}\}")]


def typed_versions(text: str) -> list[tuple[int, str]]:
    """Version numbers typed by hand in the prose of a MyST chapter, as (line, version),
    leaving out code (fenced and inline), link targets, substitutions and :data:`HISTORY`."""
    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    prose = _CODE_BLOCK.sub(blank, text)
    for pattern in _INLINE:
        prose = pattern.sub(blank, prose)
    found = []
    for match in _VERSION.finditer(prose):
        version = match.group(1) or match.group(2)
        if version not in HISTORY:
            found.append((prose.count("\n", 0, match.start()) + 1, version))
    return found

