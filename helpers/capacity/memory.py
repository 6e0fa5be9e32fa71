"""What a GPU (or a tensor-parallel group of them) holds: weights, KV cache, activations.

    weights    = layer weights * bits / 8 (+ group scales at 4 bits), embeddings and LM head
                 kept at 16 bits, split over n GPUs
    KV cache   = 2 * layers * kv_heads * head_dim * kv_bits / 8 bytes per token (grouped-query
                 attention: only the KV heads are cached; multi-head latent attention caches one
                 kv_lora + rope latent per layer), split over n GPUs; ``kv_bits`` is its
                 own input (engines keep a 16-bit cache by default, FP8 when the checkpoint or
                 the operator asks for it), separate from the weights' bits. Layers with a
                 sliding window cache at most the window.
    activations= ACTIVATION_TOKENS * (2 * ffn / n + 4 * hidden) * 2 bytes
    budget     = memory_gb * 2**30 * MEMORY_UTILIZATION (* UNIFIED_MEMORY_GPU_SHARE on a Mac)

Layouts of a replica of n GPUs (``layout``):
    "tp" tensor parallel: every weight split n ways; the KV cache split over at most kv_heads
         GPUs (a latent-attention cache has one head, so each GPU holds all of it).
    "ep" expert parallel with data-parallel attention (how DeepSeek V3 is served): the routed
         experts split n ways, whole; attention, dense FFNs, shared experts and embeddings
         copied onto every GPU; each GPU holds the KV cache of its own sequences (split n ways).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

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
LAYOUTS = ("tp", "ep")


def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")


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


def weights_bytes_per_gpu(model, weight_bits: float = 16, gpu_count: int = 1, layout: str = "tp",
                          data_dir: Path | None = None) -> float:
    """Bytes of weights each GPU of a replica holds.

    tp: weights_bytes / n. ep: weights_bytes - routed experts * (1 - 1 / n): the routed experts
    split n ways, everything else copied.
    """
    _check_layout(layout)
    total = weights_bytes(model, weight_bits, data_dir)
    if layout == "tp":
        return total / gpu_count
    m = _spec(model, model_spec, data_dir)
    if int(m["experts"]) == 1:
        raise ValueError(f"layout 'ep' needs a mixture-of-experts model; {m['model']} is dense")
    counts = param_counts(m)
    routed = counts["moe_layers"] * int(m["experts"]) * counts["expert_per_layer"]
    bits = weight_bits + GROUP_OVERHEAD_BITS.get(weight_bits, 0.0)
    return total - routed * bits / 8 * (1 - 1 / gpu_count)


def kv_bytes_per_token(model, kv_bits: float = 16, data_dir: Path | None = None) -> float:
    """KV cache of one token in a full-attention layer stack.

    grouped-query attention: 2 (K and V) * layers * kv_heads * head_dim * kv_bits / 8. Only the
    KV heads are cached: Llama 3.1 70B, 2 * 80 * 8 * 128 * 2 = 327,680 bytes (0.33 MB) per token,
    8x less than its 64 query heads would need.
    latent attention (mla): layers * (kv_lora + rope) * kv_bits / 8: DeepSeek V3, 61 * 576 * 2
    = 70,272 bytes per token at 16 bits.
    """
    m = _spec(model, model_spec, data_dir)
    if m.get("attention", "gqa") == "mla":
        return int(m["layers"]) * (int(m["kv_lora_rank"]) + int(m["rope_head_dim"])) * kv_bits / 8
    return 2 * int(m["layers"]) * int(m["kv_heads"]) * int(m["head_dim"]) * kv_bits / 8


def cached_tokens(model, context_tokens, data_dir: Path | None = None):
    """Tokens of KV cache a sequence of ``context_tokens`` holds, in full-layer equivalents:
    context where no layer has a sliding window, else
    (full layers * context + sliding layers * min(context, window)) / layers.
    gpt-oss-120b at 4,096 tokens: (18 * 4096 + 18 * 128) / 36 = 2,112."""
    m = _spec(model, model_spec, data_dir)
    sliding = m.get("sliding_layers", 0)
    if pd.isna(sliding) or int(sliding) == 0:
        return context_tokens
    layers, window = int(m["layers"]), int(m["sliding_window"])
    return ((layers - int(sliding)) * context_tokens + int(sliding) * np.minimum(context_tokens, window)) / layers


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


def _kv_split(model, gpu_count: int, layout: str = "tp") -> float:
    """How many GPUs share the KV cache: under tp the KV heads split over at most kv_heads GPUs
    (one for a latent-attention cache); under ep each GPU keeps its own sequences (n)."""
    if layout == "ep":
        return gpu_count
    heads = 1 if model.get("attention", "gqa") == "mla" else int(model["kv_heads"])
    return min(gpu_count, heads)


def max_batch(gpu, model, context_tokens: int, weight_bits: float = 16, gpu_count: int = 1,
              kv_bits: float = 16, data_dir: Path | None = None, *, layout: str = "tp") -> int:
    """Largest number of sequences of ``context_tokens`` whose KV cache fits beside the weights
    and activations (0: not even the weights fit)."""
    g, m = _spec(gpu, gpu_spec, data_dir), _spec(model, model_spec, data_dir)
    free = (memory_budget_bytes(g) - weights_bytes_per_gpu(m, weight_bits, gpu_count, layout)
            - activation_bytes(m, gpu_count))
    if free <= 0:
        return 0
    per_sequence = cached_tokens(m, context_tokens) * kv_bytes_per_token(m, kv_bits) / _kv_split(m, gpu_count, layout)
    return int(free // per_sequence)


def gpus_needed(gpu, model, weight_bits: float = 16, context_tokens: int = 4096, batch: int = 1,
                kv_bits: float = 16, data_dir: Path | None = None, *, layout: str = "tp") -> int | None:
    """Fewest GPUs (1, 2, 4, 8) in ``layout`` that hold the model and ``batch`` sequences of
    ``context_tokens``; None if eight do not."""
    n = 1
    while n <= MAX_TENSOR_PARALLEL:
        if max_batch(gpu, model, context_tokens, weight_bits, n, kv_bits, data_dir, layout=layout) >= batch:
            return n
        n *= 2
    return None


def minimum_deployment(gpu, model, weight_bits: float = 16, kv_budget_tokens: int = 32_768,
                       kv_bits: float = 16, data_dir: Path | None = None) -> dict:
    """The fewest GPUs of row ``gpu`` that hold the model's weights plus a KV cache of
    ``kv_budget_tokens`` tokens (one long sequence or many short ones), in whichever layout
    needs fewer (tp on a tie; a dense model only tp): gpu, gpu_count (None: more than eight), layout, weights_gb_per_gpu,
    kv_tokens (the cache that fits on that deployment, in tokens of full-attention context).
    DeepSeek V3 at FP8 (673 GB of weights): 8x H200 141GB, not 8x H100 80GB (8 * 80 GiB * 0.9
    = 618 GB)."""
    g, m = _spec(gpu, gpu_spec, data_dir), _spec(model, model_spec, data_dir)
    best = None
    for layout in LAYOUTS if int(m["experts"]) > 1 else ("tp",):
        n = gpus_needed(g, m, weight_bits, kv_budget_tokens, 1, kv_bits, layout=layout)
        if n is not None and (best is None or n < best[0]):
            best = (n, layout)
    result = {"gpu": g["gpu"], "model": m["model"], "weight_bits": weight_bits, "gpu_count": None,
              "layout": None, "weights_gb_per_gpu": math.nan, "kv_tokens": 0}
    if best is None:
        return result
    n, layout = best
    free = (memory_budget_bytes(g) - weights_bytes_per_gpu(m, weight_bits, n, layout) - activation_bytes(m, n))
    kv_tokens = int(free * _kv_split(m, n, layout) // kv_bytes_per_token(m, kv_bits))
    result.update(gpu_count=n, layout=layout, weights_gb_per_gpu=weights_bytes_per_gpu(m, weight_bits, n, layout)
                  / BYTES_PER_GB, kv_tokens=kv_tokens)
    return result

