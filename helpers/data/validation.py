"""Reading one CSV file as a table and validating it: every cell is read as text, numeric
columns are parsed, and the whole table is checked against its schema with ``lazy=True`` so
that *all* problems of a file are reported at once (:class:`~helpers.data.errors.Problem`)."""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.data.errors import DataValidationError, Problem, csv_line, display_path
from helpers.data.schemas import BOOL_TEXT, ROW_RULES, SPECS


def _problems_from_pandera(name: str, err: pa.errors.SchemaErrors, skip: set) -> list[Problem]:
    problems = []
    cases = err.failure_cases
    for case in cases.itertuples(index=False):
        column = case.column if isinstance(case.column, str) else None
        check = str(case.check)
        line = csv_line(case.index)
        if check == "column_in_schema":
            problems.append(Problem(name, None, str(case.failure_case), "extra column not in the schema"))
            continue
        if check == "column_in_dataframe":
            problems.append(Problem(name, None, str(case.failure_case), "missing column"))
            continue
        if (line, column) in skip:
            continue  # already reported as "not a number"
        if check == "multiple_fields_uniqueness":
            message = f"duplicate key {column}={case.failure_case!r}"
        elif check == "not_nullable":
            message = "empty cell"
        elif check.startswith("dtype("):
            continue  # type errors are reported by the numeric parse
        else:
            message = f"value {case.failure_case!r} fails {check}"
        problems.append(Problem(name, line, column, message))
    return problems


# A report run validates every table before its notebooks start and passes the files it found
# valid to their kernels here ("table:sha256" separated by ";"): a kernel reading the very same
# bytes types their columns without checking the schema again.
VALIDATED_ENV = "HELPERS_DATA_VALIDATED"
validated: set[str] = set()  # "table:sha256" of every file this process has validated


def validated_key(table: str, raw: bytes) -> str:
    return f"{table}:{hashlib.sha256(raw).hexdigest()}"


def validate(frame: pd.DataFrame, table: str, file_label: str, checked: bool = False) -> pd.DataFrame:
    """Validate a frame of text cells as the table ``table``; return it with typed columns.
    ``checked``: the same bytes passed validation already; only type the columns.

    Raises :class:`DataValidationError` listing every problem, each with file, line, column.
    """
    spec = SPECS[table]
    frame = frame.copy()
    problems: list[Problem] = []
    if frame.empty:
        problems.append(Problem(file_label, None, None, "no data rows (the file holds only a header)"))
        raise DataValidationError(problems)
    not_numbers: set = set()
    for column in spec.numeric:
        if column not in frame.columns:
            continue
        text = frame[column].astype("string").str.strip()
        parsed = pd.to_numeric(text.replace("", None), errors="coerce").astype("float64")
        bad = text.ne("") & text.notna() & parsed.isna()
        for index in frame.index[bad]:
            problems.append(
                Problem(file_label, csv_line(index), column, f"not a number: {frame.at[index, column]!r}")
            )
            not_numbers.add((csv_line(index), column))
        frame[column] = parsed
    for column, column_spec in spec.columns.items():
        if column in frame.columns and column not in spec.numeric:
            frame[column] = frame[column].replace("", None) if column_spec.nullable else frame[column]
    try:
        if not checked:
            spec.schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems.extend(_problems_from_pandera(file_label, err, not_numbers))
    for rule, column, message in ROW_RULES.get(table, []):
        if all(c in frame.columns for c in spec.numeric) and not problems and not checked:
            for index in frame.index[~rule(frame)]:
                problems.append(Problem(file_label, csv_line(index), column, message))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or ""))
        raise DataValidationError(problems)
    for column in spec.booleans:
        frame[column] = frame[column].map(BOOL_TEXT)
    return frame


def read_table(path: Path, table: str) -> pd.DataFrame:
    """Read and validate the CSV at ``path`` as table ``table`` (a key of :data:`SPECS`)."""
    label = display_path(path)
    if table not in SPECS:
        raise KeyError(f"unknown table {table!r}; known tables: {', '.join(SPECS)}")
    if not path.exists():
        raise DataValidationError([Problem(label, None, None, "file not found")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise DataValidationError([Problem(label, line, None, f"not UTF-8 text (byte 0x{raw[err.start]:02x}); "
                                                              "save the file as UTF-8")]) from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise DataValidationError([Problem(label, None, None, "the file is empty")]) from None
    except pd.errors.ParserError as err:
        raise DataValidationError([Problem(label, None, None, f"not readable as CSV: {err}")]) from None
    key = validated_key(table, raw)
    frame = validate(frame, table, label, checked=key in os.environ.get(VALIDATED_ENV, "").split(";"))
    validated.add(key)
    return frame
