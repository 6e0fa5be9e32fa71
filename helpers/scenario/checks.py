"""Validating a mapping of scenario fields against their :class:`~helpers.scenario.spec.Spec`:
every problem at once, each naming the key, with a "did you mean" for a misspelt key or value."""
from __future__ import annotations

import dataclasses
import difflib
import math
from pathlib import Path
from typing import Any

from helpers import data, distributions
from helpers.scenario.spec import DESCRIPTION, RUNNER_KEYS, ScenarioError, Spec


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def suggest(word: str, candidates) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    if not close:
        close = [c for c in candidates if word.lower() in c.lower()]
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_range(name: str, spec: Spec, value: float) -> str | None:
    low_bad = spec.minimum is not None and (
        value <= spec.minimum if spec.minimum_excluded else value < spec.minimum)
    high_bad = spec.maximum is not None and (
        value >= spec.maximum if spec.maximum_excluded else value > spec.maximum)
    if not (low_bad or high_bad):
        return None
    if spec.minimum is not None and spec.maximum is not None:
        bounds = f"must lie in {spec.minimum:g}..{spec.maximum:g}"
        excluded = [f"{b:g}" for b, e in ((spec.minimum, spec.minimum_excluded),
                                          (spec.maximum, spec.maximum_excluded)) if e]
        if excluded:
            bounds += f" ({' and '.join(excluded)} excluded)"
    elif spec.minimum is not None:
        bounds = f"must be {'above' if spec.minimum_excluded else 'at least'} {spec.minimum:g}"
    else:
        bounds = f"must be at most {spec.maximum:g}"
    return f"{name}: {bounds}, got {value!r}"


def _known_names(table: str, column: str, data_dir: Path | None, cache: dict) -> list[str]:
    if (table, column) not in cache:
        cache[(table, column)] = list(dict.fromkeys(str(v) for v in data.load(table, data_dir)[column]))
    return cache[(table, column)]


def _check_name(name: str, value: str, spec: Spec, data_dir, cache) -> str | None:
    table, column = spec.rows_of
    known = _known_names(table, column, data_dir, cache)
    if value in known:
        return None
    listed = ", ".join(known) if len(known) <= 40 else f"{len(known)} names, see the file"
    return (f"{name}: {value!r} is not a {column} of data/{table}.csv{suggest(value, known)}; "
            f"known: {listed}")


def bounds(name: str, keys: dict[str, Spec]) -> distributions.Bounds:
    """The range field ``name``'s draws must stay in (a row's price: at least 0)."""
    spec = keys.get(name)
    if spec is None:
        return distributions.Bounds(minimum=0)
    return distributions.Bounds(
        -math.inf if spec.minimum is None else spec.minimum,
        math.inf if spec.maximum is None else spec.maximum,
        spec.minimum_excluded, spec.maximum_excluded)


def _check_value(name: str, value: Any, spec: Spec, data_dir, cache, keys) -> tuple[Any, list[str]]:
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
                           f"{value!r}{suggest(value, spec.choices)}"]
        if spec.rows_of is not None:
            problem = _check_name(name, value, spec, data_dir, cache)
            return value, ([problem] if problem else [])
        return value, []
    if spec.kind == "text_list":
        if not isinstance(value, (list, tuple)) or not value:
            return value, [f"{name}: expected a non-empty list of names, got {value!r}"]
        problems = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                problems.append(f"{name}[{i}]: expected a name, got {item!r}")
            elif spec.rows_of is not None:
                problem = _check_name(f"{name}[{i}]", item, spec, data_dir, cache)
                if problem:
                    problems.append(problem)
        duplicates = sorted({v for v in value if isinstance(v, str) and list(value).count(v) > 1})
        if duplicates:
            problems.append(f"{name}: listed twice: {', '.join(duplicates)}")
        return list(value), problems
    if spec.kind == "uncertainty":
        _, problems = distributions.parse_block(value, {n: bounds(n, keys) for n in spec.choices})
        return value, problems
    raise AssertionError(f"unknown kind {spec.kind!r}")  # a bug in a Spec, not bad input


def validate(values: dict, keys: dict[str, Spec], data_dir: Path | None = None,
             source: str = "scenario") -> dict:
    """Check a mapping of scenario fields; return a normalised copy holding the same keys
    (``description`` first, then the fields in their order; lists as lists).

    Raises :class:`ScenarioError` listing every problem, each naming ``source`` and the key.
    """
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ScenarioError([f"expected a mapping of key: value, got {type(values).__name__}"], source)
    problems: list[str] = []
    cache: dict = {}
    clean: dict = {}
    for name in values:
        if not isinstance(name, str):
            problems.append(f"{name!r}: keys must be names")
        elif name in RUNNER_KEYS:
            problems.append(f"{name}: set by the report runner for each run, not by a scenario")
        elif name != DESCRIPTION and name not in keys:
            problems.append(f"{name}: unknown key{suggest(name, [*keys, DESCRIPTION])}; "
                            f"known keys: {', '.join(keys)}")
    if DESCRIPTION in values:
        if not isinstance(values[DESCRIPTION], str):
            problems.append(f"{DESCRIPTION}: expected text, got {values[DESCRIPTION]!r}")
        else:
            clean[DESCRIPTION] = values[DESCRIPTION]
    for name, spec in keys.items():
        if name in values:
            if name == "api_models" and values.get("price_source") == "current":
                spec = dataclasses.replace(spec, rows_of=("api_prices_current", "model"))
            value, found = _check_value(name, values[name], spec, data_dir, cache, keys)
            problems.extend(found)
            clean[name] = value
    problems = _hint_price_source(problems, clean, data_dir, cache)
    if problems:
        raise ScenarioError(problems, source)
    return clean


def _hint_price_source(problems: list[str], clean: dict, data_dir, cache) -> list[str]:
    """At the article's prices only the article's models are priced: a model of today's table
    gets that said (instead of "not a model of api_prices.csv")."""
    models = clean.get("api_models")
    if clean.get("price_source", "article") != "article" or not isinstance(models, list) \
            or not any(p.startswith("api_models[") for p in problems):
        return problems
    current = set(_known_names("api_prices_current", "model", data_dir, cache))
    current -= set(_known_names("api_prices", "model", data_dir, cache))
    for i, model in enumerate(models):
        if isinstance(model, str) and model in current:
            problems = [p for p in problems if not p.startswith(f"api_models[{i}]: ")]
            problems.append(f"api_models[{i}]: {model!r} has no article price (data/api_prices.csv); "
                            f"set price_source: current to price it at today's prices")
    return problems
