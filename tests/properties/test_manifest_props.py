"""Mutated real manifests raise nothing but ``ManifestError`` (and load quickly).

Each example takes a real-world document (or a built-in sample when the corpus is absent),
changes one field to something a learner or an attacker might write, and loads the result as
data and as text; then asks for its workloads. Nothing but a ``ManifestError`` may come out.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustersim import ManifestError, load_manifests
from clustersim.manifests import pathid
from clustersim.manifests.safe_yaml import load_documents
from tests.conftest import realworld_files

SAMPLES: list[Any] = [
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {"name": "web", "image": "nginx", "resources": {"requests": {"cpu": "1"}}}
                    ]
                },
            },
        },
    },
    {"id": "/g", "apps": [{"id": "a", "cmd": "x", "cpus": 0.1, "constraints": [["h", "UNIQUE"]]}]},
    {"services": {"web": {"image": "x", "ports": ["80:80"], "deploy": {"replicas": 2}}}},
]


def _documents() -> list[Any]:
    documents = list(SAMPLES)
    for system in ("kubernetes", "marathon", "swarm"):
        for path in realworld_files(system):
            documents += [doc.data for doc in load_documents(path.read_bytes(), path.name)]
    return documents


DOCUMENTS = _documents()


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += _paths(item, (*prefix, index))
    return paths


junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "-1", "1e999", "..", "/", "80:80:80", "1Zi"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _mutate(document: Any, path: tuple, action: str, value: Any) -> Any:
    document = json.loads(json.dumps(document))
    if not path:
        return value
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    if action == "delete":
        del parent[key]
    elif action == "rename" and isinstance(parent, dict):
        parent[str(value)[:8] or "x"] = parent.pop(key)
    else:
        parent[key] = value
    return document


def _load_all(source: Any) -> None:
    try:
        specs = load_manifests(source)
    except ManifestError:
        return
    for spec in specs:
        spec.workloads()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_documents_raise_only_manifest_error(data: st.DataObject) -> None:
    document = data.draw(st.sampled_from(DOCUMENTS))
    path = data.draw(st.sampled_from(_paths(document)))
    action = data.draw(st.sampled_from(["replace", "delete", "rename"]))
    mutated = _mutate(document, path, action, data.draw(junk))
    _load_all(mutated)
    _load_all(yaml.safe_dump(mutated))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_damaged_text_raises_only_manifest_error(data: st.DataObject) -> None:
    text = json.dumps(data.draw(st.sampled_from(DOCUMENTS)), indent=1)
    cut = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.text(alphabet="{}[]:,\"'&*!-#|>\n\t ab", max_size=6))
    _load_all(text[:cut] + insert + text[cut + data.draw(st.integers(0, 5)) :])


segments = st.sampled_from(["a", "b", "web-1", "x.y", ".", "..", ""])
paths = st.lists(segments, max_size=6).map("/".join)


@given(paths, st.booleans(), paths)
def test_canonical_path_is_absolute_clean_and_idempotent(path: str, absolute: bool, base: str):
    """``PathId.canonicalPath``: the result is absolute, has no ``.``/``..``/empty segments,
    and resolving it again (against any base) changes nothing."""
    text = ("/" if absolute else "") + path
    resolved = pathid.canonical(text, pathid.canonical(base))
    assert resolved.startswith("/")
    parts = resolved.strip("/").split("/") if resolved != "/" else []
    assert all(part not in ("", ".", "..") for part in parts)
    assert pathid.canonical(resolved, "/anything") == resolved
    if absolute:
        assert resolved == pathid.canonical(text, "/")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_any_bytes_or_text_load_or_raise_manifest_error(content: bytes | str) -> None:
    _load_all(content)
