"""The self-hosting inputs :func:`helpers.derive.derive` reads from the scenario and ``data/``:
the hidden costs' point estimates and the tokens/s of one rented unit, with where the figure
comes from."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from helpers import data, paths
from helpers.scenario import Scenario

HIDDEN_COST_INPUTS = ("devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month")
# Fields :func:`throughput` never reads (volumes, API prices, hidden costs, hybrid, decision,
# contract, uncertainty): left out of its cache's key, so that moving them reuses the figure.
NOT_THROUGHPUT_FIELDS = frozenset({
    "tokens_per_day", "days_per_month", "hours_per_month", "spot_discount", "load_profile", "scaling",
    "spare_replicas", *HIDDEN_COST_INPUTS, "api_models", "price_source", "cached_input_share", "batch_share",
    "usd_per_1m_input", "usd_per_1m_output", "privacy_required", "needs_flagship_quality", "has_ml_expertise",
    "flagship_api_model", "budget_api_model", "horizon_months", "api_price_change_per_year", "uncertainty"})
NOT_THROUGHPUT_FIELDS |= {f for f in (f.name for f in dataclasses.fields(Scenario)) if f.startswith("hybrid_")}
THROUGHPUT_CACHE_SIZE = 256
_throughput_cache: dict = {}


@dataclass(frozen=True)
class Throughput:
    """Tokens/s of one rented unit and where the figure comes from."""

    tokens_per_s: float
    note: str
    batch: int | None = None  # the capacity model's batch, when it gave the figure


def hidden_inputs(scenario: Scenario, data_dir: Path | None = None) -> dict[str, float]:
    """DevOps hours, rate and infrastructure: the scenario's, or the article's point estimates
    (``data/hidden_costs.csv``, column ``point``) where it leaves them empty."""
    return {name: float(getattr(scenario, name)) if getattr(scenario, name) is not None
            else float(data.lookup("hidden_costs", "parameter", name, data_dir)["point"])
            for name in HIDDEN_COST_INPUTS}


def throughput(scenario: Scenario, data_dir: Path | None = None) -> Throughput:
    """:func:`computed_throughput`. The capacity model's figure is remembered for the scenario's
    fields that can reach it (all but :data:`NOT_THROUGHPUT_FIELDS`) and the version of
    ``data/`` (each CSV's modification time): its search for the busiest batch within latency
    targets takes tens of milliseconds, and a what-if change derives the same scenario several
    times. The other sources are two row look-ups, cheaper than the key."""
    if scenario.tokens_per_s is not None or scenario.throughput_source != "model":
        return computed_throughput(scenario, data_dir)
    folder = data_dir or paths.DATA_DIR
    key = (str(folder), tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.csv"))),
           tuple((f.name, getattr(scenario, f.name)) for f in dataclasses.fields(scenario)
                 if f.name not in NOT_THROUGHPUT_FIELDS))
    if key not in _throughput_cache:
        if len(_throughput_cache) >= THROUGHPUT_CACHE_SIZE:
            _throughput_cache.pop(next(iter(_throughput_cache)))  # the oldest
        _throughput_cache[key] = computed_throughput(scenario, data_dir)
    return _throughput_cache[key]


def computed_throughput(scenario: Scenario, data_dir: Path | None = None) -> Throughput:
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
