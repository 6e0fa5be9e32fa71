"""Traffic that rises and falls (helpers/capacity/traffic.py) against examples worked by hand.

The hand example: four hours a month (hours_per_month=4, so each profile hour is one hour),
a mean of 1,000 tokens/s (14.4M tokens), replicas of 800 tokens/s at $2 an hour."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import data
from helpers.capacity import traffic

V = 1000 * 4 * 3600  # tokens in the four-hour month
RISING = [0.5, 0.5, 1.5, 1.5]  # demand 500, 500, 1,500, 1,500 tokens/s: 1, 1, 2, 2 replicas


def plan(profile=RISING, **kw):
    return traffic.traffic_plan(V, profile, 800, 2.0, hours_per_month=4, **kw)


def test_always_on_pays_the_peak_every_hour():
    p = plan()
    assert list(p["hours"]["replicas_needed"]) == [1, 1, 2, 2]
    assert list(p["hours"]["replicas_billed"]) == [2, 2, 2, 2]
    assert p["replica_hours_per_month"] == 8 and p["usd_per_month"] == 16
    assert p["utilisation_share"] == pytest.approx(4000 / (4 * 1600))  # 62.5%
    assert p["usd_per_1m"] == pytest.approx(16 / 14.4)


def test_scheduled_scaling_follows_the_hours():
    p = plan(scaling="scheduled")
    assert list(p["hours"]["replicas_billed"]) == [1, 1, 2, 2]
    assert p["usd_per_month"] == 12 and p["utilisation_share"] == pytest.approx(4000 / 4800)
    spare = plan(scaling="scheduled", spare_replicas=1)
    assert list(spare["hours"]["replicas_billed"]) == [2, 2, 3, 3] and spare["usd_per_month"] == 20
    floor = plan(scaling="scheduled", min_replicas=3)
    assert list(floor["hours"]["replicas_billed"]) == [3, 3, 3, 3]


def test_billing_granularity_pays_whole_blocks():
    zigzag = [0.5, 1.5, 0.5, 1.5]
    assert list(plan(zigzag, scaling="scheduled")["hours"]["replicas_billed"]) == [1, 2, 1, 2]
    assert list(plan(zigzag, scaling="scheduled", billing_hours=2)["hours"]["replicas_billed"]) == [2, 2, 2, 2]
    assert list(plan(zigzag, scaling="scheduled", billing_hours=3)["hours"]["replicas_billed"]) == [2, 2, 2, 2]


def test_a_profile_hour_stands_for_its_share_of_the_month():
    flat = traffic.traffic_plan(1e9, np.ones(24), 1e6, 2.0)  # one replica, 720 hours a month
    assert flat["replica_hours_per_month"] == 720 and flat["usd_per_month"] == 1440
    assert flat["utilisation_share"] == pytest.approx(1e9 / (720 * 3600) / 1e6)


def test_hybrid_sends_the_peak_to_the_api_by_hand():
    # k = 0: 14.4M tokens at $1/1M = $14.40. k = 1: $8 of GPU; 700 tokens/s for two hours
    # overflow = 5.04M tokens = $5.04; total $13.04. k = 2: $16 of GPU, nothing to the API.
    table = traffic.hybrid_plans(V, RISING, 800, 2.0, 1.0, hours_per_month=4)
    assert list(table["base_replicas"]) == [0, 1, 2]
    assert list(table["usd_per_month"]) == pytest.approx([14.4, 13.04, 16.0])
    assert list(table["api_tokens_per_month"]) == pytest.approx([14.4e6, 5.04e6, 0.0])
    assert table.loc[table["cheapest"], "base_replicas"].item() == 1


def test_profiles_in_data_have_mean_one_and_whole_days():
    names = set(data.load("load_profiles")["profile"])
    assert {"flat", "business_hours", "global_consumer"} <= names
    for name in names:
        load = traffic.load_profile(name)
        assert len(load) in (24, 168) and load.mean() == pytest.approx(1.0)
    assert np.all(traffic.load_profile("flat") == 1.0)
    business = traffic.load_profile("business_hours")
    assert business.max() / business.mean() > 2.5  # sized for the peak, idle nights and weekends
    with pytest.raises(KeyError, match="weekend"):
        traffic.load_profile("weekend")


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="scaling"):
        plan(scaling="sometimes")
    with pytest.raises(ValueError, match="replica_tokens_per_s"):
        traffic.replicas_needed([1.0], 0.0)
    with pytest.raises(ValueError, match="profile"):
        plan([0.0, 0.0])


@settings(max_examples=60, deadline=None)
@given(load=st.lists(st.floats(0.0, 5.0), min_size=24, max_size=24).filter(lambda x: sum(x) > 0.1),
       volume=st.floats(1e7, 1e11), capacity=st.floats(100, 1e5), spare=st.integers(0, 3),
       billing=st.integers(1, 6))
def test_scaling_by_the_hour_never_costs_more_and_nothing_is_over_used(load, volume, capacity, spare, billing):
    always = traffic.traffic_plan(volume, load, capacity, 2.0, spare_replicas=spare)
    hourly = traffic.traffic_plan(volume, load, capacity, 2.0, scaling="scheduled", spare_replicas=spare,
                                  billing_hours=billing)
    assert hourly["usd_per_month"] <= always["usd_per_month"] + 1e-9
    for plan in (always, hourly):
        hours = plan["hours"]
        assert (hours["replicas_billed"] * capacity >= hours["demand_tokens_per_s"] * (1 - 1e-9)).all()
        assert 0 < plan["utilisation_share"] <= 1 + 1e-9
    # the month-level count derive uses agrees with the hour-by-hour plan (hourly billing)
    _, mean = traffic.replicas_for_volumes(volume, capacity * 3600 * 720, load, "scheduled", spare_replicas=spare)
    if billing == 1:
        assert mean == pytest.approx(hourly["replica_hours_per_month"] / 720)
