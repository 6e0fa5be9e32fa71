"""Where the API line crosses the self-hosting line: section "Breakeven Analysis"."""
from __future__ import annotations

import math

import numpy as np

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
    if np.any(np.asarray(selfhost_usd_per_month) < 0):
        raise ValueError("selfhost_usd_per_month must not be negative")
    if np.any(np.asarray(blended_usd_per_1m) < 0):
        raise ValueError("blended_usd_per_1m must not be negative")
    if np.ndim(selfhost_usd_per_month) == 0 and np.ndim(blended_usd_per_1m) == 0:
        if blended_usd_per_1m == 0:
            return math.inf
        return selfhost_usd_per_month / blended_usd_per_1m * TOKENS_PER_MILLION
    with np.errstate(divide="ignore", invalid="ignore"):
        volume = np.asarray(selfhost_usd_per_month, dtype=float) / blended_usd_per_1m * TOKENS_PER_MILLION
    return np.where(np.asarray(blended_usd_per_1m) == 0, np.inf, volume)


def stepped_breakeven_tokens_per_month(blended_usd_per_1m, replica_usd_per_month,
                                       replica_tokens_per_month, fixed_usd_per_month=0.0):
    """Smallest monthly volume at which the API bill reaches the self-hosting bill when
    capacity comes in steps: ``fixed + replicas * replica`` with
    ``replicas = max(1, ceil(volume / replica_tokens_per_month))``.

    In step k (volume in ((k-1) * capacity, k * capacity]) the API line p * V / 1e6 meets
    fixed + k * replica at V_k = (fixed + k * replica) / p * 1e6, valid if V_k <= k * capacity,
    i.e. k * margin >= fixed with margin = capacity * p / 1e6 - replica (what one full
    replica earns at API prices over what it costs). So k = max(1, ceil(fixed / margin)). When
    margin < 0 (or 0 with fixed costs) the API stays cheaper at every volume: infinite.
    Without a ceiling (one replica serves any volume) this is the article's
    (fixed + replica) / p * 1e6. Works elementwise on numpy arrays.
    """
    p = np.asarray(blended_usd_per_1m, dtype=float)
    replica = np.asarray(replica_usd_per_month, dtype=float)
    capacity = np.asarray(replica_tokens_per_month, dtype=float)
    fixed = np.asarray(fixed_usd_per_month, dtype=float)
    if np.any(p < 0) or np.any(replica < 0) or np.any(fixed < 0):
        raise ValueError("prices and costs must not be negative")
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = capacity * p / TOKENS_PER_MILLION - replica
        steps = np.where(fixed > 0, np.ceil(fixed / np.where(margin > 0, margin, np.nan) - 1e-12), 1.0)
        steps = np.maximum(1.0, steps)
        volume = (fixed + steps * replica) / p * TOKENS_PER_MILLION
    never = (p == 0) | (capacity <= 0) | (margin < 0) | ((margin == 0) & (fixed > 0))
    result = np.where(never, np.inf, volume)
    return float(result) if result.ndim == 0 else result


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

