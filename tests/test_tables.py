"""helpers.article.tables: each rebuilt article table and its verdicts."""
import pytest

from helpers import article
from helpers.article import tables
from helpers.derive import derive
from helpers.scenario import Scenario

SUMMARY = ["GPT-5", "Claude Sonnet 4.5", "DeepSeek V3.2", "Gemini 2.5 Flash"]


def test_api_costs_every_printed_monthly_bill_is_an_erratum():
    frame = tables.api_costs(Scenario(tokens_per_day=10_000_000))
    printed = frame[frame["article_value"].notna()]
    assert len(printed) == 9  # four flagship and five budget rows
    assert set(printed["article_verdict"]) == {article.ERRATUM}
    # ... and each is within 10% of a tenth of the recomputed bill (the 1M tokens/day bill)
    assert ((printed["usd_per_month"] / 10 - printed["article_value"]).abs() <= 0.1 * printed["article_value"]).all()
    assert {"model", "provider", "tier", "usd_per_1m_input", "usd_per_1m_output",
            "blended_usd_per_1m", "usd_per_month"} <= set(frame.columns)


def test_api_costs_at_one_million_per_day_agree_with_the_article(printed):
    frame = tables.api_costs(Scenario(tokens_per_day=1_000_000))
    for row in frame[frame["article_value"].notna()].itertuples():
        figure = printed.loc[f"api.{row.model}.usd_per_month"]
        assert article.verdict(row.usd_per_month, figure["value"], figure["resolution"]) in (
            article.HOLDS, article.ROUNDING), row.model


@pytest.mark.parametrize("build", [
    lambda: tables.api_costs(Scenario(tokens_per_day=50_000_000))["article_verdict"],
    lambda: tables.api_costs(Scenario(input_share=0.3))["article_verdict"],
    lambda: tables.gpu_cloud(Scenario(spot_discount=0.5))["article_verdict"],
    lambda: tables.gpu_cloud(Scenario(hours_per_month=730))["article_verdict"],
    lambda: tables.breakeven_volumes(derive(Scenario(gpu_count=2)), "GPT-5")["article_api_verdict"],
    lambda: tables.breakeven_volumes(derive(Scenario(gpu_count=2)), "GPT-5")["winner_verdict"],
    lambda: tables.breakeven_summary(derive(Scenario(days_per_month=31)), SUMMARY)["article_day_verdict"],
    lambda: tables.breakeven_summary(derive(Scenario(infrastructure_usd_per_month=1060)), SUMMARY)["article_tco_month_verdict"].iloc[:1],
    lambda: tables.tco_components(derive(Scenario(devops_hours_per_month=20)))["article_verdict"],
])
def test_figures_of_another_scenario_are_not_judged_against_the_article(build):
    """A report at 50M tokens/day must not call the article's 10M/day figures errata."""
    verdicts = set(build())
    assert article.OTHER_SCENARIO in verdicts
    assert verdicts <= {article.OTHER_SCENARIO, article.NOT_CHECKABLE}  # nothing judged


def test_scenario_change_leaves_unaffected_columns_judged():
    # 31-day months change the per-day breakevens, not the per-month ones
    frame = tables.breakeven_summary(derive(Scenario(days_per_month=31)), SUMMARY)
    assert set(frame["article_month_verdict"]) == {article.HOLDS}


# The Cloud GPU Pricing table as the article printed it (on demand).
ARTICLE_CLOUD_ROWS = ("NVIDIA L4", "NVIDIA A10G", "NVIDIA A100 80GB", "NVIDIA H100 80GB", "2x A100 80GB",
                      "4x A100 80GB", "8x A100 80GB")


def test_gpu_cloud_all_rows_hold_and_spot_lowers_bills():
    frame = tables.gpu_cloud(Scenario())
    # The article's rows hold; the providers' rows added since have no printed figure to check.
    from_article = frame["gpu"].isin(ARTICLE_CLOUD_ROWS)
    assert from_article.sum() == len(ARTICLE_CLOUD_ROWS)
    assert set(frame.loc[from_article, "article_verdict"]) == {article.HOLDS}
    assert set(frame.loc[~from_article, "article_verdict"]) <= {article.NOT_CHECKABLE}
    spot = tables.gpu_cloud(Scenario(spot_discount=0.5))
    assert (spot["usd_per_month"] == frame["usd_per_month"] / 2).all()
    assert {"gpu", "vram_gb", "usd_per_hour", "usd_per_month"} <= set(frame.columns)


def test_vram_table_verdicts():
    frame = tables.vram_by_model_size().set_index("params_billion")
    assert (frame["fp16_verdict"] == article.HOLDS).all()
    assert frame.loc[13, "4bit_verdict"] == article.ERRATUM  # 6.5 GB printed as ~8 GB
    assert frame.loc[405, "4bit_verdict"] == article.ROUNDING  # 202.5 GB printed as ~200 GB
    assert frame.loc[70, "4bit_verdict"] == article.HOLDS


def test_consumer_hardware_fit_columns():
    frame = tables.consumer_hardware(70).set_index("hardware")
    assert not frame.loc["RTX 4090 24GB", "fits_70b_4bit"]
    assert frame.loc["2x RTX 4090", "fits_70b_4bit"]
    assert not frame.loc["Mac M4 Max 128GB", "fits_70b_fp16"]


def test_breakeven_volumes_long_form_contract_and_verdicts():
    frame = tables.breakeven_volumes(derive(Scenario()), "GPT-5")
    assert {"api_model", "monthly_tokens", "api_usd_per_month", "selfhost_usd_per_month",
            "winner", "cost_ratio"} <= set(frame.columns)
    assert frame["monthly_tokens"].dtype == "int64"
    assert (frame["winner_verdict"] == article.HOLDS).all()
    assert set(frame["article_api_verdict"]) == {article.HOLDS}


def test_breakeven_summary_reproduces_the_article():
    frame = tables.breakeven_summary(derive(Scenario()), SUMMARY).set_index("api_model")
    assert frame.loc["GPT-5", "breakeven_tokens_per_month"] == 256_000_000
    assert frame.loc["Claude Sonnet 4.5", "breakeven_tokens_per_month"] == 160_000_000
    assert frame.loc["GPT-5", "tco_breakeven_tokens_per_month"] == 576_000_000
    assert set(frame["article_month_verdict"]) == {article.HOLDS}
    assert set(frame["article_day_verdict"]) == {article.HOLDS}
    assert not frame.loc["DeepSeek V3.2", "tco_within_single_gpu_capacity"]
    assert frame.loc["Gemini 2.5 Flash", "within_single_gpu_capacity"]  # 3.84B < 3.888B, barely


def test_tco_table_holds():
    frame = tables.tco_components(derive(Scenario()))
    assert list(frame["usd_per_month"]) == [1440, 1500, 300, 3240]
    assert set(frame["article_verdict"]) == {article.HOLDS}


def test_setup_and_capacity():
    cap = tables.capacity(derive(Scenario())).set_index("throughput_case")
    assert cap.loc["conservative", "tokens_per_month"] == 1500 * 3600 * 720
    assert cap.loc["conservative", "article_verdict"] == article.HOLDS
    assert cap.loc["low", "tokens_per_month"] < cap.loc["high", "tokens_per_month"]


def test_judge_tests_the_article_at_another_workload():
    """The printed monthly column agrees with the bills at 1M tokens/day, when asked to judge."""
    frame = tables.api_costs(Scenario(tokens_per_day=1_000_000), judge=True).dropna(subset=["article_value"])
    assert set(frame["article_verdict"]) <= {article.HOLDS, article.ROUNDING}
    assert set(tables.api_costs(Scenario(tokens_per_day=1_000_000))["article_verdict"]) == {article.OTHER_SCENARIO, article.NOT_CHECKABLE}


