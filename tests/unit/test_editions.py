"""The student edition has no solutions and no outputs; the instructor edition is complete."""

from __future__ import annotations

import json
from pathlib import Path

from clustersim.__main__ import main as cli
from clustersim.editions import write_editions
from tests.conftest import ROOT


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["cells"]


def test_editions(tmp_path: Path) -> None:
    written = write_editions(ROOT, tmp_path)
    assert written["student"] and len(written["student"]) == len(written["instructor"])
    for student, instructor in zip(written["student"], written["instructor"], strict=True):
        source = ROOT / "exercises" / student.name
        original = _cells(source)
        tagged = [c for c in original if "solution" in c["metadata"].get("tags", [])]
        assert tagged, f"{source.name} has no solution cells"
        kept = _cells(student)
        assert len(kept) == len(original) - len(tagged)
        assert not any("solution" in c["metadata"].get("tags", []) for c in kept)
        assert all(not c.get("outputs") for c in kept if c["cell_type"] == "code")
        assert _cells(instructor) == original
    assert (tmp_path / "student" / "notebooks" / "first-look.ipynb").is_file()


def test_cli(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    assert cli(["editions", "--out", str(tmp_path / "out")]) == 0
    assert "student:" in capsys.readouterr().out
