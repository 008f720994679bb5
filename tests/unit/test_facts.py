"""Dated facts (clustersim/data/facts.yaml): valid, fresh, used by name in the chapters, and
never typed by hand in chapter prose."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from clustersim.course.book import _add_fact_substitutions, computed_substitutions
from clustersim.facts import (
    HISTORY,
    MAX_AGE_DAYS,
    FactDataError,
    load_facts,
    parse_facts,
    stale,
    substitutions,
    typed_versions,
)
from clustersim.features import load_features

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "book").rglob("*.md"))
_USED = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def fact(value: str = "1.37", as_of: str = "2026-12-04") -> dict:
    return {"value": value, "source": "https://kubernetes.io/releases/", "as_of": as_of}


def test_every_fact_has_a_value_an_https_source_and_a_date() -> None:
    facts = load_facts()
    assert len(facts) >= 20
    for key, item in facts.items():
        assert item.value and item.source.startswith("https://"), key
        assert item.as_of <= date.today(), f"{key} is dated in the future"


def left_behind(facts: dict) -> tuple[date, list[str]]:
    """The newest check in ``facts`` and the facts checked more than ``MAX_AGE_DAYS`` before it."""
    newest = max(item.as_of for item in facts.values())
    return newest, stale(MAX_AGE_DAYS, newest, facts)


def test_no_fact_is_much_older_than_the_newest_check() -> None:
    """The facts are refreshed together: none was checked more than ``MAX_AGE_DAYS`` before
    the newest check in the file. This compared each fact with the day the test ran, so an
    unchanged commit began to fail on 27 May 2027 (183 days after the oldest check, 24
    November 2026): every run of the suite and every old commit under bisection went red on
    a date. The day's staleness is listed at the end of every run instead (tests/conftest.py)."""
    newest, old = left_behind(load_facts())
    assert not old, (f"{len(old)} fact(s) in clustersim/data/facts.yaml were checked more than "
                     f"{MAX_AGE_DAYS} days before the newest ({newest}); check each against its "
                     "source, then update value and as_of:\n" + "\n".join(old))


def test_a_fact_left_behind_by_a_refresh_is_found() -> None:
    facts = {**load_facts(), **parse_facts({"refreshed": fact(as_of="2099-01-01")})}
    assert len(left_behind(facts)[1]) == len(facts) - 1


def test_stale_lists_exactly_the_facts_past_the_age() -> None:
    facts = parse_facts({"old": fact(as_of="2026-01-01"), "new": fact(as_of="2026-11-30")})
    [line] = stale(180, date(2026, 12, 4), facts)
    assert line.startswith("old: '1.37' checked 2026-01-01 (337 days ago)")
    assert stale(400, date(2026, 12, 4), facts) == []


def test_substitutions_give_the_value_and_the_month_it_was_checked() -> None:
    facts = parse_facts({"k8s_minor": fact(), "mirantis": fact(2030)})
    subs = substitutions(facts, load_features())
    del subs["status_as_of"]
    assert subs == {"k8s_minor": "1.37", "k8s_minor_as_of": "December 2026",
                    "mirantis": "2030", "mirantis_as_of": "December 2026"}


def test_the_status_date_is_the_oldest_check_of_facts_and_matrix() -> None:
    """The welcome page said "As of December 2026", the Mesos chapter and the instructors'
    guide "November 2026": each typed its own. One substitution gives the status date, the
    month of the oldest check, so that every statement under it was checked then or later."""
    matrix = load_features()
    oldest_in_matrix = min(matrix.checked())
    newer = parse_facts({"k8s_minor": fact(as_of=str(oldest_in_matrix.replace(year=2099)))})
    assert substitutions(newer, matrix)["status_as_of"] == oldest_in_matrix.strftime("%B %Y")
    older = parse_facts({"k8s_minor": fact(as_of="2020-01-31")})
    assert substitutions(older, matrix)["status_as_of"] == "January 2020"


_HAND_DATED_STATUS = re.compile(
    r"(?:\b[Ss]tatus\b[^.\n]{0,40}?\bas of|\bdated) (?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December) \d{4}")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_status_date_is_typed_by_hand(chapter: Path) -> None:
    text = " ".join(chapter.read_text("utf-8").split())
    found = _HAND_DATED_STATUS.findall(text)
    assert not found, (f"{chapter.name} dates a status by hand: {found}; write "
                       "{{ status_as_of }} (clustersim.facts.substitutions)")


@pytest.mark.parametrize("data, words", [
    ({"Kubernetes minor": fact()}, "not lower_snake_case"),
    ({"k8s": {"value": "1.37", "as_of": "2026-12-04"}}, "fact 'k8s': field 'source'"),
    ({"k8s": {**fact(), "source": "http://example.com"}}, "https://"),
    ({"k8s": {**fact(), "owner": "me"}}, "field 'owner'"),
    (["k8s"], "expected a mapping"),
])
def test_a_broken_fact_file_says_which_fact_and_field(data, words: str) -> None:
    with pytest.raises(FactDataError, match=re.escape(words)):
        parse_facts(data)


def test_the_book_extension_adds_the_facts_and_keeps_configured_substitutions() -> None:
    config = SimpleNamespace(myst_substitutions={"k8s_minor": "from _config.yml", "x": "y"})
    _add_fact_substitutions(None, config)  # type: ignore[arg-type]
    assert config.myst_substitutions["k8s_minor"] == "from _config.yml"
    assert config.myst_substitutions["x"] == "y"
    assert config.myst_substitutions["k8s_patch"] == load_facts()["k8s_patch"].value
    assert config.myst_substitutions["doctor_checks"] == computed_substitutions()["doctor_checks"]


def test_the_doctor_count_the_guide_prints_is_the_checks_it_runs(monkeypatch) -> None:
    """The instructors' guide typed "34 checks in November 2026" where the doctor ran 35
    with its kernel check: the count is now the doctor's own, at build time."""
    from clustersim.course import doctor

    monkeypatch.setattr(doctor, "check_kernel", lambda: doctor.Check("notebook kernel", True, ""))
    counts = computed_substitutions()
    assert counts["doctor_checks"] == str(len(doctor.run_checks()))
    assert counts["doctor_checks_no_kernel"] == str(len(doctor.run_checks(kernel=False)))
    guide = (ROOT / "book" / "instructors.md").read_text("utf-8")
    assert "{{ doctor_checks }} checks" in guide and not re.search(r"\b3\d checks\b", guide)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_substitution_a_chapter_uses_is_a_fact(chapter: Path) -> None:
    known = {**substitutions(), **computed_substitutions()}
    unknown = sorted(set(_USED.findall(chapter.read_text("utf-8"))) - set(known))
    assert not unknown, f"{chapter.name} uses substitutions with no fact: {unknown}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_current_version_is_typed_by_hand_in_chapter_prose(chapter: Path) -> None:
    found = typed_versions(chapter.read_text("utf-8"))
    assert not found, (
        f"{chapter.name}: version numbers typed by hand in prose (line, version): {found}. "
        "Use a fact from clustersim/data/facts.yaml ({{ k8s_minor }}), or, for a past event, "
        "add it to clustersim.facts.HISTORY with the reason.")


def test_the_version_scan_finds_prose_and_skips_code_links_substitutions_and_history() -> None:
    text = (
        "Kubernetes v1.38 is out, with K3s v1.38.1+k3s1 and Docker Engine 30.1.\n"
        "```bash\nkind create cluster --image kindest/node:v1.38.0\n```\n"
        "Run `kubectl version` (`v1.38.2`); see [notes](https://kubernetes.io/releases/1.38/).\n"
        "The current minor is v{{ k8s_minor }}; dockershim went in v1.24.\n"
    )
    assert typed_versions(text) == [(1, "1.38"), (1, "1.38.1+k3s1"), (1, "30.1")]
    assert "1.24" in HISTORY


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_current_minor_carries_its_own_check_date(chapter: Path) -> None:
    """The welcome page said v1.37 was current "As of November 2026" (``status_as_of``, the
    oldest check of all) where the Kubernetes chapter said December 2026 for the same claim:
    a paragraph that calls ``k8s_minor`` current dates it with ``k8s_minor_as_of``."""
    for paragraph in re.split(r"\n\s*\n", chapter.read_text("utf-8")):
        if re.search(r"\{\{ k8s_minor \}\}[^.;]{0,40}\b(?:current|newest)\b", paragraph):
            assert "{{ k8s_minor_as_of }}" in paragraph, paragraph[:200]
