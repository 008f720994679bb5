"""``python -m clustersim [COMMAND] --help`` (or ``-h``) explains the options and their
defaults and exits 0, for every command; a wrong option still exits 2 with the usage."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def clustersim(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "clustersim", *args], capture_output=True,
                          text=True, timeout=120, env=env, cwd=ROOT)


@pytest.mark.parametrize(("command", "flag", "explained"), [
    ([], "--help", "COMMAND --help"),
    (["serve", "kubernetes"], "--help", "simulated seconds per wall-clock second"),
    (["serve"], "-h", "(default: 3)"),
    (["doctor"], "--help", "--no-kernel"),
    (["refresh"], "-h", "notebooks to run"),
    (["editions"], "--help", "(default: editions)"),
])
def test_help_explains_and_exits_0(command, flag, explained):
    done = clustersim(*command, flag)
    assert done.returncode == 0, done.stderr
    assert "usage: python -m clustersim" in done.stdout
    assert explained in " ".join(done.stdout.split())


@pytest.mark.parametrize("command", [["serve", "kubernetes", "--colour"], ["doctor", "--al"]])
def test_a_wrong_option_exits_2_with_the_usage(command):
    done = clustersim(*command)
    assert done.returncode == 2
    assert "usage: python -m clustersim" in done.stderr and "--colour" not in done.stdout
