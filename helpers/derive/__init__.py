"""The one wiring point: a :class:`~helpers.scenario.Scenario` and the tables of ``data/`` in,
every cost, capacity, breakeven and winner out (:class:`Result`).

Every notebook, report table, claim check and the what-if panel read their figures from
:func:`derive`; nothing else computes a cost. The formulas themselves live in
``helpers/costs`` (pure functions on numbers) and ``helpers/capacity`` (throughput); this
module only picks the inputs out of the scenario and the data and applies them:

    replica (one deployment) = gpu_count rented units of the scenario's gpu row
    replica_usd_per_month    = usd_per_hour * hours_per_month * gpu_count * (1 - spot_discount)
                               (acquisition 'buy': the owned hardware's month, .ownership)
    replica_tokens_per_month = tokens_per_s * 3600 * hours_per_month * gpu_count
    replicas                 = max(1, ceil(tokens_per_month / replica_tokens_per_month)) with flat
                               traffic; with a load profile the peak hour's replicas (+ spares)
    mean_replicas            = replicas billed on average over the month (scheduled scaling
                               follows the hours; always on, the peak's all month)
    gpu_usd_per_month        = mean_replicas * replica_usd_per_month
    tco_usd_per_month        = gpu_usd_per_month + DevOps hours * rate + infrastructure
    blended_usd_per_1m[api]  = (1 - batch_share * provider's batch discount)
                               * [input_share * ((1 - cached_input_share) * input
                                                 + cached_input_share * cached input)
                                  + (1 - input_share) * output]   (article: both shares 0)
    api_usd_per_month[api]   = tokens_per_month / 1e6 * blended_usd_per_1m[api]
    breakeven (flat)         = replica bill / blended * 1e6          (the article's formula)
    breakeven (stepped)      = first volume where the API reaches the bill with replicas
    contract_price_ratio     = cumulative_api_factor(horizon_months, api_price_change_per_year)
                               / horizon_months: the contract's average API price over today's
                               (1 with the article's flat prices)
    contract breakeven       = the stepped breakeven with hidden costs at the contract's average
                               API price (blended * contract_price_ratio): what the Monte Carlo,
                               the tornado and the commitments read

As in the article, DevOps and infrastructure are per month whatever the number of replicas.
The article's own tables price one deployment at every volume (the *flat* figures); the
scenario's answer (``winner``, ``cost_ratio``, what_if.csv) counts the replicas the volume
needs.

Vectorised: ``tokens_per_month`` may hold any number of volumes (one call prices 10,000
volumes for every API), and ``draws`` gives arrays of draws for numeric inputs, in which case
every quantity gains a leading draw axis (shape ``(draws, volumes)``): the Monte Carlo is this
same model.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from helpers import data
from helpers.costs import api, breakeven, decision, horizon, selfhost, tco
from helpers.derive import ownership
from helpers.derive.inputs import HIDDEN_COST_INPUTS, Throughput, hidden_inputs, throughput
from helpers.derive.prices import (PRICE_TABLES, PriceTerms, api_model_choices, blended_price_of,
                                   gpu_row_usd_per_month, price_terms)
from helpers.scenario import Scenario

# Numeric inputs a draw may replace (each an array with one value per draw).
DRAWABLE = ("tokens_per_s", "spot_discount", "hours_per_month", *HIDDEN_COST_INPUTS,
            "input_share", "usd_per_hour", "api_price_change_per_year", *ownership.OWNERSHIP_DRAWABLE)
# "Breakeven" when the two bills are within 1% of each other, as the article's DeepSeek table
# puts 2.1B tokens ($1,438.50) level with $1,440.
TIE_TOLERANCE = 0.01

# Re-exported: the inputs and prices derive reads live in .inputs and .prices.
__all__ = ["DRAWABLE", "HIDDEN_COST_INPUTS", "PRICE_TABLES", "TIE_TOLERANCE", "PriceTerms", "Result", "Throughput",
           "api_model_choices", "blended_price_of", "compare", "derive", "gpu_row_usd_per_month", "hidden_inputs",
           "price_terms", "throughput", "volume_per_month", "what_if_row"]


@dataclass(frozen=True)
class Result:
    """Everything :func:`derive` works out. Arrays run over ``tokens_per_month`` (and, with
    draws, over draws first); dicts are keyed by API model, in the scenario's order."""

    scenario: Scenario
    tokens_per_month: np.ndarray
    # the self-hosting side
    gpu: str
    gpu_model: str
    model: str
    setup_gpu: str
    gpu_matches_setup: bool
    usd_per_hour: float | np.ndarray  # one rented unit, before the spot discount
    tokens_per_s: float | np.ndarray  # one rented unit
    throughput_note: str
    replica_usd_per_month: float | np.ndarray
    replica_tokens_per_month: float | np.ndarray
    hidden_inputs: dict
    hidden_usd_per_month: float | np.ndarray
    replicas: np.ndarray  # the peak hour's
    gpu_usd_per_month: np.ndarray
    tco_usd_per_month: np.ndarray
    # the API side
    prices: dict  # api -> (usd_per_1m_input, usd_per_1m_output)
    blended_usd_per_1m: dict
    api_usd_per_month: dict
    # where they cross
    breakeven_tokens_per_month: dict
    tco_breakeven_tokens_per_month: dict
    stepped_breakeven_tokens_per_month: dict
    stepped_tco_breakeven_tokens_per_month: dict
    # the rest of the argument, at the scenario's own volume
    decision: decision.Decision = field(repr=False)
    mean_replicas: np.ndarray | None = None  # billed on average over the month's hours
    # over the scenario's contract (horizon_months) with API prices moving by the yearly change
    api_price_change_per_year: float | np.ndarray = 0.0  # (draws, 1) when drawn
    contract_price_ratio: float | np.ndarray = 1.0
    contract_stepped_tco_breakeven_tokens_per_month: dict = field(default_factory=dict)
    # the hourly load profile the replicas follow (None: flat traffic without spares)
    load_profile: object = field(default=None, repr=False)

    @cached_property
    def _comparison(self) -> dict:
        return {model: compare(usd, self.tco_usd_per_month) for model, usd in self.api_usd_per_month.items()}

    @property
    def winner(self) -> dict:
        """API -> who is cheaper at each volume: the API or self-hosting with hidden costs and
        the replicas the volume needs ("Breakeven" within 1%). Computed on first use."""
        return {model: pair[0] for model, pair in self._comparison.items()}

    @property
    def cost_ratio(self) -> dict:
        """API -> dearer / cheaper bill at each volume (>= 1)."""
        return {model: pair[1] for model, pair in self._comparison.items()}

    @property
    def replica_tco_usd_per_month(self):
        """One deployment with hidden costs: the article's "true monthly cost" ($3,240)."""
        return self.replica_usd_per_month + self.hidden_usd_per_month

    def contract_api_usd_per_month(self, api_model: str) -> np.ndarray:
        """The API's monthly bill averaged over the contract: api_usd_per_month * contract_price_ratio."""
        return self.api_usd_per_month[api_model] * self.contract_price_ratio

    def cumulative_tco_usd(self, months, index: int = 0) -> np.ndarray:
        """Self-hosting with hidden costs over the first ``months`` months (an array) at volume
        ``index``: tco_usd_per_month * months, one row per draw (shape (draws, len(months)))."""
        monthly = np.reshape(np.asarray(self.tco_usd_per_month, dtype=float)[..., index], (-1, 1))
        return horizon.cumulative_selfhost_usd(monthly, np.asarray(months, dtype=float))

    def cumulative_api_usd(self, api_model: str, months, index: int = 0) -> np.ndarray:
        """The API's bill over the first ``months`` months at volume ``index``, prices moving by
        the yearly change: today's bill * cumulative_api_factor(months, change), one row per
        draw (shape (draws, len(months)))."""
        today = np.reshape(np.asarray(self.api_usd_per_month[api_model], dtype=float)[..., index], (-1, 1))
        change = np.reshape(np.asarray(self.api_price_change_per_year, dtype=float), (-1, 1))
        return horizon.cumulative_api_usd(today, np.asarray(months, dtype=float), change)

    def stepped_tco_breakeven_at(self, usd_per_1m):
        """The volume a month above which self-hosting with hidden costs and the replicas each
        volume needs (this Result's traffic, scaling and spares) is cheaper than paying
        ``usd_per_1m`` per 1M tokens: the stepped breakeven with hidden costs at another price."""
        return _stepped(self.scenario, self.load_profile, usd_per_1m, self.replica_usd_per_month,
                        self.replica_tokens_per_month, self.hidden_usd_per_month)

    @property
    def api_models(self) -> tuple[str, ...]:
        """The APIs priced, the headline first."""
        return tuple(self.prices)

    @property
    def api_model(self) -> str:
        """The headline API."""
        return self.api_models[0]

    def at(self, name: str, api_model: str | None = None, index: int = 0) -> float:
        """One figure as a float: ``name`` at volume ``index`` (the scenario's own by
        default), for ``api_model`` when ``name`` is keyed by API."""
        value = getattr(self, name)
        if isinstance(value, dict):
            value = value[api_model or self.api_model]
        value = np.asarray(value)
        return float(value if value.ndim == 0 else value[..., index])


def _stepped(scenario: Scenario, profile, blended, replica_usd, replica_tokens, fixed):
    """The stepped breakeven with the scenario's traffic, scaling and spare replicas, elementwise
    over draws (:func:`helpers.capacity.traffic.stepped_breakeven_tokens_per_month`). Flat
    traffic without spares (``profile`` None) is the article's staircase, which that function
    reduces to: priced here without loading the capacity model."""
    if profile is None:
        return breakeven.stepped_breakeven_tokens_per_month(blended, replica_usd, replica_tokens, fixed)
    from helpers.capacity import traffic  # noqa: PLC0415 - only a shaped load needs the capacity model

    return traffic.stepped_breakeven_tokens_per_month(blended, replica_usd, replica_tokens, profile, scenario.scaling,
                                                      fixed, spare_replicas=scenario.spare_replicas)


def volume_per_month(scenario: Scenario, tokens_per_day):
    """Monthly volume of a daily one under the scenario: tokens_per_day * days_per_month
    (10M a day over the article's 30 days: 300M a month). Scalar or array as given."""
    volume = api.tokens_per_month(tokens_per_day, scenario.days_per_month)
    return float(volume) if np.ndim(volume) == 0 else np.asarray(volume, dtype=float)


def _drawn(draws: dict | None, name: str, value):
    """The scenario's value, or its draws as a column (draws, 1) to broadcast over volumes."""
    if draws is None or name not in draws:
        return value
    return np.asarray(draws[name], dtype=float)[:, None]


def derive(scenario: Scenario | None = None, tokens_per_month=None, data_dir: Path | None = None,
           draws: dict | None = None, api_models=None) -> Result:
    """Every figure of ``scenario`` (default: the article's) at ``tokens_per_month`` (default:
    the scenario's own volume, tokens_per_day * days_per_month); see the module docstring.

    ``api_models`` prices other models of the scenario's price table than its own (the headline
    API's price override still applies to it). ``draws`` maps inputs of :data:`DRAWABLE` to arrays (one value per draw); every quantity
    that depends on them gains a leading draw axis."""
    scenario = scenario or Scenario()
    if draws:
        unknown = sorted(set(draws) - set(DRAWABLE))
        if unknown:
            raise ValueError(f"draws: cannot draw {', '.join(unknown)}; drawable: {', '.join(DRAWABLE)}")
    if tokens_per_month is None:
        tokens_per_month = volume_per_month(scenario, scenario.tokens_per_day)
    volumes = np.atleast_1d(np.asarray(tokens_per_month, dtype=float))
    if volumes.ndim != 1 or np.any(volumes < 0) or not np.all(np.isfinite(volumes)):
        raise ValueError("tokens_per_month must be finite volumes of at least 0")

    setup = data.lookup("selfhost_setups", "setup", scenario.setup, data_dir)
    gpu_row = data.lookup("gpu_cloud", "gpu", scenario.gpu, data_dir)
    flow = throughput(scenario, data_dir)
    tokens_per_s = _drawn(draws, "tokens_per_s", flow.tokens_per_s)
    hours = _drawn(draws, "hours_per_month", scenario.hours_per_month)
    spot = _drawn(draws, "spot_discount", scenario.spot_discount)
    usd_per_hour = _drawn(draws, "usd_per_hour", float(gpu_row["usd_per_hour"]))
    input_share = _drawn(draws, "input_share", scenario.input_share)
    change = _drawn(draws, "api_price_change_per_year", scenario.api_price_change_per_year)
    ratio = horizon.cumulative_api_factor(scenario.horizon_months, change) / scenario.horizon_months
    ratio = float(ratio) if np.ndim(ratio) == 0 else ratio
    hidden = {name: _drawn(draws, name, value) for name, value in hidden_inputs(scenario, data_dir).items()}

    replica_usd = selfhost.gpu_usd_per_month(usd_per_hour, hours, scenario.gpu_count, spot)
    if scenario.acquisition != "rent":
        replica_usd = ownership.replica_usd_per_month(scenario, gpu_row, replica_usd, hours,
                                                      lambda name, value: _drawn(draws, name, value), data_dir)
    replica_tokens = selfhost.tokens_per_month_capacity(tokens_per_s, hours, scenario.gpu_count)
    hidden_usd = tco.devops_usd_per_month(hidden["devops_hours_per_month"], hidden["devops_usd_per_hour"]) \
        + hidden["infrastructure_usd_per_month"]
    if scenario.load_profile == "flat" and scenario.spare_replicas == 0:
        profile = None
        replicas = mean_replicas = selfhost.replicas_needed(volumes, replica_tokens)
    else:
        from helpers.capacity import traffic  # noqa: PLC0415 - only a shaped load needs the profiles

        profile = traffic.load_profile(scenario.load_profile, data_dir)
        replicas, mean_replicas = traffic.replicas_for_volumes(volumes, replica_tokens, profile, scenario.scaling,
                                                               spare_replicas=scenario.spare_replicas)
    gpu_usd = np.asarray(mean_replicas * replica_usd, dtype=float)
    tco_usd = gpu_usd + hidden_usd

    terms = price_terms(scenario, api_models, data_dir)
    prices = {model: (t.usd_per_1m_input, t.usd_per_1m_output) for model, t in terms.items()}
    blended, api_usd, flat, flat_tco, stepped, stepped_tco, contract = ({} for _ in range(7))
    for model, price in terms.items():
        blended[model] = price.paid_usd_per_1m(scenario, input_share)
        api_usd[model] = np.asarray(api.api_usd_per_month(volumes, blended[model]), dtype=float)
        flat[model] = breakeven.breakeven_tokens_per_month(replica_usd, blended[model])
        flat_tco[model] = breakeven.breakeven_tokens_per_month(replica_usd + hidden_usd, blended[model])
        stepped[model] = _stepped(scenario, profile, blended[model], replica_usd, replica_tokens, 0.0)
        stepped_tco[model] = _stepped(scenario, profile, blended[model], replica_usd, replica_tokens, hidden_usd)
        contract[model] = stepped_tco[model] if np.ndim(ratio) == 0 and ratio == 1.0 else _stepped(
            scenario, profile, blended[model] * ratio, replica_usd, replica_tokens, hidden_usd)

    return Result(
        scenario=scenario, tokens_per_month=volumes,
        gpu=scenario.gpu, gpu_model=str(gpu_row["gpu_model"]), model=str(setup["model"]),
        setup_gpu=str(setup["gpu"]), gpu_matches_setup=bool(setup["gpu"] == gpu_row["gpu_model"]),
        usd_per_hour=usd_per_hour, tokens_per_s=tokens_per_s, throughput_note=flow.note,
        replica_usd_per_month=replica_usd, replica_tokens_per_month=replica_tokens,
        hidden_inputs=hidden, hidden_usd_per_month=hidden_usd,
        replicas=np.asarray(replicas, dtype=float), gpu_usd_per_month=gpu_usd, tco_usd_per_month=tco_usd,
        prices=prices, blended_usd_per_1m=blended, api_usd_per_month=api_usd,
        breakeven_tokens_per_month=flat, tco_breakeven_tokens_per_month=flat_tco,
        stepped_breakeven_tokens_per_month=stepped, stepped_tco_breakeven_tokens_per_month=stepped_tco,
        decision=decision.decide(scenario.tokens_per_day, scenario.privacy_required,
                                 scenario.needs_flagship_quality, scenario.has_ml_expertise),
        mean_replicas=np.asarray(mean_replicas, dtype=float),
        api_price_change_per_year=change, contract_price_ratio=ratio,
        contract_stepped_tco_breakeven_tokens_per_month=contract, load_profile=profile,
    )


def compare(api_usd, selfhost_usd, tolerance: float = TIE_TOLERANCE):
    """Cheaper option and by how many times, elementwise (see
    :func:`helpers.costs.breakeven.winner`): ratio = dearer / cheaper; "Breakeven" within
    ``tolerance``."""
    api_usd = np.asarray(api_usd, dtype=float)
    selfhost_usd = np.asarray(selfhost_usd, dtype=float)
    cheaper, dearer = np.minimum(api_usd, selfhost_usd), np.maximum(api_usd, selfhost_usd)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(cheaper == 0, np.where(dearer == 0, 1.0, np.inf), dearer / cheaper)
    winner = np.where(ratio - 1.0 <= tolerance, breakeven.BREAKEVEN,
                      np.where(api_usd < selfhost_usd, breakeven.API, breakeven.SELF_HOST))
    return winner, ratio


def what_if_row(result: Result, api_model: str | None = None) -> dict:
    """The scenario's own answer, one row of ``tables/what_if.csv`` (its contract columns
    first): volume, replicas, the bills and the winner at the scenario's volume."""
    model = api_model or result.api_model
    return {
        "tokens_per_month": int(round(result.at("tokens_per_month"))),
        "replicas": int(result.at("replicas")) if np.isfinite(result.at("replicas")) else None,
        "selfhost_usd_per_month": result.at("gpu_usd_per_month"),
        "tco_usd_per_month": result.at("tco_usd_per_month"),
        "api_usd_per_month": result.at("api_usd_per_month", model),
        "winner": str(np.asarray(result.winner[model]).ravel()[0]),
        "api_model": model,
        "cost_ratio": result.at("cost_ratio", model),
        "tokens_per_day": int(round(result.scenario.tokens_per_day)),
        "gpu": result.gpu,
        "gpu_count": result.scenario.gpu_count,
        "spot_discount": result.scenario.spot_discount,
        "hours_per_month": result.scenario.hours_per_month,
        "tokens_per_s": result.at("tokens_per_s"),
        "replica_tokens_per_month": result.at("replica_tokens_per_month"),
        "hidden_usd_per_month": result.at("hidden_usd_per_month"),
        "breakeven_tokens_per_month": result.at("breakeven_tokens_per_month", model),
        "tco_breakeven_tokens_per_month": result.at("tco_breakeven_tokens_per_month", model),
        "stepped_tco_breakeven_tokens_per_month": result.at("stepped_tco_breakeven_tokens_per_month", model),
        "decision_step": result.decision.step,
        "recommendation": result.decision.recommendation,
    }

