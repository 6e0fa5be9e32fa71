"""Sentences whose words depend on the numbers: each reads a table of :mod:`helpers.article.tables`
and says what it shows, so the logic of a notebook's prose is a tested function rather than an
f-string in a cell. Names of models, GPUs and options come from the tables (that is, from
``data/``), never typed in."""
from __future__ import annotations

import pandas as pd

from helpers import article
from helpers.text import tokens_text, usd_text
from helpers.costs import tco

AGREEING = (article.HOLDS, article.ROUNDING)
# "Total cost is a fraction of routing everything through an API": read as at most half.
HYBRID_FRACTION_AT_MOST = 0.5


def agreement(frame: pd.DataFrame, columns: list[str]) -> tuple[int, int]:
    """(figures that hold or differ only by rounding, figures) over the verdict ``columns``."""
    verdicts = frame[columns]
    return int(verdicts.isin(AGREEING).to_numpy().sum()), int(verdicts.size)


def names_or_none(names: list[str]) -> str:
    """"A, B" or "none"."""
    return ", ".join(names) or "none"


def breakeven_sentence(summary: pd.DataFrame, model: str) -> str:
    """One line for a row of :func:`~helpers.article.tables.breakeven_summary` (indexed by
    api_model): the recomputed breakeven beside the article's, with the verdicts."""
    row = summary.loc[model]
    return (f"Breakeven vs {model}: **{tokens_text(row['breakeven_tokens_per_month'])} tokens/month** "
            f"({tokens_text(row['breakeven_tokens_per_day'])}/day); the article prints "
            f"{row['article_month_text']} ({row['article_month_verdict']}) and {row['article_day_text']} "
            f"({row['article_day_verdict']}).")


def reachable_sentence(summary: pd.DataFrame) -> str:
    """Which APIs one deployment can break even against within its monthly capacity, on the
    GPU bill alone and with hidden costs."""
    raw = summary.loc[summary["within_single_gpu_capacity"], "api_model"].tolist()
    adjusted = summary.loc[summary["tco_within_single_gpu_capacity"], "api_model"].tolist()
    return (f"On raw GPU cost, one deployment can reach breakeven against {names_or_none(raw)}; "
            f"with hidden costs, only against {names_or_none(adjusted)}.")


def monthly_column_sentence(printed: pd.DataFrame, at_implied: pd.DataFrame, article_tokens_per_day: float,
                            implied_tokens_per_day: float) -> str:
    """What workload the article's monthly API column was computed for: ``printed`` is
    :func:`~helpers.article.tables.api_costs_vs_article` at the article's volume (printed rows
    only), ``at_implied`` the same rows judged at the volume the printed figures imply."""
    ratios = printed["article_over_recomputed"]
    factor = 1 / ratios.median()
    scale = ("matches this workload" if round(factor) == 1 else
             f"is about {factor:.0f}x too small" if factor > 1 else f"is about {1 / factor:.0f}x too large")
    agree, total = agreement(at_implied, ["article_verdict"])
    implied = printed["article_implied_tokens_per_day"]
    return (f"Every printed monthly cost is between {ratios.min():.3f} and {ratios.max():.3f} times the "
            f"cost at {tokens_text(article_tokens_per_day)} tokens/day: the printed column {scale}. "
            f"The printed figures imply {tokens_text(implied.min())}-{tokens_text(implied.max())} tokens/day; "
            f"recomputed at {tokens_text(implied_tokens_per_day)} tokens/day, {agree} of {total} printed figures "
            f"agree (hold, or differ only by rounding). The prices per million tokens are right; the "
            f"monthly column was computed for {tokens_text(implied_tokens_per_day)} tokens/day.")


def rule_of_thumb_sentence(ranges: pd.DataFrame, data_dir=None) -> str:
    """The article's "1.3x to 2.0x" rule against its own Total Cost Adjustment table and
    against its own hidden-cost ranges (:func:`~helpers.article.tables.tco_range`)."""
    total, gpu = article.figure("tco.total", data_dir), article.figure("tco.gpu", data_dir)
    printed_multiplier = tco.tco_multiplier(total["value"], gpu["value"])
    rule_low, rule_high = ranges["rule_of_thumb_low"].iloc[0], ranges["rule_of_thumb_high"].iloc[0]
    low, high = ranges["tco_multiplier"].min(), ranges["tco_multiplier"].max()
    inside = rule_low <= printed_multiplier <= rule_high
    return (f"The article's own table gives {total['printed_text']} / {gpu['printed_text']} = "
            f"**{printed_multiplier:.2f}x**, {'inside' if inside else 'outside'} its rule of thumb of "
            f"{rule_low:g}x-{rule_high:g}x. Across its own ranges (DevOps hours and rate, infrastructure) the "
            f"multiple runs from {low:.2f}x to {high:.2f}x on this GPU bill "
            f"({ranges['within_rule_of_thumb'].sum()} of {len(ranges)} cases inside the rule)."
            + (" The rule of thumb understates the hidden costs the article itself lists." if high > rule_high else ""))


def hybrid_fraction_sentence(hybrid: pd.DataFrame) -> str:
    """Whether the hybrid costs "a fraction" of all-API (read as at most
    :data:`HYBRID_FRACTION_AT_MOST`) for the cheapest self-hosted option of
    :func:`~helpers.article.tables.hybrid_table`, and what maintaining it and its GPU change."""
    self_hosted = hybrid[hybrid["small_model_fits"].notna()]
    best = self_hosted.sort_values("share_of_all_api").iloc[0]
    rented = self_hosted[self_hosted["option"].str.contains("rented")]
    holds = best.share_of_all_api <= HYBRID_FRACTION_AT_MOST
    text = (f"**\"A fraction of routing everything through an API\"** "
            f"{'holds' if holds else 'does not hold'} at this volume for the cheapest self-hosted option "
            f"({best.simple_tasks_on}, {best.option}: {best.share_of_all_api:.0%}, reading \"a fraction\" as at "
            f"most {HYBRID_FRACTION_AT_MOST:.0%}); a rented GPU costs {rented['share_of_all_api'].min():.1%}-"
            f"{rented['share_of_all_api'].max():.1%} of all-API.")
    if (self_hosted["share_with_hidden_of_all_api"] > 1).all():
        text += " Once someone's time to maintain the model is counted, every self-hosted hybrid costs more than all-API."
    if (self_hosted["simple_tasks_usd_per_month"] > self_hosted["api_usd_per_month"]).all():
        text += (" The GPU is not \"already running\" for free: in every self-hosted row it is a larger bill "
                 "than the API part.")
    return text


def selfhost_bill_sentence(r) -> str:
    """The scenario's deployment in one line: its GPU bill, with hidden costs, and what it
    serves (a :class:`helpers.derive.Result`)."""
    s = r.scenario
    return (f"Self-hosting: {s.gpu_count}x {s.gpu}, **{usd_text(r.replica_usd_per_month)}** a month for the GPU, "
            f"{usd_text(r.replica_tco_usd_per_month)} with hidden costs; one deployment serves "
            f"{tokens_text(r.replica_tokens_per_month)} tokens a month at {float(r.tokens_per_s):,.0f} tokens/s.")
