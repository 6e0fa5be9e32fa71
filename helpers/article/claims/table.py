"""The claims table, ``data/claims.csv``: one :class:`Claim` per row, its ``given`` parsed, and
the readings a claim is checked under (each in words)."""
from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

from helpers import data
from helpers.derive.claims_figures import weights


@dataclass(frozen=True)
class Claim:
    """One row of ``data/claims.csv``, its ``given`` parsed (``key=value; key=value``, lists
    joined by ``|``)."""

    claim_id: str
    section: str
    claim_text: str
    check: str
    given: dict
    figure_id: str | None
    article_value: float | None
    resolution: float | None
    comparator: str
    unit: str | None
    assumptions: str | None
    note: str | None
    line: int

    def text(self, key: str) -> str:
        if key not in self.given:
            raise ValueError(f"data/claims.csv, line {self.line}, column given: "
                             f"check {self.check!r} needs {key}=..., claim {self.claim_id!r}")
        return self.given[key]

    def number(self, key: str) -> float:
        value = self.text(key)
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"data/claims.csv, line {self.line}, column given: {key}={value!r} "
                             f"is not a number (claim {self.claim_id!r})") from None

    def names(self, key: str) -> list[str]:
        return [name.strip() for name in self.text(key).split("|")]

    @property
    def group(self) -> str | None:
        """The quantity this claim shares with others (``group=...``), if any."""
        return self.given.get("group")

    def variants(self) -> list[tuple[dict, "Claim"]]:
        """One (reading, claim) pair per reading: the claim with each key of ``readings`` set to
        one of its alternatives (every combination); ``[({}, self)]`` when it has none."""
        if "readings" not in self.given:
            return [({}, self)]
        keys = self.names("readings")
        found = []
        for values in itertools.product(*(self.names(key) for key in keys)):
            reading = dict(zip(keys, values))
            found.append((reading, dataclasses.replace(self, given={**self.given, **reading})))
        return found


def parse_given(text: str | None) -> dict:
    """``"key=value; key=value"`` as a dict (empty for an empty cell)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return {}
    pairs = [part.split("=", 1) for part in text.split(";") if part.strip()]
    return {key.strip(): value.strip() for key, value in pairs}


def load_claims(data_dir: Path | None = None) -> list[Claim]:
    """The claims of ``data/claims.csv`` (validated), in the article's order."""
    frame = data.load("claims", data_dir)
    claims = []
    for index, row in frame.iterrows():
        def opt(column):
            value = row[column]
            return None if value is None or (isinstance(value, float) and math.isnan(value)) else value
        claims.append(Claim(
            claim_id=row["claim_id"], section=row["section"], claim_text=row["claim_text"],
            check=row["check"], given=parse_given(opt("given")), figure_id=opt("figure_id"),
            article_value=opt("article_value"), resolution=opt("resolution"),
            comparator=row["comparator"], unit=opt("unit"), assumptions=opt("assumptions"),
            note=opt("note"), line=int(index) + 2))
    return claims


# --------------------------------------------------------------------------- readings

# The words for the readings whose values are codes (see the package docstring).
THROUGHPUT_READINGS = {
    "input_plus_output": "the throughput counted over input + output tokens (as the tables use it)",
    "output_only": "the throughput counted as output tokens only (the article's 'output throughput')",
}
BASIS_READINGS = {"gpu": "on the GPU bill alone", "tco": "on the true monthly cost (hidden costs included)"}
GPU_COST_READINGS = {"rented": "the small model's GPU rented for it",
                     "already_running": "the GPU already running (the article's '~$0 marginal')"}
WORDED_READINGS = {"throughput": THROUGHPUT_READINGS, "basis": BASIS_READINGS, "gpu_cost": GPU_COST_READINGS}


def choice(claim: Claim, key: str, choices: dict, default: str | None = None) -> str:
    """The claim's value of ``key``, one of ``choices`` (a clear error naming the line if not)."""
    value = claim.given.get(key, default) if default is not None else claim.text(key)
    if value not in choices:
        raise ValueError(f"data/claims.csv, line {claim.line}, column given: {key}={value!r} is not one of "
                         f"{', '.join(choices)} (claim {claim.claim_id!r})")
    return value


def bits_text(bits_per_weight: float) -> str:
    """Bits per weight at a reader's precision (three figures): 4.15625 -> "4.16"."""
    return f"{bits_per_weight:.3g}"


def reading_label(reading: dict, claim: Claim, data_dir: Path | None = None) -> str:
    """Words for one reading of a claim, e.g. "GGUF Q4_K_M, 4.89 bits per weight"."""
    parts = []
    for key, value in reading.items():
        if key == "format":
            stored = weights(1, value, data_dir)
            parts.append(f"{stored.label}, {bits_text(stored.bits_per_weight)} bits per weight")
        elif key == "api_model":
            parts.append(f"against {value}")
        elif key == "hardware":
            parts.append(f"on {value}")
        elif key in WORDED_READINGS:
            variant = dataclasses.replace(claim, given={**claim.given, key: value})
            parts.append(WORDED_READINGS[key][choice(variant, key, WORDED_READINGS[key])])
        else:
            parts.append(f"{key}={value}")
    return "; ".join(parts)
