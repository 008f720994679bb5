"""The Kubernetes loader: documents, Lists, validation as the API server does it, workloads."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

from clustersim import ManifestError, load_manifests
from clustersim.manifests import SIMULATED_KINDS, kubernetes_fields
from clustersim.manifests.kubernetes_fields import unknown_fields_meant
from clustersim.schemas import KUBERNETES_VERSION, kubernetes_definitions

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      nodeSelector: {disktype: ssd}
      tolerations:
      - {key: dedicated, value: web, effect: NoSchedule}
      initContainers:
      - name: init
        image: busybox
        resources: {requests: {cpu: "2", memory: 64Mi}}
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 80, hostPort: 8080}]
        resources: {requests: {cpu: 500m, memory: 128Mi}}
      - name: sidecar
        image: busybox
        resources: {limits: {cpu: 250m, memory: 32Mi}}
"""


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line containing ``fragment``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_multi_document_file_with_list_and_other_kinds() -> None:
    text = (
        DEPLOYMENT
        + """---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80}]}}
- {apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: web},
   spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
"""
    )
    specs = load_manifests(text)
    assert [(s.kind, s.name, s.namespace, s.simulated) for s in specs] == [
        ("Deployment", "web", "shop", True),
        ("Service", "web", "default", True),
        ("Ingress", "web", "default", False),
        ("Namespace", "shop", None, True),
    ]
    assert specs[1].line == line_of(text, "- {apiVersion: v1, kind: Service")  # the item's line
    assert specs[0].manifest["spec"]["replicas"] == 3
    assert "strategy" not in specs[0].manifest["spec"], "no defaults are applied"


def test_simulated_kinds_are_the_issue_list() -> None:
    assert {
        "Pod",
        "Deployment",
        "ReplicaSet",
        "ReplicationController",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "Service",
        "PersistentVolumeClaim",
        "ConfigMap",
        "Secret",
        "Namespace",
        # issue 20: resource management
        "HorizontalPodAutoscaler",
        "ResourceQuota",
        "LimitRange",
        "PriorityClass",
        # decided by KubernetesCluster.connection (clustersim.kubernetes.networkpolicy)
        "NetworkPolicy",
    } == SIMULATED_KINDS


def error_of(text: str) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        load_manifests(text, name="web.yaml")
    return info.value


def test_quantity_error_names_path_and_line() -> None:
    text = DEPLOYMENT.replace("cpu: 500m", "cpu: 500 m")
    error = error_of(text)
    assert error.path == "spec.template.spec.containers[0].resources.requests.cpu"
    assert error.line == line_of(text, "cpu: 500 m")
    assert "'500 m'" in error.message


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (("replicas: 3", 'replicas: "3"'), "spec.replicas", "whole number"),
        (
            ("labels: {app: web}", "labels: {app: web, version: 1}"),
            "spec.template.metadata.labels.version",
            "quote",
        ),
        (("name: web\n  namespace", "name: Web_1\n  namespace"), "metadata.name", "RFC 1123"),
        (
            ("containerPort: 80", "containerPort: 70000"),
            "spec.template.spec.containers[0].ports[0].containerPort",
            "65535",
        ),
        (
            ("effect: NoSchedule", "effect: Never"),
            "spec.template.spec.tolerations[0].effect",
            "NoExecute",
        ),
        (
            ("matchLabels: {app: web}", "matchLabels: {app: api}"),
            "spec.template.metadata.labels",
            "selector",
        ),
        (("  selector:\n    matchLabels: {app: web}\n", ""), "spec.selector", "Required"),
        (
            ("- name: web\n        image", "- image"),
            "spec.template.spec.containers[0].name",
            "Required value",   # the API server's field.Required (not the JSON Schema words)
        ),
    ],
)
def test_validation_errors(change: tuple[str, str], path: str, words: str) -> None:
    old, new = change
    assert old in DEPLOYMENT
    error = error_of(DEPLOYMENT.replace(old, new, 1))
    assert error.path == path
    assert words in str(error)
    assert error.line is not None


def test_job_pods_must_not_restart_always() -> None:
    text = """apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  template:
    spec:
      containers: [{name: pi, image: perl}]
"""
    error = error_of(text)
    assert error.path == "spec.template.spec.restartPolicy"
    assert load_manifests(text.replace("containers:", "restartPolicy: Never\n      containers:"))


@pytest.mark.parametrize(("api_version", "kind", "meant"), [
    ("apps/v1", "statefulset", "StatefulSet"),
    ("v1", "configMap", "ConfigMap"),
    ("networking.k8s.io/v1", "ingress", "Ingress"),
    ("example.com/v1", "deployment", None),     # a custom resource may name any kind
    ("apps/v1", "Widget", None),
])
def test_a_built_in_kind_in_another_case_is_refused_as_kubectl_refuses_it(
        api_version: str, kind: str, meant: str | None) -> None:
    text = f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n"
    if meant is None:
        assert load_manifests(text)
        return
    error = error_of(text)
    assert error.path == "kind"
    assert error.message == f'no matches for kind "{kind}" in version "{api_version}"'
    assert f"kind: {meant}" in str(error)


def test_removed_api_versions_load_with_a_warning() -> None:
    old = DEPLOYMENT.replace("apps/v1", "extensions/v1beta1").replace(
        "  selector:\n    matchLabels: {app: web}\n", ""
    )
    [spec] = load_manifests(old)
    assert "1.16" in spec.warnings[0] and "apps/v1" in spec.warnings[0]
    [current] = load_manifests(DEPLOYMENT)
    assert current.warnings == ()


def test_workload_uses_pod_requests_as_the_scheduler_does() -> None:
    """``PodRequests``: max(sum of containers, largest init container); limits stand in for
    missing requests (``SetDefaults_Pod``)."""
    [workload] = load_manifests(DEPLOYMENT)[0].workloads()
    assert workload.replicas == 3
    assert workload.cpu == Decimal("2")  # the init container's 2 > 0.5 + 0.25
    assert workload.memory == (128 + 32) * 2**20  # 160Mi > 64Mi
    assert [str(p) for p in workload.ports] == ["8080:80/tcp"]
    assert workload.placement == ("node label disktype=ssd", "tolerates dedicated=web:NoSchedule")


def test_kinds_without_pods_have_no_workloads() -> None:
    specs = load_manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n")
    assert specs.workloads() == []


def test_daemonset_runs_one_per_node() -> None:
    text = DEPLOYMENT.replace("kind: Deployment", "kind: DaemonSet").replace("  replicas: 3\n", "")
    [workload] = load_manifests(text).workloads()
    assert workload.replicas is None


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "  - {name: web, image: a}\n  - {name: web, image: b}\n",
            "spec.containers[1].name",
            'Duplicate value: "web"',
        ),
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n"
            "  - {port: 80, name: http}\n  - {port: 443}\n",
            "spec.ports[1].name",
            "Required value",
        ),
        (
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n"
            "  schedule: '*/5 * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
            "          restartPolicy: Always\n          containers: [{name: c, image: x}]\n",
            "spec.jobTemplate.spec.template.spec.restartPolicy",
            'Required value: valid values: "OnFailure", "Never"',
        ),
        (   # validateHTTPIngressPath: supportedPathTypes, spelt as they are
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n"
            "  rules:\n  - http:\n      paths:\n      - {path: /, pathType: Prefix, backend: "
            "{service: {name: w, port: {number: 80}}}}\n      - {path: /a, pathType: prefix, "
            "backend: {service: {name: w, port: {number: 80}}}}\n",
            "spec.rules[0].http.paths[1].pathType",
            'Unsupported value: "prefix": supported values: "Exact", "ImplementationSpecific", '
            '"Prefix"',
        ),
        (   # a networking.PathType: in JSON since 1.34, "<" escaped
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n"
            "  rules:\n  - http:\n      paths:\n      - {path: /a, pathType: 'a<b', "
            "backend: {service: {name: w, port: {number: 80}}}}\n",
            "spec.rules[0].http.paths[0].pathType",
            'Unsupported value: "a\\u003cb": supported values: "Exact", '
            '"ImplementationSpecific", "Prefix"',
        ),
    ],
)
def test_cross_field_checks(text: str, path: str, words: str) -> None:
    error = error_of(text)
    assert error.path == path
    assert words in str(error)


@pytest.mark.parametrize(
    ("metadata_or_data", "path", "words"),
    [
        ('metadata: {name: c, labels: {"my app": x}}', "metadata.labels",
         'Invalid value: "my app": name part must consist of alphanumeric characters'),
        (
            "metadata: {name: c, labels: {Example.com/app: x}}",
            "metadata.labels",
            'Invalid value: "Example.com/app": prefix part a lowercase RFC 1123 subdomain',
        ),
        ('metadata: {name: c, labels: {app: "a b"}}', "metadata.labels",
         'Invalid value: "a b": a valid label must be an empty string'),
        ("metadata: {name: c, labels: {app.kubernetes.io/name: web, tier: ''}}", None, None),
        ('metadata: {name: c}\ndata: {"a/b": x}', 'data[a/b]',
         'Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '
         "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
         "validation is '[-._a-zA-Z0-9]+')"),
        ('metadata: {name: c}\ndata: {"..a": x}', 'data[..a]',
         'Invalid value: "..a": must not start with \'..\''),
        ("metadata: {name: c}\nbinaryData: {a: '%%%'}", "binaryData.a", "base64"),
    ],
)
def test_label_and_data_keys(metadata_or_data: str, path: str | None, words: str | None) -> None:
    """``IsQualifiedName``, ``IsValidLabelValue``, ``IsConfigMapKey`` (apimachinery
    ``pkg/util/validation/validation.go``)."""
    text = f"apiVersion: v1\nkind: ConfigMap\n{metadata_or_data}\n"
    if path is None:
        assert load_manifests(text)
        return
    error = error_of(text)
    top = path.split(".")[0].split("[")[0]
    lines = text.splitlines()
    assert error.path == path
    assert error.line == next(i for i, line in enumerate(lines, 1) if line.startswith(top + ":"))
    assert words in str(error)


def test_secret_data_must_be_base64() -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  ok: aGVsbG8=\n  pw: hello!\n"
    )
    error = error_of(text)
    assert (error.path, error.line) == ("data.pw", 6)


def test_unknown_fields_of_a_valid_object_are_a_warning_each_in_the_api_servers_words() -> None:
    """``fieldValidation=Warn`` sends one warning per unknown field
    (``addStrictDecodingWarnings``), which kubectl prints as ``Warning: unknown field
    "spec.replica"``; the loader had added its own words to each."""
    text = DEPLOYMENT.replace("replicas: 3", "replica: 3").replace(
        "image: nginx", "image: nginx\n        imagePullPolice: Always"
    )
    [spec] = load_manifests(text)
    assert spec.warnings == ('unknown field "spec.replica"',
                             'unknown field "spec.template.spec.containers[0].imagePullPolice"')


def test_a_valid_object_is_warned_of_its_first_hundred_unknown_fields() -> None:
    """The warnings are the strict errors of the decoding, of which sigs.k8s.io/json's
    ``saveStrictError`` keeps at most 100; the loader had warned of every field."""
    fields = "".join(f"  x{i:03}: 1\n" for i in range(120))
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            f"  containers: [{{name: c, image: nginx}}]\n{fields}")
    [spec] = load_manifests(text)
    assert spec.warnings == tuple(f'unknown field "spec.x{i:03}"' for i in range(100))


UNWRAPPED_TERM = """apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        labelSelector: {matchLabels: {app: web}}
        topologyKey: kubernetes.io/hostname
  containers: [{name: web, image: nginx}]
"""
"""A preferred anti-affinity term whose ``podAffinityTerm:`` wrapper was left out."""
TERM = "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"


def test_an_affinity_term_without_its_wrapper_names_the_unknown_fields_first() -> None:
    """Strict decoding knows the fields of ``affinity`` and its terms (core/v1
    ``WeightedPodAffinityTerm``: ``weight`` and ``podAffinityTerm`` only): the API server
    refuses this term's ``labelSelector`` and ``topologyKey`` before it validates anything;
    the loader names them first, then the validation's ``Required value`` (the loader had
    said only that), and guesses the field one level down that was meant."""
    error = error_of(UNWRAPPED_TERM)
    assert [(e.line, e.path, e.message) for e in (error, *error.also)] == [
        (9, "", f'strict decoding error: unknown field "{TERM}.labelSelector", '
                f'unknown field "{TERM}.topologyKey"'),
        (8, f"{TERM}.podAffinityTerm", "Required value")]
    assert "podAffinityTerm.labelSelector in place of" in str(error)


def test_dropping_unknown_fields_removes_them_in_place_and_keeps_the_rest() -> None:
    manifest = yaml.safe_load(DEPLOYMENT.replace("replicas: 3", "replica: 3"))
    manifest["spec"]["template"]["spec"]["containers"][0]["imagePullPolice"] = "Always"
    kept = copy.deepcopy(manifest)
    dropped = unknown_fields_meant("Deployment", manifest, drop=True)
    assert dropped == [
        ("spec.replica", ("spec", "replica"), "replicas"),
        ("spec.template.spec.containers[0].imagePullPolice",
         ("spec", "template", "spec", "containers", 0, "imagePullPolice"), "imagePullPolicy")]
    del kept["spec"]["replica"], kept["spec"]["template"]["spec"]["containers"][0][
        "imagePullPolice"]
    assert manifest == kept
    assert unknown_fields_meant("Deployment", manifest) == []


def test_known_fields_are_those_of_the_schemas_of_the_release_taught() -> None:
    """Every structure the unknown-field check walks has exactly the fields of the OpenAPI
    schema of :data:`clustersim.schemas.KUBERNETES_VERSION` (kubernetes-validate's copy), so
    that a field a new release adds is not refused by the simulated API server."""
    definitions = kubernetes_definitions()
    by_name = {name.rsplit(".", 1)[-1]: schema for name, schema in definitions.items()
               if name.startswith(("io.k8s.api.", "io.k8s.apimachinery."))}
    differ = {
        struct: (sorted(set(by_name[struct]["properties"]) - set(fields)),
                 sorted(set(fields) - set(by_name[struct]["properties"])))
        for struct, fields in kubernetes_fields._STRUCTS.items()
        if set(fields) != set(by_name[struct]["properties"])
    }
    assert differ == {}, f"(missing, extra) per structure, against v{KUBERNETES_VERSION}"


def test_each_kinds_top_level_fields_are_those_of_its_schema() -> None:
    """Each kind the unknown-field check knows has the top-level fields of its Go type, a
    ``status`` only where the type has one (a ConfigMap's ``status`` is unknown), so that
    strict decoding names a typo inside a status as the API server does."""
    definitions = kubernetes_definitions()
    differ = {
        kind: sorted(set(fields) ^ set(schema["properties"]))
        for kind, fields in kubernetes_fields._KINDS.items()
        for name, schema in definitions.items()
        if name.startswith("io.k8s.api.") and name.endswith(f".v1.{kind}")
        and set(fields) != set(schema["properties"])
    }
    assert differ == {}, f"fields that differ per kind, against v{KUBERNETES_VERSION}"


@pytest.mark.parametrize(
    ("name", "valid"),
    [("web", True), ("web-1", True), ("1st", True), ("1web", True), ("web.shop", False),
     ("Web", False), ("-web", False), ("a" * 64, False)],
)
def test_service_names_are_dns_1123_labels(name: str, valid: bool) -> None:
    """NameIsDNSLabel at v1.37 (RelaxedServiceNameValidation locked on, KEP-5311): a name
    may start with a digit; dots, capitals and a leading '-' are still refused."""
    text = (
        f"apiVersion: v1\nkind: Service\nmetadata: {{name: '{name}'}}\n"
        "spec: {ports: [{port: 80}]}\n"
    )
    if valid:
        assert load_manifests(text)
    else:
        assert error_of(text).path == "metadata.name"


@pytest.mark.parametrize(
    ("spec", "valid"),
    [("null", False), ("{}", False), ("{clusterIP: None}", True), ("{type: ExternalName}", True)],
)
def test_service_ports_are_required_unless_headless_or_external(spec: str, valid: bool) -> None:
    """``ValidateService``: "spec.ports: Required value" (a null spec crashed the simulator)."""
    text = f"apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec: {spec}\n"
    if valid:
        assert load_manifests(text)
    else:
        assert error_of(text).path == "spec.ports"


CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: report, image: busybox:1.37}]
"""


@pytest.mark.parametrize(
    ("schedule", "words"),
    [("*/5 * * *", 'Invalid value: "*/5 * * *": expected exactly 5 fields, found 4: '
      "[*/5 * * *]"),
     ("60 * * * *", 'Invalid value: "60 * * * *": end of range (60) above maximum (59): 60'),
     ("0 0 * * 7", 'Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7'),
     ("0 0 * * 5-1", "beginning of range (5) beyond end of range (1): 5-1"),
     ("1-2-3 * * * *", "too many hyphens: 1-2-3"), ("*/1/2 * * * *", "too many slashes"),
     ("*/0 * * * *", "step of range should be a positive number: */0"),
     ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
     ("x\u00ad * * * *", 'failed to parse int from x\u00ad: strconv.Atoi: parsing '
      '"x\\u00ad": invalid syntax'),   # a soft hyphen, quoted as strconv.Quote does
     ("@often", 'Invalid value: "@often": unrecognized descriptor: @often'),
     ("", "must be a non-empty string"),
     ("TZ=UTC 0 * * * *", 'Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in '
      "schedule, use timeZone field instead")],
)
def test_a_cron_schedule_is_read_when_the_cronjob_loads(schedule: str, words: str) -> None:
    """The API server refuses a schedule robfig/cron cannot parse, in the parser's words
    (``validateScheduleFormat``); the loader did not, and the simulated controller failed
    later, on every step, naming no file. Day of week 7 is no Sunday to robfig/cron."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(CRONJOB.replace("*/5 * * * *", schedule), name="cron.yaml")
    assert (caught.value.source, caught.value.line, caught.value.path) == (
        "cron.yaml", 5, "spec.schedule")
    assert words in caught.value.message


def test_a_time_zone_other_than_utc_is_refused_as_not_simulated() -> None:
    zoned = CRONJOB.replace('"\n', '"\n  timeZone: Europe/Paris\n', 1)
    with pytest.raises(ManifestError) as caught:
        load_manifests(zoned, name="cron.yaml")
    assert (caught.value.path, caught.value.line) == ("spec.timeZone", 6)
    assert "time zone 'Europe/Paris' is not simulated" in caught.value.message
    [spec] = load_manifests(zoned.replace("Europe/Paris", "UTC"))
    assert spec.manifest["spec"]["timeZone"] == "UTC"


@pytest.mark.parametrize(("zone", "problems"), [
    ("''", ['Invalid value: "": timeZone must be nil or non-empty string']),
    ("Local", ['Invalid value: "Local": timeZone must be an explicit time zone as defined in '
               "https://www.iana.org/time-zones"]),
    ("local", ['Invalid value: "local": timeZone must be an explicit time zone as defined in '
               "https://www.iana.org/time-zones",
               'Invalid value: "local": unknown time zone local']),
    ("Mars/Base", ['Invalid value: "Mars/Base": unknown time zone Mars/Base']),
    ("'TZ=UTC'", ['Invalid value: "TZ=UTC": unknown time zone TZ=UTC']),
    ("../etc", ['Invalid value: "../etc": unknown time zone ../etc']),
])
def test_a_time_zone_is_validated_as_the_api_server_does(zone: str, problems: list[str]) -> None:
    """``validateTimeZone`` (kubernetes/kubernetes ``pkg/apis/batch/validation/
    validation.go``) in its words before the simulator's own limit (UTC alone): every zone
    but UTC had been refused as "not simulated", ``Local`` and ``Mars/Base`` alike."""
    zoned = CRONJOB.replace('"\n', f'"\n  timeZone: {zone}\n', 1)
    with pytest.raises(ManifestError) as caught:
        load_manifests(zoned, name="cron.yaml")
    assert [(e.path, e.message) for e in (caught.value, *caught.value.also)] == [
        ("spec.timeZone", problem) for problem in problems]


POD = """apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: web
    image: nginx
"""


@pytest.mark.parametrize(
    ("extra", "path", "words"),
    [("    env: [{name: PASSWORD, valueFrom: secretKeyRef}]\n",
      "spec.containers[0].env[0].valueFrom", "cannot unmarshal string into Go struct field "
      "EnvVar.spec.containers.env.valueFrom of type v1.EnvVarSource"),
     ("    envFrom: 5\n", "spec.containers[0].envFrom", "cannot unmarshal number into Go "
      "struct field Container.spec.containers.envFrom of type []v1.EnvFromSource"),
     ("    volumeMounts: [{name: [data], mountPath: /data}]\n",
      "spec.containers[0].volumeMounts[0].name", "cannot unmarshal array into Go struct "
      "field VolumeMount.spec.containers.volumeMounts.name of type string"),
     ("  volumes: [{name: data, persistentVolumeClaim: my-claim}]\n",
      "spec.volumes[0].persistentVolumeClaim", "cannot unmarshal string into Go struct "
      "field Volume.spec.volumes.persistentVolumeClaim of type "
      "v1.PersistentVolumeClaimVolumeSource"),
     ("  schedulingGates: true\n", "spec.schedulingGates", "cannot unmarshal bool into Go "
      "struct field PodSpec.spec.schedulingGates of type []v1.PodSchedulingGate"),
     ("status: 5\n", "status", "valid dictionary")],
)
def test_what_the_kubelet_and_controllers_read_has_its_shape_checked(
    extra: str, path: str, words: str
) -> None:
    """These loaded, then failed inside the simulator with a raw TypeError or
    AttributeError (an env source written as a bare name is a common slip)."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(POD + extra, name="pod.yaml")
    assert caught.value.path == path and words in caught.value.message


@pytest.mark.parametrize(
    ("extra", "path", "words"),
    [("    resources: {requests: {cpu: 1Ei}}\n", "spec.containers[0].resources.requests",
      'cpu: quantity "1Ei" is more than the simulator holds: it counts cpu in millicores'),
     ("    resources: {limits: {memory: 1e400}}\n", "spec.containers[0].resources.limits",
      'memory: quantity "1e400" is more than the simulator holds: it counts memory in bytes'),
     (f"    resources: {{requests: {{cpu: '{'9' * 60}'}}}}\n",
      "spec.containers[0].resources.requests", f'cpu: quantity "{"9" * 60}" is more than'),
     ("  overhead: {cpu: 1Ei}\n", "spec.overhead",    # added to requests by the scheduler
      'cpu: quantity "1Ei" is more than the simulator holds'),
     ("  topologySpreadConstraints: [{maxSkew: 1, topologyKey: '', whenUnsatisfiable: "
      "DoNotSchedule}]\n", "spec.topologySpreadConstraints[0].topologyKey",
      "Required value: can not be empty")],
)
def test_values_the_scheduler_cannot_use_are_refused_at_load(
    extra: str, path: str, words: str
) -> None:
    """They loaded, then were refused inside the simulator, naming no file; a quantity too
    large for the scheduler's 64-bit readings is named as written (it had been named by its
    milli-value, ``1.152921504606846976E+21``), a limit of the simulator: upstream stores
    it."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(POD + extra, name="pod.yaml")
    assert caught.value.path == path and words in caught.value.message


@pytest.mark.parametrize(("ip", "valid"), [("10.96.0.20", True), ("None", True), ("", True),
                                           ("10.0.0", False), ("fd00::1", True)])
def test_a_services_cluster_ip_is_an_ip_address(ip: str, valid: bool) -> None:
    text = (f"apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\n"
            f"spec: {{clusterIP: '{ip}', selector: {{app: web}}, ports: [{{port: 80}}]}}\n")
    if valid:
        load_manifests(text)
        return
    with pytest.raises(ManifestError, match="must be a valid IP address"):
        load_manifests(text, name="svc.yaml")


@pytest.mark.parametrize(("ip", "words"), [
    ("010.96.0.10", "must not have leading 0s"),
    ("::ffff:10.96.0.10", "must not be an IPv4-mapped IPv6 address"),
    ("fd00::1%eth0", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
])
def test_a_cluster_ip_is_validated_as_a_legacy_ip_field_strictly(ip: str, words: str) -> None:
    """``IsValidIPForLegacyField`` with the ``StrictIPCIDRValidation`` gate on, its default
    since 1.36: Python's ``ip_address`` had taken the last two and worded the first its own
    way."""
    text = (f"apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\n"
            f"spec: {{clusterIP: '{ip}', selector: {{app: web}}, ports: [{{port: 80}}]}}\n")
    with pytest.raises(ManifestError) as caught:
        load_manifests(text, name="svc.yaml")
    assert f'Invalid value: "{ip}": {words}' in caught.value.message


def test_a_refused_cluster_ip_is_quoted_as_gos_q_quotes_it() -> None:
    """The bad value of ``ValidateServiceClusterIPs`` is a plain string: ``%q`` escapes a
    backslash, which the message had left as it was."""
    text = ("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
            "spec: {clusterIP: '10.0.0\\1', selector: {app: web}, ports: [{port: 80}]}\n")
    with pytest.raises(ManifestError, match=r'Invalid value: "10\.0\.0\\\\1": must be a valid'):
        load_manifests(text)


def _deployment(pod: str = "", container: str = "", *, labels: str = "{app: web}",
                replicas: str = "2") -> str:
    return ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
            f"  replicas: {replicas}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n"
            f"    metadata: {{labels: {labels}}}\n    spec:\n{pod}      containers:\n"
            f"      - name: web\n{container}")


@pytest.mark.parametrize(("text", "path"), [
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: vp}\nspec:\n  containers: [{name: c}]\n",
     "spec.containers[0].image"),
    (_deployment(), "spec.template.spec.containers[0].image"),
    (_deployment(pod="      initContainers: [{name: setup}]\n", container="        image: x\n"),
     "spec.template.spec.initContainers[0].image"),
])
def test_a_container_without_an_image_is_refused_as_the_api_server_refuses_it(
        text: str, path: str) -> None:
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert (caught.value.path, caught.value.message) == (path, "Required value")


@pytest.mark.parametrize(("resources", "message"), [
    ("{requests: {cpu: 2}, limits: {cpu: 1}}",
     'Invalid value: "2": must be less than or equal to cpu limit of 1'),
    ("{requests: {cpu: 1500m}, limits: {cpu: '1.2'}}",
     'Invalid value: "1500m": must be less than or equal to cpu limit of 1200m'),
    ("{requests: {memory: 2Gi}, limits: {memory: 1024Mi}}",
     'Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi'),
    ("{requests: {nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 2}}",
     'Invalid value: "1": must be equal to nvidia.com/gpu limit of 2'),
])
def test_a_request_above_its_limit_is_refused_in_the_api_servers_words(
        resources: str, message: str) -> None:
    """``ValidateResourceRequirements``: the field is ``requests``, the value is the request
    as ``Quantity.String()`` writes it; a resource that cannot be overcommitted must request
    exactly its limit."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(_deployment(container=f"        image: x\n        resources: {resources}\n"))
    assert caught.value.path == "spec.template.spec.containers[0].resources.requests"
    assert caught.value.message == message


def test_a_request_at_or_under_its_limit_loads() -> None:
    container = "        image: x\n        resources: {requests: {cpu: 1, memory: 1Gi}, " \
                "limits: {cpu: 1000m, memory: 2Gi}}\n"
    [spec] = load_manifests(_deployment(container=container))
    assert spec.kind == "Deployment"


@pytest.mark.parametrize(("change", "path", "message"), [
    ({"replicas": "-1"}, "spec.replicas", "Invalid value: -1: must be greater than or equal to 0"),
    ({"pod": "      restartPolicy: Sometimes\n"}, "spec.template.spec.restartPolicy",
     'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'),
    ({"container": "        image: x\n        ports: [{containerPort: 70000}]\n"},
     "spec.template.spec.containers[0].ports[0].containerPort",
     "Invalid value: 70000: must be between 1 and 65535, inclusive"),
    ({"container": "        image: x\n        ports: [{containerPort: 80, protocol: tcp}]\n"},
     "spec.template.spec.containers[0].ports[0].protocol",
     'Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'),
    ({"container": "        image: x\n        imagePullPolicy: on\n"},
     "spec.template.spec.containers[0].imagePullPolicy", "cannot unmarshal bool into Go struct "
     "field Container.spec.template.spec.containers.imagePullPolicy of type v1.PullPolicy"),
    ({"labels": "{app: w}"}, "spec.template.metadata.labels",
     'Invalid value: {"app":"w"}: `selector` does not match template `labels`'),
])
def test_field_errors_are_worded_as_the_api_server_words_them(
        change: dict[str, str], path: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        load_manifests(_deployment(**{"container": "        image: x\n", **change}),
                       name="web.yaml")
    assert (caught.value.path, caught.value.message) == (path, message)
    assert str(caught.value).startswith("web.yaml, line ")     # still the file and line


@pytest.mark.parametrize(("replicas", "kind"), [("'3'", "string"), ("y", "bool"),
                                                ("1.5", "number 1.5"), ("[1]", "array")])
def test_a_value_of_the_wrong_json_type_is_the_decoders_error(replicas: str, kind: str) -> None:
    """kubectl reads YAML 1.1 (``y`` is true) and the API server's JSON decoder refuses a
    value of the wrong type in Go's words, never with Python's ``True``."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(_deployment(container="        image: x\n", replicas=replicas))
    assert caught.value.message == (f"cannot unmarshal {kind} into Go struct field "
                                    "DeploymentSpec.spec.replicas of type int32")
    assert "True" not in str(caught.value)


@pytest.mark.parametrize(("image", "kind"), [("1.5", "number"), ("7", "number"),
                                             ("true", "bool"), ("[x]", "array"),
                                             ("{a: b}", "object")])
def test_a_value_of_the_wrong_json_type_in_a_string_field_is_named_by_its_kind(
        image: str, kind: str) -> None:
    """``literalStore`` names a number with its digits only in a numeric field: a number in
    a string field is plain ``number``."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(_deployment(container=f"        image: {image}\n"))
    assert caught.value.message == (f"cannot unmarshal {kind} into Go struct field "
                                    "Container.spec.template.spec.containers.image of type "
                                    "string")


def test_a_bad_string_value_is_quoted_as_gos_q_quotes_it() -> None:
    """``ErrorBody`` prints a plain string (an env var's name) with ``%q``: Go's short
    escape for BEL, ``\\u`` for a character that does not print (a zero-width space), a
    printable é as it is."""
    text = _deployment(container='        env: [{name: "\\a\u200b\xe9=", value: x}]\n')
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert caught.value.message.startswith('Invalid value: "\\a\\u200b\xe9=": a valid '
                                           "environment variable name")


def test_a_bad_int_or_string_is_written_in_json() -> None:
    """An ``intstr.IntOrString`` (``maxSurge``) is no plain string: ``ErrorBody`` marshals
    it (1.34+), so BEL is ``\\u0007`` and the zero-width space stays as it is."""
    text = _deployment(container="        image: x\n").replace(
        "spec:\n  replicas", 'spec:\n  strategy: {rollingUpdate: {maxSurge: "\\a\u200b\xe9%"}}'
        "\n  replicas")
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert caught.value.message.startswith('Invalid value: "\\u0007\u200b\xe9%": a valid '
                                           "percent")


def test_every_field_error_of_an_object_is_reported_together() -> None:
    """The API server aggregates an object's field errors; the loader reports them all too,
    the first as the error and the others in ``also``, each with its line."""
    text = _deployment(pod="      restartPolicy: Sometimes\n", replicas="-1",
                       container="        image: x\n        ports: [{containerPort: 0}]\n")
    with pytest.raises(ManifestError) as caught:
        load_manifests(text, name="web.yaml")
    found = [(e.path, e.line) for e in (caught.value, *caught.value.also)]
    assert found == [("spec.replicas", 5),
                     ("spec.template.spec.containers[0].ports[0].containerPort", 14),
                     ("spec.template.spec.restartPolicy", 10),   # the Pod spec's choices
                     ("spec.template.spec.restartPolicy", 10)]   # then a Deployment's: Always
    assert str(caught.value).count("web.yaml, line") == 4
    checks = _deployment(labels="{app: w}", container="        resources: {requests: {cpu: 2}, "
                         "limits: {cpu: 1}}\n")
    with pytest.raises(ManifestError) as caught:
        load_manifests(checks)
    assert [e.path for e in (caught.value, *caught.value.also)] == [
        "spec.template.metadata.labels", "spec.template.spec.containers[0].image",
        "spec.template.spec.containers[0].resources.requests"]


@pytest.mark.parametrize(("annotations", "field", "words"), [
    ('{clustersim.io/run-seconds: "soon"}', "clustersim.io/run-seconds",
     'Invalid value: "soon": must be a number of seconds'),
    ('{clustersim.io/run-seconds: "-5"}', "clustersim.io/run-seconds",
     'Invalid value: "-5": must be a number of seconds'),
    ('{clustersim.io/run-seconds: "5", clustersim.io/exit-code: "1.5"}',
     "clustersim.io/exit-code", 'Invalid value: "1.5": must be the containers\' exit code'),
])
def test_the_simulators_annotations_are_checked_on_loading(annotations: str, field: str,
                                                            words: str) -> None:
    """The kubelet reads ``clustersim.io/run-seconds`` and ``exit-code`` while time runs: a
    value it cannot use is refused when the file is loaded, naming the line and field, for
    a Pod and for a workload's pod template."""
    pod = f"""apiVersion: v1
kind: Pod
metadata:
  name: weird
  annotations: {annotations}
spec:
  restartPolicy: Never
  containers: [{{name: c, image: busybox:1.37}}]
"""
    with pytest.raises(ManifestError) as refused:
        load_manifests(pod)
    assert refused.value.line == 5
    assert refused.value.path == f"metadata.annotations[{field}]"
    assert refused.value.message.startswith(words)
    cronjob = yaml.safe_load(CRONJOB)
    cronjob["spec"]["jobTemplate"]["spec"]["template"]["metadata"] = {
        "annotations": yaml.safe_load(annotations)}
    with pytest.raises(ManifestError) as refused:
        load_manifests(cronjob)
    assert refused.value.path == \
        f"spec.jobTemplate.spec.template.metadata.annotations[{field}]"


def test_usable_simulator_annotations_load() -> None:
    [spec] = load_manifests(CRONJOB.replace(
        "      template:\n", '      template:\n        metadata: {annotations: '
        '{clustersim.io/run-seconds: "2.5", clustersim.io/exit-code: "42"}}\n')
    ).of_system("kubernetes", "")
    template = spec.manifest["spec"]["jobTemplate"]["spec"]["template"]
    assert template["metadata"]["annotations"]["clustersim.io/exit-code"] == "42"


@pytest.mark.parametrize(("resources", "messages", "hint"), [
    ("{requests: {CPU: 2}}",
     ['spec.template.spec.containers[0].resources.requests[CPU]: Invalid value: "CPU": must be '
      "a standard resource type or fully qualified",
      'spec.template.spec.containers[0].resources.requests[CPU]: Invalid value: "CPU": must be '
      "a standard resource for containers"],
     "resource names are lowercase: cpu"),
    ("{limits: {pods: 2}}",
     ['spec.template.spec.containers[0].resources.limits[pods]: Invalid value: "pods": must be '
      "a standard resource for containers"],
     "cpu, memory, ephemeral-storage"),
    ("{requests: {requests.memory: 1Gi}}",
     ["spec.template.spec.containers[0].resources.requests[requests.memory]: Invalid value: "
      '"requests.memory": must be a standard resource for containers'],
     "memory: the requests. prefix names a ResourceQuota's total"),
    # upstream keeps the qualified name's errors and adds the container's check to them
    ("{requests: {CPU_: 1}}",
     ['spec.template.spec.containers[0].resources.requests[CPU_]: Invalid value: "CPU_": name '
      "part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
      "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
      "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'spec.template.spec.containers[0].resources.requests[CPU_]: Invalid value: "CPU_": must '
      "be a standard resource for containers"],
     "a resource a container may ask for"),
    ("{limits: {example.com/gpu_: 1}}",
     ["spec.template.spec.containers[0].resources.limits[example.com/gpu_]: Invalid value: "
      '"example.com/gpu_": name part must consist of alphanumeric characters, \'-\', \'_\' or '
      "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
      "'my.name',  or '123-abc', regex used for validation is "
      "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "spec.template.spec.containers[0].resources.limits[example.com/gpu_]: Invalid value: "
      '"example.com/gpu_": doesn\'t follow extended resource name standard'],
     "a resource a container may ask for"),
    ("{limits: {requests.example.com/dongle: 1}}",
     ["spec.template.spec.containers[0].resources.limits[requests.example.com/dongle]: "
      'Invalid value: "requests.example.com/dongle": doesn\'t follow extended resource name '
      "standard"],
     "example.com/dongle"),
])
def test_a_resource_name_a_container_cannot_ask_for_is_refused(
        resources: str, messages: list[str], hint: str) -> None:
    """``validateContainerResourceName``: a ``CPU`` had loaded and been placed as asking for
    no CPU at all."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(_deployment(container=f"        image: x\n        resources: {resources}\n"))
    errors = [caught.value, *caught.value.also]
    assert [f"{e.path}: {e.message}" for e in errors] == messages
    assert all(hint in (e.expected or "") for e in errors)


@pytest.mark.parametrize(("name", "amount"), [
    ("cpu", "1"), ("memory", "1"), ("ephemeral-storage", "1"), ("hugepages-2Mi", "4Mi"),
    ("hugepages-1Gi", "2Gi"), ("nvidia.com/gpu", "1"), ("example.com/dongle", "1"),
    ("kubernetes.io/x", "1")])
def test_the_resource_names_a_container_may_ask_for_load(name: str, amount: str) -> None:
    both = f"{name}: {amount}" + ("" if name == "memory" else ", memory: 1Gi")
    load_manifests(_deployment(container=f"        image: x\n        resources: "
                                         f"{{requests: {{{both}}}, limits: {{{both}}}}}\n"))


_RESOURCES = "spec.template.spec.containers[0].resources"


@pytest.mark.parametrize(("resources", "messages"), [
    ("{limits: {hugepages-2Mi: 3Mi, memory: 1Gi}}",
     [f'{_RESOURCES}.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer '
      "multiple of hugepages-2Mi"]),
    ("{limits: {hugepages-1Gi: 1.5Gi, cpu: 1}, requests: {hugepages-1Gi: 1.5Gi}}",
     [f'{_RESOURCES}.limits[hugepages-1Gi]: Invalid value: "1536Mi": 1536Mi is not positive '
      "integer multiple of hugepages-1Gi",
      f'{_RESOURCES}.requests[hugepages-1Gi]: Invalid value: "1536Mi": 1536Mi is not positive '
      "integer multiple of hugepages-1Gi"]),
    # the size after the prefix is a quantity above 0 and whole, or no amount is a multiple
    ("{limits: {hugepages-big: 2Mi, cpu: 1}}",
     [f'{_RESOURCES}.limits[hugepages-big]: Invalid value: "2Mi": 2Mi is not positive integer '
      "multiple of hugepages-big"]),
    ("{limits: {hugepages-0: 0, cpu: 1}}",
     [f'{_RESOURCES}.limits[hugepages-0]: Invalid value: "0": 0 is not positive integer '
      "multiple of hugepages-0"]),
    ("{limits: {hugepages-2Mi: 2Mi}, requests: {hugepages-2Mi: 2Mi}}",
     [f"{_RESOURCES}: Forbidden: HugePages require cpu or memory"]),
    # huge pages cannot be overcommitted: the request is the limit, and needs one
    ("{limits: {hugepages-2Mi: 4Mi, memory: 1Gi}, requests: {hugepages-2Mi: 2Mi}}",
     [f'{_RESOURCES}.requests: Invalid value: "2Mi": must be equal to hugepages-2Mi limit '
      "of 4Mi"]),
    ("{requests: {hugepages-2Mi: 2Mi, cpu: 1}}",
     [f"{_RESOURCES}.limits: Required value: Limit must be set for non overcommitable "
      "resources"]),
    ("{requests: {nvidia.com/gpu: 1}}",
     [f"{_RESOURCES}.limits: Required value: Limit must be set for non overcommitable "
      "resources"]),
])
def test_huge_pages_are_checked_as_the_api_server_checks_them(
        resources: str, messages: list[str]) -> None:
    """``ValidateResourceRequirements`` (kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go``): an amount of huge pages is a whole number of
    pages of its name's size (``validateResourceQuantityHugePageValue``), huge pages need a
    cpu or memory request or limit, and a resource that cannot be overcommitted needs a limit
    equal to its request. Each had loaded."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(_deployment(container=f"        image: x\n        resources: {resources}\n"))
    assert [f"{e.path}: {e.message}" for e in (caught.value, *caught.value.also)] == messages
    assert all(e.expected for e in (caught.value, *caught.value.also))


@pytest.mark.parametrize(("resources", "messages"), [
    ('{limits: {nvidia.com/gpu: "500m"}, requests: {nvidia.com/gpu: "500m"}}',
     [f'{_RESOURCES}.limits[nvidia.com/gpu]: Invalid value: "500m": must be an integer',
      f'{_RESOURCES}.requests[nvidia.com/gpu]: Invalid value: "500m": must be an integer']),
    # a number is read as a Quantity too, and written as Quantity.String() writes it
    ("{limits: {example.com/dongle: 1.5}, requests: {example.com/dongle: 1.5}}",
     [f'{_RESOURCES}.limits[example.com/dongle]: Invalid value: "1500m": must be an integer',
      f'{_RESOURCES}.requests[example.com/dongle]: Invalid value: "1500m": must be an '
      "integer"]),
    # a fractional request is named once, and again as unequal to its whole limit
    ("{limits: {nvidia.com/gpu: 1}, requests: {nvidia.com/gpu: 0.5}}",
     [f'{_RESOURCES}.requests[nvidia.com/gpu]: Invalid value: "500m": must be an integer',
      f'{_RESOURCES}.requests: Invalid value: "500m": must be equal to nvidia.com/gpu limit '
      "of 1"]),
])
def test_an_extended_resource_is_asked_for_in_whole_units(
        resources: str, messages: list[str]) -> None:
    """``ValidateResourceQuantityValue`` (kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go``) with ``IsIntegerResourceName``
    (``pkg/apis/core/helper/helpers.go``): an extended resource's amount "must be an
    integer", at the key of the limit or request. ``nvidia.com/gpu: 500m`` had loaded and
    waited as "Insufficient nvidia.com/gpu"."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(_deployment(container=f"        image: x\n        resources: {resources}\n"))
    errors = [caught.value, *caught.value.also]
    assert [f"{e.path}: {e.message}" for e in errors] == messages
    assert all(e.expected for e in errors)


@pytest.mark.parametrize("amount", ["3000m", "2", "1999500u"])
def test_a_whole_amount_of_an_extended_resource_loads(amount: str) -> None:
    """Whole in ``MilliValue()``'s thousandths, rounded up: ``3000m`` is 3, and upstream
    takes ``1999500u`` too (its thousandths round up to 2000)."""
    both = f"{{nvidia.com/gpu: {amount}, memory: 1Gi}}"
    load_manifests(_deployment(container=f"        image: x\n        resources: "
                                         f"{{requests: {both}, limits: {both}}}\n"))


def _quota(hard: str) -> str:
    return f"apiVersion: v1\nkind: ResourceQuota\nmetadata: {{name: q}}\nspec:\n  hard: {hard}\n"


@pytest.mark.parametrize(("hard", "messages"), [
    # TestValidateResourceQuota's fractionalPodSpec: object counts are whole numbers
    ('{pods: ".1", services: ".5", replicationcontrollers: "1.25", resourcequotas: "2.5"}',
     ['spec.hard[pods]: Invalid value: "100m": must be an integer',
      'spec.hard[services]: Invalid value: "500m": must be an integer',
      'spec.hard[replicationcontrollers]: Invalid value: "1250m": must be an integer',
      'spec.hard[resourcequotas]: Invalid value: "2500m": must be an integer']),
    # its invalidQuotaResourceSpec: storage is a standard resource, but no quota's
    ('{storage: "10"}',
     ['spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota']),
    # a number is a Quantity too; count/<resource> and an extended resource are integers
    ("{pods: 1.5, count/deployments.apps: 500m, nvidia.com/gpu: 0.5}",
     ['spec.hard[pods]: Invalid value: "1500m": must be an integer',
      'spec.hard[count/deployments.apps]: Invalid value: "500m": must be an integer',
      'spec.hard[nvidia.com/gpu]: Invalid value: "500m": must be an integer']),
    # validateResourceName's error, then ValidateResourceQuotaResourceName's
    ('{CPU: "1"}',
     ['spec.hard[CPU]: Invalid value: "CPU": must be a standard resource type or fully '
      "qualified",
      'spec.hard[CPU]: Invalid value: "CPU": must be a standard resource for quota']),
    ('{pods: "-10"}', ['spec.hard.pods: Invalid value: "-10": must be greater than or equal '
                       "to 0"]),
])
def test_a_quota_counts_standard_resources_and_objects_in_whole_units(
        hard: str, messages: list[str]) -> None:
    """``ValidateResourceQuotaSpec`` (kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go``): each key of ``spec.hard`` by
    ``ValidateResourceQuotaResourceName``, each amount by ``ValidateResourceQuantityValue``
    (not below 0, and ``IsIntegerResourceName``'s whole numbers); cases after
    ``TestValidateResourceQuota`` (``validation_test.go``). Each had loaded."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(_quota(hard))
    errors = [caught.value, *caught.value.also]
    assert [f"{e.path}: {e.message}" for e in errors] == messages
    assert all(e.expected for e in errors if "greater than" not in e.message)


@pytest.mark.parametrize("hard", [
    # TestValidateResourceQuota's spec and fractionalComputeSpec
    '{cpu: "100", memory: "10000", requests.cpu: "100", requests.memory: "10000", '
    'limits.cpu: "100", limits.memory: "10000", pods: "10", services: "0", '
    'replicationcontrollers: "10", resourcequotas: "10", configmaps: "10", secrets: "10"}',
    "{cpu: 100m}",
    # a requests. total of an extended resource is no integer resource; huge pages count
    "{requests.nvidia.com/gpu: 1500m, requests.hugepages-2Mi: 2Mi, count/pods: 3000m}",
])
def test_a_quota_of_standard_resources_loads(hard: str) -> None:
    load_manifests(_quota(hard))


def test_an_unknown_field_is_named_before_the_errors_it_caused() -> None:
    """``container:`` for ``containers:`` had been reported as "spec.containers: Required
    value" alone; kubectl's strict decoding refuses the unknown field first."""
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  container:\n"
            "  - name: c\n    image: nginx\n")
    with pytest.raises(ManifestError) as caught:
        load_manifests(text, name="p.yaml")
    first, *others = [caught.value, *caught.value.also]
    assert first.message == 'strict decoding error: unknown field "spec.container"'
    assert first.line == 5 and first.expected.startswith("containers, the closest known field")
    assert [(e.path, e.message) for e in others] == [("spec.containers", "Required value")]


def test_several_unknown_fields_are_one_error_in_the_order_kubectl_sends_them() -> None:
    """The API server names every unknown field in one strict decoding error, joined by ", "
    (apimachinery ``strictDecodingError``), in the order it meets them in the JSON kubectl
    sends: keys sorted at each level, items by index (``[2]`` before ``[10]``). The loader
    had made one error per field, in the file's order; the error keeps each field's line
    and guess."""
    containers = "".join(f"  - {{name: c{i}, image: x{', imagePullpolicy: A' * (i in (2, 10))}}}\n"
                         for i in range(11))
    text = (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  zzz: 1\n"
            f"  containers:\n{containers}  affinityy: {{}}\n")
    warned = load_manifests(text)[0].warnings     # no other error: kubectl --validate=warn's
    assert warned == (
        'unknown field "spec.affinityy"', 'unknown field "spec.containers[2].imagePullpolicy"',
        'unknown field "spec.containers[10].imagePullpolicy"', 'unknown field "spec.zzz"')
    with pytest.raises(ManifestError) as caught:       # with one: refused, the fields first
        load_manifests(text.replace("c0, image: x}", "c0}"), name="p.yaml")
    assert [(e.path, e.message) for e in caught.value.also] == [
        ("spec.containers[0].image", "Required value")]
    assert caught.value.message == (
        'strict decoding error: unknown field "spec.affinityy", unknown field '
        '"spec.containers[2].imagePullpolicy", unknown field '
        '"spec.containers[10].imagePullpolicy", unknown field "spec.zzz"')
    assert caught.value.line == 18
    assert caught.value.expected == (
        'affinity in place of "spec.affinityy" (line 18), the closest known field (the '
        "simulator's guess, not kubectl's words); imagePullPolicy in place of "
        '"spec.containers[2].imagePullpolicy" (line 9), the closest known field (the '
        "simulator's guess, not kubectl's words); imagePullPolicy in place of "
        '"spec.containers[10].imagePullpolicy" (line 17), the closest known field (the '
        "simulator's guess, not kubectl's words); a known field in place of \"spec.zzz\" "
        "(line 5): check its spelling and indentation")


def test_the_strict_decoding_error_keeps_the_first_hundred_fields() -> None:
    """sigs.k8s.io/json's ``saveStrictError`` keeps at most 100 strict errors."""
    fields = "".join(f"  x{i:03}: 1\n" for i in range(120))
    text = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{fields}"
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    named = caught.value.message.removeprefix("strict decoding error: ").split(", ")
    assert named == [f'unknown field "spec.x{i:03}"' for i in range(100)]


def test_an_unknown_field_far_from_any_known_one_gets_no_guess() -> None:
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  zzz: 1\n")
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert caught.value.message == 'strict decoding error: unknown field "spec.zzz"'
    assert caught.value.expected == "a known field: check its spelling and indentation"


def test_a_limit_range_default_the_scheduler_cannot_use_is_refused_at_load() -> None:
    """The LimitRanger writes a LimitRange's ``default`` into every new Pod's limits: a
    default of ``1e300`` cores loaded, and the next Pod was a 500 inside the simulator,
    naming its milli-value."""
    text = ("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec:\n"
            "  limits: [{type: Container, default: {cpu: '1e300'}, max: {cpu: '1e308'}}]\n")
    with pytest.raises(ManifestError) as caught:
        load_manifests(text, name="lr.yaml")
    assert caught.value.path == "spec.limits[0].default"
    assert caught.value.message.startswith('cpu: quantity "1e300" is more than the simulator')
