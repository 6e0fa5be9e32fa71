"""Invariants of the cost model (hypothesis): of the pure formulas, and of :func:`derive`
itself for random scenarios (volumes, GPU rows, counts, spot, hours, input share, hidden
costs, APIs, load profile, scaling and spare replicas), with and without draws."""
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from helpers import paths
from helpers.costs import api, breakeven, hybrid, selfhost
from helpers.derive import DRAWABLE, derive
from helpers.derive import ownership
from helpers.scenario import Scenario
from helpers.uncertainty import montecarlo

price = st.floats(min_value=0.01, max_value=100, allow_nan=False)
share = st.floats(min_value=0, max_value=1, allow_nan=False)
volume = st.floats(min_value=0, max_value=1e12, allow_nan=False)
fixed_cost = st.floats(min_value=1, max_value=1e6, allow_nan=False)
settings.register_profile("workbook", deadline=None, max_examples=200)
settings.load_profile("workbook")
# derive() on a random scenario takes milliseconds, a Monte Carlo run tens: fewer examples
SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much]
derive_settings = settings(deadline=None, max_examples=60, suppress_health_check=SLOW)
monte_carlo_settings = settings(deadline=None, max_examples=30, suppress_health_check=SLOW)

# The rows the random scenarios pick from, read straight from the CSV files (not through the
# loader the derivation uses), and the hand formulas' inputs.
GPU_ROWS = pd.read_csv(paths.DATA_DIR / "gpu_cloud.csv").set_index("gpu")
API_ROWS = pd.read_csv(paths.DATA_DIR / "api_prices.csv").set_index("model")
SETUP = pd.read_csv(paths.DATA_DIR / "selfhost_setups.csv").set_index("setup").loc["article_a100_llama70b"]
HIDDEN_POINTS = pd.read_csv(paths.DATA_DIR / "hidden_costs.csv").set_index("parameter")["point"]
PROFILES = sorted(pd.read_csv(paths.DATA_DIR / "load_profiles.csv")["profile"].unique())
TIE = 0.01  # the article's 1% band, typed here rather than read from derive
REL = 1e-9


def close(values):
    return pytest.approx(values, rel=REL)


@given(volume, volume, price)
def test_api_cost_is_linear_in_volume(a, b, blended):
    assert math.isclose(api.api_usd_per_month(a + b, blended),
                        api.api_usd_per_month(a, blended) + api.api_usd_per_month(b, blended),
                        rel_tol=1e-9, abs_tol=1e-9)
    assert api.api_usd_per_month(0, blended) == 0


@given(fixed_cost, price)
def test_api_cost_at_breakeven_equals_selfhost_cost(fixed, blended):
    be = breakeven.breakeven_tokens_per_month(fixed, blended)
    assert math.isclose(api.api_usd_per_month(be, blended), fixed, rel_tol=1e-9)
    # at the breakeven itself the bills are level; 10% either side they are 10% apart
    assert breakeven.winner(api.api_usd_per_month(be, blended), fixed) == ("Breakeven", pytest.approx(1.0, rel=REL))
    assert breakeven.winner(api.api_usd_per_month(be * 0.9, blended), fixed)[0] == "API"
    assert breakeven.winner(api.api_usd_per_month(be * 1.1, blended), fixed)[0] == "Self-host"


@given(fixed_cost, price, price)
def test_cheaper_api_never_has_lower_breakeven(fixed, p1, p2):
    cheap, dear = sorted((p1, p2))
    assert breakeven.breakeven_tokens_per_month(fixed, cheap) >= breakeven.breakeven_tokens_per_month(fixed, dear)


@given(fixed_cost, price, st.lists(fixed_cost, min_size=1, max_size=5), st.lists(price, min_size=1, max_size=5))
def test_flat_breakeven_agrees_between_scalars_and_arrays(fixed, blended, fixed_many, blended_many):
    n = min(len(fixed_many), len(blended_many))
    fixed_many, blended_many = np.array(fixed_many[:n]), np.array(blended_many[:n])
    many = breakeven.breakeven_tokens_per_month(fixed_many, blended_many)
    assert many == close([f / b * 1e6 for f, b in zip(fixed_many, blended_many)])
    one = breakeven.breakeven_tokens_per_month(np.array([fixed]), blended)
    assert one.tolist() == close([fixed / blended * 1e6])


@given(fixed_cost, fixed_cost, price)
def test_hidden_costs_never_lower_the_breakeven(gpu, extra, blended):
    with_hidden = breakeven.breakeven_tokens_per_month(gpu + extra, blended)
    assert with_hidden >= breakeven.breakeven_tokens_per_month(gpu, blended)


@given(price, price, share, share)
def test_blended_price_lies_between_input_and_output_and_moves_with_share(p_in, p_out, s1, s2):
    b1 = api.blended_usd_per_1m(p_in, p_out, s1)
    assert min(p_in, p_out) - 1e-12 <= b1 <= max(p_in, p_out) + 1e-12
    b2 = api.blended_usd_per_1m(p_in, p_out, s2)
    # more input share is cheaper exactly when input is cheaper than output
    if s2 > s1 and p_in < p_out:
        assert b2 <= b1 + 1e-12


@given(volume, share, price, fixed_cost)
def test_hybrid_lies_between_its_ends(monthly, api_share, blended, fixed):
    total = hybrid.hybrid_usd_per_month(monthly, api_share, blended, fixed)["total_usd_per_month"]
    all_api = api.api_usd_per_month(monthly, blended) + fixed
    assert fixed - 1e-9 <= total <= all_api + 1e-6 * max(all_api, 1)


@given(st.floats(min_value=0.01, max_value=100), st.floats(min_value=1, max_value=744),
       st.integers(min_value=1, max_value=16), st.floats(min_value=0, max_value=0.99))
def test_gpu_bill_is_monotone(usd_per_hour, hours, count, spot):
    bill = selfhost.gpu_usd_per_month(usd_per_hour, hours, count, spot)
    assert bill <= selfhost.gpu_usd_per_month(usd_per_hour, hours, count + 1, spot)
    assert bill <= selfhost.gpu_usd_per_month(usd_per_hour, hours, count, 0.0) + 1e-9


@given(st.floats(min_value=0.1, max_value=1000), st.floats(min_value=1, max_value=32),
       st.floats(min_value=1, max_value=2000))
def test_fits_agrees_with_max_bits(params, bits, memory):
    assume(abs(bits - selfhost.max_bits_per_weight(memory, params)) > 1e-6)
    assert selfhost.fits(params, bits, memory) == (bits < selfhost.max_bits_per_weight(memory, params))


# -- derive() for random scenarios ---------------------------------------------------------

def _optional(strategy):
    return st.one_of(st.none(), strategy)


scenarios = st.builds(
    Scenario,
    tokens_per_day=st.floats(min_value=1e5, max_value=5e8),
    input_share=share,
    hours_per_month=st.floats(min_value=24, max_value=744),
    gpu=st.sampled_from(list(GPU_ROWS.index)),
    gpu_count=st.integers(min_value=1, max_value=4),
    spot_discount=st.floats(min_value=0, max_value=0.9),
    tokens_per_s=_optional(st.floats(min_value=200, max_value=20_000)),
    devops_hours_per_month=_optional(st.floats(min_value=0, max_value=60)),
    devops_usd_per_hour=_optional(st.floats(min_value=0, max_value=300)),
    infrastructure_usd_per_month=_optional(st.floats(min_value=0, max_value=3000)),
    api_models=st.lists(st.sampled_from(list(API_ROWS.index)), min_size=1, max_size=3, unique=True).map(tuple),
    load_profile=st.sampled_from(PROFILES),
    scaling=st.sampled_from(["always_on", "scheduled"]),
    spare_replicas=st.integers(min_value=0, max_value=2),
)
volumes = st.lists(st.floats(min_value=0, max_value=2e11), min_size=1, max_size=6).map(np.array)


def _derive(scenario, *args, **kwargs):
    """derive(), rejecting the rare scenario whose scheduled breakeven lies beyond the search's
    step limit (a margin of a fraction of a cent per replica: a ValueError that says so)."""
    try:
        return derive(scenario, *args, **kwargs)
    except ValueError as err:
        if "capacity steps" in str(err):
            reject()
        raise


def _by_hand(s: Scenario) -> dict:
    """One replica's bill and capacity, the hidden costs and each API's blended price, from the
    CSV rows (the article's price table: no cache, no batch)."""
    tokens_per_s = SETUP["tokens_per_s_conservative"] if s.tokens_per_s is None else s.tokens_per_s
    hidden = {name: HIDDEN_POINTS[name] if getattr(s, name) is None else getattr(s, name)
              for name in ("devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month")}
    return {
        "replica_usd": GPU_ROWS.loc[s.gpu, "usd_per_hour"] * s.hours_per_month * s.gpu_count * (1 - s.spot_discount),
        "replica_tokens": tokens_per_s * 3600 * s.hours_per_month * s.gpu_count,
        "hidden_usd": hidden["devops_hours_per_month"] * hidden["devops_usd_per_hour"]
        + hidden["infrastructure_usd_per_month"],
        "blended": {m: s.input_share * API_ROWS.loc[m, "usd_per_1m_input"]
                    + (1 - s.input_share) * API_ROWS.loc[m, "usd_per_1m_output"] for m in s.api_models},
    }


def _expected_winner(api_usd, selfhost_usd):
    """The winner worked out from the two bills: level within 1%, else the cheaper."""
    api_usd, selfhost_usd = np.asarray(api_usd, dtype=float), np.asarray(selfhost_usd, dtype=float)
    cheaper, dearer = np.minimum(api_usd, selfhost_usd), np.maximum(api_usd, selfhost_usd)
    level = dearer <= cheaper * (1 + TIE)
    return np.where(level, "Breakeven", np.where(api_usd < selfhost_usd, "API", "Self-host"))


@derive_settings
@given(scenarios, volumes)
def test_derive_bills_are_the_hand_formulas_and_the_winner_follows_them(s, tokens):
    r = _derive(s, tokens_per_month=tokens)
    hand = _by_hand(s)
    assert r.replica_usd_per_month == pytest.approx(hand["replica_usd"], rel=REL)
    assert r.replica_tokens_per_month == pytest.approx(hand["replica_tokens"], rel=REL)
    assert r.hidden_usd_per_month == pytest.approx(hand["hidden_usd"], rel=REL)
    # the replicas serving traffic (beyond the spares) x one replica's capacity cover the volume,
    # at the peak hour and on average (up to a billionth of a replica, the rounding allowance)
    slack = 1e-9 * hand["replica_tokens"]
    assert np.all(r.replicas >= max(1, s.spare_replicas)) and np.all(r.mean_replicas <= r.replicas)
    assert np.all((r.replicas - s.spare_replicas) * hand["replica_tokens"] >= tokens * (1 - REL) - slack)
    assert np.all((r.mean_replicas - s.spare_replicas) * hand["replica_tokens"] >= tokens * (1 - REL) - slack)
    if s.load_profile == "flat" and s.spare_replicas == 0:
        assert r.replicas.tolist() == np.maximum(1, np.ceil(tokens / hand["replica_tokens"] - 1e-9)).tolist()
    tco = r.mean_replicas * hand["replica_usd"] + hand["hidden_usd"]
    assert r.tco_usd_per_month == close(tco.tolist())
    for model in s.api_models:
        assert r.blended_usd_per_1m[model] == pytest.approx(hand["blended"][model], rel=REL)
        api_usd = tokens / 1e6 * hand["blended"][model]
        assert r.api_usd_per_month[model] == close(api_usd.tolist())
        # away from the band's edges the winner is the one the hand bills name
        ratio = np.maximum(api_usd, tco) / np.maximum(np.minimum(api_usd, tco), 1e-300)
        clear = np.abs(ratio - (1 + TIE)) > 1e-6
        assert (r.winner[model][clear] == _expected_winner(api_usd, tco)[clear]).all()


@derive_settings
@given(scenarios)
def test_stepped_breakevens_are_at_least_the_flat_ones_and_the_bills_meet_there(s):
    r = _derive(s)
    hand = _by_hand(s)
    for model in s.api_models:
        flat = hand["replica_usd"] / hand["blended"][model] * 1e6
        flat_tco = (hand["replica_usd"] + hand["hidden_usd"]) / hand["blended"][model] * 1e6
        assert r.breakeven_tokens_per_month[model] == pytest.approx(flat, rel=REL)
        assert r.tco_breakeven_tokens_per_month[model] == pytest.approx(flat_tco, rel=REL)
        stepped = r.stepped_breakeven_tokens_per_month[model]
        stepped_tco = r.stepped_tco_breakeven_tokens_per_month[model]
        assert stepped >= flat * (1 - REL) and stepped_tco >= flat_tco * (1 - REL)
        assert stepped_tco >= stepped * (1 - REL)
        if math.isfinite(stepped_tco):
            # at the stepped breakeven the API's bill reaches the self-hosting bill it needs there
            at = _derive(s, tokens_per_month=[stepped_tco])
            assert at.api_usd_per_month[model][0] == pytest.approx(at.tco_usd_per_month[0], rel=REL)


@derive_settings
@given(scenarios, volumes)
def test_derive_at_one_volume_equals_that_volume_inside_an_array(s, tokens):
    many = _derive(s, tokens_per_month=tokens)
    for i in sorted({0, len(tokens) - 1}):
        one = _derive(s, tokens_per_month=float(tokens[i]))
        for name in ("replicas", "mean_replicas", "gpu_usd_per_month", "tco_usd_per_month"):
            assert one.at(name) == getattr(many, name)[i], name
        for model in s.api_models:
            assert one.at("api_usd_per_month", model) == many.api_usd_per_month[model][i]
            assert one.at("cost_ratio", model) == many.cost_ratio[model][i]
            assert str(np.asarray(one.winner[model]).ravel()[0]) == many.winner[model][i]


PER_VOLUME = ("replicas", "mean_replicas", "gpu_usd_per_month", "tco_usd_per_month")
PER_SCENARIO = ("replica_usd_per_month", "replica_tokens_per_month", "hidden_usd_per_month")
PER_API = ("blended_usd_per_1m", "breakeven_tokens_per_month", "tco_breakeven_tokens_per_month",
           "stepped_breakeven_tokens_per_month", "stepped_tco_breakeven_tokens_per_month")


def _point(r, name: str) -> float:
    """The value derive used for a drawable input without draws."""
    if name == "usd_per_hour":
        return float(GPU_ROWS.loc[r.scenario.gpu, "usd_per_hour"])
    if name == "tokens_per_s":
        return float(r.tokens_per_s)
    if name in r.hidden_inputs:
        return float(r.hidden_inputs[name])
    if name in ownership.OWNERSHIP_DRAWABLE:
        if r.scenario.acquisition != "buy":
            return 1.0  # a rented replica reads no ownership input: any draw leaves it alone
        return float(getattr(ownership.owned_inputs(r.scenario), name))
    return float(getattr(r.scenario, name))


def _row(value, row: int, volumes: int | None = None) -> np.ndarray:
    """Draw ``row`` of a figure derived with draws: a figure that no draw reaches has no draw
    axis and is the same in every row. ``volumes``: the figure runs over that many volumes."""
    value = np.asarray(value)
    value = value.reshape(-1) if volumes is None else value.reshape(-1, volumes)
    return value[row if len(value) > 1 else 0]


def _same_figures(drawn, plain, row: int, models) -> None:
    """Draw ``row`` of ``drawn`` states every figure of ``plain`` (derived without draws)."""
    volumes = len(plain.tokens_per_month)
    for name in PER_SCENARIO:
        assert float(_row(getattr(drawn, name), row)) == pytest.approx(float(getattr(plain, name)), rel=REL), name
    for name in PER_VOLUME:
        assert _row(getattr(drawn, name), row, volumes).tolist() == close(getattr(plain, name).tolist()), name
    for model in models:
        for name in PER_API:
            expected, got = float(getattr(plain, name)[model]), float(_row(getattr(drawn, name)[model], row))
            assert got == expected or math.isclose(got, expected, rel_tol=REL), (name, model, got, expected)
        api_usd = _row(drawn.api_usd_per_month[model], row, volumes)
        assert api_usd.tolist() == close(plain.api_usd_per_month[model].tolist()), model
        assert _row(drawn.winner[model], row, volumes).tolist() == plain.winner[model].tolist(), model


@derive_settings
@given(scenarios, volumes, st.sets(st.sampled_from(DRAWABLE), min_size=1))
def test_draws_of_length_one_at_the_point_equal_no_draws(s, tokens, drawn_inputs):
    plain = _derive(s, tokens_per_month=tokens)
    draws = {name: np.array([_point(plain, name)]) for name in sorted(drawn_inputs)}
    drawn = _derive(s, tokens_per_month=tokens, draws=draws)
    _same_figures(drawn, plain, 0, s.api_models)


# Drawable inputs that are scenario fields: a draw of them is the scenario with that value.
AS_FIELD = {"tokens_per_s": st.floats(min_value=200, max_value=20_000),
            "spot_discount": st.floats(min_value=0, max_value=0.9),
            "hours_per_month": st.floats(min_value=24, max_value=744),
            "devops_hours_per_month": st.floats(min_value=0, max_value=60),
            "devops_usd_per_hour": st.floats(min_value=0, max_value=300),
            "infrastructure_usd_per_month": st.floats(min_value=0, max_value=3000),
            "input_share": share}


@derive_settings
@given(scenarios, volumes, st.data())
def test_each_draw_equals_the_scenario_with_that_value(s, tokens, data):
    names = data.draw(st.lists(st.sampled_from(sorted(AS_FIELD)), min_size=1, max_size=4, unique=True))
    n = data.draw(st.integers(min_value=2, max_value=3))
    draws = {name: np.array(data.draw(st.lists(AS_FIELD[name], min_size=n, max_size=n))) for name in names}
    drawn = _derive(s, tokens_per_month=tokens, draws=draws)
    for row in range(n):
        plain = _derive(dataclasses.replace(s, **{name: float(values[row]) for name, values in draws.items()}),
                        tokens_per_month=tokens)
        _same_figures(drawn, plain, row, s.api_models)


LEVELS = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


@monte_carlo_settings
@given(scenarios, st.integers(min_value=0, max_value=2**31 - 1))
def test_monte_carlo_crossings_grow_with_their_level(s, seed):
    try:
        mc = montecarlo.run(s, draws=200, seed=seed)
        crossings = {model: [mc.crossing_tokens_per_month(model, level) for level in LEVELS]
                     for model in s.api_models}
    except ValueError as err:
        if "capacity steps" in str(err):
            reject()
        raise
    for model, values in crossings.items():
        assert all(a <= b for a, b in zip(values, values[1:])), (model, values)
        # the level-q crossing: at least q of the draws' breakevens lie at or below it
        breakevens = mc.breakeven_tokens_per_month(model)
        for level, value in zip(LEVELS, values):
            assert np.mean(breakevens <= value) >= level - 1e-12, (model, level)


def _stepped_by_hand(price, replica_usd, replica_tokens, fixed):
    """The article's staircase crossing: in step k the API line meets fixed + k * replica at
    (fixed + k * replica) / price * 1e6, inside the step when k * margin >= fixed, margin being
    what a full replica earns at API prices over what it costs; never when margin <= 0."""
    margin = replica_tokens * price / 1e6 - replica_usd
    if price <= 0 or margin < 0 or (margin == 0 and fixed > 0):
        return math.inf
    steps = 1 if fixed == 0 else max(1, math.ceil(fixed / margin - 1e-12))
    return (fixed + steps * replica_usd) / price * 1e6


@monte_carlo_settings
@given(scenarios, volumes, st.integers(min_value=1, max_value=36), st.integers(min_value=0, max_value=2**31 - 1))
def test_monte_carlo_draws_price_as_worked_by_hand(s, tokens, horizon_months, seed):
    """Each draw of the Monte Carlo (flat traffic) prices its inputs as the hand formulas do:
    replicas from the drawn capacity, the bill from them, the API's average price over the
    contract, the share of draws in which self-hosting is cheaper, each draw's stepped
    breakeven and the crossings as quantiles of those breakevens."""
    s = dataclasses.replace(s, load_profile="flat", spare_replicas=0, horizon_months=horizon_months, uncertainty={
        "input_share": {"uniform": [0.2, 0.8]}, "api_price_change_per_year": {"uniform": [-0.6, 0.3]},
        "usd_per_hour": {"triangular": [0.5, 2.0, 4.0]}})
    mc = montecarlo.run(s, tokens, draws=40, seed=seed)
    hand = _by_hand(s)
    point = {"tokens_per_s": hand["replica_tokens"] / (3600 * s.hours_per_month * s.gpu_count),
             "spot_discount": s.spot_discount, "hours_per_month": s.hours_per_month,
             **{name: HIDDEN_POINTS[name] if getattr(s, name) is None else getattr(s, name)
                for name in ("devops_hours_per_month", "devops_usd_per_hour", "infrastructure_usd_per_month")}}
    selfhost_usd, api_usd = mc.selfhost_usd_per_month(), {m: mc.api_usd_per_month(m) for m in s.api_models}
    cheaper = {m: np.zeros(len(tokens)) for m in s.api_models}
    for i in range(40):
        x = {name: float(mc.draws[name][i]) if name in mc.draws else value for name, value in point.items()}
        capacity = x["tokens_per_s"] * 3600 * x["hours_per_month"] * s.gpu_count
        replica = mc.draws["usd_per_hour"][i] * x["hours_per_month"] * s.gpu_count * (1 - x["spot_discount"])
        fixed = x["devops_hours_per_month"] * x["devops_usd_per_hour"] + x["infrastructure_usd_per_month"]
        bill = np.maximum(1, np.ceil(tokens / capacity - 1e-9)) * replica + fixed
        assert selfhost_usd[i].tolist() == close(bill.tolist())
        monthly_factor = (1 + mc.draws["api_price_change_per_year"][i]) ** (np.arange(horizon_months) / 12)
        share = mc.draws["input_share"][i]
        for model in s.api_models:
            row = API_ROWS.loc[model]
            price = (share * row["usd_per_1m_input"] + (1 - share) * row["usd_per_1m_output"]) * monthly_factor.mean()
            assert api_usd[model][i].tolist() == close((tokens / 1e6 * price).tolist())
            cheaper[model] += bill < tokens / 1e6 * price
            expected = _stepped_by_hand(price, replica, capacity, fixed)
            got = mc.breakeven_tokens_per_month(model)[i]
            assert got == expected or math.isclose(got, expected, rel_tol=REL), (model, i, got, expected)
    for model in s.api_models:
        near = np.isclose(selfhost_usd, api_usd[model], rtol=1e-9, atol=0).any(axis=0)
        assert (mc.p_selfhost_cheaper(model)[~near] == (cheaper[model] / 40)[~near]).all(), model
        breakevens = np.sort(mc.breakeven_tokens_per_month(model))
        for level in LEVELS:
            # the smallest breakeven that at least `level` of the draws reach (inverted CDF)
            assert mc.crossing_tokens_per_month(model, level) == breakevens[math.ceil(level * 40 - 1e-9) - 1], level
