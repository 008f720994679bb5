"""Shared fixtures: the repository root and the real-world manifest corpus.

The corpus lives beside the repository in ``../shared/realworld/`` and is never copied in;
tests that need it skip with a message saying where it was looked for.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT.parent / "shared" / "realworld"


def realworld_files(system: str) -> list[Path]:
    """The corpus files of one system (``kubernetes``, ``marathon``, ``swarm``), sorted."""
    folder = REALWORLD / system
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file())


def corpus_params(system: str) -> list:
    """``pytest.mark.parametrize`` values: one per corpus file, or one skipped placeholder."""
    files = realworld_files(system)
    if files:
        return [pytest.param(p, id=p.name) for p in files]
    reason = (
        f"real-world corpus not found at {REALWORLD / system} "
        "(it lives in ../shared/realworld/ beside the repository)"
    )
    return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="corpus-missing")]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT
