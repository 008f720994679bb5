"""The simulator's own annotations, which stand in for what a real container does.

A Pod (or a workload's pod template) may carry ``clustersim.io/run-seconds``, how long its
containers run before they exit, and ``clustersim.io/exit-code``, the code they exit with
(default 0); the kubelet reads them (:mod:`clustersim.kubernetes.kubelet`). A real API server
keeps any annotation as an opaque string (``ValidateAnnotations`` in
``k8s.io/apimachinery/pkg/api/validation/objectmeta.go`` checks only the keys and the total
size), and a real container decides by itself when it exits: these two are the simulator's,
so the loader and the served API check their values when an object is loaded or created
(:func:`annotation_problems`), and a value the kubelet could not use is refused at once with
the field named, never met later while simulated time runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from clustersim.manifests.errors import ManifestError, format_path, together
from clustersim.manifests.kubernetes_errors import invalid
from clustersim.manifests.safe_yaml import Document, Path

__all__ = ["EXIT_CODE", "RUN_SECONDS", "annotation_problems", "check_pod_annotations",
           "exit_code", "run_seconds"]

RUN_SECONDS = "clustersim.io/run-seconds"
EXIT_CODE = "clustersim.io/exit-code"


def run_seconds(annotations: Mapping[str, Any]) -> float | None:
    """``clustersim.io/run-seconds`` as seconds, or ``None`` when absent. Raises
    :class:`ValueError` (the detail of the refusal) for anything but a number ≥ 0."""
    if RUN_SECONDS not in annotations:
        return None
    try:
        seconds = float(annotations[RUN_SECONDS])
    except (TypeError, ValueError):
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError("must be a number of seconds (≥ 0) that the containers run before "
                         "they exit, e.g. \"30\"")
    return seconds


def exit_code(annotations: Mapping[str, Any]) -> int:
    """``clustersim.io/exit-code`` (0 when absent). Raises :class:`ValueError` (the detail of
    the refusal) for anything but a whole number 0-255, an exit status."""
    value = annotations.get(EXIT_CODE, 0)
    try:
        code = int(value)
    except (TypeError, ValueError):
        code = -1
    if not 0 <= code <= 255:
        raise ValueError("must be the containers' exit code, a whole number from 0 to 255, "
                         "e.g. \"1\"")
    return code


def annotation_problems(annotations: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(annotation key, detail) for each of the simulator's annotations whose value the
    kubelet cannot use."""
    for key, read in ((RUN_SECONDS, run_seconds), (EXIT_CODE, exit_code)):
        try:
            read(annotations)
        except ValueError as err:
            yield key, str(err)


def check_pod_annotations(document: Document, pod_spec_path: Path | None) -> None:
    """Refuse the simulator's annotations of the pod (or pod template) whose spec is at
    ``pod_spec_path`` (``None``: the object runs no pods) when the kubelet could not use them,
    as the API server refuses a field: ``metadata.annotations[clustersim.io/run-seconds]:
    Invalid value: "soon": ...`` (a map key in brackets, unquoted, as ``field.Path.Key``
    writes it), every problem together."""
    if pod_spec_path is None:
        return
    path: Path = (*pod_spec_path[:-1], "metadata", "annotations")
    annotations: Any = document.data
    for key in path:
        annotations = annotations.get(key) if isinstance(annotations, dict) else None
    if not isinstance(annotations, dict):
        return
    where = format_path((*document.prefix, *path))
    errors = [ManifestError(invalid(annotations[key], detail), source=document.source,
                            line=document.line_of((*path, key)), path=f"{where}[{key}]")
              for key, detail in annotation_problems(annotations)]
    if errors:
        raise together(errors)
