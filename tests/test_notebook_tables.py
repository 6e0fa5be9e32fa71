"""The table builders added for notebooks 01-05 (helpers/article/tables.py), checked against
the article's printed figures, and bad input in data/decision_cases.csv."""
import csv
import dataclasses

import pytest

from helpers import article, data, paths
from helpers.costs import decision
from helpers.article import hybrid_decision, tables
from helpers.derive import derive, throughput
from helpers.scenario import Scenario



def within_print(recomputed, figure):
    """True when the recomputed figure rounds to the printed one (half a unit of its last digit)."""
    return abs(recomputed - figure["value"]) <= figure["resolution"] / 2 + 1e-9 * abs(figure["value"])


@pytest.fixture(scope="module")
def derived():
    return derive(Scenario())


def test_the_derived_article_scenario_reproduces_the_setup_and_tco(derived, printed):
    assert within_print(derived.replica_usd_per_month, printed.loc["setup.gpu.usd_per_month"])
    assert within_print(derived.replica_tco_usd_per_month, printed.loc["tco.total"])
    assert article.verdict(derived.replica_tokens_per_month, printed.loc["setup.capacity.tokens_per_month", "value"],
                           printed.loc["setup.capacity.tokens_per_month", "resolution"]) == article.HOLDS
    doubled = derive(dataclasses.replace(Scenario(), gpu_count=2))
    assert doubled.replica_tokens_per_month == 2 * derived.replica_tokens_per_month
    assert doubled.replica_tco_usd_per_month - derived.replica_tco_usd_per_month == \
        pytest.approx(derived.replica_usd_per_month)


def test_unknown_gpu_names_the_column():
    with pytest.raises(KeyError, match="gpu='NVIDIA A1000'"):
        derive(dataclasses.replace(Scenario(), gpu="NVIDIA A1000"))


def test_throughput_sources():
    assert throughput(Scenario()).tokens_per_s == 1500  # the set-up's conservative figure
    assert throughput(Scenario(throughput_source="model", tokens_per_s=900)).tokens_per_s == 900  # typed wins
    modelled = throughput(Scenario(throughput_source="model")).tokens_per_s
    # The capacity model puts one A100 well below the article's 1,500 tokens/s for 70B at 4 bits
    assert 0 < modelled < 1500
    # Two A100s (one rented unit of "2x A100 80GB") serve more than one
    assert throughput(Scenario(throughput_source="model", gpu="2x A100 80GB")).tokens_per_s > modelled
    # 70B does not fit a 24 GB L4 even at 4 bits: no capacity at all
    assert throughput(Scenario(throughput_source="model", gpu="NVIDIA L4")).tokens_per_s == 0


def test_api_costs_vs_article_puts_the_printed_column_at_a_tenth(printed):
    frame = tables.api_costs_vs_article(tables.api_costs(Scenario(tokens_per_day=10_000_000))).dropna(subset=["article_value"])
    # Each printed figure rounds the bill at a tenth of the volume: the ratio is a tenth within
    # the print's rounding (half a dollar on bills of $8 and up).
    for row in frame.itertuples():
        assert abs(row.article_value - row.usd_per_month / 10) <= 1, row.model
    implied = tables.round_significant(frame["article_implied_tokens_per_day"].median())
    assert implied == 1_000_000


def test_blended_prices_hold(printed):
    frame = tables.blended_prices(derive(Scenario(api_models=("GPT-5", "DeepSeek V3.2", "Gemini 2.5 Flash", "Claude Sonnet 4.5"))))
    assert list(frame["article_verdict"]) == [article.HOLDS] * 3 + [article.NOT_CHECKABLE]


def test_spot_range_is_40_to_60_percent_off():
    frame = tables.gpu_cloud_with_spot(Scenario()).set_index("gpu")
    a100 = frame.loc["NVIDIA A100 80GB"]
    assert a100["spot_usd_per_month_low"] == pytest.approx(a100["usd_per_month"] * (1 - 0.60))
    assert a100["spot_usd_per_month_high"] == pytest.approx(a100["usd_per_month"] * (1 - 0.40))


def test_what_fits_70b():
    fits = tables.what_fits().set_index("hardware")
    assert fits.loc["RTX 4090 24GB", "70B"] == "does not fit"  # 35 GB of 4-bit weights > 24 GB
    assert fits.loc["2x RTX 4090", "70B"] == "4-bit"
    assert fits.loc["NVIDIA A100 80GB", "70B"] == "8-bit"
    assert fits.loc["NVIDIA L4", "7B"] == "fp16"


def test_breakeven_volumes_all_covers_every_printed_table():
    frame = tables.breakeven_volumes_all(derive(Scenario()))
    assert set(frame["api_model"]) == {"GPT-5", "DeepSeek V3.2"}
    printed_rows = article.figures()
    assert len(frame) == (printed_rows["quantity"] == "api_usd_per_month").sum()
    assert (frame["winner_verdict"] == article.HOLDS).all()


def test_tco_range_point_is_the_articles_table(printed):
    frame = tables.tco_range(derive(Scenario())).set_index("case")
    assert frame.loc["point", "tco_usd_per_month"] == printed.loc["tco.total", "value"]
    assert frame.loc["point", "tco_multiplier"] == pytest.approx(
        printed.loc["tco.total", "value"] / printed.loc["tco.gpu", "value"])
    assert not frame.loc["point", "within_rule_of_thumb"]  # 2.25x > 2.0x
    assert frame.loc["low", "tco_multiplier"] < frame.loc["point", "tco_multiplier"] < frame.loc["high", "tco_multiplier"]


def test_hybrid_api_part_is_the_articles_56_dollars(derived, printed):
    frame = hybrid_decision.hybrid_table(derive(Scenario(hybrid_rented_gpus=("NVIDIA L4",), hybrid_bought_hardware=("RTX 4090 24GB",))))
    everything, split = frame.iloc[0], frame.iloc[1:]
    assert within_print(split["api_usd_per_month"].iloc[0], printed.loc["hybrid.api.usd_per_month"])
    assert everything["total_usd_per_month"] == pytest.approx(10 * split["api_usd_per_month"].iloc[0])
    l4 = frame[frame["simple_tasks_on"] == "NVIDIA L4"].iloc[0]
    assert l4["total_usd_per_month"] == pytest.approx(split["api_usd_per_month"].iloc[0] + 504)
    rtx = frame[frame["simple_tasks_on"] == "RTX 4090 24GB"]
    assert list(rtx["simple_tasks_usd_per_month"]) == pytest.approx([1600 / 36 + 30, 1600 / 36 + 80])
    assert frame["small_model_fits"].dropna().all()
    assert (frame["total_with_hidden_usd_per_month"] >= frame["total_usd_per_month"]).all()


def test_decision_cases_follow_the_framework(derived):
    cases = data.load("decision_cases")
    frame = hybrid_decision.decision_cases(derived, cases)
    for case, row in zip(cases.itertuples(), frame.itertuples()):
        expected = decision.decide(case.tokens_per_day, case.privacy_required, case.needs_flagship_quality,
                                   case.has_ml_expertise)
        assert (row.recommendation, row.step) == (expected.recommendation, expected.step)
    assert set(frame["step"]) == {1, 2, 3, 4}, "the example teams should exercise every step"
    big = frame.set_index("team").loc["Content moderation at scale with ML platform team"]
    # 15B tokens/month on 3.888B per A100 needs 4 GPUs.
    assert big["selfhost_gpu_count"] == 4
    assert big["selfhost_usd_per_month"] == 4 * derived.replica_usd_per_month


def test_decision_cases_bad_boolean_names_file_line_and_column(tmp_path):
    with open(paths.data_file("decision_cases"), newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2][rows[0].index("privacy_required")] = "yes"
    bad = tmp_path / "decision_cases.csv"
    with open(bad, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(data.DataValidationError) as caught:
        data.read_table(bad, "decision_cases")
    assert any(p.line == 3 and p.column == "privacy_required" for p in caught.value.problems), str(caught.value)
