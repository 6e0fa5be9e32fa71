"""Traffic that rises and falls: replicas hour by hour, how they are billed, and the hybrid that
self-hosts the base load and sends the peak to an API.

A load profile (``data/load_profiles.csv``) gives each hour's load relative to the mean (24
hours, "00:00" to "23:00", repeated; or a week of 168, "Mon 00:00" to "Sun 23:00"). For a month of V tokens over H billed hours:

    demand[h]          = V / (H * 3600) * load[h] / mean(load)            tokens/s
    needed[h]          = ceil(demand[h] / replica tokens/s)               (0 where demand is 0)
    always_on          billed[h] = max(max_h needed + spare, minimum)     every hour
    scheduled          billed[h] = max(needed[h] + spare, minimum), then the largest value in
                       each block of ``billing_hours`` (a replica is paid for whole blocks)
    usd_per_month      = sum_h billed[h] * usd_per_replica_hour * H / len(profile)
    utilisation        = sum demand / sum (billed * replica tokens/s)
    usd_per_1m         = usd_per_month / V * 1e6                          (effective price)
    hybrid, k replicas always on: API tokens = sum_h max(0, demand[h] - k * capacity) * 3600 * H / len
                       usd = k * usd_per_replica_hour * H + API tokens * api_usd_per_1m / 1e6

Prices are arguments (numbers): this module reads no price table.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import data
from helpers.assumptions import HOURS_PER_MONTH, SECONDS_PER_HOUR, TOKENS_PER_MILLION

SCALINGS = ("always_on", "scheduled")


def load_profile(name: str = "flat", data_dir: Path | None = None) -> np.ndarray:
    """Relative load of each hour of a profile in ``data/load_profiles.csv``, scaled to mean 1."""
    table = data.load("load_profiles", data_dir)
    rows = table[table["profile"] == name]
    if rows.empty:
        raise KeyError(f"data/load_profiles.csv has no profile {name!r}; known: "
                       f"{', '.join(dict.fromkeys(table['profile']))}")
    order = rows["hour"].map(_hour_of_week).to_numpy()
    expected = HOURS_OF_WEEK if len(rows) == len(HOURS_OF_WEEK) else list(range(24))
    if sorted(order) != list(expected):
        raise ValueError(f"profile {name!r} must hold 00:00..23:00, or Mon 00:00..Sun 23:00, once each")
    return _relative(rows["relative_load"].to_numpy(float)[np.argsort(order)])


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_OF_WEEK = range(24 * len(DAYS))


def _hour_of_week(label: str) -> int:
    """"Tue 09:00" -> 33; "09:00" (a daily profile) -> 9."""
    day, _, clock = label.rpartition(" ")
    return (DAYS.index(day) * 24 if day else 0) + int(clock[:2])


def _relative(profile) -> np.ndarray:
    load = np.asarray(profile, dtype=float)
    if load.ndim != 1 or load.size == 0 or (load < 0).any() or load.mean() <= 0:
        raise ValueError("a load profile needs at least one hour, no negative load and some load")
    return load / load.mean()


def replicas_needed(demand_tokens_per_s, replica_tokens_per_s: float) -> np.ndarray:
    """ceil(demand / capacity) each hour; 0 where there is no demand."""
    if not replica_tokens_per_s > 0:
        raise ValueError(f"replica_tokens_per_s must be positive, got {replica_tokens_per_s!r}")
    demand = np.asarray(demand_tokens_per_s, dtype=float)
    return np.ceil(demand / replica_tokens_per_s - 1e-9).clip(min=0).astype(int)


def billed_replicas(needed, scaling: str = "always_on", min_replicas: int = 1, spare_replicas: int = 0,
                    billing_hours: int = 1) -> np.ndarray:
    """Replicas paid for each hour (see the module docstring)."""
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {SCALINGS}, got {scaling!r}")
    if min_replicas < 0 or spare_replicas < 0 or billing_hours < 1:
        raise ValueError("min_replicas and spare_replicas must not be negative, billing_hours at least 1")
    needed = np.asarray(needed, dtype=int)
    if scaling == "always_on":
        return np.full_like(needed, max(int(needed.max()) + spare_replicas, min_replicas))
    billed = np.maximum(needed + spare_replicas, min_replicas)
    blocks = math.ceil(len(billed) / billing_hours)
    padded = np.concatenate([billed, np.zeros(blocks * billing_hours - len(billed), dtype=int)])
    per_block = padded.reshape(blocks, billing_hours).max(axis=1)
    return np.repeat(per_block, billing_hours)[: len(billed)]


def traffic_plan(tokens_per_month: float, profile, replica_tokens_per_s: float, usd_per_replica_hour: float, *,
                 scaling: str = "always_on", min_replicas: int = 1, spare_replicas: int = 0, billing_hours: int = 1,
                 hours_per_month: float = HOURS_PER_MONTH) -> dict:
    """A month of traffic of the given shape served by replicas of ``replica_tokens_per_s``
    (input + output, at the latency targets) billed at ``usd_per_replica_hour``: the hour-by-hour
    table, replica-hours, the bill, utilisation and the effective price per 1M tokens."""
    if tokens_per_month < 0 or usd_per_replica_hour < 0 or not hours_per_month > 0:
        raise ValueError("tokens_per_month and usd_per_replica_hour must not be negative, hours_per_month positive")
    load = _relative(profile)
    scale = hours_per_month / len(load)  # each profile hour stands for this many hours of the month
    demand = tokens_per_month / (hours_per_month * SECONDS_PER_HOUR) * load
    needed = replicas_needed(demand, replica_tokens_per_s)
    billed = billed_replicas(needed, scaling, min_replicas, spare_replicas, billing_hours)
    replica_hours = float(billed.sum() * scale)
    usd = replica_hours * usd_per_replica_hour
    offered = billed * replica_tokens_per_s
    return {
        "hours": pd.DataFrame({"hour": np.arange(len(load)), "relative_load": load, "demand_tokens_per_s": demand,
                               "replicas_needed": needed, "replicas_billed": billed}),
        "peak_replicas": int(billed.max()),
        "replica_hours_per_month": replica_hours,
        "usd_per_month": usd,
        "utilisation_share": float(demand.sum() / offered.sum()) if offered.sum() else math.nan,
        "usd_per_1m": usd / tokens_per_month * TOKENS_PER_MILLION if tokens_per_month else math.inf,
    }


def hybrid_plans(tokens_per_month: float, profile, replica_tokens_per_s: float, usd_per_replica_hour: float,
                 api_usd_per_1m: float, hours_per_month: float = HOURS_PER_MONTH) -> pd.DataFrame:
    """Self-host a base of k always-on replicas and send what exceeds them, hour by hour, to the
    API at ``api_usd_per_1m``: one row per k from 0 (all API) to the peak's need (all
    self-hosted), with ``cheapest`` marking the lowest total."""
    if api_usd_per_1m < 0:
        raise ValueError("api_usd_per_1m must not be negative")
    load = _relative(profile)
    scale = hours_per_month / len(load)
    demand = tokens_per_month / (hours_per_month * SECONDS_PER_HOUR) * load
    peak = int(replicas_needed(demand, replica_tokens_per_s).max())
    base = np.arange(peak + 1)
    overflow = np.maximum(demand[None, :] - base[:, None] * replica_tokens_per_s, 0.0)
    api_tokens = overflow.sum(axis=1) * SECONDS_PER_HOUR * scale
    gpu_usd = base * usd_per_replica_hour * hours_per_month
    api_usd = api_tokens * api_usd_per_1m / TOKENS_PER_MILLION
    total = gpu_usd + api_usd
    table = pd.DataFrame({
        "base_replicas": base, "selfhost_tokens_per_month": tokens_per_month - api_tokens,
        "api_tokens_per_month": api_tokens, "gpu_usd_per_month": gpu_usd, "api_usd_per_month": api_usd,
        "usd_per_month": total,
    })
    table["cheapest"] = table.index == int(np.argmin(total))
    return table


def replicas_for_volumes(tokens_per_month, replica_tokens_per_month, profile, scaling: str = "always_on",
                         min_replicas: int = 1, spare_replicas: int = 0):
    """(peak, mean) replicas billed over the month for each volume, elementwise on numpy arrays
    (any leading axes broadcast). Hours of equal load are counted once, so a week's profile
    costs no more than its distinct loads. Flat traffic, always on, no spare: both equal
    max(1, ceil(volume / replica_tokens_per_month)), the article's steps. Capacity 0: inf."""
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {SCALINGS}, got {scaling!r}")
    values, counts = np.unique(_relative(profile), return_counts=True)
    weights = counts / counts.sum()
    if scaling == "always_on":  # only the peak hour bills: ceil is monotone, so the busiest load decides
        values, weights = values[-1:], np.ones(1)
    volume = np.asarray(tokens_per_month, dtype=float)[..., None]
    capacity = np.asarray(replica_tokens_per_month, dtype=float)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        needed = np.ceil(volume * values / capacity - 1e-9).clip(min=0) + spare_replicas
    if scaling == "always_on":
        peak = np.maximum(needed.max(axis=-1), min_replicas)
        mean = peak
    else:
        billed = np.maximum(needed, min_replicas)
        peak, mean = billed.max(axis=-1), (billed * weights).sum(axis=-1)
    dead = np.asarray(replica_tokens_per_month, dtype=float) <= 0
    peak, mean = np.where(dead, np.inf, peak), np.where(dead, np.inf, mean)
    return (float(peak), float(mean)) if peak.ndim == 0 else (peak, mean)


def stepped_breakeven_tokens_per_month(blended_usd_per_1m, replica_usd_per_month, replica_tokens_per_month, profile,
                                       scaling: str = "always_on", fixed_usd_per_month=0.0, min_replicas: int = 1,
                                       spare_replicas: int = 0, max_steps: int = 1_000_000):
    """Smallest monthly volume V at which the API bill p * V / 1e6 reaches the self-hosting bill
    fixed + replica_usd * M(V), M the mean replicas billed (:func:`replicas_for_volumes`); inf if
    never. Elementwise: prices, bills and capacities broadcast (a draw axis first); a float
    when they are all scalars.

    Always on (no minimum above one replica): the bill is the article's staircase with replicas
    of capacity / peak load and the spare replicas as a fixed cost, so
    :func:`helpers.costs.breakeven.stepped_breakeven_tokens_per_month` applies (flat traffic
    without spares: exactly the article's staircase).

    Otherwise the bill is a staircase that only rises, stepping up just after each
    V = k * capacity / load[h]. With b = the busiest load always on, 1 (the mean) scheduled,
    V * b / capacity + spare <= M(V) <= V * b / capacity + spare + 1 + min, so with
    margin = p / 1e6 - replica_usd * b / capacity (what one full replica earns at API prices over
    its cost) the API stays cheaper at every volume when margin <= 0, and otherwise the answer
    lies within (fixed + spare * replica_usd) / margin and
    (fixed + (spare + 1 + min) * replica_usd) / margin. From the lower end,
    V_n+1 = (fixed + replica_usd * M(V_n)) / p * 1e6 rises, never passes the answer and stops on
    it once M stops stepping; every element iterates together. One not settled after
    ITERATIONS steps (a replica that barely earns its cost) is searched stretch by stretch from
    where it stands to the upper end: on each stretch the bill is flat, the API line meets it
    at bill / p, and the first stretch holding its own meeting point is the answer (inf beyond
    ``max_steps`` stretches: a volume no view of the workbook reaches)."""
    from helpers.costs import breakeven  # noqa: PLC0415 - the cost formulas sit beside capacity, not under it

    load = _relative(profile)
    if scaling == "always_on" and max(min_replicas - spare_replicas, 1) == 1:
        replica_usd = np.asarray(replica_usd_per_month, dtype=float)
        return breakeven.stepped_breakeven_tokens_per_month(
            blended_usd_per_1m, replica_usd, np.asarray(replica_tokens_per_month, dtype=float) / load.max(),
            np.asarray(fixed_usd_per_month, dtype=float) + spare_replicas * replica_usd)
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (
        blended_usd_per_1m, replica_usd_per_month, replica_tokens_per_month, fixed_usd_per_month)))
    shape = arrays[0].shape
    price, replica_usd, capacity, fixed = (a.reshape(-1) for a in arrays)
    busiest = load.max() if scaling == "always_on" else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = price / TOKENS_PER_MILLION - replica_usd * busiest / capacity
        never = (price <= 0) | (capacity <= 0) | ~(margin > 0)
        lowest = np.where(never, np.inf, (fixed + spare_replicas * replica_usd) / margin)
        highest = np.where(never, np.inf, (fixed + (spare_replicas + 1 + min_replicas) * replica_usd) / margin)
    volume = lowest.copy()
    moving = np.flatnonzero(~never)
    for _ in range(ITERATIONS):
        if not moving.size:
            break
        _, mean = replicas_for_volumes(volume[moving], capacity[moving], load, scaling, min_replicas, spare_replicas)
        step = (fixed[moving] + replica_usd[moving] * mean) / price[moving] * TOKENS_PER_MILLION
        settled = step == volume[moving]
        volume[moving] = step
        moving = moving[~settled]
    for i in moving:
        volume[i] = _search(price[i], replica_usd[i], capacity[i], fixed[i], load, scaling, min_replicas,
                            spare_replicas, volume[i], highest[i], max_steps)
    return float(volume[0]) if not shape else volume.reshape(shape)


# Steps of the iteration before an element is searched stretch by stretch: a few dozen settle
# almost every draw; a replica within a percent of earning its cost needs a few hundred.
ITERATIONS = 1000


def _search(price, replica_usd, capacity, fixed, load, scaling, min_replicas, spare_replicas, lowest, highest,
            max_steps) -> float:
    """One element's breakeven, searched stretch by stretch between ``lowest`` (at or below it)
    and ``highest`` (at or above it)."""
    _, mean = replicas_for_volumes(lowest, capacity, load, scaling, min_replicas, spare_replicas)
    if (fixed + replica_usd * mean) / price * TOKENS_PER_MILLION <= lowest:
        return float(lowest)  # the iteration's last step landed on it
    loads = np.unique(load[load > 0])
    first, last = np.floor(lowest * loads / capacity) + 1, np.ceil(highest * loads / capacity)
    if np.sum(last - first + 1) > max_steps:
        return math.inf
    edges = np.unique(np.concatenate([[lowest], *[np.arange(f, l + 1) * capacity / v
                                                  for f, l, v in zip(first, last, loads)]]))
    edges = edges[edges >= lowest]
    _, mean = replicas_for_volumes(edges[1:], capacity, load, scaling, min_replicas, spare_replicas)
    crossing = (fixed + replica_usd * mean) / price * TOKENS_PER_MILLION  # where the API meets each stretch's bill
    inside = (crossing > edges[:-1]) & (crossing <= edges[1:] * (1 + 1e-12))
    return float(crossing[np.argmax(inside)]) if inside.any() else math.inf
