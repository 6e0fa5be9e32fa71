"""How the audit's explanations write numbers: dollars exact (an explanation never rounds the
figure it checks), ratios, shares and memory at a reader's precision."""
from __future__ import annotations

from helpers.text import tokens_text, usd_text

__all__ = ["exact_usd", "gb_text", "more_or_less_text", "ratio_text", "percent_text", "tokens_text"]


def exact_usd(usd: float) -> str:
    """Dollars as exact as the arithmetic ($1,440, $1,687.50, $5.625)."""
    return usd_text(usd, exact=True)


def ratio_text(x: float) -> str:
    """A ratio to three figures: "1.85x"."""
    return f"{x:.3g}x"


def percent_text(x: float) -> str:
    """A share as a percentage: one decimal under 10% ("4.9%"), none above ("25%")."""
    return f"{x:.1%}" if abs(x) < 0.1 else f"{x:.0%}"


def more_or_less_text(change: float) -> str:
    """A relative change in words, its sign read as "more" or "less": 0.049 -> "4.9% more",
    -0.049 -> "4.9% less"."""
    return f"{percent_text(abs(change))} {'more' if change >= 0 else 'less'}"


def gb_text(x: float) -> str:
    """Gigabytes to four figures, as checked against the article's: "7.953 GB", "202.5 GB"."""
    return f"{x:,.4g} GB"
