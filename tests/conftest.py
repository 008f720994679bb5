"""Shared fixtures: the repository root and the real-world manifest corpora.

The corpora live beside the repository in ``../shared/realworld/`` and
``../shared/realworld-more/`` (the second with ``SOURCES.md`` saying what the real system does
with each file) and are never copied in; tests that need them skip with a message saying where
they were looked for. ``CLUSTERSIM_SHARED`` names another ``shared`` folder (e.g. when the
repository is a git worktree elsewhere). At the end of every run, the facts of
``clustersim/data/facts.yaml`` due to be re-checked are listed (:func:`pytest_terminal_summary`).
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run the same examples on every run (a CI failure can be reproduced exactly)
# and have no per-example deadline (CI shares 2 cores with a browser and a notebook kernel).
settings.register_profile("course", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("course")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLUSTERSIM_SHARED") or ROOT.parent / "shared")
REALWORLD = SHARED / "realworld"
REALWORLD_MORE = SHARED / "realworld-more"


def realworld_files(system: str, corpus: Path = REALWORLD) -> list[Path]:
    """The corpus files of one system (``kubernetes``, ``marathon``, ``swarm``), sorted."""
    folder = corpus / system
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file())


def corpus_params(system: str, corpus: Path = REALWORLD) -> list:
    """``pytest.mark.parametrize`` values: one per corpus file, or one skipped placeholder."""
    files = realworld_files(system, corpus)
    if files:
        return [pytest.param(p, id=p.name) for p in files]
    reason = (
        f"real-world corpus not found at {corpus / system} "
        f"(it lives in ../shared/{corpus.name}/ beside the repository, or set CLUSTERSIM_SHARED)"
    )
    return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="corpus-missing")]


_ROW = re.compile(r"^\| (?P<file>[^|]+?) \|.*\| (?P<expected>[^|]+?) \|$")


def corpus_expectations(corpus: Path = REALWORLD_MORE) -> dict[str, str]:
    """File name → the ``expected`` column of the corpus's ``SOURCES.md`` (empty if absent)."""
    sources = corpus / "SOURCES.md"
    if not sources.is_file():
        return {}
    rows = (_ROW.match(line) for line in sources.read_text(encoding="utf-8").splitlines())
    return {row["file"]: row["expected"] for row in rows if row and row["file"] != "file"}


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


# --- The built book, Chromium and a local web server (test_book, test_site, test_jupyterlab)

BUILD_COMMAND = ["jupyter-book", "build", ".", "-W", "-n", "--keep-going"]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Build the whole book once per test session, warnings as errors, into a fresh folder.

    Returns the command's exit code, its output and the ``html`` folder. A fresh folder (not
    ``_build/``) makes the result independent of whatever an earlier local build left behind.
    ``COURSE_BUILT_HTML=_build/html`` reuses a build instead, to rerun browser tests quickly.
    """
    import os
    import subprocess

    reuse = os.environ.get("COURSE_BUILT_HTML")
    if reuse:  # a book built a moment ago (e.g. `_build/html`): browser tests only, no rebuild
        return {"returncode": 0, "log": f"reused {reuse}", "html": Path(reuse).resolve()}
    out = tmp_path_factory.mktemp("book")
    proc = subprocess.run(
        [*BUILD_COMMAND, "--path-output", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )
    return {"returncode": proc.returncode, "log": proc.stdout + proc.stderr,
            "html": out / "_build" / "html"}


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium. Missing: skip locally, but fail when ``CI=true`` (CI must test it)."""
    import os
    import shutil

    path = shutil.which("chromium")
    if path is None and Path("/usr/bin/chromium").exists():
        path = "/usr/bin/chromium"
    if path is None:
        message = "Chromium not found: install Debian's package with `apt-get install chromium`"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: a missing browser fails the run)")
        pytest.skip(message)
    return path


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    # This machine has no network but the package registries: without these flags Chromium
    # keeps trying to reach Google's services in the background.
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser(chromium: str):
    """A headless Chromium driven by Playwright (never `playwright install`: no download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def serve_html(built_book: dict):
    """Serve the built book on 127.0.0.1 (a free port) for the session; yields its base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built_book["html"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def pytest_report_header() -> str:
    """How much of each corpus the corpus tests read, so that a partial copy shows at the top
    of every run instead of passing quietly on fewer files."""
    counts = [f"{corpus.name}: " + ", ".join(
        f"{system} {len(realworld_files(system, corpus))}"
        for system in ("kubernetes", "marathon", "swarm")) + " files"
        for corpus in (REALWORLD, REALWORLD_MORE)]
    return f"real-world corpora in {SHARED}: " + "; ".join(counts)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The facts last checked more than six months before today, listed at the end of every
    run as a reminder to re-check them: a reminder, not a failure, since a date is no change
    to the course and a commit must test the same whenever it is run (``clustersim.facts``)."""
    from clustersim.facts import MAX_AGE_DAYS, stale

    old = stale(MAX_AGE_DAYS, date.today())
    if old:
        terminalreporter.write_sep("=", f"{len(old)} fact(s) to re-check (older than "
                                        f"{MAX_AGE_DAYS} days; clustersim/data/facts.yaml)")
        for line in old:
            terminalreporter.write_line(line)
