"""A :class:`helpers.derive.Result`'s self-hosting bill broken down, and the unit prices read
off it: the Total Cost Adjustment's components, its multiple of the GPU bill, an hour of one
deployment, a million tokens on a fully loaded deployment, and the volume an API bill stands for.
"""
from __future__ import annotations

import math
from pathlib import Path

from helpers.costs import api, breakeven, tco
from helpers.derive import Result


def tco_components(r: Result) -> dict[str, float]:
    """One deployment's true monthly cost by component (:func:`helpers.costs.tco.tco_components`):
    GPU, DevOps (hours * rate), infrastructure, total (the article: 1,440 + 1,500 + 300 = 3,240)."""
    hidden = {name: float(value) for name, value in r.hidden_inputs.items()}
    return tco.tco_components(float(r.replica_usd_per_month), **hidden)


def tco_multiplier(r: Result) -> float:
    """One deployment's true cost over its GPU bill: (GPU + hidden) / GPU (the article: 2.25x)."""
    return tco.tco_multiplier(float(r.replica_tco_usd_per_month), float(r.replica_usd_per_month))


def replica_usd_per_hour(r: Result) -> float:
    """An hour of one deployment: replica_usd_per_month / hours_per_month (spot discount
    included; the article's A100: $2.00)."""
    return float(r.replica_usd_per_month) / r.scenario.hours_per_month


def usd_per_1m_at_full_load(r: Result) -> float:
    """What a million tokens costs on one deployment served flat out: replica bill / replica
    capacity * 1e6 (the article's A100 at 1,500 tokens/s: $0.37); infinite without capacity."""
    capacity = float(r.replica_tokens_per_month)
    return float(r.replica_usd_per_month) / capacity * 1e6 if capacity else math.inf


def tokens_per_day_for_api_bill(usd_per_month: float, blended_usd_per_1m: float, days_per_month: float) -> float:
    """The daily volume at which an API bill is ``usd_per_month``: usd / blended * 1e6 / days
    (what workload a printed monthly cost was computed for)."""
    return api.tokens_per_day(breakeven.breakeven_tokens_per_month(usd_per_month, blended_usd_per_1m), days_per_month)


def replica_tokens_per_s(r: Result) -> float:
    """Tokens/s of one deployment: tokens_per_s of one unit * gpu_count."""
    return float(r.tokens_per_s) * r.scenario.gpu_count


def utilisation_share(r: Result, index: int = 0) -> float:
    """How busy the billed replicas are at volume ``index``: tokens_per_month / (mean replicas *
    replica_tokens_per_month) (flat traffic on one fully needed replica: close to 1)."""
    return r.at("tokens_per_month", index=index) / (r.at("mean_replicas", index=index)
                                                     * float(r.replica_tokens_per_month))


def gpu_usd_per_1m(r: Result, index: int = 0) -> float:
    """The GPU bill per million tokens served at volume ``index``: gpu_usd_per_month /
    tokens_per_month * 1e6."""
    return r.at("gpu_usd_per_month", index=index) / r.at("tokens_per_month", index=index) * 1e6


def traffic_plans(r: Result, profile: str, scalings=("always_on", "scheduled"), data_dir: Path | None = None) -> dict:
    """Scaling -> the month of traffic of ``profile`` (a row of ``data/load_profiles.csv``) at the
    Result's volume, served hour by hour by replicas of this deployment
    (:func:`helpers.capacity.traffic.traffic_plan` with :func:`replica_tokens_per_s` and
    :func:`replica_usd_per_hour`)."""
    from helpers.capacity import traffic  # noqa: PLC0415 - only shaped traffic needs the profiles

    hourly = traffic.load_profile(profile, data_dir)
    return {scaling: traffic.traffic_plan(r.at("tokens_per_month"), hourly, replica_tokens_per_s(r),
                                          replica_usd_per_hour(r), scaling=scaling,
                                          hours_per_month=r.scenario.hours_per_month)
            for scaling in scalings}


def hybrid_by_hour(r: Result, profile: str, api_model: str | None = None, data_dir: Path | None = None):
    """A base of always-on replicas and the overflow, hour by hour, to ``api_model`` (the
    headline API by default) at the Result's volume: :func:`helpers.capacity.traffic.hybrid_plans`
    priced with this deployment and the API's blended price."""
    from helpers.capacity import traffic  # noqa: PLC0415

    blended = float(r.blended_usd_per_1m[api_model or r.api_model])
    return traffic.hybrid_plans(r.at("tokens_per_month"), traffic.load_profile(profile, data_dir),
                                replica_tokens_per_s(r), replica_usd_per_hour(r),
                                blended, r.scenario.hours_per_month)
