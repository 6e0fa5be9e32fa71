"""Plots of the workbook. Notebooks call these and end the cell with ``;``.

Every figure wears the seaborn theme (:func:`set_theme`, installed by
``helpers.show.format.display_options``), has a title, axes labelled with their units, and a
source line under it naming the data it was drawn from (:func:`source_line`).
"""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns

from helpers.text import number_text, tokens_text, usd_text

API_COLORS = sns.color_palette("colorblind", 6).as_hex()
THEME = {"style": "whitegrid", "context": "notebook", "palette": "colorblind"}
THEME_RC = {
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    # A title sits just above its axes. Left to matplotlib ("auto"), every draw measures every
    # tick label to lift titles clear of top tick labels, which no figure here has: about a
    # third of a figure's drawing time.
    "axes.titley": 1.0,
}
SOURCE_PREFIX = "Source: "
SOURCE_MARGIN_IN = 0.8
# What every cost figure is drawn from (the API prices are the scenario's price_source).
COST_SOURCE = ("data/api_prices.csv (or api_prices_current.csv), data/gpu_cloud.csv, "
               "data/selfhost_setups.csv, data/hidden_costs.csv through helpers/derive/")
# The heatmap's grid: input shares from mostly output to mostly input, volumes 10M..100B a month.
GRID_INPUT_SHARES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
GRID_TOKENS_PER_MONTH = tuple(float(v) for v in np.logspace(7, 11, 9))


def set_theme() -> None:
    """The seaborn theme every figure of the workbook uses (whitegrid, colour-blind palette);
    figures keep matplotlib's default size and resolution so pages stay light."""
    sns.set_theme(**THEME, rc=THEME_RC)


def draw_once_inline() -> None:
    """In a Jupyter kernel drawing figures inline, draw each figure only for its picture.

    pyplot redraws every changed figure after each cell (its REPL display hook, made for
    windows that show the figure live); the inline backend then draws the figure again to
    make the cell's PNG, so every figure was drawn twice or more for one picture. This
    resolves the backend now (which installs pyplot's hook) and removes the hook; figures
    still appear at the end of their cell, from the inline backend. Other backends (a
    window, ipympl's live figures) keep the hook."""
    backend = matplotlib.get_backend()
    if "inline" not in backend:
        return
    plt.switch_backend(backend)
    plt.uninstall_repl_displayhook()


def source_line(ax, text: str) -> None:
    """``Source: text`` in small grey type under the plot (the data file or formula drawn)."""
    ax.figure.text(0.01, 0.005, SOURCE_PREFIX + text, fontsize=7, color="#555555",
                   ha="left", va="bottom")
    # Room under the axes for tick labels, the axis label and this line: about 0.8 inch.
    ax.figure.subplots_adjust(bottom=max(ax.figure.subplotpars.bottom, SOURCE_MARGIN_IN / ax.figure.get_figheight()))


class _WordsLogFormatter(mticker.LogFormatter):
    """Log-axis tick labels in the workbook's words (10M, $1,000, 2,000) on the ticks that
    matplotlib's own log formatter labels: plain text where its default writes 10^x in
    mathtext, which reads worse and costs a math layout per label."""

    def __init__(self, text, base: float = 10.0):
        super().__init__(base=base, labelOnlyBase=False)
        self._text = text

    def __call__(self, x, pos=None):
        return self._text(x) if super().__call__(x, pos) else ""


def _words_axis(axis, text) -> None:
    """Tick labels of ``axis`` by ``text`` (value -> str); on a log axis the minor ticks that
    matplotlib labels (when the axis spans less than a few decades) too. Call it after setting
    the axis's scale, which resets its labels."""
    if axis.get_scale() == "log":
        base = float(getattr(axis.get_transform(), "base", 10.0))
        axis.set_major_formatter(_WordsLogFormatter(text, base))
        axis.set_minor_formatter(_WordsLogFormatter(text, base))
        # Minor ticks at 2 and 5 of each decade (none on other bases): the default 2..9 made
        # a figure's ticks and grid lines about a third of its drawing time and read no better.
        axis.set_minor_locator(mticker.LogLocator(base, subs=(2.0, 5.0)) if base == 10
                               else mticker.NullLocator())
    else:
        axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: text(v)))


def tokens_axis(axis) -> None:
    """Tick labels of a token axis as the article writes counts (10M, 1B)."""
    _words_axis(axis, tokens_text)


def usd_axis(axis) -> None:
    """Tick labels of a dollar axis ($100, $10,000)."""
    _words_axis(axis, usd_text)


def number_axis(axis) -> None:
    """Tick labels of any other numeric axis (tokens/s, batch, seconds): 2,000, 0.3, 16."""
    _words_axis(axis, number_text)


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
    cost_axes(ax)
    cost_lines(ax, r, current_tokens_per_month)
    ax.legend(fontsize=8, loc="upper left")
    return ax


def cost_axes(ax) -> None:
    """The frame of :func:`cost_vs_volume`: log axes with units, title, grid and source line
    (drawn once by the what-if panel, which then redraws only the lines)."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Monthly volume (tokens per month)")
    ax.set_ylabel("Monthly cost (USD per month)")
    tokens_axis(ax.xaxis)
    usd_axis(ax.yaxis)
    ax.set_title("API cost grows with volume; self-hosting steps up per deployment "
                 "(o: breakeven, s: with hidden costs)", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    source_line(ax, COST_SOURCE)


def cost_lines(ax, r, current_tokens_per_month: float | None = None, animated: bool = False) -> list:
    """The data of :func:`cost_vs_volume` on ``ax``; returns the artists drawn."""
    volumes = r.tokens_per_month
    low, high = volumes.min(), volumes.max()
    replica_usd = float(r.replica_usd_per_month)
    replica_tco_usd = float(r.replica_tco_usd_per_month)
    style = {"animated": animated}
    drawn = []
    for (model, blended), color in zip(r.blended_usd_per_1m.items(), API_COLORS * 3):
        drawn += ax.plot(volumes, r.api_usd_per_month[model], color=color,
                         label=f"{model} API ({usd_text(float(blended))}/1M tokens)", **style)
        for fixed, be, marker in ((replica_usd, r.breakeven_tokens_per_month[model], "o"),
                                  (replica_tco_usd, r.tco_breakeven_tokens_per_month[model], "s")):
            if low <= be <= high:
                drawn += ax.plot([be], [fixed], marker=marker, color=color, markersize=7, **style)
    drawn += ax.plot(volumes, r.gpu_usd_per_month, color="black", lw=2, drawstyle="steps-post",
                     label=f"Self-host, GPU only ({usd_text(replica_usd)}/month per deployment)", **style)
    drawn += ax.plot(volumes, r.tco_usd_per_month, color="black", lw=2, ls="--", drawstyle="steps-post",
                     label=f"Self-host with hidden costs ({usd_text(replica_tco_usd)}/month for one deployment)",
                     **style)
    capacity = float(r.replica_tokens_per_month)
    if low <= capacity <= high:
        drawn.append(ax.axvline(capacity, color="grey", ls=":", lw=2,
                                label=f"Capacity of one deployment ({tokens_text(capacity)} tokens/month)", **style))
    if current_tokens_per_month is not None:
        drawn.append(ax.axvline(current_tokens_per_month, color="black", ls="-.", lw=1.2,
                                label=f"Current volume ({tokens_text(current_tokens_per_month)} tokens/month)",
                                **style))
    return drawn


def cheaper_grid(scenario, api_model: str | None = None, input_shares=GRID_INPUT_SHARES,
                 tokens_per_month=GRID_TOKENS_PER_MONTH) -> pd.DataFrame:
    """Long table of one API's bill against self-hosting with hidden costs (and the replicas
    each volume needs) at every (input share, monthly volume), from one :func:`derive` call
    with the input share drawn over ``input_shares``. ``api_over_selfhost`` above 1: self-hosting
    is cheaper."""
    from helpers.derive import derive  # noqa: PLC0415

    api_model = api_model or scenario.api_model
    shares = np.asarray(input_shares, dtype=float)
    volumes = np.asarray(tokens_per_month, dtype=float)
    result = derive(scenario, tokens_per_month=volumes, draws={"input_share": shares})
    api_usd = np.broadcast_to(result.api_usd_per_month[api_model], (len(shares), len(volumes)))
    tco = np.broadcast_to(result.tco_usd_per_month, (len(shares), len(volumes)))
    replicas = np.broadcast_to(result.replicas, (len(shares), len(volumes)))
    frame = pd.DataFrame({
        "input_share": np.repeat(shares, len(volumes)),
        "tokens_per_month": np.tile(volumes, len(shares)),
        "api_usd_per_month": api_usd.ravel(),
        "replicas": replicas.ravel().astype(int),
        "tco_usd_per_month": tco.ravel(),
    })
    frame["api_over_selfhost"] = frame["api_usd_per_month"] / frame["tco_usd_per_month"]
    frame["cheaper"] = np.where(frame["api_over_selfhost"] > 1, "self-host", "API")
    return frame


def cheaper_heatmap(grid: pd.DataFrame, api_model: str, current_tokens_per_month: float | None = None,
                    current_input_share: float | None = None, ax=None):
    """Heatmap of :func:`cheaper_grid`: rows input share, columns monthly volume, colour the
    API bill over the self-hosting bill with hidden costs on a log scale centred on 1 (blue:
    the API is cheaper, red: self-hosting is), each cell annotated with that ratio. Returns the
    Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.8))
    table = grid.pivot(index="input_share", columns="tokens_per_month", values="api_over_selfhost")
    table = table.sort_index(ascending=False)
    logs = np.log10(table)
    bound = max(1e-9, float(np.nanmax(np.abs(logs.to_numpy()))))
    sns.heatmap(logs, ax=ax, cmap="RdBu_r", center=0, vmin=-bound, vmax=bound,
                annot=table.map(lambda r: f"{r:.2g}x"), fmt="", annot_kws={"fontsize": 7},
                linewidths=0.5, linecolor="white",
                cbar_kws={"label": "log10(API cost / self-host cost)\n< 0: API cheaper, > 0: self-host"})
    ax.set_xticklabels([tokens_text(v) for v in table.columns], rotation=0)
    ax.set_yticklabels([f"{s:.0%}" for s in table.index], rotation=0)
    ax.set_xlabel("Monthly volume (tokens per month)")
    ax.set_ylabel("Input share of tokens (%)")
    ax.set_title(f"Cheaper option: {api_model} API against self-hosting with hidden costs "
                 f"(capacity steps included)")
    if current_tokens_per_month is not None and current_input_share is not None:
        cols = np.asarray(table.columns, dtype=float)
        x = float(np.interp(np.log10(current_tokens_per_month), np.log10(cols), np.arange(len(cols)))) + 0.5
        y = float(np.interp(current_input_share, table.index[::-1], np.arange(len(table))[::-1])) + 0.5
        ax.plot([x], [y], marker="*", color="black", markersize=14, label="the scenario")
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.18), fontsize=8, frameon=False)
    source_line(ax, "data/api_prices.csv, data/gpu_cloud.csv, data/selfhost_setups.csv, "
                    "data/hidden_costs.csv; helpers/costs")
    return ax
