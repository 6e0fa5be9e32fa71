"""Where the API line crosses the self-hosting line: section "Breakeven Analysis"."""
from __future__ import annotations

import math

from helpers.costs.api import api_usd_per_month
from helpers.assumptions import DAYS_PER_MONTH, TOKENS_PER_MILLION

API = "API"
SELF_HOST = "Self-host"
BREAKEVEN = "Breakeven"


def breakeven_tokens_per_month(selfhost_usd_per_month: float, blended_usd_per_1m: float) -> float:
    """Monthly volume at which the API bill equals the fixed self-hosting bill.

    breakeven = selfhost_usd_per_month / blended_usd_per_1m * 1e6

    GPT-5 against one A100: 1,440 / 5.625 * 1e6 = 256M tokens/month. A free API
    (blended price 0) never breaks even: the result is infinite.
    """
    if selfhost_usd_per_month < 0:
        raise ValueError("selfhost_usd_per_month must not be negative")
    if blended_usd_per_1m < 0:
        raise ValueError("blended_usd_per_1m must not be negative")
    if blended_usd_per_1m == 0:
        return math.inf
    return selfhost_usd_per_month / blended_usd_per_1m * TOKENS_PER_MILLION


def breakeven_tokens_per_day(selfhost_usd_per_month: float, blended_usd_per_1m: float,
                             days_per_month: float = DAYS_PER_MONTH) -> float:
    """Daily equivalent of :func:`breakeven_tokens_per_month`: divided by days_per_month (30)."""
    return breakeven_tokens_per_month(selfhost_usd_per_month, blended_usd_per_1m) / days_per_month


def winner(api_usd: float, selfhost_usd: float, tolerance: float = 0.01) -> tuple[str, float]:
    """Cheaper option and by how many times: ``(name, cost_ratio)``.

    cost_ratio = dearer / cheaper (>= 1). Within ``tolerance`` (relative, 1% by default) the
    article calls it "Breakeven": its DeepSeek table puts 2.1B tokens ($1,438.50) level with
    $1,440.
    """
    if api_usd < 0 or selfhost_usd < 0:
        raise ValueError("costs must not be negative")
    if api_usd == selfhost_usd == 0:
        return BREAKEVEN, 1.0
    cheaper, dearer = sorted((api_usd, selfhost_usd))
    ratio = math.inf if cheaper == 0 else dearer / cheaper
    if ratio - 1.0 <= tolerance:
        return BREAKEVEN, ratio
    return (API if api_usd < selfhost_usd else SELF_HOST), ratio


def cost_at_volume(monthly_tokens: float, blended_usd_per_1m: float,
                   selfhost_usd_per_month: float, tolerance: float = 0.01) -> dict:
    """API and self-hosting bills at one monthly volume, the winner and the cost ratio."""
    api_usd = api_usd_per_month(monthly_tokens, blended_usd_per_1m)
    name, ratio = winner(api_usd, selfhost_usd_per_month, tolerance)
    return {
        "monthly_tokens": monthly_tokens,
        "api_usd_per_month": api_usd,
        "selfhost_usd_per_month": selfhost_usd_per_month,
        "winner": name,
        "cost_ratio": ratio,
    }
