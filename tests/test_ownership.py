"""The monthly cost of owning hardware (helpers.costs.ownership), worked by hand from the rows
of data/ownership_hardware.csv and data/ownership_facility.csv."""
import csv

import numpy as np
import pytest

from helpers import paths
from helpers.costs import ownership


def _rows(name):
    with open(paths.ROOT / "data" / f"{name}.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def _hardware(name):
    return next(r for r in _rows("ownership_hardware") if r["hardware"] == name)


def _facility(parameter, site):
    return next(r for r in _rows("ownership_facility") if r["parameter"] == parameter and r["site"] == site)


H100 = _hardware("8x NVIDIA H100 SXM server")
RTX = _hardware("RTX 4090 workstation")


def test_straight_line_capital_of_the_article_rtx_4090():
    # 1,600 / 36 months, nothing resold, no interest
    assert ownership.capital_usd_per_month(float(RTX["purchase_usd"]), float(RTX["depreciation_years"])) \
        == pytest.approx(1600 / 36)


def test_straight_line_capital_of_the_h100_server_less_its_resale():
    purchase, residual = float(H100["purchase_usd"]), float(H100["residual_share"])  # 199,000 and 0.35
    expected = (199_000 - 0.35 * 199_000) / 48  # 2,694.79
    assert ownership.capital_usd_per_month(purchase, float(H100["depreciation_years"]), residual) \
        == pytest.approx(expected)


def test_annuity_repays_the_financed_amount():
    # Discount 48 monthly payments and the resale back to today: they must equal the price.
    payment = ownership.capital_usd_per_month(199_000, 4, 0.35, 0.10)
    monthly = 1.10 ** (1 / 12) - 1
    present = sum(payment / (1 + monthly) ** m for m in range(1, 49)) + 0.35 * 199_000 / 1.10 ** 4
    assert present == pytest.approx(199_000)
    assert payment == pytest.approx(3809.34, abs=0.01)


def test_a_higher_cost_of_capital_costs_more_and_draws_work_elementwise():
    rates = np.array([0.0, 0.05, 0.10])
    payments = ownership.capital_usd_per_month(199_000, 4, 0.35, rates)
    assert payments.shape == (3,)
    assert np.all(np.diff(payments) > 0)
    assert payments[0] == pytest.approx(129_350 / 48)


def test_energy_of_the_article_workstation_against_its_30_to_80_dollars():
    price = float(_facility("usd_per_kwh", "home")["point"])  # 15.45 cents
    pue = float(_facility("pue", "home")["point"])  # 1
    energy = ownership.energy_usd_per_month(float(RTX["power_kw"]), price, 720, 1.0, pue)
    assert energy == pytest.approx(0.45 * 720 * 0.1545)  # 50.06
    assert 30 <= energy <= 80


def test_energy_of_the_h100_server_is_weighted_by_utilisation():
    price = float(_facility("usd_per_kwh", "data_centre")["point"])  # 8.95 cents
    pue = float(_facility("pue", "data_centre")["point"])  # 1.58
    full = ownership.energy_usd_per_month(float(H100["power_kw"]), price, 720, 1.0, pue)
    assert full == pytest.approx(10.2 * 1.58 * 720 * 0.0895)  # 1,038.52
    assert ownership.energy_usd_per_month(10.2, price, 720, 0.5, pue) == pytest.approx(full / 2)


def test_colocation_and_maintenance_of_the_h100_server():
    rate = float(_facility("colocation_usd_per_kw_month", "data_centre")["point"])  # 196
    assert ownership.colocation_usd_per_month(float(H100["power_kw"]), rate) == pytest.approx(10.2 * 196)
    share = float(H100["maintenance_share_per_year"])  # 20% a year
    assert ownership.maintenance_usd_per_month(199_000, share) == pytest.approx(199_000 * 0.2 / 12)


def test_breakeven_utilisation_against_renting():
    fixed = 129_350 / 48 + 10.2 * 196 + 199_000 * 0.2 / 12
    energy = 10.2 * 1.58 * 720 * 0.0895
    rent = 31.92 * 720  # Lambda's 8x H100 SXM on demand
    share = ownership.breakeven_utilisation(fixed, energy, rent)
    assert share == pytest.approx(fixed / (rent - energy))
    assert 0.36 < share < 0.37
    # At that utilisation the two bills are equal.
    assert fixed + energy * share == pytest.approx(rent * share)
    assert ownership.breakeven_utilisation(100.0, 50.0, 40.0) == np.inf


@pytest.mark.parametrize("call", [
    lambda: ownership.capital_usd_per_month(-1, 3),
    lambda: ownership.capital_usd_per_month(1000, 0),
    lambda: ownership.capital_usd_per_month(1000, 3, 1.0),
    lambda: ownership.energy_usd_per_month(1, 0.1, 720, 1.5),
    lambda: ownership.energy_usd_per_month(1, 0.1, 720, 1.0, pue=0.9),
    lambda: ownership.colocation_usd_per_month(-1, 100),
    lambda: ownership.maintenance_usd_per_month(1000, -0.1),
])
def test_bad_inputs_are_refused(call):
    with pytest.raises(ValueError):
        call()
