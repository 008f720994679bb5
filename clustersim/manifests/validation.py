"""Validate a manifest dict against a pydantic model and report the first problem readably.

pydantic's ``ValidationError`` lists every problem with a location tuple. A learner wants one
clear sentence: the field path as Kubernetes writes it (``spec.template.spec.containers[0].
resources.requests.cpu``), the line where that field is, what was found and what was expected.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from clustersim.manifests.safe_yaml import Document, Path

__all__ = ["validate"]

_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": 'a string (in YAML, quote values such as "1.0" or "true")',
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a mapping",
    "list_type": "a list",
    "model_type": "a mapping",
}


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path:
    """The part of pydantic's location that names fields of ``data`` (union tags dropped)."""
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and part < len(current)
        if in_dict or in_list:
            current = current[part]
            path.append(part)
        elif index == len(loc) - 1 and isinstance(current, dict) and isinstance(part, str):
            path.append(part)  # a missing field: name it
    return tuple(path)


def _found(value: Any) -> str:
    if isinstance(value, dict | list):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(model: type[BaseModel], document: Document, path: Path = ()) -> BaseModel:
    """Validate the data of ``document`` at ``path`` with ``model``, or raise ManifestError."""
    data = document.data
    for part in path:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = (*path, *_data_path(data, first["loc"]))
        if first["type"] == "missing":
            message = "this required field is missing"
        else:
            reason = first["msg"].removeprefix("Value error, ").rstrip(".")
            if first["type"] == "value_error":
                message = reason  # our own validators' messages quote the value already
            else:
                message = f"{_found(first['input'])} is not valid: {reason}"
        expected = _EXPECTED.get(first["type"])
        raise document.error(where, message, expected) from None
