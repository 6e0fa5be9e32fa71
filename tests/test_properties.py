"""Invariants of the cost model (hypothesis)."""
import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers.costs import api, breakeven, hybrid, selfhost, tco

price = st.floats(min_value=0.01, max_value=100, allow_nan=False)
share = st.floats(min_value=0, max_value=1, allow_nan=False)
volume = st.floats(min_value=0, max_value=1e12, allow_nan=False)
fixed_cost = st.floats(min_value=1, max_value=1e6, allow_nan=False)
settings.register_profile("workbook", deadline=None, max_examples=200)
settings.load_profile("workbook")


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
    assert breakeven.winner(api.api_usd_per_month(be * 0.9, blended), fixed)[0] == "API"
    assert breakeven.winner(api.api_usd_per_month(be * 1.1, blended), fixed)[0] == "Self-host"


@given(fixed_cost, price, price)
def test_cheaper_api_never_has_lower_breakeven(fixed, p1, p2):
    cheap, dear = sorted((p1, p2))
    assert breakeven.breakeven_tokens_per_month(fixed, cheap) >= breakeven.breakeven_tokens_per_month(fixed, dear)


@given(fixed_cost, fixed_cost, price)
def test_hidden_costs_never_lower_the_breakeven(gpu, extra, blended):
    total = tco.tco_components(gpu, 0, 0, extra)["true_monthly_cost"]
    assert breakeven.breakeven_tokens_per_month(total, blended) >= breakeven.breakeven_tokens_per_month(gpu, blended)


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
