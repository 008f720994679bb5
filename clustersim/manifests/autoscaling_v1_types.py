"""The Go types of an autoscaling/v1 HorizontalPodAutoscaler's spec (about 40 lines), as the
API server's decoder reads a v1 body before converting it (k8s.io/api
``autoscaling/v1/types.go``): its fields of the wrong JSON type are refused naming v1's
structs (``Go struct field HorizontalPodAutoscalerSpec.spec.targetCPUUtilizationPercentage
of type int32``), not v2's, which the served API converts it to
(:mod:`clustersim.serve.kubeautoscalingv1`). Only the decoding: the checks are the internal
type's, run on v2 (:class:`~clustersim.manifests.kubernetes_types.HorizontalPodAutoscaler`).
Simplified: the status, which a create or an update decodes too, is not decoded here."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from clustersim.manifests.kubernetes_types import ObjectMeta, _Model

__all__ = ["HorizontalPodAutoscaler"]


class CrossVersionObjectReference(_Model):
    GO_VERSION: ClassVar[str] = "v1"
    kind: str | None = None
    name: str | None = None
    api_version: str | None = None


class HorizontalPodAutoscalerSpec(_Model):
    GO_VERSION: ClassVar[str] = "v1"
    scale_target_ref: CrossVersionObjectReference | None = None
    min_replicas: int | None = None
    max_replicas: int | None = None
    target_cpu_utilization_percentage: int | None = Field(
        default=None, alias="targetCPUUtilizationPercentage")


class HorizontalPodAutoscaler(_Model):
    GO_VERSION: ClassVar[str] = "v1"
    api_version: str | None = None
    kind: str | None = None
    metadata: ObjectMeta | None = None
    spec: HorizontalPodAutoscalerSpec | None = None
    status: dict[str, Any] | None = None
