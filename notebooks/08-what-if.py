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
scenario = {}  # overrides of the Scenario's defaults (helpers/scenario.py), e.g. {"tokens_per_day": 5e7}
interactive = True  # False in reports: static output only, no widgets
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
import matplotlib.pyplot as plt

from helpers.article import tables
from helpers.show.format import display_options, prose
from helpers.derive import derive
from helpers.scenario import Scenario
from helpers.show import whatif, widgets
from helpers.report import contract

display_options()
s = Scenario.from_dict(scenario)
if not isinstance(interactive, bool):
    raise ValueError(f"parameter interactive must be True or False, got {interactive!r}")
results = whatif.evaluate(s)

# %% [markdown]
# ## The panel
#
# Move a control and everything below it in the panel updates: the winner (API against
# self-hosting with hidden costs), the decision framework's answer and the step that decided it,
# the monthly cost of each option, both breakevens, and the cost-against-volume chart with the
# current volume marked (black, dash-dotted). The chart is drawn in the browser (bqplot): it
# shows the same lines as the static figure below, and a change sends it numbers, not a picture.

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
contract.save(own_answer, "what_if", tables_dir)
own_answer
