"""helpers.costs.decision: the four steps of the Quick Decision Framework."""
import pytest

from helpers.costs.decision import API, API_OR_HIRE, HYBRID, SELF_HOST, decide


@pytest.mark.parametrize("tokens_per_day, privacy, flagship, expertise, expected, step", [
    (2_000_000, True, False, True, API, 1),           # under 10M/day: API, full stop
    (9_999_999, True, False, True, API, 1),
    (10_000_000, False, False, True, API, 2),         # 10M-100M, no privacy requirement
    (50_000_000, True, False, True, SELF_HOST, 4),    # privacy: consider self-hosting, expertise decides
    (50_000_000, True, False, False, API_OR_HIRE, 4),
    (100_000_000, False, True, True, API, 2),         # 100M is still "10M-100M"
    (150_000_000, False, True, True, HYBRID, 3),      # over 100M but flagship quality needed
    (150_000_000, False, False, True, SELF_HOST, 4),
    (150_000_000, False, False, False, API_OR_HIRE, 4),
])
def test_framework(tokens_per_day, privacy, flagship, expertise, expected, step):
    decision = decide(tokens_per_day, privacy, flagship, expertise)
    assert (decision.recommendation, decision.step) == (expected, step)
    assert decision.reason


def test_negative_volume_rejected():
    with pytest.raises(ValueError, match="tokens_per_day"):
        decide(-1, False, False, False)
