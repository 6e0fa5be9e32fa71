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
# # What-if: when does the answer flip?
#
# The article's verdict rests on a handful of inputs: the volume, the input share, which API,
# which GPU and how many, on-demand or spot, hours billed, throughput, DevOps time and
# infrastructure, the share a hybrid set-up sends to an API, and a privacy requirement. This
# notebook gives each of them a control and asks: at these inputs, is an API or self-hosting
# cheaper, by how much, where is the breakeven, and what does the article's decision framework
# say? Every figure comes from the same `helpers/` functions as the static notebooks
# (`helpers.show.whatif.evaluate`, which reads `helpers.derive.panel`). "Save scenario" writes the inputs as `params/<name>.yaml`,
# which the report command accepts.

# %% tags=["parameters"]
tokens_per_day = 10_000_000  # the workload (article: 10M tokens/day)
input_share = 0.5  # share of tokens that are input (article: 50/50)
days_per_month = 30  # days in a billed month
hours_per_month = 720  # GPU hours billed per month (24/7)
gpu = "NVIDIA A100 80GB"  # row of data/gpu_cloud.csv
gpu_count = 1  # how many such rented units
spot_discount = 0.0  # 0 means on-demand; the article: spot is 40-60% cheaper
setup = "article_a100_llama70b"  # row of data/selfhost_setups.csv (model, throughput)
throughput_source = "article"  # "article" (the set-up's conservative tokens/s) or "model"
tokens_per_s = None  # None: the set-up's conservative figure
api_models = ["GPT-5", "Claude Sonnet 4.5", "DeepSeek V3.2", "Gemini 2.5 Flash"]  # first is compared
devops_hours_per_month = None  # None: article point estimate (data/hidden_costs.csv)
devops_usd_per_hour = None  # None: article point estimate
infrastructure_usd_per_month = None  # None: article point estimate
hybrid_api_share = 0.1  # share of the volume a hybrid set-up sends to an API
hybrid_api_model = "GPT-5"  # the API of the hybrid set-up
privacy_required = False  # compliance forbids third-party APIs
needs_flagship_quality = False  # GPT-5/Claude-level quality needed
has_ml_expertise = False  # the team can run ML infrastructure
interactive = True  # False in reports: static output only, no widgets
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
import matplotlib.pyplot as plt

from helpers.article import tables
from helpers.show.format import display_options, prose
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.show import whatif, widgets

display_options()
s = Scenario.from_notebook(globals())
if not isinstance(interactive, bool):
    raise ValueError(f"parameter interactive must be True or False, got {interactive!r}")
results = whatif.evaluate(s)

# %% [markdown]
# ## The panel
#
# Move a control and everything below it in the panel updates: the winner (API against
# self-hosting with hidden costs), the decision framework's answer and the step that decided it,
# the monthly cost of each option, both breakevens, and the cost-against-volume plot with the
# current volume marked (orange).

# %%
widgets.panel_or_note(s, interactive)

# %% [markdown]
# ## The starting scenario, as static output
#
# What the panel shows before any control moves, written out so that it survives where widgets
# cannot run (the dated HTML reports).

# %%
prose(whatif.summary_markdown(results))

# %%
whatif.costs_frame(results)

# %%
whatif.breakevens_frame(results)

# %%
fig, ax = plt.subplots(figsize=(9, 5.5))
ax = whatif.plot_costs(results, ax);

# %%
own_answer = tables.what_if(derive(s))
tables.save(own_answer, "what_if", tables_dir)
own_answer
