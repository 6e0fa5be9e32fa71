"""Each table of the article, rebuilt from ``data/`` with the formulas of the other modules and
set beside the article's printed figures.

Every builder returns a DataFrame whose first columns follow the report's tables contract
(issue 3: token counts as plain integers of tokens, money in USD); the ``article_*`` and
``verdict`` columns that follow say what the article printed and whether it agrees
(see :func:`helpers.article.verdict`). :func:`save` writes a table for a report run.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from helpers.costs import api, breakeven, decision, selfhost, tco
from helpers import article, data
from helpers.costs import hybrid as hybrid_mod
from helpers.assumptions import DAYS_PER_MONTH, HOURS_PER_MONTH, INPUT_SHARE
from helpers.files import atomic_write

PRECISIONS = {"fp16": 16, "8-bit": 8, "4-bit": 4}

# The reports' tables contract (issue 3): file name -> columns it must hold (more are welcome).
# Token counts are plain integers of tokens, money in USD.
CONTRACT = {
    "api_costs": ["model", "provider", "tier", "usd_per_1m_input", "usd_per_1m_output",
                  "blended_usd_per_1m", "usd_per_month"],
    "gpu_cloud": ["gpu", "vram_gb", "usd_per_hour", "usd_per_month"],
    "consumer_hardware": ["hardware", "memory_gb", "usd_price"],
    "vram_by_model_size": ["params_billion", "vram_gb_fp16", "vram_gb_4bit", "minimum_hardware"],
    "breakeven_volumes": ["api_model", "monthly_tokens", "api_usd_per_month", "selfhost_usd_per_month",
                          "winner", "cost_ratio"],
    "breakeven_summary": ["api_model", "blended_usd_per_1m", "breakeven_tokens_per_month",
                          "breakeven_tokens_per_day", "tco_breakeven_tokens_per_month",
                          "tco_breakeven_tokens_per_day", "within_single_gpu_capacity"],
    "tco_components": ["component", "usd_per_month"],
    "capacity": ["gpu", "model", "tokens_per_s", "tokens_per_month"],
    "model_quality": [],
    "hybrid": [],
    "decision_cases": [],
    "claims": ["claim_id", "section", "claim_text", "article_value", "recomputed_value", "verdict",
               "explanation"],
    "price_drift": ["model", "article_usd_per_1m_input", "article_usd_per_1m_output",
                    "current_usd_per_1m_input", "current_usd_per_1m_output", "blended_change",
                    "article_breakeven_tokens_per_month", "current_breakeven_tokens_per_month"],
}


def contract_problems(tables_dir: str | os.PathLike) -> list[str]:
    """What the tables written to ``tables_dir`` lack of :data:`CONTRACT`: one line per table
    that misses a required column (tables not written are not reported)."""
    problems = []
    for name, required in CONTRACT.items():
        path = Path(tables_dir) / f"{name}.csv"
        if path.exists():
            missing = [c for c in required if c not in pd.read_csv(path, nrows=0).columns]
            if missing:
                problems.append(f"tables/{name}.csv misses contract columns: {', '.join(missing)}")
    return problems


def _with_article(frame: pd.DataFrame, ids: list[str], recomputed_column: str,
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


def api_costs(tokens_per_day: float, input_share: float = INPUT_SHARE,
              days_per_month: float = DAYS_PER_MONTH, tiers: list[str] | None = None,
              data_dir: Path | None = None, judge: bool | None = None) -> pd.DataFrame:
    """Flagship and Budget Models tables: blended price and monthly bill at a daily volume.

    The printed monthly bills are judged when the inputs are the article's (10M tokens/day,
    50/50, 30 days), else marked other_scenario; ``judge=True`` judges them at any inputs, to
    test what workload the article actually computed."""
    prices = data.load("api_prices", data_dir)
    if tiers is not None:
        prices = prices[prices["tier"].isin(tiers)]
    frame = prices[["model", "provider", "tier", "usd_per_1m_input", "usd_per_1m_output"]].copy()
    frame["blended_usd_per_1m"] = [
        api.blended_usd_per_1m(i, o, input_share)
        for i, o in zip(frame["usd_per_1m_input"], frame["usd_per_1m_output"])
    ]
    frame["usd_per_month"] = [
        api.api_usd_per_month_at_daily(tokens_per_day, b, days_per_month)
        for b in frame["blended_usd_per_1m"]
    ]
    ids = [f"api.{m}.usd_per_month" for m in frame["model"]]
    comparable = judge if judge is not None else article.same_inputs(
        (tokens_per_day, article.value("scenario.tokens_per_day", data_dir)),
        (input_share, INPUT_SHARE), (days_per_month, DAYS_PER_MONTH))
    return _with_article(frame.reset_index(drop=True), ids, "usd_per_month", data_dir=data_dir,
                         comparable=comparable)


def gpu_cloud(hours_per_month: float = HOURS_PER_MONTH, spot_discount: float = 0.0,
              data_dir: Path | None = None) -> pd.DataFrame:
    """Cloud GPU Pricing table: monthly bill of each configuration."""
    gpus = data.load("gpu_cloud", data_dir)
    frame = gpus[["gpu", "gpu_count", "vram_gb", "usd_per_hour", "best_for"]].copy()
    frame["gpu_count"] = frame["gpu_count"].astype(int)
    frame["usd_per_month"] = [
        selfhost.gpu_usd_per_month(p, hours_per_month, 1, spot_discount) for p in frame["usd_per_hour"]
    ]
    ids = [f"gpu.{g}.usd_per_month" for g in frame["gpu"]]
    comparable = article.same_inputs((hours_per_month, HOURS_PER_MONTH), (spot_discount, 0.0))
    return _with_article(frame.reset_index(drop=True), ids, "usd_per_month", data_dir=data_dir,
                         comparable=comparable)


def consumer_hardware(params_billion: float = 70, data_dir: Path | None = None) -> pd.DataFrame:
    """Consumer GPU table, with whether a ``params_billion`` model's weights fit at 16, 8 and
    4 bits, and the most bits per weight that fit."""
    hardware = data.load("consumer_hardware", data_dir)
    frame = hardware[["hardware", "memory_gb", "usd_price", "memory_kind", "what_it_runs"]].copy()
    for name, bits in PRECISIONS.items():
        frame[f"fits_{params_billion:g}b_{name.replace('-', '')}"] = [
            selfhost.fits(params_billion, bits, m) for m in frame["memory_gb"]
        ]
    frame[f"max_bits_per_weight_{params_billion:g}b"] = [
        selfhost.max_bits_per_weight(m, params_billion) for m in frame["memory_gb"]
    ]
    return frame.reset_index(drop=True)


def vram_by_model_size(data_dir: Path | None = None) -> pd.DataFrame:
    """Model size -> VRAM table: weights at 16 and 4 bits (params * bits / 8) beside the
    article's figures."""
    sizes = data.load("model_sizes", data_dir)
    frame = pd.DataFrame({
        "params_billion": sizes["params_billion"],
        "vram_gb_fp16": [selfhost.vram_gb(p, 16) for p in sizes["params_billion"]],
        "vram_gb_8bit": [selfhost.vram_gb(p, 8) for p in sizes["params_billion"]],
        "vram_gb_4bit": [selfhost.vram_gb(p, 4) for p in sizes["params_billion"]],
        "minimum_hardware": sizes["minimum_hardware"],
        "article_vram_gb_fp16": sizes["vram_gb_fp16"],
        "article_vram_gb_4bit": sizes["vram_gb_4bit"],
    })
    # The article prints whole gigabytes.
    frame["fp16_verdict"] = [article.verdict(r, p, 1) for r, p in zip(frame["vram_gb_fp16"], frame["article_vram_gb_fp16"])]
    frame["4bit_verdict"] = [article.verdict(r, p, 1) for r, p in zip(frame["vram_gb_4bit"], frame["article_vram_gb_4bit"])]
    return frame.reset_index(drop=True)


def setup(setup_name: str = "article_a100_llama70b", hours_per_month: float = HOURS_PER_MONTH,
          data_dir: Path | None = None) -> dict:
    """The breakeven set-up: its GPU bill and its monthly capacity at the conservative
    throughput, each beside the article's figure."""
    row = data.row(data.load("selfhost_setups", data_dir), "setup", setup_name)
    gpu = data.row(data.load("gpu_cloud", data_dir), "gpu", row["gpu"])
    gpu_usd = selfhost.gpu_usd_per_month(gpu["usd_per_hour"], hours_per_month)
    capacity = selfhost.tokens_per_month_capacity(row["tokens_per_s_conservative"], hours_per_month)
    return {
        "setup": setup_name,
        "gpu": row["gpu"],
        "model": row["model"],
        "tokens_per_s": float(row["tokens_per_s_conservative"]),
        "gpu_usd_per_month": gpu_usd,
        "tokens_per_month_capacity": capacity,
    }


def capacity(setup_name: str = "article_a100_llama70b", hours_per_month: float = HOURS_PER_MONTH,
             data_dir: Path | None = None) -> pd.DataFrame:
    """Capacity table (gpu, model, tokens_per_s, tokens_per_month) at the set-up's low,
    conservative and high throughput."""
    row = data.row(data.load("selfhost_setups", data_dir), "setup", setup_name)
    rows = []
    for case in ("low", "conservative", "high"):
        tps = float(row[f"tokens_per_s_{case}"])
        rows.append({
            "gpu": row["gpu"], "model": row["model"], "throughput_case": case,
            "tokens_per_s": tps,
            "tokens_per_month": int(round(selfhost.tokens_per_month_capacity(tps, hours_per_month))),
        })
    frame = pd.DataFrame(rows)
    ids = [None, "setup.capacity.tokens_per_month", None]
    return _with_article(frame, ids, "tokens_per_month", data_dir=data_dir,
                         comparable=article.same_inputs((hours_per_month, HOURS_PER_MONTH)))


def blended_price(model: str, input_share: float = INPUT_SHARE, data_dir: Path | None = None) -> float:
    """Blended USD per 1M tokens of one API model of ``api_prices.csv``."""
    row = data.row(data.load("api_prices", data_dir), "model", model)
    return api.blended_usd_per_1m(row["usd_per_1m_input"], row["usd_per_1m_output"], input_share)


def breakeven_volumes(api_model: str, selfhost_usd_per_month: float,
                      volumes: list[int] | None = None, input_share: float = INPUT_SHARE,
                      data_dir: Path | None = None) -> pd.DataFrame:
    """A per-volume breakeven table (long form): API and self-hosting bills, winner and cost
    ratio at each monthly volume. ``volumes`` defaults to the article's rows for this API."""
    blended = blended_price(api_model, input_share, data_dir)
    if volumes is None:
        volumes = article.volumes_of_table(f"Breakeven vs {api_model}", data_dir)
    rows = []
    for volume in volumes:
        result = breakeven.cost_at_volume(volume, blended, selfhost_usd_per_month)
        rows.append({"api_model": api_model, **result})
    frame = pd.DataFrame(rows)
    frame["monthly_tokens"] = frame["monthly_tokens"].astype("int64")
    figs = article.figures(data_dir)
    api_ids = [f"vol.{api_model}.{v}.api" for v in volumes]
    ratio_ids = [f"vol.{api_model}.{v}.ratio" for v in volumes]
    comparable = article.same_inputs(
        (selfhost_usd_per_month, article.value("setup.gpu.usd_per_month", data_dir)), (input_share, INPUT_SHARE))
    frame = _with_article(frame, api_ids, "api_usd_per_month", "article_api", data_dir, comparable)
    frame = _with_article(frame, ratio_ids, "cost_ratio", "article_ratio", data_dir, comparable)
    frame["article_winner"] = [figs.loc[i, "label"] if i in figs.index else None for i in ratio_ids]
    frame["winner_verdict"] = [
        article.NOT_CHECKABLE if a is None else (
            article.OTHER_SCENARIO if not comparable else (article.HOLDS if a == w else article.ERRATUM))
        for a, w in zip(frame["article_winner"], frame["winner"])
    ]
    return frame


def breakeven_summary(api_models: list[str], selfhost_usd_per_month: float, tco_usd_per_month: float,
                      capacity_tokens_per_month: float, input_share: float = INPUT_SHARE,
                      days_per_month: float = DAYS_PER_MONTH, data_dir: Path | None = None) -> pd.DataFrame:
    """The Breakeven Summary, with the hidden-cost (TCO) breakevens of Total Cost Adjustment and
    whether each breakeven lies within one GPU's monthly capacity."""
    rows = []
    for model in api_models:
        blended = blended_price(model, input_share, data_dir)
        raw = breakeven.breakeven_tokens_per_month(selfhost_usd_per_month, blended)
        adjusted = breakeven.breakeven_tokens_per_month(tco_usd_per_month, blended)
        rows.append({
            "api_model": model,
            "blended_usd_per_1m": blended,
            "breakeven_tokens_per_month": int(round(raw)),
            "breakeven_tokens_per_day": int(round(raw / days_per_month)),
            "tco_breakeven_tokens_per_month": int(round(adjusted)),
            "tco_breakeven_tokens_per_day": int(round(adjusted / days_per_month)),
            "within_single_gpu_capacity": bool(raw <= capacity_tokens_per_month),
            "tco_within_single_gpu_capacity": bool(adjusted <= capacity_tokens_per_month),
        })
    frame = pd.DataFrame(rows)
    share = (input_share, INPUT_SHARE)
    days = (days_per_month, DAYS_PER_MONTH)
    raw = (selfhost_usd_per_month, article.value("setup.gpu.usd_per_month", data_dir))
    adjusted = (tco_usd_per_month, article.value("tco.total", data_dir))
    frame = _with_article(frame, [f"be.{m}.tokens_per_month" for m in api_models],
                          "breakeven_tokens_per_month", "article_month", data_dir,
                          article.same_inputs(raw, share))
    frame = _with_article(frame, [f"be.{m}.tokens_per_day" for m in api_models],
                          "breakeven_tokens_per_day", "article_day", data_dir,
                          article.same_inputs(raw, share, days))
    frame = _with_article(frame, [f"tco_be.{m}.tokens_per_month" for m in api_models],
                          "tco_breakeven_tokens_per_month", "article_tco_month", data_dir,
                          article.same_inputs(adjusted, share))
    frame = _with_article(frame, [f"tco_be.{m}.tokens_per_day" for m in api_models],
                          "tco_breakeven_tokens_per_day", "article_tco_day", data_dir,
                          article.same_inputs(adjusted, share, days))
    return frame


def tco_components(gpu_usd_per_month: float, devops_hours_per_month: float, devops_usd_per_hour: float,
                   infrastructure_usd_per_month: float, data_dir: Path | None = None) -> pd.DataFrame:
    """Total Cost Adjustment table: component, usd_per_month, beside the article."""
    parts = tco.tco_components(gpu_usd_per_month, devops_hours_per_month, devops_usd_per_hour,
                               infrastructure_usd_per_month)
    frame = pd.DataFrame({"component": list(parts), "usd_per_month": list(parts.values())})
    ids = ["tco.gpu", "tco.devops", "tco.infrastructure", "tco.total"]
    comparable = article.same_inputs(
        (gpu_usd_per_month, article.value("tco.gpu", data_dir)),
        (devops_hours_per_month, data.hidden_cost("devops_hours_per_month", "point", data_dir)),
        (devops_usd_per_hour, data.hidden_cost("devops_usd_per_hour", "point", data_dir)),
        (infrastructure_usd_per_month, data.hidden_cost("infrastructure_usd_per_month", "point", data_dir)))
    return _with_article(frame, ids, "usd_per_month", data_dir=data_dir, comparable=comparable)


def model_quality(data_dir: Path | None = None) -> pd.DataFrame:
    """Model Quality Gap table, with each model's gap to the best MMLU and HumanEval score."""
    quality = data.load("model_quality", data_dir)
    frame = quality[["model", "mmlu_pct", "humaneval_pct", "reasoning_tasks", "self_hostable"]].copy()
    frame["mmlu_gap_to_best_pct"] = frame["mmlu_pct"].max() - frame["mmlu_pct"]
    frame["humaneval_gap_to_best_pct"] = frame["humaneval_pct"].max() - frame["humaneval_pct"]
    return frame.reset_index(drop=True)


def save(frame: pd.DataFrame, name: str, tables_dir: str | os.PathLike | None) -> Path | None:
    """Write ``frame`` as ``<tables_dir>/<name>.csv`` for a report run; do nothing when
    ``tables_dir`` is empty. Written to a temporary file first, then renamed, so a reader never
    sees half a table."""
    if not tables_dir:
        return None
    directory = Path(tables_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name}.csv"
    with atomic_write(target, newline="") as handle:
        frame.to_csv(handle, index=False)
    return target


# ---------------------------------------------------------------------------------------------
# Notebook support (issue 2): display settings, prose formatting, the scenario's self-hosting
# figures, and the builders of the tables the first builders do not cover.
# ---------------------------------------------------------------------------------------------

DISPLAY_PRECISION = 4


def display_options() -> None:
    """Fixed pandas display settings, so a notebook's committed outputs are deterministic."""
    pd.set_option("display.precision", DISPLAY_PRECISION)
    pd.set_option("display.max_columns", 60)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_colwidth", 70)


def tokens_text(tokens: float) -> str:
    """A token count as the article writes it, three significant digits: 256M, 3.89B, 8.53M."""
    tokens = float(tokens)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(tokens) >= size:
            return f"{tokens / size:.3g}{suffix}"
    return f"{tokens:.3g}"


def usd_text(usd: float) -> str:
    """Dollars: cents below $100, whole dollars with thousands separators above."""
    return f"${usd:,.2f}" if abs(usd) < 100 else f"${usd:,.0f}"


def prose(text: str):
    """Markdown output of computed prose. Dollar signs are escaped: Jupyter and nbconvert read
    a pair of ``$`` as LaTeX math, which would swallow "$1,440 ... $5.63" and its bold marks."""
    from IPython.display import Markdown  # noqa: PLC0415  (notebooks only)
    return Markdown(text.replace("$", r"\$"))


def round_significant(value: float, digits: int = 1) -> float:
    """``value`` rounded to ``digits`` significant digits (1,004,000 -> 1,000,000)."""
    if value == 0:
        return 0.0
    return float(f"{value:.{digits}g}")


def hidden_cost_inputs(devops_hours_per_month: float | None = None,
                       devops_usd_per_hour: float | None = None,
                       infrastructure_usd_per_month: float | None = None,
                       data_dir: Path | None = None) -> dict[str, float]:
    """The three hidden-cost inputs, each ``None`` replaced by the article's point estimate
    (``hidden_costs.csv``, column ``point``)."""
    given = {
        "devops_hours_per_month": devops_hours_per_month,
        "devops_usd_per_hour": devops_usd_per_hour,
        "infrastructure_usd_per_month": infrastructure_usd_per_month,
    }
    return {name: float(value) if value is not None else data.hidden_cost(name, "point", data_dir)
            for name, value in given.items()}


def selfhost_scenario(gpu: str, gpu_count: int = 1, spot_discount: float = 0.0,
                      hours_per_month: float = HOURS_PER_MONTH,
                      setup_name: str = "article_a100_llama70b", tokens_per_s: float | None = None,
                      devops_hours_per_month: float | None = None,
                      devops_usd_per_hour: float | None = None,
                      infrastructure_usd_per_month: float | None = None,
                      data_dir: Path | None = None) -> dict:
    """Everything a notebook needs about the scenario's self-hosting side, derived once.

    gpu_usd_per_month   = usd_per_hour(gpu) * hours_per_month * gpu_count * (1 - spot_discount)
    capacity            = tokens_per_s * 3600 * hours_per_month * gpu_count
                          (tokens_per_s: the set-up's conservative figure unless given)
    tco_usd_per_month   = gpu + devops_hours * devops_rate + infrastructure
    ``gpu_matches_setup`` is False when the rented GPU is not the one the set-up's throughput
    was quoted for (the capacity then assumes the same throughput on another card).
    """
    setup_row = data.row(data.load("selfhost_setups", data_dir), "setup", setup_name)
    gpu_row = data.row(data.load("gpu_cloud", data_dir), "gpu", gpu)
    tps = float(setup_row["tokens_per_s_conservative"]) if tokens_per_s is None else float(tokens_per_s)
    gpu_usd = selfhost.gpu_usd_per_month(gpu_row["usd_per_hour"], hours_per_month, gpu_count, spot_discount)
    hidden = hidden_cost_inputs(devops_hours_per_month, devops_usd_per_hour,
                                infrastructure_usd_per_month, data_dir)
    total = tco.tco_usd_per_month(gpu_usd, hidden["devops_hours_per_month"],
                                  hidden["devops_usd_per_hour"], hidden["infrastructure_usd_per_month"])
    return {
        "gpu": gpu,
        "gpu_count": int(gpu_count),
        "spot_discount": float(spot_discount),
        "setup": setup_name,
        "model": setup_row["model"],
        "setup_gpu": setup_row["gpu"],
        "gpu_matches_setup": setup_row["gpu"] == gpu_row["gpu_model"],
        "tokens_per_s": tps,
        "gpu_usd_per_month": float(gpu_usd),
        "capacity_tokens_per_month": float(selfhost.tokens_per_month_capacity(tps, hours_per_month, gpu_count)),
        **hidden,
        "hidden_usd_per_month": float(total - gpu_usd),
        "tco_usd_per_month": float(total),
    }


def selfhost_from_parameters(params: dict, data_dir: Path | None = None) -> dict:
    """:func:`selfhost_scenario` for a notebook's validated parameters
    (:func:`helpers.scenario.notebook_parameters`), the throughput resolved by
    :func:`resolve_tokens_per_s`; ``gpu`` and ``setup`` are required, every other parameter the
    notebook does not declare keeps the article's value."""
    optional = ("gpu_count", "spot_discount", "hours_per_month", "devops_hours_per_month",
                "devops_usd_per_hour", "infrastructure_usd_per_month")
    tokens_per_s = resolve_tokens_per_s(params["setup"], params.get("throughput_source", "article"),
                                        params.get("tokens_per_s"), data_dir, gpu=params["gpu"],
                                        input_share=params.get("input_share", INPUT_SHARE))
    return selfhost_scenario(params["gpu"], setup_name=params["setup"], tokens_per_s=tokens_per_s,
                             data_dir=data_dir, **{k: params[k] for k in optional if k in params})


def api_costs_vs_article(frame: pd.DataFrame, days_per_month: float = DAYS_PER_MONTH) -> pd.DataFrame:
    """Add to an :func:`api_costs` frame the ratio article / recomputed and the daily volume at
    which the article's printed monthly figure would be right:

    article_over_recomputed        = article_value / usd_per_month
    article_implied_tokens_per_day = article_value / blended_usd_per_1m * 1e6 / days_per_month
    """
    frame = frame.copy()
    frame["article_over_recomputed"] = frame["article_value"] / frame["usd_per_month"]
    frame["article_implied_tokens_per_day"] = [
        int(round(api.tokens_per_day(breakeven.breakeven_tokens_per_month(printed, blended), days_per_month)))
        if pd.notna(printed) else pd.NA
        for printed, blended in zip(frame["article_value"], frame["blended_usd_per_1m"])
    ]
    return frame


def blended_prices(api_models: list[str], input_share: float = INPUT_SHARE,
                   data_dir: Path | None = None) -> pd.DataFrame:
    """Blended price of each API, beside the article's "Blended rate" lines where it printed one."""
    prices = data.load("api_prices", data_dir).set_index("model")
    frame = pd.DataFrame({
        "api_model": api_models,
        "usd_per_1m_input": [float(prices.loc[m, "usd_per_1m_input"]) for m in api_models],
        "usd_per_1m_output": [float(prices.loc[m, "usd_per_1m_output"]) for m in api_models],
        "blended_usd_per_1m": [blended_price(m, input_share, data_dir) for m in api_models],
    })
    return _with_article(frame, [f"blended.{m}" for m in api_models], "blended_usd_per_1m",
                         data_dir=data_dir, comparable=article.same_inputs((input_share, INPUT_SHARE)))


def gpu_cloud_with_spot(hours_per_month: float = HOURS_PER_MONTH, data_dir: Path | None = None) -> pd.DataFrame:
    """Cloud GPU Pricing table with the spot range the article gives in prose ("40-60%"
    cheaper, ``hidden_costs.csv`` row spot_discount): the monthly bill at the largest and the
    smallest discount."""
    frame = gpu_cloud(hours_per_month, 0.0, data_dir)
    low = data.hidden_cost("spot_discount", "low", data_dir)
    high = data.hidden_cost("spot_discount", "high", data_dir)
    frame["spot_usd_per_month_low"] = [selfhost.gpu_usd_per_month(p, hours_per_month, 1, high)
                                       for p in frame["usd_per_hour"]]
    frame["spot_usd_per_month_high"] = [selfhost.gpu_usd_per_month(p, hours_per_month, 1, low)
                                        for p in frame["usd_per_hour"]]
    return frame


def best_precision(params_billion: float, memory_gb: float) -> str:
    """The most precise of fp16, 8-bit and 4-bit at which a model's weights fit in
    ``memory_gb`` ("does not fit" when even 4-bit does not)."""
    for name, bits in PRECISIONS.items():
        if selfhost.fits(params_billion, bits, memory_gb):
            return name
    return "does not fit"


def what_fits(data_dir: Path | None = None) -> pd.DataFrame:
    """For every consumer and cloud configuration, the best precision (fp16, 8-bit, 4-bit) at
    which each model size of ``model_sizes.csv`` fits, weights only (KV cache comes on top),
    beside what the article says each runs."""
    consumer = data.load("consumer_hardware", data_dir)
    cloud = data.load("gpu_cloud", data_dir)
    frame = pd.concat([
        pd.DataFrame({"hardware": consumer["hardware"], "kind": "consumer",
                      "memory_gb": consumer["memory_gb"], "article_says": consumer["what_it_runs"]}),
        pd.DataFrame({"hardware": cloud["gpu"], "kind": "cloud",
                      "memory_gb": cloud["vram_gb"], "article_says": cloud["best_for"]}),
    ], ignore_index=True)
    for size in data.load("model_sizes", data_dir)["params_billion"]:
        frame[f"{size:g}B"] = [best_precision(size, m) for m in frame["memory_gb"]]
    return frame


def capacity_with_scenario(derived: dict, setup_name: str = "article_a100_llama70b",
                           hours_per_month: float = HOURS_PER_MONTH,
                           data_dir: Path | None = None) -> pd.DataFrame:
    """:func:`capacity` (the set-up's low, conservative and high throughput on one GPU) plus a
    ``scenario`` row when the scenario's throughput or GPU count differs from the conservative
    single-GPU case. ``derived`` is :func:`selfhost_scenario`'s result."""
    frame = capacity(setup_name, hours_per_month, data_dir)
    conservative = frame[frame["throughput_case"] == "conservative"].iloc[0]
    if derived["tokens_per_s"] != conservative["tokens_per_s"] or derived["gpu_count"] != 1:
        frame = pd.concat([frame, pd.DataFrame([{
            "gpu": f"{derived['gpu_count']}x {derived['gpu']}", "model": derived["model"],
            "throughput_case": "scenario", "tokens_per_s": derived["tokens_per_s"],
            "tokens_per_month": int(round(derived["capacity_tokens_per_month"])),
            "article_text": None, "article_value": float("nan"), "article_verdict": article.NOT_CHECKABLE,
        }])], ignore_index=True)
    return frame


def article_volume_tables(data_dir: Path | None = None) -> list[str]:
    """The API models for which the article printed a per-volume breakeven table."""
    figs = article.figures(data_dir)
    rows = figs[(figs["quantity"] == "api_usd_per_month") & figs["table"].str.startswith("Breakeven vs ")]
    return list(dict.fromkeys(t.removeprefix("Breakeven vs ") for t in rows["table"]))


def breakeven_volumes_all(selfhost_usd_per_month: float, input_share: float = INPUT_SHARE,
                          data_dir: Path | None = None) -> pd.DataFrame:
    """Every per-volume breakeven table of the article, concatenated (long form)."""
    return pd.concat([breakeven_volumes(m, selfhost_usd_per_month, None, input_share, data_dir)
                      for m in article_volume_tables(data_dir)], ignore_index=True)


def tco_range(gpu_usd_per_month: float, data_dir: Path | None = None) -> pd.DataFrame:
    """True monthly cost at the low, point and high hidden-cost inputs of ``hidden_costs.csv``,
    its multiple of the raw GPU bill (tco / gpu), and whether that multiple lies within the
    article's rule of thumb (``tco_multiplier`` low..high, "1.3x to 2.0x")."""
    rule_low = data.hidden_cost("tco_multiplier", "low", data_dir)
    rule_high = data.hidden_cost("tco_multiplier", "high", data_dir)
    rows = []
    for case in ("low", "point", "high"):
        inputs = {name: data.hidden_cost(name, case, data_dir)
                  for name in ("devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month")}
        total = tco.tco_usd_per_month(gpu_usd_per_month, **inputs)
        multiplier = tco.tco_multiplier(total, gpu_usd_per_month)
        rows.append({"case": case, **inputs, "gpu_usd_per_month": gpu_usd_per_month,
                     "tco_usd_per_month": total, "tco_multiplier": multiplier,
                     "within_rule_of_thumb": bool(rule_low - 1e-9 <= multiplier <= rule_high + 1e-9)})
    frame = pd.DataFrame(rows)
    frame["rule_of_thumb_low"] = rule_low
    frame["rule_of_thumb_high"] = rule_high
    return frame


def hybrid(monthly_tokens: float, api_share: float, api_model: str, simple_api_model: str,
           rented_gpus: list[str], bought_hardware: list[str], amortization_months: float,
           small_model_params_billion: float, small_model_bits: float = PRECISIONS["fp16"],
           hidden_usd_per_month: float = 0.0, input_share: float = INPUT_SHARE,
           hours_per_month: float = HOURS_PER_MONTH, data_dir: Path | None = None) -> pd.DataFrame:
    """The hybrid example priced with real hardware, against routing everything to the API.

    Rows: everything to ``api_model``; ``api_share`` to ``api_model`` and the rest to
      - a rented GPU (``gpu_cloud.csv``, 24/7): usd_per_hour * hours_per_month,
      - bought hardware (``consumer_hardware.csv``): usd_price / amortization_months +
        electricity (``hidden_costs.csv`` low and high: two rows),
      - a cheap API (``simple_api_model``): no hardware at all.
    share_of_all_api = total / all-API total. ``total_with_hidden_usd_per_month`` adds
    ``hidden_usd_per_month`` (DevOps + infrastructure) to the self-hosted options.
    ``small_model_fits`` says whether the small model's weights fit the hardware at
    ``small_model_bits``.
    """
    blended = blended_price(api_model, input_share, data_dir)
    everything = api.api_usd_per_month(monthly_tokens, blended)
    gpus = data.load("gpu_cloud", data_dir)
    hardware = data.load("consumer_hardware", data_dir)
    options = [("all API", api_model, None, 0.0, float("nan"))]
    for gpu in rented_gpus:
        row = data.row(gpus, "gpu", gpu)
        options.append(("hybrid, rented GPU 24/7", gpu, None,
                        selfhost.gpu_usd_per_month(row["usd_per_hour"], hours_per_month),
                        float(row["vram_gb"])))
    for name in bought_hardware:
        row = data.row(hardware, "hardware", name)
        for case in ("low", "high"):
            electricity = data.hidden_cost("electricity_usd_per_month", case, data_dir)
            options.append((f"hybrid, bought, electricity {case}", name, None,
                            selfhost.amortized_usd_per_month(row["usd_price"], amortization_months, electricity),
                            float(row["memory_gb"])))
    options.append(("API only, simple tasks to a cheap API", simple_api_model,
                    blended_price(simple_api_model, input_share, data_dir), 0.0, float("nan")))
    rows = []
    for option, what, simple_blended, fixed, memory in options:
        if option == "all API":
            parts = hybrid_mod.hybrid_usd_per_month(monthly_tokens, 1.0, blended, 0.0)
        else:
            parts = hybrid_mod.hybrid_usd_per_month(monthly_tokens, api_share, blended, fixed)
        if simple_blended is not None:
            parts["selfhost_usd_per_month"] = api.api_usd_per_month(parts["selfhost_tokens_per_month"], simple_blended)
            parts["total_usd_per_month"] = parts["api_usd_per_month"] + parts["selfhost_usd_per_month"]
        self_hosted = not pd.isna(memory)
        rows.append({
            "option": option, "simple_tasks_on": what if option != "all API" else api_model,
            "api_model": api_model,
            "api_tokens_per_month": int(round(parts["api_tokens_per_month"])),
            "simple_tokens_per_month": int(round(parts["selfhost_tokens_per_month"])),
            "api_usd_per_month": parts["api_usd_per_month"],
            "simple_tasks_usd_per_month": parts["selfhost_usd_per_month"],
            "total_usd_per_month": parts["total_usd_per_month"],
            "share_of_all_api": parts["total_usd_per_month"] / everything if everything else float("nan"),
            "total_with_hidden_usd_per_month": parts["total_usd_per_month"] + (hidden_usd_per_month if self_hosted else 0.0),
            "small_model_fits": (selfhost.fits(small_model_params_billion, small_model_bits, memory)
                                 if self_hosted else None),
        })
    frame = pd.DataFrame(rows)
    frame["share_with_hidden_of_all_api"] = frame["total_with_hidden_usd_per_month"] / everything if everything else float("nan")
    ids = [None if o == "all API" else "hybrid.api.usd_per_month" for o in frame["option"]]
    article_api_model = article.figure("hybrid.api.usd_per_month", data_dir)["row_key"].removeprefix("API: ")
    comparable = api_model == article_api_model and article.same_inputs(
        (api_share * monthly_tokens, article.value("hybrid.api.tokens_per_month", data_dir)),
        (input_share, INPUT_SHARE))
    return _with_article(frame, ids, "api_usd_per_month", data_dir=data_dir, comparable=comparable)


def decision_cases(cases: pd.DataFrame, derived: dict, flagship_api_model: str, budget_api_model: str,
                   input_share: float = INPUT_SHARE, days_per_month: float = DAYS_PER_MONTH,
                   data_dir: Path | None = None) -> pd.DataFrame:
    """The four-step framework (:func:`helpers.costs.decision.decide`) applied to each team of
    ``cases`` (columns team, tokens_per_day, privacy_required, needs_flagship_quality,
    has_ml_expertise), with what the options cost at that team's volume:

    flagship / budget API   tokens_per_month / 1e6 * blended price
    selfhost_gpu_count      ceil(tokens_per_month / one deployment's capacity), at least 1
    selfhost_usd_per_month  gpu_count * the deployment's GPU bill (``derived``)
    selfhost_tco            selfhost_usd_per_month + DevOps + infrastructure (taken as fixed,
                            whatever the GPU count: a floor)
    ``derived`` is :func:`selfhost_scenario`'s result.
    """
    flagship = blended_price(flagship_api_model, input_share, data_dir)
    budget = blended_price(budget_api_model, input_share, data_dir)
    rows = []
    for case in cases.to_dict("records"):
        choice = decision.decide(case["tokens_per_day"], bool(case["privacy_required"]),
                                 bool(case["needs_flagship_quality"]), bool(case["has_ml_expertise"]))
        monthly = api.tokens_per_month(case["tokens_per_day"], days_per_month)
        gpu_count = max(1, math.ceil(monthly / derived["capacity_tokens_per_month"] - 1e-9))
        selfhost_usd = gpu_count * derived["gpu_usd_per_month"]
        selfhost_tco = selfhost_usd + derived["hidden_usd_per_month"]
        budget_usd = api.api_usd_per_month(monthly, budget)
        rows.append({
            "team": case["team"],
            "tokens_per_day": int(round(case["tokens_per_day"])),
            "tokens_per_month": int(round(monthly)),
            "privacy_required": bool(case["privacy_required"]),
            "needs_flagship_quality": bool(case["needs_flagship_quality"]),
            "has_ml_expertise": bool(case["has_ml_expertise"]),
            "recommendation": choice.recommendation,
            "step": choice.step,
            "reason": choice.reason,
            "flagship_api_model": flagship_api_model,
            "flagship_api_usd_per_month": api.api_usd_per_month(monthly, flagship),
            "budget_api_model": budget_api_model,
            "budget_api_usd_per_month": budget_usd,
            "selfhost_gpu_count": gpu_count,
            "selfhost_usd_per_month": selfhost_usd,
            "selfhost_tco_usd_per_month": selfhost_tco,
            "cheaper_at_open_model_quality": breakeven.API if budget_usd < selfhost_tco else breakeven.SELF_HOST,
        })
    return pd.DataFrame(rows)


def verdict_counts(*frames: pd.DataFrame) -> pd.DataFrame:
    """How many figures hold, are rounding, are errata or not checkable (or were computed for
    another scenario), over every column of ``frames`` whose name ends in ``verdict``."""
    values = [v for frame in frames for column in frame.columns if column.endswith("verdict")
              for v in frame[column]]
    order = [article.HOLDS, article.ROUNDING, article.ERRATUM, article.NOT_CHECKABLE]
    counts = pd.Series(values, dtype="object").value_counts()
    if counts.get(article.OTHER_SCENARIO, 0):
        order.append(article.OTHER_SCENARIO)  # only in a run under other inputs than the article's
    return pd.DataFrame({"verdict": order, "figures": [int(counts.get(v, 0)) for v in order]})


def resolve_tokens_per_s(setup_name: str, throughput_source: str = "article",
                         tokens_per_s: float | None = None, data_dir: Path | None = None,
                         gpu: str | None = None, input_share: float = INPUT_SHARE) -> float | None:
    """The throughput a notebook uses: ``tokens_per_s`` when given; otherwise, for
    ``throughput_source == "article"``, None (= the set-up's conservative figure, see
    :func:`selfhost_scenario`); for ``"model"``, the capacity model's input + output tokens/s
    of the set-up's model on one ``gpu`` unit at ``input_share``
    (:func:`helpers.capacity.setup_tokens_per_s`; 0 when the model does not fit)."""
    if tokens_per_s is not None:
        return float(tokens_per_s)
    if throughput_source == "article":
        data.row(data.load("selfhost_setups", data_dir), "setup", setup_name)  # a clear error if unknown
        return None
    if throughput_source == "model":
        from helpers import capacity  # noqa: PLC0415  (imported only when asked: it loads more tables)
        return capacity.setup_tokens_per_s(setup_name, "model", input_share, data_dir=data_dir, gpu=gpu)
    raise ValueError(f"throughput_source must be 'article' or 'model', got {throughput_source!r}")


def article_summary_models(data_dir: Path | None = None) -> list[str]:
    """The API models of the article's Breakeven Summary table, in its order."""
    figs = article.figures(data_dir)
    return list(dict.fromkeys(figs[figs["table"] == "The Breakeven Summary"]["row_key"]))


def breakeven_sentence(summary: pd.DataFrame, model: str) -> str:
    """One line of prose for a row of :func:`breakeven_summary` (indexed by api_model): the
    recomputed breakeven beside the article's, with the verdicts."""
    row = summary.loc[model]
    return (f"Breakeven vs {model}: **{tokens_text(row['breakeven_tokens_per_month'])} tokens/month** "
            f"({tokens_text(row['breakeven_tokens_per_day'])}/day); the article prints "
            f"{row['article_month_text']} ({row['article_month_verdict']}) and {row['article_day_text']} "
            f"({row['article_day_verdict']}).")


# "Total cost is a fraction of routing everything through an API": read as at most half.
HYBRID_FRACTION_AT_MOST = 0.5
