"""What is wrong with a data file: one :class:`Problem` per cell, column or file, and the error
that lists them all. Each problem names the file, the line (the header is line 1) and the
column::

    data/api_prices.csv, line 3, column usd_per_1m_input: not a number: 'abc'
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers import paths


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, column or file."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DataValidationError(ValueError):
    """A CSV table failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the data:\n" + "\n".join(f"  {p}" for p in problems)
        )



def display_path(path: Path) -> str:
    """``path`` relative to the repository where it lies inside it (``data/gpu_cloud.csv``)."""
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def csv_line(index) -> int | None:
    """CSV line of a data-frame row: the header is line 1, the first row line 2."""
    try:
        return int(index) + 2
    except (TypeError, ValueError):
        return None
