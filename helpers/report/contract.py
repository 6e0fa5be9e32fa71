"""The report's tables contract: the CSV files a report run must hold under ``tables/``, the
columns each must have (more are welcome), and :func:`save`, through which a notebook writes one.

Token counts are plain integers of tokens, money in USD. A run passes the contract only when
every table of it was written, holds at least one row, and has the columns listed.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from helpers.files import atomic_write

TABLES = "tables"

# File name -> columns it must hold (an empty list: any columns, but at least one row).
CONTRACT = {
    "api_costs": ["model", "provider", "tier", "usd_per_1m_input", "usd_per_1m_output",
                  "blended_usd_per_1m", "usd_per_month"],
    "gpu_cloud": ["gpu", "vram_gb", "usd_per_hour", "usd_per_month"],
    "consumer_hardware": ["hardware", "memory_gb", "usd_price"],
    "vram_by_model_size": ["params_billion", "vram_gb_fp16", "vram_gb_4bit", "minimum_hardware"],
    "breakeven_volumes": ["api_model", "monthly_tokens", "api_usd_per_month", "selfhost_usd_per_month",
                          "winner", "cost_ratio"],
    "breakeven_summary": ["api_model", "blended_usd_per_1m", "breakeven_tokens_per_month",
                          "breakeven_tokens_per_day", "tco_breakeven_tokens_per_month",
                          "tco_breakeven_tokens_per_day", "within_single_gpu_capacity"],
    "tco_components": ["component", "usd_per_month"],
    "capacity": ["gpu", "model", "tokens_per_s", "tokens_per_month"],
    "model_quality": [],
    "hybrid": [],
    "decision_cases": [],
    "what_if": ["tokens_per_month", "replicas", "selfhost_usd_per_month", "tco_usd_per_month",
                "api_usd_per_month", "winner"],
    "claims": ["claim_id", "section", "claim_text", "article_value", "recomputed_value", "verdict",
               "explanation"],
    "price_drift": ["model", "article_usd_per_1m_input", "article_usd_per_1m_output",
                    "current_usd_per_1m_input", "current_usd_per_1m_output", "blended_change",
                    "article_breakeven_tokens_per_month", "current_breakeven_tokens_per_month"],
    "uncertainty": ["api_model", "tokens_per_day", "p_selfhost_cheaper", "selfhost_usd_p10",
                    "selfhost_usd_p50", "selfhost_usd_p90"],
    "quality": ["option", "success_rate", "success_rate_source", "attempts_per_success", "tokens_per_success",
                "tasks_per_month", "tokens_per_month", "usd_per_month", "usd_per_1k_successes",
                "breakeven_tasks_per_day"],
    "tornado": ["input", "low_value", "high_value", "breakeven_tokens_per_month_at_low",
                "breakeven_tokens_per_month_at_high"],
    "ownership": ["option", "acquisition", "gpu", "gpu_count", "capital_usd_per_month", "energy_usd_per_month",
                  "colocation_usd_per_month", "maintenance_usd_per_month", "usd_per_month", "usd_per_gpu_hour",
                  "breakeven_utilisation_vs_rent"],
}


def save(frame: pd.DataFrame, name: str, tables_dir: str | os.PathLike | None) -> Path | None:
    """Write ``frame`` as ``<tables_dir>/<name>.csv`` for a report run; do nothing when
    ``tables_dir`` is empty. Written to a temporary file first, then renamed, so a reader never
    sees half a table."""
    if not tables_dir:
        return None
    directory = Path(tables_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name}.csv"
    with atomic_write(target, newline="") as handle:
        frame.to_csv(handle, index=False)
    return target


def contract_problems(tables_dir: str | os.PathLike, contract: dict[str, list[str]] = CONTRACT) -> list[str]:
    """What the tables in ``tables_dir`` lack of ``contract``: one line per table that was not
    written, holds no row, or misses a required column."""
    problems = []
    for name, required in contract.items():
        path = Path(tables_dir) / f"{name}.csv"
        if not path.exists():
            problems.append(f"{TABLES}/{name}.csv was not written by any notebook")
            continue
        try:
            frame = pd.read_csv(path)
        except pd.errors.EmptyDataError:
            problems.append(f"{TABLES}/{name}.csv is empty (no header, no rows)")
            continue
        missing = [c for c in required if c not in frame.columns]
        if missing:
            problems.append(f"{TABLES}/{name}.csv misses contract columns: {', '.join(missing)}")
        if frame.empty:
            problems.append(f"{TABLES}/{name}.csv is empty (a header, no rows)")
    return problems
