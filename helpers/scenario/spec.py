"""What a scenario field may hold (:class:`Spec`, carried in the field's metadata), the error
that lists every problem of a scenario, and the limits every field shares."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DESCRIPTION = "description"
# Set by the report runner for each run; a scenario must not choose where tables go.
RUNNER_KEYS = ("tables_dir",)
HOURS_IN_LONGEST_MONTH = 24 * 31  # 744
# A plausible ceiling for one workload: ten trillion tokens a day is far beyond any single
# product's traffic; a larger figure is a typo (1e300 would otherwise be priced happily).
MAX_TOKENS_PER_DAY = 1e13


class ScenarioError(ValueError):
    """A scenario failed validation; ``problems`` lists every problem, each naming its key."""

    def __init__(self, problems: list[str], source: str = "scenario"):
        self.problems = problems
        self.source = source
        super().__init__(
            f"{source}: {len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems)
        )


@dataclass(frozen=True)
class Spec:
    """What one scenario field may hold, and what it means."""

    kind: str  # "number", "integer", "share", "bool", "text", "text_list", "uncertainty"
    help: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    minimum_excluded: bool = False
    maximum_excluded: bool = False
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    # A data table and column whose values are the allowed names, e.g. ("gpu_cloud", "gpu").
    rows_of: tuple[str, str] | None = None


def spec_field(default, kind: str, help: str, **spec) -> Any:
    """A dataclass field with its :class:`Spec`; lists are stored as tuples (frozen)."""
    return field(default=default, metadata={"spec": Spec(kind, help, **spec)})
