"""How fast the what-if panel answers one change, beside floors measured in the same run, so
that the verdict travels between machines: a slower or busier machine slows the floors too.

    python -m helpers.tools.bench_widgets [--repeat N] [--changes N]

Builds the panel once (no browser: the widgets' messages go nowhere), then moves one control
at a time through a fixed sequence of values (volume across the breakevens, the API model,
the GPU, the throughput source, spot pricing, hidden costs, the decision-framework boxes). The panel times each
change itself: the calculation (:func:`helpers.show.whatif.evaluate`) and the redraw (text,
tables, and the chart's data: the grid derivation and the bqplot marks' new numbers). Right after each change the same process measures two floors:

- widget floor: a bare widget round trip, an ``IntSlider`` whose observer rewrites one
  ``HTML`` widget's value (what any control change costs before the panel does anything),
  the mean of a burst as long as the calculation;
- draw floor: a bare bqplot chart's update, one line of as many points as the panel's
  grid set to new numbers (what any chart change costs in the kernel).

Prints the median, 95th percentile and worst of each, and judges the ratios
calculation / widget floor and redraw / draw floor, at the median and at the 95th
percentile, against the target ratios.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass

from helpers.show import widgets

# Target ratios, median and 95th percentile. On a 2-core development machine shared with
# other jobs, the calculation measured 85x to 330x its widget floor (other jobs slow its
# arrays more than they slow a widget round trip). The redraw (text, tables, the grid's
# derivation and seven chart marks' new numbers) measured 23x its draw floor (one mark's
# update, 0.1 ms) at the median and 37x at the p95 (3.3 ms and 7.4 ms, load about 3).
CALC_TARGET_RATIO = {"median": 500.0, "p95": 800.0}
REDRAW_TARGET_RATIO = {"median": 40.0, "p95": 60.0}


def changes(panel: widgets.WhatIf) -> list[tuple[str, object]]:
    """One control change after another: (control name, new value)."""
    c = panel.controls
    volumes = [1e6, 5e6, 9e6, 2e7, 1e8, 1e9, 3e9, 1e7]
    models = [m for m in c["api_model"].options][:4] + [c["api_model"].value]
    gpus = list(c["gpu"].options)[:3] + [c["gpu"].value]
    return ([("tokens_per_day", v) for v in volumes]
            + [("api_model", m) for m in models]
            + [("gpu", g) for g in gpus]
            + [("throughput_source", "model"), ("throughput_source", "article")]
            + [("pricing", "spot"), ("spot_discount", 0.4), ("pricing", "on-demand")]
            + [("gpu_count", 2), ("gpu_count", 1), ("hours_per_month", 360), ("hours_per_month", 720)]
            + [("devops_hours_per_month", 30.0), ("infrastructure_usd_per_month", 500.0)]
            + [("input_share", 0.8), ("hybrid_api_share", 0.3)]
            + [("privacy_required", True), ("has_ml_expertise", True), ("needs_flagship_quality", True)])


class WidgetFloor:
    """A bare widget round trip: set a slider, its observer rewrites one HTML widget. Timed as
    a burst of round trips lasting as long as the calculation it is set beside, and returned
    per round trip, so that the scheduler interrupts the floor as often as that calculation;
    one round trip alone (tens of microseconds) almost never is, and the ratio swung threefold
    with the machine's load."""

    def __init__(self):
        import ipywidgets  # noqa: PLC0415

        self.slider = ipywidgets.IntSlider(value=0, min=0, max=10**9)
        self.html = ipywidgets.HTML()
        self.slider.observe(lambda change: setattr(self.html, "value", f"<b>{change['new']}</b>"), names="value")

    def __call__(self, seconds: float = 0.0) -> float:
        """Seconds per round trip over a burst of at least ``seconds`` (and 10 round trips)."""
        rounds, start = 0, time.perf_counter()
        while True:
            for _ in range(10):
                self.slider.value += 1
            rounds += 10
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return elapsed / rounds


class DrawFloor:
    """A bare bqplot chart (one Lines mark on log scales) whose data is replaced, with as many
    points as the panel's grid (:func:`helpers.show.plots.volume_grid`)."""

    def __init__(self):
        import bqplot as bq  # noqa: PLC0415
        import numpy as np  # noqa: PLC0415

        from helpers.show import plots  # noqa: PLC0415

        self.volumes = plots.volume_grid()
        scales = {"x": bq.LogScale(), "y": bq.LogScale()}
        self.line = bq.Lines(x=self.volumes, y=self.volumes, scales=scales)
        self.figure = bq.Figure(marks=[self.line])
        self._np = np

    def __call__(self) -> float:
        """Seconds to set the line to new numbers."""
        y = self.volumes * (1.0 + self._np.random.default_rng().random())
        start = time.perf_counter()
        with self.line.hold_sync():
            self.line.x, self.line.y = self.volumes, y
        return time.perf_counter() - start


def measure(repeat: int = 3, limit: int | None = None) -> dict[str, list[float]]:
    """Seconds per change for the calculation and the redraw, and of each floor measured
    right after it; ``limit`` keeps the first changes of each pass only."""
    start = time.perf_counter()
    panel = widgets.build()
    build_s = time.perf_counter() - start
    widget_floor, draw_floor = WidgetFloor(), DrawFloor()
    times = {"calc_s": [], "redraw_s": [], "widget_floor_s": [], "draw_floor_s": []}
    for _ in range(repeat):
        for name, value in changes(panel)[:limit]:
            if panel.controls[name].value == value:
                continue
            panel.controls[name].value = value
            if panel.error:
                raise RuntimeError(f"{name}={value!r}: {panel.error}")
            times["calc_s"].append(panel.timings["calc_s"])
            times["redraw_s"].append(panel.timings["redraw_s"])
            times["widget_floor_s"].append(widget_floor(panel.timings["calc_s"]))
            times["draw_floor_s"].append(draw_floor())
    return {"build_s": [build_s], **times}


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


@dataclass(frozen=True)
class Spread:
    """Median, 95th percentile and worst of a list of seconds."""

    median: float
    p95: float
    worst: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(statistics.median(values), percentile(values, 0.95), max(values))

    def line(self, label: str, unit: float = 1000, digits: int = 1) -> str:
        return (f"  {label:<14} median {self.median * unit:8.{digits}f}   p95 {self.p95 * unit:8.{digits}f}   "
                f"worst {self.worst * unit:8.{digits}f} ms")


def judge(figure: Spread, floor: Spread, target: dict[str, float]) -> tuple[str, dict[str, float]]:
    """The ratios figure / floor at the median and the 95th percentile, and the verdict: "ok"
    only when both are under their targets."""
    ratios = {"median": figure.median / floor.median, "p95": figure.p95 / floor.p95}
    over = [name for name in ("median", "p95") if ratios[name] >= target[name]]
    return ("OVER TARGET (" + ", ".join(over) + ")" if over else "ok"), ratios


def report(timings: dict[str, list[float]]) -> tuple[list[str], bool]:
    """The lines to print and whether every ratio met its target."""
    lines = [f"what-if panel: build {timings['build_s'][0] * 1000:.0f} ms (once), {len(timings['calc_s'])} "
             "control changes, each followed by one widget floor and one draw floor"]
    ok = True
    for key, label, floor_key, floor_label, target, digits in (
            ("calc_s", "calculation", "widget_floor_s", "widget floor", CALC_TARGET_RATIO, 3),
            ("redraw_s", "redraw", "draw_floor_s", "draw floor", REDRAW_TARGET_RATIO, 1)):
        figure, floor = Spread.of(timings[key]), Spread.of(timings[floor_key])
        verdict, ratios = judge(figure, floor, target)
        ok = ok and verdict == "ok"
        lines += [figure.line(label, digits=digits), floor.line(floor_label, digits=digits),
                  f"  {label} / {floor_label}: median {ratios['median']:.1f}x (target < {target['median']:g}x), "
                  f"p95 {ratios['p95']:.1f}x (target < {target['p95']:g}x): {verdict}"]
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.tools.bench_widgets", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the change sequence")
    parser.add_argument("--changes", type=int, default=None, help="only the first N changes of each pass")
    args = parser.parse_args(argv)
    lines, ok = report(measure(args.repeat, args.changes))
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
