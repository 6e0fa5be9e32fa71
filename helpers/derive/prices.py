"""What each API charges under a scenario: list prices from the scenario's price source, the
prompt-cache rate and the provider's batch discount, blended as :func:`helpers.derive.derive`
prices them; and the API models a scenario may name."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from helpers import data
from helpers.costs import api, selfhost
from helpers.scenario import Scenario

PRICE_TABLES = {"article": "api_prices", "current": "api_prices_current"}


@dataclass(frozen=True)
class PriceTerms:
    """What one API charges under the scenario: list prices, the prompt-cache rate (None where
    the model or the price source has none) and the provider's batch discount."""

    usd_per_1m_input: float
    usd_per_1m_output: float
    usd_per_1m_cached_input: float | None
    provider: str | None
    batch_discount_share: float

    def paid_usd_per_1m(self, scenario: Scenario, input_share=None):
        """Blended price paid per 1M tokens (:func:`helpers.costs.api.blended_usd_per_1m_paid`):
        the article's 50/50 average when cached_input_share and batch_share are 0."""
        return api.blended_usd_per_1m_paid(
            self.usd_per_1m_input, self.usd_per_1m_output,
            scenario.input_share if input_share is None else input_share,
            usd_per_1m_cached_input=self.usd_per_1m_cached_input,
            cached_input_share=scenario.cached_input_share,
            batch_share=scenario.batch_share, batch_discount_share=self.batch_discount_share)


def price_terms(scenario: Scenario, models=None, data_dir: Path | None = None) -> dict[str, PriceTerms]:
    """:class:`PriceTerms` of each API from the scenario's price source: the article's table
    (``api_prices.csv``: no cached rates) or today's (``api_prices_current.csv``, written by
    ``make prices``), with the scenario's price override applied to the headline API (the first
    of api_models). The batch discount is the provider's row of ``batch_discounts.csv`` (the
    article's names reach their provider through ``price_db_map.csv``); a provider without a
    row there gets none."""
    table = PRICE_TABLES[scenario.price_source]
    current = scenario.price_source == "current"
    needs_batch = np.any(np.asarray(scenario.batch_share) > 0)
    out = {}
    for model in models or scenario.api_models:
        row = data.lookup(table, "model", model, data_dir)
        usd_in, usd_out = float(row["usd_per_1m_input"]), float(row["usd_per_1m_output"])
        if model == scenario.api_model:
            usd_in = usd_in if scenario.usd_per_1m_input is None else float(scenario.usd_per_1m_input)
            usd_out = usd_out if scenario.usd_per_1m_output is None else float(scenario.usd_per_1m_output)
        cached = row["usd_per_1m_cached_input"] if current else None
        cached = None if cached is None or cached != cached else float(cached)
        provider = row["provider"] if current else None
        discount = 0.0
        if needs_batch:
            provider = provider if current else _row_or_none("price_db_map", "model", model, data_dir, "provider_id")
            discount = _row_or_none("batch_discounts", "provider", provider, data_dir, "batch_discount_share")
            discount = 0.0 if discount is None else float(discount)
        out[model] = PriceTerms(usd_in, usd_out, cached, provider, discount)
    return out


def _row_or_none(table: str, column: str, value, data_dir: Path | None, wanted: str):
    """One cell of the row of ``table`` whose ``column`` is ``value``; None without such a row."""
    try:
        return data.lookup(table, column, value, data_dir)[wanted]
    except KeyError:
        return None


def api_model_choices(price_source: str = "article", query: str = "", limit: int | None = None,
                      data_dir: Path | None = None) -> list[str]:
    """The API models a scenario may name under ``price_source`` (the article's ten, or every
    model of today's table), those whose name, display name or provider contain every word of
    ``query`` (case-insensitive), in table order: the article's models first. For a searchable
    picker: ``api_model_choices("current", "llama 70b groq")``."""
    table = data.load(PRICE_TABLES[price_source], data_dir)
    text = table["model"].str.lower() + " " + table["provider"].str.lower()
    if "name" in table.columns:
        text = text + " " + table["name"].str.lower()
    keep = np.ones(len(table), dtype=bool)
    for word in query.lower().split():
        keep &= text.str.contains(word, regex=False).to_numpy()
    names = table["model"][keep].tolist()
    return names if limit is None else names[:limit]


def gpu_row_usd_per_month(scenario: Scenario, gpu: str, gpu_count: int = 1,
                      data_dir: Path | None = None) -> float:
    """Monthly bill of ``gpu_count`` rented units of a ``gpu_cloud.csv`` row at the scenario's
    hours and spot discount (any row, e.g. for the Cloud GPU table or the hybrid's small GPU)."""
    row = data.lookup("gpu_cloud", "gpu", gpu, data_dir)
    return float(selfhost.gpu_usd_per_month(float(row["usd_per_hour"]), scenario.hours_per_month,
                                            gpu_count, scenario.spot_discount))


def blended_price_of(scenario: Scenario, model: str, data_dir: Path | None = None) -> float:
    """Blended price paid for one API under the scenario (price source, cache and batch shares)."""
    return float(price_terms(scenario, [model], data_dir)[model].paid_usd_per_1m(scenario))
