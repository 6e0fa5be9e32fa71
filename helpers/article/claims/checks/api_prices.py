"""Checks of "The Cost of API Access": the workload, each API's monthly bill and blended
price, which models are open weights, and what the API costs at the volumes the decision
framework names."""
from __future__ import annotations

from helpers import article, data
from helpers.article import tables
from helpers.article.claims.context import Context
from helpers.article.claims.registry import check
from helpers.article.claims.table import Claim
from helpers.article.claims.verdicts import ClaimResult, figure_result, judge, result
from helpers.article.claims.wording import exact_usd, ratio_text, tokens_text
from helpers.assumptions import INPUT_SHARE


@check("input_tokens")
def _input_tokens(claim: Claim, ctx: Context) -> ClaimResult:
    per_day = claim.number("tokens_per_day")
    inputs = per_day * INPUT_SHARE
    return result(claim, inputs, f"{tokens_text(per_day)} tokens/day x {INPUT_SHARE:.0%} input share = "
                                 f"{tokens_text(inputs)} input and {tokens_text(per_day - inputs)} output tokens a day.")


@check("api_monthly")
def _api_monthly(claim: Claim, ctx: Context) -> ClaimResult:
    per_day = claim.number("tokens_per_day")
    at = ctx.at_daily(per_day)
    frame = ctx.cached(("api_costs", per_day), lambda: tables.api_costs(at.scenario, data_dir=ctx.data_dir))
    row = data.row(frame, "model", claim.text("api_model"))
    cost = float(row["usd_per_month"])
    text = (f"{tokens_text(per_day)} tokens/day x {ctx.days_per_month:g} days = "
            f"{tokens_text(at.at('tokens_per_month'))} tokens x ${row['blended_usd_per_1m']:.4g} per 1M "
            f"(50/50 blend of ${row['usd_per_1m_input']:.2f} and ${row['usd_per_1m_output']:.2f}) = "
            f"{exact_usd(cost)} a month.")
    found = figure_result(claim, cost, text, ctx.data_dir)
    if found.verdict == article.ERRATUM:
        implied = found.article_value / cost * per_day
        text += (f" The printed {row['article_text']} is {ratio_text(cost / found.article_value)} smaller: "
                 f"it is the bill at about {tokens_text(float(f'{implied:.1g}'))} tokens/day.")
        found = ClaimResult(found.recomputed_value, found.verdict, text, found.article_value)
    return found


@check("zero_volume_api_cost")
def _zero_volume(claim: Claim, ctx: Context) -> ClaimResult:
    cost = ctx.api_usd(0.0, claim.text("api_model"))
    return result(claim, cost, f"The API bill is volume x price, so zero tokens cost {exact_usd(cost)} "
                               f"(the rented GPU still costs {exact_usd(ctx.gpu_usd_per_month)} a month).")


@check("blended")
def _blended(claim: Claim, ctx: Context) -> ClaimResult:
    row = data.row(ctx.prices(), "model", claim.text("api_model"))
    b = ctx.blended(claim.text("api_model"))
    return figure_result(claim, b, f"{INPUT_SHARE:g} x ${row['usd_per_1m_input']:.2f} + "
                                   f"{1 - INPUT_SHARE:g} x ${row['usd_per_1m_output']:.2f} = "
                                   f"${b:.4g} per 1M tokens.", ctx.data_dir)


@check("open_weights_share")
def _open_weights(claim: Claim, ctx: Context) -> ClaimResult:
    prices = ctx.prices()
    models = claim.names("api_models")
    open_models = [m for m in models if bool(data.row(prices, "model", m)["open_weights"])]
    share = len(open_models) / len(models)
    return result(claim, share, f"data/api_prices.csv marks {len(open_models)} of the {len(models)} as open "
                                f"weights" + (f" ({', '.join(open_models)})." if open_models else "."))


@check("api_cost")
def _api_cost(claim: Claim, ctx: Context) -> ClaimResult:
    per_day = claim.number("tokens_per_day")
    at = ctx.at_daily(per_day)
    costs = {m: at.at("api_usd_per_month", m) for m in ctx.models(claim)}
    pick = {"min": min, "max": max}[claim.given.get("which", "max")]
    model = pick(costs, key=costs.get)
    cost = costs[model]
    text = (f"At {tokens_text(per_day)} tokens/day x {ctx.days_per_month:g} days = "
            f"{tokens_text(at.at('tokens_per_month'))} tokens x ${ctx.blended(model):.4g} per 1M, "
            f"{model} costs {exact_usd(cost)} a month")
    if len(costs) > 1:
        text += f" ({'cheapest' if pick is min else 'dearest'} of {', '.join(costs)})"
    verdict = judge(claim, cost, claim.article_value)
    if verdict == article.ERRATUM:
        text += f", {ratio_text(cost / claim.article_value)} the article's {exact_usd(claim.article_value)}."
    else:
        text += "."
    return ClaimResult(cost, verdict, text)
