"""A Node's taints written through the served API, sent over plain HTTP: decoded as
encoding/json decodes a ``[]v1.Taint``, validated whole as ``validateNodeTaints`` validates
them (kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``), and stored as sent,
``timeAdded`` included (the API server sets none: kubernetes/kubernetes#98482)."""

from __future__ import annotations

import json

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl_dry_run import _answer

NODE = "/api/v1/nodes/worker-1"
_KEY_REGEX = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must "
              "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
              "or '123-abc', regex used for validation is "
              "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
_VALUE_REGEX = ("a valid label must be an empty string or consist of alphanumeric characters, "
                "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


_MERGE = "application/merge-patch+json"


def _get(server, path: str) -> dict:
    status, found = _answer(server, "GET", path)
    assert status == 200
    return found


@pytest.mark.parametrize(("taints", "problems"), [
    ('[{"key":"a b","effect":"NoSchedule"}]', [f'spec.taints[0].key: Invalid value: "a b": '
                                                f"{_KEY_REGEX}"]),
    ('[{"key":"a","value":"x y","effect":"NoSchedule"}]',
     [f'spec.taints[0].value: Invalid value: "x y": {_VALUE_REGEX}']),
    # the second of one key and effect, whatever its value; its core.Taint as json.Marshal
    # writes a struct without json tags
    ('[{"key":"a","effect":"NoSchedule"},{"key":"a","value":"x","effect":"NoSchedule"},'
     '{"key":"a","effect":"NoExecute"}]',
     ['spec.taints[1]: Duplicate value: {"Key":"a","Value":"x","Effect":"NoSchedule",'
      '"TimeAdded":null}: taints must be unique by key and effect pair']),
    # null is a zero Taint: its empty key is refused by ValidateLabelName, its effect Required
    ("[null]", ['spec.taints[0].key: Invalid value: "": name part must be non-empty',
                f'spec.taints[0].key: Invalid value: "": {_KEY_REGEX}',
                "spec.taints[0].effect: Required value"]),
])
def test_a_node_taints_are_validated_whole(taints, problems):
    """Every check of ``validateNodeTaints``, not the effect alone (a key with a space, a
    repeated key and effect and a null taint had been stored)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        status, answer = _answer(server, "PATCH", NODE, {"spec": {"taints": json.loads(taints)}},
                                 _MERGE)
        listed = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
        assert (status, answer["message"]) == (422, f'Node "worker-1" is invalid: {listed}')
        assert server.cluster.node("worker-1").taints == []


@pytest.mark.parametrize(("taint", "why"), [
    ('{"key":"a","effect":5}', "json: cannot unmarshal number into Go struct field "
     "Taint.spec.taints.effect of type v1.TaintEffect"),
    ('{"key":"a","effect":"NoExecute","timeAdded":"soon"}', 'parsing time "soon" as '
     '"2006-01-02T15:04:05Z07:00": cannot parse "soon" as "2006"'),
])
def test_a_taint_that_does_not_decode_is_the_decoders_error(taint, why):
    """encoding/json's words before any validation: a PUT's 400 names the kind, a merge
    patch whose result does not decode is refused as ``patch.go`` refuses it (422 on
    ``patch``); an effect of 5 had been an "Unsupported value" 422."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        node = _get(server, NODE)
        node["spec"]["taints"] = [json.loads(taint)]
        status, answer = _answer(server, "PUT", NODE, node)
        assert (status, answer["message"]) == (
            400, f'Node in version "v1" cannot be handled as a Node: {why}')
        status, answer = _answer(server, "PATCH", NODE,
                                 {"spec": {"taints": [json.loads(taint)]}}, _MERGE)
        assert status == 422 and answer["message"].endswith(f'": {why}')
        assert server.cluster.node("worker-1").taints == []


def test_a_taint_is_stored_as_sent_and_its_toleration_seconds_count_from_when_it_came():
    """No ``timeAdded`` is added to a taint sent without one (it had been stamped on every
    taint, NoSchedule ones included), one sent is kept; a NoExecute taint without one still
    evicts a Pod that tolerates it for 30 seconds, 30 seconds later, however its node's
    taints change meanwhile."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"nodeName": "worker-1", "containers": [{"name": "c", "image": "nginx"}],
                    "tolerations": [{"key": "gone", "operator": "Exists",
                                     "effect": "NoExecute", "tolerationSeconds": 30}]}}
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", "/api/v1/namespaces/default/pods", pod)[0] == 201
        server.step(5)
        assert _answer(server, "PATCH", NODE, {"spec": {"taints": [
            {"key": "gone", "effect": "NoExecute"}]}}, _MERGE)[0] == 200
        server.step(20)
        sent = [{"key": "gone", "effect": "NoExecute"},
                {"key": "b", "effect": "NoSchedule", "timeAdded": "2020-01-02T03:04:05Z"}]
        assert _answer(server, "PATCH", NODE, {"spec": {"taints": sent}}, _MERGE)[0] == 200
        assert _get(server, NODE)["spec"]["taints"] == sent
        server.step(9)
        assert not _evicted(server)
        server.step(2)
        assert _evicted(server)


def _evicted(server) -> bool:
    """Whether Pod ``p`` is gone or terminating."""
    return not any(p["metadata"]["name"] == "p" and "deletionTimestamp" not in p["metadata"]
                   for p in server.cluster.objects("Pod"))
