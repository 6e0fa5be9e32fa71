"""The stepped breakeven with the scenario's traffic, elementwise over draws: where the API line
p * V / 1e6 first reaches the self-hosting bill fixed + replica_usd * mean replicas billed(V)
(:func:`helpers.capacity.traffic.replicas_for_volumes`).

- Always on (flat traffic included): the article's staircase with replicas of capacity / peak
  load and the spare replicas as a fixed cost
  (:func:`helpers.costs.breakeven.stepped_breakeven_tokens_per_month`, closed form). Flat
  traffic without spares is exactly the article's staircase.
- Scheduled: the bill is a staircase M(V) that only rises, and V / capacity + spare <= M(V) <=
  V / capacity + spare + 1, so with margin = p / 1e6 - replica_usd / capacity the answer lies
  within (fixed + spare * replica_usd) / margin and (fixed + (spare + 1) * replica_usd) / margin.
  From the lower end, V_{n+1} = (fixed + replica_usd * M(V_n)) / p * 1e6 rises, never passes
  the smallest V with p * V / 1e6 >= fixed + replica_usd * M(V), and stops on it once M stops
  stepping. All draws iterate together; those not settled after :data:`ITERATIONS` steps (a
  replica that barely earns its cost) are searched stretch by stretch between where they stand
  and the upper end, as :func:`helpers.capacity.traffic.stepped_breakeven_tokens_per_month`
  searches from 0.
"""
from __future__ import annotations

import numpy as np

from helpers.assumptions import TOKENS_PER_MILLION
from helpers.capacity import traffic
from helpers.costs import breakeven

ITERATIONS = 1000
MAX_STEPS = 1_000_000


def stepped_breakeven_tokens_per_month(blended_usd_per_1m, replica_usd_per_month, replica_tokens_per_month,
                                       fixed_usd_per_month, *, load, scaling: str, spare_replicas: int):
    """See the module docstring. Arguments broadcast (a draw axis first); ``load`` is the
    profile's relative load by hour (mean 1; ``None`` for flat traffic). inf where the API stays
    cheaper at every volume. A float when every argument is a scalar."""
    if load is None or scaling == "always_on":
        peak = 1.0 if load is None else float(np.max(load))
        replica_usd = np.asarray(replica_usd_per_month, dtype=float)
        return breakeven.stepped_breakeven_tokens_per_month(
            blended_usd_per_1m, replica_usd, np.asarray(replica_tokens_per_month, dtype=float) / peak,
            np.asarray(fixed_usd_per_month, dtype=float) + spare_replicas * replica_usd)
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (
        blended_usd_per_1m, replica_usd_per_month, replica_tokens_per_month, fixed_usd_per_month)))
    shape = arrays[0].shape
    price, replica_usd, capacity, fixed = (a.reshape(-1) for a in arrays)
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = price / TOKENS_PER_MILLION - replica_usd / capacity
        never = (price <= 0) | (capacity <= 0) | ~(margin > 0)
        # The mean replicas billed lie within [V / capacity + spare, V / capacity + spare + 1],
        # so the breakeven lies within [lowest, highest]: start from the lower end.
        lowest = np.where(never, np.inf, (fixed + spare_replicas * replica_usd) / margin)
        highest = np.where(never, np.inf, (fixed + (spare_replicas + 1) * replica_usd) / margin)
    volume = lowest.copy()
    active = np.flatnonzero(~never)  # the draws still stepping
    for _ in range(ITERATIONS):
        if not active.size:
            break
        _, mean = traffic.replicas_for_volumes(volume[active], capacity[active], load, scaling,
                                               spare_replicas=spare_replicas)
        step = (fixed[active] + replica_usd[active] * mean) / price[active] * TOKENS_PER_MILLION
        moving = step != volume[active]
        volume[active] = step
        active = active[moving]
    for i in active:
        volume[i] = _scan(price[i], replica_usd[i], capacity[i], fixed[i], load, scaling, spare_replicas,
                          volume[i], highest[i])
    return float(volume[0]) if not shape else volume.reshape(shape)


def _scan(price, replica_usd, capacity, fixed, load, scaling, spare_replicas, lowest, highest) -> float:
    """One draw's breakeven searched stretch by stretch between ``lowest`` (below it) and
    ``highest`` (at or above it): on each stretch between two capacity steps the bill is flat
    and the API line meets it at bill / price; the first stretch holding its own meeting point
    is the answer. inf beyond :data:`MAX_STEPS` stretches (a replica that earns a hair more
    than it costs: a volume no view of the workbook reaches)."""
    _, mean = traffic.replicas_for_volumes(lowest, capacity, load, scaling, spare_replicas=spare_replicas)
    if (fixed + replica_usd * mean) / price * TOKENS_PER_MILLION <= lowest:
        return float(lowest)  # the iteration's last step landed on it
    loads = np.unique(load[load > 0])
    first = np.floor(lowest * loads / capacity) + 1
    last = np.ceil(highest * loads / capacity)
    if np.sum(last - first + 1) > MAX_STEPS:
        return np.inf
    edges = np.unique(np.concatenate([[lowest], *[np.arange(f, l + 1) * capacity / v
                                                  for f, l, v in zip(first, last, loads)]]))
    edges = edges[edges >= lowest]
    _, mean = traffic.replicas_for_volumes(edges[1:], capacity, load, scaling, spare_replicas=spare_replicas)
    crossing = (fixed + replica_usd * mean) / price * TOKENS_PER_MILLION
    inside = (crossing > edges[:-1]) & (crossing <= edges[1:] * (1 + 1e-12))
    return float(crossing[np.argmax(inside)]) if inside.any() else np.inf
