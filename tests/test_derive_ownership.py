"""Rent, reserve or buy through derive (helpers.derive.ownership): a bought replica priced from
the data rows, worked by hand, and going through the same replicas and breakevens."""
import numpy as np
import pytest

from helpers.derive import derive
from helpers.derive.ownership import electricity_readings, ownership_table
from helpers.report.contract import CONTRACT
from helpers.scenario import Scenario, ScenarioError

H100_NODE = "8x NVIDIA H100 SXM (Lambda)"
# The 8x H100 server row and the data-centre facility points, by hand:
CAPITAL_3Y = (199_000 - 0.46 * 199_000) / 36  # 2,985.00, resold at 46% after 3 years
ENERGY = 10.2 * 1.58 * 720 * 0.0895  # 1,038.52 at full use
COLOCATION = 10.2 * 196  # 1,999.20
MAINTENANCE = 199_000 * 0.2 / 12  # 3,316.67
BUY_3Y = Scenario(gpu=H100_NODE, acquisition="buy", depreciation_years=3, residual_share=0.46)


def test_the_article_scenario_still_rents():
    assert Scenario().acquisition == "rent"
    assert derive(Scenario()).replica_usd_per_month == pytest.approx(2.00 * 720)


def test_a_bought_8x_h100_server_by_hand():
    result = derive(BUY_3Y)
    expected = CAPITAL_3Y + ENERGY + COLOCATION + MAINTENANCE  # 9,339.38
    assert result.replica_usd_per_month == pytest.approx(expected)
    assert result.at("tco_usd_per_month") == pytest.approx(expected + 15 * 100 + 300)


def test_a_bought_replica_goes_through_the_article_breakeven():
    result = derive(BUY_3Y)
    blended = (1.25 + 10.00) / 2  # GPT-5 at 50/50
    assert result.breakeven_tokens_per_month["GPT-5"] == pytest.approx(result.replica_usd_per_month / blended * 1e6)


def test_one_gpu_of_the_server_is_an_eighth_of_it():
    one = derive(Scenario(gpu="NVIDIA H100 SXM (Lambda)", acquisition="buy", depreciation_years=3,
                          residual_share=0.46))
    assert one.replica_usd_per_month == pytest.approx(derive(BUY_3Y).replica_usd_per_month / 8)


def test_utilisation_weights_only_the_energy_and_can_be_drawn():
    half = derive(Scenario(gpu=H100_NODE, acquisition="buy", depreciation_years=3, residual_share=0.46,
                           utilisation=0.5))
    assert derive(BUY_3Y).replica_usd_per_month - half.replica_usd_per_month == pytest.approx(ENERGY / 2)
    drawn = derive(BUY_3Y, draws={"utilisation": np.array([0.0, 1.0])})
    assert np.ravel(drawn.replica_usd_per_month) == pytest.approx(
        [CAPITAL_3Y + COLOCATION + MAINTENANCE, CAPITAL_3Y + ENERGY + COLOCATION + MAINTENANCE])


def test_the_cost_of_capital_raises_the_bill():
    financed = derive(Scenario(gpu=H100_NODE, acquisition="buy", depreciation_years=3, residual_share=0.46,
                               cost_of_capital_per_year=0.1))
    assert financed.replica_usd_per_month > derive(BUY_3Y).replica_usd_per_month


def test_reserve_needs_a_reserved_row():
    reserved = derive(Scenario(gpu="NVIDIA A100 80GB (1-year reserved)", acquisition="reserve"))
    assert reserved.replica_usd_per_month == pytest.approx(1.25 * 720)
    with pytest.raises(ValueError, match="reserved rows of data/gpu_cloud.csv: .*1-year reserved"):
        derive(Scenario(acquisition="reserve"))


def test_buying_a_gpu_without_a_purchase_row_names_the_choices():
    with pytest.raises(ValueError, match="owned_hardware.*8x NVIDIA H100 SXM server"):
        derive(Scenario(acquisition="buy"))


def test_bad_ownership_fields_are_refused_by_name():
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict({"acquisition": "own", "pue": 0.8, "owned_hardware": "RTX 5090"})
    text = str(err.value)
    assert "acquisition" in text and "pue" in text and "owned_hardware" in text


def test_the_ownership_table_states_the_hand_figures():
    table = ownership_table(Scenario(depreciation_years=3, residual_share=0.46))
    assert set(CONTRACT["ownership"]) <= set(table.columns)
    buy = table[table["option"] == "8x NVIDIA H100 SXM server"].iloc[0]
    assert buy["capital_usd_per_month"] == pytest.approx(CAPITAL_3Y)
    assert buy["usd_per_month"] == pytest.approx(CAPITAL_3Y + ENERGY + COLOCATION + MAINTENANCE)
    assert buy["usd_per_gpu_hour"] == pytest.approx(buy["usd_per_month"] / (8 * 720))
    # Against the cheapest on-demand 8x H100 (Hyperstack's $3.20 an hour per GPU).
    fixed = CAPITAL_3Y + COLOCATION + MAINTENANCE
    assert buy["breakeven_utilisation_vs_rent"] == pytest.approx(fixed / (3.20 * 8 * 720 - ENERGY))
    lambda_row = table[table["option"] == H100_NODE].iloc[0]
    assert lambda_row["usd_per_month"] == pytest.approx(31.92 * 720)


def test_the_article_workstation_electricity_readings():
    readings = electricity_readings(0.45)
    assert readings["point"] == pytest.approx(0.45 * 720 * 0.1545)  # $50.06: inside "$30-80"
    assert readings["low"] == pytest.approx(0.45 * 720 * 0.1098)
    assert readings["high"] == pytest.approx(0.45 * 720 * 0.2951)  # $95.61: above it


def test_the_monte_carlo_draws_a_bought_replicas_electricity_and_pue():
    from helpers.uncertainty import montecarlo

    found = montecarlo.distributions(BUY_3Y)
    assert {"usd_per_kwh", "pue"} <= set(found)
    # the draws reach the bought replica's bill, one figure per draw
    mc = montecarlo.run(BUY_3Y, draws=4, seed=1)
    assert np.ravel(mc.result.replica_usd_per_month).shape == (4,)
    points = montecarlo.points(BUY_3Y)
    assert points["usd_per_kwh"] == pytest.approx(0.0895) and points["pue"] == pytest.approx(1.58)
    assert montecarlo.points(Scenario()).keys().isdisjoint({"usd_per_kwh", "pue"})


def test_the_horizon_table_sells_at_each_age_of_the_resale_curve():
    from helpers.derive.ownership import horizon_table

    table = horizon_table(Scenario(utilisation=0.5))
    h100 = table[table["option"] == "8x NVIDIA H100 SXM server"].set_index("years")
    # one year, resold at 78%, half used, against Hyperstack's $3.20 per GPU-hour for half the hours
    one_year = (199_000 - 0.78 * 199_000) / 12 + ENERGY / 2 + COLOCATION + MAINTENANCE  # 9,483.46
    assert h100.loc[1.0, "buy_usd_per_month"] == pytest.approx(one_year)
    assert h100.loc[1.0, "rent_usd_per_month"] == pytest.approx(3.20 * 8 * 720 / 2)  # 9,216
    assert not h100.loc[1.0, "buy_cheaper"] and h100.loc[2.0, "buy_cheaper"]
    assert "RTX 4090 workstation" not in set(table["option"])  # no data-centre rent to set it against


def test_the_ownership_table_reads_spot_at_the_articles_40_and_60_percent():
    table = ownership_table(Scenario(depreciation_years=3, residual_share=0.46))
    spot = table[(table["gpu"] == "NVIDIA H100 SXM") & (table["pricing"] == "spot")].set_index("option")
    hyperstack = 3.20 * 8 * 720
    fixed = CAPITAL_3Y + COLOCATION + MAINTENANCE
    for discount in (0.4, 0.6):
        row = spot.loc[f"NVIDIA H100 SXM (Hyperstack) at a {discount:.0%} spot discount"]
        assert row["usd_per_month"] == pytest.approx(hyperstack * (1 - discount))
        assert row["breakeven_utilisation_vs_rent"] == pytest.approx(fixed / (hyperstack * (1 - discount) - ENERGY))
