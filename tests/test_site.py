"""Every page of the built book in a real browser (Debian's Chromium driven by Playwright).

For each page: no request leaves 127.0.0.1, no unexpected console error, every plotly figure
is drawn, and axe-core reports no serious or critical accessibility violation. On a phone
(390 x 844): the chapter list and page contents open, no page scrolls sideways and no legend
overlaps a slider. In dark mode: no colour-contrast violation. At 4x CPU slowdown: the heaviest
lab draws its first figure within a budget.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from clustersim.widgets.base import OFFLINE_SECTION

pytestmark = pytest.mark.slow


def _pages(built_book: dict) -> list[str]:
    html_dir = built_book["html"]
    return sorted(
        str(p.relative_to(html_dir)) for p in html_dir.rglob("*.html")
        if p.name not in ("genindex.html", "search.html") and "_static" not in p.parts
    )


def _visit(browser, base_url: str, page_path: str, redirects: bool) -> dict:
    context = browser.new_context(viewport=LAPTOP)
    seen = _load(context, base_url, page_path, redirects)
    from axe_playwright_python.sync_playwright import Axe

    page = seen.pop("page")
    wide_tables = page.evaluate(_TABLES_PAST_THEIR_COLUMN_JS, True)
    violations = [
        v for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    context.close()
    return {**seen, "violations": violations, "wide_tables": wide_tables}


LAPTOP = {"width": 1280, "height": 800}
# Tables wider than the column they are in. On a laptop (`laptop` true) none may be: a
# reader had to scroll the self-healing lab's failure-detection table (920 px in the 688 px
# column), the orchestration chapter's comparison (753 px), troubleshooting's refusals and the
# instructors' tables sideways to find their last column. On a phone a table may scroll
# sideways in its box, with a shadow on the side that has more; none may run past the
# column or be cut by a box that does not scroll. Tables out of sight (a closed toggle) are
# left out.
_TABLES_PAST_THEIR_COLUMN_JS = """laptop => {
  const cued = box => getComputedStyle(box).backgroundImage.includes('gradient')
    || ['::before', '::after'].some(p => { const s = getComputedStyle(box, p);
         return s.backgroundImage.includes('gradient') && Number(s.opacity) > 0; });
  const column = document.querySelector('.bd-article');
  if (!column) return [];
  const edge = column.getBoundingClientRect();
  const found = [];
  for (const t of column.querySelectorAll('table')) {
    const r = t.getBoundingClientRect();
    if (!r.width) continue;
    const name = t.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40);
    let box = t;
    while (box !== column && !['auto', 'scroll', 'hidden', 'clip']
             .includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (box === column) {
      if (r.right > edge.right + 1) {
        found.push(`${name}: ${Math.round(r.right - edge.right)} px past the column`);
      }
    } else if (box.scrollWidth > box.clientWidth + 1) {
      const how = ['hidden', 'clip'].includes(getComputedStyle(box).overflowX) ? 'cut'
        : laptop ? 'scrolls' : cued(box) ? '' : 'scrolls with no shadow';
      if (how) found.push(`${name}: ${box.scrollWidth} px in a ${box.clientWidth} px box, ${how}`);
    }
  }
  return found;
}"""


def _load(context, base_url: str, page_path: str, redirects: bool = False) -> dict:
    """Open one page, wait for its figures; what it requested and logged, and the page."""
    page = context.new_page()
    foreign: list[str] = []
    console: list[str] = []

    def route(route_request) -> None:
        url = route_request.request.url
        if urlparse(url).hostname not in ("127.0.0.1", None) and not url.startswith("data:"):
            foreign.append(url)
            route_request.abort()
        else:
            route_request.continue_()

    page.route("**/*", route)
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: console.append(str(err.message)))
    broken: list[str] = []
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    response = page.goto(f"{base_url}/{page_path}", wait_until="load")
    if redirects:  # e.g. index.html, a meta refresh to the welcome page: check where it lands
        page.wait_for_url(lambda url: not url.endswith("/" + page_path))
        page.wait_for_load_state("load")
    # .plotly-graph-div is in the page's HTML; plotly.js adds .js-plotly-plot and the SVG when
    # it draws. Counting the former finds figures that failed to draw.
    figures = page.locator(".plotly-graph-div").count()
    drawn = 0
    if figures:
        with contextlib.suppress(PlaywrightTimeout):  # reported below as figures not drawn
            page.wait_for_function(
                "n => document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= n",
                arg=figures, timeout=20_000,
            )
        drawn = page.evaluate(
            "Array.from(document.querySelectorAll('.plotly-graph-div'))"
            ".filter(f => f.querySelector('.js-plotly-plot svg.main-svg, svg.main-svg')).length"
        )
    # What the page itself did, recorded before axe-core runs: axe fetches stylesheets on its
    # own to inspect the CSSOM and resolves their @import paths against the page, not the
    # stylesheet (a 404 for /basic.css that no reader's browser ever requests).
    return {"status": response.status if response else None, "foreign": list(foreign),
            "console": list(console), "broken": list(broken), "figures": figures,
            "drawn": drawn, "page": page}


@pytest.fixture(scope="module")
def visits(browser, serve_html: str, built_book: dict) -> dict[str, dict]:
    assert built_book["returncode"] == 0, "the book did not build; see test_book.py"
    html_dir = built_book["html"]
    visits = {}
    for path in _pages(built_book):
        redirects = 'http-equiv="refresh"' in (html_dir / path).read_text().lower()
        visits[path] = _visit(browser, serve_html, path, redirects)
    return visits


def test_every_page_loads(visits: dict) -> None:
    assert visits
    bad = {p: v["status"] for p, v in visits.items() if v["status"] != 200}
    assert not bad


def test_no_request_leaves_the_machine(visits: dict) -> None:
    foreign = {p: v["foreign"] for p, v in visits.items() if v["foreign"]}
    assert not foreign, f"requests to other hosts: {foreign}"


def test_no_broken_resource(visits: dict) -> None:
    broken = {p: v["broken"] for p, v in visits.items() if v["broken"]}
    assert not broken, f"responses with an error status: {broken}"


def test_no_unexpected_console_error(visits: dict) -> None:
    # A fresh browser profile (a first visit) has no saved light/dark choice: the theme then
    # reads _config.yml's default_mode, and logged "Got invalid theme mode" while it was unset.
    unexpected = {p: v["console"] for p, v in visits.items() if v["console"]}
    assert not unexpected, f"console errors: {unexpected}"


def test_every_plotly_figure_is_drawn(visits: dict) -> None:
    assert sum(v["figures"] for v in visits.values()) > 0, "no page has a figure"
    undrawn = {
        p: (v["drawn"], v["figures"]) for p, v in visits.items() if v["drawn"] != v["figures"]
    }
    assert not undrawn


def test_no_table_is_wider_than_its_column_on_a_laptop(visits: dict) -> None:
    wide = {p: v["wide_tables"] for p, v in visits.items() if v["wide_tables"]}
    assert not wide, f"tables wider than their column at {LAPTOP['width']} px: {wide}"


def test_no_serious_accessibility_violation(visits: dict) -> None:
    found = {
        p: [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in visit["violations"]]
        for p, visit in visits.items() if visit["violations"]
    }
    assert not found, f"axe-core: {found}"


# --- Phones, tablets and dark mode -----------------------------------------------------------

PHONE = {"width": 390, "height": 844}
_WIDE_AT_FIRST = {"width": 1366, "height": 844}
LAB = "notebooks/networking.html"
# The pages the issue names: a lab, the comparison page and an exercise page.
DARK_PAGES = ("notebooks/networking.html", "book/comparing/case-study-2019.html",
              "exercises/networking.html")
# The lab with the most figures and the most figure data (it needs the full plotly.js bundle:
# icicle and table traces are not in the basic one).
HEAVIEST_LAB = "notebooks/three-dialects.html"
# At 4x CPU slowdown, from navigation start, on the heaviest lab. Measured on this 2-core
# machine shared with other jobs (load 5-7): with plotly.js blocking in <head>, text painted
# after 8.0 s and the first figure after 9.1 s (10-13 s in the review); with plotly.js
# deferred and one figure per task, text after 1.1-2.5 s and the first figure after 7.0 s
# (idle) to 10-12.6 s (loaded). The paint budget is what catches a blocking bundle; the figure
# budget leaves room for a busy machine. Pages with only scatter and bar traces load the basic
# bundle: self-healing drew its first figure after 2.7 s under the same load.
FIRST_FIGURE_BUDGET_MS = 15_000
FIRST_PAINT_BUDGET_MS = 4_000


def _chapters_shown(page) -> int:
    """Chapter links a reader can see: in the drawer (phones, tablets) or the sidebar."""
    return page.locator(
        "#pst-primary-sidebar-modal[open] .bd-toc-item a:visible,"
        " #pst-primary-sidebar .bd-toc-item a:visible"
    ).count()


@pytest.mark.parametrize("width", [390, 800, 1366])
def test_chapter_list_opens_at_every_width(browser, serve_html: str, width: int) -> None:
    """The visible sidebar button shows the chapter list (a drawer on phones and tablets)."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(f"{serve_html}/{LAB}", wait_until="load")
    before = _chapters_shown(page)
    button = page.locator(".primary-toggle:visible")
    assert button.count() == 1, "exactly one visible chapter-list button"
    button.click()
    page.wait_for_timeout(500)
    after = _chapters_shown(page)
    context.close()
    if width < 960:  # a drawer: hidden, then open
        assert before == 0 and after > 10
    else:  # beside the page: the button hides it
        assert before > 10 and after == 0


@pytest.mark.parametrize("width", [390, 800])
def test_page_contents_open_on_phones_and_tablets(browser, serve_html: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(f"{serve_html}/{LAB}", wait_until="load")
    page.locator(".secondary-toggle:visible").click()
    page.wait_for_timeout(500)
    links = page.locator("#pst-secondary-sidebar-modal[open] .toc-entry a:visible").count()
    context.close()
    assert links > 3, "the page-contents drawer shows the lab's sections"


@pytest.mark.parametrize("width", [390, 1366])
def test_no_empty_header_bar(browser, serve_html: str, width: int) -> None:
    """The theme's top bar holds nothing in this book: it must not take space (a second
    search box on an empty 64 px bar, before the theme pairing was fixed)."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(f"{serve_html}/{LAB}", wait_until="load")
    height = page.locator(".bd-header").evaluate("h => h.getBoundingClientRect().height")
    searches = page.locator(".search-button:visible, .bd-search:visible").count()
    context.close()
    assert height < 1
    assert searches <= 1


# Parts of a page wider than the screen, outside any box that scrolls or clips on its own.
_OVERFLOW_JS = """() => {
  const limit = window.innerWidth + 1;
  const scrolls = el => { for (let a = el.parentElement; a && a !== document.body;
      a = a.parentElement) { const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true; }
    return false; };
  const wide = [];
  for (const el of document.querySelectorAll('.bd-article *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > limit && !scrolls(el)) {
      wide.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
        ? '.' + String(el.className).split(' ')[0] : '') + ' ' + Math.round(r.right));
      if (wide.length > 4) break;
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, wide};
}"""

# Pairs of a figure's legend and its slider, buttons or title whose boxes intersect.
_LEGEND_OVERLAP_JS = """() => {
  const hits = [];
  const box = el => el.getBoundingClientRect();
  const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom
      && b.top < a.bottom;
  for (const fig of document.querySelectorAll('.js-plotly-plot')) {
    const legend = fig.querySelector('g.legend');
    if (!legend || !box(legend).width) continue;
    for (const c of fig.querySelectorAll('g.slider-container, g.updatemenu-container,'
                                         + ' g.g-gtitle')) {
      if (box(c).width && meet(box(legend), box(c))) hits.push(fig.id);
    }
  }
  return hits;
}"""


# Figures whose drawing area (each subplot's background) is shorter than a thumb's reach.
_SHORT_PLOTS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(fig => [fig.id, Math.min(...Array.from(fig.querySelectorAll('g.draglayer .nsewdrag'))
      .map(r => r.getBoundingClientRect().height))])
  .filter(([id, h]) => Number.isFinite(h) && h < 120)"""


# Figures whose drawing area is under half their width: long axis labels (an event timeline's
# reasons) squeezed the plot into a sliver.
_NARROW_PLOTS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(fig => [fig.id, fig.getBoundingClientRect().width, Math.min(...Array.from(
      fig.querySelectorAll('g.draglayer .nsewdrag')).map(r => r.getBoundingClientRect().width))])
  .filter(([, figure, plot]) => Number.isFinite(plot) && plot < figure / 2)
  .map(([id, figure, plot]) => `${id}: ${Math.round(plot)} of ${Math.round(figure)} px`)"""


# Annotations (mark labels, subplot titles) of one figure whose text boxes overlap.
_LABEL_COLLISIONS_JS = """() => {
  const hits = [];
  for (const fig of document.querySelectorAll('.js-plotly-plot')) {
    const boxes = Array.from(fig.querySelectorAll('g.annotation'))
      .map(a => [a.textContent, a.getBoundingClientRect()]).filter(([, r]) => r.width);
    boxes.forEach(([ta, a], i) => boxes.slice(i + 1).forEach(([tb, b]) => {
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
          && b.top < a.bottom - 1) hits.push(fig.id + ': ' + ta + ' / ' + tb);
    }));
  }
  return hits;
}"""

# Text outputs cut at the column edge or bent out of shape: prose (no run of spaces, no
# indented line) wider than its box, or laid-out text (a kubectl table, YAML) that wraps.
_TEXT_OUTPUTS_JS = """() => {
  const laidOut = /(^|\\n)[ \\t]|\\S(  |\\t)/;
  const found = [];
  for (const p of document.querySelectorAll('div.cell_output .output pre')) {
    const text = p.textContent.replace(/\\s+$/, '');
    const wraps = getComputedStyle(p).whiteSpace !== 'pre';
    if (laidOut.test(text) ? wraps && !p.closest('.traceback')
                           : p.scrollWidth > p.clientWidth + 1) {
      found.push((wraps ? 'wrapped: ' : 'cut: ') + text.slice(0, 50));
    }
  }
  return found;
}"""

# Boxes that scroll sideways (a table's, a text output's, a diagram's) with no cue that there
# is more to the side: no shadow drawn by their background, nor by a ::before/::after.
_SILENT_SCROLL_JS = """() => {
  const cued = box => {
    if (getComputedStyle(box).backgroundImage.includes('gradient')) return true;
    return ['::before', '::after'].some(p => { const s = getComputedStyle(box, p);
      return s.backgroundImage.includes('gradient') && Number(s.opacity) > 0; });
  };
  const silent = [];
  for (const el of document.querySelectorAll('.bd-article table, div.cell_output pre,'
                                             + ' .bd-article div.highlight pre,'
                                             + ' .bd-article img')) {
    let box = el;
    while (box && box !== document.body
           && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    if (box && box !== document.body && box.scrollWidth > box.clientWidth + 1 && !cued(box)) {
      silent.push(el.tagName.toLowerCase() + ' ' + (el.getAttribute('src')
                  || el.textContent.trim().slice(0, 40)));
    }
  }
  return silent;
}"""

# Tables that scroll sideways whose shadow (drawn in their box's background) lies under rows
# or cells painted at least half opaque: the theme's striped rows hid it.
_SHADOW_UNDER_ROWS_JS = """() => {
  const opaque = el => { const c = getComputedStyle(el).backgroundColor.match(/[\\d.]+/g);
    return c.length < 4 || Number(c[3]) >= 0.5; };
  const found = [];
  for (const box of document.querySelectorAll('.bd-article .pst-scrollable-table-container,'
                                              + ' .bd-article div.cell_output .text_html table')) {
    if (box.scrollWidth <= box.clientWidth + 1) continue;
    const covers = Array.from(box.querySelectorAll('thead, tbody, tr, th, td')).filter(opaque);
    if (covers.length) {
      found.push(`${covers.length} rows or cells: ${box.textContent.trim().slice(0, 30)}`);
    }
  }
  return found;
}"""

# Figure text past the figure's edges: its title, axis titles and panel titles.
_TEXT_PAST_FIGURE_JS = """() => {
  const found = [];
  for (const fig of document.querySelectorAll('.js-plotly-plot')) {
    const f = fig.getBoundingClientRect();
    const parts = fig.querySelectorAll('g.g-gtitle, g.g-xtitle, g.g-ytitle,'
                                       + ' g.annotation');
    for (const part of parts) {
      const r = part.getBoundingClientRect();
      if (r.width && (r.left < f.left - 1 || r.right > f.right + 1)) {
        found.push(`${fig.id}: ${part.textContent.slice(0, 40)} (${Math.round(r.width)} px`
                   + ` in ${Math.round(f.width)})`);
      }
    }
  }
  return found;
}"""

# A slider's value ("CPU request: 250m") drawn over or against the x axis title (under 4 px
# apart: "250mnode").
_SLIDER_ON_AXIS_TITLE_JS = """() => {
  const meet = (a, b) => a.left < b.right + 4 && b.left < a.right + 4 && a.top < b.bottom
      && b.top < a.bottom;
  const hits = [];
  for (const fig of document.querySelectorAll('.js-plotly-plot')) {
    const value = fig.querySelector('g.slider-group > text.slider-label'); // its value
    const title = fig.querySelector('g.g-xtitle');
    if (value && title && meet(value.getBoundingClientRect(), title.getBoundingClientRect())) {
      hits.push(`${fig.id}: ${value.textContent} / ${title.textContent}`);
    }
  }
  return hits;
}"""

# Figure text drawn under 10 px (an icicle scales a label down to fit its box).
_TINY_FIGURE_TEXT_JS = """() => Array.from(document.querySelectorAll(
    '.js-plotly-plot text.slicetext'))
  .map(t => [t, parseFloat(getComputedStyle(t).fontSize) * t.getCTM().a])
  .filter(([t, px]) => t.textContent && px < 10)
  .map(([t, px]) => `${t.closest('.js-plotly-plot').id}: ${t.textContent} ${px.toFixed(1)} px`)"""

# Table figures (a selector's pods): cell text wider than its column, and the figure's empty
# foot below the table.
_TABLE_FIGURES_JS = """() => {
  const found = [];
  for (const fig of document.querySelectorAll('.js-plotly-plot')) {
    const cells = Array.from(fig.querySelectorAll('g.column-cell'));
    if (!cells.length) continue;
    let bottom = 0;
    for (const cell of cells) {
      const rect = cell.querySelector('rect.cell-rect').getBoundingClientRect();
      const text = cell.querySelector('text.cell-text');
      bottom = Math.max(bottom, rect.bottom);
      if (text && text.getBoundingClientRect().right > rect.right + 1) {
        found.push(`${fig.id}: ${text.textContent.slice(0, 30)} cut`);
      }
    }
    const foot = fig.getBoundingClientRect().bottom - bottom;
    if (foot > 40) found.push(`${fig.id}: ${Math.round(foot)} px empty below the table`);
  }
  return found;
}"""

# Columns of Markdown tables and DataFrames squeezed: a cell of prose (over 60 characters)
# under 150 px wide, or a one-word cell (a pod name) broken over lines (its text's line boxes
# more than half a line apart). A table of three columns or fewer shares its box among its
# columns, as far as its words let it (narrow_tables): its prose may take less.
_SQUEEZED_COLUMNS_JS = """() => {
  const found = [];
  const cells = document.querySelectorAll('.bd-article table.table td,'
                                          + ' .bd-article table.dataframe td');
  const shares = t => t.rows[0].cells.length <= 3;
  for (const cell of cells) {
    const text = cell.textContent.trim();
    const width = cell.getBoundingClientRect().width;
    if (text.length > 60 && width < 150 && !shares(cell.closest('table'))) {
      found.push(`${Math.round(width)} px: ${text.slice(0, 30)}`);
    } else if (text && !/\\s/.test(text) && text.length <= 26) {
      const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      const tops = [];
      for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) if (r.width) tops.push(r.top);
      }
      const half = parseFloat(getComputedStyle(cell).lineHeight) / 2 || 8;
      tops.sort((a, b) => a - b);
      const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1] > half).length;
      if (lines > 1) found.push(`broken over ${lines} lines: ${text}`);
    }
  }
  return found.slice(0, 6);
}"""

# Names in code in a table cell broken over lines ("-" over "d", "db-" over "0"), but for
# those too long for any cell (course.js marks them).
_NAMES_BROKEN_IN_CELLS_JS = """() => {
  const found = [];
  for (const word of document.querySelectorAll(
      '.bd-article td code.literal span.pre, .bd-article th code.literal span.pre')) {
    if (word.closest('.clustersim-long-name')) continue;
    const tops = new Set(Array.from(word.getClientRects(), r => Math.round(r.top)));
    if (tops.size > 1) found.push(word.textContent);
  }
  return found.slice(0, 6);
}"""

# Words joined by hyphens outside code in a table cell, header or not, broken at a hyphen
# ("kube-" over "apiserver", "2026-" over "11-24"); a longer one than a cell asks room for
# (course.js: 26 characters, a DNS name, a pod's name) may break.
_JOINED_WORDS_BROKEN_JS = """() => {
  const found = [];
  for (const cell of document.querySelectorAll('.bd-article th, .bd-article td')) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const words = /\\S*\\w-\\w\\S*/g;
      for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
        if (m[0].length > 26) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width)
                               .map(r => Math.round(r.top)));
        if (tops.size > 1) found.push(`${cell.tagName}: ${m[0]}`);
      }
    }
  }
  return found.slice(0, 6);
}"""

# A DataFrame's cells with under MIN_CELL_PADDING_PX of padding on a side: pandas writes
# border="1", and the browser's 1 px for such a table ran its numbers together.
MIN_CELL_PADDING_PX = 4
_TIGHT_DATAFRAME_CELLS_JS = """px => Array.from(document.querySelectorAll(
    '.bd-article table.dataframe th, .bd-article table.dataframe td'))
  .map(cell => getComputedStyle(cell))
  .filter(s => Math.min(parseFloat(s.paddingLeft), parseFloat(s.paddingRight)) < px)
  .map(s => `${s.paddingLeft} ${s.paddingRight}`).slice(0, 3)"""

# Mark labels (hung from a panel's top: "NotReady") written over a target's dashed line
# across the same panel.
_LABELS_ON_LEVEL_LINES_JS = """() => {
  const hits = [];
  for (const fig of document.querySelectorAll('.js-plotly-plot')) {
    const full = fig._fullLayout;
    const top = fig.getBoundingClientRect().top;
    const levels = (full.shapes || []).filter(s => s.y0 === s.y1 && !/domain/.test(s.yref))
      .map(s => { const axis = full[s.yref.replace('y', 'yaxis')];
                  return [s.yref, top + axis._offset + axis.l2p(s.y0)]; });
    for (const label of fig.querySelectorAll('g.annotation')) {
      const note = (fig.layout.annotations || [])[Number(label.dataset.index)] || {};
      if (!/ domain$/.test(note.yref || '')) continue;
      const text = label.querySelector('text').getBoundingClientRect();
      for (const [yref, y] of levels) {
        if (yref === note.yref.split(' ')[0] && text.top < y + 1 && y - 1 < text.bottom) {
          hits.push(`${fig.id}: ${label.textContent} on the line at ${Math.round(y - top)} px`);
        }
      }
    }
  }
  return hits;
}"""

# Text no scrolling shows whole: a line of a table cell or caption wider than the box its
# table scrolls in (cut at the edge wherever the table is scrolled to; an output's table is
# its own box), a check's answer past its box.
_WIDER_THAN_BOX_JS = """() => {
  const found = [];
  for (const cell of document.querySelectorAll('.bd-article td, .bd-article caption')) {
    let box = cell.closest('table');
    while (box && box !== document.body
           && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    if (!box || box === document.body) continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const widest = Math.max(0, ...Array.from(range.getClientRects(), r => r.width));
    if (widest > box.clientWidth + 1) {
      found.push(`${Math.round(widest)} px line in a ${box.clientWidth} px box:`
                 + ` ${cell.textContent.trim().slice(0, 30)}`);
    }
  }
  for (const note of document.querySelectorAll('.clustersim-feedback')) {
    if (note.scrollWidth > note.clientWidth + 1) {
      found.push(`feedback ${note.scrollWidth - note.clientWidth} px past its box:`
                 + ` ${note.textContent.trim().slice(0, 30)}`);
    }
  }
  return found.slice(0, 6);
}"""

# Figure titles broken into lines whose last line is a scrap ("30 / s") beside a long first.
_UNBALANCED_TITLES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot g.g-gtitle'))
  .map(t => Array.from(t.querySelectorAll('tspan.line')).map(l => l.textContent))
  .filter(lines => lines.length > 1
          && lines[lines.length - 1].length < Math.max(...lines.map(l => l.length)) / 3)
  .map(lines => lines.join(' | '))"""


# Tables of two or three columns wider than the box they scroll in, though their words (each
# column's narrowest content, with the cell's padding and borders) fit it: a column cut on
# every row where nothing needed scrolling (the welcome page's course map, 476 px in 358).
_NARROW_TABLES_WIDER_THAN_BOX_JS = """() => {
  const found = [];
  for (const t of document.querySelectorAll('.bd-article table.table,'
                                            + ' .bd-article table.dataframe')) {
    const box = t.parentElement.clientWidth;
    const width = t.getBoundingClientRect().width;
    const columns = [];
    for (const row of t.rows) {
      Array.from(row.cells).forEach((cell, i) => {
        // The cell's content as narrow as its words let it be, measured inside the cell, a
        // name such as node-1 whole (a non-breaking hyphen).
        const probe = document.createElement('div');
        probe.style.cssText = 'position: absolute; visibility: hidden; width: min-content';
        cell.append(probe);
        Array.from(cell.childNodes).filter(n => n !== probe)
          .forEach(n => probe.append(n.cloneNode(true)));
        const walk = document.createTreeWalker(probe, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          n.data = n.data.replaceAll('-', '\\u2011');
        }
        const style = getComputedStyle(cell);
        const frame = ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth']
          .reduce((px, side) => px + parseFloat(style[side]), 0);
        columns[i] = Math.max(columns[i] || 0, probe.getBoundingClientRect().width + frame);
        probe.remove();
      });
    }
    const words = columns.reduce((a, b) => a + b, 0);
    if (columns.length <= 3 && width > box + 1 && words <= box) {
      found.push(`${Math.round(width)} px in ${box}, its words ${Math.round(words)}:`
                 + ` ${t.textContent.trim().replace(/\\s+/g, ' ').slice(0, 30)}`);
    }
  }
  return found;
}"""

# Figure titles drawn over the labels of marks above the plot ("node fails").
_TITLE_ON_MARKS_JS = """() => {
  const hits = [];
  for (const fig of document.querySelectorAll('.js-plotly-plot')) {
    const title = fig.querySelector('g.g-gtitle');
    const t = title && title.getBoundingClientRect();
    if (!t || !t.height) continue;
    for (const mark of fig.querySelectorAll('g.annotation')) {
      const m = mark.getBoundingClientRect();
      if (m.height && t.left < m.right && m.left < t.right && t.top < m.bottom
          && m.top < t.bottom) hits.push(fig.id + ': ' + mark.textContent);
    }
  }
  return hits;
}"""

# Labels of lines on a plot drawn over the markers of a series: a horizontal line across it
# (a target: x in the axis' domain) or a vertical one at a time (a mark: x in data). Panel
# titles (x in paper) sit above the plots.
_LABELS_ON_POINTS_JS = """() => {
  const hits = [];
  for (const fig of document.querySelectorAll('.js-plotly-plot')) {
    const points = Array.from(fig.querySelectorAll('g.scatterlayer path.point'))
      .map(p => p.getBoundingClientRect()).filter(r => r.width);
    const across = (fig.layout.annotations || []).map(a => (a.xref || 'paper') !== 'paper');
    for (const label of fig.querySelectorAll('g.annotation')) {
      if (!across[Number(label.dataset.index)]) continue;
      const a = label.getBoundingClientRect();
      const on = points.filter(p => a.left < p.right && p.left < a.right && a.top < p.bottom
                                     && p.top < a.bottom).length;
      if (a.width && on) hits.push(`${fig.id}: ${label.textContent} over ${on} markers`);
    }
  }
  return hits;
}"""

# Titles pinned to a figure's top (course.js: a title in lines on a phone) whose first line
# starts more than PINNED_TITLE_PX below it: a band of empty space over the figure.
PINNED_TITLE_PX = 14
_BAND_ABOVE_TITLES_JS = """px => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter(fig => fig._fullLayout.title.yanchor === 'top' && fig._fullLayout.title.y === 1)
  .map(fig => [fig.id, fig.querySelector('g.g-gtitle').getBoundingClientRect().top
                       - fig.getBoundingClientRect().top])
  .filter(([, gap]) => gap > px)
  .map(([id, gap]) => `${id}: ${Math.round(gap)} px`)"""

# Headings whose lines break inside a word other than at a camelCase hump, a hyphen or a
# slash ("minimumHealthCapacit" over "y").
_HEADINGS_BROKEN_MID_WORD_JS = """() => {
  const found = [];
  for (const h of document.querySelectorAll('.bd-content h1, .bd-content h2, .bd-content h3')) {
    const chars = [];
    const walk = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      if (node.parentElement.closest('a.headerlink')) continue;
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        if (r.height) chars.push([node.data[i], r.top]);
      }
    }
    const half = parseFloat(getComputedStyle(h).fontSize) / 2;
    for (let i = 1; i < chars.length; i++) {
      const [before, top] = chars[i - 1];
      const [after, next] = chars[i];
      if (next - top > half && /\\S/.test(before) && /\\S/.test(after)
          && !/[-/]/.test(before) && !(/[a-z]/.test(before) && /[A-Z]/.test(after))) {
        found.push(h.textContent.trim().slice(0, 40) + ': ' + before + ' | ' + after);
      }
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def phone_visits(browser, serve_html: str, built_book: dict) -> dict[str, dict]:
    """Every page at 390 x 844: its sideways overflow and its legend/slider overlaps."""
    assert built_book["returncode"] == 0, "the book did not build; see test_book.py"
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    visits = {}
    for path in _pages(built_book):
        redirects = 'http-equiv="refresh"' in (built_book["html"] / path).read_text().lower()
        seen = _load(context, serve_html, path, redirects)
        page = seen.pop("page")
        visits[path] = {**seen, **page.evaluate(_OVERFLOW_JS),
                        "overlaps": page.evaluate(_LEGEND_OVERLAP_JS),
                        "short": page.evaluate(_SHORT_PLOTS_JS),
                        "narrow": page.evaluate(_NARROW_PLOTS_JS),
                        "collisions": page.evaluate(_LABEL_COLLISIONS_JS),
                        "text": page.evaluate(_TEXT_OUTPUTS_JS),
                        "silent": page.evaluate(_SILENT_SCROLL_JS),
                        "shadow": page.evaluate(_SHADOW_UNDER_ROWS_JS),
                        "past": page.evaluate(_TEXT_PAST_FIGURE_JS),
                        "slider": page.evaluate(_SLIDER_ON_AXIS_TITLE_JS),
                        "tiny": page.evaluate(_TINY_FIGURE_TEXT_JS),
                        "tables": page.evaluate(_TABLE_FIGURES_JS),
                        "squeezed": page.evaluate(_SQUEEZED_COLUMNS_JS),
                        "names": page.evaluate(_NAMES_BROKEN_IN_CELLS_JS),
                        "joined": page.evaluate(_JOINED_WORDS_BROKEN_JS),
                        "padding": page.evaluate(_TIGHT_DATAFRAME_CELLS_JS,
                                                 MIN_CELL_PADDING_PX),
                        "labels_on_lines": page.evaluate(_LABELS_ON_LEVEL_LINES_JS),
                        "unbalanced": page.evaluate(_UNBALANCED_TITLES_JS),
                        "cut": page.evaluate(_WIDER_THAN_BOX_JS),
                        "wide_tables": page.evaluate(_TABLES_PAST_THEIR_COLUMN_JS, False),
                        "narrow_tables": page.evaluate(_NARROW_TABLES_WIDER_THAN_BOX_JS),
                        "title_marks": page.evaluate(_TITLE_ON_MARKS_JS),
                        "labels_on_points": page.evaluate(_LABELS_ON_POINTS_JS),
                        "headings": page.evaluate(_HEADINGS_BROKEN_MID_WORD_JS),
                        "title_band": page.evaluate(_BAND_ABOVE_TITLES_JS, PINNED_TITLE_PX)}
        page.close()
    context.close()
    return visits


def test_no_page_scrolls_sideways_on_a_phone(phone_visits: dict) -> None:
    wide = {p: (v["scrollWidth"], v["wide"]) for p, v in phone_visits.items()
            if v["scrollWidth"] > PHONE["width"] or v["wide"]}
    assert not wide, f"pages wider than a 390 px phone: {wide}"


def test_no_page_error_on_a_phone(phone_visits: dict) -> None:
    errors = {p: v["console"] for p, v in phone_visits.items() if v["console"]}
    assert not errors
    undrawn = {p: v["figures"] - v["drawn"] for p, v in phone_visits.items()
               if v["drawn"] != v["figures"]}
    assert not undrawn, f"figures not drawn on a phone: {undrawn}"


# What each check of the phone visits finds, and why it is there.
PHONE_CHECKS = {
    "overlaps": "legends on top of sliders or buttons",
    "short": "plot areas under 120 px high",
    "narrow": "plot areas under half their figure's width",
    "collisions": "annotations written over each other",
    # FailedScheduling messages wrap instead of ending at the edge; kubectl's tables and YAML
    # keep their columns and indentation (every output wrapped, and lost both) and scroll.
    "text": "text outputs cut at the column edge or wrapped out of shape",
    # The diagrams showed their left 45 % with no sign of the rest; the cheat sheet's twelve
    # code blocks were cut at the edge.
    "silent": "tables, text outputs or diagrams that scroll sideways without a shadow",
    # The self-healing lab's "what happened" table: cut mid-word at the edge, no shadow seen.
    "shadow": "tables that scroll sideways with their shadow under opaque striped rows",
    # Marathon panel titles that named each knob twice; the DRF figure's x axis title.
    "past": "figure text past the figure's edges",
    "slider": "slider values drawn over x axis titles (\"250mnode\")",
    "tiny": "group-tree labels under 10 px",
    "tables": "table figures with cut cells or an empty foot",
    # Timetables squeezed their "what" column to 90 px; DataFrames broke pod names.
    "squeezed": "table columns squeezed instead of scrolling",
    # The instructors' offline steps split `-d` and `--keep-going` at their hyphens.
    "names": "names in code broken over lines in table cells",
    # The day-2 timetable's header "kube-" over "apiserver", references' "2026-" over "11-24".
    "joined": "words joined by hyphens broken at a hyphen in table cells",
    # The fleet lab's DataFrames: 1 px between columns of numbers.
    "padding": "DataFrame cells with next to no padding",
    # The self-healing lab's "NotReady" and "down" on the dashed line of six tasks wanted.
    "labels_on_lines": "mark labels written over a target line",
    "unbalanced": "titles whose last line is a scrap (\"30 / s\")",
    # Troubleshooting's first column (an API path in code) was 471 px in a 358 px box; a
    # check's answer quoting a field path ran 81 px past the edge; the case study's
    # comparison captions ran on one line up to 230 px past it.
    "cut": "table cell and caption lines wider than their table's box, check answers past"
           " their box",
    "wide_tables": "tables past the column, cut, or scrolling without a shadow",
    # The course map, case-study and instructors' two- and three-column tables were 369 to
    # 737 px wide in a 358 px box, each cell asking up to 16 em.
    "narrow_tables": "tables of three columns or fewer wider than their box and their words",
    # three-dialects' capacity figure: its title in three lines ran onto "node fails".
    "title_marks": "figure titles over the labels of marks above the plot",
    # "target 4.8" sat at the top left, where the rolling updates' lines rise through it; the
    # storage lab's "out-of-service taint" on the first machine's markers.
    "labels_on_points": "labels of lines across or up a plot drawn over a series' markers",
    "headings": "headings broken inside a word (\"minimumHealthCapacit / y\")",
    # three-dialects' capacity figure: its title in three lines started 29 px down, where
    # plotly lifts a title in lines by its cap height and course.js padded it a line per line.
    "title_band": "figure titles pinned to the top that start far below it",
}


@pytest.mark.parametrize("check", PHONE_CHECKS)
def test_page_layout_on_a_phone(phone_visits: dict, check: str) -> None:
    found = {p: v[check] for p, v in phone_visits.items() if v[check]}
    assert not found, f"{PHONE_CHECKS[check]} on a phone: {found}"


def _phone_page(browser, base_url: str, path: str, dark: bool = False):
    """A page at 390 x 844 (a touch screen), its figures drawn; the page, its context and the
    console errors and page errors it logged, a list that grows as the page logs more."""
    options = {"color_scheme": "dark"} if dark else {}
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    if dark:
        context.add_init_script("localStorage.setItem('mode', 'dark')")
    seen = _load(context, base_url, path)
    page, errors = seen["page"], seen["console"]
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(str(err.message)))
    return page, context, errors


def test_launch_menu_icons_fit_the_menu_on_a_phone(browser, serve_html: str) -> None:
    """The phone rule that widens diagrams to 620 px stretched the launch menu's Binder logo
    into a 620 x 16 px bar over the "Binder" entry."""
    page, context, _ = _phone_page(browser, serve_html, LAB, dark=True)
    page.locator(".dropdown-launch-buttons > button").first.click()
    page.wait_for_timeout(300)
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.dropdown-launch-buttons img')).map(i => [i.getAttribute('src'),
        i.getBoundingClientRect().width, i.closest('ul').getBoundingClientRect().width])""")
    context.close()
    assert sizes, "no icon in the launch menu"
    assert all(width <= menu for _, width, menu in sizes), sizes


DIAGRAM_PAGES = [*(f"book/orchestrators/{name}.html"
                   for name in ("kubernetes", "swarm", "mesos-marathon")),
                 "book/foundations/orchestration.html",  # reconcile-loop.svg
                 "book/comparing/application-definitions.html"]  # kubernetes-labels.svg
MIN_DIAGRAM_TEXT_PX = 11

# Each diagram shown (an SVG image; its twin for the other width is display: none): where it
# lies, the part of the window its boxes let it show (a box that scrolls or clips cuts it),
# and its smallest text as drawn: the font-size each text (and tspan) of its file takes from
# itself or its nearest element that sets one, the <svg> included, scaled from its viewBox to
# the width it is shown at. (The smallest font-size attribute below the <svg> had missed the
# reconciliation loop, whose text takes its size from the <svg> alone.)
_DIAGRAMS_SHOWN_JS = """async () => {
  const shown = [];
  for (const img of document.querySelectorAll('.bd-article img[src$=".svg"]')) {
    const box = img.getBoundingClientRect();
    if (!box.width) continue;
    let [from, to] = [0, innerWidth];
    for (let up = img.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === 'visible') continue;
      const r = up.getBoundingClientRect();
      [from, to] = [Math.max(from, r.left + up.clientLeft),
                    Math.min(to, r.left + up.clientLeft + up.clientWidth)];
    }
    const text = await (await fetch(img.currentSrc)).text();
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    const sizes = Array.from(svg.querySelectorAll('text, tspan'),
                             e => Number(e.closest('[font-size]').getAttribute('font-size')));
    shown.push({src: img.getAttribute('src'), left: box.left, right: box.right, from, to,
                text: Math.min(...sizes) * box.width / svg.viewBox.baseVal.width});
  }
  return shown;
}"""


# Links around a diagram (Sphinx links a scaled image to its file) that the window shows while
# it hides every image inside them: a link with no name for a screen reader or the keyboard.
_EMPTY_IMAGE_LINKS_JS = """() => Array.from(
    document.querySelectorAll('.bd-article a.image-reference'))
  .filter(a => a.getClientRects().length
               && !Array.from(a.querySelectorAll('img')).some(i => i.getClientRects().length))
  .map(a => a.getAttribute('href'))"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", DIAGRAM_PAGES)
def test_diagrams_fit_a_phone(browser, serve_html: str, path: str,
                                           dark: bool) -> None:
    """The diagrams were drawn 720 to 780 px wide on a 390 px phone and scrolled sideways;
    their stacked drawings fit the screen, their text 11 px or more. The link around the
    hidden wide drawing stayed, with no name (axe's link-name)."""
    page, context, errors = _phone_page(browser, serve_html, path, dark=dark)
    shown = page.evaluate(_DIAGRAMS_SHOWN_JS)
    empty_links = page.evaluate(_EMPTY_IMAGE_LINKS_JS)
    context.close()
    assert shown, f"no diagram shown on {path}"
    assert not empty_links, f"links shown around hidden diagrams on {path}: {empty_links}"
    assert not errors
    cut = [f"{d['src']}: {d['left']:.0f} to {d['right']:.0f} px, seen {d['from']:.0f} to"
           f" {d['to']:.0f}" for d in shown
           if d["left"] < d["from"] - 1 or d["right"] > d["to"] + 1]
    assert not cut, f"diagrams wider than the phone or their box on {path}: {cut}"
    small = [f"{d['src']}: {d['text']:.1f} px" for d in shown if d["text"] < MIN_DIAGRAM_TEXT_PX]
    assert not small, f"diagram text under {MIN_DIAGRAM_TEXT_PX} px on {path}: {small}"


# Windows from the narrowest that shows the wide drawings up: 660 px and a tablet (768 px)
# without sidebars, 1024 px beside the chapter list, 1200 px where the page contents join it
# (the narrowest column, 688 px) and a laptop; 600 px, a window the stacked drawing now serves.
WIDE_WINDOWS = [600, 660, 768, 1024, 1200, 1280]
MIN_WIDE_DIAGRAM_TEXT_PX = 12


@pytest.mark.parametrize("width", WIDE_WINDOWS)
def test_diagram_text_is_readable_beyond_a_phone(browser, serve_html: str, width: int) -> None:
    """On 600 to 1280 px windows the wide drawings, their labels 12 units in 780, showed them
    at 8.5 to 11.4 px (600 px: 8.5, 768: 11.1, 1280: 10.3); every diagram's text is now
    12 px or more at every width from 600 px, the wide drawing's or its stacked twin's."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    small, seen = [], 0
    for path in DIAGRAM_PAGES:
        page = _load(context, serve_html, path)["page"]
        shown = page.evaluate(_DIAGRAMS_SHOWN_JS)
        page.close()
        seen += len(shown)
        small += [f"{path}: {d['src'].rsplit('/', 1)[-1]} {d['text']:.1f} px" for d in shown
                  if d["text"] < MIN_WIDE_DIAGRAM_TEXT_PX]
    context.close()
    assert seen == len(DIAGRAM_PAGES), f"{seen} diagrams shown on {len(DIAGRAM_PAGES)} pages"
    assert not small, f"diagram text under {MIN_WIDE_DIAGRAM_TEXT_PX} px at {width} px: {small}"


def test_chapter_drawer_opens_at_the_current_page(browser, serve_html: str) -> None:
    """The drawer opened at the top of the chapter list, the current page 1,600 px below."""
    page, context, _ = _phone_page(browser, serve_html, "exercises/self-healing.html")
    page.locator(".primary-toggle:visible").click()
    page.wait_for_timeout(600)
    box = page.evaluate("""() => { const d = document.getElementById('pst-primary-sidebar-modal');
        const r = Array.from(d.querySelectorAll('a.current, li.current > a')).pop()
          .getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; }""")
    context.close()
    top, bottom, height = box
    assert top >= 0 and bottom <= height, f"current entry at {top}-{bottom} px of {height}"


def test_selector_menu_stays_readable_on_a_phone(browser, serve_html: str) -> None:
    """In dark mode the open menu's header was pale text on plotly's #F4FAFF; a chosen
    entry's summary ran off the figure's right edge (titles wrapped only when drawn)."""
    page, context, errors = _phone_page(browser, serve_html,
                                        "book/comparing/application-definitions.html",
                                        dark=True)
    figure = page.locator(".js-plotly-plot:has(g.updatemenu-container)").first
    figure.scroll_into_view_if_needed()
    figure.locator("g.updatemenu-header").tap()
    page.wait_for_timeout(300)
    contrast = page.evaluate(_FILL_TEXT_CONTRAST_JS)
    figure.locator("g.updatemenu-dropdown-button").last.tap()
    page.wait_for_timeout(600)
    past = page.evaluate(_TEXT_PAST_FIGURE_JS)
    context.close()
    faint = [(text, round(r, 1)) for text, r, _ in contrast if r < 3]
    assert contrast, "no menu entry found"
    assert not faint, f"menu text under 3:1 in dark mode: {faint}"
    assert not past, past
    assert not errors, errors


def test_interrupting_an_animation_logs_no_error(browser, serve_html: str) -> None:
    """A tap on the slider while the animation plays made plotly reject the play button's
    promise: an uncaught "undefined" on the page."""
    page, context, errors = _phone_page(browser, serve_html, HEAVIEST_LAB)
    figure = page.locator(".js-plotly-plot:has(g.updatemenu-button)").first
    figure.scroll_into_view_if_needed()
    figure.locator("g.updatemenu-button").first.tap()
    page.wait_for_timeout(1500)
    rail = figure.locator("rect.slider-rail-rect").bounding_box()
    page.mouse.click(rail["x"] + rail["width"] * 0.3, rail["y"] + rail["height"] / 2)
    page.wait_for_timeout(1500)
    context.close()
    assert not errors, errors


def test_dominant_resource_outline_is_light_in_dark_mode(browser, serve_html: str) -> None:
    """The DRF figure outlines each framework's dominant resource in black: invisible on the
    dark plot, before and after the slider moves (each frame brings its own colours)."""
    page, context, _ = _phone_page(browser, serve_html, "notebooks/two-level-scheduling.html",
                                   dark=True)
    figure = page.locator(".js-plotly-plot:has(g.slider-container)", has_text="weight of")
    figure.scroll_into_view_if_needed()
    outlines = ("f => Array.from(f.querySelectorAll('g.point path')).map(p => getComputedStyle(p))"
                ".filter(s => parseFloat(s.strokeWidth) > 0).map(s => s.stroke)")
    before = figure.evaluate(outlines)
    rail = figure.locator("rect.slider-rail-rect").bounding_box()
    page.mouse.click(rail["x"] + rail["width"] - 3, rail["y"] + rail["height"] / 2)
    page.wait_for_timeout(800)
    after = figure.evaluate(outlines)
    context.close()
    assert before and after
    assert "rgb(0, 0, 0)" not in before + after, (before, after)


def test_slider_summary_follows_the_slider(browser, serve_html: str) -> None:
    """The networking explorer's waiting reasons are those of the step the slider shows."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{serve_html}/{LAB}", wait_until="load")
    box = page.locator(".clustersim-slider-panels").first
    box.locator(".js-plotly-plot svg.main-svg").first.wait_for(timeout=30_000)
    shown = ".clustersim-step-panel:not([hidden])"
    before = box.locator(shown).evaluate_all("ps => ps.map(p => p.dataset.frame)")
    box.locator("g.slider-container").scroll_into_view_if_needed()
    tick = box.locator("g.slider-container g.slider-label-group").last.bounding_box()
    rail = box.locator("g.slider-container rect.slider-rail-rect").bounding_box()
    page.mouse.click(tick["x"] + tick["width"] / 2, rail["y"] + rail["height"] / 2)
    page.wait_for_timeout(500)
    after = box.locator(shown).evaluate_all("ps => ps.map(p => p.dataset.frame)")
    label = box.locator(shown).locator(".clustersim-step-label").inner_text()
    context.close()
    assert before == ["2"] and after == ["8"]
    assert label == "For instances: 8 on the slider:"


def test_kernel_note_links_to_the_offline_path(built_book: dict, browser,
                                               serve_html: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{serve_html}/{LAB}", wait_until="load")
    link = page.locator(".clustersim-kernel-note a.clustersim-offline-link").first
    link.click()
    page.wait_for_load_state("load")
    url = page.url
    anchor = url.rsplit("#", 1)[-1]
    heading = page.evaluate("a => (document.getElementById(a) || {}).querySelector?.('h2')"
                            "?.textContent || ''", anchor)
    context.close()
    # The id is the section's own, from its heading, as GitHub's anchor for the heading is
    # (tests/unit/test_book_pages.py): a downloaded lab's link to the repository finds it too.
    assert url.endswith(f"book/welcome.html#{OFFLINE_SECTION}")
    assert "offline" in heading


def test_figures_keep_their_layout_on_a_laptop(visits: dict, browser, serve_html: str) -> None:
    """At 1366 px: no legend on a slider, no title cut at a figure's edges (the Marathon
    panels' 970 px titles), no plot squeezed by its legend (the rolling updates' knob names
    took two thirds of the width)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    hits = {}
    for path, visit in visits.items():
        if not visit["figures"]:
            continue
        seen = _load(context, serve_html, path)
        page = seen.pop("page")
        found = [*page.evaluate(_LEGEND_OVERLAP_JS), *page.evaluate(_TEXT_PAST_FIGURE_JS),
                 *page.evaluate(_NARROW_PLOTS_JS)]
        page.close()
        if found:
            hits[path] = found
    context.close()
    assert not hits, ("legends on top of sliders or buttons, text past a figure's edges or "
                      f"plots squeezed under half their figure's width: {hits}")


_TABLES_WIDER_THAN_BOX_JS = """() => Array.from(
    document.querySelectorAll('.bd-article .pst-scrollable-table-container'))
  .filter(c => c.scrollWidth > c.clientWidth + 1)
  .map(c => c.querySelector('th').textContent.trim() + ': ' + c.scrollWidth + ' px')"""


# The chapters that set a real cluster beside the simulator, in tables of records.
_RECORD_TABLE_PAGES = ["book/toy-to-real.html", "book/served-apis.html"]
_UNNAMED_STACKED_CELLS_JS = """() => Array.from(
    document.querySelectorAll('.bd-article table.clustersim-stack-rows td'))
  .filter(td => !td.dataset.label).map(td => td.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize("path", _RECORD_TABLE_PAGES)
def test_record_tables_fit_a_phone(browser, serve_html: str, path: str) -> None:
    """toy-to-real's translation tables (two to four columns, a long name in each, such as
    deploy.resources.reservations or batch.kubernetes.io/job-tracking) were 476 to 663 px
    wide in a 358 px box on a 390 px phone: a reader scrolled each row sideways. Their rows
    now stack, each cell under its column's name."""
    page, context, errors = _phone_page(browser, serve_html, path)
    wide = page.evaluate(_TABLES_WIDER_THAN_BOX_JS)
    unnamed = page.evaluate(_UNNAMED_STACKED_CELLS_JS)
    context.close()
    assert not wide, f"tables wider than their box on a phone on {path}: {wide}"
    assert not unnamed, f"stacked cells without their column's name on {path}: {unnamed}"
    assert not errors


@pytest.mark.parametrize("path", ["book/toy-to-real.html"])
def test_stacked_cells_are_named_without_a_script(browser, serve_html: str, path: str) -> None:
    """The column names of stacked cells came from course.js: with scripts off (or before the
    script ran) the cells stacked unnamed. The book now writes them."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{serve_html}/{path}", wait_until="load")
    shown = page.evaluate("""() => Array.from(
        document.querySelectorAll('.bd-article table.clustersim-stack-rows td'))
      .map(td => [td.textContent.trim().slice(0, 30), getComputedStyle(td, '::before').content])""")
    context.close()
    assert shown
    unnamed = [text for text, label in shown if label in ("none", "normal", '""')]
    assert not unnamed, f"stacked cells with no column name without a script: {unnamed[:5]}"


@pytest.mark.parametrize("path", DARK_PAGES)
def test_dark_mode_has_no_contrast_violation(browser, serve_html: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme="dark")
    context.add_init_script("localStorage.setItem('mode', 'dark')")
    seen = _load(context, serve_html, path)
    page = seen.pop("page")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    # Figures are re-coloured too: their background is the page's, not white.
    backgrounds = page.evaluate(
        "Array.from(document.querySelectorAll('.js-plotly-plot')).map(f => f.layout.paper_bgcolor)"
    )
    result = Axe().run(page, options={"runOnly": ["color-contrast"]}).response
    context.close()
    assert "white" not in backgrounds
    failures = [
        f"{n['target']}: {n['failureSummary'][:160]}"
        for v in result["violations"] for n in v["nodes"]
    ]
    assert not failures, f"{path} in dark mode: {failures[:8]}"


# Contrast of each text drawn on a figure's own fill (table cells, icicle boxes) with that fill.
# WCAG 2's contrast ratio of two computed colours ("rgb(r, g, b)"), for the scripts below.
_CONTRAST_RATIO_JS = """
  const lum = c => { const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(x => x / 255)
      .map(x => x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
"""

_FILL_TEXT_CONTRAST_JS = """() => {""" + _CONTRAST_RATIO_JS + """
  const pairs = [['g.column-cell', 'rect.cell-rect', 'text.cell-text'],
                 ['g.slice', 'path.surface', 'text.slicetext'],
                 ['g.updatemenu-button', 'rect.updatemenu-item-rect', 'text.updatemenu-item-text'],
                 ['g.updatemenu-header', 'rect.updatemenu-item-rect', 'text.updatemenu-item-text'],
                 ['g.updatemenu-dropdown-button', 'rect.updatemenu-item-rect',
                  'text.updatemenu-item-text']];
  const found = [];
  for (const [group, fill, text] of pairs) {
    for (const g of document.querySelectorAll('.js-plotly-plot ' + group)) {
      const f = g.querySelector(fill), t = g.querySelector(text);
      if (!f || !t || !t.textContent.trim()) continue;
      const opacity = Number(getComputedStyle(f).opacity) * Number(getComputedStyle(f).fillOpacity);
      found.push([t.textContent.trim(), ratio(getComputedStyle(t).fill, getComputedStyle(f).fill),
                  opacity]);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("path", ["book/comparing/application-definitions.html",
                                  "book/orchestrators/mesos-marathon.html",
                                  "notebooks/two-level-scheduling.html"])
def test_text_on_figure_fills_stays_readable_in_dark_mode(browser, serve_html: str,
                                                          path: str) -> None:
    """Text on a selector table's cells, a group tree's boxes and an animation's active play
    button keeps 3:1 with its fill in dark mode (it turned as light as the theme's on light
    fills, at 1.0 to 1.5:1)."""
    context = browser.new_context(color_scheme="dark")
    context.add_init_script("localStorage.setItem('mode', 'dark')")
    page = _load(context, serve_html, path)["page"]
    found = page.evaluate(_FILL_TEXT_CONTRAST_JS)
    context.close()
    assert found, "no table cell or icicle box found"
    faint = [(text, round(r, 1)) for text, r, _ in found if r < 3]
    assert not faint, f"text on figure fills under 3:1 in dark mode: {faint}"
    assert all(opacity == 1 for _, _, opacity in found), "boxes blend with the dark page"


# The fills a figure draws itself, as drawn: table cells, icicle boxes and the lines between
# bars (the reachability grid's).
_FIGURE_FILLS_JS = """() => {
  const fills = Array.from(document.querySelectorAll('.js-plotly-plot g.column-cell rect.cell-rect,'
                                                    + ' .js-plotly-plot g.slice path.surface'))
    .map(e => getComputedStyle(e).fill);
  const lines = Array.from(document.querySelectorAll('.js-plotly-plot g.bars g.point path'))
    .map(e => getComputedStyle(e)).filter(s => parseFloat(s.strokeWidth) > 0).map(s => s.stroke);
  return fills.concat(lines);
}"""


def _pale(colour: str) -> bool:
    """An opaque colour whose HSL lightness is 0.75 or more (white, #e5e5e5, #b8e0d2)."""
    values = [float(v) for v in colour[colour.index("(") + 1:-1].split(",")]
    if len(values) > 3 and values[3] < 1:
        return False
    return (max(values[:3]) + min(values[:3])) / 2 / 255 >= 0.75


def _choose_last_menu_entry(page) -> None:
    figure = page.locator(".js-plotly-plot:has(g.updatemenu-container)").first
    figure.scroll_into_view_if_needed()
    figure.locator("g.updatemenu-header").tap()
    page.wait_for_timeout(300)
    figure.locator("g.updatemenu-dropdown-button").last.tap()
    page.wait_for_timeout(600)


@pytest.mark.parametrize("path", ["book/comparing/application-definitions.html",
                                  "book/orchestrators/mesos-marathon.html",
                                  "book/orchestrators/security.html"])
def test_figure_fills_follow_the_theme(browser, serve_html: str, path: str) -> None:
    """A selector table's white and mint cells, a group tree's grey boxes and the white lines
    of a reachability grid stayed light on the dark page; a click on the selector's menu set
    its light fills again. Switched back to light, the figure has its own fills again."""
    clicks = "application-definitions" in path  # the selector table, with its menu
    light, light_context, _ = _phone_page(browser, serve_html, path)
    if clicks:
        _choose_last_menu_entry(light)
    own = light.evaluate(_FIGURE_FILLS_JS)
    light_context.close()
    page, context, errors = _phone_page(browser, serve_html, path, dark=True)
    dark = page.evaluate(_FIGURE_FILLS_JS)
    if clicks:
        _choose_last_menu_entry(page)
    clicked = page.evaluate(_FIGURE_FILLS_JS)
    page.evaluate("document.documentElement.dataset.theme = 'light'")  # as the theme switch does
    page.wait_for_timeout(500)
    back = page.evaluate(_FIGURE_FILLS_JS)
    context.close()
    assert any(_pale(c) for c in own), "no pale fill in light mode: nothing to check"
    assert not [c for c in dark + clicked if _pale(c)], (dark, clicked)
    assert back == own
    assert not errors, errors


# Each mark line (a layout shape: a failure's time, a target) as drawn, with its contrast
# against its plot's background.
_MARK_LINES_JS = """() => {""" + _CONTRAST_RATIO_JS + """
  const probe = document.createElement('span');
  document.body.appendChild(probe);
  const css = c => { probe.style.color = c; return getComputedStyle(probe).color; };
  const found = [];
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const plot = css(gd._fullLayout.plot_bgcolor);
    for (const path of gd.querySelectorAll('g.shapelayer path')) {
      const stroke = getComputedStyle(path).stroke;
      if (stroke !== 'none') found.push([stroke, ratio(stroke, plot)]);
    }
  }
  probe.remove();
  return found;
}"""


def _click_slider(page, at: float) -> None:
    """Click the first slider's rail at fraction ``at`` of its length (a step: a frame)."""
    figure = page.locator(".js-plotly-plot:has(g.slider-container)").first
    figure.scroll_into_view_if_needed()
    rail = figure.locator("rect.slider-rail-rect").bounding_box()
    page.mouse.click(rail["x"] + 3 + (rail["width"] - 6) * at, rail["y"] + rail["height"] / 2)
    page.wait_for_timeout(1000)


# Lines of a figure that run off their plot's top, or through a mark label ("update to 2.0")
# hung from it: each line is followed along its drawn path, in the page's pixels.
_LINES_OFF_PLOT_OR_ON_LABELS_JS = """fig => {
  const hits = [];
  const across = (fig.layout.annotations || []).map(a => (a.xref || 'paper') !== 'paper');
  const labels = Array.from(fig.querySelectorAll('g.annotation'))
    .filter(a => across[Number(a.dataset.index)])
    .map(a => [a.textContent, a.getBoundingClientRect()]).filter(([, r]) => r.width);
  for (const path of fig.querySelectorAll('g.scatterlayer path.js-line')) {
    const subplot = Array.from(path.closest('g.subplot').classList).find(c => c !== 'subplot');
    const plot = fig.querySelector(`g.draglayer g.${subplot} rect.nsewdrag`)
      .getBoundingClientRect();
    const m = path.getScreenCTM();
    const length = path.getTotalLength();
    let off = 0;
    const on = new Set();
    for (let s = 0; s <= length; s += 1) {
      const p = path.getPointAtLength(s);
      const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
      if (y < plot.top - 1) off += 1;
      for (const [text, r] of labels) {
        if (x > r.left && x < r.right && y > r.top && y < r.bottom) on.add(text);
      }
    }
    if (off) hits.push(`a line runs off the plot's top for ${off} px`);
    on.forEach(text => hits.push(`a line runs through "${text}"`));
  }
  return hits;
}"""


def test_update_explorer_lines_stay_on_the_plot_on_a_phone(browser, serve_html: str) -> None:
    """The rolling-update explorer's figure kept its first frame's y axis: at maxSurge 6
    (12 pods) the dashed line of tasks ran off the plot and through "update to 2.0"."""
    page, context, errors = _phone_page(browser, serve_html, "notebooks/rolling-updates.html")
    figure = page.locator(".js-plotly-plot:has(g.slider-container)").first
    steps = len(figure.evaluate("fig => fig.layout.sliders[0].steps"))
    found = {}
    for step in range(steps):
        _click_slider(page, step / (steps - 1))
        name = figure.evaluate("fig => fig._fullLayout.sliders[0].active")
        hits = figure.evaluate(_LINES_OFF_PLOT_OR_ON_LABELS_JS)
        if hits:
            found[name] = hits
    context.close()
    assert steps > 1
    assert not found, f"slider steps whose lines leave the plot or cross a label: {found}"
    assert not errors


@pytest.mark.parametrize("path", ["notebooks/storage.html", "notebooks/self-healing.html",
                                  "notebooks/three-dialects.html"])
def test_mark_lines_follow_the_theme(browser, serve_html: str, path: str) -> None:
    """The "machine fails" and operator lines (#555555) were 2.2:1 on the dark plot, and each
    slider step (an animation frame with its own marks) brought them back. In dark mode every
    mark line keeps WCAG 2.1's 3:1 for graphics, before and after a step; switched back to
    light, the lines have their own colours, and a step keeps them."""
    light, light_context, _ = _phone_page(browser, serve_html, path)
    own = {colour for colour, _ in light.evaluate(_MARK_LINES_JS)}
    light_context.close()
    page, context, errors = _phone_page(browser, serve_html, path, dark=True)
    dark = page.evaluate(_MARK_LINES_JS)
    _click_slider(page, 0)
    stepped = page.evaluate(_MARK_LINES_JS)
    page.evaluate("document.documentElement.dataset.theme = 'light'")  # as the theme switch does
    page.wait_for_timeout(500)
    back = {colour for colour, _ in page.evaluate(_MARK_LINES_JS)}
    _click_slider(page, 1)
    back_stepped = {colour for colour, _ in page.evaluate(_MARK_LINES_JS)}
    context.close()
    assert own and dark and stepped, "no mark line drawn"
    faint = sorted({(colour, round(r, 1)) for colour, r in dark + stepped if r < 3})
    assert not faint, f"mark lines under 3:1 on the dark plot: {faint}"
    assert back <= own and back_stepped <= own, (own, back, back_stepped)
    assert not errors, errors


# Each figure's fitted layout: what fitting to a width changes (legend, title, margins,
# height, panel titles' text and size, the box the page gives it).
_FITTED_LAYOUTS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
  const f = gd._fullLayout;
  const legend = f.legend || {font: {}};
  return JSON.stringify({
    legend: [legend.orientation, legend.x, legend.y, legend.yanchor, legend.font.size],
    title: [f.title.text, f.title.yref], margin: [f.margin.t, f.margin.b, f.margin.l, f.margin.r],
    height: f.height, notes: (f.annotations || []).map(a => [a.text, a.font.size]),
    box: gd.parentElement.style.height});
})"""


def _settled_layouts(page) -> list[str]:
    """The fitted layouts once two reads a second apart agree (fitting takes a few relayouts
    a figure), at most 20 s."""
    layouts = page.evaluate(_FITTED_LAYOUTS_JS)
    for _ in range(20):
        page.wait_for_timeout(1000)
        again = page.evaluate(_FITTED_LAYOUTS_JS)
        if again == layouts:
            break
        layouts = again
    return layouts


@pytest.mark.parametrize("path", ["notebooks/storage.html", "notebooks/two-level-scheduling.html",
                                  "book/comparing/application-definitions.html"])
def test_figures_follow_the_window_width(browser, serve_html: str, path: str) -> None:
    """Figures were fitted once, at the width the page loaded at: a window narrowed to a
    phone's width kept legends beside plots and titles on one line past the figure, and a
    phone turned sideways kept its phone layout. Narrowed, each figure is laid out as on a
    page loaded at that width; widened again, as it was."""
    phone_context = browser.new_context(viewport=PHONE)
    phone = _settled_layouts(_load(phone_context, serve_html, path)["page"])
    phone_context.close()
    context = browser.new_context(viewport=_WIDE_AT_FIRST)
    seen = _load(context, serve_html, path)
    page, errors = seen["page"], seen["console"]
    wide = _settled_layouts(page)
    page.set_viewport_size(PHONE)
    narrowed = _settled_layouts(page)
    page.set_viewport_size(_WIDE_AT_FIRST)
    widened = _settled_layouts(page)
    context.close()
    assert phone != wide, "nothing to fit on this page"
    assert narrowed == phone
    assert widened == wide
    assert not errors, errors


# A sphinx-design tab set ({tab-set}, as the extension writes it) put where the page's first
# figure is, the figure in its second tab: out of sight (display: none) until that tab is
# chosen. Added when the page is parsed, before the figure is drawn.
_FIRST_FIGURE_IN_A_TAB_JS = """document.addEventListener('DOMContentLoaded', () => {
  const output = document.querySelector('.plotly-graph-div').closest('.cell_output');
  const set = document.createElement('div');
  set.className = 'sd-tab-set docutils';
  set.innerHTML = '<input checked id="tab-text" name="tabs" type="radio">'
    + '<label class="sd-tab-label" for="tab-text">Text</label>'
    + '<div class="sd-tab-content docutils"><p>No figure here.</p></div>'
    + '<input id="tab-figure" name="tabs" type="radio">'
    + '<label class="sd-tab-label" for="tab-figure">Figure</label>'
    + '<div class="sd-tab-content docutils"></div>';
  output.before(set);
  set.lastElementChild.append(output);
});"""

# The first figure's width as plotly drew it, and the width of the box it is in.
_FIRST_FIGURE_WIDTHS_JS = """() => { const gd = document.querySelector('.js-plotly-plot');
  return [gd._fullLayout.width, gd.parentElement.clientWidth]; }"""


@pytest.mark.parametrize("width", [_WIDE_AT_FIRST, PHONE], ids=["narrowed", "phone"])
def test_figures_out_of_sight_are_fitted_when_shown(browser, serve_html: str,
                                                    width: dict) -> None:
    """A figure in a tab not shown or a closed dropdown (display: none) was drawn at plotly's
    700 px default and not fitted when the window changed width: shown on a phone, it ran
    366 px past its 334 px box, in its laptop layout. Once shown it fills its box and is laid
    out as on a page loaded at that width (the tab chosen after the window narrowed, or on a
    phone from the start)."""
    path = "notebooks/self-healing.html"
    phone_context = browser.new_context(viewport=PHONE)
    phone = _settled_layouts(_load(phone_context, serve_html, path)["page"])[0]
    phone_context.close()
    context = browser.new_context(viewport=width)
    context.add_init_script(_FIRST_FIGURE_IN_A_TAB_JS)
    seen = _load(context, serve_html, path)
    page, errors = seen["page"], seen["console"]
    page.set_viewport_size(PHONE)
    _settled_layouts(page)
    page.locator("label[for=tab-figure]").click()
    shown = _settled_layouts(page)[0]
    drawn, box = page.evaluate(_FIRST_FIGURE_WIDTHS_JS)
    context.close()
    assert abs(drawn - box) <= 1, f"the figure is {drawn} px wide in a {box} px box"
    assert shown == phone
    assert not errors, errors


# Per panel whose mark labels hang from its top: pixels between their lowest line and the
# top of its first machine's markers (9 px squares).
_ROOM_UNDER_LABELS_JS = """() => {
  const found = [];
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const full = gd._fullLayout;
    const top = gd.getBoundingClientRect().top;
    for (const name of Object.keys(full).filter(k => /^yaxis\\d*$/.test(k))) {
      const axis = full[name];
      if (axis.type !== 'category' || !(axis._categories || []).length) continue;
      const labels = (full.annotations || []).map((a, i) => [a, i])
        .filter(([a]) => a.yref === axis._id + ' domain')
        .map(([, i]) => gd.querySelector(`g.annotation[data-index="${i}"]`)).filter(Boolean);
      if (!labels.length) continue;
      const bottom = Math.max(...labels.map(g => g.getBoundingClientRect().bottom - top));
      const row = axis._offset + axis.l2p(axis._categories.length - 1);
      found.push([gd.id + ' ' + name, row - 4.5 - bottom]);
    }
  }
  return found;
}"""


def test_no_empty_band_over_the_storage_panels_on_a_phone(browser, serve_html: str) -> None:
    """The storage figure kept room for two lines of mark labels in every panel, where its
    labels take one: an empty band of a line over each panel at 390 px. Every panel's labels
    end above its first machine's markers, by less than a line; after a slider step too."""
    page, context, errors = _phone_page(browser, serve_html, "notebooks/storage.html")
    shown = page.evaluate(_ROOM_UNDER_LABELS_JS)
    _click_slider(page, 0)  # the operator at 120 s: two lines of labels
    stepped = page.evaluate(_ROOM_UNDER_LABELS_JS)
    context.close()
    assert shown and stepped, "no panel with mark labels"
    bad = [(panel, round(gap)) for panel, gap in shown + stepped if not 0 <= gap < 17]
    assert not bad, f"labels on the markers or an empty band above them: {bad}"
    assert not errors, errors



@pytest.mark.parametrize("path", ["book/welcome.html", "book/instructors.html",
                                  "book/orchestrators/day-2.html"])
def test_narrow_tables_fit_a_window_narrowed_to_a_phone(browser, serve_html: str,
                                                        path: str) -> None:
    """Table cells asked for their room once, at the width the page loaded at: a window
    narrowed (or a tablet turned) to a phone's width kept a laptop's cells, and the course
    map was 477 px wide in its 358 px box. A word the cell broke at its hyphen counted as
    wide as the cell (233 px for "set-up;")."""
    context = browser.new_context(viewport=_WIDE_AT_FIRST)
    page = _load(context, serve_html, path)["page"]
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(600)
    found = page.evaluate(_NARROW_TABLES_WIDER_THAN_BOX_JS)
    tables = page.locator(".bd-article table.table").count()
    context.close()
    assert tables, "no table on the page"
    assert not found, found


def _first_figure_timing(browser, base_url: str, path: str) -> dict:
    """First contentful paint and first figure drawn (ms from navigation), at 4x slowdown."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    # Playwright's own polling waits behind the page's tasks: the page notes the time itself.
    page.add_init_script(
        "new MutationObserver((_, observer) => {"
        " if (document.querySelector('.js-plotly-plot svg.main-svg')) {"
        "  window.__firstFigure = performance.now(); observer.disconnect(); } })"
        ".observe(document, {subtree: true, childList: true});"
    )
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(f"{base_url}/{path}", wait_until="commit")
    page.wait_for_function("window.__firstFigure !== undefined", timeout=60_000)
    timing = page.evaluate(
        "() => ({figure: window.__firstFigure, paint: (performance.getEntriesByName("
        "'first-contentful-paint')[0] || {}).startTime})"
    )
    context.close()
    return timing


def test_heaviest_lab_draws_its_first_figure_within_budget(browser, serve_html: str) -> None:
    """At 4x CPU slowdown (a classroom laptop), plotly.js does not block the first paint and
    the first figure is drawn within FIRST_FIGURE_BUDGET_MS."""
    timing = _first_figure_timing(browser, serve_html, HEAVIEST_LAB)
    print(f"{HEAVIEST_LAB}: first contentful paint {timing['paint']:.0f} ms, "
          f"first figure {timing['figure']:.0f} ms")
    assert timing["paint"] is not None and timing["paint"] < FIRST_PAINT_BUDGET_MS
    assert timing["figure"] < FIRST_FIGURE_BUDGET_MS


def test_pages_with_basic_traces_load_the_small_bundle(built_book: dict) -> None:
    """Most labs draw only scatter and bar traces: they get the 1.2 MB basic bundle."""
    html_dir = built_book["html"]
    small = [p for p in html_dir.rglob("*.html") if "plotly-basic.min.js" in p.read_text()]
    assert len(small) >= 5
    assert (html_dir / "_static" / "plotly-basic.min.js").stat().st_size < 1_500_000


def test_solution_toggles_say_solution(built_book: dict) -> None:
    page = (built_book["html"] / "exercises" / "containers.html").read_text()
    assert "Show the solution" in page
    assert "Show code cell content" not in page


def test_search_ranks_the_drf_lab_above_exercise_pages(browser, serve_html: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{serve_html}/search.html?q=DRF", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=30_000)
    # Sphinx adds the results one by one after its summary says how many it found
    page.wait_for_function(
        "(() => { const s = document.querySelector('#search-results p.search-summary');"
        " const n = s && s.textContent.match(/(\\d+)/);"
        " return n !== null && document.querySelectorAll('#search-results ul.search li')"
        ".length >= Number(n[1]); })()",
        timeout=30_000,
    )
    links = page.eval_on_selector_all(
        "#search-results ul.search li > a", "links => links.map(a => a.getAttribute('href'))"
    )
    context.close()
    lab = next(i for i, href in enumerate(links) if "two-level-scheduling" in href
               and "exercises/" not in href)
    exercises = [i for i, href in enumerate(links) if href.startswith("exercises/")]
    assert exercises and lab < min(exercises), links
