"""A large object through the served Kubernetes API costs work in its size, once: the
decoder's checks find each field's Go type once (not once per number), an update loads the
body once (the served API validates it, and the cluster takes it as loaded), and an update
that is no ``kubectl apply`` writes no ``last-applied-configuration``, so it does not encode
one. A merge patch adding one label to a 1 MB Ingress had taken 3.85 s
(``python benchmarks/serve.py large`` prints the figures)."""

from __future__ import annotations

import json

import clustersim.kubernetes.apiserver as apiserver
import clustersim.manifests
import clustersim.serve.kubernetes as served
from clustersim.manifests import gotypes
from clustersim.manifests.kubernetes_types import KIND_MODELS
from clustersim.manifests.validation import unstorable_number
from clustersim.serve import serve
from clustersim.serve.core import Request

_PATH = "/apis/networking.k8s.io/v1/namespaces/default/ingresses"


def _ingress(rules: int) -> dict:
    paths = [{"path": f"/p{j}", "pathType": "Prefix",
              "backend": {"service": {"name": "web", "port": {"number": 80 + j}}}}
             for j in range(10)]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "big", "namespace": "default"},
            "spec": {"rules": [{"host": f"h{k}.example.com", "http": {"paths": paths}}
                               for k in range(rules)]}}


def test_the_decoders_check_finds_each_fields_go_type_once() -> None:
    gotypes._go_field.cache_clear()
    assert unstorable_number(KIND_MODELS["Ingress"], _ingress(300)) is None
    assert gotypes._go_field.cache_info().misses == 1     # the port number's, for 3,000


def test_a_patch_loads_the_object_once_and_encodes_no_last_applied(monkeypatch) -> None:
    calls = {"load": 0, "last applied": 0}

    def counted(what, function):
        def call(*args, **kwargs):
            calls[what] += 1
            return function(*args, **kwargs)
        return call

    with serve("kubernetes", nodes=1, speed=0) as server:
        created = server.dispatch(Request("POST", _PATH, {}, {"content-type": "application/json"},
                                          json.dumps(_ingress(20)).encode()))
        assert created.status == 201
        monkeypatch.setattr(served, "load_manifests", counted("load", served.load_manifests))
        monkeypatch.setattr(clustersim.manifests, "load_manifests",
                            counted("load", clustersim.manifests.load_manifests))
        monkeypatch.setattr(apiserver, "last_applied_text",
                            counted("last applied", apiserver.last_applied_text))
        patched = server.dispatch(Request(
            "PATCH", f"{_PATH}/big", {}, {"content-type": "application/merge-patch+json"},
            b'{"metadata":{"labels":{"team":"web"}}}'))
    assert patched.status == 200
    assert json.loads(patched.body)["metadata"]["labels"] == {"team": "web"}
    assert calls == {"load": 1, "last applied": 0}
