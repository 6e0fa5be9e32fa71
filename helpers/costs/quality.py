"""Cost at equal quality: a workload in tasks, priced per *successful* task.

Section "Model Quality Gap": a weaker model "may need more tokens per task (retries, longer
prompts with more examples, post-processing steps), which erodes the cost advantage". Here each
option has a success probability ``p`` per attempt and input/output tokens per attempt (output
includes reasoning tokens); ``on_failure`` says what a failed attempt costs:

- ``retry``: attempts are independent, so a task takes 1/p attempts on average (geometric);
- ``escalate``: each task is tried once on the self-hosted model, the failed share (1 - p_self)
  goes to an API model that retries until success;
- ``review``: no retry; each failed task costs a person's time (``usd_per_failure``).

Every mode ends with every task done, so the options are compared at equal quality. Pure
functions on numbers (scalars or numpy arrays); ``helpers.derive.quality`` applies them.
"""
from __future__ import annotations

import numpy as np

from helpers.assumptions import TOKENS_PER_MILLION

def _rate(success_rate):
    p = np.asarray(success_rate, dtype=float)
    if np.any(~(p >= 0)) or np.any(p > 1):
        raise ValueError(f"success_rate must lie in 0..1, got {success_rate!r}")
    return p


def _per(numerator, p):
    """numerator / p, infinite where p = 0 (a model that never succeeds never finishes a task)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, numerator / np.where(p > 0, p, 1.0), np.inf)


def _out(value):
    return float(value) if np.ndim(value) == 0 else value


def attempts_per_success(success_rate, on_failure: str = "retry"):
    """Attempts one successful task takes on average: 1 / p with ``retry`` (p = 0.8: 1.25; p = 0: never),
    1 with ``review`` (a person finishes a failed task; no second attempt)."""
    p = _rate(success_rate)
    if on_failure == "review":
        return _out(np.ones_like(p))
    if on_failure != "retry":
        raise ValueError(f"on_failure must be 'retry' or 'review' here, got {on_failure!r}")
    return _out(_per(1.0, p))


def escalated_attempts_per_task(first_success_rate, fallback_success_rate):
    """Attempts per task with ``escalate``: (first, fallback) = (1, (1 - p_first) / p_fallback).
    Llama at 0.82 escalating to GPT-5 at 0.92: (1, 0.18 / 0.92 = 0.1957)."""
    p_first, p_fallback = _rate(first_success_rate), _rate(fallback_success_rate)
    return 1.0, _out(np.where(p_first == 1.0, 0.0, _per(1.0 - p_first, p_fallback)))


def tokens_per_attempt(input_tokens, output_tokens):
    """input + output tokens of one attempt (output with reasoning tokens)."""
    return input_tokens + output_tokens


def input_share(input_tokens, output_tokens):
    """Share of an attempt's tokens that are input: input / (input + output), the input_share at
    which a blended per-token price prices the attempt exactly (1,500 in, 500 out: 0.75; at
    GPT-5's $1.25 / $10.00 the blend is $3.4375 per 1M, $0.006875 for the attempt's 2,000 tokens,
    as 1,500 x 1.25 / 1e6 + 500 x 10 / 1e6)."""
    return input_tokens / (input_tokens + output_tokens)


def review_usd_per_month(tasks_per_month, success_rate, usd_per_failure):
    """What the people who finish failed tasks cost: tasks * (1 - p) * usd_per_failure
    (30,000 tasks at p = 0.82 and $2 a failure: 5,400 failures, $10,800)."""
    return _out(np.asarray(tasks_per_month, dtype=float) * (1.0 - _rate(success_rate)) * usd_per_failure)


def usd_per_1k_successes(usd_per_month, successes_per_month):
    """Cost of a thousand successful tasks: usd_per_month / successes * 1,000 ($1,440 for
    300,000 tasks: $4.80); infinite with no success."""
    usd = np.asarray(usd_per_month, dtype=float)
    done = np.asarray(successes_per_month, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(done > 0, usd / np.where(done > 0, done, 1.0) * 1000.0, np.inf)
    return _out(out)


def task_margin_usd_per_1m(api_usd_per_task, selfhost_marginal_usd_per_task, selfhost_tokens_per_task):
    """A per-task price difference restated per million of the self-hosted model's tokens, so
    that the per-token breakevens (flat and stepped, in ``helpers.costs.breakeven``) price a
    task workload: (api - selfhost marginal) / selfhost tokens per task * 1e6, at least 0.

    What one task saves by moving off the API, per self-hosted token: $0.0075 a task saved
    over 2,000 self-hosted tokens a task is $3.75 per 1M tokens; the deployment pays for itself
    at its bill / 3.75 * 1e6 self-hosted tokens (then divide by 2,000 for tasks)."""
    margin = (np.asarray(api_usd_per_task, dtype=float) - selfhost_marginal_usd_per_task) \
        / selfhost_tokens_per_task * TOKENS_PER_MILLION
    return _out(np.maximum(margin, 0.0))
