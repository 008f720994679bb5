"""Validate a manifest dict against a pydantic model and report the first problem readably.

pydantic's ``ValidationError`` lists every problem with a location tuple. A learner wants one
clear sentence: the field path as Kubernetes writes it (``spec.template.spec.containers[0].
resources.requests.cpu``), the line where that field is, what was found and what was expected.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from clustersim.manifests.errors import format_path
from clustersim.manifests.safe_yaml import Document, Path

__all__ = ["found_text", "validate"]

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


def _json_kind(value: Any) -> str:
    """The JSON type of a value as Go's ``encoding/json`` names it in its errors."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), "value")


def found_text(value: Any) -> str:
    """A short description of a value for a message: ``a mapping``, ``5``, ``'abc...'``."""
    if isinstance(value, dict | list):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(model: type[BaseModel], document: Document, path: Path = ()) -> BaseModel:
    """Validate the data of ``document`` at ``path`` with ``model``, or raise ManifestError."""
    data = document.data
    for part in path:
        data = data[part]
    kubernetes = model.__module__.endswith("kubernetes_types")  # Go's words for Go's decoder
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = (*path, *_data_path(data, first["loc"]))
        expected = _EXPECTED.get(first["type"])
        if first["type"] == "missing" and kubernetes:  # the API server's field.Required
            message, expected = "Required value", "this field to be set"
        elif first["type"] == "missing":
            message = "this required field is missing"
        elif first["type"] == "extra_forbidden":
            fields = sorted(info.alias or name for name, info in _fields_at(model, first["loc"]))
            message = f"Additional property {first['loc'][-1]} is not allowed"
            expected = "one of " + ", ".join(fields) if fields else None
        elif first["type"] == "value_error":  # our own validators quote the value already
            message = first["msg"].removeprefix("Value error, ").rstrip(".")
        elif kubernetes and first["input"] is None and where and isinstance(where[-1], int):
            # kubectl: 'unknown object type "nil" in ...containers[0].args[0]'
            message = f'unknown object type "nil" in {format_path(where)}'
        elif kubernetes and first["input"] is None:  # Go decodes null as "" or 0
            message = "Required value"
        elif (
            kubernetes
            and first["type"] == "model_type"
            and not first["ctx"]["class_name"].startswith("_")
        ):
            # encoding/json: "cannot unmarshal array into Go struct field ... of type v1.X"
            message = (
                f"cannot unmarshal {_json_kind(first['input'])} into Go value of type "
                f"v1.{first['ctx']['class_name']}"
            )
        else:
            message = f"{found_text(first['input'])} is not valid: {first['msg'].rstrip('.')}"
        raise document.error(where, message, expected) from None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside a type such as ``list[Placement] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[tuple[str, FieldInfo]]:
    """The fields of the (nested) model that holds the last part of ``loc``."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        field = next((f for n, f in current.model_fields.items() if part in (n, f.alias)), None)
        current = _model_in(field.annotation) if field else None
    return list(current.model_fields.items()) if current else []
