"""Hidden costs of self-hosting: section "Hidden Costs of Self-Hosting" / "Total Cost
Adjustment"."""
from __future__ import annotations

import numpy as np


def devops_usd_per_month(devops_hours_per_month: float, devops_usd_per_hour: float) -> float:
    """Engineering time: hours per month * rate (the article: 15 h * $100/h = $1,500)."""
    if np.any(np.asarray(devops_hours_per_month) < 0) or np.any(np.asarray(devops_usd_per_hour) < 0):
        raise ValueError("DevOps hours and rate must not be negative")
    return devops_hours_per_month * devops_usd_per_hour


def tco_components(gpu_usd_per_month: float, devops_hours_per_month: float,
                   devops_usd_per_hour: float, infrastructure_usd_per_month: float) -> dict[str, float]:
    """The Total Cost Adjustment table as ``{component: usd_per_month}``, total last.

    total = gpu + devops_hours * devops_rate + infrastructure
    The article: 1,440 + 15 * 100 + 300 = 3,240.
    """
    if np.any(np.asarray(infrastructure_usd_per_month) < 0) or np.any(np.asarray(gpu_usd_per_month) < 0):
        raise ValueError("costs must not be negative")
    devops = devops_usd_per_month(devops_hours_per_month, devops_usd_per_hour)
    parts = {
        "gpu_rental": gpu_usd_per_month,
        "devops_time": devops,
        "infrastructure_overhead": infrastructure_usd_per_month,
    }
    parts["true_monthly_cost"] = sum(parts.values())
    return parts


def tco_multiplier(tco_usd: float, gpu_usd_per_month: float) -> float:
    """How many times the raw GPU bill the true cost is: tco / gpu. The article's rule of thumb
    says 1.3x to 2.0x; its own table gives 3,240 / 1,440 = 2.25x."""
    if gpu_usd_per_month <= 0:
        raise ValueError("gpu_usd_per_month must be positive")
    return tco_usd / gpu_usd_per_month
