"""What the served Kubernetes API writes and reads on the wire, sent over plain HTTP: its
watch events written as Go's ``encoding/json`` writes them."""

from __future__ import annotations

import json
import urllib.request

from clustersim.serve import serve
from tests.unit.test_serve_kubectl_dry_run import _answer

_CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "b"}}


def test_watch_events_are_compact_json_as_go_writes_them():
    """Each event of a watch, its initial ADDED events and a BOOKMARK alike, is one line of
    JSON without the spaces Python's encoder puts after ``,``
    and ``:`` (they had been ``{"type": "ADDED", ...}``)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", "/api/v1/namespaces/default/configmaps", _CM)[0] == 201
        with urllib.request.urlopen(
                f"{server.url}/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1"
                "&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch="
                "NotOlderThan", timeout=30) as answer:
            lines = [line.rstrip(b"\n") for line in answer if line.strip()]
        assert {json.loads(line)["type"] for line in lines} >= {"ADDED", "BOOKMARK"}
        for line in lines:
            assert line == json.dumps(json.loads(line), separators=(",", ":")).encode()
