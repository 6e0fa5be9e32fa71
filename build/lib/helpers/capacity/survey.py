"""Tables notebook 06 shows: every article GPU against every model size, and where a throughput
sits on the decode curve."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from helpers import data
from helpers.capacity.memory import BYTES_PER_GB, max_batch, memory_budget_bytes, weights_bytes
from helpers.capacity.roofline import decode_tokens_per_s
from helpers.capacity.specs import resolve_gpu

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

