"""A contract's life: what each option costs over ``horizon_months`` when API prices move by
``api_price_change_per_year`` (:func:`helpers.derive.derive` turns it into the contract's
average API price and the breakeven over the contract).

API prices change smoothly: month m (m = 0 for the first month) is billed at
(1 + api_price_change_per_year) ** (m / 12) times today's price, so -0.5 halves the price after a
year and quarters it after two; 0 (the article) keeps it flat. The self-hosting bill is fixed
for the term (a rented or reserved GPU at today's price, plus the hidden costs).

Pure formulas on numbers or numpy arrays (each argument may be an array of draws).
"""
from __future__ import annotations

import numpy as np


MONTHS_PER_YEAR = 12


def _check(horizon_months, api_price_change_per_year) -> None:
    if np.any(np.asarray(horizon_months) < 1):
        raise ValueError(f"horizon_months must be at least 1, got {horizon_months!r}")
    if np.any(np.asarray(api_price_change_per_year) < -1):
        raise ValueError("api_price_change_per_year must be at least -1 (prices cannot go below "
                         f"zero), got {api_price_change_per_year!r}")


def cumulative_api_factor(horizon_months, api_price_change_per_year):
    """How many of today's monthly API bills the horizon costs:

        sum over m = 0 .. horizon_months - 1 of g ** m,  g = (1 + change) ** (1 / 12)
        = (g ** horizon - 1) / (g - 1), and exactly horizon_months when the change is 0.

    Flat prices over 12 months: 12. Halving each year over 12 months: sum of 0.5 ** (m / 12),
    about 8.91. A change of -1 (free from the second month) gives 1.
    """
    _check(horizon_months, api_price_change_per_year)
    months = np.asarray(horizon_months, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        # A change of -1 gives log 0 = -inf, and the formula then gives exactly 1.
        log_g = np.log1p(np.asarray(api_price_change_per_year, dtype=float)) / MONTHS_PER_YEAR
        geometric = np.expm1(months * log_g) / np.expm1(log_g)
    return np.where(log_g == 0.0, months, geometric)


def cumulative_api_usd(api_usd_per_month, horizon_months, api_price_change_per_year):
    """API bill over the horizon: today's monthly bill * :func:`cumulative_api_factor`
    (the volume stays the same each month)."""
    return np.asarray(api_usd_per_month, dtype=float) * cumulative_api_factor(
        horizon_months, api_price_change_per_year)


def cumulative_selfhost_usd(selfhost_usd_per_month, horizon_months):
    """Self-hosting bill over the horizon: the fixed monthly bill * horizon_months
    (the article's $3,240 a month with hidden costs: $38,880 over 12 months)."""
    _check(horizon_months, 0.0)
    return np.asarray(selfhost_usd_per_month, dtype=float) * np.asarray(horizon_months, dtype=float)

