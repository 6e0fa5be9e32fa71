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
# # Breakeven: at what monthly volume does self-hosting beat each API?
#
# Self-hosting costs a fixed monthly GPU bill; an API bill grows with every token. The article
# compares one A100 80GB running Llama 3.3 70B with GPT-5, DeepSeek V3.2, Gemini 2.5 Flash and
# Claude Sonnet 4.5. This notebook recomputes its per-volume tables, its breakeven volumes
# (`GPU bill / blended price per 1M tokens`) with and without hidden costs, and asks: do the
# printed breakevens hold, and can one GPU even serve the volume at which self-hosting pays?

# %% tags=["parameters"]
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"tokens_per_day": 5e7}
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
from helpers.article import sentences, tables
from helpers.show.format import display_options, prose, tokens_text, usd_text
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.show import plots
from helpers.report import contract

display_options()
s = Scenario.from_dict(scenario)
r = derive(s)
capacity_tokens = float(r.replica_tokens_per_month)
article_summary = tables.breakeven_summary(r, tables.article_summary_models()).set_index("api_model")
volumes = tables.breakeven_volumes_all(r)
volume_columns = ["monthly_tokens", "api_usd_per_month", "selfhost_usd_per_month", "winner", "cost_ratio",
                  "article_api_text", "article_api_verdict", "article_ratio_text", "article_ratio_verdict",
                  "winner_verdict"]
verdict_columns = ["article_api_verdict", "article_ratio_verdict", "winner_verdict"]
prose(sentences.selfhost_bill_sentence(r))

# %% [markdown]
# ## Blended prices
#
# The article blends input and output prices 50/50; `input_share` changes that.

# %%
blended = tables.blended_prices(r)
blended

# %% [markdown]
# ## Breakeven vs GPT-5

# %%
gpt5 = volumes[volumes["api_model"] == "GPT-5"]
gpt5[volume_columns]

# %%
agree, printed_figures = sentences.agreement(gpt5, verdict_columns)
prose(sentences.breakeven_sentence(article_summary, "GPT-5") + f" {agree} of {printed_figures} printed figures "
         "of the table agree.")

# %% [markdown]
# ## Breakeven vs DeepSeek V3.2

# %%
deepseek = volumes[volumes["api_model"] == "DeepSeek V3.2"]
deepseek[volume_columns]

# %%
agree, printed_figures = sentences.agreement(deepseek, verdict_columns)
prose(sentences.breakeven_sentence(article_summary, "DeepSeek V3.2") + f" {agree} of {printed_figures} printed "
         "figures of the table agree; the \"Breakeven\" row is a rounded volume, so its API cost is "
         "a little under the GPU bill.")

# %% [markdown]
# ## Breakeven vs Gemini 2.5 Flash
#
# The article gives only the blended rate and the breakeven for this API.

# %%
flash = article_summary.loc["Gemini 2.5 Flash"]
prose(sentences.breakeven_sentence(article_summary, "Gemini 2.5 Flash") + f" That is "
         f"{flash.breakeven_tokens_per_month / capacity_tokens:.1%} of one deployment's monthly capacity "
         f"({tokens_text(capacity_tokens)}): the GPU would have to run flat out all month just to break even.")

# %% [markdown]
# ## The Breakeven Summary
#
# With the hidden-cost (TCO) breakevens of "Total Cost Adjustment" and whether each breakeven
# lies within one deployment's monthly capacity.

# %%
summary = tables.breakeven_summary(r)
summary[["api_model", "blended_usd_per_1m", "breakeven_tokens_per_month", "breakeven_tokens_per_day",
         "article_month_text", "article_month_verdict", "article_day_text", "article_day_verdict",
         "tco_breakeven_tokens_per_month", "within_single_gpu_capacity", "tco_within_single_gpu_capacity"]]

# %%
prose(sentences.reachable_sentence(summary))

# %% [markdown]
# ## Cost against volume
#
# Each API's monthly bill against monthly volume (log axes), self-hosting flat: the GPU alone
# (solid) and with hidden costs (dashed). Circles mark the raw breakevens, squares the ones
# with hidden costs; the dotted line is one deployment's capacity, the dash-dotted line the
# parameters' workload.

# %% tags=["headline-chart"]
# Assigned, not echoed: under nbval (no stored history) a trailing ";" alone does not hide the Axes.
ax = plots.cost_vs_volume(derive(s, tokens_per_month=plots.volume_grid()),
                          current_tokens_per_month=r.at("tokens_per_month"));

# %% [markdown]
# ## Which is cheaper, by volume and input share
#
# The first API's bill over the self-hosting bill with hidden costs; when a deployment's
# capacity is full another one is rented. Blue cells: the API is cheaper; red: self-hosting.
# The star is the parameters' workload.

# %%
grid = plots.cheaper_grid(s, s.api_model)
ax = plots.cheaper_heatmap(grid, s.api_model, r.at("tokens_per_month"), s.input_share);

# %% [markdown]
# ## Verdicts and saved tables

# %%
contract.save(volumes, "breakeven_volumes", tables_dir)
contract.save(summary, "breakeven_summary", tables_dir)
tables.table_verdict_counts(blended, volumes, summary)
