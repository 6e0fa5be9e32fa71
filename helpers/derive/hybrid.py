"""The hybrid set-up (the article's "The Hybrid Approach: Best of Both Worlds"), priced once for
the article's hybrid table and the what-if panel.

``hybrid_api_share`` of the hybrid's monthly volume goes to ``hybrid_api_model``; the rest, the
"simple tasks", runs elsewhere:

    volume           = hybrid_monthly_tokens
    api part         = api_share * volume / 1e6 * blended(hybrid_api_model)
    simple tasks     = (1 - api_share) * volume, on
      the deployment : the scenario's own self-hosting as derive prices it at that volume:
                       mean replicas * one deployment's GPU bill (the headline, :func:`hybrid`)
      a rented GPU   : one unit of a hybrid_rented_gpus row, all month, the scenario's hours and spot
      bought         : usd_price / hybrid_amortization_months + electricity (hidden_costs.csv low, high)
      a cheap API    : simple volume / 1e6 * blended(hybrid_simple_api_model)
    total            = api part + simple tasks' bill
    with hidden      = total + DevOps + infrastructure (self-hosted options only)

Which pricing is the answer. The volume is the scenario's ``hybrid_monthly_tokens``: the
what-if panel sets it to the volume on its slider, so the panel and a report run of a saved
what-if split the same volume (the article's example: 10% of 100M to GPT-5, $56.25). The
headline self-hosted bill is the scenario's deployment *with* hidden costs and the replicas the
simple volume needs, because that is the only self-hosted price with a throughput behind it
(a small GPU's bill says nothing of how many tokens it serves) and the article's own "true
monthly cost" counts the people who keep a model running whatever it runs on. The small rented
GPUs and bought cards are the article's "GPU already running" reading: one unit at any volume,
shown beside the headline as alternatives, with and without hidden costs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers import data
from helpers.costs import hybrid as hybrid_formula, selfhost
from helpers.derive import Result, derive
from helpers.derive.prices import gpu_row_usd_per_month
from helpers.scenario import Scenario

# The options of :func:`hybrid_options`, in the table's order.
ALL_API = "all API"
ON_DEPLOYMENT = "hybrid, the scenario's deployment"
ON_RENTED_GPU = "hybrid, rented GPU 24/7"
ON_BOUGHT = "hybrid, bought, electricity {case}"
ON_CHEAP_API = "API only, simple tasks to a cheap API"
ON_GIVEN_BILL = "hybrid, simple tasks at a given bill"


@dataclass(frozen=True)
class HybridOption:
    """One way of serving the hybrid's volume: the API part and where the simple tasks run.

    ``memory_gb`` is the self-hosted hardware's memory (None for API-only options), and
    ``small_model_fits`` whether the small model's weights (hybrid_small_model_params_billion at
    hybrid_small_model_bits) fit in it."""

    option: str
    simple_tasks_on: str
    api_model: str
    api_tokens_per_month: float
    simple_tokens_per_month: float
    api_usd_per_month: float
    simple_tasks_usd_per_month: float
    hidden_usd_per_month: float  # DevOps + infrastructure; 0 where nothing is self-hosted
    all_api_usd_per_month: float  # the whole volume to the hybrid's API
    memory_gb: float | None = None
    small_model_fits: bool | None = None

    @property
    def total_usd_per_month(self) -> float:
        """API part + the simple tasks' bill."""
        return self.api_usd_per_month + self.simple_tasks_usd_per_month

    @property
    def total_with_hidden_usd_per_month(self) -> float:
        """Total + DevOps and infrastructure (self-hosted options)."""
        return self.total_usd_per_month + self.hidden_usd_per_month

    @property
    def share_of_all_api(self) -> float:
        """total / all-API bill (nan when the all-API bill is 0)."""
        return self.total_usd_per_month / self.all_api_usd_per_month if self.all_api_usd_per_month else float("nan")

    @property
    def share_with_hidden_of_all_api(self) -> float:
        """total with hidden costs / all-API bill."""
        return (self.total_with_hidden_usd_per_month / self.all_api_usd_per_month
                if self.all_api_usd_per_month else float("nan"))


def hybrid_volumes(s: Scenario) -> list[float]:
    """The volumes the hybrid is priced at: [hybrid_monthly_tokens, its API part, its simple tasks]."""
    api_tokens = s.hybrid_api_share * s.hybrid_monthly_tokens
    return [s.hybrid_monthly_tokens, api_tokens, s.hybrid_monthly_tokens - api_tokens]


def priced_for_hybrid(s: Scenario, api_models=(), data_dir: Path | None = None) -> Result:
    """One derive call that prices every part of the hybrid: at :func:`hybrid_volumes` (the
    hybrid's whole volume first, so the Result's figures at index 0 are the scenario's own when
    hybrid_monthly_tokens is its volume), for ``api_models`` and the hybrid's API."""
    models = list(dict.fromkeys([*api_models, s.hybrid_api_model]))
    return derive(s, tokens_per_month=hybrid_volumes(s), data_dir=data_dir, api_models=models)


def _check_priced(at: Result) -> None:
    s = at.scenario
    if list(at.tokens_per_month[:3]) != hybrid_volumes(s) or s.hybrid_api_model not in at.prices:
        raise ValueError("the hybrid reads a Result of priced_for_hybrid(scenario): priced at the hybrid's "
                         f"volumes {hybrid_volumes(s)} for {s.hybrid_api_model}")


def _fits(s: Scenario, memory_gb: float) -> bool:
    return selfhost.fits(s.hybrid_small_model_params_billion, s.hybrid_small_model_bits, memory_gb)


def _option(at: Result, option: str, simple_tasks_on: str, simple_usd: float, memory_gb: float | None,
            api_share: float | None = None) -> HybridOption:
    s = at.scenario
    share = s.hybrid_api_share if api_share is None else api_share
    blended = float(at.blended_usd_per_1m[s.hybrid_api_model])
    parts = hybrid_formula.hybrid_usd_per_month(s.hybrid_monthly_tokens, share, blended, simple_usd)
    return HybridOption(
        option=option, simple_tasks_on=simple_tasks_on, api_model=s.hybrid_api_model,
        api_tokens_per_month=parts["api_tokens_per_month"], simple_tokens_per_month=parts["selfhost_tokens_per_month"],
        api_usd_per_month=float(parts["api_usd_per_month"]), simple_tasks_usd_per_month=float(simple_usd),
        hidden_usd_per_month=float(at.hidden_usd_per_month) if memory_gb is not None else 0.0,
        all_api_usd_per_month=at.at("api_usd_per_month", s.hybrid_api_model, index=0),
        memory_gb=memory_gb, small_model_fits=None if memory_gb is None else _fits(s, memory_gb))


def hybrid(at: Result, data_dir: Path | None = None) -> HybridOption:
    """The scenario's hybrid, read from ``at = priced_for_hybrid(scenario)``: the simple tasks on
    the scenario's own deployment, the replicas their volume needs, with hidden costs in
    ``total_with_hidden_usd_per_month``; see the module docstring for why this is the answer."""
    _check_priced(at)
    return _on_deployment(at, data_dir)


def with_simple_tasks_bill(s: Scenario, simple_usd_per_month: float, data_dir: Path | None = None) -> HybridOption:
    """The hybrid of ``s`` with its simple tasks at a given monthly bill (a small GPU's, or 0
    for the article's "GPU already running"): the API part priced as every option's is. The
    article's example: 10% of 100M tokens to GPT-5 = $56.25 plus that bill."""
    return _option(priced_for_hybrid(s, data_dir=data_dir), ON_GIVEN_BILL, "a given monthly bill",
                   float(simple_usd_per_month), None)


def _on_deployment(at: Result, data_dir: Path | None) -> HybridOption:
    s = at.scenario
    memory = float(data.lookup("gpu_cloud", "gpu", s.gpu, data_dir)["vram_gb"]) * s.gpu_count
    return _option(at, ON_DEPLOYMENT, f"{s.gpu_count}x {s.gpu}", at.at("gpu_usd_per_month", index=2), memory)


def hybrid_options(r: Result, data_dir: Path | None = None) -> list[HybridOption]:
    """Every option of the article's hybrid table for ``r``'s scenario, in order: all API; the
    scenario's deployment (:func:`hybrid`, the answer); each of hybrid_rented_gpus; each of
    hybrid_bought_hardware at the low and the high electricity bill; the simple tasks to
    hybrid_simple_api_model."""
    s = r.scenario
    at = priced_for_hybrid(s, api_models=[s.hybrid_simple_api_model], data_dir=data_dir)
    options = [_option(at, ALL_API, s.hybrid_api_model, 0.0, None, api_share=1.0), _on_deployment(at, data_dir)]
    for gpu in s.hybrid_rented_gpus:
        row = data.lookup("gpu_cloud", "gpu", gpu, data_dir)
        options.append(_option(at, ON_RENTED_GPU, gpu, gpu_row_usd_per_month(s, gpu, data_dir=data_dir),
                               float(row["vram_gb"])))
    for name in s.hybrid_bought_hardware:
        row = data.lookup("consumer_hardware", "hardware", name, data_dir)
        for case in ("low", "high"):
            electricity = data.hidden_cost("electricity_usd_per_month", case, data_dir)
            bill = selfhost.amortized_usd_per_month(float(row["usd_price"]), s.hybrid_amortization_months, electricity)
            options.append(_option(at, ON_BOUGHT.format(case=case), name, bill, float(row["memory_gb"])))
    cheap = at.at("api_usd_per_month", s.hybrid_simple_api_model, index=2)
    options.append(_option(at, ON_CHEAP_API, s.hybrid_simple_api_model, cheap, None))
    return options
