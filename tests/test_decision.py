"""helpers.costs.decision: the four steps of the Quick Decision Framework, and the decision cases
table that applies them through derive."""
import pandas as pd
import pytest

from helpers.article import hybrid_decision
from helpers.costs.decision import API, API_OR_HIRE, HYBRID, SELF_HOST, decide
from helpers.derive import derive
from helpers.scenario import Scenario


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


# --- The decision cases table decides with derive (tie band included) ------------------------

_TEAM = {"team": "t", "privacy_required": True, "needs_flagship_quality": False, "has_ml_expertise": True}


@pytest.mark.parametrize("ratio, cheaper", [(1.009, "Breakeven"), (1.02, "Self-host"), (1 / 1.02, "API")])
def test_decision_cases_call_bills_within_one_percent_a_tie(ratio, cheaper):
    # GPT-5 as the budget API at 5.625 per 1M (50/50): one A100 with hidden costs is $3,240, so
    # the API bill is ratio * 3,240 at ratio * 576M tokens a month (within one A100's 3.888B).
    s = Scenario(budget_api_model="GPT-5")
    tokens_per_day = ratio * 3240 / 5.625 * 1e6 / 30
    frame = hybrid_decision.decision_cases(derive(s), pd.DataFrame([{**_TEAM, "tokens_per_day": tokens_per_day}]))
    row = frame.iloc[0]
    assert row["budget_api_usd_per_month"] == pytest.approx(ratio * 3240)
    assert row["selfhost_tco_usd_per_month"] == pytest.approx(3240)
    assert row["cheaper_at_open_model_quality"] == cheaper
    assert (row["recommendation"], row["step"]) == (SELF_HOST, 4)
