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
from helpers import article, data
from helpers.article import tables
from helpers.show.format import display_options, prose, tokens_text, usd_text
from helpers.costs import selfhost
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
a100 = gpus.set_index("gpu").loc[setup_row["gpu"]]
agree = gpus["article_verdict"].isin(["holds", "rounding"]).sum()
prose(f"{agree} of {len(gpus)} monthly prices agree with the article at {s.hours_per_month:g} hours a "
         f"month. On spot, the set-up's {setup_row['gpu']} would cost "
         f"{usd_text(a100.spot_usd_per_month_low)}-{usd_text(a100.spot_usd_per_month_high)} a month "
         f"instead of {usd_text(a100.usd_per_month)}, at the price of interruptions.")

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
card = consumer.sort_values("usd_price").iloc[0]
rtx = consumer[consumer["what_it_runs"].str.contains("4-bit")].iloc[0]
four_bit = tables.PRECISIONS["4-bit"]
prose(f"The article says the {rtx.hardware} runs \"{rtx.what_it_runs}\". A {params_billion:g}B model "
         f"at 4 bits needs {selfhost.vram_gb(params_billion, four_bit):g} GB for its weights alone; "
         f"the card has {rtx.memory_gb:g} GB, so it holds at most "
         f"{rtx[f'max_bits_per_weight_{params_billion:g}b']:.2f} bits per weight: the claim is "
         f"**{'right' if rtx[f'fits_{params_billion:g}b_4bit'] else 'wrong'}** for one card. "
         f"The cheapest machine, the {card.hardware} ({usd_text(card.usd_price)}), "
         f"would need {card[f'max_bits_per_weight_{params_billion:g}b']:.2f} bits per weight or fewer.")

# %% [markdown]
# The same check for every model size of the article and every machine, consumer and cloud:
# the most precise of fp16, 8-bit and 4-bit at which the weights fit.

# %%
fits = tables.what_fits()
fits

# %%
sizes = [c for c in fits.columns if c.endswith("B") and c[:-1].isdigit()]
biggest = sizes[-1]
holders = fits[fits[biggest] != "does not fit"]["hardware"].tolist()
largest = consumer.sort_values("memory_gb").iloc[-1]
largest_bits = selfhost.max_bits_per_weight(largest.memory_gb, float(biggest[:-1]))
prose(f"Only {', '.join(holders) or 'none'} hold the weights of a {biggest} model at 4 bits or more. "
         f"The largest consumer machine, the {largest.hardware} ({largest.memory_gb:g} GB; the article: "
         f"\"{largest.what_it_runs}\"), holds {biggest} at no more than {largest_bits:.2f} bits per weight.")

# %% [markdown]
# ## What model sizes require what hardware
#
# Weights at 16, 8 and 4 bits per weight (`helpers/costs/selfhost.py: vram_gb`) beside the article's
# "VRAM Required" columns, which it prints in whole gigabytes.

# %%
vram = tables.vram_by_model_size()
vram

# %%
off = vram[(vram["fp16_verdict"] == "erratum") | (vram["4bit_verdict"] == "erratum")]
lines = [f"{r.params_billion:g}B at 4 bits: {r.vram_gb_4bit:g} GB, the article prints "
         f"~{r.article_vram_gb_4bit:g} GB" for r in off.itertuples()]
prose("Errata (weights only; a real 4-bit file carries some overhead, so the printed figure may be "
         "a generous estimate rather than a slip): " + "; ".join(lines) + "."
         if lines else "Every printed VRAM figure holds.")

# %% [markdown]
# ## The breakeven set-up: GPU bill and single-GPU capacity
#
# Capacity = tokens/s x 3,600 x `hours_per_month` x `gpu_count`, at the throughput range the
# article quotes and at its "conservative" figure.

# %%
capacity = tables.capacity(r)
capacity

# %%
bill = article.compare(r.replica_usd_per_month, "setup.gpu.usd_per_month")
held = article.compare(r.replica_tokens_per_month, "setup.capacity.tokens_per_month")
prose(f"{s.gpu_count}x {s.gpu} ({s.spot_discount:.0%} spot discount): "
         f"**{usd_text(r.replica_usd_per_month)}** a month; the article prints "
         f"\"{bill['article_text']}\" ({bill['verdict']}). At {r.tokens_per_s:,.0f} tokens/s "
         f"it serves **{tokens_text(r.replica_tokens_per_month)} tokens a month**; the "
         f"article prints \"{held['article_text']}\" ({held['verdict']})."
         + ("" if r.gpu_matches_setup else
            f" Note: the throughput was quoted for the {r.setup_gpu}, not this GPU."))

# %% [markdown]
# ## Verdicts and saved tables

# %%
contract.save(gpus, "gpu_cloud", tables_dir)
contract.save(consumer, "consumer_hardware", tables_dir)
contract.save(vram, "vram_by_model_size", tables_dir)
contract.save(capacity, "capacity", tables_dir)
tables.verdict_counts(gpus, vram, capacity)
