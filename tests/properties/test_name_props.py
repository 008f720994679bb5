"""Names drawn at random: the loader accepts exactly the names the API server's regular
expressions and lengths accept, and refuses the others in its words, every field error of
the object together (a bad name does not hide a missing image)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim import ManifestError, load_manifests

# the definitions, from k8s.io/apimachinery pkg/util/validation (not the simulator's code)
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")

names = st.text(alphabet="abAB09-._ /", min_size=1, max_size=70)


def pod(container: str, label: str, image: bool) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "labels": {"app": label}},
            "spec": {"containers": [{"name": container, **({"image": "x"} if image else {})}]}}


@settings(max_examples=200, deadline=None)
@given(container=names, label=names, image=st.booleans())
def test_names_are_accepted_as_upstream_defines_them(container: str, label: str,
                                                     image: bool) -> None:
    good_container = len(container) <= 63 and DNS_LABEL.fullmatch(container) is not None
    good_label = len(label) <= 63 and LABEL_VALUE.fullmatch(label) is not None
    if good_container and good_label and image:
        assert load_manifests(pod(container, label, image))
        return
    with pytest.raises(ManifestError) as caught:
        load_manifests(pod(container, label, image))
    errors = [(e.path, e.message) for e in (caught.value, *caught.value.also)]
    expected = {path for path, good in (("spec.containers[0].name", good_container),
                                        ("metadata.labels", good_label),
                                        ("spec.containers[0].image", image)) if not good}
    assert {path for path, _ in errors} == expected
    for path, message in errors:
        if path == "spec.containers[0].name":
            assert message.startswith(f'Invalid value: "{container}": ')
        if path == "metadata.labels":
            assert message.startswith(f'Invalid value: "{label}": ')
    too_long = [m for p, m in errors if p == "spec.containers[0].name" and "no more than" in m]
    assert bool(too_long) == (len(container) > 63)
