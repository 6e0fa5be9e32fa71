"""What the what-if panel shows for one scenario, every figure from one :func:`helpers.derive.derive`
call (the same derivation as the notebooks and the report's tables):

    self-hosting  mean replicas * one deployment's GPU bill; with hidden costs + DevOps + infra
    api           tokens_per_month / 1e6 * blended(headline API)
    hybrid        :func:`helpers.derive.hybrid.hybrid` of the panel's volume: share to the hybrid
                  API + the rest on the scenario's deployment, with hidden costs
    breakevens    flat (the article's) and with capacity steps
    winner        derive's: "Breakeven" within 1%, with hidden costs; and on the GPU bill alone
    decision      the four-step framework at tokens_per_day

The panel's hybrid splits the volume on its slider: the scenario is priced with
``hybrid_monthly_tokens`` set to that volume, as a saved what-if scenario stores it, so the
report of a saved what-if shows the same hybrid.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from helpers.derive import compare
from helpers.derive.hybrid import hybrid, priced_for_hybrid
from helpers.scenario import Scenario


def with_hybrid_at_volume(s: Scenario) -> Scenario:
    """The scenario with its hybrid example at its own volume (tokens_per_day * days_per_month)."""
    return dataclasses.replace(s, hybrid_monthly_tokens=s.tokens_per_day * s.days_per_month)


def panel_figures(s: Scenario, data_dir: Path | None = None) -> dict:
    """Every figure the what-if shows for ``s`` (see the module docstring), by name."""
    s = with_hybrid_at_volume(s)
    r = priced_for_hybrid(s, api_models=s.api_models, data_dir=data_dir)
    model = s.api_model
    api_usd, gpu_usd, tco_usd = r.at("api_usd_per_month", model), r.at("gpu_usd_per_month"), r.at("tco_usd_per_month")
    mixed = hybrid(r, data_dir)
    winner_gpu_only, ratio_gpu_only = compare(api_usd, gpu_usd)
    replicas = r.at("replicas")
    return {
        "scenario": s,
        "result": r,
        "api_model": model,
        "gpu": s.gpu,
        "tokens_per_day": float(s.tokens_per_day),
        "tokens_per_month": r.at("tokens_per_month"),
        "blended_usd_per_1m": float(r.blended_usd_per_1m[model]),
        "blended_by_model": {m: float(r.blended_usd_per_1m[m]) for m in s.api_models},
        "api_usd_per_month": api_usd,
        "selfhost_usd_per_month": gpu_usd,
        "hidden_usd_per_month": float(r.hidden_usd_per_month),
        "tco_usd_per_month": tco_usd,
        "hybrid": mixed,
        "hybrid_usd_per_month": mixed.total_with_hidden_usd_per_month,
        "breakeven_tokens_per_month": float(r.breakeven_tokens_per_month[model]),
        "tco_breakeven_tokens_per_month": float(r.tco_breakeven_tokens_per_month[model]),
        "stepped_tco_breakeven_tokens_per_month": float(r.stepped_tco_breakeven_tokens_per_month[model]),
        "winner": str(r.winner[model][0]),
        "cost_ratio": r.at("cost_ratio", model),
        "winner_gpu_only": str(winner_gpu_only),
        "cost_ratio_gpu_only": float(ratio_gpu_only),
        "tokens_per_s": float(r.tokens_per_s),
        "throughput_note": r.throughput_note,
        "capacity_tokens_per_month": float(r.replica_tokens_per_month),
        "within_capacity": replicas == 1 and float(r.replica_tokens_per_month) > 0,
        "replicas": replicas,
        "gpu_units_needed": replicas * s.gpu_count,
        "decision": r.decision,
    }
