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
# # How sure is the answer: ranges, Monte Carlo, sensitivity and a contract's life
#
# The article gives ranges (DevOps 10-20 hours a month at \$75-150 an hour, infrastructure
# \$200-500 a month, spot 40-60% off, 1,000-3,000 tokens/s on one A100), yet every other
# notebook uses one point in each. This one draws the uncertain inputs from those ranges
# (the rows of `data/hidden_costs.csv` and `data/selfhost_setups.csv`), prices every draw with
# the same derivation as the rest of the workbook, and asks: how likely is self-hosting with
# hidden costs to be cheaper at a given volume, which input moves the breakeven most, and does
# a commitment still pay off over a contract if API prices keep falling?

# %% tags=["parameters"]
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"tokens_per_day": 5e7}
draws = 20_000  # Monte Carlo draws
seed = 20_260_224  # fixed, so the run is the same every time
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
import numpy as np
import pandas as pd

from helpers.show.format import display_options, prose
from helpers.scenario import Scenario
from helpers.show import uncertainty_plots as plots
from helpers.uncertainty import montecarlo
from helpers.report import contract

display_options()
s = Scenario.from_dict(scenario)
inputs = montecarlo.distributions(s)
mc = montecarlo.run(s, montecarlo.curve_tokens_per_month(s), draws=draws, seed=seed, inputs=inputs)
at_report = montecarlo.run(s, montecarlo.report_tokens_per_month(s), draws=draws, seed=seed, inputs=inputs)

# %% [markdown]
# ## The uncertain inputs
#
# Each input's distribution and the point the rest of the workbook uses. Triangular inputs
# peak at the article's point estimate; the inputs are drawn independently.

# %%
points = montecarlo.points(s)
pd.DataFrame([{"input": name, "distribution": dist.describe(), "point": points[name],
               "mean_of_draws": float(np.mean(mc.draws[name]))} for name, dist in inputs.items()])

# %% [markdown]
# ## How likely is self-hosting to be cheaper?
#
# The share of draws in which self-hosting with hidden costs (and as many replicas as the
# volume needs) costs less than each API over the contract, against daily volume. The dots
# mark the volumes by which 10%, 50% and 90% of the draws have broken even.

# %%
ax = plots.probability_curves(mc)

# %%
crossings = montecarlo.crossings_table(mc)
crossings

# %%
prose(montecarlo.probability_sentence(at_report) + " " + montecarlo.band_sentence(crossings, s.api_model))

# %% [markdown]
# ## Fan chart
#
# Self-hosting's monthly bill spreads with DevOps time, rates, infrastructure and throughput
# (a lower throughput needs another replica sooner: the steps); the APIs' bills are fixed by
# their price lists unless the input share or the price change is drawn.

# %%
ax = plots.fan_chart(mc)

# %% [markdown]
# ## Which input moves the breakeven most?
#
# Each uncertain input moved from its low to its high end, the others at their points: the
# breakeven with hidden costs against the headline API over the contract.

# %%
tornado = montecarlo.tornado(s, inputs=inputs)
ax = plots.tornado_chart(tornado, s.days_per_month)

# %%
tornado

# %%
prose(montecarlo.tornado_sentence(tornado))

# %% [markdown]
# ## A contract's life
#
# What each option costs over the months of a contract at the scenario's volume, with API
# prices moving by `api_price_change_per_year`, and the volume above which committing to
# self-hosting pays off: on demand over the scenario's horizon, and on the reserved rows of
# `data/gpu_cloud.csv` over their own terms.

# %%
ax = plots.cumulative_cost(at_report)

# %%
commitments = montecarlo.commitment_table(s)
commitments

# %%
prose(montecarlo.commitment_sentence(commitments, s.api_model))

# %% [markdown]
# ## Saved tables

# %%
contract.save(montecarlo.uncertainty_table(at_report), "uncertainty", tables_dir)
contract.save(tornado, "tornado", tables_dir)
montecarlo.uncertainty_table(at_report).query("api_model == @s.api_model")
