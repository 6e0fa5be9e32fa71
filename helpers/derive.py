"""The one wiring point: a :class:`~helpers.scenario.Scenario` and the tables of ``data/`` in,
every cost, capacity, breakeven and winner out (:class:`Result`).

Every notebook, report table, claim check and the what-if panel read their figures from
:func:`derive`; nothing else computes a cost. The formulas themselves live in
``helpers/costs`` (pure functions on numbers) and ``helpers/capacity`` (throughput); this
module only picks the inputs out of the scenario and the data and applies them:

    replica (one deployment) = gpu_count rented units of the scenario's gpu row
    replica_usd_per_month    = usd_per_hour * hours_per_month * gpu_count * (1 - spot_discount)
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
from helpers.costs import api, breakeven, decision, selfhost, tco
from helpers.scenario import Scenario

HIDDEN_COST_INPUTS = ("devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month")
# Numeric inputs a draw may replace (each an array with one value per draw).
DRAWABLE = ("tokens_per_s", "spot_discount", "hours_per_month", *HIDDEN_COST_INPUTS,
            "input_share", "usd_per_hour")
# "Breakeven" when the two bills are within 1% of each other, as the article's DeepSeek table
# puts 2.1B tokens ($1,438.50) level with $1,440.
TIE_TOLERANCE = 0.01


@dataclass(frozen=True)
class Throughput:
    """Tokens/s of one rented unit and where the figure comes from."""

    tokens_per_s: float
    note: str
    batch: int | None = None  # the capacity model's batch, when it gave the figure


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


def hidden_inputs(scenario: Scenario, data_dir: Path | None = None) -> dict[str, float]:
    """DevOps hours, rate and infrastructure: the scenario's, or the article's point estimates
    (``data/hidden_costs.csv``, column ``point``) where it leaves them empty."""
    return {name: float(getattr(scenario, name)) if getattr(scenario, name) is not None
            else float(data.lookup("hidden_costs", "parameter", name, data_dir)["point"])
            for name in HIDDEN_COST_INPUTS}


def throughput(scenario: Scenario, data_dir: Path | None = None) -> Throughput:
    """Tokens/s of one rented unit of the scenario's GPU row, and where it comes from:

    - ``tokens_per_s`` set: that figure;
    - ``throughput_source == "article"``: the set-up's conservative figure
      (``selfhost_setups.csv``; 1,500 for the article's A100 + Llama 3.3 70B), quoted for the
      set-up's GPU whatever GPU is rented;
    - ``"model"``: input + output tokens/s of :func:`helpers.capacity.serving_capacity` for
      the set-up's model and bits on the rented unit, for requests of the scenario's
      ``prompt_tokens`` and ``output_tokens`` (empty: from the input share), its ``kv_bits`` and
      ``max_sequences``; with a latency target (``ttft_s``, ``tpot_s``) the busiest operating
      point that meets it (:func:`helpers.capacity.slo_operating_point`). 0 when the model
      does not fit. Latency targets apply to this source only.
    """
    setup = data.lookup("selfhost_setups", "setup", scenario.setup, data_dir)
    if scenario.tokens_per_s is not None:
        return Throughput(float(scenario.tokens_per_s), "set by hand" + _targets_ignored(scenario))
    if scenario.throughput_source == "article":
        gpu_model = data.lookup("gpu_cloud", "gpu", scenario.gpu, data_dir)["gpu_model"]
        note = f"the article's conservative figure for {setup['gpu']}"
        if gpu_model != setup["gpu"]:
            note += f", not measured on {scenario.gpu}: a rough guide"
        return Throughput(float(setup["tokens_per_s_conservative"]), note + _targets_ignored(scenario))
    from helpers import capacity  # noqa: PLC0415 - loads more tables; only this source needs it

    # By the row's GPU model and count, so a reserved row prices the same hardware.
    gpu_row = data.lookup("gpu_cloud", "gpu", scenario.gpu, data_dir)
    spec, count = capacity.gpu_spec(gpu_row["gpu_model"], data_dir), int(gpu_row["gpu_count"])
    model, bits = capacity.model_spec(setup["model"], data_dir), float(setup["bits_per_weight"])
    prompt_tokens = scenario.prompt_tokens
    output_tokens = scenario.output_tokens or capacity.output_tokens_for(prompt_tokens, scenario.input_share)
    options = {"kv_bits": scenario.kv_bits, "max_sequences": scenario.max_sequences, "data_dir": data_dir}
    if scenario.ttft_s is not None or scenario.tpot_s is not None:
        point = capacity.slo_operating_point(spec, model, prompt_tokens, output_tokens, bits, count,
                                             scenario.ttft_s, scenario.tpot_s, **options)
        targets = " and ".join(f"p99 {name} within {value:g} s" for name, value in
                               (("time to first token", scenario.ttft_s), ("time per output token", scenario.tpot_s))
                               if value is not None)
        if point["output_tokens_per_s"] == 0:
            return Throughput(0.0, f"the capacity model: {setup['model']} on {scenario.gpu} cannot keep {targets}", 0)
        return Throughput(point["total_tokens_per_s"], f"the capacity model for {setup['model']} on {scenario.gpu} "
                          f"with {targets}, {point['batch']:.0f} sequences running on average",
                          int(round(point["batch"])))
    served = capacity.serving_capacity(spec, model, bits, prompt_tokens, output_tokens,
                                       capacity.DEFAULT_MIN_SEQUENCE_TOKENS_PER_S, gpu_count=count, **options)
    if served["batch"] == 0:
        return Throughput(0.0, f"the capacity model: {setup['model']} does not fit one {scenario.gpu}", 0)
    return Throughput(float(served["total_tokens_per_s"]),
                      f"the capacity model for {setup['model']} on {scenario.gpu}, batch {served['batch']}",
                      int(served["batch"]))


def _targets_ignored(scenario: Scenario) -> str:
    if scenario.ttft_s is None and scenario.tpot_s is None:
        return ""
    return "; the latency targets apply to throughput_source 'model' only"


def _stepped(scenario: Scenario, profile, blended, replica_usd, replica_tokens, fixed):
    """The stepped breakeven: the article's staircase with flat traffic, always on and no
    spare replicas, else the load profile's (:func:`helpers.capacity.traffic.stepped_breakeven_tokens_per_month`)."""
    if scenario.load_profile == "flat" and scenario.spare_replicas == 0:
        return breakeven.stepped_breakeven_tokens_per_month(blended, replica_usd, replica_tokens, fixed)
    from helpers.capacity import traffic  # noqa: PLC0415

    volume = np.vectorize(lambda p, usd, tokens, cost: traffic.stepped_breakeven_tokens_per_month(
        p, usd, tokens, profile, scenario.scaling, cost, 1, scenario.spare_replicas), otypes=[float])(
        blended, replica_usd, replica_tokens, fixed)
    return float(volume) if volume.ndim == 0 else volume


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

    def blended_usd_per_1m(self, scenario: Scenario, input_share=None):
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


def gpu_usd_per_month(scenario: Scenario, gpu: str, gpu_count: int = 1,
                      data_dir: Path | None = None) -> float:
    """Monthly bill of ``gpu_count`` rented units of a ``gpu_cloud.csv`` row at the scenario's
    hours and spot discount (any row, e.g. for the Cloud GPU table or the hybrid's small GPU)."""
    row = data.lookup("gpu_cloud", "gpu", gpu, data_dir)
    return float(selfhost.gpu_usd_per_month(float(row["usd_per_hour"]), scenario.hours_per_month,
                                            gpu_count, scenario.spot_discount))


def blended_usd_per_1m(scenario: Scenario, model: str, data_dir: Path | None = None) -> float:
    """Blended price paid for one API under the scenario (price source, cache and batch shares)."""
    return float(price_terms(scenario, [model], data_dir)[model].blended_usd_per_1m(scenario))


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
        tokens_per_month = api.tokens_per_month(scenario.tokens_per_day, scenario.days_per_month)
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
    hidden = {name: _drawn(draws, name, value) for name, value in hidden_inputs(scenario, data_dir).items()}

    replica_usd = selfhost.gpu_usd_per_month(usd_per_hour, hours, scenario.gpu_count, spot)
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
    blended, api_usd, flat, flat_tco, stepped, stepped_tco = ({} for _ in range(6))
    for model, price in terms.items():
        blended[model] = price.blended_usd_per_1m(scenario, input_share)
        api_usd[model] = np.asarray(api.api_usd_per_month(volumes, blended[model]), dtype=float)
        flat[model] = breakeven.breakeven_tokens_per_month(replica_usd, blended[model])
        flat_tco[model] = breakeven.breakeven_tokens_per_month(replica_usd + hidden_usd, blended[model])
        stepped[model] = _stepped(scenario, profile, blended[model], replica_usd, replica_tokens, 0.0)
        stepped_tco[model] = _stepped(scenario, profile, blended[model], replica_usd, replica_tokens, hidden_usd)

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
    )


def compare(api_usd, selfhost_usd, tolerance: float = TIE_TOLERANCE):
    """Cheaper option and by how many times, elementwise (see
    :func:`helpers.costs.breakeven.winner`): ratio = dearer / cheaper; "Breakeven" within
    ``tolerance``."""
    api_usd = np.asarray(api_usd, dtype=float)
    selfhost_usd = np.asarray(selfhost_usd, dtype=float)
    cheaper, dearer = np.minimum(api_usd, selfhost_usd), np.maximum(api_usd, selfhost_usd)
    with np.errstate(divide="ignore", invalid="ignore"):
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

