"""Plots of the capacity model (notebook 06). Cells call these and end with ``;``."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.show.format import usd_text
from helpers.show.plots import number_axis, source_line


def throughput_vs_batch(curves: list[pd.DataFrame], target_tokens_per_s: float | None = None,
                        target_label: str = "", ax=None):
    """Decode tokens/s against batch, one line per curve (solid where the batch fits memory,
    dotted where it does not), with an optional horizontal target line. Returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.5))
    for curve in curves:
        first = curve.iloc[0]
        count = "" if first["gpu_count"] == 1 else f"{int(first['gpu_count'])}x "
        label = f"{count}{first['gpu']}, {first['model']} {int(first['weight_bits'])}-bit"
        line, = ax.plot(curve["batch"], curve["tokens_per_s"], ls=":", lw=1.5)
        fits = curve[curve["fits"]]
        ax.plot(fits["batch"], fits["tokens_per_s"], color=line.get_color(), lw=2.5, marker="o",
                label=f"{label} (solid: fits memory)")
    if target_tokens_per_s is not None:
        ax.axhline(target_tokens_per_s, color="black", ls="--", lw=1.5, label=target_label)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    number_axis(ax.xaxis)
    number_axis(ax.yaxis)
    ax.set_xlabel("Batch (sequences decoded together)")
    ax.set_ylabel("Output tokens per second (decode, tokens/s)")
    ax.set_title("Decode throughput grows with batch until compute binds; memory caps the batch")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    source_line(ax, "data/gpu_specs.csv, data/model_sizes.csv; helpers/capacity (roofline model)")
    return ax


def model_vs_measured(table: pd.DataFrame, x: str, y: str, label: str, title: str, ax=None):
    """Scatter of measured (x) against modelled (y) tokens/s on log axes with the y = x line and
    +-10% band; one colour per value of ``label``. Returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    for name, group in table.groupby(label, sort=True):
        ax.scatter(group[x], group[y], label=str(name), s=30)
    low = min(table[x].min(), table[y].min()) * 0.7
    high = max(table[x].max(), table[y].max()) * 1.4
    grid = np.array([low, high])
    ax.plot(grid, grid, color="black", lw=1, label="model = measured")
    ax.fill_between(grid, grid * 0.9, grid * 1.1, color="grey", alpha=0.2, label="+-10%")
    ax.set_xscale("log")
    ax.set_yscale("log")
    number_axis(ax.xaxis)
    number_axis(ax.yaxis)
    ax.set_xlabel(_axis_label(x))
    ax.set_ylabel(_axis_label(y))
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    source_line(ax, "data/published_benchmarks.csv, data/measured_h200.csv; helpers/capacity")
    return ax


def _axis_label(column: str) -> str:
    """``measured_tokens_per_s`` -> "measured tokens per s (tokens/s)"."""
    unit = " (tokens/s)" if column.endswith("tokens_per_s") else ""
    return column.replace("_", " ") + unit


def throughput_latency(curve: pd.DataFrame, point: dict, title: str, ttft_s: float | None = None,
                       tpot_s: float | None = None):
    """The throughput-latency curve of one replica (from ``capacity.throughput_latency_curve``):
    aggregate output tokens/s against tokens/s each user sees (left) and against p99 time to
    first token (right), the targets dashed and the chosen operating point marked. Returns the
    two Axes."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
    left.plot(1.0 / curve["tpot_p99_s"], curve["output_tokens_per_s"], lw=2, label="p99 (slowest 1% of users)")
    left.plot(curve["sequence_tokens_per_s"], curve["output_tokens_per_s"], lw=1.5, ls=":", label="mean")
    right.plot(curve["ttft_p99_s"], curve["output_tokens_per_s"], lw=2, label="p99")
    right.plot(curve["ttft_mean_s"], curve["output_tokens_per_s"], lw=1.5, ls=":", label="mean")
    if point["output_tokens_per_s"] > 0:
        left.plot(1.0 / point["tpot_p99_s"], point["output_tokens_per_s"], "o", color="black", ms=8,
                  label=f"operating point: {point['output_tokens_per_s']:,.0f} tokens/s")
        right.plot(point["ttft_p99_s"], point["output_tokens_per_s"], "o", color="black", ms=8)
    if tpot_s is not None:
        left.axvline(1.0 / tpot_s, color="grey", ls="--", lw=1, label=f"target: {1 / tpot_s:.0f} tokens/s per user")
    if ttft_s is not None:
        right.axvline(ttft_s, color="grey", ls="--", lw=1, label=f"target: first token within {ttft_s:g} s")
    left.set_xlabel("Output tokens/s each user sees (1 / time per output token)")
    left.set_ylabel("Output of the replica (tokens/s)")
    right.set_xlabel("Time to first token, p99 and mean (s)")
    right.set_xscale("log")
    number_axis(right.xaxis)
    for ax in (left, right):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    source_line(left, "data/gpu_specs.csv, data/model_sizes.csv, data/engine_defaults.csv; "
                      "helpers/capacity (serving model)")
    return left, right


def hourly_replicas(plans: dict[str, dict], title: str, ax=None):
    """Replicas billed each hour under each plan of ``capacity.traffic.traffic_plan`` (named by
    the dict's keys), with the replicas the demand needs. Returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    first = next(iter(plans.values()))["hours"]
    ax.step(first["hour"], first["replicas_needed"], where="post", color="black", lw=1.5, label="needed by demand")
    for name, plan in plans.items():
        ax.step(plan["hours"]["hour"], plan["hours"]["replicas_billed"], where="post", lw=2, alpha=0.8,
                label=f"{name}: {usd_text(plan['usd_per_month'])}/month, {plan['utilisation_share']:.0%} used")
    ax.set_xlabel("Hour of the profile (h)")
    ax.set_ylabel("Replicas (deployments billed)")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    source_line(ax, "data/load_profiles.csv; helpers/capacity (traffic plan)")
    return ax
