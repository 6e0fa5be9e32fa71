"""Checks of the volumes the article's advice turns on ("When Self-Hosting Makes Sense", "When
API Makes More Sense", the decision framework, "The Bottom Line"): from which daily volume
self-hosting with hidden costs, renting as many GPUs as the volume needs, costs less than an
API, and what it saves there."""
from __future__ import annotations

import math

from helpers.article.claims.context import Context
from helpers.article.claims.registry import check
from helpers.article.claims.table import Claim
from helpers.article.claims.verdicts import ClaimResult, result
from helpers.article.claims.wording import exact_usd, percent_text, tokens_text


def _a100s(units: int) -> str:
    return f"{units} A100" + ("s" if units > 1 else "")


def _crossing_text(ctx: Context, model: str, volume_per_day: float) -> tuple[float, str]:
    """The daily volume from which self-hosting beats ``model`` after hidden costs, and a
    sentence with the arithmetic at ``volume_per_day``."""
    b = ctx.blended(model)
    crossing, units = ctx.first_selfhost_win(model)
    at = ctx.at_daily(volume_per_day)
    monthly = at.at("tokens_per_month")
    api_usd = at.at("api_usd_per_month", model)
    self_usd, self_units = at.at("tco_usd_per_month"), int(at.at("replicas"))
    text = (f"At {tokens_text(volume_per_day)} tokens/day ({tokens_text(monthly)}/month) {model} costs "
            f"{tokens_text(monthly)} x ${b:.4g} per 1M = {exact_usd(api_usd)} a month against {exact_usd(self_usd)} "
            f"for self-hosting with hidden costs ({_a100s(self_units)}).")
    if math.isinf(crossing):
        text += f" Self-hosting never costs less than {model}."
    else:
        crossing_usd, _ = ctx.selfhost_usd(crossing)
        text += (f" Self-hosting costs less from {exact_usd(crossing_usd)} / ${b:.4g} per 1M = "
                 f"{tokens_text(crossing)}/month / {ctx.days_per_month:g} = {tokens_text(ctx.per_day(crossing))} "
                 f"tokens/day ({_a100s(units)}).")
        if units > 1:
            text += (f" The single-A100 breakeven of {tokens_text(ctx.breakeven(model, 'tco'))}/month is beyond "
                     f"one A100's {tokens_text(ctx.capacity)}.")
    return ctx.per_day(crossing), text


@check("api_cheaper_below")
def _api_cheaper_below(claim: Claim, ctx: Context) -> ClaimResult:
    """The API is cheaper than self-hosting (after hidden costs) below article_value tokens/day:
    holds if self-hosting first wins at or above it (the most restrictive model of a tier)."""
    texts = {model: _crossing_text(ctx, model, claim.article_value) for model in ctx.models(claim)}
    model = min(texts, key=lambda m: texts[m][0])
    crossing, text = texts[model]
    if len(texts) > 1:
        text = f"Of {', '.join(texts)}, {model} is the first to lose to self-hosting. " + text
    return result(claim, crossing, text)


@check("selfhost_wins_above")
def _selfhost_wins_above(claim: Claim, ctx: Context) -> ClaimResult:
    """Self-hosting beats the API above article_value tokens/day: holds if it first wins at or
    below it."""
    crossing, text = _crossing_text(ctx, claim.text("api_model"), claim.article_value)
    return result(claim, crossing, text)


@check("selfhost_savings")
def _selfhost_savings(claim: Claim, ctx: Context) -> ClaimResult:
    model = claim.text("api_model")
    per_day = claim.number("tokens_per_day")
    at = ctx.at_daily(per_day)
    monthly = at.at("tokens_per_month")
    api_usd = at.at("api_usd_per_month", model)
    self_usd, units = at.at("tco_usd_per_month"), int(at.at("replicas"))
    savings = 1 - self_usd / api_usd
    text = (f"At {tokens_text(per_day)} tokens/day ({tokens_text(monthly)}/month) {units} A100s with hidden "
            f"costs cost {exact_usd(self_usd)} a month against {exact_usd(api_usd)} for {model}: self-hosting "
            f"saves {percent_text(savings)}. Whether that is 'significant' is the reader's call; the "
            f"direction holds.")
    return result(claim, savings, text)
