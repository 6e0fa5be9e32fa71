"""Loading and validating the CSV tables in ``data/``.

Every table is read as text, numeric columns are parsed, and the whole table is checked
against a pandera schema with ``lazy=True`` so that *all* problems of a file are reported at
once. Each problem names the file, the line (the header is line 1) and the column::

    data/api_prices.csv, line 3, column usd_per_1m_input: not a number: 'abc'

Nothing here writes into ``data/``.
"""
from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers import paths

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
BOOL_TEXT = {"true": True, "false": False}

# Units a row of article_figures.csv or hidden_costs.csv may be expressed in.
UNITS = (
    "usd",
    "usd_per_month",
    "usd_per_hour",
    "usd_per_1m_tokens",
    "tokens",
    "tokens_per_month",
    "tokens_per_day",
    "tokens_per_s",
    "hours_per_month",
    "gb",
    "pct",
    "ratio",
    "share",
)


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


@dataclass(frozen=True)
class TableSpec:
    """What one CSV file must hold: its schema, its key and which columns are numbers."""

    columns: dict[str, pa.Column]
    key: list[str]
    booleans: list[str] = field(default_factory=list)

    @property
    def numeric(self) -> list[str]:
        """The columns declared as numbers (``_number``): parsed from text before validation."""
        return [name for name, column in self.columns.items() if str(column.dtype) == "float64"]

    def schema(self) -> pa.DataFrameSchema:
        return pa.DataFrameSchema(self.columns, strict=True, unique=self.key, ordered=False)


def _text(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(str, checks=[pa.Check.str_length(min_value=1), *checks], nullable=nullable)


def _number(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(float, checks=list(checks), nullable=nullable)


NON_NEGATIVE = pa.Check.ge(0)
POSITIVE = pa.Check.gt(0)
BOOL = pa.Check.isin(list(BOOL_TEXT), error="must be true or false")
PROVENANCE = {
    "source": _text(),
    "as_of": _text(pa.Check.str_matches(DATE_PATTERN, error="must be a date YYYY-MM-DD")),
}

SPECS: dict[str, TableSpec] = {
    "api_prices": TableSpec(
        columns={
            "model": _text(),
            "provider": _text(),
            "tier": _text(pa.Check.isin(["flagship", "premium", "budget"])),
            "usd_per_1m_input": _number(NON_NEGATIVE),
            "usd_per_1m_output": _number(NON_NEGATIVE),
            "open_weights": _text(BOOL),
            **PROVENANCE,
        },
        key=["model"],
        booleans=["open_weights"],
    ),
    "gpu_cloud": TableSpec(
        columns={
            "gpu": _text(),
            "gpu_model": _text(),
            "gpu_count": _number(POSITIVE),
            "vram_gb": _number(POSITIVE),
            "usd_per_hour": _number(NON_NEGATIVE),
            "pricing": _text(pa.Check.isin(["on_demand", "spot", "reserved_1y", "reserved_3y"])),
            "best_for": _text(),
            **PROVENANCE,
        },
        key=["gpu", "pricing"],
    ),
    "consumer_hardware": TableSpec(
        columns={
            "hardware": _text(),
            "gpu_count": _number(POSITIVE),
            "memory_gb": _number(POSITIVE),
            "memory_kind": _text(pa.Check.isin(["dedicated", "unified"])),
            "usd_price": _number(NON_NEGATIVE),
            "condition": _text(pa.Check.isin(["new", "used"])),
            "what_it_runs": _text(),
            **PROVENANCE,
        },
        key=["hardware"],
    ),
    "model_sizes": TableSpec(
        columns={
            "params_billion": _number(POSITIVE),
            "vram_gb_fp16": _number(POSITIVE),
            "vram_gb_4bit": _number(POSITIVE),
            "minimum_hardware": _text(),
            **PROVENANCE,
        },
        key=["params_billion"],
    ),
    "selfhost_setups": TableSpec(
        columns={
            "setup": _text(),
            "gpu": _text(),
            "model": _text(),
            "params_billion": _number(POSITIVE),
            "quantization": _text(),
            "bits_per_weight": _number(POSITIVE, pa.Check.le(32)),
            "inference_engine": _text(),
            "tokens_per_s_low": _number(POSITIVE),
            "tokens_per_s_high": _number(POSITIVE),
            "tokens_per_s_conservative": _number(POSITIVE),
            **PROVENANCE,
        },
        key=["setup"],
    ),
    "hidden_costs": TableSpec(
        columns={
            "parameter": _text(),
            "low": _number(NON_NEGATIVE),
            "high": _number(NON_NEGATIVE),
            "point": _number(NON_NEGATIVE, nullable=True),
            "unit": _text(pa.Check.isin(list(UNITS), error=f"unknown unit (known: {', '.join(UNITS)})")),
            **PROVENANCE,
        },
        key=["parameter"],
    ),
    "model_quality": TableSpec(
        columns={
            "model": _text(),
            "mmlu_pct": _number(pa.Check.in_range(0, 100)),
            "humaneval_pct": _number(pa.Check.in_range(0, 100)),
            "reasoning_tasks": _text(),
            "self_hostable": _text(BOOL),
            **PROVENANCE,
        },
        key=["model"],
        booleans=["self_hostable"],
    ),
    "decision_cases": TableSpec(
        columns={
            "team": _text(),
            "tokens_per_day": _number(NON_NEGATIVE),
            "privacy_required": _text(BOOL),
            "needs_flagship_quality": _text(BOOL),
            "has_ml_expertise": _text(BOOL),
            **PROVENANCE,
        },
        key=["team"],
        booleans=["privacy_required", "needs_flagship_quality", "has_ml_expertise"],
    ),
    "article_figures": TableSpec(
        columns={
            "figure_id": _text(),
            "section": _text(),
            "table": _text(),
            "row_key": _text(),
            "quantity": _text(),
            "printed_text": _text(),
            "value": _number(),
            "resolution": _number(POSITIVE),
            "unit": _text(pa.Check.isin(list(UNITS), error=f"unknown unit (known: {', '.join(UNITS)})")),
            "label": _text(nullable=True),
            **PROVENANCE,
        },
        key=["figure_id"],
    ),
    # Capacity model (helpers/capacity/). Throughput columns are dense (no 2:4
    # sparsity); blank where the part has no such unit or the vendor publishes no figure.
    "gpu_specs": TableSpec(
        columns={
            "gpu": _text(),
            "aliases": _text(nullable=True),
            "memory_gb": _number(POSITIVE),
            "memory_kind": _text(pa.Check.isin(["dedicated", "unified"])),
            "memory_bandwidth_gb_per_s": _number(POSITIVE),
            "bf16_tflops": _number(POSITIVE, nullable=True),
            "fp16_tflops": _number(POSITIVE, nullable=True),
            "fp8_tflops": _number(POSITIVE, nullable=True),
            "int8_tops": _number(POSITIVE, nullable=True),
            **PROVENANCE,
        },
        key=["gpu"],
    ),
    "models": TableSpec(
        columns={
            "model": _text(),
            "hf_repo": _text(),
            "params_billion": _number(POSITIVE),
            "active_params_billion": _number(POSITIVE),
            "layers": _number(POSITIVE),
            "hidden_size": _number(POSITIVE),
            "attention_heads": _number(POSITIVE),
            "kv_heads": _number(POSITIVE),
            "head_dim": _number(POSITIVE),
            "ffn_size": _number(POSITIVE),
            "vocab_size": _number(POSITIVE),
            "experts": _number(pa.Check.ge(1)),
            "experts_per_token": _number(pa.Check.ge(1)),
            "tied_embeddings": _text(BOOL),
            "measured_shape": _text(nullable=True),
            **PROVENANCE,
        },
        key=["model"],
        booleans=["tied_embeddings"],
    ),
    "measured_h200": TableSpec(
        columns={
            "gpu": _text(),
            "model": _text(),
            "model_shape": _text(),
            "weight_dtype": _text(),
            "weight_bits": _number(POSITIVE, pa.Check.le(32)),
            "phase": _text(pa.Check.isin(["decode", "prefill"])),
            "batch": _number(POSITIVE),
            "context_tokens": _number(POSITIVE),
            "tokens": _number(POSITIVE),
            "step_ms": _number(POSITIVE),
            "tokens_per_s": _number(POSITIVE),
            **PROVENANCE,
        },
        key=["gpu", "model", "weight_bits", "phase", "batch", "context_tokens"],
    ),
    "published_benchmarks": TableSpec(
        columns={
            "benchmark_id": _text(),
            "engine": _text(),
            "engine_version": _text(),
            "gpu": _text(),
            "gpu_count": _number(POSITIVE),
            "model": _text(),
            "precision": _text(),
            "weight_bits": _number(POSITIVE, pa.Check.le(32)),
            "kv_cache_bits": _number(pa.Check.isin([4.0, 8.0, 16.0])),
            "input_tokens": _number(POSITIVE),
            "output_tokens": _number(POSITIVE),
            "concurrency": _number(POSITIVE, nullable=True),
            "output_tokens_per_s": _number(POSITIVE),
            **PROVENANCE,
        },
        key=["benchmark_id"],
    ),
    # What a quantised file really stores per weight (scales and zero points included): the one
    # definition every memory claim and the capacity model use (helpers.costs.selfhost).
    "quantisation_formats": TableSpec(
        columns={
            "format": _text(pa.Check.str_matches(r"^[a-z0-9_]+$", error="must be a format name")),
            "label": _text(),
            "nominal_bits": _number(POSITIVE, pa.Check.le(32)),
            "bits_per_weight": _number(POSITIVE, pa.Check.le(32)),
            "storage": _text(),
            **PROVENANCE,
        },
        key=["format"],
    ),
    # Serving engines' documented batch defaults: the row with the largest min_memory_gib a GPU
    # reaches (and whose excluded_gpu_text its name does not contain) applies.
    "engine_defaults": TableSpec(
        columns={
            "engine": _text(),
            "min_memory_gib": _number(NON_NEGATIVE),
            "excluded_gpu_text": _text(nullable=True),
            "max_sequences": _number(POSITIVE),
            "chunk_tokens": _number(POSITIVE),
            **PROVENANCE,
        },
        key=["engine", "min_memory_gib"],
    ),
    # Tensor-parallel all-reduce between the GPUs of one replica.
    "interconnects": TableSpec(
        columns={
            "gpu": _text(),
            "link": _text(),
            "allreduce_bus_gb_per_s": _number(POSITIVE),
            "allreduce_latency_us": _number(NON_NEGATIVE),
            **PROVENANCE,
        },
        key=["gpu"],
    ),
    # Hourly traffic shapes: relative_load is scaled to a mean of 1 by the code; a profile has 24
    # rows (one day, "00:00" to "23:00", repeated) or 168 (one week, "Mon 00:00" to "Sun 23:00").
    "load_profiles": TableSpec(
        columns={
            "profile": _text(),
            "hour": _text(pa.Check.str_matches(r"^((Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?([01]\d|2[0-3]):00$",
                                               error="must be HH:00 or Ddd HH:00 (Mon 09:00)")),
            "relative_load": _number(NON_NEGATIVE),
            **PROVENANCE,
        },
        key=["profile", "hour"],
    ),
    # Claims audit (helpers/article/claims.py): one row per checkable claim of the article.
    # ``check`` names a function of helpers.article.claims.CHECKS; ``given`` its inputs
    # ("key=value; key=value", lists joined by "|"); ``figure_id`` a row of article_figures.csv
    # that holds the article's value (then article_value stays empty).
    "claims": TableSpec(
        columns={
            "claim_id": _text(),
            "section": _text(),
            "claim_text": _text(),
            "check": _text(pa.Check.str_matches(r"^[a-z0-9_]+$", error="must be a check name")),
            "given": _text(pa.Check.str_matches(r"^\w+=[^;=]+(;\s*\w+=[^;=]+)*$",
                                                error="must be key=value; key=value"), nullable=True),
            "figure_id": _text(nullable=True),
            "article_value": _number(nullable=True),
            "resolution": _number(POSITIVE, nullable=True),
            "comparator": _text(pa.Check.isin(["eq", "le", "ge", "lt", "gt", "none"])),
            "unit": _text(pa.Check.isin(list(UNITS), error=f"unknown unit (known: {', '.join(UNITS)})"),
                          nullable=True),
            "assumptions": _text(nullable=True),
            "note": _text(nullable=True),
            **PROVENANCE,
        },
        key=["claim_id"],
    ),
}

# Today's prices (helpers/tools/prices.py writes api_prices_current from the price database
# genai-prices; price_db_map names the database key of each of the article's models).
SPECS["api_prices_current"] = TableSpec(
    columns={
        "model": _text(),
        "name": _text(),
        "provider": _text(),
        "usd_per_1m_input": _number(NON_NEGATIVE),
        "usd_per_1m_output": _number(NON_NEGATIVE),
        "usd_per_1m_cached_input": _number(NON_NEGATIVE, nullable=True),
        "long_context_threshold_tokens": _number(POSITIVE, nullable=True),
        "usd_per_1m_input_long_context": _number(NON_NEGATIVE, nullable=True),
        "usd_per_1m_output_long_context": _number(NON_NEGATIVE, nullable=True),
        "price_db": _text(),
        "price_db_version": _text(),
        "price_db_key": _text(),
        "priced_at": _text(pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
                                                error="must be an instant YYYY-MM-DDTHH:MM:SSZ")),
        "note": _text(nullable=True),
        **PROVENANCE,
    },
    key=["model"],
)
SPECS["price_db_map"] = TableSpec(
    columns={
        "model": _text(),
        "provider_id": _text(),
        "model_key": _text(),
        # other database keys the note weighs (provider/model, ";"-separated): their history is shown
        "related_keys": _text(nullable=True),
        "note": _text(),
        **PROVENANCE,
    },
    key=["model"],
)
SPECS["batch_discounts"] = TableSpec(
    columns={
        "provider": _text(),
        "batch_api": _text(BOOL),
        "batch_discount_share": _number(NON_NEGATIVE, pa.Check.lt(1)),
        "note": _text(),
        **PROVENANCE,
    },
    key=["provider"],
    booleans=["batch_api"],
)

# Cross-field rules pandera cannot express per column: (table, rule, columns, message).
ROW_RULES = {
    "hidden_costs": [(lambda df: df["low"] <= df["high"], "high", "high is below low")],
    "quantisation_formats": [(lambda df: df["bits_per_weight"] >= df["nominal_bits"], "bits_per_weight",
                              "bits_per_weight is below nominal_bits (scales only add bits)")],
    "selfhost_setups": [
        (
            lambda df: df["tokens_per_s_low"] <= df["tokens_per_s_high"],
            "tokens_per_s_high",
            "tokens_per_s_high is below tokens_per_s_low",
        )
    ],
    "batch_discounts": [
        (lambda df: (df["batch_api"] != "false") | (df["batch_discount_share"] == 0),
         "batch_discount_share", "a provider without a batch API has no batch discount"),
    ],
    "models": [
        (lambda df: df["active_params_billion"] <= df["params_billion"], "active_params_billion",
         "active_params_billion is above params_billion"),
        (lambda df: df["experts_per_token"] <= df["experts"], "experts_per_token",
         "experts_per_token is above experts"),
    ],
}


def _display_path(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _line(index) -> int | None:
    """CSV line of a data-frame row: the header is line 1, the first row line 2."""
    try:
        return int(index) + 2
    except (TypeError, ValueError):
        return None


def _problems_from_pandera(name: str, err: pa.errors.SchemaErrors, skip: set) -> list[Problem]:
    problems = []
    cases = err.failure_cases
    for case in cases.itertuples(index=False):
        column = case.column if isinstance(case.column, str) else None
        check = str(case.check)
        line = _line(case.index)
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
                Problem(file_label, _line(index), column, f"not a number: {frame.at[index, column]!r}")
            )
            not_numbers.add((_line(index), column))
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
                problems.append(Problem(file_label, _line(index), column, message))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or ""))
        raise DataValidationError(problems)
    for column in spec.booleans:
        frame[column] = frame[column].map(BOOL_TEXT)
    return frame


def read_table(path: Path, table: str) -> pd.DataFrame:
    """Read and validate the CSV at ``path`` as table ``table`` (a key of :data:`SPECS`)."""
    label = _display_path(path)
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
