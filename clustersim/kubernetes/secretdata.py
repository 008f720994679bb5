"""A Secret's ``stringData`` folded into its ``data``, as the API server does on every write.

``stringData`` is a write-only field of a ``v1`` Secret: when the API server decodes a
request into its internal object (``Convert_v1_Secret_To_core_Secret`` in kubernetes/
kubernetes ``pkg/apis/core/v1/conversion.go``), each of its keys is written into ``data``
with the string's bytes, replacing a key ``data`` already has, and the internal Secret has
no ``stringData`` at all. So it is never stored and never read back: ``kubectl get -o yaml``
shows the keys under ``data``, base64-encoded, the ``DATA`` column counts them once, and an
immutable Secret whose ``stringData`` changes a key is refused as a change of ``data``
(``ValidateSecretUpdate``). The same conversion runs for a create, an update, a patch's
result and a dry run, so :class:`~clustersim.kubernetes.apiserver.APIServer` calls
:func:`fold_string_data` wherever an object enters the store.

What this means elsewhere, as upstream:

- ``kubectl apply`` (client-side) writes ``stringData`` into its
  ``last-applied-configuration`` annotation as it is in the file, and since the live object
  never has the field, its three-way patch always sends it: the Secret is ``configured`` at
  every apply, whether anything changed or not.
- Server-side apply tracks the fields of the configuration it was sent, before the
  conversion: its manager owns ``f:stringData``, and no manager owns the ``data`` keys made
  from it (why the documentation says ``stringData`` "does not work well with server-side
  apply", https://kubernetes.io/docs/tasks/configmap-secret/managing-secret-using-kustomize/,
  as of December 2026; kubernetes/website#43668). A key
  later dropped from the applied ``stringData`` therefore stays in ``data``. An update
  (a PUT, or a JSON, merge or strategic merge patch) is compared after the conversion, so
  its manager owns the ``f:data`` keys it changed.
"""

from __future__ import annotations

import base64
from typing import Any

from clustersim.goformat import go_text

__all__ = ["fold_string_data"]


def fold_string_data(obj: Any) -> None:
    """Move a Secret's ``stringData`` into its ``data`` in place (each value base64 of its
    UTF-8 bytes, overwriting the same key of ``data``; a lone surrogate a JSON body left in a
    key or value is U+FFFD, as Go's decoder reads it, :func:`~clustersim.goformat.go_text`;
    a ``null`` value is Go's zero string, as ``encoding/json`` decodes a map's element into a
    fresh zero value that ``null`` leaves as it is) and drop the field; anything else,
    or a ``stringData`` that is not a map of strings (the decoder and the loader refuse
    those with their own words), is left as it is."""
    if not isinstance(obj, dict) or obj.get("kind") != "Secret":
        return
    text = obj.get("stringData")
    if text is None:             # null is no field
        obj.pop("stringData", None)
        return
    if not isinstance(text, dict) or not all(isinstance(v, str | None) for v in text.values()):
        return
    del obj["stringData"]
    if text:        # an empty map is no field (``len(in.StringData) > 0``)
        obj["data"] = {**(obj.get("data") or {}),
                       **{go_text(key): base64.b64encode(go_text(value or "").encode()).decode()
                          for key, value in text.items()}}
