"""The checks by name: ``data/claims.csv``'s ``check`` column names one function of
:data:`CHECKS`, which takes the claim and the :class:`~helpers.article.claims.context.Context`
and returns a :class:`~helpers.article.claims.verdicts.ClaimResult`."""
from __future__ import annotations

import math
from typing import Callable

from helpers import article
from helpers.article.claims.context import Context
from helpers.article.claims.table import Claim
from helpers.article.claims.verdicts import ClaimResult

CHECKS: dict[str, Callable[[Claim, Context], ClaimResult]] = {}


def check(name: str):
    """Register the decorated function as the check ``name``."""
    def register(fn):
        if name in CHECKS:
            raise ValueError(f"two checks named {name!r}")
        CHECKS[name] = fn
        return fn
    return register


@check("not_checkable")
def _not_checkable(claim: Claim, ctx: Context) -> ClaimResult:
    return ClaimResult(math.nan, article.NOT_CHECKABLE, "Not checkable: " + (claim.note or "no data."))
