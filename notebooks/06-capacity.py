# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Capacity from first principles
#
# The article's breakevens rest on one assumption: a single A100 80GB serves Llama 3.3 70B at
# 1,500 output tokens/s. This notebook replaces that number with a model a reader can check:
# memory (weights, KV cache, activations) from each model's published configuration, and a
# roofline of bytes moved against memory bandwidth and operations against compute, calibrated
# on step times measured on an H200 (`helpers/capacity/`). It asks: which GPU holds which
# model, where does 1,500 tokens/s sit on the throughput curve, how close is the model to
# measurements (the points it was calibrated on) and to published serving results (points it
# was not), how much a latency target costs in tokens/s, what traffic that rises and falls
# costs, and what the breakevens become when capacity comes in GPU-sized steps?

# %% tags=["parameters"]
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"tokens_per_day": 5e7}
min_sequence_tokens_per_s = 10.0  # latency floor: each sequence decodes at least this fast
fit_context_tokens = 4096  # context one sequence must hold for a model to "fit"
other_curves = [["NVIDIA A100 80GB", 16, 2], ["NVIDIA H100 80GB", 8, 1], ["NVIDIA H200", 8, 1]]  # more [gpu, weight bits, GPUs] throughput curves
article_point_configs = [[16, 1], [16, 2]]  # [weight bits, GPUs] on the set-up's GPU at which to place the article's tokens/s
example_ttft_s = 0.5  # a chat product's target where the scenario sets none: first token within 0.5 s
example_tpot_s = 0.04  # ... and 25 tokens/s per user (0.04 s a token)
latency_gpu = "NVIDIA H100 80GB"  # row of data/gpu_cloud.csv for the throughput-latency chart and the traffic example
traffic_tokens_per_day = 2_000_000_000  # volume of the traffic example: large enough that replicas come in steps
traffic_profiles = ["flat", "business_hours", "global_consumer"]  # profiles of data/load_profiles.csv to compare
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
import dataclasses
import math

import pandas as pd

from helpers import capacity, data
from helpers.assumptions import TOKENS_PER_MILLION
from helpers.capacity import traffic
from helpers.article import tables
from helpers.show.format import display_options, prose, tokens_text, usd_text
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.show import capacity_plots
from helpers.report import contract

display_options()
s = Scenario.from_dict(scenario)
if fit_context_tokens < 1 or (min_sequence_tokens_per_s or 0) < 0:
    raise ValueError("fit_context_tokens must be >= 1, min_sequence_tokens_per_s >= 0")
row = data.row(data.load("selfhost_setups"), "setup", s.setup)
setup_gpu, setup_count = capacity.resolve_gpu(row["gpu"])
setup_bits = float(row["bits_per_weight"])
request_output_tokens = s.output_tokens or capacity.output_tokens_for(s.prompt_tokens, s.input_share)
mean_context = math.floor(capacity.mean_decode_context(s.prompt_tokens, request_output_tokens))
# DevOps + infrastructure: the true monthly cost without any GPU
fixed_usd = float(derive(s).hidden_usd_per_month)
cal = capacity.CALIBRATION
prose(f"Set-up **{s.setup}**: {row['model']} at {setup_bits:g} bits on {row['gpu']}. Requests of "
         f"{s.prompt_tokens:,} input and {request_output_tokens:,} output tokens (input share {s.input_share:.0%}); "
         f"mean context while decoding {mean_context:,} tokens.")

# %% [markdown]
# ## The calibrated roofline
#
# One decode step reads every weight once and each sequence's KV cache; it multiplies every
# weight by every sequence in the batch. The model combines the memory time and the compute
# time of the matmuls, and of attention, with a norm `(a^p + b^p)^(1/p)`, and adds a fixed cost
# per layer. `capacity.refit` chose `p` among the sum form (1), a blend (2) and the classic
# max() roofline (inf), and the efficiency factors, by least squares on the 24 H200 points.

# %%
prose(f"Calibrated factors: **{cal.bandwidth_efficiency:.1%}** of datasheet memory bandwidth, "
         f"**{cal.compute_efficiency:.0%}** of datasheet dense tensor throughput, "
         f"**{cal.layer_overhead_us:.0f} µs** per layer per step, p = {cal.p:g}. "
         f"Error on the {cal.points} measured points: RMS {cal.rms_error:.1%}, worst "
         f"{cal.max_abs_error:.1%} (tests hold every point within {capacity.CALIBRATION_ERROR_BOUND:.0%}). "
         "The factors are shares of datasheet peaks; that they carry over to other GPUs is an "
         "assumption the published measurements below test.")

# %% [markdown]
# ## Model estimate beside each measured H200 point

# %%
calibration = capacity.calibration_table()
contract.save(calibration, "calibration", tables_dir)
calibration

# %%
ax = capacity_plots.model_vs_measured(calibration, "measured_tokens_per_s", "model_tokens_per_s", "model",
                                      "H200, bf16: the calibrated model against each measured step");

# %%
worst = calibration.loc[calibration["error"].abs().idxmax()]
prose(f"The worst point is {worst['model']} {worst['phase']} at batch {worst['batch']} and "
         f"{worst['context_tokens']:,} tokens of context: measured {worst['measured_tokens_per_s']:,.0f} "
         f"tokens/s, modelled {worst['model_tokens_per_s']:,.0f} ({worst['error']:+.1%}). The H200 "
         "measurements time the 70B shapes; note that the model says 70B in bf16 (141 GB of weights) "
         f"does not fit one H200 for serving: it needs "
         f"{capacity.gpus_needed(worst['gpu'], worst['model'], worst['weight_bits'], worst['context_tokens'])}.")

# %% [markdown]
# ## VRAM and fit: every model size and GPU of the article
#
# Weights at 16, 8 and 4 bits (embeddings and LM head stay at 16 bits; 4-bit groups carry
# scales), plus one sequence's KV cache and the activations, against 90% of the card's memory
# (three quarters of that on a Mac's unified memory). The article's 13B size has no model in
# `data/models.csv`; its Mac M4 Ultra has no published specification, so neither is modelled.

# %%
fit = capacity.fit_table(context_tokens=fit_context_tokens)
contract.save(fit, "capacity_model", tables_dir)
fit.pivot_table(index="hardware", columns=["model", "weight_bits"], values="max_batch", sort=False)

# %%
weights_70b_4bit = fit[(fit["model"] == row["model"]) & (fit["weight_bits"] == setup_bits)].set_index("hardware")
prose(f"**Does 70B fit one RTX 4090 at 4 bits?** No: its weights take "
         f"{weights_70b_4bit.loc['RTX 4090 24GB', 'weights_gb']:.1f} GB against a budget of "
         f"{weights_70b_4bit.loc['RTX 4090 24GB', 'budget_gb']:.1f} GB (the article: \"70B at 4-bit quant\"). "
         f"Two RTX 4090s hold it with room for {weights_70b_4bit.loc['2x RTX 4090', 'max_batch']} sequences "
         f"of {fit_context_tokens:,} tokens; one A100 80GB holds {weights_70b_4bit.loc['NVIDIA A100 80GB', 'max_batch']}.")

# %% [markdown]
# ## Throughput against batch size, and the article's 1,500 tokens/s

# %%
curves = [capacity.throughput_curve(setup_gpu["gpu"], row["model"], setup_bits, mean_context, gpu_count=setup_count)]
curves += [capacity.throughput_curve(name, row["model"], bits, mean_context, gpu_count=count)
           for name, bits, count in other_curves]
ax = capacity_plots.throughput_vs_batch(curves, float(row["tokens_per_s_conservative"]),
                                        f"article: {row['tokens_per_s_conservative']:,.0f} tokens/s");

# %%
points = [capacity.batch_for_tokens_per_s(float(row["tokens_per_s_conservative"]), setup_gpu["gpu"], row["model"],
                                          bits, mean_context, count)
          for bits, count in [(setup_bits, setup_count), *article_point_configs]]
article_point = pd.DataFrame(points)
article_point

# %%
at4, at16_one, at16_two = points
prose(f"At {at4['weight_bits']:g} bits one A100 80GB holds {at4['max_batch_in_memory']} sequences of "
         f"{mean_context:,} tokens and then decodes {at4['tokens_per_s_at_max_batch']:,.0f} tokens/s; "
         + ("no batch up to 4,096 reaches the article's 1,500 tokens/s: compute and KV-cache reads grow "
            "with the batch as its tokens do. "
            if at4["batch_needed"] is None else
            f"1,500 tokens/s needs a batch of {at4['batch_needed']}. ")
         + f"At 16 bits 70B does not fit one A100 (largest batch {at16_one['max_batch_in_memory']}); "
         f"two A100s hold {at16_two['max_batch_in_memory']} sequences and decode "
         f"{at16_two['tokens_per_s_at_max_batch']:,.0f} tokens/s.")

# %% [markdown]
# ## Check points: published serving results against the model
#
# The 24 H200 steps above are the *calibration points*: the model's four factors were fitted
# to them. The published results of whole serving stacks (`data/published_benchmarks.csv`,
# each with its source) are *check points*: nothing was fitted to them. For each, the model
# runs the same GPUs, model, weight and KV-cache precision, lengths and engine, with the
# engine's documented batch limits (`data/engine_defaults.csv`), chunked prefill overlapped
# with decode, and the tensor-parallel all-reduce of `data/interconnects.csv`; a run with a
# fixed concurrency holds that many sequences. `error` = model / published - 1.

# %%
published = capacity.published_vs_model()
contract.save(published, "published_benchmarks", tables_dir)
published[["benchmark_id", "gpu_count", "kv_cache_bits", "input_tokens", "output_tokens", "concurrency",
           "published_output_tokens_per_s", "model_output_tokens_per_s", "model_batch", "model_bound", "error"]]

# %%
ax = capacity_plots.model_vs_measured(published, "published_output_tokens_per_s", "model_output_tokens_per_s",
                                      "engine", "Check points: published output tokens/s against the model");

# %%
all_points = pd.concat([
    calibration.assign(kind="calibration (fitted)", label=calibration["model"] + " " + calibration["phase"]),
    published.assign(kind="check (not fitted)", label=published["engine"]),
], ignore_index=True)
summary = all_points.groupby("kind").agg(points=("error", "size"), median_error=("error", "median"),
                                     rms_error=("error", lambda e: math.sqrt((e * e).mean())),
                                     worst_abs_error=("error", lambda e: e.abs().max()),
                                     within_25pct=("error", lambda e: int((e.abs() <= 0.25).sum())))
contract.save(summary.reset_index(), "capacity_errors", tables_dir)
summary

# %%
check = summary.loc["check (not fitted)"]
worst = published.loc[published["error"].abs().idxmax()]
prose(f"On the {int(check['points'])} check points the model errs by a median of {check['median_error']:+.0%} "
      f"(RMS {check['rms_error']:.0%}); {int(check['within_25pct'])} lie within 25%. The worst is "
      f"{worst['benchmark_id']}: published {worst['published_output_tokens_per_s']:,.0f} output tokens/s, "
      f"modelled {worst['model_output_tokens_per_s']:,.0f} ({worst['error']:+.0%}). The model leans high: it "
      "assumes FP8 matmuls reach the share of their datasheet peak that bf16 reached on the measured H200, and "
      "that the scheduler fills every step; it leaves the tensor-parallel all-reduce unhidden, which errs the "
      "other way. A high capacity makes self-hosting look cheaper than it is, by about the median error.")

# %% [markdown]
# ## Latency targets: the throughput-latency curve
#
# A chat product needs the first token within about half a second and 25 or more tokens/s per
# user. With Poisson arrivals, `capacity.slo_output_tokens_per_s` finds the busiest load at
# which the 99th percentile time to first token (TTFT) and time per output token (TPOT) stay
# within the targets: each step's time comes from the serving model, prompts queue for the
# token budget beside the decode batch as an M/D/1 queue, and the number of running sequences
# is Poisson about its mean (see `helpers/capacity/latency.py`). The curve runs from a lone
# request to the largest batch the engine holds.

# %%
target_ttft_s = example_ttft_s if s.ttft_s is None else s.ttft_s
target_tpot_s = example_tpot_s if s.tpot_s is None else s.tpot_s
latency_spec, latency_count = capacity.resolve_gpu(latency_gpu)
curve, point = capacity.throughput_latency_curve(latency_spec, row["model"], s.prompt_tokens, request_output_tokens, setup_bits,
                                                 latency_count, target_ttft_s, target_tpot_s, kv_bits=s.kv_bits,
                                                 max_sequences=s.max_sequences)
contract.save(curve, "throughput_latency", tables_dir)
left, right = capacity_plots.throughput_latency(
    curve, point, f"{row['model']} at {setup_bits:g} bits on {latency_gpu}: requests of {s.prompt_tokens:,} in, "
    f"{request_output_tokens:,} out", target_ttft_s, target_tpot_s);

# %%
full = curve["output_tokens_per_s"].max()
article_gpu_point = capacity.slo_operating_point(setup_gpu, row["model"], s.prompt_tokens, request_output_tokens, setup_bits,
                                                 setup_count, target_ttft_s, target_tpot_s, kv_bits=s.kv_bits,
                                                 max_sequences=s.max_sequences)
prose(f"Without a target one {latency_gpu} serves **{full:,.0f} output tokens/s**; with p99 TTFT within "
      f"{target_ttft_s:g} s and p99 TPOT within {target_tpot_s:g} s ({1 / target_tpot_s:.0f} tokens/s per user) it "
      f"serves **{point['output_tokens_per_s']:,.0f}** ({1 - point['output_tokens_per_s'] / full:.0%} fewer), "
      f"{point['batch']:.0f} requests running on average, first token after {point['ttft_p99_s']:.2f} s at the 99th "
      f"percentile. The article's {row['gpu']} "
      + (f"serves {article_gpu_point['output_tokens_per_s']:,.0f} output tokens/s under the same targets."
         if article_gpu_point["output_tokens_per_s"] > 0 else
         f"cannot meet them at any load: one {s.prompt_tokens:,}-token prompt alone takes "
         f"{article_gpu_point['ttft_p99_s']:.2f} s to its first token."))

# %% [markdown]
# ## Traffic that rises and falls
#
# The article assumes a constant rate 24 hours a day. `data/load_profiles.csv` holds a flat
# profile, office hours in one time zone (a week, weekends quiet) and a global consumer day,
# each an assumption stated in its `source`. A deployment kept *always on* pays for the peak
# hour's replicas all month; *scheduled* scaling pays each hour for that hour's replicas. The
# replicas serve the latency targets above; prices are the scenario's (`helpers.derive`).

# %%
traffic_volume = traffic_tokens_per_day * s.days_per_month
served = dataclasses.replace(s, gpu=latency_gpu, throughput_source="model", ttft_s=target_ttft_s,
                             tpot_s=target_tpot_s, tokens_per_day=traffic_tokens_per_day)
rows = []
for profile in traffic_profiles:
    for mode in ("always_on", "scheduled"):
        r = derive(dataclasses.replace(served, load_profile=profile, scaling=mode))
        rows.append({"load_profile": profile, "scaling": mode, "peak_replicas": r.at("replicas"),
                     "mean_replicas": r.at("mean_replicas"), "gpu_usd_per_month": r.at("gpu_usd_per_month"),
                     "utilisation_share": traffic_volume / (r.at("mean_replicas") * r.at("replica_tokens_per_month")),
                     "usd_per_1m": r.at("gpu_usd_per_month") / traffic_volume * TOKENS_PER_MILLION,
                     "api_usd_per_month": r.at("api_usd_per_month")})
profiles_table = pd.DataFrame(rows)
contract.save(profiles_table, "traffic_profiles", tables_dir)
profiles_table

# %%
replica = derive(served)
replica_tokens_per_s = replica.at("tokens_per_s") * s.gpu_count
usd_per_replica_hour = replica.at("replica_usd_per_month") / s.hours_per_month
office = traffic.load_profile("business_hours")
plans = {scaling: traffic.traffic_plan(traffic_volume, office, replica_tokens_per_s, usd_per_replica_hour,
                                       scaling=scaling, hours_per_month=s.hours_per_month)
         for scaling in ("always_on", "scheduled")}
ax = capacity_plots.hourly_replicas(plans, f"Office hours, {tokens_text(traffic_volume)} tokens a month on "
                                    f"{latency_gpu} replicas of {replica_tokens_per_s:,.0f} tokens/s");

# %%
hybrid = traffic.hybrid_plans(traffic_volume, office, replica_tokens_per_s, usd_per_replica_hour,
                              replica.blended_usd_per_1m[s.api_model], s.hours_per_month)
contract.save(hybrid, "hybrid_by_hour", tables_dir)
best = hybrid[hybrid["cheapest"]].iloc[0]
flat_row = profiles_table[(profiles_table["load_profile"] == "flat")].iloc[0]
office_rows = profiles_table[profiles_table["load_profile"] == "business_hours"].set_index("scaling")
prose(f"Flat traffic keeps its replicas {flat_row['utilisation_share']:.0%} busy at "
      f"{usd_text(flat_row['usd_per_1m'])} per 1M tokens. Office-hours traffic of the same monthly volume needs "
      f"{office_rows.loc['always_on', 'peak_replicas']:.0f} replicas at its peak: kept always on they are "
      f"{office_rows.loc['always_on', 'utilisation_share']:.0%} busy and cost {usd_text(office_rows.loc['always_on', 'usd_per_1m'])} "
      f"per 1M tokens; scheduled by the hour, {office_rows.loc['scheduled', 'utilisation_share']:.0%} and "
      f"{usd_text(office_rows.loc['scheduled', 'usd_per_1m'])}. The API bills only what is used: "
      f"{usd_text(flat_row['api_usd_per_month'])} a month at {s.api_model}'s price. Self-hosting a base of "
      f"{best['base_replicas']:.0f} always-on replicas and sending the rest, hour by hour, to {s.api_model} costs "
      f"{usd_text(best['usd_per_month'])} a month ({best['api_tokens_per_month'] / traffic_volume:.1%} of the tokens "
      f"to the API): the cheapest split at this API's price.")

# %% [markdown]
# ## The breakeven summary with modelled capacity, in GPU-sized steps
#
# One replica of the set-up serves `tokens_per_s * 3600 * hours` tokens a month; past that
# volume another replica is rented, so the self-hosting bill is a staircase, not a flat line.
# The stepped breakeven is the first volume at which the API bill reaches the staircase; it is
# infinite when a fully loaded replica earns less at the API's price than it costs.

# %%
stepped = tables.breakeven_stepped(s)
article_steps = stepped[stepped["throughput_source"] == "article"]
model_steps = stepped[(stepped["throughput_source"] == "model") & (stepped["fixed_usd_per_month"] == 0)]
model_tco_steps = stepped[(stepped["throughput_source"] == "model") & (stepped["fixed_usd_per_month"] > 0)]
contract.save(stepped, "breakeven_stepped", tables_dir)
stepped[["api_model", "throughput_source", "fixed_usd_per_month", "tokens_per_s", "replica_tokens_per_month",
         "flat_breakeven_tokens_per_month", "stepped_breakeven_tokens_per_month", "replicas_at_breakeven"]]

# %%
lines = [f"The model gives the set-up **{model_steps['tokens_per_s'].iloc[0]:,.0f} tokens/s** (input + output) "
         f"against the article's {article_steps['tokens_per_s'].iloc[0]:,.0f}: "
         f"{tokens_text(model_steps['replica_tokens_per_month'].iloc[0])} tokens a month instead of "
         f"{tokens_text(article_steps['replica_tokens_per_month'].iloc[0])}, so a fully loaded A100 costs "
         f"{usd_text(model_steps['selfhost_usd_per_1m_at_full_load'].iloc[0])} per 1M tokens."]
for m, raw_tokens, t in zip(model_steps.itertuples(), model_steps["stepped_breakeven_tokens_per_month"],
                            model_tco_steps["stepped_breakeven_tokens_per_month"]):
    raw = "never (the API stays cheaper at any volume)" if math.isinf(raw_tokens) else f"{tokens_text(raw_tokens)} tokens/month"
    tco_text = "never" if math.isinf(t) else f"{tokens_text(t)}"
    lines.append(f"- {m.api_model} (${m.blended_usd_per_1m:g}/1M): breakeven {raw}; "
                 f"with {usd_text(fixed_usd)} of hidden costs a month, {tco_text}.")
prose("\n".join(lines))
