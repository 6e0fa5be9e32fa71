"""A contract's life (helpers/costs/horizon.py, and the contract breakeven derive builds on
it), worked by hand: month-by-month sums written as loops, against the closed forms."""
import numpy as np
import pytest

from helpers.costs import horizon
from helpers.derive import derive
from helpers.scenario import Scenario


def month_by_month(months: int, change_per_year: float) -> float:
    """Today's monthly bill counted month by month: the sum of (1 + change) ** (m / 12)."""
    return sum((1 + change_per_year) ** (m / 12) for m in range(months))


@pytest.mark.parametrize("months, change", [(1, -0.5), (12, 0.0), (12, -0.5), (36, -0.5), (24, 1.0),
                                            (7, -0.2), (60, 0.03)])
def test_cumulative_factor_is_the_month_by_month_sum(months, change):
    assert float(horizon.cumulative_api_factor(months, change)) == pytest.approx(month_by_month(months, change))


def test_cumulative_factor_edges():
    assert float(horizon.cumulative_api_factor(12, 0.0)) == 12.0     # flat: exactly 12 bills
    assert float(horizon.cumulative_api_factor(12, -1.0)) == 1.0     # free after the first month


def test_cumulative_factor_takes_arrays_of_draws():
    changes = np.array([-0.5, 0.0, 0.2])
    factors = horizon.cumulative_api_factor(12, changes)
    assert factors.shape == (3,)
    assert factors == pytest.approx([month_by_month(12, c) for c in changes])


def test_article_numbers_over_a_year():
    # The article's true cost with hidden costs: 1,440 + 1,500 + 300 = $3,240 a month.
    assert float(horizon.cumulative_selfhost_usd(3240, 12)) == 38_880
    # GPT-5 at 10M tokens/day: $1,687.50 a month, flat for a year: $20,250.
    assert float(horizon.cumulative_api_usd(1687.5, 12, 0.0)) == pytest.approx(20_250)
    # Flat prices: the contract breakeven is the article's TCO breakeven, 3,240 / 5.625 per 1M = 576M.
    flat = derive(Scenario())
    assert flat.contract_price_ratio == 1.0
    assert flat.contract_stepped_tco_breakeven_tokens_per_month["GPT-5"] == pytest.approx(576e6)


def test_falling_api_prices_raise_the_commitment_breakeven_by_hand():
    halving = month_by_month(12, -0.5)                       # about 8.91 of today's bills
    expected = 3240 * 12 / (5.625 * halving) * 1e6           # about 776M tokens/month
    one_year = derive(Scenario(api_price_change_per_year=-0.5))
    assert one_year.contract_price_ratio == pytest.approx(halving / 12)
    assert one_year.contract_stepped_tco_breakeven_tokens_per_month["GPT-5"] == pytest.approx(expected)
    # Over three years the fall weighs more: the breakeven climbs further.
    three_years = derive(Scenario(api_price_change_per_year=-0.5, horizon_months=36)) \
        .contract_stepped_tco_breakeven_tokens_per_month["GPT-5"]
    assert three_years == pytest.approx(3240 * 36 / (5.625 * month_by_month(36, -0.5)) * 1e6)
    assert three_years > expected > 576e6


def test_a_free_api_never_breaks_even_and_bad_inputs_are_refused():
    free = derive(Scenario(usd_per_1m_input=0.0, usd_per_1m_output=0.0))
    assert np.isinf(free.contract_stepped_tco_breakeven_tokens_per_month["GPT-5"])
    with pytest.raises(ValueError, match="horizon_months"):
        horizon.cumulative_api_factor(0, 0.0)
    with pytest.raises(ValueError, match="api_price_change_per_year"):
        horizon.cumulative_api_factor(12, -1.5)


def test_the_results_cumulative_bills_month_by_month():
    # The article's 10M tokens a day: GPT-5 $1,687.50 a month today, self-hosting $3,240.
    r = derive(Scenario(api_price_change_per_year=-0.5))
    assert r.cumulative_tco_usd([1, 12]) == pytest.approx(np.array([[3240, 38_880]]))
    assert r.cumulative_api_usd("GPT-5", [1, 12]) == pytest.approx(np.array([[1687.5, 1687.5 * month_by_month(12, -0.5)]]))
    # Drawn price changes: one row per draw.
    drawn = derive(Scenario(), draws={"api_price_change_per_year": np.array([0.0, -1.0])})
    assert drawn.cumulative_api_usd("GPT-5", [12]) == pytest.approx(np.array([[1687.5 * 12], [1687.5]]))
    assert drawn.contract_price_ratio == pytest.approx(np.array([[1.0], [1 / 12]]))
