"""``clustersim.imageref``: one reading of an image reference for Compose, Swarm and the
Kubernetes pull-policy default (distribution/reference's grammar, go-digest's check)."""

from __future__ import annotations

import pytest

from clustersim.imageref import ImageReference, image_problem, parse_reference

SHA = "sha256:" + "4b1f" * 16


@pytest.mark.parametrize(("text", "parsed"), [
    ("nginx", ImageReference("nginx", None, None)),
    ("localhost:5000/shop/web:2.0", ImageReference("localhost:5000/shop/web", "2.0", None)),
    (f"shop/web:latest@{SHA}", ImageReference("shop/web", "latest", SHA)),
    ("[::1]:5000/web", ImageReference("[::1]:5000/web", None, None)),
])
def test_a_reference_is_read_into_name_tag_and_digest(text, parsed):
    assert parse_reference(text) == parsed and image_problem(text) is None


@pytest.mark.parametrize(("text", "problem"), [
    ("Nginx", "repository name must be lowercase"),
    ("nginx::1", "invalid reference format"),
    ("a/" * 130 + "web", "repository name must not be more than 255 characters"),
    ("web@sha256:" + "ab" * 20, "invalid checksum digest length"),   # 40 digits, not 64
])
def test_a_reference_that_does_not_parse_says_why(text, problem):
    assert image_problem(text) == problem and parse_reference(text) is None
