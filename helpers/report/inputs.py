"""A report run's inputs, checked before anything is written: the notebooks, the parameters
each declares and what it is passed, the date, the data and the scenario."""
from __future__ import annotations

import ast
import datetime as dt
import io
import os
import tokenize
from pathlib import Path

from helpers import data as data_mod, paths, scenario as scenario_mod

NOTEBOOK_PATTERN = "[0-9][0-9]-*.ipynb"
# What a notebook's parameters cell may declare for the runner to set: the whole scenario as
# one dict (Scenario.to_dict()), the folder of the run's tables, and whether to build widgets.
SCENARIO_PARAMETER = "scenario"
TABLES_DIR_PARAMETER = "tables_dir"
INTERACTIVE_PARAMETER = "interactive"


class ReportError(Exception):
    """Bad input to a report run (nothing has been written)."""


def discover(notebooks_dir: Path) -> list[Path]:
    """The notebooks of a run: ``NN-*.ipynb`` in ``notebooks_dir``, in reading order."""
    found = sorted(Path(notebooks_dir).glob(NOTEBOOK_PATTERN))
    if not found:
        raise ReportError(f"{notebooks_dir}: no notebooks named {NOTEBOOK_PATTERN}")
    return found


def declared_parameters(notebook: Path) -> dict:
    """``{name: {"default": text, "help": comment}}`` of the notebook's ``parameters`` cell (the
    first code cell tagged ``parameters``, as papermill reads it; none: ``{}``).

    Parsed with ``ast`` rather than ``papermill.inspect_notebook``, which silently skips any
    line holding a second ``=``, e.g. ``spot_discount = 0.0  # 0 = on-demand``: such a
    parameter would never receive the scenario's value.
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells
             if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return {}
    source = cells[0].source
    try:
        tree = ast.parse(source)
        comments = {token.start[0]: token.string.lstrip("#").strip()
                    for token in tokenize.generate_tokens(io.StringIO(source).readline)
                    if token.type == tokenize.COMMENT}
    except (SyntaxError, tokenize.TokenError) as err:
        raise ReportError(f"{notebook}: the parameters cell is not valid Python: {err}") from None
    declared = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        else:
            continue
        default = ast.get_source_segment(source, node.value) if node.value is not None else None
        for name in names:
            declared[name] = {"default": default, "help": comments.get(node.end_lineno, "")}
    return declared


def reads_scenario(declared: dict) -> bool:
    """Whether a notebook reads a scenario: it declares ``scenario`` (the overrides of the
    Scenario's defaults, one dict), or, the older form, at least one scenario field."""
    return SCENARIO_PARAMETER in declared or any(name in scenario_mod.KEYS for name in declared)


def parameters_for(declared: dict, scenario_parameters: dict, tables_dir: Path) -> dict:
    """What papermill injects into one notebook: the *whole* scenario (every field, so that a
    scenario means the same thing on every page, including fields the notebook never names),
    as the one dict ``scenario`` when the notebook declares it, else field by field when it
    declares any scenario field; plus ``tables_dir`` and ``interactive=False`` (a report page
    is static: no widget panel to build) when it declares them."""
    if SCENARIO_PARAMETER in declared:
        passed = {SCENARIO_PARAMETER: dict(scenario_parameters)}
    elif reads_scenario(declared):
        passed = dict(scenario_parameters)
    else:
        passed = {}
    if TABLES_DIR_PARAMETER in declared:
        passed[TABLES_DIR_PARAMETER] = str(tables_dir)
    if INTERACTIVE_PARAMETER in declared:
        passed[INTERACTIVE_PARAMETER] = False
    return passed


def parse_date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ReportError(f"--date: expected YYYY-MM-DD, got {text!r}") from None


def check_data(data_dir: Path = paths.DATA_DIR) -> None:
    """Validate every data table (all of ``helpers.data.SPECS``) before any notebook starts: one
    ReportError listing every problem (file, line, column), instead of the same error in each of
    the notebooks that read the file."""
    problems = []
    for table in data_mod.SPECS:
        try:
            data_mod.read_table(Path(data_dir) / f"{table}.csv", table)
        except data_mod.DataValidationError as err:
            problems += [str(p) for p in err.problems]
    if problems:
        raise ReportError(f"{len(problems)} problem(s) in the data, no notebook was run:\n"
                          + "\n".join(f"  {p}" for p in problems))
    # The kernels inherit this: a table they read with the same bytes is not checked again.
    os.environ[data_mod.VALIDATED_ENV] = ";".join(sorted(data_mod.validated))


def load_scenario(path: Path) -> dict:
    """The validated scenario, or a ReportError of one line per problem naming the file (a file
    that is not UTF-8 included)."""
    try:
        return scenario_mod.load(path)
    except scenario_mod.ScenarioError as err:
        raise ReportError(str(err)) from None

