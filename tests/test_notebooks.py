"""The notebooks' house rules, checked on the committed notebooks, and a headless papermill run.

- exactly one ``parameters`` cell, holding only ``name = literal`` lines, each with a comment,
  and a ``tables_dir`` parameter defaulting to "" (papermill's --help-notebook shows the comments);
- one list of inputs: a notebook that reads the scenario declares it as one parameter,
  ``scenario = {}`` (the overrides of the Scenario's defaults), names no Scenario field and
  retypes no default there, builds ``s = Scenario.from_dict(scenario)`` once, and reads
  ``s.<field>``: no cell binds or reads a field as a bare name;
- no typed figure: no code cell outside the parameters cell holds a numeric literal equal to a
  number in ``data/*.csv`` (every figure must come from a CSV row or a helpers function);
- papermill runs every notebook with ``tables_dir`` set; the tables it writes carry the report
  contract's columns, and 03's breakeven summary gives the GPT-5 breakeven computed here
  from the data rows, which is the article's ~256M tokens/month.
"""
from __future__ import annotations

import ast
import csv
import io
import math
import tokenize
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

from helpers import article, assumptions, data, paths, scenario
from helpers.report.contract import CONTRACT

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
ISSUE_2_NOTEBOOKS = [p for p in NOTEBOOKS if p.name[:2] in {"01", "02", "03", "04", "05"}]

# Numeric literals allowed outside the parameters cell although data/*.csv holds them too:
# 0 and 1 are indices, identities and counts (``.iloc[0]``, ``1 / ratio``, ``-1`` for the last
# row). Every other number a notebook needs comes from data/ or a helpers constant
# (e.g. assumptions.TOKENS_PER_MILLION rather than 1e6), so the list stays this small.
EXEMPT_LITERALS = {0, 1}

TOKEN_COLUMNS = ["monthly_tokens", "breakeven_tokens_per_month", "breakeven_tokens_per_day",
                 "tco_breakeven_tokens_per_month", "tco_breakeven_tokens_per_day", "tokens_per_month"]


def _cells(path: Path):
    return nbformat.read(path, as_version=4).cells


def _parameters_cells(path: Path):
    return [c for c in _cells(path) if "parameters" in c.metadata.get("tags", [])]


def _data_numbers() -> set[float]:
    """Every cell of every data/*.csv that reads as a number. Of the price database's dump
    (api_prices_current.csv, ~2,000 models) only the article's models' rows count: its other
    rows hold nearly every small number there is (a figsize of 9 would be a "typed" price)."""
    numbers = set()
    article_models = set(data.load("api_prices")["model"])
    for csv_path in sorted(paths.DATA_DIR.glob("*.csv")):
        with open(csv_path, newline="") as handle:
            for row in list(csv.reader(handle))[1:]:
                if csv_path.stem == "api_prices_current" and row[0] not in article_models:
                    continue
                for cell in row:
                    try:
                        value = float(cell.replace(",", ""))
                    except ValueError:
                        continue
                    if math.isfinite(value):
                        numbers.add(value)
    return numbers


def _numeric_literals(source: str) -> list[tuple[int, float]]:
    """(line, value) of every int/float literal in ``source`` (booleans are not numbers here)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            found.append((node.lineno, float(node.value)))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exactly_one_parameters_cell_of_commented_literals(path):
    tagged = _parameters_cells(path)
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters'"
    source = tagged[0].source
    names = []
    for statement in ast.parse(source).body:
        assert isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
            and isinstance(statement.targets[0], ast.Name), \
            f"{path.name}, line {statement.lineno}: parameters must be `name = literal`"
        try:
            ast.literal_eval(statement.value)
        except ValueError:
            pytest.fail(f"{path.name}, line {statement.lineno}: {statement.targets[0].id} is not a literal")
        names.append(statement.targets[0].id)
    commented = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                 if tok.type == tokenize.COMMENT}
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip():
            assert number in commented, f"{path.name}: parameter line {number} has no comment: {line!r}"
    assert "tables_dir" in names, f"{path.name}: no tables_dir parameter"
    namespace: dict = {}
    exec(source, namespace)  # literals only, checked above
    assert namespace["tables_dir"] == "", f"{path.name}: tables_dir must default to ''"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_sees_every_parameter(path):
    """papermill's own reading (``--help-notebook``) skips a line whose comment holds a second
    '=': every parameter must show up there with its comment."""
    from papermill import inspection
    seen = inspection.inspect_notebook(str(path))
    declared = [s.targets[0].id for s in ast.parse(_parameters_cells(path)[0].source).body]
    assert sorted(seen) == sorted(declared), f"{path.name}: papermill misses {set(declared) - set(seen)}"
    assert all(p["help"] for p in seen.values()), f"{path.name}: a parameter without help text"


def test_the_guard_sees_the_figures_it_guards():
    """The typed-figure guard is not vacuous: data/ holds the article's figures, and a cell that
    types one is caught."""
    numbers = _data_numbers()
    assert {1440.0, 5.625, 256_000_000.0, 3240.0} <= numbers
    typed = [v for _, v in _numeric_literals("cost = 1_440 / 5.625 * x + 1") if v not in EXEMPT_LITERALS]
    assert set(typed) & numbers == {1440.0, 5.625}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_figure_typed_outside_the_parameters_cell(path):
    numbers = _data_numbers()
    typed = []
    for index, cell in enumerate(_cells(path)):
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        for line, value in _numeric_literals(cell.source):
            if value in numbers and value not in EXEMPT_LITERALS:
                typed.append(f"cell {index}, line {line}: {value:g}")
    assert not typed, f"{path.name}: numbers typed that data/*.csv holds: {typed}"


SCENARIO_PARAMETER = "scenario"
SET_UP = "s = Scenario.from_dict(scenario)"


def _module_names(source: str) -> list[tuple[int, str, str]]:
    """(line, name, "bind" or "read") of every bare name at a cell's top level: inside a
    function, lambda or comprehension a name is that scope's own."""
    found = []

    class Visitor(ast.NodeVisitor):
        def visit_Name(self, node):
            found.append((node.lineno, node.id, "read" if isinstance(node.ctx, ast.Load) else "bind"))

        def skip(self, node):
            pass

        visit_FunctionDef = visit_Lambda = visit_ListComp = visit_SetComp = visit_DictComp = \
            visit_GeneratorExp = skip

    Visitor().visit(ast.parse(source))
    return found


def scenario_problems(parameters_source: str, code_sources: list[str]) -> list[str]:
    """What breaks the one list of inputs in a notebook: its parameters cell names a Scenario
    field or retypes a default (a parameter whose value is a field's default text or list of
    names), its ``scenario`` parameter is not an empty dict, its set-up is not
    ``s = Scenario.from_dict(scenario)`` once, or a code cell binds or reads a field as a bare
    name (a loose copy of ``s.<field>``) or rebinds ``s``."""
    problems = []
    texts = {repr(v) for v in scenario.DEFAULTS.values()
             if isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))}
    declared = {}
    for statement in ast.parse(parameters_source).body:
        name, value = statement.targets[0].id, ast.literal_eval(statement.value)
        declared[name] = value
        if name in scenario.KEYS:
            problems.append(f"parameters: {name} is a Scenario field; override it in `scenario` instead")
        elif name != SCENARIO_PARAMETER and repr(list(value) if isinstance(value, tuple) else value) in texts:
            problems.append(f"parameters: {name} = {value!r} retypes a Scenario default")
    reads_scenario = any("Scenario" in source for source in code_sources)
    if reads_scenario and declared.get(SCENARIO_PARAMETER, None) != {}:
        problems.append(f"parameters: expected `{SCENARIO_PARAMETER} = {{}}` (the overrides), "
                        f"got {declared.get(SCENARIO_PARAMETER, 'nothing')!r}")
    set_ups = sum(line.strip() == SET_UP for source in code_sources for line in source.splitlines())
    if reads_scenario and set_ups != 1:
        problems.append(f"the set-up `{SET_UP}` appears {set_ups} times, expected once")
    for index, source in enumerate(code_sources):
        for line, name, use in _module_names(source):
            if name in scenario.KEYS:
                problems.append(f"code cell {index}, line {line}: {use}s {name}, a loose copy of s.{name}")
            elif name == "s" and use == "bind" and SET_UP not in source.splitlines()[line - 1]:
                problems.append(f"code cell {index}, line {line}: rebinds s, the scenario")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_reads_the_scenario_and_never_a_loose_copy(path):
    cells = _cells(path)
    code = [c.source for c in cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    problems = scenario_problems(_parameters_cells(path)[0].source, code)
    assert not problems, f"{path.name}: {problems}"


def test_the_scenario_check_catches_a_retyped_input_and_a_loose_copy():
    good = ['scenario = {}  # overrides\ntables_dir = ""  # tables', ["s = Scenario.from_dict(scenario)\nr = s.gpu"]]
    assert scenario_problems(*good) == []
    assert scenario_problems('scenario = {}  # o\ngpu = "NVIDIA A100 80GB"  # a row', good[1]) == \
        ["parameters: gpu is a Scenario field; override it in `scenario` instead"]
    assert scenario_problems('scenario = {}  # o\nwhich = ["GPT-5", "Claude Sonnet 4.5", "DeepSeek V3.2", '
                             '"Gemini 2.5 Flash"]  # APIs', good[1]) == \
        ["parameters: which = ['GPT-5', 'Claude Sonnet 4.5', 'DeepSeek V3.2', 'Gemini 2.5 Flash'] "
         "retypes a Scenario default"]
    assert scenario_problems('scenario = {"input_share": 0.3}  # o', good[1]) == \
        ["parameters: expected `scenario = {}` (the overrides), got {'input_share': 0.3}"]
    loose = ["s = Scenario.from_dict(scenario)\nsetup = s.setup\nprint(f'{tokens_per_day}')",
             "for s in [1.5]:\n    pass\n[scaling for scaling in ('a',)]"]
    assert scenario_problems(good[0], loose) == [
        "code cell 0, line 2: binds setup, a loose copy of s.setup",
        "code cell 0, line 3: reads tokens_per_day, a loose copy of s.tokens_per_day",
        "code cell 1, line 1: rebinds s, the scenario"]


@pytest.fixture(scope="module")
def report_tables(tmp_path_factory):
    """Run notebooks 01-05 headless with papermill, tables_dir set, from an unrelated folder."""
    out = tmp_path_factory.mktemp("run")
    tables_dir = out / "tables"
    for path in ISSUE_2_NOTEBOOKS:
        papermill.execute_notebook(str(path), str(out / path.name), cwd=str(out),
                                   parameters={"tables_dir": str(tables_dir)},
                                   progress_bar=False, kernel_name="python3")
    return tables_dir


def test_papermill_breakeven_summary_gpt5_row(report_tables):
    summary = pd.read_csv(report_tables / "breakeven_summary.csv").set_index("api_model")
    a100 = data.row(data.load("gpu_cloud"), "gpu", "NVIDIA A100 80GB")
    gpt5 = data.row(data.load("api_prices"), "model", "GPT-5")
    blended = (gpt5["usd_per_1m_input"] + gpt5["usd_per_1m_output"]) / 2  # the article's 50/50
    gpu_bill = a100["usd_per_hour"] * assumptions.HOURS_PER_DAY * assumptions.DAYS_PER_MONTH
    expected = gpu_bill / blended * assumptions.TOKENS_PER_MILLION
    row = summary.loc["GPT-5"]
    assert row["breakeven_tokens_per_month"] == pytest.approx(expected, abs=1)
    printed = article.figure("be.GPT-5.tokens_per_month")
    assert abs(row["breakeven_tokens_per_month"] - printed["value"]) <= printed["resolution"] / 2
    assert row["breakeven_tokens_per_day"] == pytest.approx(expected / assumptions.DAYS_PER_MONTH, abs=1)


def test_papermill_writes_every_contract_table_with_its_columns(report_tables):
    for name, columns in CONTRACT.items():
        if name in ("claims", "what_if", "price_drift", "uncertainty", "tornado", "ownership"):
            continue  # written by notebooks 07, 08, 09, 10 and 11; the report's full-run test and
            # tests/test_prices.py check them
        path = report_tables / f"{name}.csv"
        assert path.exists(), f"{name}.csv was not written"
        frame = pd.read_csv(path)
        assert len(frame) > 0, name
        missing = [c for c in columns if c not in frame.columns]
        assert not missing, f"{name}.csv lacks contract columns {missing}"
        for column in TOKEN_COLUMNS:
            if column in frame.columns:
                assert pd.api.types.is_integer_dtype(frame[column]), f"{name}.{column}: not integers of tokens"
    assert not list(report_tables.glob(".*.tmp")), "temporary files left behind"


def test_papermill_with_other_parameters_moves_the_figures(tmp_path):
    """A non-default run (30% input, passed as the report passes it: one ``scenario`` mapping)
    writes tables that differ from the article."""
    source = paths.NOTEBOOKS_DIR / "03-breakeven.ipynb"
    papermill.execute_notebook(str(source), str(tmp_path / "out.ipynb"), cwd=str(tmp_path),
                               parameters={"scenario": {"input_share": 0.3}, "tables_dir": str(tmp_path / "tables")},
                               progress_bar=False, kernel_name="python3")
    summary = pd.read_csv(tmp_path / "tables" / "breakeven_summary.csv").set_index("api_model")
    gpt5 = data.row(data.load("api_prices"), "model", "GPT-5")
    blended = 0.3 * gpt5["usd_per_1m_input"] + 0.7 * gpt5["usd_per_1m_output"]
    assert summary.loc["GPT-5", "blended_usd_per_1m"] == pytest.approx(blended)
    # The article's 256M was printed for a 50/50 split: at 30% input it is not judged against it
    assert summary.loc["GPT-5", "article_month_verdict"] == article.OTHER_SCENARIO
    assert summary.loc["GPT-5", "breakeven_tokens_per_month"] < article.value("be.GPT-5.tokens_per_month")
