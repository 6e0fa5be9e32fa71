"""Plots of the workbook. Notebooks call these and end the cell with ``;``."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers.costs import api, breakeven

API_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"]


def cost_vs_volume(blended_by_model: dict[str, float], selfhost_usd_per_month: float,
                   tco_usd_per_month: float | None = None,
                   capacity_tokens_per_month: float | None = None,
                   volume_range: tuple[float, float] = (1e6, 1e10),
                   current_tokens_per_month: float | None = None, ax=None):
    """Monthly cost against monthly volume on log axes: one line per API, self-hosting flat
    (raw GPU and, if given, with hidden costs), each breakeven marked, and the deployment's
    monthly capacity (one GPU in the article's set-up) as a vertical line. Returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.5))
    volumes = np.logspace(np.log10(volume_range[0]), np.log10(volume_range[1]), 200)
    for (model, blended), color in zip(blended_by_model.items(), API_COLORS * 3):
        ax.plot(volumes, [api.api_usd_per_month(v, blended) for v in volumes], color=color,
                label=f"{model} API (${blended:.4g}/1M)")
        for fixed, marker in ((selfhost_usd_per_month, "o"), (tco_usd_per_month, "s")):
            if fixed is None:
                continue
            be = breakeven.breakeven_tokens_per_month(fixed, blended)
            if volume_range[0] <= be <= volume_range[1]:
                ax.plot([be], [fixed], marker=marker, color=color, markersize=7)
    ax.axhline(selfhost_usd_per_month, color="black", lw=2,
               label=f"Self-host, GPU only (${selfhost_usd_per_month:,.0f}/month)")
    if tco_usd_per_month is not None:
        ax.axhline(tco_usd_per_month, color="black", lw=2, ls="--",
                   label=f"Self-host with hidden costs (${tco_usd_per_month:,.0f}/month)")
    if capacity_tokens_per_month is not None:
        ax.axvline(capacity_tokens_per_month, color="grey", ls=":", lw=2,
                   label=f"Capacity of the self-hosted deployment ({capacity_tokens_per_month / 1e9:.2f}B tokens/month)")
    if current_tokens_per_month is not None:
        ax.axvline(current_tokens_per_month, color="orange", lw=1.5,
                   label=f"Current volume ({current_tokens_per_month / 1e6:,.0f}M tokens/month)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Monthly volume (tokens)")
    ax.set_ylabel("Monthly cost (USD)")
    ax.set_title("API cost grows with volume; self-hosting is flat (o: breakeven, s: with hidden costs)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return ax
