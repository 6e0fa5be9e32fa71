"""The serving inputs of the scenario (request shape, KV cache, engine limit, latency targets,
load profile, scaling, spare replicas) as helpers.derive uses them, against hand-worked bills
(A100 80GB at $2.00/h = $1,440 a month, 1,500 tokens/s = 3.888e9 tokens a month, GPT-5 at
$5.625 per 1M blended, DevOps + infrastructure $1,800)."""
import dataclasses
import math

import numpy as np
import pytest

from helpers import capacity
from helpers.capacity import traffic
from helpers.costs import breakeven
from helpers.derive import derive
from helpers.scenario import Scenario

A100_USD_PER_MONTH = 1440.0
A100_TOKENS_PER_MONTH = 1500 * 3600 * 720
GPT5 = 5.625
MODEL = dataclasses.replace(Scenario(), throughput_source="model", gpu="NVIDIA H100 80GB",
                            setup="article_a100_llama70b")


def test_the_articles_scenario_keeps_its_figures():
    s = Scenario()
    assert (s.ttft_s, s.tpot_s, s.load_profile, s.scaling, s.spare_replicas) == (None, None, "flat", "always_on", 0)
    r = derive(s, tokens_per_month=np.array([1e8, A100_TOKENS_PER_MONTH, A100_TOKENS_PER_MONTH * 2.5]))
    assert r.at("tokens_per_s") == 1500
    assert list(r.replicas) == list(r.mean_replicas) == [1, 1, 3]
    assert list(r.gpu_usd_per_month) == [1440, 1440, 3 * 1440]
    assert r.stepped_breakeven_tokens_per_month["GPT-5"] == pytest.approx(A100_USD_PER_MONTH / GPT5 * 1e6)


def test_flat_traffic_scaled_by_the_hour_is_the_same_bill():
    volumes = np.geomspace(1e6, 1e11, 50)
    flat = derive(Scenario(), tokens_per_month=volumes)
    hourly = derive(dataclasses.replace(Scenario(), scaling="scheduled"), tokens_per_month=volumes)
    assert np.array_equal(flat.gpu_usd_per_month, hourly.gpu_usd_per_month)
    assert flat.stepped_tco_breakeven_tokens_per_month == hourly.stepped_tco_breakeven_tokens_per_month


def test_a_spare_replica_by_hand():
    r = derive(dataclasses.replace(Scenario(), spare_replicas=1))
    assert r.at("replicas") == 2 and r.at("gpu_usd_per_month") == 2 * 1440
    # the spare is a fixed cost: (1,440 + 1,440) / $5.625 per 1M = 512M tokens a month
    assert r.stepped_breakeven_tokens_per_month["GPT-5"] == pytest.approx(2880 / GPT5 * 1e6)
    assert r.stepped_tco_breakeven_tokens_per_month["GPT-5"] == pytest.approx((2880 + 1800) / GPT5 * 1e6)


def test_business_hours_always_on_pays_for_the_peak():
    load = traffic.load_profile("business_hours")
    s = dataclasses.replace(Scenario(), load_profile="business_hours")
    r = derive(s, tokens_per_month=np.array([A100_TOKENS_PER_MONTH]))
    peak = math.ceil(load.max())  # the month's mean rate is one replica's capacity
    assert r.at("replicas") == peak == 3 and r.at("gpu_usd_per_month") == peak * 1440
    scheduled = derive(dataclasses.replace(s, scaling="scheduled"), tokens_per_month=np.array([A100_TOKENS_PER_MONTH]))
    by_hand = np.mean([max(1, math.ceil(x - 1e-9)) for x in load])
    assert scheduled.at("mean_replicas") == pytest.approx(by_hand)
    assert scheduled.at("gpu_usd_per_month") == pytest.approx(by_hand * 1440)
    assert scheduled.at("gpu_usd_per_month") < r.at("gpu_usd_per_month")


def test_stepped_breakeven_with_a_load_profile():
    # Always on: replicas of capacity / peak load. GPT-5's 256M needs one replica at any hour,
    # so it does not move; DeepSeek ($0.685) against $1,440 + $1,800 moves out.
    s = dataclasses.replace(Scenario(), load_profile="business_hours")
    r, flat = derive(s), derive(Scenario())
    assert r.stepped_breakeven_tokens_per_month["GPT-5"] == pytest.approx(256e6)
    peak = traffic.load_profile("business_hours").max()
    expected = breakeven.stepped_breakeven_tokens_per_month(0.685, 1440, A100_TOKENS_PER_MONTH / peak, 1800)
    assert r.stepped_tco_breakeven_tokens_per_month["DeepSeek V3.2"] == pytest.approx(expected)
    assert expected > flat.stepped_tco_breakeven_tokens_per_month["DeepSeek V3.2"]
    # Scheduled: at the breakeven the API bill equals the bill of the replicas billed then.
    sched = derive(dataclasses.replace(s, scaling="scheduled"))
    v = sched.stepped_tco_breakeven_tokens_per_month["DeepSeek V3.2"]
    _, mean = traffic.replicas_for_volumes(v, A100_TOKENS_PER_MONTH, traffic.load_profile("business_hours"),
                                           "scheduled")
    assert v * 0.685 / 1e6 == pytest.approx(1800 + 1440 * mean)
    assert v < r.stepped_tco_breakeven_tokens_per_month["DeepSeek V3.2"]


def test_latency_targets_set_the_modelled_throughput():
    free = derive(MODEL)
    chat = derive(dataclasses.replace(MODEL, ttft_s=2.0, tpot_s=0.05))
    point = capacity.slo_operating_point("NVIDIA H100 80GB", "Llama 3.3 70B", 1000, 1000, 4, 1, 2.0, 0.05)
    assert chat.at("tokens_per_s") == pytest.approx(point["total_tokens_per_s"])
    assert 0 < chat.at("tokens_per_s") < free.at("tokens_per_s")
    assert "time per output token within 0.05 s" in chat.throughput_note
    tighter = derive(dataclasses.replace(MODEL, ttft_s=2.0, tpot_s=0.03))
    assert tighter.at("tokens_per_s") <= chat.at("tokens_per_s")


def test_latency_targets_leave_the_articles_figure_alone():
    r = derive(dataclasses.replace(Scenario(), ttft_s=0.5, tpot_s=0.04))
    assert r.at("tokens_per_s") == 1500
    assert "apply to throughput_source 'model' only" in r.throughput_note


def test_request_shape_kv_cache_and_engine_limit_reach_the_model():
    base = derive(MODEL).at("tokens_per_s")
    assert derive(dataclasses.replace(MODEL, kv_bits=8)).at("tokens_per_s") > base
    assert derive(dataclasses.replace(MODEL, max_sequences=4)).at("tokens_per_s") < base
    explicit = derive(dataclasses.replace(MODEL, prompt_tokens=1000, output_tokens=1000)).at("tokens_per_s")
    assert explicit == base  # 50/50 input share: output = prompt
    longer = derive(dataclasses.replace(MODEL, prompt_tokens=4000, output_tokens=1000)).at("tokens_per_s")
    expected = capacity.serving_capacity("NVIDIA H100 80GB", "Llama 3.3 70B", 4, 4000, 1000,
                                         capacity.DEFAULT_MIN_SEQUENCE_TOKENS_PER_S, 1)["total_tokens_per_s"]
    assert longer == pytest.approx(expected)


def test_draws_pass_through_a_load_profile():
    s = dataclasses.replace(Scenario(), load_profile="global_consumer", scaling="scheduled")
    r = derive(s, tokens_per_month=np.geomspace(1e8, 1e10, 7), draws={"tokens_per_s": np.array([1000.0, 1500.0, 3000.0])})
    assert r.gpu_usd_per_month.shape == (3, 7) and r.replicas.shape == (3, 7)
    assert np.all(np.diff(r.gpu_usd_per_month, axis=0) <= 0)  # more tokens/s, never a larger bill
    assert np.shape(r.stepped_breakeven_tokens_per_month["GPT-5"]) == (3, 1)
