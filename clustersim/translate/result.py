"""What a translation returns: Kubernetes objects plus a report of everything that did not
carry over exactly.

A translation never drops a field silently. Each source field either becomes part of an
object, or appears in :attr:`Translation.findings` as a :class:`Finding`:

- ``untranslatable``: Kubernetes has nothing that does the same; the field is left out and
  the message says what to do instead;
- ``approximate``: translated to the nearest Kubernetes feature, which behaves differently in
  a way the message names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from clustersim.reprs import brief
from clustersim.schemas import KUBERNETES_VERSION, SchemaProblem, validate_kubernetes

__all__ = ["Finding", "Translation"]

Severity = Literal["untranslatable", "approximate"]


class _Dumper(yaml.SafeDumper):
    """Writes shared sub-objects out in full (no ``&id001`` anchors in a manifest)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@dataclass(frozen=True)
class Finding:
    """One source field that did not translate exactly: where it is and what to do."""

    source: str
    """The Compose service or Marathon app id it belongs to."""
    field: str
    """The field path in the source, e.g. ``deploy.update_config.failure_action``."""
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.field}: {self.severity}: {self.message}"


@dataclass
class Translation:
    """Kubernetes objects (plain dicts, in the order to apply them) and the findings."""

    __repr__ = brief

    objects: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def untranslatable(self) -> list[Finding]:
        """The findings for fields that have no Kubernetes equivalent and were left out."""
        return [f for f in self.findings if f.severity == "untranslatable"]

    def report(self) -> str:
        """The findings as text, one per line (``nothing to report`` when there are none)."""
        return "\n".join(map(str, self.findings)) or "nothing to report"

    def yaml(self) -> str:
        """The objects as one multi-document YAML file for ``kubectl apply -f``."""
        return yaml.dump_all(self.objects, Dumper=_Dumper, sort_keys=False,
                             default_flow_style=False)

    def validate(self, version: str = KUBERNETES_VERSION) -> list[SchemaProblem]:
        """The objects' problems against the Kubernetes API schemas (empty when valid)."""
        return validate_kubernetes(self.objects, version)

    def note(self, source: str, path: str, severity: Severity, message: str) -> None:
        """Record a finding (used by the translation rules)."""
        self.findings.append(Finding(source, path, severity, message))
