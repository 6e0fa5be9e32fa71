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
# # The hybrid set-up and the decision framework
#
# The article's hybrid example sends 10% of the volume to GPT-5 (~$56 a month) and the rest to
# a small self-hosted model at "~$0 marginal (GPU already running)", and calls the total "a
# fraction of routing everything through an API". Its Quick Decision Framework then walks four
# steps (volume, privacy, quality, expertise). This notebook prices the hybrid with real
# hardware from `data/`, and applies the framework to example teams (`data/decision_cases.csv`)
# and to the parameters' own team, with what each option costs at that team's volume. The
# question: does the hybrid really cost a fraction of all-API, and what does the framework
# recommend, at what price?

# %% tags=["parameters"]
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"tokens_per_day": 5e7}
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
import dataclasses

import pandas as pd

from helpers import data
from helpers.article import sentences, tables
from helpers.show.format import display_options, prose, tokens_text, usd_text
from helpers.costs import decision
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.report import contract

display_options()
s = Scenario.from_dict(scenario)
r = derive(s)

# %% [markdown]
# ## The hybrid example, priced
#
# Each row sends `hybrid_api_share` of the volume to the flagship API and the rest ("simple
# tasks") to: a rented GPU running 24/7, bought hardware written off over
# `hybrid_amortization_months` plus electricity (the article's range, two rows), or a cheap API.
# `share_of_all_api` compares the total with routing everything to the flagship API;
# `total_with_hidden_usd_per_month` adds the article's DevOps and infrastructure estimates to
# the self-hosted rows.

# %%
hybrid = tables.hybrid(r)
hybrid[["option", "simple_tasks_on", "api_usd_per_month", "simple_tasks_usd_per_month", "total_usd_per_month",
        "share_of_all_api", "total_with_hidden_usd_per_month", "share_with_hidden_of_all_api",
        "small_model_fits", "article_text", "article_verdict"]]

# %%
everything = hybrid.iloc[0]
split = hybrid.iloc[1:]
self_hosted = split[split["small_model_fits"].notna()]
api_part = split.iloc[0]
cheaper = self_hosted[self_hosted["share_of_all_api"] < 1]
prose(f"The API part: {tokens_text(api_part.api_tokens_per_month)} tokens to {s.hybrid_api_model} cost "
         f"**{usd_text(api_part.api_usd_per_month)}** a month; the article prints \"{api_part.article_text}\" "
         f"({api_part.article_verdict}). Routing all {tokens_text(s.hybrid_monthly_tokens)} tokens to "
         f"{s.hybrid_api_model} would cost {usd_text(everything.total_usd_per_month)}. The self-hosted options "
         f"cost {self_hosted['share_of_all_api'].min():.0%}-{self_hosted['share_of_all_api'].max():.0%} of that "
         f"on hardware alone ({len(cheaper)} of {len(self_hosted)} cheaper than all-API), and "
         f"{self_hosted['share_with_hidden_of_all_api'].min():.0%}-"
         f"{self_hosted['share_with_hidden_of_all_api'].max():.0%} with the article's hidden costs. Sending the "
         f"simple tasks to {s.hybrid_simple_api_model} instead costs "
         f"{split.iloc[-1].share_of_all_api:.0%} of all-API, with no hardware at all.")

# %%
prose(sentences.hybrid_fraction_sentence(hybrid))

# %% [markdown]
# ## The decision framework, applied
#
# `helpers.costs.decision.decide` walks the article's four steps. For each team: the recommendation,
# the step that decided it, and the monthly cost of the flagship API, the budget API, and
# self-hosting (as many deployments as the volume needs, raw and with the article's hidden
# costs). The last row is the parameters' own team.

# %%
own_team = {"team": "this scenario (parameters)", "tokens_per_day": s.tokens_per_day,
            "privacy_required": s.privacy_required, "needs_flagship_quality": s.needs_flagship_quality,
            "has_ml_expertise": s.has_ml_expertise}
cases = pd.concat([data.load("decision_cases"), pd.DataFrame([own_team])], ignore_index=True)
decisions = tables.decision_cases(r, cases)
decisions[["team", "tokens_per_day", "privacy_required", "needs_flagship_quality", "has_ml_expertise",
           "recommendation", "step", "flagship_api_usd_per_month", "budget_api_usd_per_month",
           "selfhost_gpu_count", "selfhost_tco_usd_per_month", "cheaper_at_open_model_quality"]]

# %%
mine = decisions.iloc[-1]
selfhosters = decisions[decisions["recommendation"] == decision.SELF_HOST]
dearer = selfhosters[selfhosters["cheaper_at_open_model_quality"] == "API"]
prose(f"The parameters' team ({tokens_text(mine.tokens_per_day)} tokens/day): **{mine.recommendation}** "
         f"(step {mine.step}: {mine.reason}). At its volume {s.flagship_api_model} costs "
         f"{usd_text(mine.flagship_api_usd_per_month)}, {s.budget_api_model} {usd_text(mine.budget_api_usd_per_month)}, "
         f"and self-hosting {usd_text(mine.selfhost_tco_usd_per_month)} a month with hidden costs. Of the "
         f"{len(selfhosters)} teams told to self-host, {len(dearer)} would pay less for {s.budget_api_model} "
         f"at open-model quality" + (": those answers rest on privacy or scale, not on price." if len(dearer) else "."))

# %%
low_day, high_day = decision.STEP1_API_BELOW_TOKENS_PER_DAY, decision.STEP1_HIGH_VOLUME_ABOVE_TOKENS_PER_DAY
step_costs = tables.api_costs(dataclasses.replace(s, tokens_per_day=low_day)).set_index("model")
step_costs_high = tables.api_costs(dataclasses.replace(s, tokens_per_day=high_day)).set_index("model")
cheap = step_costs[step_costs["tier"] == "budget"].sort_values("usd_per_month")
flag = step_costs_high[step_costs_high["tier"] == "flagship"]["usd_per_month"]
prose(f"At the step-1 threshold ({tokens_text(low_day)} tokens/day) the budget APIs cost "
         f"{usd_text(cheap['usd_per_month'].min())}-{usd_text(cheap['usd_per_month'].max())} a month; in step 2's "
         f"band ({tokens_text(low_day)}-{tokens_text(high_day)} tokens/day) the flagship APIs cost "
         f"{usd_text(step_costs[step_costs['tier'] == 'flagship']['usd_per_month'].min())}-{usd_text(flag.max())}. "
         "Compare them with the dollar figures the article prints in steps 1 and 2 (not in "
         "data/article_figures.csv, so not checked here).")

# %% [markdown]
# ## Verdicts and saved tables

# %%
contract.save(hybrid, "hybrid", tables_dir)
contract.save(decisions, "decision_cases", tables_dir)
# The ~$56 API part is one printed figure, set beside every split row: count it once.
tables.verdict_counts(hybrid.drop_duplicates(["article_text", "api_usd_per_month"]))
