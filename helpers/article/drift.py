"""What changed since the article: each of its API models at the article's price (February 2026,
``data/api_prices.csv``) and at today's (``data/api_prices_current.csv``, from the price database
by ``make prices``), and what that does to the breakeven against the scenario's self-hosting.

Both sides come from the one derivation (:func:`helpers.derive.derive`), under the same scenario
(its input share and its cache and batch shares apply to both), differing only in
``price_source``:

    blended_change = current_blended_usd_per_1m / article_blended_usd_per_1m - 1
    breakeven      = replica GPU bill / blended * 1e6            (raw, the article's formula)
    tco_breakeven  = (replica GPU bill + hidden costs) / blended * 1e6
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import data
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.text import tokens_text


def _flat(value) -> float:
    return float(np.asarray(value).ravel()[0])


def price_drift(scenario: Scenario | None = None, data_dir: Path | None = None) -> pd.DataFrame:
    """One row per model of ``api_prices.csv``: its prices, blended price and breakevens (raw
    and with hidden costs) at the article's prices and at today's, the blended change, and where
    today's price comes from (``price_db_key``, ``priced_at``). Largest move first."""
    scenario = scenario or Scenario()
    models = tuple(data.load("api_prices", data_dir)["model"])
    # the scenario's own price override concerns its headline API, not this comparison
    base = dataclasses.replace(scenario, api_models=models, usd_per_1m_input=None, usd_per_1m_output=None)
    sides = {source: derive(dataclasses.replace(base, price_source=source), data_dir=data_dir)
             for source in ("article", "current")}
    current = data.load("api_prices_current", data_dir).set_index("model")
    rows = []
    for model in models:
        row = {"model": model}
        for source, result in sides.items():
            usd_in, usd_out = result.prices[model]
            row[f"{source}_usd_per_1m_input"] = usd_in
            row[f"{source}_usd_per_1m_output"] = usd_out
            row[f"{source}_blended_usd_per_1m"] = _flat(result.blended_usd_per_1m[model])
        row["blended_change"] = row["current_blended_usd_per_1m"] / row["article_blended_usd_per_1m"] - 1
        for source, result in sides.items():
            row[f"{source}_breakeven_tokens_per_month"] = _flat(result.breakeven_tokens_per_month[model])
            row[f"{source}_tco_breakeven_tokens_per_month"] = _flat(result.tco_breakeven_tokens_per_month[model])
        row["current_usd_per_1m_cached_input"] = current.loc[model, "usd_per_1m_cached_input"]
        row["price_db_key"] = current.loc[model, "price_db_key"]
        row["priced_at"] = current.loc[model, "priced_at"]
        rows.append(row)
    frame = pd.DataFrame(rows)
    order = frame["blended_change"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _percent(change: float) -> str:
    return f"{change:+.0%}"


def moved_most_sentence(drift: pd.DataFrame, count: int = 3) -> str:
    """One line for the report's index: the models whose blended price moved most since the
    article, with the size and direction of each move and when today's prices were read.

    Works on :func:`price_drift` or on ``tables/price_drift.csv`` read back."""
    moved = drift[drift["blended_change"].abs() > 0]
    if moved.empty:
        return "No API price of the article's models has moved since the article."
    moved = moved.reindex(moved["blended_change"].abs().sort_values(ascending=False, kind="stable").index)
    first, rest = moved.iloc[0], moved.iloc[1:count]
    text = (f"Since the article, {first['model']} moved most: blended {_percent(first['blended_change'])} "
            f"(${first['article_blended_usd_per_1m']:#.3g} to ${first['current_blended_usd_per_1m']:#.3g} "
            f"per 1M tokens)")
    if not rest.empty:
        text += ", then " + " and ".join(f"{r['model']} {_percent(r['blended_change'])}" for _, r in rest.iterrows())
    unchanged = int((drift["blended_change"] == 0).sum())
    text += f"; {unchanged} of {len(drift)} unchanged"
    if "priced_at" in drift.columns:
        text += f" (prices of {drift['priced_at'].iloc[0]})"
    return text + "."


def breakeven_move_sentence(drift: pd.DataFrame, replica_tokens_per_month: float) -> str:
    """What the largest price move does to the breakeven (raw and with hidden costs), beside
    what one deployment can serve a month."""
    top = drift.reindex(drift["blended_change"].abs().sort_values(ascending=False, kind="stable").index).iloc[0]
    return (f"Against {top['model']} the breakeven moves from "
            f"{tokens_text(top['article_breakeven_tokens_per_month'])} to "
            f"**{tokens_text(top['current_breakeven_tokens_per_month'])}** tokens a month on the "
            f"GPU bill alone, and from {tokens_text(top['article_tco_breakeven_tokens_per_month'])} "
            f"to {tokens_text(top['current_tco_breakeven_tokens_per_month'])} with hidden costs; one "
            f"deployment serves {tokens_text(replica_tokens_per_month)} tokens a month.")
