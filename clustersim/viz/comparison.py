"""Static renderings of the feature matrix and the decision helper (no kernel needed).

- :func:`comparison_html`: the feature matrix as accessible HTML tables, one collapsible
  ``<details>`` section per category. Each table has a ``<caption>``, column headers with
  ``scope="col"`` and feature names with ``scope="row"``; every string from the data is
  HTML-escaped (backtick spans become ``<code>`` after escaping).
- :func:`ranking_html`: a :class:`~clustersim.decision.Recommendation` as text, bars and a
  table of contributions, with the retired-project warnings first.
- :func:`decision_figure`: a plotly chart of the named presets, one button per preset, whose
  stacked bars show how much each criterion adds to each system's share; each button also
  sets the title to that preset's recommendation, shares and deciding criterion.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import plotly.graph_objects as go

from clustersim.decision import Recommendation, preset_weights, rank
from clustersim.features import LEVEL_LABELS, Cell, FeatureMatrix, load_features
from clustersim.viz.palette import OKABE_ITO, base_layout, color_for
from clustersim.viz.text import escape

__all__ = ["STYLE", "comparison_html", "decision_figure", "ranking_html"]

STYLE = """<style>
.clustersim-compare table, .clustersim-decision table {border-collapse: collapse; width: 100%;
  margin: 0.4em 0 1em; font-size: 0.92em;}
.clustersim-compare th, .clustersim-compare td, .clustersim-decision th,
.clustersim-decision td {border: 1px solid #d0d0d0; padding: 0.35em 0.5em; text-align: left;
  vertical-align: top;}
.clustersim-compare thead th, .clustersim-decision thead th {background: #f3f3f3;}
.clustersim-compare caption, .clustersim-decision caption {text-align: left; font-weight: 600;
  padding: 0.2em 0;}
.clustersim-compare summary {cursor: pointer; font-weight: 600; padding: 0.3em 0;}
.clustersim-compare .cs-note {display: block; margin-top: 0.2em;}
.clustersim-compare .cs-meta, .clustersim-compare .cs-claim {display: block; margin-top: 0.25em;
  font-size: 0.88em; color: #444;}
.clustersim-compare .cs-claim {border-left: 3px solid #E69F00; padding-left: 0.4em;}
.clustersim-retired {border-left: 4px solid #D55E00; background: #fff4e5; color: #3d2600;
  padding: 0.5em 0.8em; margin: 0.5em 0;}
.clustersim-decision .cs-bar {display: inline-block; height: 0.9em; background: #0072B2;
  vertical-align: middle;}
</style>"""

_BACKTICKS = re.compile(r"`([^`]+)`")


def _text(value: str) -> str:
    """Escape a string from the data; then turn `code` spans into <code> elements."""
    return _BACKTICKS.sub(r"<code>\1</code>", html.escape(value))


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _system_header(matrix: FeatureMatrix, sys_id: str) -> str:
    system = matrix.systems[sys_id]
    label = _text(system.name)
    if system.retired:
        label += ' <span class="cs-status">(retired)</span>'
    return f'<th scope="col">{label}</th>'


def _cell_html(cell: Cell) -> str:
    level = f" ({_text(LEVEL_LABELS[cell.level])})" if cell.level else ""
    parts = [
        f"<strong>{_text(cell.value)}</strong>{level}",
        f'<span class="cs-note">{_text(cell.note)}</span>',
        f'<span class="cs-meta"><a href="{_attr(cell.source)}">source</a>, '
        f"as of {cell.as_of.isoformat()}</span>",
    ]
    if cell.claim_2019:
        claim = cell.claim_2019
        parts.append(
            f'<span class="cs-claim">2019 article: {_text(claim.claim)} '
            f"<em>Verdict: {_text(claim.verdict)}</em>"
            "</span>"
        )
    return "<td>" + "".join(parts) + "</td>"


def _names(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def comparison_html(
    matrix: FeatureMatrix | None = None,
    systems: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    *,
    only_differences: bool = False,
    changed_since_2019: bool = False,
    search: str = "",
    open_all: bool = False,
) -> str:
    """The chosen systems side by side, one ``<details>`` section per category.

    ``open_all`` opens every section (the live widget); otherwise only the first is open
    (the static book). Raises ``ValueError`` for unknown system or category names.
    """
    matrix = matrix or load_features()
    sys_ids = matrix.resolve_systems(systems)
    rows = matrix.rows(sys_ids, categories, only_differences=only_differences,
                       changed_since_2019=changed_since_2019, search=search)
    names = _names([matrix.systems[s].name for s in sys_ids])
    total = sum(len(c.features) for c in matrix.categories.values())
    filters = []
    if only_differences:
        filters.append("only features on which they differ")
    if changed_since_2019:
        filters.append("only features where a 2019 claim no longer holds")
    if search.strip():
        filters.append(f"matching “{search.strip()}”")
    summary = f"Showing {len(rows)} of {total} features for {names}"
    summary += f" ({'; '.join(filters)})." if filters else "."
    out = [STYLE, '<div class="clustersim-compare">', f'<p role="status">{_text(summary)}</p>']
    if not rows:
        out.append(
            "<p>No feature matches. Clear the search, choose more categories or turn off "
            "a filter.</p></div>"
        )
        return "".join(out)
    header = '<th scope="col">Feature</th>' + "".join(_system_header(matrix, s) for s in sys_ids)
    by_category: dict[str, list] = {}
    for row in rows:
        by_category.setdefault(row.category, []).append(row)
    for index, (cat_id, cat_rows) in enumerate(by_category.items()):
        title = _text(matrix.categories[cat_id].title)
        opened = " open" if open_all or index == 0 else ""
        count = f"{len(cat_rows)} feature" + ("s" if len(cat_rows) != 1 else "")
        out.append(f"<details{opened}><summary>{title} ({count})</summary>")
        out.append(f"<table><caption>{title}: {_text(names)}</caption>")
        out.append(f"<thead><tr>{header}</tr></thead><tbody>")
        for row in cat_rows:
            cells = "".join(_cell_html(row.feature.cells[s]) for s in sys_ids)
            out.append(f'<tr><th scope="row">{_text(row.feature.name)}</th>{cells}</tr>')
        out.append("</tbody></table></details>")
    out.append(
        "<p><small>Levels in brackets (built in, needs an add-on, limited, none) are what "
        "“only differences” compares when every cell has one. “2019 article” paraphrases "
        "what the 2019-era comparison this course grew from claimed, with its verdict "
        "(the case-study chapter on the 2019 article gives the sources).</small></p></div>"
    )
    return "".join(out)


def _retired_banner(warnings: Iterable[str]) -> str:
    items = "".join(f"<p>{_text(w)}</p>" for w in warnings)
    if not items:
        return ""
    return (
        '<div class="clustersim-retired" role="note"><strong>Retired projects</strong>'
        f"{items}</div>"
    )


def ranking_html(rec: Recommendation) -> str:
    """The recommendation: warnings, the explanation, share bars and every contribution."""
    bars = "".join(
        f"<li><strong>{_text(r.name)}</strong>{' (retired)' if r.retired else ''}: "
        f"{r.share:.0%} ({r.points} of {r.possible} points) "
        f'<span class="cs-bar" style="width:{r.share * 12:.2f}em" aria-hidden="true"></span></li>'
        for r in rec.ranking
    )
    head = "".join(
        f'<th scope="col">{_text(r.name)}{" (retired)" if r.retired else ""}</th>'
        for r in rec.ranking
    )
    body = []
    for i, crit in enumerate(rec.ranking[0].contributions):
        cells = "".join(
            f'<td title="{_attr(r.contributions[i].why)}">{r.contributions[i].score} → '
            f"<strong>{r.contributions[i].points}</strong></td>"
            for r in rec.ranking
        )
        body.append(
            f'<tr><th scope="row">{_text(crit.name)}</th><td>{crit.weight}</td>{cells}</tr>'
        )
    totals = "".join(f"<td><strong>{r.points}</strong> ({r.share:.0%})</td>" for r in rec.ranking)
    body.append(f'<tr><th scope="row">Total</th><td></td>{totals}</tr>')
    return (
        STYLE
        + '<div class="clustersim-decision">'
        + _retired_banner(rec.warnings)
        + f"<p>{_text(rec.explanation())}</p>"
        + f"<ol>{bars}</ol>"
        + "<table><caption>Points per criterion: score (0-5) → weight × score</caption>"
        + f'<thead><tr><th scope="col">Criterion</th><th scope="col">Weight</th>{head}</tr>'
        + "</thead><tbody>" + "".join(body) + "</tbody></table></div>"
    )


TITLE_CHARS = 34
"""Characters per title line: about what a 390 px phone shows at the title's font size."""
NOTE_CHARS = 48
"""Characters per small (``<sup>``) title line on the same phone."""


def _lines(parts: list[str], width: int, sep: str = " ") -> list[str]:
    """``parts`` joined by ``sep`` into lines of at most ``width`` characters (a longer part
    gets a line of its own), each line escaped for plotly; a part is never split."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(sep) + len(part) <= width:
            lines[-1] += sep + part
        else:
            lines.append(part)
    return [escape(line) for line in lines]


def _pattern(index: int) -> dict[str, str]:
    """Colour plus, past the palette's eight colours, a hatch so no two criteria look alike."""
    shapes = ("", "/", "x", ".")
    return {"shape": shapes[(index // len(OKABE_ITO)) % len(shapes)]}


def decision_figure(
    matrix: FeatureMatrix | None = None, systems: Iterable[str] | None = None
) -> go.Figure:
    """Stacked bars of each system's share per preset, with one button per named preset.

    A segment is one criterion's part of the share: ``weight * score / (5 * sum(weights))``,
    so a bar's length is the system's share of the possible points under that preset.
    """
    matrix = matrix or load_features()
    sys_ids = matrix.resolve_systems(systems)
    presets = list(matrix.presets)
    recs = {p: rank(preset_weights(p, matrix), sys_ids, matrix) for p in presets}
    labels = [
        escape(matrix.systems[s].name) + ("<br>(retired)" if matrix.systems[s].retired else "")
        for s in sys_ids
    ]

    def segments(preset: str, crit_index: int) -> tuple[list[float], list[str]]:
        results = {r.system: r for r in recs[preset].ranking}
        xs, hover = [], []
        for s in sys_ids:
            result = results[s]
            c = result.contributions[crit_index]
            xs.append(round(100 * c.points / result.possible, 2))
            hover.append(
                f"{escape(result.name)}: {escape(c.name)}<br>weight {c.weight} × score "
                f"{c.score} = {c.points} points<br>{escape(c.why)}"
            )
        return xs, hover

    first = presets[0]
    criteria = list(matrix.criteria.values())
    fig = go.Figure()
    for i, criterion in enumerate(criteria):
        xs, hover = segments(first, i)
        fig.add_trace(go.Bar(
            y=labels, x=xs, orientation="h", name=escape(criterion.name), hovertext=hover,
            hoverinfo="text", marker={"color": color_for(i), "pattern": _pattern(i)},
        ))

    def title(preset: str) -> str:
        """The preset's summary, shown with its bars: whatever button is active, the title
        states that preset's recommendation, shares and deciding criterion, never another's.
        Lines are broken here, short enough for a phone (plotly never wraps a title)."""
        rec = recs[preset]
        best = rec.recommended.name if rec.recommended else "none (all retired)"
        lines = [f"<b>{line}</b>" for line in _lines(
            matrix.presets[preset].name.split(), TITLE_CHARS)]
        lines += _lines(f"recommended {best}".split(), TITLE_CHARS)
        shares = [f"{r.name} {r.share:.0%}" for r in rec.ranking]
        shares[0] = f"share of the possible points: {shares[0]}"
        notes = _lines(shares, NOTE_CHARS, " · ")
        if rec.deciders:
            top = rec.deciders[0]
            decided = f"decided most by {top.name[:1].lower()}{top.name[1:]}".split()
            notes += _lines([*decided, f"({top.margin:+d} points)"], NOTE_CHARS)
        retired = [matrix.systems[s].name for s in sys_ids if s in matrix.retired()]
        if retired:
            notes += _lines(f"{', '.join(retired)}: retired whatever the weights; plan a "
                            "migration".split(), NOTE_CHARS)
        return "<br>".join(lines + [f"<sup>{note}</sup>" for note in notes])

    buttons = []
    for preset in presets:
        data = [segments(preset, i) for i in range(len(criteria))]
        buttons.append({
            "label": escape(matrix.presets[preset].name),
            "method": "update",
            "args": [
                {"x": [d[0] for d in data], "hovertext": [d[1] for d in data]},
                {"title.text": title(preset)},
            ],
        })
    fig.update_layout(base_layout(
        title(first),
        barmode="stack",
        xaxis={"title": {"text": "share of possible points (%)"}, "range": [0, 100],
               "gridcolor": "#e5e5e5"},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"traceorder": "normal", "orientation": "h",
                "x": 0, "xanchor": "left", "y": -0.3, "yanchor": "top"},
        updatemenus=[{"type": "buttons", "direction": "down", "buttons": buttons,
                      "x": 0, "xanchor": "left", "y": 1.03, "yanchor": "bottom",
                      "showactive": True, "active": 0, "pad": {"t": 0, "b": 0}}],
        margin={"l": 60, "r": 20, "t": 350, "b": 210},
        height=840,
    ))
    fig.update_layout(title_y=0.97, title_yref="container", title_yanchor="top")
    return fig
