"""Reading one profile of a ``KubeSchedulerConfiguration`` into the plugins to run.

Upstream: kubernetes/kubernetes ``pkg/scheduler/apis/config/v1/default_plugins.go``
(``mergePlugins``: defaults minus ``disabled``, ``*`` disabling all, plus ``enabled``),
``pkg/scheduler/framework/runtime/framework.go`` (``expandMultiPointPlugins``: plugins enabled
at one extension point run first there, then the multiPoint ones) and docs
https://kubernetes.io/docs/reference/scheduling/config/ . Takes the whole document (the profile
named ``default-scheduler``, else the first: :func:`_profile_to_run`), one profile, or YAML text
of either; a profile schedules only the Pods whose ``schedulerName`` it carries
(:meth:`Profile.handles`). The document is decoded strictly, as kube-scheduler decodes its
``--config``: an unknown field is refused (:mod:`clustersim.kubernetes.scheduler.strictfields`).
``percentageOfNodesToScore`` (global, or the chosen profile's, which wins) is honoured when a
configuration sets it (see :func:`num_feasible_nodes_to_find`); left unset, the simulator
scores every feasible node, as ``percentageOfNodesToScore: 100`` would, whereas upstream's
default (0, adaptive) samples fewer nodes in clusters of more than 100 nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clustersim.kubernetes.scheduler.registry import DEFAULT_PLUGINS, NOT_SIMULATED, REGISTRY
from clustersim.kubernetes.scheduler.strictfields import CONFIGURATION_ONLY, unknown_fields
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.kubernetes_errors import go_value
from clustersim.manifests.safe_yaml import load_data

__all__ = ["Profile", "check_percentage", "load_profile", "num_feasible_nodes_to_find"]

_POINTS = ("preFilter", "filter", "postFilter", "preScore", "score")


@dataclass
class Profile:
    """What one profile enables: per extension point, the plugin names in run order."""

    scheduler_name: str = "default-scheduler"
    points: dict[str, list[str]] = field(default_factory=dict)
    weights: dict[str, int] = field(default_factory=dict)
    args: dict[str, dict[str, Any]] = field(default_factory=dict)
    preemption: bool = True
    dynamic_resources: bool = True
    percentage_of_nodes_to_score: int | None = None

    def handles(self, pod: Mapping[str, Any]) -> bool:
        """Whether this profile schedules ``pod``: its ``spec.schedulerName`` (the API
        server's default ``default-scheduler``) names the profile. Upstream the scheduler's
        informer passes on only such Pods (``responsibleForPod``,
        ``pkg/scheduler/eventhandlers.go``); any other Pod stays Pending with no event, waiting
        for a scheduler of that name."""
        spec = pod.get("spec") or {}
        return (spec.get("schedulerName") or "default-scheduler") == self.scheduler_name


MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5


def num_feasible_nodes_to_find(percentage: int, num_all_nodes: int) -> int:
    """How many feasible nodes the Filter walk looks for before it stops (upstream
    ``numFeasibleNodesToFind``, kubernetes/kubernetes ``pkg/scheduler/schedule_one.go``): every
    node below 100 nodes; else ``percentage`` of them, at least 100, where 0 means adaptive,
    ``50 − nodes/125`` percent but at least 5."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    if percentage == 0:
        percentage = max(50 - num_all_nodes // 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
    return max(num_all_nodes * percentage // 100, MIN_FEASIBLE_NODES_TO_FIND)


def _fail(where: str, what: str) -> ValueError:
    return ValueError(f"scheduler configuration: {where}: {what}")


API_VERSION = "kubescheduler.config.k8s.io/v1"
"""The one version kube-scheduler reads today: v1 is GA since 1.25; v1beta2 was removed in
1.28 and v1beta3 in 1.29 (kubernetes/enhancements ``keps/sig-scheduling/
785-scheduler-component-config-api``)."""
_REMOVED_VERSIONS = {"kubescheduler.config.k8s.io/v1beta1": "1.23",
                     "kubescheduler.config.k8s.io/v1beta2": "1.28",
                     "kubescheduler.config.k8s.io/v1beta3": "1.29"}


def _select_profile(config: Any) -> tuple[Mapping[str, Any], int | None]:
    if config is None:
        return {}, None
    if isinstance(config, str):
        try:
            config = load_data(config, "the scheduler configuration")
        except ManifestError as err:
            raise _fail("YAML", f"cannot parse: {err}") from None
        if config is None:
            return {}, None
    if not isinstance(config, Mapping):
        raise _fail(
            "document",
            f"expected a mapping (a KubeSchedulerConfiguration or one of "
            f"its profiles), got {type(config).__name__}",
        )
    version = config.get("apiVersion")
    if version is not None and version != API_VERSION:
        removed = _REMOVED_VERSIONS.get(str(version))
        raise _fail("apiVersion",
                    f'no kind "KubeSchedulerConfiguration" is registered for version "{version}"'
                    + (f" (removed in Kubernetes {removed})" if removed else "")
                    + f"; use apiVersion: {API_VERSION}")
    whole = ("profiles" in config or config.get("kind") == "KubeSchedulerConfiguration"
             or not CONFIGURATION_ONLY.isdisjoint(config))
    unknown = unknown_fields(config, whole=whole)
    if unknown:
        raise ValueError(f"scheduler configuration: {unknown}")
    percentage = _percentage(config, "percentageOfNodesToScore")
    if whole:
        profiles = config.get("profiles") or [{}]
        if not isinstance(profiles, list) or not all(isinstance(p, Mapping) for p in profiles):
            raise _fail("profiles", "expected a list of profiles (mappings)")
        chosen = _profile_to_run(profiles)
        index = profiles.index(chosen) if chosen in profiles else 0
        own = _percentage(chosen, f"profiles[{index}].percentageOfNodesToScore")
        return chosen, percentage if own is None else own
    return config, percentage


def _percentage(config: Mapping[str, Any], where: str) -> int | None:
    """The document's (or profile's) ``percentageOfNodesToScore``, checked; None when unset
    (a profile's value overrides the global one)."""
    value = config.get("percentageOfNodesToScore")
    return None if value is None else check_percentage(value, where)


def check_percentage(value: Any, where: str = "percentageOfNodesToScore") -> int:
    """``percentageOfNodesToScore`` as ``ValidateKubeSchedulerConfiguration`` takes it
    (``pkg/scheduler/apis/config/validation/validation.go``, ``validatePercentageOfNodesToScore``:
    ``Invalid value: 150: not in valid range [0-100]``); a value that is not a whole number
    cannot be decoded into its int32."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, f"must be a whole number in the range [0-100], got {value!r}")
    if not 0 <= value <= 100:
        raise _fail(where, f"Invalid value: {value}: not in valid range [0-100]")
    return value


def _profile_to_run(profiles: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The one profile the simulator runs, its ``schedulerName`` filled in as upstream's
    defaulting does (``SetDefaults_KubeSchedulerConfiguration``,
    ``pkg/scheduler/apis/config/v1/defaults.go``: a lone profile without a name is
    ``default-scheduler``) and checked as ``ValidateKubeSchedulerConfiguration`` checks it
    (``pkg/scheduler/apis/config/validation/validation.go``: with several profiles each needs a
    name, and no two the same). The profile named ``default-scheduler`` runs if there is one,
    else the first; a Pod is scheduled only by the profile its ``spec.schedulerName`` names
    (:meth:`Profile.handles`), so with a profile of another name Pods that keep the default
    name stay Pending."""
    if len(profiles) == 1 and profiles[0].get("schedulerName") is None:
        return {**profiles[0], "schedulerName": "default-scheduler"}
    names: set[str] = set()
    for i, profile in enumerate(profiles):
        name = profile.get("schedulerName")
        if not isinstance(name, str) or not name:
            raise _fail(f"profiles[{i}].schedulerName", "Required value")
        if name in names:
            raise _fail(f"profiles[{i}].schedulerName", f"Duplicate value: {go_value(name)}")
        names.add(name)
    return next((p for p in profiles if p["schedulerName"] == "default-scheduler"), profiles[0])


def _entries(plugins: Mapping[str, Any], point: str, which: str) -> list[tuple[str, int]]:
    block = plugins.get(point) or {}
    if not isinstance(block, Mapping):
        raise _fail(f"plugins.{point}", f"expected a mapping with enabled/disabled, got {block!r}")
    raw = block.get(which) or []
    if not isinstance(raw, list):
        raise _fail(f"plugins.{point}.{which}", f"expected a list of {{name: ...}}, got {raw!r}")
    out = []
    for i, entry in enumerate(raw):
        where = f"plugins.{point}.{which}[{i}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise _fail(where, f"expected {{name: <plugin>}}, got {entry!r}")
        name = entry["name"]
        if name != "*" and name not in REGISTRY and name not in NOT_SIMULATED:
            raise _fail(
                where,
                f"unknown plugin {name!r}; the simulator runs {', '.join(sorted(REGISTRY))} "
                f"and accepts upstream's {', '.join(sorted(NOT_SIMULATED))}",
            )
        if name == "*" and which == "enabled":
            raise _fail(where, "'*' can only be used in disabled")
        weight = entry.get("weight", 0)
        if not isinstance(weight, int) or isinstance(weight, bool) or weight < 0:
            raise _fail(f"{where}.weight", f"must be a whole number ≥ 0, got {weight!r}")
        out.append((name, weight))
    return out


def load_profile(config: Any = None) -> Profile:
    """Parse ``config`` (None, YAML text, the whole document or one profile) into a Profile.

    Raises ValueError naming the field for anything upstream's validation would refuse
    (unknown plugin, negative weight, bad pluginConfig) or that the simulator cannot read.
    """
    raw, percentage = _select_profile(config)
    plugins = raw.get("plugins") or {}
    if not isinstance(plugins, Mapping):
        raise _fail("plugins", f"expected a mapping of extension points, got {plugins!r}")
    profile = Profile(
        scheduler_name=str(raw.get("schedulerName") or "default-scheduler"),
        percentage_of_nodes_to_score=percentage,
    )

    multi_disabled = {n for n, _ in _entries(plugins, "multiPoint", "disabled")}
    multi = [
        (n, w) for n, w in DEFAULT_PLUGINS if "*" not in multi_disabled and n not in multi_disabled
    ]
    defaults = dict(DEFAULT_PLUGINS)
    for name, weight in _entries(plugins, "multiPoint", "enabled"):
        multi = [(n, w) for n, w in multi if n != name]
        multi.append((name, weight or defaults.get(name, 1)))
    profile.preemption = "*" not in multi_disabled and "DefaultPreemption" not in multi_disabled
    profile.dynamic_resources = ("*" not in multi_disabled
                                 and "DynamicResources" not in multi_disabled)
    for name, weight in multi:
        profile.weights[name] = weight or 1

    for point in _POINTS:
        disabled = {n for n, _ in _entries(plugins, point, "disabled")}
        enabled = _entries(plugins, point, "enabled")
        if point == "postFilter":
            if "*" in disabled or "DefaultPreemption" in disabled:
                profile.preemption = False
            if "*" in disabled or "DynamicResources" in disabled:
                profile.dynamic_resources = False
            if any(n == "DefaultPreemption" for n, _ in enabled):
                profile.preemption = True
            if any(n == "DynamicResources" for n, _ in enabled):
                profile.dynamic_resources = True
            continue
        names = [n for n, _ in enabled if n in REGISTRY]
        for name, weight in enabled:
            if point == "score" and name in REGISTRY:
                profile.weights[name] = (
                    weight or profile.weights.get(name) or defaults.get(name) or 1
                )
        names += [
            n
            for n, _ in multi
            if n in REGISTRY and n not in names and "*" not in disabled and n not in disabled
        ]
        profile.points[point] = names

    args = raw.get("pluginConfig") or []
    if not isinstance(args, list):
        raise _fail("pluginConfig", f"expected a list of {{name, args}}, got {args!r}")
    for i, entry in enumerate(args):
        where = f"pluginConfig[{i}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise _fail(where, f"expected {{name: <plugin>, args: {{...}}}}, got {entry!r}")
        name = entry["name"]
        if name not in REGISTRY and name not in NOT_SIMULATED:
            raise _fail(f"{where}.name", f"unknown plugin {name!r}")
        if name in profile.args:
            raise _fail(f"{where}.name", f"duplicate pluginConfig for {name!r}")
        plugin_args = entry.get("args") or {}
        if not isinstance(plugin_args, Mapping):
            raise _fail(f"{where}.args", f"expected a mapping, got {plugin_args!r}")
        profile.args[name] = {
            k: v for k, v in plugin_args.items() if k not in ("apiVersion", "kind")
        }
    return profile
