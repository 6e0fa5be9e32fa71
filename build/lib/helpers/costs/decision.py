"""The article's "Quick Decision Framework" as a function.

Step 1: volume. Under 10M tokens/day: API, full stop. 10M-100M: step 2. Over 100M: step 3.
Step 2: privacy/compliance forbids third-party APIs? No: API. Yes: consider self-hosting,
        and step 4 decides whether the team can.
Step 3: need GPT-5/Claude-level quality? Yes: API for those tasks, hybrid for the rest.
        No: step 4.
Step 4: ML infrastructure expertise? Yes: self-host. No: API (or hire first).
"""
from __future__ import annotations

from dataclasses import dataclass

# The article's two volume thresholds of step 1, in tokens per day.
STEP1_API_BELOW_TOKENS_PER_DAY = 10_000_000
STEP1_HIGH_VOLUME_ABOVE_TOKENS_PER_DAY = 100_000_000

API = "API"
SELF_HOST = "Self-host"
HYBRID = "Hybrid"
API_OR_HIRE = "API (or hire before self-hosting)"


@dataclass(frozen=True)
class Decision:
    recommendation: str
    step: int
    reason: str


def decide(tokens_per_day: float, privacy_required: bool, needs_flagship_quality: bool,
           has_ml_expertise: bool,
           api_below_tokens_per_day: float = STEP1_API_BELOW_TOKENS_PER_DAY,
           high_volume_above_tokens_per_day: float = STEP1_HIGH_VOLUME_ABOVE_TOKENS_PER_DAY) -> Decision:
    """Walk the four steps; return the recommendation and the step that decided it.

    Boundaries follow the article's wording: "Under 10M" goes to the API, 10M-100M inclusive
    goes to step 2, "Over 100M" to step 3.
    """
    if tokens_per_day < 0:
        raise ValueError(f"tokens_per_day must not be negative, got {tokens_per_day!r}")
    if tokens_per_day < api_below_tokens_per_day:
        return Decision(API, 1, "under 10M tokens/day: use an API, full stop")
    if tokens_per_day <= high_volume_above_tokens_per_day:
        if not privacy_required:
            return Decision(API, 2, "10M-100M tokens/day and no privacy requirement: use an API")
        reason_so_far = "10M-100M tokens/day with a privacy requirement: consider self-hosting"
    else:
        if needs_flagship_quality:
            return Decision(HYBRID, 3, "over 100M tokens/day but flagship quality needed: "
                                       "API for those tasks, hybrid for the rest")
        reason_so_far = "over 100M tokens/day and open-source quality suffices"
    if has_ml_expertise:
        return Decision(SELF_HOST, 4, reason_so_far + "; ML infrastructure expertise: self-hosting is viable")
    return Decision(API_OR_HIRE, 4, reason_so_far + "; no ML infrastructure expertise: "
                                                    "use an API or hire first")
