"""The tables of ``data/``, loaded once per file version (cached by path and modification
time, so an edited file is read again), and rows looked up in them."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.data.validation import read_table


def _version(table: str, data_dir: Path | None) -> tuple[str, float]:
    """The path of ``data/<table>.csv`` and its modification time: the caches' key, so that an
    edited file is read again."""
    path = (data_dir or paths.DATA_DIR) / f"{table}.csv"
    return str(path), (path.stat().st_mtime if path.exists() else 0.0)


@lru_cache(maxsize=None)
def _load_cached(table: str, path: str, mtime: float) -> pd.DataFrame:
    return read_table(Path(path), table)


def load(table: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``data/<table>.csv``, validated; a fresh copy each call (callers may modify it)."""
    return _load_cached(table, *_version(table, data_dir)).copy()


@lru_cache(maxsize=None)
def _index_cached(table: str, column: str, path: str, mtime: float) -> dict:
    frame = _load_cached(table, path, mtime)
    return {key: dict(zip(frame.columns, values)) for key, values in zip(frame[column], frame.itertuples(index=False))}


def lookup(table: str, column: str, value, data_dir: Path | None = None) -> dict:
    """The row of ``data/<table>.csv`` whose ``column`` equals ``value``, as a dict (a fresh
    copy); the same error as :func:`row` otherwise. Indexed once per file version, so that
    the what-if's one derivation per control change stays fast."""
    index = _index_cached(table, column, *_version(table, data_dir))
    if value not in index:
        raise KeyError(f"no single row with {column}={value!r}; known: {', '.join(map(str, index))}")
    return dict(index[value])


@lru_cache(maxsize=None)
def _row_cached(table: str, column: str, value, path: str, mtime: float) -> pd.Series:
    return row(_load_cached(table, path, mtime), column, value)


def row_of(table: str, column: str, value, data_dir: Path | None = None) -> pd.Series:
    """:func:`row` of ``data/<table>.csv`` (a fresh copy), found once per file version: for the
    capacity model, which looks up the same GPU and model rows thousands of times a run."""
    return _row_cached(table, column, value, *_version(table, data_dir)).copy()


def row(frame: pd.DataFrame, column: str, value) -> pd.Series:
    """The one row of ``frame`` whose ``column`` equals ``value``; a clear error otherwise."""
    match = frame[frame[column] == value]
    if len(match) != 1:
        known = ", ".join(map(str, frame[column].tolist()))
        raise KeyError(f"no single row with {column}={value!r}; known: {known}")
    return match.iloc[0]


def hidden_cost(parameter: str, which: str = "point", data_dir: Path | None = None) -> float:
    """One figure of ``hidden_costs.csv``: ``which`` is ``low``, ``high`` or ``point``."""
    value = row(load("hidden_costs", data_dir), "parameter", parameter)[which]
    if pd.isna(value):
        raise ValueError(f"data/hidden_costs.csv: {parameter} has no {which} value")
    return float(value)
