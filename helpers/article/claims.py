"""The claims audit: every checkable claim of the article, recomputed.

The claims live in ``data/claims.csv``: one row per claim, with the article's heading
(``section``), the claim quoted verbatim (``claim_text``), the article's value (``article_value``,
or ``figure_id`` pointing into ``data/article_figures.csv``, or taken by the check from the data
table the article's figure already lives in), the assumptions it rests on, and ``check``: the
name of the function of :data:`CHECKS` that recomputes it from ``data/`` and the formulas of
``helpers.costs.api/selfhost/breakeven/tco/hybrid/tables``. ``given`` holds that function's inputs
(``key=value; key=value``; lists joined by ``|``).

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
  :func:`helpers.costs.selfhost.practical_bits_per_weight`): "4-bit" is nominal 4 bits, AWQ/GPTQ
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
"""
from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from helpers import article, data
from helpers.article import tables
from helpers.text import tokens_text, usd_text as _usd_text
from helpers.assumptions import DAYS_PER_MONTH, HOURS_PER_MONTH, INPUT_SHARE
from helpers.costs import api, breakeven, hybrid, selfhost, tco
from helpers.derive import blended_price_of, derive, gpu_row_usd_per_month
from helpers.scenario import Scenario

ARTICLE_SETUP = "article_a100_llama70b"
VERDICT_ORDER = [article.ERRATUM, article.DEPENDS, article.ROUNDING, article.HOLDS, article.NOT_CHECKABLE]
COLUMNS = ["claim_id", "section", "claim_text", "article_value", "recomputed_value", "verdict",
           "explanation", "unit", "assumptions", "figure_id", "readings"]
READING_COLUMNS = ["claim_id", "reading", "article_value", "recomputed_value", "verdict", "explanation"]


# --------------------------------------------------------------------------- claims and results

@dataclass(frozen=True)
class Claim:
    """One row of ``data/claims.csv``, its ``given`` parsed."""

    claim_id: str
    section: str
    claim_text: str
    check: str
    given: dict
    figure_id: str | None
    article_value: float | None
    resolution: float | None
    comparator: str
    unit: str | None
    assumptions: str | None
    note: str | None
    line: int

    def text(self, key: str) -> str:
        if key not in self.given:
            raise ValueError(f"data/claims.csv, line {self.line}, column given: "
                             f"check {self.check!r} needs {key}=..., claim {self.claim_id!r}")
        return self.given[key]

    def number(self, key: str) -> float:
        value = self.text(key)
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"data/claims.csv, line {self.line}, column given: {key}={value!r} "
                             f"is not a number (claim {self.claim_id!r})") from None

    def names(self, key: str) -> list[str]:
        return [name.strip() for name in self.text(key).split("|")]

    @property
    def group(self) -> str | None:
        """The quantity this claim shares with others (``group=...``), if any."""
        return self.given.get("group")

    def variants(self) -> list[tuple[dict, "Claim"]]:
        """One (reading, claim) pair per reading: the claim with each key of ``readings`` set to
        one of its alternatives (every combination); ``[({}, self)]`` when it has none."""
        if "readings" not in self.given:
            return [({}, self)]
        keys = self.names("readings")
        found = []
        for values in itertools.product(*(self.names(key) for key in keys)):
            reading = dict(zip(keys, values))
            found.append((reading, dataclasses.replace(self, given={**self.given, **reading})))
        return found


@dataclass(frozen=True)
class Result:
    recomputed_value: float
    verdict: str
    explanation: str
    article_value: float | None = None  # set when the check takes it from a data table


def _parse_given(text: str | None) -> dict:
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return {}
    pairs = [part.split("=", 1) for part in text.split(";") if part.strip()]
    return {key.strip(): value.strip() for key, value in pairs}


def load_claims(data_dir: Path | None = None) -> list[Claim]:
    """The claims of ``data/claims.csv`` (validated), in the article's order."""
    frame = data.load("claims", data_dir)
    claims = []
    for index, row in frame.iterrows():
        def opt(column):
            value = row[column]
            return None if value is None or (isinstance(value, float) and math.isnan(value)) else value
        claims.append(Claim(
            claim_id=row["claim_id"], section=row["section"], claim_text=row["claim_text"],
            check=row["check"], given=_parse_given(opt("given")), figure_id=opt("figure_id"),
            article_value=opt("article_value"), resolution=opt("resolution"),
            comparator=row["comparator"], unit=opt("unit"), assumptions=opt("assumptions"),
            note=opt("note"), line=int(index) + 2))
    return claims


# --------------------------------------------------------------------------- shared numbers

class Context:
    """The article's scenario, derived once by :func:`helpers.derive.derive`: the breakeven
    set-up's GPU bill and capacity, the true monthly cost at the hidden-cost point estimates
    (and at the low and high ends), and cached table builders."""

    def __init__(self, data_dir: Path | None = None, setup_name: str = ARTICLE_SETUP):
        self.data_dir = data_dir
        self.scenario = Scenario(setup=setup_name)
        self.result = derive(self.scenario, data_dir=data_dir)
        r = self.result
        self.setup = {"gpu": r.setup_gpu, "model": r.model, "tokens_per_s": float(r.tokens_per_s)}
        self.gpu_row = data.row(data.load("gpu_cloud", data_dir), "gpu", r.gpu)
        self.gpu_usd_per_month = float(r.replica_usd_per_month)
        self.capacity = float(r.replica_tokens_per_month)
        names = ("devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month")
        self.hidden = {case: {name: data.hidden_cost(name, case, data_dir) for name in names}
                       for case in ("low", "point", "high")}
        self.tco_usd_per_month = float(r.replica_tco_usd_per_month)
        self._cache: dict = {}

    def cached(self, key, build: Callable):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def tco(self, case: str = "point", gpu: str | None = None) -> float:
        """True monthly cost of one deployment (of ``gpu``, a gpu_cloud.csv row; default the
        set-up's) with the ``case`` hidden-cost inputs."""
        at = dataclasses.replace(self.scenario, gpu=gpu or self.scenario.gpu, **self.hidden[case])
        return self.cached(("tco", case, at.gpu),
                           lambda: float(derive(at, data_dir=self.data_dir).replica_tco_usd_per_month))

    def blended(self, model: str) -> float:
        return blended_price_of(self.scenario, model, self.data_dir)

    def gpu_bill(self, gpu: str, spot_discount: float = 0.0) -> float:
        """One rented unit of a gpu_cloud.csv row a month (the article's 720 hours)."""
        at = dataclasses.replace(self.scenario, spot_discount=spot_discount)
        return gpu_row_usd_per_month(at, gpu, data_dir=self.data_dir)

    def prices(self) -> pd.DataFrame:
        return self.cached("prices", lambda: data.load("api_prices", self.data_dir))

    def models(self, claim: Claim) -> list[str]:
        """The API models a claim names: ``api_model``, ``api_models`` or every model of ``tier``."""
        if "tier" in claim.given:
            prices = self.prices()
            models = prices.loc[prices["tier"] == claim.text("tier"), "model"].tolist()
            if not models:
                raise ValueError(f"data/claims.csv, line {claim.line}, column given: no API model "
                                 f"of tier {claim.text('tier')!r} in data/api_prices.csv")
            return models
        if "api_models" in claim.given:
            return claim.names("api_models")
        return [claim.text("api_model")]

    def units_needed(self, monthly_tokens: float) -> int:
        """Rented units of the set-up's GPU needed to serve ``monthly_tokens`` (at least one)."""
        return int(selfhost.replicas_needed(monthly_tokens, self.capacity))

    def selfhost_usd(self, monthly_tokens: float) -> tuple[float, int]:
        """True monthly cost of serving ``monthly_tokens``, renting as many units as needed
        (DevOps and infrastructure held at one deployment's cost), and the unit count."""
        at = derive(self.scenario, tokens_per_month=monthly_tokens, data_dir=self.data_dir)
        return at.at("tco_usd_per_month"), int(at.at("replicas"))

    def first_selfhost_win(self, blended: float) -> tuple[float, int]:
        """Lowest monthly volume from which self-hosting (true cost, stepwise in rented units)
        costs less than the API, and the units it takes; ``(inf, 0)`` if never
        (:func:`helpers.costs.breakeven.stepped_breakeven_tokens_per_month` on the derived
        deployment)."""
        volume = breakeven.stepped_breakeven_tokens_per_month(
            blended, self.gpu_usd_per_month, self.capacity, float(self.result.hidden_usd_per_month))
        if math.isinf(volume):
            return math.inf, 0
        return volume, self.units_needed(volume)

    def cheapest_gpu_for(self, params_billion: float, bits: float = 16) -> pd.Series:
        """Cheapest on-demand row of ``gpu_cloud.csv`` whose VRAM holds the weights."""
        gpus = data.load("gpu_cloud", self.data_dir)
        holds = gpus["vram_gb"].map(lambda m: selfhost.fits(params_billion, bits, m))
        gpus = gpus[(gpus["pricing"] == "on_demand") & holds]
        if gpus.empty:
            raise ValueError(f"no GPU in data/gpu_cloud.csv holds {params_billion:g}B at {bits:g} bits")
        return gpus.sort_values("usd_per_hour").iloc[0]


# --------------------------------------------------------------------------- readings

# The words for the readings whose values are codes (see the module docstring).
_THROUGHPUT_READINGS = {
    "input_plus_output": "the throughput counted over input + output tokens (as the tables use it)",
    "output_only": "the throughput counted as output tokens only (the article's 'output throughput')",
}
_BASIS_READINGS = {"gpu": "on the GPU bill alone", "tco": "on the true monthly cost (hidden costs included)"}
_GPU_COST_READINGS = {"rented": "the small model's GPU rented for it",
                      "already_running": "the GPU already running (the article's '~$0 marginal')"}
_WORDED_READINGS = {"throughput": _THROUGHPUT_READINGS, "basis": _BASIS_READINGS, "gpu_cost": _GPU_COST_READINGS}


def _choice(claim: Claim, key: str, choices: dict, default: str | None = None) -> str:
    """The claim's value of ``key``, one of ``choices`` (a clear error naming the line if not)."""
    value = claim.given.get(key, default) if default is not None else claim.text(key)
    if value not in choices:
        raise ValueError(f"data/claims.csv, line {claim.line}, column given: {key}={value!r} is not one of "
                         f"{', '.join(choices)} (claim {claim.claim_id!r})")
    return value


# --------------------------------------------------------------------------- judging

def _judge(claim: Claim, recomputed: float, article_value: float | None) -> str:
    if claim.comparator == "none" or article_value is None or recomputed is None:
        return article.NOT_CHECKABLE
    if claim.comparator == "eq":
        if claim.resolution is None:
            raise ValueError(f"data/claims.csv, line {claim.line}, column resolution: "
                             f"an 'eq' claim needs one ({claim.claim_id!r})")
        return article.verdict(recomputed, article_value, claim.resolution)
    tolerance = (claim.resolution or 0.0) / 2 + 1e-9 * max(abs(article_value), 1.0)
    ok = {
        "le": recomputed <= article_value + tolerance,
        "ge": recomputed >= article_value - tolerance,
        "lt": recomputed < article_value + tolerance,
        "gt": recomputed > article_value - tolerance,
    }[claim.comparator]
    return article.HOLDS if ok else article.ERRATUM


def _result(claim: Claim, recomputed: float, explanation: str, article_value: float | None = None) -> Result:
    value = claim.article_value if article_value is None else article_value
    return Result(float(recomputed), _judge(claim, recomputed, value), explanation, article_value)


def _figure_value(claim: Claim, ctx: Context) -> tuple[float, str]:
    """The article's value and printed text of the claim's ``figure_id``; the figure's
    resolution applies unless the claim sets its own."""
    row = article.figure(claim.figure_id, ctx.data_dir)
    return float(row["value"]), row["printed_text"]


def _figure_result(claim: Claim, ctx: Context, recomputed: float, explanation: str) -> Result:
    value, _ = _figure_value(claim, ctx)
    row = article.figure(claim.figure_id, ctx.data_dir)
    resolution = claim.resolution if claim.resolution is not None else float(row["resolution"])
    return Result(float(recomputed), article.verdict(recomputed, value, resolution), explanation, value)


def exact_usd(usd: float) -> str:
    """Dollars as exact as the arithmetic ($1,440, $1,687.50, $5.625): an explanation never
    rounds the figure it is checking."""
    return _usd_text(usd, exact=True)


def _ratio_text(x: float) -> str:
    return f"{x:.3g}x"


def _share_text(x: float) -> str:
    return f"{x:.1%}" if abs(x) < 0.1 else f"{x:.0%}"


def _gb(x: float) -> str:
    return f"{x:,.4g} GB"


def _per_day(monthly_tokens: float) -> str:
    return tokens_text(api.tokens_per_day(monthly_tokens, DAYS_PER_MONTH))


# --------------------------------------------------------------------------- the checks

CHECKS: dict[str, Callable[[Claim, Context], Result]] = {}


def check(name: str):
    def register(fn):
        CHECKS[name] = fn
        return fn
    return register


@check("not_checkable")
def _not_checkable(claim: Claim, ctx: Context) -> Result:
    return Result(math.nan, article.NOT_CHECKABLE, "Not checkable: " + (claim.note or "no data."))


def _breakevens(ctx: Context, models: list[str]) -> dict[str, float]:
    """Every breakeven the article computes for ``models``: on the GPU bill, per month and per
    day, and with hidden costs for the models whose adjusted breakeven it prints
    (``tco_be.*`` rows of article_figures.csv)."""
    printed = set(article.figures(ctx.data_dir).index)
    found = {}
    for model in models:
        b = ctx.blended(model)
        raw = breakeven.breakeven_tokens_per_month(ctx.gpu_usd_per_month, b)
        found[f"{model} (GPU only, per month)"] = raw
        found[f"{model} (GPU only, per day)"] = api.tokens_per_day(raw)
        if f"tco_be.{model}.tokens_per_month" in printed:
            adjusted = breakeven.breakeven_tokens_per_month(ctx.tco_usd_per_month, b)
            found[f"{model} (with hidden costs, per month)"] = adjusted
            found[f"{model} (with hidden costs, per day)"] = api.tokens_per_day(adjusted)
    return found


@check("subtitle_breakeven")
def _subtitle_breakeven(claim: Claim, ctx: Context) -> Result:
    models = claim.names("api_models")
    monthly = {k: v for k, v in _breakevens(ctx, models).items() if "per month" in k}
    daily = {k: v for k, v in _breakevens(ctx, models).items() if "per day" in k}
    nearest = min(monthly, key=lambda k: abs(monthly[k] - claim.article_value))
    low, high = min(monthly.values()), max(monthly.values())
    day_near = sorted(daily, key=lambda k: abs(daily[k] - claim.article_value))[:2]
    nearest_model = nearest.split(" (")[0]
    nearest_cost = ctx.tco_usd_per_month if "hidden costs" in nearest else ctx.gpu_usd_per_month
    text = (f"No breakeven the article computes is near {tokens_text(claim.article_value)} tokens/month: "
            f"against {', '.join(models)} they run from {tokens_text(low)} to {tokens_text(high)} "
            f"tokens/month; the nearest, {nearest}, is {exact_usd(nearest_cost)} / "
            f"${ctx.blended(nearest_model):.4g} per 1M = {tokens_text(monthly[nearest])}, "
            f"{_ratio_text(monthly[nearest] / claim.article_value)} the subtitle. Read as per day, the "
            f"nearest are {tokens_text(daily[day_near[0]])} ({day_near[0]}) and "
            f"{tokens_text(daily[day_near[1]])} ({day_near[1]}), not {tokens_text(claim.article_value)} either.")
    return _result(claim, monthly[nearest], text)


@check("input_tokens")
def _input_tokens(claim: Claim, ctx: Context) -> Result:
    per_day = claim.number("tokens_per_day")
    inputs = per_day * INPUT_SHARE
    return _result(claim, inputs, f"{tokens_text(per_day)} tokens/day x {INPUT_SHARE:.0%} input share = "
                                  f"{tokens_text(inputs)} input and {tokens_text(per_day - inputs)} output tokens a day.")


@check("api_monthly")
def _api_monthly(claim: Claim, ctx: Context) -> Result:
    per_day = claim.number("tokens_per_day")
    frame = ctx.cached(("api_costs", per_day), lambda: tables.api_costs(Scenario(tokens_per_day=per_day), data_dir=ctx.data_dir))
    row = data.row(frame, "model", claim.text("api_model"))
    monthly = api.tokens_per_month(per_day, DAYS_PER_MONTH)
    cost = float(row["usd_per_month"])
    text = (f"{tokens_text(per_day)} tokens/day x {DAYS_PER_MONTH} days = {tokens_text(monthly)} tokens x "
            f"${row['blended_usd_per_1m']:.4g} per 1M (50/50 blend of ${row['usd_per_1m_input']:.2f} and "
            f"${row['usd_per_1m_output']:.2f}) = {exact_usd(cost)} a month.")
    result = _figure_result(claim, ctx, cost, text)
    if result.verdict == article.ERRATUM:
        implied = result.article_value / cost * per_day
        text += (f" The printed {row['article_text']} is {_ratio_text(cost / result.article_value)} smaller: "
                 f"it is the bill at about {tokens_text(float(f'{implied:.1g}'))} tokens/day.")
        result = Result(result.recomputed_value, result.verdict, text, result.article_value)
    return result


@check("zero_volume_api_cost")
def _zero_volume(claim: Claim, ctx: Context) -> Result:
    cost = api.api_usd_per_month(0, ctx.blended(claim.text("api_model")))
    return _result(claim, cost, f"The API bill is volume x price, so zero tokens cost {exact_usd(cost)} "
                                f"(the rented GPU still costs {exact_usd(ctx.gpu_usd_per_month)} a month).")


def _crossing_text(ctx: Context, model: str, volume_per_day: float) -> tuple[float, str]:
    """The daily volume from which self-hosting beats ``model`` after hidden costs, and a
    sentence with the arithmetic at ``volume_per_day``."""
    b = ctx.blended(model)
    crossing, units = ctx.first_selfhost_win(b)
    monthly = api.tokens_per_month(volume_per_day)
    api_usd = api.api_usd_per_month(monthly, b)
    self_usd, self_units = ctx.selfhost_usd(monthly)
    gpus = f"{self_units} A100" + ("s" if self_units > 1 else "")
    text = (f"At {tokens_text(volume_per_day)} tokens/day ({tokens_text(monthly)}/month) {model} costs "
            f"{tokens_text(monthly)} x ${b:.4g} per 1M = {exact_usd(api_usd)} a month against {exact_usd(self_usd)} "
            f"for self-hosting with hidden costs ({gpus}).")
    if math.isinf(crossing):
        text += f" Self-hosting never costs less than {model}."
    else:
        crossing_usd, _ = ctx.selfhost_usd(crossing)
        text += (f" Self-hosting costs less from {exact_usd(crossing_usd)} / ${b:.4g} per 1M = "
                 f"{tokens_text(crossing)}/month / {DAYS_PER_MONTH} = {_per_day(crossing)} tokens/day "
                 f"({units} A100{'s' if units > 1 else ''}).")
        single = breakeven.breakeven_tokens_per_month(ctx.tco_usd_per_month, b)
        if units > 1:
            text += (f" The single-A100 breakeven of {tokens_text(single)}/month is beyond one A100's "
                     f"{tokens_text(ctx.capacity)}.")
    return api.tokens_per_day(crossing), text


@check("api_cheaper_below")
def _api_cheaper_below(claim: Claim, ctx: Context) -> Result:
    """The API is cheaper than self-hosting (after hidden costs) below article_value tokens/day:
    holds if self-hosting first wins at or above it (the most restrictive model of a tier)."""
    texts = {}
    for model in ctx.models(claim):
        texts[model] = _crossing_text(ctx, model, claim.article_value)
    model = min(texts, key=lambda m: texts[m][0])
    crossing, text = texts[model]
    if len(texts) > 1:
        text = f"Of {', '.join(texts)}, {model} is the first to lose to self-hosting. " + text
    return _result(claim, crossing, text)


@check("selfhost_wins_above")
def _selfhost_wins_above(claim: Claim, ctx: Context) -> Result:
    """Self-hosting beats the API above article_value tokens/day: holds if it first wins at or
    below it."""
    crossing, text = _crossing_text(ctx, claim.text("api_model"), claim.article_value)
    return _result(claim, crossing, text)


@check("selfhost_savings")
def _selfhost_savings(claim: Claim, ctx: Context) -> Result:
    model = claim.text("api_model")
    per_day = claim.number("tokens_per_day")
    monthly = api.tokens_per_month(per_day)
    api_usd = api.api_usd_per_month(monthly, ctx.blended(model))
    self_usd, units = ctx.selfhost_usd(monthly)
    savings = 1 - self_usd / api_usd
    text = (f"At {tokens_text(per_day)} tokens/day ({tokens_text(monthly)}/month) {units} A100s with hidden "
            f"costs cost {exact_usd(self_usd)} a month against {exact_usd(api_usd)} for {model}: self-hosting "
            f"saves {_share_text(savings)}. Whether that is 'significant' is the reader's call; the "
            f"direction holds.")
    return _result(claim, savings, text)


@check("gpu_monthly")
def _gpu_monthly(claim: Claim, ctx: Context) -> Result:
    frame = ctx.cached("gpu_cloud", lambda: tables.gpu_cloud(ctx.scenario, data_dir=ctx.data_dir))
    row = data.row(frame, "gpu", claim.text("hardware"))
    return _figure_result(claim, ctx, row["usd_per_month"],
                          f"${row['usd_per_hour']:.2f}/hr x {HOURS_PER_MONTH} hours = "
                          f"{exact_usd(row['usd_per_month'])} a month.")


def _hardware(ctx: Context, name: str) -> tuple[pd.Series, str]:
    """A row of gpu_cloud.csv or consumer_hardware.csv and the name of its memory column."""
    gpus = data.load("gpu_cloud", ctx.data_dir)
    gpus = gpus[gpus["pricing"] == "on_demand"]
    if name in set(gpus["gpu"]):
        return data.row(gpus, "gpu", name), "vram_gb"
    consumer = data.load("consumer_hardware", ctx.data_dir)
    if name in set(consumer["hardware"]):
        return data.row(consumer, "hardware", name), "memory_gb"
    raise KeyError(f"{name!r} is in neither data/gpu_cloud.csv nor data/consumer_hardware.csv")


@check("multi_unit")
def _multi_unit(claim: Claim, ctx: Context) -> Result:
    whole, _ = _hardware(ctx, claim.text("hardware"))
    unit, _ = _hardware(ctx, claim.text("unit_hardware"))
    column = claim.text("column")
    count = int(whole["gpu_count"])
    recomputed = count * float(unit[column])
    show = {"vram_gb": _gb, "memory_gb": _gb, "usd_per_hour": lambda x: f"{exact_usd(x)}/hr",
            "usd_price": exact_usd}[column]
    text = (f"{count} x {claim.text('unit_hardware')} at {show(float(unit[column]))} = "
            f"{show(recomputed)}; the article prints {show(float(whole[column]))}.")
    return _result(claim, recomputed, text, float(whole[column]))


def _bits_per_weight(claim: Claim, ctx: Context) -> float:
    """Bits per weight of the claim's quantisation ``format``, scales included
    (``data/quantisation_formats.csv``): the one definition every memory claim uses."""
    return selfhost.practical_bits_per_weight(claim.text("format"), ctx.data_dir)


@check("fits")
def _fits(claim: Claim, ctx: Context) -> Result:
    """The model's weights fit the hardware's memory: needed GB <= memory GB."""
    hardware, column = _hardware(ctx, claim.text("hardware"))
    memory = float(hardware[column])
    params, bits = claim.number("params_billion"), _bits_per_weight(claim, ctx)
    needed = selfhost.vram_gb(params, bits)
    fits = selfhost.fits(params, bits, memory)
    text = (f"{params:g}B x {bits:g} bits / 8 = {_gb(needed)} of weights, "
            f"{'within' if fits else 'more than'} the {_gb(memory)} of {claim.text('hardware')}.")
    if bits < 16:
        fp16 = selfhost.vram_gb(params, 16)
        text += f" At FP16 it would need {_gb(fp16)}, which {'fits' if fp16 <= memory else 'does not fit'}."
    if not fits:
        text += (f" At most {selfhost.max_bits_per_weight(memory, params):.3g} bits per weight fit.")
    return _result(claim, needed, text, memory)


@check("spot_discount")
def _spot_discount(claim: Claim, ctx: Context) -> Result:
    row, _ = _hardware(ctx, claim.text("hardware"))
    low = data.hidden_cost("spot_discount", "low", ctx.data_dir)
    high = data.hidden_cost("spot_discount", "high", ctx.data_dir)
    cheap = ctx.gpu_bill(row["gpu"], spot_discount=high)
    dear = ctx.gpu_bill(row["gpu"], spot_discount=low)
    return Result(math.nan, article.NOT_CHECKABLE,
                  f"Not checkable: data/gpu_cloud.csv holds on-demand prices only, so there is no spot "
                  f"quote to compare. Taken at its word, {low:.0%}-{high:.0%} off would bring the "
                  f"{claim.text('hardware')} from {exact_usd(ctx.gpu_usd_per_month)} to "
                  f"{exact_usd(cheap)}-{exact_usd(dear)} a month.")


@check("vram")
def _vram(claim: Claim, ctx: Context) -> Result:
    """The model-size table's VRAM column for the format's nominal bits, against params x the
    format's bits per weight / 8."""
    params, bits = claim.number("params_billion"), _bits_per_weight(claim, ctx)
    nominal = int(selfhost.quantisation_format(claim.text("format"), ctx.data_dir)["nominal_bits"])
    row = data.row(data.load("model_sizes", ctx.data_dir), "params_billion", params)
    column = {16: "vram_gb_fp16", 4: "vram_gb_4bit"}[nominal]
    printed = float(row[column])
    recomputed = selfhost.vram_gb(params, bits)
    text = f"{params:g}B x {bits:g} bits / 8 = {_gb(recomputed)} of weights; the article prints ~{_gb(printed)}."
    result = _result(claim, recomputed, text, printed)
    if result.verdict == article.ERRATUM:
        text += f" That is {_share_text(printed / recomputed - 1)} more than the weights need."
        result = Result(result.recomputed_value, result.verdict, text, printed)
    return result


@check("vram_cut")
def _vram_cut(claim: Claim, ctx: Context) -> Result:
    params, bits = claim.number("params_billion"), _bits_per_weight(claim, ctx)
    full = selfhost.vram_gb(params, selfhost.practical_bits_per_weight("fp16", ctx.data_dir))
    reduced = selfhost.vram_gb(params, bits)
    ratio = full / reduced
    return _result(claim, ratio, f"Weights at FP16 against {bits:g}-bit: {_gb(full)} / {_gb(reduced)} = "
                                 f"{_ratio_text(ratio)} for a {params:g}B model (any size gives the same ratio).")


@check("setup_gpu_monthly")
def _setup_gpu(claim: Claim, ctx: Context) -> Result:
    return _figure_result(claim, ctx, ctx.gpu_usd_per_month,
                          f"${ctx.gpu_row['usd_per_hour']:.2f}/hr x {HOURS_PER_MONTH} hours = "
                          f"{exact_usd(ctx.gpu_usd_per_month)} a month for the {ctx.setup['gpu']}.")


def _claim_value(claim: Claim, ctx: Context) -> float:
    """The article's value of a claim: ``article_value``, else its figure's value."""
    return claim.article_value if claim.article_value is not None else _figure_value(claim, ctx)[0]


def _capacity(claim: Claim, ctx: Context) -> float:
    """One GPU's monthly capacity in the tokens the article's tables count (input + output)
    under the claim's ``throughput`` reading: the capacity itself when the throughput counts
    input and output tokens (the default, as the article's tables use it); capacity /
    (1 - input share) when it counts output tokens only and the input tokens of the 50/50 split
    are served beside them."""
    reading = _choice(claim, "throughput", _THROUGHPUT_READINGS, default="input_plus_output")
    return ctx.capacity if reading == "input_plus_output" else ctx.capacity / (1 - INPUT_SHARE)


def _capacity_text(claim: Claim, ctx: Context) -> str:
    capacity = _capacity(claim, ctx)
    if capacity == ctx.capacity:
        return f"{tokens_text(capacity)} tokens"
    return (f"{tokens_text(ctx.capacity)} output + {tokens_text(capacity - ctx.capacity)} input = "
            f"{tokens_text(capacity)} tokens")


@check("setup_capacity")
def _setup_capacity(claim: Claim, ctx: Context) -> Result:
    capacity = _capacity(claim, ctx)
    text = (f"{ctx.setup['tokens_per_s']:,.0f} tokens/s x 3,600 s x {HOURS_PER_MONTH} hours = "
            f"{tokens_text(ctx.capacity)} tokens a month")
    if capacity == ctx.capacity:
        text += ", counted against input + output volume as the breakeven tables do."
    else:
        text += (f" of output; with the input tokens of the {INPUT_SHARE:.0%} input share the A100 serves "
                 f"{tokens_text(ctx.capacity)} / {1 - INPUT_SHARE:g} = {tokens_text(capacity)} tokens of the "
                 f"volume the breakeven tables count, {_ratio_text(capacity / _claim_value(claim, ctx))} the "
                 f"printed figure (right only as output tokens).")
    return _figure_result(claim, ctx, capacity, text)


@check("gpu_capacity")
def _gpu_capacity(claim: Claim, ctx: Context) -> Result:
    return _result(claim, ctx.capacity,
                   f"The rented {ctx.setup['gpu']} costs {exact_usd(ctx.gpu_usd_per_month)} a month at any "
                   f"volume; at the article's {ctx.setup['tokens_per_s']:,.0f} tokens/s it serves at most "
                   f"{tokens_text(ctx.capacity)} tokens a month, about the 'four billion' named.")


@check("blended")
def _blended(claim: Claim, ctx: Context) -> Result:
    row = data.row(ctx.prices(), "model", claim.text("api_model"))
    b = ctx.blended(claim.text("api_model"))
    return _figure_result(claim, ctx, b, f"{INPUT_SHARE:g} x ${row['usd_per_1m_input']:.2f} + "
                                         f"{1 - INPUT_SHARE:g} x ${row['usd_per_1m_output']:.2f} = "
                                         f"${b:.4g} per 1M tokens.")


def _volume_row(claim: Claim, ctx: Context) -> pd.Series:
    model = claim.text("api_model")
    frame = ctx.cached(("volumes", model), lambda: tables.breakeven_volumes(
        ctx.result, model, data_dir=ctx.data_dir))
    volume = int(float(article.figure(claim.figure_id, ctx.data_dir)["row_key"]))
    return data.row(frame, "monthly_tokens", volume)


@check("volume_api_cost")
def _volume_api_cost(claim: Claim, ctx: Context) -> Result:
    row = _volume_row(claim, ctx)
    b = ctx.blended(claim.text("api_model"))
    return _figure_result(claim, ctx, row["api_usd_per_month"],
                          f"{tokens_text(row['monthly_tokens'])} tokens x ${b:.4g} per 1M = "
                          f"{exact_usd(row['api_usd_per_month'])}.")


@check("volume_ratio")
def _volume_ratio(claim: Claim, ctx: Context) -> Result:
    row = _volume_row(claim, ctx)
    dear, cheap = sorted((row["api_usd_per_month"], row["selfhost_usd_per_month"]), reverse=True)
    text = (f"{exact_usd(dear)} / {exact_usd(cheap)} = {_ratio_text(row['cost_ratio'])}: "
            f"{row['winner']}" + ("" if row["winner"] == breakeven.BREAKEVEN else " is cheaper") + ".")
    result = _figure_result(claim, ctx, row["cost_ratio"], text)
    if row["winner_verdict"] == article.ERRATUM:
        text += f" The article names {row['article_winner']}."
        result = Result(result.recomputed_value, article.ERRATUM, text, result.article_value)
    return result


def _breakeven_result(claim: Claim, ctx: Context, selfhost_usd: float, per_day: bool, label: str) -> Result:
    b = ctx.blended(claim.text("api_model"))
    monthly = breakeven.breakeven_tokens_per_month(selfhost_usd, b)
    text = f"{label} {exact_usd(selfhost_usd)} / ${b:.4g} per 1M = {tokens_text(monthly)} tokens/month"
    if per_day:
        daily = breakeven.breakeven_tokens_per_day(selfhost_usd, b, DAYS_PER_MONTH)
        return _figure_result(claim, ctx, daily, text + f"; / {DAYS_PER_MONTH} days = {tokens_text(daily)}/day.")
    return _figure_result(claim, ctx, monthly, text + ".")


@check("breakeven_month")
def _be_month(claim: Claim, ctx: Context) -> Result:
    return _breakeven_result(claim, ctx, ctx.gpu_usd_per_month, False, "GPU")


@check("breakeven_day")
def _be_day(claim: Claim, ctx: Context) -> Result:
    return _breakeven_result(claim, ctx, ctx.gpu_usd_per_month, True, "GPU")


@check("tco_breakeven_month")
def _tco_be_month(claim: Claim, ctx: Context) -> Result:
    return _breakeven_result(claim, ctx, ctx.tco_usd_per_month, False, "True monthly cost")


@check("tco_breakeven_day")
def _tco_be_day(claim: Claim, ctx: Context) -> Result:
    return _breakeven_result(claim, ctx, ctx.tco_usd_per_month, True, "True monthly cost")


@check("capacity_share")
def _capacity_share(claim: Claim, ctx: Context) -> Result:
    """Breakeven (GPU only or with hidden costs) as a share of one GPU's monthly capacity."""
    model = claim.text("api_model")
    basis = claim.text("basis")
    cost = {"gpu": ctx.gpu_usd_per_month, "tco": ctx.tco_usd_per_month}[basis]
    volume = breakeven.breakeven_tokens_per_month(cost, ctx.blended(model))
    capacity = _capacity(claim, ctx)
    share = volume / capacity
    label = "GPU bill" if basis == "gpu" else "true monthly cost"
    text = (f"Breakeven against {model} ({label} {exact_usd(cost)} / ${ctx.blended(model):.4g} per 1M) is "
            f"{tokens_text(volume)} tokens/month; / {_capacity_text(claim, ctx)} one {ctx.setup['gpu']} "
            f"serves at {ctx.setup['tokens_per_s']:,.0f} tokens/s = {share:.3g}x its capacity.")
    return _result(claim, share, text)


def _tier_breakevens(claim: Claim, ctx: Context) -> tuple[dict[str, float], str]:
    """Breakevens of the tier's models on the claim's ``basis`` (GPU bill by default), and the
    basis in words."""
    basis = _choice(claim, "basis", _BASIS_READINGS, default="gpu")
    cost = {"gpu": ctx.gpu_usd_per_month, "tco": ctx.tco_usd_per_month}[basis]
    label = ("On the GPU bill alone" if basis == "gpu" else "On the true monthly cost") + f" ({exact_usd(cost)})"
    return {m: breakeven.breakeven_tokens_per_month(cost, ctx.blended(m)) for m in ctx.models(claim)}, label


@check("budget_within_capacity_share")
def _budget_within(claim: Claim, ctx: Context) -> Result:
    found, basis = _tier_breakevens(claim, ctx)
    capacity = _capacity(claim, ctx)
    within = {m: v for m, v in found.items() if v <= capacity}
    share = len(within) / len(found)
    text = (f"{basis}, self-hosting beats {len(within)} of the {len(found)} {claim.text('tier')} "
            f"APIs within one A100's {_capacity_text(claim, ctx)}/month: "
            + (", ".join(f"{m} above {tokens_text(v)}" for m, v in sorted(within.items(), key=lambda kv: kv[1]))
               or "none")
            + f", so {len(within)} / {len(found)} = {share:.0%} of them.")
    return _result(claim, share, text)


@check("budget_beyond_capacity_share")
def _budget_beyond(claim: Claim, ctx: Context) -> Result:
    found, basis = _tier_breakevens(claim, ctx)
    capacity = _capacity(claim, ctx)
    beyond = {m: v for m, v in found.items() if v > capacity}
    share = len(beyond) / len(found)
    text = (f"{basis}, {len(beyond)} of the {len(found)} {claim.text('tier')} APIs have a breakeven "
            f"beyond one A100's {_capacity_text(claim, ctx)}/month ("
            + (", ".join(f"{m}: {tokens_text(v)}" for m, v in beyond.items()) or "none")
            + f"), {len(beyond)} / {len(found)} = {share:.0%} of them.")
    return _result(claim, share, text)


@check("quality_gap")
def _quality_gap(claim: Claim, ctx: Context) -> Result:
    quality = data.load("model_quality", ctx.data_dir)
    a, b = data.row(quality, "model", claim.text("model")), data.row(quality, "model", claim.text("reference"))
    gaps = {"MMLU": a["mmlu_pct"] - b["mmlu_pct"], "HumanEval": a["humaneval_pct"] - b["humaneval_pct"]}
    text = (f"In the article's benchmark table {claim.text('model')} leads {claim.text('reference')} by "
            + " and ".join(f"{g:+g} points on {k}" for k, g in gaps.items()) + ".")
    return _result(claim, min(gaps.values()), text)


@check("devops_cost")
def _devops_cost(claim: Claim, ctx: Context) -> Result:
    inputs = ctx.hidden[claim.text("which")]
    usd = tco.devops_usd_per_month(inputs["devops_hours_per_month"], inputs["devops_usd_per_hour"])
    return _result(claim, usd, f"{inputs['devops_hours_per_month']:g} h x ${inputs['devops_usd_per_hour']:g}/h = "
                               f"{exact_usd(usd)} a month.")


@check("tco_total")
def _tco_total(claim: Claim, ctx: Context) -> Result:
    case = claim.text("which")
    inputs = ctx.hidden[case]
    total = ctx.tco(case)
    text = (f"With the article's {case}-end hidden costs: GPU {exact_usd(ctx.gpu_usd_per_month)} + "
            f"{inputs['devops_hours_per_month']:g} h x ${inputs['devops_usd_per_hour']:g}/h + "
            f"{exact_usd(inputs['infrastructure_usd_per_month'])} = {exact_usd(total)} a month "
            f"(point estimate {exact_usd(ctx.tco_usd_per_month)}).")
    return _result(claim, total, text)


@check("tco_multiplier_table")
def _tco_multiplier_table(claim: Claim, ctx: Context) -> Result:
    high = data.hidden_cost("tco_multiplier", "high", ctx.data_dir)
    low = data.hidden_cost("tco_multiplier", "low", ctx.data_dir)
    multiplier = tco.tco_multiplier(ctx.tco_usd_per_month, ctx.gpu_usd_per_month)
    text = (f"The article's own Total Cost Adjustment table gives {exact_usd(ctx.tco_usd_per_month)} / "
            f"{exact_usd(ctx.gpu_usd_per_month)} = {multiplier:.3g}x, "
            f"{'inside' if low <= multiplier <= high else 'outside'} its {low:g}x-{high:g}x rule.")
    return _result(claim, multiplier, text, high)


@check("tco_multiplier_end")
def _tco_multiplier_end(claim: Claim, ctx: Context) -> Result:
    """The rule's ``which`` end against the true cost at the article's ``which``-end hidden costs
    on ``hardware`` (default: the breakeven set-up's GPU)."""
    case = claim.text("which")
    rule = data.hidden_cost("tco_multiplier", case, ctx.data_dir)
    name = claim.given.get("hardware", ctx.setup["gpu"])
    row, _ = _hardware(ctx, name)
    gpu = ctx.gpu_bill(row["gpu"])
    total = ctx.tco(case, row["gpu"])
    multiplier = tco.tco_multiplier(total, gpu)
    inputs = ctx.hidden[case]
    text = (f"With the article's {case}-end hidden costs on {name}: ({exact_usd(gpu)} GPU + "
            f"{inputs['devops_hours_per_month']:g} h x ${inputs['devops_usd_per_hour']:g}/h + "
            f"{exact_usd(inputs['infrastructure_usd_per_month'])}) / {exact_usd(gpu)} = {multiplier:.3g}x the GPU "
            f"bill, against the rule's {rule:g}x.")
    return _result(claim, multiplier, text, rule)


@check("tco_component")
def _tco_component(claim: Claim, ctx: Context) -> Result:
    inputs = ctx.hidden["point"]
    frame = ctx.cached("tco_components", lambda: tables.tco_components(
        ctx.result, data_dir=ctx.data_dir))
    component = claim.text("component")
    usd = float(data.row(frame, "component", component)["usd_per_month"])
    text = {
        "gpu_rental": f"${ctx.gpu_row['usd_per_hour']:.2f}/hr x {HOURS_PER_MONTH} hours = {exact_usd(usd)}.",
        "devops_time": f"{inputs['devops_hours_per_month']:g} h x ${inputs['devops_usd_per_hour']:g}/h = {exact_usd(usd)}.",
        "infrastructure_overhead": f"The article's point estimate, {exact_usd(usd)} (its range "
                                   f"{exact_usd(ctx.hidden['low']['infrastructure_usd_per_month'])}-"
                                   f"{exact_usd(ctx.hidden['high']['infrastructure_usd_per_month'])}).",
        "true_monthly_cost": " + ".join(exact_usd(v) for k, v in zip(frame["component"], frame["usd_per_month"])
                                        if k != component) + f" = {exact_usd(usd)}.",
    }[component]
    return _figure_result(claim, ctx, usd, text)


@check("open_weights_share")
def _open_weights(claim: Claim, ctx: Context) -> Result:
    prices = ctx.prices()
    models = claim.names("api_models")
    open_models = [m for m in models if bool(data.row(prices, "model", m)["open_weights"])]
    share = len(open_models) / len(models)
    return _result(claim, share, f"data/api_prices.csv marks {len(open_models)} of the {len(models)} as open "
                                 f"weights" + (f" ({', '.join(open_models)})." if open_models else "."))


def _hybrid_parts(claim: Claim, ctx: Context) -> tuple[dict, pd.Series]:
    small_gpu = ctx.cheapest_gpu_for(claim.number("params_billion"))
    gpu_usd = ctx.gpu_bill(small_gpu["gpu"])
    if _choice(claim, "gpu_cost", _GPU_COST_READINGS, default="rented") == "already_running":
        gpu_usd = 0.0  # the article's "~$0 marginal (GPU already running)": its bill is paid anyway
    parts = hybrid.hybrid_usd_per_month(claim.number("tokens_per_month"), claim.number("api_share"),
                                        ctx.blended(claim.text("api_model")), gpu_usd)
    return parts, small_gpu


@check("hybrid_api_cost")
def _hybrid_api_cost(claim: Claim, ctx: Context) -> Result:
    parts, _ = _hybrid_parts(claim, ctx)
    b = ctx.blended(claim.text("api_model"))
    return _figure_result(claim, ctx, parts["api_usd_per_month"],
                          f"{claim.number('api_share'):.0%} of {tokens_text(claim.number('tokens_per_month'))} = "
                          f"{tokens_text(parts['api_tokens_per_month'])} tokens x ${b:.4g} per 1M = "
                          f"{exact_usd(parts['api_usd_per_month'])} a month.")


@check("hybrid_selfhost_share")
def _hybrid_share(claim: Claim, ctx: Context) -> Result:
    parts, _ = _hybrid_parts(claim, ctx)
    share = parts["selfhost_tokens_per_month"] / claim.number("tokens_per_month")
    return _result(claim, share, f"{tokens_text(parts['selfhost_tokens_per_month'])} of "
                                 f"{tokens_text(claim.number('tokens_per_month'))} tokens go to the self-hosted "
                                 f"model: {share:.0%}.")


@check("hybrid_vs_all_api")
def _hybrid_vs_all_api(claim: Claim, ctx: Context) -> Result:
    parts, gpu = _hybrid_parts(claim, ctx)
    model = claim.text("api_model")
    total_tokens = claim.number("tokens_per_month")
    all_api = api.api_usd_per_month(total_tokens, ctx.blended(model))
    share = parts["total_usd_per_month"] / all_api
    text = (f"At the example's {tokens_text(total_tokens)} tokens/month ({_per_day(total_tokens)}/day), "
            f"all of it through {model} costs {exact_usd(all_api)}; the hybrid costs "
            f"{exact_usd(parts['api_usd_per_month'])} + {exact_usd(parts['selfhost_usd_per_month'])} for the "
            f"cheapest GPU that holds a {claim.number('params_billion'):g}B model ({gpu['gpu']}"
            + (", already running" if parts["selfhost_usd_per_month"] == 0 else "") + f") = "
            f"{exact_usd(parts['total_usd_per_month'])}; {exact_usd(parts['total_usd_per_month'])} / "
            f"{exact_usd(all_api)} = {share:.1%} of it, before any hidden costs.")
    return _result(claim, share, text)


@check("hybrid_vs_large_selfhost")
def _hybrid_vs_large(claim: Claim, ctx: Context) -> Result:
    parts, gpu = _hybrid_parts(claim, ctx)
    share = parts["total_usd_per_month"] / ctx.gpu_usd_per_month
    text = (f"Hybrid {exact_usd(parts['total_usd_per_month'])} ({gpu['gpu']}"
            + (", already running," if parts["selfhost_usd_per_month"] == 0 else "") + f" + API) against "
            f"{exact_usd(ctx.gpu_usd_per_month)} for {ctx.setup['model']} on one {ctx.setup['gpu']}: "
            f"{share:.0%} of it.")
    return _result(claim, share, text)


@check("hybrid_min_simple_share")
def _hybrid_min_simple_share(claim: Claim, ctx: Context) -> Result:
    """Smallest share of simple (self-hosted) tokens at which the hybrid beats sending all tokens
    to the API: the small GPU's bill over the all-API bill (hybrid = gpu + (1 - simple) x all_api)."""
    per_day = claim.number("tokens_per_day")
    model = claim.text("api_model")
    gpu = ctx.cheapest_gpu_for(claim.number("params_billion"))
    gpu_usd = ctx.gpu_bill(gpu["gpu"])
    all_api = api.api_usd_per_month_at_daily(per_day, ctx.blended(model))
    minimum = gpu_usd / all_api
    text = (f"At {tokens_text(per_day)} tokens/day, all of it through {model} costs {exact_usd(all_api)} a "
            f"month; one {gpu['gpu']} ({exact_usd(gpu_usd)}) pays for itself once simple tasks are "
            f"{exact_usd(gpu_usd)} / {exact_usd(all_api)} = {minimum:.0%} of the tokens, so 70%+ is enough "
            f"from this volume up (at lower volumes more is needed).")
    return _result(claim, minimum, text)


@check("hybrid_overkill_below")
def _hybrid_overkill(claim: Claim, ctx: Context) -> Result:
    """A cheap API for everything costs less than the hybrid below the volume where
    cheap x V = small GPU + share x flagship x V."""
    cheap_model, model = claim.text("cheap_api_model"), claim.text("api_model")
    share = claim.number("api_share")
    gpu = ctx.cheapest_gpu_for(claim.number("params_billion"))
    gpu_usd = ctx.gpu_bill(gpu["gpu"])
    # Per 1M tokens the hybrid saves (cheap - share x flagship); its GPU is a fixed bill.
    saving_per_1m = ctx.blended(cheap_model) - share * ctx.blended(model)
    crossing = (breakeven.breakeven_tokens_per_month(gpu_usd, saving_per_1m) if saving_per_1m > 0 else math.inf)
    at = api.tokens_per_month(claim.article_value)
    cheap_usd = api.api_usd_per_month(at, ctx.blended(cheap_model))
    hybrid_usd = hybrid.hybrid_usd_per_month(at, share, ctx.blended(model), gpu_usd)["total_usd_per_month"]
    text = (f"At {tokens_text(claim.article_value)} tokens/day, {cheap_model} for everything costs "
            f"{exact_usd(cheap_usd)} a month against {exact_usd(hybrid_usd)} for the hybrid ({gpu['gpu']} + "
            f"{share:.0%} to {model}); the hybrid only gets cheaper above {_per_day(crossing)} tokens/day. "
            f"The article's own e-commerce example (100M tokens/month, {_per_day(1e8)}/day) is below this line.")
    return _result(claim, api.tokens_per_day(crossing), text)


@check("api_cost")
def _api_cost(claim: Claim, ctx: Context) -> Result:
    per_day = claim.number("tokens_per_day")
    costs = {m: api.api_usd_per_month_at_daily(per_day, ctx.blended(m)) for m in ctx.models(claim)}
    pick = {"min": min, "max": max}[claim.given.get("which", "max")]
    model = pick(costs, key=costs.get)
    cost = costs[model]
    text = (f"At {tokens_text(per_day)} tokens/day x {DAYS_PER_MONTH} days = "
            f"{tokens_text(api.tokens_per_month(per_day))} tokens x ${ctx.blended(model):.4g} per 1M, "
            f"{model} costs {exact_usd(cost)} a month")
    if len(costs) > 1:
        text += f" ({'cheapest' if pick is min else 'dearest'} of {', '.join(costs)})"
    verdict = _judge(claim, cost, claim.article_value)
    if verdict == article.ERRATUM:
        text += f", {_ratio_text(cost / claim.article_value)} the article's {exact_usd(claim.article_value)}."
    else:
        text += "."
    return Result(cost, verdict, text)


@check("min_breakeven")
def _min_breakeven(claim: Claim, ctx: Context) -> Result:
    found = {m: breakeven.breakeven_tokens_per_month(ctx.gpu_usd_per_month, ctx.blended(m))
             for m in claim.names("api_models")}
    model = min(found, key=found.get)
    return _result(claim, found[model], "GPU-only breakevens: " + ", ".join(
        f"{m} {tokens_text(v)}" for m, v in found.items()) + " tokens/month.")


# --------------------------------------------------------------------------- the audit

def reading_label(reading: dict, claim: Claim, ctx: Context) -> str:
    """Words for one reading of a claim, e.g. "GGUF Q4_K_M (4.8944 bits per weight)"."""
    parts = []
    for key, value in reading.items():
        if key == "format":
            row = selfhost.quantisation_format(value, ctx.data_dir)
            parts.append(f"{row['label']}, {float(row['bits_per_weight']):g} bits per weight")
        elif key == "api_model":
            parts.append(f"against {value}")
        elif key == "hardware":
            parts.append(f"on {value}")
        elif key in _WORDED_READINGS:
            variant = dataclasses.replace(claim, given={**claim.given, key: value})
            parts.append(_WORDED_READINGS[key][_choice(variant, key, _WORDED_READINGS[key])])
        else:
            parts.append(f"{key}={value}")
    return "; ".join(parts)


def combine(verdicts: list[str]) -> str:
    """One verdict from the verdicts under each reading: ``erratum`` only if wrong under every
    reading, ``depends`` if wrong under some and not others, else the best of holds and rounding."""
    found = set(verdicts)
    if len(found) == 1:
        return verdicts[0]
    if article.NOT_CHECKABLE in found:
        raise ValueError(f"a claim is checkable under some readings only: {verdicts}")
    if article.ERRATUM in found:
        return article.DEPENDS
    return article.HOLDS if article.HOLDS in found else article.ROUNDING


_LEADS = {
    article.DEPENDS: "Depends on the reading.",
    article.ERRATUM: "Wrong under every reading.",
    article.ROUNDING: "Off by rounding under every reading.",
}


def _article_value(claim: Claim, result: Result, ctx: Context) -> float:
    if result.article_value is not None:
        return float(result.article_value)
    if claim.article_value is not None:
        return float(claim.article_value)
    if claim.figure_id is not None:
        return _figure_value(claim, ctx)[0]
    return math.nan


def _evaluate(claim: Claim, ctx: Context) -> tuple[dict, list[dict]]:
    """The audit row of one claim and its rows per reading."""
    if claim.check not in CHECKS:
        raise KeyError(f"data/claims.csv, line {claim.line}, column check: unknown check {claim.check!r} "
                       f"(known: {', '.join(sorted(CHECKS))})")
    readings = []
    for reading, variant in claim.variants():
        result = CHECKS[claim.check](variant, ctx)
        readings.append({
            "claim_id": claim.claim_id,
            "reading": reading_label(reading, claim, ctx),
            "article_value": _article_value(variant, result, ctx),
            "recomputed_value": result.recomputed_value,
            "verdict": result.verdict,
            "explanation": result.explanation,
        })
    verdict = combine([r["verdict"] for r in readings])
    if len(readings) == 1:
        only = readings[0]
        explanation = (f"Reading: {only['reading']}. " if only["reading"] else "") + only["explanation"]
    else:
        lead = _LEADS.get(verdict, "Holds under every reading." if all(
            r["verdict"] == article.HOLDS for r in readings) else "Holds under at least one reading, "
                                                                 "off by rounding under another.")
        explanation = lead + " " + " ".join(f"Reading: {r['reading']} ({r['verdict']}). {r['explanation']}"
                                            for r in readings)
    first = readings[0]
    row = {
        "claim_id": claim.claim_id,
        "section": claim.section,
        "claim_text": claim.claim_text,
        "article_value": first["article_value"],
        "recomputed_value": first["recomputed_value"],
        "verdict": verdict,
        "explanation": explanation,
        "unit": claim.unit,
        "assumptions": claim.assumptions,
        "figure_id": claim.figure_id,
        "readings": "; ".join(f"{r['reading']}: {r['verdict']}" for r in readings) if len(readings) > 1 else None,
    }
    return row, readings


def evaluate(claim: Claim, ctx: Context) -> dict:
    """One row of the audit table (the first reading's values; the verdict over every reading)."""
    return _evaluate(claim, ctx)[0]


def audit_with_readings(data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`audit` and :func:`audit_readings` from one pass over the claims."""
    ctx = Context(data_dir)
    rows, readings = [], []
    for claim in load_claims(data_dir):
        row, found = _evaluate(claim, ctx)
        rows.append(row)
        readings.extend(found)
    return pd.DataFrame(rows, columns=COLUMNS), pd.DataFrame(readings, columns=READING_COLUMNS)


def audit(data_dir: Path | None = None) -> pd.DataFrame:
    """Every claim of ``data/claims.csv`` recomputed and judged, in the article's order."""
    return audit_with_readings(data_dir)[0]


def audit_readings(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per claim and reading: the reading in words, the values and the verdict under it
    (a claim with no second reading has one row, its reading empty)."""
    return audit_with_readings(data_dir)[1]


def counts_by_verdict(data_dir: Path | None = None) -> dict[str, int]:
    """How many claims have each verdict, errata first (every verdict listed, zeros included):
    the line a report's index shows."""
    frame = verdict_counts(audit(data_dir))
    return dict(zip(frame["verdict"], frame["claims"].astype(int)))


def errata_first(frame: pd.DataFrame) -> pd.DataFrame:
    """The audit with errata first, then rounding, holds, not checkable; the article's order
    within each group."""
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    order = frame.assign(_rank=frame["verdict"].map(rank), _pos=range(len(frame)))
    return order.sort_values(["_rank", "_pos"]).drop(columns=["_rank", "_pos"]).reset_index(drop=True)


def verdict_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """How many claims have each verdict (errata first)."""
    counts = frame["verdict"].value_counts()
    return pd.DataFrame({"verdict": VERDICT_ORDER, "claims": [int(counts.get(v, 0)) for v in VERDICT_ORDER]})


def as_markdown(frame: pd.DataFrame, readings: pd.DataFrame | None = None) -> str:
    """One bullet per claim: id, heading, the quote, and the explanation of its verdict. With
    ``readings`` (:func:`audit_readings`), a claim checked under several readings gets one
    sub-bullet per reading with its verdict and arithmetic instead of the one long explanation."""
    lines = []
    for r in frame.itertuples():
        mine = readings[readings["claim_id"] == r.claim_id] if readings is not None else None
        if mine is None or len(mine) < 2:
            lines.append(f"- **{r.claim_id}** ({r.section}): \u201c{r.claim_text}\u201d \u2014 {r.explanation}")
            continue
        lines.append(f"- **{r.claim_id}** ({r.section}): \u201c{r.claim_text}\u201d \u2014 {r.verdict}:")
        lines.extend(f"    - {m.reading}: **{m.verdict}**. {m.explanation}" for m in mine.itertuples())
    return "\n".join(lines)
