"""The hybrid architecture: section "The Hybrid Approach: Best of Both Worlds"."""
from __future__ import annotations

from helpers.costs.api import api_usd_per_month


def hybrid_usd_per_month(monthly_tokens: float, api_share: float, blended_usd_per_1m: float,
                         selfhost_usd_per_month: float) -> dict[str, float]:
    """Monthly bill when ``api_share`` of the volume goes to an API and the rest to a
    self-hosted model whose cost is fixed.

    api_part = api_share * monthly_tokens / 1e6 * blended
    total    = api_part + selfhost_usd_per_month

    The article's example: 10% of 100M tokens to GPT-5 = 10M * 5.625 / 1e6 = $56.25,
    the self-hosted part "~$0 marginal (GPU already running)" but not free: the GPU is a
    fixed bill, which this function adds.
    """
    if not 0.0 <= api_share <= 1.0:
        raise ValueError(f"api_share must lie in 0..1, got {api_share!r}")
    api_tokens = api_share * monthly_tokens
    api_part = api_usd_per_month(api_tokens, blended_usd_per_1m)
    return {
        "api_tokens_per_month": api_tokens,
        "selfhost_tokens_per_month": monthly_tokens - api_tokens,
        "api_usd_per_month": api_part,
        "selfhost_usd_per_month": selfhost_usd_per_month,
        "total_usd_per_month": api_part + selfhost_usd_per_month,
    }
