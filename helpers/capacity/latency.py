"""Latency targets: how much one replica serves while the 99th percentile time to first token
(TTFT) and time per output token (TPOT) stay within limits, with Poisson arrivals.

Method: a queueing approximation, not a simulation. The engine (continuous batching with
chunked prefill, :mod:`helpers.capacity.serving`) is described by its mean number of running
sequences B; everything else follows from B:

    step s(B)      = Replica.step_s(B, prompt + output / 2, B * prompt / output, prompt)
    arrivals       lambda = B / (output * s)             (Little's law: B = lambda * output * s)
    output tokens/s = lambda * output = B / s
    p99 TPOT       = s at B99 = B + z99 * sqrt(B) running sequences (z99 = 2.326): the number of
                     running sequences of an M/G/inf system is Poisson(B); the per-step spread is
                     taken whole, though a request averages it over its output steps, so this
                     errs on the slow side
    prefill queue  prompts wait for the token budget left beside the decode batch: while a
                   backlog lasts each step prefills (chunk_tokens - B) tokens in s_busy =
                   step(B, chunk_tokens - B), so one prompt occupies the prefill server for
                   D = prompt * s_busy / (chunk_tokens - B). Identical prompts, Poisson arrivals,
                   first come first served: an M/D/1 queue at load rho = lambda * D
                   (:mod:`helpers.capacity.queueing`)
    p99 TTFT       = p99 M/D/1 wait + s (the step running when the request arrives)
                     + the prompt's own steps: step(B, prompt) when it fits one step's budget,
                     else D

Why an approximation and not a simulation of a few thousand requests: the answer must be
deterministic and smooth (a derivation prices 10,000 volumes, and a tighter target must never
give more tokens/s, which noise would break), and cheap enough for the what-if panel. The
queue's closed forms are tested against a vectorised simulation in ``tests/test_latency.py``.
Both latencies grow with B, so the highest B meeting both targets is found on a grid and then
by refining the bracket where the grid stops meeting them (a bisection that tries many batches
at once), and a tighter target can only stop it earlier.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.capacity.queueing import md1_mean_wait_s, md1_wait_quantile_s
from helpers.capacity.roofline import CALIBRATION, Calibration
from helpers.capacity.serving import DEFAULT_ENGINE, batch_bounds, mean_decode_context, replica

QUANTILE = 0.99
Z_QUANTILE = 2.326  # the standard normal's 99th percentile
GRID_POINTS = 256  # batches tried at once before the refinement
# The refinement splits the bracket into REFINE_POINTS parts per round, all tried at once:
# 64 ** 5 = 2 ** 30, the precision of 30 bisection steps in 5 vectorised rounds.
REFINE_POINTS = 64
REFINE_ROUNDS = 5


class _Setup:
    """One replica, one request shape: the latencies as functions of the mean batch B."""

    def __init__(self, gpu, model, prompt_tokens, output_tokens, weight_bits, gpu_count, kv_bits, max_sequences,
                 chunk_tokens, engine, calibration, data_dir):
        if prompt_tokens < 1 or output_tokens < 1:
            raise ValueError("prompt_tokens and output_tokens must be at least 1")
        self.prompt, self.output = float(prompt_tokens), float(output_tokens)
        self.replica = replica(gpu, model, weight_bits, gpu_count, kv_bits, calibration, data_dir)
        bounds = batch_bounds(gpu, model, weight_bits, prompt_tokens, output_tokens, gpu_count, kv_bits,
                              max_sequences, chunk_tokens, engine, data_dir)
        self.largest = float(min(bounds["memory"], bounds["max_sequences"], bounds["chunk"]))
        self.chunk_tokens = float(bounds["chunk_tokens"])
        self.context = mean_decode_context(prompt_tokens, output_tokens)

    def step_s(self, batch):
        return self.replica.step_s(batch, self.context, batch * self.prompt / self.output, self.prompt)

    def at(self, batch) -> dict:
        b = np.asarray(batch, dtype=float)
        s = self.step_s(b)
        arrival = b / (self.output * s)
        b99 = np.minimum(b + Z_QUANTILE * np.sqrt(b), max(self.largest, 0.0))
        tpot99 = self.step_s(b99)
        spare = self.chunk_tokens - b
        with np.errstate(divide="ignore", invalid="ignore"):
            room = np.maximum(spare, 1e-9)
            busy = self.replica.step_s(b, self.context, room, self.prompt)
            service = np.where(spare > 0, self.prompt * busy / room, np.inf)
            alone = self.replica.step_s(b, self.context, np.minimum(self.prompt, room), self.prompt)
            own = np.where(self.prompt <= spare, alone, service)
            ttft99 = md1_wait_quantile_s(QUANTILE, arrival, service) + s + own
            ttft_mean = md1_mean_wait_s(arrival, service) + s / 2 + own
        return {
            "batch": b, "arrival_per_s": arrival, "step_s": s, "output_tokens_per_s": b / s,
            "total_tokens_per_s": b * (1 + self.prompt / self.output) / s,
            "sequence_tokens_per_s": 1.0 / s, "tpot_p99_s": tpot99, "ttft_p99_s": np.asarray(ttft99, dtype=float),
            "ttft_mean_s": np.asarray(ttft_mean, dtype=float), "prefill_load": arrival * service,
        }

    def meets(self, batch, ttft_s: float | None, tpot_s: float | None):
        point = self.at(batch)
        return ((point["ttft_p99_s"] <= (np.inf if ttft_s is None else ttft_s))
                & (point["tpot_p99_s"] <= (np.inf if tpot_s is None else tpot_s)))


def slo_operating_point(gpu, model, prompt_tokens: int, output_tokens: int, weight_bits: float = 16,
                        gpu_count: int = 1, ttft_s: float | None = None, tpot_s: float | None = None, *,
                        kv_bits: float = 16, max_sequences: int | None = None, chunk_tokens: int | None = None,
                        engine: str = DEFAULT_ENGINE, calibration: Calibration = CALIBRATION,
                        data_dir: Path | None = None) -> dict:
    """The busiest operating point of one replica whose p99 TTFT is within ``ttft_s`` and p99
    TPOT within ``tpot_s`` (None: no limit), as a dict of :func:`operating_points`' columns;
    every rate 0 where not even a lone request meets the targets (or the model does not fit)."""
    for name, value in (("ttft_s", ttft_s), ("tpot_s", tpot_s)):
        if value is not None and not value > 0:
            raise ValueError(f"{name} must be positive or None, got {value!r}")
    setup = _Setup(gpu, model, prompt_tokens, output_tokens, weight_bits, gpu_count, kv_bits, max_sequences,
                   chunk_tokens, engine, calibration, data_dir)
    if setup.largest < 1:
        return _zero(setup)
    grid = np.linspace(0.0, setup.largest, GRID_POINTS + 1)[1:]
    meets = setup.meets(grid, ttft_s, tpot_s)
    if meets.all():
        best = setup.largest
    else:  # refine between the last grid batch that meets the targets and the first that does not
        first_miss = int(np.argmin(meets))
        lo, hi = (0.0 if first_miss == 0 else float(grid[first_miss - 1])), float(grid[first_miss])
        for _ in range(REFINE_ROUNDS):
            inner = lo + (hi - lo) * np.arange(1, REFINE_POINTS) / REFINE_POINTS
            ok = setup.meets(inner, ttft_s, tpot_s)
            misses = np.flatnonzero(~ok)
            first = int(misses[0]) if misses.size else len(inner)
            if first > 0:
                lo = float(inner[first - 1])
            if first < len(inner):
                hi = float(inner[first])
        best = lo
    if best <= 0:
        return _zero(setup)
    return {k: float(v) for k, v in setup.at(best).items()}


def _zero(setup: _Setup) -> dict:
    point = {k: float(v) for k, v in setup.at(1e-9).items()}
    point.update(batch=0.0, arrival_per_s=0.0, output_tokens_per_s=0.0, total_tokens_per_s=0.0)
    return point


def slo_output_tokens_per_s(gpu, model, prompt_tokens: int, output_tokens: int, weight_bits: float = 16,
                            gpu_count: int = 1, ttft_s: float | None = None, tpot_s: float | None = None,
                            **options) -> float:
    """Highest sustained output tokens/s one replica serves with Poisson arrivals of requests of
    ``prompt_tokens`` in and ``output_tokens`` out, while the 99th percentile time to first
    token stays within ``ttft_s`` and the 99th percentile time per output token within
    ``tpot_s`` (None: no limit). A queueing approximation (see the module docstring); with no
    limits it is the full replica of :func:`helpers.capacity.serving.serving_capacity`.
    ``options``: kv_bits, max_sequences, chunk_tokens, engine, calibration, data_dir."""
    return slo_operating_point(gpu, model, prompt_tokens, output_tokens, weight_bits, gpu_count, ttft_s, tpot_s,
                               **options)["output_tokens_per_s"]


def operating_points(gpu, model, prompt_tokens: int, output_tokens: int, weight_bits: float = 16,
                     gpu_count: int = 1, *, points: int = 120, kv_bits: float = 16,
                     max_sequences: int | None = None, chunk_tokens: int | None = None,
                     engine: str = DEFAULT_ENGINE, calibration: Calibration = CALIBRATION,
                     data_dir: Path | None = None) -> pd.DataFrame:
    """The throughput-latency curve of one replica: one row per mean batch, from a lone request
    to the largest batch the engine runs; columns batch, arrival_per_s, output_tokens_per_s,
    total_tokens_per_s, sequence_tokens_per_s (mean tokens/s each user sees), tpot_p99_s,
    ttft_p99_s, ttft_mean_s, prefill_load."""
    setup = _Setup(gpu, model, prompt_tokens, output_tokens, weight_bits, gpu_count, kv_bits, max_sequences,
                   chunk_tokens, engine, calibration, data_dir)
    if setup.largest < 1:
        return pd.DataFrame(columns=list(setup.at(1.0)))
    batches = np.unique(np.concatenate([np.geomspace(0.05, setup.largest, points), [setup.largest]]))
    return pd.DataFrame(setup.at(batches))


def throughput_latency_curve(gpu, model, prompt_tokens: int, output_tokens: int, weight_bits: float = 16,
                             gpu_count: int = 1, ttft_s: float | None = None, tpot_s: float | None = None,
                             **options) -> tuple[pd.DataFrame, dict]:
    """:func:`operating_points` and the operating point :func:`slo_operating_point` chooses for
    the targets, for a chart that marks it."""
    curve = operating_points(gpu, model, prompt_tokens, output_tokens, weight_bits, gpu_count, **options)
    point = slo_operating_point(gpu, model, prompt_tokens, output_tokens, weight_bits, gpu_count, ttft_s, tpot_s,
                                **options)
    curve["meets_targets"] = ((curve["ttft_p99_s"] <= (math.inf if ttft_s is None else ttft_s))
                              & (curve["tpot_p99_s"] <= (math.inf if tpot_s is None else tpot_s)))
    return curve, point
