"""The book builds with warnings as errors, and the built pages are self-contained.

"Self-contained" is checked in the HTML itself: no ``<script src>``, ``<link href>`` or
``<img src>`` points at another host, plotly.js is served once per site from ``_static/``
(never inlined into a page), and notebook pages carry launch and download buttons.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.slow


class _Resources(HTMLParser):
    """Collects the addresses a page loads: script src, link href, img src."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.inline_script_bytes = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self._in_script = True
            if values.get("src"):
                self.loads.append(("script", values["src"] or ""))
        elif tag == "link" and values.get("href"):
            self.loads.append(("link", values["href"] or ""))
        elif tag in ("img", "source", "iframe") and values.get("src"):
            self.loads.append((tag, values["src"] or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_script_bytes += len(data)


def _pages(html_dir: Path) -> list[Path]:
    return sorted(html_dir.rglob("*.html"))


def _parse(page: Path) -> _Resources:
    parser = _Resources()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_build_passes_with_warnings_as_errors(built_book: dict) -> None:
    assert built_book["returncode"] == 0, built_book["log"][-5000:]


def test_no_page_loads_anything_from_another_host(built_book: dict) -> None:
    pages = _pages(built_book["html"])
    assert pages, "the build produced no HTML pages"
    offenders = []
    for page in pages:
        for tag, address in _parse(page).loads:
            parsed = urlparse(address)
            if parsed.scheme in ("http", "https") or address.startswith("//"):
                offenders.append(f"{page.relative_to(built_book['html'])}: <{tag}> {address}")
    assert not offenders, "pages load from other hosts:\n" + "\n".join(offenders)


def test_plotly_js_is_served_once_and_never_inlined(built_book: dict) -> None:
    html_dir = built_book["html"]
    bundle = html_dir / "_static" / "plotly.min.js"
    assert bundle.is_file() and bundle.stat().st_size > 1_000_000
    with_figures = [p for p in _pages(html_dir) if "plotly-graph-div" in p.read_text("utf-8")]
    assert with_figures, "no page has a plotly figure: the first lab should have one"
    for page in with_figures:
        parsed = _parse(page)
        scripts = [a for tag, a in parsed.loads if tag == "script"]
        # The full bundle, or the basic one where every trace is scatter, bar or pie: once.
        bundles = [a for a in scripts if a.split("?")[0].endswith(
            ("_static/plotly.min.js", "_static/plotly-basic.min.js"))]
        assert len(bundles) == 1, page
        # Figures are small inline calls to Plotly.newPlot; plotly.js itself is ~4.8 MB.
        assert parsed.inline_script_bytes < 2_000_000, f"{page} inlines too much script"


def test_notebook_pages_have_launch_and_download_buttons(built_book: dict) -> None:
    html_dir = built_book["html"]
    notebook_pages = [p for p in _pages(html_dir) if p.parent.name in ("notebooks", "exercises")]
    assert notebook_pages
    for page in notebook_pages:
        text = page.read_text("utf-8")
        assert "mybinder.org/v2/gh/" in text, f"{page.name}: no Binder launch button"
        assert "colab.research.google.com/github/" in text, f"{page.name}: no Colab launch button"
        assert page.stem + ".ipynb" in text and "download" in text.lower(), (
            f"{page.name}: no download button for the notebook"
        )


def test_chapters_offer_no_launch_and_downloads_hold_no_solution(built_book: dict) -> None:
    """Binder and Colab cannot run a Markdown chapter, so its page has no launch button; an
    exercise's download is the student edition (see clustersim/course/book.py)."""
    html_dir = built_book["html"]
    chapters = [p for p in _pages(html_dir) if "book" in p.relative_to(html_dir).parts]
    assert chapters
    for page in chapters:
        text = page.read_text("utf-8")
        assert "mybinder.org" not in text and "colab.research.google.com" not in text, page.name
    for served in (html_dir / "_sources" / "exercises").glob("*.ipynb"):
        cells = json.loads(served.read_text("utf-8"))["cells"]
        assert not any("solution" in c["metadata"].get("tags", []) for c in cells), served.name


class _Links(HTMLParser):
    """Collects a page's link targets (a href, img src) and the ids it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name"):
            if values.get(name):
                self.ids.add(values[name] or "")
        address = values.get("href") if tag == "a" else values.get("src") if tag == "img" else None
        if address:
            self.targets.append(address)


def test_every_link_within_the_book_leads_somewhere(built_book: dict) -> None:
    """Each link to another page of the book names a file that exists and, with a #fragment,
    an id on that page (the widgets' kernel note once led to book/book/welcome.html)."""
    from urllib.parse import unquote

    html_dir = built_book["html"]
    parsed: dict[Path, _Links] = {}

    def links(page: Path) -> _Links:
        if page not in parsed:
            parsed[page] = _Links()
            parsed[page].feed(page.read_text(encoding="utf-8"))
        return parsed[page]

    broken = []
    for page in _pages(html_dir):
        if "_static" in page.parts:
            continue
        for address in links(page).targets:
            url = urlparse(address)
            if url.scheme or address.startswith("//"):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            where = f"{page.relative_to(html_dir)}: {address}"
            if not target.is_file():
                broken.append(f"{where} (no such file)")
            elif url.fragment and target.suffix == ".html" and \
                    unquote(url.fragment) not in links(target).ids:
                broken.append(f"{where} (no such anchor)")
    assert not broken, "links that lead nowhere:\n" + "\n".join(broken[:20])
