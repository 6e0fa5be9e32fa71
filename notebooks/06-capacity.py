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
from helpers.article import capacity_page, tables
from helpers.show.format import display_options, prose, tokens_text
from helpers.derive import breakdown, derive
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
prose(capacity_page.setup_sentence(s.setup, row, s.prompt_tokens, request_output_tokens, s.input_share, mean_context))

# %% [markdown]
# ## The calibrated roofline
#
# One decode step reads every weight once and each sequence's KV cache; it multiplies every
# weight by every sequence in the batch. The model combines the memory time and the compute
# time of the matmuls, and of attention, with a norm `(a^p + b^p)^(1/p)`, and adds a fixed cost
# per layer. `capacity.refit` chose `p` among the sum form (1), a blend (2) and the classic
# max() roofline (inf), and the efficiency factors, by least squares on the 24 H200 points.

# %%
prose(capacity_page.calibration_sentence())

# %% [markdown]
# ## Model estimate beside each measured H200 point

# %%
calibration = capacity.calibration_table()
contract.save(calibration, "calibration", tables_dir)
capacity_page.errors_as_shares(calibration)

# %%
ax = capacity_plots.model_vs_measured(calibration, "measured_tokens_per_s", "model_tokens_per_s", "model",
                                      "H200, bf16: the calibrated model against each measured step");

# %%
prose(capacity_page.worst_calibration_sentence(calibration))

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
prose(capacity_page.fit_sentence(fit, row["model"], setup_bits, fit_context_tokens))

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
prose(capacity_page.article_point_sentence(points, mean_context, float(row["tokens_per_s_conservative"]),
                                          setup_gpu["gpu"]))

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
capacity_page.errors_as_shares(published[["benchmark_id", "gpu_count", "kv_cache_bits", "input_tokens", "output_tokens",
                                          "concurrency", "published_output_tokens_per_s", "model_output_tokens_per_s",
                                          "model_batch", "model_bound", "error"]])

# %%
ax = capacity_plots.model_vs_measured(published, "published_output_tokens_per_s", "model_output_tokens_per_s",
                                      "engine", "Check points: published output tokens/s against the model");

# %%
summary = capacity_page.error_summary(calibration, published)
contract.save(summary.reset_index(), "capacity_errors", tables_dir)
capacity_page.errors_as_shares(summary)

# %%
prose(capacity_page.check_points_sentence(summary, published))

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
article_gpu_point = capacity.slo_operating_point(setup_gpu, row["model"], s.prompt_tokens, request_output_tokens, setup_bits,
                                                 setup_count, target_ttft_s, target_tpot_s, kv_bits=s.kv_bits,
                                                 max_sequences=s.max_sequences)
prose(capacity_page.latency_sentence(curve, point, article_gpu_point, latency_gpu, row["gpu"], target_ttft_s,
                                     target_tpot_s, s.prompt_tokens))

# %% [markdown]
# ## Traffic that rises and falls
#
# The article assumes a constant rate 24 hours a day. `data/load_profiles.csv` holds a flat
# profile, office hours in one time zone (a week, weekends quiet) and a global consumer day,
# each an assumption stated in its `source`. A deployment kept *always on* pays for the peak
# hour's replicas all month; *scheduled* scaling pays each hour for that hour's replicas. The
# replicas serve the latency targets above; prices are the scenario's (`helpers.derive`).

# %%
served = dataclasses.replace(s, gpu=latency_gpu, throughput_source="model", ttft_s=target_ttft_s,
                             tpot_s=target_tpot_s, tokens_per_day=traffic_tokens_per_day)
profiles_table = capacity_page.traffic_profiles(served, traffic_profiles)
contract.save(profiles_table, "traffic_profiles", tables_dir)
profiles_table

# %%
replica = derive(served)
plans = breakdown.traffic_plans(replica, "business_hours")
ax = capacity_plots.hourly_replicas(plans, f"Office hours, {tokens_text(replica.at('tokens_per_month'))} tokens a month "
                                    f"on {latency_gpu} replicas of {breakdown.replica_tokens_per_s(replica):,.0f} tokens/s");

# %%
by_hour = breakdown.hybrid_by_hour(replica, "business_hours")
contract.save(by_hour, "hybrid_by_hour", tables_dir)
prose(capacity_page.traffic_sentence(profiles_table, by_hour, s.api_model, replica.at("tokens_per_month")))

# %% [markdown]
# ## The breakeven summary with modelled capacity, in GPU-sized steps
#
# One replica of the set-up serves `tokens_per_s * 3600 * hours` tokens a month; past that
# volume another replica is rented, so the self-hosting bill is a staircase, not a flat line.
# The stepped breakeven is the first volume at which the API bill reaches the staircase; it is
# infinite when a fully loaded replica earns less at the API's price than it costs.

# %%
stepped = tables.breakeven_stepped(s)
contract.save(stepped, "breakeven_stepped", tables_dir)
stepped[["api_model", "throughput_source", "fixed_usd_per_month", "tokens_per_s", "replica_tokens_per_month",
         "flat_breakeven_tokens_per_month", "stepped_breakeven_tokens_per_month", "replicas_at_breakeven"]]

# %%
prose(capacity_page.stepped_lines(stepped, s.gpu))
