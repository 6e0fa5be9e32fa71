"""Capacity from first principles: what a GPU can hold and how fast it serves a model (issue 5).

The article assumes one number: a single A100 80GB serves Llama 3.3 70B at 1,500 output
tokens/s ("Breakeven Analysis"). This module derives capacity from the GPU's datasheet
(``data/gpu_specs.csv``) and the model's published configuration (``data/models.csv``).

Memory (per GPU of a tensor-parallel group of ``n``)
    weights    = layer weights * bits / 8 (+ group scales at 4 bits), embeddings and LM head
                 kept at 16 bits, split over n GPUs
    KV cache   = 2 * layers * kv_heads * head_dim * kv_bits / 8 bytes per token (grouped-query
                 attention: only the KV heads are cached), split over n GPUs
    activations= ACTIVATION_TOKENS * (2 * ffn / n + 4 * hidden) * 2 bytes
    budget     = memory_gb * 2**30 * MEMORY_UTILIZATION (* UNIFIED_MEMORY_GPU_SHARE on a Mac)

Time of one forward step (a roofline, calibrated)
    matmuls    = || weight bytes / (bandwidth * e_bw),  matmul flops / (compute * e_c) ||_p
    attention  = || KV bytes / (bandwidth * e_bw),      attention flops / (compute * e_c) ||_p
    step       = layers * layer_overhead_s + matmuls + attention
    where ||a, b||_p = (a**p + b**p) ** (1/p): p = inf is the classic max() roofline, p = 1 the
    sum form. Decode: tokens/s = batch / step. Prefill: tokens/s = prompt_tokens / step.

Calibration (:data:`CALIBRATION`) fits e_bw, e_c, layer_overhead_s and p to the 24 step times
measured on one H200 (``data/measured_h200.csv``) by :func:`refit`; its error on every point is
stated in :data:`CALIBRATION` and checked by the tests. The factors are shares of the
*datasheet* peaks, so they carry over to other GPUs only as far as those GPUs' kernels reach
the same share of their peaks: that transfer is an assumption, not a measurement.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import data
from helpers.costs import selfhost
from helpers.assumptions import HOURS_PER_MONTH, INPUT_SHARE, SECONDS_PER_HOUR, TOKENS_PER_MILLION

BYTES_PER_GIB = 2**30  # datasheet memory sizes are binary: an A100 80GB holds 81,920 MiB
BYTES_PER_GB = 1e9  # model sizes are decimal, as the article's "140 GB" for 70B at FP16
MEMORY_UTILIZATION = 0.90  # vLLM's default gpu_memory_utilization: 10% left to CUDA context etc.
UNIFIED_MEMORY_GPU_SHARE = 0.75  # macOS lets the GPU wire about 3/4 of unified memory by default
ACTIVATION_TOKENS = 2048  # tokens of one chunked-prefill step whose activations stay live
EMBEDDING_BITS = 16  # quantized checkpoints (AWQ, GPTQ, FP8) keep embeddings and LM head at 16 bits
# 4-bit checkpoints carry a 16-bit scale and a 4-bit zero point per group of 128 weights.
GROUP_OVERHEAD_BITS = {4: 20 / 128}
MAX_TENSOR_PARALLEL = 8  # one node; tensor parallelism beyond it is not modelled
MAX_BATCH = 256  # vLLM's default max_num_seqs: the most sequences an online server batches
MAX_BATCH_OFFLINE = 2048  # cap for offline (all requests queued) runs; memory binds first
DEFAULT_PROMPT_TOKENS = 1000  # tokens of one request's prompt in a workload
DEFAULT_MIN_SEQUENCE_TOKENS_PER_S = 10.0  # latency floor per sequence (about reading speed)
THROUGHPUT_SOURCES = ("article", "model")


@dataclass(frozen=True)
class Calibration:
    """Efficiency factors of the roofline and their error on the measurements they came from.

    bandwidth_efficiency: share of datasheet memory bandwidth reached by weight and KV reads.
    compute_efficiency:   share of datasheet dense tensor throughput reached by the matmuls.
    layer_overhead_s:     fixed time per layer per step (kernel launches, norms, ramp-up).
    p:                    the norm combining the two roofline terms (1 = sum, inf = max).
    rms_error, max_abs_error: of tokens/s, relative (model / measured - 1), over ``points``.
    """

    bandwidth_efficiency: float
    compute_efficiency: float
    layer_overhead_s: float
    p: float
    rms_error: float
    max_abs_error: float
    points: int

    @property
    def layer_overhead_us(self) -> float:
        """``layer_overhead_s`` in microseconds."""
        return self.layer_overhead_s * 1e6


# Fitted by refit(data.load("measured_h200")): grid search minimising the RMS of
# log(model / measured) over 24 H200 step times (Llama 3.1 70B and 8B shapes, bf16; decode at
# batch 1-256 and 1,024/4,096 tokens of context, prefill of 2,048 and 8,192 tokens), for
# p in {1 (sum), 2, inf (max)}. The sum form errs by up to 20% (RMS 8.3%), the max form by up to
# 27% (RMS 7.6%: it is too fast where a step is half memory-, half compute-bound, batch 128);
# p = 2 stays within 10.5% (RMS 4.1%; worst: 70B decode at batch 128, model 10.5% fast). tests/test_capacity.py re-runs the fit and checks these.
CALIBRATION = Calibration(
    bandwidth_efficiency=0.945,
    compute_efficiency=0.59,
    layer_overhead_s=95e-6,
    p=2.0,
    rms_error=0.041,
    max_abs_error=0.105,
    points=24,
)
CALIBRATION_ERROR_BOUND = 0.12  # every calibration point's |model / measured - 1| stays below
FIT_GRID = {  # the grid refit() searches; its steps bound how exactly a refit reproduces CALIBRATION
    "p": (1.0, 2.0, math.inf),
    "bandwidth_efficiency": (0.50, 1.00, 0.005),
    "compute_efficiency": (0.30, 1.00, 0.01),
    "layer_overhead_s": (0.0, 200e-6, 5e-6),
}


# ---------------------------------------------------------------------------- data look-ups

def gpu_spec(gpu: str, data_dir: Path | None = None) -> pd.Series:
    """The row of ``data/gpu_specs.csv`` named ``gpu`` (first column or one of its aliases)."""
    specs = data.load("gpu_specs", data_dir)
    if gpu in set(specs["gpu"]):
        return data.row(specs, "gpu", gpu)
    for _, spec in specs.iterrows():
        aliases = spec["aliases"] if isinstance(spec["aliases"], str) else ""
        if gpu in [a.strip() for a in aliases.split(";")]:
            return spec
    raise KeyError(f"data/gpu_specs.csv has no gpu (or alias) {gpu!r}; known: {', '.join(specs['gpu'])}")


def resolve_gpu(name: str, data_dir: Path | None = None) -> tuple[pd.Series, int]:
    """A GPU name as the article's tables write it -> (spec row, count).

    "2x A100 80GB" -> (row "NVIDIA A100 80GB", 2); "RTX 4090 24GB" -> (that row, 1).
    """
    match = re.match(r"^(\d+)x\s+(.*)$", name.strip())
    count, bare = (int(match.group(1)), match.group(2)) if match else (1, name.strip())
    return gpu_spec(bare, data_dir), count


def model_spec(model: str, data_dir: Path | None = None) -> pd.Series:
    """The row of ``data/models.csv`` named ``model``."""
    return data.row(data.load("models", data_dir), "model", model)


def _spec(value, loader, data_dir):
    return value if isinstance(value, pd.Series) else loader(value, data_dir)


def _check_bits(weight_bits: float) -> None:
    if weight_bits not in (4, 8, 16):
        raise ValueError(f"weight_bits must be 16, 8 or 4, got {weight_bits!r}")


# -------------------------------------------------------------------------- parameter counts

def param_counts(model) -> dict[str, float]:
    """Parameters of a model counted from its config (``models.csv`` row or name).

    attention per layer = hidden * heads * head_dim (Q) + 2 * hidden * kv_heads * head_dim (K, V)
                          + heads * head_dim * hidden (O)
    expert per layer    = 3 * hidden * ffn (gate, up, down); a dense model has one expert
    embedding           = vocab * hidden, and the LM head the same again unless tied.
    Llama 3.1 70B: 80 * (150,994,944 + 704,643,072) + 2 * 1,050,673,152 + norms = 70.55B.
    """
    m = _spec(model, model_spec, None)
    h, heads, kv, d = int(m["hidden_size"]), int(m["attention_heads"]), int(m["kv_heads"]), int(m["head_dim"])
    layers, ffn, vocab = int(m["layers"]), int(m["ffn_size"]), int(m["vocab_size"])
    experts, active_experts = int(m["experts"]), int(m["experts_per_token"])
    attention = h * heads * d + 2 * h * kv * d + heads * d * h
    expert = 3 * h * ffn
    router = h * experts if experts > 1 else 0
    embedding = vocab * h
    lm_head = 0 if m["tied_embeddings"] else vocab * h
    norms = layers * 2 * h + h
    return {
        "attention_per_layer": attention,
        "expert_per_layer": expert,
        "router_per_layer": router,
        "layer_linear": layers * (attention + experts * expert + router),
        "layer_linear_active": layers * (attention + active_experts * expert + router),
        "embedding": embedding,
        "lm_head": lm_head,
        "norms": norms,
        "total": layers * (attention + experts * expert + router) + embedding + lm_head + norms,
        "active": layers * (attention + active_experts * expert + router) + embedding + lm_head + norms,
    }


# ----------------------------------------------------------------------------------- memory

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


def memory_breakdown(gpu, model, weight_bits: float = 16, context_tokens: int = 4096, batch: int = 1,
                     gpu_count: int = 1, kv_bits: float = 16, data_dir: Path | None = None) -> dict:
    """Per-GPU memory of a tensor-parallel group of ``gpu_count``: weights, KV cache for
    ``batch`` sequences of ``context_tokens``, activations; against the budget. In GB (1e9)."""
    g, m = _spec(gpu, gpu_spec, data_dir), _spec(model, model_spec, data_dir)
    if gpu_count < 1:
        raise ValueError(f"gpu_count must be at least 1, got {gpu_count!r}")
    weights = weights_bytes(m, weight_bits) / gpu_count
    kv = batch * context_tokens * kv_bytes_per_token(m, kv_bits) / _kv_split(m, gpu_count)
    activations = activation_bytes(m, gpu_count)
    budget = memory_budget_bytes(g)
    total = weights + kv + activations
    return {
        "weights_gb": weights / BYTES_PER_GB,
        "kv_cache_gb": kv / BYTES_PER_GB,
        "activations_gb": activations / BYTES_PER_GB,
        "total_gb": total / BYTES_PER_GB,
        "budget_gb": budget / BYTES_PER_GB,
        "fits": bool(total <= budget),
    }


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


# ------------------------------------------------------------------------------- throughput

def compute_flops_per_s(gpu, weight_bits: float = 16, data_dir: Path | None = None) -> float | None:
    """Dense tensor throughput used at ``weight_bits``: 16 and 4 bits compute in bf16 (4-bit
    weights are dequantised, W4A16); 8 bits in FP8 where the GPU has it (W8A8), else in bf16
    (weight-only, W8A16). None where the datasheet gives no figure."""
    spec = _spec(gpu, gpu_spec, data_dir)
    column = "fp8_tflops" if weight_bits == 8 and not pd.isna(spec["fp8_tflops"]) else "bf16_tflops"
    value = spec[column]
    if pd.isna(value):
        value = spec["fp16_tflops"]
    return None if pd.isna(value) else float(value) * 1e12


def _expected_experts(model, tokens: float) -> float:
    """Experts of one MoE layer that ``tokens`` tokens touch, routing uniformly at random:
    E * (1 - (1 - k / E) ** tokens). A dense model: 1."""
    experts, k = int(model["experts"]), int(model["experts_per_token"])
    if experts == 1:
        return 1.0
    return experts * (1.0 - (1.0 - k / experts) ** tokens)


def step_terms(gpu, model, tokens: int, context_tokens: float, phase: str, weight_bits: float = 16,
               gpu_count: int = 1, kv_bits: float = 16, data_dir: Path | None = None) -> dict:
    """The four roofline times of one step at 100% efficiency, in seconds, and the layer count.

    decode (``tokens`` sequences, each attending over ``context_tokens``):
        weights read  = layer weights touched + LM head; KV read = tokens * context * KV/token
        matmul flops  = 2 * active matmul params * tokens
        attention flops = 4 * tokens * context * heads * head_dim * layers
    prefill (one prompt of ``tokens``, causal):
        KV written = tokens * KV/token; attention flops = 2 * tokens**2 * heads * head_dim * layers
    The LM head is applied to every token, as in the H200 measurements.
    """
    g, m = _spec(gpu, gpu_spec, data_dir), _spec(model, model_spec, data_dir)
    _check_bits(weight_bits)
    if phase not in ("decode", "prefill"):
        raise ValueError(f"phase must be decode or prefill, got {phase!r}")
    if tokens < 1 or context_tokens < 0:
        raise ValueError("tokens must be at least 1 and context_tokens not negative")
    counts = param_counts(m)
    layers, heads, d = int(m["layers"]), int(m["attention_heads"]), int(m["head_dim"])
    bits = weight_bits + GROUP_OVERHEAD_BITS.get(weight_bits, 0.0)
    attention_w = layers * counts["attention_per_layer"]
    expert_w = layers * counts["expert_per_layer"] * _expected_experts(m, tokens)
    router_w = layers * counts["router_per_layer"]
    weight_bytes = (attention_w + expert_w + router_w) * bits / 8 + counts["lm_head"] * EMBEDDING_BITS / 8
    matmul_flops = 2 * (counts["layer_linear_active"] + counts["lm_head"]) * tokens
    kv_token = kv_bytes_per_token(m, kv_bits)
    if phase == "decode":
        kv_bytes = tokens * context_tokens * kv_token
        attention_flops = 4 * tokens * context_tokens * heads * d * layers
    else:
        kv_bytes = tokens * kv_token
        attention_flops = 2 * tokens * tokens * heads * d * layers
    bandwidth = float(g["memory_bandwidth_gb_per_s"]) * 1e9 * gpu_count
    compute = compute_flops_per_s(g, weight_bits)
    compute = None if compute is None else compute * gpu_count
    return {
        "matmul_memory_s": weight_bytes / bandwidth,
        "matmul_compute_s": 0.0 if compute is None else matmul_flops / compute,
        "attention_memory_s": kv_bytes / bandwidth,
        "attention_compute_s": 0.0 if compute is None else attention_flops / compute,
        "layers": layers,
        "compute_known": compute is not None,
    }


def _norm(a, b, p: float):
    if math.isinf(p):
        return np.maximum(a, b)
    return (a**p + b**p) ** (1.0 / p)


def _combine(terms, cal: Calibration):
    """Step time from the four 100%-efficiency terms (see the module docstring)."""
    e_bw, e_c = cal.bandwidth_efficiency, cal.compute_efficiency
    return (terms["layers"] * cal.layer_overhead_s
            + _norm(terms["matmul_memory_s"] / e_bw, terms["matmul_compute_s"] / e_c, cal.p)
            + _norm(terms["attention_memory_s"] / e_bw, terms["attention_compute_s"] / e_c, cal.p))


def decode_step_s(gpu, model, batch: int, context_tokens: float, weight_bits: float = 16, *,
                  gpu_count: int = 1, kv_bits: float = 16, calibration: Calibration = CALIBRATION,
                  data_dir: Path | None = None) -> float:
    """Seconds of one decode step: one new token for each of ``batch`` sequences."""
    terms = step_terms(gpu, model, batch, context_tokens, "decode", weight_bits, gpu_count, kv_bits, data_dir)
    return float(_combine(terms, calibration))


def decode_tokens_per_s(gpu: str, model: str, batch: int, context_tokens: int, weight_bits: float = 16, *,
                        gpu_count: int = 1, kv_bits: float = 16, calibration: Calibration = CALIBRATION,
                        data_dir: Path | None = None) -> float:
    """Output tokens/s of ``batch`` sequences decoding over ``context_tokens`` of context:
    batch / decode step time. ``gpu`` and ``model`` are first-column names of
    ``data/gpu_specs.csv`` and ``data/models.csv``. Memory is not checked here: see
    :func:`max_batch`. Where the GPU's datasheet gives no compute figure the result is a
    bandwidth-only ceiling."""
    return batch / decode_step_s(gpu, model, batch, context_tokens, weight_bits, gpu_count=gpu_count,
                                 kv_bits=kv_bits, calibration=calibration, data_dir=data_dir)


def prefill_tokens_per_s(gpu: str, model: str, prompt_tokens: int, weight_bits: float = 16, *,
                         gpu_count: int = 1, kv_bits: float = 16, calibration: Calibration = CALIBRATION,
                         data_dir: Path | None = None) -> float:
    """Input tokens/s of one prompt of ``prompt_tokens`` (causal attention): prompt / step."""
    terms = step_terms(gpu, model, prompt_tokens, prompt_tokens, "prefill", weight_bits, gpu_count,
                       kv_bits, data_dir)
    return prompt_tokens / float(_combine(terms, calibration))


# ------------------------------------------------------------------------------ calibration

def _measured_terms(measured: pd.DataFrame, data_dir: Path | None = None) -> pd.DataFrame:
    rows = []
    for r in measured.itertuples(index=False):
        tokens = int(r.batch) if r.phase == "decode" else int(r.context_tokens)
        t = step_terms(r.gpu, r.model, tokens, float(r.context_tokens), r.phase, float(r.weight_bits),
                       data_dir=data_dir)
        rows.append(t)
    return pd.DataFrame(rows)


def _grid(start, stop, step):
    return np.round(np.arange(start, stop + step / 2, step), 10)


def refit(measured: pd.DataFrame | str | Path | None = None, data_dir: Path | None = None) -> Calibration:
    """Fit the efficiency factors to measured step times (default ``data/measured_h200.csv``;
    a path or a frame in that format, e.g. written by ``python -m helpers.probe``).

    Searches :data:`FIT_GRID` for the (p, e_bw, e_c, layer_overhead_s) that minimise the RMS of
    log(model step / measured step); deterministic. Rows whose GPU has no compute figure are
    rejected: they cannot fix e_c.
    """
    if measured is None:
        measured = data.load("measured_h200", data_dir)
    elif not isinstance(measured, pd.DataFrame):
        measured = data.read_table(Path(measured), "measured_h200")
    if measured.empty:
        raise ValueError("refit needs at least one measured row")
    terms = _measured_terms(measured, data_dir)
    if not terms["compute_known"].all():
        raise ValueError("refit needs GPUs with a compute figure in data/gpu_specs.csv")
    step = measured["step_ms"].to_numpy(float) / 1e3
    mm_b, mm_c = terms["matmul_memory_s"].to_numpy(), terms["matmul_compute_s"].to_numpy()
    at_b, at_c = terms["attention_memory_s"].to_numpy(), terms["attention_compute_s"].to_numpy()
    layers = terms["layers"].to_numpy(float)
    e_bw = _grid(*FIT_GRID["bandwidth_efficiency"])[:, None, None, None]
    e_c = _grid(*FIT_GRID["compute_efficiency"])[None, :, None, None]
    overhead = _grid(*FIT_GRID["layer_overhead_s"])[None, None, :, None]
    best = None
    for p in FIT_GRID["p"]:
        model_step = layers * overhead + _norm(mm_b / e_bw, mm_c / e_c, p) + _norm(at_b / e_bw, at_c / e_c, p)
        log_err = np.log(model_step / step)
        rms = np.sqrt((log_err**2).mean(axis=-1))
        i = np.unravel_index(np.argmin(rms), rms.shape)
        if best is None or rms[i] < best[0] - 1e-12:
            best = (float(rms[i]), p, i)
    _, p, (ib, ic, io) = best
    cal = Calibration(float(e_bw.ravel()[ib]), float(e_c.ravel()[ic]), float(overhead.ravel()[io]), p,
                      0.0, 0.0, len(measured))
    errors = calibration_table(measured, cal, data_dir)["error"]
    return Calibration(cal.bandwidth_efficiency, cal.compute_efficiency, cal.layer_overhead_s, p,
                       float(np.sqrt((errors**2).mean())), float(errors.abs().max()), len(measured))


def calibration_table(measured: pd.DataFrame | None = None, calibration: Calibration = CALIBRATION,
                      data_dir: Path | None = None) -> pd.DataFrame:
    """Each measured point beside the model's estimate: measured and modelled tokens/s and the
    relative error model / measured - 1."""
    if measured is None:
        measured = data.load("measured_h200", data_dir)
    rows = []
    for r in measured.itertuples(index=False):
        if r.phase == "decode":
            model_tps = decode_tokens_per_s(r.gpu, r.model, int(r.batch), int(r.context_tokens),
                                            float(r.weight_bits), calibration=calibration, data_dir=data_dir)
        else:
            model_tps = prefill_tokens_per_s(r.gpu, r.model, int(r.context_tokens), float(r.weight_bits),
                                             calibration=calibration, data_dir=data_dir)
        measured_tps = float(r.tokens) / (float(r.step_ms) / 1e3)
        rows.append({
            "gpu": r.gpu, "model": r.model, "weight_bits": float(r.weight_bits), "phase": r.phase,
            "batch": int(r.batch), "context_tokens": int(r.context_tokens), "measured_tokens_per_s": measured_tps,
            "model_tokens_per_s": model_tps, "error": model_tps / measured_tps - 1.0,
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------- serving

def mean_decode_context(prompt_tokens: int, output_tokens: int) -> float:
    """Mean context a sequence attends over while it decodes: prompt + output / 2 (the cache
    grows from the prompt to prompt + output)."""
    return prompt_tokens + output_tokens / 2


def serving_capacity(gpu, model, weight_bits: float = 16, prompt_tokens: int = DEFAULT_PROMPT_TOKENS,
                     output_tokens: int = DEFAULT_PROMPT_TOKENS,
                     min_sequence_tokens_per_s: float | None = DEFAULT_MIN_SEQUENCE_TOKENS_PER_S,
                     gpu_count: int | None = None, batch_limit: int = MAX_BATCH, kv_bits: float = 16,
                     calibration: Calibration = CALIBRATION, data_dir: Path | None = None) -> dict:
    """What one replica (``gpu_count`` GPUs, default the fewest that hold the model) serves of
    requests with ``prompt_tokens`` in and ``output_tokens`` out.

    The replica runs B requests at once: it prefills their B * prompt tokens, then decodes
    ``output_tokens`` steps at the mean context prompt + output / 2:
        cycle_s = B * prompt / prefill_tokens_per_s(prompt) + output * decode_step_s(B, context)
        output_tokens_per_s = B * output / cycle_s; total adds the input tokens.
    B is the largest batch whose KV cache fits memory at the mean context (a paged KV cache
    with staggered requests holds prompt + output / 2 tokens per sequence on average), stays within
    ``batch_limit`` and decodes each sequence at ``min_sequence_tokens_per_s`` or faster.
    Prefill is not overlapped with decode, so this errs on the low side of an engine with
    chunked prefill. batch = 0: no batch meets the latency floor or the model does not fit.
    """
    g, m = _spec(gpu, gpu_spec, data_dir), _spec(model, model_spec, data_dir)
    if prompt_tokens < 1 or output_tokens < 1:
        raise ValueError("prompt_tokens and output_tokens must be at least 1")
    full_context = prompt_tokens + output_tokens
    if gpu_count is None:
        gpu_count = gpus_needed(g, m, weight_bits, full_context, 1, kv_bits) or 0
    result = {"gpu": g["gpu"], "model": m["model"], "weight_bits": weight_bits, "gpu_count": gpu_count,
              "batch": 0, "sequence_tokens_per_s": 0.0, "output_tokens_per_s": 0.0,
              "input_tokens_per_s": 0.0, "total_tokens_per_s": 0.0}
    if gpu_count == 0:
        return result
    mean_context = mean_decode_context(prompt_tokens, output_tokens)
    fits = min(max_batch(g, m, math.ceil(mean_context), weight_bits, gpu_count, kv_bits), batch_limit)
    prefill_tps = prefill_tokens_per_s(g, m, prompt_tokens, weight_bits, gpu_count=gpu_count,
                                       kv_bits=kv_bits, calibration=calibration)
    for batch in range(fits, 0, -1):
        step = decode_step_s(g, m, batch, mean_context, weight_bits, gpu_count=gpu_count, kv_bits=kv_bits,
                             calibration=calibration)
        if min_sequence_tokens_per_s and 1.0 / step < min_sequence_tokens_per_s:
            continue
        cycle = batch * prompt_tokens / prefill_tps + output_tokens * step
        result.update(batch=batch, sequence_tokens_per_s=1.0 / step,
                      output_tokens_per_s=batch * output_tokens / cycle,
                      input_tokens_per_s=batch * prompt_tokens / cycle,
                      total_tokens_per_s=batch * full_context / cycle)
        break
    return result


def output_tokens_for(prompt_tokens: int, input_share: float) -> int:
    """Output tokens per request at an input share: prompt * (1 - share) / share (50/50: equal)."""
    if not 0.0 < input_share < 1.0:
        raise ValueError(f"input_share must lie strictly between 0 and 1, got {input_share!r}")
    return max(1, round(prompt_tokens * (1.0 - input_share) / input_share))


# ------------------------------------------------------------------- article set-ups / reports

def published_vs_model(data_dir: Path | None = None, calibration: Calibration = CALIBRATION) -> pd.DataFrame:
    """Each published serving measurement beside the model's ceiling for the same GPU(s),
    model, precision, lengths and concurrency (offline runs: the largest batch that fits,
    up to MAX_BATCH_OFFLINE). share_of_model = published / model."""
    published = data.load("published_benchmarks", data_dir)
    rows = []
    for r in published.itertuples(index=False):
        limit = MAX_BATCH_OFFLINE if pd.isna(r.concurrency) else int(r.concurrency)
        cap = serving_capacity(r.gpu, r.model, float(r.weight_bits), int(r.input_tokens), int(r.output_tokens),
                               None, gpu_count=int(r.gpu_count), batch_limit=limit,
                               calibration=calibration, data_dir=data_dir)
        rows.append({
            "benchmark_id": r.benchmark_id, "engine": r.engine, "gpu": r.gpu, "gpu_count": int(r.gpu_count),
            "model": r.model, "precision": r.precision, "input_tokens": int(r.input_tokens),
            "output_tokens": int(r.output_tokens),
            "concurrency": None if pd.isna(r.concurrency) else int(r.concurrency),
            "published_output_tokens_per_s": float(r.output_tokens_per_s),
            "model_batch": cap["batch"],
            "model_output_tokens_per_s": cap["output_tokens_per_s"],
            "share_of_model": float(r.output_tokens_per_s) / cap["output_tokens_per_s"] if cap["output_tokens_per_s"] else math.nan,
        })
    return pd.DataFrame(rows)


def seconds_per_month(hours_per_month: float = HOURS_PER_MONTH) -> float:
    return hours_per_month * SECONDS_PER_HOUR


# ------------------------------------------------------------------ tables of notebook 06

ARTICLE_MODELS = ("Mistral 7B", "Llama 3.1 8B", "Llama 3.3 70B", "Llama 3.1 405B")


def article_hardware(data_dir: Path | None = None) -> list[tuple[str, str, int]]:
    """(hardware as the article names it, gpu_specs row, count) for every row of the Cloud GPU
    Pricing and Consumer GPU tables that ``gpu_specs.csv`` describes."""
    out = []
    names = list(data.load("gpu_cloud", data_dir)["gpu"]) + list(data.load("consumer_hardware", data_dir)["hardware"])
    for name in dict.fromkeys(names):
        try:
            spec, count = resolve_gpu(name, data_dir)
        except KeyError:
            continue  # e.g. "Mac M4 Ultra 192GB": no published specification to model
        out.append((name, spec["gpu"], count))
    return out


def fit_table(models=ARTICLE_MODELS, bits=(16, 8, 4), context_tokens: int = 4096,
              data_dir: Path | None = None) -> pd.DataFrame:
    """Every article GPU x model x precision: weights, whether one sequence of
    ``context_tokens`` fits, the largest batch, and batch-1 decode tokens/s where it fits."""
    rows = []
    for hardware, gpu, count in article_hardware(data_dir):
        for model in models:
            for b in bits:
                batch = max_batch(gpu, model, context_tokens, b, count, data_dir=data_dir)
                rows.append({
                    "hardware": hardware, "gpu": gpu, "gpu_count": count, "model": model, "weight_bits": b,
                    "weights_gb": weights_bytes(model, b, data_dir) / BYTES_PER_GB,
                    "budget_gb": count * memory_budget_bytes(gpu, data_dir) / BYTES_PER_GB,
                    "fits": batch >= 1, "max_batch": batch,
                    "batch1_tokens_per_s": decode_tokens_per_s(gpu, model, 1, context_tokens, b, gpu_count=count,
                                                               data_dir=data_dir) if batch >= 1 else math.nan,
                })
    return pd.DataFrame(rows)


def throughput_curve(gpu: str, model: str, weight_bits: float = 16, context_tokens: int = 1500,
                     batches=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512), gpu_count: int = 1,
                     data_dir: Path | None = None) -> pd.DataFrame:
    """Decode tokens/s against batch at one context, with whether the batch fits memory."""
    fits = max_batch(gpu, model, context_tokens, weight_bits, gpu_count, data_dir=data_dir)
    rows = []
    for b in batches:
        tps = decode_tokens_per_s(gpu, model, b, context_tokens, weight_bits, gpu_count=gpu_count, data_dir=data_dir)
        rows.append({"gpu": gpu, "gpu_count": gpu_count, "model": model, "weight_bits": weight_bits,
                     "context_tokens": context_tokens, "batch": b, "tokens_per_s": tps,
                     "sequence_tokens_per_s": tps / b, "fits": b <= fits})
    return pd.DataFrame(rows)


def batch_for_tokens_per_s(target_tokens_per_s: float, gpu: str, model: str, weight_bits: float = 16,
                           context_tokens: int = 1500, gpu_count: int = 1, largest_batch: int = 4096,
                           data_dir: Path | None = None) -> dict:
    """Where a throughput sits on the decode curve: the smallest batch that reaches it (None:
    not even ``largest_batch``), the largest batch memory holds, and each sequence's speed."""
    fits = max_batch(gpu, model, context_tokens, weight_bits, gpu_count, data_dir=data_dir)
    needed = None
    lo, hi = 1, largest_batch
    if decode_tokens_per_s(gpu, model, hi, context_tokens, weight_bits, gpu_count=gpu_count, data_dir=data_dir) >= target_tokens_per_s:
        while lo < hi:  # tokens/s grows with batch: bisect
            mid = (lo + hi) // 2
            tps = decode_tokens_per_s(gpu, model, mid, context_tokens, weight_bits, gpu_count=gpu_count, data_dir=data_dir)
            lo, hi = (mid + 1, hi) if tps < target_tokens_per_s else (lo, mid)
        needed = lo
    ceiling = decode_tokens_per_s(gpu, model, fits, context_tokens, weight_bits, gpu_count=gpu_count,
                                  data_dir=data_dir) if fits else 0.0
    return {
        "gpu": gpu, "gpu_count": gpu_count, "model": model, "weight_bits": weight_bits,
        "context_tokens": context_tokens, "target_tokens_per_s": target_tokens_per_s,
        "batch_needed": needed, "max_batch_in_memory": fits,
        "tokens_per_s_at_max_batch": ceiling,
        "reachable": needed is not None and needed <= fits,
        "sequence_tokens_per_s_at_target": (target_tokens_per_s / needed) if needed else math.nan,
    }
