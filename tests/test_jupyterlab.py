"""JupyterLab end to end: run the first lab in a live kernel and move its slider.

Starts ``jupyter lab`` on 127.0.0.1 without a token, over a copy of the notebook (so the
test never writes outputs into the repository), opens it in Chromium, runs all cells, sees
the plotly figure and the widget, moves the slider with the keyboard and waits for the text
that Python recomputes: proof of a round trip through the kernel. The server is stopped by
its PID.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "first-look.ipynb"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lab_server(tmp_path: Path):
    shutil.copy(NOTEBOOK, tmp_path / NOTEBOOK.name)
    port = _free_port()
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={tmp_path}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log_text = (tmp_path / "lab.log").read_text()[-3000:]
                pytest.fail(f"JupyterLab did not start:\n{log_text}")
            time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def test_first_lab_runs_live_in_jupyterlab(browser, lab_server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(f"{lab_server}/lab/tree/{NOTEBOOK.name}")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)

    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

    page.wait_for_selector(".js-plotly-plot svg.main-svg", timeout=90_000)
    slider = page.locator(".widget-slider").first
    slider.wait_for(timeout=90_000)
    summary = page.locator(".widget-html-content", has_text="of a pod requesting")
    summary.first.wait_for(timeout=30_000)
    assert "requesting 250m CPU" in summary.first.inner_text()

    # Move the slider one step (50m) with the keyboard; the summary is recomputed in Python.
    slider.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.widget-html-content'))"
        ".some(e => e.innerText.includes('requesting 300m CPU'))",
        timeout=30_000,
    )
    assert not errors, errors
    context.close()
