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
# # Hidden costs: what self-hosting really costs, and what it does to the breakeven
#
# The GPU bill is "the floor, not the ceiling": the article adds DevOps time and infrastructure
# overhead (its Total Cost Adjustment table), states a rule of thumb of 1.3x to 2.0x the GPU
# bill, recomputes the breakevens against GPT-5 and DeepSeek V3.2, and shows the quality gap
# between the APIs and the self-hosted model. This notebook recomputes each from
# `data/hidden_costs.csv` and `data/model_quality.csv` and asks: does the true monthly cost add
# up, does the article's own table obey its rule of thumb, and can one GPU reach the adjusted
# breakevens?

# %% tags=["parameters"]
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"tokens_per_day": 5e7}
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
import dataclasses

from helpers.article import sentences, tables
from helpers.show.format import display_options, prose, tokens_text, usd_text
from helpers.derive import derive
from helpers.derive.quality import per_task
from helpers.show import quality_plots
from helpers.scenario import Scenario
from helpers.report import contract

display_options()
s = Scenario.from_dict(scenario)
r = derive(s)
hidden = r.hidden_inputs
summary = tables.breakeven_summary(r, tables.article_summary_models()).set_index("api_model")

# %% [markdown]
# ## Total Cost Adjustment
#
# True monthly cost = GPU + DevOps hours x rate + infrastructure (`helpers/costs/tco.py`); the hidden
# costs default to the article's point estimates.

# %%
components = tables.tco_components(r)
components

# %%
prose(f"GPU {usd_text(r.replica_usd_per_month)} + DevOps {hidden['devops_hours_per_month']:g} h x "
         f"{usd_text(hidden['devops_usd_per_hour'])}/h + infrastructure "
         f"{usd_text(hidden['infrastructure_usd_per_month'])} = **{usd_text(r.replica_tco_usd_per_month)}** "
         f"a month; the article prints {components['article_text'].iloc[-1]} "
         f"({components['article_verdict'].iloc[-1]}). Hidden costs are "
         f"{r.hidden_usd_per_month / r.replica_tco_usd_per_month:.0%} of the total.")

# %% [markdown]
# ## Adjusted breakevens
#
# Breakeven with hidden costs = true monthly cost / blended price per 1M tokens, and whether one
# deployment's monthly capacity reaches it.

# %%
adjusted = summary[["tco_breakeven_tokens_per_month", "tco_breakeven_tokens_per_day",
                    "article_tco_month_text", "article_tco_month_verdict", "article_tco_day_text",
                    "article_tco_day_verdict", "tco_within_single_gpu_capacity"]]
adjusted

# %%
gpt5, deepseek = summary.loc["GPT-5"], summary.loc["DeepSeek V3.2"]
prose(f"Against GPT-5 the breakeven moves from {tokens_text(gpt5.breakeven_tokens_per_month)} to "
         f"**{tokens_text(gpt5.tco_breakeven_tokens_per_month)} tokens/month** "
         f"({tokens_text(gpt5.tco_breakeven_tokens_per_day)}/day; the article: {gpt5.article_tco_month_text}, "
         f"{gpt5.article_tco_month_verdict}; {gpt5.article_tco_day_text}, {gpt5.article_tco_day_verdict}). "
         f"Against DeepSeek V3.2 it moves to **{tokens_text(deepseek.tco_breakeven_tokens_per_month)}** "
         f"(the article: {deepseek.article_tco_month_text}, {deepseek.article_tco_month_verdict}), which is "
         f"{deepseek.tco_breakeven_tokens_per_month / r.replica_tokens_per_month:.2f} times one "
         f"deployment's capacity of {tokens_text(r.replica_tokens_per_month)}: "
         f"{'within' if deepseek.tco_within_single_gpu_capacity else 'beyond'} what one GPU can serve.")

# %% [markdown]
# ## The 1.3x-2.0x rule of thumb
#
# The true cost as a multiple of the raw GPU bill, at the low, point and high hidden-cost inputs
# of `data/hidden_costs.csv`, against the article's rule of thumb.

# %%
ranges = tables.tco_range(r)
ranges

# %%
prose(sentences.rule_of_thumb_sentence(ranges))

# %% [markdown]
# ## Model Quality Gap
#
# The benchmark figures the article quotes, with each model's gap to the best score.

# %%
quality = tables.model_quality()
quality

# %%
best = quality.sort_values("mmlu_pct").iloc[-1]
hosted = quality[quality["self_hostable"]].sort_values("mmlu_pct").iloc[0]
prose(f"The weakest self-hostable entry, {hosted.model}, trails {best.model} by "
         f"{hosted.mmlu_gap_to_best_pct:g} points on MMLU and {hosted.humaneval_gap_to_best_pct:g} on "
         f"HumanEval. These are the article's rounded figures (no source is given for them); the "
         f"workbook reproduces the table, it does not verify the benchmarks.")

# %% [markdown]
# ### Priced per successful task
#
# A token of each model does not do the same work: the article warns that a weaker model "may
# need more tokens per task (retries, longer prompts with more examples, post-processing
# steps)". Below, each option is priced per *successful* task: with `on_failure: retry` a task
# takes 1/p attempts, each of input + output tokens; the API bill is derive's at the tokens that
# implies, the self-hosted bill the deployment (replicas, hidden costs) that serves them. Where
# the scenario gives no `task_evals`, the success rate is the MMLU score above, a stand-in
# labelled as such, and the workload is the scenario's tokens restated in tasks.

# %%
per_task_result = per_task(s)
per_task_table = per_task_result.frame()
per_task_table[["option", "success_rate", "attempts_per_success", "tokens_per_month", "usd_per_month",
                "usd_per_1k_successes", "breakeven_tasks_per_day"]]

# %%
ax = quality_plots.quality_vs_cost(per_task_table)

# %%
cheapest = per_task_table.sort_values("usd_per_1k_successes").iloc[0]
attempts = per_task_table.set_index("option")["attempts_per_success"]
prose(f"At equal quality the cheapest option is {cheapest.option}, at "
      f"{usd_text(cheapest.usd_per_1k_successes)} per 1,000 successful tasks "
      f"({cheapest.tasks_per_day:,.0f} tasks a day). Attempts per successful task: "
      + ", ".join(f"{option} {value:.2f}" for option, value in attempts.items())
      + ". Left out: " + ("; ".join(per_task_result.notes) or "none") + ".")

# %% [markdown]
# The same arithmetic with the team's own evaluation: `data/task_evals_example.csv` is an
# **example** (invented counts showing the format: model, tasks, successes, tokens per attempt);
# a real one replaces the benchmark stand-ins. Here the self-hosted model escalates its failed
# tasks to GPT-5, the article's hybrid priced at equal quality.

# %%
example = per_task(dataclasses.replace(s, task_evals="data/task_evals_example.csv", on_failure="escalate",
                                       escalate_api_model="GPT-5")).frame()
example[["option", "success_rate", "tokens_per_success", "usd_per_month", "usd_per_1k_successes"]]

# %% [markdown]
# ## Verdicts and saved tables

# %%
contract.save(components, "tco_components", tables_dir)
contract.save(quality, "model_quality", tables_dir)
contract.save(per_task_table, "quality", tables_dir)
tables.table_verdict_counts(components, adjusted)
