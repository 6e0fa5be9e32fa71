"""Figures the claims audit checks that a :class:`~helpers.derive.Result` does not hold: the
memory a model's weights take in a quantisation format, the hybrid example's bill and where
it stops paying, the DevOps bill alone and the true-cost multiplier. Each takes its prices
from :func:`helpers.derive.derive` and applies one formula of ``helpers/costs``, so the audit
(``helpers/article/claims``) computes nothing itself."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from helpers import capacity
from helpers.costs import breakeven, tco
from helpers.derive import Result, derive, hidden_inputs
from helpers.derive import hardware, hybrid as hybrid_derivation
from helpers.scenario import Scenario

# The winner's name when the two bills are within the tie band (see helpers.derive.compare).
BREAKEVEN = breakeven.BREAKEVEN


@dataclass(frozen=True)
class Weights:
    """A model's weights stored in one quantisation format (``data/quantisation_formats.csv``)."""

    params_billion: float
    format: str
    label: str
    nominal_bits: float
    bits_per_weight: float  # scales and zero points included

    @property
    def gb(self) -> float:
        """params_billion x bits_per_weight / 8 (:func:`helpers.derive.hardware.weights_vram_gb`):
        13B at GGUF Q4_K_M = 13 x 4.8944 / 8 = 7.95 GB."""
        return hardware.weights_vram_gb(self.params_billion, self.bits_per_weight)

    def fits(self, memory_gb: float) -> bool:
        """Whether the weights fit in ``memory_gb`` (:func:`helpers.derive.hardware.weights_fit`)."""
        return hardware.weights_fit(self.params_billion, self.bits_per_weight, memory_gb)


def weights(params_billion: float, quantisation_format: str, data_dir: Path | None = None) -> Weights:
    """:class:`Weights` of a ``params_billion`` model in ``quantisation_format``, a row of
    ``data/quantisation_formats.csv`` (KeyError naming the file and the known formats if none)."""
    row = capacity.quantisation_format(quantisation_format, data_dir)
    return Weights(float(params_billion), quantisation_format, str(row["label"]), float(row["nominal_bits"]),
                   float(row["bits_per_weight"]))


def hybrid_usd_per_month(scenario: Scenario, monthly_tokens: float, api_share: float, api_model: str,
                         gpu_usd_per_month: float, data_dir: Path | None = None) -> dict[str, float]:
    """The hybrid's bill as :func:`helpers.derive.hybrid.with_simple_tasks_bill` prices it:
    ``api_share`` of ``monthly_tokens`` to ``api_model`` under the scenario, plus the small
    model's GPU bill ``gpu_usd_per_month`` (0 when it is already running). The article's
    example: 10% of 100M to GPT-5 = $56.25, plus the GPU."""
    at = dataclasses.replace(scenario, hybrid_monthly_tokens=float(monthly_tokens), hybrid_api_share=float(api_share),
                             hybrid_api_model=api_model)
    option = hybrid_derivation.with_simple_tasks_bill(at, gpu_usd_per_month, data_dir)
    return {"api_tokens_per_month": option.api_tokens_per_month,
            "selfhost_tokens_per_month": option.simple_tokens_per_month,
            "api_usd_per_month": option.api_usd_per_month,
            "selfhost_usd_per_month": option.simple_tasks_usd_per_month,
            "total_usd_per_month": option.total_usd_per_month}


def hybrid_crossing_tokens_per_month(scenario: Scenario, cheap_api_model: str, api_model: str, api_share: float,
                                     gpu_usd_per_month: float, data_dir: Path | None = None) -> float:
    """The monthly volume above which the hybrid (its GPU plus ``api_share`` of the tokens to
    ``api_model``) costs less than ``cheap_api_model`` for everything:

        cheap x V = gpu + api_share x flagship x V
        V         = gpu / (cheap - api_share x flagship) x 1e6   (a breakeven at that saving)

    inf when the hybrid saves nothing per token."""
    r = derive(scenario, data_dir=data_dir, api_models=[cheap_api_model, api_model])
    saving_per_1m = float(r.blended_usd_per_1m[cheap_api_model]) - api_share * float(r.blended_usd_per_1m[api_model])
    if saving_per_1m <= 0:
        return float("inf")
    return float(breakeven.breakeven_tokens_per_month(gpu_usd_per_month, saving_per_1m))


def devops_usd_per_month(scenario: Scenario, data_dir: Path | None = None) -> float:
    """The DevOps bill alone: hours x rate (:func:`helpers.costs.tco.devops_usd_per_month`),
    the scenario's or the article's point estimates; 20 h x $100/h = $2,000 in the article."""
    inputs = hidden_inputs(scenario, data_dir)
    return float(tco.devops_usd_per_month(inputs["devops_hours_per_month"], inputs["devops_usd_per_hour"]))


def tco_multiplier(result: Result) -> float:
    """One deployment's true monthly cost over its GPU bill
    (:func:`helpers.costs.tco.tco_multiplier`): $3,240 / $1,440 = 2.25 in the article."""
    return float(tco.tco_multiplier(float(result.replica_tco_usd_per_month), float(result.replica_usd_per_month)))
