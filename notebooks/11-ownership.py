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
# # Rent, reserve or buy: owned hardware priced in full
#
# The article prices consumer GPUs as a one-time purchase with "zero recurring cost after
# purchase (besides electricity, roughly $30-80/month for a GPU workstation)", and its cloud
# table rents by the hour. This notebook prices bought hardware in full (capital repaid over
# the depreciation period, energy, colocation, maintenance: `helpers/costs/ownership.py`) from
# `data/ownership_hardware.csv` and `data/ownership_facility.csv`, rechecks the article's
# electricity range and its "zero recurring cost", and asks: at what utilisation does buying a
# GPU beat renting it?

# %% tags=["parameters"]
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"acquisition": "buy"}
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
import dataclasses

from helpers import data
from helpers.derive import derive
from helpers.derive.ownership import electricity_readings, horizon_table, ownership_table
from helpers.report import contract
from helpers.scenario import Scenario
from helpers.show.format import display_options, prose, share_text, usd_text
from helpers.show import ownership_plots, plots

display_options()
s = Scenario.from_dict(scenario)
table = ownership_table(s)
contract.save(table, "ownership", tables_dir)
workstation = data.lookup("ownership_hardware", "hardware", "RTX 4090 workstation")

# %% [markdown]
# ## The article's purchase lines
#
# Its Consumer GPU table, as printed (`data/consumer_hardware.csv`):

# %%
data.load("consumer_hardware")[["hardware", "memory_gb", "usd_price", "condition", "what_it_runs"]]

# %% [markdown]
# "Roughly $30-80/month" of electricity, recomputed as the card's full-load draw x 720 hours
# x the U.S. residential price (low, point and high of `ownership_facility.csv`; the rest of the
# workstation is not counted, so these are floors):

# %%
readings = electricity_readings(float(workstation["power_kw"]), str(workstation["site"]))
prose(f"An RTX 4090 drawing {workstation['power_kw']:g} kW around the clock costs "
      f"**{usd_text(readings['point'])}** a month at the U.S. average residential price, "
      f"{usd_text(readings['low'])} at Washington's and {usd_text(readings['high'])} at "
      f"California's: the article's range holds at the average, and the dearest states run above it.")

# %%
bought = table[table["option"] == workstation["hardware"]].iloc[0]
prose(f"\"Zero recurring cost\" leaves out the purchase itself: {usd_text(bought['purchase_usd'])} written "
      f"off over {bought['depreciation_years']:g} years is **{usd_text(bought['capital_usd_per_month'])}** a "
      f"month, beside {usd_text(bought['energy_usd_per_month'])} of electricity at "
      f"{share_text(bought['utilisation'])} use: {usd_text(bought['usd_per_month'])} a month in all.")

# %% [markdown]
# ## Rent against buy, per GPU
#
# For each server of `ownership_hardware.csv`, the month of owning it (at the scenario's hours,
# utilisation and cost of capital) and of renting as many GPUs of the same model from each
# provider of `gpu_cloud.csv` (and the cheapest at the article's 40% and 60% spot discounts).
# `breakeven_utilisation_vs_rent` is the utilisation above which
# buying is cheaper than renting only the hours used: fixed costs / (rent - energy at full use).

# %%
table[["option", "acquisition", "gpu_count", "capital_usd_per_month", "energy_usd_per_month",
       "colocation_usd_per_month", "maintenance_usd_per_month", "usd_per_month", "usd_per_gpu_hour",
       "breakeven_utilisation_vs_rent"]]

# %%
buy = table[(table["acquisition"] == "buy") & table["breakeven_utilisation_vs_rent"].notna()]
prose("Buying beats the cheapest on-demand rent of the same GPU above "
      + "; ".join(f"{share_text(row.breakeven_utilisation_vs_rent)} use for the {row.option} "
                  f"({usd_text(row.usd_per_gpu_hour)} per GPU-hour owned, against {row.breakeven_rent_option})"
                  for row in buy.itertuples())
      + ". The purchase prices of the GPU-only rows leave out the server around them, so they flatter buying.")

# %% [markdown]
# ## Over how long?
#
# Bought, run at the scenario's utilisation and sold after one to four years at that age's
# resale share (`ownership_resale.csv`), against renting the cheapest on-demand offer of the
# same GPU for the hours used:

# %%
horizons = horizon_table(s)
horizons

# %%
wins = horizons[horizons["buy_cheaper"]].groupby("option")["years"].min()
never = sorted(set(horizons["option"]) - set(wins.index))
prose(f"At {share_text(s.utilisation)} use, buying wins when held at least "
      + "; ".join(f"{years:g} year(s) for the {option}" for option, years in wins.items())
      + (f"; it never wins within {horizons['years'].max():g} years for the {', '.join(never)}" if never else "")
      + ".")

# %% [markdown]
# ## API, rent or buy against volume
#
# The same deployment priced twice by `derive` over a volume grid, rented and bought (the
# scenario's GPU when `ownership_hardware.csv` holds it, else the 8x H100 node at the scenario's
# other inputs), against the headline API: replicas, capacity steps and hidden costs alike.

# %%
node = s if s.acquisition == "buy" else dataclasses.replace(s, gpu="8x NVIDIA H100 SXM (Lambda)")
volumes = plots.volume_grid(high_tokens_per_month=1e12)
rented = derive(dataclasses.replace(node, acquisition="rent"), tokens_per_month=volumes)
bought = derive(dataclasses.replace(node, acquisition="buy"), tokens_per_month=volumes)
ax = ownership_plots.api_rent_buy(rented, bought);

# %% [markdown]
# ## The scenario's own deployment

# %%
r = derive(s)
prose(f"Under acquisition **{s.acquisition}**, one replica of {s.gpu_count} x {r.gpu} costs "
      f"{usd_text(r.replica_usd_per_month)} a month, {usd_text(r.replica_tco_usd_per_month)} with the hidden "
      f"costs; every breakeven of the workbook uses that figure.")
