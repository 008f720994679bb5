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


def selector_view(pods: Iterable[Any], selectors: Mapping[str, Mapping[str, Any] | None]
                  ) -> go.Figure:
    """A table of ``pods`` (``cluster.pods()`` items or Pod manifests) and a menu of
    ``selectors`` (name → selector); the chosen selector's pods are highlighted."""
    rows = sorted(_pod_fields(p) for p in pods)
    if not rows:
        raise ValueError("no pods to show: apply some manifests and run the cluster first")
    if not selectors:
        raise ValueError("selectors needs at least one entry, e.g. {'Service web': {'app': 'web'}}")
    names = [escape(name) for name, _ in rows]
    label_lines = [[line for k, v in sorted(lab.items()) for line in _label_lines(k, v)]
                   for _, lab in rows]
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
        columnwidth=[2, 3],
    ))
    buttons = [
        {"label": escape(key), "method": "update",
         "args": [{"cells.fill.color": [[fill, fill]]}, {"title.text": summary}]}
        for key, fill, summary in zip(selectors, fills, summaries, strict=True)
    ]
    # Rows grow with their label lines (one line per label); the menu sits between the title
    # and the table so that neither hides the other.
    lines = sum(max(1, len(lines)) for lines in label_lines)
    fig.update_layout(
        **base_layout(summaries[0], margin={"l": 10, "r": 10, "t": 110, "b": 10}),
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 0, "xanchor": "left",
                      "y": 1.0, "yanchor": "bottom", "pad": {"b": 8}, "showactive": True}],
        height=min(1400, 160 + 30 * len(rows) + 18 * lines),
    )
    return fig
