"""Time of one forward step: a roofline of bytes moved and operations done, calibrated on
measured step times.

    matmuls    = || weight bytes / (bandwidth * e_bw),  matmul flops / (compute * e_c) ||_p
    attention  = || KV bytes / (bandwidth * e_bw),      attention flops / (compute * e_c) ||_p
    step       = layers * layer_overhead_s + matmuls + attention
    where ||a, b||_p = (a**p + b**p) ** (1/p): p = inf is the classic max() roofline, p = 1 the
    sum form. Decode: tokens/s = batch / step. Prefill: tokens/s = prompt_tokens / step.

Calibration (:data:`CALIBRATION`) fits e_bw, e_c, layer_overhead_s and p to the 24 step times
measured on one H200 (``data/measured_h200.csv``) by :func:`refit`; its error on every point is
stated in :data:`CALIBRATION` and checked by the tests. These are the model's *calibration
points*; the published serving results are *check points* the model is never fitted to
(:func:`helpers.capacity.serving.published_vs_model`). The factors are shares of the datasheet
peaks, so they carry over to other GPUs only as far as those GPUs' kernels reach the same share
of their peaks: that transfer is an assumption, which the check points test.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import data
from helpers.capacity.memory import EMBEDDING_BITS, GROUP_OVERHEAD_BITS, cached_tokens, kv_bytes_per_token
from helpers.capacity.specs import (
    _check_bits, _spec, attention_flops_per_context_token, gpu_spec, model_spec, param_counts,
)


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


def expected_experts(experts: int, experts_per_token: int, tokens):
    """Distinct routed experts of one MoE layer that ``tokens`` tokens touch in a step, each token
    picking ``experts_per_token`` of ``experts`` uniformly at random:

        E * (1 - (1 - k / E) ** B)

    (an expert is missed by one token with probability 1 - k/E, by all B with its B-th power).
    B = 1: k; B -> infinity: E. A dense model (E = 1): 1. Vectorised over ``tokens``."""
    if experts == 1:
        return np.ones_like(np.asarray(tokens, dtype=float)) if np.ndim(tokens) else 1.0
    return experts * (1.0 - (1.0 - experts_per_token / experts) ** np.asarray(tokens, dtype=float))


def step_terms(gpu, model, tokens: int, context_tokens: float, phase: str, weight_bits: float = 16,
               gpu_count: int = 1, kv_bits: float = 16, data_dir: Path | None = None) -> dict:
    """The four roofline times of one step at 100% efficiency, in seconds, and the layer count.

    decode (``tokens`` sequences, each attending over ``context_tokens``):
        weights read  = attention + dense FFNs and shared experts + routed experts touched
                        (:func:`expected_experts`) + routers, all layers, + LM head
        KV read       = tokens * cached context (:func:`cached_tokens`) * KV/token
        matmul flops  = 2 * active matmul params * tokens
        attention flops = tokens * context * attention flops per context token
                        (:func:`attention_flops_per_context_token`; 4 * heads * head_dim * layers)
    prefill (one prompt of ``tokens``, causal):
        KV written = tokens * KV/token; attention flops = tokens**2 / 2 * flops per context token
    The LM head is applied to every token, as in the H200 measurements.
    """
    g, m = _spec(gpu, gpu_spec, data_dir), _spec(model, model_spec, data_dir)
    _check_bits(weight_bits)
    if phase not in ("decode", "prefill"):
        raise ValueError(f"phase must be decode or prefill, got {phase!r}")
    if tokens < 1 or context_tokens < 0:
        raise ValueError("tokens must be at least 1 and context_tokens not negative")
    counts = param_counts(m)
    layers = int(m["layers"])
    bits = weight_bits + GROUP_OVERHEAD_BITS.get(weight_bits, 0.0)
    attention_w = layers * counts["attention_per_layer"]
    always_w = counts["always_active_ffn"]
    expert_w = counts["moe_layers"] * counts["expert_per_layer"] * expected_experts(
        int(m["experts"]), int(m["experts_per_token"]), tokens)
    router_w = counts["moe_layers"] * counts["router_per_layer"]
    weight_bytes = (attention_w + always_w + expert_w + router_w) * bits / 8 + counts["lm_head"] * EMBEDDING_BITS / 8
    matmul_flops = 2 * (counts["layer_linear_active"] + counts["lm_head"]) * tokens
    kv_token = kv_bytes_per_token(m, kv_bits)
    per_context_token = attention_flops_per_context_token(m)
    if phase == "decode":
        kv_bytes = tokens * cached_tokens(m, context_tokens) * kv_token
        attention_flops = tokens * context_tokens * per_context_token
    else:
        kv_bytes = tokens * kv_token
        attention_flops = tokens * tokens / 2 * per_context_token
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

