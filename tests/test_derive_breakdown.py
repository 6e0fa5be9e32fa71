"""helpers.derive.breakdown and helpers.derive.hardware: what the article's tables and notebooks
02 and 06 read off a Result, against figures worked by hand from the CSV rows (the article's
A100 at $2.00/h, 1,500 tokens/s, DevOps 10 h x $150 and $300 of infrastructure)."""
import pytest

from helpers.derive import breakdown, derive
from helpers.derive.hardware import DOES_NOT_FIT, best_precision, max_bits_per_weight, weights_fit, weights_vram_gb
from helpers.scenario import Scenario


@pytest.fixture(scope="module")
def article():
    return derive(Scenario())


def test_the_total_cost_adjustment_table(article):
    # GPU, DevOps (10 h x $150), infrastructure, total: the article's $3,240.
    assert list(breakdown.tco_components(article).values()) == pytest.approx([1440, 1500, 300, 3240])
    assert breakdown.tco_multiplier(article) == pytest.approx(3240 / 1440)


def test_unit_prices_of_one_deployment(article):
    assert breakdown.replica_usd_per_hour(article) == pytest.approx(2.00)
    assert breakdown.usd_per_1m_at_full_load(article) == pytest.approx(1440 / 3.888e9 * 1e6)
    assert breakdown.replica_tokens_per_s(derive(Scenario(gpu_count=2))) == pytest.approx(3000)
    assert breakdown.replica_usd_per_hour(derive(Scenario(spot_discount=0.5))) == pytest.approx(1.00)


def test_the_volume_a_monthly_api_bill_stands_for():
    # $1,687.50 a month at GPT-5's 5.625 per 1M is 300M tokens a month, 10M a day.
    assert breakdown.tokens_per_day_for_api_bill(1687.5, 5.625, 30) == pytest.approx(1e7)


def test_utilisation_and_price_per_million_follow_the_replicas():
    # 5B tokens a month needs ceil(5 / 3.888) = 2 A100s: 5B / 7.776B busy, 2 x 1,440 / 5,000 per 1M.
    r = derive(Scenario(), tokens_per_month=[5e9])
    assert breakdown.utilisation_share(r) == pytest.approx(5e9 / 7.776e9)
    assert breakdown.gpu_usd_per_1m(r) == pytest.approx(2880 / 5000)


def test_flat_traffic_plans_bill_the_same_replicas_as_derive():
    # Flat traffic: every hour needs the same replicas, so always on and scheduled both bill
    # ceil(6B / 3.888B) = 2 A100s all month, as derive does.
    r = derive(Scenario(tokens_per_day=2e8))
    plans = breakdown.traffic_plans(r, "flat")
    assert plans["always_on"]["usd_per_month"] == pytest.approx(2 * 1440)
    assert plans["scheduled"]["usd_per_month"] == pytest.approx(2 * 1440)
    by_hour = breakdown.hybrid_by_hour(r, "flat")
    assert by_hour["cheapest"].sum() == 1


def test_weights_and_what_fits():
    assert weights_vram_gb(70, 4) == pytest.approx(35)
    assert max_bits_per_weight(24, 70) == pytest.approx(24 * 8 / 70)
    assert weights_fit(70, 8, 80) and not weights_fit(70, 16, 80)
    assert best_precision(70, 80) == "8-bit"
    assert best_precision(7, 24) == "fp16"
    assert best_precision(70, 24) == DOES_NOT_FIT
