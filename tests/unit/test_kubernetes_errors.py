"""How a field error prints its bad value (``go_value``), as apimachinery's
``field.Error.ErrorBody`` has since Kubernetes 1.34 (kubernetes/kubernetes PR #132314,
``pkg/util/validation/field/errors.go``): a plain string with Go's ``%q``, a bool or a number
as it is, anything else through ``json.Marshal``."""

import datetime

import pytest

from clustersim.manifests.kubernetes_errors import go_value, invalid


@pytest.mark.parametrize("value, shown", [
    ("a<b\a", '"a<b\\a"'),                      # a plain string: %q leaves "<", writes \a
    (["10.96.0.10", "a<b"], '["10.96.0.10","a\\u003cb"]'),   # a []string: JSON, no spaces
    ({"app": "x&y", "a": "\u2028"}, '{"a":"\\u2028","app":"x\\u0026y"}'),  # keys sorted
    ([1, 2.5], "[1,2.5]"),
    (True, "true"),
    (-1, "-1"),
    ({"at": datetime.date(2024, 1, 2)}, '{"at":"2024-01-02"}'),  # no JSON form: its text
])
def test_a_bad_value_is_printed_as_error_body_prints_it(value, shown):
    assert go_value(value) == shown
    assert invalid(value, "why") == f"Invalid value: {shown}: why"
