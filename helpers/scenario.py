"""Scenario files: the parameters a report run (or the what-if notebook) changes from the
article's defaults, kept as YAML under ``params/``.

A scenario is a subset of the workbook's canonical parameter names (:data:`KEYS`); whatever it
leaves out keeps the notebook's default, which is the article's scenario. A report passes each
notebook only the keys its ``parameters`` cell declares. One extra key, ``description``, is a
sentence for the report's index and is passed to no notebook.

    tokens_per_day: 50_000_000
    privacy_required: true

:func:`validate` checks types and ranges and that every name refers to a row of ``data/``
(``gpu`` in gpu_cloud.csv, ``setup`` in selfhost_setups.csv, API models in api_prices.csv). It
reports *every* problem at once, each naming the file and the key, with a "did you mean" for a
misspelt key or value. :func:`save` validates before it writes, and writes atomically.
"""
from __future__ import annotations

import difflib
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers import data
from helpers.files import atomic_write

DESCRIPTION = "description"
# Set by the report runner for each run; a scenario must not choose where tables go.
RUNNER_KEYS = ("tables_dir",)
HOURS_IN_LONGEST_MONTH = 24 * 31  # 744


class ScenarioError(ValueError):
    """A scenario failed validation; ``problems`` lists every problem, each naming its key."""

    def __init__(self, problems: list[str], source: str = "scenario"):
        self.problems = problems
        self.source = source
        super().__init__(
            f"{source}: {len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems)
        )


@dataclass(frozen=True)
class Key:
    """What one scenario key may hold."""

    kind: str  # "number", "integer", "share", "bool", "text", "text_list"
    help: str
    minimum: float | None = None
    maximum: float | None = None
    minimum_excluded: bool = False
    maximum_excluded: bool = False
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    # A data table and column whose values are the allowed names, e.g. ("gpu_cloud", "gpu").
    rows_of: tuple[str, str] | None = None


KEYS: dict[str, Key] = {
    "tokens_per_day": Key("number", "the workload in tokens per day (article: 10M)", minimum=0),
    "input_share": Key("share", "share of tokens that are input (article: 0.5)", 0, 1),
    "days_per_month": Key("number", "days in a billed month (article: 30)", minimum=1, maximum=31),
    "hours_per_month": Key("number", "GPU hours billed per month (article: 720, 24/7)",
                           minimum=0, maximum=HOURS_IN_LONGEST_MONTH),
    "gpu": Key("text", "row of data/gpu_cloud.csv", rows_of=("gpu_cloud", "gpu")),
    "gpu_count": Key("integer", "how many rented units", minimum=1),
    "spot_discount": Key("share", "0 = on-demand; the article: spot is 40-60% cheaper",
                         0, 1, maximum_excluded=True),
    "setup": Key("text", "row of data/selfhost_setups.csv", rows_of=("selfhost_setups", "setup")),
    "throughput_source": Key("text", "'article' (the set-up's conservative tokens/s) or 'model'",
                             choices=("article", "model")),
    "tokens_per_s": Key("number", "throughput; null = the set-up's conservative figure",
                        minimum=0, minimum_excluded=True, nullable=True),
    "api_models": Key("text_list", "rows of data/api_prices.csv", rows_of=("api_prices", "model")),
    "devops_hours_per_month": Key("number", "null = the article's point estimate",
                                  minimum=0, nullable=True),
    "devops_usd_per_hour": Key("number", "null = the article's point estimate", minimum=0, nullable=True),
    "infrastructure_usd_per_month": Key("number", "null = the article's point estimate",
                                        minimum=0, nullable=True),
    "hybrid_monthly_tokens": Key("number", "monthly volume of the hybrid example", minimum=0),
    "hybrid_api_share": Key("share", "share of the hybrid volume sent to the API", 0, 1),
    "hybrid_api_model": Key("text", "row of data/api_prices.csv", rows_of=("api_prices", "model")),
    "privacy_required": Key("bool", "compliance forbids third-party APIs"),
    "needs_flagship_quality": Key("bool", "GPT-5/Claude-level quality needed"),
    "has_ml_expertise": Key("bool", "the team can run ML infrastructure"),
}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _suggest(word: str, candidates) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    if not close:
        close = [c for c in candidates if word.lower() in c.lower()]
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_range(name: str, spec: Key, value: float) -> str | None:
    low_bad = spec.minimum is not None and (
        value <= spec.minimum if spec.minimum_excluded else value < spec.minimum)
    high_bad = spec.maximum is not None and (
        value >= spec.maximum if spec.maximum_excluded else value > spec.maximum)
    if not (low_bad or high_bad):
        return None
    if spec.minimum is not None and spec.maximum is not None:
        bounds = f"must lie in {spec.minimum:g}..{spec.maximum:g}"
        if spec.maximum_excluded:
            bounds += f" ({spec.maximum:g} excluded)"
    elif spec.minimum is not None:
        bounds = f"must be {'above' if spec.minimum_excluded else 'at least'} {spec.minimum:g}"
    else:
        bounds = f"must be at most {spec.maximum:g}"
    return f"{name}: {bounds}, got {value!r}"


def _known_names(table: str, column: str, data_dir: Path | None,
                 cache: dict) -> list[str]:
    if (table, column) not in cache:
        cache[(table, column)] = [str(v) for v in data.load(table, data_dir)[column]]
    return cache[(table, column)]


def _check_name(name: str, value: str, spec: Key, data_dir, cache) -> str | None:
    table, column = spec.rows_of
    known = _known_names(table, column, data_dir, cache)
    if value in known:
        return None
    return (f"{name}: {value!r} is not a {column} of data/{table}.csv{_suggest(value, known)}; "
            f"known: {', '.join(known)}")


def _check_value(name: str, value: Any, spec: Key, data_dir, cache) -> tuple[Any, list[str]]:
    """Return the normalised value and the problems with it."""
    if value is None:
        return None, ([] if spec.nullable else [f"{name}: must not be empty ({spec.help})"])
    if spec.kind in ("number", "integer", "share"):
        if not _is_number(value):
            hint = ""
            if isinstance(value, str):
                hint = " (YAML reads 1e7 as text: write 10_000_000 or 1.0e+7)"
            return value, [f"{name}: expected a number, got {value!r}{hint}"]
        if isinstance(value, float) and not math.isfinite(value):
            return value, [f"{name}: must be a finite number, got {value!r}"]
        if spec.kind == "integer":
            if isinstance(value, float) and not value.is_integer():
                return value, [f"{name}: expected a whole number, got {value!r}"]
            value = int(value)
        problem = _check_range(name, spec, value)
        return value, ([problem] if problem else [])
    if spec.kind == "bool":
        if not isinstance(value, bool):
            return value, [f"{name}: expected true or false, got {value!r}"]
        return value, []
    if spec.kind == "text":
        if not isinstance(value, str) or not value:
            return value, [f"{name}: expected a name, got {value!r}"]
        if spec.choices is not None and value not in spec.choices:
            return value, [f"{name}: must be one of {', '.join(map(repr, spec.choices))}, got "
                           f"{value!r}{_suggest(value, spec.choices)}"]
        if spec.rows_of is not None:
            problem = _check_name(name, value, spec, data_dir, cache)
            return value, ([problem] if problem else [])
        return value, []
    if spec.kind == "text_list":
        if not isinstance(value, list) or not value:
            return value, [f"{name}: expected a non-empty list of names, got {value!r}"]
        problems = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                problems.append(f"{name}[{i}]: expected a name, got {item!r}")
            elif spec.rows_of is not None:
                problem = _check_name(f"{name}[{i}]", item, spec, data_dir, cache)
                if problem:
                    problems.append(problem)
        duplicates = sorted({v for v in value if isinstance(v, str) and value.count(v) > 1})
        if duplicates:
            problems.append(f"{name}: listed twice: {', '.join(duplicates)}")
        return list(value), problems
    raise AssertionError(f"unknown kind {spec.kind!r}")  # a bug in KEYS, not bad input


def validate(scenario: dict, data_dir: Path | None = None, source: str = "scenario") -> dict:
    """Check a scenario; return a normalised copy (canonical key order, ``description`` first).

    Raises :class:`ScenarioError` listing every problem, each naming ``source`` and the key.
    """
    if scenario is None:
        scenario = {}
    if not isinstance(scenario, dict):
        raise ScenarioError([f"expected a mapping of key: value, got {type(scenario).__name__}"], source)
    problems: list[str] = []
    cache: dict = {}
    clean: dict = {}
    for name in scenario:
        if not isinstance(name, str):
            problems.append(f"{name!r}: keys must be names")
        elif name in RUNNER_KEYS:
            problems.append(f"{name}: set by the report runner for each run, not by a scenario")
        elif name != DESCRIPTION and name not in KEYS:
            problems.append(f"{name}: unknown key{_suggest(name, [*KEYS, DESCRIPTION])}; "
                            f"known keys: {', '.join(KEYS)}")
    if DESCRIPTION in scenario:
        if not isinstance(scenario[DESCRIPTION], str):
            problems.append(f"{DESCRIPTION}: expected text, got {scenario[DESCRIPTION]!r}")
        else:
            clean[DESCRIPTION] = scenario[DESCRIPTION]
    for name, spec in KEYS.items():
        if name in scenario:
            value, found = _check_value(name, scenario[name], spec, data_dir, cache)
            problems.extend(found)
            clean[name] = value
    if problems:
        raise ScenarioError(problems, source)
    return clean


def notebook_parameters(namespace: dict, data_dir: Path | None = None) -> dict:
    """The canonical parameters a notebook declares, read from its namespace (``globals()``)
    and validated; errors name the parameter. Other names in the namespace are ignored.

        params = scenario.notebook_parameters(globals())
    """
    found = {name: namespace[name] for name in KEYS if name in namespace}
    return validate(found, data_dir, source="parameters")


def parameters(scenario: dict) -> dict:
    """The notebook parameters of a validated scenario (everything but ``description``)."""
    return {k: v for k, v in scenario.items() if k != DESCRIPTION}


def load(path: str | os.PathLike, data_dir: Path | None = None) -> dict:
    """Read and validate a scenario YAML file; errors name the file and the key."""
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise ScenarioError(["file not found"], label)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ScenarioError([f"{where}not valid YAML: {problem}"], label) from None
    return validate(raw, data_dir, label)


def dumps(scenario: dict) -> str:
    """A validated scenario as YAML text, keys in canonical order."""
    header = "# Scenario for the workbook (keys: helpers/scenario.py KEYS); omitted keys keep\n" \
             "# the notebooks' defaults, which are the article's scenario.\n"
    body = yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True, default_flow_style=False) \
        if scenario else ""
    return header + body


def save(scenario: dict, path: str | os.PathLike, data_dir: Path | None = None) -> Path:
    """Validate ``scenario`` and write it to ``path`` as YAML, atomically (temporary file in the
    same folder, then renamed): an invalid scenario writes nothing, and a reader never sees
    half a file. Returns the path."""
    path = Path(path)
    clean = validate(scenario, data_dir, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write(dumps(clean))
    return path


def describe() -> list[tuple[str, str]]:
    """(key, help) for every scenario key, for documentation and error messages."""
    return [(name, spec.help) for name, spec in KEYS.items()]

