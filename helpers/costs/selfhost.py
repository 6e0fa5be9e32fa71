"""What a GPU costs and serves: sections "The Cost of Self-Hosting", "What Model Sizes Require
What Hardware" and the breakeven set-up."""
from __future__ import annotations

import numpy as np

from helpers.assumptions import HOURS_PER_MONTH, SECONDS_PER_HOUR

BYTES_PER_GB = 1e9


def gpu_usd_per_month(usd_per_hour: float, hours_per_month: float = HOURS_PER_MONTH,
                      gpu_count: int = 1, spot_discount: float = 0.0) -> float:
    """Rental bill for a month.

    usd_per_month = usd_per_hour * hours_per_month * gpu_count * (1 - spot_discount)

    ``usd_per_hour`` is the price of one rented unit (one row of the Cloud GPU Pricing table);
    ``gpu_count`` is how many such units. The article's "Monthly (24/7)" column is
    usd_per_hour * 720 (A100 80GB: 2.00 * 720 = 1,440). Spot instances are "40-60%" cheaper.
    """
    if np.any(np.asarray(usd_per_hour) < 0):
        raise ValueError(f"usd_per_hour must not be negative, got {usd_per_hour!r}")
    if not np.all((0 <= np.asarray(hours_per_month)) & (np.asarray(hours_per_month) <= 24 * 31)):
        raise ValueError(f"hours_per_month must lie in 0..744, got {hours_per_month!r}")
    if gpu_count < 1:
        raise ValueError(f"gpu_count must be at least 1, got {gpu_count!r}")
    if not np.all((0.0 <= np.asarray(spot_discount)) & (np.asarray(spot_discount) < 1.0)):
        raise ValueError(f"spot_discount must lie in 0..1, got {spot_discount!r}")
    return usd_per_hour * hours_per_month * gpu_count * (1.0 - spot_discount)


def tokens_per_month_capacity(tokens_per_s: float, hours_per_month: float = HOURS_PER_MONTH,
                              gpu_count: int = 1) -> float:
    """Tokens one deployment can serve in a month running flat out.

    capacity = tokens_per_s * 3600 * hours_per_month * gpu_count

    The article: 1,500 tokens/s * 3600 * 720 = 3.888e9, "approximately 3.9 billion".
    """
    if np.any(np.asarray(tokens_per_s) < 0):
        raise ValueError(f"tokens_per_s must not be negative, got {tokens_per_s!r}")
    return tokens_per_s * SECONDS_PER_HOUR * hours_per_month * gpu_count


def replicas_needed(tokens_per_month, replica_tokens_per_month):
    """Deployments needed to serve a monthly volume, at least one:

    replicas = max(1, ceil(tokens_per_month / replica_tokens_per_month))

    The article's 3.89B tokens a month per A100 means 6B tokens a month (200M a day) needs 2.
    A deployment that serves nothing (capacity 0: the model does not fit) needs infinitely
    many. Works elementwise on numpy arrays (a tiny tolerance keeps 3.888e9 at one replica
    when float rounding lands a hair above)."""
    volume = np.asarray(tokens_per_month, dtype=float)
    capacity = np.asarray(replica_tokens_per_month, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        count = np.maximum(1.0, np.ceil(volume / capacity - 1e-9))
    count = np.where(capacity > 0, count, np.inf)
    return float(count) if count.ndim == 0 else count


def vram_gb(params_billion: float, bits_per_weight: float, overhead_share: float = 0.0) -> float:
    """Memory for a model's weights: params * bits / 8 bytes, plus an optional overhead share.

    vram_gb = params_billion * bits_per_weight / 8 * (1 + overhead_share)

    70B at FP16: 70 * 16 / 8 = 140 GB; at 4 bits: 35 GB (the article's table). KV cache and
    activations come on top; ``helpers.capacity`` models them.
    """
    if params_billion <= 0 or bits_per_weight <= 0:
        raise ValueError("params_billion and bits_per_weight must be positive")
    return params_billion * bits_per_weight / 8.0 * (1.0 + overhead_share)


def max_bits_per_weight(memory_gb: float, params_billion: float) -> float:
    """The most bits per weight at which a model's weights fit in ``memory_gb``:
    memory_gb * 8 / params_billion."""
    return memory_gb * 8.0 / params_billion


def fits(params_billion: float, bits_per_weight: float, memory_gb: float,
         overhead_share: float = 0.0) -> bool:
    """Whether the weights (see :func:`vram_gb`) fit in ``memory_gb``."""
    return vram_gb(params_billion, bits_per_weight, overhead_share) <= memory_gb + 1e-9


def amortized_usd_per_month(usd_price: float, months: float,
                            electricity_usd_per_month: float = 0.0) -> float:
    """Monthly cost of hardware bought once: usd_price / months + electricity per month."""
    if months <= 0:
        raise ValueError(f"months must be positive, got {months!r}")
    return usd_price / months + electricity_usd_per_month
