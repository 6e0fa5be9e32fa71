"""A contract's life (helpers/costs/horizon.py), worked by hand: month-by-month sums
written as loops, against the closed forms in the module."""
import numpy as np
import pytest

from helpers.costs import horizon


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
    assert float(horizon.api_price_factor(12, -0.5)) == pytest.approx(0.5)
    assert float(horizon.api_price_factor(24, -0.5)) == pytest.approx(0.25)


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
    # Flat prices: the commitment breakeven is the article's TCO breakeven, 3,240 / 5.625 per 1M = 576M.
    assert float(horizon.commitment_breakeven_tokens_per_month(3240, 5.625, 12, 0.0)) == pytest.approx(576e6)


def test_falling_api_prices_raise_the_commitment_breakeven_by_hand():
    halving = month_by_month(12, -0.5)                       # about 8.91 of today's bills
    expected = 3240 * 12 / (5.625 * halving) * 1e6           # about 776M tokens/month
    assert float(horizon.commitment_breakeven_tokens_per_month(3240, 5.625, 12, -0.5)) == pytest.approx(expected)
    assert float(horizon.effective_blended_usd_per_1m(5.625, 12, -0.5)) == pytest.approx(5.625 * halving / 12)
    # Over three years the fall weighs more: the breakeven climbs further.
    three_years = float(horizon.commitment_breakeven_tokens_per_month(3240, 5.625, 36, -0.5))
    assert three_years == pytest.approx(3240 * 36 / (5.625 * month_by_month(36, -0.5)) * 1e6)
    assert three_years > expected > 576e6


def test_a_free_api_never_breaks_even_and_bad_inputs_are_refused():
    assert np.isinf(horizon.commitment_breakeven_tokens_per_month(3240, 0.0, 12, 0.0))
    with pytest.raises(ValueError, match="horizon_months"):
        horizon.cumulative_api_factor(0, 0.0)
    with pytest.raises(ValueError, match="api_price_change_per_year"):
        horizon.cumulative_api_factor(12, -1.5)
