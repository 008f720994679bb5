"""The loader refuses a Kubernetes object as the API server does: every field error of the
object in one list, each in upstream's words (names, restart policies, finalizers), with the
file, line and a hint that the loader adds."""

from __future__ import annotations

import pytest

from clustersim import ManifestError, load_manifests
from clustersim.kubernetes.workloadupdates import workload_update_refusal

POD = """apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: nginx:1.27}]
"""

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
             "characters, '-' or '.', and must start and end with an alphanumeric character "
             "(e.g. 'example.com', regex used for validation is "
             r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
         "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
         "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
KEY_NAME = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must "
            "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
            "'123-abc', regex used for validation is "
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, "
               "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
               "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
               "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


def refusals(text: str) -> list[tuple[str, str]]:
    """(path, message) of every error the loader reports for ``text``, in order."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    return [(e.path, e.message) for e in (caught.value, *caught.value.also)]


def test_a_pods_field_errors_and_its_checks_across_fields_come_in_one_list() -> None:
    """ValidatePod returns one ErrorList: the unsupported restart policy and the missing
    image together, not the second only once the first is fixed."""
    text = POD.replace("spec:\n", "spec:\n  restartPolicy: Sometimes\n").replace(
        ", image: nginx:1.27", "")
    assert refusals(text) == [
        ("spec.restartPolicy",
         'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'),
        ("spec.containers[0].image", "Required value")]


def test_a_field_refused_by_its_type_adds_no_required_value_of_its_own() -> None:
    """An Indexed Job with ``completions: -1`` has completions (refused as negative): the
    check that an Indexed Job names its completions does not fire as well."""
    text = """apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  completionMode: Indexed
  completions: -1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c}]
"""
    assert refusals(text) == [
        ("spec.completions", "Invalid value: -1: must be greater than or equal to 0"),
        ("spec.template.spec.containers[0].image", "Required value")]


JOB = """apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      restartPolicy: POLICY
      containers: [{name: c, image: busybox}]
"""


@pytest.mark.parametrize(("policy", "messages"), [
    ("Always", ['Required value: valid values: "OnFailure", "Never"']),
    ("''", ['Required value: valid values: "OnFailure", "Never"']),
    ("Sometimes", ['Unsupported value: "Sometimes": supported values: "Always", "OnFailure", '
                   '"Never"',
                   'Unsupported value: "Sometimes": supported values: "OnFailure", "Never"']),
    # a core.RestartPolicy is a named string type: ErrorBody marshals it as JSON since 1.34
    ("'a<b'", ['Unsupported value: "a\\u003cb": supported values: "Always", "OnFailure", '
               '"Never"',
               'Unsupported value: "a\\u003cb": supported values: "OnFailure", "Never"']),
])
def test_a_jobs_restart_policy_in_validate_job_specs_words(policy: str,
                                                           messages: list[str]) -> None:
    """validateJobSpec: Always (what an empty policy is defaulted to) is "Required value";
    another policy is not supported, after the Pod spec's own check says so too."""
    found = refusals(JOB.replace("POLICY", policy))
    assert found == [("spec.template.spec.restartPolicy", m) for m in messages]


def test_a_deployments_restart_policy_is_always_only() -> None:
    text = """apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
"""
    assert refusals(text) == [("spec.template.spec.restartPolicy",
                               'Unsupported value: "Never": supported values: "Always"')]
    assert refusals(text.replace("Never", '"\\x07"'))[-1] == (   # JSON's \u0007, not %q's \a
        "spec.template.spec.restartPolicy",
        'Unsupported value: "\\u0007": supported values: "Always"')


@pytest.mark.parametrize(("old", "new", "path", "messages"), [
    ("name: web}", "name: Web}", "metadata.name", [f'Invalid value: "Web": {SUBDOMAIN}']),
    ("{name: web, image", "{name: Web_1, image", "spec.containers[0].name",
     [f'Invalid value: "Web_1": {LABEL}']),
    ("{name: web, image", "{name: web.v2, image", "spec.containers[0].name",
     ['Invalid value: "web.v2": must not contain dots']),
    ("{name: web, image", "{name: " + "a" * 64 + ", image", "spec.containers[0].name",
     [f'Invalid value: "{"a" * 64}": must be no more than 63 characters']),
    ("name: web}", "name: web, labels: {'my app': x}}", "metadata.labels",
     [f'Invalid value: "my app": {KEY_NAME}']),
    ("name: web}", "name: web, labels: {'Example.com/app': x}}", "metadata.labels",
     [f'Invalid value: "Example.com/app": prefix part {SUBDOMAIN}']),
    ("name: web}", "name: web, labels: {'/app': x}}", "metadata.labels",
     ['Invalid value: "/app": prefix part must be non-empty']),
    ("name: web}", "name: web, labels: {app: -x}}", "metadata.labels",
     [f'Invalid value: "-x": {LABEL_VALUE}']),
    ("name: web}", "name: web, labels: {app: " + "x" * 64 + "}}", "metadata.labels",
     [f'Invalid value: "{"x" * 64}": must be no more than 63 characters']),
    ("name: web}", "name: web, annotations: {'a b': x}}", "metadata.annotations",
     [f'Invalid value: "a b": {KEY_NAME}']),
])
def test_names_are_refused_in_the_api_servers_words(old: str, new: str, path: str,
                                                    messages: list[str]) -> None:
    """IsDNS1123Subdomain, IsDNS1123Label, IsLabelKey and IsLabelValue (apimachinery),
    each problem a ``field.Invalid`` of the name; label and annotation problems are reported
    at the map (ValidateLabels, ValidateAnnotations)."""
    assert refusals(POD.replace(old, new)) == [(path, m) for m in messages]


def test_an_annotation_key_is_checked_lower_cased() -> None:
    """ValidateAnnotations lower-cases a key before it checks it: a capital prefix passes."""
    assert load_manifests(POD.replace("name: web}", "name: web, annotations: "
                                      "{Example.COM/Owner: x}}"))


def test_a_service_name_is_a_dns_1123_label_only() -> None:
    """A Service's name at v1.37 (NameIsDNSLabel, KEP-5311 locked on): a name starting with a
    digit is valid; a capital is refused once, in the words of a lowercase RFC 1123 label,
    not also as a subdomain."""
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: 1st}\nspec: {ports: [{port: 80}]}\n"
    assert [spec.name for spec in load_manifests(text)] == ["1st"]
    assert refusals(text.replace("1st", "Web")) == [
        ("metadata.name", f'Invalid value: "Web": {LABEL}')]


def test_a_namespace_name_is_a_dns_label() -> None:
    text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: team.a}\n"
    assert refusals(text) == [("metadata.name", 'Invalid value: "team.a": must not contain dots')]


def test_a_name_error_names_file_line_and_what_to_write() -> None:
    """The loader's own part: where the name is, and a hint beside upstream's words."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(POD.replace("name: web}", "name: Web}"))
    assert caught.value.line == 3 and caught.value.expected
    assert "lower case" in caught.value.expected and str(caught.value).startswith(
        "<string>, line 3, metadata.name: Invalid value: \"Web\"")


@pytest.mark.parametrize(("finalizers", "errors"), [
    ("[kubernetes, orphan, example.com/cleanup]", []),
    ("[cleanup]", [("metadata.finalizers[0]", 'Invalid value: "cleanup": name is neither a '
                    "standard finalizer name nor is it fully qualified")]),
    ("[orphan, foregroundDeletion]", [("metadata.finalizers", 'Invalid value: ["orphan",'
                                       '"foregroundDeletion"]: finalizer orphan and '
                                       "foregroundDeletion cannot be both set")]),
    ("[a/b/c]", [("metadata.finalizers", 'Invalid value: "a/b/c": a valid label key must '
                  "consist of alphanumeric characters, '-', '_' or '.', and must start and "
                  "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                  "'123-abc', regex used for validation is "
                  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
                  "subdomain prefix and '/' (e.g. 'example.com/MyName')")]),
    ("[Bad_]", [("metadata.finalizers", f'Invalid value: "Bad_": {KEY_NAME}'),
                ("metadata.finalizers[0]", 'Invalid value: "Bad_": name is neither a '
                 "standard finalizer name nor is it fully qualified")]),
])
def test_finalizer_names(finalizers: str, errors: list[tuple[str, str]]) -> None:
    """ValidateFinalizers (each a label key, reported at the list; not both orphan and
    foregroundDeletion) and validateKubeFinalizerName (one without '/' is a standard one,
    reported at its index)."""
    text = POD.replace("name: web}", f"name: web, finalizers: {finalizers}}}")
    if not errors:
        assert load_manifests(text)
        return
    assert refusals(text) == errors


def test_the_metadatas_errors_come_first_as_validate_object_meta_lists_them() -> None:
    """ValidateObjectMeta runs before the spec's checks: a finalizer's error is listed before
    the spec's restart policy, in a List item as in a lone object."""
    text = POD.replace("name: web}", "name: web, finalizers: [cleanup]}").replace(
        "spec:\n", "spec:\n  restartPolicy: Sometimes\n")
    expected = ["metadata.finalizers[0]", "spec.restartPolicy"]
    assert [path for path, _ in refusals(text)] == expected
    items = "apiVersion: v1\nkind: List\nitems:\n- " + "\n  ".join(text.strip().splitlines())
    assert [path for path, _ in refusals(items)] == [f"items[0].{p}" for p in expected]


def test_every_immutable_field_changed_is_reported_in_upstreams_order() -> None:
    """ValidateJobSpecUpdate checks completions, selector, template, completionMode,
    podFailurePolicy, backoffLimitPerIndex, managedBy and successPolicy in turn and
    errors.NewInvalid reports every error, ``[a, b]``; the first alone was reported."""
    job = {"kind": "Job", "metadata": {"name": "j", "uid": "u1"},
           "spec": {"completions": 3, "managedBy": "kubernetes.io/job-controller",
                    "template": {"spec": {"containers": [{"name": "c", "image": "a"}]}}}}
    changed = {"spec": {**job["spec"], "completions": 4, "managedBy": "example.com/queue",
                        "completionMode": "NonIndexed",
                        "template": {"spec": {"containers": [{"name": "c", "image": "b"}]}}}}
    job["spec"]["completionMode"] = "Indexed"
    job["spec"]["parallelism"] = changed["spec"]["parallelism"] = 3
    assert workload_update_refusal(job, changed, None) == (
        'Job.batch "j" is invalid: [spec.completions: Invalid value: 4: field is immutable, '
        "spec.template: Invalid value: {...}: field is immutable, spec.completionMode: "
        'Invalid value: "NonIndexed": field is immutable, spec.managedBy: Invalid value: '
        '"example.com/queue": field is immutable]')


def test_an_immutable_field_refused_shows_the_new_value() -> None:
    """ValidateImmutableField: ``field.Invalid`` of the new value: a struct abbreviated
    ``{...}``, a string quoted."""
    job = {"kind": "Job", "metadata": {"name": "j", "uid": "u1"},
           "spec": {"completionMode": "Indexed", "completions": 3, "parallelism": 3,
                    "template": {"spec": {"containers": [{"name": "c", "image": "a"}]}}}}
    changed = {"spec": {**job["spec"], "completionMode": "NonIndexed"}}
    assert workload_update_refusal(job, changed, None) == (
        'Job.batch "j" is invalid: spec.completionMode: Invalid value: "NonIndexed": field '
        "is immutable")
    moved = {"spec": {**job["spec"], "template": {"spec": {"containers": [
        {"name": "c", "image": "b"}]}}}}
    assert workload_update_refusal(job, moved, None) == (
        'Job.batch "j" is invalid: spec.template: Invalid value: {...}: field is immutable')
    web = {"kind": "Deployment", "metadata": {"name": "web"},
           "spec": {"selector": {"matchLabels": {"app": "web"}}}}
    assert workload_update_refusal(web, {"spec": {"selector": {"matchLabels": {"app": "w"}}}},
                                   None) == ('Deployment.apps "web" is invalid: spec.selector: '
                                             "Invalid value: {...}: field is immutable")
