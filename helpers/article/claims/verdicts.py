"""Judging a claim: what a check returns (:class:`ClaimResult`), the verdict of one recomputed
value against the article's (:func:`judge`), and one verdict from the verdicts under each
reading (:func:`combine`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers import article
from helpers.article.claims.table import Claim

VERDICT_ORDER = [article.ERRATUM, article.DEPENDS, article.ROUNDING, article.HOLDS, article.NOT_CHECKABLE]


@dataclass(frozen=True)
class ClaimResult:
    """What a check of :data:`helpers.article.claims.CHECKS` returns for one claim under one
    reading."""

    recomputed_value: float
    verdict: str
    explanation: str
    article_value: float | None = None  # set when the check takes it from a data table


def judge(claim: Claim, recomputed: float, article_value: float | None) -> str:
    """The claim's verdict by its ``comparator``: ``eq`` through :func:`helpers.article.verdict`
    at its ``resolution``; ``le``/``ge``/``lt``/``gt`` hold when ``recomputed <op> article_value``
    within half a resolution, else erratum; ``none`` is not checkable."""
    if claim.comparator == "none" or article_value is None or recomputed is None:
        return article.NOT_CHECKABLE
    if claim.comparator == "eq":
        if claim.resolution is None:
            raise ValueError(f"data/claims.csv, line {claim.line}, column resolution: "
                             f"an 'eq' claim needs one ({claim.claim_id!r})")
        return article.verdict(recomputed, article_value, claim.resolution)
    tolerance = (claim.resolution or 0.0) / 2 + 1e-9 * max(abs(article_value), 1.0)
    ok = {
        "le": recomputed <= article_value + tolerance,
        "ge": recomputed >= article_value - tolerance,
        "lt": recomputed < article_value + tolerance,
        "gt": recomputed > article_value - tolerance,
    }[claim.comparator]
    return article.HOLDS if ok else article.ERRATUM


def result(claim: Claim, recomputed: float, explanation: str, article_value: float | None = None) -> ClaimResult:
    """The claim judged against ``article_value`` (default: its own ``article_value``)."""
    value = claim.article_value if article_value is None else article_value
    return ClaimResult(float(recomputed), judge(claim, recomputed, value), explanation, article_value)


def figure_value(claim: Claim, data_dir: Path | None = None) -> float:
    """The article's value of the claim's ``figure_id`` (``data/article_figures.csv``)."""
    return float(article.figure(claim.figure_id, data_dir)["value"])


def figure_result(claim: Claim, recomputed: float, explanation: str, data_dir: Path | None = None) -> ClaimResult:
    """The claim judged against its printed figure, at the figure's resolution unless the claim
    sets its own."""
    row = article.figure(claim.figure_id, data_dir)
    value = float(row["value"])
    resolution = claim.resolution if claim.resolution is not None else float(row["resolution"])
    return ClaimResult(float(recomputed), article.verdict(recomputed, value, resolution), explanation, value)


def claim_value(claim: Claim, data_dir: Path | None = None) -> float:
    """The article's value of a claim: ``article_value``, else its figure's value."""
    return claim.article_value if claim.article_value is not None else figure_value(claim, data_dir)


def combine(verdicts: list[str]) -> str:
    """One verdict from the verdicts under each reading: ``erratum`` only if wrong under every
    reading, ``depends`` if wrong under some and not others, else the best of holds and rounding."""
    found = set(verdicts)
    if len(found) == 1:
        return verdicts[0]
    if article.NOT_CHECKABLE in found:
        raise ValueError(f"a claim is checkable under some readings only: {verdicts}")
    if article.ERRATUM in found:
        return article.DEPENDS
    return article.HOLDS if article.HOLDS in found else article.ROUNDING
