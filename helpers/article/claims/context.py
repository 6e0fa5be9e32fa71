"""The figures the checks compare with the article, all read from :func:`helpers.derive.derive`:
the article's scenario derived once for every API of ``data/api_prices.csv``, and the same
scenario at another volume, GPU row or hidden-cost end where a claim is about one."""
from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Callable

import pandas as pd

from helpers import data
from helpers.article.claims.table import Claim
from helpers.derive import HIDDEN_COST_INPUTS, Result, derive
from helpers.derive import claims_figures as figures
from helpers.scenario import Scenario

ARTICLE_SETUP = "article_a100_llama70b"
HIDDEN_COST_CASES = ("low", "point", "high")


class Context:
    """The article's scenario (its breakeven set-up) derived once, with every API priced: the
    set-up's GPU bill and capacity, the true monthly cost at the hidden-cost point estimates
    (and at the low and high ends), and cached look-ups."""

    def __init__(self, data_dir: Path | None = None, setup_name: str = ARTICLE_SETUP):
        self.data_dir = data_dir
        self.scenario = Scenario(setup=setup_name)
        self._cache: dict = {}
        models = list(self.prices()["model"])
        self.result: Result = derive(self.scenario, data_dir=data_dir, api_models=models)
        r = self.result
        self.setup = {"gpu": r.setup_gpu, "model": r.model, "tokens_per_s": float(r.tokens_per_s)}
        self.usd_per_hour = float(r.usd_per_hour)
        self.days_per_month = float(self.scenario.days_per_month)
        self.hours_per_month = float(self.scenario.hours_per_month)
        self.gpu_usd_per_month = float(r.replica_usd_per_month)
        self.capacity = float(r.replica_tokens_per_month)
        self.tco_usd_per_month = float(r.replica_tco_usd_per_month)
        self.hidden = {case: {name: data.hidden_cost(name, case, data_dir) for name in HIDDEN_COST_INPUTS}
                       for case in HIDDEN_COST_CASES}

    def cached(self, key, build: Callable):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def prices(self) -> pd.DataFrame:
        return self.cached("prices", lambda: data.load("api_prices", self.data_dir))

    def models(self, claim: Claim) -> list[str]:
        """The API models a claim names: ``api_model``, ``api_models`` or every model of ``tier``."""
        if "tier" in claim.given:
            prices = self.prices()
            models = prices.loc[prices["tier"] == claim.text("tier"), "model"].tolist()
            if not models:
                raise ValueError(f"data/claims.csv, line {claim.line}, column given: no API model "
                                 f"of tier {claim.text('tier')!r} in data/api_prices.csv")
            return models
        if "api_models" in claim.given:
            return claim.names("api_models")
        return [claim.text("api_model")]

    # ------------------------------------------------------------------ the scenario's figures

    def blended(self, model: str) -> float:
        """Blended price of ``model`` per 1M tokens."""
        return float(self.result.blended_usd_per_1m[model])

    def breakeven(self, model: str, basis: str = "gpu") -> float:
        """Flat breakeven against ``model`` (the article's formula): on one deployment's GPU bill
        (``basis="gpu"``) or its true monthly cost (``"tco"``)."""
        found = {"gpu": self.result.breakeven_tokens_per_month,
                 "tco": self.result.tco_breakeven_tokens_per_month}[basis]
        return float(found[model])

    def per_day(self, monthly_tokens: float) -> float:
        """A monthly volume per day: tokens_per_month / the scenario's days per month (30)."""
        return monthly_tokens / self.days_per_month

    # ------------------------------------------------------------------ the scenario at other inputs

    def at_volume(self, monthly_tokens: float) -> Result:
        """The scenario at ``monthly_tokens``, every API priced."""
        return self.cached(("volume", monthly_tokens), lambda: derive(
            self.scenario, tokens_per_month=monthly_tokens, data_dir=self.data_dir,
            api_models=list(self.result.api_models)))

    def api_usd(self, monthly_tokens: float, model: str) -> float:
        """``model``'s bill at ``monthly_tokens``."""
        return self.at_volume(monthly_tokens).at("api_usd_per_month", model)

    def at_daily(self, tokens_per_day: float) -> Result:
        """The scenario at ``tokens_per_day`` (its days per month), every API priced."""
        at = dataclasses.replace(self.scenario, tokens_per_day=tokens_per_day)
        return self.cached(("daily", tokens_per_day), lambda: derive(
            at, data_dir=self.data_dir, api_models=list(self.result.api_models)))

    def selfhost_usd(self, monthly_tokens: float) -> tuple[float, int]:
        """True monthly cost of serving ``monthly_tokens``, renting as many units as needed
        (DevOps and infrastructure held at one deployment's cost), and the unit count."""
        at = self.at_volume(monthly_tokens)
        return at.at("tco_usd_per_month"), int(at.at("replicas"))

    def first_selfhost_win(self, model: str) -> tuple[float, int]:
        """Lowest monthly volume from which self-hosting (true cost, stepwise in rented units)
        costs less than ``model`` (derive's stepped breakeven with hidden costs), and the units
        it takes; ``(inf, 0)`` if never."""
        volume = float(self.result.stepped_tco_breakeven_tokens_per_month[model])
        if math.isinf(volume):
            return math.inf, 0
        return volume, self.selfhost_usd(volume)[1]

    def with_hidden(self, case: str = "point", gpu: str | None = None) -> Result:
        """One deployment (of ``gpu``, a gpu_cloud.csv row; default the set-up's) with the
        ``case`` hidden-cost inputs."""
        at = dataclasses.replace(self.scenario, gpu=gpu or self.scenario.gpu, **self.hidden[case])
        return self.cached(("hidden", case, at.gpu), lambda: derive(at, data_dir=self.data_dir))

    def tco(self, case: str = "point", gpu: str | None = None) -> float:
        """True monthly cost of one deployment with the ``case`` hidden-cost inputs."""
        return float(self.with_hidden(case, gpu).replica_tco_usd_per_month)

    def tco_multiplier(self, case: str = "point", gpu: str | None = None) -> float:
        """True monthly cost over the GPU bill, with the ``case`` hidden-cost inputs."""
        return figures.tco_multiplier(self.with_hidden(case, gpu))

    def devops_usd(self, case: str = "point") -> float:
        """The DevOps bill alone with the ``case`` hidden-cost inputs."""
        return figures.devops_usd_per_month(self.with_hidden(case).scenario, self.data_dir)

    def gpu_bill(self, gpu: str, spot_discount: float = 0.0) -> float:
        """One deployment of a gpu_cloud.csv row a month (the article's 720 hours), at
        ``spot_discount``: derive's replica bill with that row rented."""
        at = dataclasses.replace(self.scenario, gpu=gpu, spot_discount=spot_discount)
        return self.cached(("gpu", gpu, spot_discount),
                           lambda: float(derive(at, data_dir=self.data_dir).replica_usd_per_month))

    def hybrid(self, monthly_tokens: float, api_share: float, model: str, gpu_usd: float) -> dict[str, float]:
        """The hybrid's bill: ``api_share`` of the volume to ``model`` plus the small GPU's."""
        return figures.hybrid_usd_per_month(self.scenario, monthly_tokens, api_share, model, gpu_usd, self.data_dir)

    def hybrid_crossing(self, cheap_model: str, model: str, api_share: float, gpu_usd: float) -> float:
        """Monthly volume above which the hybrid costs less than ``cheap_model`` for everything."""
        return figures.hybrid_crossing_tokens_per_month(self.scenario, cheap_model, model, api_share, gpu_usd,
                                                        self.data_dir)

    def cheapest_gpu_for(self, params_billion: float, quantisation_format: str = "fp16") -> pd.Series:
        """Cheapest on-demand row of ``gpu_cloud.csv`` whose VRAM holds the weights."""
        stored = figures.weights(params_billion, quantisation_format, self.data_dir)
        gpus = data.load("gpu_cloud", self.data_dir)
        gpus = gpus[(gpus["pricing"] == "on_demand") & gpus["vram_gb"].map(stored.fits)]
        if gpus.empty:
            raise ValueError(f"no GPU in data/gpu_cloud.csv holds {params_billion:g}B in {stored.label}")
        return gpus.sort_values("usd_per_hour").iloc[0]

    def weights(self, params_billion: float, quantisation_format: str) -> figures.Weights:
        """A model's weights in a quantisation format (``data/quantisation_formats.csv``)."""
        return figures.weights(params_billion, quantisation_format, self.data_dir)
