"""helpers.costs.hybrid against the article's e-commerce example."""
import pytest

from helpers.costs import api, hybrid
from tests.conftest import within_print


def test_article_example_api_part_is_about_56_usd(prices, printed):
    row = prices.loc["GPT-5"]
    blended = api.blended_usd_per_1m(row["usd_per_1m_input"], row["usd_per_1m_output"])
    result = hybrid.hybrid_usd_per_month(100_000_000, 0.10, blended, selfhost_usd_per_month=504)
    assert result["api_tokens_per_month"] == pytest.approx(10_000_000)
    assert within_print(result["api_usd_per_month"], printed.loc["hybrid.api.usd_per_month"])
    assert result["total_usd_per_month"] == pytest.approx(56.25 + 504)


def test_all_api_and_all_selfhost_ends():
    assert hybrid.hybrid_usd_per_month(1e8, 1.0, 5.625, 0)["total_usd_per_month"] == pytest.approx(562.5)
    assert hybrid.hybrid_usd_per_month(1e8, 0.0, 5.625, 504)["total_usd_per_month"] == pytest.approx(504)
    with pytest.raises(ValueError, match="api_share"):
        hybrid.hybrid_usd_per_month(1e8, 1.5, 5.625, 504)

