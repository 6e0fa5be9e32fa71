"""What a GPU (or a tensor-parallel group of them) holds: weights, KV cache, activations.

    weights    = layer weights * bits / 8 (+ group scales at 4 bits), embeddings and LM head
                 kept at 16 bits, split over n GPUs
    KV cache   = 2 * layers * kv_heads * head_dim * kv_bits / 8 bytes per token (grouped-query
                 attention: only the KV heads are cached), split over n GPUs; ``kv_bits`` is its
                 own input (engines keep a 16-bit cache by default, FP8 when the checkpoint or
                 the operator asks for it), separate from the weights' bits
    activations= ACTIVATION_TOKENS * (2 * ffn / n + 4 * hidden) * 2 bytes
    budget     = memory_gb * 2**30 * MEMORY_UTILIZATION (* UNIFIED_MEMORY_GPU_SHARE on a Mac)
"""
from __future__ import annotations

from pathlib import Path

from helpers.capacity.specs import _check_bits, _spec, gpu_spec, model_spec, param_counts, quantisation_overhead_bits

BYTES_PER_GIB = 2**30  # datasheet memory sizes are binary: an A100 80GB holds 81,920 MiB
BYTES_PER_GB = 1e9  # model sizes are decimal, as the article's "140 GB" for 70B at FP16
MEMORY_UTILIZATION = 0.90  # vLLM's default gpu_memory_utilization: 10% left to CUDA context etc.
UNIFIED_MEMORY_GPU_SHARE = 0.75  # macOS lets the GPU wire about 3/4 of unified memory by default
ACTIVATION_TOKENS = 2048  # tokens of one chunked-prefill step whose activations stay live
EMBEDDING_BITS = 16  # quantized checkpoints (AWQ, GPTQ, FP8) keep embeddings and LM head at 16 bits
# 4-bit checkpoints carry a 16-bit scale and a 4-bit zero point per group of 128 weights: the
# AWQ/GPTQ row of data/quantisation_formats.csv, the one definition the claims audit uses too.
GROUP_OVERHEAD_BITS = {4: quantisation_overhead_bits("awq_gptq_4bit_g128")}
MAX_TENSOR_PARALLEL = 8  # one node; tensor parallelism beyond it is not modelled


def weights_bytes(model, weight_bits: float = 16, data_dir: Path | None = None) -> float:
    """Bytes of a model's weights at ``weight_bits`` (16, 8 or 4).

    layer weights * (bits + group overhead) / 8 + (embedding + LM head + norms) * 2 bytes.
    Llama 3.1 70B at 16 bits: 70.55e9 * 2 = 141.1 GB; at 4 bits about 40.4 GB, not the article's
    35 GB, because embeddings stay at 16 bits and 4-bit groups carry scales.
    """
    _check_bits(weight_bits)
    counts = param_counts(_spec(model, model_spec, data_dir))
    bits = weight_bits + GROUP_OVERHEAD_BITS.get(weight_bits, 0.0)
    kept = counts["embedding"] + counts["lm_head"] + counts["norms"]
    return counts["layer_linear"] * bits / 8 + kept * EMBEDDING_BITS / 8


def kv_bytes_per_token(model, kv_bits: float = 16, data_dir: Path | None = None) -> float:
    """KV cache of one token: 2 (K and V) * layers * kv_heads * head_dim * kv_bits / 8.

    Grouped-query attention caches only the KV heads: Llama 3.1 70B, 2 * 80 * 8 * 128 * 2 =
    327,680 bytes (0.33 MB) per token, 8x less than its 64 query heads would need.
    """
    m = _spec(model, model_spec, data_dir)
    return 2 * int(m["layers"]) * int(m["kv_heads"]) * int(m["head_dim"]) * kv_bits / 8


def activation_bytes(model, gpu_count: int = 1, data_dir: Path | None = None) -> float:
    """Live activations of one chunked-prefill step of ACTIVATION_TOKENS tokens, per GPU:
    tokens * (2 * ffn / gpu_count + 4 * hidden) * 2 bytes (gate and up outputs, a few
    hidden-size buffers)."""
    m = _spec(model, model_spec, data_dir)
    return ACTIVATION_TOKENS * (2 * int(m["ffn_size"]) / gpu_count + 4 * int(m["hidden_size"])) * 2


def memory_budget_bytes(gpu, data_dir: Path | None = None) -> float:
    """Bytes of one GPU a serving engine may use: memory_gb * 2**30 * MEMORY_UTILIZATION, and
    only UNIFIED_MEMORY_GPU_SHARE of it where the memory is unified (Apple)."""
    spec = _spec(gpu, gpu_spec, data_dir)
    share = UNIFIED_MEMORY_GPU_SHARE if spec["memory_kind"] == "unified" else 1.0
    return float(spec["memory_gb"]) * BYTES_PER_GIB * share * MEMORY_UTILIZATION


def _kv_split(model, gpu_count: int) -> float:
    """How many GPUs share the KV cache: KV heads split over at most kv_heads GPUs."""
    return min(gpu_count, int(model["kv_heads"]))


def max_batch(gpu, model, context_tokens: int, weight_bits: float = 16, gpu_count: int = 1,
              kv_bits: float = 16, data_dir: Path | None = None) -> int:
    """Largest number of sequences of ``context_tokens`` whose KV cache fits beside the weights
    and activations (0: not even the weights fit)."""
    g, m = _spec(gpu, gpu_spec, data_dir), _spec(model, model_spec, data_dir)
    free = memory_budget_bytes(g) - weights_bytes(m, weight_bits) / gpu_count - activation_bytes(m, gpu_count)
    if free <= 0:
        return 0
    per_sequence = context_tokens * kv_bytes_per_token(m, kv_bits) / _kv_split(m, gpu_count)
    return int(free // per_sequence)


def gpus_needed(gpu, model, weight_bits: float = 16, context_tokens: int = 4096, batch: int = 1,
                kv_bits: float = 16, data_dir: Path | None = None) -> int | None:
    """Fewest GPUs (1, 2, 4, 8: tensor parallel) that hold the model and ``batch`` sequences of
    ``context_tokens``; None if eight do not."""
    n = 1
    while n <= MAX_TENSOR_PARALLEL:
        if max_batch(gpu, model, context_tokens, weight_bits, n, kv_bits, data_dir) >= batch:
            return n
        n *= 2
    return None

