"""Checks of "Breakeven Analysis" and "The Breakeven Summary": the subtitle's figure, the
per-volume tables' bills and ratios, the breakevens per month and per day (on the GPU bill and
on the true monthly cost), and how they compare with one GPU's capacity."""
from __future__ import annotations

from helpers import article, data
from helpers.article import tables
from helpers.article.claims.checks.hardware import capacity, capacity_text
from helpers.article.claims.context import Context
from helpers.article.claims.registry import check
from helpers.article.claims.table import BASIS_READINGS, Claim, choice
from helpers.article.claims.verdicts import ClaimResult, figure_result, result
from helpers.article.claims.wording import exact_usd, ratio_text, tokens_text
from helpers.derive.claims_figures import BREAKEVEN


def _breakevens(ctx: Context, models: list[str]) -> dict[str, float]:
    """Every breakeven the article computes for ``models``: on the GPU bill, per month and per
    day, and with hidden costs for the models whose adjusted breakeven it prints
    (``tco_be.*`` rows of article_figures.csv)."""
    printed = set(article.figures(ctx.data_dir).index)
    found = {}
    for model in models:
        raw = ctx.breakeven(model, "gpu")
        found[f"{model} (GPU only, per month)"] = raw
        found[f"{model} (GPU only, per day)"] = ctx.per_day(raw)
        if f"tco_be.{model}.tokens_per_month" in printed:
            adjusted = ctx.breakeven(model, "tco")
            found[f"{model} (with hidden costs, per month)"] = adjusted
            found[f"{model} (with hidden costs, per day)"] = ctx.per_day(adjusted)
    return found


@check("subtitle_breakeven")
def _subtitle_breakeven(claim: Claim, ctx: Context) -> ClaimResult:
    models = claim.names("api_models")
    found = _breakevens(ctx, models)
    monthly = {k: v for k, v in found.items() if "per month" in k}
    daily = {k: v for k, v in found.items() if "per day" in k}
    nearest = min(monthly, key=lambda k: abs(monthly[k] - claim.article_value))
    low, high = min(monthly.values()), max(monthly.values())
    day_near = sorted(daily, key=lambda k: abs(daily[k] - claim.article_value))[:2]
    nearest_model = nearest.split(" (")[0]
    nearest_cost = ctx.tco_usd_per_month if "hidden costs" in nearest else ctx.gpu_usd_per_month
    text = (f"No breakeven the article computes is near {tokens_text(claim.article_value)} tokens/month: "
            f"against {', '.join(models)} they run from {tokens_text(low)} to {tokens_text(high)} "
            f"tokens/month; the nearest, {nearest}, is {exact_usd(nearest_cost)} / "
            f"${ctx.blended(nearest_model):.4g} per 1M = {tokens_text(monthly[nearest])}, "
            f"{ratio_text(monthly[nearest] / claim.article_value)} the subtitle. Read as per day, the "
            f"nearest are {tokens_text(daily[day_near[0]])} ({day_near[0]}) and "
            f"{tokens_text(daily[day_near[1]])} ({day_near[1]}), not {tokens_text(claim.article_value)} either.")
    return result(claim, monthly[nearest], text)


def _volume_row(claim: Claim, ctx: Context):
    model = claim.text("api_model")
    frame = ctx.cached(("volumes", model), lambda: tables.breakeven_volumes(ctx.result, model, data_dir=ctx.data_dir))
    volume = int(float(article.figure(claim.figure_id, ctx.data_dir)["row_key"]))
    return data.row(frame, "monthly_tokens", volume)


@check("volume_api_cost")
def _volume_api_cost(claim: Claim, ctx: Context) -> ClaimResult:
    row = _volume_row(claim, ctx)
    b = ctx.blended(claim.text("api_model"))
    return figure_result(claim, row["api_usd_per_month"],
                         f"{tokens_text(row['monthly_tokens'])} tokens x ${b:.4g} per 1M = "
                         f"{exact_usd(row['api_usd_per_month'])}.", ctx.data_dir)


@check("volume_ratio")
def _volume_ratio(claim: Claim, ctx: Context) -> ClaimResult:
    row = _volume_row(claim, ctx)
    dear, cheap = sorted((row["api_usd_per_month"], row["selfhost_usd_per_month"]), reverse=True)
    text = (f"{exact_usd(dear)} / {exact_usd(cheap)} = {ratio_text(row['cost_ratio'])}: "
            f"{row['winner']}" + ("" if row["winner"] == BREAKEVEN else " is cheaper") + ".")
    found = figure_result(claim, row["cost_ratio"], text, ctx.data_dir)
    if row["winner_verdict"] == article.ERRATUM:
        text += f" The article names {row['article_winner']}."
        found = ClaimResult(found.recomputed_value, article.ERRATUM, text, found.article_value)
    return found


def _breakeven_result(claim: Claim, ctx: Context, basis: str, per_day: bool) -> ClaimResult:
    model = claim.text("api_model")
    cost = {"gpu": ctx.gpu_usd_per_month, "tco": ctx.tco_usd_per_month}[basis]
    label = {"gpu": "GPU", "tco": "True monthly cost"}[basis]
    monthly = ctx.breakeven(model, basis)
    text = f"{label} {exact_usd(cost)} / ${ctx.blended(model):.4g} per 1M = {tokens_text(monthly)} tokens/month"
    if per_day:
        daily = ctx.per_day(monthly)
        return figure_result(claim, daily, text + f"; / {ctx.days_per_month:g} days = {tokens_text(daily)}/day.",
                             ctx.data_dir)
    return figure_result(claim, monthly, text + ".", ctx.data_dir)


@check("breakeven_month")
def _be_month(claim: Claim, ctx: Context) -> ClaimResult:
    return _breakeven_result(claim, ctx, "gpu", per_day=False)


@check("breakeven_day")
def _be_day(claim: Claim, ctx: Context) -> ClaimResult:
    return _breakeven_result(claim, ctx, "gpu", per_day=True)


@check("tco_breakeven_month")
def _tco_be_month(claim: Claim, ctx: Context) -> ClaimResult:
    return _breakeven_result(claim, ctx, "tco", per_day=False)


@check("tco_breakeven_day")
def _tco_be_day(claim: Claim, ctx: Context) -> ClaimResult:
    return _breakeven_result(claim, ctx, "tco", per_day=True)


@check("capacity_share")
def _capacity_share(claim: Claim, ctx: Context) -> ClaimResult:
    """Breakeven (GPU only or with hidden costs) as a share of one GPU's monthly capacity."""
    model = claim.text("api_model")
    basis = claim.text("basis")
    cost = {"gpu": ctx.gpu_usd_per_month, "tco": ctx.tco_usd_per_month}[basis]
    volume = ctx.breakeven(model, basis)
    share = volume / capacity(claim, ctx)
    label = "GPU bill" if basis == "gpu" else "true monthly cost"
    text = (f"Breakeven against {model} ({label} {exact_usd(cost)} / ${ctx.blended(model):.4g} per 1M) is "
            f"{tokens_text(volume)} tokens/month; / {capacity_text(claim, ctx)} one {ctx.setup['gpu']} "
            f"serves at {ctx.setup['tokens_per_s']:,.0f} tokens/s = {share:.3g}x its capacity.")
    return result(claim, share, text)


def _tier_breakevens(claim: Claim, ctx: Context) -> tuple[dict[str, float], str]:
    """Breakevens of the tier's models on the claim's ``basis`` (GPU bill by default), and the
    basis in words."""
    basis = choice(claim, "basis", BASIS_READINGS, default="gpu")
    cost = {"gpu": ctx.gpu_usd_per_month, "tco": ctx.tco_usd_per_month}[basis]
    label = ("On the GPU bill alone" if basis == "gpu" else "On the true monthly cost") + f" ({exact_usd(cost)})"
    return {m: ctx.breakeven(m, basis) for m in ctx.models(claim)}, label


@check("budget_within_capacity_share")
def _budget_within(claim: Claim, ctx: Context) -> ClaimResult:
    found, basis = _tier_breakevens(claim, ctx)
    served = capacity(claim, ctx)
    within = {m: v for m, v in found.items() if v <= served}
    share = len(within) / len(found)
    text = (f"{basis}, self-hosting beats {len(within)} of the {len(found)} {claim.text('tier')} "
            f"APIs within one A100's {capacity_text(claim, ctx)}/month: "
            + (", ".join(f"{m} above {tokens_text(v)}" for m, v in sorted(within.items(), key=lambda kv: kv[1]))
               or "none")
            + f", so {len(within)} / {len(found)} = {share:.0%} of them.")
    return result(claim, share, text)


@check("budget_beyond_capacity_share")
def _budget_beyond(claim: Claim, ctx: Context) -> ClaimResult:
    found, basis = _tier_breakevens(claim, ctx)
    served = capacity(claim, ctx)
    beyond = {m: v for m, v in found.items() if v > served}
    share = len(beyond) / len(found)
    text = (f"{basis}, {len(beyond)} of the {len(found)} {claim.text('tier')} APIs have a breakeven "
            f"beyond one A100's {capacity_text(claim, ctx)}/month ("
            + (", ".join(f"{m}: {tokens_text(v)}" for m, v in beyond.items()) or "none")
            + f"), {len(beyond)} / {len(found)} = {share:.0%} of them.")
    return result(claim, share, text)


@check("min_breakeven")
def _min_breakeven(claim: Claim, ctx: Context) -> ClaimResult:
    found = {m: ctx.breakeven(m, "gpu") for m in claim.names("api_models")}
    model = min(found, key=found.get)
    return result(claim, found[model], "GPU-only breakevens: " + ", ".join(
        f"{m} {tokens_text(v)}" for m, v in found.items()) + " tokens/month.")
