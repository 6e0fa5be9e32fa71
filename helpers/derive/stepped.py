"""The stepped breakeven with the scenario's traffic, elementwise over draws: where the API line
p * V / 1e6 first reaches the self-hosting bill fixed + replica_usd * mean replicas billed(V)
(:func:`helpers.capacity.traffic.replicas_for_volumes`).

- Always on (flat traffic included): the article's staircase with replicas of capacity / peak
  load and the spare replicas as a fixed cost
  (:func:`helpers.costs.breakeven.stepped_breakeven_tokens_per_month`, closed form). Flat
  traffic without spares is exactly the article's staircase.
- Scheduled: the bill is a staircase M(V) that only rises, so the smallest V with
  p * V / 1e6 >= fixed + replica_usd * M(V) is the limit of V_0 = 0,
  V_{n+1} = (fixed + replica_usd * M(V_n)) / p * 1e6: the sequence rises, never passes the
  answer, and stops on it once M stops stepping. All draws iterate together; the few that have
  not settled after :data:`ITERATIONS` steps (a replica that barely earns its cost) are handed to
  the exact search of :func:`helpers.capacity.traffic.stepped_breakeven_tokens_per_month`.
"""
from __future__ import annotations

import numpy as np

from helpers.assumptions import TOKENS_PER_MILLION
from helpers.capacity import traffic
from helpers.costs import breakeven

ITERATIONS = 200


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
    volume = np.where(never, np.inf, 0.0)
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
        volume[i] = traffic.stepped_breakeven_tokens_per_month(price[i], replica_usd[i], capacity[i], load, scaling,
                                                               fixed[i], 1, spare_replicas)
    return float(volume[0]) if not shape else volume.reshape(shape)
