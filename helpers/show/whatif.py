"""What the what-if panel shows for one scenario, without widgets: :func:`evaluate` (the figures
of :func:`helpers.derive.panel.panel_figures` and the Monte Carlo's "how sure"), and their
sentences, tables and plot, shared by the panel (:mod:`helpers.show.widgets`) and the static
notebook output.

The headline comparison is API against self-hosting *with* hidden costs and the replicas the
volume needs (the article's "True monthly cost"); the GPU-only comparison is shown beside it.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from helpers.costs import breakeven
from helpers.derive import derive
from helpers.derive.panel import panel_figures
from helpers.scenario import Scenario
from helpers.show import format as format_, plots
from helpers.text import usd_text
from helpers.uncertainty import montecarlo

# The volume control's span in tokens per day (log scale): from a hobby project to far
# beyond one GPU's capacity, so that every breakeven of the article lies inside it.
VOLUME_MIN_TOKENS_PER_DAY = 1e5
VOLUME_MAX_TOKENS_PER_DAY = 1e10


def evaluate(s: Scenario, data_dir: Path | None = None) -> dict:
    """Every figure the what-if shows for one scenario: :func:`helpers.derive.panel.panel_figures`,
    and how sure (``p_selfhost_cheaper``): the share of Monte Carlo draws of the uncertain inputs
    (notebook 10) in which self-hosting with hidden costs is cheaper at this volume."""
    results = panel_figures(s, data_dir)
    results["p_selfhost_cheaper"] = montecarlo.p_selfhost_cheaper_at_own_volume(
        s, draws=montecarlo.PANEL_DRAWS, data_dir=data_dir)[s.api_model]
    results["draws"] = montecarlo.PANEL_DRAWS
    return results


# --- What the results look like (shared by the panel and the static notebook) --------------



def tokens_or_never(value: float) -> str:
    """A token count as the article writes it (256M, 3.89B); "never" for an infinite breakeven."""
    return "never" if value is None or pd.isna(value) or math.isinf(value) else format_.tokens_text(value)


def costs_frame(results: dict) -> pd.DataFrame:
    """Monthly cost of each option (USD) at the current volume."""
    s = results["scenario"]
    units = results["replicas"] * s.gpu_count if math.isfinite(results["replicas"]) else s.gpu_count
    mixed = results["hybrid"]
    rows = [
        (f"API: {results['api_model']}", results["api_usd_per_month"]),
        (f"Self-host: {units:g} x {results['gpu']}, GPU only", results["selfhost_usd_per_month"]),
        ("Self-host with hidden costs (DevOps, infrastructure)", results["tco_usd_per_month"]),
        (f"Hybrid: {s.hybrid_api_share:.0%} to {mixed.api_model}, rest self-hosted "
         "(with hidden costs)", results["hybrid_usd_per_month"]),
    ]
    return pd.DataFrame(rows, columns=["option", "usd_per_month"])


def breakevens_frame(results: dict) -> pd.DataFrame:
    """Breakeven volume against the headline API, GPU only and with hidden costs (one
    deployment, the article's way), and with hidden costs and the replicas the volume needs,
    in whole tokens (<NA>: never)."""
    days = results["scenario"].days_per_month
    rows = [("GPU only", results["breakeven_tokens_per_month"]),
            ("with hidden costs", results["tco_breakeven_tokens_per_month"]),
            ("with hidden costs and replicas", results["stepped_tco_breakeven_tokens_per_month"])]
    return pd.DataFrame({
        "self_host_cost": [name for name, _ in rows],
        "breakeven_tokens_per_month": pd.array([_int_or_none(v) for _, v in rows], dtype="Int64"),
        "breakeven_tokens_per_day": pd.array([_int_or_none(v / days) for _, v in rows], dtype="Int64"),
    })


def winner_text(results: dict) -> str:
    """One line: which option is cheaper, with hidden costs, and by how much."""
    api_usd, tco_usd = results["api_usd_per_month"], results["tco_usd_per_month"]
    if results["winner"] == breakeven.BREAKEVEN:
        return f"Breakeven: API {usd_text(api_usd)} and self-hosting {usd_text(tco_usd)} a month are level"
    cheaper, dearer = sorted((api_usd, tco_usd))
    name = f"API ({results['api_model']})" if results["winner"] == breakeven.API else "Self-host"
    if math.isinf(dearer):
        return f"{name} wins: self-hosting cannot serve this volume on this GPU"
    return (f"{name} wins: {results['cost_ratio']:,.2f}x cheaper, {usd_text(dearer - cheaper)} a month less "
            f"({usd_text(cheaper)} against {usd_text(dearer)}, self-hosting with hidden costs)")


def probability_text(results: dict) -> str:
    """One line: how often self-hosting is cheaper across the uncertain inputs' draws."""
    s = results["scenario"]
    contract = ("" if s.api_price_change_per_year == 0 else
                f" over a {s.horizon_months}-month contract (API prices {s.api_price_change_per_year:+.0%} a year)")
    return (f"Self-hosting with hidden costs is cheaper than {results['api_model']} here{contract} in "
            f"{results['p_selfhost_cheaper']:.0%} of {results['draws']:,} draws of the uncertain inputs")


def notes(results: dict) -> list[str]:
    """Caveats: GPU-only winner, throughput and capacity, replicas."""
    s = results["scenario"]
    found = [f"GPU only (no hidden costs): {results['winner_gpu_only']}"
             + ("" if results["winner_gpu_only"] == breakeven.BREAKEVEN
                else f", {results['cost_ratio_gpu_only']:,.2f}x cheaper")]
    found.append(f"Throughput {results['tokens_per_s']:,.0f} tokens/s per unit ({results['throughput_note']}): "
                 f"one deployment ({s.gpu_count} unit(s)) serves {tokens_or_never(results['capacity_tokens_per_month'])} "
                 "tokens/month")
    if math.isinf(results["replicas"]):
        found.append("No capacity: this unit cannot serve the set-up's model at all")
    elif not results["within_capacity"]:
        found.append(f"Over one deployment's capacity: {tokens_or_never(results['tokens_per_month'])} tokens/month "
                     f"needs {results['replicas']:g} deployments ({results['gpu_units_needed']:g} units), "
                     "and the self-hosting cost above pays for all of them")
    return found


def decision_text(results: dict) -> str:
    d = results["decision"]
    return f"Decision framework, step {d.step}: {d.recommendation} ({d.reason})"


def summary_markdown(results: dict) -> str:
    """The results as Markdown, for the static notebook output."""
    lines = [f"**Volume:** {tokens_or_never(results['tokens_per_day'])} tokens/day = "
             f"{tokens_or_never(results['tokens_per_month'])} tokens/month",
             "", f"**{winner_text(results)}**", "", probability_text(results), "", decision_text(results), ""]
    lines += [f"- {n}" for n in notes(results)]
    return "\n".join(lines)


def monthly_volume_range(s: Scenario) -> tuple[float, float]:
    """The volume control's span as monthly volumes: the plot's x axis."""
    return VOLUME_MIN_TOKENS_PER_DAY * s.days_per_month, VOLUME_MAX_TOKENS_PER_DAY * s.days_per_month


def cost_grid(results: dict, volume_range: tuple[float, float] | None = None):
    """The results' scenario derived over the plot's volumes (:func:`helpers.show.plots.volume_grid`
    across ``volume_range``, the volume control's span by default): what the report's figure
    and the panel's chart draw."""
    s = results["scenario"]
    return derive(s, tokens_per_month=plots.volume_grid(*(volume_range or monthly_volume_range(s))))


def plot_costs(results: dict, ax, volume_range: tuple[float, float] | None = None):
    """The cost-against-volume plot (:func:`helpers.show.plots.cost_vs_volume`) of the
    results' scenario, with the current volume marked. Returns the Axes."""
    return plots.cost_vs_volume(cost_grid(results, volume_range), current_tokens_per_month=results["tokens_per_month"],
                                ax=ax)


def _int_or_none(value: float) -> int | None:
    return None if value is None or not math.isfinite(value) else int(round(value))
