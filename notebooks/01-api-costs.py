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
# # What the APIs cost per month
#
# The article's Flagship Models and Budget Models tables give each API's price per million
# input and output tokens and a "Monthly Cost (10M tok/day)" column. This notebook recomputes
# that column from `data/api_prices.csv` (Claude Opus 4.5, quoted only in the article's prose,
# included), sets it beside the printed figures, and asks: do the printed monthly costs follow
# from the prices at the stated workload?

# %% tags=["parameters"]
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"tokens_per_day": 5e7}
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
from helpers import article
from helpers.article import sentences, tables
from helpers.show.format import display_options, prose, tokens_text, usd_text
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.report import contract

display_options()
s = Scenario.from_dict(scenario)
monthly_tokens = derive(s).at("tokens_per_month")
costs = tables.api_costs(s)
shown = ["model", "provider", "usd_per_1m_input", "usd_per_1m_output", "blended_usd_per_1m",
         "usd_per_month", "article_text", "article_verdict"]
prose(f"Workload: {tokens_text(s.tokens_per_day)} tokens/day x {s.days_per_month:g} days = "
         f"{tokens_text(monthly_tokens)} tokens/month, {s.input_share:.0%} of them input.")

# %% [markdown]
# ## Flagship Models
#
# The blended price is `input_share * input + (1 - input_share) * output` per million tokens;
# the monthly bill is the monthly volume times that price (`helpers/costs/api.py`). Claude Opus 4.5
# (tier `premium`) comes from the prose of "When API Makes More Sense".

# %%
flagship = costs[costs["tier"].isin(["flagship", "premium"])]
flagship[shown]

# %%
gpt5 = costs.set_index("model").loc["GPT-5"]
opus = costs.set_index("model").loc["Claude Opus 4.5"]
prose(f"At {tokens_text(s.tokens_per_day)} tokens/day GPT-5 costs **{usd_text(gpt5.usd_per_month)}** "
         f"a month; the article prints **{gpt5.article_text}** (verdict: {gpt5.article_verdict}). "
         f"Claude Opus 4.5, which the article cites only in prose (${opus.usd_per_1m_input:g}/"
         f"${opus.usd_per_1m_output:g} per 1M), would cost {usd_text(opus.usd_per_month)} a month.")

# %% [markdown]
# ## Budget Models

# %%
budget = costs[costs["tier"] == "budget"]
budget[shown]

# %%
cheapest = budget.sort_values("usd_per_month").iloc[0]
prose(f"The cheapest budget API, {cheapest.model}, costs {usd_text(cheapest.usd_per_month)} a month "
         f"at this workload; the article prints {cheapest.article_text}.")

# %% [markdown]
# ## Does the printed "Monthly Cost" column follow from the stated workload?
#
# The column's header says 10M tokens/day (50/50, 30 days). Whatever the parameters, this
# section checks the article at its own workload: for each row, the article's figure divided
# by the recomputed one, and the daily volume at which the article's figure would be right
# (`printed / blended * 1e6 / days_per_month`).

# %%
article_tokens_per_day = article.value("scenario.tokens_per_day")
printed = tables.api_costs_vs_article(tables.api_costs(Scenario(tokens_per_day=article_tokens_per_day))).dropna(subset=["article_value"])
printed[["model", "usd_per_month", "article_value", "article_over_recomputed",
         "article_implied_tokens_per_day"]]

# %%
implied_tokens_per_day = tables.round_significant(printed["article_implied_tokens_per_day"].median())
at_implied = tables.api_costs(Scenario(tokens_per_day=implied_tokens_per_day), judge=True)
at_implied = at_implied.dropna(subset=["article_value"])
at_implied[["model", "usd_per_month", "article_text", "article_verdict"]]

# %%
prose(sentences.monthly_column_sentence(printed, at_implied, article_tokens_per_day, implied_tokens_per_day))

# %% [markdown]
# ## Verdicts and saved table
#
# The count covers the monthly costs at the parameters' workload (the table saved as
# `api_costs`).

# %%
contract.save(costs, "api_costs", tables_dir)
tables.table_verdict_counts(costs)
