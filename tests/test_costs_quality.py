"""The per-task formulas, each against figures worked by hand."""
import math

import numpy as np
import pytest

from helpers.costs import quality


def test_attempts_per_success_is_one_over_p_with_retry_and_one_with_review():
    assert quality.attempts_per_success(0.8) == pytest.approx(1.25)
    assert quality.attempts_per_success(1.0) == 1.0
    assert math.isinf(quality.attempts_per_success(0.0))
    assert quality.attempts_per_success(0.5, "review") == 1.0
    np.testing.assert_allclose(quality.attempts_per_success(np.array([0.5, 0.25])), [2.0, 4.0])


def test_a_rate_outside_zero_to_one_or_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="0..1"):
        quality.attempts_per_success(1.2)
    with pytest.raises(ValueError, match="retry"):
        quality.attempts_per_success(0.5, "escalate")


def test_escalation_sends_the_failed_share_to_the_fallback_which_retries():
    first, fallback = quality.escalated_attempts_per_task(0.82, 0.92)
    assert first == 1.0
    assert fallback == pytest.approx(0.18 / 0.92)  # 0.1957
    assert quality.escalated_attempts_per_task(1.0, 0.0)[1] == 0.0  # nothing fails, nothing escalates


def test_an_attempts_input_share_blends_its_price_exactly():
    # GPT-5: 1,500 in at $1.25/M = $0.001875, 500 out at $10/M = $0.005: $0.006875
    share = quality.input_share(1500, 500)
    assert share == 0.75
    blended = share * 1.25 + (1 - share) * 10.0
    assert quality.tokens_per_attempt(1500, 500) * blended / 1e6 == pytest.approx(0.006875)


def test_review_costs_a_person_per_failed_task():
    assert quality.review_usd_per_month(30_000, 0.82, 2.0) == pytest.approx(5_400 * 2.0)


def test_cost_per_thousand_successes():
    assert quality.usd_per_1k_successes(1440.0, 300_000) == pytest.approx(4.80)
    assert math.isinf(quality.usd_per_1k_successes(10.0, 0))


def test_the_task_margin_restated_per_selfhosted_token():
    # $0.0075 saved a task over 2,000 self-hosted tokens a task: $3.75 per million
    assert quality.task_margin_usd_per_1m(0.0100, 0.0025, 2000) == pytest.approx(3.75)
    # a self-hosted marginal dearer than the API: no saving (never breaks even)
    assert quality.task_margin_usd_per_1m(0.001, 0.002, 2000) == 0.0
