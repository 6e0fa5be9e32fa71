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
# # Price drift: what the article's API prices are today, and what that does to the breakeven
#
# The article priced ten APIs at their February 2026 list prices. API prices move fast, and a
# reader decides at today's. This notebook sets each of the article's models at its price in a
# maintained price database (`data/api_prices_current.csv`, written by `make prices` from
# genai-prices at an explicit instant, never an implicit "now") beside the article's, and asks:
# which prices moved, by how much, and does the breakeven against the self-hosted deployment
# still hold? It also lists the price records the database holds for those models.

# %% tags=["parameters"]
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"tokens_per_day": 5e7}
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
import pandas as pd

from helpers import data
from helpers.article import drift
from helpers.show.format import display_options, prose, usd_text
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.show import drift_plots
from helpers.tools import prices
from helpers.report import contract

display_options()
s = Scenario.from_dict(scenario)
result = derive(s)
changes = drift.price_drift(s)
current = data.load("api_prices_current")
priced_at = current["priced_at"].iloc[0]
prose(f"Today's prices: {current['price_db'].iloc[0]} {current['price_db_version'].iloc[0]}, priced at "
      f"**{priced_at}** ({len(current):,} rows). Self-hosting: {s.gpu_count}x {result.gpu}, "
      f"{usd_text(result.at('replica_usd_per_month'))} a month for the GPU, "
      f"{usd_text(result.at('replica_tco_usd_per_month'))} with hidden costs.")

# %% [markdown]
# ## The article's price and today's
#
# Blended at the scenario's input share (with its prompt-cache and batch shares, both 0 in the
# article); `blended_change` is today's blended price over the article's, minus one.

# %%
changes[["model", "article_usd_per_1m_input", "article_usd_per_1m_output", "current_usd_per_1m_input",
         "current_usd_per_1m_output", "current_usd_per_1m_cached_input", "article_blended_usd_per_1m",
         "current_blended_usd_per_1m", "blended_change", "price_db_key"]]

# %%
prose(drift.moved_most_sentence(changes))

# %% [markdown]
# ## The breakeven at both prices
#
# Breakeven = the deployment's monthly bill / blended price per 1M tokens, without and with the
# hidden costs (DevOps time and infrastructure). A dearer API moves the breakeven down: self-hosting
# pays sooner.

# %%
changes[["model", "article_breakeven_tokens_per_month", "current_breakeven_tokens_per_month",
         "article_tco_breakeven_tokens_per_month", "current_tco_breakeven_tokens_per_month"]]

# %%
prose(drift.breakeven_move_sentence(changes, result.at("replica_tokens_per_month")))

# %%
axes = drift_plots.price_drift_chart(changes, priced_at)

# %% [markdown]
# ## What the database holds for these models
#
# Each list-price record (dated changes, and DeepSeek's daily standard hours) and each dated
# variant (batch, flex, priority) up to the instant of today's table, for the key each model is
# mapped to and the other keys its mapping row weighs. `in_force_at` marks the list price that
# applies at that instant.

# %%
history = prices.price_history(prices.parse_at(priced_at))
pd.DataFrame(history)

# %% [markdown]
# ## Where the mapping had to choose
#
# `data/price_db_map.csv` names the database key of each of the article's models; where more
# than one key could be meant, its note says which was taken and why.

# %%
mapping = data.load("price_db_map")
mapping[mapping["related_keys"].notna()][["model", "provider_id", "model_key", "note"]]

# %%
saved = contract.save(changes, "price_drift", tables_dir)
