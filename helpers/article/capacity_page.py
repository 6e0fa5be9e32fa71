"""What notebook 06 (capacity) says in words, and the traffic tables it adds: each sentence reads
a table of :mod:`helpers.capacity` or a :class:`helpers.derive.Result` and says what it shows,
so no figure is typed into a notebook's string. Relative errors (model / measured - 1) are
shown as percentages: :func:`errors_as_shares` names them ``*_share`` for the table style.
"""
from __future__ import annotations

import dataclasses
import math

import pandas as pd

from helpers import capacity, data
from helpers.derive import breakdown, derive
from helpers.scenario import Scenario
from helpers.text import tokens_text, usd_text

# Relative-error columns of the capacity tables -> their names as shown (a *_share column is
# drawn as a percentage: -0.0207 reads -2.1%).
ERROR_COLUMNS = {"error": "error_share", "median_error": "median_error_share", "rms_error": "rms_error_share",
                 "worst_abs_error": "worst_abs_error_share"}


def errors_as_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its relative-error columns renamed ``*_share``, so that the notebook's table
    style shows them as percentages (the saved CSV keeps the plain names)."""
    return frame.rename(columns={k: v for k, v in ERROR_COLUMNS.items() if k in frame.columns})


def traffic_profiles(served: Scenario, profiles, scalings=("always_on", "scheduled")) -> pd.DataFrame:
    """The scenario's volume under each load profile and scaling, priced by derive: peak and mean
    replicas, the GPU bill, how busy the replicas are (``utilisation_share``), the GPU bill per
    1M tokens and the headline API's bill."""
    rows = []
    for profile in profiles:
        for scaling in scalings:
            r = derive(dataclasses.replace(served, load_profile=profile, scaling=scaling))
            rows.append({"load_profile": profile, "scaling": scaling, "peak_replicas": r.at("replicas"),
                         "mean_replicas": r.at("mean_replicas"), "gpu_usd_per_month": r.at("gpu_usd_per_month"),
                         "utilisation_share": breakdown.utilisation_share(r),
                         "usd_per_1m": breakdown.gpu_usd_per_1m(r),
                         "api_usd_per_month": r.at("api_usd_per_month")})
    return pd.DataFrame(rows)


def setup_sentence(setup: str, setup_row, prompt_tokens: int, output_tokens: int, input_share: float,
                   mean_context: int) -> str:
    """The set-up and the requests the page models."""
    return (f"Set-up **{setup}**: {setup_row['model']} at {float(setup_row['bits_per_weight']):g} bits on "
            f"{setup_row['gpu']}. Requests of {prompt_tokens:,} input and {output_tokens:,} output tokens (input "
            f"share {input_share:.0%}); mean context while decoding {mean_context:,} tokens.")


def calibration_sentence(cal=capacity.CALIBRATION) -> str:
    """The calibrated roofline's factors and its error on the measured points."""
    return (f"Calibrated factors: **{cal.bandwidth_efficiency:.1%}** of datasheet memory bandwidth, "
            f"**{cal.compute_efficiency:.0%}** of datasheet dense tensor throughput, "
            f"**{cal.layer_overhead_us:.0f} µs** per layer per step, p = {cal.p:g}. "
            f"Error on the {cal.points} measured points: RMS {cal.rms_error:.1%}, worst "
            f"{cal.max_abs_error:.1%} (tests hold every point within {capacity.CALIBRATION_ERROR_BOUND:.0%}). "
            "The factors are shares of datasheet peaks; that they carry over to other GPUs is an "
            "assumption the published measurements below test.")


def worst_calibration_sentence(calibration: pd.DataFrame) -> str:
    """The calibration point the model misses most (:func:`helpers.capacity.calibration_table`),
    and how many of its GPUs the model needs to serve it."""
    worst = calibration.loc[calibration["error"].abs().idxmax()]
    needed = capacity.gpus_needed(worst["gpu"], worst["model"], worst["weight_bits"], worst["context_tokens"])
    shape = f"{worst['model']} at {worst['weight_bits']:g} bits"
    serving = (f"fits one {worst['gpu']} for serving" if needed == 1 else
               f"does not fit one {worst['gpu']} for serving: it needs "
               + (f"{needed}" if needed else "more than eight"))
    return (f"The worst point is {worst['model']} {worst['phase']} at batch {worst['batch']} and "
            f"{worst['context_tokens']:,} tokens of context: measured {worst['measured_tokens_per_s']:,.0f} "
            f"tokens/s, modelled {worst['model_tokens_per_s']:,.0f} ({worst['error']:+.1%}). The measurements time "
            f"the shapes of each step; the model says {shape} {serving}.")


def error_summary(calibration: pd.DataFrame, published: pd.DataFrame, within_share: float = 0.25) -> pd.DataFrame:
    """Relative errors of the calibration points (fitted) and the check points (not fitted): per
    kind, points, median, RMS = sqrt(mean(error^2)), worst |error| and how many lie within
    ``within_share``."""
    points = pd.concat([calibration.assign(kind="calibration (fitted)"), published.assign(kind="check (not fitted)")],
                       ignore_index=True)
    return points.groupby("kind").agg(points=("error", "size"), median_error=("error", "median"),
                                      rms_error=("error", lambda e: math.sqrt((e * e).mean())),
                                      worst_abs_error=("error", lambda e: e.abs().max()),
                                      within_25pct=("error", lambda e: int((e.abs() <= within_share).sum())))


def fit_sentence(fit: pd.DataFrame, model: str, bits: float, context_tokens: int,
                 card: str = "RTX 4090 24GB", pair: str = "2x RTX 4090", cloud: str = "NVIDIA A100 80GB") -> str:
    """Whether ``model`` at ``bits`` fits one ``card`` (:func:`helpers.capacity.fit_table`), and
    how many sequences two of them and one ``cloud`` GPU hold."""
    rows = fit[(fit["model"] == model) & (fit["weight_bits"] == bits)].set_index("hardware")
    fits_one = rows.loc[card, "max_batch"] > 0
    return (f"**Does {model} fit one {card} at {bits:g} bits?** {'Yes' if fits_one else 'No'}: its weights take "
            f"{rows.loc[card, 'weights_gb']:.1f} GB against a budget of {rows.loc[card, 'budget_gb']:.1f} GB. "
            f"{pair} hold it with room for {rows.loc[pair, 'max_batch']} sequences of {context_tokens:,} tokens; "
            f"one {cloud} holds {rows.loc[cloud, 'max_batch']}.")


def article_point_sentence(points: list[dict], mean_context: int, article_tokens_per_s: float, gpu: str) -> str:
    """Where the article's tokens/s lies on the set-up's GPU: ``points`` are
    :func:`helpers.capacity.batch_for_tokens_per_s` at the set-up's bits, then at two more
    (bits, GPU count) configurations."""
    at_bits, first, second = points
    rate = f"{article_tokens_per_s:,.0f} tokens/s"
    reach = (f"no batch reaches the article's {rate}: compute and KV-cache reads grow with the batch as its "
             "tokens do. " if at_bits["batch_needed"] is None else f"{rate} needs a batch of {at_bits['batch_needed']}. ")

    def holds(point) -> str:
        where = f"{point['gpu_count']} of them" if point["gpu_count"] > 1 else f"one {gpu}"
        if point["max_batch_in_memory"] == 0:
            return f"at {point['weight_bits']:g} bits the model does not fit {where}"
        return (f"at {point['weight_bits']:g} bits {where} hold {point['max_batch_in_memory']} sequences and decode "
                f"{point['tokens_per_s_at_max_batch']:,.0f} tokens/s")

    then = holds(second)
    if second["weight_bits"] == first["weight_bits"]:
        then = then.replace(f"at {second['weight_bits']:g} bits ", "", 1)
    return (f"At {at_bits['weight_bits']:g} bits one {gpu} holds {at_bits['max_batch_in_memory']} sequences of "
            f"{mean_context:,} tokens and then decodes {at_bits['tokens_per_s_at_max_batch']:,.0f} tokens/s; " + reach
            + f"{holds(first)[0].upper()}{holds(first)[1:]}; {then}.")


def check_points_sentence(summary: pd.DataFrame, published: pd.DataFrame, within_share: float = 0.25) -> str:
    """How far the model errs on the published serving results it was not fitted to."""
    check = summary.loc["check (not fitted)"]
    worst = published.loc[published["error"].abs().idxmax()]
    return (f"On the {int(check['points'])} check points the model errs by a median of {check['median_error']:+.0%} "
            f"(RMS {check['rms_error']:.0%}); {int(check['within_25pct'])} lie within {within_share:.0%}. The worst "
            f"is {worst['benchmark_id']}: published {worst['published_output_tokens_per_s']:,.0f} output tokens/s, "
            f"modelled {worst['model_output_tokens_per_s']:,.0f} ({worst['error']:+.0%}). The model leans high: it "
            "assumes FP8 matmuls reach the share of their datasheet peak that bf16 reached on the measured H200, "
            "and that the scheduler fills every step; it leaves the tensor-parallel all-reduce unhidden, which "
            "errs the other way. A high capacity makes self-hosting look cheaper than it is, by about the median "
            "error." + _moe_clause(published))


def _moe_clause(published: pd.DataFrame) -> str:
    """The check points of mixture-of-experts models apart: the model has none of their own losses
    (small grouped expert matmuls, routing, uneven expert load), so they run higher."""
    experts = data.load("models").set_index("model")["experts"]
    moe = published["model"].map(experts).fillna(1) > 1
    if not moe.any() or moe.all():
        return ""
    return (f" Mixture-of-experts points ({int(moe.sum())}) err by a median of "
            f"{published.loc[moe, 'error'].median():+.0%}, dense ones ({int((~moe).sum())}) by "
            f"{published.loc[~moe, 'error'].median():+.0%}: a self-hosted MoE model costs more per token than the "
            "model says.")


def latency_sentence(curve: pd.DataFrame, point: dict, article_gpu_point: dict, latency_gpu: str, article_gpu: str,
                     ttft_s: float, tpot_s: float, prompt_tokens: int) -> str:
    """What the latency targets cost in output tokens/s on ``latency_gpu``, and whether the
    article's GPU meets them at all."""
    full = curve["output_tokens_per_s"].max()
    text = (f"Without a target one {latency_gpu} serves **{full:,.0f} output tokens/s**; with p99 TTFT within "
            f"{ttft_s:g} s and p99 TPOT within {tpot_s:g} s ({1 / tpot_s:.0f} tokens/s per user) it serves "
            f"**{point['output_tokens_per_s']:,.0f}** ({1 - point['output_tokens_per_s'] / full:.0%} fewer), "
            f"{point['batch']:.0f} requests running on average, first token after {point['ttft_p99_s']:.2f} s at "
            f"the 99th percentile. The article's {article_gpu} ")
    if article_gpu_point["output_tokens_per_s"] > 0:
        return text + f"serves {article_gpu_point['output_tokens_per_s']:,.0f} output tokens/s under the same targets."
    return text + (f"cannot meet them at any load: one {prompt_tokens:,}-token prompt alone takes "
                   f"{article_gpu_point['ttft_p99_s']:.2f} s to its first token.")


def traffic_sentence(profiles: pd.DataFrame, by_hour: pd.DataFrame, api_model: str, volume: float) -> str:
    """Flat against office-hours traffic (:func:`traffic_profiles`), what the API bills, and the
    cheapest split of the hour-by-hour hybrid (:func:`helpers.derive.breakdown.hybrid_by_hour`)."""
    flat = profiles[profiles["load_profile"] == "flat"].iloc[0]
    office = profiles[profiles["load_profile"] == "business_hours"].set_index("scaling")
    best = by_hour[by_hour["cheapest"]].iloc[0]
    return (f"Flat traffic keeps its replicas {flat['utilisation_share']:.0%} busy at {usd_text(flat['usd_per_1m'])} "
            f"per 1M tokens. Office-hours traffic of the same monthly volume needs "
            f"{office.loc['always_on', 'peak_replicas']:.0f} replicas at its peak: kept always on they are "
            f"{office.loc['always_on', 'utilisation_share']:.0%} busy and cost "
            f"{usd_text(office.loc['always_on', 'usd_per_1m'])} per 1M tokens; scheduled by the hour, "
            f"{office.loc['scheduled', 'utilisation_share']:.0%} and {usd_text(office.loc['scheduled', 'usd_per_1m'])}. "
            f"The API bills only what is used: {usd_text(flat['api_usd_per_month'])} a month at {api_model}'s price. "
            f"Self-hosting a base of {best['base_replicas']:.0f} always-on replicas and sending the rest, hour by "
            f"hour, to {api_model} costs {usd_text(best['usd_per_month'])} a month "
            f"({best['api_tokens_per_month'] / volume:.1%} of the tokens to the API): the cheapest split at this "
            "API's price.")


def stepped_lines(stepped: pd.DataFrame, gpu: str) -> str:
    """The modelled throughput against the article's, and each API's stepped breakeven on the GPU
    bill and with hidden costs (:func:`helpers.article.tables.breakeven_stepped`), as Markdown."""
    article_steps = stepped[stepped["throughput_source"] == "article"]
    model_steps = stepped[(stepped["throughput_source"] == "model") & (stepped["fixed_usd_per_month"] == 0)]
    model_tco_steps = stepped[(stepped["throughput_source"] == "model") & (stepped["fixed_usd_per_month"] > 0)]
    fixed_usd = model_tco_steps["fixed_usd_per_month"].iloc[0]
    lines = [f"The model gives the set-up **{model_steps['tokens_per_s'].iloc[0]:,.0f} tokens/s** (input + output) "
             f"against the article's {article_steps['tokens_per_s'].iloc[0]:,.0f}: "
             f"{tokens_text(model_steps['replica_tokens_per_month'].iloc[0])} tokens a month instead of "
             f"{tokens_text(article_steps['replica_tokens_per_month'].iloc[0])}, so a fully loaded {gpu} costs "
             f"{usd_text(model_steps['selfhost_usd_per_1m_at_full_load'].iloc[0])} per 1M tokens."]
    for row, raw, adjusted in zip(model_steps.itertuples(), model_steps["stepped_breakeven_tokens_per_month"],
                                  model_tco_steps["stepped_breakeven_tokens_per_month"]):
        raw_text = "never (the API stays cheaper at any volume)" if math.isinf(raw) else f"{tokens_text(raw)} tokens/month"
        adjusted_text = "never" if math.isinf(adjusted) else tokens_text(adjusted)
        lines.append(f"- {row.api_model} (${row.blended_usd_per_1m:g}/1M): breakeven {raw_text}; "
                     f"with {usd_text(fixed_usd)} of hidden costs a month, {adjusted_text}.")
    return "\n".join(lines)
