"""helpers.costs.breakeven against the article's breakeven figures, recomputed from CSV rows."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.costs import api, breakeven, selfhost, tco
from helpers import data
from tests.conftest import within_print

SUMMARY = ["GPT-5", "Claude Sonnet 4.5", "DeepSeek V3.2", "Gemini 2.5 Flash"]


def _blended(prices, model):
    row = prices.loc[model]
    return api.blended_usd_per_1m(row["usd_per_1m_input"], row["usd_per_1m_output"])


def _tco_usd():
    gpu = selfhost.gpu_usd_per_month(
        float(data.row(data.load("gpu_cloud"), "gpu", "NVIDIA A100 80GB")["usd_per_hour"]))
    return tco.tco_components(gpu, data.hidden_cost("devops_hours_per_month"),
                              data.hidden_cost("devops_usd_per_hour"),
                              data.hidden_cost("infrastructure_usd_per_month"))["true_monthly_cost"]


def test_gpt5_breakeven_is_about_256m_tokens_per_month(prices, a100_usd_per_hour):
    """The headline: $1,440 / $5.625 per 1M = 256M tokens a month, from the CSV rows."""
    gpu = selfhost.gpu_usd_per_month(a100_usd_per_hour)
    assert breakeven.breakeven_tokens_per_month(gpu, _blended(prices, "GPT-5")) == pytest.approx(256e6)


@pytest.mark.parametrize("model", SUMMARY)
def test_breakeven_summary_matches_article(model, prices, printed, a100_usd_per_hour):
    gpu = selfhost.gpu_usd_per_month(a100_usd_per_hour)
    blended = _blended(prices, model)
    per_month = breakeven.breakeven_tokens_per_month(gpu, blended)
    per_day = breakeven.breakeven_tokens_per_day(gpu, blended)
    assert within_print(per_month, printed.loc[f"be.{model}.tokens_per_month"])
    assert within_print(per_day, printed.loc[f"be.{model}.tokens_per_day"])


@pytest.mark.parametrize("figure_id", ["tco_be.GPT-5.tokens_per_month", "tco_be.GPT-5.tokens_per_day",
                                       "tco_be.DeepSeek V3.2.tokens_per_month"])
def test_breakeven_with_hidden_costs_matches_article(figure_id, prices, printed):
    model, quantity = figure_id.split(".", 1)[1].rsplit(".", 1)
    fn = breakeven.breakeven_tokens_per_month if quantity == "tokens_per_month" else breakeven.breakeven_tokens_per_day
    assert within_print(fn(_tco_usd(), _blended(prices, model)), printed.loc[figure_id])


def test_deepseek_breakeven_with_hidden_costs_exceeds_one_a100(prices):
    setup = data.row(data.load("selfhost_setups"), "setup", "article_a100_llama70b")
    capacity = selfhost.tokens_per_month_capacity(setup["tokens_per_s_conservative"])
    assert breakeven.breakeven_tokens_per_month(_tco_usd(), _blended(prices, "DeepSeek V3.2")) > capacity
    assert breakeven.breakeven_tokens_per_month(_tco_usd(), _blended(prices, "GPT-5")) < capacity


def test_free_api_never_breaks_even():
    assert math.isinf(breakeven.breakeven_tokens_per_month(1440, 0.0))


@pytest.mark.parametrize("volume", [1_000_000, 10_000_000, 50_000_000, 100_000_000, 256_000_000,
                                    500_000_000, 1_000_000_000, 3_900_000_000])
def test_gpt5_table_winner_and_ratio(volume, prices, printed, a100_usd_per_hour):
    api_usd = api.api_usd_per_month(volume, _blended(prices, "GPT-5"))
    winner, ratio = breakeven.winner(api_usd, selfhost.gpu_usd_per_month(a100_usd_per_hour))
    figure = printed.loc[f"vol.GPT-5.{volume}.ratio"]
    assert winner == figure["label"]
    assert within_print(ratio, figure)


@pytest.mark.parametrize("volume", [100_000_000, 500_000_000, 1_000_000_000, 2_100_000_000, 3_900_000_000])
def test_deepseek_table_winner(volume, prices, printed, a100_usd_per_hour):
    api_usd = api.api_usd_per_month(volume, _blended(prices, "DeepSeek V3.2"))
    winner, ratio = breakeven.winner(api_usd, selfhost.gpu_usd_per_month(a100_usd_per_hour))
    figure = printed.loc[f"vol.DeepSeek V3.2.{volume}.ratio"]
    assert winner == figure["label"]
    # The article prints 1.85x for 2,671.50 / 1,440 = 1.855: truncated, within one unit.
    assert abs(ratio - figure["value"]) <= figure["resolution"]


def test_winner_by_hand():
    assert breakeven.winner(100, 1440) == ("API", pytest.approx(14.4))
    assert breakeven.winner(2880, 1440) == ("Self-host", pytest.approx(2.0))
    assert breakeven.winner(1438.5, 1440)[0] == "Breakeven"
    assert breakeven.winner(1438.5, 1440, tolerance=0.0)[0] == "API"
    with pytest.raises(ValueError):
        breakeven.winner(-1, 1)


# ------------------------------------------------------------------ with capacity steps

def test_stepped_breakeven_equals_flat_one_within_one_gpu():
    # GPT-5 against the article's set-up: 1,440 / 5.625 * 1e6 = 256M, inside 3.888B capacity
    assert breakeven.stepped_breakeven_tokens_per_month(5.625, 1440, 3.888e9) == pytest.approx(256e6)


def test_stepped_breakeven_is_infinite_when_a_full_gpu_earns_less_than_it_costs():
    # Gemini 2.5 Flash: 2.6B tokens * $0.375/1M = $975 < $1,440 at any number of GPUs
    assert breakeven.stepped_breakeven_tokens_per_month(0.375, 1440, 2.6e9) == math.inf


def test_stepped_breakeven_with_fixed_costs_by_hand():
    # DeepSeek V3.2 ($0.685) with $1,800 of fixed cost and 2.69B tokens per $1,440 GPU:
    # margin per GPU = 2.69e9 * 0.685 / 1e6 - 1440 = 402.65; k = ceil(1800 / 402.65) = 5
    v = breakeven.stepped_breakeven_tokens_per_month(0.685, 1440, 2.69e9, 1800)
    assert v == pytest.approx((1800 + 5 * 1440) / 0.685 * 1e6)
    assert 4 * 2.69e9 < v <= 5 * 2.69e9


def test_stepped_breakeven_is_elementwise():
    got = breakeven.stepped_breakeven_tokens_per_month(np.array([5.625, 0.375]), 1440, np.array([3.888e9, 2.6e9]))
    assert got[0] == pytest.approx(256e6) and got[1] == math.inf


def test_replicas_by_hand():
    # 6B tokens a month at 3.888B per A100: two; exactly one A100's capacity: one; nothing: one
    assert selfhost.replicas_needed(6e9, 3.888e9) == 2
    assert selfhost.replicas_needed(3.888e9, 3.888e9) == 1
    assert selfhost.replicas_needed(0, 3.888e9) == 1
    assert selfhost.replicas_needed(1e9, 0) == math.inf


@settings(max_examples=60, deadline=None)
@given(price=st.floats(0.05, 20), gpu=st.floats(100, 5000), cap=st.floats(1e8, 1e10), fixed=st.floats(0, 5000))
def test_api_bill_meets_stepped_bill_at_the_breakeven(price, gpu, cap, fixed):
    v = breakeven.stepped_breakeven_tokens_per_month(price, gpu, cap, fixed)
    if math.isinf(v):
        assert cap * price / 1e6 <= gpu
        return

    def stepped_bill(volume):
        return fixed + selfhost.replicas_needed(volume, cap) * gpu

    assert v * price / 1e6 == pytest.approx(stepped_bill(v), rel=1e-9)
    below = v * (1 - 1e-6)
    assert below * price / 1e6 < stepped_bill(below)


def test_stepped_breakeven_under_a_load_profile_by_hand():
    """Two hours, loads 1 and 3 (0.5 and 1.5 of the mean); a replica serves 1B tokens a month at
    the mean load for $1,000; $4,000 fixed; the API at $5 per 1M.
    Scheduled: up to 666.7M (1.5 V <= 1B) each hour bills one replica, and the API meets
    $5,000 only at 1B, past that stretch; from 666.7M to 1.33B the busy hour bills two, a mean
    of 1.5: $5,500, met at 1.1B, inside: the breakeven. Always on: two replicas from 666.7M,
    $6,000, met at 1.2B. At $0.50 per 1M a full replica earns $500 < $1,000: never."""
    from helpers.capacity import traffic  # noqa: PLC0415 - the profile's breakeven lives beside the traffic model

    profile = [1.0, 3.0]
    scheduled = traffic.stepped_breakeven_tokens_per_month(np.array([5.0, 0.5]), 1000.0, 1e9, profile, "scheduled", 4000.0)
    assert scheduled[0] == pytest.approx(1.1e9) and math.isinf(scheduled[1])
    assert traffic.stepped_breakeven_tokens_per_month(5.0, 1000.0, 1e9, profile, "always_on", 4000.0) == pytest.approx(1.2e9)
    # One spare replica, scheduled: each hour bills one more, $1,000 more a month: stretch one
    # ($6,000 at 1.2B) is past 666.7M; stretch two, a mean of 2.5: $6,500 at 1.3B, inside.
    assert traffic.stepped_breakeven_tokens_per_month(5.0, 1000.0, 1e9, profile, "scheduled", 4000.0,
                                                      spare_replicas=1) == pytest.approx(1.3e9)
