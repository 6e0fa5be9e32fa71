"""What moved since the previous report: a run compares its headline tables with the latest
earlier good report in the same output folder, lists every figure that moved (old, new,
change), and names the causes it can tell from the two ``run.json`` files: a data file whose
sha256 changed, another code commit, another scenario. ``tables/changes.csv`` holds the same
rows."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from helpers.report.contract import save
from helpers.show.format import column_kind, number_text, share_text, tokens_text, usd_text

CHANGES_TABLE = "changes"
# table -> groups of (the column naming each row, {figure compared: its label}). The key ""
# marks figures the table holds once (the same on every row): they are read from its first
# row. A label names what the row is about ({api_model}, {gpu}, {component}: fields of the row).
HEADLINE = {
    "what_if": (
        ("", {"tokens_per_month": "Workload: tokens a month",
              "replicas": "Self-hosting on {gpu}: deployments needed",
              "selfhost_usd_per_month": "Self-hosting on {gpu}: GPU bill a month",
              "tco_usd_per_month": "Self-hosting on {gpu}: with hidden costs, a month",
              "recommendation": "Decision framework: its answer"}),
        ("api_model", {"api_usd_per_month": "{api_model}: API bill a month",
                       "winner": "{api_model} against self-hosting: the cheaper",
                       "cost_ratio": "{api_model} against self-hosting: cost ratio"}),
    ),
    "breakeven_summary": (
        ("api_model", {"blended_usd_per_1m": "{api_model}: blended price per 1M tokens",
                       "breakeven_tokens_per_month": "{api_model}: breakeven, tokens a month",
                       "tco_breakeven_tokens_per_month":
                           "{api_model}: breakeven with hidden costs, tokens a month",
                       "within_single_gpu_capacity":
                           "{api_model}: breakeven within one deployment's capacity"}),
    ),
    "tco_components": (
        ("component", {"usd_per_month": "Self-hosting cost, {component}: USD a month"}),
    ),
}
COLUMNS = ["table", "key", "column", "figure", "old", "new", "change", "change_share"]
# Closer than this (relative) is the same figure written twice, not a move.
RELATIVE_TOLERANCE = 1e-9


class _Fields(dict):
    """A row's fields for a label; a field the row lacks (a table of an older run) reads as
    a dash."""

    def __missing__(self, key):
        return "\u2014"


def previous_run(out: Path, run_folders: list[Path], before: str) -> tuple[Path, dict] | None:
    """The latest good run in ``run_folders`` that finished before ``before`` (ISO time):
    its folder and its run.json."""
    best = None
    for folder in run_folders:
        try:
            run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(run, dict) or run.get("status") != "passed" \
                or not isinstance(run.get("finished_at"), str) or "date" not in run \
                or run["finished_at"] > before:
            continue
        if best is None or run["finished_at"] > best[1]["finished_at"]:
            best = (folder, run)
    return best


def causes(old: dict, new: dict) -> list[str]:
    """Why figures may have moved: data files, code commit, scenario, in that order."""
    found = []
    old_hashes, new_hashes = old.get("data_sha256", {}), new.get("data_sha256", {})
    for name in sorted(set(old_hashes) | set(new_hashes)):
        if name not in old_hashes:
            found.append(f"{name} is new")
        elif name not in new_hashes:
            found.append(f"{name} was removed")
        elif old_hashes[name] != new_hashes[name]:
            found.append(f"{name} changed (sha256 {old_hashes[name][:12]} -> {new_hashes[name][:12]})")
    old_git, new_git = old.get("git") or {}, new.get("git") or {}
    if old_git.get("commit") != new_git.get("commit"):
        found.append(f"code commit {str(old_git.get('commit'))[:12]} -> {str(new_git.get('commit'))[:12]}")
    elif new_git.get("dirty") and not old_git.get("dirty"):
        found.append("the code has uncommitted changes")
    if old.get("scenario_file") != new.get("scenario_file"):
        found.append(f"scenario file {old.get('scenario_file')} -> {new.get('scenario_file')}")
    old_s, new_s = old.get("scenario") or {}, new.get("scenario") or {}
    def shown(scenario: dict, key: str) -> str:
        return repr(scenario[key]) if key in scenario else "not set (the article's value)"
    for key in sorted(set(old_s) | set(new_s)):
        if old_s.get(key) != new_s.get(key) and key != "description":
            found.append(f"scenario {key}: {shown(old_s, key)} -> {shown(new_s, key)}")
    return found


def _same(old, new) -> bool:
    if isinstance(old, (int, float)) and isinstance(new, (int, float)) \
            and not isinstance(old, bool) and not isinstance(new, bool):
        if math.isnan(old) and math.isnan(new):
            return True
        return math.isclose(old, new, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
    return old == new


def _value(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    return v.item() if hasattr(v, "item") else v


def _rows(frame: pd.DataFrame, key: str) -> dict:
    """``{row key: row}`` of one table for one group of :data:`HEADLINE` (key "": the first row
    only, under the key "")."""
    if not key:
        return {"": frame.iloc[0]} if len(frame) else {}
    if key not in frame.columns:
        return {}
    return {row[key]: row for _, row in frame.iterrows()}


def moved(old_tables: Path, new_tables: Path) -> pd.DataFrame:
    """One row per headline figure that differs between two runs' tables (rows present in only
    one run are listed too, with the other side empty), with its readable label (``figure``)."""
    rows = []
    for name, groups in HEADLINE.items():
        old_path, new_path = Path(old_tables) / f"{name}.csv", Path(new_tables) / f"{name}.csv"
        if not (old_path.exists() and new_path.exists()):
            continue
        old_frame, new_frame = pd.read_csv(old_path), pd.read_csv(new_path)
        for key, labels in groups:
            old, new = _rows(old_frame, key), _rows(new_frame, key)
            for row_key in dict.fromkeys([*old, *new]):
                fields = _Fields({k: v for row in (old.get(row_key), new.get(row_key)) if row is not None
                                  for k, v in row.items() if not (isinstance(v, float) and math.isnan(v))})
                for column, label in labels.items():
                    a = _value(old[row_key][column]) if row_key in old and column in old[row_key] else None
                    b = _value(new[row_key][column]) if row_key in new and column in new[row_key] else None
                    if _same(a, b):
                        continue
                    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
                    change = b - a if numbers else None
                    share = change / a if numbers and a else None
                    rows.append({"table": name, "key": row_key, "column": column,
                                 "figure": label.format_map(fields), "old": a, "new": b,
                                 "change": change, "change_share": share})
    return pd.DataFrame(rows, columns=COLUMNS)


def _text(value, column: str) -> str:
    if value is None:
        return "\u2014"
    if isinstance(value, str):
        return value
    kind = column_kind(column)
    return {"usd": usd_text, "tokens": tokens_text}.get(kind, number_text)(value)


def describe(frame: pd.DataFrame) -> list[dict]:
    """The rows of :func:`moved` with the texts a page shows (old, new, change)."""
    described = []
    for record in frame.to_dict("records"):
        column = record["column"]
        change = record["change"]
        if change is None or (isinstance(change, float) and math.isnan(change)):
            change_text = "changed"
        else:
            sign = "+" if change > 0 else "-"
            change_text = f"{sign}{_text(abs(change), column)}"
            share = record["change_share"]
            if share is not None and not (isinstance(share, float) and math.isnan(share)):
                change_text += f" ({'+' if share > 0 else ''}{share_text(share)})"
        described.append({**{k: _value(v) for k, v in record.items()},
                          "old_text": _text(_value(record["old"]), column),
                          "new_text": _text(_value(record["new"]), column),
                          "change_text": change_text})
    return described


def compare(out: Path, run_folders: list[Path], run: dict, tables_dir: Path) -> dict | None:
    """Compare this run (its run.json fields and tables) with the previous good report; write
    ``tables/changes.csv`` and return what the page and run.json show (None: nothing earlier)."""
    found = previous_run(out, run_folders, run["started_at"])
    if found is None:
        return None
    folder, previous = found
    frame = moved(folder / "tables", tables_dir)
    save(frame, CHANGES_TABLE, tables_dir)
    return {
        "previous": {"folder": folder.name, "date": previous["date"],
                     "scenario_file": previous.get("scenario_file", ""),
                     "finished_at": previous.get("finished_at", "")},
        "causes": causes(previous, run),
        "moved": describe(frame),
    }
