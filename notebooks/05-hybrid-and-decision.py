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
from helpers.article import hybrid_decision, sentences, tables
from helpers.show.format import display_options, prose
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
# tasks") to: the scenario's own deployment with the replicas that volume needs (the hybrid the
# what-if panel shows, `helpers.derive.hybrid`), a small rented GPU running 24/7, bought
# hardware written off over `hybrid_amortization_months` plus electricity (the article's range,
# two rows), or a cheap API. `share_of_all_api` compares the total with routing everything to
# the flagship API; `total_with_hidden_usd_per_month` adds the article's DevOps and
# infrastructure estimates to the self-hosted rows.

# %%
hybrid = hybrid_decision.hybrid_table(r)
hybrid[["option", "simple_tasks_on", "api_usd_per_month", "simple_tasks_usd_per_month", "total_usd_per_month",
        "share_of_all_api", "total_with_hidden_usd_per_month", "share_with_hidden_of_all_api",
        "small_model_fits", "article_text", "article_verdict"]]

# %%
prose(sentences.hybrid_parts_sentence(hybrid))

# %%
prose(sentences.hybrid_fraction_sentence(hybrid))

# %% [markdown]
# ## The decision framework, applied
#
# `helpers.derive` walks the article's four steps for each team. For each: the recommendation,
# the step that decided it, and the monthly cost of the flagship API, the budget API, and
# self-hosting (as many deployments as the volume needs, raw and with the article's hidden
# costs). The last row is the parameters' own team.

# %%
own_team = {"team": "this scenario (parameters)", "tokens_per_day": s.tokens_per_day,
            "privacy_required": s.privacy_required, "needs_flagship_quality": s.needs_flagship_quality,
            "has_ml_expertise": s.has_ml_expertise}
cases = pd.concat([data.load("decision_cases"), pd.DataFrame([own_team])], ignore_index=True)
decisions = hybrid_decision.decision_cases(r, cases)
decisions[["team", "tokens_per_day", "privacy_required", "needs_flagship_quality", "has_ml_expertise",
           "recommendation", "step", "flagship_api_usd_per_month", "budget_api_usd_per_month",
           "selfhost_gpu_count", "selfhost_tco_usd_per_month", "cheaper_at_open_model_quality"]]

# %%
prose(sentences.own_team_sentence(decisions))

# %%
low_day, high_day = decision.STEP1_API_BELOW_TOKENS_PER_DAY, decision.STEP1_HIGH_VOLUME_ABOVE_TOKENS_PER_DAY
at_low = tables.api_costs(dataclasses.replace(s, tokens_per_day=low_day))
at_high = tables.api_costs(dataclasses.replace(s, tokens_per_day=high_day))
prose(sentences.step_thresholds_sentence(at_low, at_high, low_day, high_day))

# %% [markdown]
# ## Verdicts and saved tables

# %%
contract.save(hybrid, "hybrid", tables_dir)
contract.save(decisions, "decision_cases", tables_dir)
# The ~$56 API part is one printed figure, set beside every split row: count it once.
tables.table_verdict_counts(hybrid.drop_duplicates(["article_text", "api_usd_per_month"]))
