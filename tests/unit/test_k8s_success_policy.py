"""``success_policy_met`` against upstream's ``success_policy.go`` and its unit cases: the
first rule met decides; ``succeededIndexes`` wants all its indexes, or ``succeededCount`` of
them; a rule naming no index below ``completions`` is skipped; nothing succeeded, no match."""

from __future__ import annotations

import pytest

from clustersim.kubernetes.controllers.successpolicy import success_policy_met


@pytest.mark.parametrize(("rules", "succeeded", "message"), [
    ([{"succeededIndexes": "0-2"}], {0, 1, 2, 4, 5, 6, 7}, "Matched rules at index 0"),
    ([{"succeededIndexes": "3"}], {0, 1, 2}, None),
    ([{"succeededCount": 2}], {0, 1, 2}, "Matched rules at index 0"),
    ([{"succeededCount": 4}], {0, 1, 2}, None),
    ([{"succeededIndexes": "0-3", "succeededCount": 2}], {1, 3, 7}, "Matched rules at index 0"),
    ([{"succeededIndexes": "0-3", "succeededCount": 3}], {1, 3, 7}, None),
    ([{"succeededIndexes": "invalid-form"}, {"succeededCount": 1}], {0},
     "Matched rules at index 1"),
    ([{"succeededIndexes": "12-15"}], {0}, None),          # past completions: skipped
    ([{"succeededCount": 0}], set(), None),
    ([], {0}, None),
])
def test_the_first_rule_met_decides(rules: list[dict[str, object]], succeeded: set[int],
                                    message: str | None) -> None:
    assert success_policy_met({"rules": rules}, 10, succeeded) == message
