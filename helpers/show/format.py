"""How numbers read on a page: the one token formatter and the one dollar formatter (defined in
``helpers.text`` so that every layer may use them, shown here) and the table style every
notebook and report page uses.

    tokens_text(3.888e9)  -> "3.89B"       usd_text(1440)  -> "$1,440"
    share_text(0.5)       -> "50%"         usd_text(5.625) -> "$5.63"

A table is styled by its column names (the workbook's naming habit carries the unit):

- money: ``usd_*``, ``*_usd_*`` or ``*_usd`` (``usd_per_month``, ``api_usd_per_month``);
- token counts: a name holding ``tokens`` but not a rate per second (``monthly_tokens``,
  ``breakeven_tokens_per_month``); ``tokens_per_s`` is a plain number;
- shares: ``*_share`` (0..1) as a percentage;
- verdicts: ``*verdict`` coloured (holds and rounding green, erratum red, the others grey);
- anything missing (NaN, None: "not printed") as a dash; no index column.

:func:`display_options` installs that style as the HTML view of every DataFrame in a notebook,
so notebooks need no per-table call; the plain-text view (what nbval compares beside the HTML)
stays pandas' own. Saved tables (``tables/*.csv``) keep plain numbers: this module only draws.
"""
from __future__ import annotations

import hashlib
import numbers

import numpy as np
import pandas as pd

# The formatters are defined once, on the ground floor, and shown here with the table style.
from helpers.text import DASH, missing, number_text, share_text, tokens_text, usd_text  # noqa: F401

DISPLAY_PRECISION = 4
VERDICT_COLOURS = {
    "holds": "#176f2c",
    "rounding": "#176f2c",
    "erratum": "#b00020",
    "not_checkable": "#666666",
    "other_scenario": "#666666",
}
TABLE_CSS = [
    {"selector": "", "props": "border-collapse: collapse; font-variant-numeric: tabular-nums;"},
    {"selector": "th", "props": "text-align: left; padding: .25rem .6rem; border-bottom: 1px solid #999;"},
    {"selector": "td", "props": "padding: .2rem .6rem; border-bottom: 1px solid #e4e4e4;"},
    {"selector": "td.num", "props": "text-align: right;"},
]


def prose(text: str):
    """Markdown output of computed prose. Dollar signs are escaped: Jupyter and nbconvert read
    a pair of ``$`` as LaTeX math, which would swallow "$1,440 ... $5.63" and its bold marks."""
    from IPython.display import Markdown  # noqa: PLC0415  (notebooks only)
    return Markdown(text.replace("$", r"\$"))


# --------------------------------------------------------------------------------------------
# Tables


def column_kind(name) -> str:
    """``usd``, ``tokens``, ``share``, ``verdict`` or ``number``, from a column's name."""
    name = str(name).lower()
    parts = name.split("_")
    if name.endswith("verdict"):
        return "verdict"
    if "usd" in parts:
        return "usd"
    if name.endswith("_share") or name == "share":
        return "share"
    if any(p.startswith("tokens") for p in parts) and not name.endswith("per_s"):
        return "tokens"
    return "number"


_TEXT = {"usd": usd_text, "tokens": tokens_text, "share": share_text}


def cell_text(value, kind: str) -> str:
    """One cell as shown: numbers by the column's kind, text as it is, missing as a dash."""
    if missing(value):
        return DASH
    if isinstance(value, str):
        return value
    if kind in _TEXT and isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return _TEXT[kind](value)
    return number_text(value)


def _verdict_style(value) -> str:
    colour = VERDICT_COLOURS.get(str(value))
    return f"color: {colour}; font-weight: 600;" if colour else ""


def styled(frame: pd.DataFrame):
    """``frame`` as a pandas Styler: cells formatted by :func:`column_kind`, numbers right
    aligned, verdicts coloured, no index. Its HTML ids derive from the content, so the same
    table always renders to the same text (nbval compares it)."""
    frame = frame.reset_index(drop=not _named_index(frame))
    columns = list(frame.columns)
    if len(set(columns)) != len(columns):  # Styler needs unique labels to format by column
        frame.columns = [f"{c}" if columns.index(c) == i else f"{c} ({i})" for i, c in enumerate(columns)]
    kinds = {c: column_kind(c) for c in frame.columns}
    styler = frame.style.format({c: (lambda v, k=k: cell_text(v, k)) for c, k in kinds.items()})
    styler = styler.hide(axis="index").set_table_styles(TABLE_CSS)
    digest = hashlib.sha1(frame.to_csv(index=False).encode("utf-8")).hexdigest()[:10]
    styler = styler.set_uuid(digest)
    numeric = [c for c in frame.columns
               if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    verdicts = [c for c, k in kinds.items() if k == "verdict"]
    if verdicts:
        styler = styler.map(_verdict_style, subset=verdicts)
    return styler


def _named_index(frame: pd.DataFrame) -> bool:
    """A named or labelled index carries data (``set_index("api_model")``); a 0..n range does not."""
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.name is None:
        return False
    return any(name is not None for name in index.names) or not pd.api.types.is_integer_dtype(index)


def frame_html(frame: pd.DataFrame) -> str:
    """The HTML of :func:`styled` (what a notebook shows for a DataFrame)."""
    return styled(frame).to_html()


def _series_html(series: pd.Series) -> str:
    return frame_html(series.to_frame())


def display_options() -> None:
    """Fixed pandas display settings (a notebook's plain-text outputs are deterministic), the
    styled HTML view of DataFrames, and the seaborn theme of every figure."""
    pd.set_option("display.precision", DISPLAY_PRECISION)
    pd.set_option("display.max_columns", 60)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_colwidth", 70)
    from helpers.show import plots  # noqa: PLC0415  (matplotlib only where figures are drawn)

    plots.set_theme()
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    plots.draw_once_inline()
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, frame_html)
    formatter.for_type(pd.Series, _series_html)
