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
# # What self-hosting costs, and what fits on which GPU
#
# The article's Cloud GPU Pricing, Consumer GPU and model-size tables say what a GPU costs per
# month and which models it can hold; its breakeven set-up (Llama 3.3 70B on one A100 80GB)
# gives a monthly GPU bill and a monthly token capacity. This notebook recomputes each from
# `data/` and asks: do the printed prices, memory figures and capacity follow from the inputs,
# and does each GPU really hold the models the article says it does?

# %% tags=["parameters"]
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"tokens_per_day": 5e7}
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
from helpers import data
from helpers.article import sentences, tables
from helpers.show.format import display_options, prose
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.report import contract

display_options()
s = Scenario.from_dict(scenario)
r = derive(s)
setup_row = data.row(data.load("selfhost_setups"), "setup", s.setup)
params_billion = float(setup_row["params_billion"])

# %% [markdown]
# ## Cloud GPU Pricing
#
# Monthly (24/7) = price per hour x `hours_per_month`. The spot columns apply the article's
# "40-60% cheaper" (`data/hidden_costs.csv`, row `spot_discount`): `spot_usd_per_month_low` at
# the largest discount, `spot_usd_per_month_high` at the smallest.

# %%
gpus = tables.gpu_cloud_with_spot(s)
gpus[["gpu", "vram_gb", "usd_per_hour", "usd_per_month", "article_text", "article_verdict",
      "spot_usd_per_month_low", "spot_usd_per_month_high"]]

# %%
prose(sentences.spot_sentence(gpus, setup_row["gpu"], s.hours_per_month))

# %% [markdown]
# ## GPUs clouds rent today
#
# Not the article's table: hourly prices of current GPUs from named providers' price pages
# (`data/gpu_cloud.csv`, each row with its source and the date it was read), beside the part
# they rent (`data/gpu_specs.csv`: form factor, and memory as the device reports it, in GiB).
# Monthly = price per hour x `hours_per_month`; a spot row's price is already the spot price.
# Any of these rows can be a scenario's `gpu`.

# %%
tables.cloud_offers(s).drop(columns=["source"])

# %% [markdown]
# ## Consumer GPU (one-time purchase)
#
# Whether the set-up's model size fits each machine's memory at 16, 8 and 4 bits per weight
# (weights only: `params * bits / 8` GB; the KV cache needs more on top), and the most bits per
# weight that would fit.

# %%
consumer = tables.consumer_hardware(params_billion)
consumer

# %%
prose(sentences.four_bit_card_sentence(consumer, params_billion))

# %% [markdown]
# The same check for every model size of the article and every machine, consumer and cloud:
# the most precise of fp16, 8-bit and 4-bit at which the weights fit.

# %%
fits = tables.what_fits()
fits

# %%
prose(sentences.largest_model_sentence(fits, consumer))

# %% [markdown]
# ## What model sizes require what hardware
#
# Weights at 16, 8 and 4 bits per weight (`helpers.derive.hardware.weights_vram_gb`) beside the article's
# "VRAM Required" columns, which it prints in whole gigabytes.

# %%
vram = tables.vram_by_model_size()
vram

# %%
prose(sentences.vram_errata_sentence(vram))

# %% [markdown]
# ## The breakeven set-up: GPU bill and single-GPU capacity
#
# Capacity = tokens/s x 3,600 x `hours_per_month` x `gpu_count`, at the throughput range the
# article quotes and at its "conservative" figure.

# %%
capacity = tables.capacity(r)
capacity

# %%
prose(sentences.setup_capacity_sentence(r))

# %% [markdown]
# ## Verdicts and saved tables

# %%
contract.save(gpus, "gpu_cloud", tables_dir)
contract.save(consumer, "consumer_hardware", tables_dir)
contract.save(vram, "vram_by_model_size", tables_dir)
contract.save(capacity, "capacity", tables_dir)
tables.table_verdict_counts(gpus, vram, capacity)
