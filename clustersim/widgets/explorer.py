"""The manifest explorer: pick a real manifest (or paste your own), see it parsed and placed.

The menu lists the course's example application in its three dialects and, when a folder of
real-world manifests is given and present, every file in it. The text box holds the chosen
file, editable; "Load and place" parses it, runs it on a default cluster of its system
(:func:`clustersim.explore.place`) and shows the specs, where every task landed, what is
still waiting and why, and the cluster map. Any error in the text is shown inline with its
file, line and field. The static book shows the example application placed on Kubernetes.
"""

from __future__ import annotations

import html
import os
from functools import partial
from pathlib import Path

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.examples import SYSTEMS, example_path
from clustersim.explore import Placement, place
from clustersim.limits import MAX_CORPUS_ENTRIES, MAX_CORPUS_FILES
from clustersim.viz.cluster import cluster_map
from clustersim.viz.renderer import figure_html
from clustersim.widgets.base import LiveApp, error_html
from clustersim.widgets.idle import IdleWork

__all__ = ["corpus_files", "corpus_labels", "manifest_explorer", "placement_html", "sources"]

PASTE = "paste your own"


_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def corpus_files(folder: Path) -> tuple[list[Path], str | None]:
    """The manifest files (``.yaml``, ``.yml``, ``.json``) under ``folder`` in path order,
    hidden folders and files (``.git``, ``.ipynb_checkpoints``) left out, and a note when the
    search stopped short: at :data:`~clustersim.limits.MAX_CORPUS_FILES` files or
    :data:`~clustersim.limits.MAX_CORPUS_ENTRIES` entries looked at, or at a folder that
    cannot be read (the folder itself unreadable: the note alone)."""
    found: list[Path] = []
    unreadable: list[str] = []
    seen = 0
    stack = [folder]
    while stack and len(found) < MAX_CORPUS_FILES and seen < MAX_CORPUS_ENTRIES:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name, reverse=True)
            seen += len(entries)
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file() and entry.name.lower().endswith(_MANIFEST_SUFFIXES):
                    found.append(Path(entry.path))
        except OSError as err:
            if current == folder:
                return [], (f"The folder {str(folder)!r} cannot be read "
                            f"({err.strerror or err}), so the menu holds the examples only.")
            unreadable.append(str(current))
    found = sorted(found)[:MAX_CORPUS_FILES]
    if len(found) == MAX_CORPUS_FILES or (stack and seen >= MAX_CORPUS_ENTRIES):
        return found, (f"The menu lists the {len(found)} manifest files found in "
                       f"{str(folder)!r} before the search stopped (at most {MAX_CORPUS_FILES} "
                       f"files and {MAX_CORPUS_ENTRIES} entries looked at): give a smaller "
                       "folder, such as one of its subfolders.")
    if unreadable:
        return found, (f"{len(unreadable)} folder(s) under {str(folder)!r} cannot be read, "
                       f"such as {unreadable[0]!r}: their files are not in the menu.")
    return found, None


def corpus_labels(folder: Path, files: list[Path]) -> dict[str, Path]:
    """Menu label → file for ``files`` under ``folder``: the file's name after its folder's
    (``kubernetes: pod.yaml``), and where two files would share a label (``a/kubernetes/pod.yaml``
    and ``b/kubernetes/pod.yaml``), after as many of their folders as tell them apart
    (``a/kubernetes: pod.yaml``); files directly in ``folder`` are under its name."""
    chains = {path: (folder.name, *path.relative_to(folder).parent.parts) for path in files}
    depth = dict.fromkeys(files, 1)
    while True:
        labels = {path: f"{'/'.join(chain[-depth[path]:])}: {path.name}"
                  for path, chain in chains.items()}
        holders: dict[str, list[Path]] = {}
        for path, label in labels.items():
            holders.setdefault(label, []).append(path)
        shared = [path for same in holders.values() if len(same) > 1 for path in same
                  if depth[path] < len(chains[path])]
        if not shared:
            return {label: path for path, label in labels.items()}
        for path in shared:
            depth[path] += 1


def sources(corpus: str | Path | None = None) -> dict[str, Path | None]:
    """Menu label → file: the example in each dialect, then the corpus's manifest files (if
    present, at most :data:`~clustersim.limits.MAX_CORPUS_FILES`; :func:`corpus_files`), each
    under a label of its own (:func:`corpus_labels`)."""
    found: dict[str, Path | None] = {
        f"example: shop ({system})": example_path(system) for system in SYSTEMS
    }
    folder = Path(corpus) if corpus else None
    if folder is not None and folder.is_dir():
        found.update(corpus_labels(folder, corpus_files(folder)[0]))
    found[PASTE] = None
    return found


def _corpus_problem(corpus: str | Path | None) -> str | None:
    """Why a ``corpus`` given to the explorer adds nothing (or less than all) to its menu,
    or None."""
    if corpus is None:
        return None
    folder = Path(corpus)
    if folder.is_file():
        return (f"{str(folder)!r} is a file, not a folder, so the menu holds the examples "
                "only. Give manifest_explorer(corpus=...) the folder that holds it, or paste "
                "the file's text below.")
    if not folder.is_dir():
        return (f"There is no folder {str(folder)!r} (seen from {str(Path.cwd())!r}), so the menu "
                "holds the examples only. Give manifest_explorer(corpus=...) the path of the "
                "folder that holds the manifests, absolute or relative to this notebook.")
    files, note = corpus_files(folder)
    if note or files:
        return note
    return (f"The folder {str(folder)!r} holds no manifest files (.yaml, .yml or .json), so the "
            "menu holds the examples only.")


def _copies(placement: Placement, kind: str, name: str, replicas: int | None) -> str:
    """The replicas column: the manifest's count, or the one the controller computes for a
    workload that names none (a DaemonSet: one Pod per node it fits)."""
    if replicas is not None:
        return str(replicas)
    desired = placement.desired.get(f"{kind}/{name}")
    return "one per node" if desired is None else f"{desired} (one per node it fits)"


def _table(placement: Placement) -> str:
    rows = []
    for spec in placement.specs:
        workloads = spec.workloads() if spec.simulated else []
        if not workloads:
            rows.append(f"<tr><td>{html.escape(spec.kind)}</td><td>{html.escape(spec.name)}</td>"
                        f"<td colspan='4'>{'no workload' if spec.simulated else 'not simulated'}"
                        "</td></tr>")
        for w in workloads:
            rules = "; ".join(w.placement) or "none"
            rows.append(
                f"<tr><td>{html.escape(w.kind)}</td><td>{html.escape(w.name)}</td>"
                f"<td>{_copies(placement, w.kind, w.name, w.replicas)}</td><td>{w.cpu}</td>"
                f"<td>{w.memory / 2**20:g} MiB</td>"
                f"<td>{html.escape(rules)}</td></tr>"
            )
    return (
        "<table class='clustersim-specs'><caption>What the manifest asks for</caption><thead><tr>"
        "<th scope='col'>kind</th><th scope='col'>name</th><th scope='col'>replicas</th>"
        "<th scope='col'>CPU</th><th scope='col'>memory</th><th scope='col'>placement rules</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _all_placed(placement: Placement) -> str:
    """The line for a run in which nothing waits and no workload lacks its tasks."""
    if not placement.specs.workloads():
        return "It asks for no workload, so there is nothing to place."
    if not placement.snapshot.tasks:
        return f"No task was created in {placement.snapshot.time:g} simulated seconds."
    return "Every task found a place."


def placement_html(placement: Placement) -> str:
    """The specs, where tasks landed, what waits and why, as escaped HTML."""
    per_node: dict[str, int] = {}
    for task in placement.snapshot.tasks:
        if task.node is not None:
            per_node[task.node] = per_node.get(task.node, 0) + 1
    landed = ", ".join(f"{html.escape(n)}: {c}" for n, c in sorted(per_node.items())) or "nowhere"
    waiting = "".join(f"<li><code>{html.escape(t)}</code>: {html.escape(r)}</li>"
                      for t, r in placement.waiting)
    unstarted = "".join(f"<li><code>{html.escape(w)}</code>: {html.escape(r)}</li>"
                        for w, r in placement.unstarted)
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in placement.notes)
    return (
        f"<p><strong>{html.escape(placement.system)}</strong>: {len(placement.specs)} object(s); "
        f"after {placement.snapshot.time:g} simulated seconds, tasks per node: {landed}.</p>"
        + _table(placement)
        + (f"<p>Waiting for a place:</p><ul>{waiting}</ul>" if waiting else "")
        + (f"<p>Without a single task:</p><ul>{unstarted}</ul>" if unstarted else "")
        + ("" if waiting or unstarted else f"<p>{_all_placed(placement)}</p>")
        + (f"<p>Notes:</p><ul>{notes}</ul>" if notes else "")
    )


def manifest_explorer(corpus: str | Path | None = None) -> LiveApp:
    """The explorer; ``corpus`` is a folder of real manifests (optional)."""
    menu = sources(corpus)
    choice = widgets.Dropdown(options=list(menu), description="manifest",
                              layout={"width": "95%"})
    text = widgets.Textarea(layout={"width": "95%", "height": "16em"})
    run = widgets.Button(description="Load and place", button_style="primary")
    report = widgets.HTML()
    chart = go.FigureWidget()

    shown = {"text": ""}                 # the chosen file's text, to tell the learner's edits

    def show_file(_: object = None) -> None:
        path = menu[choice.value]
        text.value = shown["text"] = path.read_text(encoding="utf-8") if path else ""
        # while the learner reads the text: place it, then the examples, ready for the click
        labels = [choice.value, *(label for label in menu if label.startswith("example: "))]
        files = {label: menu[label] for label in labels}
        idle.plan(partial(place, file.read_text(encoding="utf-8"), name=label,
                          stack_file=file.name)
                  for label, file in files.items() if file is not None)

    def load_and_place(_: object = None) -> None:
        label = ("pasted text" if choice.value == PASTE else choice.value
                 if text.value == shown["text"] else f"your edit of {choice.value}")
        file = menu[choice.value]     # names a stack after its file, shop_api as deployed
        try:
            placement = place(text.value, name=label,
                              stack_file=file.name if file is not None else None)
            html_report = placement_html(placement)
            fresh = cluster_map(placement.snapshot)
        except Exception as err:  # whatever the text causes shows inline
            report.value = error_html(err)
            chart.data = []               # never leave the previous result as if it were this
            return
        report.value = html_report
        with chart.batch_update():
            chart.data = []
            chart.add_traces(list(fresh.data))
            chart.layout = fresh.layout

    idle = IdleWork()
    choice.observe(show_file, names="value")
    run.on_click(load_and_place)
    show_file()
    load_and_place()
    missing = _corpus_problem(corpus)
    box = widgets.VBox(([widgets.HTML(error_html(missing))] if missing else [])
                       + [choice, text, run, report, chart])

    def static() -> str:
        placement = place(example_path("kubernetes"))
        return placement_html(placement) + figure_html(cluster_map(placement.snapshot))

    return LiveApp(box, static, name="manifest explorer")
