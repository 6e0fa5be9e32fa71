"""Distributions of one uncertain input, how a scenario writes them, and a seeded sampler.

A scenario's ``uncertainty:`` block gives an input a distribution in one of four forms::

    uncertainty:
      devops_hours_per_month: {triangular: [10, 15, 20]}   # low, mode, high
      spot_discount: {uniform: [0.40, 0.60]}                # low, high
      tokens_per_s: {normal: [1500, 400]}                   # mean, sd, truncated at the input's bounds
      infrastructure_usd_per_month: 300                     # fixed (or {fixed: 300})

A normal may carry its own bounds, ``{normal: [mean, sd, low, high]}``; they are narrowed to the
input's bounds. Every distribution draws by inverting its cumulative distribution function
(``ppf``) at uniform numbers, so one uniform stream per input gives reproducible draws, and a
distribution collapsed to a point gives exactly that point.

Nothing here reads ``data/`` or knows the scenario: the caller passes each input's bounds.
"""
from __future__ import annotations

import difflib
import math
import zlib
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

# A normal's ends for the tornado chart when it has no finite bounds: its 5% and 95% quantiles.
NORMAL_TORNADO_QUANTILES = (0.05, 0.95)
_STANDARD_NORMAL = NormalDist()
_TINY, _BELOW_ONE = np.nextafter(0.0, 1.0), np.nextafter(1.0, 0.0)
_inverse_normal = np.vectorize(_STANDARD_NORMAL.inv_cdf, otypes=[float])


@dataclass(frozen=True)
class Bounds:
    """Where an input may lie: ``minimum``..``maximum``, either end possibly excluded or open."""

    minimum: float = -math.inf
    maximum: float = math.inf
    minimum_excluded: bool = False
    maximum_excluded: bool = False

    def holds(self, value: float) -> bool:
        low_ok = value > self.minimum if self.minimum_excluded else value >= self.minimum
        high_ok = value < self.maximum if self.maximum_excluded else value <= self.maximum
        return low_ok and high_ok

    def __str__(self) -> str:
        low = "(" if self.minimum_excluded else "["
        high = ")" if self.maximum_excluded else "]"
        return f"{low}{self.minimum:g}, {self.maximum:g}{high}"


@dataclass(frozen=True)
class Fixed:
    """No uncertainty: every draw is ``value``."""

    value: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), float(self.value))

    @property
    def mean(self) -> float:
        return float(self.value)

    def ends(self) -> tuple[float, float]:
        return float(self.value), float(self.value)

    def describe(self) -> str:
        return f"fixed at {self.value:g}"


@dataclass(frozen=True)
class Triangular:
    """Triangular on ``low``..``high`` with its peak at ``mode``.

    ppf(u) = low + sqrt(u (high - low)(mode - low))            for u <= (mode - low) / (high - low)
           = high - sqrt((1 - u)(high - low)(high - mode))     otherwise
    mean = (low + mode + high) / 3. DevOps hours (10, 15, 20): mean 15, median 15.
    """

    low: float
    mode: float
    high: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        a, c, b = float(self.low), float(self.mode), float(self.high)
        if b == a:
            return np.full(u.shape, a)
        split = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u <= split, left, right)

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3.0

    def ends(self) -> tuple[float, float]:
        return float(self.low), float(self.high)

    def describe(self) -> str:
        return f"triangular {self.low:g} / {self.mode:g} / {self.high:g}"


@dataclass(frozen=True)
class Uniform:
    """Uniform on ``low``..``high``: ppf(u) = low + u (high - low); mean (low + high) / 2."""

    low: float
    high: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        return self.low + u * (self.high - self.low)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2.0

    def ends(self) -> tuple[float, float]:
        return float(self.low), float(self.high)

    def describe(self) -> str:
        return f"uniform {self.low:g} to {self.high:g}"


@dataclass(frozen=True)
class TruncatedNormal:
    """Normal(``mu``, ``sd``) cut to ``low``..``high``.

    ppf(u) = mu + sd * Phi^-1(Phi(alpha) + u (Phi(beta) - Phi(alpha))),
    alpha = (low - mu) / sd, beta = (high - mu) / sd. ``mu`` lies inside the bounds
    (validated), so Phi(alpha) <= 0.5 <= Phi(beta) and no tail loses precision.
    """

    mu: float
    sd: float
    low: float = -math.inf
    high: float = math.inf

    def _cdf_ends(self) -> tuple[float, float]:
        lo = _STANDARD_NORMAL.cdf((self.low - self.mu) / self.sd) if math.isfinite(self.low) else 0.0
        hi = _STANDARD_NORMAL.cdf((self.high - self.mu) / self.sd) if math.isfinite(self.high) else 1.0
        return lo, hi

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        lo, hi = self._cdf_ends()
        # Phi^-1 is undefined at 0 and 1; the clip moves a draw by under 1e-12 of a standard deviation.
        p = np.clip(lo + u * (hi - lo), _TINY, _BELOW_ONE)
        x = self.mu + self.sd * _inverse_normal(p)
        return np.clip(x, self.low, self.high)

    @property
    def mean(self) -> float:
        """Mean of the truncated normal: mu + sd (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha))."""
        lo, hi = self._cdf_ends()
        pdf_lo = _STANDARD_NORMAL.pdf((self.low - self.mu) / self.sd) if math.isfinite(self.low) else 0.0
        pdf_hi = _STANDARD_NORMAL.pdf((self.high - self.mu) / self.sd) if math.isfinite(self.high) else 0.0
        return self.mu + self.sd * (pdf_lo - pdf_hi) / (hi - lo)

    def ends(self) -> tuple[float, float]:
        low_q, high_q = NORMAL_TORNADO_QUANTILES
        return tuple(float(v) for v in self.ppf(np.array([low_q, high_q])))

    def describe(self) -> str:
        return f"normal mean {self.mu:g}, sd {self.sd:g}, within {self.low:g}..{self.high:g}"


Distribution = Fixed | Triangular | Uniform | TruncatedNormal
KINDS = ("fixed", "triangular", "uniform", "normal")
_ARITY = {"fixed": (1,), "triangular": (3,), "uniform": (2,), "normal": (2, 4)}
_FORMS = {
    "fixed": "{fixed: value} or a bare number",
    "triangular": "{triangular: [low, mode, high]}",
    "uniform": "{uniform: [low, high]}",
    "normal": "{normal: [mean, sd]} or {normal: [mean, sd, low, high]}",
}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def parse(name: str, spec: Any, bounds: Bounds = Bounds()) -> tuple[Distribution | None, list[str]]:
    """One input's distribution from its YAML form; ``(None, problems)`` when it is not valid.

    Each problem names ``uncertainty.<name>``. The values must lie within ``bounds`` (a
    normal is truncated at them instead).
    """
    where = f"uncertainty.{name}"
    if _is_number(spec):
        spec = {"fixed": spec}
    if not isinstance(spec, dict) or len(spec) != 1:
        return None, [f"{where}: expected a number or one of {', '.join(_FORMS.values())}; got {spec!r}"]
    (kind, values), = spec.items()
    if kind not in KINDS:
        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return None, [f"{where}: unknown distribution {kind!r}{hint}; known: {', '.join(KINDS)}"]
    if _is_number(values):
        values = [values]
    # A normal's own bounds may be open (YAML .inf); every other number must be finite.
    finite = values[:2] if kind == "normal" and isinstance(values, list) else values
    if not isinstance(values, list) or len(values) not in _ARITY[kind] \
            or not all(_is_number(v) for v in finite) \
            or not all(_is_number(v) or (isinstance(v, float) and not math.isnan(v)) for v in values):
        return None, [f"{where}: {kind} takes {_FORMS[kind]}, got {values!r}"]
    values = [float(v) for v in values]
    problems: list[str] = []
    if kind == "fixed":
        dist: Distribution = Fixed(values[0])
        checked = values
    elif kind == "triangular":
        low, mode, high = values
        if not low <= mode <= high:
            problems.append(f"{where}: triangular needs low <= mode <= high, got {values}")
        dist, checked = Triangular(low, mode, high), values
    elif kind == "uniform":
        low, high = values
        if not low <= high:
            problems.append(f"{where}: uniform needs low <= high, got {values}")
        dist, checked = Uniform(low, high), values
    else:
        mean, sd = values[:2]
        low, high = values[2:] if len(values) == 4 else (-math.inf, math.inf)
        low, high = max(low, bounds.minimum), min(high, bounds.maximum)
        if sd <= 0:
            problems.append(f"{where}: normal needs a positive sd, got {sd:g}")
        if not low <= mean <= high:
            problems.append(f"{where}: normal needs its mean within {low:g}..{high:g}, got {mean:g}")
        dist, checked = TruncatedNormal(mean, sd, low, high), [mean]
    outside = [v for v in checked if not bounds.holds(v)]
    if outside:
        problems.append(f"{where}: {', '.join(f'{v:g}' for v in outside)} outside the input's "
                        f"range {bounds}")
    return (None, problems) if problems else (dist, [])


def stream(seed: int, name: str) -> np.random.Generator:
    """The random stream of one input: seeded by ``seed`` and the input's name, so an input's
    draws do not change when another input becomes uncertain or fixed."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


def sample(distributions: dict[str, Distribution], draws: int, seed: int) -> dict[str, np.ndarray]:
    """``draws`` draws of each input, as float arrays of shape ``(draws,)``; inputs independent.

    The same ``seed`` gives the same draws, bit for bit.
    """
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws!r}")
    return {name: dist.ppf(stream(seed, name).random(draws)) for name, dist in distributions.items()}


def parse_block(block: Any, bounds: dict[str, Bounds]) -> tuple[dict[str, Distribution], list[str]]:
    """A scenario's ``uncertainty:`` block: input name -> distribution. ``bounds`` holds the
    inputs that may carry one, with the range each must stay in. Returns the distributions
    and every problem found (each naming ``uncertainty.<input>``)."""
    if block is None:
        return {}, []
    if not isinstance(block, dict):
        return {}, [f"uncertainty: expected a mapping of input: distribution, got {block!r}"]
    found: dict[str, Distribution] = {}
    problems: list[str] = []
    for name, spec in block.items():
        if name not in bounds:
            # A known name that starts with the word first ("devops_hours"), then the closest.
            close = [known for known in bounds if known.startswith(str(name).lower())] \
                or difflib.get_close_matches(str(name), list(bounds), n=1) \
                or [known for known in bounds if str(name).lower() in known]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"uncertainty.{name}: not an input that can carry a distribution{hint}; "
                            f"those that can: {', '.join(bounds)}")
            continue
        parsed, wrong = parse(name, spec, bounds[name])
        problems.extend(wrong)
        if parsed is not None:
            found[name] = parsed
    return found, problems
