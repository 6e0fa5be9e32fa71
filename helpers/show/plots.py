"""Plots of the workbook. Notebooks call these and end the cell with ``;``. Every line drawn is
a figure of a :class:`helpers.derive.Result`; nothing here computes a cost."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

API_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"]
SOURCE_LINE = "Source: data/*.csv through helpers/derive.py; the article's figures in data/article_figures.csv"


def volume_grid(low_tokens_per_month: float = 1e6, high_tokens_per_month: float = 1e10,
                points: int = 200) -> np.ndarray:
    """Monthly volumes spaced evenly on a log axis, for :func:`cost_vs_volume`."""
    return np.logspace(np.log10(low_tokens_per_month), np.log10(high_tokens_per_month), points)


def cost_vs_volume(r, current_tokens_per_month: float | None = None, ax=None):
    """Monthly cost against monthly volume on log axes, for a result derived over a volume
    grid (``derive(s, tokens_per_month=volume_grid())``): one line per API, self-hosting GPU
    only and with hidden costs (stepping up where the volume needs another deployment), each
    flat breakeven of one deployment marked, and one deployment's monthly capacity as a
    vertical line. Returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.5))
    volumes = r.tokens_per_month
    low, high = volumes.min(), volumes.max()
    replica_usd = float(r.replica_usd_per_month)
    replica_tco_usd = float(r.replica_tco_usd_per_month)
    for (model, blended), color in zip(r.blended_usd_per_1m.items(), API_COLORS * 3):
        ax.plot(volumes, r.api_usd_per_month[model], color=color, label=f"{model} API (${float(blended):.4g}/1M)")
        for fixed, be, marker in ((replica_usd, r.breakeven_tokens_per_month[model], "o"),
                                  (replica_tco_usd, r.tco_breakeven_tokens_per_month[model], "s")):
            if low <= be <= high:
                ax.plot([be], [fixed], marker=marker, color=color, markersize=7)
    ax.plot(volumes, r.gpu_usd_per_month, color="black", lw=2, drawstyle="steps-post",
            label=f"Self-host, GPU only (${replica_usd:,.0f}/month per deployment)")
    ax.plot(volumes, r.tco_usd_per_month, color="black", lw=2, ls="--", drawstyle="steps-post",
            label=f"Self-host with hidden costs (${replica_tco_usd:,.0f}/month for one deployment)")
    capacity = float(r.replica_tokens_per_month)
    if low <= capacity <= high:
        ax.axvline(capacity, color="grey", ls=":", lw=2,
                   label=f"Capacity of one deployment ({capacity / 1e9:.2f}B tokens/month)")
    if current_tokens_per_month is not None:
        ax.axvline(current_tokens_per_month, color="orange", lw=1.5,
                   label=f"Current volume ({current_tokens_per_month / 1e6:,.0f}M tokens/month)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Monthly volume (tokens)")
    ax.set_ylabel("Monthly cost (USD)")
    ax.set_title("API cost grows with volume; self-hosting steps up per deployment "
                 "(o: breakeven, s: with hidden costs)", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.annotate(SOURCE_LINE, xy=(0, 0), xycoords="figure fraction", xytext=(4, 2), textcoords="offset points",
                fontsize=6, color="grey")
    return ax
