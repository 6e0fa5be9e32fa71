"""Plots of the uncertainty notebook: P(self-hosting cheaper) against volume, the fan chart, the
tornado and a contract's cumulative cost. Each takes a Monte Carlo run or its tables and
returns the Axes; notebooks end the cell with ``;``. Volumes are drawn per day, as the
article's decision framework states them."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from helpers.derive import volume_per_month
from helpers.show.format import tokens_text
from helpers.show.plots import API_COLORS, COST_SOURCE, source_line, tokens_axis, usd_axis
from helpers.uncertainty.montecarlo import CROSSING_LEVELS, MonteCarlo


def _axes(ax, size=(9, 5)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _source(ax, mc: MonteCarlo) -> None:
    source_line(ax, f"{COST_SOURCE}; helpers/uncertainty ({mc.n_draws:,} draws)")


def _daily(mc: MonteCarlo) -> np.ndarray:
    return mc.tokens_per_month / mc.scenario.days_per_month


def probability_curves(mc: MonteCarlo, ax=None):
    """P(self-hosting with hidden costs is cheaper) against daily volume, one line per API,
    with the 10/50/90% crossings marked and the scenario's own volume."""
    ax = _axes(ax)
    s = mc.scenario
    for model, color in zip(s.api_models, API_COLORS * 3):
        ax.plot(_daily(mc), mc.p_selfhost_cheaper(model), color=color, lw=2, label=model)
        for level in CROSSING_LEVELS:
            volume = mc.crossing_tokens_per_month(model, level) / s.days_per_month
            if np.isfinite(volume) and _daily(mc)[0] <= volume <= _daily(mc)[-1]:
                ax.plot([volume], [level], "o", color=color, markersize=6)
    for level in CROSSING_LEVELS:
        ax.axhline(level, color="grey", lw=0.8, ls=":")
    ax.axvline(s.tokens_per_day, color="orange", lw=1.5, label=f"Scenario ({s.tokens_per_day / 1e6:,.0f}M tokens/day)")
    ax.set_xscale("log")
    tokens_axis(ax.xaxis)
    ax.set_ylim(-0.02, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("Volume (tokens per day)")
    ax.set_ylabel("Draws with self-hosting cheaper (%)")
    ax.set_title(f"Share of {mc.n_draws:,} draws in which self-hosting with hidden costs is cheaper "
                 f"(o: 10/50/90%)", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    _source(ax, mc)
    return ax


def fan_chart(mc: MonteCarlo, api_models=None, ax=None):
    """Monthly cost against daily volume: self-hosting with hidden costs as a fan (10-90% and
    25-75% of the draws, median line), each API as its median line (a band when its price
    is drawn too)."""
    ax = _axes(ax, (9, 5.5))
    s = mc.scenario
    daily = _daily(mc)
    q10, q25, q50, q75, q90 = mc.selfhost_quantiles((0.10, 0.25, 0.50, 0.75, 0.90))
    ax.fill_between(daily, q10, q90, color="black", alpha=0.15, lw=0, label="Self-host, 10-90% of draws")
    ax.fill_between(daily, q25, q75, color="black", alpha=0.30, lw=0, label="Self-host, 25-75%")
    ax.plot(daily, q50, color="black", lw=2, label="Self-host, median")
    for model, color in zip(api_models or s.api_models, API_COLORS * 3):
        a10, a50, a90 = mc.api_quantiles(model, (0.10, 0.50, 0.90))
        if np.any(a90 > a10):
            ax.fill_between(daily, a10, a90, color=color, alpha=0.15, lw=0)
        ax.plot(daily, a50, color=color, lw=1.5, label=f"{model} API")
    ax.axvline(s.tokens_per_day, color="orange", lw=1.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    tokens_axis(ax.xaxis)
    usd_axis(ax.yaxis)
    ax.set_xlabel("Volume (tokens per day)")
    ax.set_ylabel("Monthly cost (USD per month)")
    ax.set_title("Monthly cost under the uncertain inputs (steps: another replica)", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    _source(ax, mc)
    return ax


def tornado_chart(frame: pd.DataFrame, days_per_month: float = 30, ax=None):
    """Each input's low and high end as a bar around the breakeven at the points (per day),
    widest first at the top. ``frame``: :func:`helpers.uncertainty.montecarlo.tornado`."""
    ax = _axes(ax, (9, 0.6 * len(frame) + 1.8))
    columns = [c for c in frame.columns if c.startswith("breakeven_tokens_per_month_at_")]
    # The table writes "never breaks even" as an empty cell: infinity here.
    frame = frame.astype({c: float for c in columns}).fillna({c: np.inf for c in columns})
    point = frame["breakeven_tokens_per_month_at_point"].iloc[0] / days_per_month if len(frame) else np.nan
    ends = frame[["breakeven_tokens_per_month_at_low", "breakeven_tokens_per_month_at_high"]].to_numpy() / days_per_month
    finite = ends[np.isfinite(ends)]
    # An end that never breaks even is drawn to twice the largest finite end.
    ceiling = 2 * max(finite.max(), point) if finite.size else 2 * point
    for y, row in enumerate(frame.iloc[::-1].itertuples()):
        for end, value, color in (("low", row.breakeven_tokens_per_month_at_low, "#1f77b4"),
                                  ("high", row.breakeven_tokens_per_month_at_high, "#d62728")):
            daily = value / days_per_month
            shown = daily if np.isfinite(daily) else ceiling
            ax.barh(y, shown - point, left=point, color=color, alpha=0.7,
                    label=f"input at its {end} end" if y == 0 else None)
            if not np.isfinite(daily):
                ax.text(shown, y, " never", va="center", fontsize=8)
    ax.axvline(point, color="black", lw=1.5, label=f"all at their points ({tokens_text(point)} tokens/day)")
    ax.set_yticks(range(len(frame)))
    ax.set_yticklabels([f"{r.input}\n{r.low_value:.4g} .. {r.high_value:.4g}" for r in frame.iloc[::-1].itertuples()],
                       fontsize=8)
    tokens_axis(ax.xaxis)
    ax.set_xlabel("Breakeven with hidden costs (tokens per day)")
    ax.set_ylabel("Uncertain input (its low .. high end)")
    api_model = frame["api_model"].iloc[0] if len(frame) else ""
    ax.set_title(f"How far each input moves the breakeven against {api_model}", fontsize=10)
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    source_line(ax, f"{COST_SOURCE}; helpers/uncertainty/montecarlo.py (tornado)")
    return ax


def cumulative_cost(mc: MonteCarlo, months: int | None = None, ax=None):
    """Cumulative cost over the contract at the scenario's own volume: self-hosting with hidden
    costs (median and 10-90% of the draws) against each API (median of the draws) with prices
    moving by the yearly change. ``mc`` must include the scenario's own volume."""
    ax = _axes(ax)
    s = mc.scenario
    months = months or s.horizon_months
    own = volume_per_month(s, s.tokens_per_day)
    index = int(np.argmin(np.abs(mc.tokens_per_month - own)))
    elapsed = np.arange(1, months + 1)
    q10, q50, q90 = np.quantile(mc.result.cumulative_tco_usd(elapsed, index), (0.10, 0.50, 0.90), axis=0)
    ax.fill_between(elapsed, q10, q90, color="black", alpha=0.2, lw=0, label="Self-host, 10-90% of draws")
    ax.plot(elapsed, q50, color="black", lw=2, label="Self-host, median")
    for model, color in zip(s.api_models, API_COLORS * 3):
        ax.plot(elapsed, np.median(mc.result.cumulative_api_usd(model, elapsed, index), axis=0), color=color,
                label=f"{model} API ({s.api_price_change_per_year:+.0%} a year)")
    ax.set_yscale("log")
    usd_axis(ax.yaxis)
    ax.set_xlabel("Months into the contract (months)")
    ax.set_ylabel("Cumulative cost (USD)")
    ax.set_title(f"Cumulative cost at {s.tokens_per_day / 1e6:,.0f}M tokens/day", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    _source(ax, mc)
    return ax
