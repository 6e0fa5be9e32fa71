"""helpers.derive.hybrid: the one hybrid derivation, read by the article's hybrid table and the
what-if panel, against figures worked by hand from the CSV rows."""
import dataclasses

import pytest

from helpers import data
from helpers.article import hybrid_decision
from helpers.derive import derive
from helpers.derive.hybrid import ON_DEPLOYMENT, hybrid, hybrid_options, priced_for_hybrid
from helpers.scenario import Scenario
from helpers.show import whatif


def _gpt5_blended(prices):
    row = prices.loc["GPT-5"]
    return (row["usd_per_1m_input"] + row["usd_per_1m_output"]) / 2  # the article's 50/50


def test_the_hybrid_on_the_deployment_counts_replicas_and_hidden_costs(prices, a100_usd_per_hour):
    # 10B tokens/month, 10% to GPT-5: 1B tokens at 5.625 = $5,625. The other 9B need
    # ceil(9B / 3.888B) = 3 A100s (1,500 tokens/s * 3,600 * 720), 3 * $1,440 = $4,320, and the
    # article's DevOps and infrastructure ($1,500 + $300) once.
    s = Scenario(hybrid_monthly_tokens=10_000_000_000)
    mixed = hybrid(priced_for_hybrid(s))
    assert mixed.api_usd_per_month == pytest.approx(1e9 / 1e6 * _gpt5_blended(prices))
    assert mixed.simple_tasks_usd_per_month == pytest.approx(3 * a100_usd_per_hour * 720)
    assert mixed.total_with_hidden_usd_per_month == pytest.approx(5625 + 4320 + 1800)
    assert mixed.share_of_all_api == pytest.approx((5625 + 4320) / 56250)


def test_the_panel_and_the_table_price_the_same_hybrid():
    """The panel splits its own volume; a scenario whose hybrid volume is that volume gets the
    same figure in the article's hybrid table, on the row of the scenario's deployment."""
    s = Scenario(tokens_per_day=50_000_000, hybrid_api_share=0.3)
    panel = whatif.evaluate(s)
    table = hybrid_decision.hybrid_table(derive(dataclasses.replace(s, hybrid_monthly_tokens=1.5e9)))
    row = table.set_index("option").loc[ON_DEPLOYMENT]
    # 1.5B tokens: 450M to GPT-5 ($2,531.25) + 1.05B on one A100 ($1,440) + $1,800 hidden.
    assert panel["hybrid_usd_per_month"] == pytest.approx(2531.25 + 1440 + 1800)
    assert row["total_with_hidden_usd_per_month"] == pytest.approx(panel["hybrid_usd_per_month"])


def test_the_options_keep_the_articles_example(prices):
    options = {(o.option, o.simple_tasks_on): o for o in hybrid_options(derive(Scenario()))}
    l4_per_hour = float(data.row(data.load("gpu_cloud"), "gpu", "NVIDIA L4")["usd_per_hour"])
    l4 = options[("hybrid, rented GPU 24/7", "NVIDIA L4")]
    assert l4.api_usd_per_month == pytest.approx(10 * _gpt5_blended(prices))  # 10M of 100M: $56.25
    assert l4.simple_tasks_usd_per_month == pytest.approx(l4_per_hour * 720)
    assert l4.hidden_usd_per_month == pytest.approx(1800)
    cheap = options[("API only, simple tasks to a cheap API", "GPT-4.1 Nano")]
    nano = prices.loc["GPT-4.1 Nano"]
    assert cheap.simple_tasks_usd_per_month == pytest.approx(90 * (nano["usd_per_1m_input"] + nano["usd_per_1m_output"]) / 2)
    assert cheap.hidden_usd_per_month == 0 and cheap.small_model_fits is None


def test_the_hybrid_refuses_a_result_priced_at_other_volumes():
    with pytest.raises(ValueError, match="priced_for_hybrid"):
        hybrid(derive(Scenario()))
