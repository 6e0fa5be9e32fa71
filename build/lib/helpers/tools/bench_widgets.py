"""How fast the what-if panel answers one change (targets on this 2-core machine: the
calculation under 10 ms, the redraw under 200 ms, both for the median *and* the worst change).

    python -m helpers.tools.bench_widgets [--repeat N]

Builds the panel once (no browser: the widgets' messages go nowhere), then moves one control
at a time through a fixed sequence of values — volume across the breakevens, the API model,
the GPU, spot pricing, hidden costs, the decision-framework boxes — and prints the median and
the worst time of the calculation (:func:`helpers.show.widgets.evaluate`) and of the redraw (text,
tables and the PNG of the plot), as measured by the panel itself for each change.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

from helpers.show import widgets

CALC_TARGET_S = 0.010
REDRAW_TARGET_S = 0.200


def changes(panel: widgets.WhatIf) -> list[tuple[str, object]]:
    """One control change after another: (control name, new value)."""
    c = panel.controls
    volumes = [1e6, 5e6, 9e6, 2e7, 1e8, 1e9, 3e9, 1e7]
    models = [m for m in c["api_model"].options][:4] + [c["api_model"].value]
    gpus = list(c["gpu"].options)[:3] + [c["gpu"].value]
    return ([("tokens_per_day", v) for v in volumes]
            + [("api_model", m) for m in models]
            + [("gpu", g) for g in gpus]
            + [("pricing", "spot"), ("spot_discount", 0.4), ("pricing", "on-demand")]
            + [("gpu_count", 2), ("gpu_count", 1), ("hours_per_month", 360), ("hours_per_month", 720)]
            + [("devops_hours_per_month", 30.0), ("infrastructure_usd_per_month", 500.0)]
            + [("input_share", 0.8), ("hybrid_api_share", 0.3)]
            + [("privacy_required", True), ("has_ml_expertise", True), ("needs_flagship_quality", True)])


def measure(repeat: int = 3) -> dict[str, list[float]]:
    """Seconds per change, for the calculation and the redraw."""
    start = time.perf_counter()
    panel = widgets.build()
    build_s = time.perf_counter() - start
    calc, redraw = [], []
    for _ in range(repeat):
        for name, value in changes(panel):
            if panel.controls[name].value == value:
                continue
            panel.controls[name].value = value
            if panel.error:
                raise RuntimeError(f"{name}={value!r}: {panel.error}")
            calc.append(panel.timings["calc_s"])
            redraw.append(panel.timings["redraw_s"])
    return {"build_s": [build_s], "calc_s": calc, "redraw_s": redraw}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.tools.bench_widgets", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the change sequence")
    args = parser.parse_args(argv)
    timings = measure(args.repeat)
    print(f"what-if panel: build {timings['build_s'][0] * 1000:.0f} ms (once), "
          f"{len(timings['calc_s'])} control changes")
    over = False
    for key, label, target in (("calc_s", "calculation", CALC_TARGET_S), ("redraw_s", "redraw", REDRAW_TARGET_S)):
        values = timings[key]
        median, worst = statistics.median(values), max(values)
        verdict = judge(median, worst, target)
        over = over or verdict != "ok"
        print(f"  {label:<12} median {median * 1000:6.1f} ms   worst {worst * 1000:6.1f} ms   "
              f"target < {target * 1000:.0f} ms: {verdict}")
    return 1 if over else 0


def judge(median: float, worst: float, target: float) -> str:
    """"ok" only when the median and the worst change both meet the target."""
    if median >= target:
        return "OVER TARGET (median)"
    if worst >= target:
        return "OVER TARGET (worst case)"
    return "ok"


if __name__ == "__main__":
    sys.exit(main())
