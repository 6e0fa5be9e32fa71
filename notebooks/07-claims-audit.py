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
# # Claims audit: which of the article's claims survive its own numbers?
#
# The article makes many claims that numbers can check: every figure of its tables, the
# breakevens, per-day equivalents, capacities and cost ranges of its prose, its rules of thumb,
# what fits on which hardware, and every "A is cheaper than B at volume V". This notebook goes
# through the article from top to bottom (`data/claims.csv`, each claim quoted verbatim under its
# heading), recomputes each claim from the workbook's data and formulas
# (`helpers/article/claims/`), and says whether it holds, is off by rounding, is an erratum, or
# cannot be checked from the workbook's data.
#
# Some sentences can reasonably be read two ways: "4-bit" with or without the scales a real
# 4-bit file stores, a comparison that names no API, a throughput that counts output tokens only.
# Each claim states the reading it is checked under; where there is a second reasonable reading
# the claim is checked under both. An **erratum** is wrong under every reading; a claim right
# under one reading and wrong under another **depends** on the reading, and both results are
# shown. The errata come first, then the claims that depend on a reading.

# %% tags=["parameters"]
tables_dir = ""  # report runs set this; tables are written there as CSV

# %%
from helpers import article
from helpers.article import claims
from helpers.show.format import display_options, prose
from helpers.report import contract

display_options()
if not isinstance(tables_dir, str):
    raise TypeError(f"parameter tables_dir must be a string (a folder, or empty), got {tables_dir!r}")
audit, readings = claims.audit_with_readings()
audit = claims.errata_first(audit)
counts = claims.claim_verdict_counts(audit)
contract.save(audit, "claims", tables_dir)
contract.save(readings, "claim_readings", tables_dir)
counts

# %%
prose(claims.verdicts_sentence(counts))

# %% [markdown]
# ## Errata: wrong under every reading
#
# Each erratum quotes the article, then the arithmetic that contradicts it, with the article's
# own numbers. Where the audit lists more than one reading, each is shown: the claim fails under
# all of them.

# %%
prose(claims.as_markdown(audit[audit["verdict"] == article.ERRATUM], readings))

# %% [markdown]
# ## Claims that depend on the reading
#
# Right under one reasonable reading, wrong under another. Each reading is shown with its
# verdict and its arithmetic; which one the article meant, it does not say.

# %%
prose(claims.as_markdown(audit[audit["verdict"] == article.DEPENDS], readings))

# %% [markdown]
# ## Off by rounding
#
# The figure is within the article's last printed digit or 5% of it, but not a correct rounding.

# %%
prose(claims.as_markdown(audit[audit["verdict"] == article.ROUNDING], readings))

# %% [markdown]
# ## Claims that hold

# %%
audit.loc[audit["verdict"] == article.HOLDS,
          ["claim_id", "article_value", "recomputed_value", "unit", "explanation"]]

# %% [markdown]
# ## Not checkable from the workbook's data
#
# Inputs the workbook takes from the article (prices, benchmark scores), claims about things it
# holds no data on, and products that do not exist.

# %%
prose(claims.as_markdown(audit[audit["verdict"] == article.NOT_CHECKABLE]))
