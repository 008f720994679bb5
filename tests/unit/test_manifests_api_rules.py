"""What the API server, swarmkit or Marathon refuses is refused at load time, in their words.

Cases from issue 16: each used to load (or crash a simulator later). The expected messages are
the upstream validation messages (kubernetes/kubernetes ``pkg/apis/core/validation`` and
``pkg/apis/apps/validation``, moby/swarmkit ``manager/controlapi``, d2iq-archive/marathon
``AppNormalization``). Shapes the real system accepts keep loading.
"""

from __future__ import annotations

import json
import time

import pytest

from clustersim import ManifestError, load_manifests


def deployment(spec: str = "", pod: str = "", container: str = "", api: str = "apps/v1") -> str:
    return (
        f"apiVersion: {api}\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: 2\n"
        f"  selector: {{matchLabels: {{app: web}}}}\n{spec}  template:\n"
        f"    metadata: {{labels: {{app: web}}}}\n    spec:\n{pod}      containers:\n"
        f"      - name: web\n        image: nginx\n{container}"
    )


POD = "spec.template.spec"
C0 = f"{POD}.containers[0]"
STATEFULSET = ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n"
               "  serviceName: db\n{}  selector: {{matchLabels: {{app: db}}}}\n  template:\n"
               "    metadata: {{labels: {{app: db}}}}\n"
               "    spec: {{containers: [{{name: db, image: postgres}}]}}\n")
AFFINITY = "      affinity:\n        "
INIT = ("      initContainers:\n      - name: first\n        image: busybox\n"
        "        ports: [{containerPort: 1, hostPort: 9000}]\n"
        "      - name: second\n        image: busybox\n")

REFUSED = [
    # (manifest, field path, words of the message)
    (deployment(container="        resources: {requests: {cpu: '-3'}}\n"),
     f"{C0}.resources.requests.cpu", "must be greater than or equal to 0"),
    (deployment(container="        resources: {limits: {memory: -1Gi}}\n"),
     f"{C0}.resources.limits.memory", "must be greater than or equal to 0"),
    (deployment(spec="  strategy: {rollingUpdate: {maxSurge: -1}}\n"),
     "spec.strategy.rollingUpdate.maxSurge", "must be greater than or equal to 0"),
    (deployment(spec="  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n"),
     "spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when `maxSurge` is 0"),
    (deployment(spec="  strategy: {rollingUpdate: {maxSurge: '0%', maxUnavailable: '0%'}}\n"),
     "spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when `maxSurge` is 0"),
    (deployment(spec="  strategy: {rollingUpdate: {maxUnavailable: '150%'}}\n"),
     "spec.strategy.rollingUpdate.maxUnavailable", "must not be greater than 100%"),
    (deployment(spec="  strategy: {rollingUpdate: {maxSurge: 'many'}}\n"),
     "spec.strategy.rollingUpdate.maxSurge", "a valid percent string"),
    # the refused intstr.IntOrString in JSON (ErrorBody since 1.34): "<" escaped
    (deployment(spec="  strategy: {rollingUpdate: {maxSurge: '<5%'}}\n"),
     "spec.strategy.rollingUpdate.maxSurge", 'Invalid value: "\\u003c5%": a valid percent'),
    (deployment(spec="  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n"),
     "spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"),
    (deployment().replace("selector: {matchLabels: {app: web}}", "selector: {}"),
     "spec.selector", "empty selector is invalid for deployment"),
    (deployment(api="v1"), "apiVersion", 'no matches for kind "Deployment" in version "v1"'),
    # validateContainerPorts (IsValidPortName), ValidateEnv and ValidateEnvFrom
    # (IsRelaxedEnvVarName), checkHostPortConflicts
    (deployment(container="        ports: [{containerPort: 80, name: http-Alt}]\n"),
     f"{C0}.ports[0].name", 'Invalid value: "http-Alt": must contain only alpha-numeric '
     "characters (a-z, 0-9), and hyphens (-)"),
    (deployment(container="        ports: [{containerPort: 80, name: '8080'}]\n"),
     f"{C0}.ports[0].name", "must contain at least one letter (a-z)"),
    (deployment(container="        ports: [{containerPort: 80, name: prometheus-metrics}]\n"),
     f"{C0}.ports[0].name", "must be no more than 15 characters"),
    (deployment(container="        ports: [{containerPort: 80, name: http--alt}]\n"),
     f"{C0}.ports[0].name", "must not contain consecutive hyphens"),
    (deployment(container="        ports: [{containerPort: 80, name: http-}]\n"),
     f"{C0}.ports[0].name", "must not begin or end with a hyphen"),
    (deployment(container="        ports: [{containerPort: 80, name: http}, "
                          "{containerPort: 81, name: http}]\n"),
     f"{C0}.ports[1].name", 'Duplicate value: "http"'),
    (deployment(container="        ports: [{containerPort: 80, hostPort: 8080}, "
                          "{containerPort: 81, hostPort: 8080}]\n"),
     f"{C0}.ports[1].hostPort", 'Duplicate value: "TCP//8080"'),
    # validateInitContainers: each init container's host ports on their own, at a path
    # whose index is always 0 (upstream checks a list of the one container)
    (deployment(pod=INIT + "        ports: [{containerPort: 1, hostPort: 9000, name: a}, "
                "{containerPort: 2, hostPort: 9000, name: b}]\n"),
     f"{POD}.initContainers[0].ports[1].hostPort", 'Duplicate value: "TCP//9000"'),
    (deployment(container="        env: [{name: 'LOG=LEVEL', value: debug}]\n"),
     f"{C0}.env[0].name", 'Invalid value: "LOG=LEVEL": a valid environment variable name '
     "must consist only of printable ASCII characters other than '='"),
    (deployment(container="        env: [{name: '', value: debug}]\n"),
     f"{C0}.env[0].name", "Required value"),
    (deployment(container="        envFrom: [{prefix: 'APP_\u00e9', configMapRef: {name: c}}]\n"),
     f"{C0}.envFrom[0].prefix", "printable ASCII characters other than '='"),
    (deployment(container="        args: [null]\n"),
     f"{C0}.args[0]", 'unknown object type "nil"'),
    (deployment(pod="      restartPolicy: Never\n"),
     f"{POD}.restartPolicy", 'Unsupported value: "Never": supported values: "Always"'),
    (deployment(container="        livenessProbe: {periodSeconds: -1, exec: {command: [x]}}\n"),
     f"{C0}.livenessProbe.periodSeconds", "greater than or equal to 0"),
    (deployment(container="        readinessProbe: {periodSeconds: 'x', httpGet: {port: 80}}\n"),
     f"{C0}.readinessProbe.periodSeconds", "whole number"),
    (deployment(container="        readinessProbe: {periodSeconds: 5}\n"),
     f"{C0}.readinessProbe", "must specify a handler type"),
    (deployment(pod="      terminationGracePeriodSeconds: soon\n"),
     f"{POD}.terminationGracePeriodSeconds", "whole number"),
    (deployment(pod="      priority: high\n"), f"{POD}.priority", "whole number"),
    (deployment(container="        lifecycle: {preStop: {sleep: 5}}\n"),
     f"{C0}.lifecycle.preStop.sleep", "v1.SleepAction"),
    (deployment(pod=AFFINITY + "nodeAffinity: 5\n"),
     f"{POD}.affinity.nodeAffinity", "cannot unmarshal number into Go struct field "
     "Affinity.spec.template.spec.affinity.nodeAffinity of type v1.NodeAffinity"),
    (deployment(pod=AFFINITY + "nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution:"
     " [{nodeSelectorTerms: []}]}\n"),
     f"{POD}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
     "cannot unmarshal array into Go struct field NodeAffinity.spec.template.spec.affinity."
     "nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution of type v1.NodeSelector"),
    (deployment(pod=AFFINITY + "nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution:"
     " {nodeSelectorTerms: []}}\n"),
     f"{POD}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
     "nodeSelectorTerms", "must have at least one node selector term"),
    (deployment(pod=AFFINITY + "nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution:"
     " {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In}]}]}}\n"),
     f"{POD}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
     "nodeSelectorTerms[0].matchExpressions[0].values",     # validateNodeSelectorRequirement
     "Required value: must be specified when `operator` is 'In'"),
    # an unknown operator is Invalid, its NodeSelectorOperator in JSON, not NotSupported
    (deployment(pod=AFFINITY + "nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution:"
     " {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: in, values: [a]}]}]}}\n"),
     f"{POD}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
     "nodeSelectorTerms[0].matchExpressions[0].operator",
     'Invalid value: "in": not a valid selector operator'),
    # ValidateLabelSelectorRequirement alike, and its values as the operator needs them
    (deployment().replace("{matchLabels: {app: web}}", "{matchLabels: {app: web}, "
                          "matchExpressions: [{key: tier, operator: Equals, values: [a]}]}"),
     "spec.selector.matchExpressions[0].operator",
     'Invalid value: "Equals": not a valid selector operator'),
    (deployment().replace("{matchLabels: {app: web}}", "{matchLabels: {app: web}, "
                          "matchExpressions: [{key: tier, operator: NotIn}]}"),
     "spec.selector.matchExpressions[0].values",
     "Required value: must be specified when `operator` is 'In' or 'NotIn'"),
    (deployment(pod=AFFINITY + "podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution:"
     " {topologyKey: zone}}\n"),
     f"{POD}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution",
     "cannot unmarshal object into Go struct field PodAntiAffinity.spec.template.spec."
     "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution of type "
     "[]v1.PodAffinityTerm"),
    (deployment(pod=AFFINITY + "podAffinity: {requiredDuringSchedulingIgnoredDuringExecution:"
     " [{labelSelector: {matchLabels: {app: db}}, topologyKey: ''}]}\n"),
     f"{POD}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"
     ".topologyKey", "can not be empty"),
    (deployment(pod=AFFINITY + "podAffinity: {preferredDuringSchedulingIgnoredDuringExecution:"
     " [{weight: 0, podAffinityTerm: {topologyKey: zone}}]}\n"),
     f"{POD}.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
     "greater than or equal to 1"),
    ("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n"
     "  selector: {matchLabels: {a: b}}\n  updateStrategy: {type: Rolling}\n  template:\n"
     "    metadata: {labels: {a: b}}\n    spec: {containers: [{name: a, image: b}]}\n",
     # ValidateDaemonSetUpdateStrategy: the whole internal strategy, in JSON (1.34+)
     "spec.updateStrategy", 'Unsupported value: {"Type":"Rolling","RollingUpdate":null}: '
     'supported values: "RollingUpdate", "OnDelete"'),
    # ValidateDeploymentStrategy likewise, Recreate listed first; a rollingUpdate left as
    # written (defaults fill it for RollingUpdate only), an IntOrString left out its zero
    (deployment(spec="  strategy: {type: rollingUpdate, rollingUpdate: {maxSurge: 1}}\n"),
     "spec.strategy", 'Unsupported value: {"Type":"rollingUpdate","RollingUpdate":'
     '{"MaxUnavailable":0,"MaxSurge":1}}: supported values: "Recreate", "RollingUpdate"'),
    # ValidateStatefulSetSpec: Invalid, "must be ...", the strategy's partition an int32
    (STATEFULSET.format("  updateStrategy: {type: Foo, rollingUpdate: {partition: 2}}\n"),
     "spec.updateStrategy", 'Invalid value: {"Type":"Foo","RollingUpdate":{"Partition":2,'
     '"MaxUnavailable":null}}: must be \'RollingUpdate\' or \'OnDelete\''),
    (STATEFULSET.format("  podManagementPolicy: parallel\n"), "spec.podManagementPolicy",
     'Invalid value: "parallel": must be \'OrderedReady\' or \'Parallel\''),
    (deployment(spec="  strategy: {type: 3}\n"), "spec.strategy.type",
     "cannot unmarshal number into Go struct field DeploymentStrategy.spec.strategy.type of "
     "type v1.DeploymentStrategyType"),
    ("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n"
     "  selector: {matchLabels: {a: b}}\n  updateStrategy: {rollingUpdate: {maxUnavailable: 0}}"
     "\n  template:\n    metadata: {labels: {a: b}}\n"
     "    spec: {containers: [{name: a, image: b}]}\n",
     "spec.updateStrategy.rollingUpdate.maxUnavailable", "may not be 0 when `maxSurge` is 0"),
    ("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: 'a/b'}\nrules: []\n",
     "metadata.name", "may not contain '/'"),
    # Compose, as docker stack deploy and swarmkit see it
    ("services:\n  web:\n    deploy: {replicas: 1}\n",
     "services.web.image", "ContainerSpec: image reference must be provided"),
    ("services:\n  web: {image: 'Nginx:latest'}\n",
     "services.web.image", "repository name must be lowercase"),
    ("services:\n  web: {image: 'nginx::1'}\n",
     "services.web.image", "is not a valid repository/tag: invalid reference format"),
    ("services:\n  web: {image: 'nginx@sha256:%s'}\n" % ("ab" * 20),
     "services.web.image", "is not a valid repository/tag: invalid checksum digest length"),
    ("services:\n  web.v2: {image: nginx}\n",
     'services["web.v2"]', "name must be valid as a DNS name component"),
    ("services:\n  web: {image: nginx, depends_on: {db: 5}}\n  db: {image: postgres}\n",
     "services.web.depends_on", "depends_on: must be a list"),
    ("services:\n  web:\n    image: nginx\n    deploy: {resources: {limits: {cpus: '1/0'}}}\n",
     "services.web.deploy.resources.limits.cpus", "failed to parse '1/0'"),
    # Marathon 1.5+ normalization
    (json.dumps({"id": "/a", "cmd": "x", "networks": [{"mode": "container", "name": "dcos"}],
                 "ipAddress": {"networkName": "dcos"}}),
     "networks", "cannot mix deprecated and canonical network APIs"),
    (json.dumps({"id": "/a", "cmd": "x", "container": {
        "type": "DOCKER", "portMappings": [{"containerPort": 80}],
        "docker": {"image": "nginx", "portMappings": [{"containerPort": 80}]}}}),
     "container.portMappings", "cannot specify both portMappings and docker.portMappings"),
]


@pytest.mark.parametrize(("text", "path", "words"), REFUSED, ids=[c[2][:40] for c in REFUSED])
def test_refused_as_the_real_system_refuses(text: str, path: str, words: str) -> None:
    with pytest.raises(ManifestError) as info:
        load_manifests(text)
    assert info.value.path == path
    assert words in str(info.value)
    assert info.value.line is not None


ACCEPTED = [
    # kubectl accepts a null rollingUpdate (the defaults apply)
    deployment(spec="  strategy: {type: RollingUpdate, rollingUpdate: null}\n"),
    # one of the two may be 0: maxUnavailable defaults to 25%
    deployment(spec="  strategy: {rollingUpdate: {maxSurge: 0}}\n"),
    deployment(spec="  strategy: {rollingUpdate: {maxSurge: '10%', maxUnavailable: '10%'}}\n"),
    # SetDefaults_Probe: a period of 0 is the default period (10 s)
    deployment(container="        livenessProbe: {periodSeconds: 0, tcpSocket: {port: 80}}\n"),
    deployment(pod="      priority: -5\n      terminationGracePeriodSeconds: 0\n"),
    deployment(pod=AFFINITY + "nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
               "{nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: Gt, values: ['3']}"
               "]}]}}\n"),
    # KEP-4369 (GA in v1.34): any printable ASCII but '=' names a variable; the same port on
    # two host IPs, or over two protocols, is no conflict
    deployment(container="        env: [{name: '1st var.x:y', value: a}, {name: '-', value: b}]\n"
               "        ports: [{containerPort: 53, hostPort: 53, protocol: UDP}, "
               "{containerPort: 53, hostPort: 53}, {containerPort: 54, hostPort: 53, "
               "hostIP: 10.0.0.1}]\n"),
    # init containers run one at a time: each may take a host port another container takes
    deployment(pod=INIT + "        ports: [{containerPort: 1, hostPort: 9000}]\n",
               container="        ports: [{containerPort: 80, hostPort: 9000}]\n"),
    # an empty strategy type is defaulted to RollingUpdate (SetDefaults_Deployment), an
    # empty pod management policy to OrderedReady (SetDefaults_StatefulSet)
    deployment(spec="  strategy: {type: ''}\n"),
    STATEFULSET.format("  updateStrategy: {type: ''}\n  podManagementPolicy: ''\n"),
    # RBAC names are path segments: ':' is fine (ValidateRBACName)
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
    "metadata: {name: 'system:kube-dns-autoscaler'}\nrules: []\n",
    "services:\n  web: {image: 'registry.example.com:5000/shop/web_v2:1.0-rc1', depends_on: "
    "[db]}\n  db: {image: postgres}\n",
    json.dumps({"id": "/a", "cmd": "x", "ipAddress": {"networkName": "dcos"},
                "container": {"type": "DOCKER", "docker": {"image": "nginx", "network": "USER"}}}),
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_as_the_real_system_accepts(text: str) -> None:
    assert load_manifests(text)


def test_negative_grace_period_loads_with_the_api_servers_warning() -> None:
    """pkg/api/pod/warnings.go: kept, with a warning, and treated as 1 second."""
    [spec] = load_manifests(deployment(pod="      terminationGracePeriodSeconds: -5\n"))
    assert spec.warnings == (
        "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are "
        "invalid and will be treated as 1",
    )


def test_every_port_name_problem_is_reported_in_upstreams_order() -> None:
    """``IsValidPortName`` returns every problem it finds, each a ``field.Invalid`` of the
    name, in its order (length, characters, a letter, '--', a hyphen at an end)."""
    with pytest.raises(ManifestError) as info:
        load_manifests(deployment(container="        ports: [{containerPort: 80, "
                                            "name: -Very--Long-Name-}]\n"))
    found = [error.message for error in [info.value, *info.value.also]]
    assert found == [f'Invalid value: "-Very--Long-Name-": {words}' for words in (
        "must be no more than 15 characters",
        "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "must not contain consecutive hyphens", "must not begin or end with a hyphen")]


def test_a_long_service_name_that_is_no_dns_component_is_refused_at_once() -> None:
    """swarmkit's pattern, with its nested repetition, backtracked in Python for a time that
    doubled with each letter: seconds for 28 letters and '.v2', minutes for 40 (a Compose key,
    a served service name, a stack name)."""
    started = time.monotonic()
    with pytest.raises(ManifestError, match="name must be valid as a DNS name component"):
        load_manifests(f"services:\n  {'a' * 28}.v2: {{image: nginx}}\n")
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(("source", "name"), [
    ("shop.yml", "shop"),
    ("example: shop (swarm)", "exampleshopswarm"),
    ("BretFisher-udemy-docker-mastery__swarm-stack-3__docker-compose.prod.yml",
     "bretfisher-udemy-docker-mastery__swarm-stack-3__docker-comp"),
])
def test_a_stack_named_after_its_file_can_name_its_services(source, name) -> None:
    """The stem named the stack as it was: 'example: shop (swarm)', or so long that
    <stack>_web went past swarmkit's 63 characters, and deploy_stack refuses both."""
    specs = load_manifests("services:\n  web: {image: nginx}\n", name=source)
    assert specs[0].name == name and len(f"{name}_web") <= 63
