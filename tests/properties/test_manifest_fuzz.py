"""Mutated real manifests are loaded AND simulated: a clear error or a clean, bounded run.

Each example takes a real manifest of one of the three dialects (the course's own example
application always, the real-world corpora when present), applies one to three mutations
(a field replaced by junk or by a value aimed at a limit, deleted or renamed), and hands it to
:func:`clustersim.explore.place`, which loads it and runs it on a demo cluster for a short
simulated time. The only outcomes allowed: a ``ManifestError`` or a ``ValueError`` with a
message (the library's documented error types), or a run that ends within
:data:`SECONDS` of wall time and :data:`MEGABYTES` of traced memory. ``benchmarks/
fuzz_manifests.py`` runs the same cases by the thousand and prints the figures.
"""

from __future__ import annotations

import json
import signal
import time
import tracemalloc
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustersim import ManifestError
from clustersim.examples import SYSTEMS, example_path
from clustersim.explore import place
from clustersim.manifests.safe_yaml import load_documents
from tests.conftest import REALWORLD_MORE, realworld_files
from tests.properties.test_manifest_props import DOCUMENTS, _mutate, _paths, junk

SECONDS = 20.0
MEGABYTES = 256
RUN_FOR = 30.0  # simulated seconds


def _seeds() -> list[Any]:
    """Whole real manifests (a file's documents together), the example application first."""
    seeds: list[Any] = []
    for system in SYSTEMS:
        path = example_path(system)
        seeds.append([d.data for d in load_documents(path.read_bytes(), path.name)])
    for system in SYSTEMS:
        for path in realworld_files(system, REALWORLD_MORE):
            try:
                seeds.append([d.data for d in load_documents(path.read_bytes(), path.name)])
            except ManifestError:  # not even YAML (a repeated key): nothing to mutate
                continue
    seeds += [[document] for document in DOCUMENTS]
    return [seed[0] if len(seed) == 1 else seed for seed in seeds if seed]


SEEDS = _seeds()

# values aimed at the limits and at the fields simulators read
aimed = st.sampled_from(
    [
        -1, 0, 1, 2**31, 10**9, 10**12, 1e308, -0.5, "0", "-3", "0%", "150%", "1e999999",
        "1/0", "1-65535", "1-65535:1-65535", "Never", "Recreate", None, [], {}, [None],
        {"requiredDuringSchedulingIgnoredDuringExecution": []}, "system:x", "a/b", "Nginx",
    ]
)
values = junk | aimed


class FuzzCaseError(AssertionError):
    """A case ended in something other than a clear error or a clean, bounded run."""


class _Timeout(BaseException):
    pass


@dataclass
class Outcome:
    result: str  # "ran", or the name of the documented error
    seconds: float
    megabytes: float


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def run_case(source: Any, seconds: float = SECONDS, megabytes: float = MEGABYTES) -> Outcome:
    """Load and run ``source``; raise :class:`FuzzCaseError` unless it ends well and in bounds."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        place(source, until=RUN_FOR)
        result = "ran"
    except ManifestError:
        result = "ManifestError"
    except _Timeout:
        raise FuzzCaseError(f"no result after {seconds} s") from None
    except ValueError as err:  # the documented form of a simulator's refusal
        if not str(err):
            raise FuzzCaseError(f"a ValueError without a message: {err!r}") from err
        result = "ValueError"
    except Exception as err:
        raise FuzzCaseError(f"{type(err).__name__}: {str(err)[:300]}") from err
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    elapsed = time.perf_counter() - start
    if peak > megabytes:
        raise FuzzCaseError(f"{peak:.0f} MB traced, over the bound of {megabytes} MB")
    return Outcome(result, elapsed, peak)


def mutated(data: st.DataObject) -> Any:
    """A seed with one to three mutations, as data, YAML text or JSON text."""
    document = data.draw(st.sampled_from(SEEDS))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)))
        action = data.draw(st.sampled_from(["replace", "replace", "delete", "rename"]))
        document = _mutate(document, path, action, data.draw(values))
    form = data.draw(st.sampled_from(["data", "yaml", "json"]))
    if form == "yaml":
        documents = document if isinstance(document, list) else [document]
        return yaml.safe_dump_all(documents) if documents else "{}"
    return json.dumps(document) if form == "json" else document


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_mutated_manifests_load_and_run_or_fail_clearly(data: st.DataObject) -> None:
    run_case(mutated(data))
