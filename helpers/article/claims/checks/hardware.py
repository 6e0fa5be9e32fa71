"""Checks of "The Cost of Self-Hosting" and "What Model Sizes Require What Hardware": the
cloud GPU bills, multi-GPU rows, what fits in which memory at which quantisation format, and
the breakeven set-up's bill and capacity."""
from __future__ import annotations

import math

import pandas as pd

from helpers import article, data
from helpers.article import tables
from helpers.article.claims.context import Context
from helpers.article.claims.registry import check
from helpers.article.claims.table import THROUGHPUT_READINGS, Claim, bits_text, choice
from helpers.article.claims.verdicts import ClaimResult, claim_value, figure_result, result
from helpers.article.claims.wording import exact_usd, gb_text, more_or_less_text, ratio_text, tokens_text
from helpers.assumptions import INPUT_SHARE
from helpers.derive.hardware import max_bits_per_weight


@check("gpu_monthly")
def _gpu_monthly(claim: Claim, ctx: Context) -> ClaimResult:
    frame = ctx.cached("gpu_cloud", lambda: tables.gpu_cloud(ctx.scenario, data_dir=ctx.data_dir))
    row = data.row(frame, "gpu", claim.text("hardware"))
    return figure_result(claim, row["usd_per_month"],
                         f"${row['usd_per_hour']:.2f}/hr x {ctx.hours_per_month:g} hours = "
                         f"{exact_usd(row['usd_per_month'])} a month.", ctx.data_dir)


def hardware(ctx: Context, name: str) -> tuple[pd.Series, str]:
    """A row of gpu_cloud.csv (on demand) or consumer_hardware.csv and the name of its memory
    column."""
    gpus = data.load("gpu_cloud", ctx.data_dir)
    gpus = gpus[gpus["pricing"] == "on_demand"]
    if name in set(gpus["gpu"]):
        return data.row(gpus, "gpu", name), "vram_gb"
    consumer = data.load("consumer_hardware", ctx.data_dir)
    if name in set(consumer["hardware"]):
        return data.row(consumer, "hardware", name), "memory_gb"
    raise KeyError(f"{name!r} is in neither data/gpu_cloud.csv nor data/consumer_hardware.csv")


@check("multi_unit")
def _multi_unit(claim: Claim, ctx: Context) -> ClaimResult:
    whole, _ = hardware(ctx, claim.text("hardware"))
    unit, _ = hardware(ctx, claim.text("unit_hardware"))
    column = claim.text("column")
    count = int(whole["gpu_count"])
    recomputed = count * float(unit[column])
    show = {"vram_gb": gb_text, "memory_gb": gb_text, "usd_per_hour": lambda x: f"{exact_usd(x)}/hr",
            "usd_price": exact_usd}[column]
    text = (f"{count} x {claim.text('unit_hardware')} at {show(float(unit[column]))} = "
            f"{show(recomputed)}; the article prints {show(float(whole[column]))}.")
    return result(claim, recomputed, text, float(whole[column]))


@check("fits")
def _fits(claim: Claim, ctx: Context) -> ClaimResult:
    """The model's weights fit the hardware's memory: needed GB <= memory GB."""
    row, column = hardware(ctx, claim.text("hardware"))
    memory = float(row[column])
    params = claim.number("params_billion")
    stored = ctx.weights(params, claim.text("format"))
    fits = stored.fits(memory)
    text = (f"{params:g}B x {bits_text(stored.bits_per_weight)} bits / 8 = {gb_text(stored.gb)} of weights, "
            f"{'within' if fits else 'more than'} the {gb_text(memory)} of {claim.text('hardware')}.")
    if stored.bits_per_weight < 16:
        fp16 = ctx.weights(params, "fp16")
        text += f" At FP16 it would need {gb_text(fp16.gb)}, which {'fits' if fp16.fits(memory) else 'does not fit'}."
    if not fits:
        text += f" At most {bits_text(max_bits_per_weight(memory, params))} bits per weight fit."
    return result(claim, stored.gb, text, memory)


@check("spot_discount")
def _spot_discount(claim: Claim, ctx: Context) -> ClaimResult:
    row, _ = hardware(ctx, claim.text("hardware"))
    low = data.hidden_cost("spot_discount", "low", ctx.data_dir)
    high = data.hidden_cost("spot_discount", "high", ctx.data_dir)
    cheap = ctx.gpu_bill(row["gpu"], spot_discount=high)
    dear = ctx.gpu_bill(row["gpu"], spot_discount=low)
    return ClaimResult(math.nan, article.NOT_CHECKABLE,
                       f"Not checkable: data/gpu_cloud.csv holds no spot price for the {row['gpu_model']}, so there "
                       f"is no spot quote to compare. Taken at its word, {low:.0%}-{high:.0%} off would bring the "
                       f"{claim.text('hardware')} from {exact_usd(ctx.gpu_usd_per_month)} to "
                       f"{exact_usd(cheap)}-{exact_usd(dear)} a month.")


@check("vram")
def _vram(claim: Claim, ctx: Context) -> ClaimResult:
    """The model-size table's VRAM column for the format's nominal bits, against params x the
    format's bits per weight / 8."""
    params = claim.number("params_billion")
    stored = ctx.weights(params, claim.text("format"))
    row = data.row(data.load("model_sizes", ctx.data_dir), "params_billion", params)
    column = {16: "vram_gb_fp16", 4: "vram_gb_4bit"}[int(stored.nominal_bits)]
    printed = float(row[column])
    text = (f"{params:g}B x {bits_text(stored.bits_per_weight)} bits / 8 = {gb_text(stored.gb)} of weights; "
            f"the article prints ~{gb_text(printed)}.")
    found = result(claim, stored.gb, text, printed)
    if found.verdict == article.ERRATUM:
        text += f" That is {more_or_less_text(printed / stored.gb - 1)} than the weights need."
        found = ClaimResult(found.recomputed_value, found.verdict, text, printed)
    return found


@check("vram_cut")
def _vram_cut(claim: Claim, ctx: Context) -> ClaimResult:
    params = claim.number("params_billion")
    full, reduced = ctx.weights(params, "fp16"), ctx.weights(params, claim.text("format"))
    ratio = full.gb / reduced.gb
    return result(claim, ratio, f"Weights at FP16 against {bits_text(reduced.bits_per_weight)}-bit: "
                                f"{gb_text(full.gb)} / {gb_text(reduced.gb)} = {ratio_text(ratio)} for a "
                                f"{params:g}B model (any size gives the same ratio).")


@check("setup_gpu_monthly")
def _setup_gpu(claim: Claim, ctx: Context) -> ClaimResult:
    return figure_result(claim, ctx.gpu_usd_per_month,
                         f"${ctx.usd_per_hour:.2f}/hr x {ctx.hours_per_month:g} hours = "
                         f"{exact_usd(ctx.gpu_usd_per_month)} a month for the {ctx.setup['gpu']}.", ctx.data_dir)


def capacity(claim: Claim, ctx: Context) -> float:
    """One GPU's monthly capacity in the tokens the article's tables count (input + output)
    under the claim's ``throughput`` reading: the capacity itself when the throughput counts
    input and output tokens (the default, as the article's tables use it); capacity /
    (1 - input share) when it counts output tokens only and the input tokens of the 50/50 split
    are served beside them."""
    reading = choice(claim, "throughput", THROUGHPUT_READINGS, default="input_plus_output")
    return ctx.capacity if reading == "input_plus_output" else ctx.capacity / (1 - INPUT_SHARE)


def capacity_text(claim: Claim, ctx: Context) -> str:
    """The capacity of :func:`capacity` in words, output and input apart when they differ."""
    served = capacity(claim, ctx)
    if served == ctx.capacity:
        return f"{tokens_text(served)} tokens"
    return (f"{tokens_text(ctx.capacity)} output + {tokens_text(served - ctx.capacity)} input = "
            f"{tokens_text(served)} tokens")


@check("setup_capacity")
def _setup_capacity(claim: Claim, ctx: Context) -> ClaimResult:
    served = capacity(claim, ctx)
    text = (f"{ctx.setup['tokens_per_s']:,.0f} tokens/s x 3,600 s x {ctx.hours_per_month:g} hours = "
            f"{tokens_text(ctx.capacity)} tokens a month")
    if served == ctx.capacity:
        text += ", counted against input + output volume as the breakeven tables do."
    else:
        text += (f" of output; with the input tokens of the {INPUT_SHARE:.0%} input share the A100 serves "
                 f"{tokens_text(ctx.capacity)} / {1 - INPUT_SHARE:g} = {tokens_text(served)} tokens of the "
                 f"volume the breakeven tables count, {ratio_text(served / claim_value(claim, ctx.data_dir))} the "
                 f"printed figure (right only as output tokens).")
    return figure_result(claim, served, text, ctx.data_dir)


@check("gpu_capacity")
def _gpu_capacity(claim: Claim, ctx: Context) -> ClaimResult:
    return result(claim, ctx.capacity,
                  f"The rented {ctx.setup['gpu']} costs {exact_usd(ctx.gpu_usd_per_month)} a month at any "
                  f"volume; at the article's {ctx.setup['tokens_per_s']:,.0f} tokens/s it serves at most "
                  f"{tokens_text(ctx.capacity)} tokens a month, about the 'four billion' named.")
