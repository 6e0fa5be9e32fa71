"""Each table of the article, rebuilt from ``data/`` with the formulas of the other modules and
set beside the article's printed figures.

Every builder returns a DataFrame whose first columns follow the report's tables contract
(issue 3: token counts as plain integers of tokens, money in USD); the ``article_*`` and
``verdict`` columns that follow say what the article printed and whether it agrees
(see :func:`helpers.article.verdict`). :func:`save` writes a table for a report run.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from . import api, article, breakeven, data, selfhost, tco
from .assumptions import DAYS_PER_MONTH, HOURS_PER_MONTH, INPUT_SHARE

PRECISIONS = {"fp16": 16, "8-bit": 8, "4-bit": 4}


def _with_article(frame: pd.DataFrame, ids: list[str], recomputed_column: str,
                  prefix: str = "article", data_dir: Path | None = None) -> pd.DataFrame:
    """Add ``<prefix>_text``, ``<prefix>_value`` and ``<prefix>_verdict`` columns: the
    printed figure with id ``ids[i]`` beside row i's ``recomputed_column`` (None: nothing
    printed)."""
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
        verdicts.append(article.verdict(recomputed, row["value"], row["resolution"]))
    frame = frame.copy()
    frame[f"{prefix}_text"] = texts
    frame[f"{prefix}_value"] = values
    frame[f"{prefix}_verdict"] = verdicts
    return frame


def api_costs(tokens_per_day: float, input_share: float = INPUT_SHARE,
              days_per_month: float = DAYS_PER_MONTH, tiers: list[str] | None = None,
              data_dir: Path | None = None) -> pd.DataFrame:
    """Flagship and Budget Models tables: blended price and monthly bill at a daily volume."""
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
    return _with_article(frame.reset_index(drop=True), ids, "usd_per_month", data_dir=data_dir)


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
    return _with_article(frame.reset_index(drop=True), ids, "usd_per_month", data_dir=data_dir)


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
    return _with_article(frame, ids, "tokens_per_month", data_dir=data_dir)


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
    frame = _with_article(frame, api_ids, "api_usd_per_month", "article_api", data_dir)
    frame = _with_article(frame, ratio_ids, "cost_ratio", "article_ratio", data_dir)
    frame["article_winner"] = [figs.loc[i, "label"] if i in figs.index else None for i in ratio_ids]
    frame["winner_verdict"] = [
        article.NOT_CHECKABLE if a is None else (article.HOLDS if a == w else article.ERRATUM)
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
    frame = _with_article(frame, [f"be.{m}.tokens_per_month" for m in api_models],
                          "breakeven_tokens_per_month", "article_month", data_dir)
    frame = _with_article(frame, [f"be.{m}.tokens_per_day" for m in api_models],
                          "breakeven_tokens_per_day", "article_day", data_dir)
    frame = _with_article(frame, [f"tco_be.{m}.tokens_per_month" for m in api_models],
                          "tco_breakeven_tokens_per_month", "article_tco_month", data_dir)
    frame = _with_article(frame, [f"tco_be.{m}.tokens_per_day" for m in api_models],
                          "tco_breakeven_tokens_per_day", "article_tco_day", data_dir)
    return frame


def tco_components(gpu_usd_per_month: float, devops_hours_per_month: float, devops_usd_per_hour: float,
                   infrastructure_usd_per_month: float, data_dir: Path | None = None) -> pd.DataFrame:
    """Total Cost Adjustment table: component, usd_per_month, beside the article."""
    parts = tco.tco_components(gpu_usd_per_month, devops_hours_per_month, devops_usd_per_hour,
                               infrastructure_usd_per_month)
    frame = pd.DataFrame({"component": list(parts), "usd_per_month": list(parts.values())})
    ids = ["tco.gpu", "tco.devops", "tco.infrastructure", "tco.total"]
    return _with_article(frame, ids, "usd_per_month", data_dir=data_dir)


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
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as handle:
            frame.to_csv(handle, index=False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
