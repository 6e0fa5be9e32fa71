"""Latency targets (helpers/capacity/latency.py): the operating point meets its targets, a tighter
target never serves more, and without targets the answer is the full replica."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import capacity
from helpers.capacity import latency

SETUP = ("NVIDIA H100 SXM", "Llama 3.1 8B", 1000, 500, 8, 1)


def test_no_targets_is_the_full_replica():
    for gpu, model, p, o, bits, n in [SETUP, ("NVIDIA H100 SXM", "Llama 3.3 70B", 2000, 200, 8, 2)]:
        full = capacity.serving_capacity(gpu, model, bits, p, o, None, n)
        assert capacity.slo_output_tokens_per_s(gpu, model, p, o, bits, n) == pytest.approx(full["output_tokens_per_s"])


def test_the_operating_point_meets_its_targets_and_is_the_busiest_that_does():
    point = latency.slo_operating_point(*SETUP, ttft_s=0.3, tpot_s=0.02)
    assert point["ttft_p99_s"] <= 0.3 + 1e-9 and point["tpot_p99_s"] <= 0.02 + 1e-9
    busier = latency.slo_operating_point(*SETUP, ttft_s=10.0, tpot_s=0.02 * 1.05)
    assert busier["output_tokens_per_s"] > point["output_tokens_per_s"]
    # Little's law: running sequences = arrivals * output tokens * seconds per token
    assert point["batch"] == pytest.approx(point["arrival_per_s"] * 500 * point["step_s"])
    assert point["output_tokens_per_s"] == pytest.approx(point["arrival_per_s"] * 500)


def test_a_target_below_a_lone_request_gives_nothing():
    lone = capacity.replica("NVIDIA H100 SXM", "Llama 3.1 8B", 8).step_s(1, 1250)
    assert capacity.slo_output_tokens_per_s(*SETUP, tpot_s=lone / 2) == 0.0
    assert capacity.slo_output_tokens_per_s(*SETUP, ttft_s=1e-4) == 0.0
    with pytest.raises(ValueError, match="ttft_s"):
        capacity.slo_output_tokens_per_s(*SETUP, ttft_s=0)


@settings(max_examples=25, deadline=None)
@given(ttft=st.floats(0.02, 5.0), tpot=st.floats(0.005, 0.2), tighter=st.floats(0.3, 1.0))
def test_a_tighter_target_never_serves_more(ttft, tpot, tighter):
    loose = capacity.slo_output_tokens_per_s(*SETUP, ttft_s=ttft, tpot_s=tpot)
    assert capacity.slo_output_tokens_per_s(*SETUP, ttft_s=ttft * tighter, tpot_s=tpot) <= loose
    assert capacity.slo_output_tokens_per_s(*SETUP, ttft_s=ttft, tpot_s=tpot * tighter) <= loose
    assert capacity.slo_output_tokens_per_s(*SETUP, ttft_s=ttft) >= loose
    assert capacity.slo_output_tokens_per_s(*SETUP) >= loose


def test_the_curve_rises_in_throughput_and_in_latency():
    curve, point = latency.throughput_latency_curve(*SETUP, ttft_s=0.5, tpot_s=0.04)
    for column in ("output_tokens_per_s", "tpot_p99_s", "ttft_p99_s", "arrival_per_s"):
        assert np.all(np.diff(curve[column]) >= -1e-12), column
    assert np.all(np.diff(curve["sequence_tokens_per_s"]) <= 1e-12)
    meets = curve[curve["meets_targets"]]
    assert meets["output_tokens_per_s"].max() <= point["output_tokens_per_s"] * (1 + 1e-9)
    assert not math.isnan(point["ttft_mean_s"]) and point["ttft_mean_s"] <= point["ttft_p99_s"]


def test_latency_targets_cost_throughput_on_a_70b_chat_server():
    # A chat product: first token within 0.5 s, 25 tokens/s per user (40 ms a token). Public
    # results show servers losing a large share of their tokens/s under such limits.
    args = ("NVIDIA H200", "Llama 3.3 70B", 1000, 1000, 8, 1)
    free = capacity.slo_output_tokens_per_s(*args)
    chat = capacity.slo_output_tokens_per_s(*args, ttft_s=0.5, tpot_s=0.04)
    assert 0 < chat < 0.9 * free
