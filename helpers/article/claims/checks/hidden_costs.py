"""Checks of "Hidden Costs of Self-Hosting" and "Total Cost Adjustment": the DevOps bill, the
model quality gap, the true monthly cost at each end of the article's ranges and its
"1.5-2x" rule."""
from __future__ import annotations

from helpers import data
from helpers.article import tables
from helpers.article.claims.checks.hardware import hardware
from helpers.article.claims.context import Context
from helpers.article.claims.registry import check
from helpers.article.claims.table import Claim
from helpers.article.claims.verdicts import ClaimResult, figure_result, result
from helpers.article.claims.wording import exact_usd


@check("quality_gap")
def _quality_gap(claim: Claim, ctx: Context) -> ClaimResult:
    quality = data.load("model_quality", ctx.data_dir)
    a, b = data.row(quality, "model", claim.text("model")), data.row(quality, "model", claim.text("reference"))
    gaps = {"MMLU": a["mmlu_pct"] - b["mmlu_pct"], "HumanEval": a["humaneval_pct"] - b["humaneval_pct"]}
    text = (f"In the article's benchmark table {claim.text('model')} leads {claim.text('reference')} by "
            + " and ".join(f"{g:+g} points on {k}" for k, g in gaps.items()) + ".")
    return result(claim, min(gaps.values()), text)


def _hidden_text(inputs: dict) -> str:
    return f"{inputs['devops_hours_per_month']:g} h x ${inputs['devops_usd_per_hour']:g}/h"


@check("devops_cost")
def _devops_cost(claim: Claim, ctx: Context) -> ClaimResult:
    case = claim.text("which")
    usd = ctx.devops_usd(case)
    return result(claim, usd, f"{_hidden_text(ctx.hidden[case])} = {exact_usd(usd)} a month.")


@check("tco_total")
def _tco_total(claim: Claim, ctx: Context) -> ClaimResult:
    case = claim.text("which")
    inputs = ctx.hidden[case]
    total = ctx.tco(case)
    text = (f"With the article's {case}-end hidden costs: GPU {exact_usd(ctx.gpu_usd_per_month)} + "
            f"{_hidden_text(inputs)} + {exact_usd(inputs['infrastructure_usd_per_month'])} = {exact_usd(total)} "
            f"a month (point estimate {exact_usd(ctx.tco_usd_per_month)}).")
    return result(claim, total, text)


@check("tco_multiplier_table")
def _tco_multiplier_table(claim: Claim, ctx: Context) -> ClaimResult:
    high = data.hidden_cost("tco_multiplier", "high", ctx.data_dir)
    low = data.hidden_cost("tco_multiplier", "low", ctx.data_dir)
    multiplier = ctx.tco_multiplier("point")
    text = (f"The article's own Total Cost Adjustment table gives {exact_usd(ctx.tco_usd_per_month)} / "
            f"{exact_usd(ctx.gpu_usd_per_month)} = {multiplier:.3g}x, "
            f"{'inside' if low <= multiplier <= high else 'outside'} its {low:g}x-{high:g}x rule.")
    return result(claim, multiplier, text, high)


@check("tco_multiplier_end")
def _tco_multiplier_end(claim: Claim, ctx: Context) -> ClaimResult:
    """The rule's ``which`` end against the true cost at the article's ``which``-end hidden costs
    on ``hardware`` (default: the breakeven set-up's GPU)."""
    case = claim.text("which")
    rule = data.hidden_cost("tco_multiplier", case, ctx.data_dir)
    name = claim.given.get("hardware", ctx.setup["gpu"])
    row, _ = hardware(ctx, name)
    gpu = ctx.gpu_bill(row["gpu"])
    multiplier = ctx.tco_multiplier(case, row["gpu"])
    inputs = ctx.hidden[case]
    text = (f"With the article's {case}-end hidden costs on {name}: ({exact_usd(gpu)} GPU + "
            f"{_hidden_text(inputs)} + {exact_usd(inputs['infrastructure_usd_per_month'])}) / {exact_usd(gpu)} = "
            f"{multiplier:.3g}x the GPU bill, against the rule's {rule:g}x.")
    return result(claim, multiplier, text, rule)


@check("tco_component")
def _tco_component(claim: Claim, ctx: Context) -> ClaimResult:
    inputs = ctx.hidden["point"]
    frame = ctx.cached("tco_components", lambda: tables.tco_components(ctx.result, data_dir=ctx.data_dir))
    component = claim.text("component")
    usd = float(data.row(frame, "component", component)["usd_per_month"])
    text = {
        "gpu_rental": f"${ctx.usd_per_hour:.2f}/hr x {ctx.hours_per_month:g} hours = {exact_usd(usd)}.",
        "devops_time": f"{_hidden_text(inputs)} = {exact_usd(usd)}.",
        "infrastructure_overhead": f"The article's point estimate, {exact_usd(usd)} (its range "
                                   f"{exact_usd(ctx.hidden['low']['infrastructure_usd_per_month'])}-"
                                   f"{exact_usd(ctx.hidden['high']['infrastructure_usd_per_month'])}).",
        "true_monthly_cost": " + ".join(exact_usd(v) for k, v in zip(frame["component"], frame["usd_per_month"])
                                        if k != component) + f" = {exact_usd(usd)}.",
    }[component]
    return figure_result(claim, usd, text, ctx.data_dir)
