"""Quality beside price: each option's success rate per attempt against its cost per successful
task (``helpers.derive.quality``), the cheapest option at each quality level marked."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.derive.quality import cheapest_at_quality
from helpers.show.plots import API_COLORS, source_line, usd_axis

MARKERS = {"API": "o", "self-hosted": "s", "escalate": "D"}


def quality_vs_cost(frame: pd.DataFrame, ax=None):
    """Success rate (y) against dollars per 1,000 successful tasks (x, log) for each row of a
    ``PerTask.frame()``; APIs as circles, the self-hosted model as a square, the escalation as a
    diamond; the frontier (:func:`~helpers.derive.quality.cheapest_at_quality`) ringed and joined.
    Returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.5))
    frontier = cheapest_at_quality(frame)
    for i, row in frame.reset_index(drop=True).iterrows():
        ax.scatter(row["usd_per_1k_successes"], row["success_rate"], s=60, marker=MARKERS.get(row["kind"], "o"),
                   color=API_COLORS[i % len(API_COLORS)], label=row["option"], zorder=3)
    best = frame[frontier].sort_values("usd_per_1k_successes")
    ax.scatter(best["usd_per_1k_successes"], best["success_rate"], s=220, facecolors="none",
               edgecolors="black", linewidths=1.2, label="cheapest at its quality", zorder=4)
    ax.step(best["usd_per_1k_successes"], best["success_rate"], where="post", color="black", lw=0.8, alpha=0.6)
    ax.set_xscale("log")
    usd_axis(ax.xaxis)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel("USD per 1,000 successful tasks (log scale)")
    ax.set_ylabel("success rate per attempt")
    ax.set_title("Quality against cost per successful task")
    ax.margins(x=0.08, y=0.12)
    ax.legend(fontsize=8, loc="best")
    source_line(ax, "tables/quality.csv: success rates from task_evals or data/model_quality.csv, "
                    "bills through helpers/derive/")
    return ax
