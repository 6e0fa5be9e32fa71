"""Distributions and the sampler (helpers/distributions.py) against closed forms
worked by hand: triangular means and quantiles, bounds that make a probability exactly 0 or 1,
reproducible seeds, and the YAML block's validation naming every bad key."""
import math
from statistics import NormalDist

import numpy as np
import pytest

from helpers import distributions as dist
from helpers.distributions import Bounds, Fixed, Triangular, TruncatedNormal, Uniform

DRAWS = 200_000


def test_triangular_quantiles_worked_by_hand():
    devops = Triangular(10, 15, 20)
    # Symmetric: the median is the mode; F(12.5) = (12.5 - 10)^2 / ((20 - 10)(15 - 10)) = 0.125.
    assert devops.ppf(np.array([0.0, 0.125, 0.5, 0.875, 1.0])) == pytest.approx([10, 12.5, 15, 17.5, 20])
    infrastructure = Triangular(200, 300, 500)
    # The mode sits at F = (300 - 200) / (500 - 200) = 1/3; above it F(x) = 1 - (500 - x)^2 / (300 * 200).
    assert infrastructure.ppf(np.array([1 / 3]))[0] == pytest.approx(300)
    assert infrastructure.ppf(np.array([0.5]))[0] == pytest.approx(500 - math.sqrt(0.5 * 300 * 200))
    assert infrastructure.mean == pytest.approx(1000 / 3)


def test_triangular_draws_match_the_closed_form_mean_and_quantiles():
    throughput = Triangular(1000, 1500, 3000)
    draws = dist.sample({"tokens_per_s": throughput}, DRAWS, seed=7)["tokens_per_s"]
    # Variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18 = 3.25e6 / 18; mean 5500 / 3.
    sd = math.sqrt(3.25e6 / 18)
    assert abs(draws.mean() - 5500 / 3) < 4 * sd / math.sqrt(DRAWS)
    assert draws.var() == pytest.approx(3.25e6 / 18, rel=0.02)
    # Share of draws below x against F(x) = (x - a)^2 / ((b - a)(c - a)) below the mode.
    for x in (1200, 1400):
        expected = (x - 1000) ** 2 / (2000 * 500)
        assert abs((draws < x).mean() - expected) < 4 * math.sqrt(expected * (1 - expected) / DRAWS)
    assert draws.min() >= 1000 and draws.max() <= 3000


def test_bounded_draws_give_probabilities_of_exactly_zero_and_one():
    spot = dist.sample({"spot_discount": Uniform(0.40, 0.60)}, DRAWS, seed=1)["spot_discount"]
    assert (spot < 0.40).mean() == 0.0
    assert (spot <= 0.60).mean() == 1.0
    # One uncertain input worked by hand: P(spot > 0.55) = (0.60 - 0.55) / 0.20 = 0.25.
    assert abs((spot > 0.55).mean() - 0.25) < 4 * math.sqrt(0.25 * 0.75 / DRAWS)


def test_a_seed_reproduces_a_run_exactly_and_inputs_keep_their_own_streams():
    inputs = {"devops_hours_per_month": Triangular(10, 15, 20), "spot_discount": Uniform(0.4, 0.6)}
    first = dist.sample(inputs, 1000, seed=42)
    again = dist.sample(inputs, 1000, seed=42)
    for name in inputs:
        assert np.array_equal(first[name], again[name])
    other = dist.sample(inputs, 1000, seed=43)
    assert not np.array_equal(first["spot_discount"], other["spot_discount"])
    # Making one input fixed leaves the other's draws untouched.
    alone = dist.sample({"spot_discount": Uniform(0.4, 0.6),
                         "devops_hours_per_month": Fixed(15)}, 1000, seed=42)
    assert np.array_equal(alone["spot_discount"], first["spot_discount"])
    assert np.all(alone["devops_hours_per_month"] == 15.0)


def test_truncated_normal_stays_in_its_bounds_and_has_the_closed_form_mean():
    normal = TruncatedNormal(mu=0.5, sd=0.2, low=0.4, high=1.0)
    draws = normal.ppf(np.random.default_rng(3).random(DRAWS))
    assert draws.min() >= 0.4 and draws.max() <= 1.0
    # By hand: alpha = -0.5, beta = 2.5; mean = mu + sd (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha)).
    z = NormalDist()
    expected = 0.5 + 0.2 * (z.pdf(-0.5) - z.pdf(2.5)) / (z.cdf(2.5) - z.cdf(-0.5))
    assert normal.mean == pytest.approx(expected)
    assert abs(draws.mean() - expected) < 4 * 0.2 / math.sqrt(DRAWS)
    # Untruncated, its median is its mean and its quartiles are mean -/+ 0.6745 sd.
    wide = TruncatedNormal(mu=100, sd=10)
    assert wide.ppf(np.array([0.25, 0.5, 0.75])) == pytest.approx([100 - 6.744897, 100, 100 + 6.744897])


def test_ends_for_the_tornado():
    assert Triangular(10, 15, 20).ends() == (10, 20)
    assert Uniform(0.4, 0.6).ends() == (0.4, 0.6)
    assert Fixed(3).ends() == (3, 3)
    low, high = TruncatedNormal(mu=100, sd=10).ends()
    assert (low, high) == pytest.approx((100 - 16.448536, 100 + 16.448536))


@pytest.mark.parametrize("spec, expected", [
    (15, Fixed(15.0)),
    ({"fixed": 15}, Fixed(15.0)),
    ({"triangular": [10, 15, 20]}, Triangular(10.0, 15.0, 20.0)),
    ({"uniform": [0.4, 0.6]}, Uniform(0.4, 0.6)),
    ({"normal": [15, 3]}, TruncatedNormal(15.0, 3.0, 0.0, math.inf)),
    ({"normal": [15, 3, 5, 100]}, TruncatedNormal(15.0, 3.0, 5.0, 100.0)),
])
def test_parse_reads_every_form(spec, expected):
    parsed, problems = dist.parse("devops_hours_per_month", spec, Bounds(minimum=0))
    assert problems == [] and parsed == expected


@pytest.mark.parametrize("spec, bounds, expected", [
    ({"triangular": [20, 15, 10]}, Bounds(0), "uncertainty.x: triangular needs low <= mode <= high"),
    ({"triangle": [10, 15, 20]}, Bounds(0), "uncertainty.x: unknown distribution 'triangle' (did you mean 'triangular'?)"),
    ({"uniform": [0.4]}, Bounds(0, 1), "uncertainty.x: uniform takes {uniform: [low, high]}"),
    ({"uniform": [0.4, 1.2]}, Bounds(0, 1, maximum_excluded=True), "uncertainty.x: 1.2 outside the input's range [0, 1)"),
    ({"normal": [15, 0]}, Bounds(0), "uncertainty.x: normal needs a positive sd"),
    ({"normal": [-5, 1]}, Bounds(0), "uncertainty.x: normal needs its mean within 0..inf"),
    ("ten", Bounds(0), "uncertainty.x: expected a number or one of"),
    ({"triangular": [10, "15", 20]}, Bounds(0), "uncertainty.x: triangular takes"),
    (True, Bounds(0), "uncertainty.x: expected a number"),
])
def test_parse_names_the_key_and_the_problem(spec, bounds, expected):
    parsed, problems = dist.parse("x", spec, bounds)
    assert parsed is None
    assert any(p.startswith(expected) for p in problems), problems


def test_sample_refuses_no_draws():
    with pytest.raises(ValueError, match="draws"):
        dist.sample({"x": Fixed(1)}, 0, seed=1)


from hypothesis import given, strategies as st  # noqa: E402


@given(st.floats(0, 1e4), st.floats(0, 1), st.floats(0.01, 1e4), st.lists(st.floats(0, 1), min_size=1, max_size=20))
def test_triangular_ppf_inverts_its_cdf(low, mode_share, width, us):
    """F(ppf(u)) = u with F(x) = (x - a)^2 / ((b - a)(c - a)) up to the mode and
    1 - (b - x)^2 / ((b - a)(b - c)) above it; draws stay within low..high."""
    a, b = low, low + width
    c = a + mode_share * width
    x = Triangular(a, c, b).ppf(np.array(us))
    assert np.all((x >= a - 1e-9 * b) & (x <= b + 1e-9 * b))
    assert np.all(np.diff(Triangular(a, c, b).ppf(np.sort(us))) >= -1e-9 * b)
    below_mode = (np.array(us) <= (c - a) / (b - a)) & (c > a)
    with np.errstate(all="ignore"):  # np.where evaluates both branches
        cdf = np.where(below_mode, (x - a) ** 2 / ((b - a) * (c - a)), 1 - (b - x) ** 2 / ((b - a) * (b - c)))
    assert cdf == pytest.approx(us, abs=1e-6)
