"""A lab's first cell imports neither jsonschema through clustersim nor rfc3987-syntax's
grammar through plotly, and jsonschema still checks IRIs with that grammar when asked.

Each check runs in a fresh interpreter: the test process has long imported all of them."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LABS = sorted((ROOT / "notebooks").glob("*.ipynb"))
GRAMMAR = ("rfc3987_syntax.syntax_helpers", "lark")


def imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    return set(json.loads(done.stdout.splitlines()[-1]))


def first_cell(lab: Path) -> str:
    cells = json.loads(lab.read_text(encoding="utf-8"))["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "code")["source"])


def test_clustersim_and_its_widgets_import_no_json_schema_validator() -> None:
    modules = imported_after("import clustersim, clustersim.widgets")
    assert not {"jsonschema", "rfc3987_syntax"} & modules


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None,
                    reason="rfc3987-syntax is not installed: nothing builds its grammar")
def test_the_labs_first_cells_build_no_iri_grammar() -> None:
    modules = imported_after("\n".join(first_cell(lab) for lab in LABS))   # one interpreter
    assert {"clustersim.viz", "jsonschema"} <= modules             # plotly imported nbformat
    assert not set(GRAMMAR) & modules, "a lab's first cell builds the IRI grammar"


def iri_answers(first: str) -> tuple[bool, dict[str, bool]]:
    """Whether ``first`` built the IRI grammar, and jsonschema's ``iri`` answers after it."""
    # cases from json-schema-org/JSON-Schema-Test-Suite tests/draft2020-12/optional/format/iri.json
    cases = ["http://ƒøø.ßår/?∂éœ=πîx#πîüx", "http://[2001:db8::1]", "urn:example:resource",
             "/abc", "âππ", "http://2001:0db8:85a3:0000:0000:8a2e:0370:7334"]
    code = (f"{first}\nimport json, sys\nbuilt = 'lark' in sys.modules\n"
            "from jsonschema import Draft202012Validator as V\n"
            "v = V({'format': 'iri'}, format_checker=V.FORMAT_CHECKER)\n"
            f"print(json.dumps([built, {{s: v.is_valid(s) for s in {cases!r}}}]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert "Error importing optional module" not in done.stderr, done.stderr
    built, answers = json.loads(done.stdout)
    return built, answers


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None,
                    reason="rfc3987-syntax is not installed: jsonschema checks no IRI")
def test_jsonschema_still_checks_iris_with_the_real_grammar_once_asked() -> None:
    figure = ("import clustersim.viz\nimport plotly.graph_objects as go\n"
              "go.Figure()._repr_mimebundle_()")      # a figure shown: plotly imported nbformat
    built, answers = iri_answers(figure)
    assert not built
    assert answers == iri_answers("")[1]                # as without clustersim
    assert answers["/abc"] is False                      # a relative reference is no IRI


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None,
                    reason="rfc3987-syntax is not installed: there is nothing to stand in for")
def test_the_stand_in_answers_only_for_the_release_that_builds_its_parser_at_import(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from clustersim import lazyimports

    finder = lazyimports._Finder()
    monkeypatch.setattr(lazyimports, "_release", lambda: "1.1.0")
    spec = finder.find_spec("rfc3987_syntax", None)
    assert spec is not None and spec.submodule_search_locations
    # its submodules, found where the real package's are, are the real ones
    assert finder.find_spec(lazyimports.HELPERS, spec.submodule_search_locations) is None
    assert importlib.machinery.PathFinder.find_spec(lazyimports.HELPERS,
                                                    spec.submodule_search_locations)
    assert spec.origin == importlib.util.find_spec("rfc3987_syntax").origin
    monkeypatch.setattr(lazyimports, "_release", lambda: "1.2.0")
    assert finder.find_spec("rfc3987_syntax", None) is None


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None,
                    reason="rfc3987-syntax is not installed: there is nothing to stand in for")
def test_without_lark_jsonschema_checks_no_iri_as_it_does_without_clustersim() -> None:
    """rfc3987-syntax's own import fails without lark; jsonschema then drops the ``iri``
    check (``suppress(ImportError)`` in jsonschema/_format.py), and must with the stand-in."""
    hide_lark = ("import importlib.abc, sys\n"
                 "class NoLark(importlib.abc.MetaPathFinder):\n"
                 "    def find_spec(self, name, path, target=None):\n"
                 "        if name.partition('.')[0] == 'lark':\n"
                 "            raise ModuleNotFoundError(\"No module named 'lark'\")\n"
                 "sys.meta_path.insert(0, NoLark())\n")
    built, answers = iri_answers(hide_lark + "import clustersim")
    assert not built
    assert answers == iri_answers(hide_lark)[1]
    assert answers["/abc"] is True                       # no IRI check left
