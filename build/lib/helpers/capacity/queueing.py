"""The M/D/1 queue: Poisson arrivals at rate lambda, one server, the same service time D for
every request, first come first served. Load rho = lambda * D.

Closed forms (each tested against :func:`simulate_md1_waits`):
    mean wait (Pollaczek-Khinchine)   W = rho * D / (2 * (1 - rho))
    P(wait = 0)                        1 - rho
    wait distribution (Erlang 1909)   P(W <= t) = (1 - rho) * sum_{k=0}^{floor(t/D)}
                                                   (lambda (k D - t))^k / k! * exp(-lambda (k D - t))
    tail (Cramer-Lundberg)            P(W > t) ~ C exp(-theta t), where x = theta D solves
                                       rho (e^x - 1) = x and C = (1 - rho) / (rho e^x - 1)

The quantile the latency model uses is Erlang's sum where the quantile falls within a few service
times (few terms, so no loss of precision), and the tail form beyond, where it is accurate. Erlang's sum is exact but alternates in sign, so it loses
precision far in the tail; it serves the tests.
"""
from __future__ import annotations

import math

import numpy as np


def md1_load(arrival_per_s, service_s):
    """rho = lambda * D."""
    return np.asarray(arrival_per_s, dtype=float) * np.asarray(service_s, dtype=float)


def md1_mean_wait_s(arrival_per_s, service_s):
    """Mean time in queue before service: rho * D / (2 (1 - rho)); inf at rho >= 1."""
    rho = md1_load(arrival_per_s, service_s)
    d = np.asarray(service_s, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(rho < 1, rho * d / (2 * (1 - rho)), np.inf)


def md1_wait_cdf(t_s: float, arrival_per_s: float, service_s: float) -> float:
    """P(wait <= t), Erlang's exact sum (scalar; for moderate t / D)."""
    lam, d = float(arrival_per_s), float(service_s)
    rho = lam * d
    if rho >= 1:
        return 0.0
    if t_s < 0:
        return 0.0
    total = 0.0
    for k in range(int(math.floor(t_s / d)) + 1):
        u = lam * (k * d - t_s)  # <= 0
        total += u**k / math.factorial(k) * math.exp(-u)
    return (1 - rho) * total


def _decay(rho):
    """x = theta * D > 0 solving rho (e^x - 1) = x for 0 < rho < 1 (bisection, vectorised)."""
    rho = np.asarray(rho, dtype=float)
    lo = np.zeros_like(rho)
    hi = np.full_like(rho, 1.0)
    safe = np.clip(rho, 1e-300, None)
    for _ in range(200):  # grow hi until rho (e^hi - 1) > hi
        grow = safe * np.expm1(hi) <= hi
        if not grow.any():
            break
        hi = np.where(grow, hi * 2, hi)
    for _ in range(60):
        mid = (lo + hi) / 2
        below = safe * np.expm1(mid) < mid
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return (lo + hi) / 2


EXACT_SERVICE_TIMES = 4  # Erlang's sum is used up to this many service times, the tail beyond


def _erlang_cdf(t, lam, d):
    """Erlang's sum, vectorised, for t <= EXACT_SERVICE_TIMES * d (few terms: no cancellation)."""
    total = np.zeros_like(t)
    for k in range(EXACT_SERVICE_TIMES + 1):
        u = lam * (k * d - t)
        total = total + np.where(k * d <= t, u**k / math.factorial(k) * np.exp(-u), 0.0)
    return (1 - lam * d) * total


def md1_wait_quantile_s(quantile: float, arrival_per_s, service_s):
    """The ``quantile`` of the wait in queue: 0 where P(wait > 0) = rho is already below
    1 - quantile; Erlang's exact sum (by bisection) where the quantile lies within
    EXACT_SERVICE_TIMES service times; beyond, the exponential tail (see the module
    docstring), which is accurate that far out; inf at rho >= 1."""
    if not 0 < quantile < 1:
        raise ValueError(f"quantile must lie in (0, 1), got {quantile!r}")
    rho = md1_load(arrival_per_s, service_s)
    d = np.broadcast_to(np.asarray(service_s, dtype=float), rho.shape)
    inner = (rho > 1 - quantile) & (rho < 1)
    safe_rho = np.where(inner, rho, 0.5)
    safe_d = np.where(inner, d, 1.0)
    lam = safe_rho / safe_d
    x = _decay(safe_rho)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c = (1 - safe_rho) / (safe_rho * np.exp(x) - 1)
        tail = safe_d / x * np.log(c / (1 - quantile))
    top = EXACT_SERVICE_TIMES * safe_d
    near = _erlang_cdf(top, lam, safe_d) >= quantile
    lo, hi = np.zeros_like(top), top.copy()
    for _ in range(36):
        mid = (lo + hi) / 2
        below = _erlang_cdf(mid, lam, safe_d) < quantile
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    t = np.where(near, (lo + hi) / 2, tail)
    out = np.where(rho >= 1, np.inf, np.where(inner, np.maximum(t, 0.0), 0.0))
    return out if out.ndim else float(out)


def simulate_md1_waits(arrival_per_s: float, service_s: float, requests: int = 200_000, seed: int = 0) -> np.ndarray:
    """Waits in queue of ``requests`` Poisson arrivals, by Lindley's recursion
    W[n+1] = max(0, W[n] + D - A[n+1]) written without a loop: with X the running sum of
    D - A, W[n] = X[n] - min(0, min_{k <= n} X[k])."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1.0 / arrival_per_s, size=requests - 1)
    x = np.concatenate([[0.0], np.cumsum(service_s - gaps)])
    return x - np.minimum.accumulate(np.minimum(x, 0.0))
