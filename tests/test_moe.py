"""Mixture-of-experts capacity: the distinct experts a step touches, memory from total parameters,
compute from active ones, latent attention, sliding windows, expert parallelism, the minimum
deployment. Expected values are worked by hand from the configs in data/models.csv."""
from __future__ import annotations

import csv
import dataclasses
import math

import pytest

from helpers import capacity, data, paths

GIB = 2**30

# DeepSeek V3, from its config (data/models.csv): hidden 7168, 61 layers, 3 dense, 58 MoE layers
H = 7168
DS_ATTENTION = 7168 * 1536 + 1536 * 128 * (128 + 64) + 7168 * (512 + 64) + 512 * 128 * (128 + 128) + 128 * 128 * 7168
DS_EXPERT = 3 * 7168 * 2048
DS_DENSE_FFN = 3 * 7168 * 18432
DS_ROUTER = 7168 * 256
DS_EMBEDDINGS = 2 * 129280 * 7168  # input embedding and untied LM head


# ------------------------------------------------------------------------ distinct experts

def test_one_token_touches_its_top_k_experts():
    assert capacity.expected_experts(256, 8, 1) == pytest.approx(8)
    assert capacity.expected_experts(8, 2, 1) == pytest.approx(2)


def test_two_tokens_touch_what_the_miss_probability_says():
    # Mixtral: an expert is missed by one token with probability 6/8, by both with (6/8)^2
    assert capacity.expected_experts(8, 2, 2) == pytest.approx(8 * (1 - 0.5625))  # 3.5


def test_a_large_batch_touches_every_expert():
    assert capacity.expected_experts(256, 8, 4096) == pytest.approx(256, rel=1e-9)
    assert capacity.expected_experts(128, 8, 64) == pytest.approx(128 * (1 - (120 / 128) ** 64))  # 124.9
    assert capacity.expected_experts(128, 8, 64) < 128


def test_a_dense_model_reads_its_one_ffn():
    assert capacity.expected_experts(1, 1, 1) == 1.0
    assert capacity.expected_experts(1, 1, 512) == 1.0


# ------------------------------------------------------------------------ parameter counts

def test_deepseek_v3_attention_is_latent():
    assert capacity.attention_params_per_layer("DeepSeek V3") == DS_ATTENTION == 187_105_280


def test_deepseek_v3_total_and_active_parameters_by_hand():
    layers = 61 * DS_ATTENTION + 3 * DS_DENSE_FFN
    total = layers + 58 * ((256 + 1) * DS_EXPERT + DS_ROUTER) + DS_EMBEDDINGS
    active = layers + 58 * ((8 + 1) * DS_EXPERT + DS_ROUTER) + DS_EMBEDDINGS
    counts = capacity.param_counts("DeepSeek V3")
    assert counts["total"] == pytest.approx(total, rel=1e-5)  # norms (0.9M) left out by hand
    assert total == pytest.approx(671.0e9, rel=1e-3)
    # DeepSeek's 36.6B counts the LM head but not the input embedding
    assert counts["active_without_embedding"] == pytest.approx(active - 129280 * 7168, rel=1e-4)
    assert (active - 129280 * 7168) / 1e9 == pytest.approx(36.6, abs=0.05)


def test_qwen3_235b_every_layer_is_moe_without_a_shared_expert():
    expert = 3 * 4096 * 1536
    attention = 4096 * 64 * 128 * 2 + 2 * 4096 * 4 * 128
    total = 94 * (attention + 128 * expert + 4096 * 128) + 2 * 151936 * 4096
    assert capacity.param_counts("Qwen3-235B-A22B")["total"] == pytest.approx(total, rel=1e-5)
    assert total / 1e9 == pytest.approx(235.1, abs=0.05)


# ------------------------------------------------------------------------------------ memory

def test_deepseek_v3_at_fp8_is_about_671_gb_of_weights():
    # 8-bit layers, 16-bit embeddings and LM head (norms, 0.9M parameters, left out by hand)
    layer_linear = 61 * DS_ATTENTION + 3 * DS_DENSE_FFN + 58 * (257 * DS_EXPERT + DS_ROUTER)
    by_hand = layer_linear * 1 + DS_EMBEDDINGS * 2
    assert capacity.weights_bytes("DeepSeek V3", 8) == pytest.approx(by_hand, rel=1e-5)
    assert by_hand / 1e9 == pytest.approx(672.9, abs=0.1)


def test_deepseek_v3_at_fp8_needs_eight_h200_not_eight_h100():
    weights = capacity.weights_bytes("DeepSeek V3", 8)
    assert 8 * 80 * GIB * 0.9 < weights  # 618 GB of budget on 8x H100 80GB
    assert 8 * 141 * GIB * 0.9 > weights  # 1,090 GB on 8x H200
    h200 = capacity.minimum_deployment("NVIDIA H200", "DeepSeek V3", 8, kv_bits=8)
    assert h200["gpu_count"] == 8
    assert capacity.minimum_deployment("NVIDIA H100 80GB", "DeepSeek V3", 8, kv_bits=8)["gpu_count"] is None
    assert capacity.gpus_needed("NVIDIA H100 80GB", "DeepSeek V3", 8, 4096, 1, 8) is None


def test_latent_attention_caches_one_small_latent_per_layer():
    assert capacity.kv_bytes_per_token("DeepSeek V3") == 61 * (512 + 64) * 2 == 70_272
    # the GQA formula with its 128 KV heads would claim 2 * 61 * 128 * 128 * 2 = 4.0 MB per token
    assert capacity.kv_bytes_per_token("DeepSeek V3", kv_bits=8) == 35_136


def test_latent_cache_is_copied_on_every_tensor_parallel_gpu_but_split_under_expert_parallelism():
    # per GPU of 8x H200 at FP8: budget 141 GiB * 0.9, weights tp: all / 8; ep: copied parts + routed / 8
    budget = 141 * GIB * 0.9
    total = capacity.weights_bytes("DeepSeek V3", 8)
    routed = 58 * 256 * DS_EXPERT  # bytes at 8 bits
    activations = 2048 * (2 * 18432 / 8 + 4 * 7168) * 2
    assert capacity.weights_bytes_per_gpu("DeepSeek V3", 8, 8, "tp") == pytest.approx(total / 8)
    assert capacity.weights_bytes_per_gpu("DeepSeek V3", 8, 8, "ep") == pytest.approx(total - routed * 7 / 8)
    per_sequence = 2048 * 35_136  # 2,048 tokens of FP8 latent cache
    tp = capacity.max_batch("NVIDIA H200", "DeepSeek V3", 2048, 8, 8, 8)
    ep = capacity.max_batch("NVIDIA H200", "DeepSeek V3", 2048, 8, 8, 8, layout="ep")
    assert tp == int((budget - total / 8 - activations) // per_sequence)  # cache not split
    assert ep == int((budget - (total - routed * 7 / 8) - activations) // (per_sequence / 8))
    assert ep > 4 * tp


def test_gpt_oss_120b_fits_one_h100_at_4_bits():
    deployment = capacity.minimum_deployment("NVIDIA H100 80GB", "gpt-oss-120b", 4)
    assert deployment["gpu_count"] == 1
    assert deployment["weights_gb_per_gpu"] == pytest.approx(62.4, abs=0.1)  # 4.156 bits on every layer weight, 16 on embeddings


def test_sliding_window_layers_cache_at_most_the_window():
    # gpt-oss-120b: 18 of 36 layers attend over 128 tokens
    assert capacity.cached_tokens("gpt-oss-120b", 4096) == (18 * 4096 + 18 * 128) / 36 == 2112
    assert capacity.cached_tokens("gpt-oss-120b", 100) == 100
    assert capacity.cached_tokens("Llama 3.1 8B", 4096) == 4096


# ------------------------------------------------------------------------ weight traffic, compute

def test_decode_reads_the_experts_touched_and_computes_with_the_active_ones():
    model = "Mixtral 8x7B"
    counts = capacity.param_counts(model)
    gpu = capacity.gpu_spec("NVIDIA H200")
    bandwidth = float(gpu["memory_bandwidth_gb_per_s"]) * 1e9
    attention = 4096 * 4096 * 2 + 2 * 4096 * 1024
    expert = 3 * 4096 * 14336
    lm_head = 32000 * 4096
    for batch, touched in ((1, 2), (2, 3.5)):
        terms = capacity.step_terms(gpu, model, batch, 1024, "decode", 16)
        by_hand = 32 * (attention + touched * expert + 4096 * 8) * 2 + lm_head * 2
        assert terms["matmul_memory_s"] * bandwidth == pytest.approx(by_hand, rel=1e-9)
        flops = 2 * (32 * (attention + 2 * expert + 4096 * 8) + lm_head) * batch
        assert terms["matmul_compute_s"] * 989e12 == pytest.approx(flops, rel=1e-9)
    assert counts["layer_linear_active"] == 32 * (attention + 2 * expert + 4096 * 8)


def test_deepseek_decode_reads_far_less_than_its_weights_at_batch_one():
    gpu = capacity.gpu_spec("NVIDIA H200")
    bandwidth = float(gpu["memory_bandwidth_gb_per_s"]) * 1e9
    read = capacity.step_terms(gpu, "DeepSeek V3", 1, 1024, "decode", 8)["matmul_memory_s"] * bandwidth
    by_hand = (61 * DS_ATTENTION + 3 * DS_DENSE_FFN + 58 * ((8 + 1) * DS_EXPERT + DS_ROUTER)) * 1 + 129280 * 7168 * 2
    assert read == pytest.approx(by_hand, rel=1e-9)  # 38.5 GB of 672.9 GB
    full = capacity.step_terms(gpu, "DeepSeek V3", 4096, 1024, "decode", 8)["matmul_memory_s"] * bandwidth
    assert full == pytest.approx(capacity.weights_bytes("DeepSeek V3", 8) - 129280 * 7168 * 2, rel=1e-4)


def test_a_dense_model_is_unchanged_by_the_moe_terms():
    m = capacity.model_spec("Llama 3.1 70B")
    counts = capacity.param_counts(m)
    assert counts["always_active_ffn"] == 0 and counts["moe_layers"] == 80
    assert counts["layer_linear"] == counts["layer_linear_active"] == 80 * (150_994_944 + 704_643_072)
    rep = capacity.replica("NVIDIA H200", m, 8, 2, 8)
    # tensor parallel: two all-reduces of the step's activations per layer, nothing else added
    assert rep.always_weights == 0 and rep.layout == "tp" and rep.sliding_layer_share == 0
    with pytest.raises(ValueError, match="dense"):
        capacity.replica("NVIDIA H200", m, 8, 2, 8, layout="ep")
    with pytest.raises(ValueError, match="dense"):
        capacity.max_batch("NVIDIA H200", m, 1024, 8, 2, layout="ep")
    assert capacity.minimum_deployment("NVIDIA H200", m, 8)["layout"] == "tp"


def test_expert_parallel_pays_all_to_all_not_all_reduce():
    tp = capacity.replica("NVIDIA H200", "DeepSeek V3", 8, 8, 8)
    ep = capacity.replica("NVIDIA H200", "DeepSeek V3", 8, 8, 8, layout="ep")
    link = capacity.interconnect("NVIDIA H200")
    latency, bus = float(link["allreduce_latency_us"]) * 1e-6, float(link["allreduce_bus_gb_per_s"]) * 1e9
    tokens = 256
    tp_comm = 2 * 61 * (latency + 2 * 7 / 8 * tokens * H * 2 / bus)
    ep_comm = 2 * 58 * (latency + tokens / 8 * 8 * 7 / 8 * H * 2 / bus)
    free_link = {"allreduce_latency_s": 0.0, "allreduce_bytes_per_s": math.inf}
    for rep, comm in ((tp, tp_comm), (ep, ep_comm)):
        no_comm = dataclasses.replace(rep, **free_link)
        assert rep.step_s(tokens, 1024) - no_comm.step_s(tokens, 1024) == pytest.approx(comm, rel=1e-9)
    assert ep_comm < tp_comm
    # ep reads the copied (non-expert) weights on every GPU: more bytes than tp for the same step
    assert (dataclasses.replace(ep, **free_link).step_s(tokens, 1024)
            > dataclasses.replace(tp, **free_link).step_s(tokens, 1024))


def test_layouts_are_named():
    with pytest.raises(ValueError, match="layout"):
        capacity.weights_bytes_per_gpu("DeepSeek V3", 8, 8, "pp")


# ------------------------------------------------------------------------ published MoE results

def _moe_check_points():
    table = capacity.published_vs_model()
    moe_models = set(data.load("models").query("experts > 1")["model"])
    return table[table["model"].isin(moe_models)].set_index("benchmark_id")


def test_moe_check_points_at_full_load_lean_high_by_the_stated_ratio():
    # TensorRT-LLM's perf-overview, Qwen3-235B-A22B FP8 on 8x H200 and 8x H100 (17 points, all
    # requests queued): the model's output tokens/s over the published is 1.14-2.20 (median 1.70).
    # The model has no MoE-specific losses (grouped expert matmuls on few tokens each, routing,
    # uneven experts) and is not fitted to these points; the README states the ratio.
    ratio = 1 + _moe_check_points().filter(like="qwen3_235b", axis=0)["error"]
    assert len(ratio) == 17
    assert 1.5 <= ratio.median() <= 1.9
    assert ratio.min() >= 1.0 and ratio.max() <= 2.3


def test_deepseek_r1_at_a_few_sequences_runs_slower_than_modelled():
    # GPUStack's vLLM run of DeepSeek-R1-0528 on 8x H200 at a concurrency of 4: 196.81 output
    # tokens/s (TPOT 19.4 ms) published, 342 modelled (11.7 ms a step): per-layer MoE and latent
    # attention kernels cost more than the dense layer overhead the model was calibrated on
    ratio = 1 + _moe_check_points().loc["gpustack_h200x8_deepseek_r1_sharegpt_c4", "error"]
    assert 1.6 <= ratio <= 1.9


def test_gpt_oss_120b_at_a_few_sequences_matches_the_published_decode():
    # GPUStack's vLLM runs at a concurrency of 4 on one and two H100 (memory-bound decode): the
    # model gives 482 and 608 output tokens/s against 453 and 646 published (ratios 1.06, 0.94)
    points = _moe_check_points()
    for benchmark in ("gpustack_h100_gpt_oss_120b_sharegpt_c4", "gpustack_h100x2_gpt_oss_120b_sharegpt_c4"):
        assert abs(points.loc[benchmark, "error"]) <= 0.10


# ---------------------------------------------------------------------------- the models table

@pytest.mark.parametrize("model, column, value", [
    ("DeepSeek V3", "kv_lora_rank", ""),  # latent attention without its rank
    ("gpt-oss-20b", "sliding_window", ""),  # sliding layers without a window
    ("Qwen3-30B-A3B", "dense_layers", "48"),  # no MoE layer left
])
def test_an_incomplete_moe_row_is_reported_by_line_and_column(tmp_path, model, column, value):
    with open(paths.data_file("models"), newline="") as handle:
        rows = list(csv.reader(handle))
    index = [row[0] for row in rows].index(model)
    rows[index][rows[0].index(column)] = value
    path = tmp_path / "models.csv"
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(data.DataValidationError) as caught:
        data.read_table(path, "models")
    assert (index + 1, column) in {(p.line, p.column) for p in caught.value.problems}, str(caught.value)


def test_a_large_kv_budget_picks_expert_parallelism_for_a_latent_cache():
    # 8x H200, DeepSeek V3 at FP8, FP8 cache (35,136 bytes a token). tp: each GPU keeps all of the
    # latent cache beside 1/8 of the weights (1.48M tokens); ep: the routed experts split 8 ways,
    # the rest copied (100.7 GB a GPU), and each GPU keeps its own sequences' cache.
    budget = 141 * GIB * 0.9
    activations = 2048 * (2 * 18432 / 8 + 4 * 7168) * 2
    per_gpu = capacity.weights_bytes("DeepSeek V3", 8) - 58 * 256 * DS_EXPERT * 7 / 8
    ep_tokens = int((budget - per_gpu - activations) * 8 // 35_136)
    assert ep_tokens == pytest.approx(8.06e6, rel=0.01)
    deployment = capacity.minimum_deployment("NVIDIA H200", "DeepSeek V3", 8, kv_budget_tokens=4_000_000, kv_bits=8)
    assert (deployment["gpu_count"], deployment["layout"], deployment["kv_tokens"]) == (8, "ep", ep_tokens)
    assert capacity.minimum_deployment("NVIDIA H200", "DeepSeek V3", 8, kv_bits=8)["layout"] == "tp"
