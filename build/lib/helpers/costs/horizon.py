"""A contract's life: what each option costs over ``horizon_months`` when API prices move by
``api_price_change_per_year``, and the volume above which committing that many months to
self-hosting pays off.

API prices change smoothly: month m (m = 0 for the first month) is billed at
(1 + api_price_change_per_year) ** (m / 12) times today's price, so -0.5 halves the price after a
year and quarters it after two; 0 (the article) keeps it flat. The self-hosting bill is fixed
for the term (a rented or reserved GPU at today's price, plus the hidden costs).

Pure formulas on numbers or numpy arrays (each argument may be an array of draws).
"""
from __future__ import annotations

import numpy as np

from helpers.assumptions import TOKENS_PER_MILLION

MONTHS_PER_YEAR = 12


def _check(horizon_months, api_price_change_per_year) -> None:
    if np.any(np.asarray(horizon_months) < 1):
        raise ValueError(f"horizon_months must be at least 1, got {horizon_months!r}")
    if np.any(np.asarray(api_price_change_per_year) < -1):
        raise ValueError("api_price_change_per_year must be at least -1 (prices cannot go below "
                         f"zero), got {api_price_change_per_year!r}")


def api_price_factor(month, api_price_change_per_year):
    """Price of month ``month`` (0 = the first) relative to today's:
    (1 + api_price_change_per_year) ** (month / 12). -0.5 gives 0.5 at month 12."""
    _check(1, api_price_change_per_year)
    return np.power(1.0 + np.asarray(api_price_change_per_year, dtype=float),
                    np.asarray(month, dtype=float) / MONTHS_PER_YEAR)


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


def effective_blended_usd_per_1m(blended_usd_per_1m, horizon_months, api_price_change_per_year):
    """The flat price per 1M tokens that costs the same over the horizon as the moving one:
    blended * cumulative_api_factor / horizon_months. GPT-5 ($5.625) halving each year over
    12 months: 5.625 * 8.91 / 12 = about $4.18."""
    return (np.asarray(blended_usd_per_1m, dtype=float)
            * cumulative_api_factor(horizon_months, api_price_change_per_year)
            / np.asarray(horizon_months, dtype=float))


def commitment_breakeven_tokens_per_month(selfhost_usd_per_month, blended_usd_per_1m, horizon_months,
                                          api_price_change_per_year):
    """Monthly volume above which committing ``horizon_months`` to self-hosting costs less than
    the API over the same months:

        horizon * selfhost = volume / 1e6 * blended * cumulative_api_factor
        volume = selfhost * horizon / (blended * cumulative_api_factor) * 1e6

    With flat prices it is the article's breakeven (GPT-5 against $3,240: 576M tokens/month);
    falling API prices raise it. A free API never breaks even (infinite).
    For a self-hosting bill that steps with replicas, pass the API price through
    :func:`effective_blended_usd_per_1m` to the stepped breakeven instead.
    """
    effective = effective_blended_usd_per_1m(blended_usd_per_1m, horizon_months, api_price_change_per_year)
    selfhost = np.asarray(selfhost_usd_per_month, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(effective > 0, selfhost / effective * TOKENS_PER_MILLION, np.inf)
