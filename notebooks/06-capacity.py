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
# on step times measured on an H200 (`helpers/capacity.py`). It asks: which GPU holds which
# model, where does 1,500 tokens/s sit on the throughput curve, how close is the model to
# measurements, and what do the breakevens become when capacity comes in GPU-sized steps?

# %% tags=["parameters"]
setup = "article_a100_llama70b"  # row of data/selfhost_setups.csv (GPU, model, bits, tokens/s)
api_models = ["GPT-5", "Claude Sonnet 4.5", "DeepSeek V3.2", "Gemini 2.5 Flash"]  # APIs to break even against
input_share = 0.5  # share of tokens that are input (article: 50/50)
hours_per_month = 720  # GPU hours billed per month (article: 24/7)
prompt_tokens = 1000  # input tokens of one request; output follows from input_share
min_sequence_tokens_per_s = 10.0  # latency floor: each sequence decodes at least this fast
fit_context_tokens = 4096  # context one sequence must hold for a model to "fit"
devops_hours_per_month = None  # None: article point estimate (data/hidden_costs.csv)
devops_usd_per_hour = None  # None: article point estimate
infrastructure_usd_per_month = None  # None: article point estimate
other_curves = [["NVIDIA A100 80GB", 16, 2], ["NVIDIA H100 80GB", 8, 1], ["NVIDIA H200", 8, 1]]  # more [gpu, weight bits, GPUs] throughput curves
article_point_configs = [[16, 1], [16, 2]]  # [weight bits, GPUs] on the set-up's GPU at which to place the article's tokens/s
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
import math

import pandas as pd

from helpers import capacity, data
from helpers.article import tables
from helpers.article.tables import prose, tokens_text, usd_text
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.show import capacity_plots

tables.display_options()
s = Scenario.from_notebook(globals())
if prompt_tokens < 1 or fit_context_tokens < 1 or (min_sequence_tokens_per_s or 0) < 0:
    raise ValueError("prompt_tokens and fit_context_tokens must be >= 1, min_sequence_tokens_per_s >= 0")
row = data.row(data.load("selfhost_setups"), "setup", setup)
setup_gpu, setup_count = capacity.resolve_gpu(row["gpu"])
setup_bits = float(row["bits_per_weight"])
output_tokens = capacity.output_tokens_for(prompt_tokens, input_share)
mean_context = math.floor(capacity.mean_decode_context(prompt_tokens, output_tokens))
# DevOps + infrastructure: the true monthly cost without any GPU
fixed_usd = float(derive(s).hidden_usd_per_month)
cal = capacity.CALIBRATION
prose(f"Set-up **{setup}**: {row['model']} at {setup_bits:g} bits on {row['gpu']}. Requests of "
         f"{prompt_tokens:,} input and {output_tokens:,} output tokens (input share {input_share:.0%}); "
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
tables.save(calibration, "calibration", tables_dir)
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
tables.save(fit, "capacity_model", tables_dir)
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
# ## Published serving measurements against the model
#
# Whole serving stacks, with their source (`data/published_benchmarks.csv`). The model's figure
# is its estimate for the same GPUs, model, precision, lengths and concurrency (offline runs:
# the largest batch its memory model allows). `share_of_model` above 1 means the engine beat
# the model.

# %%
published = capacity.published_vs_model()
tables.save(published, "published_benchmarks", tables_dir)
published

# %%
ax = capacity_plots.model_vs_measured(published, "published_output_tokens_per_s", "model_output_tokens_per_s",
                                      "engine", "Published output tokens/s against the model's estimate");

# %%
held = published[published["concurrency"].notna() & (published["model_batch"] == published["concurrency"])]
offline = published[published["concurrency"].isna()]
prose(f"Where the concurrency is fixed and fits the model's memory ({len(held)} runs), the published "
         f"figures lie at {held['share_of_model'].min():.2f}-{held['share_of_model'].max():.2f} times the "
         f"model. TensorRT-LLM's offline FP8 runs reach {offline['share_of_model'].min():.2f}-"
         f"{offline['share_of_model'].max():.2f} times it, {int((offline['share_of_model'] > 1).sum())} of "
         f"{len(offline)} above it: they batch more than a 16-bit KV cache allows (FP8 KV cache, 95% of "
         "memory) and overlap prefill with decode, which the model does not, so it is conservative for "
         "tuned FP8 stacks; it leaves out tensor-parallel communication, so it is optimistic for 8 GPUs.")

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
tables.save(stepped, "breakeven_stepped", tables_dir)
stepped[["api_model", "throughput_source", "fixed_usd_per_month", "tokens_per_s", "replica_tokens_per_month",
         "flat_breakeven_tokens_per_month", "stepped_breakeven_tokens_per_month", "replicas_at_breakeven"]]

# %%
lines = [f"The model gives the set-up **{model_steps['tokens_per_s'].iloc[0]:,.0f} tokens/s** (input + output) "
         f"against the article's {article_steps['tokens_per_s'].iloc[0]:,.0f}: "
         f"{tokens_text(model_steps['replica_tokens_per_month'].iloc[0])} tokens a month instead of "
         f"{tokens_text(article_steps['replica_tokens_per_month'].iloc[0])}, so a fully loaded A100 costs "
         f"{usd_text(model_steps['selfhost_usd_per_1m_at_full_load'].iloc[0])} per 1M tokens."]
for m, s, t in zip(model_steps.itertuples(), model_steps["stepped_breakeven_tokens_per_month"],
                   model_tco_steps["stepped_breakeven_tokens_per_month"]):
    raw = "never (the API stays cheaper at any volume)" if math.isinf(s) else f"{tokens_text(s)} tokens/month"
    tco_text = "never" if math.isinf(t) else f"{tokens_text(t)}"
    lines.append(f"- {m.api_model} (${m.blended_usd_per_1m:g}/1M): breakeven {raw}; "
                 f"with {usd_text(fixed_usd)} of hidden costs a month, {tco_text}.")
prose("\n".join(lines))
