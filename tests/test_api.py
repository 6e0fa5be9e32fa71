"""helpers.costs.api against the article's printed blended rates and per-volume API bills."""
import pytest

from helpers.costs import api
from tests.conftest import within_print


@pytest.mark.parametrize("model", ["GPT-5", "DeepSeek V3.2", "Gemini 2.5 Flash"])
def test_blended_rate_matches_article(model, prices, printed):
    row = prices.loc[model]
    blended = api.blended_usd_per_1m(row["usd_per_1m_input"], row["usd_per_1m_output"])
    assert within_print(blended, printed.loc[f"blended.{model}"])


def test_blended_rate_by_hand():
    # GPT-5: ($1.25 + $10.00) / 2
    assert api.blended_usd_per_1m(1.25, 10.0) == pytest.approx(5.625)
    # 30% input: 0.3 * 1.25 + 0.7 * 10 = 7.375
    assert api.blended_usd_per_1m(1.25, 10.0, input_share=0.3) == pytest.approx(7.375)
    assert api.blended_usd_per_1m(1.25, 10.0, input_share=1.0) == pytest.approx(1.25)


@pytest.mark.parametrize("share", [-0.1, 1.01])
def test_input_share_outside_unit_interval_is_rejected(share):
    with pytest.raises(ValueError, match="input_share"):
        api.blended_usd_per_1m(1.0, 2.0, share)


def test_negative_prices_and_volumes_are_rejected():
    with pytest.raises(ValueError):
        api.blended_usd_per_1m(-1.0, 2.0)
    with pytest.raises(ValueError):
        api.api_usd_per_month(-5, 1.0)
    with pytest.raises(ValueError):
        api.tokens_per_month(-5)


@pytest.mark.parametrize("volume", [1_000_000, 10_000_000, 50_000_000, 100_000_000, 500_000_000,
                                    1_000_000_000, 3_900_000_000])
def test_gpt5_bill_per_volume_matches_article_table(volume, prices, printed):
    row = prices.loc["GPT-5"]
    bill = api.api_usd_per_month(volume, api.blended_usd_per_1m(row["usd_per_1m_input"], row["usd_per_1m_output"]))
    assert within_print(bill, printed.loc[f"vol.GPT-5.{volume}.api"])


@pytest.mark.parametrize("volume", [100_000_000, 500_000_000, 1_000_000_000, 3_900_000_000])
def test_deepseek_bill_per_volume_matches_article_table(volume, prices, printed):
    row = prices.loc["DeepSeek V3.2"]
    bill = api.api_usd_per_month(volume, api.blended_usd_per_1m(row["usd_per_1m_input"], row["usd_per_1m_output"]))
    assert within_print(bill, printed.loc[f"vol.DeepSeek V3.2.{volume}.api"])


def test_article_monthly_column_is_ten_times_too_small(prices, printed):
    """The Flagship/Budget tables' "Monthly Cost (10M tok/day)" is the bill at 1M tokens/day:
    GPT-5 at 10M/day, 30 days, 50/50 is 300M * $5.625/1M = $1,687.50, not ~$168."""
    row = prices.loc["GPT-5"]
    blended = api.blended_usd_per_1m(row["usd_per_1m_input"], row["usd_per_1m_output"])
    at_10m = api.api_usd_per_month_at_daily(10_000_000, blended)
    at_1m = api.api_usd_per_month_at_daily(1_000_000, blended)
    assert at_10m == pytest.approx(1687.5)
    figure = printed.loc["api.GPT-5.usd_per_month"]
    assert not within_print(at_10m, figure)
    # $168.75 at 1M tokens/day, printed (truncated) as ~$168: one unit of the last digit.
    assert abs(at_1m - figure["value"]) <= figure["resolution"]


def test_daily_and_monthly_volumes_convert_with_30_days():
    assert api.tokens_per_month(10_000_000) == 300_000_000
    assert api.tokens_per_day(256_000_000) == pytest.approx(8_533_333.33, rel=1e-6)
    assert api.tokens_per_month(1_000, days_per_month=31) == 31_000
