"""Time the Monte Carlo: 20,000 draws x 200 volumes x every API of the scenario (target: under
1 s on the 2-core machine). Prints the median and the worst of several runs, and each step.

    python -m helpers.uncertainty.bench [--scenario params/x.yaml] [--draws N] [--volumes N] [--repeat N]

A script, not a test: timings depend on the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from helpers.scenario import Scenario
from helpers.uncertainty import montecarlo

TARGET_S = 1.0


def one_run(s: Scenario, volumes: np.ndarray, draws: int) -> dict[str, float]:
    """Seconds for each step of one full run: draw and derive, P(cheaper) for every API, the
    fan chart's quantiles and the crossing volumes."""
    steps = {}
    montecarlo._sample.cache_clear()  # time the draws too, not a remembered set
    start = time.perf_counter()
    mc = montecarlo.run(s, volumes, draws=draws)
    steps["draw + derive"] = time.perf_counter() - start
    mark = time.perf_counter()
    for model in s.api_models:
        mc.p_selfhost_cheaper(model)
    steps["P(cheaper), every API"] = time.perf_counter() - mark
    mark = time.perf_counter()
    mc.selfhost_quantiles()
    steps["fan quantiles"] = time.perf_counter() - mark
    mark = time.perf_counter()
    montecarlo.crossings_table(mc)
    steps["10/50/90% crossings"] = time.perf_counter() - mark
    steps["total"] = time.perf_counter() - start
    return steps


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", help="a params/*.yaml file (default: the article's)")
    parser.add_argument("--draws", type=int, default=montecarlo.DRAWS)
    parser.add_argument("--volumes", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    s = Scenario.load(args.scenario) if args.scenario else Scenario()
    volumes = np.logspace(6, 11, args.volumes)
    one_run(s, volumes, 100)  # warm the data cache and numpy
    runs = [one_run(s, volumes, args.draws) for _ in range(args.repeat)]
    print(f"Monte Carlo: {args.draws:,} draws x {args.volumes} volumes x {len(s.api_models)} APIs "
          f"({', '.join(s.api_models)}), {args.repeat} runs")
    for step in runs[0]:
        times = [r[step] for r in runs]
        print(f"  {step:<24} median {statistics.median(times) * 1000:7.1f} ms   worst {max(times) * 1000:7.1f} ms")
    median, worst = statistics.median(r["total"] for r in runs), max(r["total"] for r in runs)
    verdict = "ok" if worst < TARGET_S else ("median ok, worst over" if median < TARGET_S else "OVER")
    print(f"target: under {TARGET_S:g} s -> {verdict} (median {median:.3f} s, worst {worst:.3f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
