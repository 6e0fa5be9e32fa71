"""Bad input for every CSV in data/: each problem is reported with file, line and column, all
problems of a file at once, never as a bare pandas traceback.

The cases are generated from helpers.data.SPECS, so a table added there is covered here."""
import csv
import shutil

import pytest

from helpers import data, paths

TABLES = sorted(t for t in data.SPECS if paths.data_file(t).exists())


def _rows(table):
    with open(paths.data_file(table), newline="") as handle:
        return list(csv.reader(handle))


def _write(tmp_path, table, rows):
    with open(tmp_path / f"{table}.csv", "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return tmp_path / f"{table}.csv"


def _problems(path, table):
    with pytest.raises(data.DataValidationError) as caught:
        data.read_table(path, table)
    return caught.value.problems, str(caught.value)


def _sign_checked_column(table):
    for name, column in data.SPECS[table].columns.items():
        if name in data.SPECS[table].numeric and any(
                c.name in ("greater_than_or_equal_to", "greater_than") for c in column.checks):
            return name
    return None


def test_every_data_file_has_a_schema_and_loads():
    csvs = sorted(p.stem for p in paths.DATA_DIR.glob("*.csv"))
    assert csvs and set(csvs) <= set(data.SPECS), f"CSV files without a schema: {set(csvs) - set(data.SPECS)}"
    for table in csvs:
        frame = data.load(table)
        assert len(frame) > 0
        assert {"source", "as_of"} <= set(frame.columns), table


@pytest.mark.parametrize("table", TABLES)
def test_missing_column(table, tmp_path):
    rows = _rows(table)
    dropped = rows[0][1]
    rows = [r[:1] + r[2:] for r in rows]
    problems, message = _problems(_write(tmp_path, table, rows), table)
    assert any(p.column == dropped and "missing column" in p.message for p in problems), message
    assert f"{table}.csv" in message


@pytest.mark.parametrize("table", TABLES)
def test_extra_column(table, tmp_path):
    rows = _rows(table)
    rows = [rows[0] + ["surprise"]] + [r + ["x"] for r in rows[1:]]
    problems, message = _problems(_write(tmp_path, table, rows), table)
    assert any(p.column == "surprise" and "extra column" in p.message for p in problems), message


@pytest.mark.parametrize("table", [t for t in TABLES if data.SPECS[t].numeric])
def test_non_numeric_cell_names_line_and_column(table, tmp_path):
    rows = _rows(table)
    column = data.SPECS[table].numeric[0]
    line = len(rows)  # the last data row; the header is line 1
    rows[-1][rows[0].index(column)] = "twelve"
    problems, message = _problems(_write(tmp_path, table, rows), table)
    assert any(p.line == line and p.column == column and "not a number: 'twelve'" in p.message
               for p in problems), message
    assert f"{table}.csv, line {line}, column {column}" in message


@pytest.mark.parametrize("table", [t for t in TABLES if _sign_checked_column(t)])
def test_negative_value(table, tmp_path):
    rows = _rows(table)
    column = _sign_checked_column(table)
    rows[1][rows[0].index(column)] = "-5"
    problems, message = _problems(_write(tmp_path, table, rows), table)
    assert any(p.line == 2 and p.column == column for p in problems), message


@pytest.mark.parametrize("table", TABLES)
def test_duplicate_key(table, tmp_path):
    rows = _rows(table)
    rows.append(list(rows[1]))
    problems, message = _problems(_write(tmp_path, table, rows), table)
    key = data.SPECS[table].key[0]
    last_line = len(rows)  # header is line 1
    assert any(p.line == last_line and p.column == key and "duplicate key" in p.message
               for p in problems), message


@pytest.mark.parametrize("table", TABLES)
def test_empty_file_and_header_only(table, tmp_path):
    empty = tmp_path / f"{table}.csv"
    empty.write_text("")
    problems, message = _problems(empty, table)
    assert "empty" in message and f"{table}.csv" in message
    rows = _rows(table)
    problems, message = _problems(_write(tmp_path, table, rows[:1]), table)
    assert "no data rows" in message


@pytest.mark.parametrize("table", [t for t in TABLES if "unit" in data.SPECS[t].columns])
def test_unknown_unit(table, tmp_path):
    rows = _rows(table)
    rows[1][rows[0].index("unit")] = "furlongs"
    problems, message = _problems(_write(tmp_path, table, rows), table)
    assert any(p.line == 2 and p.column == "unit" and "unknown unit" in p.message for p in problems), message


@pytest.mark.parametrize("table", [t for t in TABLES if "as_of" in data.SPECS[t].columns])
def test_bad_date(table, tmp_path):
    rows = _rows(table)
    rows[1][rows[0].index("as_of")] = "February 2026"
    problems, message = _problems(_write(tmp_path, table, rows), table)
    assert any(p.line == 2 and p.column == "as_of" for p in problems), message


def test_all_problems_of_a_file_reported_at_once(tmp_path):
    rows = _rows("api_prices")
    header = rows[0]
    rows[1][header.index("usd_per_1m_input")] = "abc"
    rows[2][header.index("usd_per_1m_output")] = "-3"
    rows[3][header.index("tier")] = "flagsip"
    problems, message = _problems(_write(tmp_path, "api_prices", rows), "api_prices")
    where = {(p.line, p.column) for p in problems}
    assert {(2, "usd_per_1m_input"), (3, "usd_per_1m_output"), (4, "tier")} <= where, message


def test_low_above_high_is_caught(tmp_path):
    rows = _rows("hidden_costs")
    header = rows[0]
    rows[1][header.index("low")], rows[1][header.index("high")] = "30", "10"
    problems, message = _problems(_write(tmp_path, "hidden_costs", rows), "hidden_costs")
    assert any(p.line == 2 and p.column == "high" for p in problems), message


def test_load_from_another_data_dir_and_missing_file(tmp_path):
    shutil.copy(paths.data_file("api_prices"), tmp_path / "api_prices.csv")
    assert len(data.load("api_prices", tmp_path)) == len(data.load("api_prices"))
    with pytest.raises(data.DataValidationError, match="file not found"):
        data.load("gpu_cloud", tmp_path)


def test_row_lookup_names_known_values():
    with pytest.raises(KeyError, match="GPT-5"):
        data.row(data.load("api_prices"), "model", "GPT-6")


def test_a_problem_names_the_file_relative_to_the_repository_and_the_csv_line(tmp_path):
    assert data.display_path(paths.data_file("gpu_cloud")) == "data/gpu_cloud.csv"
    assert data.display_path(tmp_path / "x.csv") == str(tmp_path / "x.csv")
    assert [data.csv_line(i) for i in (0, 5, "label")] == [2, 7, None]  # the header is line 1
    assert str(data.Problem("data/x.csv", 3, "gpu", "empty cell")) == "data/x.csv, line 3, column gpu: empty cell"


def test_callers_keep_one_import_for_every_job_of_the_package():
    """``from helpers import data`` reaches the schemas, the validation, the cached loading and
    the row look-up, whichever module of the package now holds them."""
    from helpers.data import errors, loading, schemas, validation

    assert data.SPECS is schemas.SPECS and data.read_table is validation.read_table
    assert data.load is loading.load and data.row_of is loading.row_of
    assert data.DataValidationError is errors.DataValidationError
    header, *rows = _rows("gpu_cloud")
    printed = next(r for r in rows if r[header.index("gpu")] == "NVIDIA A100 80GB")[header.index("usd_per_hour")]
    a100 = data.lookup("gpu_cloud", "gpu", "NVIDIA A100 80GB")
    assert a100["usd_per_hour"] == float(printed)
    assert data.row_of("gpu_cloud", "gpu", "NVIDIA A100 80GB")["usd_per_hour"] == a100["usd_per_hour"]


def test_unknown_form_factor_names_line_column_and_the_known_ones(tmp_path):
    rows = _rows("gpu_specs")
    line = next(i for i, row in enumerate(rows) if row[0] == "NVIDIA H100 PCIe")
    rows[line][rows[0].index("form_factor")] = "PCI Express"
    problems, message = _problems(_write(tmp_path, "gpu_specs", rows), "gpu_specs")
    found = [p for p in problems if p.column == "form_factor"]
    assert [p.line for p in found] == [line + 1], message
    assert "unknown form factor" in found[0].message and "SXM" in found[0].message and "NVL" in found[0].message
