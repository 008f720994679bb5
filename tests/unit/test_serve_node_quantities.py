"""A Node's status quantities written through ``PUT /api/v1/nodes/<name>/status`` are kept
exactly, as apimachinery keeps a value beyond int64 (an ``inf.Dec``, every digit: k8s.io/
apimachinery ``pkg/api/resource/quantity.go``, ``ParseQuantity`` and ``CanonicalizeBytes``).
A cpu of a million nines was answered 500 ``decimal.Overflow``."""

from __future__ import annotations

import http.client
import json

from clustersim.serve import serve


def _call(server, method: str, path: str, body: str | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_a_status_quantity_of_a_million_digits_is_stored_exactly():
    nines = "9" * 1_000_000
    with serve("kubernetes", nodes=1, speed=0) as server:
        _, node = _call(server, "GET", "/api/v1/nodes/worker-1")
        node["status"]["capacity"]["cpu"] = nines
        node["status"]["capacity"]["memory"] = "1" + "0" * 30        # 10**30: past E
        status, answer = _call(server, "PUT", "/api/v1/nodes/worker-1/status",
                               json.dumps(node))
        assert status == 200, answer.get("message")
        _, stored = _call(server, "GET", "/api/v1/nodes/worker-1")
    assert stored["status"]["capacity"]["cpu"] == nines
    assert stored["status"]["capacity"]["memory"] == "1e30"
