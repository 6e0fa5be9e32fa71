"""Monte Carlo on the one derivation: draws of the uncertain inputs go through
:func:`helpers.derive.derive` (every quantity gains a leading draw axis), so the Monte Carlo is
the deterministic model, and with every distribution collapsed to its point it gives the
deterministic figures exactly.

Defaults where the scenario leaves an input at the article's value (the article's ranges, read
from the rows of ``data/``, never typed in):

- DevOps hours, DevOps rate, infrastructure: triangular (low, point, high) of
  ``hidden_costs.csv`` (10/15/20 h, $75/$100/$150, $200/$300/$500);
- throughput: triangular (tokens_per_s_low, _conservative, _high) of the set-up's row of
  ``selfhost_setups.csv`` (1,000/1,500/3,000 tokens/s) when it comes from the set-up;
- spot discount: uniform (low, high) of ``hidden_costs.csv`` row spot_discount (40-60%) when
  spot pricing is chosen (spot_discount > 0);
- bought hardware (acquisition 'buy'): electricity price and PUE triangular (low, point, high)
  of its site's rows of ``ownership_facility.csv``; resale value and utilisation are drawn when
  the ``uncertainty:`` block gives them a distribution.

The scenario's ``uncertainty:`` block overrides any of them. Inputs are independent. Hidden
costs are per month whatever the number of replicas; replicas are counted as derive counts them
(the volume's steps, the load profile, its scaling and any spare replicas).

"Cheaper" is judged over the scenario's contract: self-hosting wins a draw at a volume when
horizon_months * its monthly bill is below the API's bill over the same months with prices
moving by ``api_price_change_per_year`` (with the article's flat prices this is the monthly
comparison). Every figure, the breakevens included, is read from the derivation's ``Result``
(its contract price ratio and contract breakeven), so load profiles, scaling and spare replicas
count here exactly as in every other view.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import data, scenario as scenario_fields
from helpers.derive import HIDDEN_COST_INPUTS, Result, derive, volume_per_month
from helpers.derive import ownership
from helpers.scenario import Scenario
from helpers.distributions import (Distribution, Fixed, Triangular, Uniform, parse_block,
                                               sample)

DRAWS = 20_000
# The what-if panel answers every change, so it takes fewer: the first 5,000 of the same
# seeded streams (P within about 1.5 points of the 20,000-draw figure).
PANEL_DRAWS = 5_000
# Fixed, so a report's draws are the same run after run (the article's date).
SEED = 20_260_224
# The daily volumes of tables/uncertainty.csv.
REPORT_TOKENS_PER_DAY = (1e6, 2e6, 5e6, 1e7, 2e7, 3e7, 5e7, 1e8, 2e8, 5e8, 1e9)
# The notebook's curves: 200 daily volumes from 100k to 30B tokens a day.
CURVE_TOKENS_PER_DAY = (1e5, 3e10)
CURVE_VOLUMES = 200
CROSSING_LEVELS = (0.10, 0.50, 0.90)
FAN_QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)


def default_distributions(s: Scenario, data_dir: Path | None = None) -> dict[str, Distribution]:
    """The article's ranges for the inputs ``s`` leaves at the article's value (module docstring)."""
    # One conversion to plain dicts: row-by-row pandas lookups cost the what-if panel time.
    hidden = data.load("hidden_costs", data_dir).set_index("parameter")[["low", "point", "high"]] \
        .to_dict("index")
    out: dict[str, Distribution] = {}
    for name in HIDDEN_COST_INPUTS:
        if getattr(s, name) is None:
            row = hidden[name]
            out[name] = Triangular(float(row["low"]), float(row["point"]), float(row["high"]))
    if s.tokens_per_s is None and s.throughput_source == "article":
        setup = data.row(data.load("selfhost_setups", data_dir), "setup", s.setup)
        out["tokens_per_s"] = Triangular(float(setup["tokens_per_s_low"]),
                                         float(setup["tokens_per_s_conservative"]),
                                         float(setup["tokens_per_s_high"]))
    if s.spot_discount > 0:
        row = hidden["spot_discount"]
        out["spot_discount"] = Uniform(float(row["low"]), float(row["high"]))
    if s.acquisition == "buy":
        out.update(_owned_distributions(s, data_dir))
    return out


def _owned_distributions(s: Scenario, data_dir: Path | None = None) -> dict[str, Distribution]:
    """A bought replica's electricity price and PUE the scenario leaves empty: low, point and high
    of its site's rows of ownership_facility.csv (a single figure where they agree)."""
    site = ownership.owned_row(s, data_dir)["site"]
    facility = data.load("ownership_facility", data_dir).set_index(["parameter", "site"])
    out: dict[str, Distribution] = {}
    for name in ("usd_per_kwh", "pue"):
        if getattr(s, name) is None:
            low, point, high = (float(facility.loc[(name, site), level]) for level in ("low", "point", "high"))
            out[name] = Fixed(point) if low == high else Triangular(low, point, high)
    return out


def distributions(s: Scenario, data_dir: Path | None = None) -> dict[str, Distribution]:
    """Every uncertain input's distribution: the defaults, overridden by ``s.uncertainty``."""
    bounds = {name: scenario_fields.bounds(name) for name in scenario_fields.UNCERTAIN_INPUTS}
    given, problems = parse_block(s.uncertainty, bounds)
    if problems:  # a Scenario is validated when built; this guards one built by hand
        raise scenario_fields.ScenarioError(problems)
    return {**default_distributions(s, data_dir), **given}


def points(s: Scenario, data_dir: Path | None = None) -> dict[str, float]:
    """The value each uncertain input takes in the deterministic derivation of ``s`` (read
    from its ``Result``)."""
    r = derive(s, data_dir=data_dir)
    return {
        "tokens_per_s": float(r.tokens_per_s),
        "spot_discount": float(s.spot_discount),
        "hours_per_month": float(s.hours_per_month),
        **r.hidden_inputs,
        "input_share": float(s.input_share),
        "usd_per_hour": float(r.usd_per_hour),
        "api_price_change_per_year": float(r.api_price_change_per_year),
        **({name: getattr(ownership.owned_inputs(s, data_dir), name) for name in ownership.OWNERSHIP_DRAWABLE}
           if s.acquisition == "buy" else {}),
    }


def collapsed(s: Scenario, data_dir: Path | None = None) -> dict[str, Distribution]:
    """Every distribution of ``s`` collapsed to the input's point."""
    at = points(s, data_dir)
    return {name: Fixed(at[name]) for name in distributions(s, data_dir)}


@dataclass(frozen=True)
class MonteCarlo:
    """A run: the draws and the derivation with its draw axis.

    ``result`` arrays have shape (draws, volumes) where a drawn input reaches them; its
    ``contract_price_ratio`` (cumulative_api_factor / horizon_months) is scalar, or (draws, 1)
    when the yearly price change is drawn (1.0 exactly when prices stay flat).
    """

    scenario: Scenario
    distributions: dict
    draws: dict
    result: Result
    seed: int

    @property
    def n_draws(self) -> int:
        return len(next(iter(self.draws.values()))) if self.draws else 1

    @property
    def tokens_per_month(self) -> np.ndarray:
        return self.result.tokens_per_month

    def selfhost_usd_per_month(self) -> np.ndarray:
        """Self-hosting with hidden costs and replicas, shape (draws, volumes)."""
        return np.broadcast_to(self.result.tco_usd_per_month, (self.n_draws, len(self.tokens_per_month)))

    def api_usd_per_month(self, api_model: str) -> np.ndarray:
        """The API's monthly bill averaged over the contract (the Result's contract_api_usd_per_month),
        shape (draws, volumes)."""
        return np.broadcast_to(self.result.contract_api_usd_per_month(api_model),
                               (self.n_draws, len(self.tokens_per_month)))

    def p_selfhost_cheaper(self, api_model: str) -> np.ndarray:
        """Share of draws in which self-hosting with hidden costs is cheaper than the API over
        the contract, at each volume."""
        return np.mean(self.selfhost_usd_per_month() < self.api_usd_per_month(api_model), axis=0)

    def breakeven_tokens_per_month(self, api_model: str) -> np.ndarray:
        """Each draw's breakeven over the contract, with hidden costs and replica steps (the
        Result's contract_stepped_tco_breakeven_tokens_per_month). Shape (draws,)."""
        volume = self.result.contract_stepped_tco_breakeven_tokens_per_month[api_model]
        return np.broadcast_to(np.asarray(volume, dtype=float).reshape(-1), (self.n_draws,))

    def crossing_tokens_per_month(self, api_model: str, level: float) -> float:
        """The volume by which self-hosting has become cheaper in ``level`` of the draws: the
        ``level`` quantile of the draws' breakevens (inf when fewer ever break even)."""
        return float(np.quantile(self.breakeven_tokens_per_month(api_model), level, method="inverted_cdf"))

    def selfhost_quantiles(self, quantiles=FAN_QUANTILES) -> np.ndarray:
        """Quantiles of the self-hosting bill at each volume, shape (len(quantiles), volumes)."""
        return quantiles_along_draws(self.selfhost_usd_per_month(), quantiles)

    def api_quantiles(self, api_model: str, quantiles=FAN_QUANTILES) -> np.ndarray:
        """Quantiles of the API's (contract-average) bill at each volume."""
        return quantiles_along_draws(self.api_usd_per_month(api_model), quantiles)


def quantiles_along_draws(values: np.ndarray, quantiles) -> np.ndarray:
    """numpy's default (linear) quantiles over the first axis, by one sort: several times
    faster than ``np.quantile`` on (20,000 x 200) and equal to it."""
    ordered = np.sort(values, axis=0)
    position = np.asarray(quantiles, dtype=float) * (len(ordered) - 1)
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, len(ordered) - 1)
    weight = (position - below)[:, None]
    low, high = ordered[below], ordered[above]
    # Written as numpy's _lerp, so equal bills give exactly that bill.
    return np.where(weight < 0.5, low + (high - low) * weight, high - (high - low) * (1 - weight))


@lru_cache(maxsize=16)
def _sample(inputs: tuple, draws: int, seed: int) -> dict[str, np.ndarray]:
    """:func:`sample`, remembered: the what-if panel redraws the same inputs on most changes.
    The arrays are read-only, so no caller can alter what the next one gets."""
    drawn = sample(dict(inputs), draws, seed)
    for values in drawn.values():
        values.setflags(write=False)
    return drawn


def run(s: Scenario, tokens_per_month=None, draws: int = DRAWS, seed: int = SEED,
        data_dir: Path | None = None, inputs: dict[str, Distribution] | None = None) -> MonteCarlo:
    """Draw the uncertain inputs of ``s`` (``inputs``, default :func:`distributions`) and
    derive every figure for every draw at ``tokens_per_month`` (default: the scenario's own
    volume). Every input of ``inputs`` is passed as draws, fixed ones included."""
    inputs = distributions(s, data_dir) if inputs is None else inputs
    drawn = _sample(tuple(inputs.items()), draws, seed)
    result = derive(s, tokens_per_month, data_dir, draws=drawn or None)
    return MonteCarlo(scenario=s, distributions=inputs, draws=drawn, result=result, seed=seed)


def p_selfhost_cheaper_at_own_volume(s: Scenario, draws: int = DRAWS, seed: int = SEED,
                                     data_dir: Path | None = None) -> dict[str, float]:
    """API -> P(self-hosting with hidden costs is cheaper) at the scenario's own volume: what
    the what-if panel shows beside its figures (about 12 ms for 20,000 draws, 7 ms for 5,000)."""
    mc = run(s, draws=draws, seed=seed, data_dir=data_dir)
    return {model: float(mc.p_selfhost_cheaper(model)[0]) for model in mc.result.api_models}


def curve_tokens_per_month(s: Scenario) -> np.ndarray:
    """The volumes of the notebook's curves, per month: CURVE_VOLUMES daily volumes evenly
    spaced on a log axis over CURVE_TOKENS_PER_DAY."""
    low, high = CURVE_TOKENS_PER_DAY
    daily = np.logspace(np.log10(low), np.log10(high), CURVE_VOLUMES)
    return volume_per_month(s, daily)


def report_tokens_per_month(s: Scenario) -> np.ndarray:
    """The volumes of tables/uncertainty.csv, per month, with the scenario's own."""
    daily = sorted({*REPORT_TOKENS_PER_DAY, float(s.tokens_per_day)})
    return volume_per_month(s, np.asarray(daily))


def uncertainty_table(mc: MonteCarlo) -> pd.DataFrame:
    """tables/uncertainty.csv: for each API and volume, the share of draws in which
    self-hosting with hidden costs is cheaper, and the 10/50/90% quantiles of its bill."""
    s = mc.scenario
    p10, p50, p90 = mc.selfhost_quantiles((0.10, 0.50, 0.90))
    rows = []
    for model in s.api_models:
        p = mc.p_selfhost_cheaper(model)
        api_p50 = mc.api_quantiles(model, (0.50,))[0]
        for i, volume in enumerate(mc.tokens_per_month):
            rows.append({
                "api_model": model,
                "tokens_per_day": int(round(volume / s.days_per_month)),
                "p_selfhost_cheaper": float(p[i]),
                "selfhost_usd_p10": float(p10[i]),
                "selfhost_usd_p50": float(p50[i]),
                "selfhost_usd_p90": float(p90[i]),
                "tokens_per_month": int(round(volume)),
                "api_usd_p50": float(api_p50[i]),
                "draws": mc.n_draws,
            })
    return pd.DataFrame(rows)


def crossings_table(mc: MonteCarlo, levels=CROSSING_LEVELS) -> pd.DataFrame:
    """For each API, the volumes by which self-hosting is cheaper in 10%, 50% and 90% of the
    draws (per month and per day), beside the deterministic breakeven over the contract."""
    s = mc.scenario
    rows = []
    for model in s.api_models:
        row = {"api_model": model}
        for level in levels:
            volume = mc.crossing_tokens_per_month(model, level)
            row[f"tokens_per_month_p{level * 100:.0f}"] = volume
            row[f"tokens_per_day_p{level * 100:.0f}"] = volume / s.days_per_month
        rows.append(row)
    return pd.DataFrame(rows)


def tornado(s: Scenario, api_model: str | None = None, data_dir: Path | None = None,
            inputs: dict[str, Distribution] | None = None) -> pd.DataFrame:
    """tables/tornado.csv: each uncertain input moved from its low to its high end (the ends
    of a triangular or uniform; a normal's 5% and 95% quantiles), the others at their points,
    and the breakeven with hidden costs over the contract against ``api_model`` (default the
    headline API) at each end: the Result's contract breakeven with that input drawn at its two
    ends. Sorted by how far the breakeven moves, widest first."""
    api_model = api_model or s.api_model
    inputs = distributions(s, data_dir) if inputs is None else inputs
    at = points(s, data_dir)
    point_breakeven = float(derive(s, data_dir=data_dir).contract_stepped_tco_breakeven_tokens_per_month[api_model])
    rows = []
    for name, dist in inputs.items():
        low, high = dist.ends()
        if low == high:
            continue
        moved = np.reshape(derive(s, data_dir=data_dir, draws={name: np.array([low, high])})
                           .contract_stepped_tco_breakeven_tokens_per_month[api_model], -1)
        rows.append({
            "input": name, "low_value": low, "high_value": high,
            "breakeven_tokens_per_month_at_low": float(moved[0]),
            "breakeven_tokens_per_month_at_high": float(moved[-1]),
            "point_value": at[name], "breakeven_tokens_per_month_at_point": point_breakeven,
            "distribution": dist.describe(), "api_model": api_model,
        })
    frame = pd.DataFrame(rows, columns=[
        "input", "low_value", "high_value", "breakeven_tokens_per_month_at_low",
        "breakeven_tokens_per_month_at_high", "point_value", "breakeven_tokens_per_month_at_point",
        "distribution", "api_model"])
    with np.errstate(invalid="ignore"):
        swing = (frame["breakeven_tokens_per_month_at_high"] - frame["breakeven_tokens_per_month_at_low"]).abs()
    frame = frame.assign(_swing=swing.fillna(np.inf)).sort_values("_swing", ascending=False, kind="stable") \
        .drop(columns="_swing").reset_index(drop=True)
    # Whole tokens, as every table of the report writes them; empty where it never breaks even.
    for column in ("breakeven_tokens_per_month_at_low", "breakeven_tokens_per_month_at_high",
                   "breakeven_tokens_per_month_at_point"):
        frame[column] = pd.array([int(round(v)) if np.isfinite(v) else None for v in frame[column]],
                                 dtype="Int64")
    return frame


def reserved_rows(s: Scenario, data_dir: Path | None = None) -> pd.DataFrame:
    """The rows of gpu_cloud.csv that rent the same hardware as ``s.gpu`` (same GPU model and
    count): ``s.gpu`` itself on demand (not other providers' on-demand prices of that part) and
    each reserved term."""
    cloud = data.load("gpu_cloud", data_dir)
    row = data.row(cloud, "gpu", s.gpu)
    same_part = (cloud["gpu_model"] == row["gpu_model"]) & (cloud["gpu_count"] == row["gpu_count"])
    terms = ((cloud["pricing"] == "on_demand") & (cloud["gpu"] == s.gpu)) | cloud["pricing"].isin(RESERVED_TERM_MONTHS)
    same = cloud[same_part & terms]
    return same.reset_index(drop=True)


# The months a reserved row commits to, by its ``pricing``.
RESERVED_TERM_MONTHS = {"reserved_1y": 12, "reserved_3y": 36}


def commitment_table(s: Scenario, data_dir: Path | None = None) -> pd.DataFrame:
    """The horizon view: for the scenario's hardware on demand (over the scenario's horizon)
    and on each reserved term (over the term), the total cost of self-hosting with hidden costs
    over the months committed at the scenario's own volume (the replicas it needs, spares
    included), and the volume above which that commitment beats each API with prices moving by
    the scenario's yearly change (the Result's contract breakeven; points of every input)."""
    rows = []
    for row in reserved_rows(s, data_dir).itertuples():
        months = RESERVED_TERM_MONTHS.get(row.pricing, s.horizon_months)
        option = dataclasses.replace(s, gpu=row.gpu, horizon_months=months,
                                     spot_discount=s.spot_discount if row.pricing == "on_demand" else 0.0)
        result = derive(option, data_dir=data_dir)
        for model in s.api_models:
            volume = float(result.contract_stepped_tco_breakeven_tokens_per_month[model])
            rows.append({
                "gpu": row.gpu, "pricing": row.pricing, "term_months": months,
                "usd_per_hour": float(row.usd_per_hour),
                "selfhost_usd_over_term": float(result.cumulative_tco_usd([months])[0, 0]),
                "api_model": model,
                "commitment_breakeven_tokens_per_month": volume,
                "commitment_breakeven_tokens_per_day": volume / s.days_per_month,
            })
    return pd.DataFrame(rows)


def _tokens(volume) -> str:
    """A token count for a sentence (the workbook's formatter); 'never' for infinity or empty."""
    from helpers.text import tokens_text  # noqa: PLC0415 - the one token formatter
    return "never" if pd.isna(volume) or not np.isfinite(float(volume)) else tokens_text(volume)


def band_sentence(crossings: pd.DataFrame, api_model: str) -> str:
    """The article's single breakeven as the band that holds the middle 80% of the draws, from
    :func:`crossings_table`."""
    row = crossings.set_index("api_model").loc[api_model]
    if not np.isfinite(row["tokens_per_day_p10"]):
        return f"Against {api_model} fewer than 10% of the draws ever break even."
    return (f"Against {api_model} the article's single breakeven with hidden costs becomes a band: "
            f"**{_tokens(row['tokens_per_day_p10'])} to {_tokens(row['tokens_per_day_p90'])} tokens a day** "
            "holds the middle 80% of the draws.")


def tornado_sentence(frame: pd.DataFrame) -> str:
    """Which input moves the breakeven most, from :func:`tornado` (widest first)."""
    if frame.empty:
        return "No input is uncertain: every distribution is fixed at its point."
    widest = frame.iloc[0]
    return (f"**{widest['input']}** moves the breakeven against {widest['api_model']} most: from "
            f"{_tokens(widest['breakeven_tokens_per_month_at_low'])} to "
            f"{_tokens(widest['breakeven_tokens_per_month_at_high'])} tokens a month between "
            f"{widest['low_value']:.4g} and {widest['high_value']:.4g}, around "
            f"{_tokens(widest['breakeven_tokens_per_month_at_point'])} at the points.")


def commitment_sentence(table: pd.DataFrame, api_model: str) -> str:
    """What each commitment of :func:`commitment_table` costs and where it pays off against
    ``api_model``."""
    from helpers.text import usd_text  # noqa: PLC0415 - the one dollar formatter
    rows = table[table["api_model"] == api_model]
    return f"Against {api_model}: " + "; ".join(
        f"{row.gpu} over {row.term_months} months ({usd_text(row.selfhost_usd_over_term)} with hidden "
        f"costs) pays off above **{_tokens(row.commitment_breakeven_tokens_per_day)} tokens a day**"
        for row in rows.itertuples()) + "."


def probability_sentence(mc: MonteCarlo, api_model: str | None = None) -> str:
    """One line for the report's index: how likely self-hosting is to be cheaper at the
    scenario's own volume, and the daily volumes where that likelihood passes 10/50/90%.
    ``mc`` must include the scenario's own volume (the first volume equal to it is used)."""
    s = mc.scenario
    model = api_model or s.api_model
    own = float(volume_per_month(s, s.tokens_per_day))
    index = int(np.argmin(np.abs(mc.tokens_per_month - own)))
    p = float(mc.p_selfhost_cheaper(model)[index])
    low, middle, high = (mc.crossing_tokens_per_month(model, q) / s.days_per_month for q in CROSSING_LEVELS)
    contract = f" over a {s.horizon_months}-month contract" if s.api_price_change_per_year != 0 else ""
    share = ("none" if p == 0 else "all" if p == 1 else "under 1%" if p < 0.01
             else "over 99%" if p > 0.99 else f"{p:.0%}")
    tail = (f"it is cheaper in half the draws from {_tokens(middle)} tokens/day "
            f"(10%: {_tokens(low)}, 90%: {_tokens(high)})" if np.isfinite(middle)
            else "it is cheaper in fewer than half the draws at any volume")
    return (f"At {_tokens(s.tokens_per_day)} tokens/day, self-hosting with hidden costs is cheaper than "
            f"{model}{contract} in {share} of {mc.n_draws:,} draws of the uncertain inputs; {tail}.")
