"""helpers.derive: the one derivation, against figures worked out by hand from the CSV rows
(A100 80GB at $2.00/h, 1,500 tokens/s, DevOps 15 h x $100 + $300 infrastructure; GPT-5 at
$1.25 / $10.00, DeepSeek V3.2 at $0.27 / $1.10 per 1M tokens)."""
import dataclasses

import numpy as np
import pytest

from helpers import data
from helpers.derive import compare, derive, what_if_row
from helpers.scenario import Scenario

A100_USD_PER_MONTH = 2.00 * 720            # 1,440
A100_TOKENS_PER_MONTH = 1500 * 3600 * 720  # 3.888e9
HIDDEN_USD_PER_MONTH = 15 * 100 + 300      # 1,800
GPT5_BLENDED = (1.25 + 10.00) / 2          # 5.625
DEEPSEEK_BLENDED = (0.27 + 1.10) / 2       # 0.685


def test_the_inputs_worked_by_hand_are_the_csv_rows():
    gpu = data.row(data.load("gpu_cloud"), "gpu", "NVIDIA A100 80GB")
    prices = data.load("api_prices").set_index("model")
    assert gpu["usd_per_hour"] == 2.00
    assert (prices.loc["GPT-5", "usd_per_1m_input"], prices.loc["GPT-5", "usd_per_1m_output"]) == (1.25, 10.00)
    assert (prices.loc["DeepSeek V3.2", "usd_per_1m_input"], prices.loc["DeepSeek V3.2", "usd_per_1m_output"]) == (0.27, 1.10)


def test_the_articles_scenario():
    r = derive(Scenario())
    assert r.at("replica_usd_per_month") == pytest.approx(A100_USD_PER_MONTH)
    assert r.at("replica_tokens_per_month") == pytest.approx(A100_TOKENS_PER_MONTH)
    assert r.at("hidden_usd_per_month") == pytest.approx(HIDDEN_USD_PER_MONTH)
    assert r.at("tco_usd_per_month") == pytest.approx(3240)
    assert r.at("tokens_per_month") == 300_000_000 and r.at("replicas") == 1
    assert r.blended_usd_per_1m["GPT-5"] == pytest.approx(GPT5_BLENDED)
    # the article's ~256M and ~576M tokens a month against GPT-5
    assert r.breakeven_tokens_per_month["GPT-5"] == pytest.approx(1440 / GPT5_BLENDED * 1e6)
    assert r.tco_breakeven_tokens_per_month["GPT-5"] == pytest.approx(3240 / GPT5_BLENDED * 1e6)
    assert r.at("api_usd_per_month", "GPT-5") == pytest.approx(300 * GPT5_BLENDED)


def test_stepped_breakeven_counts_the_second_gpu():
    r = derive(Scenario())
    # DeepSeek: 3,240 / 0.685 * 1e6 = 4.73B > one A100's 3.888B. With k A100s the bill is
    # 1,800 + 1,440k; the API reaches it within k A100s' capacity when
    # 3.888e9 * 0.685 / 1e6 * k = 2,663.28k >= 1,800 + 1,440k, i.e. k >= 1.47: two A100s,
    # at (1,800 + 2,880) / 0.685 * 1e6 = 6.83B tokens a month.
    assert r.stepped_tco_breakeven_tokens_per_month["DeepSeek V3.2"] == pytest.approx(4680 / 0.685 * 1e6)
    # Gemini 2.5 Flash ($0.15 / $0.60: 0.375): one full A100 earns 1,458 a month at API prices
    # against its 1,440, a margin of 18: it takes ceil(1,800 / 18) = 100 A100s to cover the
    # fixed costs, at (1,800 + 144,000) / 0.375 * 1e6 = 388.8B tokens a month.
    assert r.stepped_tco_breakeven_tokens_per_month["Gemini 2.5 Flash"] == pytest.approx(145_800 / 0.375 * 1e6)
    # GPT-5 crosses within the first A100: the stepped and the flat figures agree.
    assert r.stepped_tco_breakeven_tokens_per_month["GPT-5"] == pytest.approx(3240 / GPT5_BLENDED * 1e6)


def test_a_volume_beyond_one_gpu_rents_two_at_spot():
    s = Scenario.load("params/scale-200m-per-day-spot.yaml")
    r = derive(s)
    assert s.tokens_per_day == 200_000_000 and s.spot_discount == 0.5
    assert r.at("replicas") == 2  # 6B tokens a month > 3.888B
    assert r.at("gpu_usd_per_month") == pytest.approx(2 * A100_USD_PER_MONTH * 0.5)
    assert r.at("tco_usd_per_month") == pytest.approx(1440 + HIDDEN_USD_PER_MONTH)
    row = what_if_row(r)
    assert row["replicas"] == 2 and row["winner"] == "Self-host"
    assert row["api_usd_per_month"] == pytest.approx(6000 * GPT5_BLENDED)
    assert r.breakeven_tokens_per_month["GPT-5"] == pytest.approx(720 / GPT5_BLENDED * 1e6)  # 128M


def test_every_self_hosting_input_moves_the_bill_as_worked_by_hand():
    s = dataclasses.replace(Scenario(), hours_per_month=500, spot_discount=0.3, gpu_count=2,
                            input_share=0.8, devops_hours_per_month=10, devops_usd_per_hour=150,
                            infrastructure_usd_per_month=200, tokens_per_day=100_000_000)
    r = derive(s)
    replica = 2.00 * 500 * 2 * 0.7                 # 1,400
    capacity = 1500 * 3600 * 500 * 2               # 5.4e9
    blended = 0.8 * 1.25 + 0.2 * 10.00             # 3.0
    assert r.at("replica_usd_per_month") == pytest.approx(replica)
    assert r.at("replica_tokens_per_month") == pytest.approx(capacity)
    assert r.at("tco_usd_per_month") == pytest.approx(replica + 10 * 150 + 200)
    assert r.blended_usd_per_1m["GPT-5"] == pytest.approx(blended)
    assert r.breakeven_tokens_per_month["GPT-5"] == pytest.approx(replica / blended * 1e6)


def test_price_override_applies_to_the_headline_api_only():
    r = derive(dataclasses.replace(Scenario(), usd_per_1m_input=2.0, usd_per_1m_output=4.0))
    assert r.blended_usd_per_1m["GPT-5"] == pytest.approx(3.0)
    assert r.blended_usd_per_1m["DeepSeek V3.2"] == pytest.approx(DEEPSEEK_BLENDED)


def test_vectorised_over_ten_thousand_volumes_matches_one_at_a_time():
    volumes = np.logspace(6, 11, 10_000)
    r = derive(Scenario(), tokens_per_month=volumes)
    assert r.tco_usd_per_month.shape == (10_000,)
    for i in (0, 4_321, 9_999):
        one = derive(Scenario(), tokens_per_month=volumes[i])
        assert one.at("tco_usd_per_month") == r.tco_usd_per_month[i]
        assert one.at("api_usd_per_month", "DeepSeek V3.2") == r.api_usd_per_month["DeepSeek V3.2"][i]
    assert set(np.unique(r.replicas)) == set(range(1, int(np.ceil(1e11 / A100_TOKENS_PER_MONTH)) + 1))


def test_draws_collapsed_to_the_point_reproduce_the_deterministic_figures():
    volumes = np.array([1e8, 5e8, 5e9])
    point = derive(Scenario(), tokens_per_month=volumes)
    drawn = derive(Scenario(), tokens_per_month=volumes,
                   draws={"tokens_per_s": np.full(3, 1500.0), "devops_usd_per_hour": np.full(3, 100.0)})
    assert drawn.tco_usd_per_month.shape == (3, 3)
    np.testing.assert_array_equal(drawn.tco_usd_per_month, np.broadcast_to(point.tco_usd_per_month, (3, 3)))
    np.testing.assert_array_equal(drawn.winner["GPT-5"][1], point.winner["GPT-5"])


def test_an_undrawable_input_is_named():
    with pytest.raises(ValueError, match="cannot draw gpu"):
        derive(Scenario(), draws={"gpu": np.ones(2)})


# The tie band: bills within 1% of each other are "Breakeven", 2% apart name the cheaper side.
# In the article's scenario one A100 serves up to 3.888B tokens a month, so below that the
# self-hosting bill with hidden costs is 1,440 + 1,800 = 3,240 at every volume, and GPT-5's
# bill is volume / 1e6 * 5.625: the volume at which the API bill is `ratio` x 3,240 is
# 3,240 * ratio / 5.625 * 1e6 (ratio 1.009: 581.184M; 1.02: 587.52M; 1/1.02: 564.71M).
TCO_ONE_A100 = A100_USD_PER_MONTH + HIDDEN_USD_PER_MONTH
TIE_CASES = [  # API bill / self-hosting bill, the winner worked out by hand
    (1.009, "Breakeven"), (1 / 1.009, "Breakeven"), (1.02, "Self-host"), (1 / 1.02, "API"),
    (1.5, "Self-host"), (1 / 1.5, "API"),
]


def _volume_at_ratio(ratio: float) -> float:
    return TCO_ONE_A100 * ratio / GPT5_BLENDED * 1e6


@pytest.mark.parametrize("ratio, expected", TIE_CASES)
def test_the_tie_band_through_derive_at_one_volume(ratio, expected):
    volume = _volume_at_ratio(ratio)
    r = derive(Scenario(tokens_per_day=volume / 30))
    assert r.at("tokens_per_month") == pytest.approx(volume)
    assert r.at("replicas") == 1 and r.at("tco_usd_per_month") == pytest.approx(TCO_ONE_A100)
    assert r.at("api_usd_per_month", "GPT-5") == pytest.approx(TCO_ONE_A100 * ratio)
    assert what_if_row(r)["winner"] == expected
    assert r.at("cost_ratio", "GPT-5") == pytest.approx(max(ratio, 1 / ratio))


def test_the_tie_band_through_derive_over_an_array_of_volumes():
    volumes = np.array([_volume_at_ratio(ratio) for ratio, _ in TIE_CASES])
    r = derive(Scenario(), tokens_per_month=volumes)
    assert r.winner["GPT-5"].tolist() == [expected for _, expected in TIE_CASES]


def test_the_tie_band_through_derive_with_draws():
    # two draws of the DevOps rate: $100 (the point) and $50 (hidden costs 15 h x $50 + $300
    # = 1,050, so self-hosting costs 1,440 + 1,050 = 2,490)
    volumes = np.array([_volume_at_ratio(1.009), _volume_at_ratio(1.02)])
    r = derive(Scenario(), tokens_per_month=volumes, draws={"devops_usd_per_hour": np.array([100.0, 50.0])})
    assert r.tco_usd_per_month == pytest.approx(np.array([[3240, 3240], [2490, 2490]]))
    # at $50 the API bills 3,269.16 and 3,304.8 against 2,490: self-hosting by far
    assert r.winner["GPT-5"].tolist() == [["Breakeven", "Self-host"], ["Self-host", "Self-host"]]


@pytest.mark.parametrize("api_usd, selfhost_usd, expected", [
    (1009.0, 1000.0, "Breakeven"), (1000.0, 1009.0, "Breakeven"), (1000.0, 1000.0, "Breakeven"),
    (1020.0, 1000.0, "Self-host"), (1000.0, 1020.0, "API"), (0.0, 0.0, "Breakeven"), (0.0, 5.0, "API"),
])
def test_the_tie_band_through_compare(api_usd, selfhost_usd, expected):
    winner, ratio = compare(api_usd, selfhost_usd)
    assert str(winner) == expected
    dearer, cheaper = max(api_usd, selfhost_usd), min(api_usd, selfhost_usd)
    assert float(ratio) == (pytest.approx(dearer / cheaper) if cheaper else (1.0 if dearer == 0 else np.inf))


def test_compare_works_elementwise_with_the_same_band():
    winner, _ = compare(np.array([1009.0, 1020.0, 1000.0, 1000.0]), np.array([1000.0, 1000.0, 1009.0, 1020.0]))
    assert winner.tolist() == ["Breakeven", "Self-host", "Breakeven", "API"]
    # an explicit tolerance of 0 leaves no tie but an exact one
    assert compare(1009.0, 1000.0, tolerance=0.0)[0] == "Self-host"


def test_a_stepped_breakeven_at_another_price_follows_the_results_traffic():
    """At the API's own blended price it is the Result's stepped breakeven with hidden costs,
    under flat traffic and under a shaped one with a spare replica; a dearer API breaks even sooner."""
    for s in (Scenario(), Scenario(load_profile="business_hours", scaling="scheduled", spare_replicas=1)):
        r = derive(s)
        assert r.stepped_tco_breakeven_at(r.blended_usd_per_1m["GPT-5"]) == \
            r.stepped_tco_breakeven_tokens_per_month["GPT-5"]
        assert r.stepped_tco_breakeven_at(2 * r.blended_usd_per_1m["GPT-5"]) < \
            r.stepped_tco_breakeven_tokens_per_month["GPT-5"]
