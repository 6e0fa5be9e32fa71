"""Capacity: what a GPU holds and how fast it serves a model, from first principles.

The article assumes one number: a single A100 80GB serves Llama 3.3 70B at 1,500 output
tokens/s ("Breakeven Analysis"). This package derives capacity instead, from the GPU's
datasheet (``data/gpu_specs.csv``) and the model's published configuration
(``data/models.csv``). Read it in this order:

- :mod:`.specs`     the table look-ups and the parameters counted from a model's config
- :mod:`.memory`    weights, KV cache (its own precision), activations, the largest batch
- :mod:`.roofline`  the time of one step, calibrated on measured H200 steps (calibration points)
- :mod:`.serving`   one replica kept full by an engine: chunked prefill, tensor parallelism,
                    the engine's batch limits; the published results it is checked against
- :mod:`.queueing`  the M/D/1 queue: closed forms and a simulation that checks them
- :mod:`.latency`   Poisson arrivals, p99 time to first token and per output token, the
                    throughput-latency curve, :func:`slo_output_tokens_per_s`
- :mod:`.traffic`   hourly load profiles: replicas each hour, scaling, utilisation, the hybrid
- :mod:`.survey`    the tables of notebook 06

Every public name is re-exported here, so ``helpers.capacity.decode_tokens_per_s`` and the
like keep working.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from helpers import data
from helpers.assumptions import HOURS_PER_MONTH, INPUT_SHARE, TOKENS_PER_MILLION
from helpers.capacity.latency import (  # noqa: F401
    operating_points, slo_operating_point, slo_output_tokens_per_s, throughput_latency_curve,
)
from helpers.capacity.memory import (  # noqa: F401
    ACTIVATION_TOKENS, BYTES_PER_GB, BYTES_PER_GIB, EMBEDDING_BITS, GROUP_OVERHEAD_BITS, MAX_TENSOR_PARALLEL,
    MEMORY_UTILIZATION, UNIFIED_MEMORY_GPU_SHARE, activation_bytes, gpus_needed, kv_bytes_per_token, max_batch,
    memory_breakdown, memory_budget_bytes, weights_bytes,
)
from helpers.capacity.roofline import (  # noqa: F401
    CALIBRATION, CALIBRATION_ERROR_BOUND, FIT_GRID, Calibration, calibration_table, compute_flops_per_s,
    decode_step_s, decode_tokens_per_s, prefill_tokens_per_s, refit, step_terms,
)
from helpers.capacity.serving import (  # noqa: F401
    DEFAULT_ENGINE, DEFAULT_MIN_SEQUENCE_TOKENS_PER_S, DEFAULT_PROMPT_TOKENS, Replica, batch_bounds,
    engine_defaults, interconnect, mean_decode_context, output_tokens_for, published_vs_model, replica,
    serving_capacity,
)
from helpers.capacity.specs import _spec, gpu_spec, model_spec, param_counts, resolve_gpu  # noqa: F401
from helpers.capacity.survey import (  # noqa: F401
    ARTICLE_MODELS, article_hardware, batch_for_tokens_per_s, fit_table, throughput_curve,
)
from helpers.costs import selfhost

THROUGHPUT_SOURCES = ("article", "model")


# ------------------------------------------------------------- workload and capacity steps

def gpu_usd_per_hour(gpu, data_dir: Path | None = None) -> float | None:
    """On-demand price of one such GPU from ``data/gpu_cloud.csv`` (None: the article gives none)."""
    name = _spec(gpu, gpu_spec, data_dir)["gpu"]
    cloud = data.load("gpu_cloud", data_dir)
    rows = cloud[(cloud["gpu_model"] == name) & (cloud["gpu_count"] == 1) & (cloud["pricing"] == "on_demand")]
    return float(rows["usd_per_hour"].iloc[0]) if len(rows) else None


def workload(tokens_per_month: float, gpu: str, model: str, weight_bits: float = 16,
             input_share: float = INPUT_SHARE, prompt_tokens: int = DEFAULT_PROMPT_TOKENS,
             min_sequence_tokens_per_s: float | None = DEFAULT_MIN_SEQUENCE_TOKENS_PER_S,
             hours_per_month: float = HOURS_PER_MONTH, utilization: float = 1.0,
             usd_per_hour: float | None = None, data_dir: Path | None = None) -> dict:
    """A month of traffic -> replicas, GPUs and their monthly bill.

    replicas = max(1, ceil(tokens_per_month / (replica total tokens/s * 3600 * hours * utilization)))
    gpus = replicas * gpus per replica; usd_per_month = gpus * usd_per_hour * hours_per_month.
    ``usd_per_hour`` defaults to the GPU's on-demand price in ``data/gpu_cloud.csv``.
    """
    if tokens_per_month < 0:
        raise ValueError(f"tokens_per_month must not be negative, got {tokens_per_month!r}")
    if not 0.0 < utilization <= 1.0:
        raise ValueError(f"utilization must lie in (0, 1], got {utilization!r}")
    output_tokens = output_tokens_for(prompt_tokens, input_share)
    replica = serving_capacity(gpu, model, weight_bits, prompt_tokens, output_tokens,
                               min_sequence_tokens_per_s, data_dir=data_dir)
    if replica["batch"] == 0:
        raise ValueError(f"{model} at {weight_bits} bits on {gpu}: no batch fits in "
                         f"{MAX_TENSOR_PARALLEL} GPUs or meets {min_sequence_tokens_per_s} tokens/s per sequence")
    capacity = selfhost.tokens_per_month_capacity(replica["total_tokens_per_s"], hours_per_month) * utilization
    replicas = max(1, math.ceil(tokens_per_month / capacity))
    price = gpu_usd_per_hour(gpu, data_dir) if usd_per_hour is None else usd_per_hour
    gpus = replicas * replica["gpu_count"]
    return {
        **replica,
        "tokens_per_month": tokens_per_month,
        "replica_tokens_per_month": capacity,
        "replicas": replicas,
        "gpus": gpus,
        "usd_per_month": None if price is None else selfhost.gpu_usd_per_month(price, hours_per_month, gpus),
    }


def stepped_selfhost_usd_per_month(tokens_per_month: float, capacity_tokens_per_month: float,
                                   replica_usd_per_month: float, fixed_usd_per_month: float = 0.0) -> float:
    """Self-hosting bill with capacity steps: fixed + max(1, ceil(volume / capacity)) * replica."""
    if capacity_tokens_per_month <= 0:
        raise ValueError("capacity_tokens_per_month must be positive")
    replicas = max(1, math.ceil(tokens_per_month / capacity_tokens_per_month - 1e-12))
    return fixed_usd_per_month + replicas * replica_usd_per_month


def stepped_breakeven_tokens_per_month(blended_usd_per_1m: float, replica_usd_per_month: float,
                                       capacity_tokens_per_month: float, fixed_usd_per_month: float = 0.0) -> float:
    """Smallest monthly volume at which the API bill reaches the stepped self-hosting bill.

    In step k (volume in ((k-1) * capacity, k * capacity]) the API line p * V / 1e6 meets
    fixed + k * replica at V_k = (fixed + k * replica) / p * 1e6, valid if V_k <= k * capacity,
    i.e. k * (capacity * p / 1e6 - replica) >= fixed. If one replica's full capacity earns less
    at API prices than it costs (capacity * p / 1e6 < replica) the API stays cheaper at every
    volume: the breakeven is infinite. Without steps the article gets replica / p * 1e6.
    """
    if blended_usd_per_1m < 0 or replica_usd_per_month < 0 or fixed_usd_per_month < 0:
        raise ValueError("prices and costs must not be negative")
    if capacity_tokens_per_month <= 0:
        raise ValueError("capacity_tokens_per_month must be positive")
    if blended_usd_per_1m == 0:
        return math.inf
    margin = capacity_tokens_per_month * blended_usd_per_1m / TOKENS_PER_MILLION - replica_usd_per_month
    if margin < 0 or (margin == 0 and fixed_usd_per_month > 0):
        return math.inf
    k = 1 if fixed_usd_per_month == 0 else max(1, math.ceil(fixed_usd_per_month / margin - 1e-12))
    return (fixed_usd_per_month + k * replica_usd_per_month) / blended_usd_per_1m * TOKENS_PER_MILLION


# ------------------------------------------------------------------- article set-ups / reports

def setup_capacity(setup: str = "article_a100_llama70b", input_share: float = INPUT_SHARE,
                   prompt_tokens: int = DEFAULT_PROMPT_TOKENS,
                   min_sequence_tokens_per_s: float | None = DEFAULT_MIN_SEQUENCE_TOKENS_PER_S,
                   data_dir: Path | None = None, gpu: str | None = None) -> dict:
    """The model's serving capacity of a ``data/selfhost_setups.csv`` set-up (its model and
    bits) on the GPUs it names, or on ``gpu`` when given (a row of gpu_cloud.csv, e.g.
    "NVIDIA A100 80GB" or "2x A100 80GB")."""
    row = data.row(data.load("selfhost_setups", data_dir), "setup", setup)
    spec, count = resolve_gpu(gpu or row["gpu"], data_dir)
    output_tokens = output_tokens_for(prompt_tokens, input_share)
    return serving_capacity(spec, model_spec(row["model"], data_dir), float(row["bits_per_weight"]),
                            prompt_tokens, output_tokens, min_sequence_tokens_per_s, gpu_count=count,
                            data_dir=data_dir)


def setup_tokens_per_s(setup: str = "article_a100_llama70b", throughput_source: str = "article",
                       input_share: float = INPUT_SHARE, prompt_tokens: int = DEFAULT_PROMPT_TOKENS,
                       min_sequence_tokens_per_s: float | None = DEFAULT_MIN_SEQUENCE_TOKENS_PER_S,
                       data_dir: Path | None = None, gpu: str | None = None) -> float:
    """Tokens/s of a set-up for the breakeven's capacity = tokens_per_s * 3600 * hours.

    throughput_source "article": the set-up's ``tokens_per_s_conservative`` (1,500 for the
    article's A100 + Llama 3.3 70B; the article calls it output tokens/s but multiplies it into
    a capacity it compares with input + output volume), whatever ``gpu``.
    throughput_source "model": input + output tokens/s that :func:`serving_capacity` gives for
    the set-up's model and bits on its GPUs (or on ``gpu``), at ``input_share`` (requests of
    ``prompt_tokens`` in and the matching output) and the per-sequence latency floor; so the
    capacity counts the same tokens as the monthly volume. 0 when the model does not fit.
    """
    if throughput_source not in THROUGHPUT_SOURCES:
        raise ValueError(f"throughput_source must be one of {THROUGHPUT_SOURCES}, got {throughput_source!r}")
    if throughput_source == "article":
        return float(data.row(data.load("selfhost_setups", data_dir), "setup", setup)["tokens_per_s_conservative"])
    return float(setup_capacity(setup, input_share, prompt_tokens, min_sequence_tokens_per_s, data_dir,
                                gpu=gpu)["total_tokens_per_s"])



def breakeven_stepped(api_models, setup: str = "article_a100_llama70b", throughput_source: str = "model",
                      input_share: float = INPUT_SHARE, hours_per_month: float = HOURS_PER_MONTH,
                      fixed_usd_per_month: float = 0.0, prompt_tokens: int = DEFAULT_PROMPT_TOKENS,
                      min_sequence_tokens_per_s: float | None = DEFAULT_MIN_SEQUENCE_TOKENS_PER_S,
                      data_dir: Path | None = None) -> pd.DataFrame:
    """The Breakeven Summary with capacity steps: one replica of the set-up serves
    setup_tokens_per_s * 3600 * hours tokens a month and costs its GPUs' rent; past that volume
    another replica is rented. Beside it the article's flat breakeven (one GPU, no ceiling)."""
    from helpers.article import tables  # noqa: PLC0415 - tables imports many modules; only this builder needs it

    row = data.row(data.load("selfhost_setups", data_dir), "setup", setup)
    cloud = data.row(data.load("gpu_cloud", data_dir), "gpu", row["gpu"])
    replica_usd = selfhost.gpu_usd_per_month(float(cloud["usd_per_hour"]), hours_per_month)
    tps = setup_tokens_per_s(setup, throughput_source, input_share, prompt_tokens, min_sequence_tokens_per_s, data_dir)
    capacity_month = selfhost.tokens_per_month_capacity(tps, hours_per_month)
    rows = []
    for model in api_models:
        blended = tables.blended_price(model, input_share, data_dir)
        flat = replica_usd / blended * TOKENS_PER_MILLION if blended else math.inf
        stepped = stepped_breakeven_tokens_per_month(blended, replica_usd, capacity_month, fixed_usd_per_month) \
            if capacity_month > 0 else math.inf
        rows.append({
            "api_model": model, "blended_usd_per_1m": blended, "throughput_source": throughput_source,
            "tokens_per_s": tps, "replica_tokens_per_month": int(round(capacity_month)),
            "replica_usd_per_month": replica_usd, "fixed_usd_per_month": fixed_usd_per_month,
            "flat_breakeven_tokens_per_month": flat,
            "stepped_breakeven_tokens_per_month": stepped,
            "replicas_at_breakeven": None if math.isinf(stepped) else max(1, math.ceil(stepped / capacity_month - 1e-12)),
            "selfhost_usd_per_1m_at_full_load": (replica_usd / capacity_month * TOKENS_PER_MILLION) if capacity_month else math.inf,
        })
    return pd.DataFrame(rows)
