"""Cost at equal quality: the scenario's options priced per successful task (section "Model
Quality Gap"), every bill by :func:`helpers.derive.derive` at the token volume the tasks imply.

For each option (each API of the scenario, the self-hosted model, and with ``on_failure``
'escalate' the self-hosted model escalating its failures to ``escalate_api_model``):

    p                     success rate per attempt: the team's ``task_evals`` row (successes / tasks),
                          else the ``quality_benchmark`` score of data/model_quality.csv as a stand-in
    k                     input + output tokens per attempt (task_evals row, else the scenario's)
    tasks_per_month       tasks_per_day * days_per_month (empty tasks_per_day: tokens_per_day / k of the
                          scenario, one attempt a task: the token workload restated in tasks)
    attempts_per_success  retry: 1 / p; review: 1; escalate: 1 + (1 - p_self) / p_api
    tokens_per_month      tasks_per_month * attempts * k (escalate: the self-hosted tokens + the API's)
    usd_per_month         an API: derive's API bill at tokens_per_month with input_share = input / k;
                          self-hosted: derive's bill with replicas and hidden costs at its volume;
                          escalate: both; review: + tasks * (1 - p) * review_usd_per_failure
    usd_per_1k_successes  usd_per_month / tasks_per_month * 1,000 (every mode finishes every task)

p_cheapest            share of draws in which the option has the lowest bill, each evaluated success
                      rate drawn from Beta(successes + 1, tasks - successes + 1) (:func:`drawn_rates`;
                      a benchmark stand-in stays fixed, so without task_evals it is 0 or 1)

Breakeven (API rows): the tasks a day above which the scenario's self-hosted option (the
escalation with 'escalate') is cheaper than that API, flat (one deployment with hidden costs,
as the article prices it) and with capacity steps, from the per-token breakevens with the
per-task saving restated per self-hosted token (:func:`helpers.costs.quality.task_margin_usd_per_1m`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import data
from helpers.assumptions import TOKENS_PER_MILLION
from helpers.costs import breakeven, quality
from helpers.data.task_evals import load_task_evals
from helpers.derive import derive
from helpers.scenario import Scenario

DRAWS = 2000  # draws of the evaluated success rates for p_cheapest
SEED = 20
BENCHMARK_COLUMNS = {"mmlu": ("mmlu_pct", "MMLU"), "humaneval": ("humaneval_pct", "HumanEval")}
COLUMNS = ["option", "kind", "on_failure", "success_rate", "success_rate_source", "attempts_per_success",
           "tokens_per_success", "tasks_per_day", "tasks_per_month", "tokens_per_month", "replicas", "usd_per_month",
           "usd_per_1k_successes", "breakeven_tasks_per_day", "flat_breakeven_tasks_per_day",
           "breakeven_selfhost_tokens_per_day", "breakeven_api_tokens_per_day", "p_cheapest"]


@dataclass(frozen=True)
class Quality:
    """One option's success rate and tokens per attempt, and where the rate comes from."""

    model: str
    success_rate: float
    source: str
    input_tokens: int
    output_tokens: int
    successes: int | None = None  # of the team's evaluation, when the rate comes from one
    tasks: int | None = None

    @property
    def tokens_per_attempt(self) -> int:
        return quality.tokens_per_attempt(self.input_tokens, self.output_tokens)


@dataclass(frozen=True)
class PerTask:
    """The per-task comparison: ``rows`` (one per option, :data:`COLUMNS`), the options left out
    and why (``notes``), and how the tasks were counted (``tasks_source``)."""

    rows: list
    notes: list
    tasks_source: str

    def frame(self) -> pd.DataFrame:
        """The rows as a table, tokens a month as whole tokens (the report's convention)."""
        frame = pd.DataFrame(self.rows, columns=COLUMNS)
        tokens = frame["tokens_per_month"].replace([np.inf, -np.inf], np.nan).round()
        frame["tokens_per_month"] = tokens.astype("Int64")
        return frame

    @property
    def cheapest(self) -> dict:
        """The option with the lowest cost per successful task."""
        return min(self.rows, key=lambda row: row["usd_per_1k_successes"])


def selfhost_model(scenario: Scenario, data_dir: Path | None = None) -> tuple[str, str]:
    """(model, its row of data/model_quality.csv): the set-up's model, its 4-bit row when the
    set-up runs at 4 bits or fewer (the article's table scores Llama 3.3 70B (4-bit) apart)."""
    setup = data.lookup("selfhost_setups", "setup", scenario.setup, data_dir)
    model = str(setup["model"])
    return model, (f"{model} (4-bit)" if float(setup["bits_per_weight"]) <= 4 else model)


def qualities(scenario: Scenario, models, data_dir: Path | None = None) -> tuple[dict, list]:
    """model -> :class:`Quality` for each of ``models`` (pairs of (model, its model_quality row))
    that has a success rate; and a note for each that has none."""
    evals = load_task_evals(scenario.task_evals, data_dir).set_index("model") if scenario.task_evals else None
    scores = data.load("model_quality", data_dir).set_index("model")
    column, label = BENCHMARK_COLUMNS[scenario.quality_benchmark]
    found, notes = {}, []
    for model, quality_row in models:
        if evals is not None and model in evals.index and evals.at[model, "successes"] == 0:
            notes.append(f"{model}: no success in task_evals {scenario.task_evals}, never finishes a task")
        elif evals is not None and model in evals.index:
            row = evals.loc[model]
            found[model] = Quality(model, float(row["success_rate"]),
                                   f"task_evals {scenario.task_evals}: {int(row['successes'])} of {int(row['tasks'])} tasks",
                                   int(row["input_tokens_per_attempt"]), int(row["output_tokens_per_attempt"]),
                                   int(row["successes"]), int(row["tasks"]))
        elif quality_row in scores.index:
            found[model] = Quality(model, float(scores.at[quality_row, column]) / 100,
                                   f"stand-in: {label} {scores.at[quality_row, column]:g}% of {quality_row} "
                                   f"(data/model_quality.csv)",
                                   scenario.input_tokens_per_attempt, scenario.output_tokens_per_attempt)
        else:
            notes.append(f"{model}: no success rate (not in task_evals, no {label} score in data/model_quality.csv)")
    return found, notes


def tasks_per_month(scenario: Scenario) -> tuple[float, str]:
    """The workload in tasks a month, and how it was counted."""
    if scenario.tasks_per_day is not None:
        return scenario.tasks_per_day * scenario.days_per_month, "tasks_per_day"
    per_attempt = scenario.input_tokens_per_attempt + scenario.output_tokens_per_attempt
    return (scenario.tokens_per_day / per_attempt * scenario.days_per_month,
            f"tokens_per_day / {per_attempt:,} tokens a task")


def _priced(scenario: Scenario, q: Quality, tokens_per_month: float, data_dir, api_model: str | None = None):
    """derive at ``tokens_per_month`` with the option's own input share."""
    s = dataclasses.replace(scenario, input_share=quality.input_share(q.input_tokens, q.output_tokens))
    return derive(s, tokens_per_month=tokens_per_month, data_dir=data_dir,
                  api_models=None if api_model is None else [api_model])


def _bill(s: Scenario, q: Quality, tokens_per_month, data_dir, api_model: str | None = None) -> np.ndarray:
    """derive's bill at each volume of ``tokens_per_month`` (an array): the API's, or with
    ``api_model`` None the self-hosted one with replicas and hidden costs; infinite where the
    volume is (a model that never succeeds)."""
    volumes = np.asarray(tokens_per_month, dtype=float)
    finite = np.isfinite(volumes)
    result = _priced(s, q, np.where(finite, volumes, 0.0), data_dir, api_model)
    usd = result.tco_usd_per_month if api_model is None else result.api_usd_per_month[api_model]
    return np.where(finite, usd, np.inf)


def option_usd_per_month(s: Scenario, found: dict, rates: dict, tasks: float, own: str,
                         data_dir: Path | None = None) -> dict:
    """option -> usd_per_month at each success rate of ``rates`` (model -> array, one value per
    draw): the module docstring's bills, each by derive at the tokens the rates imply."""
    review = s.review_usd_per_failure if s.on_failure == "review" else 0.0
    api_mode = "review" if s.on_failure == "review" else "retry"
    out = {}
    for model in [m for m in (*s.api_models, own) if m in found]:
        q, p = found[model], np.asarray(rates[model], dtype=float)
        volume = tasks * quality.attempts_per_success(p, api_mode) * q.tokens_per_attempt
        bill = _bill(s, q, np.atleast_1d(volume), data_dir, None if model == own else model)
        out[f"{own} (self-hosted)" if model == own else model] = \
            bill + quality.review_usd_per_month(tasks, p, review)
    fallback = s.escalate_api_model
    if s.on_failure == "escalate" and fallback in found and own in found:
        _, to_api = quality.escalated_attempts_per_task(rates[own], rates[fallback])
        to_api = np.atleast_1d(to_api)
        self_volume = np.full(to_api.shape, tasks * found[own].tokens_per_attempt)
        out[f"{own} (self-hosted) escalating to {fallback}"] = (
            _bill(s, found[own], self_volume, data_dir)
            + _bill(s, found[fallback], tasks * to_api * found[fallback].tokens_per_attempt, data_dir, fallback))
    return out


def drawn_rates(found: dict, draws: int = DRAWS, seed: int = SEED) -> dict:
    """model -> ``draws`` success rates: Beta(successes + 1, tasks - successes + 1) for a rate
    from the team's evaluation (its uncertainty after ``tasks`` trials, a uniform prior), the
    fixed stand-in for a benchmark score (no uncertainty is published with it)."""
    rng = np.random.default_rng(seed)
    return {model: (rng.beta(q.successes + 1, q.tasks - q.successes + 1, draws) if q.tasks
                    else np.full(draws, q.success_rate)) for model, q in found.items()}


def p_cheapest(bills: dict) -> dict:
    """option -> share of draws in which it has the lowest bill (all options serve the same tasks)."""
    options = list(bills)
    stacked = np.vstack([np.asarray(bills[o], dtype=float) for o in options])
    cheapest = np.argmin(stacked, axis=0)
    return {option: float(np.mean(cheapest == i)) for i, option in enumerate(options)}


def per_task(scenario: Scenario | None = None, data_dir: Path | None = None) -> PerTask:
    """Every option priced per successful task; see the module docstring."""
    s = scenario or Scenario()
    mode = s.on_failure
    review = s.review_usd_per_failure if mode == "review" else 0.0
    tasks, source = tasks_per_month(s)
    own, own_quality_row = selfhost_model(s, data_dir)
    apis = [m for m in s.api_models]
    if mode == "escalate" and s.escalate_api_model not in apis:
        apis.append(s.escalate_api_model)
    found, notes = qualities(s, [(m, m) for m in apis] + [(own, own_quality_row)], data_dir)
    api_mode = "review" if mode == "review" else "retry"

    def single(model, kind):
        q = found[model]
        attempts = quality.attempts_per_success(q.success_rate, api_mode)
        volume = tasks * attempts * q.tokens_per_attempt
        result = _priced(s, q, volume, data_dir, None if kind == "self-hosted" else model)
        per_task_usd = (result.blended_usd_per_1m[result.api_model] * q.tokens_per_attempt / TOKENS_PER_MILLION * attempts
                        + (1 - q.success_rate) * review)
        row = _row(model, kind, api_mode, q.success_rate, q.source, attempts, attempts * q.tokens_per_attempt,
                   tasks, s.days_per_month, volume, result.at("replicas") if kind == "self-hosted" else np.nan)
        return row, result, per_task_usd

    rows, api_per_task = [], {}
    for model in s.api_models:
        if model in found:
            row, _, api_per_task[model] = single(model, "API")
            rows.append(row)
    if own not in found:
        _bills_and_odds(s, rows, found, tasks, own, data_dir)
        return PerTask(rows, notes + [f"self-hosted {own}: no success rate, no per-task breakeven"], source)
    self_row, self_result, _ = single(own, "self-hosted")
    self_row["option"] = f"{own} (self-hosted)"
    rows.append(self_row)
    p_self, q_self = found[own].success_rate, found[own]
    # The self-hosted option the APIs are compared with: its tokens and its marginal cost per task
    selfhost_tokens_per_task = self_row["tokens_per_success"]
    marginal = (1 - p_self) * review
    chosen = self_result
    if mode == "escalate" and s.escalate_api_model in found:
        fallback = found[s.escalate_api_model]
        _, to_api = quality.escalated_attempts_per_task(p_self, fallback.success_rate)
        self_volume, api_volume = tasks * q_self.tokens_per_attempt, tasks * to_api * fallback.tokens_per_attempt
        self_part = _priced(s, q_self, self_volume, data_dir)
        api_part = _priced(s, fallback, api_volume, data_dir, s.escalate_api_model)
        rows.append(_row(f"{own} (self-hosted) escalating to {s.escalate_api_model}", "escalate", "escalate",
                         p_self, f"{q_self.source}; fallback {fallback.source}", 1 + to_api,
                         q_self.tokens_per_attempt + to_api * fallback.tokens_per_attempt, tasks, s.days_per_month,
                         self_volume + api_volume, self_part.at("replicas")))
        selfhost_tokens_per_task = q_self.tokens_per_attempt
        marginal = api_part.blended_usd_per_1m[s.escalate_api_model] * fallback.tokens_per_attempt / TOKENS_PER_MILLION * to_api
        chosen = self_part
    elif mode == "escalate":
        notes.append(f"escalate: {s.escalate_api_model} has no success rate; the self-hosted model retries")
    _breakevens(s, rows, api_per_task, chosen, selfhost_tokens_per_task, marginal)
    _bills_and_odds(s, rows, found, tasks, own, data_dir)
    return PerTask(rows, notes, source)


def _bills_and_odds(s: Scenario, rows: list, found: dict, tasks: float, own: str, data_dir) -> None:
    """Fill each row's bill at the point success rates, and the share of draws of the evaluated
    rates in which it is the cheapest option."""
    point = option_usd_per_month(s, found, {m: q.success_rate for m, q in found.items()}, tasks, own, data_dir)
    # Stand-in benchmark rates are fixed: with no evaluated rate nothing is drawn, and a share of
    # draws (always 0 or 1) would claim a certainty nobody measured.
    evaluated = any(q.tasks for q in found.values())
    odds = p_cheapest(option_usd_per_month(s, found, drawn_rates(found), tasks, own, data_dir)) if evaluated else {}
    for row in rows:
        row["usd_per_month"] = float(point[row["option"]][0])
        row["usd_per_1k_successes"] = quality.usd_per_1k_successes(row["usd_per_month"], tasks)
        row["p_cheapest"] = odds.get(row["option"], np.nan)


def _row(option, kind, on_failure, p, source, attempts, tokens_per_success, tasks, days, tokens, replicas) -> dict:
    """One option's row; its bill is filled by :func:`_bills_and_odds`."""
    return {"option": option, "kind": kind, "on_failure": on_failure, "success_rate": p,
            "success_rate_source": source, "attempts_per_success": attempts, "tokens_per_success": tokens_per_success,
            "tasks_per_day": tasks / days, "tasks_per_month": tasks, "tokens_per_month": tokens, "replicas": replicas, "usd_per_month": np.nan,
            "usd_per_1k_successes": np.nan,
            "breakeven_tasks_per_day": np.nan, "flat_breakeven_tasks_per_day": np.nan,
            "breakeven_selfhost_tokens_per_day": np.nan, "breakeven_api_tokens_per_day": np.nan,
            "p_cheapest": np.nan}


def _breakevens(s: Scenario, rows, api_per_task, selfhost, selfhost_tokens_per_task, marginal):
    """Fill each API row's breakevens against the self-hosted option ``selfhost`` (a Result)."""
    replica, hidden = selfhost.replica_usd_per_month, selfhost.hidden_usd_per_month
    for row in rows:
        if row["kind"] != "API":
            continue
        margin = quality.task_margin_usd_per_1m(api_per_task[row["option"]], marginal, selfhost_tokens_per_task)
        flat = breakeven.breakeven_tokens_per_month(replica + hidden, margin)
        stepped = selfhost.stepped_tco_breakeven_at(margin)
        tasks_per_day = float(stepped) / selfhost_tokens_per_task / s.days_per_month
        row["breakeven_tasks_per_day"] = tasks_per_day
        row["flat_breakeven_tasks_per_day"] = float(flat) / selfhost_tokens_per_task / s.days_per_month
        row["breakeven_selfhost_tokens_per_day"] = tasks_per_day * selfhost_tokens_per_task
        row["breakeven_api_tokens_per_day"] = tasks_per_day * row["tokens_per_success"]


def cheapest_at_quality(frame: pd.DataFrame) -> pd.Series:
    """Whether each option is the cheapest at its quality level: no other option succeeds at
    least as often per attempt for less per successful task (the price-quality frontier)."""
    rate, usd = frame["success_rate"].to_numpy(float), frame["usd_per_1k_successes"].to_numpy(float)
    beaten = [bool(np.any((rate >= rate[i]) & (usd < usd[i]))) for i in range(len(frame))]
    return pd.Series([not b for b in beaten], index=frame.index, name="cheapest_at_quality")
