"""The claims audit: every checkable claim of the article, recomputed.

The claims live in ``data/claims.csv``: one row per claim, with the article's heading
(``section``), the claim quoted verbatim (``claim_text``), the article's value (``article_value``,
or ``figure_id`` pointing into ``data/article_figures.csv``, or taken by the check from the data
table the article's figure already lives in), the assumptions it rests on, and ``check``: the
name of the function of :data:`CHECKS` that recomputes it from ``data/`` and the figures of
:func:`helpers.derive.derive` (through :class:`Context`; the few a ``Result`` does not hold come
from ``helpers/derive/claims_figures.py``) and the article's tables. ``given`` holds that
function's inputs (``key=value; key=value``; lists joined by ``|``).

How a claim is judged (``comparator``):

- ``eq``: the figure itself, :func:`helpers.article.verdict` (holds / rounding / erratum) at the
  claim's ``resolution`` (the unit of the article's last printed digit).
- ``le``, ``ge``, ``lt``, ``gt``: a statement ("fits", "API is cheaper below V", "under $30"):
  ``recomputed <op> article_value`` (within half a ``resolution`` when one is given) holds,
  otherwise erratum.
- ``none``: not checkable from the workbook's data; the explanation says why.

Readings. Where a sentence can reasonably be read two ways, ``given`` lists the keys that carry
the readings (``readings=format``) and, for each, the alternatives joined by ``|``
(``format=nominal_4bit|awq_gptq_4bit_g128|gguf_q4_k_m``). The check runs once per reading (the
product when several keys vary) and the verdicts combine (:func:`combine`): ``erratum`` only when
the claim is wrong under every reading, :data:`helpers.article.DEPENDS` when it holds under one
and is wrong under another (the explanation gives the result under each), otherwise the best of
holds and rounding. The readings in use:

- ``format``: bits per weight of a quantisation format (``data/quantisation_formats.csv``, through
  :func:`helpers.derive.claims_figures.weights`): "4-bit" is nominal 4 bits, AWQ/GPTQ
  with groups of 128 or GGUF Q4_K_M; "8-bit" is FP8 or GGUF Q8_0.
- ``api_model``: the API self-hosting is compared with, where the sentence names none.
- ``throughput``: the article's 1,000-3,000 tokens/s is "output throughput"; its tables compare
  the resulting capacity with input + output volume (``input_plus_output``). Read as output
  tokens only (``output_only``), one GPU serves as many input tokens again at the 50/50 split.
- ``basis``: breakevens on the GPU bill alone (``gpu``) or the true monthly cost (``tco``).
- ``hardware``: the deployment a rule of thumb is applied to.
- ``gpu_cost``: the hybrid's small GPU rented for it (``rented``) or already running
  (``already_running``, the article's "~$0 marginal").

``group=name`` in ``given`` marks claims about one quantity: under every reading they share
they must compute the same value, so their verdicts cannot contradict (``tests/test_claims.py``).

:func:`audit` returns the table: claim_id, section, claim_text, article_value,
recomputed_value, verdict, explanation (plus unit, assumptions, figure_id and the verdict under
each reading); :func:`audit_readings` one row per claim and reading; :func:`counts_by_verdict`
the counts a report's index shows.

The modules, one job each: ``table`` (the rows of ``data/claims.csv`` and their readings),
``context`` (the figures, from derive), ``verdicts`` (judging a value, combining readings),
``wording`` (numbers in explanations), ``registry`` and ``checks/`` (the checks, one module per
group of the article's sections), ``audit`` (running them, the tables, counts and Markdown).
"""
from helpers.article.claims.audit import (COLUMNS, READING_COLUMNS, as_markdown, audit, audit_readings,
                                         audit_with_readings, claim_verdict_counts, counts_by_verdict,
                                         errata_first, verdicts_sentence)
from helpers.article.claims.checks import CHECKS
from helpers.article.claims.context import ARTICLE_SETUP, Context
from helpers.article.claims.table import Claim, load_claims, reading_label
from helpers.article.claims.verdicts import VERDICT_ORDER, ClaimResult, combine, judge
from helpers.article.claims.wording import exact_usd

__all__ = ["ARTICLE_SETUP", "CHECKS", "COLUMNS", "READING_COLUMNS", "VERDICT_ORDER", "Claim", "ClaimResult",
           "Context", "as_markdown", "audit", "audit_readings", "audit_with_readings", "claim_verdict_counts",
           "combine", "counts_by_verdict", "errata_first", "exact_usd", "judge", "load_claims", "reading_label",
           "verdicts_sentence"]
