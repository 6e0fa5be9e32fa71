"""A team's own evaluation of its task (the scenario's ``task_evals``): one row per model, how
many tasks it was tried on and how many it got right, and its tokens per attempt.

    model,tasks,successes,input_tokens_per_attempt,output_tokens_per_attempt
    GPT-5,200,184,1500,600

Read here, checked whole: every problem (a model that is neither an API of
``data/api_prices.csv`` nor a model of ``data/models.csv``, successes above tasks, zero tasks,
a count that is not a whole number) in one :class:`~helpers.data.errors.DataValidationError`
naming the file, line and column.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.data.errors import DataValidationError, Problem, csv_line, display_path
from helpers.data.loading import load

COLUMNS = ("model", "tasks", "successes", "input_tokens_per_attempt", "output_tokens_per_attempt")
COUNTS = COLUMNS[1:]


def resolve(path: str | os.PathLike) -> Path:
    """A ``task_evals`` path as a scenario gives it: relative paths are read from the repository
    root (``data/task_evals_example.csv``), so a report finds the file from any directory."""
    path = Path(path)
    return path if path.is_absolute() else paths.ROOT / path


def known_models(data_dir: Path | None = None) -> list[str]:
    """Names a row may carry: the APIs of data/api_prices.csv and api_prices_current.csv, then the
    models of data/models.csv (the self-hosted ones)."""
    names = [*load("api_prices", data_dir)["model"], *load("api_prices_current", data_dir)["model"],
             *load("models", data_dir)["model"]]
    return list(dict.fromkeys(map(str, names)))


def _whole(value) -> int | None:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.isna(number) or float(number) != int(number):
        return None
    return int(number)


def load_task_evals(path: str | os.PathLike, data_dir: Path | None = None) -> pd.DataFrame:
    """The evaluation file at ``path``, counts as integers, with ``success_rate`` = successes / tasks;
    raises :class:`DataValidationError` listing every problem (file, line, column)."""
    path = resolve(path)
    label = display_path(path)
    if not path.exists():
        raise DataValidationError([Problem(label, None, None, "task_evals file not found")])
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataValidationError([Problem(label, 1, c, "missing column") for c in missing])
    if raw.empty:
        raise DataValidationError([Problem(label, None, None, "no rows")])
    known = known_models(data_dir)
    problems: list[Problem] = []
    rows = []
    for index, record in raw.iterrows():
        line = csv_line(index)
        model = record["model"].strip()
        if model not in known:
            problems.append(Problem(label, line, "model", f"unknown model {model!r}: not an API of "
                                    "data/api_prices.csv nor a model of data/models.csv"))
        counts = {}
        for column in COUNTS:
            value = _whole(record[column].strip())
            if value is None or value < 0:
                problems.append(Problem(label, line, column, f"not a whole number of at least 0: {record[column]!r}"))
            counts[column] = value
        if counts["tasks"] == 0:
            problems.append(Problem(label, line, "tasks", "zero tasks: no success rate"))
        if counts["output_tokens_per_attempt"] == 0:
            problems.append(Problem(label, line, "output_tokens_per_attempt", "an attempt writes at least one token"))
        if None not in (counts["tasks"], counts["successes"]) and counts["successes"] > counts["tasks"]:
            problems.append(Problem(label, line, "successes",
                                    f"{counts['successes']} successes of {counts['tasks']} tasks"))
        rows.append({"model": model, **counts})
    duplicates = raw["model"].str.strip().duplicated()
    for index in raw.index[duplicates]:
        problems.append(Problem(label, csv_line(index), "model", f"{raw.at[index, 'model']!r} listed twice"))
    if problems:
        raise DataValidationError(problems)
    frame = pd.DataFrame(rows)
    frame["success_rate"] = frame["successes"] / frame["tasks"]
    return frame
