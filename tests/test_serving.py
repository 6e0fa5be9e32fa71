"""The engine-realistic serving model (helpers/capacity/serving.py): one step's time worked by
hand, the engines' documented limits, KV-cache precision, chunked prefill and tensor parallelism."""
import dataclasses
import math

import pytest

from helpers import capacity
from helpers.capacity import serving


def test_a_decode_only_step_is_the_calibrated_decode_step():
    for gpu, model, bits in [("NVIDIA H200", "Llama 3.1 70B", 16), ("NVIDIA A100 80GB", "Mixtral 8x7B", 4)]:
        rep = serving.replica(gpu, model, bits)
        for batch, context in [(1, 1024), (64, 4096)]:
            assert rep.step_s(batch, context) == pytest.approx(capacity.decode_step_s(gpu, model, batch, context, bits))


def test_engine_defaults_follow_the_documented_rules():
    # vLLM: GPUs of 70 GiB or more that are not A100s get 1,024 sequences and 8,192 tokens a step
    assert serving.engine_defaults("vLLM", "NVIDIA H100 SXM") == {"engine": "vLLM", "max_sequences": 1024, "chunk_tokens": 8192}
    assert serving.engine_defaults("vLLM", "NVIDIA H200")["max_sequences"] == 1024
    assert serving.engine_defaults("vLLM", "NVIDIA A100 80GB")["max_sequences"] == 256
    assert serving.engine_defaults("vLLM", "RTX 4090 24GB")["chunk_tokens"] == 2048
    assert serving.engine_defaults("TensorRT-LLM", "NVIDIA A100 80GB")["max_sequences"] == 2048
    with pytest.raises(KeyError, match="SGLang"):
        serving.engine_defaults("SGLang", "NVIDIA H200")


def test_an_fp8_kv_cache_holds_twice_the_sequences():
    b16 = capacity.max_batch("NVIDIA H200", "Llama 3.3 70B", 1500, 8, kv_bits=16)
    b8 = capacity.max_batch("NVIDIA H200", "Llama 3.3 70B", 1500, 8, kv_bits=8)
    assert b8 in (2 * b16, 2 * b16 + 1)
    full = serving.serving_capacity("NVIDIA H200", "Llama 3.3 70B", 8, 1000, 1000, None, 1, kv_bits=8)
    half = serving.serving_capacity("NVIDIA H200", "Llama 3.3 70B", 8, 1000, 1000, None, 1, kv_bits=16)
    assert full["bound"] == half["bound"] == "memory"
    assert full["batch"] > 1.9 * half["batch"] and full["output_tokens_per_s"] > half["output_tokens_per_s"]


def test_the_batch_stops_at_the_first_limit_it_meets():
    capped = serving.serving_capacity("NVIDIA H200", "Llama 3.1 8B", 8, 1000, 1000, None, 1, max_sequences=8)
    assert capped["batch"] == 8 and capped["bound"] == "max_sequences"
    # 2,048 prompt tokens per 128 output under an 8,192-token budget: B * (1 + 16) <= 8,192
    long_prompts = serving.serving_capacity("NVIDIA H200", "Llama 3.1 8B", 8, 2048, 128, None, 1, kv_bits=8,
                                            engine="TensorRT-LLM")
    assert long_prompts["batch"] == 8192 * 128 // (2048 + 128) == 481 and long_prompts["bound"] == "chunk"


def test_full_replica_by_hand_from_the_step():
    # output tokens/s = B / step(B decode tokens + B * prompt / output prefill tokens)
    cap = serving.serving_capacity("NVIDIA H200", "Llama 3.1 8B", 8, 500, 250, None, 1, max_sequences=100)
    rep = serving.replica("NVIDIA H200", "Llama 3.1 8B", 8)
    step = rep.step_s(100, 500 + 125, 100 * 2, 500)
    assert cap["step_s"] == pytest.approx(step)
    assert cap["output_tokens_per_s"] == pytest.approx(100 / step)
    assert cap["total_tokens_per_s"] == pytest.approx(3 * 100 / step)


def test_chunked_prefill_beats_prefill_then_decode():
    # The old model prefilled B prompts, then decoded: cycle = B * P / prefill + O * decode step.
    gpu, model, batch, p, o = "NVIDIA H100 SXM", "Llama 3.1 8B", 64, 1000, 1000
    rep = serving.replica(gpu, model, 16)
    overlapped = batch / rep.step_s(batch, p + o / 2, batch * p / o, p)
    separate = batch * o / (batch * p / capacity.prefill_tokens_per_s(gpu, model, p)
                            + o * capacity.decode_step_s(gpu, model, batch, p + o / 2))
    assert overlapped > separate


def test_tensor_parallel_communication_by_hand():
    rep = serving.replica("NVIDIA H100 SXM", "Llama 3.3 70B", 8, gpu_count=2)
    free = dataclasses.replace(rep, allreduce_latency_s=0.0, allreduce_bytes_per_s=math.inf)
    tokens = 300
    # two all-reduces a layer, each latency + 2 (n - 1) / n * tokens * hidden * 2 bytes / bus bandwidth
    by_hand = 2 * 80 * (10e-6 + 2 * 1 / 2 * tokens * 8192 * 2 / 460e9)
    assert rep.step_s(200, 1500, 100, 1000) - free.step_s(200, 1500, 100, 1000) == pytest.approx(by_hand)
    # two GPUs more than halve nothing for free: a lone sequence's step shrinks by less than half
    one = serving.replica("NVIDIA H100 SXM", "Llama 3.3 70B", 8, gpu_count=1)
    assert rep.step_s(1, 1000) > one.step_s(1, 1000) / 2


def test_no_interconnect_no_tensor_parallelism():
    with pytest.raises(KeyError, match="interconnects"):
        serving.replica("Mac M4 Max 128GB", "Llama 3.1 8B", 16, gpu_count=2)
