"""The audit: every claim run through its check under each of its readings, the verdicts
combined, and the results as tables, counts and Markdown."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from helpers import article
from helpers.article.claims.checks import CHECKS
from helpers.article.claims.context import Context
from helpers.article.claims.table import Claim, load_claims, reading_label
from helpers.article.claims.verdicts import VERDICT_ORDER, ClaimResult, combine, figure_value
from helpers.assumptions import DAYS_PER_MONTH, HOURS_PER_MONTH, INPUT_SHARE

COLUMNS = ["claim_id", "section", "claim_text", "article_value", "recomputed_value", "verdict",
           "explanation", "unit", "assumptions", "figure_id", "readings"]
READING_COLUMNS = ["claim_id", "reading", "article_value", "recomputed_value", "verdict", "explanation"]

_LEADS = {
    article.DEPENDS: "Depends on the reading.",
    article.ERRATUM: "Wrong under every reading.",
    article.ROUNDING: "Off by rounding under every reading.",
}


def _article_value(claim: Claim, found: ClaimResult, ctx: Context) -> float:
    if found.article_value is not None:
        return float(found.article_value)
    if claim.article_value is not None:
        return float(claim.article_value)
    if claim.figure_id is not None:
        return figure_value(claim, ctx.data_dir)
    return math.nan


def _audit_claim(claim: Claim, ctx: Context) -> tuple[dict, list[dict]]:
    """The audit row of one claim and its rows per reading."""
    if claim.check not in CHECKS:
        raise KeyError(f"data/claims.csv, line {claim.line}, column check: unknown check {claim.check!r} "
                       f"(known: {', '.join(sorted(CHECKS))})")
    readings = []
    for reading, variant in claim.variants():
        found = CHECKS[claim.check](variant, ctx)
        readings.append({
            "claim_id": claim.claim_id,
            "reading": reading_label(reading, claim, ctx.data_dir),
            "article_value": _article_value(variant, found, ctx),
            "recomputed_value": found.recomputed_value,
            "verdict": found.verdict,
            "explanation": found.explanation,
        })
    verdict = combine([r["verdict"] for r in readings])
    if len(readings) == 1:
        only = readings[0]
        explanation = (f"Reading: {only['reading']}. " if only["reading"] else "") + only["explanation"]
    else:
        lead = _LEADS.get(verdict, "Holds under every reading." if all(
            r["verdict"] == article.HOLDS for r in readings) else "Holds under at least one reading, "
                                                                 "off by rounding under another.")
        explanation = lead + " " + " ".join(f"Reading: {r['reading']} ({r['verdict']}). {r['explanation']}"
                                            for r in readings)
    first = readings[0]
    row = {
        "claim_id": claim.claim_id,
        "section": claim.section,
        "claim_text": claim.claim_text,
        "article_value": first["article_value"],
        "recomputed_value": first["recomputed_value"],
        "verdict": verdict,
        "explanation": explanation,
        "unit": claim.unit,
        "assumptions": claim.assumptions,
        "figure_id": claim.figure_id,
        "readings": "; ".join(f"{r['reading']}: {r['verdict']}" for r in readings) if len(readings) > 1 else None,
    }
    return row, readings


def audit_with_readings(data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`audit` and :func:`audit_readings` from one pass over the claims."""
    ctx = Context(data_dir)
    rows, readings = [], []
    for claim in load_claims(data_dir):
        row, found = _audit_claim(claim, ctx)
        rows.append(row)
        readings.extend(found)
    return pd.DataFrame(rows, columns=COLUMNS), pd.DataFrame(readings, columns=READING_COLUMNS)


def audit(data_dir: Path | None = None) -> pd.DataFrame:
    """Every claim of ``data/claims.csv`` recomputed and judged, in the article's order."""
    return audit_with_readings(data_dir)[0]


def audit_readings(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per claim and reading: the reading in words, the values and the verdict under it
    (a claim with no second reading has one row, its reading empty)."""
    return audit_with_readings(data_dir)[1]


def errata_first(frame: pd.DataFrame) -> pd.DataFrame:
    """The audit with errata first, then depends, rounding, holds, not checkable; the article's
    order within each group."""
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    order = frame.assign(_rank=frame["verdict"].map(rank), _pos=range(len(frame)))
    return order.sort_values(["_rank", "_pos"]).drop(columns=["_rank", "_pos"]).reset_index(drop=True)


def claim_verdict_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of how many claims of an audit have each verdict, errata first: columns
    ``verdict`` and ``claims``, every verdict listed (zeros included)."""
    counts = frame["verdict"].value_counts()
    return pd.DataFrame({"verdict": VERDICT_ORDER, "claims": [int(counts.get(v, 0)) for v in VERDICT_ORDER]})


def counts_by_verdict(data_dir: Path | None = None) -> dict[str, int]:
    """How many claims have each verdict, errata first (every verdict listed, zeros included):
    the line a report's index shows."""
    frame = claim_verdict_counts(audit(data_dir))
    return dict(zip(frame["verdict"], frame["claims"].astype(int)))


def verdicts_sentence(counts: pd.DataFrame) -> str:
    """The audit in one sentence, from :func:`claim_verdict_counts`: how many claims, and how
    many of them are errata, depend on the reading, are off by rounding, hold or cannot be
    checked; and the article's assumptions they rest on."""
    by_verdict = dict(zip(counts["verdict"], counts["claims"].astype(int)))
    return (f"Of **{sum(by_verdict.values())}** claims, **{by_verdict[article.ERRATUM]}** are errata (wrong under "
            f"every reading), **{by_verdict[article.DEPENDS]}** depend on how the sentence is read, "
            f"{by_verdict[article.ROUNDING]} are off by rounding only, {by_verdict[article.HOLDS]} hold and "
            f"{by_verdict[article.NOT_CHECKABLE]} cannot be checked from the workbook's data. Claims depend on the "
            f"article's assumptions ({INPUT_SHARE * 100:g}/{(1 - INPUT_SHARE) * 100:g} input share, {DAYS_PER_MONTH:g}-day "
            f"months, {HOURS_PER_MONTH:g} GPU-hours); each row names the ones it uses.")


def as_markdown(frame: pd.DataFrame, readings: pd.DataFrame | None = None) -> str:
    """One bullet per claim: id, heading, the quote, and the explanation of its verdict. With
    ``readings`` (:func:`audit_readings`), a claim checked under several readings gets one
    sub-bullet per reading with its verdict and arithmetic instead of the one long explanation."""
    lines = []
    for r in frame.itertuples():
        mine = readings[readings["claim_id"] == r.claim_id] if readings is not None else None
        if mine is None or len(mine) < 2:
            lines.append(f"- **{r.claim_id}** ({r.section}): \u201c{r.claim_text}\u201d \u2014 {r.explanation}")
            continue
        lines.append(f"- **{r.claim_id}** ({r.section}): \u201c{r.claim_text}\u201d \u2014 {r.verdict}:")
        lines.extend(f"    - {m.reading}: **{m.verdict}**. {m.explanation}" for m in mine.itertuples())
    return "\n".join(lines)
