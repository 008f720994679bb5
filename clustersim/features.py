"""The feature matrix: a sourced, dated comparison of Docker Swarm, Kubernetes and Mesos + Marathon.

The data lives in ``clustersim/data/features.yaml``; this module is its schema (pydantic v2),
its loader and the questions the comparison widget and the decision helper ask of it.

Every cell of the matrix (one feature of one system) carries a value, a short note, a source
URL and the date it was last checked (``as_of``). Where the 2019-era article the course grew
from said something else, ``claim_2019`` paraphrases that claim with its verdict and the row
of ``../shared/facts/seed-factcheck.md`` that checks it. The same file holds the decision
criteria (a 0-5 score per system, each justified and sourced) and named presets of weights.

A malformed file raises :class:`FeatureDataError`, whose message names the place in the
file in the data's own terms: ``category 'storage', feature 'persistent_storage', system
'kubernetes': field 'source' is missing``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from clustersim.manifests.errors import ManifestError
from clustersim.manifests.safe_yaml import load_data

__all__ = [
    "LEVEL_LABELS",
    "Category",
    "Cell",
    "Claim2019",
    "Criterion",
    "Feature",
    "FeatureDataError",
    "FeatureMatrix",
    "FeatureRow",
    "Preset",
    "Score",
    "System",
    "load_features",
    "parse_features",
]

DATA_FILE = "features.yaml"

Level = Literal["built_in", "add_on", "limited", "none"]
LEVEL_LABELS: dict[str, str] = {
    "built_in": "built in",
    "add_on": "needs an add-on",
    "limited": "limited",
    "none": "none",
}


class FeatureDataError(ValueError):
    """The feature data cannot be loaded: says which file, which entry and what is wrong."""


def _https_url(text: str) -> str:
    if not re.fullmatch(r"https://[^\s/]+\.[^\s/]+(/\S*)?", text):
        raise ValueError(f"{text!r} is not an https:// URL")
    return text


Text = Annotated[str, Field(min_length=1)]
SourceUrl = Annotated[str, AfterValidator(_https_url)]
ScoreValue = Annotated[int, Field(ge=0, le=5)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Sourced(_Model):
    """Anything stated as a fact: where it comes from and when it was last checked."""

    source: SourceUrl
    as_of: date


class Claim2019(_Model):
    """What the 2019-era article claimed, paraphrased, and how the fact-check judged it."""

    claim: Text
    verdict: Literal["outdated", "wrong", "garbled"]
    factcheck_row: Annotated[int, Field(ge=1)]


class Cell(_Sourced):
    """One feature of one system."""

    value: Text
    note: Text
    level: Level | None = None
    claim_2019: Claim2019 | None = None

    def plain_value(self) -> str:
        """The value with case and spacing normalised, for comparing cells."""
        return " ".join(self.value.casefold().split())


class Feature(_Model):
    """One row of the matrix: a feature and its cell for every system."""

    name: Text
    cells: dict[str, Cell]

    def differs(self, systems: Iterable[str]) -> bool:
        """Whether the chosen systems differ on this feature.

        Cells compare by ``level`` when every chosen cell has one (two systems that both
        have a feature built in agree, however they word it), otherwise by value.
        """
        cells = [self.cells[s] for s in systems]
        by_level = all(c.level for c in cells)
        return len({c.level if by_level else c.plain_value() for c in cells}) > 1

    def matches(self, words: str, systems: Iterable[str]) -> bool:
        """Whether every word of ``words`` occurs (case-insensitively) in the feature's text."""
        haystack = [self.name]
        for s in systems:
            cell = self.cells[s]
            haystack += [cell.value, cell.note, cell.claim_2019.claim if cell.claim_2019 else ""]
        text = " ".join(haystack).casefold()
        return all(word in text for word in words.casefold().split())


class Category(_Model):
    """A group of features, e.g. "Storage" or "The orchestrator's jobs"."""

    title: Text
    features: dict[str, Feature]


class System(_Sourced):
    """An orchestrator, its other names and its maintenance status."""

    name: Text
    aliases: tuple[str, ...] = ()
    status: Literal["active", "maintained", "retired"]
    status_note: Text

    @property
    def retired(self) -> bool:
        return self.status == "retired"


class Score(_Sourced):
    """How well one system meets one decision criterion (0-5), and why."""

    score: ScoreValue
    why: Text


class Criterion(_Model):
    """A decision criterion with a score per system."""

    name: Text
    question: Text
    classic: bool
    scores: dict[str, Score]


class Preset(_Model):
    """A named situation: a weight (0-5) for every criterion."""

    name: Text
    description: Text
    weights: dict[str, ScoreValue]


@dataclass(frozen=True)
class FeatureRow:
    """A feature as the comparison shows it: where it lives and the feature itself."""

    category: str
    key: str
    feature: Feature


class FeatureMatrix(_Model):
    """The whole data file: systems, categories of features, criteria and presets."""

    systems: dict[str, System]
    categories: dict[str, Category]
    criteria: dict[str, Criterion]
    presets: dict[str, Preset]

    @model_validator(mode="after")
    def _complete(self) -> FeatureMatrix:
        systems = list(self.systems)
        for cat_id, category in self.categories.items():
            for feat_id, feature in category.features.items():
                _same_keys(
                    feature.cells, systems, f"category {cat_id!r}, feature {feat_id!r}", "system"
                )
        for crit_id, criterion in self.criteria.items():
            _same_keys(criterion.scores, systems, f"criterion {crit_id!r}", "system")
        for preset_id, preset in self.presets.items():
            _same_keys(preset.weights, list(self.criteria), f"preset {preset_id!r}", "criterion")
        return self

    # -- names -------------------------------------------------------------------------------

    def resolve_system(self, name: str) -> str:
        """The id of the system called ``name`` (its id, name or an alias, any case)."""
        wanted = " ".join(str(name).casefold().split())
        for sys_id, system in self.systems.items():
            names = {sys_id, system.name.casefold(), *(a.casefold() for a in system.aliases)}
            if wanted in names:
                return sys_id
        known = ", ".join(s.name for s in self.systems.values())
        raise ValueError(f"unknown system {name!r}: choose from {known}")

    def resolve_systems(self, names: Iterable[str] | None = None) -> list[str]:
        """System ids for ``names`` in the order given (all systems when ``None``)."""
        if names is None:
            return list(self.systems)
        ids = list(dict.fromkeys(self.resolve_system(n) for n in _names(names, "systems")))
        if not ids:
            raise ValueError("no system chosen: choose at least one system to compare")
        return ids

    def resolve_categories(self, names: Iterable[str] | None = None) -> list[str]:
        """Category ids for ``names`` (id or title, any case), in the file's order."""
        if names is None:
            return list(self.categories)
        names = _names(names, "categories")
        lookup = {}
        for cat_id, category in self.categories.items():
            lookup[cat_id] = cat_id
            lookup[category.title.casefold()] = cat_id
        chosen = set()
        for name in names:
            key = " ".join(str(name).casefold().split())
            if key not in lookup:
                known = ", ".join(c.title for c in self.categories.values())
                raise ValueError(f"unknown category {name!r}: choose from {known}")
            chosen.add(lookup[key])
        if not chosen:
            raise ValueError("no category chosen: choose at least one category")
        return [c for c in self.categories if c in chosen]

    # -- questions ---------------------------------------------------------------------------

    def rows(
        self,
        systems: Iterable[str] | None = None,
        categories: Iterable[str] | None = None,
        *,
        only_differences: bool = False,
        changed_since_2019: bool = False,
        search: str = "",
    ) -> list[FeatureRow]:
        """The features to show, in file order, filtered as the comparison widget asks.

        ``only_differences`` keeps features on which the chosen systems differ;
        ``changed_since_2019`` keeps features where a chosen system's cell records a 2019
        claim that no longer holds; ``search`` keeps features whose name, values, notes or
        2019 claims contain every word given.
        """
        sys_ids = self.resolve_systems(systems)
        cat_ids = self.resolve_categories(categories)
        rows = []
        for cat_id in cat_ids:
            for key, feature in self.categories[cat_id].features.items():
                if only_differences and not feature.differs(sys_ids):
                    continue
                if changed_since_2019 and not any(
                    feature.cells[s].claim_2019 for s in sys_ids
                ):
                    continue
                if search.strip() and not feature.matches(search, sys_ids):
                    continue
                rows.append(FeatureRow(cat_id, key, feature))
        return rows

    def cells(self) -> list[tuple[str, str, str, Cell]]:
        """Every cell as ``(category, feature, system, cell)``."""
        return [
            (cat_id, feat_id, sys_id, cell)
            for cat_id, category in self.categories.items()
            for feat_id, feature in category.features.items()
            for sys_id, cell in feature.cells.items()
        ]

    def checked(self) -> list[date]:
        """The date each sourced entry was last checked: systems, cells and scores."""
        return ([system.as_of for system in self.systems.values()]
                + [cell.as_of for _, _, _, cell in self.cells()]
                + [score.as_of for criterion in self.criteria.values()
                   for score in criterion.scores.values()])

    def retired(self) -> list[str]:
        """Ids of the systems whose projects are retired."""
        return [s for s, system in self.systems.items() if system.retired]


def _names(names: Iterable[str] | str, what: str) -> list[str]:
    """A list of names from one name or an iterable of names; anything else is refused."""
    if isinstance(names, str):
        return [names]
    try:
        return [str(n) for n in names]
    except TypeError:
        raise ValueError(f"{what} must be a name or a list of names, not {names!r}") from None


def _same_keys(given: dict[str, Any], wanted: list[str], where: str, what: str) -> None:
    missing = [k for k in wanted if k not in given]
    unknown = [k for k in given if k not in wanted]
    if missing:
        raise ValueError(f"{where}: no entry for {what} {missing[0]!r}")
    if unknown:
        raise ValueError(
            f"{where}: unknown {what} {unknown[0]!r} (known: {', '.join(wanted)})"
        )


# -- loading -----------------------------------------------------------------------------------

_LOC_WORDS = {
    "systems": "system",
    "categories": "category",
    "features": "feature",
    "cells": "system",
    "criteria": "criterion",
    "scores": "system",
    "presets": "preset",
    "weights": "criterion",
}


def _describe(loc: tuple[Any, ...]) -> str:
    """``('categories', 'storage', 'features', 'x', 'cells', 'k8s', 'source')`` in words."""
    parts = []
    i = 0
    while i < len(loc):
        word = _LOC_WORDS.get(str(loc[i]))
        if word and i + 1 < len(loc):
            parts.append(f"{word} {loc[i + 1]!r}")
            i += 2
        else:
            parts.append(f"field {loc[i]!r}")
            i += 1
    return ", ".join(parts)


def _message(err: dict[str, Any]) -> str:
    where = _describe(tuple(err["loc"]))
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        msg = "is missing (every cell needs a value, a note, a source URL and an as_of date)"
    elif err["type"] == "extra_forbidden":
        msg = "is not a known field (a typo?)"
    return f"{where}: {msg}" if where else msg


def parse_features(data: str | bytes | dict[str, Any], source: str = "<string>") -> FeatureMatrix:
    """Validate feature data given as YAML text or as a dict; raise :class:`FeatureDataError`."""
    if not isinstance(data, dict):
        try:
            data = load_data(data, source)
        except ManifestError as err:
            raise FeatureDataError(f"not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise FeatureDataError(
            f"{source}: expected a mapping with systems, categories, criteria and presets, "
            f"got {type(data).__name__}"
        )
    try:
        return FeatureMatrix.model_validate(data)
    except ValidationError as err:
        problems = [_message(e) for e in err.errors()]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise FeatureDataError(f"{source}: {problems[0]}{more}") from None


@lru_cache(maxsize=1)
def _default_matrix() -> FeatureMatrix:
    text = resources.files("clustersim").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return parse_features(text, DATA_FILE)


def load_features(path: str | Path | None = None) -> FeatureMatrix:
    """The feature matrix from ``path``, or the course's own ``clustersim/data/features.yaml``.

    The course's own matrix is loaded once and shared; to experiment with other scores, edit
    a copy of the file and load it with ``path``, or take ``load_features().model_copy(deep=
    True)``, rather than changing the shared matrix in place.
    """
    if path is None:
        return _default_matrix()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise FeatureDataError(f"{path}: cannot read the file ({err.strerror})") from None
    return parse_features(text, path.name)
