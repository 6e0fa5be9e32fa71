"""The Monte Carlo on the one derivation (helpers/uncertainty/montecarlo.py): collapsed to its
points it is the deterministic model exactly; probabilities of exactly 0 and 1 and a
one-input case worked by hand; the tornado and the commitment view against hand figures
(A100 80GB at $2.00/h, DevOps 15 h x $100 + $300, GPT-5 at $5.625 per 1M blended)."""
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from helpers import data, scenario
from helpers.derive import DRAWABLE, derive
from helpers.scenario import Scenario, ScenarioError
from helpers.distributions import Fixed, Triangular, Uniform
from helpers.uncertainty import montecarlo

GPT5 = (1.25 + 10.00) / 2  # 5.625 USD per 1M tokens
# 12 monthly bills with prices halving each year, month by month: sum of 0.5 ** (m / 12), about 8.91.
HALVING_12 = sum(0.5 ** (m / 12) for m in range(12))
VOLUMES = np.logspace(6, 11, 60)


def fixed_points(s: Scenario, **uncertain) -> dict:
    """Every input of ``s`` fixed at its point except those given."""
    return {**{name: Fixed(v) for name, v in montecarlo.points(s).items()}, **uncertain}


@pytest.mark.parametrize("s", [
    Scenario(),
    Scenario.load("params/scale-200m-per-day-spot.yaml"),
    Scenario(spot_discount=0.45, hours_per_month=500, gpu_count=2, input_share=0.7,
             devops_hours_per_month=12, devops_usd_per_hour=130, infrastructure_usd_per_month=250,
             api_models=("DeepSeek V3.2", "GPT-5")),
    Scenario(gpu="NVIDIA A100 80GB (1-year reserved)", throughput_source="model"),
    Scenario(spare_replicas=1),
    Scenario(load_profile="global_consumer", scaling="scheduled", spare_replicas=1),
    Scenario(load_profile="business_hours", tokens_per_day=200_000_000),
])
def test_collapsed_to_its_points_the_monte_carlo_is_the_deterministic_model(s):
    deterministic = derive(s, VOLUMES)
    mc = montecarlo.run(s, VOLUMES, draws=50, inputs=montecarlo.collapsed(s))
    assert set(mc.draws) == set(montecarlo.distributions(s))
    bills = mc.selfhost_usd_per_month()
    assert bills.shape == (50, len(VOLUMES))
    assert all(np.array_equal(row, deterministic.tco_usd_per_month) for row in bills)
    for model in s.api_models:
        assert np.array_equal(mc.api_usd_per_month(model)[0], deterministic.api_usd_per_month[model])
        assert np.all(mc.breakeven_tokens_per_month(model)
                      == deterministic.stepped_tco_breakeven_tokens_per_month[model])
        cheaper = (deterministic.tco_usd_per_month < deterministic.api_usd_per_month[model]).astype(float)
        assert np.array_equal(mc.p_selfhost_cheaper(model), cheaper)


def test_probability_is_exactly_zero_and_one_where_the_ranges_cannot_cross():
    s = Scenario()
    # The cheapest self-hosting month in the article's ranges: 1,440 + 10 h x $75 + $200 = $2,390;
    # GPT-5 at 1M tokens/day (30M/month) costs $168.75. The dearest with one A100:
    # 1,440 + 20 x $150 + $500 = $4,940, and 2B tokens/month fit one A100 even at 1,000 tokens/s
    # (2.592B), where GPT-5 costs $11,250.
    mc = montecarlo.run(s, [30e6, 2e9], draws=20_000)
    assert mc.selfhost_usd_per_month().min() >= 2390 - 1e-9
    assert list(mc.p_selfhost_cheaper("GPT-5")) == [0.0, 1.0]


def test_one_uncertain_input_worked_by_hand():
    s = Scenario()
    # Only DevOps hours uncertain, uniform 10-20 h. At 600M tokens/month GPT-5 costs 3,375;
    # self-hosting costs 1,440 + 100 h + 300, cheaper when h < 16.35: P = 6.35 / 10 = 0.635.
    inputs = fixed_points(s, devops_hours_per_month=Uniform(10, 20))
    mc = montecarlo.run(s, [600e6], draws=20_000, inputs=inputs)
    p = float(mc.p_selfhost_cheaper("GPT-5")[0])
    assert abs(p - 0.635) < 4 * math.sqrt(0.635 * 0.365 / 20_000)
    # The breakeven is (1,740 + 100 h) / 5.625 per 1M: its median, at h = 15, is 576M tokens/month;
    # at 10% and 90% (h = 11 and 19): 504.9M and 647.1M.
    for level, hours in ((0.1, 11), (0.5, 15), (0.9, 19)):
        assert mc.crossing_tokens_per_month("GPT-5", level) == pytest.approx(
            (1740 + 100 * hours) / GPT5 * 1e6, rel=0.005)


def test_a_seed_reproduces_a_run_exactly():
    s = Scenario(spot_discount=0.5)
    volumes = montecarlo.report_tokens_per_month(s)
    first = montecarlo.uncertainty_table(montecarlo.run(s, volumes, draws=5_000, seed=11))
    again = montecarlo.uncertainty_table(montecarlo.run(s, volumes, draws=5_000, seed=11))
    other = montecarlo.uncertainty_table(montecarlo.run(s, volumes, draws=5_000, seed=12))
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_defaults_are_the_articles_ranges_from_the_data_rows():
    hidden = data.load("hidden_costs").set_index("parameter")
    setup = data.row(data.load("selfhost_setups"), "setup", "article_a100_llama70b")
    # The rows hold the article's figures ...
    assert tuple(hidden.loc["devops_hours_per_month", ["low", "point", "high"]]) == (10, 15, 20)
    assert tuple(hidden.loc["devops_usd_per_hour", ["low", "point", "high"]]) == (75, 100, 150)
    assert tuple(hidden.loc["infrastructure_usd_per_month", ["low", "point", "high"]]) == (200, 300, 500)
    assert tuple(setup[["tokens_per_s_low", "tokens_per_s_conservative", "tokens_per_s_high"]]) == (1000, 1500, 3000)
    # ... and the defaults are those rows.
    assert montecarlo.default_distributions(Scenario()) == {
        "devops_hours_per_month": Triangular(10, 15, 20),
        "devops_usd_per_hour": Triangular(75, 100, 150),
        "infrastructure_usd_per_month": Triangular(200, 300, 500),
        "tokens_per_s": Triangular(1000, 1500, 3000),
    }
    assert montecarlo.default_distributions(Scenario(spot_discount=0.5))["spot_discount"] == Uniform(0.40, 0.60)
    # An input the scenario sets by hand is not drawn unless its block says so.
    chosen = Scenario(devops_hours_per_month=12, tokens_per_s=2000)
    assert {"devops_hours_per_month", "tokens_per_s"}.isdisjoint(montecarlo.default_distributions(chosen))
    overridden = Scenario(uncertainty={"devops_hours_per_month": {"uniform": [5, 30]}, "input_share": 0.6})
    got = montecarlo.distributions(overridden)
    assert got["devops_hours_per_month"] == Uniform(5, 30) and got["input_share"] == Fixed(0.6)


def test_the_uncertain_inputs_are_what_derive_can_draw():
    assert set(scenario.UNCERTAIN_INPUTS) == set(DRAWABLE)


def test_a_bad_uncertainty_block_names_every_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("horizon_months: 0\n"
                    "uncertainty:\n"
                    "  devops_hours: {triangular: [10, 15, 20]}\n"
                    "  spot_discount: {uniform: [0.4, 1.2]}\n"
                    "  tokens_per_s: {triangular: [3000, 1500, 1000]}\n")
    with pytest.raises(ScenarioError) as caught:
        Scenario.load(path)
    problems = caught.value.problems
    assert len(problems) == 4, problems
    assert problems[0].startswith("horizon_months: must lie in 1..120")
    assert any(p.startswith("uncertainty.devops_hours: not an input that can carry a distribution "
                            "(did you mean 'devops_hours_per_month'?)") for p in problems)
    assert any(p.startswith("uncertainty.spot_discount: 1.2 outside the input's range [0, 1)") for p in problems)
    assert any(p.startswith("uncertainty.tokens_per_s: triangular needs low <= mode <= high") for p in problems)


def test_a_scenario_with_an_uncertainty_block_saves_and_loads(tmp_path):
    s = Scenario(horizon_months=24, api_price_change_per_year=-0.3,
                 uncertainty={"api_price_change_per_year": {"uniform": [-0.5, 0.0]}})
    s.save(tmp_path / "s.yaml")
    assert Scenario.load(tmp_path / "s.yaml") == s


def test_tornado_against_hand_figures():
    frame = montecarlo.tornado(Scenario())
    assert list(frame.columns[:5]) == ["input", "low_value", "high_value", "breakeven_tokens_per_month_at_low",
                                       "breakeven_tokens_per_month_at_high"]
    rows = frame.set_index("input")
    # DevOps rate 75..150 at 15 h: (1,440 + 1,125 + 300) / 5.625 and (1,440 + 2,250 + 300) / 5.625 per 1M.
    assert rows.loc["devops_usd_per_hour", "breakeven_tokens_per_month_at_low"] == pytest.approx(2865 / GPT5 * 1e6)
    assert rows.loc["devops_usd_per_hour", "breakeven_tokens_per_month_at_high"] == pytest.approx(3990 / GPT5 * 1e6)
    # DevOps hours 10..20 at $100: 2,740 and 3,740; infrastructure 200..500: 3,140 and 3,440.
    assert rows.loc["devops_hours_per_month", "breakeven_tokens_per_month_at_low"] == pytest.approx(2740 / GPT5 * 1e6)
    assert rows.loc["infrastructure_usd_per_month", "breakeven_tokens_per_month_at_high"] == pytest.approx(3440 / GPT5 * 1e6)
    # Throughput 1,000..3,000 tokens/s: one A100 serves the 576M breakeven either way: no move.
    assert rows.loc["tokens_per_s", "breakeven_tokens_per_month_at_low"] == pytest.approx(576e6)
    assert rows.loc["tokens_per_s", "breakeven_tokens_per_month_at_high"] == pytest.approx(576e6)
    assert list(frame["input"]) == ["devops_usd_per_hour", "devops_hours_per_month",
                                    "infrastructure_usd_per_month", "tokens_per_s"]


def test_tornado_moves_the_breakeven_with_the_api_price_change():
    s = Scenario(uncertainty={"api_price_change_per_year": {"uniform": [-0.5, 0.0]}})
    row = montecarlo.tornado(s).set_index("input").loc["api_price_change_per_year"]
    assert row["breakeven_tokens_per_month_at_high"] == pytest.approx(576e6)
    # 12 months of $3,240 against GPT-5 at 5.625 x 8.91 / 12 per 1M on average: 775.9M tokens/month.
    assert row["breakeven_tokens_per_month_at_low"] == pytest.approx(3240 * 12 / (GPT5 * HALVING_12) * 1e6)
    assert row["breakeven_tokens_per_month_at_low"] == pytest.approx(775.88e6, rel=1e-4)


def test_falling_api_prices_over_the_contract_move_every_draw_by_the_horizon_formula():
    s = Scenario(api_price_change_per_year=-0.5, horizon_months=24)
    mc = montecarlo.run(s, [1e9], draws=100, inputs=montecarlo.collapsed(s))
    factor = sum(0.5 ** (m / 12) for m in range(24))  # 24 months, halving each year: about 15.2
    assert mc.crossing_tokens_per_month("GPT-5", 0.5) == pytest.approx(3240 * 24 / (GPT5 * factor) * 1e6)


def test_uncertainty_table_holds_the_report_volumes_and_columns():
    s = Scenario()
    table = montecarlo.uncertainty_table(montecarlo.run(s, montecarlo.report_tokens_per_month(s), draws=2_000))
    assert list(table.columns[:6]) == ["api_model", "tokens_per_day", "p_selfhost_cheaper", "selfhost_usd_p10",
                                       "selfhost_usd_p50", "selfhost_usd_p90"]
    for daily in (1e6, 2e6, 5e6, 10e6, 20e6, 30e6, 50e6, 100e6, 200e6, 500e6, 1e9):
        assert (table["tokens_per_day"] == daily).sum() == len(s.api_models)
    assert (table["selfhost_usd_p10"] <= table["selfhost_usd_p50"]).all()
    assert (table["selfhost_usd_p50"] <= table["selfhost_usd_p90"]).all()
    assert table["p_selfhost_cheaper"].between(0, 1).all()


def test_commitment_view_prices_the_reserved_rows_by_hand():
    table = montecarlo.commitment_table(Scenario()).set_index(["pricing", "api_model"])
    rows = data.load("gpu_cloud").set_index("gpu")
    one_year = float(rows.loc["NVIDIA A100 80GB (1-year reserved)", "usd_per_hour"])
    three_year = float(rows.loc["NVIDIA A100 80GB (3-year reserved)", "usd_per_hour"])
    for pricing, usd_per_hour, months in (("on_demand", 2.00, 12), ("reserved_1y", one_year, 12),
                                          ("reserved_3y", three_year, 36)):
        monthly = usd_per_hour * 720 + 1800
        row = table.loc[(pricing, "GPT-5")]
        assert row["term_months"] == months
        assert row["selfhost_usd_over_term"] == pytest.approx(monthly * months)
        assert row["commitment_breakeven_tokens_per_month"] == pytest.approx(monthly / GPT5 * 1e6)


def test_probability_sentence_for_the_report_index():
    s = Scenario()
    mc = montecarlo.run(s, montecarlo.report_tokens_per_month(s), draws=2_000)
    sentence = montecarlo.probability_sentence(mc)
    assert sentence.startswith("At 10M tokens/day, self-hosting with hidden costs is cheaper than GPT-5 "
                               "in none of 2,000 draws")
    # Collapsed to the points every draw breaks even at 3,240 / 5.625 per 1M = 576M a month, 19.2M a day.
    collapsed = montecarlo.run(s, montecarlo.report_tokens_per_month(s), draws=2_000, inputs=montecarlo.collapsed(s))
    assert montecarlo.probability_sentence(collapsed) == (
        "At 10M tokens/day, self-hosting with hidden costs is cheaper than GPT-5 in none of 2,000 draws of the "
        "uncertain inputs; it is cheaper in half the draws from 19.2M tokens/day (10%: 19.2M, 90%: 19.2M).")
    # At 1,000 tokens/s one A100 earns 2.592B x $0.375 per 1M = $972 a month at Gemini 2.5 Flash
    # prices, less than its $1,440: no volume pays for self-hosting.
    never = Scenario(api_models=("Gemini 2.5 Flash",), tokens_per_s=1000)
    mc = montecarlo.run(never, montecarlo.report_tokens_per_month(never), draws=2_000)
    assert "fewer than half the draws at any volume" in montecarlo.probability_sentence(mc)


def test_report_scenarios_run():
    for path in sorted(__import__("pathlib").Path("params").glob("*.yaml")):
        s = Scenario.load(path)
        mc = montecarlo.run(s, montecarlo.report_tokens_per_month(s), draws=500)
        assert montecarlo.probability_sentence(mc)
        assert len(montecarlo.tornado(s)) >= 1
        dataclasses.replace(s)  # stays a valid, frozen scenario


def test_p_at_the_scenarios_own_volume_is_the_runs():
    s = Scenario(tokens_per_day=20_000_000)
    at_own = montecarlo.p_selfhost_cheaper_at_own_volume(s, draws=4_000)
    drawn = montecarlo.run(s, [600e6], draws=4_000).draws
    # 600M tokens a month fit one A100 at any drawn throughput (at least 1,000 tokens/s: 2.59B), so
    # each draw's month is 1,440 + hours x rate + infrastructure; GPT-5 costs 600 x 5.625 = $3,375.
    month = 1440 + drawn["devops_hours_per_month"] * drawn["devops_usd_per_hour"] + drawn["infrastructure_usd_per_month"]
    assert at_own["GPT-5"] == float(np.mean(month < 600 * GPT5))
    assert 0 < at_own["GPT-5"] < 1


def test_the_what_if_panel_shows_the_monte_carlo_share_at_its_volume():
    from helpers.show import widgets  # noqa: PLC0415 - the panel layer, only this test needs it

    s = Scenario(tokens_per_day=20_000_000)
    results = widgets.evaluate(s)
    expected = float(montecarlo.run(s, [600e6], draws=5_000).p_selfhost_cheaper("GPT-5")[0])
    assert results["p_selfhost_cheaper"] == expected and 0 < expected < 1
    assert widgets.probability_text(results) == (
        f"Self-hosting with hidden costs is cheaper than GPT-5 here in {expected:.0%} of 5,000 draws "
        "of the uncertain inputs")
    # The panel's draws are the first 5,000 of the notebook's 20,000 (the same seeded streams).
    full = montecarlo.run(s, [600e6])
    first = montecarlo.run(s, [600e6], draws=5_000)
    assert all(np.array_equal(full.draws[name][:5_000], first.draws[name]) for name in first.draws)
    assert widgets.probability_text(results) in widgets.summary_markdown(results)


def test_the_report_index_carries_the_sentence_once_the_notebook_wrote_its_table(tmp_path):
    from helpers import report  # noqa: PLC0415 - the runner layer, only this test needs it

    run = {"scenario": {"description": "x", "tokens_per_day": 50_000_000}}
    assert report.uncertainty_html(run, tmp_path) == ""
    (tmp_path / "uncertainty.csv").write_text("api_model\n")
    s = Scenario(tokens_per_day=50_000_000)
    sentence = montecarlo.probability_sentence(montecarlo.run(s, montecarlo.report_tokens_per_month(s)))
    assert report.uncertainty_html(run, tmp_path) == f"<p><b>How sure:</b> {sentence}</p>"
    assert sentence.startswith("At 50M tokens/day, self-hosting with hidden costs is cheaper than GPT-5 in all")


def test_the_panel_judges_a_contract_when_api_prices_move():
    from helpers.show import widgets  # noqa: PLC0415 - the panel layer, only this test needs it

    # At 20M tokens/day GPT-5 costs $3,375 a month today; halving each year it averages
    # 3,375 x 8.91 / 12 = about $2,506 a month over 12 months, and a draw favours self-hosting
    # only when its month (at least 1,440 + 10 h x $75 + $200 = $2,390) is below that.
    s = Scenario(tokens_per_day=20_000_000, api_price_change_per_year=-0.5)
    results = widgets.evaluate(s)
    assert "over a 12-month contract (API prices -50% a year)" in widgets.probability_text(results)
    average = 3375 * sum(0.5 ** (m / 12) for m in range(12)) / 12
    mc = montecarlo.run(s, [600e6], draws=montecarlo.PANEL_DRAWS)
    bills = mc.selfhost_usd_per_month()[:, 0]
    assert results["p_selfhost_cheaper"] == pytest.approx(float(np.mean(bills < average)))


def test_the_notebooks_sentences_name_the_figures_and_say_never():
    s = Scenario()
    mc = montecarlo.run(s, [1e9], draws=2_000, inputs=montecarlo.collapsed(s))
    crossings = montecarlo.crossings_table(mc)
    # Collapsed, every draw breaks even at the article's 576M tokens/month = 19.2M a day.
    assert montecarlo.band_sentence(crossings, "GPT-5") == (
        "Against GPT-5 the article's single breakeven with hidden costs becomes a band: "
        "**19.2M to 19.2M tokens a day** holds the middle 80% of the draws.")
    never = Scenario(api_models=("Gemini 2.5 Flash",), tokens_per_s=1000)
    mc = montecarlo.run(never, [1e9], draws=2_000)
    assert montecarlo.band_sentence(montecarlo.crossings_table(mc), "Gemini 2.5 Flash") == \
        "Against Gemini 2.5 Flash fewer than 10% of the draws ever break even."
    assert montecarlo.tornado_sentence(montecarlo.tornado(s)) == (
        "**devops_usd_per_hour** moves the breakeven against GPT-5 most: from 509M to 709M tokens a month "
        "between 75 and 150, around 576M at the points.")
    frame = montecarlo.tornado(Scenario(api_models=("Gemini 2.5 Flash",)))
    assert montecarlo.tornado_sentence(frame).startswith(
        "**tokens_per_s** moves the breakeven against Gemini 2.5 Flash most: from never to ")
    assert montecarlo.commitment_sentence(montecarlo.commitment_table(s), "GPT-5").startswith(
        "Against GPT-5: NVIDIA A100 80GB over 12 months ($38,880 with hidden costs) pays off above "
        "**19.2M tokens a day**")


def test_the_bill_is_the_mean_replicas_billed_under_a_scheduled_load_profile():
    # business_hours, scheduled: each hour bills ceil(volume x its load / one A100's 3.888B a
    # month), at least one; the month is the mean of those hours x $1,440 + $1,800 hidden costs.
    rows = pd.read_csv("data/load_profiles.csv").query("profile == 'business_hours'")["relative_load"].to_numpy()
    load = rows / rows.mean()
    s = Scenario(load_profile="business_hours", scaling="scheduled")
    volume = 10e9
    mc = montecarlo.run(s, [volume], draws=10, inputs=montecarlo.collapsed(s))
    per_hour = np.maximum(1, np.ceil(volume * load / 3.888e9 - 1e-9))
    expected = per_hour.mean() * 1440 + 1800
    assert per_hour.max() > per_hour.min()  # the hours differ, so the mean is not the peak
    assert np.all(mc.selfhost_usd_per_month() == pytest.approx(expected))


def test_the_api_bill_over_a_contract_is_the_month_by_month_average():
    # 1B tokens a month of GPT-5 cost $5,625 today; halving each year, the 12 months average
    # 5,625 x 8.908 / 12 = about $4,176 a month.
    s = Scenario(api_price_change_per_year=-0.5)
    mc = montecarlo.run(s, [1e9], draws=10, inputs=montecarlo.collapsed(s))
    average = sum(5625 * 0.5 ** (m / 12) for m in range(12)) / 12
    assert np.all(mc.api_usd_per_month("GPT-5") == pytest.approx(average))
    assert average == pytest.approx(4175.9, abs=0.1)


def test_a_crossing_is_the_breakeven_of_the_draw_at_that_rank():
    # Five draws of DevOps hours, the rest at the points: each draw breaks even at
    # (1,440 + 100 h + 300) / 5.625 per 1M. The level-q crossing is the ceil(5 q)-th smallest:
    # the 1st for 10%, the 3rd for 50%, the 5th for 90% (no interpolation between draws).
    s = Scenario()
    mc = montecarlo.run(s, [1e9], draws=5, inputs=fixed_points(s, devops_hours_per_month=Uniform(10, 20)))
    hours = np.sort(mc.draws["devops_hours_per_month"])
    for level, rank in ((0.1, 1), (0.5, 3), (0.9, 5)):
        assert mc.crossing_tokens_per_month("GPT-5", level) == pytest.approx(
            (1740 + 100 * hours[rank - 1]) / GPT5 * 1e6, rel=1e-12)


def test_commitments_count_the_spare_replica():
    # One spare A100 always rented: 2 x 1,440 + 1,800 = $4,680 a month, $56,160 over 12 months,
    # and the breakeven against GPT-5 is 4,680 / 5.625 per 1M = 832M tokens a month.
    row = montecarlo.commitment_table(Scenario(spare_replicas=1)).set_index(["pricing", "api_model"]) \
        .loc[("on_demand", "GPT-5")]
    assert row["selfhost_usd_over_term"] == pytest.approx(4680 * 12)
    assert row["commitment_breakeven_tokens_per_month"] == pytest.approx(4680 / GPT5 * 1e6)
