"""Which pods a label selector picks: the glue of Kubernetes' application definitions.

Kubernetes groups nothing by nesting: a Service, a ReplicaSet or a Deployment finds "its"
pods by a label selector. This view is a table of pods and their labels with one menu entry
per selector; choosing an entry highlights the rows it selects (a plotly dropdown, so it
works in the static book). Matching follows Kubernetes exactly through
:func:`clustersim.kubernetes.objects.selector_matches` (map selectors as Services write them,
``matchLabels``/``matchExpressions`` as workloads write them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import plotly.graph_objects as go

from clustersim.kubernetes.objects import selector_matches
from clustersim.viz.palette import base_layout
from clustersim.viz.text import escape

__all__ = ["describe_selector", "selector_view"]

_HIT, _MISS = "#b8e0d2", "#ffffff"
_LABEL_WIDTH = 28   # characters of "key=value" on one line of the labels column
_NAME_WIDTH = 20    # characters of a pod name on one line of the pod column
_FONT_PX = 13       # base_layout's font size
_LINE_PX = 1.3 * _FONT_PX  # one line of a table cell
_CELL_PAD_PX = 16   # plotly's padding above and below a cell's text (8 px each)
_MIN_ROW_PX = 26    # a row of one line: the cells' height
_MARGIN = {"l": 4, "r": 4, "t": 110, "b": 10}


def describe_selector(selector: Mapping[str, Any] | None) -> str:
    """A selector in kubectl's text form, e.g. ``app=web,tier in (front,edge)``."""
    if selector is None:
        return "<none: selects nothing>"
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        parts = [f"{k}={v}" for k, v in selector.items()]
    else:
        parts = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
        for expr in selector.get("matchExpressions") or ():
            op, key, values = expr.get("operator"), expr.get("key"), expr.get("values") or []
            parts.append({"Exists": key, "DoesNotExist": f"!{key}"}.get(
                op, f"{key} {str(op).lower()} ({','.join(map(str, values))})"))
    return ",".join(parts) or "<empty: selects everything>"


def _pod_fields(pod: Any) -> tuple[str, dict[str, str]]:
    if isinstance(pod, Mapping):
        meta = pod.get("metadata") or {}
        return str(meta.get("name", pod.get("name", ""))), dict(meta.get("labels") or
                                                                 pod.get("labels") or {})
    return str(pod.name), dict(pod.labels)


def _label_lines(key: str, value: Any) -> list[str]:
    """One label as table lines, escaped: ``key=value``, broken only where it is longer than
    :data:`_LABEL_WIDTH` (a plotly table cell never wraps, and a phone's cell is narrow):
    first after the key's prefix (``statefulset.kubernetes.io/`` | ``pod-name=web-0``), then
    after the ``=``."""
    prefix, slash, name = key.rpartition("/")
    lines = [prefix + slash] if slash and len(f"{key}={value}") > _LABEL_WIDTH else []
    rest = f"{name if lines else key}={value}"
    if len(rest) <= _LABEL_WIDTH or value == "":
        lines.append(rest)
    else:
        lines += [rest[:len(rest) - len(str(value))], str(value)]
    return [escape(line) for line in lines]


def _name_lines(name: str) -> list[str]:
    """A pod name as table lines, escaped: broken after its last ``-`` when longer than
    :data:`_NAME_WIDTH`, so that the random suffix that tells a ReplicaSet's pods apart
    (``frontend-58b976bcd4-`` | ``gx7k2``) is never the part cut at a phone's column edge."""
    head, dash, suffix = name.rpartition("-")
    if len(name) <= _NAME_WIDTH or not head:
        return [escape(name)]
    return [escape(head + dash), escape(suffix)]


def _row_px(lines: int) -> int:
    """The height plotly draws a table row of ``lines`` lines at :data:`_FONT_PX`."""
    return max(_MIN_ROW_PX, round(lines * _LINE_PX + _CELL_PAD_PX))


def selector_view(pods: Iterable[Any], selectors: Mapping[str, Mapping[str, Any] | None]
                  ) -> go.Figure:
    """A table of ``pods`` (``cluster.pods()`` items or Pod manifests) and a menu of
    ``selectors`` (name → selector); the chosen selector's pods are highlighted."""
    rows = sorted(_pod_fields(p) for p in pods)
    if not rows:
        raise ValueError("no pods to show: apply some manifests and run the cluster first")
    if not selectors:
        raise ValueError("selectors needs at least one entry, e.g. {'Service web': {'app': 'web'}}")
    name_lines = [_name_lines(name) for name, _ in rows]
    label_lines = [[line for k, v in sorted(lab.items()) for line in _label_lines(k, v)]
                   for _, lab in rows]
    names = ["<br>".join(lines) for lines in name_lines]
    labels = ["<br>".join(lines) or "(no labels)" for lines in label_lines]
    fills, summaries = [], []
    for key, selector in selectors.items():
        hits = [selector_matches(selector, lab) for _, lab in rows]
        fills.append([_HIT if h else _MISS for h in hits])
        summaries.append(f"{escape(key)}: selector {escape(describe_selector(selector))} "
                         f"picks {sum(hits)} of {len(rows)} pods")
    fig = go.Figure(go.Table(
        header={"values": ["<b>pod</b>", "<b>labels</b>"], "align": "left",
                "fill_color": "#e5e5e5"},
        cells={"values": [names, labels], "align": "left", "fill_color": [fills[0], fills[0]],
               "height": 26},
        # Each column as wide as its longest line needs (fixed 2:3, a phone cut the pod names
        # that differ only in their last letters).
        columnwidth=[max(len(line) for lines in column for line in lines)
                     for column in (name_lines, label_lines)],
    ))
    buttons = [
        {"label": escape(key), "method": "update",
         "args": [{"cells.fill.color": [[fill, fill]]}, {"title.text": summary}]}
        for key, fill, summary in zip(selectors, fills, summaries, strict=True)
    ]
    # Rows grow with their lines (one per label, two for a long pod name); the figure ends
    # with the table (a guess of 30 px a row and 18 a line left 130-200 px empty below it);
    # the menu sits between the title and the table so that neither hides the other.
    table_px = _row_px(1) + sum(_row_px(max(1, len(n), len(lab)))
                                for n, lab in zip(name_lines, label_lines, strict=True))
    fig.update_layout(
        **base_layout(summaries[0], margin=_MARGIN),
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 0, "xanchor": "left",
                      "y": 1.0, "yanchor": "bottom", "pad": {"b": 8}, "showactive": True}],
        height=min(1400, _MARGIN["t"] + table_px + _MARGIN["b"]),
    )
    return fig
