"""The decision helper: rank the orchestrators for a situation, explain why, flag retired projects.

The method is a weighted sum (simple additive weighting, the plainest multi-criteria decision
method). Each system has a score of 0-5 per criterion, stored in ``clustersim/data/
features.yaml`` with a justification and a source; the reader gives each criterion a weight of
0-5. A system's points are ``sum(weight * score)``, and its share is
``points / (5 * sum(weights))``, the fraction of the best possible result.

The criteria are the four of the 2019-era article (container networking/CNI, simplicity,
active development, independence from one cloud provider) plus ecosystem and managed
offerings, batch and data workloads, scale, team skills and maintenance status.

Honesty about retired projects does not depend on the weights: every ranking that includes a
retired system (Mesos, in the Apache Attic since 2025-10-10; Marathon, unmaintained since
2021) carries a warning, and the recommendation is the best system that is *not* retired.
A real decision also weighs what no score captures (existing clusters, contracts, the
workloads' own needs); the helper makes the trade-offs visible, it does not replace judgement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clustersim.features import FeatureMatrix, load_features
from clustersim.numeric import is_whole

__all__ = [
    "MAX_WEIGHT",
    "Contribution",
    "Decider",
    "Recommendation",
    "SystemResult",
    "check_weights",
    "preset_weights",
    "rank",
]

MAX_WEIGHT = 5
MAX_SCORE = 5


@dataclass(frozen=True)
class Contribution:
    """One criterion's part in one system's result: ``points = weight * score``."""

    criterion: str
    name: str
    weight: int
    score: int
    why: str
    source: str

    @property
    def points(self) -> int:
        return self.weight * self.score


@dataclass(frozen=True)
class SystemResult:
    """One system's total under the given weights, with the contribution of every criterion."""

    system: str
    name: str
    retired: bool
    contributions: tuple[Contribution, ...]

    @property
    def points(self) -> int:
        return sum(c.points for c in self.contributions)

    @property
    def possible(self) -> int:
        return MAX_SCORE * sum(c.weight for c in self.contributions)

    @property
    def share(self) -> float:
        """Points as a fraction (0-1) of the best possible result under these weights."""
        return self.points / self.possible

    def __repr__(self) -> str:
        retired = ", retired" if self.retired else ""
        return f"SystemResult({self.system!r}, {self.points} of {self.possible} points{retired})"


@dataclass(frozen=True)
class Decider:
    """A criterion on which the recommended system and its strongest rival differ."""

    criterion: str
    name: str
    margin: int  # points of the recommended system minus points of the rival


@dataclass(frozen=True)
class Recommendation:
    """A ranking, the recommended system, what decided it and the warnings that always apply."""

    weights: dict[str, int]
    ranking: tuple[SystemResult, ...]
    recommended: SystemResult | None
    rival: SystemResult | None
    deciders: tuple[Decider, ...]  # where the recommended system gains, largest first
    against: tuple[Decider, ...]  # where the rival gains, largest first
    warnings: tuple[str, ...]

    def __repr__(self) -> str:
        """One line: the ranking with shares; the details stay in the fields."""
        ranked = ", ".join(
            f"{r.name} {r.share:.0%}{' (retired)' if r.retired else ''}" for r in self.ranking
        )
        best = self.recommended.name if self.recommended else "none"
        return f"<Recommendation: {best}; ranking {ranked}; .explanation() says why>"

    @property
    def tie(self) -> bool:
        return bool(self.recommended and self.rival
                    and self.recommended.points == self.rival.points)

    def explanation(self) -> str:
        """The recommendation in a few plain sentences."""
        best, rival = self.recommended, self.rival
        if best is None:
            return "Every system compared is retired, so none is recommended."
        text = f"{best.name} is recommended with {best.share:.0%} of the possible points"
        if rival is None:
            return text + " (it is the only system compared)."
        if self.tie:
            return (
                f"{best.name} and {rival.name} tie at {best.share:.0%}: the scores cannot "
                "separate them, so decide on what they leave out (the clusters and skills you "
                "already have, the workloads' own needs)."
            )
        relation = "ahead of" if best.points > rival.points else "behind"
        text += f", {relation} {rival.name} ({rival.share:.0%}"
        text += ", retired)." if rival.retired else ")."
        if best.points < rival.points:
            text += f" {rival.name} scores higher but is retired, so it is not recommended."
        if self.deciders:
            text += " What decided it: " + _list_margins(self.deciders[:3]) + "."
        if self.against:
            text += f" {rival.name} does better on " + _list_margins(self.against[:2]) + "."
        return text


def _list_margins(deciders: Iterable[Decider]) -> str:
    return ", ".join(
        f"{d.name[:1].lower()}{d.name[1:]} ({abs(d.margin):+d} points)" for d in deciders
    )


def preset_weights(preset: str, matrix: FeatureMatrix | None = None) -> dict[str, int]:
    """The weights of a named preset (its id or its name, any case)."""
    matrix = matrix or load_features()
    wanted = " ".join(preset.casefold().split())
    for preset_id, item in matrix.presets.items():
        if wanted in (preset_id, item.name.casefold()):
            return dict(item.weights)
    known = ", ".join(repr(p.name) for p in matrix.presets.values())
    raise ValueError(f"unknown preset {preset!r}: choose from {known}")


def check_weights(
    weights: Mapping[str, float], matrix: FeatureMatrix | None = None
) -> dict[str, int]:
    """Weights for every criterion (id or name as key; missing ones are 0), checked whole
    numbers 0-5 (a whole-valued float such as 5.0 is the weight 5)."""
    matrix = matrix or load_features()
    by_name = {c.name.casefold(): c_id for c_id, c in matrix.criteria.items()}
    result = dict.fromkeys(matrix.criteria, 0)
    for key, weight in weights.items():
        crit_id = key if key in matrix.criteria else by_name.get(str(key).casefold())
        if crit_id is None:
            known = ", ".join(matrix.criteria)
            raise ValueError(f"unknown criterion {key!r}: choose from {known}")
        if not is_whole(weight):  # 5, 5.0 or numpy.int64(5), as the exercises take them
            raise ValueError(f"the weight of {key!r} must be a whole number 0-{MAX_WEIGHT}, "
                             f"not {weight!r}")
        weight = int(weight)
        if not 0 <= weight <= MAX_WEIGHT:
            raise ValueError(f"the weight of {key!r} is {weight}: use 0 (ignore) to "
                             f"{MAX_WEIGHT} (decisive)")
        result[crit_id] = weight
    if not any(result.values()):
        raise ValueError("every weight is 0: give at least one criterion a weight above 0")
    return result


def _result(matrix: FeatureMatrix, system: str, weights: dict[str, int]) -> SystemResult:
    contributions = tuple(
        Contribution(crit_id, criterion.name, weights[crit_id], criterion.scores[system].score,
                     criterion.scores[system].why, criterion.scores[system].source)
        for crit_id, criterion in matrix.criteria.items()
    )
    info = matrix.systems[system]
    return SystemResult(system, info.name, info.retired, contributions)


def _warnings(matrix: FeatureMatrix, ranking: tuple[SystemResult, ...],
              recommended: SystemResult | None) -> tuple[str, ...]:
    warnings = [
        f"{r.name} is retired. {matrix.systems[r.system].status_note}"
        for r in ranking if r.retired
    ]
    if ranking and ranking[0].retired and recommended is not None:
        warnings.append(
            f"{ranking[0].name} has the most points under these weights, but a retired "
            f"project gets no fixes: the recommendation is {recommended.name}, the "
            "best-scoring system that is still maintained."
        )
    return tuple(warnings)


def rank(
    weights: Mapping[str, float],
    systems: Iterable[str] | None = None,
    matrix: FeatureMatrix | None = None,
) -> Recommendation:
    """Rank ``systems`` (all by default) under ``weights`` and explain the outcome.

    Ties keep the order of the data file. The recommended system is the best that is not
    retired; its rival is the best other system, retired or not.
    """
    matrix = matrix or load_features()
    weights = check_weights(weights, matrix)
    ids = matrix.resolve_systems(systems)
    results = [_result(matrix, s, weights) for s in ids]
    ranking = tuple(sorted(results, key=lambda r: -r.points))  # stable: file order on ties
    recommended = next((r for r in ranking if not r.retired), None)
    rival = next((r for r in ranking if r is not recommended), None)
    deciders: tuple[Decider, ...] = ()
    against: tuple[Decider, ...] = ()
    if recommended is not None and rival is not None:
        margins = [
            Decider(mine.criterion, mine.name, mine.points - theirs.points)
            for mine, theirs in zip(recommended.contributions, rival.contributions, strict=True)
        ]
        deciders = tuple(sorted((d for d in margins if d.margin > 0), key=lambda d: -d.margin))
        against = tuple(sorted((d for d in margins if d.margin < 0), key=lambda d: d.margin))
    return Recommendation(weights, ranking, recommended, rival, deciders, against,
                          _warnings(matrix, ranking, recommended))
