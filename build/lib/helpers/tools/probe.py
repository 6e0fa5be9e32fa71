"""Measure decode and prefill step times on your own CUDA GPU, in the format of
``data/measured_h200.csv``, so that :func:`helpers.capacity.refit` can calibrate on your card.

    python -m helpers.probe --model "Llama 3.1 8B" --gpu "RTX 4090 24GB" --out my_card.csv
    python -c "from helpers import capacity; print(capacity.refit('my_card.csv'))"

What it runs is what the H200 reference measurements ran (see the ``source`` column of
``data/measured_h200.csv``): a decoder with the exact shapes of a ``data/models.csv`` model
(dense models only) and random bf16 weights (random weights cost what trained ones cost:
same shapes, same bytes), each layer RMSNorm, fused QKV projection, scaled-dot-product attention over a KV cache, output
projection, SwiGLU MLP, then the LM head. Each step is captured once in a CUDA graph and
replayed; the median of ``--replays`` replays is reported (grouped-query SDPA needs PyTorch
2.5+). Decode: one new token for each of ``batch`` sequences over ``context_tokens`` of cache;
prefill: one causal prompt.

PyTorch is not a dependency of the workbook: without it, or without a CUDA GPU, the probe says
so and exits 0. It never writes into ``data/``. A point that runs out of GPU memory is skipped.
"""
from __future__ import annotations

import argparse
import csv
import datetime as _dt
import os
import re
import statistics
import sys
from pathlib import Path

from helpers import capacity, data, paths
from helpers.files import atomic_write

COLUMNS = ["gpu", "model", "model_shape", "weight_dtype", "weight_bits", "phase", "batch",
           "context_tokens", "tokens", "step_ms", "tokens_per_s", "source", "as_of"]
DEFAULT_BATCHES = (1, 8, 32, 64)
DEFAULT_CONTEXTS = (1024, 4096)
DEFAULT_PREFILLS = (2048,)


def slug(text: str) -> str:
    """'Llama 3.1 8B' -> 'llama-3.1-8b'."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


def rows_from_timings(gpu: str, model: str, timings: list[tuple[str, int, int, float]], source: str,
                      as_of: str, model_shape: str | None = None) -> list[dict]:
    """Rows of the measured CSV from ``(phase, batch, context_tokens, step_s)`` timings.

    decode: tokens = batch, tokens_per_s = batch / step; prefill: tokens = context_tokens
    (batch 1), tokens_per_s = context_tokens / step.
    """
    rows = []
    for phase, batch, context, step_s in timings:
        if phase not in ("decode", "prefill"):
            raise ValueError(f"phase must be decode or prefill, got {phase!r}")
        if not step_s > 0:
            raise ValueError(f"step time must be positive, got {step_s!r} for {phase} batch {batch} context {context}")
        tokens = batch if phase == "decode" else context
        rows.append({
            "gpu": gpu, "model": model, "model_shape": model_shape or slug(model),
            "weight_dtype": "bf16", "weight_bits": 16, "phase": phase, "batch": batch,
            "context_tokens": context, "tokens": tokens, "step_ms": round(step_s * 1e3, 3),
            "tokens_per_s": round(tokens / step_s, 1), "source": source, "as_of": as_of,
        })
    return rows


def write_rows(rows: list[dict], path: str | os.PathLike) -> Path:
    """Write rows as CSV at ``path`` atomically (temporary file, then rename), validated first
    against the ``measured_h200`` schema; refuses a path inside ``data/``."""
    target = Path(path).resolve()
    if paths.DATA_DIR.resolve() in target.parents:
        raise ValueError(f"the probe does not write into data/ ({target}); copy the file there with its source")
    target.parent.mkdir(parents=True, exist_ok=True)
    # check: raises, naming line and column, if a row is bad; the target is then untouched
    with atomic_write(target, newline="", check=lambda tmp: data.read_table(tmp, "measured_h200")) as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return target


def _import_torch():
    import torch  # noqa: PLC0415 - optional: the workbook does not depend on PyTorch
    return torch


# ------------------------------------------------------------------------ GPU measurement

def _decoder(torch, m, device):
    """Random bf16 weights with the model's shapes."""
    h, heads, kv, d = int(m["hidden_size"]), int(m["attention_heads"]), int(m["kv_heads"]), int(m["head_dim"])
    f, vocab = int(m["ffn_size"]), int(m["vocab_size"])

    def w(*shape):
        return torch.randn(*shape, device=device, dtype=torch.bfloat16) * 0.02

    layers = [{
        "norm1": torch.ones(h, device=device, dtype=torch.bfloat16),
        "qkv": w(h, (heads + 2 * kv) * d),
        "o": w(heads * d, h),
        "norm2": torch.ones(h, device=device, dtype=torch.bfloat16),
        "gate_up": w(h, 2 * f),
        "down": w(f, h),
    } for _ in range(int(m["layers"]))]
    return layers, w(h, vocab), (heads, kv, d)


def _forward(torch, layers, lm_head, dims, x, caches, causal):
    functional = torch.nn.functional
    heads, kv, d = dims

    def rms(t, weight):
        return t * torch.rsqrt(t.float().pow(2).mean(-1, keepdim=True) + 1e-5).to(t.dtype) * weight

    batch, tokens = x.shape[:2]
    for layer, cache in zip(layers, caches):
        q, k, v = (rms(x, layer["norm1"]) @ layer["qkv"]).split([heads * d, kv * d, kv * d], -1)
        q = q.view(batch, tokens, heads, d).transpose(1, 2)
        if causal:
            k = k.view(batch, tokens, kv, d).transpose(1, 2)
            v = v.view(batch, tokens, kv, d).transpose(1, 2)
            a = functional.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        else:
            a = functional.scaled_dot_product_attention(q, cache[0], cache[1], enable_gqa=True)
        x = x + a.transpose(1, 2).reshape(batch, tokens, heads * d) @ layer["o"]
        gate, up = (rms(x, layer["norm2"]) @ layer["gate_up"]).chunk(2, -1)
        x = x + (functional.silu(gate) * up) @ layer["down"]
    return x @ lm_head


def _median_replay_s(torch, fn, replays: int) -> float:
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        fn()
        fn()
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn()
    times = []
    for _ in range(replays):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        graph.replay()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    return statistics.median(times)


def measure(torch, model: str, batches, contexts, prefills, replays: int = 15, log=print) -> list[tuple]:
    """Time decode at every (batch, context) and prefill at every prompt length on cuda:0."""
    m = capacity.model_spec(model)
    if int(m["experts"]) > 1:
        raise ValueError(f"{model} is a mixture of experts; the probe times dense models only")
    device = torch.device("cuda")
    timings = []
    with torch.inference_mode():
        layers, lm_head, dims = _decoder(torch, m, device)
        _, kv, d = dims
        h = int(m["hidden_size"])
        points = [("decode", b, c) for c in contexts for b in batches] + [("prefill", 1, p) for p in prefills]
        for phase, batch, context in points:
            try:
                if phase == "decode":
                    x = torch.randn(batch, 1, h, device=device, dtype=torch.bfloat16)
                    caches = [(torch.randn(batch, kv, context, d, device=device, dtype=torch.bfloat16),
                               torch.randn(batch, kv, context, d, device=device, dtype=torch.bfloat16))
                              for _ in layers]
                else:
                    x = torch.randn(1, context, h, device=device, dtype=torch.bfloat16)
                    caches = [None] * len(layers)
                step = _median_replay_s(torch, lambda: _forward(torch, layers, lm_head, dims, x, caches,
                                                                phase == "prefill"), replays)
            except torch.cuda.OutOfMemoryError:
                log(f"  {phase} batch {batch} context {context}: out of GPU memory, skipped")
                continue
            finally:
                caches = x = None
                torch.cuda.empty_cache()
            log(f"  {phase} batch {batch} context {context}: {step * 1e3:.3f} ms")
            timings.append((phase, batch, context, step))
    return timings


def _ints(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def main(argv: list[str] | None = None, log=print) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.probe", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="Llama 3.1 8B", help="a model of data/models.csv (dense)")
    parser.add_argument("--gpu", default=None, help="name for the gpu column (default: the device name); "
                        "use a row of data/gpu_specs.csv to refit on it")
    parser.add_argument("--batches", type=_ints, default=DEFAULT_BATCHES, help="decode batch sizes, e.g. 1,8,32")
    parser.add_argument("--contexts", type=_ints, default=DEFAULT_CONTEXTS, help="decode context lengths")
    parser.add_argument("--prefills", type=_ints, default=DEFAULT_PREFILLS, help="prefill prompt lengths")
    parser.add_argument("--replays", type=int, default=15, help="CUDA-graph replays per point (median)")
    parser.add_argument("--out", default=None, help="CSV to write (default probe_<gpu>_<model>.csv here)")
    args = parser.parse_args(argv)
    capacity.model_spec(args.model)  # an unknown model fails before any GPU work
    try:
        torch = _import_torch()
    except ImportError:
        log("PyTorch is not installed, so there is nothing to measure (the workbook does not need it). "
            "Install a CUDA build of torch to probe a GPU.")
        return 0
    if not torch.cuda.is_available():
        log(f"No CUDA GPU is visible to PyTorch {torch.__version__}: nothing to measure.")
        return 0
    device_name = torch.cuda.get_device_name(0)
    gpu = args.gpu or device_name
    log(f"Probing {args.model} shapes on {device_name} (PyTorch {torch.__version__}) ...")
    timings = measure(torch, args.model, args.batches, args.contexts, args.prefills, args.replays, log)
    if not timings:
        log("No point could be measured (all out of memory?): nothing written.")
        return 1
    source = (f"python -m helpers.probe on {device_name}, PyTorch {torch.__version__}, CUDA {torch.version.cuda}: "
              f"random bf16 weights with the shapes of {args.model}, CUDA-graph replay, median of {args.replays}")
    rows = rows_from_timings(gpu, args.model, timings, source, _dt.date.today().isoformat())
    out = args.out or f"probe_{slug(gpu)}_{slug(args.model)}.csv"
    log(f"wrote {write_rows(rows, out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
