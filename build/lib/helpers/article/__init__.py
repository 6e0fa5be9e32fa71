"""The article's printed figures (``data/article_figures.csv``) and the rule by which a
recomputed figure is said to agree with one.

verdict(recomputed, printed, resolution):
  holds    |recomputed - printed| <= resolution / 2       (rounds to the printed figure)
  rounding |recomputed - printed| <= max(resolution, 5% of printed)
           (truncated instead of rounded, or rounded to a round number)
  erratum  otherwise

A claim a careful reader can read two reasonable ways is checked under each reading
(``helpers.article.claims``): ``depends`` when it holds under one and is wrong under another;
``erratum`` is kept for claims wrong under every reasonable reading.

A figure the article printed for its own scenario is compared only when the workbook computes
it under the same inputs; under other inputs (a report's scenario) its verdict is
``other_scenario``: the two numbers answer different questions.

``resolution`` is the unit of the last digit the article printed: 1 for "$1,440",
0.01 for "$5.63", 100M for "3.9 billion".
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from helpers import data

HOLDS = "holds"
ROUNDING = "rounding"
ERRATUM = "erratum"
NOT_CHECKABLE = "not_checkable"
DEPENDS = "depends"
OTHER_SCENARIO = "other_scenario"
ROUNDING_RELATIVE = 0.05


def verdict(recomputed: float, printed: float, resolution: float) -> str:
    """Compare a recomputed figure with the printed one (see the module docstring)."""
    if recomputed is None or printed is None or (isinstance(printed, float) and math.isnan(printed)):
        return NOT_CHECKABLE
    diff = abs(float(recomputed) - float(printed))
    eps = 1e-9 * max(abs(printed), 1.0)
    if diff <= resolution / 2 + eps:
        return HOLDS
    if diff <= max(resolution, ROUNDING_RELATIVE * abs(printed)) + eps:
        return ROUNDING
    return ERRATUM


def figures(data_dir: Path | None = None) -> pd.DataFrame:
    """All printed figures, indexed by ``figure_id``."""
    return data.load("article_figures", data_dir).set_index("figure_id")


def figure(figure_id: str, data_dir: Path | None = None) -> pd.Series:
    """One printed figure; KeyError naming the id if the CSV has no such row."""
    table = figures(data_dir)
    if figure_id not in table.index:
        raise KeyError(f"data/article_figures.csv has no figure_id {figure_id!r}")
    return table.loc[figure_id]


def value(figure_id: str, data_dir: Path | None = None) -> float:
    """The value of one printed figure (in the units of its ``unit`` column)."""
    return float(figure(figure_id, data_dir)["value"])


def article_prices(scenario) -> bool:
    """Whether a scenario prices the APIs as the article did: its February 2026 list prices
    (``price_source`` 'article'), no prompt-cache reads and no batch traffic. A figure that
    depends on an API price is comparable with the article's only then."""
    return (scenario.price_source == "article" and scenario.cached_input_share == 0
            and scenario.batch_share == 0)


def same_inputs(*pairs: tuple[float, float]) -> bool:
    """Whether every (scenario input, article input) pair is equal: the article's printed
    figures are comparable only then."""
    return all(math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12) for a, b in pairs)


def compare(recomputed: float, figure_id: str, data_dir: Path | None = None) -> dict:
    """Recomputed figure beside the printed one: printed text, value, verdict."""
    row = figure(figure_id, data_dir)
    return {
        "figure_id": figure_id,
        "article_text": row["printed_text"],
        "article_value": float(row["value"]),
        "recomputed_value": float(recomputed),
        "verdict": verdict(recomputed, row["value"], row["resolution"]),
    }


def volumes_of_table(table: str, data_dir: Path | None = None) -> list[int]:
    """The monthly volumes (row keys) the article lists in one of its per-volume tables."""
    rows = figures(data_dir)
    rows = rows[(rows["table"] == table) & (rows["quantity"] == "api_usd_per_month")]
    if rows.empty:
        raise KeyError(f"data/article_figures.csv has no volume rows for table {table!r}")
    return sorted({int(v) for v in rows["row_key"]})
