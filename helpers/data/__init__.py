"""The CSV tables of ``data/``: loaded, validated and looked up.

    from helpers import data
    data.load("gpu_cloud")                                  # the validated table (a copy)
    data.lookup("gpu_cloud", "gpu", "NVIDIA A100 80GB")     # one row as a dict
    data.row(frame, "gpu", "NVIDIA A100 80GB")              # one row of a frame, or a clear error

One job per module: ``schemas`` (what each table must hold), ``validation`` (reading a file
and listing every problem, each with file, line and column), ``loading`` (tables cached per
file version, rows looked up), ``errors`` (the problems and the error that lists them).
Nothing here writes into ``data/``.
"""
from helpers.data.errors import DataValidationError, Problem, csv_line, display_path
from helpers.data.loading import hidden_cost, load, lookup, row, row_of
from helpers.data.schemas import ROW_RULES, SPECS, UNITS, TableSpec
from helpers.data.validation import VALIDATED_ENV, read_table, validate, validated, validated_key

__all__ = ["DataValidationError", "Problem", "csv_line", "display_path", "hidden_cost", "load", "lookup",
           "row", "row_of", "ROW_RULES", "SPECS", "UNITS", "TableSpec", "VALIDATED_ENV", "read_table",
           "validate", "validated", "validated_key"]
