"""The feature matrix: complete, sourced, dated, in agreement with the fact-check, and a loader
that names the category, feature and system when the file is wrong."""

import datetime
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from clustersim.features import FeatureDataError, load_features, parse_features

FACTCHECK = Path(__file__).resolve().parents[3] / "shared" / "facts" / "seed-factcheck.md"
ISSUE_CATEGORIES = {
    "deployment_format", "design_concept", "images_runtimes", "application_definition",
    "availability", "load_balancing", "storage", "network_model", "purpose_of_use",
    "suppliers_community", "learning_curve", "maturity_status", "orchestrator_jobs",
}
ORCHESTRATOR_JOBS = {
    "scheduling", "self_healing", "scaling", "config_secrets", "service_discovery",
    "rolling_updates", "health_checks", "secure_communication",
}


@pytest.fixture
def raw():
    """The data file as plain data, to break on purpose."""
    text = resources.files("clustersim").joinpath("data", "features.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def raw_cells(raw):
    for cat_id, category in raw["categories"].items():
        for feat_id, feature in category["features"].items():
            for sys_id, cell in feature["cells"].items():
                yield f"{cat_id}/{feat_id}/{sys_id}", cell


def test_the_matrix_has_every_category_and_job_the_course_compares():
    matrix = load_features()
    assert set(matrix.categories) >= ISSUE_CATEGORIES
    assert set(matrix.categories["orchestrator_jobs"].features) >= ORCHESTRATOR_JOBS
    assert {"swarm", "kubernetes", "mesos"} <= set(matrix.systems)


def test_every_cell_has_a_source_url_and_a_date_not_in_the_future(raw):
    """Reads the raw YAML, so it fails on a cell without a source even if the schema changed."""
    today = datetime.date.today()
    for where, cell in raw_cells(raw):
        assert str(cell.get("source", "")).startswith("https://"), f"{where}: no https source"
        as_of = cell.get("as_of")
        assert isinstance(as_of, datetime.date), f"{where}: as_of is not a date"
        assert as_of <= today, f"{where}: as_of {as_of} is in the future"
        assert cell.get("value") and cell.get("note"), f"{where}: value or note missing"


def test_every_score_and_status_is_sourced_and_dated(raw):
    for crit_id, criterion in raw["criteria"].items():
        for sys_id, score in criterion["scores"].items():
            assert str(score["source"]).startswith("https://"), f"{crit_id}/{sys_id}"
            assert isinstance(score["as_of"], datetime.date), f"{crit_id}/{sys_id}"
            assert score["why"], f"{crit_id}/{sys_id}: no justification"
    for sys_id, system in raw["systems"].items():
        assert str(system["source"]).startswith("https://"), sys_id


def factcheck_verdicts():
    if not FACTCHECK.is_file():
        pytest.skip(f"fact-check not found at {FACTCHECK} (it lives in ../shared/facts/)")
    rows = re.findall(r"^\| (\d+) \| .*? \| (\w+) \| ", FACTCHECK.read_text("utf-8"), re.M)
    return {int(n): verdict for n, verdict in rows}


# Rows where the primary source proves the maintainers' check list wrong: row -> (verdict, why).
CORRECTED_ROWS = {
    17: ("wrong", "Mesos ran plain commands from the start, Docker via the Docker containerizer "
                  "from 0.20.0 and Docker/AppC images in its own containerizer from 0.28.0 "
                  "(apache/mesos CHANGELOG): 'mainly Docker' was false when written"),
    # The article gives v1.16 (September 2019) as current, so it was written in or after
    # September 2019; these changes came before that, so the claims were false when written.
    19: ("wrong", "Kubernetes has been a CNCF project since v1.0 in July 2015 (CNCF blog, "
                  "2016-07-21), not Google's own platform"),
    20: ("wrong", "Google renamed Container Engine to Kubernetes Engine in November 2017"),
    32: ("wrong", "Mesos 1.0 (July 2016) renamed slaves to agents (apache/mesos "
                  "docs/upgrades.md, 1.0.x: Slave to Agent rename)"),
    38: ("wrong", "ClusterHQ, Flocker's maker, shut down on 2016-12-22 (EnterpriseAI, "
                  "2017-01-06)"),
    43: ("wrong", "IP-per-task came in Marathon 0.14 (January 2016, docs/docs/ip-per-task.md) "
                  "and Marathon 1.5 made any CNI network usable; Calico was one option"),
}


def test_2019_claims_carry_the_verdict_of_their_fact_check_row():
    verdicts = factcheck_verdicts() | {row: v for row, (v, _) in CORRECTED_ROWS.items()}
    assert len(verdicts) == 50
    claims = [(c, cell.claim_2019) for c in load_features().cells() for cell in [c[3]]
              if cell.claim_2019]
    assert len(claims) >= 20
    for (cat, feat, system, _), claim in claims:
        assert verdicts[claim.factcheck_row] == claim.verdict, (cat, feat, system)


def test_retired_status_is_stated_with_its_dates():
    matrix = load_features()
    assert matrix.retired() == ["mesos"]
    note = matrix.systems["mesos"].status_note
    assert "2025-10-10" in note and "Attic" in note and "2021" in note
    assert matrix.systems["kubernetes"].status == "active"
    maintenance = matrix.categories["maturity_status"].features["maintenance"]
    assert maintenance.cells["mesos"].level == "none"


def test_the_mesos_job_frameworks_status_names_the_statements_it_rests_on():
    """The matrix called Chronos and Metronome "unmaintained" on a Spark pull request's
    authority, which says nothing about either. What sources do say: DC/OS's catalogue marked
    Chronos deprecated (d2iq-archive/universe#2584), and Metronome was a DC/OS component
    whose support ended with DC/OS's."""
    matrix = load_features()
    texts = [f"{cell.value} {cell.note}" for *_, cell in matrix.cells()]
    texts += [score.why for criterion in matrix.criteria.values()
              for score in criterion.scores.values()]
    on_chronos = [text for text in texts if "Chronos" in text and "Metronome" in text]
    assert on_chronos, "no entry states the status of Chronos and Metronome any more"
    for text in on_chronos:
        assert "unmaintained" not in text, text
        assert "universe#2584" in text and "DC/OS" in text, text


def test_a_missing_source_names_category_feature_and_system(raw):
    del raw["categories"]["storage"]["features"]["persistent_storage"]["cells"]["kubernetes"][
        "source"]
    with pytest.raises(FeatureDataError) as err:
        parse_features(raw, "features.yaml")
    message = str(err.value)
    for part in ("features.yaml", "category 'storage'", "feature 'persistent_storage'",
                 "system 'kubernetes'", "'source'", "is missing"):
        assert part in message


def _set(raw, path, value):
    *parents, last = path
    target = raw
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value


CELL = ("categories", "storage", "features", "persistent_storage", "cells")
BROKEN = [
    ((*CELL, "swarm", "as_of"), "last spring", ["system 'swarm'", "'as_of'"]),
    ((*CELL, "swarm", "source"), "http://insecure.example.org/x", ["system 'swarm'", "https://"]),
    ((*CELL, "swarm", "source"), "see the docs", ["system 'swarm'", "not an https:// URL"]),
    ((*CELL, "swarm", "value"), True, ["system 'swarm'", "'value'", "string"]),
    ((*CELL, "swarm", "level"), "sort of", ["system 'swarm'", "'level'"]),
    ((*CELL, "swarm", "sauce"), "typo", ["'sauce'", "not a known field"]),
    ((*CELL, "nomad"), {"value": "CSI", "note": "n", "source": "https://nomadproject.io",
                         "as_of": datetime.date(2026, 11, 1)},
     ["feature 'persistent_storage'", "unknown system 'nomad'"]),
    ((*CELL, "mesos"), KeyError, ["feature 'persistent_storage'", "no entry for system 'mesos'"]),
    (("criteria", "scale", "scores", "swarm", "score"), 7, ["criterion 'scale'", "system 'swarm'"]),
    (("presets", "small_team", "weights", "speed"), 3, ["preset 'small_team'", "'speed'"]),
    ((*CELL, "swarm", "claim_2019"), {"claim": "x", "verdict": "meh", "factcheck_row": 4},
     ["system 'swarm'", "'verdict'"]),
]


@pytest.mark.parametrize(("path", "value", "expected"), BROKEN,
                         ids=[f"{p[-1]}={v!r}"[:40] for p, v, _ in BROKEN])
def test_malformed_data_is_refused_with_a_message_naming_the_place(raw, path, value, expected):
    _set(raw, path, value)
    with pytest.raises(FeatureDataError) as err:
        parse_features(raw, "features.yaml")
    for part in expected:
        assert part in str(err.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("systems: [unclosed", "not valid YAML: bad.yaml, line"),
    ("- just\n- a list\n", "expected a mapping"),
    ("systems: {}\n", "'categories'"),
])
def test_text_that_is_not_the_matrix_is_refused(text, expected):
    with pytest.raises(FeatureDataError, match=re.escape(expected)):
        parse_features(text, "bad.yaml")


def test_an_unreadable_path_is_a_clear_error(tmp_path):
    with pytest.raises(FeatureDataError, match="cannot read the file"):
        load_features(tmp_path / "missing.yaml")


def test_a_file_on_disk_loads_like_the_packaged_one(tmp_path, raw):
    path = tmp_path / "copy.yaml"
    path.write_text(yaml.safe_dump(raw), "utf-8")
    assert load_features(path) == load_features()


@pytest.mark.parametrize(("name", "expected"), [
    ("k8s", "kubernetes"), ("Kubernetes", "kubernetes"), ("  docker   swarm ", "swarm"),
    ("Marathon", "mesos"), ("Mesos + Marathon", "mesos"), ("SWARM", "swarm"),
])
def test_systems_are_found_by_id_name_or_alias(name, expected):
    assert load_features().resolve_system(name) == expected


def test_unknown_or_empty_choices_say_what_to_choose():
    matrix = load_features()
    with pytest.raises(ValueError, match="unknown system 'nomad': choose from Docker Swarm"):
        matrix.resolve_systems(["kubernetes", "nomad"])
    with pytest.raises(ValueError, match="choose at least one system"):
        matrix.resolve_systems([])
    with pytest.raises(ValueError, match="unknown category 'speed'"):
        matrix.resolve_categories(["speed"])
    assert matrix.resolve_systems(["k8s", "kubernetes", "swarm"]) == ["kubernetes", "swarm"]
    assert matrix.resolve_categories(["Storage", "availability"]) == ["availability", "storage"]


def test_only_differences_compares_levels_when_every_cell_has_one(raw):
    jobs = raw["categories"]["orchestrator_jobs"]["features"]
    for cell in jobs["scaling"]["cells"].values():
        cell["level"] = "built_in"  # worded differently, but the same level
    for cell in jobs["scheduling"]["cells"].values():
        cell["level"] = None
        cell["value"] = "Same  words"  # no levels: compared by value, spacing and case ignored
    jobs["scheduling"]["cells"]["kubernetes"]["value"] = "same WORDS"
    matrix = parse_features(raw)
    shown = {r.key for r in matrix.rows(categories=["orchestrator_jobs"], only_differences=True)}
    assert "scaling" not in shown and "scheduling" not in shown
    assert "config_secrets" in shown
    every = {r.key for r in matrix.rows(categories=["orchestrator_jobs"])}
    assert every == set(jobs)


def test_a_single_system_has_no_differences():
    assert load_features().rows(["kubernetes"], only_differences=True) == []


def test_search_needs_every_word_in_the_chosen_systems_text():
    matrix = load_features()
    hits = {r.key for r in matrix.rows(search="CNI isolator")}
    assert "network_plugins" in hits
    assert all("cni" in (r.feature.cells["mesos"].value + r.feature.cells["mesos"].note).lower()
               or "cni" in r.feature.name.lower() for r in matrix.rows(["mesos"], search="cni"))
    # a word found only in Mesos' cells does not match when Mesos is not chosen
    assert "network_plugins" not in {r.key for r in matrix.rows(["swarm"], search="isolator")}
    # the 2019 claims are searchable too
    assert "container_runtime" in {r.key for r in matrix.rows(search="rkt")}
    assert matrix.rows(search="no-such-word-anywhere") == []
