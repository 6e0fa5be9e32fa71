"""What an API costs: section "The Cost of API Access" of the article."""
from __future__ import annotations

import numpy as np

from helpers.assumptions import DAYS_PER_MONTH, INPUT_SHARE, TOKENS_PER_MILLION


def _check_share(input_share: float) -> None:
    if not np.all((0.0 <= np.asarray(input_share)) & (np.asarray(input_share) <= 1.0)):
        raise ValueError(f"input_share must lie in 0..1, got {input_share!r}")


def blended_usd_per_1m(usd_per_1m_input: float, usd_per_1m_output: float,
                       input_share: float = INPUT_SHARE) -> float:
    """Price of one million tokens of which ``input_share`` are input tokens.

    blended = input_share * usd_per_1m_input + (1 - input_share) * usd_per_1m_output

    At the article's 50/50 split this is (input + output) / 2, e.g. GPT-5:
    (1.25 + 10.00) / 2 = 5.625 USD per 1M tokens.
    """
    _check_share(input_share)
    if np.any(np.asarray(usd_per_1m_input) < 0) or np.any(np.asarray(usd_per_1m_output) < 0):
        raise ValueError("prices per 1M tokens must not be negative")
    return input_share * usd_per_1m_input + (1.0 - input_share) * usd_per_1m_output


def tokens_per_month(tokens_per_day: float, days_per_month: float = DAYS_PER_MONTH) -> float:
    """Monthly volume of a daily volume: tokens_per_day * days_per_month (30 in the article)."""
    if np.any(np.asarray(tokens_per_day) < 0):
        raise ValueError(f"tokens_per_day must not be negative, got {tokens_per_day!r}")
    return tokens_per_day * days_per_month


def tokens_per_day(tokens_per_month_: float, days_per_month: float = DAYS_PER_MONTH) -> float:
    """Daily volume of a monthly volume: tokens_per_month / days_per_month."""
    return tokens_per_month_ / days_per_month


def api_usd_per_month(monthly_tokens: float, blended_usd_per_1m_: float) -> float:
    """API bill for a month: monthly_tokens / 1e6 * blended USD per 1M tokens.

    Linear in volume, zero at zero volume ("No idle cost").
    """
    if np.any(np.asarray(monthly_tokens) < 0):
        raise ValueError(f"monthly_tokens must not be negative, got {monthly_tokens!r}")
    return monthly_tokens / TOKENS_PER_MILLION * blended_usd_per_1m_


def api_usd_per_month_at_daily(tokens_per_day_: float, blended_usd_per_1m_: float,
                               days_per_month: float = DAYS_PER_MONTH) -> float:
    """API bill for a month at a daily volume: tokens_per_day * days_per_month / 1e6 * blended."""
    return api_usd_per_month(tokens_per_month(tokens_per_day_, days_per_month), blended_usd_per_1m_)
