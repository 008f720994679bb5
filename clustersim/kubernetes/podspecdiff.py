"""What a refused Pod update changed, written after the API server's message.

``ValidatePodUpdate`` (kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``) ends
its ``spec: Forbidden: pod updates may not change fields other than ...`` with
``cmp.Diff(oldPod.Spec, mungedPodSpec)``: go-cmp's report of the two internal ``core.PodSpec``
Go structs, each changed line marked ``-`` (old) and ``+`` (new). That text cannot be
reproduced: it prints Go values of the internal types (pointers, nil slices, every field at
its zero value), and go-cmp randomly swaps its indentation between spaces and non-breaking
spaces on purpose, so that no program relies on it. :func:`pod_spec_diff` gives a
deterministic approximation in the same shape: the ``core.PodSpec{`` frame, then for each
changed field one ``-`` line with the old value and one ``+`` line with the new one, named by
its path of Go field names (``Containers[0].Command``; a JSON name with its first letter
upper-cased, ``DNS`` and ``OS`` written as Go writes them), with values written as JSON
(strings in Go's ``%q`` quoting) and ``nil`` for a field that one side does not have.
Unchanged fields are left out, as go-cmp elides them; the changed ones come in the order of
their JSON names, where go-cmp follows the struct's field order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from clustersim.goformat import go_quote

__all__ = ["pod_spec_diff"]

_INITIALISMS = ("dns", "os")
"""JSON names' first words that Go writes in capitals (``dnsPolicy`` is ``DNSPolicy``)."""


def _go_name(json_name: str) -> str:
    """The Go field name of a JSON field name of the core types."""
    for word in _INITIALISMS:
        if json_name == word or (json_name.startswith(word)
                                 and json_name[len(word):][:1].isupper()):
            return word.upper() + json_name[len(word):]
    return json_name[:1].upper() + json_name[1:]


def _value(value: Any) -> str:
    """A value as the diff writes it (``nil`` for a field not there)."""
    if value is None:
        return "nil"
    if isinstance(value, str):
        return go_quote(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _changes(old: Any, new: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """(path, old value, new value) for each changed leaf: maps are compared field by field
    and lists of the same length item by item; anything else that differs is one change."""
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted({*old, *new}):
            name = _go_name(str(key))
            yield from _changes(old.get(key), new.get(key), f"{path}.{name}" if path else name)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from _changes(before, after, f"{path}[{index}]")
    else:
        yield path, old, new


def pod_spec_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """The changes from pod spec ``old`` to ``new`` in the shape of ``cmp.Diff`` (module
    docstring), one ``-`` and one ``+`` line per changed field."""
    lines = ["  core.PodSpec{"]
    for path, before, after in _changes(old, new, ""):
        lines += [f"- \t{path}: {_value(before)},", f"+ \t{path}: {_value(after)},"]
    return "\n".join([*lines, "  }"])
