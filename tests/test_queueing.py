"""The M/D/1 queue (helpers/capacity/queueing.py) against its closed forms and a simulation."""
import numpy as np
import pytest

from helpers.capacity import queueing


def test_mean_wait_at_a_known_load_by_hand():
    # lambda = 0.8/s, D = 1 s: rho = 0.8, W = 0.8 * 1 / (2 * 0.2) = 2 s
    assert queueing.md1_mean_wait_s(0.8, 1.0) == pytest.approx(2.0)
    # half the service time at the same arrivals: rho = 0.4, W = 0.4 * 0.5 / 1.2
    assert queueing.md1_mean_wait_s(0.8, 0.5) == pytest.approx(0.4 * 0.5 / 1.2)
    assert queueing.md1_mean_wait_s(1.0, 1.0) == np.inf


@pytest.mark.parametrize("rho", [0.3, 0.5, 0.7])
def test_simulation_agrees_with_pollaczek_khinchine_and_p_wait_zero(rho):
    waits = queueing.simulate_md1_waits(rho / 2.0, 2.0, requests=300_000, seed=1)
    assert waits.mean() == pytest.approx(queueing.md1_mean_wait_s(rho / 2.0, 2.0), rel=0.04)
    assert (waits == 0).mean() == pytest.approx(1 - rho, abs=0.01)


@pytest.mark.parametrize("rho", [0.05, 0.15, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9])
def test_tail_quantile_against_erlangs_exact_distribution(rho):
    t = queueing.md1_wait_quantile_s(0.99, rho, 1.0)
    assert queueing.md1_wait_cdf(t, rho, 1.0) == pytest.approx(0.99, abs=1e-3)


def test_erlangs_distribution_starts_at_one_minus_rho():
    assert queueing.md1_wait_cdf(0.0, 0.6, 1.0) == pytest.approx(0.4)
    assert queueing.md1_wait_cdf(0.5, 0.6, 1.0) == pytest.approx(0.4 * np.exp(0.3))  # k = 0 term only


def test_quantile_against_simulation():
    waits = queueing.simulate_md1_waits(0.5, 1.0, requests=400_000, seed=2)
    assert queueing.md1_wait_quantile_s(0.99, 0.5, 1.0) == pytest.approx(np.quantile(waits, 0.99), rel=0.05)


def test_quantile_edges():
    assert queueing.md1_wait_quantile_s(0.99, 0.005, 1.0) == 0.0  # P(wait > 0) = rho < 1%
    assert queueing.md1_wait_quantile_s(0.99, 1.2, 1.0) == np.inf
    loads = np.array([0.2, 0.5, 0.8, 0.95])
    assert np.all(np.diff(queueing.md1_wait_quantile_s(0.99, loads, 1.0)) > 0)
    with pytest.raises(ValueError, match="quantile"):
        queueing.md1_wait_quantile_s(1.0, 0.5, 1.0)


def test_the_quantile_is_continuous_where_the_exact_sum_hands_over_to_the_tail():
    loads = np.linspace(0.05, 0.98, 4000)  # steps of 0.00023 in load
    waits = queueing.md1_wait_quantile_s(0.99, loads, 1.0)
    assert np.all(np.diff(waits) > 0)
    assert np.all(np.diff(waits) / waits[1:] < 0.02)  # a jump would show as a large relative step
