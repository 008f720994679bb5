"""The built book opened from disk (``file://``), as the README and the instructor guide tell
readers to open a copy on a USB stick: no server, so no request may need one.

`test_site.py` visits every page over HTTP; this module opens a few page types from disk in
Debian's Chromium: the start page's redirect, a chapter, a lab with figures, an exercise, and
the search page. Over ``file://`` a page's own ``fetch`` of another page is a cross-origin
request that Chromium refuses, so Sphinx's search, which fetches each result's page to show a
summary, logged an error per result; the course's search script turns summaries off there.
"""

from __future__ import annotations

import pytest

from tests.test_site import _load

pytestmark = pytest.mark.slow

PAGES = ("index.html", "book/orchestrators/kubernetes.html", "notebooks/self-healing.html",
         "exercises/swarm.html")


@pytest.fixture(scope="module")
def disk_url(built_book: dict) -> str:
    assert built_book["returncode"] == 0, "the book did not build; see test_book.py"
    return built_book["html"].resolve().as_uri()


@pytest.mark.parametrize("path", PAGES)
def test_a_page_opened_from_disk_works(browser, disk_url: str, path: str) -> None:
    context = browser.new_context()
    seen = _load(context, disk_url, path, redirects=path == "index.html")
    context.close()
    assert not seen["console"], f"{path} from disk logged {seen['console'][:3]}"
    assert not seen["foreign"], f"{path} from disk asked another host: {seen['foreign'][:3]}"
    assert seen["drawn"] == seen["figures"], f"{path}: {seen['drawn']} of {seen['figures']} drawn"


def test_search_from_disk_finds_pages_without_errors(browser, disk_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{disk_url}/search.html?q=quorum", wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0",
                           timeout=20_000)
    page.wait_for_timeout(500)   # a summary fetch fails asynchronously, after the list is drawn
    found = page.locator("#search-results li a").count()
    context.close()
    assert found >= 3, f"search for 'quorum' from disk listed {found} pages"
    assert not errors, f"search from disk logged {errors[:3]}"
