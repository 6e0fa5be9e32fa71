"""Each table of the article, rebuilt from ``data/`` with the formulas of the other modules and
set beside the article's printed figures.

Every builder returns a DataFrame whose first columns follow the report's tables contract
(``helpers.report.contract``: token counts as plain integers of tokens, money in USD); the
``article_*`` and ``verdict`` columns that follow say what the article printed and whether it
agrees (see :func:`helpers.article.verdict`).
"""
from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import article, data
from helpers.assumptions import DAYS_PER_MONTH, HOURS_PER_MONTH, INPUT_SHARE
from helpers.derive import Result, compare, derive, gpu_row_usd_per_month, what_if_row
from helpers.derive import breakdown
from helpers.derive.hardware import PRECISIONS, best_precision, max_bits_per_weight, weights_fit, weights_vram_gb
from helpers.scenario import Scenario


def with_article(frame: pd.DataFrame, ids: list[str], recomputed_column: str,
                  prefix: str = "article", data_dir: Path | None = None,
                  comparable: bool = True) -> pd.DataFrame:
    """Add ``<prefix>_text``, ``<prefix>_value`` and ``<prefix>_verdict`` columns: the
    printed figure with id ``ids[i]`` beside row i's ``recomputed_column`` (None: nothing
    printed). ``comparable`` is False when the table was computed under other inputs than the
    article's: the verdict is then ``other_scenario`` instead of a comparison."""
    figs = article.figures(data_dir)
    texts, values, verdicts = [], [], []
    for figure_id, recomputed in zip(ids, frame[recomputed_column]):
        if figure_id is None or figure_id not in figs.index:
            texts.append(None)
            values.append(float("nan"))
            verdicts.append(article.NOT_CHECKABLE)
            continue
        row = figs.loc[figure_id]
        texts.append(row["printed_text"])
        values.append(float(row["value"]))
        verdicts.append(article.verdict(recomputed, row["value"], row["resolution"])
                        if comparable else article.OTHER_SCENARIO)
    frame = frame.copy()
    frame[f"{prefix}_text"] = texts
    frame[f"{prefix}_value"] = values
    frame[f"{prefix}_verdict"] = verdicts
    return frame


def api_costs(scenario: Scenario, tiers: list[str] | None = None, data_dir: Path | None = None,
              judge: bool | None = None) -> pd.DataFrame:
    """Flagship and Budget Models tables: blended price and monthly bill of every API row at
    the scenario's daily volume (priced by :func:`helpers.derive.derive`).

    The printed monthly bills are judged when the inputs are the article's (10M tokens/day,
    50/50, 30 days), else marked other_scenario; ``judge=True`` judges them at any inputs, to
    test what workload the article actually computed."""
    prices = data.load("api_prices", data_dir)
    if tiers is not None:
        prices = prices[prices["tier"].isin(tiers)]
    r = derive(scenario, data_dir=data_dir, api_models=list(prices["model"]))
    frame = prices[["model", "provider", "tier"]].copy()
    frame["usd_per_1m_input"] = [r.prices[m][0] for m in frame["model"]]
    frame["usd_per_1m_output"] = [r.prices[m][1] for m in frame["model"]]
    frame["blended_usd_per_1m"] = [float(r.blended_usd_per_1m[m]) for m in frame["model"]]
    frame["usd_per_month"] = [r.at("api_usd_per_month", m) for m in frame["model"]]
    ids = [f"api.{m}.usd_per_month" for m in frame["model"]]
    comparable = judge if judge is not None else article.article_prices(scenario) and article.same_inputs(
        (scenario.tokens_per_day, article.value("scenario.tokens_per_day", data_dir)),
        (scenario.input_share, INPUT_SHARE), (scenario.days_per_month, DAYS_PER_MONTH))
    return with_article(frame.reset_index(drop=True), ids, "usd_per_month", data_dir=data_dir,
                         comparable=comparable)


def _printed_in_article(cloud: pd.DataFrame) -> pd.Series:
    """The rows of ``gpu_cloud.csv`` that are the article's Cloud GPU Pricing table (on demand,
    source ``article: ...``), not a provider's price added since."""
    return (cloud["pricing"] == "on_demand") & cloud["source"].str.startswith("article:")


def gpu_cloud(scenario: Scenario, data_dir: Path | None = None) -> pd.DataFrame:
    """Cloud GPU Pricing table: monthly bill of each configuration at the scenario's hours and
    spot discount (:func:`helpers.derive.gpu_row_usd_per_month`); the article's rows only (the
    reserved rows and the providers' prices are in :func:`cloud_offers`)."""
    gpus = data.load("gpu_cloud", data_dir)
    gpus = gpus[_printed_in_article(gpus)]
    frame = gpus[["gpu", "gpu_count", "vram_gb", "usd_per_hour", "best_for"]].copy()
    frame["gpu_count"] = frame["gpu_count"].astype(int)
    frame["usd_per_month"] = [gpu_row_usd_per_month(scenario, g, data_dir=data_dir) for g in frame["gpu"]]
    ids = [f"gpu.{g}.usd_per_month" for g in frame["gpu"]]
    comparable = article.same_inputs((scenario.hours_per_month, HOURS_PER_MONTH), (scenario.spot_discount, 0.0))
    return with_article(frame.reset_index(drop=True), ids, "usd_per_month", data_dir=data_dir,
                         comparable=comparable)


def consumer_hardware(params_billion: float = 70, data_dir: Path | None = None) -> pd.DataFrame:
    """Consumer GPU table, with whether a ``params_billion`` model's weights fit at 16, 8 and
    4 bits, and the most bits per weight that fit."""
    hardware = data.load("consumer_hardware", data_dir)
    frame = hardware[["hardware", "memory_gb", "usd_price", "memory_kind", "what_it_runs"]].copy()
    for name, bits in PRECISIONS.items():
        frame[f"fits_{params_billion:g}b_{name.replace('-', '')}"] = [
            weights_fit(params_billion, bits, m) for m in frame["memory_gb"]
        ]
    frame[f"max_bits_per_weight_{params_billion:g}b"] = [
        max_bits_per_weight(m, params_billion) for m in frame["memory_gb"]
    ]
    return frame.reset_index(drop=True)


def vram_by_model_size(data_dir: Path | None = None) -> pd.DataFrame:
    """Model size -> VRAM table: weights at 16 and 4 bits (params * bits / 8) beside the
    article's figures."""
    sizes = data.load("model_sizes", data_dir)
    frame = pd.DataFrame({
        "params_billion": sizes["params_billion"],
        "vram_gb_fp16": [weights_vram_gb(p, 16) for p in sizes["params_billion"]],
        "vram_gb_8bit": [weights_vram_gb(p, 8) for p in sizes["params_billion"]],
        "vram_gb_4bit": [weights_vram_gb(p, 4) for p in sizes["params_billion"]],
        "minimum_hardware": sizes["minimum_hardware"],
        "article_vram_gb_fp16": sizes["vram_gb_fp16"],
        "article_vram_gb_4bit": sizes["vram_gb_4bit"],
    })
    # The article prints whole gigabytes.
    frame["fp16_verdict"] = [article.verdict(r, p, 1) for r, p in zip(frame["vram_gb_fp16"], frame["article_vram_gb_fp16"])]
    frame["4bit_verdict"] = [article.verdict(r, p, 1) for r, p in zip(frame["vram_gb_4bit"], frame["article_vram_gb_4bit"])]
    return frame.reset_index(drop=True)


def capacity(r: Result, data_dir: Path | None = None) -> pd.DataFrame:
    """Capacity table (gpu, model, tokens_per_s, tokens_per_month): one rented unit at the
    set-up's low, conservative and high throughput at the scenario's hours, plus a
    ``scenario`` row (the deployment the scenario prices) when its throughput or unit count
    differs from the conservative single unit. Every figure is ``derive``'s replica capacity."""
    s = r.scenario
    row = data.row(data.load("selfhost_setups", data_dir), "setup", s.setup)
    rows = []
    for case in ("low", "conservative", "high"):
        one = derive(dataclasses.replace(s, tokens_per_s=float(row[f"tokens_per_s_{case}"]), gpu_count=1),
                     data_dir=data_dir)
        rows.append({"gpu": s.gpu, "model": r.model, "throughput_case": case,
                     "tokens_per_s": float(one.tokens_per_s),
                     "tokens_per_month": int(round(one.replica_tokens_per_month))})
    conservative = rows[1]
    if float(r.tokens_per_s) != conservative["tokens_per_s"] or s.gpu_count != 1:
        rows.append({"gpu": f"{s.gpu_count}x {s.gpu}", "model": r.model, "throughput_case": "scenario",
                     "tokens_per_s": float(r.tokens_per_s),
                     "tokens_per_month": int(round(r.replica_tokens_per_month))})
    frame = pd.DataFrame(rows)
    ids = [None, "setup.capacity.tokens_per_month", None] + [None] * (len(rows) - 3)
    return with_article(frame, ids, "tokens_per_month", data_dir=data_dir,
                         comparable=article.same_inputs((s.hours_per_month, HOURS_PER_MONTH)))


def breakeven_volumes(r: Result, api_model: str, volumes: list[int] | None = None,
                      data_dir: Path | None = None) -> pd.DataFrame:
    """A per-volume breakeven table (long form): the API bill against one deployment's GPU bill
    (the article's comparison: one GPU at any volume), winner and cost ratio at each monthly
    volume, and beside them the replicas the volume needs and the bill with them.
    ``volumes`` defaults to the article's rows for this API."""
    if volumes is None:
        volumes = article.volumes_of_table(f"Breakeven vs {api_model}", data_dir)
    at = derive(r.scenario, tokens_per_month=volumes, data_dir=data_dir, api_models=[api_model])
    flat = np.full(len(volumes), float(at.replica_usd_per_month))
    winner, ratio = compare(at.api_usd_per_month[api_model], flat)
    frame = pd.DataFrame({
        "api_model": api_model,
        "monthly_tokens": np.asarray(volumes, dtype="int64"),
        "api_usd_per_month": at.api_usd_per_month[api_model],
        "selfhost_usd_per_month": flat,
        "winner": winner,
        "cost_ratio": ratio,
        "replicas": at.replicas.astype(int),
        "stepped_selfhost_usd_per_month": at.gpu_usd_per_month,
    })
    figs = article.figures(data_dir)
    api_ids = [f"vol.{api_model}.{v}.api" for v in volumes]
    ratio_ids = [f"vol.{api_model}.{v}.ratio" for v in volumes]
    comparable = article.article_prices(r.scenario) and article.same_inputs(
        (float(at.replica_usd_per_month), article.value("setup.gpu.usd_per_month", data_dir)),
        (r.scenario.input_share, INPUT_SHARE))
    frame = with_article(frame, api_ids, "api_usd_per_month", "article_api", data_dir, comparable)
    frame = with_article(frame, ratio_ids, "cost_ratio", "article_ratio", data_dir, comparable)
    frame["article_winner"] = [figs.loc[i, "label"] if i in figs.index else None for i in ratio_ids]
    frame["winner_verdict"] = [
        article.NOT_CHECKABLE if a is None else (
            article.OTHER_SCENARIO if not comparable else (article.HOLDS if a == w else article.ERRATUM))
        for a, w in zip(frame["article_winner"], frame["winner"])
    ]
    return frame


def breakeven_summary(r: Result, api_models: list[str] | None = None,
                      data_dir: Path | None = None) -> pd.DataFrame:
    """The Breakeven Summary, with the hidden-cost (TCO) breakevens of Total Cost Adjustment,
    whether each lies within one deployment's monthly capacity, and the breakevens with
    capacity steps (more replicas rented as the volume grows). ``api_models`` defaults to the
    scenario's."""
    s = r.scenario
    if api_models is not None and list(api_models) != list(r.api_models):
        r = derive(s, data_dir=data_dir, api_models=list(api_models))
    capacity_month = float(r.replica_tokens_per_month)
    rows = []
    for model in r.api_models:
        raw = float(r.breakeven_tokens_per_month[model])
        adjusted = float(r.tco_breakeven_tokens_per_month[model])
        rows.append({
            "api_model": model,
            "blended_usd_per_1m": float(r.blended_usd_per_1m[model]),
            "breakeven_tokens_per_month": _round_volume(raw),
            "breakeven_tokens_per_day": _round_volume(raw / s.days_per_month),
            "tco_breakeven_tokens_per_month": _round_volume(adjusted),
            "tco_breakeven_tokens_per_day": _round_volume(adjusted / s.days_per_month),
            "within_single_gpu_capacity": bool(raw <= capacity_month),
            "tco_within_single_gpu_capacity": bool(adjusted <= capacity_month),
            "stepped_breakeven_tokens_per_month": _round_volume(float(r.stepped_breakeven_tokens_per_month[model])),
            "stepped_tco_breakeven_tokens_per_month":
                _round_volume(float(r.stepped_tco_breakeven_tokens_per_month[model])),
        })
    frame = pd.DataFrame(rows)
    models = list(r.api_models)
    share = (s.input_share, INPUT_SHARE)
    days = (s.days_per_month, DAYS_PER_MONTH)
    raw = (float(r.replica_usd_per_month), article.value("setup.gpu.usd_per_month", data_dir))
    adjusted = (float(r.replica_tco_usd_per_month), article.value("tco.total", data_dir))
    prices = article.article_prices(s)
    frame = with_article(frame, [f"be.{m}.tokens_per_month" for m in models],
                          "breakeven_tokens_per_month", "article_month", data_dir,
                          prices and article.same_inputs(raw, share))
    frame = with_article(frame, [f"be.{m}.tokens_per_day" for m in models],
                          "breakeven_tokens_per_day", "article_day", data_dir,
                          prices and article.same_inputs(raw, share, days))
    frame = with_article(frame, [f"tco_be.{m}.tokens_per_month" for m in models],
                          "tco_breakeven_tokens_per_month", "article_tco_month", data_dir,
                          prices and article.same_inputs(adjusted, share))
    frame = with_article(frame, [f"tco_be.{m}.tokens_per_day" for m in models],
                          "tco_breakeven_tokens_per_day", "article_tco_day", data_dir,
                          prices and article.same_inputs(adjusted, share, days))
    return frame


def _round_volume(tokens: float) -> float | int:
    """A volume as a whole number of tokens; an infinite one (never) stays infinite."""
    return int(round(tokens)) if np.isfinite(tokens) else math.inf


def tco_components(r: Result, data_dir: Path | None = None) -> pd.DataFrame:
    """Total Cost Adjustment table for one deployment: component, usd_per_month, beside the
    article."""
    hidden = {k: float(v) for k, v in r.hidden_inputs.items()}
    parts = breakdown.tco_components(r)
    frame = pd.DataFrame({"component": list(parts), "usd_per_month": list(parts.values())})
    ids = ["tco.gpu", "tco.devops", "tco.infrastructure", "tco.total"]
    comparable = article.same_inputs(
        (float(r.replica_usd_per_month), article.value("tco.gpu", data_dir)),
        *((hidden[name], data.hidden_cost(name, "point", data_dir)) for name in hidden))
    return with_article(frame, ids, "usd_per_month", data_dir=data_dir, comparable=comparable)


def model_quality(data_dir: Path | None = None) -> pd.DataFrame:
    """Model Quality Gap table, with each model's gap to the best MMLU and HumanEval score."""
    quality = data.load("model_quality", data_dir)
    frame = quality[["model", "mmlu_pct", "humaneval_pct", "reasoning_tasks", "self_hostable"]].copy()
    frame["mmlu_gap_to_best_pct"] = frame["mmlu_pct"].max() - frame["mmlu_pct"]
    frame["humaneval_gap_to_best_pct"] = frame["humaneval_pct"].max() - frame["humaneval_pct"]
    return frame.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Notebook support: the scenario's self-hosting figures, and the builders of the tables the
# first builders do not cover. Display settings and formatters live in helpers.show.format.
# ---------------------------------------------------------------------------------------------

def round_significant(value: float, digits: int = 1) -> float:
    """``value`` rounded to ``digits`` significant digits (1,004,000 -> 1,000,000)."""
    if value == 0:
        return 0.0
    return float(f"{value:.{digits}g}")


def api_costs_vs_article(frame: pd.DataFrame, days_per_month: float = DAYS_PER_MONTH) -> pd.DataFrame:
    """Add to an :func:`api_costs` frame the ratio article / recomputed and the daily volume at
    which the article's printed monthly figure would be right:

    article_over_recomputed        = article_value / usd_per_month
    article_implied_tokens_per_day = article_value / blended_usd_per_1m * 1e6 / days_per_month
    """
    frame = frame.copy()
    frame["article_over_recomputed"] = frame["article_value"] / frame["usd_per_month"]
    frame["article_implied_tokens_per_day"] = [
        int(round(breakdown.tokens_per_day_for_api_bill(printed, blended, days_per_month)))
        if pd.notna(printed) else pd.NA
        for printed, blended in zip(frame["article_value"], frame["blended_usd_per_1m"])
    ]
    return frame


def blended_prices(r: Result, data_dir: Path | None = None) -> pd.DataFrame:
    """Blended price of each API of the result, beside the article's "Blended rate" lines
    where it printed one."""
    models = list(r.api_models)
    frame = pd.DataFrame({
        "api_model": models,
        "usd_per_1m_input": [r.prices[m][0] for m in models],
        "usd_per_1m_output": [r.prices[m][1] for m in models],
        "blended_usd_per_1m": [float(r.blended_usd_per_1m[m]) for m in models],
    })
    return with_article(frame, [f"blended.{m}" for m in models], "blended_usd_per_1m", data_dir=data_dir,
                         comparable=article.article_prices(r.scenario)
                         and article.same_inputs((r.scenario.input_share, INPUT_SHARE)))


def gpu_cloud_with_spot(scenario: Scenario, data_dir: Path | None = None) -> pd.DataFrame:
    """Cloud GPU Pricing table on demand at the scenario's hours, with the spot range the
    article gives in prose ("40-60%" cheaper, ``hidden_costs.csv`` row spot_discount): the
    monthly bill at the largest and the smallest discount."""
    on_demand = dataclasses.replace(scenario, spot_discount=0.0)
    frame = gpu_cloud(on_demand, data_dir)
    for column, case in (("spot_usd_per_month_low", "high"), ("spot_usd_per_month_high", "low")):
        spot = dataclasses.replace(scenario, spot_discount=data.hidden_cost("spot_discount", case, data_dir))
        frame[column] = [gpu_row_usd_per_month(spot, g, data_dir=data_dir) for g in frame["gpu"]]
    return frame


def cloud_offers(scenario: Scenario, data_dir: Path | None = None) -> pd.DataFrame:
    """The GPUs clouds rent today: every row of ``gpu_cloud.csv`` that is not the article's
    table (a named provider's on-demand, spot or reserved price, with its source and date),
    beside its part in ``gpu_specs.csv`` (form factor, memory as the device exposes it). Monthly
    = usd_per_hour x the scenario's hours, no further discount: a spot row's price is already
    the spot price."""
    cloud = data.load("gpu_cloud", data_dir)
    cloud = cloud[~_printed_in_article(cloud)]
    specs = data.load("gpu_specs", data_dir).set_index("gpu")
    listed = dataclasses.replace(scenario, spot_discount=0.0)
    frame = pd.DataFrame({
        "gpu": cloud["gpu"], "gpu_model": cloud["gpu_model"],
        "form_factor": [specs.loc[g, "form_factor"] for g in cloud["gpu_model"]],
        "gpu_count": cloud["gpu_count"].astype(int),
        "memory_gib_per_gpu": [float(specs.loc[g, "memory_gb"]) for g in cloud["gpu_model"]],
        "pricing": cloud["pricing"], "usd_per_hour": cloud["usd_per_hour"],
        "usd_per_month": [gpu_row_usd_per_month(listed, g, data_dir=data_dir) for g in cloud["gpu"]],
        "source": cloud["source"], "as_of": cloud["as_of"],
    })
    return frame.sort_values(["gpu_model", "usd_per_hour"], kind="stable").reset_index(drop=True)


def what_fits(data_dir: Path | None = None) -> pd.DataFrame:
    """For every consumer and cloud configuration, the best precision (fp16, 8-bit, 4-bit) at
    which each model size of ``model_sizes.csv`` fits, weights only (KV cache comes on top),
    beside what the article says each runs."""
    consumer = data.load("consumer_hardware", data_dir)
    cloud = data.load("gpu_cloud", data_dir)
    cloud = cloud[_printed_in_article(cloud)]  # what the article says each runs
    frame = pd.concat([
        pd.DataFrame({"hardware": consumer["hardware"], "kind": "consumer",
                      "memory_gb": consumer["memory_gb"], "article_says": consumer["what_it_runs"]}),
        pd.DataFrame({"hardware": cloud["gpu"], "kind": "cloud",
                      "memory_gb": cloud["vram_gb"], "article_says": cloud["best_for"]}),
    ], ignore_index=True)
    for size in data.load("model_sizes", data_dir)["params_billion"]:
        frame[f"{size:g}B"] = [best_precision(size, m) for m in frame["memory_gb"]]
    return frame


def article_volume_tables(data_dir: Path | None = None) -> list[str]:
    """The API models for which the article printed a per-volume breakeven table."""
    figs = article.figures(data_dir)
    rows = figs[(figs["quantity"] == "api_usd_per_month") & figs["table"].str.startswith("Breakeven vs ")]
    return list(dict.fromkeys(t.removeprefix("Breakeven vs ") for t in rows["table"]))


def breakeven_volumes_all(r: Result, data_dir: Path | None = None) -> pd.DataFrame:
    """Every per-volume breakeven table of the article, concatenated (long form)."""
    return pd.concat([breakeven_volumes(r, m, data_dir=data_dir) for m in article_volume_tables(data_dir)],
                     ignore_index=True)


def tco_range(r: Result, data_dir: Path | None = None) -> pd.DataFrame:
    """True monthly cost of one deployment at the low, point and high hidden-cost inputs of
    ``hidden_costs.csv``, its multiple of the raw GPU bill (tco / gpu), and whether that
    multiple lies within the article's rule of thumb (``tco_multiplier`` low..high, "1.3x to
    2.0x")."""
    rule_low = data.hidden_cost("tco_multiplier", "low", data_dir)
    rule_high = data.hidden_cost("tco_multiplier", "high", data_dir)
    names = ("devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month")
    rows = []
    for case in ("low", "point", "high"):
        inputs = {name: data.hidden_cost(name, case, data_dir) for name in names}
        at = derive(dataclasses.replace(r.scenario, **inputs), data_dir=data_dir)
        gpu = float(at.replica_usd_per_month)
        total = float(at.replica_tco_usd_per_month)
        multiplier = breakdown.tco_multiplier(at)
        rows.append({"case": case, **inputs, "gpu_usd_per_month": gpu,
                     "tco_usd_per_month": total, "tco_multiplier": multiplier,
                     "within_rule_of_thumb": bool(rule_low - 1e-9 <= multiplier <= rule_high + 1e-9)})
    frame = pd.DataFrame(rows)
    frame["rule_of_thumb_low"] = rule_low
    frame["rule_of_thumb_high"] = rule_high
    return frame


def breakeven_stepped(s: Scenario, data_dir: Path | None = None) -> pd.DataFrame:
    """The Breakeven Summary with capacity steps, three ways, each priced by ``derive`` under
    the scenario (its GPU, units, spot discount and hours): the article's throughput on GPU
    cost alone, the capacity model's throughput on GPU cost alone, and the capacity model's
    with hidden costs. One deployment serves ``replica_tokens_per_month``; past that volume
    another is rented. Beside each, the article's flat breakeven (one deployment, no ceiling)."""
    rows = []
    for source, with_hidden in (("article", False), ("model", False), ("model", True)):
        r = derive(dataclasses.replace(s, throughput_source=source, tokens_per_s=None), data_dir=data_dir)
        replica_usd, capacity_month = float(r.replica_usd_per_month), float(r.replica_tokens_per_month)
        fixed = float(r.hidden_usd_per_month) if with_hidden else 0.0
        flat = r.tco_breakeven_tokens_per_month if with_hidden else r.breakeven_tokens_per_month
        stepped = r.stepped_tco_breakeven_tokens_per_month if with_hidden else r.stepped_breakeven_tokens_per_month
        for model in r.api_models:
            volume = float(stepped[model])
            rows.append({
                "api_model": model, "blended_usd_per_1m": float(r.blended_usd_per_1m[model]),
                "throughput_source": source, "tokens_per_s": float(r.tokens_per_s),
                "replica_tokens_per_month": int(round(capacity_month)),
                "replica_usd_per_month": replica_usd, "fixed_usd_per_month": fixed,
                "flat_breakeven_tokens_per_month": float(flat[model]),
                "stepped_breakeven_tokens_per_month": volume,
                "replicas_at_breakeven": None if math.isinf(volume) else
                int(derive(r.scenario, tokens_per_month=volume, data_dir=data_dir, api_models=[model]).at("replicas")),
                "selfhost_usd_per_1m_at_full_load": breakdown.usd_per_1m_at_full_load(r),
            })
    return pd.DataFrame(rows)


def what_if(r: Result) -> pd.DataFrame:
    """The scenario's own answer, one row per API (``tables/what_if.csv``): its volume, the
    replicas it needs, the bills and the winner (:func:`helpers.derive.what_if_row`)."""
    return pd.DataFrame([what_if_row(r, model) for model in r.api_models])


def table_verdict_counts(*frames: pd.DataFrame) -> pd.DataFrame:
    """How many figures hold, are rounding, are errata or not checkable (or depend on a reading,
    or were computed for another scenario: those rows appear only when present), over every
    column of ``frames`` whose name ends in ``verdict``."""
    values = [v for frame in frames for column in frame.columns if column.endswith("verdict")
              for v in frame[column]]
    order = [article.HOLDS, article.ROUNDING, article.ERRATUM, article.NOT_CHECKABLE]
    counts = pd.Series(values, dtype="object").value_counts()
    if counts.get(article.DEPENDS, 0):
        order.insert(order.index(article.ERRATUM) + 1, article.DEPENDS)  # only claims have readings
    if counts.get(article.OTHER_SCENARIO, 0):
        order.append(article.OTHER_SCENARIO)  # only in a run under other inputs than the article's
    return pd.DataFrame({"verdict": order, "figures": [int(counts.get(v, 0)) for v in order]})


def article_summary_models(data_dir: Path | None = None) -> list[str]:
    """The API models of the article's Breakeven Summary table, in its order."""
    figs = article.figures(data_dir)
    return list(dict.fromkeys(figs[figs["table"] == "The Breakeven Summary"]["row_key"]))
