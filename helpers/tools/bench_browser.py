"""How fast the what-if page answers a control change in a real browser: Voila serves the
what-if notebook (as ``make app`` does), Debian's Chromium opens it, and each step presses an
arrow key on the volume slider (one notch on its log scale) and times how long the page takes
to show the new plot and figures. Prints the median, the 95th percentile and the worst
against the target (150 ms at the 95th percentile).

    python -m helpers.tools.bench_browser [--changes N]

A benchmark, not a test: the figures depend on the machine and what else it runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from helpers.tools.browser import CHROMIUM, CHROMIUM_ARGS, START_TIMEOUT_S, voila

TARGET_P95_S = 0.150
# The plot's image source changes when the panel has recomputed and redrawn.
PLOT_SOURCE = "() => document.querySelector('img.whatif-plot').src"


def measure(changes: int, folder: Path) -> list[float]:
    """Seconds from each key press on the volume slider to the new plot on the page."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    seconds = []
    with voila(folder / "voila.log") as url, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(folder / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1300, "height": 1000})
        try:
            page = context.new_page()
            page.goto(url, timeout=START_TIMEOUT_S * 1000)
            page.wait_for_selector("img.whatif-plot", timeout=START_TIMEOUT_S * 1000)
            handle = page.locator(".whatif-volume .noUi-handle")
            for i in range(changes):
                before = page.evaluate(PLOT_SOURCE)
                handle.focus()
                start = time.perf_counter()
                handle.press("ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft")
                page.wait_for_function(f"(before) => ({PLOT_SOURCE})() !== before", arg=before,
                                       polling="raf", timeout=30_000)
                seconds.append(time.perf_counter() - start)
        finally:
            context.close()
    return seconds


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.tools.bench_browser", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=40, help="control changes to time")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: run .ci/install-browser (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        seconds = measure(args.changes, Path(folder))
    median, p95, worst = statistics.median(seconds), percentile(seconds, 0.95), max(seconds)
    verdict = "ok" if p95 < TARGET_P95_S else "OVER TARGET"
    print(f"what-if page in Chromium, {len(seconds)} volume changes: median {median * 1000:.0f} ms, "
          f"95th percentile {p95 * 1000:.0f} ms, worst {worst * 1000:.0f} ms; "
          f"target < {TARGET_P95_S * 1000:.0f} ms at the 95th percentile: {verdict}")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
