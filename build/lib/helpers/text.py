"""How a number reads in words: the one token formatter and the one dollar formatter of the
workbook (with shares and plain numbers), used by the article's sentences, the figures, the
formatted tables (``helpers.show.format``) and the report pages alike.

    tokens_text(3.888e9) -> "3.89B"      usd_text(1440)  -> "$1,440"
    share_text(0.5)      -> "50%"        usd_text(5.625) -> "$5.63"

A ground-floor module (no helpers import), so every layer may use it.
"""
from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

DASH = "\u2014"


def missing(value) -> bool:
    """True for what a table shows as a dash: None, NaN, NaT, pd.NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are not "missing"
        return False


def tokens_text(tokens: float) -> str:
    """A token count as the article writes it, three significant digits: 256M, 3.89B, 8.53M."""
    if missing(tokens):
        return DASH
    tokens = float(tokens)
    if math.isinf(tokens):
        return "never" if tokens > 0 else "-never"
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(tokens) >= size:
            return f"{tokens / size:.3g}{suffix}"
    return f"{tokens:.3g}"


def usd_text(usd: float, exact: bool = False) -> str:
    """Dollars: whole dollars with thousands separators ($1,440), cents only under $10 ($5.63).

    ``exact=True`` keeps every digit the arithmetic has, so an explanation never rounds the
    figure it checks: $1,440, $1,687.50, $5.625."""
    if missing(usd):
        return DASH
    usd = float(usd)
    sign, usd = ("-" if usd < 0 else ""), abs(usd)
    if math.isinf(usd):  # e.g. no deployment of this GPU can serve the volume
        return f"{sign}$\u221e"
    if exact:
        if abs(usd - round(usd)) < 1e-9:
            return f"{sign}${usd:,.0f}"
        if abs(usd * 100 - round(usd * 100)) < 1e-6:
            return f"{sign}${usd:,.2f}"
        return f"{sign}${usd:,.4f}".rstrip("0")
    # Half up, as people round (5.625 -> 5.63), not half to even as format() does.
    step = Decimal("0.01") if usd < 9.995 else Decimal("1")
    rounded = Decimal(repr(usd)).quantize(step, rounding=ROUND_HALF_UP)
    return f"{sign}${rounded:,}"


def share_text(share: float) -> str:
    """A share of 0..1 as a percentage: 0.5 -> 50%, 0.034 -> 3.4%."""
    if missing(share):
        return DASH
    share = float(share)
    return f"{share:.1%}" if abs(share) < 0.1 and share != 0 else f"{share:.0%}"


def number_text(value) -> str:
    """Any other number: thousands separators above 100, three significant digits below."""
    if missing(value):
        return DASH
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{value:,}"
    if isinstance(value, numbers.Real):
        value = float(value)
        if math.isinf(value):
            return "\u221e" if value > 0 else "-\u221e"
        if abs(value) >= 100 or value == round(value):
            return f"{value:,.0f}"
        return f"{value:.3g}"
    return str(value)
