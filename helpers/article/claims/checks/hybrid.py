"""Checks of "The Hybrid Approach": the e-commerce example's API bill and split, the hybrid
against all-API and against the large self-hosted model, and the volumes where it pays."""
from __future__ import annotations

from helpers.article.claims.context import Context
from helpers.article.claims.registry import check
from helpers.article.claims.table import GPU_COST_READINGS, Claim, choice
from helpers.article.claims.verdicts import ClaimResult, figure_result, result
from helpers.article.claims.wording import exact_usd, tokens_text


def _hybrid_parts(claim: Claim, ctx: Context) -> tuple[dict, str]:
    """The hybrid's bill and the cheapest GPU that holds its small model at FP16; under the
    ``gpu_cost=already_running`` reading that GPU's bill is paid anyway (the article's "~$0
    marginal")."""
    small_gpu = ctx.cheapest_gpu_for(claim.number("params_billion"))["gpu"]
    gpu_usd = ctx.gpu_bill(small_gpu)
    if choice(claim, "gpu_cost", GPU_COST_READINGS, default="rented") == "already_running":
        gpu_usd = 0.0
    parts = ctx.hybrid(claim.number("tokens_per_month"), claim.number("api_share"), claim.text("api_model"), gpu_usd)
    return parts, small_gpu


@check("hybrid_api_cost")
def _hybrid_api_cost(claim: Claim, ctx: Context) -> ClaimResult:
    parts, _ = _hybrid_parts(claim, ctx)
    b = ctx.blended(claim.text("api_model"))
    return figure_result(claim, parts["api_usd_per_month"],
                         f"{claim.number('api_share'):.0%} of {tokens_text(claim.number('tokens_per_month'))} = "
                         f"{tokens_text(parts['api_tokens_per_month'])} tokens x ${b:.4g} per 1M = "
                         f"{exact_usd(parts['api_usd_per_month'])} a month.", ctx.data_dir)


@check("hybrid_selfhost_share")
def _hybrid_share(claim: Claim, ctx: Context) -> ClaimResult:
    parts, _ = _hybrid_parts(claim, ctx)
    share = parts["selfhost_tokens_per_month"] / claim.number("tokens_per_month")
    return result(claim, share, f"{tokens_text(parts['selfhost_tokens_per_month'])} of "
                                f"{tokens_text(claim.number('tokens_per_month'))} tokens go to the self-hosted "
                                f"model: {share:.0%}.")


@check("hybrid_vs_all_api")
def _hybrid_vs_all_api(claim: Claim, ctx: Context) -> ClaimResult:
    parts, gpu = _hybrid_parts(claim, ctx)
    model = claim.text("api_model")
    total_tokens = claim.number("tokens_per_month")
    all_api = ctx.api_usd(total_tokens, model)
    share = parts["total_usd_per_month"] / all_api
    text = (f"At the example's {tokens_text(total_tokens)} tokens/month ({tokens_text(ctx.per_day(total_tokens))}/day), "
            f"all of it through {model} costs {exact_usd(all_api)}; the hybrid costs "
            f"{exact_usd(parts['api_usd_per_month'])} + {exact_usd(parts['selfhost_usd_per_month'])} for the "
            f"cheapest GPU that holds a {claim.number('params_billion'):g}B model ({gpu}"
            + (", already running" if parts["selfhost_usd_per_month"] == 0 else "") + f") = "
            f"{exact_usd(parts['total_usd_per_month'])}; {exact_usd(parts['total_usd_per_month'])} / "
            f"{exact_usd(all_api)} = {share:.1%} of it, before any hidden costs.")
    return result(claim, share, text)


@check("hybrid_vs_large_selfhost")
def _hybrid_vs_large(claim: Claim, ctx: Context) -> ClaimResult:
    parts, gpu = _hybrid_parts(claim, ctx)
    share = parts["total_usd_per_month"] / ctx.gpu_usd_per_month
    text = (f"Hybrid {exact_usd(parts['total_usd_per_month'])} ({gpu}"
            + (", already running," if parts["selfhost_usd_per_month"] == 0 else "") + f" + API) against "
            f"{exact_usd(ctx.gpu_usd_per_month)} for {ctx.setup['model']} on one {ctx.setup['gpu']}: "
            f"{share:.0%} of it.")
    return result(claim, share, text)


@check("hybrid_min_simple_share")
def _hybrid_min_simple_share(claim: Claim, ctx: Context) -> ClaimResult:
    """Smallest share of simple (self-hosted) tokens at which the hybrid beats sending all tokens
    to the API: the small GPU's bill over the all-API bill (hybrid = gpu + (1 - simple) x all_api)."""
    per_day = claim.number("tokens_per_day")
    model = claim.text("api_model")
    gpu = ctx.cheapest_gpu_for(claim.number("params_billion"))["gpu"]
    gpu_usd = ctx.gpu_bill(gpu)
    all_api = ctx.at_daily(per_day).at("api_usd_per_month", model)
    minimum = gpu_usd / all_api
    text = (f"At {tokens_text(per_day)} tokens/day, all of it through {model} costs {exact_usd(all_api)} a "
            f"month; one {gpu} ({exact_usd(gpu_usd)}) pays for itself once simple tasks are "
            f"{exact_usd(gpu_usd)} / {exact_usd(all_api)} = {minimum:.0%} of the tokens, so 70%+ is enough "
            f"from this volume up (at lower volumes more is needed).")
    return result(claim, minimum, text)


@check("hybrid_overkill_below")
def _hybrid_overkill(claim: Claim, ctx: Context) -> ClaimResult:
    """A cheap API for everything costs less than the hybrid below the volume where
    cheap x V = small GPU + share x flagship x V."""
    cheap_model, model = claim.text("cheap_api_model"), claim.text("api_model")
    share = claim.number("api_share")
    gpu = ctx.cheapest_gpu_for(claim.number("params_billion"))["gpu"]
    gpu_usd = ctx.gpu_bill(gpu)
    crossing = ctx.hybrid_crossing(cheap_model, model, share, gpu_usd)
    at = ctx.at_daily(claim.article_value)
    monthly = at.at("tokens_per_month")
    cheap_usd = at.at("api_usd_per_month", cheap_model)
    hybrid_usd = ctx.hybrid(monthly, share, model, gpu_usd)["total_usd_per_month"]
    text = (f"At {tokens_text(claim.article_value)} tokens/day, {cheap_model} for everything costs "
            f"{exact_usd(cheap_usd)} a month against {exact_usd(hybrid_usd)} for the hybrid ({gpu} + "
            f"{share:.0%} to {model}); the hybrid only gets cheaper above {tokens_text(ctx.per_day(crossing))} "
            f"tokens/day. The article's own e-commerce example (100M tokens/month, "
            f"{tokens_text(ctx.per_day(1e8))}/day) is below this line.")
    return result(claim, ctx.per_day(crossing), text)
