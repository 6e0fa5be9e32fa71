"""The price-drift chart: each of the article's API models at the article's price and at today's,
and the breakeven volume each gives (``helpers.article.drift.price_drift``)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.show.plots import source_line, tokens_axis, usd_axis

ARTICLE_COLOR = "#7f7f7f"
CURRENT_COLOR = "#1f77b4"


def price_drift_chart(drift: pd.DataFrame, priced_at: str, axes=None):
    """Two panels on log axes, one row per model: the blended price per 1M tokens (left) and
    the raw breakeven volume against the self-hosted deployment (right), article beside
    today. Returns the two Axes."""
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 5), sharey=True)
    frame = drift.iloc[::-1]  # largest move on top
    y = np.arange(len(frame))
    height = 0.38
    panels = (("blended_usd_per_1m", "Blended price (USD per 1M tokens, log)", usd_axis),
              ("breakeven_tokens_per_month", "Breakeven volume, GPU only (tokens/month, log)", tokens_axis))
    for ax, (suffix, label, words_axis) in zip(axes, panels):
        ax.barh(y + height / 2, frame[f"article_{suffix}"], height, color=ARTICLE_COLOR,
                label="the article (Feb 2026)")
        ax.barh(y - height / 2, frame[f"current_{suffix}"], height, color=CURRENT_COLOR,
                label=f"today ({priced_at})")
        ax.set_xscale("log")
        words_axis(ax.xaxis)
        ax.set_xlabel(label)
        ax.grid(True, axis="x", which="both", alpha=0.3)
    axes[0].set_yticks(y, [f"{m} ({c:+.0%})" for m, c in zip(frame["model"], frame["blended_change"])])
    axes[0].set_ylabel("API model (change in blended price)")
    axes[0].legend(fontsize=8, loc="lower right")
    axes[0].figure.suptitle("API prices since the article: blended price and the breakeven it sets")
    axes[0].figure.tight_layout()
    source_line(axes[0], "data/api_prices.csv (the article), data/api_prices_current.csv (today), "
                         "data/gpu_cloud.csv, data/selfhost_setups.csv through helpers/article/drift.py")
    return axes
