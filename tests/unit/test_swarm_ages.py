"""The docker CLI's words for an age (docker/go-units ``HumanDuration``, lower-cased by
docker/cli's task formatter); the cases are the boundaries of each range of duration.go."""

import pytest

from clustersim.swarm.ages import human_duration, state_age


@pytest.mark.parametrize(("seconds", "words"), [
    (0, "Less than a second"), (0.9, "Less than a second"), (1, "1 second"),
    (28.4, "28 seconds"), (59.9, "59 seconds"), (60, "About a minute"),
    (119, "About a minute"), (120, "2 minutes"), (59 * 60 + 59, "59 minutes"),
    (3600, "About an hour"), (5399, "About an hour"), (5400, "2 hours"),
    (47 * 3600, "47 hours"), (48 * 3600, "2 days"), (13 * 86400, "13 days"),
    (14 * 86400, "2 weeks"), (59 * 86400, "8 weeks"), (60 * 86400, "2 months"),
    (729 * 86400, "24 months"), (730 * 86400, "2 years"),
    # rows of go-units' own TestHumanDuration (duration_test.go): whole divisions, not rounding
    (18 * 86400, "2 weeks"), (31 * 86400, "4 weeks"), (44 * 86400, "6 weeks"),
    (74 * 86400, "2 months"), (164 * 86400, "5 months"), (13 * 86400 + 5 * 3600, "13 days"),
    (3 * 365 * 86400 + 60 * 86400, "3 years"),
    # and one of ours: 71 hours are 2 whole days (rounding days would say 3)
    (2 * 86400 + 23 * 3600, "2 days"),
])
def test_human_duration_follows_go_units(seconds: float, words: str) -> None:
    assert human_duration(seconds) == words


def test_state_age_is_lower_cased_like_docker_service_ps() -> None:
    assert state_age("Running", 28) == "Running 28 seconds ago"
    assert state_age("Pending", 0.2) == "Pending less than a second ago"
    assert state_age("Running", 90) == "Running about a minute ago"
