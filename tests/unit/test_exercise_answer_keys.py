"""No exercise module hands out its answer key: a learner can import and print every public
name of :mod:`clustersim.exercises` (the starter cells import the lists they ask about), so
none of them, nor a dict built from it, may pass a check. Item lists are tuples without their
answers (``dict.fromkeys(STORAGE_KINDS)`` is the starter's empty answer); the answers are
private, as ``_RESTART_RIGHT`` beside ``RESTART_SCENARIOS`` is."""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import ModuleType

import pytest

import clustersim.exercises

MODULES = [importlib.import_module(f"clustersim.exercises.{info.name}")
           for info in pkgutil.iter_modules(clustersim.exercises.__path__)]


GIVEN = {"check_rolling_strategy(SURGE_BUDGET, SURGE_BUDGET)"}
"""Calls that pass on a figure the task itself states: the exercise gives a budget of one
extra pod (``SURGE_BUDGET``), and maxSurge 1 with maxUnavailable 1 is one right answer."""


def _public(module: ModuleType) -> list[tuple[str, object]]:
    return [(name, getattr(module, name)) for name in getattr(module, "__all__", [])]


def _checks(module: ModuleType) -> list[Callable[..., object]]:
    return [value for name, value in _public(module) if name.startswith("check_")]


def _constants(module: ModuleType) -> list[tuple[str, object]]:
    return [(name, value) for name, value in _public(module)
            if not callable(value) and not inspect.ismodule(value)]


def _answers_from(value: object) -> Iterator[object]:
    """What a learner could hand a check from a public constant: the value itself, and a dict
    built from it (a mapping copied, or a sequence of pairs)."""
    yield value
    pairs = (isinstance(value, Sequence) and not isinstance(value, str) and bool(value)
             and all(isinstance(pair, tuple) and len(pair) == 2 for pair in value))
    if isinstance(value, Mapping) or pairs:
        yield dict(value)  # type: ignore[call-overload]


def _required(check: Callable[..., object]) -> int:
    parameters = inspect.signature(check).parameters.values()
    return sum(1 for p in parameters if p.default is p.empty
               and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_no_public_constant_passes_a_check(module: ModuleType) -> None:
    """Reported by a newcomer: ``check_storage_kinds(STORAGE_KINDS)`` passed, and typing
    ``STORAGE_KINDS`` printed the key."""
    candidates = [(name, answer) for name, value in _constants(module)
                  for answer in _answers_from(value)]
    leaks = []
    for check in _checks(module):
        for given in itertools.product(candidates, repeat=_required(check)):
            call = f"{check.__name__}({', '.join(name for name, _ in given)})"
            if call not in GIVEN and check(*(answer for _, answer in given)).passed:
                leaks.append(call)
    assert not leaks, f"{module.__name__} hands out answers: {leaks}"

