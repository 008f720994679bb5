"""Properties of the decision helper that must hold for every choice of weights (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim.decision import rank
from clustersim.features import load_features

MATRIX = load_features()
CRITERIA = list(MATRIX.criteria)

weights = st.fixed_dictionaries({c: st.integers(0, 5) for c in CRITERIA}).filter(
    lambda w: any(w.values())
)


def score(system, criterion):
    return MATRIX.criteria[criterion].scores[system].score


@settings(max_examples=150, deadline=None)
@given(weights)
def test_every_ranking_is_ordered_bounded_and_honest(w):
    rec = rank(w, matrix=MATRIX)
    points = [r.points for r in rec.ranking]
    assert points == sorted(points, reverse=True)
    assert all(0 <= r.share <= 1 for r in rec.ranking)
    assert rec.recommended is not None and not rec.recommended.retired
    assert any("retired" in warning for warning in rec.warnings)
    assert sum(d.margin for d in rec.deciders + rec.against) == (
        rec.recommended.points - rec.rival.points
    )


@settings(max_examples=150, deadline=None)
@given(weights, st.sampled_from(CRITERIA))
def test_weighting_a_criterion_more_never_hurts_the_system_that_is_better_on_it(w, criterion):
    """If A is ahead of B and at least as good on a criterion, raising its weight keeps A ahead."""
    if w[criterion] == 5:
        return
    before = {r.system: r.points for r in rank(w, matrix=MATRIX).ranking}
    after = {r.system: r.points for r in rank({**w, criterion: w[criterion] + 1},
                                              matrix=MATRIX).ranking}
    for a in MATRIX.systems:
        for b in MATRIX.systems:
            if before[a] >= before[b] and score(a, criterion) >= score(b, criterion):
                assert after[a] >= after[b]


@settings(max_examples=100, deadline=None)
@given(weights, st.integers(2, 5))
def test_scaling_every_weight_keeps_the_shares(w, factor):
    """Shares depend on the ratios of the weights, not on their size."""
    small = {c: v for c, v in w.items() if v * factor <= 5}
    if not any(small.values()):
        return
    base = rank(small, matrix=MATRIX)
    scaled = rank({c: v * factor for c, v in small.items()}, matrix=MATRIX)
    assert [(r.system, round(r.share, 9)) for r in base.ranking] == [
        (r.system, round(r.share, 9)) for r in scaled.ranking
    ]
