"""The content hash Kustomize appends to the names of generated ConfigMaps and Secrets.

``configMapGenerator`` and ``secretGenerator`` name each object ``<name>-<hash>``, where the
hash depends only on the content, so every change of the data gives a new name; Kustomize
then rewrites every reference to the object (a volume, an ``envFrom``) in the same build, and
the changed Pod template makes the Deployment roll out
(https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configmapgenerator/).

The hash follows kubernetes-sigs/kustomize ``api/hasher/hasher.go``:

- a ConfigMap is encoded as the JSON object ``{"kind": "ConfigMap", "name": "", "data":
  ...}``, with ``binaryData`` added when present; a Secret as ``{"kind": "Secret", "type": ...,
  "name": "", "data": ...}``, with ``stringData`` added when present; a missing field is the
  empty string; keys are sorted and the JSON is compact, as Go's ``json.Marshal`` writes it
  (which also escapes ``<``, ``>`` and ``&``);
- the ``name`` is always empty: ``getNodeValues`` looks the name up with kyaml's
  ``yaml.Lookup("metadata/name")``, which takes each path segment as a separate argument and
  so searches for one top-level key spelt ``metadata/name``; none exists, and the name is
  hashed as ``""``. Two generators with the same data therefore get the same suffix whatever
  their names (checked against ``kubectl kustomize``, Kustomize v5.8.1);
- the SHA-256 of that JSON, in hex; its first ten characters, with ``0 1 3 a e`` replaced by
  ``g h k m t`` so that no word can be spelled (``encode``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["content_hash", "encode", "generated_name"]

_CONSONANTS = str.maketrans("013ae", "ghkmt")
_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
               "\u2029": "\\u2029"}


def _go_json(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in _GO_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def encode(obj: Mapping[str, Any]) -> str:
    """The JSON Kustomize hashes for a ConfigMap or Secret (``encodeConfigMap``,
    ``encodeSecret``)."""
    kind = obj.get("kind")
    if kind == "ConfigMap":
        fields: dict[str, Any] = {"kind": "ConfigMap", "name": "", "data": obj.get("data", "")}
        extra = "binaryData"
    elif kind == "Secret":
        fields = {"kind": "Secret", "type": obj.get("type", ""), "name": "",
                  "data": obj.get("data", "")}
        extra = "stringData"
    else:
        raise ValueError(f"kind {kind!r}: only ConfigMaps and Secrets are generated with a "
                         "content hash")
    if isinstance(obj.get(extra), Mapping):
        fields[extra] = obj[extra]
    return _go_json(fields)


def content_hash(obj: Mapping[str, Any]) -> str:
    """The ten-character suffix, e.g. ``9g67k2htb6``."""
    return hashlib.sha256(encode(obj).encode()).hexdigest()[:10].translate(_CONSONANTS)


def generated_name(obj: Mapping[str, Any]) -> str:
    """``<name>-<hash>``, the name Kustomize gives a generated object."""
    return f"{(obj.get('metadata') or {}).get('name', '')}-{content_hash(obj)}"
