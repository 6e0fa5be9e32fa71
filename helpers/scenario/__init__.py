"""Every input of the workbook, defined once: :class:`Scenario`.

A scenario is a frozen dataclass; each field carries its unit, its default (the article's
value), its bounds, a help text and, where it names a row of ``data/``, the table and column
that row comes from (:class:`Spec`, in the field's metadata). Everything else is generated from
those fields:

- YAML files under ``params/`` (:func:`load`, :meth:`Scenario.load`, :meth:`Scenario.save`): a
  file sets any subset of the fields; what it leaves out keeps the article's value. One extra
  key, ``description``, is a sentence for the report's index.
- validation (:func:`validate`), which reports *every* problem at once, each naming the file
  and the key, with a "did you mean" for a misspelt key or value;
- a notebook's ``parameters`` cell, which holds only ``scenario = {}``: the overrides of these
  defaults (papermill injects the report's whole scenario there, as :meth:`Scenario.to_dict`
  writes it), read with ``s = Scenario.from_dict(scenario)``;
- the what-if controls (``helpers.show.widgets`` builds one control per field).

A what-if is ``dataclasses.replace(scenario, tokens_per_day=5e7)``. Adding an input is one new
field here, plus the code that uses it.

    tokens_per_day: 50_000_000
    privacy_required: true
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers import distributions
from helpers.files import atomic_write
from helpers.scenario import checks
from helpers.scenario.checks import suggest
from helpers.scenario.spec import (DESCRIPTION, HOURS_IN_LONGEST_MONTH, MAX_TOKENS_PER_DAY, RUNNER_KEYS,
                                   ScenarioError, Spec, spec_field as _field)

ARTICLE_API_MODELS = ("GPT-5", "Claude Sonnet 4.5", "DeepSeek V3.2", "Gemini 2.5 Flash")
# Inputs an uncertainty block may give a distribution: those derive() takes as draws, and the
# yearly API price change (usd_per_hour is the rented row's price, not a field).
UNCERTAIN_INPUTS = ("tokens_per_s", "spot_discount", "hours_per_month", "devops_hours_per_month",
                    "devops_usd_per_hour", "infrastructure_usd_per_month", "input_share",
                    "usd_per_hour", "api_price_change_per_year", "usd_per_kwh", "pue", "residual_share",
                    "utilisation")


@dataclass(frozen=True)
class Scenario:
    """Every input that moves the answer; the defaults are the article's scenario."""

    # The workload
    tokens_per_day: float = _field(
        10_000_000, "number", "the workload (article: 10M tokens a day)", unit="tokens_per_day",
        minimum=0, maximum=MAX_TOKENS_PER_DAY)
    input_share: float = _field(
        0.5, "share", "share of tokens that are input (article: 50/50)", unit="share",
        minimum=0, maximum=1)
    days_per_month: float = _field(
        30, "number", "days in a billed month (article: 30)", unit="days", minimum=1, maximum=31)
    # The self-hosting side
    hours_per_month: float = _field(
        720, "number", "GPU hours billed per month (article: 720, 24/7)", unit="hours_per_month",
        minimum=0, minimum_excluded=True, maximum=HOURS_IN_LONGEST_MONTH)
    gpu: str = _field(
        "NVIDIA A100 80GB", "text", "GPU rented for one deployment (a row of data/gpu_cloud.csv)",
        rows_of=("gpu_cloud", "gpu"))
    gpu_count: int = _field(
        1, "integer", "rented units of that row in one deployment", unit="units", minimum=1,
        maximum=1024)
    spot_discount: float = _field(
        0.0, "share", "0 = on-demand; the article: spot is 40-60% cheaper", unit="share",
        minimum=0, maximum=1, maximum_excluded=True)
    setup: str = _field(
        "article_a100_llama70b", "text", "model and throughput (a row of data/selfhost_setups.csv)",
        rows_of=("selfhost_setups", "setup"))
    throughput_source: str = _field(
        "article", "text", "'article' (the set-up's conservative tokens/s) or 'model' "
        "(helpers.capacity on the chosen GPU)", choices=("article", "model"))
    tokens_per_s: float | None = _field(
        None, "number", "throughput of one rented unit; empty = the source's figure",
        unit="tokens_per_s", minimum=0, minimum_excluded=True, maximum=1e7, nullable=True)
    # Serving (throughput_source 'model'): the requests, the engine, the latency targets, and
    # the traffic's shape over the day, which sets the replicas billed at every source
    prompt_tokens: int = _field(
        1000, "integer", "mean input tokens of one request", unit="tokens", minimum=1, maximum=1_000_000)
    output_tokens: int | None = _field(
        None, "integer", "mean output tokens of one request; empty = from prompt_tokens and input_share",
        unit="tokens", minimum=1, maximum=1_000_000, nullable=True)
    kv_bits: int = _field(
        16, "integer", "bits per KV-cache value (16: the engines' default; 8: an FP8 cache)", unit="bits",
        minimum=4, maximum=16)
    max_sequences: int | None = _field(
        None, "integer", "most sequences the engine runs at once; empty = its documented default "
        "(data/engine_defaults.csv)", unit="sequences", minimum=1, maximum=65_536, nullable=True)
    ttft_s: float | None = _field(
        None, "number", "99th percentile time to first token; empty = no limit (a chat product: 0.5)",
        unit="s", minimum=0, minimum_excluded=True, maximum=3600, nullable=True)
    tpot_s: float | None = _field(
        None, "number", "99th percentile time per output token; empty = no limit (25 tokens/s: 0.04)",
        unit="s", minimum=0, minimum_excluded=True, maximum=60, nullable=True)
    load_profile: str = _field(
        "flat", "text", "traffic's shape over a day or week (a profile of data/load_profiles.csv)",
        rows_of=("load_profiles", "profile"))
    scaling: str = _field(
        "always_on", "text", "'always_on' (the peak hour's replicas all month) or 'scheduled' "
        "(each hour's own)", choices=("always_on", "scheduled"))
    spare_replicas: int = _field(
        0, "integer", "replicas kept beyond what the traffic needs", unit="replicas", minimum=0, maximum=100)
    devops_hours_per_month: float | None = _field(
        None, "number", "DevOps hours a month; empty = the article's point estimate (15)",
        unit="hours_per_month", minimum=0, maximum=HOURS_IN_LONGEST_MONTH, nullable=True)
    devops_usd_per_hour: float | None = _field(
        None, "number", "DevOps rate; empty = the article's point estimate ($100)",
        unit="usd_per_hour", minimum=0, maximum=10_000, nullable=True)
    infrastructure_usd_per_month: float | None = _field(
        None, "number", "monitoring, storage, networking; empty = the article's point ($300)",
        unit="usd_per_month", minimum=0, maximum=1e7, nullable=True)
    # The API side
    api_models: tuple[str, ...] = _field(
        ARTICLE_API_MODELS, "text_list", "APIs compared, the first is the headline (rows of "
        "data/api_prices.csv; with price_source 'current', of data/api_prices_current.csv)",
        rows_of=("api_prices", "model"))
    price_source: str = _field(
        "article", "text", "'article' (the article's February 2026 prices, data/api_prices.csv) "
        "or 'current' (the price database's, data/api_prices_current.csv)",
        choices=("article", "current"))
    cached_input_share: float = _field(
        0.0, "share", "share of input tokens read from the provider's prompt cache, at its cached "
        "rate where it has one (only today's prices hold cached rates; article: 0)", unit="share",
        minimum=0, maximum=1)
    batch_share: float = _field(
        0.0, "share", "share of traffic sent through the provider's batch API, at its discount in "
        "data/batch_discounts.csv (article: 0)", unit="share", minimum=0, maximum=1)
    usd_per_1m_input: float | None = _field(
        None, "number", "input price of the first API; empty = its row of data/api_prices.csv",
        unit="usd_per_1m", minimum=0, maximum=10_000, nullable=True)
    usd_per_1m_output: float | None = _field(
        None, "number", "output price of the first API; empty = its row of data/api_prices.csv",
        unit="usd_per_1m", minimum=0, maximum=10_000, nullable=True)
    # The hybrid example
    hybrid_monthly_tokens: float = _field(
        100_000_000, "number", "monthly volume of the hybrid example (article: 100M)",
        unit="tokens_per_month", minimum=0, maximum=MAX_TOKENS_PER_DAY * 31)
    hybrid_api_share: float = _field(
        0.1, "share", "share of the hybrid volume sent to the API (article: 10%)", unit="share",
        minimum=0, maximum=1)
    hybrid_api_model: str = _field(
        "GPT-5", "text", "API of the hybrid's complex tasks (a row of data/api_prices.csv)",
        rows_of=("api_prices", "model"))
    hybrid_simple_api_model: str = _field(
        "GPT-4.1 Nano", "text", "cheap API for the simple tasks, the no-GPU alternative",
        rows_of=("api_prices", "model"))
    hybrid_rented_gpus: tuple[str, ...] = _field(
        ("NVIDIA L4", "NVIDIA A10G"), "text_list", "GPUs rented for the hybrid's small model",
        rows_of=("gpu_cloud", "gpu"))
    hybrid_bought_hardware: tuple[str, ...] = _field(
        ("RTX 4090 24GB", "RTX 3090 24GB"), "text_list", "hardware bought for the small model",
        rows_of=("consumer_hardware", "hardware"))
    hybrid_amortization_months: float = _field(
        36, "number", "months over which bought hardware is written off", unit="months",
        minimum=1, maximum=120)
    hybrid_small_model_params_billion: float = _field(
        7, "number", "the small self-hosted model (article: a 7B model)", unit="params_billion",
        minimum=0, minimum_excluded=True, maximum=2000)
    hybrid_small_model_bits: float = _field(
        16, "number", "bits per weight the small model runs at", unit="bits", minimum=1, maximum=32)
    # The decision framework
    privacy_required: bool = _field(False, "bool", "compliance forbids third-party APIs")
    needs_flagship_quality: bool = _field(False, "bool", "GPT-5/Claude-level quality needed")
    has_ml_expertise: bool = _field(False, "bool", "the team can run ML infrastructure")
    flagship_api_model: str = _field(
        "GPT-5", "text", "flagship API priced for each team of the decision table",
        rows_of=("api_prices", "model"))
    budget_api_model: str = _field(
        "DeepSeek V3.2", "text", "budget API priced for each team of the decision table",
        rows_of=("api_prices", "model"))
    # How sure the answer is, and over how long (helpers.uncertainty)
    horizon_months: int = _field(
        12, "integer", "months of the contract the comparison covers", unit="months",
        minimum=1, maximum=120)
    api_price_change_per_year: float = _field(
        0.0, "number", "yearly change of API prices (-0.5 halves them each year; the article: 0)",
        unit="share_per_year", minimum=-1, maximum=10)
    uncertainty: dict | None = _field(
        None, "uncertainty", "distributions of the uncertain inputs, e.g. "
        "{devops_hours_per_month: {triangular: [10, 15, 20]}}; empty = the article's ranges",
        nullable=True, choices=UNCERTAIN_INPUTS)
    # Cost at equal quality: a workload in tasks, priced per successful task (helpers.derive.quality)
    tasks_per_day: float | None = _field(
        None, "number", "the workload in tasks; empty = no per-task comparison (priced by tokens only)",
        unit="tasks_per_day", minimum=0, minimum_excluded=True, maximum=MAX_TOKENS_PER_DAY, nullable=True)
    input_tokens_per_attempt: int = _field(
        1000, "integer", "input tokens of one attempt at a task, where task_evals gives none", unit="tokens",
        minimum=1, maximum=10_000_000)
    output_tokens_per_attempt: int = _field(
        1000, "integer", "output tokens of one attempt, reasoning tokens included, where task_evals gives none",
        unit="tokens", minimum=1, maximum=10_000_000)
    on_failure: str = _field(
        "retry", "text", "what a failed attempt costs: 'retry' (until success, 1/p attempts), 'escalate' "
        "(the self-hosted model once, failures to escalate_api_model) or 'review' (a person, "
        "review_usd_per_failure)", choices=("retry", "escalate", "review"))
    escalate_api_model: str = _field(
        "GPT-5", "text", "API that takes the self-hosted model's failed tasks with on_failure 'escalate'",
        rows_of=("api_prices", "model"))
    review_usd_per_failure: float = _field(
        0.0, "number", "a person's time to finish one failed task with on_failure 'review'", unit="usd",
        minimum=0, maximum=100_000)
    task_evals: str | None = _field(
        None, "text", "the team's own evaluation, a CSV (model, tasks, successes, input_tokens_per_attempt, "
        "output_tokens_per_attempt; e.g. data/task_evals_example.csv); empty = public benchmarks", nullable=True)
    quality_benchmark: str = _field(
        "mmlu", "text", "public score used as a stand-in success rate where task_evals has no row "
        "(data/model_quality.csv)", choices=("mmlu", "humaneval"))
    # Rent, reserve or buy (helpers.costs.ownership): what one replica of the deployment costs
    # when its hardware is bought; empty figures come from the hardware's row of
    # data/ownership_hardware.csv and its site's rows of data/ownership_facility.csv
    acquisition: str = _field(
        "rent", "text", "'rent' (the gpu row's hourly price), 'reserve' (a reserved row of "
        "data/gpu_cloud.csv) or 'buy' (the hardware bought and run for the month)",
        choices=("rent", "reserve", "buy"))
    owned_hardware: str | None = _field(
        None, "text", "hardware bought under acquisition 'buy'; empty = the row of "
        "data/ownership_hardware.csv holding the gpu row's GPU model", nullable=True,
        rows_of=("ownership_hardware", "hardware"))
    purchase_usd: float | None = _field(
        None, "number", "price of the bought hardware; empty = its row's point price", unit="usd",
        minimum=0, maximum=1e9, nullable=True)
    depreciation_years: float | None = _field(
        None, "number", "years over which the purchase is repaid; empty = its row's", unit="years",
        minimum=0, minimum_excluded=True, maximum=20, nullable=True)
    residual_share: float | None = _field(
        None, "share", "resale value at the end of the depreciation, a share of the price; empty = "
        "its row's", unit="share", minimum=0, maximum=1, maximum_excluded=True, nullable=True)
    cost_of_capital_per_year: float = _field(
        0.0, "number", "yearly rate the purchase is financed at (0 = straight-line depreciation)",
        unit="share_per_year", minimum=0, maximum=1)
    power_kw: float | None = _field(
        None, "number", "draw of the bought hardware at full load; empty = its row's", unit="kw",
        minimum=0, maximum=10_000, nullable=True)
    utilisation: float = _field(
        1.0, "share", "share of the billed hours the bought hardware is busy (weights its energy)",
        unit="share", minimum=0, maximum=1)
    pue: float | None = _field(
        None, "number", "facility power over IT power; empty = its site's point (data centre 1.58, "
        "home 1)", unit="ratio", minimum=1, maximum=5, nullable=True)
    usd_per_kwh: float | None = _field(
        None, "number", "electricity price; empty = its site's point", unit="usd_per_kwh", minimum=0,
        maximum=10, nullable=True)
    colocation_usd_per_kw_month: float | None = _field(
        None, "number", "rack space and power delivery by the kW; empty = its site's point",
        unit="usd_per_kw_month", minimum=0, maximum=10_000, nullable=True)
    maintenance_share_per_year: float | None = _field(
        None, "share", "support and repairs a year, a share of the price; empty = its row's",
        unit="share_per_year", minimum=0, maximum=1, nullable=True)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_dict(cls, values: dict | None, data_dir: Path | None = None,
                  source: str = "scenario") -> "Scenario":
        """A scenario from a mapping of field: value (``description`` allowed), validated:
        every problem at once, each naming ``source`` and the key. Fields left out keep the
        article's value; :meth:`to_dict`'s output reads back as the same scenario. A notebook's
        set-up cell reads its ``scenario`` parameter (the overrides) this way:

            s = Scenario.from_dict(scenario)
        """
        clean = validate(values or {}, data_dir, source)
        clean.pop(DESCRIPTION, None)
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in clean.items()})

    @classmethod
    def load(cls, path: str | os.PathLike, data_dir: Path | None = None) -> "Scenario":
        """Read and validate a ``params/*.yaml`` file."""
        return cls.from_dict(load(path, data_dir), data_dir, str(path))

    # -- what it holds ---------------------------------------------------------------------
    def to_dict(self, changed_only: bool = False) -> dict:
        """Field: value, lists as lists (YAML- and papermill-friendly); ``changed_only`` keeps
        the fields that differ from the article's scenario."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if changed_only and value == f.default:
                continue
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    def save(self, path: str | os.PathLike, description: str | None = None) -> Path:
        """Write the fields that differ from the article's as YAML, atomically."""
        values = self.to_dict(changed_only=True)
        if description:
            values = {DESCRIPTION: description, **values}
        return save(values, path)

    @property
    def api_model(self) -> str:
        """The headline API: the first of ``api_models``."""
        return self.api_models[0]


KEYS: dict[str, Spec] = {f.name: f.metadata["spec"] for f in dataclasses.fields(Scenario)}
DEFAULTS: dict[str, Any] = Scenario().to_dict()

__all__ = ["DEFAULTS", "DESCRIPTION", "HOURS_IN_LONGEST_MONTH", "KEYS", "MAX_TOKENS_PER_DAY", "RUNNER_KEYS",
           "Scenario", "ScenarioError", "Spec", "bounds", "dumps", "load", "save", "suggest", "validate"]


def validate(values: dict, data_dir: Path | None = None, source: str = "scenario") -> dict:
    """Check a mapping of scenario fields against the Scenario's (:func:`checks.validate`);
    return a normalised copy. Raises :class:`ScenarioError` listing every problem."""
    return checks.validate(values, KEYS, data_dir, source)


def bounds(name: str) -> distributions.Bounds:
    """The range a field's draws must stay in (a row's price: at least 0)."""
    return checks.bounds(name, KEYS)



def load(path: str | os.PathLike, data_dir: Path | None = None) -> dict:
    """Read and validate a scenario YAML file; return what it sets (``description``
    included). Errors name the file and the key."""
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise ScenarioError(["file not found"], label)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError([f"not UTF-8 text (byte {err.start}): save it as UTF-8"], label) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ScenarioError([f"{where}not valid YAML: {problem}"], label) from None
    return validate(raw, data_dir, label)


def dumps(values: dict) -> str:
    """A validated scenario mapping as YAML text, keys in canonical order."""
    header = "# Scenario for the workbook (fields: helpers/scenario/ Scenario); omitted keys\n" \
             "# keep the article's values.\n"
    body = yaml.safe_dump(values, sort_keys=False, allow_unicode=True, default_flow_style=False) \
        if values else ""
    return header + body


def save(values: dict, path: str | os.PathLike, data_dir: Path | None = None) -> Path:
    """Validate ``values`` and write them to ``path`` as YAML, atomically (temporary file in
    the same folder, then renamed): an invalid scenario writes nothing, and a reader never
    sees half a file. Returns the path."""
    path = Path(path)
    clean = validate(values, data_dir, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write(dumps(clean))
    return path

