"""What one replica serves when a serving engine keeps it busy: continuous batching with
chunked prefill, the batch bounded by memory and by the engine's own limits.

One engine step (:meth:`Replica.step_s`) decodes one token for each of ``B`` running sequences
and, in the same step, prefills ``c`` prompt tokens of the requests waiting to start (chunked
prefill: vLLM's V1 engine and TensorRT-LLM mix them). Reading the weights once serves both, so
prefill fills compute that a memory-bound decode step leaves idle:

    tokens     = B + c
    weights    = (attention + dense FFNs and shared experts + routed experts touched by the
                 tokens, E * (1 - (1 - k/E) ** tokens) per MoE layer, + routers) * bits / 8
                 + LM head * 2
    matmul     = 2 * active linear params * tokens + 2 * LM head * B (logits of decode tokens only)
    KV read    = (B * cached decode context + c) * KV bytes/token (at ``kv_bits``, separate from
                 weights; a sliding-window layer reads at most its window)
    attention  = flops per context token * (B * decode context + c * prompt / 2)
    TP comm    = 2 * layers * (latency + 2 (n - 1) / n * tokens * hidden * 2 bytes / bus bandwidth)
    step       = layers * overhead + ||weights, matmul||_p + ||KV read, attention||_p + comm

Expert parallelism (``layout="ep"``, mixture-of-experts models only) spreads whole routed
experts over the n GPUs and runs attention data-parallel: every GPU reads the attention, dense
and shared weights and the LM head itself (n copies read per step), the touched routed experts
are read once by the GPU that holds them, and each MoE layer sends every token to its k experts
and back (two all-to-alls):
    EP comm    = 2 * MoE layers * (latency + tokens / n * k * (n - 1) / n * hidden * 2 bytes / bus bandwidth)
Uneven routing (the busiest GPU holding more touched experts than the mean) is not modelled.

with the calibrated efficiencies of :mod:`helpers.capacity.roofline`. A tensor-parallel group
of n GPUs splits the bytes and flops n ways and pays two all-reduces of the step's activations
per layer (``data/interconnects.csv``); the communication is not overlapped with compute.

In a steady state each request prefills ``prompt`` tokens and decodes ``output`` steps, so a
full replica runs c = B * prompt / output prefill tokens per step and serves
    output tokens/s = B / step,  input tokens/s = c / step.
The batch B is the largest that (a) holds its KV cache at the mean context prompt + output / 2
(paged cache, staggered requests), (b) stays within ``max_sequences`` (default: the engine's
documented default, ``data/engine_defaults.csv``: vLLM 1,024 on H100/H200-class GPUs, 256 on
others), (c) keeps B + c within the engine's token budget per step (vLLM's
max_num_batched_tokens), and (d) decodes each sequence at ``min_sequence_tokens_per_s`` or
faster. Latency targets with a queue are :mod:`helpers.capacity.latency`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import data
from helpers.capacity.memory import (
    EMBEDDING_BITS, GROUP_OVERHEAD_BITS, _check_layout, gpus_needed, kv_bytes_per_token, max_batch,
)
from helpers.capacity.roofline import CALIBRATION, Calibration, _norm, compute_flops_per_s, expected_experts
from helpers.capacity.specs import (
    _check_bits, _spec, attention_flops_per_context_token, gpu_spec, model_spec, param_counts,
)

DEFAULT_ENGINE = "vLLM"  # the article: "vLLM or TensorRT-LLM"
DEFAULT_PROMPT_TOKENS = 1000  # tokens of one request's prompt in a workload
DEFAULT_MIN_SEQUENCE_TOKENS_PER_S = 10.0  # latency floor per sequence (about reading speed)


def engine_defaults(engine: str = DEFAULT_ENGINE, gpu=None, data_dir: Path | None = None) -> dict:
    """The engine's documented ``max_sequences`` and ``chunk_tokens`` (token budget per step) on
    ``gpu``: the row of ``data/engine_defaults.csv`` with the largest ``min_memory_gib`` the GPU
    reaches whose ``excluded_gpu_text`` its name does not contain."""
    table = data.load("engine_defaults", data_dir)
    rows = table[table["engine"] == engine]
    if rows.empty:
        raise KeyError(f"data/engine_defaults.csv has no engine {engine!r}; known: "
                       f"{', '.join(dict.fromkeys(table['engine']))}")
    memory_gib, name = (math.inf, "") if gpu is None else (
        float(_spec(gpu, gpu_spec, data_dir)["memory_gb"]), str(_spec(gpu, gpu_spec, data_dir)["gpu"]).lower())
    applies = rows[(rows["min_memory_gib"] <= memory_gib) & ~rows["excluded_gpu_text"].fillna("\0").map(
        lambda text: text.lower() in name)]
    row = (applies if len(applies) else rows).sort_values("min_memory_gib").iloc[-1 if len(applies) else 0]
    return {"engine": engine, "max_sequences": int(row["max_sequences"]), "chunk_tokens": int(row["chunk_tokens"])}


def interconnect(gpu, data_dir: Path | None = None) -> pd.Series:
    """The row of ``data/interconnects.csv`` for the GPU (how its replicas all-reduce)."""
    name = _spec(gpu, gpu_spec, data_dir)["gpu"]
    table = data.load("interconnects", data_dir)
    if name not in set(table["gpu"]):
        raise KeyError(f"data/interconnects.csv has no row for {name!r}: tensor parallelism on it is not modelled")
    return data.row(table, "gpu", name)


@dataclass(frozen=True)
class Replica:
    """The per-step cost coefficients of one model on one replica of ``gpu_count`` GPUs; its
    :meth:`step_s` is vectorised over arrays of batch and chunk sizes."""

    gpu: str
    model: str
    weight_bits: float
    kv_bits: float
    gpu_count: int
    layers: int
    hidden: int
    attention_weights: float
    expert_weights: float  # all layers, one expert
    router_weights: float
    experts: int
    experts_per_token: int
    lm_head: float
    linear_active: float
    attention_flops_per_context_token: float  # 4 * heads * head_dim * layers
    kv_bytes_per_token: float
    bytes_per_s: float  # the group's datasheet bandwidth
    flops_per_s: float | None  # the group's datasheet dense compute at these bits
    allreduce_latency_s: float
    allreduce_bytes_per_s: float
    calibration: Calibration
    always_weights: float = 0.0  # all layers: dense FFNs and shared experts, read every step
    moe_layers: int = 0
    sliding_layer_share: float = 0.0  # share of layers that cache at most sliding_window tokens
    sliding_window: float = math.inf
    layout: str = "tp"

    def step_s(self, decode_batch, decode_context, prefill_tokens=0.0, prompt_tokens=0.0):
        """Seconds of one engine step (see the module docstring)."""
        b = np.asarray(decode_batch, dtype=float)
        c = np.asarray(prefill_tokens, dtype=float)
        tokens = b + c
        touched = expected_experts(self.experts, self.experts_per_token, tokens)
        n = self.gpu_count
        copies = n if self.layout == "ep" else 1  # ep: every GPU reads the non-expert weights
        bits = self.weight_bits + GROUP_OVERHEAD_BITS.get(self.weight_bits, 0.0)
        weight_bytes = ((copies * (self.attention_weights + self.always_weights + self.router_weights)
                         + self.expert_weights * touched) * bits / 8
                        + copies * self.lm_head * EMBEDDING_BITS / 8)
        matmul_flops = 2 * self.linear_active * tokens + 2 * self.lm_head * b
        context_tokens = b * decode_context + c * np.asarray(prompt_tokens, dtype=float) / 2
        cached = decode_context if self.sliding_layer_share == 0 else (
            (1 - self.sliding_layer_share) * decode_context
            + self.sliding_layer_share * np.minimum(decode_context, self.sliding_window))
        kv_bytes = (b * cached + c) * self.kv_bytes_per_token
        attention_flops = self.attention_flops_per_context_token * context_tokens
        cal = self.calibration
        compute = self.flops_per_s
        matmul = _norm(weight_bytes / self.bytes_per_s / cal.bandwidth_efficiency,
                       0.0 if compute is None else matmul_flops / compute / cal.compute_efficiency, cal.p)
        attention = _norm(kv_bytes / self.bytes_per_s / cal.bandwidth_efficiency,
                          0.0 if compute is None else attention_flops / compute / cal.compute_efficiency, cal.p)
        if n == 1:
            comm = 0.0
        elif self.layout == "ep":
            comm = 2 * self.moe_layers * (self.allreduce_latency_s + tokens / n * self.experts_per_token
                                          * (n - 1) / n * self.hidden * 2 / self.allreduce_bytes_per_s)
        else:
            comm = 2 * self.layers * (
                self.allreduce_latency_s + 2 * (n - 1) / n * tokens * self.hidden * 2 / self.allreduce_bytes_per_s)
        return self.layers * cal.layer_overhead_s + matmul + attention + comm


def replica(gpu, model, weight_bits: float = 16, gpu_count: int = 1, kv_bits: float = 16,
            calibration: Calibration = CALIBRATION, data_dir: Path | None = None, *,
            layout: str = "tp") -> Replica:
    """The :class:`Replica` of ``model`` at ``weight_bits`` (KV cache at ``kv_bits``) on
    ``gpu_count`` GPUs named ``gpu`` in ``layout`` ("tp" or "ep", see the module docstring)."""
    g, m = _spec(gpu, gpu_spec, data_dir), _spec(model, model_spec, data_dir)
    _check_bits(weight_bits)
    _check_layout(layout)
    if gpu_count < 1:
        raise ValueError(f"gpu_count must be at least 1, got {gpu_count!r}")
    if layout == "ep" and int(m["experts"]) == 1:
        raise ValueError(f"layout 'ep' needs a mixture-of-experts model; {m['model']} is dense")
    sliding = 0.0 if pd.isna(m.get("sliding_layers", np.nan)) else float(m["sliding_layers"]) / int(m["layers"])
    counts = param_counts(m)
    layers = int(m["layers"])
    link = interconnect(g, data_dir) if gpu_count > 1 else None
    compute = compute_flops_per_s(g, weight_bits)
    return Replica(
        gpu=str(g["gpu"]), model=str(m["model"]), weight_bits=float(weight_bits), kv_bits=float(kv_bits),
        gpu_count=int(gpu_count), layers=layers, hidden=int(m["hidden_size"]),
        attention_weights=layers * counts["attention_per_layer"],
        expert_weights=counts["moe_layers"] * counts["expert_per_layer"],
        router_weights=counts["moe_layers"] * counts["router_per_layer"], experts=int(m["experts"]),
        experts_per_token=int(m["experts_per_token"]), lm_head=counts["lm_head"],
        linear_active=counts["layer_linear_active"],
        attention_flops_per_context_token=attention_flops_per_context_token(m),
        kv_bytes_per_token=kv_bytes_per_token(m, kv_bits),
        bytes_per_s=float(g["memory_bandwidth_gb_per_s"]) * 1e9 * gpu_count,
        flops_per_s=None if compute is None else compute * gpu_count,
        allreduce_latency_s=0.0 if link is None else float(link["allreduce_latency_us"]) * 1e-6,
        allreduce_bytes_per_s=math.inf if link is None else float(link["allreduce_bus_gb_per_s"]) * 1e9,
        calibration=calibration,
        always_weights=counts["always_active_ffn"], moe_layers=counts["moe_layers"],
        sliding_layer_share=sliding,
        sliding_window=math.inf if sliding == 0 else float(m["sliding_window"]), layout=layout,
    )


def mean_decode_context(prompt_tokens: int, output_tokens: int) -> float:
    """Mean context a sequence attends over while it decodes: prompt + output / 2 (the cache
    grows from the prompt to prompt + output)."""
    return prompt_tokens + output_tokens / 2


def output_tokens_for(prompt_tokens: int, input_share: float) -> int:
    """Output tokens per request at an input share: prompt * (1 - share) / share (50/50: equal)."""
    if not 0.0 < input_share < 1.0:
        raise ValueError(f"input_share must lie strictly between 0 and 1, got {input_share!r}")
    return max(1, round(prompt_tokens * (1.0 - input_share) / input_share))


def batch_bounds(gpu, model, weight_bits: float, prompt_tokens: int, output_tokens: int, gpu_count: int,
                 kv_bits: float = 16, max_sequences: int | None = None, chunk_tokens: int | None = None,
                 engine: str = DEFAULT_ENGINE, data_dir: Path | None = None, *, layout: str = "tp") -> dict:
    """The three limits on the number of running sequences: memory (KV cache at the mean
    context), the engine's ``max_sequences`` and its token budget per step
    (B * (1 + prompt / output) <= chunk_tokens, at least 1)."""
    defaults = engine_defaults(engine, gpu, data_dir)
    max_sequences = defaults["max_sequences"] if max_sequences is None else int(max_sequences)
    chunk_tokens = defaults["chunk_tokens"] if chunk_tokens is None else int(chunk_tokens)
    if max_sequences < 1 or chunk_tokens < 1:
        raise ValueError("max_sequences and chunk_tokens must be at least 1")
    context = math.ceil(mean_decode_context(prompt_tokens, output_tokens))
    return {
        "memory": max_batch(gpu, model, context, weight_bits, gpu_count, kv_bits, data_dir, layout=layout),
        "max_sequences": max_sequences,
        "chunk": max(1, math.floor(chunk_tokens * output_tokens / (output_tokens + prompt_tokens))),
        "chunk_tokens": chunk_tokens,
    }


def serving_capacity(gpu, model, weight_bits: float = 16, prompt_tokens: int = DEFAULT_PROMPT_TOKENS,
                     output_tokens: int = DEFAULT_PROMPT_TOKENS,
                     min_sequence_tokens_per_s: float | None = DEFAULT_MIN_SEQUENCE_TOKENS_PER_S,
                     gpu_count: int | None = None, *, max_sequences: int | None = None, kv_bits: float = 16,
                     chunk_tokens: int | None = None, engine: str = DEFAULT_ENGINE,
                     calibration: Calibration = CALIBRATION, data_dir: Path | None = None,
                     layout: str = "tp") -> dict:
    """What one replica (``gpu_count`` GPUs in ``layout``, default the fewest that hold the
    model) serves of requests with ``prompt_tokens`` in and ``output_tokens`` out, kept full (see
    the module docstring). batch = 0: the model does not fit or no batch meets the latency floor;
    ``bound`` names the limit that set the batch."""
    g, m = _spec(gpu, gpu_spec, data_dir), _spec(model, model_spec, data_dir)
    if prompt_tokens < 1 or output_tokens < 1:
        raise ValueError("prompt_tokens and output_tokens must be at least 1")
    if gpu_count is None:
        gpu_count = gpus_needed(g, m, weight_bits, prompt_tokens + output_tokens, 1, kv_bits, layout=layout) or 0
    result = {"gpu": g["gpu"], "model": m["model"], "weight_bits": weight_bits, "kv_bits": kv_bits,
              "gpu_count": gpu_count, "layout": layout, "engine": engine, "batch": 0, "bound": "memory", "step_s": math.nan,
              "sequence_tokens_per_s": 0.0, "output_tokens_per_s": 0.0, "input_tokens_per_s": 0.0,
              "total_tokens_per_s": 0.0}
    if gpu_count == 0:
        return result
    bounds = batch_bounds(g, m, weight_bits, prompt_tokens, output_tokens, gpu_count, kv_bits, max_sequences,
                          chunk_tokens, engine, data_dir, layout=layout)
    limits = {k: bounds[k] for k in ("memory", "max_sequences", "chunk")}
    largest = min(limits.values())
    if largest < 1:
        return result
    rep = replica(g, m, weight_bits, gpu_count, kv_bits, calibration, data_dir, layout=layout)
    batches = np.arange(1, largest + 1, dtype=float)
    steps = rep.step_s(batches, mean_decode_context(prompt_tokens, output_tokens),
                       batches * prompt_tokens / output_tokens, prompt_tokens)
    ok = np.ones_like(batches, dtype=bool) if not min_sequence_tokens_per_s else steps <= 1.0 / min_sequence_tokens_per_s
    if not ok.any():
        result["bound"] = "latency"
        return result
    i = int(np.flatnonzero(ok)[-1])
    batch, step = int(batches[i]), float(steps[i])
    bound = "latency" if batch < largest else min(limits, key=limits.get)
    result.update(batch=batch, bound=bound, step_s=step, sequence_tokens_per_s=1.0 / step,
                  output_tokens_per_s=batch / step, input_tokens_per_s=batch * prompt_tokens / output_tokens / step,
                  total_tokens_per_s=batch * (1 + prompt_tokens / output_tokens) / step)
    return result


def published_vs_model(data_dir: Path | None = None, calibration: Calibration = CALIBRATION) -> pd.DataFrame:
    """The check points: each published serving result (``data/published_benchmarks.csv``)
    beside the model's figure for the same GPUs, model, weight and KV-cache precision, lengths,
    engine and concurrency (offline runs, all requests queued: the engine's default
    ``max_sequences``). The model is never fitted to these. error = model / published - 1."""
    published = data.load("published_benchmarks", data_dir)
    rows = []
    for r in published.itertuples(index=False):
        concurrency = None if pd.isna(r.concurrency) else int(r.concurrency)
        cap = serving_capacity(r.gpu, r.model, float(r.weight_bits), int(r.input_tokens), int(r.output_tokens),
                               None, gpu_count=int(r.gpu_count), max_sequences=concurrency,
                               kv_bits=float(r.kv_cache_bits), engine=r.engine, calibration=calibration,
                               data_dir=data_dir)
        model_tps = cap["output_tokens_per_s"]
        rows.append({
            "benchmark_id": r.benchmark_id, "engine": r.engine, "gpu": r.gpu, "gpu_count": int(r.gpu_count),
            "model": r.model, "precision": r.precision, "kv_cache_bits": int(r.kv_cache_bits),
            "input_tokens": int(r.input_tokens), "output_tokens": int(r.output_tokens), "concurrency": concurrency,
            "published_output_tokens_per_s": float(r.output_tokens_per_s),
            "model_batch": cap["batch"], "model_bound": cap["bound"],
            "model_output_tokens_per_s": model_tps,
            "error": model_tps / float(r.output_tokens_per_s) - 1.0,
        })
    return pd.DataFrame(rows)
