"""The three-way answer on one chart: the API, rented GPUs and bought GPUs against volume
(notebook 11). Drawn from results that :func:`helpers.derive.derive` priced over the same
volumes, one per acquisition."""
from __future__ import annotations

import matplotlib.pyplot as plt

from helpers.show.plots import API_COLORS, source_line, tokens_axis, usd_axis
from helpers.text import usd_text

OWNERSHIP_SOURCE = ("data/api_prices.csv, data/gpu_cloud.csv, data/ownership_hardware.csv, "
                    "data/ownership_facility.csv, data/hidden_costs.csv through helpers/derive/")


def api_rent_buy(rented, bought, ax=None):
    """Monthly cost against monthly volume on log axes: the headline API, and self-hosting with
    hidden costs on rented and on bought hardware, each stepping up where the volume needs
    another replica. ``rented`` and ``bought`` are ``derive`` results over the same volumes
    (acquisition 'rent' and 'buy'). Returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.5))
    volumes = rented.tokens_per_month
    model = rented.api_model
    ax.plot(volumes, rented.api_usd_per_month[model], color=API_COLORS[0],
            label=f"{model} API ({usd_text(float(rented.blended_usd_per_1m[model]))}/1M tokens)")
    ax.plot(volumes, rented.tco_usd_per_month, color="black", lw=2, drawstyle="steps-post",
            label=f"Rent {rented.gpu} ({usd_text(float(rented.replica_tco_usd_per_month))}/month a replica)")
    ax.plot(volumes, bought.tco_usd_per_month, color=API_COLORS[2], lw=2, ls="--", drawstyle="steps-post",
            label=f"Buy it ({usd_text(float(bought.replica_tco_usd_per_month))}/month a replica)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Monthly volume (tokens per month)")
    ax.set_ylabel("Monthly cost with hidden costs (USD per month)")
    tokens_axis(ax.xaxis)
    usd_axis(ax.yaxis)
    ax.set_title("API, rent or buy: the cheapest line wins at each volume", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    source_line(ax, OWNERSHIP_SOURCE)
    return ax
